// checkpointer.ts moves SQLite's WAL checkpoints off the daemon's thread. By default the connection that commits
// also checkpoints: every ~1,000 pages of WAL one COMMIT copies them back into the database file, on the thread
// that runs the API, the controllers and the kubelets. Here a worker thread holds a second connection to the same
// file and runs PASSIVE checkpoints (they never block the writer, and the writer never waits for them) when the
// store tells it enough rows were committed. The main connection keeps a larger automatic checkpoint as a valve
// (below), and goes back to SQLite's default if the worker cannot run.
//
// Measured with bench/sim.ts (1,000-pod scale-out, 10 nodes, A/B in alternating runs): ~10 % more pods per second
// with no checkpoint on the main thread during the burst.
import {createRequire} from 'node:module'
import {Worker} from 'node:worker_threads'
import type {Database} from 'better-sqlite3'

/** DEFAULT_AUTOCHECKPOINT is SQLite's own wal_autocheckpoint (pages), restored when the worker is gone. */
const DEFAULT_AUTOCHECKPOINT = 1000
/**
 * VALVE_AUTOCHECKPOINT is the main connection's own checkpoint while the worker runs. Under writes that never
 * pause (a 100k-pod scale-out) the worker's PASSIVE checkpoints never catch up with the last frame, and SQLite
 * starts the WAL over only after a checkpoint that did: this one, on the writer's thread, copies just the frames
 * the worker has not (it starts where the worker stopped) and lets the WAL restart at 16 MiB or so.
 */
const VALVE_AUTOCHECKPOINT = 4000
/** REQUEST_ROWS is how many committed rows make one checkpoint request (a row is one to two pages of WAL). */
export const REQUEST_ROWS = 256
/** STOP_WAIT_MS bounds how long stop waits for the worker to close its connection. */
const STOP_WAIT_MS = 10_000

/** Checkpointer is a running checkpoint worker. */
export interface Checkpointer {
  /** committed counts rows just committed; past REQUEST_ROWS it asks the worker for a checkpoint. */
  committed(rows: number): void
  /**
   * stop ends the worker and returns once its connection is closed (a running checkpoint finishes first), so
   * the main connection is the last one and closing it folds and removes the WAL as SQLite does alone. A
   * connection closing later could otherwise remove the WAL file of a database restored under the same name.
   */
  stop(): void
  /** settled resolves when no checkpoint is requested or running (tests). */
  settled(): Promise<void>
}

// The worker is a CommonJS script evaluated from this string, so it needs no file of its own next to the bundle.
const WORKER_SOURCE = `
const {parentPort, workerData} = require('node:worker_threads')
const Database = require(workerData.driver)
let db
try {
  db = new Database(workerData.path, {fileMustExist: true})
  db.pragma('busy_timeout = 0')
} catch (err) {
  Atomics.store(workerData.closed, 0, 1)
  throw err
}
parentPort.on('message', (m) => {
  if (m === 'stop') {
    try {
      db.close()
    } finally {
      Atomics.store(workerData.closed, 0, 1)
      Atomics.notify(workerData.closed, 0)
      parentPort.close()
    }
    return
  }
  let error
  try {
    db.pragma('wal_checkpoint(PASSIVE)')
  } catch (err) {
    // SQLITE_BUSY: another checkpoint (the compactor's TRUNCATE) runs; the next request catches up.
    if (err && err.code !== 'SQLITE_BUSY') error = String(err && err.message)
  }
  parentPort.postMessage(error ? {error} : 'done')
})
`

/**
 * startCheckpointer starts the worker for the database file at path, opened by db (a WAL database). Returns
 * undefined for an in-memory database. log hears a worker that failed.
 */
export function startCheckpointer(
  db: Database,
  path: string,
  log: (msg: string) => void = () => {},
): Checkpointer | undefined {
  if (db.memory) return undefined
  const driver = createRequire(import.meta.url).resolve('better-sqlite3')
  const closed = new Int32Array(new SharedArrayBuffer(4))
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {driver, path, closed},
    resourceLimits: {maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4},
  })
  worker.unref()
  db.pragma(`wal_autocheckpoint = ${VALVE_AUTOCHECKPOINT}`)
  let rows = 0
  let inFlight = false
  let alive = true
  let waiters: Array<() => void> = []
  const wake = () => {
    const w = waiters
    waiters = []
    for (const f of w) f()
  }
  const gone = () => {
    if (!alive) return
    alive = false
    inFlight = false
    // The valve becomes SQLite's default again: checkpoints return to the committing thread, as before.
    if (db.open) db.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT}`)
    wake()
  }
  worker.on('message', (m: unknown) => {
    inFlight = false
    if (typeof m === 'object' && m && 'error' in m) log(`wal checkpoint: ${(m as {error: string}).error}`)
    wake()
  })
  worker.on('error', (err) => {
    log(`wal checkpoint worker: ${err.message}`)
    gone()
  })
  worker.on('exit', gone)
  return {
    committed(n) {
      rows += n
      if (rows < REQUEST_ROWS || inFlight || !alive) return
      rows = 0
      inFlight = true
      worker.postMessage('check')
    },
    stop() {
      if (!alive) return
      alive = false
      inFlight = false
      worker.postMessage('stop')
      Atomics.wait(closed, 0, 0, STOP_WAIT_MS)
      wake()
    },
    settled() {
      return !inFlight ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve))
    },
  }
}
