// cronjob.test.ts: the CronJob controller (pkg/controller/cronjob) with the fake clock, which starts at
// 2026-01-01T00:00:00Z. Jobs are finished by hand (no Job controller runs here) by writing their conditions.
import assert from 'node:assert/strict'
import type {KubeObject} from '../../../src/api/object.js'
import {
  CRONJOB_SCHEDULED_TIMESTAMP,
  cronJobController,
  formatInZone,
  mostRecentScheduleTime,
  parseSchedule,
  type CronJobController,
} from '../../../src/daemon/controllers/cronjob.js'
import {fixture, type Fixture} from '../../helpers/cluster.js'

const START = Date.parse('2026-01-01T00:00:00Z')

const cronJob = (name: string, spec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: {name, namespace: 'default'},
  spec: {
    schedule: '*/1 * * * *',
    jobTemplate: {
      spec: {
        template: {spec: {restartPolicy: 'OnFailure', containers: [{name: 'c', image: 'busybox', command: ['date']}]}},
      },
    },
    ...spec,
  },
})

const jobsOf = (f: Fixture, cj: string) =>
  f
    .list('batch/jobs', 'default')
    .filter((j) => j.metadata?.ownerReferences?.[0]?.name === cj)
    .map((j) => String(j.metadata?.name))
    .sort()

const events = (f: Fixture) =>
  f
    .list('events', 'default')
    .filter((e: any) => e.involvedObject.kind === 'CronJob')
    .map((e: any) => `${e.reason}: ${e.message}`)

