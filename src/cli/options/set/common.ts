// common.ts holds what every `mkctl set` subcommand shares (kubectl/pkg/cmd/set/helper.go, set_image.go's
// Complete/Run skeleton, polymorphichelpers/updatepodspec.go): resolving the objects (from the server, always the
// latest version, or from files with --local), the pod spec of each workload kind, the two-way strategic merge patch
// of before/after, the PATCH with fieldManager=kubectl-set, and the `<kind>/<name> <operation>` lines.
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {extname, join} from 'node:path'
import type {Readable} from 'node:stream'
import type {KubeObject} from '../../../api/object.js'
import {builtinPatchSchema, createTwoWayMergePatch} from '../../../api/patch/index.js'
import type {ResourceInfo} from '../../../api/resources.js'
import type {Factory} from '../../client/factory.js'
import type {RestClient} from '../../client/rest.js'
import type {IOStreams} from '../../io.js'
import {toJson, toPrinter, parseYamlDocuments, type ResourcePrinter} from '../../printers/index.js'
import {
  FILE_EXTENSIONS,
  finalError,
  GoAggregate,
  newBuilder,
  resourcePath,
  splitDocuments,
} from '../../resource/builder.js'
import {dryRunStrategy, dryRunSuffix, type DryRun} from '../../resource/openapi.js'

/** LOCAL_RESOURCE_ERROR is cli-runtime's LocalResourceError, for resource arguments given with --local. */
export const LOCAL_RESOURCE_ERROR = `error: you must specify resources by --filename when --local is set.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'`

/** SetInfo is one object a set command changes: the object, and its mapping when it came from the server. */
export interface SetInfo {
  object: KubeObject
  mapping?: ResourceInfo
  namespace: string
  name: string
}

/** PendingPatch is one object's computed patch, or the error that stopped computing it. */
export interface PendingPatch {
  info: SetInfo
  patch?: Record<string, unknown>
  err?: Error
}

/** PodSpec is the part of a pod spec the set commands touch. */
export type PodSpec = Record<string, any> & {containers?: Container[]; initContainers?: Container[]}
/** Container is a container of a pod spec. */
export type Container = Record<string, any> & {name?: string}

/** SetFlags are the flags every set subcommand shares. */
export interface SetFlags {
  filename?: string[]
  recursive?: boolean
  kustomize?: string
  selector?: string
  all?: boolean
  local?: boolean
  output?: string
  'dry-run'?: string
  'field-manager'?: string
  'show-managed-fields'?: boolean
  template?: string
}

/**
 * objectName is Info.ObjectName(): `deployments/web` with a mapping; without one (--local) the lower-case kind,
 * and for a grouped kind `kind.group/name` followed by the newline cli-runtime leaves there.
 */
export function objectName(info: SetInfo): string {
  if (info.mapping) return `${info.mapping.plural}/${info.name}`
  const apiVersion = info.object.apiVersion ?? ''
  const kind = (info.object.kind ?? '').toLowerCase()
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : ''
  return group ? `${kind}.${group}/${info.name}\n` : `${kind}/${info.name}`
}

/** goTypeName is `%T` of the typed object kubectl decodes a kind into (`*v1.Service`). */
export function goTypeName(obj: KubeObject): string {
  const apiVersion = obj.apiVersion ?? ''
  const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion
  return `*${version}.${obj.kind ?? ''}`
}

/**
 * podSpecOf returns the pod spec of a workload, creating the path to it as the typed structs would hold it
 * (polymorphichelpers.updatePodSpecForObject), or throws for kinds without a pod template.
 */
