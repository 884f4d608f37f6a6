// scheduler.ts: kube-scheduler as a controller over unbound pods (pkg/scheduler/schedule_one.go). One sync
// schedules one pod: PreFilter, the filters on every node, scoring of the feasible nodes, then a Binding. A pod
// that fits nowhere gets PodScheduled=False (reason Unschedulable) and a FailedScheduling event with the
// kube-scheduler message, and waits in the unschedulable set until the cluster changes (a node is added or
// changes, an assigned pod goes away) or 5 minutes pass (podMaxInUnschedulablePodsDuration), as the scheduling
// queue's unschedulablePods does. As in kube-scheduler, the binding cycle runs apart from the scheduling cycle: a
// chosen node is assumed in the cache at once (so the next pod sees it taken), and the queued Bindings are written
// together in one transaction when the scheduler's queue drains, in the same turn; a failed one is forgotten and
// the pod retried.
import type {KubeObject} from '../../api/object.js'
import {isConflict, isNotFound} from '../../api/errors.js'
import {rfc3339} from '../clock.js'
import type {Client} from '../controllers/framework/client.js'
import type {EventRecorder} from '../controllers/framework/events.js'
import type {
  Controller,
  ControllerContext,
  ControllerFactory,
  ControllerQueue,
  SyncResult,
  WatchSpec,
} from '../controllers/framework/types.js'
import {keyOf} from '../controllers/framework/types.js'
import {setPodCondition} from '../registry/pod-subresources.js'
import type {NamespaceLabels} from './affinity.js'
import {isAssigned, SchedulerCache, type NodeInfo, type PodInfo} from './cache.js'
import {fitErrorMessage, NO_NODES_MESSAGE, preFilter, runFilters, type FilterStatus} from './filters.js'
import {preempt} from './preemption.js'
import {scoreNodes} from './score.js'

/** SCHEDULER_NAME is the profile this scheduler serves (spec.schedulerName). */
export const SCHEDULER_NAME = 'default-scheduler'

/** UNSCHEDULABLE_RETRY_MS is how long an unschedulable pod waits without a cluster change (5 minutes). */
export const UNSCHEDULABLE_RETRY_MS = 5 * 60_000

/**
 * numFeasibleNodesToFind follows schedule_one.go: clusters under 100 nodes filter every node; larger ones stop
 * filtering once an adaptive share of the nodes is feasible (percentageOfNodesToScore unset: 50 % minus 1 % per
 * 125 nodes, at least 5 %, at least 100 nodes), so 1,000 nodes score 420 of them.
 */
export function numFeasibleNodesToFind(allNodes: number): number {
  if (allNodes < 100) return allNodes
  const percentage = Math.max(5, 50 - Math.floor(allNodes / 125))
  return Math.max(100, Math.floor((allNodes * percentage) / 100))
}

/** ScheduleOutcome says what one attempt did (tests read it). */
export type ScheduleOutcome = {bound: string} | {unschedulable: string; nominated?: string}

function sameJSON(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null)
}

/** nodeChangeMayHelp follows the queue's node events: a new node, or a change of what the filters read. */
function nodeChangeMayHelp(obj: KubeObject, old: KubeObject | undefined): boolean {
  if (!old) return true
  const n = obj as any
  const o = old as any
  if (!sameJSON(n.metadata?.labels, o.metadata?.labels)) return true
  if (Boolean(n.spec?.unschedulable) !== Boolean(o.spec?.unschedulable)) return true
  if (!sameJSON(n.spec?.taints, o.spec?.taints)) return true
  if (!sameJSON(n.status?.allocatable, o.status?.allocatable)) return true
  const ready = (x: any) => (x.status?.conditions ?? []).find((c: any) => c?.type === 'Ready')?.status
  return ready(n) !== ready(o)
}

