// deployment.ts: the Deployment controller, after kubernetes pkg/controller/deployment (deployment_controller.go,
// sync.go, rolling.go, recreate.go, progress.go) and its util/deployment_util.go. A Deployment owns ReplicaSets
// named `<deployment>-<pod-template-hash>`; the "new" one is the oldest whose template equals the Deployment's
// (ignoring the hash label), so `rollout undo` (which kubectl 1.32 does by patching the template back) reuses the
// old ReplicaSet and gives it the next revision. RollingUpdate moves replicas between the new and old sets within
// maxSurge/maxUnavailable; Recreate scales the old ones to zero and waits for their pods to go first. Status and
// the Available/Progressing conditions are computed as upstream, with the progress deadline checked on the
// cluster clock through requeueAfter.
import {isDeepStrictEqual} from 'node:util'
import {isAlreadyExists, isNotFound, StatusError} from '../../api/errors.js'
import {labelSelectorFromObject, type Selector} from '../../api/labels.js'
import type {KubeObject} from '../../api/object.js'
import {rfc3339} from '../clock.js'
import type {EventRecorder} from './framework/events.js'
import type {Informer} from './framework/informer.js'
import {controllerOf, controllerRef, isControlledBy, ownerKeys} from './framework/owner.js'
import {
  keyOf,
  type Controller,
  type ControllerContext,
  type ControllerFactory,
  type SyncResult,
  type WatchEventType,
} from './framework/types.js'
import {ORPHAN_INDEX, errorMessage, orphanIndex, selectorOf} from './replicaset.js'
import {
  Reason,
  actualReplicaCount,
  availableReplicaCount,
  byCreation,
  byRevision,
  bySizeNewer,
  bySizeOlder,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  desiredReplicasOf,
  rolloutFinished,
  equalIgnoreHash,
  filterActive,
  findActiveOrLatest,
  findNewReplicaSet,
  findOldReplicaSets,
  getCondition,
  getProportion,
  hasProgressDeadline,
  hasRevisionHistoryLimit,
  isRollingUpdate,
  isSaturated,
  maxRevision,
  maxSurge,
  maxUnavailable,
  newCondition,
  newRSNewReplicas,
  normalizeStatus,
  POD_TEMPLATE_HASH_LABEL,
  readyReplicaCount,
  removeCondition,
  replicaCount,
  replicasAnnotationsNeedUpdate,
  replicasOf,
  REVISION_ANNOTATION,
  rsStatus,
  setCondition,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  type DeploymentCondition,
  type DeploymentStatus,
} from './util/deployment.js'
import {computeHash} from './util/hash.js'

const DEP = 'apps/deployments'
const RS = 'apps/replicasets'

/** SyncState is one sync's working copy: the Deployment and its claimed ReplicaSets, kept current after writes. */
interface SyncState {
  d: KubeObject & {spec: any; status: DeploymentStatus}
  rsList: KubeObject[]
}

function sortedMap(m: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!m) return m
  const out: Record<string, string> = {}
  for (const k of Object.keys(m).sort()) out[k] = m[k]!
  return out
}

function isNamespaceTerminating(e: unknown): boolean {
  return e instanceof StatusError && !!e.status.details?.causes?.some((c) => c.reason === 'NamespaceTerminating')
}

/** DeploymentController rolls Deployments out through ReplicaSets. */
export class DeploymentController implements Controller {
  readonly name = 'deployment'
  private readonly dInf: Informer
  private readonly rsInf: Informer
  private readonly podInf: Informer
  private readonly events: EventRecorder
  private readonly ownerOfRS = ownerKeys('Deployment')

  constructor(private readonly ctx: ControllerContext) {
    this.dInf = ctx.informers.for(DEP)
    this.rsInf = ctx.informers.for(RS)
    this.podInf = ctx.informers.for('pods')
    this.rsInf.addIndex(ORPHAN_INDEX, orphanIndex)
    this.events = ctx.events.withSource({component: 'deployment-controller'})
  }

  watches() {
    return [
      {resource: DEP},
      {
        resource: RS,
        keys: (rs: KubeObject, type: WatchEventType, old: KubeObject | undefined) => this.rsKeys(rs, type, old),
      },
      {resource: 'pods', keys: (pod: KubeObject, type: WatchEventType) => this.podKeys(pod, type)},
    ]
  }

