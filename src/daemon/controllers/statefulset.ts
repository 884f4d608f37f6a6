// statefulset.ts: the StatefulSet controller (follows kubernetes pkg/controller/statefulset: stateful_set.go,
// stateful_set_control.go, stateful_pod_control.go, stateful_set_utils.go, as of 1.32).
//
// One sync: claim the pods named `<set>-<ordinal>` that match the selector, find or create the update revision
// (a ControllerRevision of the template), then walk the ordinals:
//   - every ordinal in [start, start+replicas) gets a pod (its PVCs first, from volumeClaimTemplates), at the
//     current revision below the partition and the update revision from it;
//   - OrderedReady ("monotonic") stops at the first pod that is not Running, Ready and Available, so pods start one
//     at a time in order; Parallel creates and deletes them all at once;
//   - pods past the end are condemned and deleted from the highest ordinal down (monotonic: one at a time, after
//     the previous one is gone, and only while every live replica is healthy);
//   - RollingUpdate deletes the highest-ordinal pod not at the update revision (ordinals >= partition), waiting
//     for each replacement to be healthy; OnDelete leaves that to the user.
// Then status is written (replicas, ready/available/current/updated counts, revisions, collisionCount) and old
// revisions beyond revisionHistoryLimit are deleted.
import {isAlreadyExists, isNotFound} from '../../api/errors.js'
import type {KubeObject} from '../../api/object.js'
import {labelSelectorFromObject, type Selector} from '../../api/labels.js'
import type {EventRecorder} from './framework/events.js'
import type {Informer} from './framework/informer.js'
import {controllerOf, controllerRef, ownerKeys, type OwnerReference} from './framework/owner.js'
import {
  TerminalError,
  keyOf,
  type Controller,
  type ControllerContext,
  type ControllerFactory,
  type SyncResult,
} from './framework/types.js'
import {
  ControllerHistory,
  POD_REVISION_LABEL,
  addOrphanIndex,
  applyRevision,
  availableAfterMs,
  claimPods,
  equalRevision,
  isPodReady,
  newControllerRevision,
  nextRevision,
  sortRevisions,
  templatePatch,
} from './history.js'

/** STATEFULSET_POD_NAME_LABEL is apps.StatefulSetPodNameLabel. */
export const STATEFULSET_POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name'
/** POD_INDEX_LABEL is apps.PodIndexLabel (feature PodIndexLabel, on by default since 1.28). */
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index'

const NAME_RE = /^(.*)-([0-9]+)$/

/** parentAndOrdinal splits `web-3` into its set name and ordinal; ordinal -1 when the name has no ordinal. */
export function parentAndOrdinal(pod: KubeObject): {parent: string; ordinal: number} {
  const m = NAME_RE.exec(String(pod.metadata?.name ?? ''))
  if (!m) return {parent: '', ordinal: -1}
  const n = Number(m[2])
  return Number.isSafeInteger(n) ? {parent: m[1]!, ordinal: n} : {parent: '', ordinal: -1}
}

function ordinalOf(pod: KubeObject): number {
  return parentAndOrdinal(pod).ordinal
}

function phase(pod: KubeObject): string {
  return String((pod.status as any)?.phase ?? '')
}

/** isCreated: the apiserver gave the pod a phase (a planned pod has none). */
const isCreated = (pod: KubeObject) => phase(pod) !== ''
const isTerminating = (pod: KubeObject) => !!pod.metadata?.deletionTimestamp
const isRunningAndReady = (pod: KubeObject) => phase(pod) === 'Running' && isPodReady(pod)
const isHealthy = (pod: KubeObject) => isRunningAndReady(pod) && !isTerminating(pod)
const podRevision = (pod: KubeObject) => pod.metadata?.labels?.[POD_REVISION_LABEL] ?? ''

interface SetSpec {
  replicas?: number
  selector?: any
  template?: any
  serviceName?: string
  podManagementPolicy?: string
  updateStrategy?: {type?: string; rollingUpdate?: {partition?: number; maxUnavailable?: unknown}}
  volumeClaimTemplates?: any[]
  revisionHistoryLimit?: number
  minReadySeconds?: number
  ordinals?: {start?: number}
  persistentVolumeClaimRetentionPolicy?: {whenDeleted?: string; whenScaled?: string}
}

