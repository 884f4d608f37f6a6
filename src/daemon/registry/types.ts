// types.ts: the contracts between the generic registry and per-resource strategies (follows apiserver's
// registry/rest strategies: PrepareForCreate, PrepareForUpdate, Validate, ValidateUpdate, Canonicalize).
import type {FieldError} from '../../api/errors.js'
import type {KubeObject} from '../../api/object.js'
import type {ResourceInfo} from '../../api/resources.js'
import type {Clock} from '../clock.js'
import type {Ids} from '../ids.js'

/** UserInfo is the authenticated caller. */
export interface UserInfo {
  username: string
  groups: string[]
  uid?: string
}

/** StrategyContext is what a strategy may use besides the object. */
export interface StrategyContext {
  resource: ResourceInfo
  clock: Clock
  ids: Ids
  /** lookup reads another live object (for defaults that depend on cluster state); undefined when absent. */
  lookup(resource: ResourceInfo, namespace: string | undefined, name: string): KubeObject | undefined
  /**
   * lookupFact is derive(the live object, or undefined), kept by the store until that object is written again
   * (Store.memo): for a fact every create asks of a rarely written object. fact names the derivation.
   */
  lookupFact<T>(
    resource: ResourceInfo,
    namespace: string | undefined,
    name: string,
    fact: string,
    derive: (object: KubeObject | undefined) => T,
  ): T
  /** resources resolves a kind to its resource entry (the storage version). */
  resourceFor(group: string, kind: string): ResourceInfo | undefined
  /** allocate reserves cluster-wide values (cluster IPs, node ports); undefined until the allocator exists. */
  allocators?: Allocators
}

/** Allocators hand out cluster IPs and node ports and take them back. */
export interface Allocators {
  allocateClusterIP(requested?: string): string
  releaseClusterIP(ip: string): void
  allocateNodePort(requested?: number): number
  releaseNodePort(port: number): void
}

/** Strategy holds one resource's rules; every hook is optional and the generic registry supplies the rest. */
export interface Strategy {
  /** setsGeneration: metadata.generation starts at 1 and moves when anything but metadata and status changes. */
  setsGeneration?: boolean
  /** nameValidator checks metadata.name; defaults to DNS-1123 subdomain. Returns messages, empty when valid. */
  nameValidator?: (name: string) => string[]
  /** prepareForCreate applies defaults and clears what a client may not set (status, when the kind has one). */
  prepareForCreate?(obj: KubeObject, ctx: StrategyContext): void
  /** prepareForUpdate carries over what a main-resource write may not change. */
  prepareForUpdate?(obj: KubeObject, old: KubeObject, ctx: StrategyContext): void
  validate?(obj: KubeObject, ctx: StrategyContext): FieldError[]
  validateUpdate?(obj: KubeObject, old: KubeObject, ctx: StrategyContext): FieldError[]
  /** afterDelete releases what the object held (cluster IPs, node ports). */
  afterDelete?(obj: KubeObject, ctx: StrategyContext): void
  /** returnDeletedObject: DELETE answers with the object instead of a Success Status. */
  returnDeletedObject?: boolean
  /** allowCreateOnUpdate: PUT to a missing name creates it (Endpoints, Leases, ...). */
  allowCreateOnUpdate?: boolean
}

/** AdmissionAttributes describe one write to admission plugins (apiserver's admission.Attributes). */
export interface AdmissionAttributes {
  operation: 'CREATE' | 'UPDATE'
  resource: ResourceInfo
  subresource?: string
  namespace?: string
  /** object is the incoming object; mutating plugins may change it. */
  object: KubeObject
  old?: KubeObject
  dryRun?: boolean
  user?: UserInfo
}

/**
 * AdmissionPlugin is one admission controller. mutate runs before validation (LimitRanger defaults,
 * DefaultTolerationSeconds), validate after it (ResourceQuota); either throws a StatusError to refuse the write.
 */
export interface AdmissionPlugin {
  name: string
  mutate?(a: AdmissionAttributes): void
  validate?(a: AdmissionAttributes): void
}
