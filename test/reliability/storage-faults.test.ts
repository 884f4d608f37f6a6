// storage-faults.test.ts — the daemon under a full disk and a read-only database (issue 7 §3). SQLite is made to
// fail on the daemon's own connection: `PRAGMA max_page_count` at the current size is a disk that is full
// (SQLITE_FULL), `PRAGMA query_only` a database that refuses writes (SQLITE_READONLY). The daemon runs on a file,
// with its controllers. For each fault: writes answer a 500 InternalError Status naming the condition
// (`Internal error occurred: storage is full: ...`), the real kubectl prints it as `Error from server
// (InternalError): ...`, the failed write leaves the previous object and the store's revision, reads keep being
// served, no unhandled rejection or uncaught exception is raised, and once the condition clears writes succeed
// again and `PRAGMA integrity_check` is ok.
import assert from 'node:assert/strict'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import Sqlite from 'better-sqlite3'
import {kubectlAvailable, startTestDaemon, type TestDaemon} from '../helpers/daemon.js'
import {FuzzClient, installTripwire, type Tripwire} from '../helpers/fuzz.js'

const CM = '/api/v1/namespaces/default/configmaps'

const cm = (name: string, value: string) =>
  JSON.stringify({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name}, data: {v: value}})

interface Fault {
  name: string
  message: RegExp
  set(db: Sqlite.Database): void
  clear(db: Sqlite.Database): void
}

const FAULTS: Fault[] = [
  {
    name: 'disk full (max_page_count)',
    message: /^Internal error occurred: storage is full: database or disk is full \(SQLITE_FULL\)$/,
    set: (db) => db.pragma(`max_page_count = ${db.pragma('page_count', {simple: true})}`),
    clear: (db) => db.pragma('max_page_count = 1073741823'),
  },
  {
    name: 'read-only database (query_only)',
    message:
      /^Internal error occurred: storage is read-only: attempt to write a readonly database \(SQLITE_READONLY\)$/,
    set: (db) => db.pragma('query_only = 1'),
    clear: (db) => db.pragma('query_only = 0'),
  },
]

describe('storage faults: full disk and read-only database', function () {
  this.timeout(60_000)
  let dir: string
  let td: TestDaemon
  let client: FuzzClient
  let trip: Tripwire
  let db: Sqlite.Database

  before(async () => {
    trip = installTripwire()
    dir = mkdtempSync(join(tmpdir(), 'mkctl-faults-'))
    td = await startTestDaemon({dbPath: join(dir, 'state.db')})
    await td.settle()
    // The daemon's own connection: per-connection pragmas make it fail the way a full or read-only disk does.
    db = (td.daemon.store as unknown as {db: Sqlite.Database}).db
    client = new FuzzClient(td.daemon.url, td.daemon.caCert, td.daemon.token)
  })
  after(async () => {
    client?.close()
    await td?.stop()
    trip?.remove()
    if (dir) rmSync(dir, {recursive: true, force: true})
  })

  for (const [i, f] of FAULTS.entries()) {
    it(`${f.name}: 500 Status, nothing half-written, reads served, writes resume`, async function () {
      const name = `keep-${i}`
      const created = await client.send({method: 'POST', path: CM, body: cm(name, 'before')})
      assert.equal(created.status, 201, created.text)
      await td.settle()
      const rev = td.daemon.store.currentRevision()
      const big = 'x'.repeat(200_000) // needs new pages: a full disk cannot take it
      f.set(db)
      try {
        for (const req of [
          {method: 'PUT', path: `${CM}/${name}`, body: cm(name, big)},
          {method: 'POST', path: CM, body: cm(`new-${i}`, big)},
          {method: 'DELETE', path: `${CM}/${name}`},
        ]) {
          if (f.name.startsWith('disk') && req.method === 'DELETE') continue // a tombstone may fit in a free page
          const r = await client.send(req)
          assert.equal(r.status, 500, `${req.method}: ${r.text}`)
          assert.equal(r.json.kind, 'Status')
          assert.equal(r.json.apiVersion, 'v1')
          assert.equal(r.json.reason, 'InternalError')
          assert.equal(r.json.code, 500)
          assert.match(r.json.message, f.message)
        }
        // Nothing half-written: the previous object at its revision, the store's revision unchanged.
        const got = await client.send({method: 'GET', path: `${CM}/${name}`})
        assert.equal(got.status, 200)
        assert.equal(got.json.data.v, 'before')
        assert.equal(got.json.metadata.resourceVersion, created.json.metadata.resourceVersion)
        assert.equal(td.daemon.store.currentRevision(), rev)
        const missing = await client.send({method: 'GET', path: `${CM}/new-${i}`})
        assert.equal(missing.status, 404)
        // Reads keep being served.
        const list = await client.send({method: 'GET', path: '/api/v1/nodes'})
        assert.equal(list.status, 200)
        assert.ok(list.json.items.length >= 1)
        if (kubectlAvailable()) {
          const k = await td.kubectl(['create', 'configmap', `kc-${i}`, `--from-literal=v=${'y'.repeat(100_000)}`])
          assert.equal(k.code, 1)
          assert.match(
            k.stderr,
            /^error: failed to create configmap: Internal error occurred: storage is (full|read-only): /,
          )
          const g = await td.kubectl(['get', 'configmap', name, '-o', 'jsonpath={.data.v}'])
          assert.equal(g.stdout, 'before')
          const p = await td.kubectl(['label', 'configmap', name, `big=${'z'.repeat(60)}`, '--overwrite'])
          if (p.code !== 0)
            assert.match(p.stderr, /^Error from server \(InternalError\): Internal error occurred: storage is/)
        }
        // The controllers keep running into the fault without bringing the daemon down.
        await td.advance(30_000)
      } finally {
        f.clear(db)
      }
      const again = await client.send({method: 'PUT', path: `${CM}/${name}`, body: cm(name, big)})
      assert.equal(again.status, 200, again.text)
      assert.ok(td.daemon.store.currentRevision() > rev)
      assert.equal(db.pragma('integrity_check', {simple: true}), 'ok')
      trip.assertClean()
    })
  }

  it('a write after SQLite rolled back the transaction is refused, not autocommitted', () => {
    const store = td.daemon.store
    const rev = store.currentRevision()
    const key = '/registry/core/configmaps/default/txn-lost'
    assert.throws(
      () =>
        store.transaction(() => {
          store.create(key + '-1', {metadata: {name: 'txn-lost-1'}})
          // What SQLite does on some SQLITE_FULL / SQLITE_IOERR failures: the whole transaction is gone.
          db.prepare('ROLLBACK').run()
          store.create(key + '-2', {metadata: {name: 'txn-lost-2'}})
        }),
      /storage failed during a transaction and rolled it back/,
    )
    assert.equal(store.currentRevision(), rev)
    assert.equal(store.get(key + '-2'), undefined)
    assert.equal(store.get(key + '-1'), undefined)
  })

  it('the database file is consistent after the faults (a second connection)', () => {
    const ro = new Sqlite(join(dir, 'state.db'), {readonly: true})
    try {
      assert.equal(ro.pragma('integrity_check', {simple: true}), 'ok')
    } finally {
      ro.close()
    }
  })
})
