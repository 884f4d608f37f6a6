// jsonpath.ts: kubectl's JSONPath template dialect, a port of k8s.io/client-go/util/jsonpath (parser.go,
// jsonpath.go) and of the comparisons it borrows from text/template (third_party/forked/golang/template).
//
// A template is text with {actions}. Each action is a chain of nodes evaluated from the root object; `{range}` /
// `{end}` repeat the actions between them for every result. Values follow Go's unstructured model: JSON integral
// numbers are int64, others float64; results print with fmt.Sprint, maps and slices as compact JSON. Unlike Go, map
// keys are visited in sorted order by `*` and `..` (Go's map order is random), so output is deterministic.
import {compareCodePoints, formatFloatG, formatRuneU, goSprint, sortedKeys} from './gofmt.js'
import {toJson} from './gojson.js'

interface ListNode {
  t: 'list'
  nodes: Node[]
}
interface Param {
  value: number
  known: boolean
  derived: boolean
}
type Node =
  | ListNode
  | {t: 'text'; text: string}
  | {t: 'field'; value: string}
  | {t: 'array'; params: [Param, Param, Param]}
  | {t: 'filter'; left: ListNode; right: ListNode; op: string}
  | {t: 'int'; value: number}
  | {t: 'float'; value: number}
  | {t: 'bool'; value: boolean}
  | {t: 'wildcard'}
  | {t: 'recursive'}
  | {t: 'union'; nodes: ListNode[]}
  | {t: 'identifier'; name: string}

/** GoFloat marks a float64 literal of a template (`2.0`), which Go never compares with an int. */
class GoFloat {
  constructor(readonly value: number) {}
}

/** noValue is Go's invalid reflect.Value: what `{range}` hands to its body for a nil item; it prints `<no value>`. */
const noValue = Symbol('no value')

/** JsonPathError is an evaluation or parse error with client-go's wording. */
export class JsonPathError extends Error {
  override name = 'JsonPathError'
}

const eof = ''

// ---- parser (parser.go) ----

class Parser {
  private input = ''
  private pos = 0
  private start = 0
  private width = 0
  root: ListNode = {t: 'list', nodes: []}

  parse(text: string): ListNode {
    this.input = text
    this.root = {t: 'list', nodes: []}
    this.pos = 0
    this.start = 0
    this.parseText(this.root)
    return this.root
  }

  private consumeText(): string {
    const v = this.input.slice(this.start, this.pos)
    this.start = this.pos
    return v
  }

  private next(): string {
    if (this.pos >= this.input.length) {
      this.width = 0
      return eof
    }
    const ch = String.fromCodePoint(this.input.codePointAt(this.pos)!)
    this.width = ch.length
    this.pos += this.width
    return ch
  }

  private peek(): string {
    const r = this.next()
    this.backup()
    return r
  }

  private backup(): void {
    this.pos -= this.width
  }

  private parseText(cur: ListNode): void {
    for (;;) {
      if (this.input.startsWith('{', this.pos)) {
        if (this.pos > this.start) cur.nodes.push({t: 'text', text: this.consumeText()})
        return this.parseLeftDelim(cur)
      }
      if (this.next() === eof) break
    }
    if (this.pos > this.start) cur.nodes.push({t: 'text', text: this.consumeText()})
  }

  private parseLeftDelim(cur: ListNode): void {
    this.pos += 1
    this.consumeText()
    const node: ListNode = {t: 'list', nodes: []}
    cur.nodes.push(node)
    this.parseInsideAction(node)
  }

  private parseInsideAction(cur: ListNode): void {
    for (;;) {
      const rest = this.input.slice(this.pos)
      if (rest.startsWith('}')) return this.parseRightDelim()
      if (rest.startsWith('[?(')) return this.parseFilter(cur)
      if (rest.startsWith('..')) return this.parseRecursive(cur)
      const r = this.next()
      if (r === eof || isEndOfLine(r)) throw new JsonPathError('unclosed action')
      if (r === ' ' || r === '@' || r === '$') {
        this.consumeText()
        continue
      }
      if (r === '[') return this.parseArray(cur)
      if (r === '"' || r === "'") return this.parseQuote(cur, r)
      if (r === '.') return this.parseField(cur)
      if (r === '+' || r === '-' || isDigit(r)) {
        this.backup()
        return this.parseNumber(cur)
      }
      if (isAlphaNumeric(r)) {
        this.backup()
        return this.parseIdentifier(cur)
      }
      throw new JsonPathError(`unrecognized character in action: ${formatRuneU(r)}`)
    }
  }

