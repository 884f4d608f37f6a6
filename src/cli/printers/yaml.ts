// yaml.ts: `-o yaml` output byte-identical to kubectl, and manifest reading with kubectl's scalar rules.
//
// kubectl prints through sigs.k8s.io/yaml: the object is marshalled to JSON, parsed back by go-yaml v2 and emitted
// again. The emitter below follows go-yaml v2.4 (emitterc.go, encode.go, resolve.go, sorter.go) for the subset of
// YAML that JSON-shaped data produces: block mappings and sequences, `{}` / `[]` for empty ones, and the scalar
// style rules (plain, 'single', "double", | literal) with go-yaml's folding of long lines at the first space past
// column 80. Reading uses the `yaml` package for syntax, but resolves plain scalars with go-yaml's own rules
// (YAML 1.1 booleans, 0777 octal, no sexagesimal numbers, timestamps kept as strings).
import {parseAllDocuments, visit, type Scalar} from 'yaml'

import {compareCodePoints, formatFloatG, wellFormed} from '../../api/gofmt.js'
import type {Sink} from './tabwriter.js'

const bestWidth = 80
const bestIndent = 2

type Style = 'plain' | 'single' | 'double' | 'literal'

/** toYaml renders one JSON-shaped value as kubectl's `-o yaml` does (sigs.k8s.io/yaml.Marshal), ending in '\n'. */
export function toYaml(value: unknown): string {
  const e = new Emitter()
  e.node(jsonRoundTrip(value), {mapping: false, simpleKey: false})
  e.writeIndent()
  return e.text()
}

/** YamlPrinter prints objects as kubectl's YAMLPrinter: documents after the first are preceded by `---`. */
export class YamlPrinter {
  private count = 0
  /** print writes one object. */
  print(obj: unknown, out: Sink): void {
    if (this.count++ > 0) out.write('---\n')
    out.write(toYaml(obj))
  }
}

// jsonRoundTrip models json.Marshal followed by go-yaml's decoding: undefined fields vanish, numbers become the
// int or float go-yaml would read back, lone surrogates become U+FFFD as Go's encoder writes them.
type Plain = null | boolean | string | {num: string} | Plain[] | {map: [string, Plain][]}
function jsonRoundTrip(v: unknown): Plain {
  if (v === null || v === undefined) return null
  if (typeof v === 'boolean') return v
  if (typeof v === 'string') return goYamlString(v)
  if (typeof v === 'number') return {num: yamlNumber(v)}
  if (typeof v === 'bigint') return {num: v.toString()}
  if (Array.isArray(v)) return v.map(jsonRoundTrip)
  if (typeof v === 'object') {
    const anyV = v as {toJSON?: () => unknown}
    if (typeof anyV.toJSON === 'function') return jsonRoundTrip(anyV.toJSON())
    const entries: [string, Plain][] = []
    for (const [k, x] of Object.entries(v)) if (x !== undefined) entries.push([goYamlString(k), jsonRoundTrip(x)])
    entries.sort((a, b) => (goYamlKeyLess(a[0], b[0]) ? -1 : goYamlKeyLess(b[0], a[0]) ? 1 : 0))
    return {map: entries}
  }
  return String(v)
}

// goYamlString models a string's trip through Go's JSON encoder and go-yaml's reader: go-yaml rejects DEL, C1
// controls, U+FFFE and U+FFFF, which Go's JSON leaves raw, and folds the raw NEL (U+0085) of a double-quoted scalar
// like a line break (one becomes a space, n become n-1 newlines; spaces around them vanish).
function goYamlString(s: string): string {
  s = wellFormed(s)
  if (/[\x7f-\x84\x86-\x9f\ufffe\uffff]/.test(s)) throw new Error('yaml: control characters are not allowed')
  if (!s.includes('\u0085')) return s
  return s.replace(/ *\u0085[ \u0085]*/g, (m) => {
    const n = m.split('\u0085').length - 1
    return n === 1 ? ' ' : '\n'.repeat(n - 1)
  })
}

