// list-stream.ts writes a list response in chunks: the JSON list or the meta.k8s.io Table kubectl asks for, never
// as one string. A 100k-pod list is ~300 MB of JSON; the apiserver streams its lists the same way
// (apiserver/pkg/endpoints/handlers/responsewriters/writers.go with the streaming list encoder of 1.32,
// runtime/serializer/json's collections encoder). The bytes are exactly JSON.stringify of the whole list.
import type {Response} from 'express'
import type {KubeObject} from '../../api/object.js'
import {buildTable, type TableConvertor, type TableOptions} from '../registry/tables/index.js'

/** CHUNK_BYTES is roughly how much text is gathered before one write to the socket. */
const CHUNK_BYTES = 256 * 1024

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
 * writeJsonList answers with list as JSON, written in chunks of about CHUNK_BYTES. It waits for 'drain' when the
 * socket's buffer is full, so the items are read from the store only as fast as the client takes them.
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

async function writeArray<T>(
  res: Response,
  head: string,
  items: Iterable<T>,
  encode: (item: T) => string,
  tail: string,
): Promise<void> {
  let parts: string[] = [head]
  let size = head.length
  let first = true
  try {
    for (const it of items) {
      const text = encode(it)
      parts.push(first ? text : ',' + text)
      first = false
      size += text.length + 1
      if (size >= CHUNK_BYTES) {
        if (res.destroyed) return
        const ok = res.write(parts.join(''))
        parts = []
        size = 0
        if (!ok) await drained(res)
      }
    }
  } catch (err) {
    // Before the first write the caller still answers with a Status; after it, only cutting the body short
    // tells the client the list is incomplete (the apiserver does the same mid-stream).
    if (!res.headersSent) throw err
    res.destroy(err as Error)
    return
  }
  parts.push(tail)
  if (!res.destroyed) res.end(parts.join(''))
}

/** drained resolves when the response can take more, or when the client went away. */
function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done)
      res.off('close', done)
      resolve()
    }
    res.on('drain', done)
    res.on('close', done)
  })
}
