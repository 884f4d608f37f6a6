// ttl-after-finished.ts: the TTL-after-finished controller (kube-controller-manager's
// pkg/controller/ttlafterfinished). A finished Job with spec.ttlSecondsAfterFinished is deleted that many seconds
// after its Complete or Failed condition's lastTransitionTime, with Foreground propagation and a uid
// precondition as upstream does; until then the key comes back through requeueAfterMs on the cluster clock.
import {isNotFound} from '../../api/errors.js'
import type {KubeObject} from '../../api/object.js'
import {jobFinishedCondition} from './job.js'
import {
  splitKey,
  type Controller,
  type ControllerContext,
  type ControllerFactory,
  type SyncResult,
} from './framework/types.js'

type Obj = Record<string, any>

/** ttlExpiresAt returns when a finished Job with a TTL may be deleted (ms), or undefined when it never is. */
export function ttlExpiresAt(job: KubeObject): number | undefined {
  const ttl = (job.spec as Obj | undefined)?.ttlSecondsAfterFinished
  if (typeof ttl !== 'number' || job.metadata?.deletionTimestamp) return undefined
  const done = jobFinishedCondition(job)
  if (!done) return undefined
  const at = Date.parse(done.lastTransitionTime)
  if (Number.isNaN(at)) return undefined
  return at + ttl * 1000
}

/** TTLAfterFinishedController is ttlafterfinished's Controller. */
export class TTLAfterFinishedController implements Controller {
  readonly name = 'ttl-after-finished'

  constructor(private readonly ctx: ControllerContext) {}

  watches() {
    return [{resource: 'batch/jobs'}]
  }

  sync(key: string): SyncResult | void {
    const {namespace, name} = splitKey(key)
    const cached = this.ctx.informers.for('batch/jobs').get(namespace, name)
    if (!cached) return
    const at = ttlExpiresAt(cached)
    if (at === undefined) return
    const now = this.ctx.clock.now()
    if (at > now) return {requeueAfterMs: at - now}
    // The cache may lag a user's change to the TTL: decide again on a fresh read (processJob).
    const fresh = this.ctx.client.tryGet('batch/jobs', namespace, name)
    if (!fresh) return
    const freshAt = ttlExpiresAt(fresh)
    if (freshAt === undefined) return
    if (freshAt > now) return {requeueAfterMs: freshAt - now}
    try {
      this.ctx.client.delete('batch/jobs', namespace, name, {
        propagationPolicy: 'Foreground',
        preconditions: {uid: String(fresh.metadata?.uid)},
      })
    } catch (e) {
      if (!isNotFound(e)) throw e
    }
  }
}

/** ttlAfterFinishedController builds the TTL-after-finished controller. */
export const ttlAfterFinishedController: ControllerFactory = (ctx) => new TTLAfterFinishedController(ctx)
