import assert from 'node:assert/strict'
import {
  formatGoDuration,
  formatGoDurationNanos,
  GoDurationError,
  humanDuration,
  parseGoDuration,
  parseGoDurationNanos,
  shortHumanDuration,
} from '../../src/api/duration.js'

const S = 1000
const M = 60 * S
const H = 60 * M
const D = 24 * H

describe('humanDuration', () => {
  // cases from apimachinery/pkg/util/duration/duration_test.go plus the table in kubectl-api.md §9.2
  const cases: [number, string][] = [
    [-2 * S, '<invalid>'],
    [-1900, '0s'],
    [-1, '0s'],
    [0, '0s'],
    [S, '1s'],
    [59 * S, '59s'],
    [70 * S, '70s'],
    [119 * S + 999, '119s'],
    [120 * S, '2m'],
    [150 * S, '2m30s'],
    [190 * S, '3m10s'],
    [10 * M, '10m'],
    [70 * M, '70m'],
    [179 * M, '179m'],
    [3 * H, '3h'],
    [3 * H + 5 * M, '3h5m'],
    [8 * H, '8h'],
    [30 * H, '30h'],
    [47 * H, '47h'],
    [49 * H, '2d1h'],
    [3 * D + 4 * H, '3d4h'],
    [7 * D, '7d'],
    [(8 * 24 + 2) * H, '8d'],
    [367 * D, '367d'],
    [(365 * 2 * 24 + 25) * H, '2y1d'],
    [365 * 3 * D, '3y'],
    [(365 * 8 * 24 + 2) * H, '8y'],
    [365 * 20 * D, '20y'],
  ]
  for (const [ms, want] of cases) it(`${ms}ms → ${want}`, () => assert.equal(humanDuration(ms), want))
})

describe('shortHumanDuration', () => {
  const cases: [number, string][] = [
    [-5 * S, '<invalid>'],
    [-S, '0s'],
    [45 * S, '45s'],
    [90 * S, '1m'],
    [5 * H + 30 * M, '5h'],
    [12 * D, '12d'],
    [800 * D, '2y'],
  ]
  for (const [ms, want] of cases) it(`${ms}ms → ${want}`, () => assert.equal(shortHumanDuration(ms), want))
})

describe('parseGoDuration', () => {
  // cases from go/src/time/time_test.go parseDurationTests
  const ok: [string, bigint][] = [
    ['0', 0n],
    ['5s', 5_000_000_000n],
    ['30s', 30_000_000_000n],
    ['1478s', 1478_000_000_000n],
    ['-5s', -5_000_000_000n],
    ['+5s', 5_000_000_000n],
    ['-0', 0n],
    ['+0', 0n],
    ['5.0s', 5_000_000_000n],
    ['5.6s', 5_600_000_000n],
    ['5.s', 5_000_000_000n],
    ['.5s', 500_000_000n],
    ['1.004s', 1_004_000_000n],
    ['100.00100s', 100_001_000_000n],
    ['10ns', 10n],
    ['11us', 11_000n],
    ['12µs', 12_000n],
    ['12μs', 12_000n],
    ['13ms', 13_000_000n],
    ['15m', 900_000_000_000n],
    ['16h', 57_600_000_000_000n],
    ['3h30m', 12_600_000_000_000n],
    ['10.5s4m', 250_500_000_000n],
    ['-2m3.4s', -123_400_000_000n],
    ['1h2m3s4ms5us6ns', 3_723_004_005_006n],
    ['39h9m14.425s', 140_954_425_000_000n],
    ['52763797000ns', 52_763_797_000n],
    ['0.3333333333333333333h', 1_200_000_000_000n],
    ['9007199254740993ns', 9007199254740993n],
    ['9223372036854775807ns', 9223372036854775807n],
    ['9223372036854775.807us', 9223372036854775807n],
    ['9223372036854ms775us807ns', 9223372036854775807n],
    ['-9223372036854775808ns', -9223372036854775808n],
    ['-2562047h47m16.854775808s', -9223372036854775808n],
    ['0.100000000000000000000h', 360_000_000_000n],
    ['0.830103483285477580700h', 2_988_372_539_827n],
  ]
  for (const [input, ns] of ok) it(`parses ${input}`, () => assert.equal(parseGoDurationNanos(input), ns))

  it('returns milliseconds', () => {
    assert.equal(parseGoDuration('1h30m5.5s'), 5_405_500)
    assert.equal(parseGoDuration('1.5us'), 0.0015)
  })

  const bad: [string, string][] = [
    ['', 'time: invalid duration ""'],
    ['x', 'time: invalid duration "x"'],
    ['3', 'time: missing unit in duration "3"'],
    ['-', 'time: invalid duration "-"'],
    ['s', 'time: invalid duration "s"'],
    ['.', 'time: invalid duration "."'],
    ['-.', 'time: invalid duration "-."'],
    ['.s', 'time: invalid duration ".s"'],
    ['+.s', 'time: invalid duration "+.s"'],
    ['1d', 'time: unknown unit "d" in duration "1d"'],
    ['1..5s', 'time: missing unit in duration "1..5s"'],
    ['5µx', 'time: unknown unit "\\xc2\\xb5x" in duration "5\\xc2\\xb5x"'],
    ['٣s', 'time: invalid duration "\\xd9\\xa3s"'],
    ['a"b', 'time: invalid duration "a\\"b"'],
    ['9223372036854775808ns', 'time: invalid duration "9223372036854775808ns"'],
    ['9223372036854775.808us', 'time: invalid duration "9223372036854775.808us"'],
    ['9223372036854ms775us808ns', 'time: invalid duration "9223372036854ms775us808ns"'],
    ['-9223372036854775809ns', 'time: invalid duration "-9223372036854775809ns"'],
  ]
  for (const [input, msg] of bad) {
    it(`rejects ${JSON.stringify(input)}`, () =>
      assert.throws(
        () => parseGoDuration(input),
        (e: unknown) => e instanceof GoDurationError && e.message === msg,
      ))
  }
})

describe('formatGoDuration', () => {
  // cases from go/src/time/time_test.go durationTests
  const cases: [bigint, string][] = [
    [0n, '0s'],
    [1n, '1ns'],
    [1100n, '1.1µs'],
    [2_200_000n, '2.2ms'],
    [3_300_000_000n, '3.3s'],
    [245_000_000_000n, '4m5s'],
    [245_001_000_000n, '4m5.001s'],
    [18_367_001_000_000n, '5h6m7.001s'],
    [480_000_000_001n, '8m0.000000001s'],
    [9223372036854775807n, '2562047h47m16.854775807s'],
    [-9223372036854775808n, '-2562047h47m16.854775808s'],
  ]
  for (const [ns, want] of cases) it(`${ns}ns → ${want}`, () => assert.equal(formatGoDurationNanos(ns), want))

  it('takes milliseconds', () => {
    assert.equal(formatGoDuration(90 * M), '1h30m0s')
    assert.equal(formatGoDuration(500), '500ms')
    assert.equal(formatGoDuration(60 * S), '1m0s')
    assert.equal(formatGoDuration(-1500), '-1.5s')
  })

  it('round-trips with parseGoDuration', () => {
    for (const s of ['1h30m0s', '2m3.5s', '500ms', '1.5µs', '42ns', '-2s']) {
      assert.equal(formatGoDurationNanos(parseGoDurationNanos(s)), s)
    }
  })
})
