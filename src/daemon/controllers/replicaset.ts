// replicaset.ts: the ReplicaSet controller, after kubernetes pkg/controller/replicaset/replica_set.go and
// replica_set_utils.go. Each sync claims the pods (adopting orphans that match the selector, releasing owned pods
// that no longer match), creates or deletes pods towards spec.replicas in slow-start batches of at most 500 per
// sync (guarded by expectations so a lagging cache never causes a second burst), and writes status: replicas,
// fullyLabeledReplicas, readyReplicas, availableReplicas (minReadySeconds, re-synced when the rest elapses),
// observedGeneration and the ReplicaFailure condition.
import {isNotFound, StatusError} from '../../api/errors.js'
import {labelSelectorFromObject, selectorFromSet, type Selector} from '../../api/labels.js'
import type {KubeObject} from '../../api/object.js'
import {rfc3339} from '../clock.js'
import type {EventRecorder} from './framework/events.js'
import {Expectations} from './framework/expectations.js'
import {controllerUid, type Informer} from './framework/informer.js'
import {controllerOf, controllerRef} from './framework/owner.js'
import {
  keyOf,
  type Controller,
  type ControllerContext,
  type ControllerFactory,
  type SyncResult,
  type WatchEventType,
} from './framework/types.js'
import {jsonEqual} from '../storage/json-copy.js'
import {
  availableInMs,
  isPodActive,
  isPodReady,
  podFromTemplate,
  podReadyCondition,
  sortForDeletion,
} from './util/pod.js'

/** BURST_REPLICAS caps the pods one sync creates or deletes (replica_set.go BurstReplicas). */
export const BURST_REPLICAS = 500
/** SLOW_START_INITIAL_BATCH is controller.SlowStartInitialBatchSize: creations go 1, 2, 4, ... per batch. */
export const SLOW_START_INITIAL_BATCH = 1
/** ORPHAN_INDEX files pods and ReplicaSets without a controller under their namespace, for adoption. */
export const ORPHAN_INDEX = 'apps:orphans-by-namespace'

const RS = 'apps/replicasets'

/** orphanIndex is the index function behind ORPHAN_INDEX. */
export function orphanIndex(o: KubeObject): string[] {
  return controllerUid(o) || !o.metadata?.namespace ? [] : [o.metadata.namespace]
}

const selectorCache = new WeakMap<object, Selector | null>()

/** selectorOf parses a workload's spec.selector once per cached object (null when invalid). */
export function selectorOf(o: KubeObject): Selector | null {
  const spec = o.spec as {selector?: unknown} | undefined
  if (!spec || typeof spec !== 'object') return null
  let s = selectorCache.get(spec)
  if (s === undefined) {
    try {
      s = labelSelectorFromObject((spec.selector ?? null) as any)
    } catch {
      s = null
    }
    selectorCache.set(spec, s)
  }
  return s
}

/** PodFacts memoises what a sync reads from one cached pod object (cached objects are replaced, never edited). */
interface PodFacts {
  active: boolean
  ready: boolean
  sel?: Selector
  selMatch?: boolean
  tpl?: Selector
  tplMatch?: boolean
}

const podFacts = new WeakMap<object, PodFacts>()

/** factsOf returns the memoised facts of a cached pod; a sync over 1,000 unchanged pods then costs little. */
function factsOf(pod: KubeObject): PodFacts {
  let f = podFacts.get(pod)
  if (!f) podFacts.set(pod, (f = {active: isPodActive(pod), ready: isPodReady(pod)}))
  return f
}

/**
 * podChangeMatters says whether a pod update can change what a sync of its ReplicaSet does or reports: its labels,
 * owners, uid, deletion, activity (phase) or Ready condition (status and transition time, for availability).
 * updatePod in replica_set.go enqueues on every update; the others (a binding, a container's start time, an IP)
 * would only run a sync over all the set's pods that changes nothing, one per pod during a scale-out.
 */
function podChangeMatters(old: KubeObject, pod: KubeObject): boolean {
  const om = old.metadata ?? {}
  const m = pod.metadata ?? {}
  if (om.uid !== m.uid || om.deletionTimestamp !== m.deletionTimestamp || isPodActive(old) !== isPodActive(pod)) {
    return true
  }
  if (!jsonEqual(om.labels, m.labels) || !jsonEqual(om.ownerReferences, m.ownerReferences)) return true
  const oc = podReadyCondition(old)
  const c = podReadyCondition(pod)
  return oc?.status !== c?.status || oc?.lastTransitionTime !== c?.lastTransitionTime
}

