// clock.ts: the daemon's only source of time. Everything that waits (watch timeouts, bookmarks, compaction,
// later the kubelet's stages and back-offs) asks a Clock, so tests use a FakeClock and `mkctl cluster time
// advance` can move a running cluster's clock forward. Follows k8s.io/utils/clock (RealClock / FakeClock).

/** Timer is a scheduled callback that can be cancelled. */
export interface Timer {
  cancel(): void
}

/** Clock tells the time and runs callbacks after a delay measured in its own time. */
export interface Clock {
  /** now returns milliseconds since the epoch. */
  now(): number
  /** setTimeout runs fn once `ms` have passed on this clock. */
  setTimeout(fn: () => void, ms: number): Timer
  /** setInterval runs fn every `ms` on this clock. */
  setInterval(fn: () => void, ms: number): Timer
}

interface Pending {
  at: number
  seq: number
  fn: () => void
  real?: ReturnType<typeof setTimeout>
  done: boolean
}

/**
 * VirtualClock is wall time plus an offset that only grows. advance(ms) moves it on and fires every timer that
 * falls due, in order; timers also fire by themselves when real time reaches them (unless the clock is frozen).
 */
export class VirtualClock implements Clock {
  private offset = 0
  private seq = 0
  private pending = new Set<Pending>()

  /** @param base the underlying time source; @param frozen when true only advance() moves time (FakeClock). */
  constructor(
    private readonly base: () => number = Date.now,
    private readonly frozen = false,
  ) {}

  now(): number {
    return this.base() + this.offset
  }

  /** offsetMs is how far this clock runs ahead of its base. */
  get offsetMs(): number {
    return this.offset
  }

  setTimeout(fn: () => void, ms: number): Timer {
    const p: Pending = {at: this.now() + Math.max(0, ms), seq: this.seq++, fn, done: false}
    this.pending.add(p)
    this.arm(p)
    return {cancel: () => this.cancel(p)}
  }

  setInterval(fn: () => void, ms: number): Timer {
    let current: Timer | undefined
    let stopped = false
    const tick = () => {
      if (stopped) return
      current = this.setTimeout(tick, ms)
      fn()
    }
    current = this.setTimeout(tick, ms)
    return {
      cancel: () => {
        stopped = true
        current?.cancel()
      },
    }
  }

  /** advance moves the clock on by ms and fires, in time order, every timer that became due. */
  advance(ms: number): void {
    if (ms < 0) throw new Error('the clock cannot go backwards')
    this.offset += ms
    this.fireDue()
  }

  /** nextTimerAt is when the earliest pending timer falls due, or undefined when none waits. */
  nextTimerAt(): number | undefined {
    let at: number | undefined
    for (const p of this.pending) if (at === undefined || p.at < at) at = p.at
    return at
  }

  /** pendingTimers counts timers not yet fired (tests use it to see that nothing leaks). */
  pendingTimers(): number {
    return this.pending.size
  }

  private arm(p: Pending) {
    if (this.frozen) return
    if (p.real) clearTimeout(p.real)
    const delay = Math.max(0, p.at - this.now())
    // Long delays are re-armed rather than trusted: advance() may have brought them nearer meanwhile.
    p.real = setTimeout(() => this.fireDue(), Math.min(delay, 2 ** 31 - 1))
    p.real.unref?.()
  }

  private cancel(p: Pending) {
    p.done = true
    if (p.real) clearTimeout(p.real)
    this.pending.delete(p)
  }

  private fireDue() {
    // Fire one at a time: a callback may schedule or cancel other timers.
    for (;;) {
      const now = this.now()
      let next: Pending | undefined
      for (const p of this.pending) {
        if (p.at <= now && (!next || p.at < next.at || (p.at === next.at && p.seq < next.seq))) next = p
      }
      if (!next) break
      this.cancel(next)
      next.fn()
    }
    if (!this.frozen) for (const p of this.pending) this.arm(p)
  }
}

/** FakeClock is a VirtualClock that starts at a fixed instant and moves only when advanced. */
export class FakeClock extends VirtualClock {
  constructor(start = Date.parse('2026-01-01T00:00:00Z')) {
    super(() => start, true)
  }
}

/** secondTexts keeps the last few seconds formatted (a burst stamps objects at a handful of distinct seconds). */
const secondTexts = new Map<number, string>()

/** rfc3339 formats ms since the epoch as the apiserver does: seconds precision, `Z`. */
export function rfc3339(ms: number): string {
  // A burst stamps thousands of objects (creation, conditions, events) at a few seconds: format each once.
  const second = Math.floor(ms / 1000)
  let text = secondTexts.get(second)
  if (text === undefined) {
    text = new Date(second * 1000).toISOString().replace('.000Z', 'Z')
    if (secondTexts.size >= 16) secondTexts.clear()
    secondTexts.set(second, text)
  }
  return text
}

/** rfc3339Micro formats ms with microsecond precision (metav1.MicroTime). */
export function rfc3339Micro(ms: number): string {
  // Built on rfc3339's text of the second: 1,000 kubelets stamp their Lease renewals every 10 s.
  const whole = Math.floor(ms)
  if (whole < 0) return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z')
  return `${rfc3339(whole).slice(0, -1)}.${String(whole % 1000).padStart(3, '0')}000Z`
}
