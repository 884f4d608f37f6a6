// job.ts: the Job controller, after kube-controller-manager's pkg/controller/job (job_controller.go,
// backoff_utils.go, indexed_job_utils.go) as of 1.32.
//
// Design note. A sync reads the Job and its pods from the informers and:
//  1. counts finished pods that still carry the batch.kubernetes.io/job-tracking finalizer (pods without it are
//     already in status.succeeded/failed), and decides whether the Job has finished: too many failures
//     (BackoffLimitExceeded), past activeDeadlineSeconds (DeadlineExceeded) or enough successes;
//  2. otherwise creates or deletes pods so that `active` matches parallelism and the remaining completions,
//     holding creations back by the pod-failure back-off (10 s doubling, capped at 10 min as in 1.32's
//     MaxJobPodFailureBackOff) after failures;
//  3. writes the finished pods' uids to status.uncountedTerminatedPods, removes their finalizers, moves them to
//     the counters, and only then adds the terminal condition. With JobPodReplacementPolicy on (1.32 default)
//     the terminal condition is delayed: SuccessCriteriaMet / FailureTarget first, Complete / Failed once no pod
//     is terminating, with the same reason and message.
// Time-based work (deadline, back-off) comes back through requeueAfterMs on the cluster clock.
//
// Not modelled: podFailurePolicy rules, backoffLimitPerIndex, successPolicy, managedBy other than the built-in
// controller (such Jobs are left alone), expectations (informer caches are current when a write returns).
import {isDeepStrictEqual} from 'node:util'
import {isNotFound} from '../../api/errors.js'
import type {KubeObject} from '../../api/object.js'
import {labelSelectorFromObject} from '../../api/labels.js'
import {rfc3339} from '../clock.js'
import type {EventRecorder} from './framework/events.js'
import {controllerOf, controllerRef} from './framework/owner.js'
import {
  splitKey,
  type Controller,
  type ControllerContext,
  type ControllerFactory,
  type SyncResult,
} from './framework/types.js'

/** JOB_TRACKING_FINALIZER keeps a Job's pod until the controller has counted it (batch/v1 JobTrackingFinalizer). */
export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking'
/** JOB_COMPLETION_INDEX is the annotation and label carrying an Indexed Job pod's index. */
export const JOB_COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index'
/** DEFAULT_POD_FAILURE_BACKOFF_MS is job_controller.go's DefaultJobPodFailureBackOff. */
export const DEFAULT_POD_FAILURE_BACKOFF_MS = 10_000
/** MAX_POD_FAILURE_BACKOFF_MS is job_controller.go's MaxJobPodFailureBackOff (10 min since 1.28). */
export const MAX_POD_FAILURE_BACKOFF_MS = 10 * 60_000
const MAX_UNCOUNTED_PODS = 500
const MAX_POD_CREATE_DELETE_PER_SYNC = 500
const JOB_MANAGED_BY = 'kubernetes.io/job-controller'
const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name'
const MAX_GENERATED_NAME = 58

type Obj = Record<string, any>

/** JobCondition is batch/v1 JobCondition. */
export interface JobCondition {
  type: string
  status: string
  lastProbeTime: string
  lastTransitionTime: string
  reason?: string
  message?: string
}

function newCondition(type: string, status: string, reason: string, message: string, now: number): JobCondition {
  const c: JobCondition = {type, status, lastProbeTime: rfc3339(now), lastTransitionTime: rfc3339(now)}
  if (reason) c.reason = reason
  if (message) c.message = message
  return c
}

function findCondition(job: KubeObject, type: string): JobCondition | undefined {
  return ((job.status as Obj | undefined)?.conditions as JobCondition[] | undefined)?.find((c) => c.type === type)
}

/** jobFinishedCondition returns the Job's Complete or Failed condition when it is True (util.IsJobFinished). */
export function jobFinishedCondition(job: KubeObject): JobCondition | undefined {
  for (const c of ((job.status as Obj | undefined)?.conditions ?? []) as JobCondition[]) {
    if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') return c
  }
  return undefined
}

const hasFinalizer = (p: KubeObject) => (p.metadata?.finalizers ?? []).includes(JOB_TRACKING_FINALIZER)
const phaseOf = (p: KubeObject) => (p.status as Obj | undefined)?.phase as string | undefined
const uidOf = (o: KubeObject) => String(o.metadata?.uid)
const isActive = (p: KubeObject) =>
  phaseOf(p) !== 'Succeeded' && phaseOf(p) !== 'Failed' && !p.metadata?.deletionTimestamp
