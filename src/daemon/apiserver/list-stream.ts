// list-stream.ts writes a list response in chunks: the JSON list or the meta.k8s.io Table kubectl asks for, never
// as one string. A 100k-pod list is ~300 MB of JSON; the apiserver streams its lists the same way
// (apiserver/pkg/endpoints/handlers/responsewriters/writers.go with the streaming list encoder of 1.32,
// runtime/serializer/json's collections encoder). The bytes are exactly JSON.stringify of the whole list.
import type {Response} from 'express'
import type {KubeObject} from '../../api/object.js'
import {groupVersion, storagePrefix, type ResourceInfo} from '../../api/resources.js'
import {decodeContinue, encodeContinue, type ListOptions} from '../registry/generic.js'
import {
  buildTable,
  partialObjectMetadata,
  type TableConvertor,
  type TableOptions,
  type TableRowData,
} from '../registry/tables/index.js'
import {decodeObject, type ItemRef, type Store} from '../storage/store.js'
import {convertFromStorage} from '../registry/convert.js'

/** CHUNK_BYTES is the size of one write to the socket: one of the two buffers a list response is encoded into. */
export const CHUNK_BYTES = 64 * 1024

/** ROWS_PER_TABLE_BATCH is how many objects one buildTable call converts while streaming a Table. */
const ROWS_PER_TABLE_BATCH = 256

/** LazyList is a list whose items are read as they are written. */
export interface LazyList {
  apiVersion: string
  kind: string
  metadata: {resourceVersion?: string; continue?: string; remainingItemCount?: number}
  items: Iterable<KubeObject>
}

/**
 * writeJsonList answers with list as JSON, written in chunks of CHUNK_BYTES (ChunkWriter). It waits while both
 * chunks are in flight, so the items are read from the store only as fast as the client takes them.
 */
export async function writeJsonList(res: Response, list: LazyList): Promise<void> {
  const head = JSON.stringify({apiVersion: list.apiVersion, kind: list.kind, metadata: list.metadata, items: []})
  await writeArray(res, head.slice(0, -2), list.items, (o) => JSON.stringify(o), ']}')
}

/** writeTableList answers with list as a meta.k8s.io/v1 Table, its rows converted and written in batches. */
export async function writeTableList(
  res: Response,
  list: LazyList,
  conv: TableConvertor,
  now: number,
  opts: Pick<TableOptions, 'includeObject'>,
): Promise<void> {
  const head = JSON.stringify(buildTable([], conv, now, {...opts, listMeta: list.metadata}))
  const rows = batchedRows(list.items, conv, now, opts)
  await writeArray(res, head.slice(0, -2), rows, (row) => row, ']}')
}

/** batchedRows turns objects into their Table rows' JSON texts, ROWS_PER_TABLE_BATCH objects at a time. */
function* batchedRows(
  items: Iterable<KubeObject>,
  conv: TableConvertor,
  now: number,
  opts: Pick<TableOptions, 'includeObject'>,
): Generator<string> {
  let batch: KubeObject[] = []
  const flush = function* () {
    const t = buildTable(batch, conv, now, {...opts, noHeaders: true})
    batch = []
    for (const row of t.rows) yield JSON.stringify(row)
  }
  for (const o of items) {
    batch.push(o)
    if (batch.length >= ROWS_PER_TABLE_BATCH) yield* flush()
  }
  if (batch.length > 0) yield* flush()
}

/** ListResponse is what writeArray needs of an express Response (tests pass a fake socket). */
export type ListResponse = Pick<Response, 'write' | 'end' | 'once' | 'off' | 'destroyed' | 'headersSent' | 'destroy'>

/**
 * writeArray writes head, the items' texts separated by commas, then tail, through a ChunkWriter. An error
 * before anything was written is thrown (the caller answers with a Status); after that it cuts the body short.
 */
