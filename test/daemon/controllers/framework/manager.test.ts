// manager.test.ts: the controller loop's contract (STYLE §2.6): keys are deduplicated, a thrown error is
// retried with back-off, TerminalError is dropped, requeueAfterMs fires on the cluster clock, and informer
// caches hold a write as soon as it returns.
import assert from 'node:assert/strict'
import {fixture, type Fixture} from '../../../helpers/cluster.js'
import {TerminalError, type Controller} from '../../../../src/daemon/controllers/framework/types.js'
import {SYNCS_PER_TURN} from '../../../../src/daemon/controllers/framework/manager.js'
import {WorkQueue} from '../../../../src/daemon/controllers/framework/queue.js'
import {FakeClock} from '../../../../src/daemon/clock.js'

const cm = (name: string, data: Record<string, string> = {}) => ({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name, namespace: 'default'}, data})

describe('controller framework', () => {
  let f: Fixture
  beforeEach(() => (f = fixture()))
  afterEach(() => f.stop())

  it('queues a key once however often it is added, and again if it changes while processed', async () => {
    const q = new WorkQueue(new FakeClock())
    q.add('a')
    q.add('a')
    q.add('b')
    assert.equal(q.len, 2)
    const k = await q.get()
    assert.equal(k, 'a')
    q.add('a')
    assert.equal(q.len, 1, 'a key being processed is not queued twice')
    q.done('a')
    assert.equal(q.len, 2, 'it comes back once done')
  })

  it('syncs every existing object once at start and each change after, from a current cache', async () => {
    f.seed('configmaps', cm('one'))
    const seen: string[] = []
    const c: Controller = {
      name: 'test',
      watches: () => [{resource: 'configmaps'}],
      sync: (key) => {
        const obj = f.ctx.informers.for('configmaps').getByKey(key)
        seen.push(`${key}=${obj ? JSON.stringify(obj.data) : 'gone'}`)
      },
    }
    f.start(c)
    await f.settle()
    assert.ok(seen.includes('default/one={}'))
    f.ctx.client.create('configmaps', cm('two', {a: '1'}))
    assert.equal(f.ctx.informers.for('configmaps').get('default', 'two')?.data?.constructor, Object, 'the cache holds the write at once')
    await f.settle()
    f.ctx.client.delete('configmaps', 'default', 'two')
    await f.settle()
    assert.deepEqual(seen.filter((s) => s.startsWith('default/two')), ['default/two={"a":"1"}', 'default/two=gone'])
  })

  it('retries a failing sync with back-off, drops a TerminalError, and requeues after a delay on the clock', async () => {
    let fails = 2
    let terminal = 0
    let delayed = 0
    const c: Controller = {
      name: 'test',
      watches: () => [{resource: 'configmaps', keys: (o) => String(o.metadata?.name)}],
      sync: (key) => {
        if (key === 'flaky' && fails-- > 0) throw new Error('conflict')
        if (key === 'terminal') {
          terminal++
          throw new TerminalError('bad spec')
        }
        if (key === 'later') {
          delayed++
          return {requeueAfterMs: 30_000}
        }
      },
    }
    f.start(c)
    f.ctx.client.create('configmaps', cm('flaky'))
    f.ctx.client.create('configmaps', cm('terminal'))
    f.ctx.client.create('configmaps', cm('later'))
    await f.settle()
    assert.equal(fails, -1, 'two failures, then a success')
    assert.equal(terminal, 1, 'a terminal error is not retried')
    assert.equal(delayed, 1)
    await f.advance(29_000)
    assert.equal(delayed, 1)
    await f.advance(1_000)
    assert.equal(delayed, 2, 'the requeue fires 30 s later on the cluster clock')
  })

  it('a sync returning retryError keeps its writes and is retried with back-off; a throw rolls them back', async () => {
    let partial = 2
    let thrown = 1
    const c: Controller = {
      name: 'test',
      watches: () => [{resource: 'configmaps', keys: (o) => String(o.metadata?.name)}],
      sync: (key) => {
        if (key === 'partial' && partial > 0) {
          f.ctx.client.create('configmaps', cm(`made-${partial--}`))
          return {retryError: new Error('quota')}
        }
        if (key === 'thrown' && thrown-- > 0) {
          f.ctx.client.create('configmaps', cm('rolled-back'))
          throw new Error('conflict')
        }
      },
    }
    f.start(c)
    f.ctx.client.create('configmaps', cm('partial'))
    f.ctx.client.create('configmaps', cm('thrown'))
    await f.settle()
    assert.equal(partial, 0, 'retried until the sync succeeds')
    assert.ok(f.get('configmaps', 'default', 'made-2') && f.get('configmaps', 'default', 'made-1'))
    assert.equal(f.get('configmaps', 'default', 'rolled-back'), undefined)
  })

  it('runs an async sync (its writes before the first await share the sync transaction)', async () => {
    let done = 0
    const c: Controller = {
      name: 'test',
      watches: () => [{resource: 'configmaps', keys: (o) => String(o.metadata?.name)}],
      sync: async (key) => {
        if (key !== 'go') return
        f.ctx.client.create('configmaps', cm('before'))
        await Promise.resolve()
        f.ctx.client.create('configmaps', cm('after'))
        done++
      },
    }
    f.start(c)
    f.ctx.client.create('configmaps', cm('go'))
    await f.settle()
    assert.equal(done, 1)
    assert.ok(f.get('configmaps', 'default', 'before') && f.get('configmaps', 'default', 'after'))
  })

  it('rolls back every write of a sync that throws', async () => {
    let tries = 0
    const c: Controller = {
      name: 'test',
      watches: () => [{resource: 'configmaps', keys: (o) => String(o.metadata?.name)}],
      sync: (key) => {
        if (key !== 'go') return
        tries++
        if (tries === 1) {
          f.ctx.client.create('configmaps', cm('half'))
          throw new Error('boom')
        }
      },
    }
    f.start(c)
    f.ctx.client.create('configmaps', cm('go'))
    await f.settle()
    assert.equal(tries, 2)
    assert.equal(f.get('configmaps', 'default', 'half'), undefined)
  })

  it('records one sync\'s actions for fixture tests, and events aggregate into counts', async () => {
    const c: Controller = {
      name: 'test',
      watches: () => [{resource: 'configmaps'}],
      sync: () => {
        const made = f.ctx.client.create('configmaps', cm('made'))
        f.ctx.events.normal(made, 'Made', 'made it')
        f.ctx.events.normal(made, 'Made', 'made it')
      },
    }
    const actions = await f.syncOnce(c, 'default/x')
    assert.deepEqual(actions.map((a) => `${a.verb} ${a.resource} ${a.namespace}/${a.name}`), ['create configmaps default/made'])
    const evs = f.list('events', 'default')
    assert.equal(evs.length, 1)
    assert.equal(evs[0]!.count, 2)
    assert.equal(evs[0]!.reason, 'Made')
    assert.deepEqual((evs[0]!.involvedObject as any).name, 'made')
  })

  /** chain runs a controller whose sync of key n queues key n+1 up to length; it returns when each turn ended. */
  async function chain(length: number): Promise<{turns: number[]; drains: number[]; synced: () => number}> {
    let synced = 0
    const drains: number[] = []
    const c: Controller = {
      name: 'chain',
      watches: () => [],
      sync: (key) => {
        synced++
        const n = Number(key)
        if (n + 1 < length) f.cluster.manager.enqueue('chain', String(n + 1))
      },
      // The syncs done when the worker drained (each count once: an idle worker drains as it wakes, too).
      drain: () => {
        if (drains.at(-1) !== synced) drains.push(synced)
      },
    }
    f.start(c)
    f.cluster.manager.enqueue('chain', '0')
    // A request waiting for the event loop is answered in its poll phase; a check-phase callback stands for it.
    const turns: number[] = []
    for (let i = 0; i < 4 && synced < length; i++) {
      await new Promise<void>((r) => setImmediate(r))
      turns.push(synced)
    }
    await f.settle()
    return {turns, drains, synced: () => synced}
  }

  it('lets the event loop turn every SYNCS_PER_TURN syncs of a long burst, so requests are read meanwhile', async () => {
    const {turns, drains, synced} = await chain(SYNCS_PER_TURN * 3)
    assert.equal(synced(), SYNCS_PER_TURN * 3)
    // The worker drained before each turn it let pass, in the turn of its last sync, and once more at the end.
    assert.deepEqual(drains, [0, SYNCS_PER_TURN, SYNCS_PER_TURN * 2, SYNCS_PER_TURN * 3])
    // Each turn of the loop saw at most SYNCS_PER_TURN more syncs: the burst did not hold the loop to its end.
    assert.ok(turns.length >= 2, `turns: ${turns}`)
    assert.ok(turns[0]! <= SYNCS_PER_TURN, `turns: ${turns}`)
    for (let i = 1; i < turns.length; i++) assert.ok(turns[i]! - turns[i - 1]! <= SYNCS_PER_TURN, `turns: ${turns}`)
  })

  it('runs a short burst to its end within one turn, as before', async () => {
    const {turns, drains} = await chain(SYNCS_PER_TURN - 10)
    assert.deepEqual(turns, [SYNCS_PER_TURN - 10])
    // One drain once the queue was empty, within that turn (before it the worker drained idle at start).
    assert.deepEqual(drains, [0, SYNCS_PER_TURN - 10])
  })
})
