// events.ts: an event recorder in the shape of client-go's tools/record: core/v1 Events named
// `<object>.<hex time>`, with the source component (and host for the kubelet), and the EventCorrelator
// (tools/record/events_cache.go) on the cluster clock:
//   - aggregation of similar events: once one source has reported 10 different messages with the same object, type
//     and reason within 10 minutes, the next ones become one Event "(combined from similar events): <message>"
//     whose count grows (a ReplicaSet scaled to 1,000 shows 9 "Created pod" Events and one combined);
//   - the same object, type, reason and message again bumps `count` and `lastTimestamp` on the stored Event
//     instead of making a new one ("(x4 over 2m)" in describe);
//   - the spam filter: each source may write 25 Events (or count bumps) about one object, then one more per
//     5 minutes; the rest are dropped (their counts still add up in the next bump that passes).
// Writes are buffered and flushed in one transaction per tick, so a burst of pods costs one commit for its events.
import type {KubeObject} from '../../../api/object.js'
import {rfc3339, type Clock} from '../../clock.js'
import type {Client} from './client.js'

/** EventSource says who reports (source.component / reportingComponent) and, for kubelets, the host. */
export interface EventSource {
  component: string
  host?: string
}

/** EventOptions refine one event. */
export interface EventOptions {
  /** fieldPath points into the object, e.g. "spec.containers{nginx}" for a container's events. */
  fieldPath?: string
  source?: EventSource
}

interface Pending {
  obj: KubeObject
  type: 'Normal' | 'Warning'
  reason: string
  message: string
  opts: EventOptions
  at: number
}

/** EventRecorder records Events about objects. */
export class EventRecorder {
  private readonly s: {
    pending: Pending[]
    scheduled: boolean
    seq: number
    /** seen maps an Event's key to its count and, once written, the stored Event (an LRU of the newest 4096). */
    seen: Map<string, {namespace: string; name?: string; count: number}>
    /** similar maps an aggregation key to the messages seen with it since `at` (events_cache.go's aggregate records). */
    similar: Map<string, {messages: Set<string>; at: number}>
    /** spam maps a source and object to its token bucket. */
    spam: Map<string, {tokens: number; at: number}>
  }

  constructor(
    private readonly client: Client,
    private readonly clock: Clock,
    private readonly defaultSource: EventSource = {component: 'kube-controller-manager'},
    private readonly onError: (msg: string) => void = () => {},
    shared?: EventRecorder,
  ) {
    this.s = shared
      ? shared.s
      : {pending: [], scheduled: false, seq: 0, seen: new Map(), similar: new Map(), spam: new Map()}
  }

  /** withSource returns a recorder reporting as another component; it shares this one's buffer. */
  withSource(source: EventSource): EventRecorder {
    return new EventRecorder(this.client, this.clock, source, this.onError, this)
  }

  /** busy says whether events wait to be written. */
  get busy(): boolean {
    return this.s.pending.length > 0
  }

  /** normal records a Normal event. */
  normal(obj: KubeObject, reason: string, message: string, opts: EventOptions = {}): void {
    this.record(obj, 'Normal', reason, message, opts)
  }

  /** warning records a Warning event. */
  warning(obj: KubeObject, reason: string, message: string, opts: EventOptions = {}): void {
    this.record(obj, 'Warning', reason, message, opts)
  }

  /** record queues an event; it is written on the next tick (or by flush()). */
  record(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, opts: EventOptions = {}): void {
    this.s.pending.push({obj, type, reason, message, opts: {source: this.defaultSource, ...opts}, at: this.clock.now()})
    if (!this.s.scheduled) {
      this.s.scheduled = true
      setImmediate(() => this.flush())
    }
  }

  /** flush writes every queued event now, in one transaction. */
  flush(): void {
    this.s.scheduled = false
    const batch = this.s.pending
    this.s.pending = []
    if (batch.length === 0) return
    try {
      this.client.transaction(() => {
        for (const p of batch) this.write(p)
      })
    } catch (e) {
      // Events are best effort, as in client-go: a failure is logged, never retried forever.
      this.onError(`events: ${e instanceof Error ? e.message : String(e)}`)
    }
  }

