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
  done: boolean
}

/** before orders timers by due time, then by the order they were set. */
function before(a: Pending, b: Pending): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq)
}

/**
 * VirtualClock is wall time plus an offset that only grows. advance(ms) moves it on and fires every timer that
 * falls due, in order; timers also fire by themselves when real time reaches them (unless the clock is frozen).
 *
 * Pending timers sit in a binary heap ordered by (due time, creation order), and one real timer is armed for the
 * earliest. A cancelled timer stays in the heap, marked done, until it reaches the top or the heap is compacted.
 * Scanning every timer on each firing and re-arming a real timer per pending one, as a first version did, cost
 * O(timers) per firing: with thousands of kubelet and controller timers that was a visible share of an idle daemon.
 */
export class VirtualClock implements Clock {
  private offset = 0
  private seq = 0
  private heap: Pending[] = []
  /** live counts the timers in the heap not yet fired or cancelled. */
  private live = 0
  private real?: ReturnType<typeof setTimeout>
  /** realAt is the due time the real timer is armed for (Infinity when none is). */
  private realAt = Infinity

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
    this.push(p)
    this.live++
    if (p.at < this.realAt) this.arm()
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
    return this.top()?.at
  }

  /** pendingTimers counts timers not yet fired (tests use it to see that nothing leaks). */
  pendingTimers(): number {
    return this.live
  }

  /** arm points the one real timer at the earliest pending timer (none when frozen or nothing waits). */
  private arm() {
    if (this.frozen) return
    const next = this.top()
    if (this.real) clearTimeout(this.real)
    this.real = undefined
    this.realAt = Infinity
    if (!next) return
    // Long delays are capped and re-armed when they fire early: advance() may bring them nearer meanwhile.
    this.real = setTimeout(() => this.fireDue(), Math.min(Math.max(0, next.at - this.now()), 2 ** 31 - 1))
    this.real.unref?.()
    this.realAt = next.at
  }

  private cancel(p: Pending) {
    if (p.done) return
    p.done = true
    this.live--
    // Cancelled timers leave the heap lazily; rebuild it when they outnumber the live ones (watch timeouts and
    // back-offs are set and cancelled far more often than they fire).
    if (this.heap.length > 1024 && this.heap.length > 2 * this.live) {
      const keep = this.heap.filter((x) => !x.done)
      this.heap = []
      for (const x of keep) this.push(x)
    }
  }

  private fireDue() {
    // Fire one at a time: a callback may schedule or cancel other timers, including ones due now.
    for (;;) {
      const next = this.top()
      if (!next || next.at > this.now()) break
      this.pop()
      next.done = true
      this.live--
      next.fn()
    }
    this.arm()
  }

  /** top drops cancelled timers from the top of the heap and returns the earliest pending one. */
  private top(): Pending | undefined {
    while (this.heap.length > 0 && this.heap[0]!.done) this.pop()
    return this.heap[0]
  }

  private push(p: Pending) {
    const h = this.heap
    let i = h.push(p) - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!before(p, h[parent]!)) break
      h[i] = h[parent]!
      i = parent
    }
    h[i] = p
  }

  private pop(): Pending | undefined {
    const h = this.heap
    const first = h[0]
    const last = h.pop()
    if (h.length > 0 && last) {
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        if (l >= h.length) break
        const r = l + 1
        const c = r < h.length && before(h[r]!, h[l]!) ? r : l
        if (!before(h[c]!, last)) break
        h[i] = h[c]!
        i = c
      }
      h[i] = last
    }
    return first
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