function finishJob(f: Fixture, name: string, type: 'Complete' | 'Failed') {
  const at = new Date(Math.floor(f.clock.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z')
  f.ctx.client.mutate(
    'batch/jobs',
    'default',
    name,
    (j: any) => {
      j.status.startTime ??= at
      j.status.conditions = [{type, status: 'True', lastProbeTime: at, lastTransitionTime: at}]
      if (type === 'Complete') j.status.completionTime = at
      return j
    },
    {subresource: 'status'},
  )
}

describe('cronjob controller', () => {
  let f: Fixture
  beforeEach(() => (f = fixture()))
  afterEach(() => f.stop())

  it('parses schedules with robfig semantics: strictly after, in the time zone, with macros', () => {
    assert.equal(new Date(parseSchedule('*/1 * * * *').next(START)).toISOString(), '2026-01-01T00:01:00.000Z')
    assert.equal(new Date(parseSchedule('*/1 * * * *').next(START + 59_500)).toISOString(), '2026-01-01T00:01:00.000Z')
    assert.equal(new Date(parseSchedule('@hourly').next(START)).toISOString(), '2026-01-01T01:00:00.000Z')
    assert.equal(
      new Date(parseSchedule('@daily', 'America/New_York').next(START)).toISOString(),
      '2026-01-01T05:00:00.000Z',
    )
    assert.equal(new Date(parseSchedule('@every 90s').next(START)).toISOString(), '2026-01-01T00:01:30.000Z')
    assert.equal(formatInZone(START, 'Europe/Paris'), '2026-01-01T01:00:00+01:00')
    assert.equal(formatInZone(START, 'UTC'), '2026-01-01T00:00:00Z')
  })

  it('counts missed schedules like mostRecentScheduleTime', () => {
    const cj = {metadata: {creationTimestamp: '2026-01-01T00:00:00Z'}, spec: {}, status: {}}
    const r = mostRecentScheduleTime(cj, START + 250 * 60_000 + 5000, parseSchedule('*/1 * * * *'), true)
    assert.equal(r.missed, 250)
    assert.equal(new Date(r.time!).toISOString(), '2026-01-01T04:10:00.000Z')
    assert.deepEqual(mostRecentScheduleTime(cj, START + 30_000, parseSchedule('*/1 * * * *'), true), {missed: 0})
  })

  it('requeues for the next schedule and creates <name>-<minutes> with the scheduled-timestamp annotation', async () => {
    const [cj] = f.seed('batch/cronjobs', cronJob('tick'))
    const c = cronJobController(f.ctx) as CronJobController
    assert.deepEqual(await f.syncOnce(c, 'default/tick'), [])
    assert.deepEqual(c.sync('default/tick'), {requeueAfterMs: 60_100})
    f.clock.advance(60_100)
    const actions = await f.syncOnce(c, 'default/tick')
    assert.deepEqual(
      actions.map((a) => `${a.verb} ${a.resource}${a.subresource ? '/' + a.subresource : ''} ${a.name}`),
      [`create batch/jobs tick-${START / 60_000 + 1}`, 'update batch/cronjobs/status tick'],
    )
    const job = actions[0]!.object!
    assert.equal(job.metadata?.annotations?.[CRONJOB_SCHEDULED_TIMESTAMP], '2026-01-01T00:01:00Z')
    assert.deepEqual(job.metadata?.ownerReferences, [
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        name: 'tick',
        uid: cj!.metadata?.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ])
    const st = actions[1]!.object!.status as any
    assert.equal(st.lastScheduleTime, '2026-01-01T00:01:00Z')
    assert.deepEqual(Object.keys(st.active[0]).sort(), [
      'apiVersion',
      'kind',
      'name',
      'namespace',
      'resourceVersion',
      'uid',
    ])
    assert.ok(events(f).includes(`SuccessfulCreate: Created job tick-${START / 60_000 + 1}`))
  })

  it('creates a Job per minute as the clock advances and prunes finished ones beyond the history limits', async () => {
    f.seed('batch/cronjobs', cronJob('tick', {successfulJobsHistoryLimit: 2, failedJobsHistoryLimit: 1}))
    f.start(cronJobController(f.ctx) as CronJobController)
    // The controller wakes 100 ms after each schedule time.
    await f.advance(100)
    assert.deepEqual(jobsOf(f, 'tick'), [])
    const base = START / 60_000
    for (let i = 1; i <= 4; i++) {
      await f.advance(60_000)
      finishJob(f, `tick-${base + i}`, i === 2 ? 'Failed' : 'Complete')
      await f.settle()
    }
    await f.advance(60_000)
    finishJob(f, `tick-${base + 5}`, 'Failed')
    await f.settle()
    // Complete: 1, 3, 4 → keep 3, 4; Failed: 2, 5 → keep 5.
    assert.deepEqual(jobsOf(f, 'tick'), [`tick-${base + 3}`, `tick-${base + 4}`, `tick-${base + 5}`])
    const cj = f.get('batch/cronjobs', 'default', 'tick')!
    assert.equal((cj.status as any).active, undefined)
    assert.equal((cj.status as any).lastScheduleTime, '2026-01-01T00:05:00Z')
    assert.equal((cj.status as any).lastSuccessfulTime, '2026-01-01T00:04:00Z')
    const ev = events(f)
    assert.ok(ev.includes(`SawCompletedJob: Saw completed job: tick-${base + 2}, condition: Failed`))
    assert.ok(ev.includes(`SuccessfulDelete: Deleted job tick-${base + 1}`))
    assert.ok(ev.includes(`SuccessfulDelete: Deleted job tick-${base + 2}`))
  })

  it('skips a run with Forbid while a Job is active, and Replace replaces it', async () => {
    f.seed(
      'batch/cronjobs',
      cronJob('forbid', {concurrencyPolicy: 'Forbid'}),
      cronJob('replace', {concurrencyPolicy: 'Replace'}),
    )
    f.start(cronJobController(f.ctx) as CronJobController)
    await f.advance(60_100)
    await f.advance(60_000)
    const base = START / 60_000
    assert.deepEqual(jobsOf(f, 'forbid'), [`forbid-${base + 1}`])
    assert.ok(
      events(f).includes(
        'JobAlreadyActive: Not starting job because prior execution is running and concurrency policy is Forbid',
      ),
    )
    assert.deepEqual(jobsOf(f, 'replace'), [`replace-${base + 2}`])
    const active = (f.get('batch/cronjobs', 'default', 'replace')!.status as any).active
    assert.deepEqual(
      active.map((r: any) => r.name),
      [`replace-${base + 2}`],
    )
    // The skipped 00:02 run is still unmet: it starts as soon as the running Job finishes (no deadline).
    finishJob(f, `forbid-${base + 1}`, 'Complete')
    await f.settle()
    assert.deepEqual(jobsOf(f, 'forbid'), [`forbid-${base + 1}`, `forbid-${base + 2}`])
  })

  it('does nothing while suspended, and skips a start later than startingDeadlineSeconds', async () => {
    f.seed(
      'batch/cronjobs',
      cronJob('sus', {suspend: true}),
      cronJob('late', {schedule: '0 * * * *', startingDeadlineSeconds: 10}),
      cronJob('anytime', {schedule: '0 * * * *'}),
    )
    const c = cronJobController(f.ctx) as CronJobController
    f.clock.advance(3_600_000 + 30_000)
    assert.deepEqual(await f.syncOnce(c, 'default/sus'), [])
    assert.deepEqual(await f.syncOnce(c, 'default/late'), [], '01:00 is more than 10 s ago')
    const actions = await f.syncOnce(c, 'default/anytime')
    assert.equal(actions[0]?.name, `anytime-${START / 60_000 + 60}`, 'without a deadline a late start still runs')
  })

  it('keeps a Job made by `create job --from=cronjob/x` and owned by the CronJob without counting it as a run', async () => {
    const [cj] = f.seed('batch/cronjobs', cronJob('manual', {schedule: '0 0 1 1 *'}))
    f.seed('batch/jobs', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: 'manual-now',
        namespace: 'default',
        annotations: {'cronjob.kubernetes.io/instantiate': 'manual'},
        ownerReferences: [
          {apiVersion: 'batch/v1', kind: 'CronJob', name: 'manual', uid: String(cj!.metadata?.uid), controller: true},
        ],
      },
      spec: (cj!.spec as any).jobTemplate.spec,
    })
    f.start(cronJobController(f.ctx) as CronJobController)
    await f.settle()
    assert.deepEqual(jobsOf(f, 'manual'), ['manual-now'])
    assert.ok(events(f).includes('UnexpectedJob: Saw a job that the controller did not create or forgot: manual-now'))
    finishJob(f, 'manual-now', 'Complete')
    await f.settle()
    assert.equal(
      (f.get('batch/cronjobs', 'default', 'manual')!.status as any).lastSuccessfulTime,
      '2026-01-01T00:00:00Z',
    )
  })
})

