// daemonset.ts: the DaemonSet controller (follows kubernetes pkg/controller/daemon: daemon_controller.go,
// update.go and util/daemonset_util.go, as of 1.32).
//
// One sync: find or create the ControllerRevision of the current template, map the set's pods to their nodes,
// and for every node decide whether a daemon pod should run there (nodeSelector, required node affinity, and the
// node's NoSchedule/NoExecute taints against the pod's tolerations, which include the standard ones the
// controller adds). Nodes that need a pod get one, pinned to the node with a required node affinity on
// metadata.name (the scheduler binds it); pods on nodes that should not run one, surplus pods, and failed pods
// are deleted. Then RollingUpdate replaces old pods within maxUnavailable (or surges within maxSurge), old
// revisions beyond revisionHistoryLimit are deleted, and status is written.
//
// No expectations are kept: a sync is synchronous and the informers hold every write as soon as it returns,
// so the next sync always sees this one's creates and deletes.
import {podMatchesNodeSelectorAndAffinity} from '../scheduler/affinity.js'
import {findUntoleratedTaint, type Taint, type Toleration} from '../scheduler/taints.js'
import {isDeepStrictEqual} from 'node:util'
import {isNotFound} from '../../api/errors.js'
import type {KubeObject} from '../../api/object.js'
import {labelSelectorFromObject, type Selector} from '../../api/labels.js'
import type {EventRecorder} from './framework/events.js'
import type {Informer} from './framework/informer.js'
import {controllerOf, controllerRef, ownerKeys} from './framework/owner.js'
import {
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
  availableAfterMs,
  claimPods,
  isPodReady,
  revisionNumber,
  revisionRaw,
  safeEncodeString,
  fnv32,
  sortRevisions,
  templatePatch,
} from './history.js'

/** TEMPLATE_GENERATION_LABEL is extensions.DaemonSetTemplateGenerationKey. */
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation'
/** TEMPLATE_GENERATION_ANNOTATION holds spec.templateGeneration in apps/v1. */
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation'

/** BURST_REPLICAS caps the creates and deletes of one sync (the controller's burstReplicas). */
const BURST_REPLICAS = 250
const FAILED_BACKOFF_INITIAL_MS = 1_000
const FAILED_BACKOFF_MAX_MS = 15 * 60_000

/** untolerated is the first taint with one of effects that no toleration tolerates. */
function untolerated(taints: Taint[], tols: Toleration[], effects: string[]): Taint | undefined {
  return findUntoleratedTaint(taints, tols, (taint) => effects.includes(taint.effect))
}

/**
 * daemonPodTolerations is AddOrUpdateDaemonPodTolerations: daemon pods survive not-ready and unreachable nodes
 * (NoExecute) and the TaintNodesByCondition taints (NoSchedule); network-unavailable only for hostNetwork pods.
 */
export function daemonPodTolerations(spec: any): Toleration[] {
  const tols: Toleration[] = [...(spec?.tolerations ?? [])]
  const add = (key: string, effect: string) => {
    const t = {key, operator: 'Exists', effect}
    const i = tols.findIndex((x) => x.key === key && x.effect === effect && (x.operator ?? 'Equal') === 'Exists')
    if (i < 0) tols.push(t)
  }
  add('node.kubernetes.io/not-ready', 'NoExecute')
  add('node.kubernetes.io/unreachable', 'NoExecute')
  add('node.kubernetes.io/disk-pressure', 'NoSchedule')
  add('node.kubernetes.io/memory-pressure', 'NoSchedule')
  add('node.kubernetes.io/pid-pressure', 'NoSchedule')
  add('node.kubernetes.io/unschedulable', 'NoSchedule')
  if (spec?.hostNetwork) add('node.kubernetes.io/network-unavailable', 'NoSchedule')
  return tols
}

/**
 * nodeMatchesAffinity is GetRequiredNodeAffinity(pod).Match(node): every nodeSelector label, and one of the
 * required node selector terms; the scheduler's NodeAffinity filter decides the same way.
 */
export const nodeMatchesAffinity = podMatchesNodeSelectorAndAffinity

/**
 * nodeShouldRunDaemonPod is NodeShouldRunDaemonPod: shouldRun says a pod should be created on the node;
 * shouldContinueRunning says an existing one may stay (true when only NoSchedule taints are untolerated).
 */