  /** rsKeys: a ReplicaSet change syncs its Deployment, or every Deployment that could adopt an orphan. */
  private rsKeys(rs: KubeObject, type: WatchEventType, old: KubeObject | undefined): string[] {
    const keys = this.ownerOfRS(rs, type, old)
    if (!controllerOf(rs) && type !== 'DELETED') {
      const changed =
        !old || !isDeepStrictEqual(old.metadata?.labels, rs.metadata?.labels) || controllerOf(old) !== undefined
      if (changed) {
        const labels = rs.metadata?.labels ?? {}
        for (const d of this.dInf.list(rs.metadata?.namespace)) {
          const sel = selectorOf(d)
          if (sel && !sel.empty() && sel.matches(labels) && !keys.includes(keyOf(d))) keys.push(keyOf(d))
        }
      }
    }
    return keys
  }

  /** podKeys: a Recreate Deployment waits for its old pods to be gone, so their deletion syncs it (deletePod). */
  private podKeys(pod: KubeObject, type: WatchEventType): string | undefined {
    if (type !== 'DELETED') return undefined
    const ref = controllerOf(pod)
    if (ref?.kind !== 'ReplicaSet') return undefined
    const ns = pod.metadata?.namespace
    const rs = this.rsInf.get(ns, ref.name)
    const dref = rs && controllerOf(rs)
    if (dref?.kind !== 'Deployment') return undefined
    const d = this.dInf.get(ns, dref.name)
    return d && (d.spec as any)?.strategy?.type === 'Recreate' ? keyOf(d) : undefined
  }

