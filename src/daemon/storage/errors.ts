// errors.ts maps what SQLite can fail with into the answers the apiserver gives for the matching etcd failures, so
// a full disk or a read-only database reaches clients as a clear 500 Status instead of a raw driver message, and
// an object too big for one storage request is refused as etcd refuses it (etcd's --max-request-bytes).
import {StatusError, internalError} from '../../api/errors.js'

/**
 * MAX_REQUEST_BYTES is etcd's default --max-request-bytes (1.5 MiB, etcd server/embed/config.go
 * DefaultMaxRequestBytes): a write whose stored value and key exceed it is refused. mkctl stores JSON where the
 * apiserver stores protobuf, so the same object is a little bigger here; the limit is applied to what is stored.
 */
export const MAX_REQUEST_BYTES = 1536 * 1024

/**
 * requestTooLarge is the error etcd's server returns for such a write (rpctypes.ErrRequestTooLarge). The apiserver
 * passes it through unconverted (storeerr.InterpretCreateError/InterpretUpdateError leave it alone) and
 * responsewriters.ErrorToAPIStatus makes it a 500 with reason Unknown (empty, so omitted) and the etcd message,
 * which kubectl prints as `Error from server: etcdserver: request is too large`.
 */
export function requestTooLarge(): StatusError {
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'etcdserver: request is too large',
    code: 500,
  })
}

/** checkRequestSize throws requestTooLarge when one stored row (key plus value) is over MAX_REQUEST_BYTES. */
export function checkRequestSize(key: string, value: string): void {
  // value.length counts UTF-16 units: a cheap lower bound first, the exact UTF-8 size only near the limit.
  if (key.length + value.length * 3 <= MAX_REQUEST_BYTES) return
  if (Buffer.byteLength(key) + Buffer.byteLength(value) > MAX_REQUEST_BYTES) throw requestTooLarge()
}

/** faultKinds names, by SQLite primary result code, the storage conditions clients are told about. */
const faultKinds: Record<string, string> = {
  SQLITE_FULL: 'storage is full',
  SQLITE_READONLY: 'storage is read-only',
  SQLITE_IOERR: 'storage I/O error',
  SQLITE_CORRUPT: 'storage is corrupt',
  SQLITE_NOTADB: 'storage is corrupt',
  SQLITE_CANTOPEN: 'storage cannot be opened',
  SQLITE_NOMEM: 'storage is out of memory',
  SQLITE_BUSY: 'storage is busy',
  SQLITE_LOCKED: 'storage is busy',
  SQLITE_PROTOCOL: 'storage is busy',
}

/**
 * isStorageFault tells whether err is a SQLite failure of the storage itself (disk full, read-only, I/O, corrupt,
 * busy), as opposed to a constraint the store handles (UNIQUE → conflict) or a programming error.
 */
export function isStorageFault(err: unknown): boolean {
  return storageFaultKind(err) !== undefined
}

function storageFaultKind(err: unknown): string | undefined {
  if (!(err instanceof Error) || err.name !== 'SqliteError') return undefined
  const code = String((err as {code?: unknown}).code ?? '')
  // Extended codes (SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED, ...) share their primary code's meaning.
  const primary = /^SQLITE_[A-Z]+/.exec(code)?.[0] ?? code
  return faultKinds[primary]
}

/**
 * storageFault returns err as the apiserver's 500 InternalError when it is a storage fault, worded
 * `Internal error occurred: storage is full: database or disk is full (SQLITE_FULL)`; any other error is returned
 * as it is. The SQLite error stays as the cause.
 */
export function storageFault(err: unknown): unknown {
  const kind = storageFaultKind(err)
  if (!kind) return err
  const e = err as Error & {code?: string}
  const mapped = internalError(`${kind}: ${e.message} (${e.code})`)
  ;(mapped as Error).cause = err
  return mapped
}

/** transactionLost is the error of a write attempted after SQLite rolled back the enclosing transaction itself. */
export function transactionLost(): StatusError {
  return internalError(
    'storage failed during a transaction and rolled it back: the remaining writes of the request were not made',
  )
}