function yamlNumber(n: number): string {
  if (Number.isNaN(n)) return '.nan'
  if (!Number.isFinite(n)) return n > 0 ? '.inf' : '-.inf'
  // Go's JSON writes integral floats without exponent below 1e21; go-yaml then reads int64 or uint64
  if (Number.isInteger(n) && (Math.abs(n) < 2 ** 63 || (n > 0 && n < 2 ** 64))) return BigInt(n).toString()
  return formatFloatG(n)
}

const letterRe = /\p{L}/u
const digitRe = /\p{Nd}/u

/** goYamlKeyLess follows go-yaml v2's keyList.Less for string keys: non-letters first, digit runs by value. */
export function goYamlKeyLess(a: string, b: string): boolean {
  const ar = [...a]
  const br = [...b]
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue
    const al = letterRe.test(ar[i])
    const bl = letterRe.test(br[i])
    if (al && bl) return compareCodePoints(ar[i], br[i]) < 0
    if (al || bl) return bl
    let an = 0n
    let bn = 0n
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && digitRe.test(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1n
          bn = 1n
          break
        }
      }
    }
    let ai = i
    for (; ai < ar.length && digitRe.test(ar[ai]); ai++)
      an = BigInt.asIntN(64, an * 10n + BigInt(ar[ai].codePointAt(0)! - 48))
    let bi = i
    for (; bi < br.length && digitRe.test(br[bi]); bi++)
      bn = BigInt.asIntN(64, bn * 10n + BigInt(br[bi].codePointAt(0)! - 48))
    if (an !== bn) return an < bn
    if (ai !== bi) return ai < bi
    return compareCodePoints(ar[i], br[i]) < 0
  }
  return ar.length < br.length
}

interface Ctx {
  mapping: boolean
  simpleKey: boolean
}

interface Analysis {
  multiline: boolean
  flowPlain: boolean
  blockPlain: boolean
  single: boolean
  block: boolean
}

// Emitter keeps go-yaml's emitter state: the column decides folding, `whitespace` and `indention` decide
// whether an indicator needs a space before it and whether write_indent must break the line first.
class Emitter {
  private chunks: string[] = []
  private column = 0
  private indent = -1
  private indents: number[] = []
  private whitespace = true
  private indention = true
  private flowLevel = 0
  private mappingContext = false
  private simpleKeyContext = false

  text(): string {
    return this.chunks.join('')
  }

  node(v: Plain, ctx: Ctx): void {
    this.mappingContext = ctx.mapping
    this.simpleKeyContext = ctx.simpleKey
    if (v === null) return this.scalar('null', 'plain')
    if (typeof v === 'boolean') return this.scalar(String(v), 'plain')
    if (typeof v === 'string') return this.scalar(v, stringStyle(v))
    if (Array.isArray(v)) return v.length === 0 || this.flowLevel > 0 ? this.emptyFlow('[', ']') : this.sequence(v)
    if ('num' in v) return this.scalar(v.num, 'plain')
    return v.map.length === 0 || this.flowLevel > 0 ? this.emptyFlow('{', '}') : this.mapping(v.map)
  }

  // emit_flow_sequence_item / emit_flow_mapping_key for an empty collection (JSON data never nests inside flow)
  private emptyFlow(open: string, close: string): void {
    this.writeIndicator(open, true, true, false)
    this.increaseIndent(true, false)
    this.flowLevel++
    this.flowLevel--
    this.indent = this.indents.pop()!
    this.writeIndicator(close, false, false, false)
  }

  private sequence(items: Plain[]): void {
    this.increaseIndent(false, this.mappingContext && !this.indention)
    for (const item of items) {
      this.writeIndent()
      this.writeIndicator('-', true, false, true)
      this.node(item, {mapping: false, simpleKey: false})
    }
    this.indent = this.indents.pop()!
  }