const specOf = (set: KubeObject) => (set.spec ?? {}) as SetSpec
const startOrdinal = (set: KubeObject) => Number(specOf(set).ordinals?.start ?? 0)
const replicaCount = (set: KubeObject) => Number(specOf(set).replicas ?? 1)

/** claimName is getPersistentVolumeClaimName: `<template>-<set>-<ordinal>`. */
export function claimName(set: KubeObject, template: string, ordinal: number): string {
  return `${template}-${set.metadata?.name}-${ordinal}`
}

/** podClaims is getPersistentVolumeClaims: the PVCs a pod of set needs, from the volumeClaimTemplates. */
export function podClaims(set: KubeObject, ordinal: number): KubeObject[] {
  const s = specOf(set)
  const matchLabels = (s.selector?.matchLabels ?? {}) as Record<string, string>
  return (s.volumeClaimTemplates ?? []).map((t) => {
    const claim = structuredClone(t) as any
    const labels = t.metadata?.labels ? {...t.metadata.labels, ...matchLabels} : {...matchLabels}
    claim.apiVersion = 'v1'
    claim.kind = 'PersistentVolumeClaim'
    claim.metadata = {
      ...claim.metadata,
      name: claimName(set, String(t.metadata?.name), ordinal),
      namespace: set.metadata?.namespace,
    }
    if (Object.keys(labels).length > 0) claim.metadata.labels = labels
    delete claim.metadata.creationTimestamp
    delete claim.status
    return claim as KubeObject
  })
}

/** newStatefulSetPod is newStatefulSetPod: the pod of ordinal from set's template, with identity and storage. */
export function newStatefulSetPod(set: KubeObject, ordinal: number, revision: string): KubeObject {
  const tpl = (specOf(set).template ?? {}) as any
  const setName = String(set.metadata?.name)
  const name = `${setName}-${ordinal}`
  const meta: Record<string, unknown> = {
    name,
    generateName: `${setName}-`,
    namespace: set.metadata?.namespace,
    labels: {
      ...tpl.metadata?.labels,
      [STATEFULSET_POD_NAME_LABEL]: name,
      [POD_INDEX_LABEL]: String(ordinal),
      [POD_REVISION_LABEL]: revision,
    },
  }
  if (tpl.metadata?.annotations) meta.annotations = {...tpl.metadata.annotations}
  if (tpl.metadata?.finalizers) meta.finalizers = [...tpl.metadata.finalizers]
  meta.ownerReferences = [controllerRef(set)]
  const spec = structuredClone(tpl.spec ?? {})
  spec.hostname = name
  if (specOf(set).serviceName) spec.subdomain = specOf(set).serviceName
  // updateStorage: one PVC volume per claim template, then the template's other volumes.
  const templates = specOf(set).volumeClaimTemplates ?? []
  if (templates.length > 0) {
    const names = new Set(templates.map((t) => String(t.metadata?.name)))
    const vols: any[] = templates.map((t) => ({
      name: String(t.metadata?.name),
      persistentVolumeClaim: {claimName: claimName(set, String(t.metadata?.name), ordinal)},
    }))
    for (const v of spec.volumes ?? []) if (!names.has(v.name)) vols.push(v)
    spec.volumes = vols
  }
  return {apiVersion: 'v1', kind: 'Pod', metadata: meta, spec} as KubeObject
}

/** identityMatches is identityMatches: the pod's name, namespace and pod-name label fit its ordinal in set. */
function identityMatches(set: KubeObject, pod: KubeObject): boolean {
  const {parent, ordinal} = parentAndOrdinal(pod)
  return (
    ordinal >= 0 &&
    parent === set.metadata?.name &&
    pod.metadata?.namespace === set.metadata?.namespace &&
    pod.metadata?.labels?.[STATEFULSET_POD_NAME_LABEL] === pod.metadata?.name &&
    pod.metadata?.labels?.[POD_INDEX_LABEL] === String(ordinal)
  )
}

interface Status {
  observedGeneration?: number
  replicas: number
  readyReplicas?: number
  currentReplicas?: number
  updatedReplicas?: number
  currentRevision?: string
  updateRevision?: string
  collisionCount?: number
  availableReplicas: number
}

/** Exit tells a monotonic walk over the ordinals to stop for this sync. */
const EXIT = true
const GO_ON = false

/** StatefulSetController reconciles StatefulSets (kube-controller-manager's "statefulset" controller). */
export class StatefulSetController implements Controller {
  readonly name = 'statefulset'
  private readonly sets: Informer
  private readonly pods: Informer
  private readonly claims: Informer
  private readonly history: ControllerHistory
  private readonly events: EventRecorder

