// log-store.ts holds all of mkctl's SQL: the kine-style revision log (follows k3s-io/kine
// pkg/drivers/generic/generic.go and pkg/drivers/sqlite/sqlite.go). It knows rows and revisions only; JSON
// objects, resourceVersions and watch events belong to store.ts.
//
// Reads. The state of a key at revision R is its newest row with id <= R, unless that row is a tombstone. A
// prefix list groups the (key, id, deleted) index over `key >= lo AND key < hi` by key in key order, taking MAX(id)
// at R and that row's deleted flag from the index alone (a co-routine: a page of N items stops after N keys instead
// of grouping the whole range first); only a list that returns values reads those rows from the table. Looking up
// every older revision's row to test it, as the correlated form did, read each pod three or four times (measured:
// 2x slower on a 10k-pod list); looking up only the newest, to read `deleted`, was still one table page per key.
//
// Writes. Every change is one INSERT, and UNIQUE(key, prev_revision) turns two appends after the same revision
// into a LogConflictError. Only a tombstone copies `old_value` (the last state, which a DELETED event carries) from
// its prev_revision row by a sub-select. An update row leaves it NULL: a watch backfill joins the previous row
// instead, which is always still there for a row newer than the compact revision (compaction deletes a row only
// once its successor is at or below the target). Copying it on every update doubled the bytes each write put into
// the B-tree and the WAL (kine copies it; mkctl measured the write at a third cheaper without).
//
// Compaction (cribbed, as kine's is, from apiserver/pkg/storage/etcd3/compact.go): rows superseded by a row
// <= target, and tombstones <= target, are deleted in short IMMEDIATE transactions of batchSize revisions each.
import type {Database, Statement, Transaction} from 'better-sqlite3'
import type {Checkpointer} from './checkpointer.js'
import {checkpointerOf} from './db.js'

/** LogRow is one row of the log, decoded. */
export interface LogRow {
  /** id is the revision of this change. */
  id: number
  key: string
  created: boolean
  deleted: boolean
  /** createRevision is the id of the row that created this incarnation of the key (its own id on created rows). */
  createRevision: number
  /** prevRevision is the previous row of the same key, 0 when none. */
  prevRevision: number
  /** value is the stored JSON; null on tombstones. */
  value: string | null
  /**
   * oldValue is the previous state: a tombstone's last state; on an update row only as after() (a watch
   * backfill) reads it, joined from the previous row (latest and range leave it null); null after a create.
   */
  oldValue: string | null
}

/** AppendRow is what append writes; old_value is filled in by the database. */
export interface AppendRow {
  key: string
  created: boolean
  deleted: boolean
  /** createRevision is 0 on created rows: the row's own id, known only after the insert. */
  createRevision: number
  prevRevision: number
  value: string | null
}

/** RangeOptions selects a page of live keys at a revision. */
export interface RangeOptions {
  /** atRev reads the state at this revision; the current revision when absent or 0. */
  atRev?: number
  /** limit caps the rows returned; no cap when absent or <= 0. */
  limit?: number
  /** startAfterKey skips keys <= it (paging). */
  startAfterKey?: string
}

/** RangeResult is a page of rows plus the revisions read in the same transaction. */
export interface RangeResult {
  /** rows are live rows in key order; their oldValue is always null (not read). */
  rows: LogRow[]
  /** rev is the revision the rows were read at. */
  rev: number
  currentRev: number
  compactRev: number
}

/** LogConflictError reports that UNIQUE(key, prev_revision) refused an append: someone else wrote after prevRevision. */
export class LogConflictError extends Error {
  constructor(
    readonly key: string,
    readonly prevRevision: number,
    options?: ErrorOptions,
  ) {
    super(`append ${key} after revision ${prevRevision}: a newer revision exists`, options)
    this.name = 'LogConflictError'
  }
}

/**
 * LATEST_IDS selects, in key order, each key's newest revision at @rev under [@lo, @hi) and whether it is a
 * tombstone, from the (key, id, deleted) index alone: with one max() aggregate SQLite takes the bare column
 * `deleted` from the row of the max. The inner ORDER BY lets the outer one reuse that order: no temporary B-tree,
 * and LIMIT stops the walk.
 */
const LATEST_IDS = `SELECT MAX(id) AS id, key, deleted FROM log WHERE key >= @lo AND key < @hi AND id <= @rev GROUP BY key ORDER BY key`

/**
 * BACKFILL reads log rows with their previous state: a tombstone's own old_value, an update's previous row (see the
 * header), nothing for a create. Rows written before updates stopped copying it keep their stored old_value.
 */