/** Scheduler is the default scheduler. */
export class Scheduler implements Controller {
  readonly name = 'scheduler'
  private cache: SchedulerCache | undefined
  /** unschedulable maps a pod key to the resourceVersion it failed at and when. */
  private readonly unschedulable = new Map<string, {rv: string; at: number}>()
  private readonly client: Client
  private readonly events: EventRecorder
  private readonly nsLabels: NamespaceLabels
  /** nextStartNodeIndex is where the next filtering pass begins, so successive pods look at different nodes. */
  private nextStartNodeIndex = 0
  /** feasible is schedule()'s list of the nodes that passed the filters, reused from one pod to the next. */
  private readonly feasible: NodeInfo[] = []
  /** binding holds the pods assumed on a node whose Binding is not written yet, by key, in scheduling order. */
  private readonly binding = new Map<string, {pod: KubeObject; node: string}>()
  private queue?: ControllerQueue

  constructor(private readonly ctx: ControllerContext) {
    this.client = ctx.client.as('kube-scheduler')
    this.events = ctx.events.withSource({component: SCHEDULER_NAME})
    this.nsLabels = (ns) =>
      ctx.informers.for('namespaces').get(undefined, ns)?.metadata?.labels as Record<string, string> | undefined
  }

  watches(): WatchSpec[] {
    return [
      // Every pod change enqueues the pod (cheap for bound pods); the same events may flush the unschedulable set.
      {resource: 'pods'},
      {resource: 'pods', keys: (obj, type, old) => (this.podChangeMayHelp(obj, type, old) ? this.flush() : undefined)},
      {
        resource: 'nodes',
        keys: (obj, type, old) => (type !== 'DELETED' && nodeChangeMayHelp(obj, old) ? this.flush() : undefined),
      },
    ]
  }

  start(): void {
    this.ensure()
  }

  attach(queue: ControllerQueue): void {
    this.queue = queue
  }

  /** podChangeMayHelp: an assigned pod went away (deleted or finished) or changed labels (affinity). */
  private podChangeMayHelp(obj: KubeObject, type: string, old: KubeObject | undefined): boolean {
    if (this.unschedulable.size === 0) return false
    if (type === 'DELETED') return isAssigned(obj)
    if (!old || !isAssigned(old)) return false
    return !isAssigned(obj) || !sameJSON(obj.metadata?.labels, old.metadata?.labels)
  }

  /** flush moves every unschedulable pod back to the queue (MoveAllToActiveOrBackoffQueue). */
  private flush(): string[] | undefined {
    if (this.unschedulable.size === 0) return undefined
    const keys = [...this.unschedulable.keys()]
    this.unschedulable.clear()
    return keys
  }

  /** ensure builds the cache from the informers once and keeps it current from their changes. */
  private ensure(): SchedulerCache {
    if (this.cache) return this.cache
    const cache = new SchedulerCache(this.nsLabels)
    const nodes = this.ctx.informers.for('nodes')
    const pods = this.ctx.informers.for('pods')
    for (const n of nodes.list()) cache.setNode(n)
    for (const p of pods.list()) cache.setPod(p)
    nodes.onChange((type, obj) =>
      type === 'DELETED' ? cache.removeNode(String(obj.metadata?.name)) : cache.setNode(obj),
    )
    pods.onChange((type, obj) => {
      if (type === 'DELETED') return cache.removePod(keyOf(obj))
      // An assumed pod stays on its node until its Binding is written or fails, whatever else changes meanwhile.
      if (!isAssigned(obj) && this.binding.has(keyOf(obj))) return
      cache.setPod(obj)
    })
    this.cache = cache
    return cache
  }

  /** wants says whether this scheduler should place the pod now. */
  private wants(pod: KubeObject): boolean {
    const spec = (pod.spec ?? {}) as any
    const phase = (pod.status as any)?.phase
    if (spec.nodeName || pod.metadata?.deletionTimestamp || phase === 'Succeeded' || phase === 'Failed') return false
    if ((spec.schedulerName ?? SCHEDULER_NAME) !== SCHEDULER_NAME) return false
    return !(Array.isArray(spec.schedulingGates) && spec.schedulingGates.length > 0)
  }

