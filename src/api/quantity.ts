// quantity.ts: resource quantities (`100m`, `1.5`, `2Gi`, `1e3`). Parsing, rounding and the canonical string
// follow apimachinery/pkg/api/resource/{quantity,amount,suffix}.go (v0.32). A value is unscaled × 10^scale with
// exact BigInt arithmetic. Like upstream, a parse that took the fast int64 path and already looks canonical keeps
// the text it was given, which is why the apiserver echoes `1.500` and `+1` back unchanged but turns `1.5` into
// `1500m` and `1000m` into `1`.

/** QuantityFormat says how a quantity prints: `12e6`, `12Mi` or `12M`. */
export type QuantityFormat = 'DecimalExponent' | 'BinarySI' | 'DecimalSI'

/** QUANTITY_FORMAT_ERROR is the message for text that is not a quantity at all. */
export const QUANTITY_FORMAT_ERROR =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
/** QUANTITY_NUMERIC_ERROR is the message for a number part that does not parse. */
export const QUANTITY_NUMERIC_ERROR = 'unable to parse numeric part of quantity'
/** QUANTITY_SUFFIX_ERROR is the message for an unknown suffix (`1i`, `0.1mi`). */
export const QUANTITY_SUFFIX_ERROR = "unable to parse quantity's suffix"

/** QuantityError is a quantity that does not parse; message is one of the three texts above. */
export class QuantityError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'QuantityError'
  }
}

/** Scale names the powers of ten quantities round to (resource.Scale). */
export const Scale = {Nano: -9, Micro: -6, Milli: -3, Kilo: 3, Mega: 6, Giga: 9, Tera: 12, Peta: 15, Exa: 18} as const

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n
const SUFFIX_CHARS = 'eEinumkKMGTP'
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9'

const DECIMAL_SUFFIXES: Record<string, number> = {n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18}
const BINARY_SUFFIXES: Record<string, number> = {Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60}
const DECIMAL_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]))
const BINARY_BY_POWER = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei']

function pow10(n: number): bigint {
  return 10n ** BigInt(n)
}

function abs(v: bigint): bigint {
  return v < 0n ? -v : v
}

// divAwayFromZero divides and rounds any remainder away from zero (inf.RoundUp, negativeScaleInt64).
function divAwayFromZero(v: bigint, d: bigint): {q: bigint; exact: boolean} {
  const q = v / d
  const r = v % d
  if (r === 0n) return {q, exact: true}
  return {q: v > 0n ? q + 1n : q - 1n, exact: false}
}

// rescaleUp brings unscaled×10^scale to a coarser target scale, rounding away from zero. A shift longer than the
// number has digits leaves ±1 (or 0), without computing a huge power of ten.
function rescaleUp(unscaled: bigint, scale: number, target: number): {unscaled: bigint; exact: boolean} {
  if (scale >= target) return {unscaled: unscaled * pow10(scale - target), exact: true}
  const shift = target - scale
  if (unscaled === 0n) return {unscaled: 0n, exact: true}
  if (shift > abs(unscaled).toString().length) return {unscaled: unscaled > 0n ? 1n : -1n, exact: false}
  const {q, exact} = divAwayFromZero(unscaled, pow10(shift))
  return {unscaled: q, exact}
}

interface Parts {
  positive: boolean
  num: string
  denom: string
  suffix: string
}

