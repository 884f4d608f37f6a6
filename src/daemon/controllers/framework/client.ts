// client.ts: the in-process API client controllers write through. It calls the same Registry the HTTP handlers
// call, so defaulting, validation, resourceVersion checks (409 on a stale write) and admission are the same as
// for kubectl. Tests switch on `record` to compare a sync's actions with the expected ones (sample-controller's
// fixture style).
import type {KubeObject} from '../../../api/object.js'
import {notFound} from '../../../api/errors.js'
import {storageKey, type ResourceTable} from '../../../api/resources.js'
import type {DeleteOptions, Registry} from '../../registry/generic.js'
import type {UserInfo} from '../../registry/types.js'
import {bindPod, evictPod} from '../../registry/pod-subresources.js'
import {KeyNotFoundError, type Store} from '../../storage/store.js'
import {resolveResource} from './informer.js'
import type {ResourceRef} from './types.js'

/** ClientAction is one write a controller made (recorded only when Client.record is on). */
export interface ClientAction {
  verb: 'create' | 'update' | 'delete'
  resource: ResourceRef
  subresource?: string
  namespace?: string
  name: string
  /** object is what was written (the stored result); absent for delete. */
  object?: KubeObject
}

/** ClientDeps are what the client needs. */
export interface ClientDeps {
  registry: Registry
  store: Store
  resources: () => ResourceTable
}

/** Client writes and reads objects inside the daemon as one controller identity. */
export class Client {
  /** actions holds the recorded writes when record is true. */
  readonly actions: ClientAction[] = []
  record = false
  private readonly user: UserInfo

  constructor(
    private readonly d: ClientDeps,
    /** manager is the field manager and user name suffix ("kube-controller-manager", "kubelet", ...). */
    readonly manager = 'kube-controller-manager',
  ) {
    this.user = {username: `system:${manager}`, groups: ['system:masters', 'system:authenticated']}
  }

  /** as returns a client writing under another field manager, sharing the recorded actions. */
  as(manager: string): Client {
    const c = new Client(this.d, manager)
    Object.defineProperty(c, 'actions', {value: this.actions})
    Object.defineProperty(c, 'record', {get: () => this.record, set: (v: boolean) => (this.record = v)})
    return c
  }

  private r(ref: ResourceRef) {
    return resolveResource(this.d.resources(), ref)
  }

  private opts() {
    return {user: this.user, fieldManager: this.manager}
  }

  private note(a: ClientAction) {
    if (this.record) this.actions.push(a)
  }

  /** get reads the newest stored object (not the cache); throws NotFound. */
  get(ref: ResourceRef, namespace: string | undefined, name: string): KubeObject {
    return this.d.registry.get(this.r(ref), namespace, name)
  }

  /** tryGet reads the newest stored object or undefined. */
  tryGet(ref: ResourceRef, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.d.registry.tryGet(this.r(ref), namespace, name)
  }

  /** list reads the newest stored objects of a resource (in a namespace), for resources no informer caches. */
  list(ref: ResourceRef, namespace?: string): KubeObject[] {
    return this.d.registry.list(this.r(ref), namespace).items
  }

  /** create stores obj in obj.metadata.namespace (generateName works as over HTTP). */
  create(ref: ResourceRef, obj: KubeObject): KubeObject {
    const ns = obj.metadata?.namespace
    const made = this.d.registry.create(this.r(ref), ns, obj, this.opts())
    this.note({verb: 'create', resource: ref, namespace: ns, name: String(made.metadata?.name), object: made})
    return made
  }

  /** update replaces obj (PUT); obj.metadata.resourceVersion must be current, else 409 Conflict. */
  update(ref: ResourceRef, obj: KubeObject): KubeObject {
    const m = obj.metadata ?? {}
    const out = this.d.registry.update(this.r(ref), m.namespace, String(m.name), obj, this.opts()).object
    this.note({verb: 'update', resource: ref, namespace: m.namespace, name: String(m.name), object: out})
    return out
  }

  /** updateStatus replaces obj's status (PUT …/status); the resourceVersion rule is the same. */
  updateStatus(ref: ResourceRef, obj: KubeObject): KubeObject {
    const m = obj.metadata ?? {}
    const out = this.d.registry.update(this.r(ref), m.namespace, String(m.name), obj, {
      ...this.opts(),
      subresource: 'status',
    }).object
    this.note({
      verb: 'update',
      resource: ref,
      subresource: 'status',
      namespace: m.namespace,
      name: String(m.name),
      object: out,
    })
    return out
  }