  sync(key: string): SyncResult | void {
    const cached = this.dInf.getByKey(key)
    if (!cached) return
    const d = structuredClone(cached) as SyncState['d']
    d.status = (d.status ?? {}) as DeploymentStatus
    const sel = d.spec?.selector
    if (!sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0)) {
      this.events.warning(
        d,
        'SelectorOverlap',
        'This deployment is selecting all pods. A non-empty selector is required.',
      )
      if (Number(d.status.observedGeneration ?? 0) < Number(d.metadata?.generation ?? 0)) {
        d.status.observedGeneration = Number(d.metadata?.generation)
        this.writeStatus({d, rsList: []})
      }
      return
    }
    let selector: Selector
    try {
      selector = labelSelectorFromObject(sel)
    } catch (e) {
      this.ctx.log(`deployment ${key}: invalid selector: ${errorMessage(e)}`)
      return
    }
    const st: SyncState = {d, rsList: this.claimReplicaSets(d, selector)}
    if (d.metadata?.deletionTimestamp) return this.syncStatusOnly(st)
    this.checkPausedConditions(st)
    if (d.spec.paused) return this.syncScale(st)
    if (this.isScalingEvent(st)) return this.syncScale(st)
    return d.spec.strategy?.type === 'Recreate' ? this.rolloutRecreate(st) : this.rolloutRolling(st)
  }

  // --- claiming -------------------------------------------------------------------------------------------------

  /** claimReplicaSets is getReplicaSetsForDeployment with the ControllerRefManager's adopt/release rules. */
  private claimReplicaSets(d: KubeObject, selector: Selector): KubeObject[] {
    const uid = String(d.metadata?.uid)
    const ns = String(d.metadata?.namespace)
    const deleting = !!d.metadata?.deletionTimestamp
    const out: KubeObject[] = []
    for (const rs of this.rsInf.ownedBy(uid)) {
      if (selector.matches(rs.metadata?.labels)) out.push(rs)
      else if (!deleting) this.releaseRS(rs, uid)
    }
    if (deleting) return out
    let canAdopt: boolean | undefined
    for (const rs of this.rsInf.byIndex(ORPHAN_INDEX, ns)) {
      if (rs.metadata?.deletionTimestamp || !selector.matches(rs.metadata?.labels)) continue
      if (canAdopt === undefined) {
        const fresh = this.ctx.client.tryGet(DEP, ns, String(d.metadata?.name))
        canAdopt = !!fresh && fresh.metadata?.uid === uid && !fresh.metadata?.deletionTimestamp
      }
      if (!canAdopt) break
      try {
        const adopted = this.ctx.client.mutate(RS, ns, String(rs.metadata?.name), (cur) => {
          if (cur.metadata?.uid !== rs.metadata?.uid || controllerOf(cur) || cur.metadata?.deletionTimestamp)
            return undefined
          cur.metadata!.ownerReferences = [...(cur.metadata?.ownerReferences ?? []), controllerRef(d)]
          return cur
        })
        if (isControlledBy(adopted, d)) out.push(adopted)
      } catch (e) {
        if (!isNotFound(e)) throw e
      }
    }
    return out
  }

  private releaseRS(rs: KubeObject, ownerUid: string): void {
    try {
      this.ctx.client.mutate(RS, rs.metadata?.namespace, String(rs.metadata?.name), (cur) => {
        if (cur.metadata?.uid !== rs.metadata?.uid) return undefined
        const refs = cur.metadata?.ownerReferences ?? []
        const kept = refs.filter((r) => r.uid !== ownerUid)
        if (kept.length === refs.length) return undefined
        if (kept.length) cur.metadata!.ownerReferences = kept
        else delete cur.metadata!.ownerReferences
        return cur
      })
    } catch (e) {
      if (!isNotFound(e)) throw e
    }
  }

  // --- writes ---------------------------------------------------------------------------------------------------

  /** fresh returns the sync's current copy of a ReplicaSet (after this sync's own writes). */
  private fresh(st: SyncState, rs: KubeObject | undefined): KubeObject | undefined {
    if (!rs) return rs
    return st.rsList.find((x) => x.metadata?.uid === rs.metadata?.uid) ?? rs
  }

  /** updateRS writes a change to a ReplicaSet (GuaranteedUpdate) and keeps the sync's list current. */
  private updateRS(st: SyncState, rs: KubeObject, change: (rs: any) => void): KubeObject {
    const uid = rs.metadata?.uid
    const out = this.ctx.client.mutate(RS, rs.metadata?.namespace, String(rs.metadata?.name), (cur) => {
      if (cur.metadata?.uid !== uid) return undefined
      change(cur)
      return cur
    })
    const i = st.rsList.findIndex((x) => x.metadata?.uid === uid)
    if (i >= 0) st.rsList[i] = out
    return out
  }

  /** writeStatus stores st.d.status (zero counters left out, as Go serializes them). */
  private writeStatus(st: SyncState): void {
    const d = st.d
    const status = normalizeStatus(d.status)
    d.status = status
    try {
      this.ctx.client.mutate(
        DEP,
        d.metadata?.namespace,
        String(d.metadata?.name),
        (cur) => {
          if (cur.metadata?.uid !== d.metadata?.uid) return undefined
          cur.status = status
          return cur
        },
        {subresource: 'status'},
      )
    } catch (e) {
      if (!isNotFound(e)) throw e
    }
  }

  /**
   * writeRevision stores the Deployment's revision annotation. Upstream sends it with UpdateStatus (the status
   * strategy keeps metadata changes); here the status subresource writes status only, so it is a separate update.
   */
  private writeRevision(st: SyncState): void {
    const d = st.d
    const rev = d.metadata?.annotations?.[REVISION_ANNOTATION]
    if (rev === undefined) return
    try {
      this.ctx.client.mutate(DEP, d.metadata?.namespace, String(d.metadata?.name), (cur) => {
        if (cur.metadata?.uid !== d.metadata?.uid || cur.metadata?.annotations?.[REVISION_ANNOTATION] === rev)
          return undefined
        cur.metadata!.annotations = sortedMap({...(cur.metadata?.annotations ?? {}), [REVISION_ANNOTATION]: rev})
        return cur
      })
    } catch (e) {
      if (!isNotFound(e)) throw e
    }
  }

  // --- new and old ReplicaSets ----------------------------------------------------------------------------------

  /** getAllReplicaSetsAndSyncRevision returns the new ReplicaSet (created when asked) and all old ones. */
  private getAll(st: SyncState, createIfMissing: boolean): {newRS: KubeObject | undefined; oldRSs: KubeObject[]} {
    const {all} = findOldReplicaSets(st.d, st.rsList)
    const newRS = this.getNewReplicaSet(st, all, createIfMissing)
    return {newRS, oldRSs: findOldReplicaSets(st.d, st.rsList, newRS).all}
  }

  /**
   * getNewReplicaSet is sync.go getNewReplicaSet: bring an existing new ReplicaSet's annotations (revision =
   * max old revision + 1) and minReadySeconds up to date, or create it with the pod-template-hash label.
   */
  private getNewReplicaSet(st: SyncState, oldRSs: KubeObject[], createIfMissing: boolean): KubeObject | undefined {
    const d = st.d
    const now = rfc3339(this.ctx.clock.now())
    const existing = findNewReplicaSet(d, st.rsList)
    const newRevision = maxRevision(oldRSs) + 1
    const mrs = Number(d.spec.minReadySeconds ?? 0)
    if (existing) {
      const copy = structuredClone(existing) as any
      const annotationsUpdated = setNewReplicaSetAnnotations(d, copy, newRevision, true)
      if (annotationsUpdated || Number(copy.spec?.minReadySeconds ?? 0) !== mrs) {
        return this.updateRS(st, existing, (rs) => {
          setNewReplicaSetAnnotations(d, rs, newRevision, true)
          rs.metadata.annotations = sortedMap(rs.metadata.annotations)
          if (mrs) rs.spec.minReadySeconds = mrs
          else delete rs.spec.minReadySeconds
        })
      }
      const revChanged = setDeploymentRevision(d, String(copy.metadata?.annotations?.[REVISION_ANNOTATION] ?? ''))
      let statusChanged = false
      if (hasProgressDeadline(d) && !getCondition(d.status, 'Progressing')) {
        setCondition(
          d.status,
          newCondition(
            'Progressing',
            'True',
            Reason.FoundNewRS,
            `Found new replica set "${existing.metadata?.name}"`,
            now,
          ),
        )
        statusChanged = true
      }
      if (revChanged) this.writeRevision(st)
      if (statusChanged) this.writeStatus(st)
      return existing
    }
    if (!createIfMissing) return undefined

    const hash = computeHash(d.spec.template, d.status.collisionCount)
    const template = structuredClone(d.spec.template ?? {})
    template.metadata ??= {}
    template.metadata.labels = sortedMap({...(template.metadata.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash})
    const selector = structuredClone(d.spec.selector ?? {})
    selector.matchLabels = sortedMap({...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash})
    const name = `${d.metadata?.name}-${hash}`
    const newRS: any = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name,
        namespace: d.metadata?.namespace,
        labels: {...template.metadata.labels},
        ownerReferences: [controllerRef(d)],
      },
      spec: {replicas: 0, ...(mrs ? {minReadySeconds: mrs} : {}), selector, template},
    }
    const count = newRSNewReplicas(d, [...oldRSs, newRS], newRS)
    newRS.spec.replicas = count
    setNewReplicaSetAnnotations(d, newRS, newRevision, false)
    newRS.metadata.annotations = sortedMap(newRS.metadata.annotations)
    let created: KubeObject
    let alreadyExists = false
    try {
      created = this.ctx.client.create(RS, newRS)
    } catch (e) {
      if (isAlreadyExists(e)) {
        const rs = this.ctx.client.tryGet(RS, d.metadata?.namespace, name)
        if (rs && isControlledBy(rs, d) && equalIgnoreHash(d.spec.template, (rs.spec as any)?.template)) {
          created = rs
          alreadyExists = true
        } else {
          // A hash collision: another template hashed to this name. Bump collisionCount and retry later.
          d.status.collisionCount = Number(d.status.collisionCount ?? 0) + 1
          this.writeStatus(st)
          throw e
        }
      } else if (isNamespaceTerminating(e)) {
        throw e
      } else {
        const msg = `Failed to create new replica set "${name}": ${errorMessage(e)}`
        if (hasProgressDeadline(d)) {
          setCondition(d.status, newCondition('Progressing', 'False', Reason.FailedRSCreate, msg, now))
          this.writeStatus(st)
        }
        this.events.warning(d, Reason.FailedRSCreate, msg)
        throw e
      }
    }
    if (!alreadyExists && count > 0)
      this.events.normal(d, 'ScalingReplicaSet', `Scaled up replica set ${name} from 0 to ${count}`)
    if (!st.rsList.some((x) => x.metadata?.uid === created.metadata?.uid)) st.rsList.push(created)
    const revChanged = setDeploymentRevision(d, String(newRevision))
    if (revChanged) this.writeRevision(st)
    if (!alreadyExists && hasProgressDeadline(d)) {
      setCondition(
        d.status,
        newCondition('Progressing', 'True', Reason.NewRS, `Created new replica set "${name}"`, now),
      )
      this.writeStatus(st)
    }
    return created
  }

  // --- scaling --------------------------------------------------------------------------------------------------

  /** scaleReplicaSet sets a ReplicaSet's size and replica annotations, with the ScalingReplicaSet event. */
  private scaleReplicaSet(st: SyncState, rs: KubeObject, newScale: number): {scaled: boolean; rs: KubeObject} {
    const d = st.d
    const desired = replicasOf(d)
    const max = desired + maxSurge(d)
    const oldScale = replicasOf(rs)
    const sizeNeedsUpdate = oldScale !== newScale
    if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, desired, max)) return {scaled: false, rs}
    const updated = this.updateRS(st, rs, (c) => {
      c.spec.replicas = newScale
      setReplicasAnnotations(c, desired, max)
      c.metadata.annotations = sortedMap(c.metadata.annotations)
    })
    if (sizeNeedsUpdate) {
      const op = oldScale < newScale ? 'up' : 'down'
      this.events.normal(
        d,
        'ScalingReplicaSet',
        `Scaled ${op} replica set ${rs.metadata?.name} from ${oldScale} to ${newScale}`,
      )
    }
    return {scaled: sizeNeedsUpdate, rs: updated}
  }

  /** scaleAndRecord is scaleReplicaSetAndRecordEvent: nothing when the size is already right. */
  private scaleAndRecord(st: SyncState, rs: KubeObject, newScale: number): {scaled: boolean; rs: KubeObject} {
    if (replicasOf(rs) === newScale) return {scaled: false, rs}
    return this.scaleReplicaSet(st, rs, newScale)
  }

  /** isScalingEvent: an active ReplicaSet was sized for another spec.replicas (desired-replicas annotation). */
  private isScalingEvent(st: SyncState): boolean {
    const {newRS, oldRSs} = this.getAll(st, false)
    const want = replicasOf(st.d)
    for (const rs of filterActive([...oldRSs, newRS])) {
      const desired = desiredReplicasOf(rs)
      if (desired !== undefined && desired !== want) return true
    }
    return false
  }

  /**
   * scale is sync.go scale: one active ReplicaSet takes the whole size; a saturated new one means the old go to
   * zero; otherwise (rolling update) the change is shared out in proportion to each set's size.
   */
  private scale(st: SyncState, newRS: KubeObject | undefined, oldRSs: KubeObject[]): void {
    const d = st.d
    const want = replicasOf(d)
    const one = findActiveOrLatest(newRS, oldRSs)
    if (one) {
      if (replicasOf(one) !== want) this.scaleAndRecord(st, one, want)
      return
    }
    if (isSaturated(d, newRS)) {
      for (const old of filterActive(oldRSs)) this.scaleAndRecord(st, old, 0)
      return
    }
    if (!isRollingUpdate(d)) return
    const all = filterActive([...oldRSs, newRS])
    const allReplicas = replicaCount(all)
    const allowed = want > 0 ? want + maxSurge(d) : 0
    const toAdd = allowed - allReplicas
    if (toAdd > 0) all.sort(bySizeNewer)
    else if (toAdd < 0) all.sort(bySizeOlder)
    let added = 0
    const sizes = new Map<string, number>()
    for (const rs of all) {
      const name = String(rs.metadata?.name)
      if (toAdd !== 0) {
        const p = getProportion(rs, d, toAdd, added)
        sizes.set(name, replicasOf(rs) + p)
        added += p
      } else sizes.set(name, replicasOf(rs))
    }
    all.forEach((rs, i) => {
      const name = String(rs.metadata?.name)
      if (i === 0 && toAdd !== 0) sizes.set(name, Math.max(0, sizes.get(name)! + toAdd - added))
      this.scaleReplicaSet(st, rs, sizes.get(name)!)
    })
  }

  /** syncScale is sync.go sync: scaling events and paused Deployments (no rollout). */
  private syncScale(st: SyncState): SyncResult | void {
    const {newRS, oldRSs} = this.getAll(st, false)
    this.scale(st, newRS, oldRSs)
    if (st.d.spec.paused && !st.d.metadata?.annotations?.['deprecated.deployment.rollback.to']) this.cleanup(st, oldRSs)
    this.syncDeploymentStatus(st, [...oldRSs, newRS], newRS)
  }

  /** syncStatusOnly is for a Deployment being deleted: status only. */
  private syncStatusOnly(st: SyncState): void {
    const {newRS, oldRSs} = this.getAll(st, false)
    this.syncDeploymentStatus(st, [...oldRSs, newRS], newRS)
  }

  /** cleanup is cleanupDeployment: delete the oldest empty ReplicaSets beyond revisionHistoryLimit. */
  private cleanup(st: SyncState, oldRSs: KubeObject[]): void {
    const d = st.d
    if (!hasRevisionHistoryLimit(d)) return
    const cleanable = oldRSs.map((rs) => this.fresh(st, rs)!).filter((rs) => rs && !rs.metadata?.deletionTimestamp)
    const diff = cleanable.length - Number(d.spec.revisionHistoryLimit)
    if (diff <= 0) return
    cleanable.sort(byRevision)
    for (let i = 0; i < diff; i++) {
      const rs = cleanable[i]!
      const s = (rs.status ?? {}) as any
      if (
        rsStatus(rs).replicas !== 0 ||
        replicasOf(rs) !== 0 ||
        Number(rs.metadata?.generation ?? 0) > Number(s.observedGeneration ?? 0)
      )
        continue
      try {
        this.ctx.client.delete(RS, rs.metadata?.namespace, String(rs.metadata?.name), {})
      } catch (e) {
        if (!isNotFound(e)) throw e
      }
      st.rsList = st.rsList.filter((x) => x.metadata?.uid !== rs.metadata?.uid)
    }
  }

  // --- rolling update -------------------------------------------------------------------------------------------

  private rolloutRolling(st: SyncState): SyncResult | void {
    const {newRS, oldRSs} = this.getAll(st, true)
    const allRSs = [...oldRSs, newRS!]
    if (this.reconcileNewReplicaSet(st, allRSs, newRS!)) return this.syncRolloutStatus(st, allRSs, newRS)
    if (this.reconcileOldReplicaSets(st, allRSs, filterActive(oldRSs), this.fresh(st, newRS)!))
      return this.syncRolloutStatus(st, allRSs, newRS)
    if (deploymentComplete(st.d, st.d.status)) this.cleanup(st, oldRSs)
    return this.syncRolloutStatus(st, allRSs, newRS)
  }

  private reconcileNewReplicaSet(st: SyncState, allRSs: KubeObject[], newRS: KubeObject): boolean {
    const want = replicasOf(st.d)
    if (replicasOf(newRS) === want) return false
    if (replicasOf(newRS) > want) return this.scaleAndRecord(st, newRS, want).scaled
    return this.scaleAndRecord(st, newRS, newRSNewReplicas(st.d, allRSs, newRS)).scaled
  }

  /** reconcileOldReplicaSets scales old sets down as far as maxUnavailable allows, unhealthy replicas first. */
  private reconcileOldReplicaSets(
    st: SyncState,
    allRSs: KubeObject[],
    oldRSs: KubeObject[],
    newRS: KubeObject,
  ): boolean {
    const d = st.d
    if (replicaCount(oldRSs) === 0) return false
    const allPods = replicaCount(allRSs.map((rs) => this.fresh(st, rs)))
    const minAvailable = replicasOf(d) - maxUnavailable(d)
    const newUnavailable = replicasOf(newRS) - rsStatus(newRS).availableReplicas
    const maxScaledDown = allPods - minAvailable - newUnavailable
    if (maxScaledDown <= 0) return false
    const cleaned = this.cleanupUnhealthyReplicas(st, oldRSs, maxScaledDown)
    const scaledDown = this.scaleDownOldForRollingUpdate(st, [...cleaned.oldRSs, newRS], cleaned.oldRSs)
    return cleaned.count + scaledDown > 0
  }

  private cleanupUnhealthyReplicas(
    st: SyncState,
    oldRSs: KubeObject[],
    maxCleanup: number,
  ): {oldRSs: KubeObject[]; count: number} {
    const sorted = [...oldRSs].sort(byCreation)
    let total = 0
    for (let i = 0; i < sorted.length; i++) {
      if (total >= maxCleanup) break
      const rs = sorted[i]!
      const replicas = replicasOf(rs)
      const available = rsStatus(rs).availableReplicas
      if (replicas === 0 || replicas === available) continue
      const down = Math.min(maxCleanup - total, replicas - available)
      sorted[i] = this.scaleAndRecord(st, rs, replicas - down).rs
      total += down
    }
    return {oldRSs: sorted, count: total}
  }

  private scaleDownOldForRollingUpdate(st: SyncState, allRSs: KubeObject[], oldRSs: KubeObject[]): number {
    const d = st.d
    const minAvailable = replicasOf(d) - maxUnavailable(d)
    const available = availableReplicaCount(allRSs)
    if (available <= minAvailable) return 0
    const sorted = [...oldRSs].sort(byCreation)
    const toScale = available - minAvailable
    let total = 0
    for (const rs of sorted) {
      if (total >= toScale) break
      const replicas = replicasOf(rs)
      if (replicas === 0) continue
      const down = Math.min(replicas, toScale - total)
      this.scaleAndRecord(st, rs, replicas - down)
      total += down
    }
    return total
  }

  // --- recreate -------------------------------------------------------------------------------------------------

  private rolloutRecreate(st: SyncState): SyncResult | void {
    let {newRS, oldRSs} = this.getAll(st, false)
    let allRSs: (KubeObject | undefined)[] = [...oldRSs, newRS]
    let scaledDown = false
    for (const rs of filterActive(oldRSs)) if (this.scaleAndRecord(st, rs, 0).scaled) scaledDown = true
    if (scaledDown) return this.syncRolloutStatus(st, allRSs, newRS)
    if (this.oldPodsRunning(st, newRS, oldRSs)) return this.syncRolloutStatus(st, allRSs, newRS)
    if (!newRS) {
      ;({newRS, oldRSs} = this.getAll(st, true))
      allRSs = [...oldRSs, newRS]
    }
    this.scaleAndRecord(st, this.fresh(st, newRS)!, replicasOf(st.d))
    if (deploymentComplete(st.d, st.d.status)) this.cleanup(st, oldRSs)
    return this.syncRolloutStatus(st, allRSs, newRS)
  }

  /** oldPodsRunning: old ReplicaSets still report pods, or own a pod that is not Succeeded or Failed. */
  private oldPodsRunning(st: SyncState, newRS: KubeObject | undefined, oldRSs: KubeObject[]): boolean {
    if (actualReplicaCount(oldRSs.map((rs) => this.fresh(st, rs))) > 0) return true
    for (const rs of st.rsList) {
      if (newRS && rs.metadata?.uid === newRS.metadata?.uid) continue
      for (const pod of this.podInf.ownedBy(String(rs.metadata?.uid))) {
        const phase = (pod.status as any)?.phase
        if (phase !== 'Failed' && phase !== 'Succeeded') return true
      }
    }
    return false
  }

  // --- status ---------------------------------------------------------------------------------------------------

  /** checkPausedConditions records DeploymentPaused / DeploymentResumed in the Progressing condition. */
  private checkPausedConditions(st: SyncState): void {
    const d = st.d
    if (!hasProgressDeadline(d)) return
    const cond = getCondition(d.status, 'Progressing')
    if (cond?.reason === Reason.TimedOut) return
    const pausedExists = cond?.reason === Reason.Paused
    const now = rfc3339(this.ctx.clock.now())
    if (d.spec.paused && !pausedExists) {
      setCondition(d.status, newCondition('Progressing', 'Unknown', Reason.Paused, 'Deployment is paused', now))
    } else if (!d.spec.paused && pausedExists) {
      setCondition(d.status, newCondition('Progressing', 'Unknown', Reason.Resumed, 'Deployment is resumed', now))
    } else return
    this.writeStatus(st)
  }

  /** calculateStatus is sync.go calculateStatus, with the Available condition. */
  private calculateStatus(
    st: SyncState,
    allRSs: (KubeObject | undefined)[],
    newRS: KubeObject | undefined,
  ): DeploymentStatus {
    const d = st.d
    const rss = allRSs.map((rs) => this.fresh(st, rs))
    const available = availableReplicaCount(rss)
    const status: DeploymentStatus = {
      observedGeneration: Number(d.metadata?.generation ?? 0),
      replicas: actualReplicaCount(rss),
      updatedReplicas: actualReplicaCount([this.fresh(st, newRS)]),
      readyReplicas: readyReplicaCount(rss),
      availableReplicas: available,
      unavailableReplicas: Math.max(0, replicaCount(rss) - available),
      conditions: (d.status.conditions ?? []).map((c) => ({...c})),
    }
    if (d.status.collisionCount !== undefined) status.collisionCount = d.status.collisionCount
    const now = rfc3339(this.ctx.clock.now())
    if (available >= replicasOf(d) - maxUnavailable(d)) {
      setCondition(
        status,
        newCondition('Available', 'True', Reason.MinimumReplicasAvailable, 'Deployment has minimum availability.', now),
      )
    } else {
      setCondition(
        status,
        newCondition(
          'Available',
          'False',
          Reason.MinimumReplicasUnavailable,
          'Deployment does not have minimum availability.',
          now,
        ),
      )
    }
    return status
  }

  private sameStatus(a: DeploymentStatus, b: DeploymentStatus): boolean {
    return isDeepStrictEqual(normalizeStatus(a), normalizeStatus(b))
  }

  private syncDeploymentStatus(st: SyncState, allRSs: (KubeObject | undefined)[], newRS: KubeObject | undefined): void {
    const status = this.calculateStatus(st, allRSs, newRS)
    if (this.sameStatus(st.d.status, status)) return
    st.d.status = status
    this.writeStatus(st)
  }

  /**
   * syncRolloutStatus is progress.go syncRolloutStatus: the Progressing condition (NewReplicaSetAvailable,
   * ReplicaSetUpdated while progress shows, ProgressDeadlineExceeded once it stalls past the deadline) and
   * ReplicaFailure copied from the ReplicaSets. With nothing to write, a stalled rollout is re-synced when its
   * deadline passes (requeueStuckDeployment).
   */
  private syncRolloutStatus(
    st: SyncState,
    allRSs: (KubeObject | undefined)[],
    newRS: KubeObject | undefined,
  ): SyncResult | void {
    const d = st.d
    const nowMs = this.ctx.clock.now()
    const now = rfc3339(nowMs)
    const status = this.calculateStatus(st, allRSs, newRS)
    if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing')
    const current = getCondition(d.status, 'Progressing')
    const rsName = newRS?.metadata?.name
    if (hasProgressDeadline(d) && !rolloutFinished(status, current)) {
      if (deploymentComplete(d, status)) {
        const msg = rsName
          ? `ReplicaSet "${rsName}" has successfully progressed.`
          : `Deployment "${d.metadata?.name}" has successfully progressed.`
        setCondition(status, newCondition('Progressing', 'True', Reason.NewRSAvailable, msg, now))
      } else if (deploymentProgressing(d, status)) {
        const msg = rsName
          ? `ReplicaSet "${rsName}" is progressing.`
          : `Deployment "${d.metadata?.name}" is progressing.`
        const cond = newCondition('Progressing', 'True', Reason.ReplicaSetUpdated, msg, now)
        // Progress moves lastUpdateTime even when the reason stays; the transition time stays while True.
        if (current) {
          if (current.status === 'True') cond.lastTransitionTime = current.lastTransitionTime
          removeCondition(status, 'Progressing')
        }
        setCondition(status, cond)
      } else if (deploymentTimedOut(d, status, nowMs)) {
        const msg = rsName
          ? `ReplicaSet "${rsName}" has timed out progressing.`
          : `Deployment "${d.metadata?.name}" has timed out progressing.`
        setCondition(status, newCondition('Progressing', 'False', Reason.TimedOut, msg, now))
      }
    }
    const failure = this.replicaFailure(st, allRSs, newRS)
    if (failure) setCondition(status, failure)
    else removeCondition(status, 'ReplicaFailure')
    if (this.sameStatus(d.status, status)) return this.requeueStuck(d, status, nowMs)
    st.d.status = status
    this.writeStatus(st)
  }

  /** replicaFailure is getReplicaFailures: the new ReplicaSet's ReplicaFailure first, else an old one's. */
  private replicaFailure(
    st: SyncState,
    allRSs: (KubeObject | undefined)[],
    newRS: KubeObject | undefined,
  ): DeploymentCondition | undefined {
    const toDeployment = (c: any): DeploymentCondition => ({
      type: c.type,
      status: c.status,
      lastUpdateTime: c.lastTransitionTime,
      lastTransitionTime: c.lastTransitionTime,
      reason: c.reason,
      message: c.message,
    })
    for (const rs of [this.fresh(st, newRS), ...allRSs.map((r) => this.fresh(st, r))]) {
      const c = ((rs?.status as any)?.conditions ?? []).find((x: any) => x.type === 'ReplicaFailure')
      if (c) return toDeployment(c)
    }
    return undefined
  }

  /** requeueStuck is requeueStuckDeployment: come back one second after the progress deadline would pass. */
  private requeueStuck(d: SyncState['d'], status: DeploymentStatus, now: number): SyncResult | void {
    const cur = getCondition(d.status, 'Progressing')
    if (!hasProgressDeadline(d) || !cur) return
    if (deploymentComplete(d, status) || cur.reason === Reason.TimedOut) return
    // syncRolloutStatus never times out a finished rollout, so the passing of time alone cannot change its status.
    // The controller upstream requeues it rate-limited anyway (up to its 10 qps bucket); on the virtual clock that
    // was a 1 ms requeue, tens of thousands of syncs per simulated minute once the deadline had passed.
    if (rolloutFinished(status, cur)) return
    const last = Date.parse(String(cur.lastUpdateTime ?? ''))
    if (Number.isNaN(last)) return
    const after = last + Number(d.spec.progressDeadlineSeconds) * 1000 - now
    if (after < 1000) return {requeueAfterMs: Math.max(after + 1, 1)}
    return {requeueAfterMs: after + 1000}
  }
}

/** deploymentController is the factory the manager runs. */
export const deploymentController: ControllerFactory = (ctx) => new DeploymentController(ctx)
