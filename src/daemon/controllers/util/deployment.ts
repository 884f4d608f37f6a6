// deployment.ts: the Deployment helpers of kubernetes pkg/controller/deployment/util/deployment_util.go (revisions,
// replica annotations, surge and unavailability fenceposts, proportional scaling, conditions, progress checks),
// the ReplicaSet orderings of pkg/controller/controller_utils.go, and kubectl's rollout status text
// (kubectl/pkg/polymorphichelpers/rollout_status.go). kubectl's `rollout history`/`undo`/`describe` find the new
// ReplicaSet with the same template equality (equalIgnoreHash), so both sides agree on it.
import {isDeepStrictEqual} from 'node:util'
import type {KubeObject} from '../../../api/object.js'
import {parseTime} from './pod.js'

/** REVISION_ANNOTATION numbers a Deployment's rollouts, on the Deployment and each ReplicaSet. */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision'
/** REVISION_HISTORY_ANNOTATION keeps the revisions a reused ReplicaSet had before. */
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history'
/** DESIRED_REPLICAS_ANNOTATION is the Deployment's replicas when the ReplicaSet was last scaled. */
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas'
/** MAX_REPLICAS_ANNOTATION is replicas + maxSurge when the ReplicaSet was last scaled. */
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas'
/** CHANGE_CAUSE_ANNOTATION is what `rollout history` prints as CHANGE-CAUSE. */
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause'
/** POD_TEMPLATE_HASH_LABEL tells apart the pods of a Deployment's ReplicaSets (DefaultDeploymentUniqueLabelKey). */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash'
/** LAST_APPLIED_ANNOTATION is kubectl apply's record; it is never copied to ReplicaSets. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration'
/** ROLLBACK_TO_ANNOTATION is the deprecated extensions/v1beta1 rollback request. */
export const ROLLBACK_TO_ANNOTATION = 'deprecated.deployment.rollback.to'
/** MAX_REV_HISTORY_LENGTH_IN_CHARS caps the revision-history annotation (the controller's default). */
export const MAX_REV_HISTORY_LENGTH_IN_CHARS = 2000
/** MAX_INT32 as progressDeadlineSeconds means "no deadline". */
export const MAX_INT32 = 2147483647

/** Condition reasons (deployment_util.go). */
export const Reason = {
  NewRS: 'NewReplicaSetCreated',
  FoundNewRS: 'FoundNewReplicaSet',
  ReplicaSetUpdated: 'ReplicaSetUpdated',
  NewRSAvailable: 'NewReplicaSetAvailable',
  TimedOut: 'ProgressDeadlineExceeded',
  Paused: 'DeploymentPaused',
  Resumed: 'DeploymentResumed',
  FailedRSCreate: 'ReplicaSetCreateError',
  MinimumReplicasAvailable: 'MinimumReplicasAvailable',
  MinimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const

const SKIP_COPY = new Set([
  LAST_APPLIED_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  ROLLBACK_TO_ANNOTATION,
])

/** DeploymentCondition is apps/v1 DeploymentCondition. */
export interface DeploymentCondition {
  type: string
  status: string
  lastUpdateTime?: string
  lastTransitionTime?: string
  reason?: string
  message?: string
}

/** DeploymentStatus is apps/v1 DeploymentStatus (zero counts are left out, as Go's omitempty does). */
export interface DeploymentStatus {
  observedGeneration?: number
  replicas?: number
  updatedReplicas?: number
  readyReplicas?: number
  availableReplicas?: number
  unavailableReplicas?: number
  conditions?: DeploymentCondition[]
  collisionCount?: number
}

const n = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0) || 0)

/** replicasOf is *spec.replicas (defaulted to 1 by the apiserver). */
export function replicasOf(o: KubeObject | undefined): number {
  return n((o?.spec as any)?.replicas)
}

/** rsStatus reads a ReplicaSet's status counters. */
export function rsStatus(rs: KubeObject | undefined): {
  replicas: number
  readyReplicas: number
  availableReplicas: number
} {
  const s = (rs?.status ?? {}) as any
  return {replicas: n(s.replicas), readyReplicas: n(s.readyReplicas), availableReplicas: n(s.availableReplicas)}
}

