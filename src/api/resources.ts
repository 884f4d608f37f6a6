// resources.ts is the one table of the kinds mkctl serves. Discovery, routing, storage keys, the CLI's
// resource-name resolution and the OpenAPI build all read it, so adding a built-in kind means one entry here
// (plus its registry strategy in the daemon). Names, short names, verbs and subresources are those of a real
// 1.32 apiserver; order inside a group-version is alphabetical, groups follow the apiserver's priority order.

/** Subresource describes one `<resource>/<sub>` endpoint and the kind it answers with. */
export interface Subresource {
  name: string
  kind: string
  /** group/version of the response kind when it differs from the parent's (deployments/scale → autoscaling/v1). */
  group?: string
  version?: string
  verbs: string[]
}

/** ResourceInfo describes one served resource of one group-version. */
export interface ResourceInfo {
  group: string
  version: string
  kind: string
  listKind: string
  plural: string
  singular: string
  shortNames: string[]
  namespaced: boolean
  verbs: string[]
  categories: string[]
  subresources: Subresource[]
  /** storage group/plural when this is another version or group's view of the same objects (events.k8s.io). */
  storageOf?: {group: string; plural: string}
  /** true for custom resources registered at run time from a CRD. */
  custom?: boolean
}

export const CRUD = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']
const CREATE_ONLY = ['create']
const STATUS_VERBS = ['get', 'patch', 'update']

/** GROUP_ORDER is the order of API groups in /apis, as a real apiserver lists them. */
export const GROUP_ORDER = [
  '',
  'apiregistration.k8s.io',
  'apps',
  'events.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'networking.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'node.k8s.io',
  'discovery.k8s.io',
]

interface Def {
  kind: string
  plural?: string
  short?: string[]
  ns?: boolean
  verbs?: string[]
  cats?: string[]
  subs?: (Subresource | 'status' | 'scale')[]
  storageOf?: {group: string; plural: string}
}

function status(kind: string): Subresource {
  return {name: 'status', kind, verbs: STATUS_VERBS}
}

function scale(): Subresource {
  return {name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: STATUS_VERBS}
}

function lowerPlural(kind: string): string {
  const l = kind.toLowerCase()
  if (l.endsWith('s')) return l + 'es'
  if (l.endsWith('y')) return l.slice(0, -1) + 'ies'
  return l + 's'
}

function expand(group: string, version: string, defs: Def[]): ResourceInfo[] {
  return defs
    .map((d) => {
      const plural = d.plural ?? lowerPlural(d.kind)
      return {
        group,
        version,
        kind: d.kind,
        listKind: d.kind + 'List',
        plural,
        singular: d.kind.toLowerCase(),
        shortNames: d.short ?? [],
        namespaced: d.ns ?? true,
        verbs: d.verbs ?? CRUD,
        categories: d.cats ?? [],
        subresources: (d.subs ?? []).map((s) => (s === 'status' ? status(d.kind) : s === 'scale' ? scale() : s)),
        ...(d.storageOf ? {storageOf: d.storageOf} : {}),
      }
    })
    .sort((a, b) => byCodePoint(a.plural, b.plural))
}

// byCodePoint orders plain ASCII names as ICU's collation does, without building a collator: the first
// String#localeCompare call costs ~10 ms, paid by every CLI start since the table is built at load.
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

const ALL = ['all']

