// pod.ts: the pod helpers the ReplicaSet and Deployment controllers share, after kubernetes
// pkg/api/v1/pod/util.go (IsPodReady, IsPodAvailable), pkg/controller/controller_utils.go (FilterActivePods,
// GetPodFromTemplate, ActivePodsWithRanks) and pkg/apis/core/helper (pod deletion cost).
import type {KubeObject} from '../../../api/object.js'
import type {OwnerReference} from '../framework/owner.js'
import {jsonCopy} from '../../storage/json-copy.js'

/** POD_DELETION_COST_ANNOTATION ranks pods for scale-down (lower cost goes first). */
export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost'

interface Condition {
  type: string
  status: string
  lastTransitionTime?: string
}

/** parseTime reads an RFC 3339 timestamp as ms since the epoch; 0 stands for Go's zero time. */
export function parseTime(s: unknown): number {
  if (typeof s !== 'string' || !s) return 0
  const t = Date.parse(s)
  return Number.isNaN(t) ? 0 : t
}

/** podReadyCondition returns the pod's Ready condition. */
export function podReadyCondition(pod: KubeObject): Condition | undefined {
  const conds = ((pod.status as {conditions?: Condition[]} | undefined)?.conditions ?? []) as Condition[]
  return conds.find((c) => c.type === 'Ready')
}

/** isPodReady is podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: KubeObject): boolean {
  return podReadyCondition(pod)?.status === 'True'
}

/**
 * availableInMs says how long a ready pod has left before it counts as available (IsPodAvailable: ready, and
 * ready since more than minReadySeconds): 0 when available now, undefined when not ready at all.
 */
export function availableInMs(pod: KubeObject, minReadySeconds: number, now: number): number | undefined {
  const c = podReadyCondition(pod)
  if (c?.status !== 'True') return undefined
  if (!minReadySeconds) return 0
  const since = parseTime(c.lastTransitionTime)
  if (!since) return undefined
  // Upstream asks lastTransitionTime + minReadySeconds to be strictly before now.
  const at = since + minReadySeconds * 1000
  return at < now ? 0 : at - now + 1
}

/** isPodAvailable is podutil.IsPodAvailable. */
export function isPodAvailable(pod: KubeObject, minReadySeconds: number, now: number): boolean {
  return availableInMs(pod, minReadySeconds, now) === 0
}

/** isPodActive is controller.IsPodActive: not Succeeded, not Failed and not being deleted. */
export function isPodActive(pod: KubeObject): boolean {
  const phase = (pod.status as {phase?: string} | undefined)?.phase
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata?.deletionTimestamp
}

/** podFromTemplate is controller.GetPodFromTemplate: a pod to create for a controller, named by generateName. */
export function podFromTemplate(template: any, parent: KubeObject, ref: OwnerReference): KubeObject {
  const tm = template?.metadata ?? {}
  const metadata: Record<string, unknown> = {
    generateName: `${parent.metadata?.name}-`,
    namespace: parent.metadata?.namespace,
  }
  if (tm.labels && Object.keys(tm.labels).length) metadata.labels = {...tm.labels}
  if (tm.annotations && Object.keys(tm.annotations).length) metadata.annotations = {...tm.annotations}
  if (tm.finalizers?.length) metadata.finalizers = [...tm.finalizers]
  metadata.ownerReferences = [{...ref}]
  return {apiVersion: 'v1', kind: 'Pod', metadata, spec: jsonCopy(template?.spec ?? {})}
}

/** deletionCost reads the pod-deletion-cost annotation (0 when absent or not an int32). */
export function deletionCost(pod: KubeObject): number {
  const v = pod.metadata?.annotations?.[POD_DELETION_COST_ANNOTATION]
  if (v === undefined || !/^[+-]?\d+$/.test(v)) return 0
  const n = Number(v)
  return n >= -(2 ** 31) && n < 2 ** 31 ? n : 0
}

const PHASE_ORDINAL: Record<string, number> = {Pending: 0, Unknown: 1, Running: 2}