/** matchesMemo says whether the pod's labels match sel, remembering the last selector asked. */
function matchesMemo(pod: KubeObject, sel: Selector): boolean {
  const f = factsOf(pod)
  if (f.sel !== sel) {
    f.sel = sel
    f.selMatch = sel.matches(pod.metadata?.labels ?? {})
  }
  return f.selMatch!
}

function templateMatchesMemo(pod: KubeObject, tpl: Selector): boolean {
  const f = factsOf(pod)
  if (f.tpl !== tpl) {
    f.tpl = tpl
    f.tplMatch = tpl.matches(pod.metadata?.labels ?? {})
  }
  return f.tplMatch!
}

const templateSelectors = new WeakMap<object, Selector>()

/** templateSelectorOf is the selector of a ReplicaSet's template labels, made once per cached spec. */
function templateSelectorOf(rs: KubeObject): Selector {
  const spec = (rs.spec ?? {}) as any
  let s = templateSelectors.get(spec)
  if (!s) templateSelectors.set(spec, (s = selectorFromSet(spec.template?.metadata?.labels ?? {})))
  return s
}

/** slowStartBatch runs fn count times in batches 1, 2, 4, ..., stopping after a batch with an error. */
export function slowStartBatch(
  count: number,
  initial: number,
  runBatch: (size: number) => {ok: number; err?: unknown},
): {ok: number; attempted: number; err?: unknown} {
  let remaining = count
  let ok = 0
  let attempted = 0
  for (let size = Math.min(remaining, initial); size > 0; size = Math.min(2 * size, remaining)) {
    const r = runBatch(size)
    ok += r.ok
    attempted += size
    if (r.err !== undefined) return {ok, attempted, err: r.err}
    remaining -= size
  }
  return {ok, attempted}
}

/** errorMessage is err.Error() of an API error or any thrown value. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

/** ReplicaSetController keeps each ReplicaSet's pods at spec.replicas. */
export class ReplicaSetController implements Controller {
  readonly name = 'replicaset'
  readonly expectations: Expectations
  private readonly rsInf: Informer
  private readonly podInf: Informer
  private readonly events: EventRecorder
  /** deleting holds, per ReplicaSet key, the pods it deleted and has not yet seen go (UIDTrackingControllerExpectations). */
  private readonly deleting = new Map<string, Set<string>>()

  constructor(private readonly ctx: ControllerContext) {
    this.expectations = new Expectations(ctx.clock)
    this.rsInf = ctx.informers.for(RS)
    this.podInf = ctx.informers.for('pods')
    this.rsInf.addIndex(ORPHAN_INDEX, orphanIndex)
    this.podInf.addIndex(ORPHAN_INDEX, orphanIndex)
    this.events = ctx.events.withSource({component: 'replicaset-controller'})
    // Expectations are lowered as soon as the cache holds a change, before any sync runs (addPod/deletePod).
    this.podInf.onChange((type, pod, old) => this.observe(type, pod, old))
  }

  watches() {
    return [
      {resource: RS},
      {
        resource: 'pods',
        keys: (pod: KubeObject, type: WatchEventType, old: KubeObject | undefined) => this.podKeys(pod, type, old),
      },
    ]
  }

  private rsKeyOfRef(pod: KubeObject): string | undefined {
    const ref = controllerOf(pod)
    return ref?.kind === 'ReplicaSet' ? `${pod.metadata?.namespace}/${ref.name}` : undefined
  }

  private observe(type: WatchEventType, pod: KubeObject, old: KubeObject | undefined): void {
    const key = this.rsKeyOfRef(pod)
    if (!key) return
    if (type === 'ADDED') {
      this.expectations.observedAdd(key)
      if (!pod.metadata?.deletionTimestamp) return
    }
    if (type === 'DELETED' || (pod.metadata?.deletionTimestamp && !old?.metadata?.deletionTimestamp)) {
      const set = this.deleting.get(key)
      if (set?.delete(keyOf(pod))) {
        this.expectations.observedDelete(key)
        if (set.size === 0) this.deleting.delete(key)
      }
    }
  }