/** RESOURCES lists every built-in resource, grouped by group-version in discovery order. */
export const RESOURCES: ResourceInfo[] = [
  ...expand('', 'v1', [
    {kind: 'Binding', verbs: CREATE_ONLY},
    {kind: 'ConfigMap', short: ['cm']},
    {kind: 'Endpoints', plural: 'endpoints', short: ['ep']},
    {kind: 'Event', short: ['ev']},
    {kind: 'LimitRange', short: ['limits']},
    {kind: 'Namespace', short: ['ns'], ns: false, verbs: CRUD.filter((v) => v !== 'deletecollection'),
      subs: [{name: 'finalize', kind: 'Namespace', verbs: ['update']}, 'status']},
    {kind: 'Node', short: ['no'], ns: false, subs: [{name: 'proxy', kind: 'NodeProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update']}, 'status']},
    {kind: 'PersistentVolumeClaim', short: ['pvc'], subs: ['status']},
    {kind: 'PersistentVolume', short: ['pv'], ns: false, subs: ['status']},
    {
      kind: 'Pod',
      short: ['po'],
      cats: ALL,
      subs: [
        {name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get']},
        {name: 'binding', kind: 'Binding', verbs: CREATE_ONLY},
        {name: 'ephemeralcontainers', kind: 'Pod', verbs: STATUS_VERBS},
        {name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: CREATE_ONLY},
        {name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get']},
        {name: 'log', kind: 'Pod', verbs: ['get']},
        {name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get']},
        {name: 'proxy', kind: 'PodProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update']},
        'status',
      ],
    },
    {kind: 'PodTemplate'},
    {kind: 'ReplicationController', short: ['rc'], cats: ALL, subs: ['scale', 'status']},
    {kind: 'ResourceQuota', short: ['quota'], subs: ['status']},
    {kind: 'Secret'},
    {kind: 'ServiceAccount', short: ['sa'], subs: [{name: 'token', kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: CREATE_ONLY}]},
    {kind: 'Service', short: ['svc'], cats: ALL, verbs: CRUD, subs: [{name: 'proxy', kind: 'ServiceProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update']}, 'status']},
  ]),
  ...expand('apps', 'v1', [
    {kind: 'ControllerRevision'},
    {kind: 'DaemonSet', short: ['ds'], cats: ALL, subs: ['status']},
    {kind: 'Deployment', short: ['deploy'], cats: ALL, subs: ['scale', 'status']},
    {kind: 'ReplicaSet', short: ['rs'], cats: ALL, subs: ['scale', 'status']},
    {kind: 'StatefulSet', short: ['sts'], cats: ALL, subs: ['scale', 'status']},
  ]),
  ...expand('events.k8s.io', 'v1', [{kind: 'Event', short: ['ev'], storageOf: {group: '', plural: 'events'}}]),
  ...expand('authentication.k8s.io', 'v1', [
    {kind: 'SelfSubjectReview', ns: false, verbs: CREATE_ONLY},
    {kind: 'TokenReview', ns: false, verbs: CREATE_ONLY},
  ]),
  ...expand('authorization.k8s.io', 'v1', [
    {kind: 'LocalSubjectAccessReview', verbs: CREATE_ONLY},
    {kind: 'SelfSubjectAccessReview', ns: false, verbs: CREATE_ONLY},
    {kind: 'SelfSubjectRulesReview', ns: false, verbs: CREATE_ONLY},
    {kind: 'SubjectAccessReview', ns: false, verbs: CREATE_ONLY},
  ]),
  ...expand('autoscaling', 'v2', [{kind: 'HorizontalPodAutoscaler', short: ['hpa'], cats: ALL, subs: ['status']}]),
  ...expand('autoscaling', 'v1', [
    {kind: 'HorizontalPodAutoscaler', short: ['hpa'], cats: ALL, subs: ['status'], storageOf: {group: 'autoscaling', plural: 'horizontalpodautoscalers'}},
  ]),
  ...expand('batch', 'v1', [
    {kind: 'CronJob', short: ['cj'], cats: ALL, subs: ['status']},
    {kind: 'Job', cats: ALL, subs: ['status']},
  ]),
  ...expand('certificates.k8s.io', 'v1', [
    {kind: 'CertificateSigningRequest', short: ['csr'], ns: false,
      subs: [{name: 'approval', kind: 'CertificateSigningRequest', verbs: STATUS_VERBS}, 'status']},
  ]),
  ...expand('networking.k8s.io', 'v1', [
    {kind: 'IngressClass', ns: false},
    {kind: 'Ingress', plural: 'ingresses', short: ['ing'], subs: ['status']},
    {kind: 'NetworkPolicy', plural: 'networkpolicies', short: ['netpol']},
  ]),
  ...expand('policy', 'v1', [{kind: 'PodDisruptionBudget', short: ['pdb'], subs: ['status']}]),
  ...expand('rbac.authorization.k8s.io', 'v1', [
    {kind: 'ClusterRoleBinding', ns: false},
    {kind: 'ClusterRole', ns: false},
    {kind: 'RoleBinding'},
    {kind: 'Role'},
  ]),
  ...expand('storage.k8s.io', 'v1', [{kind: 'StorageClass', short: ['sc'], ns: false}]),
  ...expand('apiextensions.k8s.io', 'v1', [
    {kind: 'CustomResourceDefinition', short: ['crd', 'crds'], ns: false, subs: ['status']},
  ]),
  ...expand('scheduling.k8s.io', 'v1', [{kind: 'PriorityClass', plural: 'priorityclasses', short: ['pc'], ns: false}]),
  ...expand('coordination.k8s.io', 'v1', [{kind: 'Lease'}]),
  ...expand('discovery.k8s.io', 'v1', [{kind: 'EndpointSlice'}]),
]