// splitQuantity is parseQuantityString: sign, integer digits (leading zeros dropped), fraction digits, suffix.
function splitQuantity(str: string): Parts {
  let positive = true
  let pos = 0
  const end = str.length
  if (pos < end && (str[0] === '-' || str[0] === '+')) {
    positive = str[0] !== '-'
    pos++
  }
  while (pos < end && str[pos] === '0') pos++
  if (pos >= end) return {positive, num: '0', denom: '', suffix: ''}
  let i = pos
  while (i < end && isDigit(str[i])) i++
  const num = str.slice(pos, i) || '0'
  if (i >= end) return {positive, num, denom: '', suffix: ''}
  pos = i
  let denom = ''
  if (str[pos] === '.') {
    pos++
    i = pos
    while (i < end && isDigit(str[i])) i++
    denom = str.slice(pos, i)
    if (i >= end) return {positive, num, denom, suffix: ''}
    pos = i
  }
  const suffixStart = pos
  i = pos
  while (i < end && SUFFIX_CHARS.includes(str[i]!)) i++
  if (i < end && (str[i] === '-' || str[i] === '+')) i++
  while (i < end && isDigit(str[i])) i++
  if (i < end) throw new QuantityError(QUANTITY_FORMAT_ERROR)
  return {positive, num, denom, suffix: str.slice(suffixStart)}
}

// interpretSuffix maps a suffix to base, exponent and format (suffix.go); undefined when unknown.
function interpretSuffix(s: string): {base: 10 | 2; exponent: number; format: QuantityFormat} | undefined {
  if (Object.prototype.hasOwnProperty.call(DECIMAL_SUFFIXES, s)) {
    return {base: 10, exponent: DECIMAL_SUFFIXES[s]!, format: 'DecimalSI'}
  }
  if (Object.prototype.hasOwnProperty.call(BINARY_SUFFIXES, s)) {
    return {base: 2, exponent: BINARY_SUFFIXES[s]!, format: 'BinarySI'}
  }
  if (s.length > 1 && (s[0] === 'e' || s[0] === 'E')) {
    const rest = s.slice(1)
    if (!/^[+-]?[0-9]+$/.test(rest)) return undefined
    const v = BigInt(rest)
    if (v < INT64_MIN || v > INT64_MAX) return undefined
    // Upstream narrows the int64 to int32.
    return {base: 10, exponent: Number(BigInt.asIntN(32, v)), format: 'DecimalExponent'}
  }
  return undefined
}

/**
 * Quantity is an exact decimal amount with a preferred format. Instances are immutable; arithmetic returns new
 * quantities (and, like upstream, forgets the text the quantity was parsed from).
 */
export class Quantity {
  private constructor(
    /** unscaled is the integer part of unscaled × 10^scale. */
    readonly unscaled: bigint,
    /** scale is the power of ten of the unit (-3 for milli). */
    readonly scale: number,
    /** format is how the quantity prints. */
    readonly format: QuantityFormat,
    private readonly text?: string,
  ) {}

  /** parse reads a quantity (resource.ParseQuantity); throws QuantityError with upstream's message. */
  static parse(str: string): Quantity {
    if (str.length === 0) throw new QuantityError(QUANTITY_FORMAT_ERROR)
    if (str === '0') return new Quantity(0n, 0, 'DecimalSI', str)
    const {positive, num, denom, suffix} = splitQuantity(str)
    const suf = interpretSuffix(suffix)
    if (!suf) throw new QuantityError(QUANTITY_SUFFIX_ERROR)
    const {base, exponent} = suf
    let format = suf.format

    // Fast path (upstream's int64Amount): exact without rounding and small enough for int64.
    let precision: number
    let scale = 0
    let mantissa = 1n
    if (format === 'BinarySI') {
      if (exponent >= 0 && denom.length === 0) {
        mantissa = 1n << BigInt(exponent)
        precision = 15 - num.length - Math.trunc((exponent * 3) / 10) - 1
      } else precision = -1
    } else {
      scale = exponent
      precision = 18 - (num.length + denom.length)
    }
    if (precision >= 0) {
      scale -= denom.length
      if (scale >= Scale.Nano) {
        const shifted = num + denom
        const value = BigInt(shifted)
        let result = value * mantissa
        if (result <= INT64_MAX) {
          if (!positive) result = -result
          // Keep the given text when it is already in canonical shape.
          const keep =
            format === 'BinarySI'
              ? exponent % 10 === 0 && (value & 7n) !== 0n
              : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0'
          return new Quantity(result, scale, format, keep ? str : undefined)
        }
      }
    }

    // Slow path (upstream's inf.Dec): exact value, rounded up to nano, binary clamped to int64.
    let unscaled = BigInt(num + denom)
    scale = -denom.length
    if (base === 10) scale += exponent
    else unscaled *= 1n << BigInt(exponent)
    if (unscaled !== 0n && scale < Scale.Nano) {
      unscaled = rescaleUp(unscaled, scale, Scale.Nano).unscaled
      scale = Scale.Nano
    }
    let q = new Quantity(unscaled, scale, format)
    if (format === 'BinarySI' && q.cmp(MAX_INT64_QUANTITY) > 0) q = MAX_INT64_QUANTITY
    if (format === 'BinarySI' && q.sign() > 0 && q.cmp(ONE) < 0) format = 'DecimalSI'
    return new Quantity(positive ? q.unscaled : -q.unscaled, q.scale, format)
  }