  private parseRightDelim(): void {
    this.pos += 1
    this.consumeText()
    this.parseText(this.root)
  }

  private parseIdentifier(cur: ListNode): void {
    for (;;) {
      if (isTerminator(this.next())) {
        this.backup()
        break
      }
    }
    const value = this.consumeText()
    if (value === 'true' || value === 'false') cur.nodes.push({t: 'bool', value: value === 'true'})
    else cur.nodes.push({t: 'identifier', name: value})
    this.parseInsideAction(cur)
  }

  private parseRecursive(cur: ListNode): void {
    if (cur.nodes.at(-1)?.t === 'recursive') throw new JsonPathError('invalid multiple recursive descent')
    this.pos += 2
    this.consumeText()
    cur.nodes.push({t: 'recursive'})
    if (isAlphaNumeric(this.peek())) return this.parseField(cur)
    this.parseInsideAction(cur)
  }

  private parseNumber(cur: ListNode): void {
    const r = this.peek()
    if (r === '+' || r === '-') this.next()
    for (;;) {
      const c = this.next()
      if (c !== '.' && !isDigit(c)) {
        this.backup()
        break
      }
    }
    const value = this.consumeText()
    if (/^[+-]?\d+$/.test(value) && Math.abs(Number(value)) < 2 ** 63) cur.nodes.push({t: 'int', value: Number(value)})
    else if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(value)) cur.nodes.push({t: 'float', value: Number(value)})
    else throw new JsonPathError(`cannot parse number ${value}`)
    this.parseInsideAction(cur)
  }

  private parseArray(cur: ListNode): void {
    for (;;) {
      const c = this.next()
      if (c === eof || c === '\n') throw new JsonPathError('unterminated array')
      if (c === ']') break
    }
    let text = this.consumeText()
    text = text.slice(1, -1)
    if (text === '*') text = ':'
    const strs = text.split(',')
    if (strs.length > 1) {
      const union = strs.map((s) => parseAction(`[${s.replace(/^ +| +$/g, '')}]`))
      cur.nodes.push({t: 'union', nodes: union})
      return this.parseInsideAction(cur)
    }
    const dict = /^'([^']*)'$/.exec(text)
    if (dict) {
      cur.nodes.push(...parseAction(`.${dict[1]}`).nodes)
      return this.parseInsideAction(cur)
    }
    const m = /^(-?[0-9]*)(:-?[0-9]*)?(:-?[0-9]*)?$/.exec(text)
    if (!m) throw new JsonPathError(`invalid array index ${text}`)
    const params: [Param, Param, Param] = [
      {value: 0, known: false, derived: false},
      {value: 0, known: false, derived: false},
      {value: 0, known: false, derived: false},
    ]
    for (let i = 0; i < 3; i++) {
      let v = m[i + 1] ?? ''
      if (v !== '') {
        if (i > 0) v = v.slice(1)
        if (i > 0 && v === '') params[i].known = false
        else {
          if (!/^[+-]?\d+$/.test(v)) throw new JsonPathError(`array index ${v} is not a number`)
          params[i] = {value: Number(v), known: true, derived: false}
        }
      } else if (i === 1) {
        params[i] = {value: params[0].value + 1, known: true, derived: true}
      }
    }
    cur.nodes.push({t: 'array', params})
    this.parseInsideAction(cur)
  }

  private parseFilter(cur: ListNode): void {
    this.pos += 3
    this.consumeText()
    let begin = false
    let end = false
    let pair = ''
    for (;;) {
      const r = this.next()
      if (r === eof || r === '\n') throw new JsonPathError('unterminated filter')
      if (r === '"' || r === "'") {
        if (!begin) {
          begin = true
          pair = r
          continue
        }
        if (this.input[this.pos - 2] !== '\\' && r === pair) end = true
      } else if (r === ')' && begin === end) break
    }
    if (this.next() !== ']') throw new JsonPathError('unclosed array expect ]')
    let text = this.consumeText()
    text = text.slice(0, -2)
    const m = /^([^!<>=]+)([!<>=]+)(.+?)$/s.exec(text)
    if (!m) cur.nodes.push({t: 'filter', left: parseAction(text), right: {t: 'list', nodes: []}, op: 'exists'})
    else cur.nodes.push({t: 'filter', left: parseAction(m[1]), right: parseAction(m[3]), op: m[2]})
    this.parseInsideAction(cur)
  }

  private parseQuote(cur: ListNode, end: string): void {
    for (;;) {
      const c = this.next()
      if (c === eof || c === '\n') throw new JsonPathError('unterminated quoted string')
      if (c === end && this.input[this.pos - 2] !== '\\') break
    }
    const value = this.consumeText()
    let s: string
    try {
      s = unquoteExtend(value)
    } catch (e) {
      throw new JsonPathError(`unquote string ${value} error invalid syntax`, {cause: e})
    }
    cur.nodes.push({t: 'text', text: s})
    this.parseInsideAction(cur)
  }

  private parseField(cur: ListNode): void {
    this.consumeText()
    while (this.advance());
    const value = this.consumeText()
    if (value === '*') cur.nodes.push({t: 'wildcard'})
    else cur.nodes.push({t: 'field', value: value.replaceAll('\\', '')})
    this.parseInsideAction(cur)
  }

  private advance(): boolean {
    const r = this.next()
    if (r === '\\') this.next()
    else if (isTerminator(r)) {
      this.backup()
      return false
    }
    return true
  }
}

