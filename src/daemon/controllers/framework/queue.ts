// queue.ts: a deduplicating work queue (client-go util/workqueue): a key waits in the queue at most once, is
// never handed to two workers at once, and a key added while it is being processed is queued again once done.
// Delayed adds run on the cluster clock; rate-limited retries back off per key.
import type {Clock, Timer} from '../../clock.js'

/** WorkQueue holds keys to sync. */
export class WorkQueue {
  private readonly order: string[] = []
  private head = 0
  private readonly queued = new Set<string>()
  private readonly processing = new Set<string>()
  private readonly dirty = new Set<string>()
  private readonly failures = new Map<string, number>()
  private readonly delayed = new Map<string, {at: number; timer: Timer}>()
  /** realRetries counts short retries waiting on a real timer (they keep the queue from being idle). */
  private realRetries = 0
  private waiter?: () => void
  private shuttingDown = false

  constructor(private readonly clock: Clock) {}

  /** add queues key unless it is already waiting. */
  add(key: string): void {
    if (this.shuttingDown) return
    if (this.processing.has(key)) {
      this.dirty.add(key)
      return
    }
    if (this.queued.has(key)) return
    this.queued.add(key)
    this.order.push(key)
    const w = this.waiter
    this.waiter = undefined
    w?.()
  }

  /** addAfter queues key once ms of clock time have passed; an earlier pending add for the key wins. */
  addAfter(key: string, ms: number): void {
    if (this.shuttingDown) return
    if (ms <= 0) return this.add(key)
    const at = this.clock.now() + ms
    const existing = this.delayed.get(key)
    if (existing && existing.at <= at) return
    existing?.timer.cancel()
    const timer = this.clock.setTimeout(() => {
      this.delayed.delete(key)
      this.add(key)
    }, ms)
    this.delayed.set(key, {at, timer})
  }

  /**
   * addRateLimited retries key with per-key exponential back-off (5 ms doubling, as client-go's default
   * controller rate limiter). The first retries wait in real time, since they only get past a conflict with a
   * write the cache has already seen; from the sixth on they wait on the cluster clock, up to 5 minutes.
   */
  addRateLimited(key: string): void {
    const n = this.failures.get(key) ?? 0
    this.failures.set(key, n + 1)
    const ms = Math.min(5 * 2 ** n, 300_000)
    if (n < 5) {
      this.realRetries++
      const t = setTimeout(() => {
        this.realRetries--
        this.add(key)
      }, ms)
      t.unref?.()
      return
    }
    this.addAfter(key, ms)
  }

  /** forget clears the key's failure count after a successful sync. */
  forget(key: string): void {
    this.failures.delete(key)
  }

  /** failuresOf is how many times in a row the key has failed. */
  failuresOf(key: string): number {
    return this.failures.get(key) ?? 0
  }

  /** get waits for the next key, marking it processing; undefined once shut down. */
  async get(): Promise<string | undefined> {
    while (this.head >= this.order.length) {
      if (this.shuttingDown) return undefined
      // An idle worker wakes in the same turn (a microtask), before the next request is read: a wake on a later
      // turn (setImmediate) coalesced bursts but let client requests interleave with syncs, so twin clusters'
      // seeded draws (names, container ids) came out in different orders.
      await new Promise<void>((resolve) => (this.waiter = resolve))
    }
    const key = this.order[this.head++]!
    if (this.head > 1024 && this.head * 2 > this.order.length) {
      this.order.splice(0, this.head)
      this.head = 0
    }
    this.queued.delete(key)
    this.processing.add(key)
    return key
  }

  /** done ends processing of key; if it changed meanwhile it is queued again. */
  done(key: string): void {
    this.processing.delete(key)
    if (this.dirty.delete(key)) this.add(key)
  }

  /** len is the number of keys waiting now. */
  get len(): number {
    return this.order.length - this.head
  }

  /** busy: keys wait, are being processed, or a short retry is pending (delayed clock adds do not count). */
  get busy(): boolean {
    return this.len > 0 || this.processing.size > 0 || this.realRetries > 0
  }

  /** shutDown wakes the worker and drops delayed adds. */
  shutDown(): void {
    this.shuttingDown = true
    for (const d of this.delayed.values()) d.timer.cancel()
    this.delayed.clear()
    const w = this.waiter
    this.waiter = undefined
    w?.()
  }
}
