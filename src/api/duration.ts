// duration.ts: the two duration vocabularies kubectl users see. `humanDuration` is the AGE-column wording
// (follows apimachinery/pkg/util/duration/duration.go); `parseGoDuration` / `formatGoDuration` are Go's
// time.ParseDuration and Duration.String (follows go/src/time/format.go), which kubectl flags such as
// `--timeout=1m30s` and `--since=5m` and the daemon's virtual clock use. Everything takes and returns milliseconds;
// Go works in nanoseconds, so parsing keeps nanosecond precision internally (BigInt) and only then divides.

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE

/**
 * humanDuration renders a duration in milliseconds with about two significant figures, as the apiserver does for
 * AGE cells: `<invalid>` below -1s (clock skew), `0s` for small negatives, then `59s`, `2m30s`, `3h5m`, `3d4h`, `2y5d`.
 */
export function humanDuration(ms: number): string {
  // Go truncates toward zero (int(d.Seconds())), which lets -1.9s through as "0s".
  const seconds = Math.trunc(ms / SECOND)
  if (seconds < -1) return '<invalid>'
  if (seconds < 0) return '0s'
  if (seconds < 120) return `${seconds}s`
  const minutes = Math.trunc(ms / MINUTE)
  if (minutes < 10) {
    const s = seconds % 60
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`
  }
  if (minutes < 60 * 3) return `${minutes}m`
  const hours = Math.trunc(ms / HOUR)
  if (hours < 8) {
    const m = minutes % 60
    return m === 0 ? `${hours}h` : `${hours}h${m}m`
  }
  if (hours < 48) return `${hours}h`
  if (hours < 24 * 8) {
    const h = hours % 24
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365
    const y = Math.trunc(hours / 24 / 365)
    return dy === 0 ? `${y}y` : `${y}y${dy}d`
  }
  return `${Math.trunc(hours / 24 / 365)}y`
}

/** shortHumanDuration renders a duration with one unit only (`45s`, `3m`, `5h`, `12d`, `2y`), as ShortHumanDuration. */
export function shortHumanDuration(ms: number): string {
  const seconds = Math.trunc(ms / SECOND)
  if (seconds < -1) return '<invalid>'
  if (seconds < 0) return '0s'
  if (seconds < 60) return `${seconds}s`
  const minutes = Math.trunc(ms / MINUTE)
  if (minutes < 60) return `${minutes}m`
  const hours = Math.trunc(ms / HOUR)
  if (hours < 24) return `${hours}h`
  if (hours < 24 * 365) return `${Math.trunc(hours / 24)}d`
  return `${Math.trunc(hours / 24 / 365)}y`
}

/** GoDurationError is thrown by parseGoDuration; its message is Go's, e.g. `time: invalid duration "x"`. */
export class GoDurationError extends Error {
  override name = 'GoDurationError'
}

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  '\u00b5s': 1000n, // U+00B5 micro sign
  '\u03bcs': 1000n, // U+03BC Greek small letter mu
  ms: 1000_000n,
  s: 1000_000_000n,
  m: 60n * 1000_000_000n,
  h: 3600n * 1000_000_000n,
}

const MAX_INT64 = (1n << 63n) - 1n

// goQuote mirrors the small quote() of Go's time package: ASCII is kept (with `"` and `\` escaped), anything
// else is written byte by byte as \xNN of its UTF-8 encoding.
function goQuote(s: string): string {
  let out = '"'
  for (const ch of s) {
    const c = ch.codePointAt(0)!
    if (c >= 0x80 || c < 0x20) {
      for (const b of Buffer.from(ch, 'utf8')) out += '\\x' + b.toString(16).padStart(2, '0')
    } else {
      if (ch === '"' || ch === '\\') out += '\\'
      out += ch
    }
  }
  return out + '"'
}

/**
 * parseGoDuration parses a Go duration string (`300ms`, `-1.5h`, `2h45m`, `1µs`) into milliseconds (possibly
 * fractional). It throws GoDurationError with Go's exact message for bad input.
 */
export function parseGoDuration(input: string): number {
  return Number(parseGoDurationNanos(input)) / 1e6
}

/** parseGoDurationNanos is parseGoDuration with the exact nanosecond count, as Go's time.Duration. */
export function parseGoDurationNanos(input: string): bigint {
  const orig = input
  const invalid = () => new GoDurationError('time: invalid duration ' + goQuote(orig))
  let s = input
  let neg = false
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-'
    s = s.slice(1)
  }
  if (s === '0') return 0n
  if (s === '') throw invalid()
  let total = 0n
  const isDigit = (c: string) => c >= '0' && c <= '9'
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s[0]))) throw invalid()
    // integer part
    let i = 0
    let v = 0n
    while (i < s.length && isDigit(s[i])) {
      v = v * 10n + BigInt(s.charCodeAt(i) - 48)
      if (v > 1n << 63n) throw invalid() // leadingInt overflow
      i++
    }
    const pre = i > 0
    s = s.slice(i)
    // fraction part: Go keeps digits while they fit and ignores the rest
    let f = 0n
    let scale = 1
    let post = false
    if (s !== '' && s[0] === '.') {
      s = s.slice(1)
      let j = 0
      let overflow = false
      while (j < s.length && isDigit(s[j])) {
        if (!overflow) {
          if (f > (1n << 63n) / 10n) overflow = true
          else {
            const y = f * 10n + BigInt(s.charCodeAt(j) - 48)
            if (y > 1n << 63n) overflow = true
            else {
              f = y
              scale *= 10
            }
          }
        }
        j++
      }
      post = j > 0
      s = s.slice(j)
    }
    if (!pre && !post) throw invalid()
    // unit: everything up to the next digit or '.'
    let k = 0
    while (k < s.length && !(s[k] === '.' || isDigit(s[k]))) k++
    if (k === 0) throw new GoDurationError('time: missing unit in duration ' + goQuote(orig))
    const u = s.slice(0, k)
    s = s.slice(k)
    const unit = UNITS[u]
    if (unit === undefined)
      throw new GoDurationError('time: unknown unit ' + goQuote(u) + ' in duration ' + goQuote(orig))
    if (v > (1n << 63n) / unit) throw invalid()
    v *= unit
    if (f > 0n) {
      // Go uses float64 here: v += uint64(float64(f) * (float64(unit) / scale))
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)))
      if (v > 1n << 63n) throw invalid()
    }
    total += v
    if (total > 1n << 63n) throw invalid()
  }
  if (neg) return -total
  if (total > MAX_INT64) throw invalid()
  return total
}

