// index.ts: the kubelets of every node as one controller, and the node operations of `mkctl cluster node
// add|stop|start|delete`. The controller watches Nodes (a kubelet per Node that is not stopped) and Pods (a pod
// change goes to its node's kubelet); time-driven work (pulls, exits, probes, back-offs, leases) runs on each
// kubelet's own cluster-clock timers. Which nodes are stopped is daemon state (`node_stopped/<name>`), so a
// stopped node stays stopped across daemon restarts, as a powered-off machine would.
import type {Pod} from 'kubernetes-types/core/v1.js'
import type {KubeObject} from '../../api/object.js'
import {leaseObject, nodeName, nodeObject, nodeStatus, podCIDRIndex, type ClusterShape} from '../bootstrap.js'
import {
  keyOf,
  type Controller,
  type ControllerContext,
  type ControllerFactory,
  type WatchSpec,
} from '../controllers/framework/types.js'
import type {Runtime} from '../runtime/types.js'
import type {Timer} from '../clock.js'
import {Kubelet, LEASE_RENEW_MS} from './kubelet.js'

/** stoppedStateKey is the daemon_state row that marks a node as stopped. */
export function stoppedStateKey(node: string): string {
  return `node_stopped/${node}`
}

const SETS = new WeakMap<object, KubeletSet>()

/** KubeletSet keeps one Kubelet per Node that is not stopped, and routes pod changes to them. */
export class KubeletSet implements Controller {
  readonly name = 'kubelet'
  readonly kubelets = new Map<string, Kubelet>()
  private readonly announce = new Set<string>()
  private readonly reboot = new Set<string>()
  private heartbeatTimer?: Timer
  /** flushing: the kubelets with statuses queued for the next shared flush, in the order they asked. */
  private readonly flushing = new Set<Kubelet>()

  constructor(
    private readonly ctx: ControllerContext,
    private readonly runtime: Runtime | undefined,
  ) {
    SETS.set(ctx.informers, this)
    // The kubelets read env references and service variables from these caches; made here, not in a sync.
    for (const r of ['configmaps', 'secrets', 'services']) ctx.informers.for(r)
  }

  watches(): WatchSpec[] {
    return [
      {resource: 'nodes'},
      {
        resource: 'pods',
        keys: (obj, type) => {
          const node = (obj.spec as Pod['spec'])?.nodeName
          if (!node) return undefined
          const k = this.kubelets.get(node)
          if (!k?.running) return undefined
          if (type === 'DELETED' && !k.has(keyOf(obj))) return undefined
          if (type === 'MODIFIED' && k.isOwnWrite(obj)) return undefined
          return keyOf(obj)
        },
      },
      // A ConfigMap or Secret that appears or changes re-syncs the pods waiting in CreateContainerConfigError.
      {resource: 'configmaps', keys: (obj) => this.configWaiters(obj)},
      {resource: 'secrets', keys: (obj) => this.configWaiters(obj)},
    ]
  }

  private configWaiters(obj: KubeObject): string[] | undefined {
    const ns = obj.metadata?.namespace
    if (!ns) return undefined
    const keys: string[] = []
    for (const k of this.kubelets.values()) if (k.running) keys.push(...k.configWaitersIn(ns))
    return keys.length > 0 ? keys : undefined
  }

  sync(key: string): void {
    if (!key.includes('/')) return this.syncNode(key)
    const pod = this.ctx.informers.for('pods').getByKey(key) as Pod | undefined
    const node = pod?.spec?.nodeName
    if (node) {
      this.kubelets.get(node)?.safeSync(key)
      return
    }
    for (const k of this.kubelets.values()) if (k.has(key)) k.forget(key)
  }

  /** syncNode starts, stops or drops the kubelet of one node to match the Node and its stopped mark. */
  syncNode(name: string): void {
    const node = this.ctx.informers.for('nodes').get(undefined, name)
    let k = this.kubelets.get(name)
    if (!node) {
      if (k) {
        k.stop()
        k.forgetAll()
        this.kubelets.delete(name)
      }
      return
    }
    if (this.ctx.state.get(stoppedStateKey(name))) {
      if (k?.running) k.stop({powerOff: true})
      // A kubelet made later (after a daemon restart) starts as after a reboot.
      this.reboot.add(name)
      return
    }
    if (!k) {
      k = new Kubelet({ctx: this.ctx, node: name, runtime: this.runtime, requestFlush: (k) => this.requestFlush(k)})
      this.kubelets.set(name, k)
    }
    if (!k.running) {
      const reboot = this.reboot.delete(name)
      const announce = this.announce.delete(name)
      this.ensureHeartbeat()
      k.start({reboot, announce})
    }
  }

