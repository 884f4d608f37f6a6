// store.test.ts runs the store contract against a temporary database file and against ':memory:', and tests
// what only the SQLite store has: the UNIQUE(key, prev_revision) conflict path through the Store.
import assert from 'node:assert/strict'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {openDatabase} from '../../../src/daemon/storage/db.js'
import {RevisionConflictError, Store} from '../../../src/daemon/storage/store.js'
import {describeStore} from './store.contract.js'

describe('Store', () => {
  let dir: string
  let n = 0
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mkctl-store-'))
  })
  after(() => {
    rmSync(dir, {recursive: true, force: true})
  })

  describeStore('temporary file', (opts) => new Store(openDatabase(join(dir, `state-${++n}.db`)), opts))
  describeStore(':memory:', (opts) => new Store(openDatabase(':memory:'), opts))

  describe('UNIQUE(key, prev_revision)', () => {
    it('turns a lost race into RevisionConflictError with the current object', () => {
      const s = new Store(openDatabase(':memory:'))
      try {
        const k = '/registry/core/configmaps/default/c'
        s.create(k, {kind: 'ConfigMap', metadata: {name: 'c'}, data: {v: '1'}}) // 1
        s.update(k, {kind: 'ConfigMap', metadata: {name: 'c'}, data: {v: '2'}}, 1) // 2
        // Simulate a writer that read revision 1 before revision 2 was appended: the pre-check sees the stale
        // row, so only the database's unique index can stop the second successor of revision 1.
        const log = (s as any).log
        const latest = log.latest.bind(log)
        let stale = true
        log.latest = (key: string, atRev?: number) => {
          if (stale) {
            stale = false
            return latest(key, 1)
          }
          return latest(key, atRev)
        }
        assert.throws(
          () => s.update(k, {kind: 'ConfigMap', metadata: {name: 'c'}, data: {v: '3'}}, 1),
          (e: any) => {
            assert.ok(e instanceof RevisionConflictError)
            assert.equal(e.current?.rev, 2)
            assert.deepEqual(e.current?.object.data, {v: '2'})
            assert.equal((e.cause as Error)?.name, 'LogConflictError')
            return true
          },
        )
        assert.equal(s.currentRevision(), 2)
      } finally {
        s.close()
      }
    })
  })

  describe('memo', () => {
    it('derives once, until the key is written or a transaction rolls back', () => {
      const s = new Store(openDatabase(':memory:'))
      try {
        const k = '/registry/core/namespaces/a'
        let calls = 0
        const phase = () => s.memo(k, 'phase', (o: any) => (calls++, o?.status?.phase ?? 'missing'))
        assert.equal(phase(), 'missing')
        assert.equal(phase(), 'missing')
        assert.equal(calls, 1, 'a second ask reads nothing')
        s.create(k, {kind: 'Namespace', metadata: {name: 'a'}, status: {phase: 'Active'}})
        assert.equal(phase(), 'Active', 'a write of the key drops its memo')
        s.create('/registry/core/namespaces/b', {kind: 'Namespace', metadata: {name: 'b'}})
        assert.equal(phase(), 'Active')
        assert.equal(calls, 2, 'a write of another key leaves it')
        assert.throws(() =>
          s.transaction(() => {
            s.guaranteedUpdate(k, (o: any) => ({...o, status: {phase: 'Terminating'}}))
            assert.equal(phase(), 'Terminating', 'inside the transaction the memo sees its own write')
            throw new Error('undo')
          }),
        )
        assert.equal(phase(), 'Active', 'the rollback dropped what the memo saw of the undone write')
        assert.throws(() =>
          s.transaction(() => {
            s.transaction(() => {
              s.guaranteedUpdate(k, (o: any) => ({...o, status: {phase: 'Terminating'}}))
              assert.equal(phase(), 'Terminating')
              throw new Error('undo the savepoint')
            })
          }),
        )
        assert.equal(phase(), 'Active', 'a savepoint rollback drops it too')
        for (let i = 0; i < 25_000; i++) s.memo(`/registry/core/namespaces/missing-${i}`, 'phase', () => 'missing')
        assert.ok((s as any).memos.size <= 10_000, 'absent keys a client names do not grow it without bound')
      } finally {
        s.close()
      }
    })
  })
})