export async function writeArray<T>(
  res: ListResponse,
  head: string,
  items: Iterable<T>,
  encode: (item: T) => string,
  tail: string,
): Promise<void> {
  const out = new ChunkWriter(res)
  try {
    await out.add(head)
    let first = true
    for (const it of items) {
      const text = encode(it)
      // add answers a promise only when it has to wait for the socket: no await (a turn of the microtask queue)
      // for each of 100k items. Each wait is over before the next add: the buffer add fills may still be in flight.
      if (!first) {
        const comma = out.add(',')
        if (comma) await comma
      }
      first = false
      const wait = out.add(text)
      if (wait) await wait
      if (res.destroyed) {
        out.release()
        return
      }
    }
  } catch (err) {
    // Before the first write the caller still answers with a Status; after it, only cutting the body short
    // tells the client the list is incomplete (the apiserver does the same mid-stream).
    out.release()
    if (!res.headersSent) throw err
    res.destroy(err as Error)
    return
  }
  await out.end(tail)
}

/** freeChunks are encoding buffers no response holds, kept for the next list (at most FREE_CHUNKS_MAX). */
const freeChunks: Buffer[] = []
const FREE_CHUNKS_MAX = 8

/**
 * ChunkWriter encodes a response's text into two buffers of CHUNK_BYTES, taking turns: one is written while the
 * other fills, and a full buffer waits until the socket has finished with the other. Writing the text as strings
 * kept each string alive until the kernel took it, which behind a slow client (the loopback send buffer holds
 * megabytes) outlived the young generation: at 100k pods nearly all of a 300 MB list was promoted to the old
 * generation and stayed there until a full collection of the whole heap (measured with a sampling heap profile).
 * Buffers hold the bytes outside the heap and are reused, so the promotion and the collections go away. It also
 * gives the back-pressure 'drain' gave before: at most two chunks are in flight.
 */
export class ChunkWriter {
  private readonly bufs: [Buffer, Buffer]
  /** busy[i] resolves when the socket is done with bufs[i] (undefined: free). */
  private readonly busy: [Promise<void> | undefined, Promise<void> | undefined] = [undefined, undefined]
  private cur = 0
  private off = 0

  constructor(private readonly res: ListResponse) {
    this.bufs = [
      freeChunks.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES),
      freeChunks.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES),
    ]
  }

  /**
   * add appends text, writing the current buffer out first when text does not fit in what is left of it. It
   * answers a promise only when it had to write, and the caller must wait for it before the next add.
   */
  add(text: string): Promise<void> | undefined {
    // UTF-8 takes at most 3 bytes per UTF-16 unit: count exactly only when the cheap bound says it may not fit.
    if (this.off + 3 * text.length <= CHUNK_BYTES || this.off + Buffer.byteLength(text) <= CHUNK_BYTES) {
      this.off += this.bufs[this.cur].write(text, this.off)
      return undefined
    }
    return this.addAfterFlush(text)
  }

  private async addAfterFlush(text: string): Promise<void> {
    await this.flush()
    if (Buffer.byteLength(text) <= CHUNK_BYTES) {
      this.off += this.bufs[this.cur].write(text, this.off)
      return
    }
    // Larger than a chunk (one huge object): written as it is, after the buffers in flight.
    await this.settle()
    if (!this.res.destroyed) this.res.write(text)
  }

  /** end writes tail and ends the response once the socket is done with both buffers, which go back to the pool. */
  async end(tail: string): Promise<void> {
    await this.add(tail)
    await this.flush()
    await this.settle()
    if (!this.res.destroyed) this.res.end()
    this.release()
  }

  /** release hands the buffers back for reuse, unless the socket may still be reading one. */
  release(): void {
    for (const i of [0, 1] as const) {
      if (this.busy[i] === undefined && freeChunks.length < FREE_CHUNKS_MAX) freeChunks.push(this.bufs[i])
    }
  }

  /** flush writes the current buffer and turns to the other, waiting until the socket is done with that one. */
  private async flush(): Promise<void> {
    if (this.off === 0) return
    const i = this.cur
    if (!this.res.destroyed) {
      this.busy[i] = new Promise<void>((resolve) => {
        const done = () => {
          this.res.off('close', done)
          resolve()
        }
        this.res.once('close', done)
        this.res.write(this.bufs[i].subarray(0, this.off), () => done())
      }).then(() => {
        this.busy[i] = undefined
      })
    }
    this.cur = 1 - i
    this.off = 0
    await this.busy[this.cur]
  }

  /** settle waits until the socket is done with both buffers (or the client went away). */
  private async settle(): Promise<void> {
    await this.busy[0]
    await this.busy[1]
  }
}