export function nodeShouldRunDaemonPod(
  node: KubeObject,
  ds: KubeObject,
): {shouldRun: boolean; shouldContinueRunning: boolean} {
  const spec = ((ds.spec as any)?.template?.spec ?? {}) as any
  const name = node.metadata?.name
  if (spec.nodeName && spec.nodeName !== name) return {shouldRun: false, shouldContinueRunning: false}
  if (!nodeMatchesAffinity(spec, node)) return {shouldRun: false, shouldContinueRunning: false}
  const taints = ((node.spec as any)?.taints ?? []) as Taint[]
  const tols = daemonPodTolerations(spec)
  if (untolerated(taints, tols, ['NoSchedule', 'NoExecute'])) {
    return {shouldRun: false, shouldContinueRunning: !untolerated(taints, tols, ['NoExecute'])}
  }
  return {shouldRun: true, shouldContinueRunning: true}
}

/** targetNodeName is util.GetTargetNodeName: spec.nodeName, or the node the metadata.name affinity pins it to. */
export function targetNodeName(pod: KubeObject): string | undefined {
  const spec = (pod.spec ?? {}) as any
  if (spec.nodeName) return String(spec.nodeName)
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []
  for (const t of terms) {
    for (const r of t?.matchFields ?? []) {
      if (r.key === 'metadata.name' && r.operator === 'In' && r.values?.length === 1) return String(r.values[0])
    }
  }
  return undefined
}

/** pinToNode is ReplaceDaemonSetPodNodeNameNodeAffinity: the required node affinity becomes metadata.name In [node]. */
function pinToNode(affinity: any, node: string): any {
  const term = {matchFields: [{key: 'metadata.name', operator: 'In', values: [node]}]}
  const a = affinity ? structuredClone(affinity) : {}
  a.nodeAffinity = {...a.nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [term]}}
  return a
}

/** templateGeneration is util.GetTemplateGeneration, falling back to metadata.generation when unannotated. */
function templateGeneration(ds: KubeObject): string | undefined {
  const a = ds.metadata?.annotations?.[TEMPLATE_GENERATION_ANNOTATION]
  if (a !== undefined) return a
  return ds.metadata?.generation !== undefined ? String(ds.metadata.generation) : undefined
}

/** isPodUpdated is util.IsPodUpdated: the pod carries the template generation or the current revision hash. */
function isPodUpdated(pod: KubeObject, hash: string, generation: string | undefined): boolean {
  const labels = pod.metadata?.labels ?? {}
  return (
    (generation !== undefined && labels[TEMPLATE_GENERATION_LABEL] === generation) ||
    (hash !== '' && labels[POD_REVISION_LABEL] === hash)
  )
}

/** intOrPercent is GetScaledValueFromIntOrPercent rounding up. */
function intOrPercent(v: unknown, total: number): number {
  if (typeof v === 'string' && v.endsWith('%')) return Math.ceil((Number.parseInt(v, 10) * total) / 100)
  return Number(v ?? 0)
}

/** podOrder is podByCreationTimestampAndPhase: running before pending, then older first, then by name. */
function podOrder(a: KubeObject, b: KubeObject): number {
  const pa = (a.status as any)?.phase === 'Running' ? 0 : 1
  const pb = (b.status as any)?.phase === 'Running' ? 0 : 1
  if (pa !== pb) return pa - pb
  const ta = String(a.metadata?.creationTimestamp ?? '')
  const tb = String(b.metadata?.creationTimestamp ?? '')
  return ta === tb ? String(a.metadata?.name).localeCompare(String(b.metadata?.name)) : ta < tb ? -1 : 1
}

interface DsSpec {
  selector?: any
  template?: any
  updateStrategy?: {type?: string; rollingUpdate?: {maxUnavailable?: unknown; maxSurge?: unknown}}
  minReadySeconds?: number
  revisionHistoryLimit?: number
}
const specOf = (ds: KubeObject) => (ds.spec ?? {}) as DsSpec

/** DaemonSetController reconciles DaemonSets (kube-controller-manager's "daemonset" controller). */
export class DaemonSetController implements Controller {
  readonly name = 'daemonset'
  private readonly sets: Informer
  private readonly pods: Informer
  private readonly nodes: Informer
  private readonly revisions: Informer
  private readonly history: ControllerHistory
  private readonly events: EventRecorder
  /** failedBackoff is the failed-pod back-off per "<ds uid>/<node>" (failedPodsBackoff). */
  private readonly failedBackoff = new Map<string, {delay: number; at: number}>()

