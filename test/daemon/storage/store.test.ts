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
})
