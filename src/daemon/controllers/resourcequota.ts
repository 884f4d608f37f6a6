// resourcequota.ts: the ResourceQuota controller (follows kubernetes pkg/controller/resourcequota and the usage
// evaluators of pkg/quota/v1/evaluator/core). It keeps status.hard equal to spec.hard and status.used equal to the
// namespace's usage of every tracked resource. The evaluators here are shared with the ResourceQuota admission
// plugin (src/daemon/admission/resourcequota.ts), which charges a write against status.used before it is stored.
import {isDeepStrictEqual} from 'node:util'
import type {KubeObject} from '../../api/object.js'
import {Quantity} from '../../api/quantity.js'
import type {Informer} from './framework/informer.js'
import type {Controller, ControllerContext, ControllerFactory} from './framework/types.js'

/** ResourceList maps resource names to quantities. */
export type ResourceList = Map<string, Quantity>

const ONE = () => Quantity.fromValue(1)

function q(v: unknown): Quantity | undefined {
  try {
    return v === undefined || v === null ? undefined : Quantity.fromJSON(v)
  } catch {
    return undefined
  }
}

/** addTo adds b into a (quota.Add). */
export function addTo(a: ResourceList, b: ResourceList): ResourceList {
  for (const [k, v] of b) a.set(k, a.has(k) ? a.get(k)!.add(v) : v)
  return a
}

// --- which resource a quota name is about -------------------------------------------------------------------------

const POD_NAMES = new Set([
  'count/pods',
  'pods',
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
])
const SERVICE_NAMES = new Set(['count/services', 'services', 'services.nodeports', 'services.loadbalancers'])
const PVC_NAMES = new Set(['count/persistentvolumeclaims', 'persistentvolumeclaims', 'requests.storage'])
const STORAGE_CLASS_SUFFIX = '.storageclass.storage.k8s.io/'
/** LEGACY_COUNTS are the object counts that also have a bare name (generic.ObjectCountQuotaResourceNameFor + legacy). */
const LEGACY_COUNTS = new Set(['configmaps', 'secrets', 'replicationcontrollers', 'resourcequotas'])
const NATIVE_PREFIXES = ['kubernetes.io/', 'requests.kubernetes.io/']

/**
 * resourceOfQuotaName maps a quota resource name to the resource it counts ("pods", "apps/deployments"), or
 * undefined for a name no evaluator knows.
 */
export function resourceOfQuotaName(name: string): string | undefined {
  if (POD_NAMES.has(name) || name.startsWith('hugepages-') || name.startsWith('requests.hugepages-')) return 'pods'
  if (SERVICE_NAMES.has(name)) return 'services'
  if (PVC_NAMES.has(name) || name.includes(STORAGE_CLASS_SUFFIX)) return 'persistentvolumeclaims'
  if (LEGACY_COUNTS.has(name)) return name
  if (name.startsWith('count/')) {
    const rest = name.slice(6)
    const dot = rest.indexOf('.')
    return dot < 0 ? rest : `${rest.slice(dot + 1)}/${rest.slice(0, dot)}`
  }
  // Extended resources are only quota'd as requests.<name> (isExtendedResourceNameForQuota).
  if (name.startsWith('requests.') && name.includes('/') && !NATIVE_PREFIXES.some((p) => name.slice(9).startsWith(p)))
    return 'pods'
  return undefined
}

/** countName is generic.ObjectCountQuotaResourceNameFor: count/<plural>[.<group>]. */
export function countName(plural: string, group: string): string {
  return group ? `count/${plural}.${group}` : `count/${plural}`
}

// --- usage of one object ------------------------------------------------------------------------------------------

/** isPodTerminal: a pod in phase Succeeded or Failed stops counting against compute quota. */
export function isPodTerminal(pod: KubeObject): boolean {
  const phase = (pod.status as any)?.phase
  return phase === 'Succeeded' || phase === 'Failed'
}