  /** fromValue is NewQuantity: an integer in the given format. */
  static fromValue(value: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(value), 0, format)
  }

  /** fromMilli is NewMilliQuantity: value thousandths. */
  static fromMilli(value: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(value), Scale.Milli, format)
  }

  /** fromScaled is NewScaledQuantity: value × 10^scale, DecimalSI. */
  static fromScaled(value: number | bigint, scale: number): Quantity {
    return new Quantity(BigInt(value), scale, 'DecimalSI')
  }

  /** fromJSON reads a quantity as Quantity.UnmarshalJSON does: a string (trimmed) or a number. */
  static fromJSON(v: unknown): Quantity {
    if (typeof v === 'number' || typeof v === 'bigint') return Quantity.parse(String(v))
    if (typeof v === 'string') return Quantity.parse(v.trim())
    throw new QuantityError(QUANTITY_FORMAT_ERROR)
  }

  /** isZero is true for any zero. */
  isZero(): boolean {
    return this.unscaled === 0n
  }

  /** sign is -1, 0 or 1. */
  sign(): -1 | 0 | 1 {
    return this.unscaled === 0n ? 0 : this.unscaled > 0n ? 1 : -1
  }

  /** cmp compares the values exactly: -1, 0 or 1. */
  cmp(y: Quantity): -1 | 0 | 1 {
    const sa = this.sign()
    const sb = y.sign()
    if (sa !== sb) return sa < sb ? -1 : 1
    if (sa === 0) return 0
    // Compare magnitudes by the position of the leading digit first, so huge exponents stay cheap.
    const ma = abs(this.unscaled).toString().length + this.scale
    const mb = abs(y.unscaled).toString().length + y.scale
    let c: number
    if (ma !== mb) c = ma < mb ? -1 : 1
    else {
      const s = Math.min(this.scale, y.scale)
      const a = abs(this.unscaled) * pow10(this.scale - s)
      const b = abs(y.unscaled) * pow10(y.scale - s)
      c = a === b ? 0 : a < b ? -1 : 1
    }
    if (c === 0) return 0
    return (sa > 0 ? c : -c) as -1 | 1
  }

  /** cmpInt64 compares with an integer. */
  cmpInt64(y: number | bigint): -1 | 0 | 1 {
    return this.cmp(Quantity.fromValue(y))
  }

  /** equal is cmp === 0. */
  equal(y: Quantity): boolean {
    return this.cmp(y) === 0
  }

  /** add returns this + y; a zero receiver takes y's format, as upstream does. */
  add(y: Quantity): Quantity {
    const s = Math.min(this.scale, y.scale)
    const sum = this.unscaled * pow10(this.scale - s) + y.unscaled * pow10(y.scale - s)
    return new Quantity(sum, s, this.isZero() ? y.format : this.format)
  }

  /** sub returns this - y; a zero receiver takes y's format. */
  sub(y: Quantity): Quantity {
    return this.add(y.neg()).withFormat(this.isZero() ? y.format : this.format)
  }

  /** neg returns -this. */
  neg(): Quantity {
    return new Quantity(-this.unscaled, this.scale, this.format)
  }

  /** mul returns this × n. */
  mul(n: number | bigint): Quantity {
    return new Quantity(this.unscaled * BigInt(n), this.scale, this.format)
  }

  /** withFormat returns the same amount printed in another format. */
  withFormat(format: QuantityFormat): Quantity {
    return new Quantity(this.unscaled, this.scale, format)
  }

  /**
   * roundUp rounds away from zero to a multiple of 10^scale (Quantity.RoundUp); exact says nothing was lost.
   * A quantity already that coarse is returned unchanged, keeping its original text.
   */
  roundUp(scale: number): {quantity: Quantity; exact: boolean} {
    if (this.scale >= scale) return {quantity: this, exact: true}
    const r = rescaleUp(this.unscaled, this.scale, scale)
    return {quantity: new Quantity(r.unscaled, scale, this.format), exact: r.exact}
  }

  /** scaledValue is the value in units of 10^scale, rounded away from zero. */
  scaledValue(scale: number): number {
    return Number(rescaleUp(this.unscaled, this.scale, scale).unscaled)
  }

  /** value is the value rounded up to an integer (`1.5` → 2, `100m` → 1). */
  value(): number {
    return this.scaledValue(0)
  }

  /** milliValue is the value in thousandths, rounded up (`1.5` → 1500, `1n` → 1). */
  milliValue(): number {
    return this.scaledValue(Scale.Milli)
  }

  /** asApproximateFloat64 is the nearest float64. */
  asApproximateFloat64(): number {
    return Number.parseFloat(`${this.unscaled}e${this.scale}`)
  }

  /** canonical is the canonical text, ignoring the text the quantity was parsed from. */
  canonical(): string {
    if (this.unscaled === 0n) return '0'
    let format = this.format
    let whole = 0n
    if (format === 'BinarySI') {
      if (this.cmpInt64(-1024) > 0 && this.cmpInt64(1024) < 0) format = 'DecimalSI'
      else {
        const r = rescaleUp(this.unscaled, this.scale, 0)
        if (!r.exact) format = 'DecimalSI'
        else whole = r.unscaled
      }
    }
    if (format === 'BinarySI') {
      let power = 0
      while (abs(whole) >= 1024n && whole % 1024n === 0n) {
        whole /= 1024n
        power++
      }
      return whole.toString() + (BINARY_BY_POWER[power] ?? '')
    }
    let m = this.unscaled
    let e = this.scale
    while (abs(m) >= 10n && m % 10n === 0n) {
      m /= 10n
      e++
    }
    while (e % 3 !== 0) {
      m *= 10n
      e--
    }
    // A DecimalSI exponent beyond E (10^18) has no suffix and prints bare, as upstream does ("1000E" → "1").
    const suffix = format === 'DecimalSI' ? (DECIMAL_BY_EXPONENT.get(e) ?? '') : e === 0 ? '' : `e${e}`
    return m.toString() + suffix
  }

  /** toString is the text the apiserver writes: the parsed text when it was kept, else the canonical form. */
  toString(): string {
    return this.text ?? this.canonical()
  }

  /** toJSON serializes as the string. */
  toJSON(): string {
    return this.toString()
  }
}

const MAX_INT64_QUANTITY = Quantity.fromValue(INT64_MAX, 'BinarySI')
const ONE = Quantity.fromValue(1)

/** parseQuantity reads a quantity; throws QuantityError. */
export function parseQuantity(str: string): Quantity {
  return Quantity.parse(str)
}

/** canonicalQuantity is the text the apiserver stores for a quantity string, e.g. `1.5` → `1500m`. */
export function canonicalQuantity(str: string): string {
  return Quantity.parse(str).toString()
}

/**
 * normalizeResourceList does what the apiserver does to resource lists (requests, limits, capacity) on decode
 * (core v1 SetDefaults_ResourceList): each value is parsed and rounded up to milli. Throws QuantityError.
 */
export function normalizeResourceList(list: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(list)) out[k] = Quantity.fromJSON(v).roundUp(Scale.Milli).quantity.toString()
  return out
}