// --- semantic equality ------------------------------------------------------------------------------------------

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return true
  if (Array.isArray(v)) return v.length === 0
  if (typeof v === 'object') return Object.keys(v as object).length === 0
  return false
}

/**
 * semanticEqual is apimachinery's equality.Semantic.DeepEqual on JSON: like deep equality, but an absent, null,
 * empty map and empty list are the same (Go's nil and empty maps and slices compare equal there).
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (isEmpty(a) && isEmpty(b)) return true
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return isDeepStrictEqual(a, b)
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) {
    const bb = b as unknown[]
    return a.length === bb.length && a.every((x, i) => semanticEqual(x, bb[i]))
  }
  const ao = a as Record<string, unknown>
  const bo = b as Record<string, unknown>
  for (const k of new Set([...Object.keys(ao), ...Object.keys(bo)])) if (!semanticEqual(ao[k], bo[k])) return false
  return true
}

/** withoutHash copies a pod template without the pod-template-hash label. */
function withoutHash(t: any): any {
  const labels = t?.metadata?.labels
  if (!labels || !(POD_TEMPLATE_HASH_LABEL in labels)) return t
  const {[POD_TEMPLATE_HASH_LABEL]: _h, ...rest} = labels
  return {...t, metadata: {...t.metadata, labels: rest}}
}

/** equalIgnoreHash compares two pod templates ignoring the pod-template-hash label (EqualIgnoreHash). */
export function equalIgnoreHash(t1: unknown, t2: unknown): boolean {
  return semanticEqual(withoutHash(t1), withoutHash(t2))
}

// --- orderings --------------------------------------------------------------------------------------------------

function created(o: KubeObject): number {
  return parseTime(o.metadata?.creationTimestamp)
}

/** byCreation is ReplicaSetsByCreationTimestamp: older first, then by name. */
export function byCreation(a: KubeObject, b: KubeObject): number {
  const d = created(a) - created(b)
  if (d !== 0) return d
  return String(a.metadata?.name) < String(b.metadata?.name)
    ? -1
    : String(a.metadata?.name) > String(b.metadata?.name)
      ? 1
      : 0
}

/** bySizeNewer is ReplicaSetsBySizeNewer: larger first, then newer first. */
export function bySizeNewer(a: KubeObject, b: KubeObject): number {
  return replicasOf(b) - replicasOf(a) || byCreation(b, a)
}

/** bySizeOlder is ReplicaSetsBySizeOlder: larger first, then older first. */
export function bySizeOlder(a: KubeObject, b: KubeObject): number {
  return replicasOf(b) - replicasOf(a) || byCreation(a, b)
}

/** revisionOf reads a ReplicaSet's revision annotation (0 when absent or unparsable). */
export function revisionOf(o: KubeObject | undefined): number {
  const v = o?.metadata?.annotations?.[REVISION_ANNOTATION]
  if (v === undefined || !/^\d+$/.test(v)) return 0
  return Number(v)
}

/** byRevision is ReplicaSetsByRevision: lower revision first, then by creation. */
export function byRevision(a: KubeObject, b: KubeObject): number {
  return revisionOf(a) - revisionOf(b) || byCreation(a, b)
}

/** maxRevision is the highest revision among the ReplicaSets. */
export function maxRevision(rss: KubeObject[]): number {
  let m = 0
  for (const rs of rss) m = Math.max(m, revisionOf(rs))
  return m
}

// --- finding the new and old ReplicaSets ------------------------------------------------------------------------

/** findNewReplicaSet returns the oldest ReplicaSet whose template equals the Deployment's (FindNewReplicaSet). */
export function findNewReplicaSet(d: KubeObject, rsList: KubeObject[]): KubeObject | undefined {
  const tpl = (d.spec as any)?.template
  return [...rsList].sort(byCreation).find((rs) => equalIgnoreHash((rs.spec as any)?.template, tpl))
}

