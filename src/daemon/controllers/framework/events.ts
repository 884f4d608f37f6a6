// events.ts: an event recorder in the shape of client-go's tools/record: core/v1 Events named
// `<object>.<hex time>`, with the source component (and host for the kubelet), and the EventCorrelator's
// aggregation: the same object, type, reason and message again bumps `count` and `lastTimestamp` on the stored
// Event instead of making a new one ("(x4 over 2m)" in describe). Writes are buffered and flushed in one
// transaction per tick, so a burst of pods costs one commit for its events.
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
    /** seen maps an aggregation key to the stored Event's namespace/name (an LRU of the newest 4096). */
    seen: Map<string, {namespace: string; name: string}>
  }

  constructor(
    private readonly client: Client,
    private readonly clock: Clock,
    private readonly defaultSource: EventSource = {component: 'kube-controller-manager'},
    private readonly onError: (msg: string) => void = () => {},
    shared?: EventRecorder,
  ) {
    this.s = shared ? shared.s : {pending: [], scheduled: false, seq: 0, seen: new Map()}
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
    const aggKey = [
      source.component,
      source.host ?? '',
      m.uid ?? m.name,
      p.opts.fieldPath ?? '',
      p.type,
      p.reason,
      p.message,
    ].join('\x00')
    const stamp = rfc3339(p.at)
    const prev = this.s.seen.get(aggKey)
    if (prev) {
      try {
        this.client.mutate('events', prev.namespace, prev.name, (ev: any) => {
          ev.count = (ev.count ?? 1) + 1
          ev.lastTimestamp = stamp
          return ev
        })
        this.s.seen.delete(aggKey)
        this.s.seen.set(aggKey, prev)
        return
      } catch {
        // The Event was deleted (or expired): record a fresh one.
        this.s.seen.delete(aggKey)
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
      message: p.message,
      source: source.host ? {component: source.component, host: source.host} : {component: source.component},
      firstTimestamp: stamp,
      lastTimestamp: stamp,
      count: 1,
      type: p.type,
      eventTime: null,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    }
    this.client.create('events', ev)
    this.s.seen.set(aggKey, {namespace, name})
    if (this.s.seen.size > 4096) this.s.seen.delete(this.s.seen.keys().next().value!)
  }
}
