// watch-hub.ts fans committed log rows out to watchers (kine's pkg/broadcaster, without the poll loop: one
// process owns the database, so every write passes through here after its commit and no gap can occur).
//
// Delivery is synchronous and strictly in revision order. A listener may write to the store while it is being
// told of an event; the rows of that write are queued behind the ones being delivered rather than delivered
// inside them, so every listener still sees revisions in increasing order. A listener that throws is logged and
// skipped; it never stops the others.
import type {LogRow} from './log-store.js'

/** StoreEvent is one change of a key as a watcher sees it. */
export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED'
  key: string
  /** rev is the revision of the change (for DELETED, the tombstone's). */
  rev: number
  /** object is the new state; for DELETED the last state, stamped with the tombstone's revision. */
  object: any
  /** prev is the state before the change, stamped with its own revision; absent on ADDED. */
  prev?: any
}

/** StoreListener receives events; the objects are shared by every listener and must not be mutated. */
export type StoreListener = (e: StoreEvent) => void

/** matchesPrefix says whether key falls under a watch/list prefix: a prefix ends in '/', else it is an exact key. */
export function matchesPrefix(prefix: string, key: string): boolean {
  return prefix.endsWith('/') ? key.startsWith(prefix) : key === prefix
}

interface Subscriber {
  listener: StoreListener
  active: boolean
}

/** WatchHub keeps the subscribers by prefix and delivers committed rows to them as StoreEvents. */
export class WatchHub {
  private readonly byPrefix = new Map<string, Set<Subscriber>>()
  private queue: LogRow[] = []
  private head = 0
  private draining = false

  constructor(
    private readonly toEvent: (row: LogRow) => StoreEvent,
    private readonly log: (msg: string) => void = () => {},
  ) {}

  /** size is the number of live subscriptions. */
  get size(): number {
    let n = 0
    for (const subs of this.byPrefix.values()) n += subs.size
    return n
  }

  /** subscribe registers listener for keys under prefix and returns the function that removes it. */
  subscribe(prefix: string, listener: StoreListener): () => void {
    const sub: Subscriber = {listener, active: true}
    let subs = this.byPrefix.get(prefix)
    if (!subs) this.byPrefix.set(prefix, (subs = new Set()))
    subs.add(sub)
    return () => {
      if (!sub.active) return
      sub.active = false
      const set = this.byPrefix.get(prefix)
      set?.delete(sub)
      if (set && set.size === 0) this.byPrefix.delete(prefix)
    }
  }

  /** publish delivers committed rows, in the order given (increasing revision), to every matching subscriber. */
  publish(rows: readonly LogRow[]): void {
    if (rows.length === 0) return
    if (this.byPrefix.size === 0 && !this.draining) return
    for (const r of rows) this.queue.push(r)
    if (this.draining) return
    this.draining = true
    try {
      while (this.head < this.queue.length) {
        const row = this.queue[this.head++]
        this.deliver(row)
      }
    } finally {
      this.queue = []
      this.head = 0
      this.draining = false
    }
  }

  private deliver(row: LogRow): void {
    let event: StoreEvent | undefined
    for (const [prefix, subs] of this.byPrefix) {
      if (!matchesPrefix(prefix, row.key)) continue
      // Copy: a listener may subscribe or unsubscribe while being told.
      for (const sub of [...subs]) {
        if (!sub.active) continue
        try {
          event ??= this.toEvent(row)
          sub.listener(event)
        } catch (err) {
          this.log(`watch listener on ${prefix} failed at revision ${row.id}: ${(err as Error)?.stack ?? err}`)
        }
      }
    }
  }
}