  constructor(private readonly ctx: ControllerContext) {
    this.sets = ctx.informers.for('apps/statefulsets')
    this.pods = ctx.informers.for('pods')
    this.claims = ctx.informers.for('persistentvolumeclaims')
    this.history = new ControllerHistory(ctx.client, ctx.informers.for('apps/controllerrevisions'))
    this.events = ctx.events.withSource({component: 'statefulset-controller'})
    addOrphanIndex(this.pods)
  }

  watches() {
    const owned = ownerKeys('StatefulSet')
    return [
      {resource: 'apps/statefulsets'},
      {
        resource: 'pods',
        // An orphan is offered to the set its name points at (getPodStatefulSets, narrowed by isMemberOf).
        keys: (o: KubeObject, t: string, old: KubeObject | undefined) => {
          const keys = owned(o, t, old)
          if (keys.length > 0 || controllerOf(o)) return keys
          const {parent} = parentAndOrdinal(o)
          const set = parent ? this.sets.get(o.metadata?.namespace, parent) : undefined
          return set ? [keyOf(set)] : []
        },
      },
      {resource: 'apps/controllerrevisions', keys: () => undefined},
      {resource: 'persistentvolumeclaims', keys: () => undefined},
    ]
  }

  sync(key: string): SyncResult | void {
    const cached = this.sets.getByKey(key)
    if (!cached) return
    const set = cached
    let selector: Selector
    try {
      selector = labelSelectorFromObject(specOf(set).selector)
    } catch (e) {
      throw new TerminalError(`invalid selector: ${(e as Error).message}`)
    }
    const pods = claimPods(
      this.ctx.client,
      this.pods,
      set,
      selector,
      (p) => parentAndOrdinal(p).parent === set.metadata?.name,
    )
    const revisions = sortRevisions(this.history.list(set, selector))
    const {current, update, collisionCount} = this.revisionsOf(set, revisions)
    const run = new SetSync(this, set, current, update, collisionCount, pods)
    const status = run.run()
    this.writeStatus(set, status)
    this.truncateHistory(set, pods, revisions, current, update)
    const wait = run.waitMs
    if (wait !== undefined) return {requeueAfterMs: wait}
  }

  /** revisionsOf is getStatefulSetRevisions: the current and update revisions, creating or renumbering one. */
  private revisionsOf(set: KubeObject, revisions: KubeObject[]) {
    const collision = {value: Number((set.status as any)?.collisionCount ?? 0)}
    const raw = templatePatch(set)
    const next = nextRevision(revisions)
    let update = newControllerRevision(set, (specOf(set).template as any)?.metadata?.labels, raw, next, collision.value)
    const equal = revisions.filter((r) => equalRevision(r, update))
    const last = revisions[revisions.length - 1]
    if (equal.length > 0 && last && equalRevision(last, equal[equal.length - 1]!)) update = last
    else if (equal.length > 0) update = this.history.updateRevision(equal[equal.length - 1]!, next)
    else update = this.history.create(set, update, collision)
    const currentName = (set.status as any)?.currentRevision
    const current = revisions.find((r) => r.metadata?.name === currentName) ?? update
    return {current, update, collisionCount: collision.value}
  }

  /** truncateHistory deletes the oldest revisions no pod uses beyond revisionHistoryLimit. */
  private truncateHistory(
    set: KubeObject,
    pods: KubeObject[],
    revisions: KubeObject[],
    current: KubeObject,
    update: KubeObject,
  ) {
    const live = new Set<string>([String(current.metadata?.name), String(update.metadata?.name)])
    for (const p of pods) live.add(podRevision(p))
    const old = revisions.filter((r) => !live.has(String(r.metadata?.name)))
    const limit = Number(specOf(set).revisionHistoryLimit ?? 10)
    for (const r of old.slice(0, Math.max(0, old.length - limit))) this.history.delete(r)
  }