/** CachedRow is what TableRowCache keeps for one key: the revision it was made from and its time-free parts. */
interface CachedRow {
  rev: number
  conv: TableConvertor
  at: (now: number) => TableRowData[]
  /** meta is the row's object as JSON with includeObject=Metadata (PartialObjectMetadata). */
  meta: string
}

/** ROW_CACHE_MAX bounds TableRowCache: past it the cache starts over (1,000 nodes × 110 pods fit). */
const ROW_CACHE_MAX = 150_000

/**
 * TableRowCache keeps, per storage key, the Table row of the newest revision listed, made by the convertor's
 * prepare (the part that does not depend on the time) and the row object's JSON. A list whose objects did not
 * change since the last one then reads only the (key, id, deleted) index: no value read, no JSON.parse, no conversion.
 * Listing 10k Running pods spent ~25 µs per pod parsing and ~15 µs reading values before (measured).
 */
export class TableRowCache {
  private rows = new Map<string, CachedRow>()

  constructor(private readonly max = ROW_CACHE_MAX) {}

  /** size is the number of keys cached, for tests. */
  get size(): number {
    return this.rows.size
  }

  /**
   * rowTexts yields the JSON texts of the Table rows of ref at now, from the cache when it holds ref's revision
   * made by conv, else from load() (then cached). includeObject None writes a null object, as buildTable does.
   */
  *rowTexts(
    ref: ItemRef,
    conv: TableConvertor & {prepare: NonNullable<TableConvertor['prepare']>},
    load: () => any,
    now: number,
    includeObject: 'None' | 'Metadata',
  ): Generator<string> {
    let c = this.rows.get(ref.key)
    if (c === undefined || c.rev !== ref.rev || c.conv !== conv) c = this.make(ref, conv, load(), c)
    const object = includeObject === 'None' ? 'null' : c.meta
    // The same key order as JSON.stringify of buildTable's rows: cells, conditions, object.
    for (const r of c.at(now)) {
      const cond = r.conditions ? `,"conditions":${JSON.stringify(r.conditions)}` : ''
      yield `{"cells":${JSON.stringify(r.cells)}${cond},"object":${object}}`
    }
  }

  /**
   * warm makes and keeps the row of obj (stored at ref) ahead of the next list, unless the cache already holds that
   * revision or a newer one (row-warmer.ts).
   */
  warm(ref: ItemRef, conv: TableConvertor & {prepare: NonNullable<TableConvertor['prepare']>}, obj: any): void {
    const c = this.rows.get(ref.key)
    if (c !== undefined && c.conv === conv && c.rev >= ref.rev) return
    this.make(ref, conv, obj, c)
  }

  /** forget drops the row of a key (its object was deleted). */
  forget(key: string): void {
    this.rows.delete(key)
  }

  /** make converts obj, the object of ref, and caches the row unless c (the key's cached row) is newer. */
  private make(
    ref: ItemRef,
    conv: TableConvertor & {prepare: NonNullable<TableConvertor['prepare']>},
    obj: any,
    c: CachedRow | undefined,
  ): CachedRow {
    const fresh: CachedRow = {
      rev: ref.rev,
      conv,
      at: conv.prepare(obj),
      meta: JSON.stringify(partialObjectMetadata(obj)),
    }
    // A list at an older revision (a continue token) must not replace a newer row.
    if (c === undefined || c.conv !== conv || c.rev < ref.rev) {
      if (c === undefined && this.rows.size >= this.max) this.rows = new Map()
      this.rows.set(ref.key, fresh)
    }
    return fresh
  }
}

const rowCaches = new WeakMap<Store, TableRowCache>()

/**
 * LiveObjects looks an object up in a process-local cache of decoded objects (the controllers' shared
 * informers), by resource and `namespace/name` (or name); the row cache uses it only when it holds the revision
 * listed. kube-apiserver serves lists from its watch cache the same way rather than from etcd.
 */
