// row-warmer.ts makes the Table rows of changed pods once the pods have been quiet for a moment, so the `get pods`
// that follows a rollout is answered from the row cache (list-stream.ts) as the next ones are. At 100,000 pods the
// first list after a scale-out otherwise converted every row itself: 2.9 s of daemon CPU against 1.3 s for the next
// one (measured). kube-apiserver's watch cache keeps its objects decoded ahead of lists in the same spirit. The
// warming reads the informers' objects, writes nothing and draws nothing, and runs in slices with a turn of the
// event loop between them; any pod change puts it back to waiting. The pods there at start are made the same way.
import {storagePrefix, type ResourceInfo} from '../../api/resources.js'
import type {Informer} from '../controllers/framework/informer.js'
import {keyOf} from '../controllers/framework/types.js'
import type {TableConvertor} from '../registry/tables/index.js'
import type {Store} from '../storage/store.js'
import {rowCacheOf} from './list-stream.js'

/** RowWarmerOptions configures startRowWarmer; the timer functions are injectable for tests. */
export interface RowWarmerOptions {
  /** quietMs is how long the resource must go without a change before its changed rows are made. */
  quietMs: number
  /** slice is how many rows one turn makes (default 2,000, some tens of milliseconds). */
  slice?: number
  now?: () => number
  setTimeout?: (fn: () => void, ms: number) => unknown
  clearTimeout?: (handle: any) => void
  nextTurn?: (fn: () => void) => void
}

/** RowWarmer is a running warmer. */
export interface RowWarmer {
  /** pending is how many changed objects wait for their row (tests). */
  readonly pending: number
  stop(): void
}

/**
 * startRowWarmer keeps the row cache of store current for the objects of r that informer holds, converted by conv
 * (the convertor Table lists of r use, or the cache would not match it).
 */
export function startRowWarmer(
  store: Store,
  r: ResourceInfo,
  informer: Informer,
  conv: TableConvertor,
  opts: RowWarmerOptions,
): RowWarmer {
  // A convertor without prepare has no cacheable rows (lists of its kind take the general path): nothing to warm.
  if (!conv.prepare) return {pending: 0, stop() {}}
  const prepared = conv as TableConvertor & {prepare: NonNullable<TableConvertor['prepare']>}
  const cache = rowCacheOf(store)
  const base = storagePrefix(r, undefined)
  const slice = Math.max(1, opts.slice ?? 2000)
  const now = opts.now ?? Date.now
  const setT = opts.setTimeout ?? ((fn: () => void, ms: number) => setTimeout(fn, ms).unref())
  const clearT = opts.clearTimeout ?? ((h: any) => clearTimeout(h))
  const nextTurn = opts.nextTurn ?? ((fn: () => void) => void setImmediate(fn))
  /** changed holds the informer keys changed since their row was last made, in change order. */
  const changed = new Set<string>()
  let lastChange = 0
  let timer: unknown
  let warming = false
  let stopped = false

  const arm = (ms: number) => {
    if (timer === undefined && !warming && !stopped) timer = setT(wake, ms)
  }
  const wake = () => {
    timer = undefined
    const quietFor = now() - lastChange
    if (quietFor < opts.quietMs) return arm(opts.quietMs - quietFor)
    warming = true
    step()
  }
  const step = () => {
    if (stopped) return
    // A change since the slice began: the burst goes on, wait for quiet again.
    if (now() - lastChange < opts.quietMs) {
      warming = false
      return arm(opts.quietMs)
    }
    let n = 0
    for (const key of changed) {
      if (n++ >= slice) break
      changed.delete(key)
      const obj = informer.getByKey(key)
      const rev = Number(obj?.metadata?.resourceVersion)
      if (obj && Number.isInteger(rev)) cache.warm({key: base + key, rev}, prepared, obj)
    }
    if (changed.size > 0) return nextTurn(step)
    warming = false
  }

  informer.onChange((type, obj) => {
    if (stopped) return
    const key = keyOf(obj)
    if (type === 'DELETED') {
      changed.delete(key)
      cache.forget(base + key)
      return
    }
    changed.add(key)
    lastChange = now()
    arm(opts.quietMs)
  })
  // The objects already there when the daemon starts (a restart begins with an empty cache) are made too.
  for (const o of informer.list()) changed.add(keyOf(o))
  if (changed.size > 0) {
    lastChange = now()
    arm(opts.quietMs)
  }

  return {
    get pending() {
      return changed.size
    },
    stop() {
      stopped = true
      if (timer !== undefined) clearT(timer)
      timer = undefined
      changed.clear()
    },
  }
}