  /**
   * requestFlush queues a kubelet's pod statuses for the next turn, when every kubelet's are written in one
   * transaction. A flush per kubelet committed, and published, one batch per node: each batch that made pods Ready
   * woke a sync of their ReplicaSet over all its pods, so a 10,000-pod scale-out on 100 nodes ran ~100 such syncs
   * a turn (measured: 60% of the daemon's CPU, 145 pods/s at 5,000 pods). The order is the order of the requests.
   */
  private requestFlush(k: Kubelet): void {
    if (this.flushing.size === 0) setImmediate(() => this.flushStatuses())
    this.flushing.add(k)
  }

  /** flushStatuses writes the queued statuses of every kubelet that asked, in one transaction. */
  flushStatuses(): void {
    const ks = [...this.flushing]
    this.flushing.clear()
    const written: [Kubelet, string[]][] = []
    // A failed commit (a full disk) must not end the daemon as an uncaught throw from a timer: the pods whose
    // statuses it rolled back are synced again later, as a failed status write of one pod is.
    try {
      this.ctx.client.transaction(() => {
        for (const k of ks) written.push([k, k.writePendingStatus()])
      })
    } catch (e) {
      this.ctx.log(`kubelet status flush: ${e instanceof Error ? e.message : String(e)}`)
      for (const [k, keys] of written) k.retryStatus(keys)
    }
  }

  /**
   * ensureHeartbeat starts the set's heartbeat ticker. Every node's kubelet renews its Lease every 10 s; here one
   * cluster-clock timer renews the Leases of all running kubelets in one store transaction, so 1,000 nodes cost
   * one timer and one commit per tick instead of 1,000 of each (a real cluster's etcd batches such writes too).
   */
  private ensureHeartbeat(): void {
    if (this.heartbeatTimer) return
    this.heartbeatTimer = this.ctx.clock.setInterval(() => this.heartbeat(), LEASE_RENEW_MS)
  }

  /** heartbeat runs one heartbeat tick of every running kubelet, in one transaction. */
  heartbeat(): void {
    // A timer's throw is an uncaught exception that ends the daemon: a failing heartbeat (a full disk, found by
    // test/reliability/storage-faults.test.ts) is logged and retried at the next tick, as the kubelet does. Each
    // renewal is one atomic write, so one node's failure leaves the others' in the transaction.
    try {
      this.ctx.client.transaction(() => {
        for (const k of this.kubelets.values()) {
          try {
            k.heartbeat()
          } catch (e) {
            this.ctx.log(`kubelet/${k.node} heartbeat: ${e instanceof Error ? e.message : String(e)}`)
          }
        }
      })
    } catch (e) {
      this.ctx.log(`kubelet heartbeat: ${e instanceof Error ? e.message : String(e)}`)
    }
  }

  /** markStarting asks the next start of a node's kubelet to record the kubelet start events (and reboot). */
  markStarting(name: string, reboot: boolean): void {
    this.announce.add(name)
    if (reboot) this.reboot.add(name)
  }

  stop(): void {
    this.heartbeatTimer?.cancel()
    this.heartbeatTimer = undefined
    for (const k of this.kubelets.values()) k.stop()
  }
}

/**
 * kubeletSet builds the kubelets controller. runtime defaults to ctx.runtime (tests pass a fake one); without a
 * runtime the kubelets still keep their nodes Ready and leased, but leave pods alone.
 */
export function kubeletSet(opts: {runtime?: Runtime} = {}): ControllerFactory {
  return (ctx) => new KubeletSet(ctx, opts.runtime ?? ctx.runtime)
}

/** kubeletSetOf finds the running kubelets controller of a context (node operations use it), if any. */
export function kubeletSetOf(ctx: ControllerContext): KubeletSet | undefined {
  return SETS.get(ctx.informers)
}