/** findOldReplicaSets returns the old ReplicaSets with replicas, and all old ones (FindOldReplicaSets). */
export function findOldReplicaSets(
  d: KubeObject,
  rsList: KubeObject[],
  newRS = findNewReplicaSet(d, rsList),
): {required: KubeObject[]; all: KubeObject[]} {
  const all = rsList.filter((rs) => !newRS || rs.metadata?.uid !== newRS.metadata?.uid)
  return {required: all.filter((rs) => replicasOf(rs) !== 0), all}
}

/** filterActive keeps the ReplicaSets with spec.replicas > 0 (FilterActiveReplicaSets). */
export function filterActive(rss: (KubeObject | undefined)[]): KubeObject[] {
  return rss.filter((rs): rs is KubeObject => !!rs && replicasOf(rs) > 0)
}

/** replicaCount sums spec.replicas (GetReplicaCountForReplicaSets). */
export function replicaCount(rss: (KubeObject | undefined)[]): number {
  return rss.reduce((s, rs) => s + (rs ? replicasOf(rs) : 0), 0)
}

/** actualReplicaCount sums status.replicas (GetActualReplicaCountForReplicaSets). */
export function actualReplicaCount(rss: (KubeObject | undefined)[]): number {
  return rss.reduce((s, rs) => s + (rs ? rsStatus(rs).replicas : 0), 0)
}

/** readyReplicaCount sums status.readyReplicas. */
export function readyReplicaCount(rss: (KubeObject | undefined)[]): number {
  return rss.reduce((s, rs) => s + (rs ? rsStatus(rs).readyReplicas : 0), 0)
}

/** availableReplicaCount sums status.availableReplicas. */
export function availableReplicaCount(rss: (KubeObject | undefined)[]): number {
  return rss.reduce((s, rs) => s + (rs ? rsStatus(rs).availableReplicas : 0), 0)
}

// --- surge and unavailability -----------------------------------------------------------------------------------

/** scaledValue is intstr.GetScaledValueFromIntOrPercent ("25%" of total, rounded up or down). */
export function scaledValue(v: unknown, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v
  if (typeof v !== 'string' || !v.endsWith('%')) return 0
  const p = v.slice(0, -1)
  if (!/^[+-]?\d+$/.test(p)) return 0
  const x = (Number(p) * total) / 100
  return roundUp ? Math.ceil(x) : Math.floor(x)
}

/** isRollingUpdate says whether the strategy is RollingUpdate. */
export function isRollingUpdate(d: KubeObject): boolean {
  return (d.spec as any)?.strategy?.type === 'RollingUpdate'
}

/**
 * resolveFenceposts is ResolveFenceposts: maxSurge rounds up, maxUnavailable down, and when both come to zero
 * maxUnavailable becomes 1 (surge may be impossible under a quota).
 */
export function resolveFenceposts(
  maxSurge: unknown,
  maxUnavailable: unknown,
  desired: number,
): {surge: number; unavailable: number} {
  const surge = scaledValue(maxSurge ?? 0, desired, true)
  let unavailable = scaledValue(maxUnavailable ?? 0, desired, false)
  if (surge === 0 && unavailable === 0) unavailable = 1
  return {surge, unavailable}
}

/** maxSurge is MaxSurge (0 unless RollingUpdate). */
export function maxSurge(d: KubeObject): number {
  if (!isRollingUpdate(d)) return 0
  const ru = (d.spec as any)?.strategy?.rollingUpdate ?? {}
  return resolveFenceposts(ru.maxSurge, ru.maxUnavailable, replicasOf(d)).surge
}

/** maxUnavailable is MaxUnavailable (0 unless RollingUpdate with replicas, never above replicas). */
export function maxUnavailable(d: KubeObject): number {
  const replicas = replicasOf(d)
  if (!isRollingUpdate(d) || replicas === 0) return 0
  const ru = (d.spec as any)?.strategy?.rollingUpdate ?? {}
  return Math.min(resolveFenceposts(ru.maxSurge, ru.maxUnavailable, replicas).unavailable, replicas)
}