export function podSpecOf(obj: KubeObject): PodSpec {
  const o = obj as Record<string, any>
  const at = (parent: Record<string, any>, key: string): Record<string, any> => {
    if (!parent[key] || typeof parent[key] !== 'object') parent[key] = {}
    return parent[key] as Record<string, any>
  }
  const group = (obj.apiVersion ?? '').split('/').slice(0, -1).join('/')
  const k = `${group}/${obj.kind ?? ''}`
  switch (k) {
    case '/Pod':
      return at(o, 'spec')
    case '/ReplicationController':
    case 'apps/Deployment':
    case 'extensions/Deployment':
    case 'apps/DaemonSet':
    case 'extensions/DaemonSet':
    case 'apps/ReplicaSet':
    case 'extensions/ReplicaSet':
    case 'apps/StatefulSet':
    case 'batch/Job':
      return at(at(at(o, 'spec'), 'template'), 'spec')
    case 'batch/CronJob':
      return at(at(at(at(at(o, 'spec'), 'jobTemplate'), 'spec'), 'template'), 'spec')
  }
  throw new Error(`the object is not a pod or does not have a pod template: ${goTypeName(obj)}`)
}

/** selectString matches a container name against a `*` wildcard pattern (helper.go selectString). */
export function selectString(s: string, spec: string): boolean {
  if (spec === '*') return true
  if (!spec.includes('*')) return s === spec
  // Anchored glob: `*` matches any run of characters. kubectl's loop has quirks for odd patterns; the usual
  // prefix*, *suffix and a*b forms behave the same.
  const re = new RegExp('^' + spec.split('*').map(escapeRegExp).join('.*') + '$')
  return re.test(s)
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** selectContainers returns the containers whose names match spec (helper.go selectContainers). */
export function selectContainers(containers: Container[] | undefined, spec: string): Container[] {
  return (containers ?? []).filter((c) => selectString(c.name ?? '', spec))
}

const ZERO_STATUS: Record<string, Record<string, unknown>> = {
  'apps/DaemonSet': {currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0},
  'apps/StatefulSet': {replicas: 0, availableReplicas: 0},
  'apps/ReplicaSet': {replicas: 0},
  '/ReplicationController': {replicas: 0},
  '/Service': {loadBalancer: {}},
}

/**
 * goShape gives an object the shape a round trip through kubectl's typed Go structs gives it: zero structs appear
 * as `{}` (`resources`, `status`, `strategy`), zero Times as `creationTimestamp: null`, non-omitempty scalars as
 * their zero values. It covers the kinds the set commands change; unknown fields are not dropped.
 */
export function goShape(obj: KubeObject): KubeObject {
  const o = structuredClone(obj) as Record<string, any>
  const meta = (m: unknown): Record<string, any> => {
    const x = m && typeof m === 'object' ? (m as Record<string, any>) : {}
    if (!('creationTimestamp' in x)) x.creationTimestamp = null
    return x
  }
  const podSpec = (s: Record<string, any>) => {
    for (const key of ['containers', 'initContainers']) {
      for (const c of (s[key] ?? []) as Container[]) {
        if (c && typeof c === 'object' && !('resources' in c)) c.resources = {}
      }
    }
  }
  const template = (t: unknown): Record<string, any> => {
    const x = t && typeof t === 'object' ? (t as Record<string, any>) : {}
    x.metadata = meta(x.metadata)
    x.spec ??= {}
    podSpec(x.spec as Record<string, any>)
    return x
  }
  o.metadata = meta(o.metadata)
  const group = (obj.apiVersion ?? '').split('/').slice(0, -1).join('/')
  const k = `${group}/${obj.kind ?? ''}`
  const spec = (o.spec ??= {}) as Record<string, any>
  switch (k) {
    case '/Pod':
      podSpec(spec)
      break
    case 'apps/Deployment':
      spec.template = template(spec.template)
      spec.strategy ??= {}
      break
    case 'apps/DaemonSet':
      spec.template = template(spec.template)
      spec.updateStrategy ??= {}
      break
    case 'apps/StatefulSet':
      spec.template = template(spec.template)
      spec.serviceName ??= ''
      spec.updateStrategy ??= {}
      break
    case 'apps/ReplicaSet':
    case 'batch/Job':
    case '/ReplicationController':
      spec.template = template(spec.template)
      break
    case 'batch/CronJob': {
      const jt = (spec.jobTemplate ??= {}) as Record<string, any>
      jt.metadata = meta(jt.metadata)
      jt.spec ??= {}
      jt.spec.template = template(jt.spec.template)
      break
    }
    case '/Service':
      for (const p of (spec.ports ?? []) as Record<string, unknown>[]) if (!('targetPort' in p)) p.targetPort = 0
      break
    case 'rbac.authorization.k8s.io/RoleBinding':
    case 'rbac.authorization.k8s.io/ClusterRoleBinding': {
      delete o.spec
      const ref = (o.roleRef ??= {}) as Record<string, unknown>
      for (const f of ['apiGroup', 'kind', 'name']) ref[f] ??= ''
      break
    }
    default:
      if (Object.keys(spec).length === 0 && !('spec' in obj)) delete o.spec
  }
  const hasStatus =
    ['/Pod', '/Service', '/ReplicationController', 'batch/Job', 'batch/CronJob'].includes(k) || k.startsWith('apps/')
  if (hasStatus) o.status = {...(ZERO_STATUS[k] ?? {}), ...(o.status ?? {})}
  return o as KubeObject
}

/** SetOptionsBase resolves objects and sends patches for every set subcommand. */
export class SetOptionsBase {
  filenames: string[] = []
  recursive = false
  kustomize?: string
  selector?: string
  all = false
  local = false
  output = ''
  template?: string
  showManagedFields = false
  dryRunFlag?: string
  fieldManager = 'kubectl-set'
  /** operation is the name printer's verb ("image updated"). */
  operation = 'updated'

  dryRun: DryRun = 'none'
  protected rest?: () => Promise<RestClient>
  protected factory?: Factory
  protected printer?: ResourcePrinter
  namespace = 'default'
  enforceNamespace = false

  constructor(readonly io: IOStreams) {}

  /** setFlags copies the shared flags. */
  setFlags(flags: SetFlags): void {
    this.filenames = flags.filename ?? []
    this.recursive = Boolean(flags.recursive)
    this.kustomize = flags.kustomize
    this.selector = flags.selector
    this.all = Boolean(flags.all)
    this.local = Boolean(flags.local)
    this.output = flags.output ?? ''
    this.template = flags.template
    this.showManagedFields = Boolean(flags['show-managed-fields'])
    this.dryRunFlag = flags['dry-run']
    if (flags['field-manager']) this.fieldManager = flags['field-manager']
  }

  /** completeBase parses --dry-run, builds the printer and resolves the namespace (tolerating no config with --local). */
  async completeBase(f: Factory): Promise<void> {
    this.dryRun = dryRunStrategy(this.dryRunFlag)
    this.printer = toPrinter(
      {
        output: this.output,
        template: this.template,
        showManagedFields: this.showManagedFields,
        operation: this.operation + dryRunSuffix(this.dryRun),
      },
      this.io.out,
    )
    this.factory = f
    this.rest = () => f.restClient()
    try {
      const ns = await f.namespace()
      this.namespace = ns.namespace
      this.enforceNamespace = ns.explicit
    } catch (e) {
      if (!this.local) throw e
    }
  }

  /** localCheck is the `--local` + `--dry-run=server` rule every set command has. */
  localCheck(): void {
    if (this.local && this.dryRun === 'server') {
      throw new Error('cannot specify --local and --dry-run=server - did you mean --dry-run=client?')
    }
  }

  /**
   * loadInfos resolves the objects (Builder...Latest().Do().Infos()): with --local only files, read as they are;
   * otherwise files, arguments and selectors, each object then fetched from the server.
   */
  async loadInfos(resources: string[], opts: {selector?: boolean} = {}): Promise<SetInfo[]> {
    if (this.kustomize) throw new Error('mkctl does not support -k (kustomize)')
    if (this.local) {
      if (resources.length > 0) throw new Error(LOCAL_RESOURCE_ERROR)
      return readLocalFiles(this.filenames, this.recursive, this.io.in)
    }
    const f = this.factory!
    const builder = await newBuilder(f, this.io.in, {
      filenames: this.filenames,
      recursive: this.recursive,
      labelSelector: opts.selector === false ? undefined : this.selector,
      // ResourceTypeOrNameArgs(all, ...) turns --all into an empty selector only when -l is absent
      selectAll: this.all && !(opts.selector !== false && this.selector),
      args: resources,
    })
    const {infos, error} = await builder.infos()
    const errs: Error[] = error ? (error instanceof GoAggregate ? error.errors : [error]) : []
    const out: SetInfo[] = []
    const rest = await this.rest!()
    for (const info of infos) {
      if (!info.name) {
        out.push({object: info.object, mapping: info.mapping, namespace: info.namespace, name: info.name})
        continue
      }
      try {
        const live = await rest.get<KubeObject>(resourcePath(info.mapping, info.namespace, info.name))
        out.push({object: live, mapping: info.mapping, namespace: info.namespace, name: info.name})
      } catch (e) {
        errs.push(e as Error)
      }
    }
    const err = finalError(errs)
    if (err) throw err
    return out
  }

  /**
   * patchAll is CalculatePatches plus the loop of every set command's Run: mutate returns false when it changed
   * nothing (no patch), or throws for this object; empty patches are skipped unless sendEmpty; objects are printed
   * locally (--local, --dry-run=client) or PATCHed. Errors are collected in errs, worded with failWord.
   */
  async patchAll(
    infos: SetInfo[],
    mutate: (obj: KubeObject, info: SetInfo) => boolean | void,
    failWord: string,
    errs: Error[],
    opts: {skipEmpty?: boolean; collectOnly?: PendingPatch[]} = {},
  ): Promise<void> {
    const patches: PendingPatch[] = opts.collectOnly ?? []
    for (const info of infos) {
      const before = goShape(info.object)
      const after = goShape(info.object)
      try {
        if (mutate(after, info) === false) continue
      } catch (e) {
        patches.push({info, err: e as Error})
        continue
      }
      info.object = after
      const [group, version] = splitApiVersion(after.apiVersion ?? '')
      const schema = builtinPatchSchema(group, version, after.kind ?? '')
      patches.push({info, patch: createTwoWayMergePatch(before, after, schema)})
    }
    if (!opts.collectOnly) await this.sendPatches(patches, failWord, errs, opts)
  }

  /** sendPatches sends (or prints locally) patches computed by patchAll. */
  async sendPatches(
    patches: PendingPatch[],
    failWord: string,
    errs: Error[],
    opts: {skipEmpty?: boolean} = {},
  ): Promise<void> {
    for (const p of patches) {
      if (p.err) {
        errs.push(new Error(`error: ${objectName(p.info)} ${p.err.message}\n`))
        continue
      }
      const body = toJson(p.patch ?? {}, '')
      if ((opts.skipEmpty ?? true) && body === '{}') continue
      if (this.local || this.dryRun === 'client') {
        this.printer!.print(p.info.object)
        continue
      }
      const rest = await this.rest!()
      try {
        const actual = await rest.patch<KubeObject>(
          resourcePath(p.info.mapping!, p.info.namespace, p.info.name),
          body,
          'application/strategic-merge-patch+json',
          {query: {dryRun: this.dryRun === 'server' ? 'All' : undefined, fieldManager: this.fieldManager}},
        )
        this.printer!.print(actual)
      } catch (e) {
        errs.push(failWord ? new Error(`${failWord}${(e as Error).message}`) : (e as Error))
      }
    }
  }
}

/** splitApiVersion splits `apps/v1` into group and version (`v1` into '' and `v1`). */
export function splitApiVersion(apiVersion: string): [string, string] {
  const i = apiVersion.lastIndexOf('/')
  return i < 0 ? ['', apiVersion] : [apiVersion.slice(0, i), apiVersion.slice(i + 1)]
}

/** throwAll ends a set command: nothing, one error, or all of them (utilerrors.NewAggregate). */
export function throwAll(errs: Error[]): void {
  const err = finalError(errs)
  if (err) throw err
}

// readLocalFiles reads the objects of -f files without a server (Builder.Local()): lists are flattened, no
// namespace is defaulted, nothing is fetched.
async function readLocalFiles(filenames: string[], recursive: boolean, stdin: Readable): Promise<SetInfo[]> {
  const sources: {source: string; text: () => Promise<string>}[] = []
  const missing: Error[] = []
  for (const f of filenames) {
    if (f === '-') {
      sources.push({source: 'STDIN', text: () => readStream(stdin)})
      continue
    }
    let st
    try {
      st = statSync(f)
    } catch {
      missing.push(new Error(`the path "${f}" does not exist`))
      continue
    }
    if (!st.isDirectory()) {
      sources.push({source: f, text: async () => readFileSync(f, 'utf8')})
      continue
    }
    const walk = (d: string) => {
      for (const name of readdirSync(d).sort()) {
        const p = join(d, name)
        if (statSync(p).isDirectory()) {
          if (recursive) walk(p)
        } else if (FILE_EXTENSIONS.includes(extname(p)))
          sources.push({source: p, text: async () => readFileSync(p, 'utf8')})
      }
    }
    walk(f)
  }
  if (missing.length > 0) throw finalError([new GoAggregate(missing)])
  const out: SetInfo[] = []
  const add = (doc: unknown) => {
    if (!doc || typeof doc !== 'object') return
    const o = doc as KubeObject & {items?: unknown[]}
    if ((o.kind ?? '').endsWith('List') && Array.isArray(o.items)) {
      for (const item of o.items) add(item)
      return
    }
    out.push({object: o, namespace: o.metadata?.namespace ?? '', name: o.metadata?.name ?? ''})
  }
  for (const s of sources) {
    const text = await s.text()
    for (const chunk of splitDocuments(text)) {
      let docs: unknown[]
      try {
        docs = chunk.json ? [JSON.parse(chunk.text)] : parseYamlDocuments(chunk.text)
      } catch (e) {
        throw new Error(`error parsing ${s.source}: ${(e as Error).message}`, {cause: e})
      }
      for (const d of docs) add(d)
    }
  }
  return out
}

async function readStream(stream: Readable): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)))
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * splitPairs separates resource arguments from `KEY=VALUE` / `KEY-` arguments (cmdutil.GetResourcesAndPairs): the
 * pairs must come last.
 */
