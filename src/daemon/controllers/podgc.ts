// podgc.ts: the pod garbage collector (kubernetes pkg/controller/podgc/gc_controller.go). It force-deletes
// (grace 0) pods no kubelet will ever finish:
// - pods bound to a node that no longer exists, once the node has been missing for the 40 s quarantine and a
//   fresh read confirms it (marked Failed with a DisruptionTarget condition first, as PodDisruptionConditions
//   does since 1.26);
// - terminating pods on a node that is not Ready and carries the node.kubernetes.io/out-of-service taint;
// - terminating pods that were never scheduled;
// - the oldest terminated (Succeeded/Failed) pods above the threshold (12,500, --terminated-pod-gc-threshold).
// Upstream scans every 20 s; here pod and node changes enqueue the work and the quarantine is a requeueAfter.
import type {KubeObject} from '../../api/object.js'
import {StatusError} from '../../api/errors.js'
import {rfc3339} from '../clock.js'
import type {Controller, ControllerContext, ControllerFactory, SyncResult, WatchSpec} from './framework/types.js'

/** QUARANTINE_MS is how long a node must be missing before its pods are deleted (podgc quarantineTime). */
export const QUARANTINE_MS = 40_000
/** TERMINATED_POD_GC_THRESHOLD is kube-controller-manager's default --terminated-pod-gc-threshold. */
export const TERMINATED_POD_GC_THRESHOLD = 12_500
const OUT_OF_SERVICE_TAINT = 'node.kubernetes.io/out-of-service'
const TERMINATED = 'terminated'

/** PodGCOptions tune the controller (tests lower the threshold). */
export interface PodGCOptions {
  terminatedPodThreshold?: number
}

function phaseOf(p: KubeObject): string | undefined {
  return (p.status as {phase?: string} | undefined)?.phase
}

function isTerminated(p: KubeObject): boolean {
  const phase = phaseOf(p)
  return phase === 'Succeeded' || phase === 'Failed'
}

function nodeNameOf(p: KubeObject): string | undefined {
  return (p.spec as {nodeName?: string} | undefined)?.nodeName || undefined
}

function nodeReady(node: KubeObject): boolean {
  const conds = (node.status as {conditions?: {type: string; status: string}[]} | undefined)?.conditions ?? []
  return conds.some((c) => c.type === 'Ready' && c.status === 'True')
}

function outOfService(node: KubeObject): boolean {
  const taints = (node.spec as {taints?: {key: string}[]} | undefined)?.taints ?? []
  return taints.some((t) => t.key === OUT_OF_SERVICE_TAINT)
}

/** PodGC is the controller; keys are "node/<name>", "pod/<ns>/<name>" and "terminated". */
export class PodGC implements Controller {
  readonly name = 'pod-garbage-collector'
  private readonly threshold: number
  /** missingSince remembers when a node was first seen missing (the quarantine start). */
  private readonly missingSince = new Map<string, number>()
  /** startupPending: the first sync also looks for pods of vanished nodes and for too many terminated pods. */
  private startupPending: boolean

  constructor(
    private readonly ctx: ControllerContext,
    opts: PodGCOptions = {},
  ) {
    this.threshold = opts.terminatedPodThreshold ?? TERMINATED_POD_GC_THRESHOLD
    this.startupPending = false
    const pods = ctx.informers.for('pods')
    pods.addIndex('phase', (p) => (isTerminated(p) ? [String(phaseOf(p))] : []))
  }

  private terminatedCount(): number {
    const pods = this.ctx.informers.for('pods')
    return pods.byIndex('phase', 'Succeeded').length + pods.byIndex('phase', 'Failed').length
  }

  watches(): WatchSpec[] {
    const nodes = () => this.ctx.informers.for('nodes')
    return [
      // Nodes are keyed by name (the manager syncs each once at start, which also runs the startup checks).
      {resource: 'nodes'},
      {
        resource: 'pods',
        keys: (p, type) => {
          if (type === 'DELETED') return undefined
          const out: string[] = []
          const node = nodeNameOf(p)
          if (node && !nodes().get(undefined, node)) out.push(`node/${node}`)
          if (p.metadata?.deletionTimestamp) {
            if (!node) out.push(`pod/${p.metadata?.namespace}/${p.metadata?.name}`)
            else {
              const n = nodes().get(undefined, node)
              if (n && !nodeReady(n) && outOfService(n)) out.push(`node/${node}`)
            }
          }
          if (this.threshold > 0 && isTerminated(p) && this.terminatedCount() > this.threshold) out.push(TERMINATED)
          return out
        },
      },
    ]
  }

  start(): void {
    this.startupPending = true
  }

  sync(key: string): SyncResult | void {
    let wait: number | undefined
    if (this.startupPending) {
      this.startupPending = false
      wait = this.startup()
    }
    const res = this.syncKey(key)
    // Nodes found missing at startup have no key of their own: whichever sync comes after their quarantine
    // (the requeue below guarantees one) finishes them.
    const now = this.ctx.clock.now()
    for (const [node, since] of [...this.missingSince]) {
      if (key !== node && key !== `node/${node}` && now - since >= QUARANTINE_MS) this.syncKey(`node/${node}`)
    }
    const after = [wait, res?.requeueAfterMs].filter((x): x is number => x !== undefined)
    if (after.length) return {requeueAfterMs: Math.min(...after)}
  }

