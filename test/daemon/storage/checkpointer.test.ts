// checkpointer.test.ts: WAL checkpoints run on the worker thread, not on the committing connection; closing leaves
// the main connection last (the WAL is folded and removed); a worker that cannot open hands checkpoints back.
import assert from 'node:assert/strict'
import {existsSync, mkdtempSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import Sqlite from 'better-sqlite3'
import {REQUEST_ROWS, startCheckpointer} from '../../../src/daemon/storage/checkpointer.js'
import {checkpointerOf, openDatabase} from '../../../src/daemon/storage/db.js'
import {Store} from '../../../src/daemon/storage/store.js'

describe('WAL checkpoint worker', () => {
  let dir: string
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mkctl-ckpt-'))
  })
  after(() => {
    rmSync(dir, {recursive: true, force: true})
  })

  /** write commits n ConfigMaps of ~2 KB, one per transaction, as controllers and the API commit. */
  function write(store: Store, n: number, from = 0): void {
    for (let i = from; i < from + n; i++) {
      store.transaction(() =>
        store.create(`/registry/core/configmaps/default/c-${i}`, {
          kind: 'ConfigMap',
          metadata: {name: `c-${i}`, namespace: 'default'},
          data: {v: 'x'.repeat(2048)},
        }),
      )
    }
  }

  it('copies committed pages into the database file from its own thread', async () => {
    const path = join(dir, 'a.db')
    const db = openDatabase(path)
    try {
      // The committing connection's own checkpoint waits for 4,000 pages: more than this test writes.
      assert.equal(db.pragma('wal_autocheckpoint', {simple: true}), 4000)
      const store = new Store(db)
      write(store, 10)
      await checkpointerOf(db)!.settled()
      const before = statSync(path).size
      write(store, REQUEST_ROWS * 2, 10)
      await checkpointerOf(db)!.settled()
      // Only a checkpoint moves pages from the WAL into the file; this connection ran none.
      assert.ok(statSync(path).size > before + REQUEST_ROWS * 2048, `${before} → ${statSync(path).size}`)
      assert.equal(store.get('/registry/core/configmaps/default/c-300')?.object.metadata.name, 'c-300')
    } finally {
      db.close()
    }
    // The worker closed first: this connection was the last and removed the WAL, as SQLite does alone.
    assert.equal(existsSync(path + '-wal'), false)
    const again = openDatabase(path)
    try {
      assert.equal(new Store(again).list('/registry/core/configmaps/').items.length, 10 + REQUEST_ROWS * 2)
    } finally {
      again.close()
    }
  })

  it('hands checkpoints back to the committing connection when the worker cannot open the file', async () => {
    const path = join(dir, 'b.db')
    const db = new Sqlite(path)
    db.pragma('journal_mode = WAL')
    try {
      let report = (_: string) => {}
      const failed = new Promise<string>((resolve) => (report = resolve))
      const ckpt = startCheckpointer(db, join(dir, 'missing', 'b.db'), report)!
      assert.equal(db.pragma('wal_autocheckpoint', {simple: true}), 4000)
      assert.match(await failed, /wal checkpoint worker/)
      assert.equal(db.pragma('wal_autocheckpoint', {simple: true}), 1000)
      ckpt.stop()
    } finally {
      db.close()
    }
  })

  it('is not started for an in-memory database', () => {
    const db = openDatabase(':memory:')
    try {
      assert.equal(checkpointerOf(db), undefined)
    } finally {
      db.close()
    }
  })
})