export function splitPairs(args: string[], pairType: string): {resources: string[]; pairs: string[]} {
  const resources: string[] = []
  const pairs: string[] = []
  for (const s of args) {
    const isPair = (s.includes('=') && s[0] !== '=') || (s.endsWith('-') && s !== '-')
    if (isPair) pairs.push(s)
    else if (pairs.length > 0) throw new Error(`all resources must be specified before ${pairType} changes: ${s}`)
    else resources.push(s)
  }
  return {resources, pairs}
}

/** parsePairs reads `KEY=VALUE` pairs (and `KEY-` when supportRemove), as cmdutil.ParsePairs does. */
export function parsePairs(
  pairs: string[],
  pairType: string,
  supportRemove: boolean,
): {set: Map<string, string>; remove: string[]} {
  const set = new Map<string, string>()
  const remove: string[] = []
  const invalid: string[] = []
  for (const p of pairs) {
    if (p.includes('=') && p[0] !== '=') {
      const i = p.indexOf('=')
      set.set(p.slice(0, i), p.slice(i + 1))
    } else if (supportRemove && p.endsWith('-') && p !== '-') remove.push(p.slice(0, -1))
    else invalid.push(p)
  }
  if (invalid.length > 0) throw new Error(`invalid ${pairType} format: ${invalid.join(', ')}`)
  return {set, remove}
}