/** newRSNewReplicas is NewRSNewReplicas: how far the new ReplicaSet may grow now. */
export function newRSNewReplicas(d: KubeObject, allRSs: (KubeObject | undefined)[], newRS: KubeObject): number {
  const replicas = replicasOf(d)
  if (isRollingUpdate(d)) {
    const maxTotal = replicas + maxSurge(d)
    const current = replicaCount(allRSs)
    if (current >= maxTotal) return replicasOf(newRS)
    const up = Math.min(maxTotal - current, replicas - replicasOf(newRS))
    return replicasOf(newRS) + up
  }
  return replicas
}

// --- annotations ------------------------------------------------------------------------------------------------

/** setReplicasAnnotations sets desired-replicas and max-replicas; returns whether they changed. */
export function setReplicasAnnotations(rs: KubeObject, desired: number, max: number): boolean {
  const m = (rs.metadata ??= {})
  const a = (m.annotations ??= {})
  let changed = false
  if (a[DESIRED_REPLICAS_ANNOTATION] !== String(desired)) {
    a[DESIRED_REPLICAS_ANNOTATION] = String(desired)
    changed = true
  }
  if (a[MAX_REPLICAS_ANNOTATION] !== String(max)) {
    a[MAX_REPLICAS_ANNOTATION] = String(max)
    changed = true
  }
  return changed
}

/** replicasAnnotationsNeedUpdate says whether setReplicasAnnotations would change anything. */
export function replicasAnnotationsNeedUpdate(rs: KubeObject, desired: number, max: number): boolean {
  const a = rs.metadata?.annotations ?? {}
  return a[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || a[MAX_REPLICAS_ANNOTATION] !== String(max)
}

/** desiredReplicasOf reads the desired-replicas annotation. */
export function desiredReplicasOf(rs: KubeObject): number | undefined {
  const v = rs.metadata?.annotations?.[DESIRED_REPLICAS_ANNOTATION]
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined
}

/**
 * setNewReplicaSetAnnotations is SetNewReplicaSetAnnotations: copy the Deployment's own annotations, raise the
 * revision to newRevision (recording the one it replaces in revision-history, which is how a reused ReplicaSet
 * leaves its old number behind on undo), and on a ReplicaSet about to be created the replica annotations.
 */
export function setNewReplicaSetAnnotations(
  d: KubeObject,
  rs: KubeObject,
  newRevision: number,
  exists: boolean,
): boolean {
  const m = (rs.metadata ??= {})
  const a = (m.annotations ??= {})
  let changed = false
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) {
    if (SKIP_COPY.has(k) || a[k] === v) continue
    a[k] = v
    changed = true
  }
  const had = REVISION_ANNOTATION in a
  const oldRevision = a[REVISION_ANNOTATION] ?? ''
  let oldInt = 0
  if (oldRevision !== '') {
    if (!/^\d+$/.test(oldRevision)) return false
    oldInt = Number(oldRevision)
  }
  if (oldInt < newRevision) {
    a[REVISION_ANNOTATION] = String(newRevision)
    changed = true
    if (had) {
      const hist = a[REVISION_HISTORY_ANNOTATION] ?? ''
      let old = hist.split(',')
      if (old[0] === '') a[REVISION_HISTORY_ANNOTATION] = oldRevision
      else {
        let total = hist.length + oldRevision.length + 1
        let start = 0
        while (total > MAX_REV_HISTORY_LENGTH_IN_CHARS && start < old.length) {
          total -= old[start]!.length + 1
          start++
        }
        if (total <= MAX_REV_HISTORY_LENGTH_IN_CHARS) {
          old = [...old.slice(start), oldRevision]
          a[REVISION_HISTORY_ANNOTATION] = old.join(',')
        }
      }
    }
  }
  if (!exists && setReplicasAnnotations(rs, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true
  return changed
}

/** setDeploymentRevision sets the Deployment's revision annotation; returns whether it changed. */
export function setDeploymentRevision(d: KubeObject, revision: string): boolean {
  const a = ((d.metadata ??= {}).annotations ??= {})
  if (a[REVISION_ANNOTATION] === revision) return false
  a[REVISION_ANNOTATION] = revision
  return true
}

// --- proportional scaling ---------------------------------------------------------------------------------------

/** roundHalfAway is Go's math.Round (integer.RoundToInt32). */
function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x)
}

