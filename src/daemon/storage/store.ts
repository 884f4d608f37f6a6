// store.ts is the typed store the apiserver uses: JSON objects over the revision log of log-store.ts, with
// kine's MVCC semantics (k3s-io/kine pkg/logstructured/logstructured.go) and the apiserver's resourceVersion
// rules (apiserver/pkg/storage/etcd3/api_object_versioner.go: resourceVersion is blanked before an object is
// written and stamped from the row id on every object read).
//
// Watch ordering (kine's pkg/logstructured Watch, the one thing not to get wrong):
//   1. subscribe to the hub first, buffering live events, so nothing committed from now on can be missed;
//   2. backfill after(fromRev) from the log, telling the listener each row and remembering the last revision;
//   3. flush the buffer, dropping events at or below the last revision told, then switch to live delivery,
//      still dropping anything at or below it.
// Writes made by the listener during steps 2 and 3 land in the buffer and in the log; whichever is seen first
// wins and the copy is dropped, so the listener sees every revision once, in order.
import type {Database} from 'better-sqlite3'
import {LogConflictError, LogStore, type AppendRow, type LogRow} from './log-store.js'
import {WatchHub, type StoreEvent, type StoreListener} from './watch-hub.js'
import {backupTo} from './snapshot.js'
import {checkRequestSize, storageFault, transactionLost} from './errors.js'

export type {StoreEvent, StoreListener}
export {matchesPrefix} from './watch-hub.js'

/** KeyExistsError is create's failure when the key is live (apiserver: 409 AlreadyExists). */
export class KeyExistsError extends Error {
  constructor(readonly key: string) {
    super(`key ${key} already exists`)
    this.name = 'KeyExistsError'
  }
}

/** KeyNotFoundError is the failure of update or delete on a key that is absent or deleted (404 NotFound). */
export class KeyNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`key ${key} not found`)
    this.name = 'KeyNotFoundError'
  }
}

/** RevisionConflictError is a write whose expected revision is no longer the key's latest (409 Conflict). */
export class RevisionConflictError extends Error {
  constructor(
    readonly key: string,
    readonly expectedRev: number,
    /** current is the key's latest state, when it still exists. */
    readonly current?: {object: any; rev: number},
    options?: ErrorOptions,
  ) {
    super('the object has been modified; please apply your changes to the latest version and try again', options)
    this.name = 'RevisionConflictError'
  }
}

/** CompactedError is a read or watch at a revision already compacted away (410 Gone, reason Expired). */
export class CompactedError extends Error {
  constructor(
    readonly requested: number,
    readonly compactRevision: number,
    readonly currentRevision: number,
    /** fromContinue is true when the revision came from a continue token (the apiserver words that case apart). */
    readonly fromContinue = false,
  ) {
    super(`revision ${requested} has been compacted (compact revision ${compactRevision})`)
    this.name = 'CompactedError'
  }
}

/** FutureRevisionError is a read at a revision newer than the store has (kine's ErrFutureRev). */
export class FutureRevisionError extends Error {
  constructor(
    readonly requested: number,
    readonly currentRevision: number,
  ) {
    super(`revision ${requested} is newer than the current revision ${currentRevision}`)
    this.name = 'FutureRevisionError'
  }
}

/** InvalidContinueError is a continue token that does not decode (400 BadRequest). */
export class InvalidContinueError extends Error {
  constructor(detail: string) {
    super(`continue key is not valid: ${detail}`)
    this.name = 'InvalidContinueError'
  }
}

/** StoreOptions configures a Store. */
export interface StoreOptions {
  /** log receives one line per failing watch listener. */
  log?: (msg: string) => void
  /** backfillBatch is how many rows a watch backfill reads at a time (default 500). */
  backfillBatch?: number
}

/** ListOptions selects a list: a past revision, a page size, or the next page of an earlier list. */
export interface ListOptions {
  /** revision reads the list at this revision (current when absent or 0). Ignored when continue is given. */
  revision?: number
  limit?: number
  continue?: string
  /** startAfterKey (a full key) starts the list after that key, at `revision` (the registry's own paging). */
  startAfterKey?: string
  /**
   * remaining is the number of keys after startAfterKey when the caller already knows it (carried in its continue
   * token): the page then needs no count of the rest of the range.
   */
  remaining?: number
}