  private mapping(entries: [string, Plain][]): void {
    this.increaseIndent(false, false)
    for (const [k, v] of entries) {
      this.writeIndent()
      if (isSimpleKey(k)) {
        this.node(k, {mapping: true, simpleKey: true})
        this.writeIndicator(':', false, false, false)
      } else {
        this.writeIndicator('?', true, false, true)
        this.node(k, {mapping: true, simpleKey: false})
        this.writeIndent()
        this.writeIndicator(':', true, false, true)
      }
      this.node(v, {mapping: true, simpleKey: false})
    }
    this.indent = this.indents.pop()!
  }

  // yaml_emitter_select_scalar_style + emit_scalar
  private scalar(value: string, requested: Style): void {
    const a = analyzeScalar(value)
    let style = requested
    if (this.simpleKeyContext && a.multiline) style = 'double'
    if (style === 'plain') {
      if ((this.flowLevel > 0 && !a.flowPlain) || (this.flowLevel === 0 && !a.blockPlain)) style = 'single'
      if (value.length === 0 && (this.flowLevel > 0 || this.simpleKeyContext)) style = 'single'
    }
    if (style === 'single' && !a.single) style = 'double'
    if (style === 'literal' && (!a.block || this.flowLevel > 0 || this.simpleKeyContext)) style = 'double'
    this.increaseIndent(true, false)
    const allowBreaks = !this.simpleKeyContext
    if (style === 'plain') this.writePlain(value, allowBreaks)
    else if (style === 'single') this.writeSingle(value, allowBreaks)
    else if (style === 'double') this.writeDouble(value, allowBreaks)
    else this.writeLiteral(value)
    this.indent = this.indents.pop()!
  }

  private put(s: string): void {
    this.chunks.push(s)
    this.column++
  }

  private putBreak(): void {
    this.chunks.push('\n')
    this.column = 0
  }

