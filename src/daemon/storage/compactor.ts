// compactor.ts runs Store.compact on a timer (kine pkg/logstructured/sqllog/sql.go compactor, itself after
// apiserver/pkg/storage/etcd3/compact.go): each tick compacts to the current revision minus minRetain, in small
// batches, then truncates the WAL so the file does not grow with history already removed. The timer functions
// are injectable so tests and the virtual clock drive it; automatic compaction is off in tests.
import type {Store} from './store.js'

/** CompactorOptions configures startCompactor. */
export interface CompactorOptions {
  intervalMs: number
  /** minRetain is how many of the newest revisions every tick keeps (default 1000). */
  minRetain?: number
  /**
   * keepInterval keeps every revision written since the previous tick, as kube-apiserver compacts to the revision it
   * saw one interval earlier (compact.go): a paged list or a watch may then take up to one interval to catch up
   * before its revision is compacted (410), however fast the cluster writes.
   */
  keepInterval?: boolean
  /** batchSize is how many revisions one compaction transaction covers (default 500). */
  batchSize?: number
  setInterval?: (fn: () => void, ms: number) => unknown
  clearInterval?: (handle: any) => void
  log?: (msg: string) => void
}

/** Compactor is a running compaction timer. */
export interface Compactor {
  /** tick compacts once now; returns the compact revision after it. */
  tick(): number
  stop(): void
}

/** startCompactor compacts store every intervalMs until stopped. A failing tick is logged, never thrown. */
export function startCompactor(store: Store, opts: CompactorOptions): Compactor {
  const minRetain = opts.minRetain ?? 1000
  const batchSize = opts.batchSize ?? 500
  const set = opts.setInterval ?? ((fn: () => void, ms: number) => setInterval(fn, ms).unref())
  const clear = opts.clearInterval ?? ((h: any) => clearInterval(h))
  const log = opts.log ?? (() => {})
  let previous = store.currentRevision()
  const tick = (): number => {
    const before = store.compactRevision()
    let target = store.currentRevision() - minRetain
    if (opts.keepInterval) {
      target = Math.min(target, previous)
      previous = store.currentRevision()
    }
    const after = store.compact(target, {minRetain, batchSize})
    if (after > before) {
      store.checkpoint()
      log(`compacted revisions ${before} to ${after}`)
    }
    return after
  }
  let stopped = false
  const handle = set(() => {
    if (stopped) return
    try {
      tick()
    } catch (err) {
      log(`compaction failed: ${(err as Error)?.message ?? err}`)
    }
  }, opts.intervalMs)
  return {
    tick,
    stop() {
      if (stopped) return
      stopped = true
      clear(handle)
    },
  }
}