/** podQuotaCounted is QuotaV1Pod: not terminal, and not past its deletion grace period. */
export function podQuotaCounted(pod: KubeObject, now: number): boolean {
  if (isPodTerminal(pod)) return false
  const del = pod.metadata?.deletionTimestamp
  if (del) {
    const grace = Number(pod.metadata?.deletionGracePeriodSeconds ?? 0)
    if (Date.parse(String(del)) + grace * 1000 < now) return false
  }
  return true
}

function listOf(obj: Record<string, unknown> | undefined): ResourceList {
  const out: ResourceList = new Map()
  for (const [k, v] of Object.entries(obj ?? {})) {
    const x = q(v)
    if (x) out.set(k, x)
  }
  return out
}

/**
 * podRequestsAndLimits follows resourcehelper.PodRequests/PodLimits: the containers' sum, raised to the largest
 * init container (sidecars, restartPolicy Always, add to both), plus the pod overhead.
 */
export function podRequestsAndLimits(spec: any): {requests: ResourceList; limits: ResourceList} {
  const one = (field: 'requests' | 'limits') => {
    const sum: ResourceList = new Map()
    for (const c of spec?.containers ?? []) addTo(sum, listOf(c.resources?.[field]))
    const sidecars: ResourceList = new Map()
    for (const c of spec?.initContainers ?? []) {
      const r = listOf(c.resources?.[field])
      if (c.restartPolicy === 'Always') {
        addTo(sum, r)
        addTo(sidecars, r)
        continue
      }
      // A regular init container runs alone, next to the sidecars started before it.
      const peak = addTo(new Map(sidecars), r)
      for (const [k, v] of peak) if (!sum.has(k) || sum.get(k)!.cmp(v) < 0) sum.set(k, v)
    }
    if (spec?.overhead) addTo(sum, listOf(spec.overhead))
    return sum
  }
  return {requests: one('requests'), limits: one('limits')}
}

/** podComputeUsage is podComputeUsageHelper: the compute names a set of requests and limits is charged under. */
export function podComputeUsage(requests: ResourceList, limits: ResourceList): ResourceList {
  const out: ResourceList = new Map([['pods', ONE()]])
  for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
    const req = requests.get(r)
    if (req) {
      out.set(r, req)
      out.set(`requests.${r}`, req)
    }
    const lim = limits.get(r)
    if (lim) out.set(`limits.${r}`, lim)
  }
  for (const [k, v] of requests) {
    if (k.startsWith('hugepages-')) {
      out.set(k, v)
      out.set(`requests.${k}`, v)
    } else if (k.includes('/') && !NATIVE_PREFIXES.some((p) => k.startsWith(p))) {
      out.set(`requests.${k}`, v)
    }
  }
  return out
}

/** podUsage is PodUsageFunc: count/pods always, compute resources while the pod is alive. */
export function podUsage(pod: KubeObject, now: number): ResourceList {
  const out: ResourceList = new Map([['count/pods', ONE()]])
  if (!podQuotaCounted(pod, now)) return out
  const {requests, limits} = podRequestsAndLimits(pod.spec)
  return addTo(out, podComputeUsage(requests, limits))
}

/** serviceUsage follows the service evaluator: object counts, node ports and load balancers. */
export function serviceUsage(svc: KubeObject): ResourceList {
  const out: ResourceList = new Map([
    ['count/services', ONE()],
    ['services', ONE()],
  ])
  const spec = (svc.spec ?? {}) as any
  const ports = (spec.ports ?? []).length
  if (spec.type === 'NodePort') out.set('services.nodeports', Quantity.fromValue(ports))
  if (spec.type === 'LoadBalancer') {
    out.set('services.loadbalancers', ONE())
    if (spec.allocateLoadBalancerNodePorts !== false) out.set('services.nodeports', Quantity.fromValue(ports))
  }
  return out
}

