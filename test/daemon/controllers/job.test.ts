// job.test.ts: the Job controller (pkg/controller/job) in the one-sync fixture style and in scenarios on the
// fake clock. No kubelet runs here: tests set pod phases themselves through the status subresource.
import assert from 'node:assert/strict'
import type {KubeObject} from '../../../src/api/object.js'
import {
  JOB_COMPLETION_INDEX,
  JOB_TRACKING_FINALIZER,
  backoffRemaining,
  formatIndexes,
  jobController,
  parseIndexes,
  type JobController,
} from '../../../src/daemon/controllers/job.js'
import {fixture, type Fixture} from '../../helpers/cluster.js'

const job = (name: string, spec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: {name, namespace: 'default'},
  spec: {
    template: {spec: {restartPolicy: 'Never', containers: [{name: 'c', image: 'busybox', command: ['true']}]}},
    ...spec,
  },
})

const make = (f: Fixture) => jobController(f.ctx) as JobController
const podsOf = (f: Fixture, name: string) =>
  f.list('pods', 'default').filter((p) => p.metadata?.labels?.['batch.kubernetes.io/job-name'] === name)
const active = (f: Fixture, name: string) =>
  podsOf(f, name).filter((p) => !['Succeeded', 'Failed'].includes((p.status as any)?.phase))

async function finish(f: Fixture, pod: KubeObject, phase: 'Succeeded' | 'Failed') {
  f.ctx.client.mutate(
    'pods',
    'default',
    String(pod.metadata?.name),
    (p: any) => {
      p.status.phase = phase
      const at = new Date(f.clock.now()).toISOString().replace('.000Z', 'Z')
      p.status.containerStatuses = [
        {
          name: 'c',
          ready: false,
          restartCount: 0,
          image: 'busybox',
          imageID: '',
          state: {
            terminated: {
              exitCode: phase === 'Succeeded' ? 0 : 1,
              reason: phase === 'Succeeded' ? 'Completed' : 'Error',
              startedAt: at,
              finishedAt: at,
            },
          },
        },
      ]
      return p
    },
    {subresource: 'status'},
  )
  await f.settle()
}

const cond = (j: KubeObject | undefined, type: string) =>
  ((j?.status as any)?.conditions ?? []).find((c: any) => c.type === type)
const reasons = (f: Fixture) =>
  f
    .list('events', 'default')
    .filter((e: any) => e.involvedObject.kind === 'Job')
    .map((e: any) => `${e.reason}: ${e.message}`)

