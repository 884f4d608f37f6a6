// ttl-after-finished.test.ts: finished Jobs with ttlSecondsAfterFinished are deleted that long after they
// finished, on the cluster clock.
import assert from 'node:assert/strict'
import type {KubeObject} from '../../../src/api/object.js'
import {
  ttlAfterFinishedController,
  ttlExpiresAt,
  type TTLAfterFinishedController,
} from '../../../src/daemon/controllers/ttl-after-finished.js'
import {fixture, type Fixture} from '../../helpers/cluster.js'

const job = (name: string, ttl?: number): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: {name, namespace: 'default'},
  spec: {
    ...(ttl === undefined ? {} : {ttlSecondsAfterFinished: ttl}),
    template: {spec: {restartPolicy: 'Never', containers: [{name: 'c', image: 'busybox'}]}},
  },
})

function finish(f: Fixture, name: string, type: 'Complete' | 'Failed') {
  const at = new Date(f.clock.now()).toISOString().replace('.000Z', 'Z')
  f.ctx.client.mutate(
    'batch/jobs',
    'default',
    name,
    (j: any) => ((j.status.conditions = [{type, status: 'True', lastProbeTime: at, lastTransitionTime: at}]), j),
    {subresource: 'status'},
  )
}

const gone = (f: Fixture, name: string) => {
  const j = f.get('batch/jobs', 'default', name)
  return !j || !!j.metadata?.deletionTimestamp
}

describe('ttl-after-finished controller', () => {
  let f: Fixture
  beforeEach(() => (f = fixture()))
  afterEach(() => f.stop())

  it('waits for the TTL after the finish time, then deletes in the foreground with a uid precondition', async () => {
    f.seed('batch/jobs', job('done', 100))
    const c = ttlAfterFinishedController(f.ctx) as TTLAfterFinishedController
    assert.deepEqual(await f.syncOnce(c, 'default/done'), [], 'an unfinished Job is left alone')
    f.clock.advance(5000)
    finish(f, 'done', 'Complete')
    f.clock.advance(40_000)
    assert.deepEqual(await c.sync('default/done'), {requeueAfterMs: 60_000})
    f.clock.advance(60_000)
    const actions = await f.syncOnce(c, 'default/done')
    assert.deepEqual(
      actions.map((a) => `${a.verb} ${a.resource} ${a.name}`),
      ['delete batch/jobs done'],
    )
  })

  it('deletes finished and failed Jobs as the clock advances, and keeps those without a TTL', async () => {
    f.seed('batch/jobs', job('ok', 30), job('bad', 0), job('keep'))
    f.start(ttlAfterFinishedController(f.ctx) as TTLAfterFinishedController)
    await f.settle()
    finish(f, 'ok', 'Complete')
    finish(f, 'bad', 'Failed')
    finish(f, 'keep', 'Complete')
    await f.settle()
    assert.ok(gone(f, 'bad'), 'ttl 0 deletes at once')
    assert.ok(!gone(f, 'ok'))
    await f.advance(29_000)
    assert.ok(!gone(f, 'ok'))
    await f.advance(1000)
    assert.ok(gone(f, 'ok'))
    await f.advance(3_600_000)
    assert.ok(!gone(f, 'keep'))
  })

  it('computes the expiry from the terminal condition', () => {
    const j = {
      spec: {ttlSecondsAfterFinished: 10},
      status: {conditions: [{type: 'Failed', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z'}]},
    }
    assert.equal(ttlExpiresAt(j), Date.parse('2026-01-01T00:00:10Z'))
    assert.equal(ttlExpiresAt({spec: {}, status: j.status}), undefined)
  })
})