/** ScanOptions selects where a scan starts and how many rows each of its reads takes. */
export interface ScanOptions {
  /** revision reads at this revision (current when absent or 0). */
  revision?: number
  /** startAfterKey (a full key) skips keys up to and including it. */
  startAfterKey?: string
  /** batch is how many rows one read of the index takes (default 1000). */
  batch?: number
}

/** ScanResult is a scan's revision, checked when the scan starts, and its lazily read items. */
export interface ScanResult {
  revision: number
  items: Iterable<{key: string; object: any; rev: number}>
}

/** ListResult is one page of a list. */
export interface ListResult {
  items: {key: string; object: any; rev: number}[]
  /** revision is the revision the list was read at: ListMeta.resourceVersion. */
  revision: number
  continue?: string
  remainingItemCount?: number
}

/** ItemRef names a live object by its key and the revision it was read at (Store.objectAt reads it). */
export interface ItemRef {
  key: string
  rev: number
}

/** RefListResult is one page of listRefs: ListResult without the objects. */
export interface RefListResult {
  items: ItemRef[]
  revision: number
  continue?: string
  remainingItemCount?: number
}

/** RefScanResult is scanRefs' revision and its lazily read keys and revisions. */
export interface RefScanResult {
  revision: number
  items: Iterable<ItemRef>
}

/** CompactOptions bounds a compaction. */
export interface CompactOptions {
  /** minRetain is how many of the newest revisions are never compacted (default 1000, as kine). */
  minRetain?: number
  batchSize?: number
}

const continueVersion = 'meta.k8s.io/v1'

/** MEMO_KEYS_MAX bounds Store.memo's map (namespaces and service accounts: far fewer in any real cluster). */
const MEMO_KEYS_MAX = 10_000

/** Store keeps Kubernetes objects as JSON in the revision log and tells watchers of every committed change. */
export class Store {
  private readonly log: LogStore
  private readonly hub: WatchHub
  private readonly backfillBatch: number
  private readonly logLine: (msg: string) => void
  /** pending holds rows written by the open transaction, published when the outermost one commits. */
  private pending: LogRow[] = []
  private depth = 0
  /** begun: the outermost transaction has issued BEGIN (it does so lazily, at its first write). */
  private begun = false
  /** memos holds memo()'s results by key; a write of the key or any rollback drops them. */
  private readonly memos = new Map<string, Map<string, unknown>>()

  constructor(
    private readonly db: Database,
    opts: StoreOptions = {},
  ) {
    this.log = new LogStore(db)
    this.logLine = opts.log ?? ((msg) => process.stderr.write(`${msg}\n`))
    this.hub = new WatchHub((row) => toEvent(row), this.logLine)
    this.backfillBatch = Math.max(1, opts.backfillBatch ?? 500)
  }

  /** getState reads one daemon setting (table daemon_state), undefined when unset. */
  getState(name: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM daemon_state WHERE name = ?').get(name) as
      {value: string} | undefined
    return row?.value
  }

  /** setState writes one daemon setting; undefined removes it. */
  setState(name: string, value: string | undefined): void {
    try {
      if (value === undefined) this.db.prepare('DELETE FROM daemon_state WHERE name = ?').run(name)
      else
        this.db
          .prepare(
            'INSERT INTO daemon_state (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value',
          )
          .run(name, value)
    } catch (err) {
      throw storageFault(err)
    }
  }

  /** currentRevision is the newest revision written. */
  currentRevision(): number {
    return this.log.currentRevision()
  }

  /** compactRevision is the oldest revision still readable. */
  compactRevision(): number {
    return this.log.compactRevision()
  }

  /** get returns key's object at atRev (current when absent), or undefined when absent or deleted then. */
  get(key: string, atRev?: number): {object: any; rev: number; createRev: number} | undefined {
    return this.log.read(() => {
      if (atRev) this.checkRevision(atRev, this.log.currentRevision(), this.log.compactRevision())
      const row = this.log.latest(key, atRev)
      if (!row || row.deleted || row.value === null) return undefined
      return {object: decodeObject(row.value, row.id), rev: row.id, createRev: row.createRevision}
    })
  }