// parseAction parses the text of one action, as parser.go's parseAction does by wrapping it in braces
function parseAction(text: string): ListNode {
  const root = new Parser().parse(`{${text}}`)
  return root.nodes[0] as ListNode
}

function isTerminator(r: string): boolean {
  return r === ' ' || r === '\t' || isEndOfLine(r) || r === eof || '.,[]$@{}'.includes(r)
}

function isEndOfLine(r: string): boolean {
  return r === '\r' || r === '\n'
}

function isDigit(r: string): boolean {
  return r !== eof && /^\p{Nd}$/u.test(r)
}

function isAlphaNumeric(r: string): boolean {
  return r === '_' || (r !== eof && /^[\p{L}\p{Nd}]$/u.test(r))
}

// UnquoteExtend: strconv.Unquote that also accepts single-quoted strings of any length
function unquoteExtend(s: string): string {
  const n = s.length
  if (n < 2) throw new Error('invalid syntax')
  const quote = s[0]
  if (quote !== s[n - 1] || (quote !== '"' && quote !== "'")) throw new Error('invalid syntax')
  s = s.slice(1, -1)
  let out = ''
  for (let i = 0; i < s.length;) {
    const c = s[i]
    if (c === quote) throw new Error('invalid syntax')
    if (c !== '\\') {
      out += c
      i++
      continue
    }
    const e = s[i + 1]
    i += 2
    const simple: Record<string, string> = {a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\'}
    if (e in simple) out += simple[e]
    else if (e === "'" || e === '"') {
      if (e !== quote) throw new Error('invalid syntax')
      out += e
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const len = e === 'x' ? 2 : e === 'u' ? 4 : 8
      const hex = s.slice(i, i + len)
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) throw new Error('invalid syntax')
      const v = Number.parseInt(hex, 16)
      if (e === 'x') out += String.fromCharCode(v)
      else {
        if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw new Error('invalid syntax')
        out += String.fromCodePoint(v)
      }
      i += len
    } else if (e >= '0' && e <= '7') {
      const oct = s.slice(i - 1, i + 2)
      if (!/^[0-7]{3}$/.test(oct) || Number.parseInt(oct, 8) > 255) throw new Error('invalid syntax')
      out += String.fromCharCode(Number.parseInt(oct, 8))
      i += 2
    } else throw new Error('invalid syntax')
  }
  return out
}

// ---- evaluation (jsonpath.go) ----

type Value = unknown

/** JsonPathOptions: allowMissingKeys (kubectl's default for -o jsonpath is true) and outputJSON (jsonpath-as-json). */
export interface JsonPathOptions {
  allowMissingKeys?: boolean
  outputJSON?: boolean
}

/** JsonPath is one parsed template; execute() may be called for many objects. */
export class JsonPath {
  private readonly root: ListNode
  private beginRange = 0
  private inRange = 0
  private endRange = 0
  private lastEndNode: Node | undefined
  private readonly allowMissingKeys: boolean
  private readonly outputJSON: boolean

  /** constructor parses the template and throws JsonPathError on bad syntax. */
  constructor(template: string, opts: JsonPathOptions = {}) {
    this.root = new Parser().parse(template)
    this.allowMissingKeys = opts.allowMissingKeys ?? false
    this.outputJSON = opts.outputJSON ?? false
  }

