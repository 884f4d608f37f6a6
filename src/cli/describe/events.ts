// events.ts finds the events about an object and prints the Events section. Follows kubectl/pkg/describe/describe.go
// (searchEvents, DescribeEvents) and kubectl/pkg/util/event (SortableEvents): events are listed with a field selector
// on involvedObject name, namespace, kind and uid, sorted by lastTimestamp, and printed with their ages.
import {humanDuration} from '../../api/duration.js'
import {apiPath, listAll, type DescribeContext} from './context.js'
import {str, type Obj} from './format.js'
import {goSort} from './gosort.js'
import {LEVEL_0, LEVEL_1, type PrefixWriter} from './prefix-writer.js'

/** EventRef is what events are matched on (an ObjectReference). */
export interface EventRef {
  name: string
  namespace: string
  kind?: string
  uid?: string
}

/** refFor builds the reference searchEvents uses for an object (reference.GetReference). */
export function refFor(obj: Obj, kind = str(obj.kind)): EventRef {
  return {
    name: str(obj.metadata?.name),
    namespace: str(obj.metadata?.namespace),
    kind,
    uid: str(obj.metadata?.uid),
  }
}

/**
 * searchEvents lists the events about ref in its namespace (all namespaces for cluster-scoped objects), in chunks;
 * undefined when the list fails, as describers ignore that error.
 */
export async function searchEvents(ctx: DescribeContext, ref: EventRef): Promise<Obj[] | undefined> {
  const terms = [`involvedObject.name=${ref.name}`, `involvedObject.namespace=${ref.namespace}`]
  if (ref.kind) terms.push(`involvedObject.kind=${ref.kind}`)
  if (ref.uid) terms.push(`involvedObject.uid=${ref.uid}`)
  try {
    return await listAll(ctx, apiPath('', 'v1', ref.namespace || undefined, 'events'), {fieldSelector: terms.join(',')})
  } catch {
    return undefined
  }
}

/** eventsFor searches the events of obj when --show-events is on; undefined otherwise. */
export async function eventsFor(ctx: DescribeContext, obj: Obj, kind?: string): Promise<Obj[] | undefined> {
  if (!ctx.settings.showEvents) return undefined
  return (await searchEvents(ctx, refFor(obj, kind ?? str(obj.kind)))) ?? []
}

function microSince(ts: string | undefined | null, now: number): string {
  if (!ts) return '<unknown>'
  const t = Date.parse(ts)
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t)
}

function lastTime(e: Obj): number {
  const t = e.lastTimestamp ? Date.parse(e.lastTimestamp) : NaN
  // An unset lastTimestamp is Go's zero time, before every real one.
  return Number.isNaN(t) ? -Infinity : t
}

/** describeEvents writes the Events section (DescribeEvents); the writer is flushed first so it aligns on its own. */
export function describeEvents(events: Obj[], w: PrefixWriter, now: number): void {
  if (events.length === 0) {
    w.write(LEVEL_0, 'Events:\t<none>\n')
    return
  }
  w.flush()
  const sorted = goSort(events, (a, b) => lastTime(a) < lastTime(b))
  w.write(LEVEL_0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n')
  w.write(LEVEL_1, '----\t------\t----\t----\t-------\n')
  for (const e of sorted) {
    let first = microSince(e.eventTime, now)
    if (!e.eventTime) first = microSince(e.firstTimestamp, now)
    let interval: string
    if (e.series) interval = `${microSince(e.series.lastObservedTime, now)} (x${e.series.count ?? 0} over ${first})`
    else if ((e.count ?? 0) > 1) interval = `${microSince(e.lastTimestamp, now)} (x${e.count} over ${first})`
    else interval = first
    const source = e.source?.component || str(e.reportingComponent)
    w.write(LEVEL_1, `${str(e.type)}\t${str(e.reason)}\t${interval}\t${source}\t${str(e.message).trim()}\n`)
  }
}
