// compactor.ts runs Store.compact on a timer (kine pkg/logstructured/sqllog/sql.go compactor, itself after
// apiserver/pkg/storage/etcd3/compact.go): each tick compacts to the current revision minus minRetain, in small
// batches (letting the event loop turn every sliceRevisions), then truncates the WAL so the file does not grow with
// history already removed. The timer functions are injectable so tests and the virtual clock drive it; automatic
// compaction is off in tests.
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
  /**
   * sliceRevisions is how many revisions a timer-driven compaction removes before it lets the event loop turn
   * (default 5,000, some tens of milliseconds): after a burst there are hundreds of thousands (100,000 pods wrote
   * ~800,000), and compacting them in one go held every request for seconds.
   */
  sliceRevisions?: number
  /** nextTurn runs fn on a later turn of the event loop (default setImmediate). */
  nextTurn?: (fn: () => void) => void
  setInterval?: (fn: () => void, ms: number) => unknown
  clearInterval?: (handle: any) => void
  log?: (msg: string) => void
}

/** Compactor is a running compaction timer. */
export interface Compactor {
  /** tick compacts once now, in one go; returns the compact revision after it. */
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
  const slice = Math.max(1, opts.sliceRevisions ?? 5000)
  const nextTurn = opts.nextTurn ?? ((fn: () => void) => void setImmediate(fn))
  let previous = store.currentRevision()
  const targetNow = (): number => {
    let target = store.currentRevision() - minRetain
    if (opts.keepInterval) {
      target = Math.min(target, previous)
      previous = store.currentRevision()
    }
    return target
  }
  const finish = (before: number, after: number): number => {
    if (after > before) {
      store.checkpoint()
      log(`compacted revisions ${before} to ${after}`)
    }
    return after
  }
  const tick = (): number => {
    const before = store.compactRevision()
    return finish(before, store.compact(targetNow(), {minRetain, batchSize}))
  }
  let stopped = false
  /** running: a timer-driven compaction is under way (a tick that finds one running does nothing). */
  let running = false
  const step = (before: number, target: number): void => {
    try {
      const upTo = Math.min(target, store.compactRevision() + slice)
      const after = store.compact(upTo, {minRetain, batchSize})
      if (!stopped && after < target && after === upTo) {
        nextTurn(() => step(before, target))
        return
      }
      running = false
      finish(before, after)
    } catch (err) {
      running = false
      log(`compaction failed: ${(err as Error)?.message ?? err}`)
    }
  }
  const handle = set(() => {
    if (stopped || running) return
    running = true
    let target: number
    try {
      target = targetNow()
    } catch (err) {
      running = false
      log(`compaction failed: ${(err as Error)?.message ?? err}`)
      return
    }
    step(store.compactRevision(), target)
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