export type LiveObjects = (r: ResourceInfo, key: string) => KubeObject | undefined

const liveObjects = new WeakMap<Store, LiveObjects>()

/** serveRowsFrom lets Table lists of store's objects read rows' objects from live, when it has their revision. */
export function serveRowsFrom(store: Store, live: LiveObjects): void {
  liveObjects.set(store, live)
}

/** rowCacheOf is the row cache of a store (one per daemon). */
export function rowCacheOf(store: Store): TableRowCache {
  let c = rowCaches.get(store)
  if (!c) rowCaches.set(store, (c = new TableRowCache()))
  return c
}

/**
 * writeCachedTableList answers a Table list from the store's keys and revisions and the row cache, without
 * parsing unchanged objects. It reads the same page as Registry.listLazy (revision, limit, continue token with
 * its remaining count) and writes the same bytes as writeTableList of that list. It returns false without
 * writing anything when it does not apply: a convertor without prepare, includeObject=Object, a selector (the
 * filter needs the objects), a kind converted on read (events.k8s.io), a continue token or resourceVersion it
 * cannot read, or any store error; the caller then takes the general path, which words the error.
 */
export async function writeCachedTableList(
  res: Response,
  store: Store,
  r: ResourceInfo,
  ns: string | undefined,
  opts: ListOptions,
  conv: TableConvertor,
  now: number,
  includeObject: 'None' | 'Metadata' | 'Object',
): Promise<boolean> {
  const prepare = conv.prepare
  if (!prepare || includeObject === 'Object' || opts.labelSelector || opts.fieldSelector) return false
  if (r.group === 'events.k8s.io') return false
  const page = readPage(store, r, ns, opts)
  if (!page) return false
  const cache = rowCacheOf(store)
  const withPrepare = conv as TableConvertor & {prepare: NonNullable<TableConvertor['prepare']>}
  const inc = includeObject
  // An object the informers hold at the listed revision is the one objectAt would decode: no read, no parse.
  const live = liveObjects.get(store)
  const base = storagePrefix(r, undefined).length
  const load = (ref: ItemRef) => {
    const o = live?.(r, ref.key.slice(base))
    return o !== undefined && o.metadata?.resourceVersion === String(ref.rev) ? o : store.objectAt(ref.rev)
  }
  const refs = page.items
  function* rows(): Generator<string> {
    for (const ref of refs) yield* cache.rowTexts(ref, withPrepare, () => load(ref), now, inc)
  }
  const head = JSON.stringify(buildTable([], conv, now, {includeObject, listMeta: page.meta}))
  await writeArray(res, head.slice(0, -2), rows(), (row) => row, ']}')
  return true
}

/**
 * writeTextJsonList answers a JSON list from the objects' stored texts, each written with its resourceVersion put
 * in, without parsing and re-encoding it: the same bytes as writeJsonList of Registry.listLazy's page, at a
 * fraction of the CPU and of the garbage (a 100k-pod list is ~300 MB of text, and its parsed objects several
 * times that). An item whose text does not start as the object served does (another stored version, a kind
 * converted on read) is decoded and converted as the general path does. It returns false without writing anything
 * where it does not apply (a selector, events.k8s.io, a token or resourceVersion it cannot read, a store error).
 */
export async function writeTextJsonList(
  res: Response,
  store: Store,
  r: ResourceInfo,
  ns: string | undefined,
  opts: ListOptions,
): Promise<boolean> {
  if (opts.labelSelector || opts.fieldSelector || r.group === 'events.k8s.io') return false
  // Keys and revisions first, each text read as it is written: a page of texts read at once stayed alive while a
  // slow client took it, long enough for V8 to promote it (at 100k pods a 3 MB page outlived most scavenges).
  const page = readPage(store, r, ns, opts)
  if (!page) return false
  const apiVersion = groupVersion(r.group, r.version)
  const lead = `{"apiVersion":${JSON.stringify(apiVersion)},"kind":${JSON.stringify(r.kind)},"metadata":{`
  const encode = (ref: ItemRef) => {
    const text = store.textAt(ref.rev)
    return servedText(text, ref.rev, lead) ?? JSON.stringify(convertFromStorage(r, decodeObject(text, ref.rev)))
  }
  const head = JSON.stringify({apiVersion, kind: r.listKind, metadata: page.meta, items: []})
  await writeArray(res, head.slice(0, -2), page.items, encode, ']}')
  return true
}

