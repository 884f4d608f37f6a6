// cronjob.ts: the CronJob controller, after kube-controller-manager's pkg/controller/cronjob
// (cronjob_controllerv2.go and utils.go, 1.32). Each sync reconciles status.active with the Jobs the CronJob
// controls, works out the most recent unmet schedule time on the cluster clock (robfig/cron semantics through
// cron-parser, in spec.timeZone or UTC), creates `<cronjob>-<minutes since epoch>` for it unless the policy or
// the starting deadline says otherwise, prunes finished Jobs beyond the history limits, and asks to be synced
// again 100 ms after the next schedule time.
import {CronExpressionParser} from 'cron-parser'
import {isAlreadyExists, isNotFound} from '../../api/errors.js'
import type {KubeObject} from '../../api/object.js'
import {rfc3339} from '../clock.js'
import type {EventRecorder} from './framework/events.js'
import {controllerRef, isControlledBy, ownerKeys} from './framework/owner.js'
import {
  splitKey,
  type Controller,
  type ControllerContext,
  type ControllerFactory,
  type SyncResult,
} from './framework/types.js'
import {jobFinishedCondition} from './job.js'

/** CRONJOB_SCHEDULED_TIMESTAMP is the annotation with a Job's nominal start time (batch/v1). */
export const CRONJOB_SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp'
/** NEXT_SCHEDULE_DELTA_MS is how long after a schedule time the controller wakes (nextScheduleDelta). */
export const NEXT_SCHEDULE_DELTA_MS = 100
const TOO_MANY_MISSED = 100

type Obj = Record<string, any>

/** CronSchedule answers robfig/cron's Schedule.Next: the first activation strictly after t (ms). */
export interface CronSchedule {
  next(t: number): number
}

/** parseSchedule parses a standard 5-field schedule or @descriptor in a time zone (an IANA name, or UTC). */
export function parseSchedule(schedule: string, timeZone = 'UTC'): CronSchedule {
  let expr = schedule.trim()
  const every = /^@every\s+(.+)$/.exec(expr)
  if (every) {
    const d = parseEvery(every[1]!)
    // robfig's ConstantDelaySchedule: whole seconds, rounded down to the second.
    return {next: (t) => Math.floor(t / 1000) * 1000 + d}
  }
  if (expr === '@midnight') expr = '@daily'
  CronExpressionParser.parse(expr, {tz: timeZone}) // throws on a bad expression
  return {
    next(t) {
      // robfig truncates to the second and looks from the next one on.
      const from = Math.floor(t / 1000) * 1000
      return CronExpressionParser.parse(expr, {currentDate: new Date(from), tz: timeZone})
        .next()
        .getTime()
    },
  }
}

function parseEvery(s: string): number {
  let total = 0
  const re = /(\d+(?:\.\d+)?)(h|ms|m|s)/g
  let m: RegExpExecArray | null
  let seen = 0
  while ((m = re.exec(s))) {
    seen += m[0].length
    total += parseFloat(m[1]!) * {h: 3_600_000, m: 60_000, s: 1000, ms: 1}[m[2] as 'h' | 'm' | 's' | 'ms']
  }
  if (seen !== s.trim().length || total <= 0) throw new Error(`failed to parse duration @every ${s}`)
  return Math.max(1000, Math.floor(total / 1000) * 1000)
}

function validTimeZone(tz: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', {timeZone: tz})
    return undefined
  } catch {
    return `unknown time zone ${tz}`
  }
}

/**
 * mostRecentScheduleTime follows utils.go: the latest schedule time not after now since the last schedule
 * (or creation, or now - startingDeadlineSeconds), and roughly how many were missed.
 */
export function mostRecentScheduleTime(
  cj: KubeObject,
  now: number,
  sched: CronSchedule,
  includeStartingDeadline: boolean,
): {time?: number; missed: number} {
  const spec = cj.spec as Obj
  const last = (cj.status as Obj | undefined)?.lastScheduleTime
  let earliest = Date.parse(last ?? String(cj.metadata?.creationTimestamp))
  if (includeStartingDeadline && typeof spec.startingDeadlineSeconds === 'number') {
    const deadline = now - spec.startingDeadlineSeconds * 1000
    if (deadline > earliest) earliest = deadline
  }
  const t1 = sched.next(earliest)
  const t2 = sched.next(t1)
  if (now < t1) return {missed: 0}
  if (now < t2) return {time: t1, missed: 1}
  const between = Math.round((t2 - t1) / 1000)
  if (between < 1) throw new Error('time difference between two schedules is less than 1 second')
  const elapsed = Math.floor((now - t1) / 1000)
  const missed = Math.floor(elapsed / between) + 1
  let mostRecent = 0
  const potentialEarliest = t1 + (missed - 2) * between * 1000
  for (let t = sched.next(potentialEarliest); t <= now; t = sched.next(t)) mostRecent = t
  return {time: mostRecent || undefined, missed}
}