  /**
   * memo returns derive(the key's current object, or undefined), computed once and kept until the key is written
   * again: a fact every request asks of a rarely written object (does its namespace exist, is it terminating)
   * then costs no read and no parse. name tells apart several facts of one key. The memo is dropped when its key
   * is appended and on every rollback (it may have seen rows that are being undone).
   */
  memo<T>(key: string, name: string, derive: (object: any | undefined) => T): T {
    let byName = this.memos.get(key)
    if (byName?.has(name)) return byName.get(name) as T
    const value = derive(this.get(key)?.object)
    // Absent keys are memoized too (a create in a namespace that does not exist), so any name a client sends adds
    // one: start over past a bound rather than grow without one.
    if (this.memos.size >= MEMO_KEYS_MAX) this.memos.clear()
    if (!byName) this.memos.set(key, (byName = new Map()))
    byName.set(name, value)
    return value
  }

  /** create writes a new key; a key whose latest row is a tombstone may be created again (kine Create). */
  create(key: string, object: any): {object: any; rev: number} {
    const value = encodeObject(object)
    checkRequestSize(key, value)
    return this.atomic(() => {
      const cur = this.log.latest(key)
      if (cur && !cur.deleted) throw new KeyExistsError(key)
      try {
        const rev = this.append(
          {key, created: true, deleted: false, createRevision: 0, prevRevision: cur?.id ?? 0, value},
          null,
        )
        return {object: stamped(object, rev), rev}
      } catch (err) {
        if (err instanceof LogConflictError) throw new KeyExistsError(key)
        throw err
      }
    })
  }

  /** update replaces key's object if its latest revision is still expectedRev. */
  update(key: string, object: any, expectedRev: number): {object: any; rev: number} {
    const value = encodeObject(object)
    checkRequestSize(key, value)
    return this.atomic(() => {
      const cur = this.latestLive(key)
      if (cur.id !== expectedRev) throw this.conflict(key, expectedRev)
      return this.appendAfter(cur, value, expectedRev, object)
    })
  }

  /**
   * guaranteedUpdate reads key, lets tryUpdate compute the new object and writes it, all in one transaction (the
   * shape of the apiserver's GuaranteedUpdate; no retry loop is needed with one synchronous writer). When the
   * result serializes exactly as the stored object nothing is written and the current revision is returned, as
   * etcd3's GuaranteedUpdate skips no-op writes.
   */
  guaranteedUpdate(key: string, tryUpdate: (current: any, rev: number) => any): {object: any; rev: number} {
    return this.atomic(() => {
      const cur = this.latestLive(key)
      const next = tryUpdate(decodeObject(cur.value!, cur.id), cur.id)
      const value = encodeObject(next)
      if (value === cur.value) return {object: decodeObject(value, cur.id), rev: cur.id}
      checkRequestSize(key, value)
      return this.appendAfter(cur, value, cur.id, next)
    })
  }

  /** delete appends a tombstone; the object returned is the last state, stamped with the tombstone's revision. */
  delete(key: string, expectedRev?: number): {object: any; rev: number} {
    return this.atomic(() => {
      const cur = this.latestLive(key)
      if (expectedRev !== undefined && cur.id !== expectedRev) throw this.conflict(key, expectedRev)
      try {
        const rev = this.append(
          {key, created: false, deleted: true, createRevision: cur.createRevision, prevRevision: cur.id, value: null},
          cur.value,
        )
        return {object: decodeObject(cur.value!, rev), rev}
      } catch (err) {
        if (err instanceof LogConflictError) throw this.conflict(key, expectedRev ?? cur.id, err)
        throw err
      }
    })
  }

  /**
   * list returns the live objects under prefix in key order, read at one revision. With a limit it fetches
   * limit+1 rows to learn whether more exist (kine pkg/server/list.go), and the continue token pins the next page
   * to the same revision (apiserver/pkg/storage/continue.go).
   */
  list(prefix: string, opts: ListOptions = {}): ListResult {
    return this.pageOf(
      prefix,
      opts,
      (o) => this.log.range(prefix, o).rows,
      (r) => ({
        key: r.key,
        object: decodeObject(r.value!, r.id),
        rev: r.id,
      }),
    )
  }