  sync(key: string): SyncResult | void {
    // Assumed: its Binding is written when the queue drains (and a failure queues the pod again).
    if (this.binding.has(key)) return
    const pod = this.ctx.informers.for('pods').getByKey(key)
    if (!pod || !this.wants(pod)) {
      this.unschedulable.delete(key)
      return
    }
    const now = this.ctx.clock.now()
    const waiting = this.unschedulable.get(key)
    if (waiting && waiting.rv === pod.metadata?.resourceVersion && now < waiting.at + UNSCHEDULABLE_RETRY_MS) {
      return {requeueAfterMs: waiting.at + UNSCHEDULABLE_RETRY_MS - now}
    }
    const out = this.schedule(pod)
    if ('bound' in out) return
    return {requeueAfterMs: UNSCHEDULABLE_RETRY_MS}
  }

  /** schedule runs one scheduling cycle and the binding for pod. */
  schedule(pod: KubeObject): ScheduleOutcome {
    const cache = this.ensure()
    const nodes = cache.nodes()
    if (nodes.length === 0) return this.fail(pod, NO_NODES_MESSAGE)
    const s = preFilter(pod, cache, this.nsLabels)
    // One array for every cycle, its first `count` entries this pod's (nothing else keeps it; emptying it would
    // give up its storage, and it grows again through hundreds of nodes per pod at 1,000 nodes).
    const feasible = this.feasible
    let count = 0
    // findNodesThatPassFilters: start where the last pod stopped and stop once enough nodes are feasible; a small
    // cluster (under 100 nodes) is always filtered whole, in name order.
    const want = numFeasibleNodesToFind(nodes.length)
    const start = this.nextStartNodeIndex % nodes.length
    let processed = 0
    while (processed < nodes.length && count < want) {
      const n = nodes[(start + processed) % nodes.length]!
      processed++
      if (!runFilters(s, n, this.nsLabels)) feasible[count++] = n
    }
    this.nextStartNodeIndex = (start + processed) % nodes.length
    if (count > 0) {
      const best =
        count === 1 ? feasible[0]! : scoreNodes(s, feasible, cache, this.nsLabels, {bestOnly: true, count})[0]!.node
      return this.bind(pod, best.name)
    }
    // No node passed, so every node was filtered, from start on. The reasons are gathered only now, by filtering them
    // again in that order (the filters read the cache and the pod, which have not changed since): keeping a status
    // per failed node while most pods find a node cost a map entry per full node, hundreds per pod in a cluster
    // that is filling up.
    const statuses = new Map<string, FilterStatus>()
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[(start + i) % nodes.length]!
      const st = runFilters(s, n, this.nsLabels)
      if (st) statuses.set(n.name, st)
    }
    const post = preempt(s, statuses, cache, this.nsLabels)
    if (post.nominatedNode && post.victims) this.evictVictims(pod, post.nominatedNode, post.victims)
    return this.fail(pod, fitErrorMessage(nodes.length, statuses.values(), post.message), post.nominatedNode)
  }

  /** bind assumes pod on node (AssumePod) and queues its Binding for flushBindings, when the queue drains. */
  private bind(pod: KubeObject, node: string): ScheduleOutcome {
    const key = keyOf(pod)
    this.binding.set(key, {pod, node})
    this.ensure().setPod({...pod, spec: {...(pod.spec as object), nodeName: node}} as KubeObject)
    this.unschedulable.delete(key)
    return {bound: node}
  }

  /**
   * flushBindings writes the queued Bindings in one transaction (one commit for a burst's pods instead of one each).
   * A pod bound by someone else meanwhile, or gone, is forgotten (the cache takes the informer's copy) and looked at
   * again. Any other failure (or a failed commit, which undoes them all) forgets the assumption and retries the pod
   * with back-off.
   */
  flushBindings(): void {
    const batch = [...this.binding]
    const retry: string[] = []
    const gone: string[] = []
    try {
      this.client.transaction(() => {
        for (const [key, {pod, node}] of batch) {
          const m = pod.metadata ?? {}
          const ns = String(m.namespace)
          const name = String(m.name)
          try {
            const bound = this.client.bind(ns, name, node, {now: this.ctx.clock.now(), uid: m.uid})
            this.events.normal(bound, 'Scheduled', `Successfully assigned ${ns}/${name} to ${node}`)
          } catch (e) {
            if (isConflict(e) || isNotFound(e)) gone.push(key)
            else {
              this.ctx.log(`scheduler: binding ${key} to ${node}: ${e instanceof Error ? e.message : String(e)}`)
              retry.push(key)
            }
          }
        }
      })
    } catch (e) {
      this.ctx.log(`scheduler: bindings: ${e instanceof Error ? e.message : String(e)}`)
      retry.length = 0
      gone.length = 0
      for (const [key] of batch) retry.push(key)
    }
    for (const [key] of batch) this.binding.delete(key)
    for (const key of [...gone, ...retry]) this.forget(key)
    // A pod of the same name made meanwhile (another uid) was skipped while the key was assumed: look again.
    for (const key of gone) this.queue?.add(key)
    for (const key of retry) this.queue?.addRateLimited(key)
  }

  drain(): void {
    if (this.binding.size > 0) this.flushBindings()
  }

  /** stop writes the Bindings still queued (the manager then writes their Scheduled events). */
  stop(): void {
    this.drain()
  }

  /** forget drops an assumed pod from the cache (ForgetPod) and files the informer's copy, if any, instead. */
  private forget(key: string): void {
    const cache = this.ensure()
    cache.removePod(key)
    const cur = this.ctx.informers.for('pods').getByKey(key)
    if (cur) cache.setPod(cur)
  }

  /** fail records the failure as kube-scheduler's handleSchedulingFailure does. */
  private fail(pod: KubeObject, message: string, nominated?: string): ScheduleOutcome {
    const m = pod.metadata ?? {}
    const key = keyOf(pod)
    this.events.warning(pod, 'FailedScheduling', message)
    const stamp = rfc3339(this.ctx.clock.now())
    let rv = String(m.resourceVersion ?? '')
    try {
      const out = this.client.mutate(
        'pods',
        m.namespace,
        String(m.name),
        (p: any) => {
          if (p.spec?.nodeName || (m.uid && p.metadata?.uid !== m.uid)) return undefined
          p.status ??= {}
          let changed = setPodCondition(
            p.status,
            {type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message},
            stamp,
          )
          if (nominated !== undefined && p.status.nominatedNodeName !== nominated) {
            p.status.nominatedNodeName = nominated
            changed = true
          }
          return changed ? p : undefined
        },
        {subresource: 'status'},
      )
      rv = String(out.metadata?.resourceVersion ?? rv)
    } catch (e) {
      if (!isNotFound(e)) throw e
    }
    this.unschedulable.set(key, {rv, at: this.ctx.clock.now()})
    return nominated ? {unschedulable: message, nominated} : {unschedulable: message}
  }

  /** evictVictims deletes the pods preemption chose, marking why (DisruptionTarget PreemptionByScheduler). */
  private evictVictims(pod: KubeObject, node: string, victims: PodInfo[]): void {
    const stamp = rfc3339(this.ctx.clock.now())
    for (const v of victims) {
      const vm = v.pod.metadata ?? {}
      if (vm.deletionTimestamp) continue
      try {
        this.client.mutate(
          'pods',
          vm.namespace,
          String(vm.name),
          (p: any) => {
            p.status ??= {}
            const cond = {
              type: 'DisruptionTarget',
              status: 'True',
              reason: 'PreemptionByScheduler',
              message: `${SCHEDULER_NAME}: preempting to accommodate a higher priority pod`,
            }
            return setPodCondition(p.status, cond, stamp) ? p : undefined
          },
          {subresource: 'status'},
        )
        this.client.delete('pods', vm.namespace, String(vm.name), {preconditions: {uid: vm.uid}})
        this.events.normal(v.pod, 'Preempted', `Preempted by pod ${pod.metadata?.uid} on node ${node}`)
      } catch (e) {
        if (!isNotFound(e) && !isConflict(e)) throw e
      }
    }
  }
}

/** schedulerController builds the default scheduler. */
export const schedulerController: ControllerFactory = (ctx) => new Scheduler(ctx)