const BACKFILL = `SELECT l.id, l.key, l.created, l.deleted, l.create_revision, l.prev_revision, l.value,
    COALESCE(l.old_value, p.value) AS old_value
  FROM log AS l LEFT JOIN log AS p ON p.id = l.prev_revision AND l.created = 0 AND l.deleted = 0`

/** RowRef names a live row without its value: its key and revision. */
export interface RowRef {
  id: number
  key: string
}

interface RawRow {
  id: number
  key: string
  created: number
  deleted: number
  create_revision: number
  prev_revision: number
  value: string | null
  old_value: string | null
}

/**
 * keyRange returns the [lo, hi) bounds that select a prefix. A prefix ending in '/' covers every key below it
 * (hi = prefix with its last character incremented, as kine's getPrefix does); anything else is an exact key.
 * Keys never contain NUL, so key + '\0' is the smallest string after key.
 */
export function keyRange(prefix: string): [string, string] {
  if (prefix.endsWith('/')) {
    const last = prefix.charCodeAt(prefix.length - 1)
    return [prefix, prefix.slice(0, -1) + String.fromCharCode(last + 1)]
  }
  return [prefix, prefix + '\u0000']
}

/** LogStore runs every SQL statement of the store on one better-sqlite3 connection, prepared once. */
export class LogStore {
  private readonly stmt: {
    begin: Statement<[]>
    commit: Statement<[]>
    rollback: Statement<[]>
    currentRev: Statement<[], {rev: number}>
    compactRev: Statement<[], {value: number}>
    setCompactRev: Statement<[number]>
    insert: Statement<[Record<string, unknown>], {id: number}>
    insertTombstone: Statement<[Record<string, unknown>], {id: number}>
    latest: Statement<[string, number], RawRow>
    range: Statement<[{lo: string; hi: string; rev: number; limit: number}], RawRow>
    rangeIds: Statement<[{lo: string; hi: string; rev: number; limit: number}], {id: number; key: string}>
    valueAt: Statement<[number], {value: string | null}>
    count: Statement<[{lo: string; hi: string; rev: number}], {n: number}>
    after: Statement<[number, number], RawRow>
    afterPrefix: Statement<[number, string, string, number], RawRow>
    deleteSuperseded: Statement<[number, number]>
    deleteTombstones: Statement<[number, number]>
    rowCount: Statement<[], {n: number}>
  }

  private readonly tx: Transaction<(fn: () => unknown) => unknown>

  /** checkpointer hears of committed rows (db.ts's WAL checkpoint worker), when there is one. */
  private readonly checkpointer: Checkpointer | undefined
  /** appended counts rows inserted since the last COMMIT or ROLLBACK. */
  private appended = 0

  constructor(readonly db: Database) {
    this.checkpointer = checkpointerOf(db)
    this.tx = db.transaction((fn: () => unknown) => fn())
    this.stmt = {
      begin: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
      // sqlite_sequence keeps the highest id ever handed out, even when compaction removed that row.
      currentRev: db.prepare(`SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'log'), 0) AS rev`),
      compactRev: db.prepare(`SELECT value FROM store_meta WHERE name = 'compact_revision'`),
      setCompactRev: db.prepare(`UPDATE store_meta SET value = ? WHERE name = 'compact_revision'`),
      insert: db.prepare(
        `INSERT INTO log (key, created, deleted, create_revision, prev_revision, value)
         VALUES (@key, @created, @deleted, @createRevision, @prevRevision, @value)
         RETURNING id`,
      ),
      insertTombstone: db.prepare(
        `INSERT INTO log (key, created, deleted, create_revision, prev_revision, value, old_value)
         VALUES (@key, @created, @deleted, @createRevision, @prevRevision, @value,
                 (SELECT p.value FROM log AS p WHERE p.id = @prevRevision))
         RETURNING id`,
      ),
      latest: db.prepare(`SELECT * FROM log WHERE key = ? AND id <= ? ORDER BY id DESC LIMIT 1`),
      range: db.prepare(
        // old_value is not read: a list never needs it, and it would double the bytes decoded.
        `SELECT l.id, l.key, l.created, l.deleted, l.create_revision, l.prev_revision, l.value, NULL AS old_value
         FROM (${LATEST_IDS}) AS g JOIN log AS l ON l.id = g.id
         WHERE g.deleted = 0 ORDER BY g.key LIMIT @limit`,
      ),
      // Index only: neither needs anything of the row but its id, key and deleted flag.
      rangeIds: db.prepare(
        `SELECT g.id, g.key FROM (${LATEST_IDS}) AS g WHERE g.deleted = 0 ORDER BY g.key LIMIT @limit`,
      ),
      valueAt: db.prepare(`SELECT value FROM log WHERE id = ? AND deleted = 0`),
      count: db.prepare(`SELECT COUNT(*) AS n FROM (${LATEST_IDS}) AS g WHERE g.deleted = 0`),
      after: db.prepare(`${BACKFILL} WHERE l.id > ? ORDER BY l.id LIMIT ?`),
      // +key keeps the planner on the primary key: a watch backfill reads a short tail of revisions.
      afterPrefix: db.prepare(`${BACKFILL} WHERE l.id > ? AND +l.key >= ? AND +l.key < ? ORDER BY l.id LIMIT ?`),
      deleteSuperseded: db.prepare(
        `DELETE FROM log WHERE id IN
           (SELECT s.prev_revision FROM log AS s WHERE s.id > ? AND s.id <= ? AND s.prev_revision != 0)`,
      ),
      deleteTombstones: db.prepare(`DELETE FROM log WHERE id > ? AND id <= ? AND deleted = 1`),
      rowCount: db.prepare(`SELECT COUNT(*) AS n FROM log`),
    }
  }