  /** execute evaluates the template on data and returns the text, or throws JsonPathError. */
  execute(data: unknown): string {
    this.beginRange = this.inRange = this.endRange = 0
    return this.findResults(data, this.root.nodes)
      .map((r) => this.printResults(r))
      .join('')
  }

  /** findResults returns one list of values per top-level action, as FindResults does. */
  findResults(data: unknown, nodes: Node[] = this.root.nodes): Value[][] {
    const full: Value[][] = []
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]
      const results = this.walk([data], node)
      if (this.endRange > 0 && this.endRange <= this.inRange) {
        this.endRange--
        this.lastEndNode = node
        break
      }
      if (this.beginRange > 0) {
        this.beginRange--
        this.inRange++
        if (results.length > 0) {
          for (const value of results) {
            full.push(...this.findResults(value === null || value === undefined ? noValue : value, nodes.slice(i + 1)))
          }
        } else {
          this.findResults(null, nodes.slice(i + 1))
        }
        this.inRange--
        for (let k = i + 1; k < nodes.length; k++) {
          if (nodes[k] === this.lastEndNode) {
            i = k
            break
          }
        }
        continue
      }
      full.push(results)
    }
    return full
  }

  private printResults(results: Value[]): string {
    if (this.outputJSON) return toJson(results.map((v) => (v === noValue ? null : plain(v)))) + '\n'
    return results
      .map((r) => (r !== null && typeof r === 'object' && !(r instanceof GoFloat) ? toJson(r, '') : toText(r)))
      .join(' ')
  }

  private walk(value: Value[], node: Node): Value[] {
    switch (node.t) {
      case 'list':
        return this.evalList(value, node)
      case 'text':
        return [node.text]
      case 'field':
        return this.evalField(value, node.value)
      case 'array':
        return this.evalArray(value, node.params)
      case 'filter':
        return this.evalFilter(value, node)
      case 'int':
        return value.map(() => node.value)
      case 'float':
        return value.map(() => new GoFloat(node.value))
      case 'bool':
        return value.map(() => node.value)
      case 'wildcard':
        return value.flatMap((v) => children(v) ?? [])
      case 'recursive':
        return this.evalRecursive(value)
      case 'union':
        return node.nodes.flatMap((list) => this.evalList(value, list))
      case 'identifier':
        return this.evalIdentifier(value, node.name)
    }
  }

  private evalList(value: Value[], node: ListNode): Value[] {
    let cur = value
    for (const n of node.nodes) cur = this.walk(cur, n)
    return cur
  }

  private evalIdentifier(input: Value[], name: string): Value[] {
    if (name === 'range') {
      this.beginRange++
      return input
    }
    if (name === 'end') {
      if (this.inRange > 0) {
        this.endRange++
        return []
      }
      throw new JsonPathError('not in range, nothing to end')
    }
    throw new JsonPathError(`unrecognized identifier ${name}`)
  }

  private evalArray(input: Value[], nodeParams: [Param, Param, Param]): Value[] {
    const result: Value[] = []
    for (const value of input) {
      if (value === null || value === undefined || value === noValue) continue
      if (!Array.isArray(value)) throw new JsonPathError(`${goTypeName(value)} is not array or slice`)
      const [p0, p1, p2] = nodeParams.map((p) => ({...p}))
      const len = value.length
      if (!p0.known) p0.value = 0
      if (p0.value < 0) p0.value += len
      if (!p1.known) p1.value = len
      if (p1.value < 0 || (p1.value === 0 && p1.derived)) p1.value += len
      if (p1.value === p0.value) return result
      if (p0.value >= len || p0.value < 0) {
        throw new JsonPathError(`array index out of bounds: index ${p0.value}, length ${len}`)
      }
      if (p1.value > len || p1.value < 0) {
        throw new JsonPathError(`array index out of bounds: index ${p1.value - 1}, length ${len}`)
      }
      if (p0.value > p1.value) {
        throw new JsonPathError(`starting index ${p0.value} is greater than ending index ${p1.value}`)
      }
      const slice = value.slice(p0.value, p1.value)
      let step = 1
      if (p2.known) {
        if (p2.value <= 0) throw new JsonPathError('step must be > 0')
        step = p2.value
      }
      for (let i = 0; i < slice.length; i += step) result.push(slice[i])
    }
    return result
  }

  private evalField(input: Value[], key: string): Value[] {
    const results: Value[] = []
    if (input.length === 0) return results
    for (const value of input) {
      if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value)) continue
      if (value instanceof GoFloat) continue
      if (Object.hasOwn(value, key)) results.push((value as Record<string, unknown>)[key])
    }
    if (results.length === 0 && !this.allowMissingKeys) throw new JsonPathError(`${key} is not found`)
    return results
  }

  private evalRecursive(input: Value[]): Value[] {
    const result: Value[] = []
    for (const value of input) {
      const kids = children(value)
      if (kids && kids.length > 0) {
        result.push(value)
        result.push(...this.evalRecursive(kids))
      }
    }
    return result
  }

  private evalFilter(input: Value[], node: Extract<Node, {t: 'filter'}>): Value[] {
    const results: Value[] = []
    for (const value of input) {
      if (!Array.isArray(value))
        throw new JsonPathError(`${goSprint(value)} is not array or slice and cannot be filtered`)
      for (const item of value) {
        let lefts: Value[] = []
        let leftErr: unknown
        try {
          lefts = this.evalList([item], node.left)
        } catch (e) {
          leftErr = e
        }
        if (node.op === 'exists') {
          if (lefts.length > 0) results.push(item)
          continue
        }
        if (leftErr) throw leftErr
        if (lefts.length === 0) continue
        if (lefts.length > 1) throw new JsonPathError('can only compare one element at a time')
        const rights = this.evalList([item], node.right)
        if (rights.length === 0) continue
        if (rights.length > 1) throw new JsonPathError('can only compare one element at a time')
        if (compare(lefts[0], rights[0], node.op)) results.push(item)
      }
    }
    return results
  }
}