/** groupVersion renders "apps/v1", or "v1" for the core group. */
export function groupVersion(group: string, version: string): string {
  return group ? `${group}/${version}` : version
}

/** parseApiVersion splits "apps/v1" into {group, version}. */
export function parseApiVersion(apiVersion: string): {group: string; version: string} {
  const i = apiVersion.indexOf('/')
  return i < 0 ? {group: '', version: apiVersion} : {group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1)}
}

/** groupResource renders "deployments.apps", or "pods" for the core group, as apiserver messages do. */
export function groupResource(r: {group: string; plural: string}): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural
}

/** storageGroupPlural is the group and plural that objects of r are stored under. */
export function storageGroupPlural(r: ResourceInfo): {group: string; plural: string} {
  return r.storageOf ?? {group: r.group, plural: r.plural}
}

/** storageKey builds "/registry/<group>/<plural>/<ns>/<name>" ("core" for the empty group). */
export function storageKey(r: ResourceInfo, namespace: string | undefined, name: string): string {
  return storagePrefix(r, namespace) + name
}

/** storagePrefix is the key prefix of every object of r (in one namespace when given). */
export function storagePrefix(r: ResourceInfo, namespace?: string): string {
  const s = storageGroupPlural(r)
  const base = `/registry/${s.group || 'core'}/${s.plural}/`
  return r.namespaced && namespace ? `${base}${namespace}/` : base
}

/** ResourceTable is an index over a list of ResourceInfo (built-ins plus CRDs) for fast lookups. */
export class ResourceTable {
  private byGVR = new Map<string, ResourceInfo>()
  private byGVK = new Map<string, ResourceInfo>()
  constructor(readonly all: ResourceInfo[]) {
    for (const r of all) {
      this.byGVR.set(`${r.group}/${r.version}/${r.plural}`, r)
      const k = `${r.group}/${r.version}/${r.kind}`
      if (!this.byGVK.has(k)) this.byGVK.set(k, r)
    }
  }
  /** lookup finds a resource by group, version and plural. */
  lookup(group: string, version: string, plural: string): ResourceInfo | undefined {
    return this.byGVR.get(`${group}/${version}/${plural}`)
  }
  /** forKind finds the resource serving a kind in a group-version. */
  forKind(group: string, version: string, kind: string): ResourceInfo | undefined {
    return this.byGVK.get(`${group}/${version}/${kind}`)
  }
  /** groupVersions lists served group-versions in discovery order (a group's preferred version first). */
  groupVersions(): {group: string; versions: string[]}[] {
    const out = new Map<string, string[]>()
    for (const r of this.all) {
      const vs = out.get(r.group) ?? []
      if (!vs.includes(r.version)) vs.push(r.version)
      out.set(r.group, vs)
    }
    const rank = (g: string) => {
      const i = GROUP_ORDER.indexOf(g)
      return i < 0 ? GROUP_ORDER.length : i
    }
    return [...out.entries()]
      .sort((a, b) => rank(a[0]) - rank(b[0]) || byCodePoint(a[0], b[0]))
      .map(([group, versions]) => ({group, versions}))
  }
  /** inGroupVersion lists the resources of one group-version. */
  inGroupVersion(group: string, version: string): ResourceInfo[] {
    return this.all.filter((r) => r.group === group && r.version === version)
  }
}

/** BUILTIN is the table of built-in resources. */
export const BUILTIN = new ResourceTable(RESOURCES)