function nodeIndex(n: KubeObject): number | undefined {
  return podCIDRIndex((n.spec as {podCIDR?: string} | undefined)?.podCIDR)
}

/**
 * addNode joins a new node as `minikube node add` does: the next name (<profile>-m0N) unless one is given, the
 * next pod CIDR and InternalIP, the first node's capacity, a Lease; its kubelet starts and reports Ready.
 */
export function addNode(ctx: ControllerContext, name?: string): KubeObject {
  const nodes = ctx.informers.for('nodes').list()
  const first = [...nodes].sort((a, b) => (nodeIndex(a) ?? 1e9) - (nodeIndex(b) ?? 1e9))[0]
  const profile = first?.metadata?.labels?.['minikube.k8s.io/name'] ?? 'mkctl'
  const i = Math.max(-1, ...nodes.map((n) => nodeIndex(n) ?? -1)) + 1
  const nodeNameToUse = name ?? nodeName(profile, i)
  const cap = (first?.status as {capacity?: {cpu?: string; memory?: string}} | undefined)?.capacity
  const shape: Pick<ClusterShape, 'cpus' | 'memoryMiB'> = {
    cpus: Number(cap?.cpu ?? 2) || 2,
    memoryMiB: cap?.memory?.endsWith('Ki') ? Math.round(Number(cap.memory.slice(0, -2)) / 1024) : 4096,
  }
  const obj = nodeObject(profile, nodeNameToUse, i)
  obj.metadata!.labels!['minikube.k8s.io/primary'] = 'false'
  ctx.state.set(stoppedStateKey(nodeNameToUse), undefined)
  const set = kubeletSetOf(ctx)
  set?.markStarting(nodeNameToUse, false)
  const client = ctx.client.as('kubelet')
  let made: KubeObject | undefined
  client.transaction(() => {
    made = client.create('nodes', obj)
    const status = nodeStatus(nodeNameToUse, i, shape, ctx.ids, ctx.clock.now())
    made = client.mutate('nodes', undefined, nodeNameToUse, (n) => ({...n, status}), {subresource: 'status'})
    client.create('coordination.k8s.io/leases', leaseObject(nodeNameToUse, String(made.metadata?.uid), ctx.clock.now()))
  })
  set?.syncNode(nodeNameToUse)
  return made!
}

/** stopNode powers a node off: its kubelet stops renewing the Lease and writing status; pods keep their status. */
export function stopNode(ctx: ControllerContext, name: string): void {
  ctx.client.get('nodes', undefined, name)
  ctx.state.set(stoppedStateKey(name), 'true')
  kubeletSetOf(ctx)?.syncNode(name)
}

/**
 * startNode powers a stopped node on: the kubelet renews the Lease, reports Ready, and finds its containers dead
 * as after a reboot (they restart per their restart policy, restartCount + 1). Starting a running node does nothing.
 */
export function startNode(ctx: ControllerContext, name: string): void {
  ctx.client.get('nodes', undefined, name)
  const wasStopped = Boolean(ctx.state.get(stoppedStateKey(name)))
  ctx.state.set(stoppedStateKey(name), undefined)
  const set = kubeletSetOf(ctx)
  if (!set) return
  if (wasStopped) set.markStarting(name, true)
  set.syncNode(name)
}

/** deleteNode removes a Node and its Lease; its pods stay until the pod GC removes them as orphans. */
export function deleteNode(ctx: ControllerContext, name: string): void {
  ctx.client.delete('nodes', undefined, name)
  try {
    ctx.client.delete('coordination.k8s.io/leases', 'kube-node-lease', name)
  } catch {
    // The Lease may already be gone (its owner reference makes it garbage as well).
  }
  ctx.state.set(stoppedStateKey(name), undefined)
  kubeletSetOf(ctx)?.syncNode(name)
}

/** syncPodNow has a pod's kubelet sync it at once (its process ended outside the kubelet: an attached shell). */
export function syncPodNow(ctx: ControllerContext, node: string, key: string): void {
  kubeletSetOf(ctx)?.kubelets.get(node)?.safeSync(key)
}
