// log-store.test.ts pins the SQL layer: conflicts from the unique index, physical compaction, and query plans
// that use the (key, id) index (kine's performance hinges on them).
import assert from 'node:assert/strict'
import type {Database} from 'better-sqlite3'
import {openDatabase} from '../../../src/daemon/storage/db.js'
import {keyRange, LogConflictError, LogStore} from '../../../src/daemon/storage/log-store.js'

describe('LogStore', () => {
  let db: Database
  let log: LogStore
  beforeEach(() => {
    db = openDatabase(':memory:')
    log = new LogStore(db)
  })
  afterEach(() => db.close())

  const put = (
    key: string,
    prevRevision: number,
    value: string | null,
    flags: {created?: boolean; deleted?: boolean} = {},
  ) => log.append({key, created: !!flags.created, deleted: !!flags.deleted, createRevision: 0, prevRevision, value})

  it("appends with a derived create revision; a backfill reads an update's previous state from its prev row", () => {
    assert.equal(put('/k/a', 0, '{"v":1}', {created: true}), 1)
    assert.equal(
      log.append({key: '/k/a', created: false, deleted: false, createRevision: 1, prevRevision: 1, value: '{"v":2}'}),
      2,
    )
    assert.deepEqual(log.latest('/k/a'), {
      id: 2,
      key: '/k/a',
      created: false,
      deleted: false,
      createRevision: 1,
      prevRevision: 1,
      value: '{"v":2}',
      oldValue: null,
    })
    assert.deepEqual(
      log.after(0).map((r) => r.oldValue),
      [null, '{"v":1}'],
    )
    put('/k/a', 2, null, {deleted: true})
    assert.equal(log.latest('/k/a')!.oldValue, '{"v":2}', 'a tombstone keeps the last state')
    put('/k/a', 3, '{"v":4}', {created: true})
    assert.deepEqual(
      log.after(0).map((r) => r.oldValue),
      [null, '{"v":1}', '{"v":2}', null],
      'a re-create has no previous state',
    )
    assert.equal(log.latest('/k/a', 1)!.createRevision, 1)
    assert.equal(log.latest('/k/b'), undefined)
  })

  it('refuses a second successor of one revision with LogConflictError', () => {
    put('/k/a', 0, '{}', {created: true})
    put('/k/a', 1, '{"v":2}')
    assert.throws(
      () => put('/k/a', 1, '{"v":3}'),
      (e: any) => e instanceof LogConflictError && e.prevRevision === 1,
    )
    assert.throws(() => put('/k/a', 0, '{}', {created: true}), LogConflictError)
    assert.equal(log.currentRevision(), 2)
  })

  it('ranges in key order from after a key, at a revision', () => {
    for (const k of ['/p/c', '/p/a', '/p/b', '/q/a']) put(k, 0, '{}', {created: true})
    put('/p/a', 2, null, {deleted: true}) // 5
    const keys = (r: {rows: {key: string}[]}) => r.rows.map((x) => x.key)
    assert.deepEqual(keys(log.range('/p/')), ['/p/b', '/p/c'])
    assert.deepEqual(keys(log.range('/p/', {atRev: 4})), ['/p/a', '/p/b', '/p/c'])
    assert.deepEqual(keys(log.range('/p/', {atRev: 4, startAfterKey: '/p/a', limit: 1})), ['/p/b'])
    assert.deepEqual(log.range('/p/', {atRev: 4, limit: 1}).rev, 4)
    assert.equal(log.range('/p/').currentRev, 5)
    assert.equal(log.count('/p/', 4, '/p/a'), 2)
    assert.equal(log.count('/p/', 5), 2)
  })

  it('reads after a revision, optionally under a prefix', () => {
    for (const k of ['/p/a', '/q/a', '/p/b']) put(k, 0, '{}', {created: true})
    assert.deepEqual(
      log.after(0).map((r) => r.id),
      [1, 2, 3],
    )
    assert.deepEqual(
      log.after(1, '/p/').map((r) => r.id),
      [3],
    )
    assert.deepEqual(
      log.after(0, undefined, 2).map((r) => r.id),
      [1, 2],
    )
  })

  it('compacts rows physically and records the compact revision', () => {
    put('/k/a', 0, '1', {created: true}) // 1
    put('/k/a', 1, '2') // 2
    put('/k/b', 0, '1', {created: true}) // 3
    put('/k/b', 3, null, {deleted: true}) // 4
    put('/k/a', 2, '3') // 5
    assert.equal(log.rowCount(), 5)
    assert.equal(log.compact(4, 2), 4)
    assert.deepEqual(
      log.after(0).map((r) => r.id),
      [2, 5],
    )
    assert.equal(log.compactRevision(), 4)
    assert.equal(log.after(4)[0].oldValue, '2', 'a row after the compact revision still finds its previous state')
    assert.equal(log.compact(5), 5)
    assert.deepEqual(
      log.after(0).map((r) => r.id),
      [5],
    )
  })

  it('computes prefix bounds that never cross a path segment', () => {
    assert.deepEqual(keyRange('/registry/core/pods/'), ['/registry/core/pods/', '/registry/core/pods0'])
    assert.deepEqual(keyRange('/registry/core/pods/default/x'), [
      '/registry/core/pods/default/x',
      '/registry/core/pods/default/x\u0000',
    ])
  })

  it('uses the (key, id, deleted) index for point reads and ranges, the primary key for backfill', () => {
    assert.deepEqual(log.explain('latest'), ['SEARCH log USING INDEX log_key_id_deleted (key=? AND id<?)'])
    for (const name of ['range', 'rangeIds', 'count'] as const) {
      // The newest revision of each key, and whether it is live, come from the index alone.
      const plan = log.explain(name).join('\n')
      assert.match(plan, /SEARCH log USING COVERING INDEX log_key_id_deleted \(key>\? AND key<\?\)/)
      assert.doesNotMatch(plan, /TEMP B-TREE/)
      // Only range, which returns the values, reads the rows from the table.
      if (name === 'range') assert.match(plan, /SEARCH l USING INTEGER PRIMARY KEY \(rowid=\?\)/)
      else assert.doesNotMatch(plan, /SEARCH l /)
    }
    // Backfill walks the primary key, and finds each update's previous row by the primary key as well.
    for (const name of ['after', 'afterPrefix'] as const) {
      assert.deepEqual(log.explain(name), [
        'SEARCH l USING INTEGER PRIMARY KEY (rowid>?)',
        'SEARCH p USING INTEGER PRIMARY KEY (rowid=?) LEFT-JOIN',
      ])
    }
    // Compaction walks id ranges too, which is why kine's (id, deleted) and (prev_revision) indexes are not made.
    assert.deepEqual(log.explain('deleteTombstones'), ['SEARCH log USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)'])
    const superseded = log.explain('deleteSuperseded').join('\n')
    assert.match(superseded, /SEARCH log USING INTEGER PRIMARY KEY \(rowid=\?\)/)
    assert.match(superseded, /SEARCH s USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/)
  })
})