const isTerminating = (p: KubeObject) =>
  !!p.metadata?.deletionTimestamp && phaseOf(p) !== 'Succeeded' && phaseOf(p) !== 'Failed'
const isReady = (p: KubeObject) =>
  ((p.status as Obj | undefined)?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True')
const ms = (t: unknown) => (typeof t === 'string' ? Date.parse(t) : NaN)

function onlyReplaceFailedPods(job: KubeObject): boolean {
  const s = job.spec as Obj
  return s.podReplacementPolicy === 'Failed' || !!s.podFailurePolicy
}

/** isPodFailed: Failed phase, or (unless only failed pods are replaced) deleted before it succeeded. */
function isPodFailed(p: KubeObject, job: KubeObject): boolean {
  if (phaseOf(p) === 'Failed') return true
  if (onlyReplaceFailedPods(job)) return false
  return !!p.metadata?.deletionTimestamp && phaseOf(p) !== 'Succeeded'
}

function completionIndex(p: KubeObject): number {
  const v = p.metadata?.annotations?.[JOB_COMPLETION_INDEX]
  if (v === undefined || !/^\d+$/.test(v)) return -1
  return parseInt(v, 10)
}

/** formatIndexes prints sorted indexes as orderedIntervals.String does: "0-2,4,6,7". */
export function formatIndexes(ix: Iterable<number>): string {
  const sorted = [...new Set(ix)].sort((a, b) => a - b)
  const parts: string[] = []
  for (let i = 0; i < sorted.length;) {
    let j = i
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++
    const first = sorted[i]!
    const last = sorted[j]!
    parts.push(last === first ? `${first}` : last === first + 1 ? `${first},${last}` : `${first}-${last}`)
    i = j + 1
  }
  return parts.join(',')
}

/** parseIndexes reads a completedIndexes string, keeping indexes below completions. */
export function parseIndexes(s: string | undefined, completions: number): Set<number> {
  const out = new Set<number>()
  for (const part of (s ?? '').split(',')) {
    if (!part) continue
    const [a, b] = part.split('-')
    const first = parseInt(a!, 10)
    const last = b === undefined ? first : parseInt(b, 10)
    if (Number.isNaN(first) || Number.isNaN(last)) continue
    for (let i = first; i <= last && i < completions; i++) out.add(i)
  }
  return out
}

/** podFinishedAt is backoff_utils.go's getFinishedTime: containers' finishedAt, Ready=False, deletion, creation. */
function podFinishedAt(p: KubeObject): number {
  const st = (p.status ?? {}) as Obj
  const cs: Obj[] = st.containerStatuses ?? []
  if (cs.length > 0 && cs.every((c) => c.state?.terminated)) {
    const t = Math.max(...cs.map((c) => ms(c.state.terminated.finishedAt)).filter((n) => !Number.isNaN(n)))
    if (Number.isFinite(t)) return t
  }
  const ready = (st.conditions ?? []).find((c: Obj) => c.type === 'Ready' && c.status === 'False')
  if (ready && !Number.isNaN(ms(ready.lastTransitionTime))) return ms(ready.lastTransitionTime)
  const del = ms(p.metadata?.deletionTimestamp)
  if (!Number.isNaN(del)) return del - 1000 * Number(p.metadata?.deletionGracePeriodSeconds ?? 0)
  return ms(p.metadata?.creationTimestamp)
}

interface BackoffRecord {
  failuresAfterLastSuccess: number
  lastFailureTime?: number
}

/** nextBackoffRecord folds newly finished pods into the record (backoffStore.newBackoffRecord). */
function nextBackoffRecord(
  prev: BackoffRecord | undefined,
  succeeded: KubeObject[],
  failed: KubeObject[],
): BackoffRecord {
  const rec: BackoffRecord = {...(prev ?? {failuresAfterLastSuccess: 0})}
  const failTimes = failed.map(podFinishedAt).sort((a, b) => a - b)
  if (succeeded.length === 0) {
    if (failTimes.length === 0) return rec
    rec.failuresAfterLastSuccess += failTimes.length
    rec.lastFailureTime = failTimes[failTimes.length - 1]
    return rec
  }
  const lastSuccess = Math.max(...succeeded.map(podFinishedAt))
  const out: BackoffRecord = {failuresAfterLastSuccess: 0}
  for (let i = failTimes.length - 1; i >= 0; i--) {
    if (!(failTimes[i]! > lastSuccess)) break
    out.lastFailureTime ??= failTimes[i]
    out.failuresAfterLastSuccess++
  }
  return out
}

/** backoffRemaining is getRemainingTimeForFailuresCount: 10 s doubling per failure, capped, minus time since. */
export function backoffRemaining(rec: BackoffRecord | undefined, now: number): number {
  if (!rec || rec.failuresAfterLastSuccess === 0 || rec.lastFailureTime === undefined) return 0
  let d = DEFAULT_POD_FAILURE_BACKOFF_MS
  for (let i = 1; i < rec.failuresAfterLastSuccess; i++) {
    d *= 2
    if (d >= MAX_POD_FAILURE_BACKOFF_MS) {
      d = MAX_POD_FAILURE_BACKOFF_MS
      break
    }
  }
  const elapsed = now - rec.lastFailureTime
  return d < elapsed ? 0 : d - elapsed
}

/** podRank orders pods for deletion as controller.ActivePods: unscheduled, pending, not ready, then newest first. */
function podRank(a: KubeObject, b: KubeObject): number {
  const sched = (p: KubeObject) => ((p.spec as Obj | undefined)?.nodeName ? 1 : 0)
  const phase = (p: KubeObject) => ({Pending: 0, Unknown: 1, Running: 2})[phaseOf(p) ?? 'Pending'] ?? 0
  const ready = (p: KubeObject) => (isReady(p) ? 1 : 0)
  return (
    sched(a) - sched(b) ||
    phase(a) - phase(b) ||
    ready(a) - ready(b) ||
    ms(b.metadata?.creationTimestamp) - ms(a.metadata?.creationTimestamp) ||
    String(a.metadata?.name).localeCompare(String(b.metadata?.name))
  )
}

function podGenerateNameWithIndex(jobName: string, index: number): string {
  const suffix = `-${index}-`
  const prefix = jobName + suffix
  return prefix.length > MAX_GENERATED_NAME ? jobName.slice(0, MAX_GENERATED_NAME - suffix.length) + suffix : prefix
}

function addCompletionIndexEnv(containers: Obj[] | undefined) {
  for (const c of containers ?? []) {
    const env: Obj[] = (c.env ??= [])
    if (env.some((e) => e.name === 'JOB_COMPLETION_INDEX')) continue
    env.push({
      name: 'JOB_COMPLETION_INDEX',
      valueFrom: {fieldRef: {fieldPath: `metadata.labels['${JOB_COMPLETION_INDEX}']`}},
    })
  }
}

/** jobPodKeys maps a pod to the Jobs that care: its controller (old and new), or the Job named by its label. */
function jobPodKeys(obj: KubeObject, _type: string, old: KubeObject | undefined): string[] {
  const out: string[] = []
  for (const p of old ? [obj, old] : [obj]) {
    const ns = p.metadata?.namespace
    const ref = controllerOf(p)
    let name: string | undefined
    if (ref) name = ref.kind === 'Job' ? ref.name : undefined
    else name = p.metadata?.labels?.[JOB_NAME_LABEL]
    if (name && ns && !out.includes(`${ns}/${name}`)) out.push(`${ns}/${name}`)
  }
  return out
}

interface SyncCtx {
  job: KubeObject
  status: Obj
  pods: KubeObject[]
  indexed: boolean
  completions: number | undefined
  finished?: JobCondition
  succeeded: number
  failed: number
  uncountedSucceeded: Set<string>
  uncountedFailed: Set<string>
  prevSucceededIndexes: Set<number>
  succeededIndexes: Set<number>
  terminating: number
  ready: number
  newBackoff: BackoffRecord
  requeue: number[]
}

/** JobController is pkg/controller/job's Controller. */
export class JobController implements Controller {
  readonly name = 'job'
  private readonly backoff = new Map<string, BackoffRecord>()
  private readonly events: EventRecorder

  constructor(private readonly ctx: ControllerContext) {
    this.events = ctx.events.withSource({component: 'job-controller'})
  }

  watches() {
    return [{resource: 'batch/jobs'}, {resource: 'pods', keys: jobPodKeys}]
  }

  private get jobs() {
    return this.ctx.informers.for('batch/jobs')
  }

  private get podInformer() {
    return this.ctx.informers.for('pods')
  }

  sync(key: string): SyncResult | void {
    const {namespace, name} = splitKey(key)
    if (!namespace) return
    const shared = this.jobs.get(namespace, name)
    if (!shared) {
      this.backoff.delete(key)
      this.releaseOrphans(namespace, name)
      return
    }
    const managedBy = (shared.spec as Obj | undefined)?.managedBy
    if (managedBy && managedBy !== JOB_MANAGED_BY) return
    if (jobFinishedCondition(shared)) {
      this.backoff.delete(key)
      // A backup, as updateJob's cleanupPodFinalizers: a finished Job's pods keep no tracking finalizer.
      this.removeFinalizers(this.podInformer.ownedBy(uidOf(shared)).filter(hasFinalizer))
      return
    }
    const mode = (shared.spec as Obj).completionMode
    if (mode && mode !== 'NonIndexed' && mode !== 'Indexed') {
      this.events.warning(shared, 'UnknownCompletionMode', 'Skipped Job sync because completion mode is unknown')
      return
    }
    return this.syncJob(key, structuredClone(shared))
  }

  private syncJob(key: string, job: KubeObject): SyncResult | void {
    const now = this.ctx.clock.now()
    const spec = job.spec as Obj
    const status = (job.status ??= {}) as Obj
    status.uncountedTerminatedPods ??= {}
    const indexed = spec.completionMode === 'Indexed'
    const completions: number | undefined = typeof spec.completions === 'number' ? spec.completions : undefined
    const pods = this.podsForJob(job)
    const activePods = pods.filter(isActive)
    const c: SyncCtx = {
      job,
      status,
      pods,
      indexed,
      completions,
      succeeded: 0,
      failed: 0,
      uncountedSucceeded: new Set(status.uncountedTerminatedPods.succeeded ?? []),
      uncountedFailed: new Set(status.uncountedTerminatedPods.failed ?? []),
      prevSucceededIndexes: new Set(),
      succeededIndexes: new Set(),
      terminating: pods.filter(isTerminating).length,
      ready: activePods.filter(isReady).length,
      newBackoff: {failuresAfterLastSuccess: 0},
      requeue: [],
    }
    let active = activePods.length
    const validIndex = (p: KubeObject) => {
      if (!indexed) return true
      const ix = completionIndex(p)
      return ix >= 0 && ix < (completions ?? 0)
    }
    const counted = (p: KubeObject, uncounted: Set<string>) =>
      hasFinalizer(p) && !uncounted.has(uidOf(p)) && validIndex(p)
    const newSucceeded = pods.filter((p) => counted(p, c.uncountedSucceeded) && phaseOf(p) === 'Succeeded')
    const newFailed = pods.filter((p) => counted(p, c.uncountedFailed) && isPodFailed(p, job))
    c.succeeded = (status.succeeded ?? 0) + newSucceeded.length + c.uncountedSucceeded.size
    c.failed = (status.failed ?? 0) + newFailed.length + c.uncountedFailed.size
    const suspended = spec.suspend === true
    if (!status.startTime && !suspended) status.startTime = rfc3339(now)
    c.newBackoff = nextBackoffRecord(this.backoff.get(key), newSucceeded, newFailed)

    // The terminal decision (syncJob's finishedCondition).
    const criteriaMet = findCondition(job, 'SuccessCriteriaMet')
    if (criteriaMet?.status === 'True') c.finished = criteriaMet
    else {
      const target = findCondition(job, 'FailureTarget')
      if (target?.status === 'True')
        c.finished = newCondition('Failed', 'True', target.reason ?? '', target.message ?? '', now)
    }
    if (!c.finished) {
      if (c.failed > (spec.backoffLimit ?? 6) || this.pastBackoffLimitOnFailure(job, pods)) {
        c.finished = newCondition(
          'FailureTarget',
          'True',
          'BackoffLimitExceeded',
          'Job has reached the specified backoff limit',
          now,
        )
      } else if (this.pastActiveDeadline(job, now)) {
        c.finished = newCondition(
          'FailureTarget',
          'True',
          'DeadlineExceeded',
          'Job was active longer than specified deadline',
          now,
        )
      } else if (typeof spec.activeDeadlineSeconds === 'number' && !suspended) {
        c.requeue.push(spec.activeDeadlineSeconds * 1000 - (now - ms(status.startTime)))
      }
    }
    if (indexed) {
      c.prevSucceededIndexes = parseIndexes(status.completedIndexes, completions ?? 0)
      c.succeededIndexes = new Set(c.prevSucceededIndexes)
      for (const p of pods)
        if (phaseOf(p) === 'Succeeded' && hasFinalizer(p) && validIndex(p)) c.succeededIndexes.add(completionIndex(p))
      c.succeeded = c.succeededIndexes.size
    }

    if (c.finished) {
      const {deleted, deletedReady} = this.deletePods(job, activePods, false)
      active -= deleted
      c.terminating += deleted
      c.ready -= deletedReady
    } else {
      let managed = false
      if (!job.metadata?.deletionTimestamp) {
        active = this.manageJob(key, job, c, activePods)
        managed = true
      }
      const complete =
        completions === undefined ? c.succeeded > 0 && active === 0 : c.succeeded >= completions && active === 0
      if (complete) {
        c.finished = newCondition(
          'SuccessCriteriaMet',
          'True',
          'CompletionsReached',
          'Reached expected number of succeeded pods',
          now,
        )
      } else if (managed) {
        if (suspended) {
          if (this.ensureCondition(job, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now)) {
            this.events.normal(job, 'Suspended', 'Job suspended')
          }
        } else if (this.ensureCondition(job, 'Suspended', 'False', 'JobResumed', 'Job resumed', now)) {
          this.events.normal(job, 'Resumed', 'Job resumed')
          // A resumed Job's activeDeadlineSeconds counts from the resume.
          status.startTime = rfc3339(now)
        }
      }
    }
    status.active = active
    status.ready = c.ready
    status.terminating = c.terminating
    this.trackStatusAndRemoveFinalizers(key, c)
    const waits = c.requeue.filter((n) => Number.isFinite(n)).map((n) => Math.max(0, n))
    if (waits.length > 0) return {requeueAfterMs: Math.min(...waits)}
  }

  /** podsForJob returns the pods the Job controls, adopting orphans its selector matches (ClaimPods). */
  private podsForJob(job: KubeObject): KubeObject[] {
    const owned = this.podInformer.ownedBy(uidOf(job))
    const sel = (job.spec as Obj).selector
    if (!sel || job.metadata?.deletionTimestamp) return owned
    let selector
    try {
      selector = labelSelectorFromObject(sel)
    } catch {
      return owned
    }
    const orphans = this.podInformer
      .list(job.metadata?.namespace, selector)
      .filter((p) => !controllerOf(p) && !p.metadata?.deletionTimestamp)
    if (orphans.length === 0) return owned
    const adopted: KubeObject[] = []
    for (const o of orphans) {
      try {
        adopted.push(
          this.ctx.client.mutate('pods', o.metadata?.namespace, String(o.metadata?.name), (p) => {
            if (controllerOf(p)) return undefined
            p.metadata ??= {}
            p.metadata.ownerReferences = [...(p.metadata.ownerReferences ?? []), controllerRef(job)]
            const fins = p.metadata.finalizers ?? []
            if (!fins.includes(JOB_TRACKING_FINALIZER)) p.metadata.finalizers = [...fins, JOB_TRACKING_FINALIZER]
            return p
          }),
        )
      } catch (e) {
        if (!isNotFound(e)) throw e
      }
    }
    return [...owned, ...adopted.filter((p) => controllerOf(p)?.uid === uidOf(job))]
  }

  private pastBackoffLimitOnFailure(job: KubeObject, pods: KubeObject[]): boolean {
    const spec = job.spec as Obj
    if (spec.template?.spec?.restartPolicy !== 'OnFailure') return false
    let restarts = 0
    for (const p of pods) {
      if (phaseOf(p) !== 'Running' && phaseOf(p) !== 'Pending') continue
      const st = (p.status ?? {}) as Obj
      for (const cs of [...(st.initContainerStatuses ?? []), ...(st.containerStatuses ?? [])])
        restarts += cs.restartCount ?? 0
    }
    const limit = spec.backoffLimit ?? 6
    return limit === 0 ? restarts > 0 : restarts >= limit
  }

  private pastActiveDeadline(job: KubeObject, now: number): boolean {
    const spec = job.spec as Obj
    const start = (job.status as Obj).startTime
    if (typeof spec.activeDeadlineSeconds !== 'number' || !start || spec.suspend === true) return false
    return now - ms(start) >= spec.activeDeadlineSeconds * 1000
  }

  /** ensureCondition is ensureJobConditionStatus: add or update a condition; a new False one is not added. */
  private ensureCondition(
    job: KubeObject,
    type: string,
    st: string,
    reason: string,
    message: string,
    now: number,
  ): boolean {
    const status = job.status as Obj
    const list: JobCondition[] = (status.conditions ??= [])
    const i = list.findIndex((c) => c.type === type)
    if (i >= 0) {
      const cur = list[i]!
      if (cur.status === st && (cur.reason ?? '') === reason && (cur.message ?? '') === message) return false
      list[i] = newCondition(type, st, reason, message, now)
      return true
    }
    if (st === 'False') {
      if (list.length === 0) delete status.conditions
      return false
    }
    list.push(newCondition(type, st, reason, message, now))
    return true
  }

  /** manageJob creates or deletes pods towards the wanted number of active ones; returns the new active count. */
  private manageJob(key: string, job: KubeObject, c: SyncCtx, activePods: KubeObject[]): number {
    const spec = job.spec as Obj
    const active = activePods.length
    if (spec.suspend === true) {
      const {deleted, deletedReady} = this.deletePods(job, activePods, true)
      c.terminating += deleted
      c.ready -= deletedReady
      return active - deleted
    }
    const parallelism: number = spec.parallelism ?? 1
    let want: number
    if (c.completions === undefined) want = c.succeeded > 0 ? active : parallelism
    else want = Math.max(0, Math.min(c.completions - c.succeeded, parallelism))

    // Too many pods, or (Indexed) duplicated or out-of-range indexes: delete, and create nothing this sync.
    const toDelete = this.podsForRemoval(c, activePods, Math.max(0, active - want)).slice(
      0,
      MAX_POD_CREATE_DELETE_PER_SYNC,
    )
    if (toDelete.length > 0) {
      const {deleted, deletedReady} = this.deletePods(job, toDelete, true)
      c.terminating += deleted
      c.ready -= deletedReady
      return active - deleted
    }
    const terminating = onlyReplaceFailedPods(job) ? c.terminating : 0
    let diff = Math.min(want - terminating - active, MAX_POD_CREATE_DELETE_PER_SYNC)
    if (diff <= 0) return active
    const wait = backoffRemaining(c.newBackoff, this.ctx.clock.now())
    if (wait > 0) {
      c.requeue.push(Math.max(wait, 1000))
      return active
    }
    let indexes: number[] = []
    if (c.indexed) {
      indexes = this.firstPendingIndexes(c, activePods, diff)
      diff = indexes.length
    }
    const template = structuredClone(spec.template ?? {}) as Obj
    if (c.indexed) {
      addCompletionIndexEnv(template.spec?.initContainers)
      addCompletionIndexEnv(template.spec?.containers)
    }
    const name = String(job.metadata?.name)
    const made: KubeObject[] = []
    let failure: unknown
    try {
      this.ctx.client.transaction(() => {
        for (let i = 0; i < diff; i++) {
          const meta = structuredClone(template.metadata ?? {}) as Obj
          const podSpec = structuredClone(template.spec ?? {}) as Obj
          let generateName = `${name}-`
          if (c.indexed) {
            const ix = indexes[i]!
            meta.annotations = {...meta.annotations, [JOB_COMPLETION_INDEX]: String(ix)}
            meta.labels = {...meta.labels, [JOB_COMPLETION_INDEX]: String(ix)}
            podSpec.hostname = `${name}-${ix}`
            generateName = podGenerateNameWithIndex(name, ix)
          }
          const fins: string[] = meta.finalizers ?? []
          const pod: KubeObject = {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: {
              ...(meta.labels ? {labels: meta.labels} : {}),
              ...(meta.annotations ? {annotations: meta.annotations} : {}),
              generateName,
              namespace: job.metadata?.namespace,
              finalizers: fins.includes(JOB_TRACKING_FINALIZER) ? fins : [...fins, JOB_TRACKING_FINALIZER],
              ownerReferences: [controllerRef(job)],
            },
            spec: podSpec,
          }
          made.push(this.ctx.client.create('pods', pod))
        }
      })
    } catch (e) {
      failure = e
      made.length = 0
    }
    for (const p of made) this.events.normal(job, 'SuccessfulCreate', `Created pod: ${p.metadata?.name}`)
    if (failure) {
      this.events.warning(
        job,
        'FailedCreate',
        `Error creating: ${failure instanceof Error ? failure.message : String(failure)}`,
      )
      // The status below still records what this sync saw; the loop retries the creation with back-off.
      c.requeue.push(1000)
    }
    return active + made.length
  }

  /** podsForRemoval is activePodsForRemoval: bad or duplicated indexes first, then by ActivePods order. */
  private podsForRemoval(c: SyncCtx, pods: KubeObject[], atLeast: number): KubeObject[] {
    const rm: KubeObject[] = []
    let left = pods
    if (c.indexed) {
      left = []
      const seen = new Set<number>()
      for (const p of [...pods].sort((a, b) => -podRank(a, b))) {
        const ix = completionIndex(p)
        if (ix < 0 || ix >= (c.completions ?? 0) || seen.has(ix)) rm.push(p)
        else {
          seen.add(ix)
          left.push(p)
        }
      }
    }
    if (rm.length < atLeast) rm.push(...[...left].sort(podRank).slice(0, atLeast - rm.length))
    return rm
  }

  private firstPendingIndexes(c: SyncCtx, activePods: KubeObject[], count: number): number[] {
    const busy = new Set<number>(c.succeededIndexes)
    for (const p of activePods) busy.add(completionIndex(p))
    if (onlyReplaceFailedPods(c.job)) for (const p of c.pods.filter(isTerminating)) busy.add(completionIndex(p))
    const out: number[] = []
    for (let i = 0; i < (c.completions ?? 0) && out.length < count; i++) if (!busy.has(i)) out.push(i)
    return out
  }

  /**
   * deletePods deletes pods (DeletePod with a SuccessfulDelete event). With dropFinalizer (manageJob's
   * deleteJobPods) the tracking finalizer goes first, as the pod is not counted; a failing Job keeps it
   * (deleteActivePods) so that the pod is counted as failed below.
   */
  private deletePods(
    job: KubeObject,
    pods: KubeObject[],
    dropFinalizer: boolean,
  ): {deleted: number; deletedReady: number} {
    let deleted = 0
    let deletedReady = 0
    for (const p of pods) {
      const ns = p.metadata?.namespace
      const name = String(p.metadata?.name)
      try {
        if (dropFinalizer && hasFinalizer(p)) this.removeFinalizers([p])
        this.ctx.client.delete('pods', ns, name, {preconditions: {uid: uidOf(p)}})
        this.events.normal(job, 'SuccessfulDelete', `Deleted pod: ${name}`)
      } catch (e) {
        if (!isNotFound(e)) {
          this.events.warning(job, 'FailedDelete', `Error deleting: ${e instanceof Error ? e.message : String(e)}`)
          continue
        }
      }
      deleted++
      if (isReady(p)) deletedReady++
    }
    return {deleted, deletedReady}
  }

  /** removeFinalizers drops the tracking finalizer from pods in one transaction; returns the uids done. */
  private removeFinalizers(pods: KubeObject[]): Set<string> {
    const done = new Set<string>()
    if (pods.length === 0) return done
    this.ctx.client.transaction(() => {
      for (const p of pods) {
        try {
          this.ctx.client.mutate('pods', p.metadata?.namespace, String(p.metadata?.name), (cur) => {
            if (uidOf(cur) !== uidOf(p) || !hasFinalizer(cur)) return undefined
            cur.metadata!.finalizers = cur.metadata!.finalizers!.filter((f) => f !== JOB_TRACKING_FINALIZER)
            return cur
          })
        } catch (e) {
          if (!isNotFound(e)) throw e
        }
        done.add(uidOf(p))
      }
    })
    return done
  }

  /** releaseOrphans drops the tracking finalizer from pods of a deleted Job (syncOrphanPod). */
  private releaseOrphans(namespace: string, name: string) {
    const pods = this.podInformer.list(namespace).filter((p) => {
      if (!hasFinalizer(p)) return false
      const ref = controllerOf(p)
      if (ref) return ref.kind === 'Job' && ref.name === name
      return p.metadata?.labels?.[JOB_NAME_LABEL] === name
    })
    this.removeFinalizers(pods)
  }

  /**
   * trackStatusAndRemoveFinalizers is trackJobStatusAndRemoveFinalizers: record finished pods as uncounted,
   * flush, remove their finalizers, move them to the counters, then add the terminal condition.
   */
  private trackStatusAndRemoveFinalizers(key: string, c: SyncCtx) {
    const {job, status} = c
    const now = this.ctx.clock.now()
    const uncounted = status.uncountedTerminatedPods as {succeeded?: string[]; failed?: string[]}
    const withFinalizer = new Set(c.pods.filter(hasFinalizer).map(uidOf))
    this.cleanUncounted(status, withFinalizer)
    const toRemove: KubeObject[] = []
    const newIndexes: number[] = []
    let reachedMax = false
    for (const p of c.pods) {
      if (!hasFinalizer(p)) continue
      const failed = isPodFailed(p, job)
      if (!(job.metadata?.deletionTimestamp || c.finished || phaseOf(p) === 'Succeeded' || failed)) continue
      toRemove.push(p)
      const uid = uidOf(p)
      const ix = completionIndex(p)
      if (phaseOf(p) === 'Succeeded' && !c.uncountedFailed.has(uid)) {
        if (c.indexed) {
          if (ix >= 0 && ix < (c.completions ?? 0) && !c.prevSucceededIndexes.has(ix)) newIndexes.push(ix)
        } else if (!c.uncountedSucceeded.has(uid)) (uncounted.succeeded ??= []).push(uid)
      } else if (failed || (c.finished && c.finished.type !== 'SuccessCriteriaMet')) {
        if (!c.uncountedFailed.has(uid) && (!c.indexed || (ix >= 0 && ix < (c.completions ?? 0)))) {
          ;(uncounted.failed ??= []).push(uid)
        }
      }
      if (
        newIndexes.length + (uncounted.succeeded?.length ?? 0) + (uncounted.failed?.length ?? 0) >=
        MAX_UNCOUNTED_PODS
      ) {
        reachedMax = true
        break
      }
    }
    if (c.indexed) {
      const all = new Set([...c.prevSucceededIndexes, ...newIndexes])
      status.succeeded = all.size
      status.completedIndexes = formatIndexes(all)
    }
    let finished = c.finished
    const conditions: JobCondition[] = (status.conditions ??= [])
    if (finished?.type === 'FailureTarget') {
      conditions.push(finished)
      finished = newCondition('Failed', 'True', finished.reason ?? '', finished.message ?? '', now)
    } else if (finished?.type === 'SuccessCriteriaMet') {
      if (!conditions.some((x) => x.type === 'SuccessCriteriaMet')) conditions.push(finished)
      finished = newCondition('Complete', 'True', finished.reason ?? '', finished.message ?? '', now)
    }
    if (conditions.length === 0) delete status.conditions

    // Flush the uncounted uids (and the interim condition) before touching finalizers.
    this.writeStatus(job)
    this.backoff.set(key, c.newBackoff)
    const removed = this.removeFinalizers(toRemove)
    for (const uid of removed) withFinalizer.delete(uid)
    this.cleanUncounted(status, withFinalizer)
    let jobFinished = false
    if (!reachedMax && finished) {
      const pending = (uncounted.succeeded?.length ?? 0) + (uncounted.failed?.length ?? 0)
      if (pending === 0 && c.terminating <= 0) {
        this.ensureCondition(job, finished.type, finished.status, finished.reason ?? '', finished.message ?? '', now)
        if (finished.type === 'Complete') {
          const cond = findCondition(job, 'Complete')!
          status.completionTime = cond.lastTransitionTime
        }
        jobFinished = true
      }
    }
    this.writeStatus(job)
    if (jobFinished && finished) {
      if (finished.type === 'Complete') {
        if (c.completions !== undefined && (status.succeeded ?? 0) > c.completions) {
          this.events.warning(
            job,
            'TooManySucceededPods',
            'Too many succeeded pods running after completion count reached',
          )
        }
        this.events.normal(job, 'Completed', 'Job completed')
      } else {
        this.events.warning(job, finished.reason ?? 'Failed', finished.message ?? '')
      }
      this.backoff.delete(key)
    }
  }

  /** cleanUncounted moves uncounted uids whose pods lost their finalizer into the counters. */
  private cleanUncounted(status: Obj, withFinalizer: Set<string>) {
    const u = status.uncountedTerminatedPods as {succeeded?: string[]; failed?: string[]}
    for (const k of ['succeeded', 'failed'] as const) {
      const list = u[k]
      if (!list) continue
      const keep = list.filter((uid) => withFinalizer.has(uid))
      status[k] = (status[k] ?? 0) + list.length - keep.length
      if (keep.length > 0) u[k] = keep
      else delete u[k]
    }
  }

  /** writeStatus PUTs the status when it differs from the stored one; zero counters are omitted (omitempty). */
  private writeStatus(job: KubeObject) {
    const status = job.status as Obj
    for (const k of ['active', 'succeeded', 'failed']) if (status[k] === 0) delete status[k]
    if (status.completedIndexes === '') delete status.completedIndexes
    const stored = this.jobs.get(job.metadata?.namespace, String(job.metadata?.name))
    if (stored && stored.metadata?.uid === job.metadata?.uid && isDeepStrictEqual(stored.status ?? {}, status)) return
    const out = this.ctx.client.updateStatus('batch/jobs', job)
    ;(job.metadata as Obj).resourceVersion = out.metadata?.resourceVersion
  }
}

/** jobController builds the Job controller. */
export const jobController: ControllerFactory = (ctx) => new JobController(ctx)