describe('job controller', () => {
  let f: Fixture
  beforeEach(() => (f = fixture()))
  afterEach(() => f.stop())

  it('creates parallelism pods in one sync, with the job labels, the tracking finalizer and an owner', async () => {
    const [j] = f.seed('batch/jobs', job('pi', {completions: 5, parallelism: 2}))
    const actions = await f.syncOnce(make(f), 'default/pi')
    assert.deepEqual(
      actions.map((a) => `${a.verb} ${a.resource}${a.subresource ? '/' + a.subresource : ''}`),
      ['create pods', 'create pods', 'update batch/jobs/status'],
    )
    const pod = actions[0]!.object!
    assert.match(String(pod.metadata?.name), /^pi-[a-z0-9]{5}$/)
    const uid = j!.metadata?.uid
    assert.deepEqual(pod.metadata?.labels, {
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': 'pi',
      'controller-uid': uid,
      'job-name': 'pi',
    })
    assert.deepEqual(pod.metadata?.finalizers, [JOB_TRACKING_FINALIZER])
    assert.deepEqual(pod.metadata?.ownerReferences, [
      {apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid, controller: true, blockOwnerDeletion: true},
    ])
    const st = actions[2]!.object!.status as any
    assert.equal(st.active, 2)
    assert.equal(st.ready, 0)
    assert.equal(st.terminating, 0)
    assert.deepEqual(st.uncountedTerminatedPods, {})
    assert.equal(st.startTime, '2026-01-01T00:00:00Z')
    assert.equal(st.succeeded, undefined, 'zero counters are omitted')
    assert.ok(reasons(f).every((r) => /^SuccessfulCreate: Created pod: pi-/.test(r)))
  })

  it('runs completions: 3 parallelism: 1 pod by pod to Complete, counting through the finalizer', async () => {
    f.seed('batch/jobs', job('pi', {completions: 3, parallelism: 1}))
    f.start(make(f))
    await f.settle()
    for (let i = 0; i < 3; i++) {
      const act = active(f, 'pi')
      assert.equal(act.length, 1, `one pod at a time (round ${i})`)
      await f.advance(5000)
      await finish(f, act[0]!, 'Succeeded')
    }
    const j = f.get('batch/jobs', 'default', 'pi')!
    const st = j.status as any
    assert.equal(st.succeeded, 3)
    assert.equal(st.active, undefined)
    assert.equal(cond(j, 'SuccessCriteriaMet')?.reason, 'CompletionsReached')
    assert.equal(cond(j, 'Complete')?.message, 'Reached expected number of succeeded pods')
    assert.equal(st.completionTime, '2026-01-01T00:00:15Z')
    assert.deepEqual(st.uncountedTerminatedPods, {})
    assert.equal(podsOf(f, 'pi').length, 3)
    assert.ok(podsOf(f, 'pi').every((p) => !(p.metadata?.finalizers ?? []).includes(JOB_TRACKING_FINALIZER)))
    assert.equal(reasons(f).filter((r) => r.startsWith('SuccessfulCreate')).length, 3)
    assert.ok(reasons(f).includes('Completed: Job completed'))
  })

  it('replaces failed pods after a doubling back-off and fails with BackoffLimitExceeded', async () => {
    f.seed('batch/jobs', job('bad', {backoffLimit: 2}))
    f.start(make(f))
    await f.settle()
    await finish(f, active(f, 'bad')[0]!, 'Failed')
    assert.equal(active(f, 'bad').length, 0, 'no replacement during the 10 s back-off')
    await f.advance(9000)
    assert.equal(active(f, 'bad').length, 0)
    await f.advance(1000)
    assert.equal(active(f, 'bad').length, 1, 'a replacement after 10 s')
    await finish(f, active(f, 'bad')[0]!, 'Failed')
    await f.advance(19_000)
    assert.equal(active(f, 'bad').length, 0, 'the second back-off is 20 s')
    await f.advance(1000)
    assert.equal(active(f, 'bad').length, 1)
    await finish(f, active(f, 'bad')[0]!, 'Failed')
    const j = f.get('batch/jobs', 'default', 'bad')!
    assert.equal((j.status as any).failed, 3)
    assert.equal(cond(j, 'FailureTarget')?.reason, 'BackoffLimitExceeded')
    assert.equal(cond(j, 'Failed')?.message, 'Job has reached the specified backoff limit')
    assert.equal((j.status as any).completionTime, undefined)
    assert.ok(reasons(f).includes('BackoffLimitExceeded: Job has reached the specified backoff limit'))
  })

  it('fails a Job past activeDeadlineSeconds and deletes its pods', async () => {
    f.seed('batch/jobs', job('slow', {activeDeadlineSeconds: 30, parallelism: 2, completions: 4}))
    f.start(make(f))
    await f.settle()
    assert.equal(active(f, 'slow').length, 2)
    await f.advance(29_000)
    assert.equal(cond(f.get('batch/jobs', 'default', 'slow'), 'Failed'), undefined)
    await f.advance(1000)
    const j = f.get('batch/jobs', 'default', 'slow')!
    assert.equal(cond(j, 'Failed')?.reason, 'DeadlineExceeded')
    assert.equal(cond(j, 'Failed')?.message, 'Job was active longer than specified deadline')
    assert.equal(podsOf(f, 'slow').length, 0, 'pods without a node go at once once uncounted')
    assert.equal((j.status as any).failed, 2)
    assert.equal(reasons(f).filter((r) => r.startsWith('SuccessfulDelete: Deleted pod: slow-')).length, 2)
    assert.ok(reasons(f).includes('DeadlineExceeded: Job was active longer than specified deadline'))
  })

  it('suspends and resumes', async () => {
    f.seed('batch/jobs', job('s', {suspend: true, parallelism: 2, completions: 2}))
    f.start(make(f))
    await f.settle()
    let j = f.get('batch/jobs', 'default', 's')!
    assert.equal(podsOf(f, 's').length, 0)
    assert.equal(cond(j, 'Suspended')?.status, 'True')
    assert.equal((j.status as any).startTime, undefined)
    f.ctx.client.mutate('batch/jobs', 'default', 's', (o: any) => ((o.spec.suspend = false), o))
    await f.settle()
    j = f.get('batch/jobs', 'default', 's')!
    assert.equal(cond(j, 'Suspended')?.status, 'False')
    assert.equal(cond(j, 'Suspended')?.reason, 'JobResumed')
    assert.equal(active(f, 's').length, 2)
    f.ctx.client.mutate('batch/jobs', 'default', 's', (o: any) => ((o.spec.suspend = true), o))
    await f.settle()
    assert.equal(podsOf(f, 's').length, 0, 'suspending deletes active pods')
    assert.ok(reasons(f).includes('Suspended: Job suspended'))
    assert.ok(reasons(f).includes('Resumed: Job resumed'))
  })

  it('gives Indexed Job pods an index annotation, label, hostname and env, and tracks completedIndexes', async () => {
    f.seed('batch/jobs', job('ix', {completions: 3, parallelism: 3, completionMode: 'Indexed'}))
    f.start(make(f))
    await f.settle()
    const pods = active(f, 'ix').sort((a, b) => String(a.metadata?.name).localeCompare(String(b.metadata?.name)))
    assert.deepEqual(
      pods.map((p) => p.metadata?.annotations?.[JOB_COMPLETION_INDEX]),
      ['0', '1', '2'],
    )
    assert.deepEqual(
      pods.map((p) => p.metadata?.labels?.[JOB_COMPLETION_INDEX]),
      ['0', '1', '2'],
    )
    assert.match(String(pods[1]!.metadata?.name), /^ix-1-[a-z0-9]{5}$/)
    assert.equal((pods[1]!.spec as any).hostname, 'ix-1')
    assert.deepEqual((pods[1]!.spec as any).containers[0].env[0].name, 'JOB_COMPLETION_INDEX')
    await finish(f, pods[0]!, 'Succeeded')
    await finish(f, pods[2]!, 'Succeeded')
    assert.equal((f.get('batch/jobs', 'default', 'ix')!.status as any).completedIndexes, '0,2')
    await finish(f, pods[1]!, 'Failed')
    const again = active(f, 'ix')
    await f.advance(10_000)
    const repl = active(f, 'ix')
    assert.equal(again.length, 0)
    assert.equal(repl.length, 1)
    assert.equal(repl[0]!.metadata?.annotations?.[JOB_COMPLETION_INDEX], '1', 'the failed index is retried')
    await finish(f, repl[0]!, 'Succeeded')
    const j = f.get('batch/jobs', 'default', 'ix')!
    assert.equal((j.status as any).completedIndexes, '0-2')
    assert.equal(cond(j, 'Complete')?.status, 'True')
  })

  it("releases the tracking finalizer of a deleted Job's pods", async () => {
    f.seed('batch/jobs', job('gone', {parallelism: 1}))
    f.start(make(f))
    await f.settle()
    const [pod] = podsOf(f, 'gone')
    f.ctx.client.delete('batch/jobs', 'default', 'gone')
    await f.settle()
    const left = f.get('pods', 'default', String(pod!.metadata?.name))
    assert.ok(!left || !(left.metadata?.finalizers ?? []).includes(JOB_TRACKING_FINALIZER))
  })

  it('formats completed indexes and computes back-off like upstream', () => {
    assert.equal(formatIndexes([0, 1, 2, 4, 6, 7]), '0-2,4,6,7')
    assert.deepEqual([...parseIndexes('0-2,4,6,7', 7)], [0, 1, 2, 4, 6])
    assert.equal(backoffRemaining({failuresAfterLastSuccess: 1, lastFailureTime: 0}, 3000), 7000)
    assert.equal(backoffRemaining({failuresAfterLastSuccess: 3, lastFailureTime: 0}, 0), 40_000)
    assert.equal(backoffRemaining({failuresAfterLastSuccess: 20, lastFailureTime: 0}, 0), 600_000)
    assert.equal(backoffRemaining({failuresAfterLastSuccess: 0}, 0), 0)
  })
})
