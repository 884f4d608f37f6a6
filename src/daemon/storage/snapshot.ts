// snapshot.ts: consistent copies of the store's SQLite file (`mkctl cluster snapshot save|restore`), made with
// SQLite's online backup API (better-sqlite3's db.backup(), sqlite3_backup_* underneath) while the daemon keeps
// writing, as `etcdctl snapshot save` copies a live etcd. A restore is staged as `<db>.restore` and swapped in by
// openDatabase before the daemon opens its file; like `etcdutl snapshot restore`, it moves the revision counter
// past every revision the old cluster handed out and marks everything before it compacted, so clients holding an
// old resourceVersion get 410 Gone and relist, exactly as after a compaction (etcd's restore bumps revisions for
// the same reason: kubernetes.io/docs/tasks/administer-cluster/configure-upgrade-etcd/#restoring-an-etcd-cluster).
import Sqlite from 'better-sqlite3'
import type {Database} from 'better-sqlite3'
import {chmodSync, existsSync, renameSync, rmSync, statSync} from 'node:fs'

/** restorePath is where a staged restore of dbPath waits for the next open. */
export function restorePath(dbPath: string): string {
  return `${dbPath}.restore`
}

/**
 * backupTo copies db into path with the online backup API: a consistent image of one moment, taken in steps so
 * that writers are never blocked for long. The copy is written beside path and renamed, so a reader never sees a
 * half-written snapshot, and it is 0600 (the log holds Secrets, docs/security.md). Returns its size in bytes.
 */
export async function backupTo(db: Database, path: string): Promise<number> {
  const tmp = `${path}.tmp-${process.pid}`
  rmSync(tmp, {force: true})
  try {
    await db.backup(tmp)
    chmodSync(tmp, 0o600)
    // The copy is a standalone file: no WAL to carry along.
    const copy = new Sqlite(tmp)
    try {
      copy.pragma('journal_mode = DELETE')
    } finally {
      copy.close()
    }
    renameSync(tmp, path)
  } catch (err) {
    rmSync(tmp, {force: true})
    throw err
  }
  return statSync(path).size
}

/** SnapshotFacts are what a snapshot file says about itself. */
export interface SnapshotFacts {
  /** revision is the newest revision in the snapshot. */
  revision: number
  /** keys counts the live keys (objects) it holds. */
  keys: number
}

/** inspectSnapshot opens a snapshot read-only and reads its revision and object count; throws if it is no store. */
export function inspectSnapshot(path: string): SnapshotFacts {
  const db = new Sqlite(path, {readonly: true, fileMustExist: true})
  try {
    const revision = sequenceOf(db)
    const keys = (
      db
        .prepare(
          `SELECT COUNT(*) AS n FROM log AS l WHERE l.deleted = 0
             AND l.id = (SELECT MAX(m.id) FROM log AS m WHERE m.key = l.key)`,
        )
        .get() as {n: number}
    ).n
    return {revision, keys}
  } finally {
    db.close()
  }
}

/**
 * applyPendingRestore swaps a staged restore in for dbPath; openDatabase calls it holding the file's lock, before
 * opening. The staged copy gets a revision counter past both its own and the replaced file's newest revision, and
 * a compact revision equal to it. The old file's -wal and -shm go first: SQLite would replay a stale WAL onto the
 * new file. Returns whether a restore was applied.
 */
export function applyPendingRestore(dbPath: string): boolean {
  const staged = restorePath(dbPath)
  if (!existsSync(staged)) return false
  let liveRev = 0
  if (existsSync(dbPath)) {
    try {
      const old = new Sqlite(dbPath, {fileMustExist: true})
      try {
        liveRev = sequenceOf(old)
      } finally {
        old.close()
      }
    } catch {
      // an unreadable old file is replaced all the same
    }
  }
  const db = new Sqlite(staged, {fileMustExist: true})
  try {
    db.pragma('journal_mode = DELETE')
    const rev = Math.max(liveRev, sequenceOf(db)) + 1
    db.transaction(() => {
      const up = db.prepare(`UPDATE sqlite_sequence SET seq = ? WHERE name = 'log'`).run(rev)
      if (up.changes === 0) db.prepare(`INSERT INTO sqlite_sequence (name, seq) VALUES ('log', ?)`).run(rev)
      db.prepare(`UPDATE store_meta SET value = ? WHERE name = 'compact_revision'`).run(rev)
    })()
  } finally {
    db.close()
  }
  chmodSync(staged, 0o600)
  for (const ext of ['-wal', '-shm']) rmSync(dbPath + ext, {force: true})
  renameSync(staged, dbPath)
  return true
}

/** sequenceOf reads the highest revision ever handed out (sqlite_sequence survives compaction of that row). */
function sequenceOf(db: Database): number {
  const hasSeq = db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'`).get()
  if (!hasSeq) return 0
  const row = db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'log'`).get() as {seq: number} | undefined
  return row?.seq ?? 0
}