  /** podKeys maps a pod change to the ReplicaSets to sync (addPod/updatePod/deletePod). */
  private podKeys(pod: KubeObject, type: WatchEventType, old: KubeObject | undefined): string[] {
    if (type === 'MODIFIED' && old && !podChangeMatters(old, pod)) return []
    const out = new Set<string>()
    const cur = this.rsKeyOfRef(pod)
    if (cur) out.add(cur)
    const prev = old && this.rsKeyOfRef(old)
    if (prev) out.add(prev)
    // An orphan may be adopted by any ReplicaSet whose selector matches, when it appears or its labels or owner change.
    if (!controllerOf(pod) && type !== 'DELETED') {
      const changed = !old || !jsonEqual(old.metadata?.labels, pod.metadata?.labels) || controllerOf(old) !== undefined
      if (changed) for (const rs of this.matchingReplicaSets(pod)) out.add(keyOf(rs))
    }
    return [...out]
  }

  /** matchingReplicaSets lists the ReplicaSets of the pod's namespace whose selector matches its labels. */
  private matchingReplicaSets(pod: KubeObject): KubeObject[] {
    const ns = pod.metadata?.namespace
    if (!ns) return []
    const labels = pod.metadata?.labels ?? {}
    return this.rsInf.list(ns).filter((rs) => {
      const sel = selectorOf(rs)
      return !!sel && !sel.empty() && sel.matches(labels)
    })
  }

  sync(key: string): SyncResult | void {
    const rs = this.rsInf.getByKey(key)
    if (!rs) {
      this.expectations.forget(key)
      this.deleting.delete(key)
      return
    }
    const needsSync = this.expectations.satisfied(key)
    const selector = selectorOf(rs)
    if (!selector) {
      this.ctx.log(`replicaset ${key}: invalid selector`)
      return
    }
    const pods = this.claimPods(rs, selector)
    let manageErr: unknown
    if (needsSync && !rs.metadata?.deletionTimestamp) {
      try {
        this.manageReplicas(key, pods, rs)
      } catch (e) {
        manageErr = e
      }
    }
    // Status is computed from the pods claimed before manageReplicas acted, as upstream does.
    const now = this.ctx.clock.now()
    const {status, nextAvailableInMs} = this.calculateStatus(rs, pods, manageErr, now)
    const updated = this.updateStatus(rs, status)
    // The pods created before the failure exist (and their events say so): commit them, then retry with back-off.
    if (manageErr !== undefined) return {retryError: manageErr}
    const mrs = Number((updated.spec as any)?.minReadySeconds ?? 0)
    if (mrs > 0 && nextAvailableInMs !== undefined) return {requeueAfterMs: nextAvailableInMs}
  }

  /**
   * claimPods is ClaimPods with the ControllerRefManager's rules, over the active pods this ReplicaSet controls
   * and the orphans of its namespace: keep owned pods that match, release owned pods that do not, adopt matching
   * orphans (after re-reading the ReplicaSet, so a ReplicaSet being deleted adopts nothing).
   */
  private claimPods(rs: KubeObject, selector: Selector): KubeObject[] {
    const uid = String(rs.metadata?.uid)
    const ns = String(rs.metadata?.namespace)
    const claimed: KubeObject[] = []
    const deleting = !!rs.metadata?.deletionTimestamp
    for (const pod of this.podInf.ownedBy(uid)) {
      if (!factsOf(pod).active) continue
      if (matchesMemo(pod, selector)) {
        claimed.push(pod)
        continue
      }
      if (deleting) continue
      this.release(pod, uid)
    }
    if (deleting || selector.empty()) return claimed
    let canAdopt: boolean | undefined
    for (const pod of this.podInf.byIndex(ORPHAN_INDEX, ns)) {
      if (!isPodActive(pod) || !selector.matches(pod.metadata?.labels)) continue
      if (canAdopt === undefined) {
        const fresh = this.ctx.client.tryGet(RS, ns, String(rs.metadata?.name))
        canAdopt = !!fresh && fresh.metadata?.uid === uid && !fresh.metadata?.deletionTimestamp
      }
      if (!canAdopt) break
      const adopted = this.adopt(pod, rs)
      if (adopted) claimed.push(adopted)
    }
    return claimed
  }

  private adopt(pod: KubeObject, rs: KubeObject): KubeObject | undefined {
    const uid = pod.metadata?.uid
    try {
      return this.ctx.client.mutate('pods', pod.metadata?.namespace, String(pod.metadata?.name), (cur) => {
        if (cur.metadata?.uid !== uid || controllerOf(cur) || cur.metadata?.deletionTimestamp) return undefined
        cur.metadata!.ownerReferences = [...(cur.metadata?.ownerReferences ?? []), controllerRef(rs)]
        return cur
      })
    } catch (e) {
      if (isNotFound(e)) return undefined
      throw e
    }
  }

