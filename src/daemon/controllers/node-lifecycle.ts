// node-lifecycle.ts: the node lifecycle controller (pkg/controller/nodelifecycle/node_lifecycle_controller.go).
// A node whose Lease (kube-node-lease/<node>) has not been renewed for the grace period (40 s) gets its Ready,
// MemoryPressure, DiskPressure and PIDPressure conditions set to Unknown ("Kubelet stopped posting node
// status."), its pods marked not Ready, and a NodeNotReady event. Taints follow the conditions
// (TaintNodesByCondition and taint-based eviction): Ready=Unknown → node.kubernetes.io/unreachable NoSchedule and
// NoExecute, Ready=False → node.kubernetes.io/not-ready, pressure conditions → their NoSchedule taints,
// spec.unschedulable → node.kubernetes.io/unschedulable; they go again when the condition clears. The deadline is
// a requeue on the cluster clock, never a poll.
import type {KubeObject} from '../../api/object.js'
import {isNotFound} from '../../api/errors.js'
import {rfc3339} from '../clock.js'
import {setPodCondition} from '../registry/pod-subresources.js'
import {TAINT_NOT_READY, TAINT_UNREACHABLE, TAINT_UNSCHEDULABLE, taintsOf, type Taint} from '../scheduler/taints.js'
import type {EventRecorder} from './framework/events.js'
import type {Controller, ControllerContext, ControllerFactory, SyncResult, WatchSpec} from './framework/types.js'

/** NODE_MONITOR_GRACE_PERIOD_MS is --node-monitor-grace-period (40 s). */
export const NODE_MONITOR_GRACE_PERIOD_MS = 40_000

/** NODE_LEASE_NAMESPACE holds the kubelets' heartbeat Leases. */
export const NODE_LEASE_NAMESPACE = 'kube-node-lease'

const UNKNOWN_TYPES = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']

/** CONDITION_TAINTS maps a condition and status to the NoSchedule taint key it brings (nodeConditionToTaintKeyStatusMap). */
const CONDITION_TAINTS: Record<string, Record<string, string>> = {
  Ready: {False: TAINT_NOT_READY, Unknown: TAINT_UNREACHABLE},
  MemoryPressure: {True: 'node.kubernetes.io/memory-pressure'},
  DiskPressure: {True: 'node.kubernetes.io/disk-pressure'},
  NetworkUnavailable: {True: 'node.kubernetes.io/network-unavailable'},
  PIDPressure: {True: 'node.kubernetes.io/pid-pressure'},
}

const MANAGED_NO_SCHEDULE = new Set([
  ...Object.values(CONDITION_TAINTS).flatMap((m) => Object.values(m)),
  TAINT_UNSCHEDULABLE,
])
const MANAGED_NO_EXECUTE = new Set([TAINT_NOT_READY, TAINT_UNREACHABLE])

function condition(node: KubeObject | undefined, type: string): any {
  return ((node?.status as any)?.conditions ?? []).find((c: any) => c?.type === type)
}

function parseTime(s: unknown): number {
  const ms = typeof s === 'string' ? Date.parse(s) : NaN
  return Number.isFinite(ms) ? ms : 0
}