  constructor(private readonly ctx: ControllerContext) {
    this.sets = ctx.informers.for('apps/daemonsets')
    this.pods = ctx.informers.for('pods')
    this.nodes = ctx.informers.for('nodes')
    this.revisions = ctx.informers.for('apps/controllerrevisions')
    this.history = new ControllerHistory(ctx.client, this.revisions)
    this.events = ctx.events.withSource({component: 'daemonset-controller'})
    addOrphanIndex(this.pods)
  }

  watches() {
    const owned = ownerKeys('DaemonSet')
    return [
      {resource: 'apps/daemonsets'},
      {
        resource: 'pods',
        // Orphans are offered to every set in the namespace whose selector matches (getDaemonSetsForPod).
        keys: (o: KubeObject, t: string, old: KubeObject | undefined) => {
          const keys = owned(o, t, old)
          if (keys.length > 0 || controllerOf(o) || t === 'DELETED') return keys
          return this.sets
            .list(o.metadata?.namespace)
            .filter((ds) => this.selects(ds, o))
            .map(keyOf)
        },
      },
      {
        resource: 'nodes',
        // Only label and taint changes can change where daemon pods run (shouldIgnoreNodeUpdate).
        keys: (n: KubeObject, t: string, old: KubeObject | undefined) => {
          if (
            t === 'MODIFIED' &&
            old &&
            isDeepStrictEqual(n.metadata?.labels ?? {}, old.metadata?.labels ?? {}) &&
            isDeepStrictEqual((n.spec as any)?.taints ?? [], (old.spec as any)?.taints ?? [])
          ) {
            return []
          }
          return this.sets.list().map(keyOf)
        },
      },
      {resource: 'apps/controllerrevisions', keys: () => undefined},
    ]
  }

  private selects(ds: KubeObject, pod: KubeObject): boolean {
    try {
      const sel = specOf(ds).selector
      if (!sel || (!sel.matchLabels && !sel.matchExpressions)) return false
      return labelSelectorFromObject(sel).matches(pod.metadata?.labels ?? {})
    } catch {
      return false
    }
  }