describe('cronjob and job controllers together', () => {
  let f: Fixture
  beforeEach(() => (f = fixture()))
  afterEach(() => f.stop())

  it('runs a scheduled Job to completion and records the success', async () => {
    const {jobController} = await import('../../../src/daemon/controllers/job.js')
    f.seed('batch/cronjobs', cronJob('hello'))
    f.start(cronJobController(f.ctx) as CronJobController, ...([jobController(f.ctx)].flat() as any[]))
    await f.advance(60_100)
    const name = `hello-${START / 60_000 + 1}`
    const [pod] = f.list('pods', 'default').filter((p) => p.metadata?.labels?.['job-name'] === name)
    assert.ok(pod, 'the Job made its pod')
    f.ctx.client.mutate(
      'pods',
      'default',
      String(pod.metadata?.name),
      (p: any) => ((p.status.phase = 'Succeeded'), p),
      {
        subresource: 'status',
      },
    )
    await f.advance(5000)
    const cj = f.get('batch/cronjobs', 'default', 'hello')!
    assert.equal((cj.status as any).active, undefined)
    assert.equal((cj.status as any).lastSuccessfulTime, '2026-01-01T00:01:00Z')
    assert.ok(events(f).includes(`SawCompletedJob: Saw completed job: ${name}, condition: Complete`))
  })
})