  // write_break: '\n' is a line break; other break characters (NEL, LS, PS) are copied and reset the column
  private writeBreak(ch: string): void {
    if (ch === '\n') this.putBreak()
    else {
      this.chunks.push(ch)
      this.column = 0
    }
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent)
    if (this.indent < 0) this.indent = flow ? bestIndent : 0
    else if (!indentless) this.indent += bestIndent
  }

  writeIndent(): void {
    const indent = Math.max(this.indent, 0)
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak()
    while (this.column < indent) this.put(' ')
    this.whitespace = true
    this.indention = true
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean) {
    if (needWhitespace && !this.whitespace) this.put(' ')
    for (const ch of indicator) this.put(ch)
    this.whitespace = isWhitespace
    this.indention = this.indention && isIndention
  }

  private writePlain(value: string, allowBreaks: boolean): void {
    if (!this.whitespace) this.put(' ')
    const cs = [...value]
    let spaces = false
    for (let i = 0; i < cs.length; i++) {
      const ch = cs[i]
      if (ch === ' ') {
        if (allowBreaks && !spaces && this.column > bestWidth && cs[i + 1] !== ' ') this.writeIndent()
        else this.put(ch)
        spaces = true
      } else {
        this.put(ch)
        this.indention = false
        spaces = false
      }
    }
    this.whitespace = false
    this.indention = false
  }

  private writeSingle(value: string, allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false)
    const cs = [...value]
    let spaces = false
    let breaks = false
    for (let i = 0; i < cs.length; i++) {
      const ch = cs[i]
      if (ch === ' ') {
        if (allowBreaks && !spaces && this.column > bestWidth && i > 0 && i < cs.length - 1 && cs[i + 1] !== ' ') {
          this.writeIndent()
        } else this.put(ch)
        spaces = true
      } else if (isBreak(ch)) {
        if (!breaks && ch === '\n') this.putBreak()
        this.writeBreak(ch)
        this.indention = true
        breaks = true
      } else {
        if (breaks) this.writeIndent()
        if (ch === "'") this.put("'")
        this.put(ch)
        this.indention = false
        spaces = false
        breaks = false
      }
    }
    this.writeIndicator("'", false, false, false)
    this.whitespace = false
    this.indention = false
  }

  private writeDouble(value: string, allowBreaks: boolean): void {
    this.writeIndicator('"', true, false, false)
    const cs = [...value]
    let spaces = false
    for (let i = 0; i < cs.length; i++) {
      const ch = cs[i]
      const c = ch.codePointAt(0)!
      if (!isPrintable(c) || c === 0xfeff || isBreak(ch) || ch === '"' || ch === '\\') {
        this.put('\\')
        const short = doubleEscapes[c]
        if (short) this.put(short)
        else {
          const [letter, width] = c <= 0xff ? ['x', 2] : c <= 0xffff ? ['u', 4] : ['U', 8]
          this.put(letter)
          for (const d of c.toString(16).toUpperCase().padStart(width, '0')) this.put(d)
        }
        spaces = false
      } else if (ch === ' ') {
        if (allowBreaks && !spaces && this.column > bestWidth && i > 0 && i < cs.length - 1) {
          this.writeIndent()
          if (cs[i + 1] === ' ') this.put('\\')
        } else this.put(ch)
        spaces = true
      } else {
        this.put(ch)
        spaces = false
      }
    }
    this.writeIndicator('"', false, false, false)
    this.whitespace = false
    this.indention = false
  }

  private writeLiteral(value: string): void {
    this.writeIndicator('|', true, false, false)
    const cs = [...value]
    // yaml_emitter_write_block_scalar_hints
    if (cs[0] === ' ' || isBreak(cs[0])) this.writeIndicator(String(bestIndent), false, false, false)
    const last = cs.length - 1
    let chomp = ''
    if (!isBreak(cs[last])) chomp = '-'
    else if (last === 0 || isBreak(cs[last - 1])) chomp = '+'
    if (chomp) this.writeIndicator(chomp, false, false, false)
    this.putBreak()
    this.indention = true
    this.whitespace = true
    let breaks = true
    for (const ch of cs) {
      if (isBreak(ch)) {
        this.writeBreak(ch)
        this.indention = true
        breaks = true
      } else {
        if (breaks) this.writeIndent()
        this.put(ch)
        this.indention = false
        breaks = false
      }
    }
  }
}

const doubleEscapes: Record<number, string> = {
  0x00: '0',
  0x07: 'a',
  0x08: 'b',
  0x09: 't',
  0x0a: 'n',
  0x0b: 'v',
  0x0c: 'f',
  0x0d: 'r',
  0x1b: 'e',
  0x22: '"',
  0x5c: '\\',
  0x85: 'N',
  0xa0: '_',
  0x2028: 'L',
  0x2029: 'P',
}

// is_printable of go-yaml, on code points
function isPrintable(c: number): boolean {
  return (
    c === 0x0a || (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff)
  )
}

function isBreak(ch: string | undefined): boolean {
  return ch === '\r' || ch === '\n' || ch === '\u0085' || ch === '\u2028' || ch === '\u2029'
}

function isBlankz(ch: string | undefined): boolean {
  return ch === undefined || ch === ' ' || ch === '\t' || ch === '\0' || isBreak(ch)
}

// check_simple_key for a scalar key: single line and at most 128 bytes
function isSimpleKey(k: string): boolean {
  if ([...k].some((ch) => isBreak(ch))) return false
  return Buffer.byteLength(k) <= 128
}

// encode.go stringv: literal for multi-line text, plain when the text reads back as a string, else double quotes
function stringStyle(s: string): Style {
  if (s.includes('\n')) return 'literal'
  return resolvesToString(s) && !isBase60Float(s) ? 'plain' : 'double'
}

