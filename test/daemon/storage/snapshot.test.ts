// snapshot.test.ts: SQLite online backup of a live store, and a staged restore swapped in at the next open with
// its revisions moved past the old store's, so an old resourceVersion is 410 Gone (CompactedError) as after a
// compaction.
import assert from 'node:assert/strict'
import {copyFileSync, existsSync, mkdtempSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {openDatabase} from '../../../src/daemon/storage/db.js'
import {applyPendingRestore, inspectSnapshot, restorePath} from '../../../src/daemon/storage/snapshot.js'
import {CompactedError, Store} from '../../../src/daemon/storage/store.js'

describe('store snapshots', function () {
  this.timeout(20_000)
  let dir: string
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mkctl-snap-'))))
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('saves a consistent 0600 copy of a live store and reads its revision and object count', async () => {
    const s = new Store(openDatabase(join(dir, 'state.db')))
    try {
      for (let i = 0; i < 20; i++) s.create(`/registry/configmaps/default/c${i}`, {metadata: {name: `c${i}`}})
      s.delete('/registry/configmaps/default/c0')
      const snap = join(dir, 'base.db')
      const bytes = await s.backup(snap)
      assert.equal(bytes, statSync(snap).size)
      assert.equal(statSync(snap).mode & 0o777, 0o600)
      assert.ok(!existsSync(snap + '-wal'))
      assert.deepEqual(inspectSnapshot(snap), {revision: 21, keys: 19})
      // The store goes on after the backup, untouched.
      s.create('/registry/configmaps/default/after', {metadata: {name: 'after'}})
      assert.equal(s.currentRevision(), 22)
    } finally {
      s.close()
    }
  })

  it('restores at the next open: the snapshot state, revisions past the old ones, old ones compacted', async () => {
    const path = join(dir, 'state.db')
    let s = new Store(openDatabase(path))
    s.create('/registry/configmaps/default/keep', {metadata: {name: 'keep'}, data: {v: '1'}})
    await s.backup(join(dir, 'base.db'))
    s.create('/registry/configmaps/default/later', {metadata: {name: 'later'}})
    s.update('/registry/configmaps/default/keep', {metadata: {name: 'keep'}, data: {v: '2'}}, 1)
    const oldRev = s.currentRevision()
    assert.equal(oldRev, 3)
    copyFileSync(join(dir, 'base.db'), restorePath(path))
    s.close()

    s = new Store(openDatabase(path))
    try {
      assert.ok(!existsSync(restorePath(path)))
      assert.equal(statSync(path).mode & 0o777, 0o600)
      const list = s.list('/registry/configmaps/')
      assert.deepEqual(
        list.items.map((i) => [i.key, i.object.data]),
        [['/registry/configmaps/default/keep', {v: '1'}]],
      )
      assert.equal(s.currentRevision(), oldRev + 1)
      assert.equal(s.compactRevision(), oldRev + 1)
      // A watch or list from a revision the old store handed out is gone: clients relist.
      assert.throws(() => s.watch('/registry/configmaps/', oldRev, () => {}), CompactedError)
      assert.throws(() => s.list('/registry/configmaps/', {revision: 2}), CompactedError)
      const events: string[] = []
      const stop = s.watch('/registry/configmaps/', s.currentRevision(), (e) => events.push(`${e.type} ${e.rev}`))
      const made = s.create('/registry/configmaps/default/new', {metadata: {name: 'new'}})
      stop()
      assert.equal(made.rev, oldRev + 2)
      assert.deepEqual(events, [`ADDED ${oldRev + 2}`])
    } finally {
      s.close()
    }
  })

  it('does nothing without a staged restore, and restores onto a missing file', () => {
    const path = join(dir, 'state.db')
    assert.equal(applyPendingRestore(path), false)
    const src = new Store(openDatabase(join(dir, 'src.db')))
    src.create('/registry/namespaces/a', {metadata: {name: 'a'}})
    src.close()
    copyFileSync(join(dir, 'src.db'), restorePath(path))
    const s = new Store(openDatabase(path))
    try {
      assert.equal(s.list('/registry/namespaces/').items.length, 1)
      assert.equal(s.currentRevision(), 2)
    } finally {
      s.close()
    }
  })
})