  /**
   * listRefs is list without reading or parsing the objects: each item's key and revision, with the same
   * revision checks, paging and continue token. objectAt reads an item's object when the caller needs it (a Table
   * row cached by revision does not).
   */
  listRefs(prefix: string, opts: ListOptions = {}): RefListResult {
    return this.pageOf(
      prefix,
      opts,
      (o) => this.log.rangeIds(prefix, o).rows,
      (r) => ({key: r.key, rev: r.id}),
    )
  }

  /** pageOf is list and listRefs: one page of rows, item making each row an item. */
  private pageOf<R extends {key: string}, T>(
    prefix: string,
    opts: ListOptions,
    range: (o: {atRev: number; limit: number; startAfterKey?: string}) => R[],
    item: (r: R) => T,
  ): {items: T[]; revision: number; continue?: string; remainingItemCount?: number} {
    const page = this.page(prefix, opts, range)
    const out: {items: T[]; revision: number; continue?: string; remainingItemCount?: number} = {
      items: page.rows.map(item),
      revision: page.revision,
    }
    if (page.continue !== undefined) {
      out.continue = page.continue
      out.remainingItemCount = page.remainingItemCount
    }
    return out
  }

  /**
   * objectAt reads the object a live revision holds (an item of listRefs or scanRefs). A revision compacted away
   * meanwhile throws CompactedError.
   */
  objectAt(rev: number): any {
    return decodeObject(this.textAt(rev), rev)
  }

  /**
   * textAt is objectAt without the parse: the stored text (encodeObject's, without metadata.resourceVersion), for a
   * JSON list written from the texts. A revision compacted away meanwhile throws CompactedError.
   */
  textAt(rev: number): string {
    const value = this.log.valueAt(rev)
    if (value === undefined) {
      throw new CompactedError(rev, this.log.compactRevision(), this.log.currentRevision())
    }
    return value
  }

  /**
   * page reads one page of rows for list and listRefs. With a limit it fetches limit+1 rows to learn whether more
   * exist (kine pkg/server/list.go), and the continue token pins the next page to the same revision
   * (apiserver/pkg/storage/continue.go).
   */
  private page<R extends {key: string}>(
    prefix: string,
    opts: ListOptions,
    range: (o: {atRev: number; limit: number; startAfterKey?: string}) => R[],
  ): {rows: R[]; revision: number; continue?: string; remainingItemCount?: number} {
    let atRev = opts.revision && opts.revision > 0 ? opts.revision : 0
    let startAfterKey: string | undefined
    let remaining: number | undefined
    const fromContinue = !!opts.continue
    if (opts.continue) {
      const token = decodeContinue(opts.continue)
      atRev = token.rv
      startAfterKey = prefix + token.start
      remaining = token.rem
    } else if (opts.startAfterKey !== undefined) {
      startAfterKey = opts.startAfterKey
      remaining = opts.remaining
    }
    const limit = opts.limit && opts.limit > 0 ? Math.floor(opts.limit) : 0
    return this.log.read(() => {
      const currentRev = this.log.currentRevision()
      if (atRev) this.checkRevision(atRev, currentRev, this.log.compactRevision(), fromContinue)
      const rev = atRev || currentRev
      const got = range({atRev: rev, limit: limit ? limit + 1 : 0, startAfterKey})
      const more = limit > 0 && got.length > limit
      const rows = more ? got.slice(0, limit) : got
      if (!more) return {rows, revision: rev}
      const lastKey = rows[rows.length - 1].key
      // Every page reads the same revision, so the set of keys is fixed: count once on the first page and carry
      // the number in the token, instead of counting the rest of a 100k-key range on every page.
      const rem = remaining !== undefined ? remaining - rows.length : this.log.count(prefix, rev, lastKey)
      return {
        rows,
        revision: rev,
        continue: encodeContinue(rev, lastKey.slice(prefix.length), rem),
        remainingItemCount: rem,
      }
    })
  }