  /** writeStatus is updateStatefulSetStatus: complete a finished rolling update, write when something changed. */
  private writeStatus(set: KubeObject, status: Status) {
    const st = specOf(set).updateStrategy?.type ?? 'RollingUpdate'
    if (
      st === 'RollingUpdate' &&
      status.updatedReplicas === status.replicas &&
      status.readyReplicas === status.replicas
    ) {
      status.currentReplicas = status.updatedReplicas
      status.currentRevision = status.updateRevision
    }
    const out: Record<string, unknown> = {}
    // Field order and omitempty of apps/v1 StatefulSetStatus.
    if (status.observedGeneration) out.observedGeneration = status.observedGeneration
    out.replicas = status.replicas
    if (status.readyReplicas) out.readyReplicas = status.readyReplicas
    if (status.currentReplicas) out.currentReplicas = status.currentReplicas
    if (status.updatedReplicas) out.updatedReplicas = status.updatedReplicas
    if (status.currentRevision) out.currentRevision = status.currentRevision
    if (status.updateRevision) out.updateRevision = status.updateRevision
    out.collisionCount = status.collisionCount ?? 0
    const conditions = (set.status as any)?.conditions
    if (conditions) out.conditions = conditions
    out.availableReplicas = status.availableReplicas
    if (sameStatus((set.status ?? {}) as Record<string, unknown>, out)) return
    try {
      this.ctx.client.mutate(
        'apps/statefulsets',
        set.metadata?.namespace,
        String(set.metadata?.name),
        (cur) => {
          if (cur.metadata?.uid !== set.metadata?.uid) return undefined
          if (sameStatus((cur.status ?? {}) as Record<string, unknown>, out)) return undefined
          cur.status = out
          return cur
        },
        {subresource: 'status'},
      )
    } catch (e) {
      if (!isNotFound(e)) throw e
    }
  }

  // --- pod control (stateful_pod_control.go) ---------------------------------------------------------------------

  /** createPod is CreateStatefulPod: the pod's missing PVCs first, then the pod, each with its event. */
  createPod(set: KubeObject, pod: KubeObject): KubeObject {
    try {
      this.createMissingClaims(set, pod)
    } catch (e) {
      this.podEvent('create', set, pod, e)
      throw e
    }
    try {
      const made = this.ctx.client.create('pods', pod)
      this.podEvent('create', set, pod)
      return made
    } catch (e) {
      if (!isAlreadyExists(e)) this.podEvent('create', set, pod, e)
      throw e
    }
  }

  /** deletePod is DeleteStatefulPod (a graceful delete with default options). */
  deletePod(set: KubeObject, pod: KubeObject): void {
    try {
      this.ctx.client.delete('pods', pod.metadata?.namespace, String(pod.metadata?.name), {
        preconditions: {uid: String(pod.metadata?.uid)},
      })
      this.podEvent('delete', set, pod)
    } catch (e) {
      if (isNotFound(e)) return
      this.podEvent('delete', set, pod, e)
      throw e
    }
  }

  /** updateIdentity is UpdateStatefulPod for what may change on a live pod: its identity labels. */
  updateIdentity(set: KubeObject, pod: KubeObject): KubeObject {
    const {ordinal} = parentAndOrdinal(pod)
    try {
      return this.ctx.client.mutate('pods', pod.metadata?.namespace, String(pod.metadata?.name), (cur) => {
        const labels = {...cur.metadata?.labels}
        if (labels[STATEFULSET_POD_NAME_LABEL] === cur.metadata?.name && labels[POD_INDEX_LABEL] === String(ordinal))
          return undefined
        labels[STATEFULSET_POD_NAME_LABEL] = String(cur.metadata?.name)
        labels[POD_INDEX_LABEL] = String(ordinal)
        cur.metadata = {...cur.metadata, labels}
        return cur
      })
    } catch (e) {
      this.podEvent('update', set, pod, e)
      throw e
    }
  }

  /** createMissingClaims is createPersistentVolumeClaims: create each of the pod's PVCs that does not exist. */
  createMissingClaims(set: KubeObject, pod: KubeObject): void {
    const ordinal = ordinalOf(pod)
    const errs: string[] = []
    for (const claim of podClaims(set, ordinal)) {
      const name = String(claim.metadata?.name)
      if (this.claims.get(claim.metadata?.namespace, name)) continue
      const refs = claimOwnerRefs(set, pod, undefined)
      if (refs.length > 0) claim.metadata!.ownerReferences = refs as any
      try {
        this.ctx.client.create('persistentvolumeclaims', claim)
        this.events.normal(
          set,
          'SuccessfulCreate',
          `create Claim ${name} Pod ${pod.metadata?.name} in StatefulSet ${set.metadata?.name} success`,
        )
      } catch (e) {
        if (isAlreadyExists(e)) continue
        const msg = (e as Error).message
        errs.push(`failed to create PVC ${name}: ${msg}`)
        this.events.warning(
          set,
          'FailedCreate',
          `create Claim ${name} for Pod ${pod.metadata?.name} in StatefulSet ${set.metadata?.name} failed error: ${msg}`,
        )
      }
    }
    if (errs.length > 0) throw new Error(errs.join(', '))
  }