function replicaSetFraction(rs: KubeObject, d: KubeObject): number {
  const replicas = replicasOf(d)
  if (replicas === 0) return -replicasOf(rs)
  const deploymentReplicas = replicas + maxSurge(d)
  const v = rs.metadata?.annotations?.[MAX_REPLICAS_ANNOTATION]
  const annotated = v !== undefined && /^\d+$/.test(v) ? Number(v) : n((d.status as any)?.replicas)
  return roundHalfAway((replicasOf(rs) * deploymentReplicas) / annotated) - replicasOf(rs)
}

/** getProportion is GetProportion: this ReplicaSet's share of a resize, within what is left to hand out. */
export function getProportion(rs: KubeObject | undefined, d: KubeObject, toAdd: number, added: number): number {
  if (!rs || replicasOf(rs) === 0 || toAdd === 0 || toAdd === added) return 0
  const fraction = replicaSetFraction(rs, d)
  const allowed = toAdd - added
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed)
}

/** isSaturated: the ReplicaSet has all the Deployment's replicas, desired and available (IsSaturated). */
export function isSaturated(d: KubeObject, rs: KubeObject | undefined): boolean {
  if (!rs) return false
  const desired = desiredReplicasOf(rs)
  if (desired === undefined) return false
  const replicas = replicasOf(d)
  return replicasOf(rs) === replicas && desired === replicas && rsStatus(rs).availableReplicas === replicas
}

/** findActiveOrLatest returns the only active ReplicaSet, or the newest when none is active (FindActiveOrLatest). */
export function findActiveOrLatest(newRS: KubeObject | undefined, oldRSs: KubeObject[]): KubeObject | undefined {
  if (!newRS && oldRSs.length === 0) return undefined
  const sorted = [...oldRSs].sort((a, b) => byCreation(b, a))
  const active = filterActive([...sorted, newRS])
  if (active.length === 0) return newRS ?? sorted[0]
  if (active.length === 1) return active[0]
  return undefined
}

// --- conditions and progress ------------------------------------------------------------------------------------

/** hasProgressDeadline: progressDeadlineSeconds is set and not MaxInt32. */
export function hasProgressDeadline(d: KubeObject): boolean {
  const p = (d.spec as any)?.progressDeadlineSeconds
  return typeof p === 'number' && p !== MAX_INT32
}

/** hasRevisionHistoryLimit: spec.revisionHistoryLimit is set and not MaxInt32. */
export function hasRevisionHistoryLimit(d: KubeObject): boolean {
  const p = (d.spec as any)?.revisionHistoryLimit
  return typeof p === 'number' && p !== MAX_INT32
}

/** newCondition is NewDeploymentCondition, stamped with now. */
export function newCondition(
  type: string,
  status: string,
  reason: string,
  message: string,
  now: string,
): DeploymentCondition {
  return {type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message}
}

/** getCondition returns the status's condition of a type. */
export function getCondition(status: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type)
}

/**
 * setCondition is SetDeploymentCondition: nothing when status and reason are unchanged; otherwise the condition
 * moves to the end, keeping lastTransitionTime when only the reason changed.
 */
export function setCondition(status: DeploymentStatus, cond: DeploymentCondition): void {
  const cur = getCondition(status, cond.type)
  if (cur && cur.status === cond.status && cur.reason === cond.reason) return
  if (cur && cur.status === cond.status) cond = {...cond, lastTransitionTime: cur.lastTransitionTime}
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== cond.type), cond]
}

/** removeCondition drops a condition type. */
export function removeCondition(status: DeploymentStatus, type: string): void {
  if (!status.conditions) return
  status.conditions = status.conditions.filter((c) => c.type !== type)
}

/**
 * rolloutFinished is syncRolloutStatus' isCompleteDeployment: the rollout reached NewReplicaSetAvailable and every
 * replica is updated. Its progress deadline no longer applies, whatever later happens to availability.
 */