  /**
   * scan reads the live objects under prefix at one revision in key order, batch rows at a time: each read seeks
   * the (key, id, deleted) index past the last key seen (keyset paging, as kine's list with a start key; never OFFSET), so
   * walking 100k keys costs one pass over the index and holds only one batch of parsed objects at a time. The
   * revision is checked when scan is called; a later batch whose revision has been compacted meanwhile (the caller
   * paused between batches) throws CompactedError rather than return a torn list.
   */
  scan(prefix: string, opts: ScanOptions = {}): ScanResult {
    return this.scanWith(
      prefix,
      opts,
      (o) => this.log.range(prefix, o).rows,
      (r) => ({key: r.key, object: decodeObject(r.value!, r.id), rev: r.id}),
    )
  }

  /**
   * scanRefs is scan without reading or parsing the objects (see listRefs): keys and revisions, batch at a time,
   * with scan's revision checks.
   */
  scanRefs(prefix: string, opts: ScanOptions = {}): RefScanResult {
    return this.scanWith(
      prefix,
      opts,
      (o) => this.log.rangeIds(prefix, o).rows,
      (r) => ({key: r.key, rev: r.id}),
    )
  }

  /** scanWith is scan and scanRefs: read pages the rows at a revision after a key, item makes each row an item. */
  private scanWith<R extends {key: string; id: number}, T>(
    prefix: string,
    opts: ScanOptions,
    read: (o: {atRev: number; limit: number; startAfterKey?: string}) => R[],
    item: (r: R) => T,
  ): {revision: number; items: Iterable<T>} {
    const currentRev = this.log.currentRevision()
    const rev = opts.revision && opts.revision > 0 ? opts.revision : currentRev
    if (opts.revision) this.checkRevision(rev, currentRev, this.log.compactRevision())
    const batch = Math.max(1, Math.floor(opts.batch ?? 1000))
    const log = this.log
    const check = (r: number) => this.checkRevision(r, log.currentRevision(), log.compactRevision())
    function* items() {
      let after = opts.startAfterKey
      for (let first = true; ; first = false) {
        if (!first) check(rev)
        const rows = read({atRev: rev, limit: batch, startAfterKey: after})
        for (const r of rows) yield item(r)
        if (rows.length < batch) return
        after = rows[rows.length - 1]!.key
      }
    }
    return {revision: rev, items: items()}
  }

  /**
   * watch tells listener of every change under prefix after fromRev: first the history from the log, then live
   * changes as they commit (see the header for the order). Returns the function that stops the watch.
   */
  watch(prefix: string, fromRev: number, listener: StoreListener): () => void {
    if (this.depth > 0) throw new Error('watch cannot start inside a store transaction: it could see uncommitted rows')
    const compactRev = this.log.compactRevision()
    if (fromRev < compactRev) throw new CompactedError(fromRev, compactRev, this.log.currentRevision())
    let last = Math.max(0, fromRev)
    let live = false
    let stopped = false
    const buffered: StoreEvent[] = []
    const tell = (e: StoreEvent) => {
      if (stopped || e.rev <= last) return
      last = e.rev
      try {
        listener(e)
      } catch (err) {
        this.logLine(`watch listener on ${prefix} failed at revision ${e.rev}: ${(err as Error)?.stack ?? err}`)
      }
    }
    const unsubscribe = this.hub.subscribe(prefix, (e) => (live ? tell(e) : buffered.push(e)))
    const stop = () => {
      stopped = true
      unsubscribe()
    }
    try {
      while (!stopped) {
        const rows = this.log.after(last, prefix, this.backfillBatch)
        for (const row of rows) tell(toEvent(row))
        if (rows.length < this.backfillBatch) break
      }
      // The buffer may grow while it is flushed (the listener writes): read its length each time round.
      for (let i = 0; i < buffered.length; i++) tell(buffered[i])
      buffered.length = 0
      live = true
    } catch (err) {
      stop()
      throw err
    }
    return stop
  }

  /**
   * atomic runs one single-write operation (read, check, append). Inside an open transaction it needs no savepoint
   * of its own: it either throws before its one append or completes, and the enclosing transaction commits or
   * rolls it back with the rest.
   */
  private atomic<T>(fn: () => T): T {
    if (this.depth === 0) return this.transaction(fn)
    this.begin()
    return fn()
  }

  /** begin opens the outermost SQLite transaction on the first write inside transaction() (see there). */
  private begin(): void {
    if (this.begun) return
    this.log.begin()
    this.begun = true
  }