  /** currentRevision is the newest revision ever written (0 for an empty log). */
  currentRevision(): number {
    return this.stmt.currentRev.get()!.rev
  }

  /** compactRevision is the revision below which history has been removed. */
  compactRevision(): number {
    return this.stmt.compactRev.get()?.value ?? 0
  }

  /** rowCount counts the rows kept in the log (all revisions of all keys), for tests and metrics. */
  rowCount(): number {
    return this.stmt.rowCount.get()!.n
  }

  /** append inserts one row and returns its revision; a stale prevRevision throws LogConflictError. */
  append(row: AppendRow): number {
    this.appended++
    try {
      return (row.deleted ? this.stmt.insertTombstone : this.stmt.insert).get({
        key: row.key,
        created: row.created ? 1 : 0,
        deleted: row.deleted ? 1 : 0,
        createRevision: row.createRevision,
        prevRevision: row.prevRevision,
        value: row.value,
      })!.id
    } catch (err) {
      const code = (err as {code?: string}).code
      if (code === 'SQLITE_CONSTRAINT_UNIQUE') throw new LogConflictError(row.key, row.prevRevision, {cause: err})
      throw err
    }
  }

  /**
   * latest returns the newest row of key at atRev (current when absent), tombstones included. It opens no
   * transaction of its own: writers call it inside theirs, readers inside read().
   */
  latest(key: string, atRev?: number): LogRow | undefined {
    const raw = this.stmt.latest.get(key, atRev && atRev > 0 ? atRev : Number.MAX_SAFE_INTEGER)
    return raw && decode(raw)
  }

  /** range returns the live rows under prefix at a revision, in key order, with the revisions it read them at. */
  range(prefix: string, opts: RangeOptions = {}): RangeResult {
    return this.read(() => {
      const currentRev = this.currentRevision()
      const compactRev = this.compactRevision()
      const rev = opts.atRev && opts.atRev > 0 ? opts.atRev : currentRev
      const [lo, hi] = this.bounds(prefix, opts.startAfterKey)
      const limit = opts.limit && opts.limit > 0 ? opts.limit : -1
      const rows = lo < hi ? this.stmt.range.all({lo, hi, rev, limit}).map(decode) : []
      return {rows, rev, currentRev, compactRev}
    })
  }

  /**
   * rangeIds is range without the values: the key and revision of each live row. A caller that already holds
   * what it derives from a row (a Table row, cached by revision) then reads only the index.
   */
  rangeIds(prefix: string, opts: RangeOptions = {}): {rows: RowRef[]; rev: number} {
    const rev = opts.atRev && opts.atRev > 0 ? opts.atRev : this.currentRevision()
    const [lo, hi] = this.bounds(prefix, opts.startAfterKey)
    const limit = opts.limit && opts.limit > 0 ? opts.limit : -1
    return {rows: lo < hi ? this.stmt.rangeIds.all({lo, hi, rev, limit}) : [], rev}
  }

  /** valueAt returns the stored value of a live row by revision; undefined when compacted away or a tombstone. */
  valueAt(id: number): string | undefined {
    return this.stmt.valueAt.get(id)?.value ?? undefined
  }