  /**
   * startup handles what no event will announce: pods of nodes already gone (their quarantine starts now; the
   * returned delay brings a sync when it ends) and terminated pods over the limit.
   */
  private startup(): number | undefined {
    let wait: number | undefined
    for (const p of this.ctx.informers.for('pods').list()) {
      const node = nodeNameOf(p)
      if (node && !this.ctx.informers.for('nodes').get(undefined, node) && !this.missingSince.has(node)) {
        this.missingSince.set(node, this.ctx.clock.now())
        wait = QUARANTINE_MS
      }
    }
    if (this.threshold > 0 && this.terminatedCount() > this.threshold) this.gcTerminated()
    return wait
  }

  private syncKey(key: string): SyncResult | void {
    if (key === TERMINATED) return this.gcTerminated()
    if (key.startsWith('pod/')) {
      const [ns, name] = key.slice(4).split('/')
      const pod = this.ctx.informers.for('pods').get(ns, name!)
      if (pod && pod.metadata?.deletionTimestamp && !nodeNameOf(pod)) this.forceDelete(pod)
      return
    }
    const nodeName = key.startsWith('node/') ? key.slice('node/'.length) : key
    const pods = this.ctx.informers.for('pods').byIndex('node', nodeName)
    const node = this.ctx.informers.for('nodes').get(undefined, nodeName)
    if (node) {
      this.missingSince.delete(nodeName)
      // gcTerminating: the node is down for good (out-of-service) and will never confirm these deletions.
      if (!nodeReady(node) && outOfService(node)) {
        const doomed = pods.filter((p) => p.metadata?.deletionTimestamp)
        if (doomed.length) this.batch(doomed.map((p) => () => this.forceDelete(p)))
      }
      return
    }
    if (!pods.length) {
      this.missingSince.delete(nodeName)
      return
    }
    const now = this.ctx.clock.now()
    const since = this.missingSince.get(nodeName) ?? now
    this.missingSince.set(nodeName, since)
    if (now - since < QUARANTINE_MS) return {requeueAfterMs: since + QUARANTINE_MS - now}
    // The cache says the node is gone; a fresh read must agree before pods are removed (discoverDeletedNodes).
    if (this.ctx.client.tryGet('nodes', undefined, nodeName)) return
    this.batch(
      pods.map(
        (p) => () =>
          this.forceDelete(p, {
            type: 'DisruptionTarget',
            status: 'True',
            reason: 'DeletionByPodGC',
            message: 'PodGC: node no longer exists',
          }),
      ),
    )
    this.missingSince.delete(nodeName)
  }

  /** gcTerminated deletes the oldest terminated pods above the threshold (evicted ones first). */
  private gcTerminated(): void {
    const pods = this.ctx.informers.for('pods')
    const terminated = [...pods.byIndex('phase', 'Succeeded'), ...pods.byIndex('phase', 'Failed')].filter(
      (p) => !p.metadata?.deletionTimestamp,
    )
    const excess = terminated.length - this.threshold
    if (this.threshold <= 0 || excess <= 0) return
    const evicted = (p: KubeObject) => ((p.status as {reason?: string} | undefined)?.reason === 'Evicted' ? 0 : 1)
    terminated.sort(
      (a, b) =>
        evicted(a) - evicted(b) ||
        String(a.metadata?.creationTimestamp).localeCompare(String(b.metadata?.creationTimestamp)) ||
        String(a.metadata?.name).localeCompare(String(b.metadata?.name)),
    )
    this.batch(terminated.slice(0, excess).map((p) => () => this.forceDelete(p)))
  }

  private batch(items: (() => void)[]): void {
    let failure: unknown
    this.ctx.client.transaction(() => {
      for (const it of items) {
        try {
          this.ctx.client.transaction(it)
        } catch (e) {
          if (e instanceof StatusError && e.reason === 'NotFound') continue
          failure ??= e
        }
      }
    })
    if (failure) throw failure
  }

  /**
   * forceDelete is markFailedAndDeletePodWithCondition: a pod that has not ended is first marked Failed (with
   * the condition, if any) under the PodGC field manager, then deleted with grace 0.
   */
  private forceDelete(
    pod: KubeObject,
    condition?: {type: string; status: string; reason: string; message: string},
  ): void {
    const ns = pod.metadata?.namespace
    const name = String(pod.metadata?.name)
    const client = this.ctx.client.as('PodGC')
    if (!isTerminated(pod)) {
      client.mutate(
        'pods',
        ns,
        name,
        (cur) => {
          if (cur.metadata?.uid !== pod.metadata?.uid || isTerminated(cur)) return undefined
          const status = (cur.status ?? {}) as {phase?: string; conditions?: Record<string, unknown>[]}
          status.phase = 'Failed'
          if (condition) {
            const conds = (status.conditions ?? []).filter((c) => c.type !== condition.type)
            conds.push({
              type: condition.type,
              status: condition.status,
              lastProbeTime: null,
              lastTransitionTime: rfc3339(this.ctx.clock.now()),
              reason: condition.reason,
              message: condition.message,
            })
            status.conditions = conds
          }
          cur.status = status
          return cur
        },
        {subresource: 'status'},
      )
    }
    client.delete('pods', ns, name, {gracePeriodSeconds: 0, preconditions: {uid: String(pod.metadata?.uid)}})
  }
}

/** podGCControllerWith builds the pod garbage collector with options. */
export function podGCControllerWith(opts: PodGCOptions): ControllerFactory {
  return (ctx) => new PodGC(ctx, opts)
}

/** podGCController builds the pod garbage collector with kube-controller-manager's defaults. */
export const podGCController: ControllerFactory = podGCControllerWith({})