// yaml_emitter_analyze_scalar
function analyzeScalar(value: string): Analysis {
  if (value.length === 0) return {multiline: false, flowPlain: false, blockPlain: true, single: true, block: false}
  const cs = [...value]
  let blockIndicators = false
  let flowIndicators = false
  let lineBreaks = false
  let special = false
  let leadingSpace = false
  let leadingBreak = false
  let trailingSpace = false
  let trailingBreak = false
  let breakSpace = false
  let spaceBreak = false
  let precededByWhitespace = true
  let previousSpace = false
  let previousBreak = false
  if (value.startsWith('---') || value.startsWith('...')) {
    blockIndicators = true
    flowIndicators = true
  }
  for (let i = 0; i < cs.length; i++) {
    const ch = cs[i]
    const next = cs[i + 1]
    const followedByWhitespace = next === undefined || next === ' ' || next === '\t'
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) {
        flowIndicators = true
        blockIndicators = true
      } else if (ch === '?' || ch === ':') {
        flowIndicators = true
        if (followedByWhitespace) blockIndicators = true
      } else if (ch === '-' && followedByWhitespace) {
        flowIndicators = true
        blockIndicators = true
      }
    } else if (',?[]{}'.includes(ch)) {
      flowIndicators = true
    } else if (ch === ':') {
      flowIndicators = true
      if (followedByWhitespace) blockIndicators = true
    } else if (ch === '#' && precededByWhitespace) {
      flowIndicators = true
      blockIndicators = true
    }
    if (!isPrintable(ch.codePointAt(0)!)) special = true
    if (ch === ' ') {
      if (i === 0) leadingSpace = true
      if (i === cs.length - 1) trailingSpace = true
      if (previousBreak) breakSpace = true
      previousSpace = true
      previousBreak = false
    } else if (isBreak(ch)) {
      lineBreaks = true
      if (i === 0) leadingBreak = true
      if (i === cs.length - 1) trailingBreak = true
      if (previousSpace) spaceBreak = true
      previousSpace = false
      previousBreak = true
    } else {
      previousSpace = false
      previousBreak = false
    }
    precededByWhitespace = isBlankz(ch)
  }
  const a: Analysis = {multiline: lineBreaks, flowPlain: true, blockPlain: true, single: true, block: true}
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) a.flowPlain = a.blockPlain = false
  if (trailingSpace) a.block = false
  if (breakSpace) a.flowPlain = a.blockPlain = a.single = false
  if (spaceBreak || special) a.flowPlain = a.blockPlain = a.single = a.block = false
  if (lineBreaks) a.flowPlain = a.blockPlain = false
  if (flowIndicators) a.flowPlain = false
  if (blockIndicators) a.blockPlain = false
  return a
}

// ---- go-yaml v2 resolve.go: what a plain scalar means ----