// children lists what `*` and `..` step into: map values (sorted keys), slice elements, a string's bytes
function children(v: Value): Value[] | undefined {
  if (v === null || v === undefined || v === noValue || v instanceof GoFloat) return undefined
  if (Array.isArray(v)) return v
  if (typeof v === 'string') return [...Buffer.from(v, 'utf8')]
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>
    return sortedKeys(o).map((k) => o[k])
  }
  return undefined
}

function plain(v: Value): unknown {
  return v instanceof GoFloat ? v.value : v
}

// evalToText: fmt.Fprint of the value, "null" for nil
function toText(v: Value): string {
  if (v === noValue) return '<no value>'
  if (v === null || v === undefined) return 'null'
  if (v instanceof GoFloat) return formatFloatG(v.value)
  return goSprint(v)
}

function goTypeName(v: Value): string {
  if (typeof v === 'string') return 'string'
  if (typeof v === 'boolean') return 'bool'
  if (v instanceof GoFloat) return 'float64'
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64'
  if (typeof v === 'object') return 'map[string]interface {}'
  return 'interface {}'
}

type BasicKind = 'bool' | 'int' | 'float' | 'string'
function basicKind(v: Value): BasicKind {
  if (typeof v === 'boolean') return 'bool'
  if (v instanceof GoFloat) return 'float'
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float'
  if (typeof v === 'string') return 'string'
  throw new JsonPathError('invalid type for comparison')
}

// the comparison functions of text/template (funcs.go): Equal, Less and the operators built on them
function compare(a: Value, b: Value, op: string): boolean {
  const ka = basicKind(a)
  const kb = basicKind(b)
  const num = (v: Value) => (v instanceof GoFloat ? v.value : (v as number))
  const equal = (): boolean => {
    if (ka !== kb) throw new JsonPathError('incompatible types for comparison')
    if (ka === 'int' || ka === 'float') return num(a) === num(b)
    return a === b
  }
  const less = (): boolean => {
    if (ka !== kb) throw new JsonPathError('incompatible types for comparison')
    if (ka === 'bool') throw new JsonPathError('invalid type for comparison')
    if (ka === 'string') return compareCodePoints(a as string, b as string) < 0
    return num(a) < num(b)
  }
  switch (op) {
    case '<':
      return less()
    case '>':
      return !(less() || equal())
    case '==':
      return equal()
    case '!=':
      return !equal()
    case '<=':
      return less() || equal()
    case '>=':
      return !less()
    default:
      throw new JsonPathError(`unrecognized filter operator ${op}`)
  }
}

/** parseJsonPath parses a template, throwing JsonPathError with client-go's message. */
export function parseJsonPath(template: string, opts: JsonPathOptions = {}): JsonPath {
  return new JsonPath(template, opts)
}

