// bounded.test.ts: under churn (the same keys created, updated and deleted over and over) the compactor, driven by
// a FakeClock, keeps the log's row count and the file's size bounded; without it both grow with every round.
// Also: keyset scans and paged lists stay consistent at one revision while writes go on.
import assert from 'node:assert/strict'
import {mkdtempSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {FakeClock} from '../../../src/daemon/clock.js'
import {startCompactor} from '../../../src/daemon/storage/compactor.js'
import {openDatabase} from '../../../src/daemon/storage/db.js'
import {Store} from '../../../src/daemon/storage/store.js'

const KEYS = 40
const value = (i: number, round: number) => ({metadata: {name: `p${i}`}, spec: {round, pad: 'x'.repeat(400)}})

/** churn creates, updates twice and deletes KEYS keys: 4 * KEYS revisions per round. */
function churn(s: Store, round: number): void {
  for (let i = 0; i < KEYS; i++) {
    const c = s.create(`/registry/pods/ns/p${i}`, value(i, round))
    const u = s.update(`/registry/pods/ns/p${i}`, value(i, round + 0.5), c.rev)
    s.update(`/registry/pods/ns/p${i}`, value(i, round + 0.75), u.rev)
  }
  for (let i = 0; i < KEYS; i++) s.delete(`/registry/pods/ns/p${i}`)
}

describe('storage stays bounded under churn', function () {
  this.timeout(20_000)
  let dir: string
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mkctl-bounded-'))))
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  const size = (p: string) => statSync(p).size + (statSync(p + '-wal', {throwIfNoEntry: false})?.size ?? 0)

  it('keeps rows and file size flat with a compaction interval on the fake clock', () => {
    const path = join(dir, 'state.db')
    const s = new Store(openDatabase(path))
    const clock = new FakeClock()
    const minRetain = 200
    const c = startCompactor(s, {
      intervalMs: 60_000,
      minRetain,
      batchSize: 100,
      setInterval: (fn, ms) => clock.setInterval(fn, ms),
      clearInterval: (t) => t.cancel(),
    })
    try {
      const rows: number[] = []
      const sizes: number[] = []
      for (let round = 0; round < 30; round++) {
        churn(s, round)
        clock.advance(60_000)
        rows.push(s.rowCount())
        sizes.push(size(path))
      }
      assert.equal(s.currentRevision(), 30 * 4 * KEYS)
      // A tick keeps the newest minRetain revisions plus, below them, at most one row per key (the state a key had
      // at the compact revision), never the history of 30 rounds.
      for (const n of rows) assert.ok(n <= minRetain + KEYS, `rows ${n} > ${minRetain + KEYS}`)
      // Freed pages are reused: the file stops growing after the first rounds.
      const settled = Math.max(...sizes.slice(0, 5))
      for (const b of sizes.slice(5)) assert.ok(b <= settled * 1.25, `size ${b} grew past ${settled}`)
    } finally {
      c.stop()
      s.close()
    }
  })

  it('grows without compaction (the same churn, no compactor), so the bound above is the compactor’s doing', () => {
    const path = join(dir, 'state.db')
    const s = new Store(openDatabase(path))
    try {
      for (let round = 0; round < 10; round++) churn(s, round)
      assert.equal(s.rowCount(), 10 * 4 * KEYS)
    } finally {
      s.close()
    }
  })

  it('scans a prefix in keyset batches at one revision while the keys change', () => {
    const s = new Store(openDatabase(':memory:'))
    try {
      for (let i = 0; i < 25; i++) s.create(`/registry/pods/ns/p${String(i).padStart(2, '0')}`, {v: i})
      const scan = s.scan('/registry/pods/', {batch: 4})
      const seen: number[] = []
      for (const it of scan.items) {
        seen.push(it.object.v)
        // Writes between batches do not show: every batch reads at the scan's revision.
        if (seen.length === 5) {
          s.delete('/registry/pods/ns/p20')
          s.create('/registry/pods/ns/p99', {v: 99})
          s.update('/registry/pods/ns/p10', {v: 1000}, s.get('/registry/pods/ns/p10')!.rev)
        }
      }
      assert.deepEqual(
        seen,
        Array.from({length: 25}, (_, i) => i),
      )
      const after = s.scan('/registry/pods/', {startAfterKey: '/registry/pods/ns/p19', batch: 2})
      assert.deepEqual(
        [...after.items].map((it) => it.object.v),
        [21, 22, 23, 24, 99],
      )
    } finally {
      s.close()
    }
  })

  it('fails a scan whose revision was compacted between two batches', () => {
    const s = new Store(openDatabase(':memory:'))
    try {
      for (let i = 0; i < 10; i++) s.create(`/registry/pods/ns/p${i}`, {v: i})
      const it = s.scan('/registry/pods/', {batch: 3}).items[Symbol.iterator]()
      it.next()
      for (let i = 0; i < 10; i++) s.update(`/registry/pods/ns/p${i}`, {v: -i}, s.get(`/registry/pods/ns/p${i}`)!.rev)
      s.compact(s.currentRevision(), {minRetain: 0})
      assert.throws(() => {
        for (let r = it.next(); !r.done; r = it.next());
      }, /compacted/)
    } finally {
      s.close()
    }
  })
})
