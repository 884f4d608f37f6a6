// compactor.test.ts drives the compaction timer by hand through injected interval functions.
import assert from 'node:assert/strict'
import {startCompactor} from '../../../src/daemon/storage/compactor.js'
import {openDatabase} from '../../../src/daemon/storage/db.js'
import {Store} from '../../../src/daemon/storage/store.js'

describe('startCompactor', () => {
  it('compacts to current minus minRetain on every tick and stops', () => {
    const s = new Store(openDatabase(':memory:'))
    let fire: (() => void) | undefined
    let cleared: unknown
    const logs: string[] = []
    const c = startCompactor(s, {
      intervalMs: 60_000,
      minRetain: 3,
      batchSize: 2,
      setInterval: (fn, ms) => {
        assert.equal(ms, 60_000)
        fire = fn
        return 'handle'
      },
      clearInterval: (h) => (cleared = h),
      log: (m) => logs.push(m),
    })
    try {
      s.create('/r/a', {v: 0})
      for (let i = 1; i < 10; i++) s.update('/r/a', {v: i}, i)
      fire!()
      assert.equal(s.compactRevision(), 7)
      assert.deepEqual(logs, ['compacted revisions 0 to 7'])
      fire!()
      assert.equal(logs.length, 1, 'nothing new to compact')
      c.stop()
      assert.equal(cleared, 'handle')
      s.update('/r/a', {v: 10}, 10)
      s.update('/r/a', {v: 11}, 11)
      fire!()
      assert.equal(s.compactRevision(), 7, 'a stopped compactor does nothing')
    } finally {
      s.close()
    }
  })

  it('lets the event loop turn every sliceRevisions, logs once at the end, and ignores a tick meanwhile', () => {
    const s = new Store(openDatabase(':memory:'))
    let fire: (() => void) | undefined
    const turns: (() => void)[] = []
    const logs: string[] = []
    startCompactor(s, {
      intervalMs: 60_000,
      minRetain: 2,
      batchSize: 2,
      sliceRevisions: 4,
      nextTurn: (fn) => turns.push(fn),
      setInterval: (fn) => (fire = fn),
      clearInterval: () => {},
      log: (m) => logs.push(m),
    })
    try {
      s.create('/r/a', {v: 0})
      for (let i = 1; i < 12; i++) s.update('/r/a', {v: i}, i)
      fire!()
      assert.equal(s.compactRevision(), 4, 'the first slice only')
      assert.equal(turns.length, 1)
      assert.deepEqual(logs, [])
      fire!()
      assert.equal(turns.length, 1, 'a tick during a compaction starts no second one')
      turns.shift()!()
      assert.equal(s.compactRevision(), 8)
      // A write between slices does not move this compaction's target (current - minRetain when it began).
      s.update('/r/a', {v: 12}, 12)
      turns.shift()!()
      assert.equal(s.compactRevision(), 10)
      assert.equal(turns.length, 0)
      assert.deepEqual(logs, ['compacted revisions 0 to 10'])
      assert.equal(s.get('/r/a')?.object.v, 12)
    } finally {
      s.close()
    }
  })

  it('logs a failing tick instead of throwing from the timer', () => {
    const s = new Store(openDatabase(':memory:'))
    let fire: (() => void) | undefined
    const logs: string[] = []
    startCompactor(s, {
      intervalMs: 1,
      setInterval: (fn) => (fire = fn),
      clearInterval: () => {},
      log: (m) => logs.push(m),
    })
    s.close()
    assert.doesNotThrow(() => fire!())
    assert.match(logs[0], /compaction failed/)
  })

  it('with keepInterval, keeps every revision written since the previous tick, as kube-apiserver does', () => {
    const s = new Store(openDatabase(':memory:'))
    let fire: (() => void) | undefined
    startCompactor(s, {
      intervalMs: 300_000,
      minRetain: 1,
      keepInterval: true,
      setInterval: (fn) => (fire = fn),
      clearInterval: () => {},
    })
    try {
      s.create('/r/a', {v: 0})
      for (let i = 1; i < 10; i++) s.update('/r/a', {v: i}, i)
      // The compactor started at revision 0: the first tick may compact nothing written since.
      fire!()
      assert.equal(s.compactRevision(), 0)
      for (let i = 10; i < 20; i++) s.update('/r/a', {v: i}, i)
      // The second tick compacts up to what the first one saw (10), not to current - minRetain (19).
      fire!()
      assert.equal(s.compactRevision(), 10)
      const rv = s.currentRevision()
      assert.doesNotThrow(() => s.list('/r/', {revision: 11}), 'a list at a revision of the last interval still works')
      fire!()
      assert.equal(s.compactRevision(), rv - 1, 'then up to what the second saw, keeping minRetain')
    } finally {
      s.close()
    }
  })
})