/** desiredTaints lists the controller-managed taints a node should carry, given its conditions and spec. */
export function desiredTaints(node: KubeObject): {key: string; effect: string}[] {
  const out: {key: string; effect: string}[] = []
  for (const c of ((node.status as any)?.conditions ?? []) as any[]) {
    const key = CONDITION_TAINTS[c?.type]?.[c?.status]
    if (key) out.push({key, effect: 'NoSchedule'})
  }
  if ((node.spec as any)?.unschedulable) out.push({key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule'})
  const ready = condition(node, 'Ready')?.status
  if (ready === 'False') out.push({key: TAINT_NOT_READY, effect: 'NoExecute'})
  else if (ready === 'Unknown') out.push({key: TAINT_UNREACHABLE, effect: 'NoExecute'})
  return out
}

/** reconcileTaints returns the node's taints with the managed ones made to match; undefined when no change. */
export function reconcileTaints(node: KubeObject, now: string): Taint[] | undefined {
  const current = taintsOf(node)
  const want = desiredTaints(node)
  const managed = (t: Taint) =>
    (t.effect === 'NoSchedule' && MANAGED_NO_SCHEDULE.has(t.key)) ||
    (t.effect === 'NoExecute' && MANAGED_NO_EXECUTE.has(t.key))
  const keep = current.filter((t) => !managed(t) || want.some((w) => w.key === t.key && w.effect === t.effect))
  const add = want.filter((w) => !current.some((t) => t.key === w.key && t.effect === w.effect))
  if (add.length === 0 && keep.length === current.length) return undefined
  return [...keep, ...add.map((w) => ({key: w.key, effect: w.effect, timeAdded: now}))]
}

/** NodeLifecycle is the controller; keys are node names. */
export class NodeLifecycle implements Controller {
  readonly name = 'node-lifecycle'
  private readonly events: EventRecorder
  private readonly registered = new Set<string>()
  private startedAt: number

  constructor(private readonly ctx: ControllerContext) {
    this.events = ctx.events.withSource({component: 'node-controller'})
    this.startedAt = ctx.clock.now()
  }

  watches(): WatchSpec[] {
    return [
      {resource: 'nodes'},
      {
        resource: 'coordination.k8s.io/leases',
        keys: (obj, type) => {
          if (obj.metadata?.namespace !== NODE_LEASE_NAMESPACE) return undefined
          const name = String(obj.metadata?.name)
          // A renewal of a Ready node's Lease only moves its deadline later, and every sync of a live node leaves
          // a requeue at the old deadline that reads the Lease again then: a sync per renewal (100 a second at
          // 1,000 nodes) changed nothing. Other nodes (Unknown, not Ready) are synced at once, as before.
          if (
            type === 'MODIFIED' &&
            condition(this.ctx.informers.for('nodes').get(undefined, name), 'Ready')?.status === 'True'
          )
            return undefined
          return name
        },
      },
    ]
  }

  start(): void {
    // As upstream, the grace period starts when the controller first observes a node, not at the last renewal
    // a restarted daemon finds in the store.
    this.startedAt = this.ctx.clock.now()
  }

  /** probeTime is when the node last showed life: its lease renewal or Ready heartbeat, not before our start. */
  private probeTime(node: KubeObject, name: string): number {
    const lease = this.ctx.informers.for('coordination.k8s.io/leases').get(NODE_LEASE_NAMESPACE, name)
    const renew = parseTime((lease?.spec as any)?.renewTime)
    const heartbeat = parseTime(condition(node, 'Ready')?.lastHeartbeatTime)
    return Math.max(this.startedAt, renew, heartbeat)
  }

  sync(name: string): SyncResult | void {
    let node = this.ctx.informers.for('nodes').get(undefined, name)
    if (!node) {
      this.registered.delete(name)
      return
    }
    if (!this.registered.has(name)) {
      this.registered.add(name)
      this.events.normal(node, 'RegisteredNode', `Node ${name} event: Registered Node ${name} in Controller`)
    }
    const now = this.ctx.clock.now()
    const stamp = rfc3339(now)
    const deadline = this.probeTime(node, name) + NODE_MONITOR_GRACE_PERIOD_MS
    let result: SyncResult | void = undefined
    if (now > deadline) node = this.markUnknown(node, stamp)
    else result = {requeueAfterMs: deadline - now + 1}
    const taints = reconcileTaints(node, stamp)
    if (taints) {
      try {
        this.ctx.client.mutate('nodes', undefined, name, (n: any) => {
          const t = reconcileTaints(n, stamp)
          if (!t) return undefined
          n.spec ??= {}
          if (t.length) n.spec.taints = t
          else delete n.spec.taints
          return n
        })
      } catch (e) {
        if (!isNotFound(e)) throw e
      }
    }
    return result
  }

  /** markUnknown sets the kubelet's conditions to Unknown (tryUpdateNodeHealth) and, on the Ready edge, marks pods. */
  private markUnknown(node: KubeObject, stamp: string): KubeObject {
    const name = String(node.metadata?.name)
    const wasReady = condition(node, 'Ready')?.status === 'True'
    let out: KubeObject
    try {
      out = this.ctx.client.mutate(
        'nodes',
        undefined,
        name,
        (n: any) => {
          n.status ??= {}
          const conds: any[] = Array.isArray(n.status.conditions) ? n.status.conditions : (n.status.conditions = [])
          let changed = false
          for (const type of UNKNOWN_TYPES) {
            const c = conds.find((x) => x?.type === type)
            if (!c) {
              conds.push({
                type,
                status: 'Unknown',
                lastHeartbeatTime: stamp,
                lastTransitionTime: stamp,
                reason: 'NodeStatusNeverUpdated',
                message: 'Kubelet never posted node status.',
              })
              changed = true
            } else if (c.status !== 'Unknown') {
              Object.assign(c, {
                status: 'Unknown',
                lastTransitionTime: stamp,
                reason: 'NodeStatusUnknown',
                message: 'Kubelet stopped posting node status.',
              })
              changed = true
            }
          }
          return changed ? n : undefined
        },
        {subresource: 'status'},
      )
    } catch (e) {
      if (isNotFound(e)) return node
      throw e
    }
    if (wasReady) {
      // RecordNodeStatusChange refers to the node by name as its uid, as node-controller does.
      this.events.normal(
        {...node, metadata: {...node.metadata, uid: name}},
        'NodeNotReady',
        `Node ${name} status is now: NodeNotReady`,
      )
      this.markPodsNotReady(name, stamp)
    }
    return out
  }

  /** markPodsNotReady follows controller/util/node MarkPodsNotReady: each pod's Ready condition becomes False. */
  private markPodsNotReady(nodeName: string, stamp: string): void {
    for (const pod of this.ctx.informers.for('pods').byIndex('node', nodeName)) {
      const ready = ((pod.status as any)?.conditions ?? []).find((c: any) => c?.type === 'Ready')
      if (!ready || ready.status === 'False') continue
      try {
        this.ctx.client.mutate(
          'pods',
          pod.metadata?.namespace,
          String(pod.metadata?.name),
          (p: any) => {
            const c = (p.status?.conditions ?? []).find((x: any) => x?.type === 'Ready')
            if (!c || c.status === 'False') return undefined
            const {lastTransitionTime: _t, ...rest} = c
            setPodCondition(p.status, {...rest, status: 'False'}, stamp)
            return p
          },
          {subresource: 'status'},
        )
        this.events.warning(pod, 'NodeNotReady', 'Node is not ready')
      } catch (e) {
        if (!isNotFound(e)) throw e
      }
    }
  }
}

/** nodeLifecycleController builds the node lifecycle controller. */
export const nodeLifecycleController: ControllerFactory = (ctx) => new NodeLifecycle(ctx)
