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
})