  /**
   * mutate reads the newest object, lets fn change a copy and writes it, retrying on conflicts (GuaranteedUpdate).
   * fn returns undefined to leave the object alone. With subresource "status" only the status is written.
   */
  mutate(
    ref: ResourceRef,
    namespace: string | undefined,
    name: string,
    fn: (current: KubeObject) => KubeObject | undefined,
    opts: {subresource?: string} = {},
  ): KubeObject {
    let changed = false
    const res = this.d.registry.guaranteedUpdate(
      this.r(ref),
      namespace,
      name,
      (cur) => {
        const next = fn(cur)
        changed = next !== undefined
        return next
      },
      {...this.opts(), ...opts},
    )
    if (changed)
      this.note({verb: 'update', resource: ref, subresource: opts.subresource, namespace, name, object: res.object})
    return res.object
  }

  /**
   * renew rewrites a stored object straight through the store, past the registry (no admission, validation,
   * defaulting, conversion or no-op comparison; managedFields stay as they are, as for every in-process write):
   * fn changes the stored object and returns it. It is for one write only, the kubelets' Lease renewals: valid by
   * construction, and 100 a second at 1,000 nodes, where the registry's path (two reads, three copies and a deep
   * comparison each) was most of what an idle daemon did. Throws NotFound when the object does not exist.
   */
  renew(ref: ResourceRef, namespace: string | undefined, name: string, fn: (stored: KubeObject) => KubeObject): void {
    const r = this.r(ref)
    let out: KubeObject
    try {
      out = this.d.store.guaranteedUpdate(storageKey(r, r.namespaced ? namespace : undefined, name), fn).object
    } catch (e) {
      if (e instanceof KeyNotFoundError) throw notFound({group: r.group, plural: r.plural}, name)
      throw e
    }
    this.note({verb: 'update', resource: ref, namespace, name, object: out})
  }

  /** delete deletes an object (propagation, preconditions and grace period as over HTTP). */
  delete(ref: ResourceRef, namespace: string | undefined, name: string, opts: DeleteOptions = {}): void {
    this.d.registry.delete(this.r(ref), namespace, name, {...this.opts(), ...opts})
    this.note({verb: 'delete', resource: ref, namespace, name})
  }

  /** transaction runs fn in one store transaction: its writes commit (and reach watchers) together. */
  transaction<T>(fn: () => T): T {
    return this.d.store.transaction(fn)
  }
  /**
   * bind assigns a pod to a node through pods/binding (registry/pod-subresources.ts: spec.nodeName and
   * PodScheduled=True in one transaction); uid guards against a pod recreated under the same name. now is the
   * cluster time for the condition. Returns the bound pod.
   */
  bind(namespace: string, name: string, nodeName: string, opts: {now: number; uid?: string}): KubeObject {
    const binding: KubeObject = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: {name, namespace, ...(opts.uid ? {uid: opts.uid} : {})},
      target: {apiVersion: 'v1', kind: 'Node', name: nodeName},
    } as KubeObject
    const deps = {registry: this.d.registry, resources: this.d.resources, now: () => opts.now, store: this.d.store}
    const out = this.transaction(() => bindPod(deps, namespace, name, binding, this.opts()))
    this.note({verb: 'create', resource: 'pods', subresource: 'binding', namespace, name, object: binding})
    return out
  }

  /**
   * evict evicts a pod through pods/eviction (PodDisruptionBudget check and decrement, then the delete); a
   * budget that allows no disruption throws 429 TooManyRequests.
   */
  evict(namespace: string, name: string, opts: {now: number; deleteOptions?: DeleteOptions}): void {
    const eviction = {apiVersion: 'policy/v1', kind: 'Eviction', metadata: {name, namespace}} as KubeObject
    const deps = {registry: this.d.registry, resources: this.d.resources, now: () => opts.now}
    this.transaction(() => evictPod(deps, namespace, name, eviction, opts.deleteOptions ?? {}, this.opts()))
    this.note({verb: 'create', resource: 'pods', subresource: 'eviction', namespace, name, object: eviction})
  }
}
