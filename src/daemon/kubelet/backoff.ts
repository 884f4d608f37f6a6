// backoff.ts: per-key exponential back-off on the cluster clock, after client-go's util/flowcontrol/backoff.go as
// the kubelet uses it: container restarts (kuberuntime_manager.go doBackOff) and image pulls (images/image_manager.go),
// both 10 s doubling to 5 min, no jitter. An entry untouched for twice the maximum is forgotten, which is how a
// container that ran for 10 minutes gets its back-off reset.

/** BackoffEntry is one key's state: the current delay and when it was last raised. */
export interface BackoffEntry {
  backoffMs: number
  lastUpdate: number
}

/** Backoff keeps one delay per key. */
export class Backoff {
  private readonly entries = new Map<string, BackoffEntry>()

  constructor(
    readonly initialMs = 10_000,
    readonly maxMs = 300_000,
  ) {}

  private expired(eventTime: number, e: BackoffEntry): boolean {
    return eventTime - e.lastUpdate > this.maxMs * 2
  }

  /** get is the current delay of key (0 when none). */
  get(key: string): number {
    return this.entries.get(key)?.backoffMs ?? 0
  }

  /** next raises key's delay (initial for a new or expired entry, else doubled up to max) and stamps it at now. */
  next(key: string, eventTime: number, now: number): void {
    const e = this.entries.get(key)
    if (!e || this.expired(eventTime, e)) this.entries.set(key, {backoffMs: this.initialMs, lastUpdate: now})
    else this.entries.set(key, {backoffMs: Math.min(e.backoffMs * 2, this.maxMs), lastUpdate: now})
  }

  /** inBackOffSince says whether now is still within key's delay counted from eventTime (IsInBackOffSince). */
  inBackOffSince(key: string, eventTime: number, now: number): boolean {
    const e = this.entries.get(key)
    if (!e || this.expired(eventTime, e)) return false
    return now - eventTime < e.backoffMs
  }

  /** inBackOffSinceUpdate says whether now is within key's delay counted from its last raise. */
  inBackOffSinceUpdate(key: string, now: number): boolean {
    const e = this.entries.get(key)
    if (!e || this.expired(now, e)) return false
    return now - e.lastUpdate < e.backoffMs
  }

  /** until is when key's delay (counted from eventTime) ends, or undefined without an entry. */
  until(key: string, eventTime: number): number | undefined {
    const e = this.entries.get(key)
    return e ? eventTime + e.backoffMs : undefined
  }

  /** untilUpdate is when key's delay counted from its last raise ends. */
  untilUpdate(key: string): number | undefined {
    const e = this.entries.get(key)
    return e ? e.lastUpdate + e.backoffMs : undefined
  }

  /** restore seeds an entry (a restarted daemon re-reads a CrashLoopBackOff's delay from the pod status). */
  restore(key: string, entry: BackoffEntry): void {
    this.entries.set(key, entry)
  }

  /** forgetPrefix drops every key starting with prefix (a deleted pod's entries). */
  forgetPrefix(prefix: string): void {
    for (const k of this.entries.keys()) if (k.startsWith(prefix)) this.entries.delete(k)
  }

  /** clear drops everything (a rebooted node's kubelet starts with empty memory). */
  clear(): void {
    this.entries.clear()
  }
}