  /**
   * transaction runs fn atomically: several writes commit together or not at all. Listeners hear of the writes
   * only after the outermost transaction commits, in revision order; a throw rolls back and tells nobody.
   */
  transaction<T>(fn: () => T): T {
    if (this.depth > 0) {
      // Nested: a savepoint inside the (now begun) outer transaction; a failure rolls back only its own rows.
      this.begin()
      const mark = this.pending.length
      this.depth++
      try {
        return this.log.transaction(fn)
      } catch (err) {
        this.pending.length = mark
        this.memos.clear()
        throw err
      } finally {
        this.depth--
      }
    }
    // Outermost: SQLite's BEGIN waits for the first write. Most controller syncs write nothing, and an empty
    // BEGIN/COMMIT pair cost as much as a write (measured: 5 of 6 sync transactions were empty).
    this.depth = 1
    this.begun = false
    let result: T
    try {
      result = fn()
      if (this.begun) this.log.commit()
    } catch (err) {
      if (this.begun) {
        try {
          this.log.rollback()
        } catch (rollbackErr) {
          // A failed ROLLBACK leaves SQLite to roll the journal back at the next open; the first error is the news.
          this.logLine(`store: rollback after a failed transaction failed: ${(rollbackErr as Error).message}`)
        }
      }
      this.pending = []
      this.memos.clear()
      // A full disk, a read-only file or an I/O error becomes the apiserver's 500 (errors.ts); others pass as is.
      throw storageFault(err)
    } finally {
      this.depth = 0
      this.begun = false
    }
    if (this.pending.length > 0) {
      const rows = this.pending
      this.pending = []
      this.hub.publish(rows)
    }
    return result
  }

  /** compact removes history up to targetRev, never touching the newest minRetain revisions; returns the new compact revision. */
  compact(targetRev: number, opts: CompactOptions = {}): number {
    const minRetain = Math.max(0, opts.minRetain ?? 1000)
    const current = this.log.currentRevision()
    const compactRev = this.log.compactRevision()
    const target = Math.min(targetRev, current - minRetain)
    if (target <= compactRev) return compactRev
    try {
      return this.log.compact(target, opts.batchSize ?? 500)
    } catch (err) {
      throw new Error(`compact to ${target}: ${(err as Error).message}`, {cause: err})
    }
  }

  /** backup writes a consistent copy of the whole store to path (SQLite's online backup); returns its size. */
  backup(path: string): Promise<number> {
    return backupTo(this.db, path)
  }

  /** checkpoint truncates the write-ahead log after a compaction. */
  checkpoint(): void {
    this.log.walCheckpoint()
  }

  /** rowCount counts the rows the log keeps (every revision of every key), for tests, metrics and bench. */
  rowCount(): number {
    return this.log.rowCount()
  }

  /** watcherCount is the number of open watches. */
  watcherCount(): number {
    return this.hub.size
  }

  /** close closes the database (and releases its lock file). */
  close(): void {
    if (this.db.open) this.db.close()
  }

  private latestLive(key: string): LogRow {
    const cur = this.log.latest(key)
    if (!cur || cur.deleted) throw new KeyNotFoundError(key)
    return cur
  }

  private appendAfter(cur: LogRow, value: string, expectedRev: number, object: any): {object: any; rev: number} {
    try {
      const rev = this.append(
        {key: cur.key, created: false, deleted: false, createRevision: cur.createRevision, prevRevision: cur.id, value},
        cur.value,
      )
      return {object: stamped(object, rev), rev}
    } catch (err) {
      if (err instanceof LogConflictError) throw this.conflict(cur.key, expectedRev, err)
      throw err
    }
  }

  private append(row: AppendRow, oldValue: string | null): number {
    // SQLite rolls a whole transaction back on some failures (SQLITE_FULL, SQLITE_IOERR, ...): a caller that caught
    // that error and wrote on would otherwise autocommit its later rows outside the transaction, unpublished.
    if (this.begun && !this.db.inTransaction) throw transactionLost()
    const id = this.log.append(row)
    if (this.memos.size > 0) this.memos.delete(row.key)
    this.pending.push({
      id,
      key: row.key,
      created: row.created,
      deleted: row.deleted,
      createRevision: row.created ? id : row.createRevision,
      prevRevision: row.prevRevision,
      value: row.value,
      oldValue,
    })
    return id
  }