/**
 * servedText is JSON.stringify(decodeObject(text, rev)) for a stored text that starts with lead (the served
 * apiVersion, kind and the opening of metadata): decodeObject adds resourceVersion as metadata's last key, so it
 * goes in before the brace that closes metadata. Undefined when text does not start with lead. A text made by
 * JSON.stringify parses back to an object that stringifies to the same text, which is why the rest is kept as is.
 */
export function servedText(text: string, rev: number, lead: string): string | undefined {
  if (!text.startsWith(lead)) return undefined
  const end = closingBrace(text, lead.length)
  if (end < 0) return undefined
  const rv = `"resourceVersion":"${rev}"`
  return text.slice(0, end) + (end === lead.length ? rv : ',' + rv) + text.slice(end)
}

/** closingBrace is the index of the brace that closes the object whose members start at from, or -1. */
function closingBrace(s: string, from: number): number {
  let depth = 1
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 0x22) {
      // A string: skip to its closing quote, past escaped characters.
      for (i++; i < s.length; i++) {
        const d = s.charCodeAt(i)
        if (d === 0x5c) i++
        else if (d === 0x22) break
      }
    } else if (c === 0x7b || c === 0x5b) depth++
    else if ((c === 0x7d || c === 0x5d) && --depth === 0) return i
  }
  return -1
}

/**
 * readPage reads the keys and revisions of the page Registry.listLazy reads for a selector-free list (revision,
 * limit, continue token with its remaining count), with listRefs (a limit) or scanRefs (none), and the list
 * metadata that goes with it. Undefined for a continue token or resourceVersion it cannot read and for any store
 * error: the general path words those.
 */
function readPage(
  store: Store,
  r: ResourceInfo,
  ns: string | undefined,
  opts: ListOptions,
): {meta: LazyList['metadata']; items: Iterable<ItemRef>} | undefined {
  const prefix = storagePrefix(r, r.namespaced ? ns : undefined)
  let revision: number | undefined
  let startAfter: string | undefined
  let rem: number | undefined
  if (opts.continue) {
    const tok = readContinue(opts.continue)
    if (!tok) return undefined
    revision = tok.rv
    startAfter = tok.start
    rem = tok.rem
  } else if (opts.resourceVersion && opts.resourceVersion !== '0' && opts.resourceVersionMatch === 'Exact') {
    const n = Number(opts.resourceVersion)
    if (!Number.isInteger(n) || n < 0) return undefined
    revision = n
  }
  const limit = opts.limit && opts.limit > 0 ? opts.limit : undefined
  try {
    if (limit !== undefined) {
      const page = store.listRefs(prefix, {
        ...(revision === undefined ? {} : {revision}),
        limit,
        ...(startAfter === undefined ? {} : {startAfterKey: startAfter, remaining: rem}),
      })
      const meta: LazyList['metadata'] = {resourceVersion: String(page.revision)}
      if (page.remainingItemCount !== undefined && page.items.length > 0) {
        const last = page.items[page.items.length - 1].key
        meta.continue = encodeContinue(page.revision, last, page.remainingItemCount)
        meta.remainingItemCount = page.remainingItemCount
      }
      return {meta, items: page.items}
    }
    const scanned = store.scanRefs(prefix, {
      ...(revision === undefined ? {} : {revision}),
      ...(startAfter === undefined ? {} : {startAfterKey: startAfter}),
      batch: 1000,
    })
    return {meta: {resourceVersion: String(scanned.revision)}, items: scanned.items}
  } catch {
    return undefined
  }
}

/** readContinue is the registry's token decoder, undefined for a malformed token (the general path answers 400). */
function readContinue(tok: string): {rv: number; start: string; rem?: number} | undefined {
  try {
    return decodeContinue(tok)
  } catch {
    return undefined
  }
}