  /** claimIsStale is PodClaimIsStale: a PVC still owned by an earlier pod of the same name blocks creation. */
  claimIsStale(set: KubeObject, pod: KubeObject): boolean {
    for (const claim of podClaims(set, ordinalOf(pod))) {
      const pvc = this.claims.get(claim.metadata?.namespace, String(claim.metadata?.name))
      if (!pvc) continue
      if (pvc.metadata?.deletionTimestamp) return true
      const refs = (pvc.metadata?.ownerReferences ?? []) as OwnerReference[]
      if (refs.some((r) => r.kind === 'Pod' && r.name === pod.metadata?.name && r.uid !== pod.metadata?.uid))
        return true
    }
    return false
  }

  /**
   * syncClaimRefs is ClaimsMatchRetentionPolicy + UpdatePodClaimForRetentionPolicy: give each of the pod's PVCs
   * the ownerReferences persistentVolumeClaimRetentionPolicy asks for (set when whenDeleted=Delete, the pod when
   * whenScaled=Delete and the pod is scaled away), so the garbage collector removes them at the right time.
   */
  syncClaimRefs(set: KubeObject, pod: KubeObject): void {
    for (const claim of podClaims(set, ordinalOf(pod))) {
      const pvc = this.claims.get(claim.metadata?.namespace, String(claim.metadata?.name))
      if (!pvc || pvc.metadata?.deletionTimestamp) continue
      const want = claimOwnerRefs(set, pod, pvc)
      if (JSON.stringify(want) === JSON.stringify(pvc.metadata?.ownerReferences ?? [])) continue
      this.ctx.client.mutate('persistentvolumeclaims', pvc.metadata?.namespace, String(pvc.metadata?.name), (cur) => {
        const refs = claimOwnerRefs(set, pod, cur)
        if (JSON.stringify(refs) === JSON.stringify(cur.metadata?.ownerReferences ?? [])) return undefined
        cur.metadata = {...cur.metadata, ownerReferences: refs as any}
        if (refs.length === 0) delete cur.metadata.ownerReferences
        return cur
      })
    }
  }

  /** recordEvent reports a set-level event (RecreatingFailedPod and the like). */
  event(set: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.events.record(set, type, reason, message)
  }

  private podEvent(verb: string, set: KubeObject, pod: KubeObject, err?: unknown) {
    const title = verb[0]!.toUpperCase() + verb.slice(1)
    if (err === undefined) {
      this.events.normal(
        set,
        `Successful${title}`,
        `${verb} Pod ${pod.metadata?.name} in StatefulSet ${set.metadata?.name} successful`,
      )
    } else {
      const msg = err instanceof Error ? err.message : String(err)
      this.events.warning(
        set,
        `Failed${title}`,
        `${verb} Pod ${pod.metadata?.name} in StatefulSet ${set.metadata?.name} failed error: ${msg}`,
      )
    }
  }

  now(): number {
    return this.ctx.clock.now()
  }

  transaction<T>(fn: () => T): T {
    return this.ctx.client.transaction(fn)
  }
}

/**
 * claimOwnerRefs is updateClaimOwnerRefForSetAndPod: the ownerReferences a PVC of pod should carry under the
 * set's retention policy, keeping references to anything else.
 */
function claimOwnerRefs(set: KubeObject, pod: KubeObject, pvc: KubeObject | undefined): OwnerReference[] {
  const pol = specOf(set).persistentVolumeClaimRetentionPolicy ?? {}
  const setUid = String(set.metadata?.uid)
  const podUid = pod.metadata?.uid ? String(pod.metadata.uid) : undefined
  const refs = ((pvc?.metadata?.ownerReferences ?? []) as OwnerReference[]).filter(
    (r) => r.uid !== setUid && (!podUid || r.uid !== podUid),
  )
  const ord = ordinalOf(pod)
  const scaledDown = ord < startOrdinal(set) || ord >= startOrdinal(set) + replicaCount(set)
  const setRef: OwnerReference = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    name: String(set.metadata?.name),
    uid: setUid,
  }
  const podRef: OwnerReference | undefined = podUid
    ? {apiVersion: 'v1', kind: 'Pod', name: String(pod.metadata?.name), uid: podUid}
    : undefined
  const byPod = pol.whenScaled === 'Delete' && scaledDown
  if (byPod && podRef) refs.push(podRef)
  else if (pol.whenDeleted === 'Delete') refs.push(setRef)
  return refs
}

