// clock.test.ts pins the apiserver's time formats (metav1.Time: seconds, `Z`; metav1.MicroTime: microseconds).
import assert from 'node:assert/strict'
import {rfc3339, rfc3339Micro} from '../../src/daemon/clock.js'

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
