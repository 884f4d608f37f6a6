// gofmt.ts: the few Go formatting verbs kubectl's printers show to users, for JSON-shaped values:
// fmt.Sprint (%v), strconv.FormatFloat(f, 'g', -1, 64), %#v (Go syntax, in jsonpath error reports) and %#U.
// JSON numbers are modelled as Go decodes them into unstructured data: integral values are int64, others float64.

/** compareCodePoints orders strings by code point, which is Go's byte order for UTF-8 strings. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!
    const y = b.codePointAt(i)!
    if (x !== y) return x - y
    if (x > 0xffff) i++
  }
  return a.length - b.length
}

/** sortedKeys returns an object's keys in Go's map-printing order (byte order). */
export function sortedKeys(o: object): string[] {
  return Object.keys(o).sort(compareCodePoints)
}

/** isGoInt reports whether a JS number is what Go would hold as an int64. */
export function isGoInt(n: number): boolean {
  return Number.isInteger(n) && Math.abs(n) < 2 ** 63
}

/** formatFloatG follows strconv.FormatFloat(f, 'g', -1, 64): shortest digits, %e when exp < -4 || exp >= 6. */
export function formatFloatG(f: number): string {
  if (Number.isNaN(f)) return 'NaN'
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf'
  if (f === 0) return Object.is(f, -0) ? '-0' : '0'
  const neg = f < 0
  const [mant, expStr] = Math.abs(f).toExponential().split('e')
  const digits = mant.replace('.', '')
  const exp = Number(expStr)
  let s: string
  // with the shortest precision Go decides with eprec = 6
  if (exp < -4 || exp >= 6) {
    const e = Math.abs(exp)
    s = `${digits[0]}${digits.length > 1 ? '.' + digits.slice(1) : ''}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`
  } else {
    const dp = exp + 1
    if (dp <= 0) s = '0.' + '0'.repeat(-dp) + digits
    else if (digits.length <= dp) s = digits + '0'.repeat(dp - digits.length)
    else s = digits.slice(0, dp) + '.' + digits.slice(dp)
  }
  return neg ? '-' + s : s
}

/** formatNumber prints a JSON number as Go prints the int64 or float64 it decodes to. */
export function formatNumber(n: number): string {
  if (isGoInt(n)) return BigInt(n).toString()
  return formatFloatG(n)
}

/** goSprint follows fmt.Sprint for unstructured values: maps as map[k:v ...] with sorted keys, slices as [a b]. */
export function goSprint(v: unknown): string {
  if (v === null || v === undefined) return '<nil>'
  if (typeof v === 'string') return v
  if (typeof v === 'number') return formatNumber(v)
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v)
  if (Array.isArray(v)) return '[' + v.map(goSprint).join(' ') + ']'
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>
    return (
      'map[' +
      sortedKeys(o)
        .map((k) => `${k}:${goSprint(o[k])}`)
        .join(' ') +
      ']'
    )
  }
  return String(v)
}

/** goSyntax follows %#v for unstructured values (map[string]interface {}{...}), as kubectl's jsonpath errors show. */
export function goSyntax(v: unknown): string {
  if (v === null || v === undefined) return 'interface {}(nil)'
  if (typeof v === 'string') return goQuote(v)
  if (typeof v === 'number') return formatNumber(v)
  if (typeof v === 'boolean') return String(v)
  if (Array.isArray(v)) return '[]interface {}{' + v.map((x) => goSyntax(x)).join(', ') + '}'
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>
    const body = sortedKeys(o).map((k) => `${goQuote(k)}:${goSyntax(o[k])}`)
    return 'map[string]interface {}{' + body.join(', ') + '}'
  }
  return String(v)
}

/** goQuote follows strconv.Quote: printable Unicode kept, the rest escaped. */
export function goQuote(s: string): string {
  let out = '"'
  for (const ch of s) {
    const c = ch.codePointAt(0)!
    switch (ch) {
      case '"':
        out += '\\"'
        continue
      case '\\':
        out += '\\\\'
        continue
      case '\x07':
        out += '\\a'
        continue
      case '\b':
        out += '\\b'
        continue
      case '\f':
        out += '\\f'
        continue
      case '\n':
        out += '\\n'
        continue
      case '\r':
        out += '\\r'
        continue
      case '\t':
        out += '\\t'
        continue
      case '\v':
        out += '\\v'
        continue
    }
    if (isGoPrint(c)) out += ch
    else if (c < 0x80) out += '\\x' + hex(c, 2)
    else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd'
    else if (c <= 0xffff) out += '\\u' + hex(c, 4)
    else out += '\\U' + hex(c, 8)
  }
  return out + '"'
}

/** formatRuneU follows %#U: U+0026 '&' (the quoted rune only when printable). */
export function formatRuneU(ch: string): string {
  const c = ch.codePointAt(0)!
  const u = 'U+' + hex(c, 4).toUpperCase()
  return isGoPrint(c) ? `${u} '${ch}'` : u
}

function hex(c: number, width: number): string {
  return c.toString(16).padStart(width, '0').toLowerCase()
}

// isGoPrint approximates unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const printRe = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u
function isGoPrint(c: number): boolean {
  if (c < 0x20 || c === 0x7f) return false
  if (c < 0x7f) return true
  return printRe.test(String.fromCodePoint(c))
}

/** wellFormed replaces lone surrogates with U+FFFD, as Go does when it encodes invalid UTF-8. */
export function wellFormed(s: string): string {
  return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
}