function sameStatus(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  for (const k of keys) if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) return false
  return true
}

/** SetSync is one pass of updateStatefulSet over one set's pods. */
class SetSync {
  /** waitMs is the shortest wait for a pod to become available (minReadySeconds). */
  waitMs: number | undefined
  private readonly currentSet: KubeObject
  private readonly updateSet: KubeObject
  private readonly currentName: string
  private readonly updateName: string
  private readonly monotonic: boolean
  private readonly minReady: number
  private readonly deleted = new Set<KubeObject>()
  private replicas: KubeObject[] = []
  private condemned: KubeObject[] = []
  private firstUnhealthy: KubeObject | undefined

  constructor(
    private readonly c: StatefulSetController,
    private readonly set: KubeObject,
    current: KubeObject,
    update: KubeObject,
    private readonly collisionCount: number,
    private readonly pods: KubeObject[],
  ) {
    this.currentSet = applyRevision(set, current)
    this.updateSet = applyRevision(set, update)
    this.currentName = String(current.metadata?.name)
    this.updateName = String(update.metadata?.name)
    this.monotonic = specOf(set).podManagementPolicy !== 'Parallel'
    this.minReady = Number(specOf(set).minReadySeconds ?? 0)
  }

  run(): Status {
    const set = this.set
    const start = startOrdinal(set)
    const count = replicaCount(set)
    const slots: (KubeObject | undefined)[] = new Array(count)
    for (const p of this.pods) {
      const ord = ordinalOf(p)
      if (ord >= start && ord < start + count) slots[ord - start] = p
      else if (ord >= 0) this.condemned.push(p)
    }
    this.replicas = Array.from(slots, (p, i) => p ?? this.newVersionedPod(start + i))
    this.condemned.sort((a, b) => ordinalOf(b) - ordinalOf(a))
    let firstOrd = Infinity
    for (const p of [...this.replicas, ...this.condemned]) {
      const ord = ordinalOf(p)
      if (!isHealthy(p) && ord < firstOrd) {
        firstOrd = ord
        this.firstUnhealthy = p
      }
    }
    if (set.metadata?.deletionTimestamp) return this.status()

    if (this.forAll(this.replicas, (i) => this.processReplica(i))) return this.status()
    if (this.forAll(this.condemned, (i) => this.fixClaims(this.condemned[i]!))) return this.status()
    if (this.forAll(this.condemned, (i) => this.processCondemned(i))) return this.status()
    if ((specOf(set).updateStrategy?.type ?? 'RollingUpdate') === 'OnDelete') return this.status()

    // Rolling update: delete the highest ordinal not at the update revision, then wait for it to come back.
    const partition = Number(specOf(set).updateStrategy?.rollingUpdate?.partition ?? 0)
    for (let target = this.replicas.length - 1; target >= partition; target--) {
      const pod = this.replicas[target]!
      if (podRevision(pod) !== this.updateName && !isTerminating(pod)) {
        this.c.deletePod(set, pod)
        this.deleted.add(pod)
        break
      }
      if (!isHealthy(pod)) break
    }
    return this.status()
  }

  /** forAll is runForAll: in order, stopping at the first EXIT, when monotonic; all of them, in one commit, when not. */
  private forAll(pods: KubeObject[], fn: (i: number) => boolean): boolean {
    if (this.monotonic) {
      for (let i = 0; i < pods.length; i++) if (fn(i) === EXIT) return true
      return false
    }
    let failure: unknown
    this.c.transaction(() => {
      for (let i = 0; i < pods.length; i++) {
        try {
          fn(i)
        } catch (e) {
          failure ??= e
        }
      }
    })
    if (failure !== undefined) throw failure
    return false
  }

