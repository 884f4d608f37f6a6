// taint-eviction.ts: the taint eviction controller (pkg/controller/tainteviction/taint_eviction.go). Pods on a
// node with NoExecute taints they do not tolerate are deleted at once; pods that tolerate them for
// tolerationSeconds are deleted when that time has passed since the taint was added (the smallest of the
// matching tolerations wins). Time-based deletions are requeues on the cluster clock.
import type {KubeObject} from '../../api/object.js'
import {isConflict, isNotFound} from '../../api/errors.js'
import {rfc3339} from '../clock.js'
import {setPodCondition} from '../registry/pod-subresources.js'
import {taintsOf, tolerationsOf, toleratesTaint, type Taint, type Toleration} from '../scheduler/taints.js'
import type {EventRecorder} from './framework/events.js'
import type {Controller, ControllerContext, ControllerFactory, SyncResult, WatchSpec} from './framework/types.js'

/**
 * minTolerationTime returns the ms a pod may stay given the tolerations that match the node's NoExecute taints:
 * Infinity when every taint is tolerated forever, undefined when some taint is not tolerated at all.
 */
export function minTolerationTime(taints: Taint[], tols: Toleration[]): number | undefined {
  let min = Infinity
  for (const taint of taints) {
    const used = tols.filter((t) => toleratesTaint(t, taint))
    if (used.length === 0) return undefined
    for (const t of used) {
      if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue
      min = Math.min(min, Math.max(0, Number(t.tolerationSeconds)) * 1000)
    }
  }
  return min
}

/** TaintEviction is the controller; keys are node names. */
export class TaintEviction implements Controller {
  readonly name = 'taint-eviction'
  private readonly events: EventRecorder
  /** firstSeen remembers when a NoExecute taint without timeAdded was first seen (node/key/effect). */
  private readonly firstSeen = new Map<string, number>()

  constructor(private readonly ctx: ControllerContext) {
    this.events = ctx.events.withSource({component: 'taint-eviction-controller'})
  }

  watches(): WatchSpec[] {
    return [
      {resource: 'nodes'},
      {
        resource: 'pods',
        keys: (obj, type, old) => {
          const node = (obj.spec as any)?.nodeName
          if (!node || type === 'DELETED') return undefined
          if (type === 'ADDED' || !old) return node
          const changed =
            (old.spec as any)?.nodeName !== node ||
            JSON.stringify((old.spec as any)?.tolerations) !== JSON.stringify((obj.spec as any)?.tolerations)
          return changed ? node : undefined
        },
      },
    ]
  }

  private taintTime(node: string, t: Taint, now: number): number {
    if (t.timeAdded) {
      const ms = Date.parse(t.timeAdded)
      if (Number.isFinite(ms)) return ms
    }
    const k = `${node}\x00${t.key}\x00${t.effect}`
    let at = this.firstSeen.get(k)
    if (at === undefined) this.firstSeen.set(k, (at = now))
    return at
  }

  sync(key: string): SyncResult | void {
    const node = this.ctx.informers.for('nodes').get(undefined, key)
    const noExecute = taintsOf(node).filter((t) => t.effect === 'NoExecute')
    for (const k of this.firstSeen.keys())
      if (k.startsWith(`${key}\x00`) && !noExecute.some((t) => k === `${key}\x00${t.key}\x00${t.effect}`))
        this.firstSeen.delete(k)
    if (!node || noExecute.length === 0) return
    const now = this.ctx.clock.now()
    const since = Math.max(...noExecute.map((t) => this.taintTime(key, t, now)))
    let next = Infinity
    for (const pod of this.ctx.informers.for('pods').byIndex('node', key)) {
      if (pod.metadata?.deletionTimestamp) continue
      const phase = (pod.status as any)?.phase
      if (phase === 'Succeeded' || phase === 'Failed') continue
      const stay = minTolerationTime(noExecute, tolerationsOf(pod))
      if (stay === Infinity) continue
      const due = stay === undefined ? now : since + stay
      if (due <= now) this.evict(pod)
      else next = Math.min(next, due)
    }
    return next === Infinity ? undefined : {requeueAfterMs: next - now}
  }

  /** evict deletes the pod as the controller's deletePodHandler does, after the DisruptionTarget condition. */
  private evict(pod: KubeObject): void {
    const m = pod.metadata ?? {}
    const ns = String(m.namespace)
    const name = String(m.name)
    this.events.normal(pod, 'TaintManagerEviction', `Marking for deletion Pod ${ns}/${name}`)
    const stamp = rfc3339(this.ctx.clock.now())
    try {
      this.ctx.client.mutate(
        'pods',
        ns,
        name,
        (p: any) => {
          p.status ??= {}
          const cond = {
            type: 'DisruptionTarget',
            status: 'True',
            reason: 'DeletionByTaintManager',
            message: 'Taint manager: deleting due to NoExecute taint',
          }
          return setPodCondition(p.status, cond, stamp) ? p : undefined
        },
        {subresource: 'status'},
      )
      this.ctx.client.delete('pods', ns, name, {preconditions: {uid: m.uid}})
    } catch (e) {
      if (!isNotFound(e) && !isConflict(e)) throw e
    }
  }
}

/** taintEvictionController builds the taint eviction controller. */
export const taintEvictionController: ControllerFactory = (ctx) => new TaintEviction(ctx)