  sync(key: string): SyncResult | void {
    const ds = this.sets.getByKey(key)
    if (!ds) {
      for (const k of this.failedBackoff.keys()) if (k.startsWith(`${key}/`)) this.failedBackoff.delete(k)
      return
    }
    const sel = specOf(ds).selector
    let selector: Selector
    try {
      selector = labelSelectorFromObject(sel)
    } catch {
      return
    }
    if (!sel || Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0) {
      this.events.warning(
        ds,
        'SelectingAll',
        'This daemon set is selecting all pods. A non-empty selector is required.',
      )
      return
    }
    const nodes = this.nodes.list()
    if (ds.metadata?.deletionTimestamp) return
    const {cur, old} = this.constructHistory(ds, selector)
    const hash = String(cur.metadata?.labels?.[POD_REVISION_LABEL] ?? '')
    const waits: number[] = []
    this.manage(ds, selector, nodes, hash, key, waits)
    if ((specOf(ds).updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate')
      this.rollingUpdate(ds, selector, nodes, hash, waits)
    this.cleanupHistory(ds, selector, old)
    this.updateStatus(ds, selector, nodes, hash, waits)
    if (waits.length > 0) return {requeueAfterMs: Math.min(...waits)}
  }

  /** nodeToDaemonPods is getNodesToDaemonPods: the set's pods by target node, without finished deleted ones. */
  private nodeToDaemonPods(ds: KubeObject, selector: Selector): Map<string, KubeObject[]> {
    const m = new Map<string, KubeObject[]>()
    for (const p of claimPods(this.ctx.client, this.pods, ds, selector)) {
      const ph = (p.status as any)?.phase
      if ((ph === 'Succeeded' || ph === 'Failed') && p.metadata?.deletionTimestamp) continue
      const node = targetNodeName(p)
      if (node === undefined) continue
      let list = m.get(node)
      if (!list) m.set(node, (list = []))
      list.push(p)
    }
    return m
  }

  /** manage creates the missing daemon pods and deletes the ones that should not run (manage + podsShouldBeOnNode). */
  private manage(ds: KubeObject, selector: Selector, nodes: KubeObject[], hash: string, key: string, waits: number[]) {
    const byNode = this.nodeToDaemonPods(ds, selector)
    const surge = this.allowsSurge(ds)
    const now = this.ctx.clock.now()
    const needing: string[] = []
    const toDelete: KubeObject[] = []
    const known = new Set<string>()
    for (const node of nodes) {
      const name = String(node.metadata?.name)
      known.add(name)
      const {shouldRun, shouldContinueRunning} = nodeShouldRunDaemonPod(node, ds)
      const pods = byNode.get(name)
      if (shouldRun && !pods) {
        needing.push(name)
      } else if (shouldContinueRunning && pods) {
        const running: KubeObject[] = []
        for (const p of pods) {
          if (p.metadata?.deletionTimestamp) continue
          const ph = (p.status as any)?.phase
          if (ph === 'Failed') {
            // Back off before killing failed pods again: a kubelet that keeps rejecting them would hot-loop.
            const bk = `${key}/${name}`
            const b = this.failedBackoff.get(bk)
            if (b && now - b.at < b.delay) {
              waits.push(b.delay - (now - b.at))
              continue
            }
            this.failedBackoff.set(bk, {
              delay: b ? Math.min(b.delay * 2, FAILED_BACKOFF_MAX_MS) : FAILED_BACKOFF_INITIAL_MS,
              at: now,
            })
            this.events.warning(
              ds,
              'FailedDaemonPod',
              `Found failed daemon pod ${p.metadata?.namespace}/${p.metadata?.name} on node ${name}, will try to kill it`,
            )
            toDelete.push(p)
          } else if (ph === 'Succeeded') {
            toDelete.push(p)
          } else {
            running.push(p)
          }
        }
        if (running.length <= 1) continue
        running.sort(podOrder)
        if (!surge) {
          toDelete.push(...running.slice(1))
          continue
        }
        // With surge, keep the oldest new pod and, while it is not available yet, the oldest ready old pod.
        let oldestNew: KubeObject | undefined
        let oldestOld: KubeObject | undefined
        for (const p of running) {
          const updated = p.metadata?.labels?.[POD_REVISION_LABEL] === hash
          if (updated && !oldestNew) oldestNew = p
          else if (!updated && !oldestOld) oldestOld = p
          else toDelete.push(p)
        }
        if (oldestNew && oldestOld) {
          if (!isPodReady(oldestOld) || availableAfterMs(oldestNew, specOf(ds).minReadySeconds, now) === 0)
            toDelete.push(oldestOld)
        }
      } else if (!shouldContinueRunning && pods) {
        for (const p of pods) if (!p.metadata?.deletionTimestamp) toDelete.push(p)
      }
    }
    // Pods pinned to nodes that no longer exist can never run: unscheduled ones go (getUnscheduledPodsWithoutNode),
    // and so do bound ones, at once, as the pod GC's orphan sweep would.
    const orphaned: KubeObject[] = []
    for (const [node, pods] of byNode) {
      if (known.has(node)) continue
      for (const p of pods) (((p.spec as any)?.nodeName ? orphaned : toDelete) as KubeObject[]).push(p)
    }
    this.syncNodes(ds, toDelete, needing, hash, orphaned)
  }

  private allowsSurge(ds: KubeObject): boolean {
    const ru = specOf(ds).updateStrategy
    if ((ru?.type ?? 'RollingUpdate') !== 'RollingUpdate') return false
    return intOrPercent(ru?.rollingUpdate?.maxSurge ?? 0, 100) > 0
  }

  /** syncNodes creates pods on nodes and deletes pods, at most BURST_REPLICAS of each, in one commit. */
  private syncNodes(
    ds: KubeObject,
    toDelete: KubeObject[],
    nodes: string[],
    hash: string,
    forceDelete: KubeObject[] = [],
  ) {
    if (toDelete.length === 0 && nodes.length === 0 && forceDelete.length === 0) return
    const generation = templateGeneration(ds)
    const tpl = structuredClone(specOf(ds).template ?? {}) as any
    // CreatePodTemplate: the standard tolerations, the template generation and the revision hash.
    tpl.spec = {...tpl.spec, tolerations: daemonPodTolerations(tpl.spec)}
    const labels: Record<string, string> = {...tpl.metadata?.labels}
    if (generation !== undefined) labels[TEMPLATE_GENERATION_LABEL] = generation
    if (hash) labels[POD_REVISION_LABEL] = hash
    const ns = ds.metadata?.namespace
    let failure: unknown
    this.ctx.client.transaction(() => {
      for (const node of nodes.slice(0, BURST_REPLICAS)) {
        const meta: Record<string, unknown> = {generateName: `${ds.metadata?.name}-`, namespace: ns, labels}
        if (tpl.metadata?.annotations) meta.annotations = tpl.metadata.annotations
        if (tpl.metadata?.finalizers) meta.finalizers = tpl.metadata.finalizers
        meta.ownerReferences = [controllerRef(ds)]
        const pod = {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: meta,
          spec: {...tpl.spec, affinity: pinToNode(tpl.spec.affinity, node)},
        }
        try {
          const made = this.ctx.client.create('pods', structuredClone(pod) as KubeObject)
          this.events.normal(ds, 'SuccessfulCreate', `Created pod: ${made.metadata?.name}`)
        } catch (e) {
          this.events.warning(ds, 'FailedCreate', `Error creating: ${(e as Error).message}`)
          failure ??= e
        }
      }
      const del = (p: KubeObject, force: boolean) => {
        try {
          this.ctx.client.delete('pods', ns, String(p.metadata?.name), {
            preconditions: {uid: String(p.metadata?.uid)},
            ...(force ? {gracePeriodSeconds: 0} : {}),
          })
          this.events.normal(ds, 'SuccessfulDelete', `Deleted pod: ${p.metadata?.name}`)
        } catch (e) {
          if (isNotFound(e)) return
          this.events.warning(ds, 'FailedDelete', `Error deleting: ${(e as Error).message}`)
          failure ??= e
        }
      }
      for (const p of toDelete.slice(0, BURST_REPLICAS)) del(p, false)
      for (const p of forceDelete.slice(0, BURST_REPLICAS)) del(p, true)
    })
    if (failure !== undefined) throw failure
  }

  /** rollingUpdate is update.go's rollingUpdate: replace old pods within maxUnavailable, or surge within maxSurge. */
  private rollingUpdate(ds: KubeObject, selector: Selector, nodes: KubeObject[], hash: string, waits: number[]) {
    const byNode = this.nodeToDaemonPods(ds, selector)
    const now = this.ctx.clock.now()
    const minReady = specOf(ds).minReadySeconds
    const gen = templateGeneration(ds)
    const nodeByName = new Map<string, KubeObject>()
    let desired = 0
    for (const n of nodes) {
      nodeByName.set(String(n.metadata?.name), n)
      if (!nodeShouldRunDaemonPod(n, ds).shouldRun) continue
      desired++
      if (!byNode.has(String(n.metadata?.name))) byNode.set(String(n.metadata?.name), [])
    }
    const ru = specOf(ds).updateStrategy?.rollingUpdate ?? {}
    let maxUnavailable = intOrPercent(ru.maxUnavailable ?? 1, desired)
    const maxSurge = intOrPercent(ru.maxSurge ?? 0, desired)
    if (maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1
    const available = (p: KubeObject) => {
      const left = availableAfterMs(p, minReady, now)
      if (left !== undefined && left > 0) waits.push(left)
      return left === 0
    }
    const split = (pods: KubeObject[]) => {
      let newPod: KubeObject | undefined
      let oldPod: KubeObject | undefined
      for (const p of pods) {
        if (p.metadata?.deletionTimestamp) continue
        if (isPodUpdated(p, hash, gen)) {
          if (newPod) return undefined
          newPod = p
        } else {
          if (oldPod) return undefined
          oldPod = p
        }
      }
      return {newPod, oldPod}
    }
    const names = [...byNode.keys()].sort()
    if (maxSurge === 0) {
      let unavailable = 0
      const replace: KubeObject[] = []
      const candidates: KubeObject[] = []
      for (const name of names) {
        const s = split(byNode.get(name)!)
        if (!s) {
          unavailable++
          continue
        }
        const {newPod, oldPod} = s
        if ((!oldPod && !newPod) || (oldPod && newPod)) unavailable++
        else if (newPod) {
          if (!available(newPod)) unavailable++
        } else if (oldPod) {
          if (!available(oldPod)) {
            replace.push(oldPod)
            unavailable++
          } else if (unavailable < maxUnavailable) candidates.push(oldPod)
        }
      }
      const room = Math.min(Math.max(0, maxUnavailable - unavailable), candidates.length)
      this.syncNodes(ds, [...replace, ...candidates.slice(0, room)], [], hash)
      return
    }
    let surged = 0
    const oldToDelete: KubeObject[] = []
    const allowedNew: string[] = []
    const candidateNew: string[] = []
    for (const name of names) {
      const s = split(byNode.get(name)!)
      if (!s) {
        surged++
        continue
      }
      const {newPod, oldPod} = s
      if (!oldPod) continue
      if (!newPod) {
        if (!available(oldPod)) {
          const node = nodeByName.get(name)
          if (!node || !nodeShouldRunDaemonPod(node, ds).shouldRun) oldToDelete.push(oldPod)
          else allowedNew.push(name)
        } else if (surged < maxSurge) candidateNew.push(name)
        continue
      }
      if (!available(newPod)) {
        surged++
        continue
      }
      oldToDelete.push(oldPod)
    }
    const room = Math.min(Math.max(0, maxSurge - surged), candidateNew.length)
    this.syncNodes(ds, oldToDelete, [...allowedNew, ...candidateNew.slice(0, room)], hash)
  }

  /**
   * constructHistory finds the revision matching the current template (deduplicating, renumbering it to the
   * newest when a rollback reuses it) or snapshots a new one; the rest are old.
   */
  private constructHistory(ds: KubeObject, selector: Selector): {cur: KubeObject; old: KubeObject[]} {
    const raw = templatePatch(ds)
    const all = sortRevisions(this.history.list(ds, selector))
    const current: KubeObject[] = []
    const old: KubeObject[] = []
    for (let h of all) {
      if (h.metadata?.labels?.[POD_REVISION_LABEL] === undefined) {
        h = this.ctx.client.mutate('apps/controllerrevisions', h.metadata?.namespace, String(h.metadata?.name), (c) => {
          c.metadata = {...c.metadata, labels: {...c.metadata?.labels, [POD_REVISION_LABEL]: String(c.metadata?.name)}}
          return c
        })
      }
      if (revisionRaw(h) === raw) current.push(h)
      else old.push(h)
    }
    const next = old.reduce((m, h) => Math.max(m, revisionNumber(h)), 0) + 1
    if (current.length === 0) return {cur: this.snapshot(ds, raw, next), old}
    // dedupCurHistories: keep the newest, move pods of the others to its hash, delete them.
    const keep = current[current.length - 1]!
    const keepHash = String(keep.metadata?.labels?.[POD_REVISION_LABEL])
    for (const dup of current.slice(0, -1)) {
      const dupHash = dup.metadata?.labels?.[POD_REVISION_LABEL]
      for (const p of this.pods.ownedBy(String(ds.metadata?.uid))) {
        if (p.metadata?.labels?.[POD_REVISION_LABEL] !== dupHash) continue
        this.ctx.client.mutate('pods', p.metadata?.namespace, String(p.metadata?.name), (c) => {
          c.metadata = {...c.metadata, labels: {...c.metadata?.labels, [POD_REVISION_LABEL]: keepHash}}
          return c
        })
      }
      this.history.delete(dup)
    }
    return {cur: this.history.updateRevision(keep, Math.max(next, revisionNumber(keep))), old}
  }

  /** snapshot stores a new revision named `<ds>-<hash>`, raising collisionCount on a clash with other data. */
  private snapshot(ds: KubeObject, raw: string, revision: number): KubeObject {
    let collisions = Number((ds.status as any)?.collisionCount ?? 0)
    for (;;) {
      // controller.ComputeHash hashes the template and the collision count; FNV-1 over the patch stands in for it.
      const hash = safeEncodeString(String(fnv32(collisions ? raw + String(collisions) : raw)))
      const name = `${ds.metadata?.name}-${hash}`
      const existing = this.ctx.client.tryGet('apps/controllerrevisions', ds.metadata?.namespace, name)
      if (existing) {
        if (revisionRaw(existing) === raw) return existing
        collisions++
        this.ctx.client.mutate(
          'apps/daemonsets',
          ds.metadata?.namespace,
          String(ds.metadata?.name),
          (c) => {
            c.status = {...(c.status as object), collisionCount: collisions}
            return c
          },
          {subresource: 'status'},
        )
        continue
      }
      const annotations = ds.metadata?.annotations
      return this.ctx.client.create('apps/controllerrevisions', {
        apiVersion: 'apps/v1',
        kind: 'ControllerRevision',
        metadata: {
          name,
          namespace: ds.metadata?.namespace,
          labels: {...(specOf(ds).template?.metadata?.labels ?? {}), [POD_REVISION_LABEL]: hash},
          ...(annotations && Object.keys(annotations).length > 0 ? {annotations: {...annotations}} : {}),
          ownerReferences: [controllerRef(ds)],
        },
        data: JSON.parse(raw),
        revision,
      })
    }
  }

  /** cleanupHistory deletes the oldest old revisions no live pod uses, down to revisionHistoryLimit. */
  private cleanupHistory(ds: KubeObject, selector: Selector, old: KubeObject[]) {
    let toKill = old.length - Number(specOf(ds).revisionHistoryLimit ?? 10)
    if (toKill <= 0) return
    const live = new Set<string>()
    for (const pods of this.nodeToDaemonPods(ds, selector).values()) {
      for (const p of pods) {
        const h = p.metadata?.labels?.[POD_REVISION_LABEL]
        if (h) live.add(h)
      }
    }
    for (const h of sortRevisions([...old])) {
      if (toKill <= 0) break
      if (live.has(String(h.metadata?.labels?.[POD_REVISION_LABEL]))) continue
      this.history.delete(h)
      toKill--
    }
  }

  /** updateStatus is updateDaemonSetStatus: counts over the nodes that should run a pod, written when changed. */
  private updateStatus(ds: KubeObject, selector: Selector, nodes: KubeObject[], hash: string, waits: number[]) {
    const byNode = this.nodeToDaemonPods(ds, selector)
    const now = this.ctx.clock.now()
    const gen = templateGeneration(ds)
    const minReady = specOf(ds).minReadySeconds
    let desired = 0
    let current = 0
    let misscheduled = 0
    let ready = 0
    let updated = 0
    let available = 0
    for (const node of nodes) {
      const {shouldRun} = nodeShouldRunDaemonPod(node, ds)
      const pods = byNode.get(String(node.metadata?.name)) ?? []
      if (!shouldRun) {
        if (pods.length > 0) misscheduled++
        continue
      }
      desired++
      if (pods.length === 0) continue
      current++
      const pod = [...pods].sort(podOrder)[0]!
      if (isPodReady(pod)) {
        ready++
        const left = availableAfterMs(pod, minReady, now)
        if (left === 0) available++
        else if (left !== undefined) waits.push(left)
      }
      if (isPodUpdated(pod, hash, gen)) updated++
    }
    const prev = (ds.status ?? {}) as Record<string, unknown>
    // Field order and omitempty of apps/v1 DaemonSetStatus.
    const out: Record<string, unknown> = {
      currentNumberScheduled: current,
      numberMisscheduled: misscheduled,
      desiredNumberScheduled: desired,
      numberReady: ready,
    }
    if (ds.metadata?.generation) out.observedGeneration = ds.metadata.generation
    if (updated) out.updatedNumberScheduled = updated
    if (available) out.numberAvailable = available
    if (desired - available) out.numberUnavailable = desired - available
    if (prev.collisionCount !== undefined) out.collisionCount = prev.collisionCount
    if (prev.conditions !== undefined) out.conditions = prev.conditions
    const same = (a: Record<string, unknown>) => {
      const keys = new Set([...Object.keys(a), ...Object.keys(out)])
      for (const k of keys) if (JSON.stringify(a[k]) !== JSON.stringify(out[k])) return false
      return true
    }
    if (same(prev)) return
    try {
      this.ctx.client.mutate(
        'apps/daemonsets',
        ds.metadata?.namespace,
        String(ds.metadata?.name),
        (c) => {
          if (c.metadata?.uid !== ds.metadata?.uid) return undefined
          const cs = (c.status ?? {}) as Record<string, unknown>
          if (cs.collisionCount !== undefined) out.collisionCount = cs.collisionCount
          if (same(cs)) return undefined
          c.status = out
          return c
        },
        {subresource: 'status'},
      )
    } catch (e) {
      if (!isNotFound(e)) throw e
    }
  }
}

/** daemonSetController builds the DaemonSet controller. */
export const daemonSetController: ControllerFactory = (ctx) => new DaemonSetController(ctx)