  private release(pod: KubeObject, ownerUid: string): void {
    const uid = pod.metadata?.uid
    try {
      this.ctx.client.mutate('pods', pod.metadata?.namespace, String(pod.metadata?.name), (cur) => {
        if (cur.metadata?.uid !== uid) return undefined
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

  /** manageReplicas creates or deletes pods towards spec.replicas; throws the first write error. */
  private manageReplicas(key: string, pods: KubeObject[], rs: KubeObject): void {
    const want = Number((rs.spec as any)?.replicas ?? 0)
    const diff = pods.length - want
    if (diff < 0) {
      const count = Math.min(-diff, BURST_REPLICAS)
      this.expectations.expect(key, count, 0)
      const ref = controllerRef(rs)
      const template = (rs.spec as any)?.template
      if (!template?.metadata?.labels || Object.keys(template.metadata.labels).length === 0) {
        this.expectations.expect(key, 0, 0)
        throw new Error('unable to create pods, no labels')
      }
      const res = slowStartBatch(count, SLOW_START_INITIAL_BATCH, (size) => {
        let ok = 0
        let err: unknown
        // One batch is one commit: its pods reach the informers (and lower the expectations) together.
        this.ctx.client.transaction(() => {
          for (let i = 0; i < size; i++) {
            try {
              const pod = this.ctx.client.create('pods', podFromTemplate(template, rs, ref))
              this.events.normal(rs, 'SuccessfulCreate', `Created pod: ${pod.metadata?.name}`)
              ok++
            } catch (e) {
              // A failed create is never observed: lower the expectation now.
              this.expectations.observedAdd(key)
              // Every create fails in a terminating namespace: no event, and not an error (as upstream).
              if (isNamespaceTerminating(e)) continue
              this.events.warning(rs, 'FailedCreate', `Error creating: ${errorMessage(e)}`)
              err ??= e
            }
          }
        })
        return {ok, err}
      })
      // Pods never attempted are not expected either (failed ones were lowered as they failed); the next sync
      // tries again from a batch of one.
      for (let i = res.attempted; i < count; i++) this.expectations.observedAdd(key)
      if (res.err !== undefined) throw res.err
      return
    }
    if (diff > 0) {
      const count = Math.min(diff, BURST_REPLICAS)
      const victims = this.podsToDelete(rs, pods, count)
      let set = this.deleting.get(key)
      if (!set) this.deleting.set(key, (set = new Set()))
      for (const p of victims) set.add(keyOf(p))
      this.expectations.expect(key, 0, victims.length)
      let firstErr: unknown
      this.ctx.client.transaction(() => {
        for (const p of victims) {
          const name = String(p.metadata?.name)
          try {
            this.ctx.client.delete('pods', p.metadata?.namespace, name, {preconditions: {uid: String(p.metadata?.uid)}})
            this.events.normal(rs, 'SuccessfulDelete', `Deleted pod: ${name}`)
          } catch (e) {
            // The informer will not see this deletion: lower the expectation now.
            if (set!.delete(keyOf(p))) this.expectations.observedDelete(key)
            if (isNotFound(e)) continue
            this.events.warning(rs, 'FailedDelete', `Error deleting: ${errorMessage(e)}`)
            firstErr ??= e
          }
        }
      })
      if (firstErr !== undefined) throw firstErr
    }
  }

  /**
   * podsToDelete is getPodsToDelete: rank by ActivePodsWithRanks, where a pod's rank is the number of active pods
   * of the same owner's ReplicaSets (getIndirectlyRelatedPods) on its node.
   */
  private podsToDelete(rs: KubeObject, pods: KubeObject[], count: number): KubeObject[] {
    if (count >= pods.length) return pods.slice(0, count)
    const onNode = new Map<string, number>()
    for (const p of this.relatedPods(rs)) {
      if (!isPodActive(p)) continue
      const node = String((p.spec as any)?.nodeName ?? '')
      onNode.set(node, (onNode.get(node) ?? 0) + 1)
    }
    const ranked = pods.map((pod) => ({pod, rank: onNode.get(String((pod.spec as any)?.nodeName ?? '')) ?? 0}))
    return sortForDeletion(ranked, this.ctx.clock.now())
      .slice(0, count)
      .map((r) => r.pod)
  }

  /** relatedPods are the pods of every ReplicaSet with the same controller as rs (or rs's own). */
  private relatedPods(rs: KubeObject): KubeObject[] {
    const owner = controllerOf(rs)
    if (!owner) return this.podInf.ownedBy(String(rs.metadata?.uid))
    const out: KubeObject[] = []
    for (const sibling of this.rsInf.ownedBy(owner.uid)) out.push(...this.podInf.ownedBy(String(sibling.metadata?.uid)))
    return out
  }

  /** calculateStatus is calculateStatus of replica_set_utils.go, plus when the next pod becomes available. */
  private calculateStatus(
    rs: KubeObject,
    pods: KubeObject[],
    manageErr: unknown,
    now: number,
  ): {status: any; nextAvailableInMs?: number} {
    const old = (rs.status ?? {}) as any
    const spec = (rs.spec ?? {}) as any
    const mrs = Number(spec.minReadySeconds ?? 0)
    const tplSel = templateSelectorOf(rs)
    let fully = 0
    let ready = 0
    let available = 0
    let next: number | undefined
    for (const pod of pods) {
      if (templateMatchesMemo(pod, tplSel)) fully++
      if (factsOf(pod).ready) {
        ready++
        const wait = mrs ? availableInMs(pod, mrs, now) : 0
        if (wait === 0) available++
        else if (wait !== undefined) next = next === undefined ? wait : Math.min(next, wait)
      }
    }
    let conditions: any[] | undefined = old.conditions ? [...old.conditions] : undefined
    const failure = conditions?.find((c) => c.type === 'ReplicaFailure')
    if (manageErr !== undefined && !failure) {
      const diff = pods.length - Number(spec.replicas ?? 0)
      const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : ''
      conditions = [
        ...(conditions ?? []),
        {
          type: 'ReplicaFailure',
          status: 'True',
          lastTransitionTime: rfc3339(now),
          reason,
          message: errorMessage(manageErr),
        },
      ]
    } else if (manageErr === undefined && failure) {
      conditions = conditions!.filter((c) => c.type !== 'ReplicaFailure')
    }
    const status: any = {replicas: pods.length}
    if (fully) status.fullyLabeledReplicas = fully
    if (ready) status.readyReplicas = ready
    if (available) status.availableReplicas = available
    if (old.observedGeneration) status.observedGeneration = old.observedGeneration
    if (conditions?.length) status.conditions = conditions
    return {status, nextAvailableInMs: next}
  }

  /** updateStatus is updateReplicaSetStatus: write only when a counter, a condition or the generation moved. */
  private updateStatus(rs: KubeObject, status: any): KubeObject {
    const old = (rs.status ?? {}) as any
    const gen = Number(rs.metadata?.generation ?? 0)
    const num = (v: unknown) => Number(v ?? 0)
    if (
      num(old.replicas) === status.replicas &&
      num(old.fullyLabeledReplicas) === num(status.fullyLabeledReplicas) &&
      num(old.readyReplicas) === num(status.readyReplicas) &&
      num(old.availableReplicas) === num(status.availableReplicas) &&
      gen === num(old.observedGeneration) &&
      jsonEqual(old.conditions ?? [], status.conditions ?? [])
    ) {
      return rs
    }
    // Field order as apps/v1 ReplicaSetStatus serializes (observedGeneration before conditions).
    const {conditions, ...counts} = status
    delete counts.observedGeneration
    status = {...counts, ...(gen ? {observedGeneration: gen} : {}), ...(conditions ? {conditions} : {})}
    const uid = rs.metadata?.uid
    try {
      return this.ctx.client.mutate(
        RS,
        rs.metadata?.namespace,
        String(rs.metadata?.name),
        (cur) => {
          if (cur.metadata?.uid !== uid) return undefined
          cur.status = status
          return cur
        },
        {subresource: 'status'},
      )
    } catch (e) {
      if (isNotFound(e)) return rs
      throw e
    }
  }
}

/** isNamespaceTerminating: the create failed because the namespace is going away (NamespaceTerminatingCause). */
function isNamespaceTerminating(e: unknown): boolean {
  return e instanceof StatusError && !!e.status.details?.causes?.some((c) => c.reason === 'NamespaceTerminating')
}

/** replicaSetController is the factory the manager runs. */
export const replicaSetController: ControllerFactory = (ctx) => new ReplicaSetController(ctx)
