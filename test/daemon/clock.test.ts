// clock.test.ts pins the apiserver's time formats (metav1.Time: seconds, `Z`; metav1.MicroTime: microseconds).
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {FakeClock, VirtualClock, rfc3339, rfc3339Micro} from '../../src/daemon/clock.js'

describe('clock formats', () => {
  it('rfc3339 truncates to the second, and changes as the second does', () => {
    const t = Date.parse('2026-01-01T00:00:00Z')
    assert.equal(rfc3339(t), '2026-01-01T00:00:00Z')
    assert.equal(rfc3339(t + 999), '2026-01-01T00:00:00Z')
    assert.equal(rfc3339(t + 1000), '2026-01-01T00:00:01Z')
    assert.equal(rfc3339(t + 999), '2026-01-01T00:00:00Z', 'an earlier second again')
    for (let i = 0; i < 40; i++) assert.equal(rfc3339(t + i * 1000), `2026-01-01T00:00:${String(i).padStart(2, '0')}Z`)
    assert.equal(rfc3339(t - 1), '2025-12-31T23:59:59Z')
    assert.throws(() => rfc3339(NaN), RangeError)
    assert.equal(rfc3339(t), '2026-01-01T00:00:00Z', 'a bad input leaves the next answer right')
  })

  it('rfc3339Micro keeps the milliseconds as microseconds', () => {
    assert.equal(rfc3339Micro(Date.parse('2026-01-01T00:00:00.123Z')), '2026-01-01T00:00:00.123000Z')
  })

  it('rfc3339Micro writes what Date.toISOString writes, for any millisecond and fractions of one', () => {
    const byDate = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z')
    const t = Date.parse('2026-01-01T00:00:59.000Z')
    for (const ms of [0, 1, 999, 1000, t - 1, t, t + 7, t + 999, t + 1000, t + 0.5, t + 999.9, -1, -1001])
      assert.equal(rfc3339Micro(ms), byDate(ms), String(ms))
    assert.equal(rfc3339Micro(t + 5), '2026-01-01T00:00:59.005000Z')
  })
})

describe('VirtualClock timers', () => {
  it('fire in due order, then creation order, as a naive model says, across sets, cancels and advances', () => {
    type Op = {set: number} | {cancel: number} | {advance: number}
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({set: fc.integer({min: 0, max: 8})}),
      fc.record({cancel: fc.nat(60)}),
      fc.record({advance: fc.integer({min: 0, max: 6})}),
    )
    fc.assert(
      fc.property(fc.array(op, {maxLength: 150}), (ops) => {
        const clock = new FakeClock(0)
        const fired: number[] = []
        const timers: {cancel(): void}[] = []
        const model: {at: number; id: number; live: boolean}[] = []
        const expected: number[] = []
        let now = 0
        for (const o of ops) {
          if ('set' in o) {
            const id = timers.length
            timers.push(clock.setTimeout(() => fired.push(id), o.set))
            model.push({at: now + o.set, id, live: true})
          } else if ('cancel' in o) {
            if (o.cancel < timers.length) {
              timers[o.cancel]!.cancel()
              model[o.cancel]!.live = false
            }
          } else {
            now += o.advance
            clock.advance(o.advance)
            const due = model.filter((m) => m.live && m.at <= now).sort((a, b) => a.at - b.at || a.id - b.id)
            for (const m of due) {
              m.live = false
              expected.push(m.id)
            }
          }
          assert.equal(clock.pendingTimers(), model.filter((m) => m.live).length)
          const next = model.filter((m) => m.live).reduce((a, m) => Math.min(a, m.at), Infinity)
          assert.equal(clock.nextTimerAt(), next === Infinity ? undefined : next)
        }
        assert.deepEqual(fired, expected)
      }),
      {numRuns: 500},
    )
  })

  it('fires in one advance what a callback sets due by then, in order; its delays count from the advanced time', () => {
    const clock = new FakeClock(0)
    const log: string[] = []
    const later = clock.setTimeout(() => log.push('later'), 20)
    clock.setTimeout(() => {
      log.push('a')
      clock.setTimeout(() => log.push('a+5'), 5)
      clock.setTimeout(() => log.push('a+0'), 0)
      later.cancel()
    }, 10)
    clock.setTimeout(() => log.push('b'), 12)
    clock.advance(30)
    assert.deepEqual(log, ['a', 'b', 'a+0'])
    assert.equal(clock.pendingTimers(), 1)
    clock.advance(5)
    assert.deepEqual(log, ['a', 'b', 'a+0', 'a+5'])
    assert.equal(clock.pendingTimers(), 0)
  })

  it('keeps the heap small when most timers are cancelled', () => {
    const clock = new FakeClock(0)
    let fired = 0
    for (let i = 0; i < 10_000; i++) clock.setTimeout(() => fired++, 1000 + i).cancel()
    const kept = clock.setTimeout(() => fired++, 5)
    assert.ok((clock as any).heap.length < 2100, `heap holds ${(clock as any).heap.length}`)
    clock.advance(20_000)
    assert.equal(fired, 1)
    kept.cancel()
  })

  it('fires by itself when real time reaches a timer, and after advance() brings one nearer', async () => {
    const clock = new VirtualClock()
    const order: string[] = []
    await new Promise<void>((resolve) => {
      clock.setTimeout(() => order.push('far, moved near by advance'), 60_000)
      clock.setTimeout(() => {
        order.push('2 ms')
        clock.advance(60_000)
        resolve()
      }, 2)
    })
    assert.deepEqual(order, ['2 ms', 'far, moved near by advance'])
    assert.equal(clock.pendingTimers(), 0)
  })
})