/** pvcUsage follows the persistentvolumeclaim evaluator, per storage class too. */
export function pvcUsage(pvc: KubeObject): ResourceList {
  const out: ResourceList = new Map([
    ['count/persistentvolumeclaims', ONE()],
    ['persistentvolumeclaims', ONE()],
  ])
  const spec = (pvc.spec ?? {}) as any
  let storage = q(spec.resources?.requests?.storage)
  const allocated = q((pvc.status as any)?.allocatedResources?.storage)
  if (allocated && (!storage || allocated.cmp(storage) > 0)) storage = allocated
  const cls = pvc.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? spec.storageClassName
  if (cls) out.set(`${cls}${STORAGE_CLASS_SUFFIX}persistentvolumeclaims`, ONE())
  if (storage) {
    out.set('requests.storage', storage)
    if (cls) out.set(`${cls}${STORAGE_CLASS_SUFFIX}requests.storage`, storage)
  }
  return out
}

/** usageOf measures one object of a resource ("pods", "apps/deployments") for quota. */
export function usageOf(ref: string, obj: KubeObject, now: number): ResourceList {
  if (ref === 'pods') return podUsage(obj, now)
  if (ref === 'services') return serviceUsage(obj)
  if (ref === 'persistentvolumeclaims') return pvcUsage(obj)
  const i = ref.indexOf('/')
  const group = i < 0 ? '' : ref.slice(0, i)
  const plural = i < 0 ? ref : ref.slice(i + 1)
  const out: ResourceList = new Map([[countName(plural, group), ONE()]])
  if (!group && LEGACY_COUNTS.has(plural)) out.set(plural, ONE())
  return out
}

// --- scopes -------------------------------------------------------------------------------------------------------

interface ScopeSelector {
  scopeName: string
  operator: string
  values?: string[]
}

/** quotaScopes is getScopeSelectorsFromQuota: spec.scopes as Exists, plus spec.scopeSelector. */
export function quotaScopes(quota: KubeObject): ScopeSelector[] {
  const spec = (quota.spec ?? {}) as any
  const out: ScopeSelector[] = ((spec.scopes ?? []) as string[]).map((s) => ({scopeName: s, operator: 'Exists'}))
  return out.concat((spec.scopeSelector?.matchExpressions ?? []) as ScopeSelector[])
}

function podQOSBestEffort(spec: any): boolean {
  for (const c of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]) {
    for (const f of ['requests', 'limits']) {
      for (const [k, v] of Object.entries(c.resources?.[f] ?? {})) {
        if ((k === 'cpu' || k === 'memory') && q(v)?.sign() === 1) return false
      }
    }
  }
  return true
}

