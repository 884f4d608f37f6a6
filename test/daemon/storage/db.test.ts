// db.test.ts covers opening the store's SQLite file: pragmas, migrations in user_version, the lock file.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {findMigrationsDir, listMigrations, openDatabase} from '../../../src/daemon/storage/db.js'
import {Store} from '../../../src/daemon/storage/store.js'

describe('openDatabase', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mkctl-db-'))
  })
  afterEach(() => {
    rmSync(dir, {recursive: true, force: true})
  })

  it('sets WAL, synchronous=NORMAL, busy_timeout and foreign_keys on a file', () => {
    const db = openDatabase(join(dir, 'state.db'))
    try {
      assert.equal(db.pragma('journal_mode', {simple: true}), 'wal')
      assert.equal(db.pragma('synchronous', {simple: true}), 1)
      assert.equal(db.pragma('busy_timeout', {simple: true}), 5000)
      assert.equal(db.pragma('foreign_keys', {simple: true}), 1)
    } finally {
      db.close()
    }
  })

  it('applies the migrations and records them in user_version', () => {
    const migrations = listMigrations(findMigrationsDir())
    assert.equal(migrations[0].name, '0001_init.sql')
    const path = join(dir, 'state.db')
    const db = openDatabase(path)
    assert.equal(db.pragma('user_version', {simple: true}), migrations[migrations.length - 1].version)
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all()
    assert.deepEqual(tables, ['daemon_state', 'log', 'sqlite_sequence', 'store_meta'])
    db.close()
    // Opening again applies nothing twice.
    const again = openDatabase(path)
    assert.equal(again.pragma('user_version', {simple: true}), migrations[migrations.length - 1].version)
    again.close()
  })

  it('applies only newer migrations, forward-only, from a given folder', () => {
    const migs = join(dir, 'migs')
    mkdirSync(migs)
    writeFileSync(join(migs, '0001_a.sql'), 'CREATE TABLE a (x INTEGER);')
    writeFileSync(join(migs, 'README.md'), 'not a migration')
    const path = join(dir, 'm.db')
    openDatabase(path, {migrationsDir: migs}).close()
    writeFileSync(join(migs, '0002_b.sql'), 'CREATE TABLE b (y INTEGER);')
    const db = openDatabase(path, {migrationsDir: migs})
    assert.equal(db.pragma('user_version', {simple: true}), 2)
    db.close()
    // A failing step leaves the previous version and its lock released.
    writeFileSync(join(migs, '0003_bad.sql'), 'CREATE TABLE b (y INTEGER);')
    assert.throws(() => openDatabase(path, {migrationsDir: migs}), /0003|already exists/)
    assert.equal(existsSync(`${path}.lock`), false)
    rmSync(join(migs, '0003_bad.sql'))
    rmSync(join(migs, '0002_b.sql'))
    assert.throws(() => openDatabase(path, {migrationsDir: migs}), /schema version 2 is newer/)
  })

  it('0003 moves a populated log to the (key, id, deleted) index, and lists read it the same', () => {
    // A file of the previous schema (0001 and 0002), with live, updated and deleted keys.
    const migs = join(dir, 'migs')
    mkdirSync(migs)
    for (const m of listMigrations(findMigrationsDir()).filter((m) => m.version <= 2))
      copyFileSync(m.path, join(migs, m.name))
    const path = join(dir, 'old.db')
    const cm = (name: string, v: string) => ({kind: 'ConfigMap', metadata: {name, namespace: 'default'}, data: {v}})
    const key = (name: string) => `/registry/core/configmaps/default/${name}`
    const old = new Store(openDatabase(path, {migrationsDir: migs}))
    for (const n of ['a', 'b', 'c', 'd']) old.create(key(n), cm(n, '1'))
    old.update(key('b'), cm('b', '2'), old.get(key('b'))!.rev)
    old.delete(key('c'))
    const before = old.list('/registry/core/configmaps/', {limit: 2})
    old.close()
    const db = openDatabase(path)
    try {
      const indexes = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'log'`).all()
      assert.deepEqual(indexes.map((r: any) => r.name).sort(), ['log_key_id_deleted', 'log_key_prev'])
      const store = new Store(db)
      const page = store.list('/registry/core/configmaps/', {limit: 2})
      assert.deepEqual(
        page.items.map((i) => [i.key, i.rev]),
        before.items.map((i) => [i.key, i.rev]),
      )
      assert.equal(page.remainingItemCount, before.remainingItemCount)
      const rest = store.list('/registry/core/configmaps/', {continue: page.continue!})
      assert.deepEqual(
        rest.items.map((i) => i.object.metadata.name),
        ['d'],
      )
      assert.equal(store.get(key('b'))?.object.data.v, '2')
    } finally {
      db.close()
    }
  })

  it('finds migrations/ by walking up, as the bundle in dist/ needs', () => {
    const root = join(dir, 'pkg')
    mkdirSync(join(root, 'migrations'), {recursive: true})
    mkdirSync(join(root, 'dist'))
    assert.equal(findMigrationsDir(join(root, 'dist')), join(root, 'migrations'))
    assert.equal(findMigrationsDir(root), join(root, 'migrations'))
  })

  it('refuses a second open of a file in use and releases the lock on close', () => {
    const path = join(dir, 'state.db')
    const db = openDatabase(path)
    assert.equal(readFileSync(`${path}.lock`, 'utf8'), String(process.pid))
    assert.throws(() => openDatabase(path), {message: `database ${path} is in use by process ${process.pid}`})
    db.close()
    assert.equal(existsSync(`${path}.lock`), false)
    openDatabase(path).close()
  })

  it('takes over a stale lock left by a dead process', () => {
    const path = join(dir, 'state.db')
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!
    writeFileSync(`${path}.lock`, String(dead))
    const db = openDatabase(path)
    assert.equal(readFileSync(`${path}.lock`, 'utf8'), String(process.pid))
    db.close()
    writeFileSync(`${path}.lock`, 'garbage')
    openDatabase(path).close()
  })

  it('takes no lock for :memory:', () => {
    const a = openDatabase(':memory:')
    const b = openDatabase(':memory:')
    assert.equal(a.pragma('user_version', {simple: true}), listMigrations(findMigrationsDir()).length)
    a.close()
    b.close()
  })
})
