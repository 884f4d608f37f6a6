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

/** Subscribers are one prefix's subscribers; seq orders prefixes by when they were first subscribed to. */
interface Subscribers {
  seq: number
  /** list is replaced, never changed, when a subscriber comes or goes, so a delivery in progress keeps its copy. */
  list: readonly Subscriber[]
}

/** WatchHub keeps the subscribers by prefix and delivers committed rows to them as StoreEvents. */
export class WatchHub {
  private readonly byPrefix = new Map<string, Subscribers>()
  private seq = 0
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
    for (const subs of this.byPrefix.values()) n += subs.list.length
    return n
  }

  /** subscribe registers listener for keys under prefix and returns the function that removes it. */
  subscribe(prefix: string, listener: StoreListener): () => void {
    const sub: Subscriber = {listener, active: true}
    const subs = this.byPrefix.get(prefix)
    if (subs) subs.list = [...subs.list, sub]
    else this.byPrefix.set(prefix, {seq: this.seq++, list: [sub]})
    return () => {
      if (!sub.active) return
      sub.active = false
      const cur = this.byPrefix.get(prefix)
      if (!cur) return
      cur.list = cur.list.filter((s) => s !== sub)
      if (cur.list.length === 0) this.byPrefix.delete(prefix)
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

  /**
   * matching finds the prefixes a key falls under by looking up the key itself and each of its ancestors that
   * ends in '/' (a handful of map lookups, where walking every subscribed prefix cost one test per informer and
   * watch for every row), in the order the prefixes were first subscribed to.
   */
  private matching(key: string): [string, Subscribers][] {
    const out: [string, Subscribers][] = []
    const exact = this.byPrefix.get(key)
    if (exact && !key.endsWith('/')) out.push([key, exact])
    for (let i = key.indexOf('/'); i >= 0; i = key.indexOf('/', i + 1)) {
      const prefix = key.slice(0, i + 1)
      const subs = this.byPrefix.get(prefix)
      if (subs) out.push([prefix, subs])
    }
    if (out.length > 1) out.sort((a, b) => a[1].seq - b[1].seq)
    return out
  }

  private deliver(row: LogRow): void {
    let event: StoreEvent | undefined
    for (const [prefix, subs] of this.matching(row.key)) {
      // subs.list is not changed in place: a listener may subscribe or unsubscribe while being told.
      for (const sub of subs.list) {
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