// fmtFrac writes the fraction of v/10^prec without trailing zeros (and without the dot when it is zero).
function fmtFrac(v: bigint, prec: number): {text: string; rest: bigint} {
  let text = ''
  let printed = false
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n
    printed = printed || digit !== 0n
    if (printed) text = digit.toString() + text
    v /= 10n
  }
  if (printed) text = '.' + text
  return {text, rest: v}
}

/**
 * formatGoDuration renders milliseconds the way Go's Duration.String does: `1h30m0s`, `2m3.5s`, `500ms`, `1.5µs`,
 * `0s`. Sub-nanosecond parts are rounded to the nearest nanosecond.
 */
export function formatGoDuration(ms: number): string {
  return formatGoDurationNanos(BigInt(Math.round(ms * 1e6)))
}

/** formatGoDurationNanos is formatGoDuration for an exact nanosecond count. */
export function formatGoDurationNanos(ns: bigint): string {
  const neg = ns < 0n
  let u = neg ? -ns : ns
  let out: string
  if (u < 1000_000_000n) {
    if (u === 0n) return '0s'
    let prec: number
    let unit: string
    if (u < 1000n) {
      prec = 0
      unit = 'ns'
    } else if (u < 1000_000n) {
      prec = 3
      unit = '\u00b5s'
    } else {
      prec = 6
      unit = 'ms'
    }
    const {text, rest} = fmtFrac(u, prec)
    out = rest.toString() + text + unit
  } else {
    const {text, rest} = fmtFrac(u, 9)
    u = rest
    out = (u % 60n).toString() + text + 's'
    u /= 60n
    if (u > 0n) {
      out = (u % 60n).toString() + 'm' + out
      u /= 60n
      if (u > 0n) out = u.toString() + 'h' + out
    }
  }
  return neg ? '-' + out : out
}