export function rolloutFinished(s: DeploymentStatus, progressing: DeploymentCondition | undefined): boolean {
  return n(s.replicas) === n(s.updatedReplicas) && progressing?.reason === Reason.NewRSAvailable
}

/** deploymentComplete: every replica is updated and available, and the spec was observed (DeploymentComplete). */
export function deploymentComplete(d: KubeObject, s: DeploymentStatus): boolean {
  const r = replicasOf(d)
  return (
    n(s.updatedReplicas) === r &&
    n(s.replicas) === r &&
    n(s.availableReplicas) === r &&
    n(s.observedGeneration) >= n(d.metadata?.generation)
  )
}

/** deploymentProgressing: the new status shows progress over the stored one (DeploymentProgressing). */
export function deploymentProgressing(d: KubeObject, s: DeploymentStatus): boolean {
  const old = (d.status ?? {}) as DeploymentStatus
  const oldOld = n(old.replicas) - n(old.updatedReplicas)
  const newOld = n(s.replicas) - n(s.updatedReplicas)
  return (
    n(s.updatedReplicas) > n(old.updatedReplicas) ||
    newOld < oldOld ||
    n(s.readyReplicas) > n(old.readyReplicas) ||
    n(s.availableReplicas) > n(old.availableReplicas)
  )
}

/** deploymentTimedOut: the Progressing condition has not moved for progressDeadlineSeconds (DeploymentTimedOut). */
export function deploymentTimedOut(d: KubeObject, s: DeploymentStatus, now: number): boolean {
  if (!hasProgressDeadline(d)) return false
  const c = getCondition(s, 'Progressing')
  if (!c) return false
  if (c.reason === Reason.NewRSAvailable) return false
  if (c.reason === Reason.TimedOut) return true
  const from = parseTime(c.lastUpdateTime)
  return from + n((d.spec as any).progressDeadlineSeconds) * 1000 < now
}

/** normalizeStatus drops zero counters and empty lists, as the Go types serialize them, for comparisons. */
export function normalizeStatus(s: DeploymentStatus | undefined): DeploymentStatus {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(s ?? {})) {
    if (v === undefined || v === null) continue
    if (k === 'collisionCount') out[k] = v
    else if (k === 'conditions') {
      if ((v as unknown[]).length) out[k] = v
    } else if (typeof v === 'number' ? v !== 0 : true) out[k] = v
  }
  return out as DeploymentStatus
}

/** rolloutStatus is kubectl's DeploymentStatusViewer: the `rollout status` line, done, or the deadline error. */
export function rolloutStatus(d: KubeObject): {message: string; done: boolean; error?: string} {
  const name = String(d.metadata?.name)
  const s = (d.status ?? {}) as DeploymentStatus
  if (n(d.metadata?.generation) <= n(s.observedGeneration)) {
    const c = getCondition(s, 'Progressing')
    if (c?.reason === Reason.TimedOut)
      return {message: '', done: false, error: `deployment "${name}" exceeded its progress deadline`}
    const want = (d.spec as any)?.replicas
    if (want !== undefined && n(s.updatedReplicas) < n(want)) {
      return {
        message: `Waiting for deployment "${name}" rollout to finish: ${n(s.updatedReplicas)} out of ${n(want)} new replicas have been updated...\n`,
        done: false,
      }
    }
    if (n(s.replicas) > n(s.updatedReplicas)) {
      return {
        message: `Waiting for deployment "${name}" rollout to finish: ${n(s.replicas) - n(s.updatedReplicas)} old replicas are pending termination...\n`,
        done: false,
      }
    }
    if (n(s.availableReplicas) < n(s.updatedReplicas)) {
      return {
        message: `Waiting for deployment "${name}" rollout to finish: ${n(s.availableReplicas)} of ${n(s.updatedReplicas)} updated replicas are available...\n`,
        done: false,
      }
    }
    return {message: `deployment "${name}" successfully rolled out\n`, done: true}
  }
  return {message: 'Waiting for deployment spec update to be observed...\n', done: false}
}