  /** count counts the live keys under prefix at rev, after startAfterKey when given (remainingItemCount). */
  count(prefix: string, rev: number, startAfterKey?: string): number {
    const [lo, hi] = this.bounds(prefix, startAfterKey)
    return lo < hi ? this.stmt.count.get({lo, hi, rev})!.n : 0
  }

  /** after returns up to limit rows with id > rev in revision order, under prefix when given (watch backfill). */
  after(rev: number, prefix?: string, limit = 500): LogRow[] {
    if (prefix === undefined) return this.stmt.after.all(rev, limit).map(decode)
    const [lo, hi] = keyRange(prefix)
    return this.stmt.afterPrefix.all(rev, lo, hi, limit).map(decode)
  }

  /**
   * compact removes history up to target in batches of batchSize revisions, each its own IMMEDIATE transaction
   * so writers wait at most one batch. Each batch re-reads the compact revision it starts from, so two
   * compactions cannot interleave. Returns the new compact revision.
   */
  compact(target: number, batchSize = 500): number {
    const step = Math.max(1, Math.floor(batchSize))
    let from = this.compactRevision()
    const end = Math.min(target, this.currentRevision())
    while (from < end) {
      const to = Math.min(end, from + step)
      const start = from
      this.db
        .transaction(() => {
          const stored = this.compactRevision()
          if (stored !== start) throw new Error(`compact to ${to}: compact revision moved from ${start} to ${stored}`)
          // Superseded rows first: a tombstone in this batch still names the row it replaced.
          this.stmt.deleteSuperseded.run(start, to)
          this.stmt.deleteTombstones.run(start, to)
          this.stmt.setCompactRev.run(to)
        })
        .immediate()
      from = to
    }
    return this.compactRevision()
  }

  /** walCheckpoint folds the WAL back into the database file and truncates it (no-op in memory). */
  walCheckpoint(): void {
    if (this.db.memory) return
    this.db.pragma('wal_checkpoint(TRUNCATE)')
  }

  /** transaction runs fn in one IMMEDIATE write transaction (a savepoint when nested). */
  transaction<T>(fn: () => T): T {
    // One wrapper made once: better-sqlite3's transaction() builds a new function per call, which showed up as
    // a fifth of a write's cost.
    return this.tx.immediate(fn) as T
  }

  /** begin, commit and rollback drive an outermost transaction by hand (Store opens it at its first write). */
  begin(): void {
    this.stmt.begin.run()
  }

  commit(): void {
    this.stmt.commit.run()
    this.checkpointer?.committed(this.appended)
    this.appended = 0
  }

  rollback(): void {
    this.appended = 0
    if (this.db.inTransaction) this.stmt.rollback.run()
  }

  /**
   * read runs fn so that every statement sees the same snapshot. The daemon is this database's only writer and
   * runs on one thread, so nothing can commit between the statements of a synchronous fn: no transaction is needed.
   */
  read<T>(fn: () => T): T {
    return fn()
  }

  /** explain returns the query plan of a named statement, for tests that pin index use. */
  explain(
    name: 'latest' | 'range' | 'rangeIds' | 'count' | 'after' | 'afterPrefix' | 'deleteSuperseded' | 'deleteTombstones',
  ): string[] {
    const sql = this.stmt[name].source
    const params: Record<string, unknown[] | Record<string, unknown>> = {
      latest: ['k', 1],
      range: {lo: 'a', hi: 'b', rev: 1, limit: 1},
      rangeIds: {lo: 'a', hi: 'b', rev: 1, limit: 1},
      count: {lo: 'a', hi: 'b', rev: 1},
      after: [0, 1],
      afterPrefix: [0, 'a', 'b', 1],
      deleteSuperseded: [0, 1],
      deleteTombstones: [0, 1],
    }
    const p = params[name]
    const plan = this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    const rows = (Array.isArray(p) ? plan.all(...p) : plan.all(p)) as {detail: string}[]
    return rows.map((r) => r.detail)
  }

  private bounds(prefix: string, startAfterKey?: string): [string, string] {
    const [lo, hi] = keyRange(prefix)
    // One lower bound only, so SQLite seeks straight to the page start instead of filtering from the prefix.
    if (startAfterKey !== undefined && startAfterKey + '\u0000' > lo) return [startAfterKey + '\u0000', hi]
    return [lo, hi]
  }
}

function decode(r: RawRow): LogRow {
  return {
    id: r.id,
    key: r.key,
    created: r.created !== 0,
    deleted: r.deleted !== 0,
    createRevision: r.created !== 0 ? r.id : r.create_revision,
    prevRevision: r.prev_revision,
    value: r.value,
    oldValue: r.old_value,
  }
}