function podReadyTime(pod: KubeObject): number {
  const c = podReadyCondition(pod)
  return c?.status === 'True' ? parseTime(c.lastTransitionTime) : 0
}

/** afterOrZero: t1 is after t2, a zero time counting as after any other. */
function afterOrZero(t1: number, t2: number): boolean {
  if (!t1 || !t2) return !t1
  return t1 > t2
}

/** logRank buckets how long ago t was on a base-2 logarithmic scale of nanoseconds (-1 for the future). */
function logRank(t: number, now: number): number {
  const d = (now - t) * 1e6
  return d > 0 ? Math.floor(Math.log2(d)) : -1
}

function maxRestarts(pod: KubeObject): [number, number] {
  const st = (pod.status ?? {}) as any
  let regular = 0
  for (const c of st.containerStatuses ?? []) regular = Math.max(regular, Number(c.restartCount ?? 0))
  const sidecars = new Set<string>()
  for (const c of (pod.spec as any)?.initContainers ?? []) if (c.restartPolicy === 'Always') sidecars.add(c.name)
  let sidecar = 0
  for (const c of st.initContainerStatuses ?? [])
    if (sidecars.has(c.name)) sidecar = Math.max(sidecar, Number(c.restartCount ?? 0))
  return [regular, sidecar]
}

/** RankedPod is a pod with the number of related active pods on its node (ActivePodsWithRanks). */
export interface RankedPod {
  pod: KubeObject
  rank: number
}

/**
 * deletionLess is ActivePodsWithRanks.Less with PodDeletionCost and LogarithmicScaleDown on (their 1.32
 * defaults): true when a should be deleted before b. Unscheduled before scheduled; Pending < Unknown < Running;
 * not ready before ready; lower deletion cost first; more colocated related pods first; ready more recently
 * first; more restarts first; created more recently first.
 */
export function deletionLess(a: RankedPod, b: RankedPod, now: number): boolean {
  const pa = a.pod
  const pb = b.pod
  const na = String((pa.spec as any)?.nodeName ?? '')
  const nb = String((pb.spec as any)?.nodeName ?? '')
  if (na !== nb && (!na || !nb)) return !na
  const oa = PHASE_ORDINAL[(pa.status as any)?.phase] ?? 0
  const ob = PHASE_ORDINAL[(pb.status as any)?.phase] ?? 0
  if (oa !== ob) return oa < ob
  const ra = isPodReady(pa)
  const rb = isPodReady(pb)
  if (ra !== rb) return !ra
  const ca = deletionCost(pa)
  const cb = deletionCost(pb)
  if (ca !== cb) return ca < cb
  if (a.rank !== b.rank) return a.rank > b.rank
  const uidLess = () => String(pa.metadata?.uid ?? '') < String(pb.metadata?.uid ?? '')
  if (ra && rb) {
    const ta = podReadyTime(pa)
    const tb = podReadyTime(pb)
    if (ta !== tb) {
      if (!now || !ta || !tb) return afterOrZero(ta, tb)
      const diff = logRank(ta, now) - logRank(tb, now)
      return diff === 0 ? uidLess() : diff < 0
    }
  }
  const [xa, sa] = maxRestarts(pa)
  const [xb, sb] = maxRestarts(pb)
  if (xa !== xb) return xa > xb
  if (sa !== sb) return sa > sb
  const ta = parseTime(pa.metadata?.creationTimestamp)
  const tb = parseTime(pb.metadata?.creationTimestamp)
  if (ta !== tb) {
    if (!now || !ta || !tb) return afterOrZero(ta, tb)
    const diff = logRank(ta, now) - logRank(tb, now)
    return diff === 0 ? uidLess() : diff < 0
  }
  return false
}

/** sortForDeletion orders pods so that the first ones are the best to delete. */
export function sortForDeletion(pods: RankedPod[], now: number): RankedPod[] {
  return pods.sort((a, b) => (deletionLess(a, b, now) ? -1 : deletionLess(b, a, now) ? 1 : 0))
}
