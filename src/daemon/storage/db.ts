// db.ts opens the daemon's SQLite file: pragmas as kine's sqlite driver sets them (DefaultParams: WAL,
// synchronous=NORMAL, a busy timeout), the single-owner lock file, and forward-only migrations tracked in
// PRAGMA user_version.
import Sqlite from 'better-sqlite3'
import type {Database} from 'better-sqlite3'
import {chmodSync, existsSync, readFileSync, readdirSync, statSync, unlinkSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {startCheckpointer, type Checkpointer} from './checkpointer.js'
import {applyPendingRestore} from './snapshot.js'

export type {Database}

/** OpenDatabaseOptions tunes openDatabase; tests point migrationsDir at a fixture folder. */
export interface OpenDatabaseOptions {
  migrationsDir?: string
  /** busyTimeoutMs is how long a statement waits for a lock held by another connection (default 5000). */
  busyTimeoutMs?: number
  /** log hears a checkpoint worker that failed. */
  log?: (msg: string) => void
}

const checkpointers = new WeakMap<Database, Checkpointer>()

/** checkpointerOf is the checkpoint worker openDatabase started for db, if any (LogStore tells it of commits). */
export function checkpointerOf(db: Database): Checkpointer | undefined {
  return checkpointers.get(db)
}

/** Migration is one forward-only schema step, `NNNN_name.sql`, applied when user_version < version. */
export interface Migration {
  version: number
  name: string
  path: string
}

const migrationFile = /^(\d{4})_[\w.-]+\.sql$/

/**
 * openDatabase opens (or creates) the store's SQLite file, or an in-memory database for ':memory:', takes the
 * single-owner lock `<path>.lock`, sets the pragmas and applies pending migrations. Closing the returned
 * database releases the lock.
 */
export function openDatabase(path: string, opts: OpenDatabaseOptions = {}): Database {
  const inMemory = path === ':memory:' || path === ''
  const migrations = listMigrations(opts.migrationsDir ?? findMigrationsDir())
  const release = inMemory ? () => {} : acquireLock(`${path}.lock`, path)
  let db: Database
  try {
    // A restore staged by `mkctl cluster snapshot restore` replaces the file before anyone opens it (snapshot.ts).
    if (!inMemory) applyPendingRestore(path)
    if (!inMemory) makePrivate(path)
    db = new Sqlite(path)
  } catch (err) {
    release()
    throw new Error(`open database ${path}: ${(err as Error).message}`, {cause: err})
  }
  try {
    // journal_mode must be set outside a transaction; an in-memory database has no WAL.
    if (!inMemory) db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5000))}`)
    db.pragma('foreign_keys = ON')
    migrate(db, migrations)
  } catch (err) {
    db.close()
    release()
    throw new Error(`open database ${path}: ${(err as Error).message}`, {cause: err})
  }
  let checkpointer: Checkpointer | undefined
  // A file's WAL checkpoints run on a worker thread (checkpointer.ts).
  if (!inMemory) {
    try {
      checkpointer = startCheckpointer(db, path, opts.log)
    } catch (err) {
      // No worker threads here: SQLite checkpoints on this thread, as it does by default.
      opts.log?.(`wal checkpoint worker: ${(err as Error).message}`)
    }
    if (checkpointer) checkpointers.set(db, checkpointer)
  }
  const close = db.close.bind(db)
  db.close = () => {
    try {
      // The worker's connection closes first, so this one is the last and folds the WAL away on close.
      checkpointer?.stop()
      close()
    } finally {
      release()
    }
    return db
  }
  return db
}

/**
 * makePrivate creates the database file with mode 0600 before SQLite opens it (SQLite would make it 0644 under the
 * usual umask, and gives its -wal and -shm files the database file's mode), and takes group and other access from
 * a file an older mkctl made: the log holds Secrets (docs/security.md).
 */
function makePrivate(path: string): void {
  try {
    writeFileSync(path, '', {flag: 'wx', mode: 0o600})
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    try {
      if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600)
    } catch {
      // not ours to change (another owner, a read-only file system): open it as it is
    }
  }
}

/**
 * findMigrationsDir walks up from this module's file until a folder holding `migrations/` appears. That finds
 * `<root>/migrations` both from `src/daemon/storage/db.ts` and from the bundle `dist/mkctld.cjs`.
 */
export function findMigrationsDir(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from
  while (true) {
    const candidate = join(dir, 'migrations')
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return candidate
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`no migrations folder found above ${from}`)
    dir = parent
  }
}

/** listMigrations reads `NNNN_*.sql` files from dir, sorted by version; a repeated version is an error. */
export function listMigrations(dir: string): Migration[] {
  const out: Migration[] = []
  for (const name of readdirSync(dir)) {
    const m = migrationFile.exec(name)
    if (m) out.push({version: Number(m[1]), name, path: join(dir, name)})
  }
  out.sort((a, b) => a.version - b.version)
  for (let i = 1; i < out.length; i++) {
    if (out[i].version === out[i - 1].version) {
      throw new Error(`migrations ${out[i - 1].name} and ${out[i].name} share version ${out[i].version}`)
    }
  }
  return out
}

/**
 * migrate applies every migration newer than PRAGMA user_version, each in its own transaction together with the
 * user_version bump, so a failing step leaves the database at the previous version. Forward-only: a database
 * newer than the known migrations is refused rather than guessed at.
 */
export function migrate(db: Database, migrations: Migration[]): number {
  const current = db.pragma('user_version', {simple: true}) as number
  const latest = migrations.length ? migrations[migrations.length - 1].version : 0
  if (current > latest) {
    throw new Error(`database schema version ${current} is newer than this mkctl knows (${latest})`)
  }
  for (const m of migrations) {
    if (m.version <= current) continue
    const sql = readFileSync(m.path, 'utf8')
    db.transaction(() => {
      db.exec(sql)
      db.pragma(`user_version = ${m.version}`)
    }).immediate()
  }
  return db.pragma('user_version', {simple: true}) as number
}

/**
 * acquireLock writes our pid into lockPath, failing if a live process already owns it. A lock left by a dead
 * process (crash, kill -9) is taken over. Returns the release function, which removes the file only while it
 * still names us.
 */
function acquireLock(lockPath: string, dbPath: string): () => void {
  const me = String(process.pid)
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(lockPath, me, {flag: 'wx'})
      break
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw err
    }
    const owner = readPid(lockPath)
    if (owner !== undefined && isAlive(owner)) throw new Error(`database ${dbPath} is in use by process ${owner}`)
    // Stale: remove and race for it again with 'wx', so two starters cannot both win.
    try {
      unlinkSync(lockPath)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    }
  }
  let released = false
  return () => {
    if (released) return
    released = true
    if (readPid(lockPath) === process.pid) {
      try {
        unlinkSync(lockPath)
      } catch {
        // already gone: nothing to release
      }
    }
  }
}

function readPid(lockPath: string): number | undefined {
  try {
    const pid = Number(readFileSync(lockPath, 'utf8').trim())
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