/** jobNameFor is getJobName: `<cronjob>-<scheduled time in minutes since the epoch>`. */
export function jobNameFor(cj: KubeObject, scheduled: number): string {
  return `${cj.metadata?.name}-${Math.floor(scheduled / 60_000)}`
}

/** formatInZone prints t as RFC 3339 in a time zone, as Go's time.Format(time.RFC3339) does. */
export function formatInZone(t: number, tz: string): string {
  if (tz === 'UTC') return rfc3339(t)
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(new Date(t))
      .map((p) => [p.type, p.value]),
  )
  const local = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second)
  const offMin = Math.round((local - Math.floor(t / 1000) * 1000) / 60_000)
  if (offMin === 0) return rfc3339(t)
  const sign = offMin < 0 ? '-' : '+'
  const abs = Math.abs(offMin)
  const off = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${off}`
}

/** rfc1123z prints t as Go's time.RFC1123Z in UTC ("Mon, 02 Jan 2006 15:04:05 +0000"). */
function rfc1123z(t: number): string {
  return new Date(t).toUTCString().replace('GMT', '+0000')
}

function jobRef(job: KubeObject): Obj {
  return {
    kind: 'Job',
    namespace: job.metadata?.namespace,
    name: job.metadata?.name,
    uid: job.metadata?.uid,
    apiVersion: 'batch/v1',
    resourceVersion: job.metadata?.resourceVersion,
  }
}

/** CronJobController is pkg/controller/cronjob's ControllerV2. */
export class CronJobController implements Controller {
  readonly name = 'cronjob'
  private readonly events: EventRecorder

  constructor(private readonly ctx: ControllerContext) {
    this.events = ctx.events.withSource({component: 'cronjob-controller'})
  }

  watches() {
    return [{resource: 'batch/cronjobs'}, {resource: 'batch/jobs', keys: ownerKeys('CronJob')}]
  }

  sync(key: string): SyncResult | void {
    const {namespace, name} = splitKey(key)
    const shared = this.ctx.informers.for('batch/cronjobs').get(namespace, name)
    if (!shared) return
    const cj = structuredClone(shared)
    cj.status ??= {}
    const jobs = this.ctx.informers.for('batch/jobs').ownedBy(String(cj.metadata?.uid))
    const {requeueAfterMs, changed} = this.syncCronJob(cj, jobs)
    const pruned = this.cleanupFinishedJobs(cj, jobs)
    if (changed || pruned) this.writeStatus(cj, shared)
    if (requeueAfterMs !== undefined) return {requeueAfterMs: Math.max(0, requeueAfterMs)}
  }

  private writeStatus(cj: KubeObject, shared: KubeObject) {
    const status = cj.status as Obj
    if (Array.isArray(status.active) && status.active.length === 0) delete status.active
    if (JSON.stringify(status) === JSON.stringify(shared.status ?? {})) return
    this.ctx.client.updateStatus('batch/cronjobs', cj)
  }

  private syncCronJob(cj: KubeObject, jobs: KubeObject[]): {requeueAfterMs?: number; changed: boolean} {
    const now = this.ctx.clock.now()
    const spec = cj.spec as Obj
    const status = cj.status as Obj
    let changed = false
    const children = new Set<string>()
    const inActive = (uid: unknown) => ((status.active ?? []) as Obj[]).some((r) => r.uid === uid)
    const dropActive = (uid: unknown) => {
      status.active = ((status.active ?? []) as Obj[]).filter((r) => r.uid !== uid)
    }
    for (const j of jobs) {
      const uid = j.metadata?.uid
      children.add(String(uid))
      const finished = jobFinishedCondition(j)
      const found = inActive(uid)
      if (!found && !finished) {
        // A Job the controller did not record (`kubectl create job --from=cronjob/x`, or a lost status write).
        this.events.warning(
          cj,
          'UnexpectedJob',
          `Saw a job that the controller did not create or forgot: ${j.metadata?.name}`,
        )
      } else if (found && finished) {
        dropActive(uid)
        this.events.normal(cj, 'SawCompletedJob', `Saw completed job: ${j.metadata?.name}, condition: ${finished.type}`)
        changed = true
      }
      if (finished?.type === 'Complete') {
        // A Job need not be in the active list to count as the last success.
        const done = (j.status as Obj | undefined)?.completionTime as string | undefined
        if (done && (!status.lastSuccessfulTime || Date.parse(done) > Date.parse(status.lastSuccessfulTime))) {
          status.lastSuccessfulTime = done
          changed = true
        }
      }
    }
    for (const ref of [...((status.active ?? []) as Obj[])]) {
      if (children.has(String(ref.uid))) continue
      if (!this.ctx.client.tryGet('batch/jobs', ref.namespace, ref.name)) {
        this.events.normal(cj, 'MissingJob', `Active job went missing: ${ref.name}`)
        dropActive(ref.uid)
        changed = true
      }
    }
    if (cj.metadata?.deletionTimestamp) return {changed}

    const tz: string = spec.timeZone ?? 'UTC'
    if (spec.timeZone !== undefined && spec.timeZone !== null) {
      const err = validTimeZone(tz)
      if (err) {
        this.events.warning(cj, 'UnknownTimeZone', `invalid timeZone: ${JSON.stringify(tz)}: ${err}`)
        return {changed}
      }
    }
    if (spec.suspend === true) return {changed}
    let sched: CronSchedule
    try {
      sched = parseSchedule(String(spec.schedule), tz)
    } catch (e) {
      this.events.warning(
        cj,
        'UnparseableSchedule',
        `unparseable schedule: ${JSON.stringify(spec.schedule)} : ${(e as Error).message}`,
      )
      return {changed}
    }
    const nextIn = () => this.nextScheduleIn(cj, now, sched)
    let scheduled: number | undefined
    try {
      const r = mostRecentScheduleTime(cj, now, sched, true)
      if (r.missed > TOO_MANY_MISSED) {
        this.events.warning(
          cj,
          'TooManyMissedTimes',
          `too many missed start times: ${r.missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`,
        )
      }
      scheduled = r.time
    } catch (e) {
      this.events.warning(cj, 'InvalidSchedule', `invalid schedule: ${spec.schedule} : ${(e as Error).message}`)
      return {changed}
    }
    if (scheduled === undefined || scheduled > now) return {requeueAfterMs: nextIn(), changed}

    if (typeof spec.startingDeadlineSeconds === 'number' && scheduled + spec.startingDeadlineSeconds * 1000 < now) {
      this.events.warning(cj, 'MissSchedule', `Missed scheduled time to start a job: ${rfc1123z(scheduled)}`)
      return {requeueAfterMs: nextIn(), changed}
    }
    const jobName = jobNameFor(cj, scheduled)
    const already =
      ((status.active ?? []) as Obj[]).some((r) => r.name === jobName) ||
      (status.lastScheduleTime !== undefined &&
        Date.parse(status.lastScheduleTime) === Math.floor(scheduled / 1000) * 1000)
    if (already) return {requeueAfterMs: nextIn(), changed}
    if (spec.concurrencyPolicy === 'Forbid' && (status.active ?? []).length > 0) {
      this.events.normal(
        cj,
        'JobAlreadyActive',
        'Not starting job because prior execution is running and concurrency policy is Forbid',
      )
      return {requeueAfterMs: nextIn(), changed}
    }
    if (spec.concurrencyPolicy === 'Replace') {
      for (const ref of [...((status.active ?? []) as Obj[])]) {
        const job = this.ctx.client.tryGet('batch/jobs', ref.namespace, ref.name)
        if (!job) continue
        // A failed delete throws; the status write then waits for the retry (MissingJob tidies active).
        if (!this.deleteJob(cj, job)) throw new Error(`could not replace job ${ref.namespace}/${ref.name}`)
      }
    }

    const job = this.jobFromTemplate(cj, scheduled, tz, jobName)
    let made: KubeObject
    try {
      made = this.ctx.client.create('batch/jobs', job)
      this.events.normal(cj, 'SuccessfulCreate', `Created job ${made.metadata?.name}`)
    } catch (e) {
      if (!isAlreadyExists(e)) {
        this.events.warning(cj, 'FailedCreate', `Error creating job: ${(e as Error).message}`)
        throw e
      }
      // Someone (this controller before a lost status write) made it: adopt it if it is ours.
      made = this.ctx.client.get('batch/jobs', cj.metadata?.namespace, jobName)
      if (!isControlledBy(made, cj))
        throw new Error(`job ${cj.metadata?.namespace}/${jobName} is not owned by the cron job`, {cause: e})
    }
    status.active = [...((status.active ?? []) as Obj[]), jobRef(made)]
    status.lastScheduleTime = rfc3339(scheduled)
    return {requeueAfterMs: nextIn(), changed: true}
  }

  /** nextScheduleIn is nextScheduleTimeDuration: ms from now until 100 ms after the next schedule time. */
  private nextScheduleIn(cj: KubeObject, now: number, sched: CronSchedule): number {
    let base: number
    try {
      const r = mostRecentScheduleTime(cj, now, sched, false)
      const last = (cj.status as Obj).lastScheduleTime
      base = r.time ?? Date.parse(last ?? String(cj.metadata?.creationTimestamp))
    } catch {
      base = now
    }
    return sched.next(base) + NEXT_SCHEDULE_DELTA_MS - now
  }

  /** jobFromTemplate is getJobFromTemplate2. */
  private jobFromTemplate(cj: KubeObject, scheduled: number, tz: string, name: string): KubeObject {
    const tpl = ((cj.spec as Obj).jobTemplate ?? {}) as Obj
    const labels = {...(tpl.metadata?.labels ?? {})}
    const annotations = {
      ...(tpl.metadata?.annotations ?? {}),
      [CRONJOB_SCHEDULED_TIMESTAMP]: formatInZone(scheduled, tz),
    }
    return {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name,
        namespace: cj.metadata?.namespace,
        ...(Object.keys(labels).length > 0 ? {labels} : {}),
        annotations,
        ownerReferences: [controllerRef(cj)],
      },
      spec: structuredClone(tpl.spec ?? {}),
    }
  }

  /** deleteJob deletes a Job in the background and drops it from status.active (utils.go deleteJob). */
  private deleteJob(cj: KubeObject, job: KubeObject): boolean {
    try {
      this.ctx.client.delete('batch/jobs', job.metadata?.namespace, String(job.metadata?.name), {
        propagationPolicy: 'Background',
      })
    } catch (e) {
      if (!isNotFound(e)) {
        this.events.warning(cj, 'FailedDelete', `Deleted job: ${(e as Error).message}`)
        return false
      }
    }
    const status = cj.status as Obj
    status.active = ((status.active ?? []) as Obj[]).filter((r) => r.uid !== job.metadata?.uid)
    this.events.normal(cj, 'SuccessfulDelete', `Deleted job ${job.metadata?.name}`)
    return true
  }

  /** cleanupFinishedJobs deletes the oldest finished Jobs beyond the history limits. */
  private cleanupFinishedJobs(cj: KubeObject, jobs: KubeObject[]): boolean {
    const spec = cj.spec as Obj
    const ok: KubeObject[] = []
    const failed: KubeObject[] = []
    for (const j of jobs) {
      if (j.metadata?.deletionTimestamp) continue
      const f = jobFinishedCondition(j)
      if (f?.type === 'Complete') ok.push(j)
      else if (f?.type === 'Failed') failed.push(j)
    }
    let changed = false
    for (const [list, limit] of [
      [ok, spec.successfulJobsHistoryLimit],
      [failed, spec.failedJobsHistoryLimit],
    ] as [KubeObject[], number | undefined][]) {
      if (typeof limit !== 'number' || list.length <= limit) continue
      list.sort(byStartTime)
      for (const j of list.slice(0, list.length - limit)) if (this.deleteJob(cj, j)) changed = true
    }
    return changed
  }
}

/** byStartTime orders Jobs by status.startTime (unstarted last), then name (utils.go byJobStartTime). */
function byStartTime(a: KubeObject, b: KubeObject): number {
  const sa = (a.status as Obj | undefined)?.startTime
  const sb = (b.status as Obj | undefined)?.startTime
  if (!sa && sb) return 1
  if (sa && !sb) return -1
  if (sa === sb || (!sa && !sb)) return String(a.metadata?.name).localeCompare(String(b.metadata?.name))
  return Date.parse(sa) - Date.parse(sb)
}

/** cronJobController builds the CronJob controller. */
export const cronJobController: ControllerFactory = (ctx) => new CronJobController(ctx)