  private write(p: Pending) {
    const m = p.obj.metadata ?? {}
    const source = p.opts.source ?? this.defaultSource
    const namespace = m.namespace || 'default'
    const involved: Record<string, unknown> = {
      kind: p.obj.kind,
      namespace: m.namespace,
      name: m.name,
      uid: m.uid,
      apiVersion: p.obj.apiVersion,
      resourceVersion: m.resourceVersion,
    }
    if (!m.namespace) delete involved.namespace
    if (p.opts.fieldPath) involved.fieldPath = p.opts.fieldPath
    const object = [p.obj.kind, m.namespace ?? '', m.name, m.uid ?? '', p.obj.apiVersion].join('\x00')
    const who = [source.component, source.host ?? '', object].join('\x00')
    // Aggregation of similar events (EventAggregate): the key leaves out the message and the field path.
    const similarKey = [who, p.type, p.reason].join('\x00')
    let key = [who, p.opts.fieldPath ?? '', p.type, p.reason, p.message].join('\x00')
    let message = p.message
    let similar = this.s.similar.get(similarKey)
    if (!similar || p.at - similar.at > AGGREGATE_INTERVAL_MS) similar = {messages: new Set(), at: p.at}
    similar.at = p.at
    similar.messages.add(key)
    remember(this.s.similar, similarKey, similar)
    if (similar.messages.size >= AGGREGATE_MAX_EVENTS) {
      similar.messages.delete(similar.messages.values().next().value!)
      key = similarKey
      message = `(combined from similar events): ${p.message}`
    }
    // Observe (eventObserve): the count the Event should show, kept even when the spam filter drops this one.
    let seen = this.s.seen.get(key)
    if (seen) seen.count++
    else seen = {namespace, count: 1}
    remember(this.s.seen, key, seen)
    // The spam filter (EventSourceObjectSpamFilter): a token bucket per source and object.
    const bucket = this.s.spam.get(who) ?? {tokens: SPAM_BURST, at: p.at}
    bucket.tokens = Math.min(SPAM_BURST, bucket.tokens + ((p.at - bucket.at) / 1000) * SPAM_QPS)
    bucket.at = p.at
    remember(this.s.spam, who, bucket)
    if (bucket.tokens < 1) return
    bucket.tokens -= 1
    const stamp = rfc3339(p.at)
    if (seen.name !== undefined) {
      const count = seen.count
      try {
        this.client.mutate('events', seen.namespace, seen.name, (ev: any) => {
          ev.count = count
          ev.lastTimestamp = stamp
          ev.message = message
          return ev
        })
        return
      } catch {
        // The Event was deleted (or expired): it is made again, with the count so far (recordToSink's fallback).
      }
    }
    // client-go names events after the object plus the current time in nanoseconds, in hex.
    const nanos = BigInt(p.at) * 1_000_000n + BigInt(this.s.seq++ % 1_000_000)
    const name = `${m.name}.${nanos.toString(16)}`
    const ev: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {name, namespace},
      involvedObject: involved,
      reason: p.reason,
      message,
      source: source.host ? {component: source.component, host: source.host} : {component: source.component},
      firstTimestamp: stamp,
      lastTimestamp: stamp,
      count: seen.count,
      type: p.type,
      eventTime: null,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    }
    this.client.create('events', ev)
    seen.name = name
  }
}

/** AGGREGATE_MAX_EVENTS and AGGREGATE_INTERVAL_MS: similar events combine from the 10th within 10 minutes. */
const AGGREGATE_MAX_EVENTS = 10
const AGGREGATE_INTERVAL_MS = 600_000
/** SPAM_BURST and SPAM_QPS: 25 events per source and object, then one per 5 minutes. */
const SPAM_BURST = 25
const SPAM_QPS = 1 / 300
/** LRU_ENTRIES bounds each of the correlator's caches, as client-go's maxLruCacheEntries. */
const LRU_ENTRIES = 4096

/** remember (re)inserts key as the newest entry of an LRU map, dropping the oldest past LRU_ENTRIES. */
function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key)
  map.set(key, value)
  if (map.size > LRU_ENTRIES) map.delete(map.keys().next().value!)
}