  private newVersionedPod(ordinal: number): KubeObject {
    const ru = specOf(this.set).updateStrategy
    const partition = ru?.rollingUpdate ? Number(ru.rollingUpdate.partition ?? 0) : undefined
    const idx = ordinal - startOrdinal(this.set)
    const currentReplicas = Number((this.set.status as any)?.currentReplicas ?? 0)
    const atCurrent =
      ((ru?.type ?? 'RollingUpdate') === 'RollingUpdate' && partition === undefined && idx < currentReplicas) ||
      (partition !== undefined && idx < partition)
    return atCurrent
      ? newStatefulSetPod(this.currentSet, ordinal, this.currentName)
      : newStatefulSetPod(this.updateSet, ordinal, this.updateName)
  }

  private available(pod: KubeObject): boolean {
    const left = availableAfterMs(pod, this.minReady, this.c.now())
    if (left === undefined) return false
    if (left > 0) this.waitMs = Math.min(this.waitMs ?? Infinity, left)
    return left === 0
  }

  private processReplica(i: number): boolean {
    const set = this.set
    let pod = this.replicas[i]!
    // Pods that ran to completion (failed, or Succeeded after a node reboot) are replaced.
    const ph = phase(pod)
    if (ph === 'Failed' || ph === 'Succeeded') {
      if (ph === 'Failed') {
        this.c.event(
          set,
          'Warning',
          'RecreatingFailedPod',
          `StatefulSet ${set.metadata?.namespace}/${set.metadata?.name} is recreating failed Pod ${pod.metadata?.name}`,
        )
      } else {
        this.c.event(
          set,
          'Normal',
          'RecreatingTerminatedPod',
          `StatefulSet ${set.metadata?.namespace}/${set.metadata?.name} is recreating terminated Pod ${pod.metadata?.name}`,
        )
      }
      this.c.deletePod(set, pod)
      this.deleted.add(pod)
      pod = this.replicas[i] = this.newVersionedPod(ordinalOf(pod))
    }
    if (!isCreated(pod)) {
      // The old pod's PVC is still being cleaned up: try again when it is gone.
      if (this.c.claimIsStale(set, pod)) return EXIT
      this.replicas[i] = this.c.createPod(set, pod)
      return this.monotonic ? EXIT : GO_ON
    }
    if (ph === 'Pending') this.c.createMissingClaims(set, pod)
    if (isTerminating(pod) && this.monotonic) return EXIT
    if (!isRunningAndReady(pod) && this.monotonic) return EXIT
    if (!this.available(pod) && this.monotonic) return EXIT
    if (!identityMatches(set, pod)) this.replicas[i] = this.c.updateIdentity(set, pod)
    this.c.syncClaimRefs(this.updateSet, pod)
    return GO_ON
  }

  private fixClaims(pod: KubeObject): boolean {
    this.c.syncClaimRefs(this.updateSet, pod)
    return GO_ON
  }

  private processCondemned(i: number): boolean {
    const pod = this.condemned[i]!
    if (isTerminating(pod)) return this.monotonic ? EXIT : GO_ON
    if (this.monotonic && pod !== this.firstUnhealthy && !isRunningAndReady(pod)) return EXIT
    if (this.monotonic && pod !== this.firstUnhealthy && !this.available(pod)) return EXIT
    this.c.deletePod(this.set, pod)
    this.deleted.add(pod)
    return EXIT
  }

  /** status is computeReplicaStatus over the pods as this pass left them (deleted ones no longer count). */
  private status(): Status {
    const s: Status = {
      observedGeneration: Number(this.set.metadata?.generation ?? 0),
      replicas: 0,
      readyReplicas: 0,
      currentReplicas: 0,
      updatedReplicas: 0,
      currentRevision: this.currentName,
      updateRevision: this.updateName,
      collisionCount: this.collisionCount,
      availableReplicas: 0,
    }
    const now = this.c.now()
    for (const p of [...this.replicas, ...this.condemned]) {
      if (this.deleted.has(p) || !isCreated(p)) continue
      s.replicas++
      if (isRunningAndReady(p)) {
        s.readyReplicas!++
        if (availableAfterMs(p, this.minReady, now) === 0) s.availableReplicas++
        else if (this.minReady > 0) this.available(p)
      }
      if (!isTerminating(p)) {
        if (podRevision(p) === this.currentName) s.currentReplicas!++
        if (podRevision(p) === this.updateName) s.updatedReplicas!++
      }
    }
    return s
  }
}

/** statefulSetController builds the StatefulSet controller. */
export const statefulSetController: ControllerFactory = (ctx) => new StatefulSetController(ctx)