  private conflict(key: string, expectedRev: number, cause?: unknown): RevisionConflictError {
    const cur = this.log.latest(key)
    const current =
      cur && !cur.deleted && cur.value !== null ? {object: decodeObject(cur.value, cur.id), rev: cur.id} : undefined
    return new RevisionConflictError(key, expectedRev, current, cause === undefined ? undefined : {cause})
  }

  private checkRevision(rev: number, currentRev: number, compactRev: number, fromContinue = false): void {
    if (rev < compactRev) throw new CompactedError(rev, compactRev, currentRev, fromContinue)
    if (rev > currentRev) throw new FutureRevisionError(rev, currentRev)
  }
}

/** encodeObject serializes an object for the log without metadata.resourceVersion (APIObjectVersioner). */
export function encodeObject(object: any): string {
  if (object === null || typeof object !== 'object' || Array.isArray(object)) {
    throw new TypeError('store values must be JSON objects')
  }
  const meta = object.metadata
  if (meta && typeof meta === 'object' && 'resourceVersion' in meta) {
    const {resourceVersion: _, ...rest} = meta
    return JSON.stringify({...object, metadata: rest})
  }
  return JSON.stringify(object)
}

/**
 * stamped returns what a write stored, without parsing it back: the written object with a new metadata holding
 * the revision (the caller's object is left alone; nested values are shared with it).
 */
function stamped(object: any, rev: number): any {
  return {...object, metadata: {...(object.metadata ?? {}), resourceVersion: String(rev)}}
}

/** decodeObject parses a stored object and stamps metadata.resourceVersion with its revision. */
export function decodeObject(value: string, rev: number): any {
  const obj = JSON.parse(value)
  if (obj.metadata && typeof obj.metadata === 'object') obj.metadata.resourceVersion = String(rev)
  else obj.metadata = {resourceVersion: String(rev)}
  return obj
}

/** toEvent maps a log row to a watch event: created → ADDED, deleted → DELETED (last state), else MODIFIED. */
export function toEvent(row: LogRow): StoreEvent {
  if (row.deleted) {
    const last = row.oldValue ?? '{}'
    return {
      type: 'DELETED',
      key: row.key,
      rev: row.id,
      object: decodeObject(last, row.id),
      get prev() {
        return decodeObject(last, row.prevRevision)
      },
    }
  }
  const e: StoreEvent = {
    type: row.created ? 'ADDED' : 'MODIFIED',
    key: row.key,
    rev: row.id,
    object: decodeObject(row.value!, row.id),
  }
  if (!row.created && row.oldValue !== null) {
    // Most watchers never look at the previous state (only selector watches do): parse it on first use.
    const old = row.oldValue
    let prev: any
    Object.defineProperty(e, 'prev', {
      enumerable: true,
      get: () => (prev ??= decodeObject(old, row.prevRevision)),
    })
  }
  return e
}

// The token follows apiserver/pkg/storage/continue.go ({v, rv, start}); start is the last key returned, relative
// to the prefix, and rem (mkctl's addition) the number of keys after it.
function encodeContinue(rv: number, start: string, rem: number): string {
  return Buffer.from(JSON.stringify({v: continueVersion, rv, start, rem})).toString('base64')
}

function decodeContinue(token: string): {rv: number; start: string; rem?: number} {
  let parsed: any
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'))
  } catch {
    throw new InvalidContinueError('not a continue token')
  }
  if (!parsed || typeof parsed !== 'object' || parsed.v !== continueVersion) {
    throw new InvalidContinueError(`server does not recognize this encoded version`)
  }
  if (!Number.isSafeInteger(parsed.rv) || parsed.rv <= 0)
    throw new InvalidContinueError('incorrect encoded start resourceVersion')
  if (typeof parsed.start !== 'string') throw new InvalidContinueError('encoded start key empty')
  const rem = Number.isSafeInteger(parsed.rem) && parsed.rem >= 0 ? (parsed.rem as number) : undefined
  return {rv: parsed.rv, start: parsed.start, rem}
}