const resolveMap: Record<string, boolean | null | number> = {}
for (const s of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']) resolveMap[s] = true
for (const s of ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']) resolveMap[s] = false
for (const s of ['', '~', 'null', 'Null', 'NULL']) resolveMap[s] = null
for (const s of ['.nan', '.NaN', '.NAN']) resolveMap[s] = Number.NaN
for (const s of ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']) resolveMap[s] = Number.POSITIVE_INFINITY
for (const s of ['-.inf', '-.Inf', '-.INF']) resolveMap[s] = Number.NEGATIVE_INFINITY

const yamlStyleFloat = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/
const base60float = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/

/** resolvePlain follows go-yaml v2's resolve() for an untagged plain scalar, as decoded into interface{}. */
export function resolvePlain(s: string): string | number | boolean | null {
  const c = s.charAt(0)
  const hint =
    s === ''
      ? 'N'
      : '+-'.includes(c)
        ? 'S'
        : c >= '0' && c <= '9'
          ? 'D'
          : 'yYnNtTfFoO~'.includes(c)
            ? 'M'
            : c === '.'
              ? '.'
              : ''
  if (hint === '') return s
  if (Object.hasOwn(resolveMap, s)) return resolveMap[s]
  if (hint === '.') {
    const f = goParseFloat(s)
    return f === undefined ? s : f
  }
  if (hint === 'D' || hint === 'S') {
    // timestamps resolve, but go-yaml v2 hands them to interface{} as the original string
    if (isTimestamp(s)) return s
    const plain = s.replaceAll('_', '')
    const i = goParseInt(plain)
    if (i !== undefined) return i
    if (yamlStyleFloat.test(plain)) {
      const f = goParseFloat(plain)
      if (f !== undefined) return f
    }
    if (plain.startsWith('0b') && /^[01]+$/.test(plain.slice(2))) return Number.parseInt(plain.slice(2), 2)
    if (plain.startsWith('-0b') && /^[01]+$/.test(plain.slice(3))) return -Number.parseInt(plain.slice(3), 2)
  }
  return s
}

function resolvesToString(s: string): boolean {
  const c = s.charAt(0)
  if ((c === '+' || c === '-' || (c >= '0' && c <= '9')) && isTimestamp(s)) return false
  return typeof resolvePlain(s) === 'string'
}

// strconv.ParseInt(s, 0, 64), falling back to ParseUint: sign, 0x/0o/0b/0 prefixes, range of int64/uint64
function goParseInt(s: string): number | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s)
  if (!m) return undefined
  const body = m[2]
  let v: bigint
  if (/^0[xXoObB]/.test(body)) v = BigInt(body.toLowerCase())
  else if (body.length > 1 && body[0] === '0') v = BigInt('0o' + body.slice(1))
  else v = BigInt(body)
  if (m[1] === '-') v = -v
  if (m[1] !== '' ? v >= -(2n ** 63n) && v < 2n ** 63n : v < 2n ** 64n) return Number(v)
  return undefined
}

// strconv.ParseFloat for the decimal forms the callers pass; out of range is an error in Go
function goParseFloat(s: string): number | undefined {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return undefined
  const f = Number(s)
  return Number.isFinite(f) ? f : undefined
}

/** isBase60Float reports YAML 1.1 sexagesimal numbers, which go-yaml quotes on output but never reads. */
export function isBase60Float(s: string): boolean {
  const c = s.charAt(0)
  if (!(c === '+' || c === '-' || (c >= '0' && c <= '9')) || !s.includes(':')) return false
  return base60float.test(s)
}

// parseTimestamp of resolve.go: time.Parse with 2006-1-2T15:4:5.999999999Z07:00 (also with 't'),
// "2006-1-2 15:4:5.999999999" and "2006-1-2"
const timestampRe =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:([Tt ])(\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,]\d+)?(Z|[+-]\d\d:\d\d)?)?$/
function isTimestamp(s: string): boolean {
  const m = timestampRe.exec(s)
  if (!m) return false
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (month < 1 || month > 12) return false
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate()
  if (day < 1 || day > days) return false
  if (m[4] === undefined) return true
  if (Number(m[5]) >= 24 || Number(m[6]) >= 60 || Number(m[7]) >= 60) return false
  const tz = m[8]
  if (m[4] === ' ') return tz === undefined
  if (tz === undefined) return false
  if (tz !== 'Z' && (Number(tz.slice(1, 3)) > 24 || Number(tz.slice(4, 6)) > 60)) return false
  return true
}

// ---- reading manifests ----

/** YamlParseError is a manifest syntax error, worded like go-yaml's through sigs.k8s.io/yaml. */
export class YamlParseError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message)
    this.name = 'YamlParseError'
  }
}

/**
 * parseYamlDocuments reads a multi-document YAML (or JSON) manifest as kubectl does: YAML 1.1 scalars resolved by
 * go-yaml v2's rules, `---` separated documents, empty documents skipped. Errors read
 * `error converting YAML to JSON: yaml: line N: <reason>`; the caller prefixes `error parsing <file>: `.
 */