/** podMatchesScope is podMatchesScopeFunc for one selector. */
export function podMatchesScope(sel: ScopeSelector, pod: KubeObject): boolean {
  const spec = (pod.spec ?? {}) as any
  const terminating =
    spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null && spec.activeDeadlineSeconds >= 0
  switch (sel.scopeName) {
    case 'Terminating':
      return terminating
    case 'NotTerminating':
      return !terminating
    case 'BestEffort':
      return podQOSBestEffort(spec)
    case 'NotBestEffort':
      return !podQOSBestEffort(spec)
    case 'PriorityClass': {
      const pc = spec.priorityClassName ?? ''
      if (sel.operator === 'Exists') return pc !== ''
      if (sel.operator === 'DoesNotExist') return pc === ''
      if (sel.operator === 'In') return pc !== '' && (sel.values ?? []).includes(pc)
      if (sel.operator === 'NotIn') return pc === '' || !(sel.values ?? []).includes(pc)
      return false
    }
    case 'CrossNamespacePodAffinity': {
      const aff = spec.affinity ?? {}
      const terms = [
        ...(aff.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
        ...(aff.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
        ...(aff.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w: any) => w.podAffinityTerm),
        ...(aff.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map(
          (w: any) => w.podAffinityTerm,
        ),
      ]
      return terms.some((t: any) => t && ((t.namespaces ?? []).length > 0 || t.namespaceSelector))
    }
  }
  return false
}

/** quotaMatchesObject is generic.Matches' scope half: every scope of the quota holds (only pods have scopes). */
export function quotaMatchesObject(quota: KubeObject, ref: string, obj: KubeObject): boolean {
  const scopes = quotaScopes(quota)
  if (scopes.length === 0) return true
  if (ref !== 'pods') return false
  return scopes.every((s) => podMatchesScope(s, obj))
}

// --- the controller -----------------------------------------------------------------------------------------------

/** WATCHED are the resources whose changes recompute a namespace's quotas. */
const WATCHED = [
  'pods',
  'services',
  'persistentvolumeclaims',
  'configmaps',
  'secrets',
  'replicationcontrollers',
  'resourcequotas',
  'apps/deployments',
  'apps/replicasets',
  'apps/statefulsets',
  'apps/daemonsets',
  'batch/jobs',
  'batch/cronjobs',
]

/** formatList renders a ResourceList as the status map (quantities as strings). */
function formatList(l: ResourceList): Record<string, string> {
  const out: Record<string, string> = {}
  for (const k of [...l.keys()].sort()) out[k] = l.get(k)!.toString()
  return out
}

/** ResourceQuotaController computes status.used for every ResourceQuota. */
export class ResourceQuotaController implements Controller {
  readonly name = 'resourcequota'
  private readonly quotas: Informer

  constructor(private readonly ctx: ControllerContext) {
    this.quotas = ctx.informers.for('resourcequotas')
  }

  watches() {
    const byNamespace = (o: KubeObject) =>
      this.quotas.list(o.metadata?.namespace).map((x) => `${x.metadata?.namespace}/${x.metadata?.name}`)
    return [
      {resource: 'resourcequotas'},
      ...WATCHED.filter((r) => r !== 'resourcequotas').map((resource) => ({resource, keys: byNamespace})),
    ]
  }

  /** usage sums what a namespace uses of the given quota names, for objects matching the quota's scopes. */
  usage(quota: KubeObject, names: string[]): ResourceList {
    const ns = String(quota.metadata?.namespace)
    const now = this.ctx.clock.now()
    const byRef = new Map<string, string[]>()
    for (const n of names) {
      const ref = resourceOfQuotaName(n)
      if (!ref) continue
      byRef.set(ref, [...(byRef.get(ref) ?? []), n])
    }
    const used: ResourceList = new Map()
    for (const [ref, keys] of byRef) {
      let inf: Informer
      try {
        inf = this.ctx.informers.for(ref)
      } catch {
        continue
      }
      for (const k of keys) used.set(k, Quantity.fromValue(0))
      const wanted = new Set(keys)
      for (const o of inf.list(ns)) {
        if (!quotaMatchesObject(quota, ref, o)) continue
        for (const [k, v] of usageOf(ref, o, now)) if (wanted.has(k)) used.set(k, used.get(k)!.add(v))
      }
    }
    return used
  }

  sync(key: string) {
    const i = key.indexOf('/')
    const quota = this.quotas.get(key.slice(0, i), key.slice(i + 1))
    if (!quota) return
    const hard = formatList(listOf((quota.spec as any)?.hard))
    const used = formatList(this.usage(quota, Object.keys(hard)))
    const st = (quota.status ?? {}) as any
    if (isDeepStrictEqual(st.hard ?? {}, hard) && isDeepStrictEqual(st.used ?? {}, used)) return
    this.ctx.client.mutate(
      'resourcequotas',
      quota.metadata?.namespace,
      String(quota.metadata?.name),
      (cur) => {
        cur.status = {hard, used}
        return cur
      },
      {subresource: 'status'},
    )
  }
}

/** resourceQuotaController is the ControllerFactory of the ResourceQuota controller. */
export const resourceQuotaController: ControllerFactory = (ctx) => new ResourceQuotaController(ctx)