export function parseYamlDocuments(text: string): unknown[] {
  const docs = parseAllDocuments(text, {version: '1.1', schema: 'failsafe', merge: true, uniqueKeys: false})
  const out: unknown[] = []
  for (const doc of docs) {
    const err = doc.errors[0]
    if (err) throw toGoYamlError(text, err)
    visit(doc, {
      Scalar(_key, node: Scalar) {
        node.value = scalarValue(node)
      },
    })
    let js: unknown
    try {
      js = doc.toJS({maxAliasCount: 1000})
    } catch (e) {
      const alias = /Unresolved alias.*: (.*)$/.exec((e as Error).message)
      if (alias)
        throw new YamlParseError(`error converting YAML to JSON: yaml: unknown anchor '${alias[1]}' referenced`, 0)
      throw e
    }
    if (js === null || js === undefined) continue
    out.push(js)
  }
  return out
}

function scalarValue(node: Scalar): unknown {
  const s = String(node.value)
  const tag = node.tag
  if (tag === 'tag:yaml.org,2002:binary' || tag === '!!binary')
    return Buffer.from(s.replace(/\s+/g, ''), 'base64').toString('utf8')
  if (tag === 'tag:yaml.org,2002:str' || tag === '!!str') return s
  if (node.type !== 'PLAIN' && !tag) return s
  return resolvePlain(s)
}

// toGoYamlError rewords the yaml package's error as go-yaml v2 would. go-yaml numbers scanner errors from 1 but
// parser errors from 0 (decode.go only adds 1 for scanner errors) and leaves the line out when it is 0.
function toGoYamlError(text: string, err: {code: string; message: string; pos: [number, number]}): YamlParseError {
  const lineAt = (offset: number) => text.slice(0, offset).split('\n').length
  const at = lineAt(err.pos[0])
  const msg = err.message
  let scanner = false
  let reason: string
  let line = at
  if (err.code === 'TAB_AS_INDENT' || err.code === 'BAD_SCALAR_START' || /tab/i.test(msg)) {
    scanner = true
    reason = 'found character that cannot start any token'
  } else if (err.code === 'MISSING_CHAR' && /Missing closing/.test(msg)) {
    scanner = true
    reason = 'found unexpected end of stream'
  } else if (err.code === 'BLOCK_AS_IMPLICIT_KEY' || /Nested mappings are not allowed/.test(msg)) {
    scanner = true
    reason = 'mapping values are not allowed in this context'
    // go-yaml stops at the offending ':' itself
    const m = /:(?=[ \t]|$)/m.exec(text.slice(err.pos[0]))
    if (m) line = lineAt(err.pos[0] + m.index)
  } else if (/Flow sequence/.test(msg)) {
    reason = "did not find expected ',' or ']'"
  } else if (/Flow map/.test(msg)) {
    reason = "did not find expected ',' or '}'"
  } else if (err.code === 'UNEXPECTED_TOKEN' && inBlockSequence(text, at)) {
    reason = "did not find expected '-' indicator"
  } else {
    reason = 'did not find expected key'
  }
  const shown = scanner ? (line > 1 ? line : 0) : line - 1
  const where = shown > 0 ? `line ${shown}: ` : ''
  return new YamlParseError(`error converting YAML to JSON: yaml: ${where}${reason}`, line)
}

// inBlockSequence reports whether the nearest earlier line at the same indentation is a `- ` item
function inBlockSequence(text: string, line: number): boolean {
  const lines = text.split('\n')
  const indent = (l: string) => l.length - l.trimStart().length
  const cur = lines[line - 1] ?? ''
  for (let i = line - 2; i >= 0; i--) {
    if (lines[i].trim() === '' || lines[i].trimStart().startsWith('#')) continue
    if (indent(lines[i]) === indent(cur)) return lines[i].trimStart().startsWith('-')
    if (indent(lines[i]) < indent(cur)) return false
  }
  return false
}
