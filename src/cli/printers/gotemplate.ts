// gotemplate.ts: kubectl's `-o go-template=` / `go-template-file=` / `template=` printer, with the common subset of
// Go's text/template (follows text/template/parse/lex.go, parse.go, node.go, exec.go and funcs.go, and cli-runtime
// pkg/printers/template.go for the printer: the extra functions `exists` and `base64decode`, missingkey=default, and
// the debugging report written to the output when execution fails).
//
// Values are modelled as Go holds the unstructured object: maps (map[string]interface {}), slices ([]interface {}),
// string, bool, int64 (bigint here; JSON's integral numbers decode to int64), float64 (number here), nil (null) and
// Go's invalid reflect.Value (undefined; "<no value>"). Values read out of a map or slice keep the static type
// `interface {}` until a pipeline ends, as reflect does; error messages show that type.
import {Buffer} from 'node:buffer'
import {formatFloatG, goQuote, goSprint, isGoInt, sortedKeys} from '../../api/gofmt.js'
import {toJson} from '../../api/gojson.js'
import type {Sink} from './tabwriter.js'

/** GoTemplateError is a parse or execution error, with Go's text. */
export class GoTemplateError extends Error {
  override name = 'GoTemplateError'
}

class LexError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message)
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Lexer (text/template/parse/lex.go)

type ItemType =
  | 'text'
  | 'left'
  | 'right'
  | 'space'
  | 'field'
  | 'variable'
  | 'identifier'
  | 'string'
  | 'rawString'
  | 'char'
  | 'asciiChar'
  | 'number'
  | 'bool'
  | 'nil'
  | 'dot'
  | 'pipe'
  | 'leftParen'
  | 'rightParen'
  | 'declare'
  | 'assign'
  | 'comma'
  | 'keyword'
  | 'eof'
  | 'error'

interface Item {
  typ: ItemType
  pos: number
  val: string
  line: number
}

const KEYWORDS = new Set([
  'block',
  'break',
  'continue',
  'define',
  'else',
  'end',
  'if',
  'range',
  'nil',
  'template',
  'with',
])

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n'
}
function isAlnum(c: string): boolean {
  return c === '_' || /^[\p{L}\p{Nd}]$/u.test(c)
}

/** lex splits a template into items (an 'error' item ends the list). */
function lex(input: string): Item[] {
  const items: Item[] = []
  let pos = 0
  let line = 1
  const emit = (typ: ItemType, start: number, val: string, l = line) => items.push({typ, pos: start, val, line: l})
  const countLines = (s: string) => {
    for (const c of s) if (c === '\n') line++
  }
  while (pos <= input.length) {
    // text up to the next {{
    const next = input.indexOf('{{', pos)
    if (next < 0) {
      if (pos < input.length) emit('text', pos, input.slice(pos))
      countLines(input.slice(pos))
      emit('eof', input.length, '')
      return items
    }
    let text = input.slice(pos, next)
    const trimLeft = input.startsWith('{{- ', next) || /^\{\{-[\t\r\n]/.test(input.slice(next, next + 4))
    if (trimLeft) text = text.replace(/[ \t\r\n]+$/, '')
    if (text.length > 0) emit('text', pos, text)
    countLines(input.slice(pos, next))
    pos = next
    const inner = pos + 2 + (trimLeft ? 2 : 0)
    // comment
    if (input.startsWith('/*', inner)) {
      const end = input.indexOf('*/', inner)
      if (end < 0) return [...items, {typ: 'error', pos, val: 'unclosed comment', line}]
      let after = end + 2
      let trimRight = false
      if (input.startsWith(' -}}', after) || /^[\t\r\n]-\}\}/.test(input.slice(after, after + 4))) {
        trimRight = true
        after += 2
      }
      if (!input.startsWith('}}', after))
        return [...items, {typ: 'error', pos, val: 'comment ends before closing delimiter', line}]
      countLines(input.slice(pos, after + 2))
      pos = after + 2
      if (trimRight) pos = skipSpace(pos)
      continue
    }
    emit('left', pos, '{{')
    pos = inner
    const startLine = line
    // inside the action
    let parenDepth = 0
    for (;;) {
      const rest = input.slice(pos)
      if (/^[ \t\r\n]-\}\}/.test(rest) || rest.startsWith('}}')) {
        if (parenDepth > 0) return [...items, {typ: 'error', pos, val: 'unclosed left paren', line}]
        const trimRight = !rest.startsWith('}}')
        const rpos = trimRight ? pos + 2 : pos
        if (trimRight) countLines(input.slice(pos, pos + 1))
        emit('right', rpos, '}}')
        pos = rpos + 2
        if (trimRight) pos = skipSpace(pos)
        break
      }
      if (pos >= input.length) return [...items, {typ: 'error', pos, val: 'unclosed action', line: startLine}]
      const c = input[pos]!
      const start = pos
      if (isSpace(c)) {
        while (pos < input.length && isSpace(input[pos]!)) {
          if (/^[ \t\r\n]-\}\}/.test(input.slice(pos))) break
          if (input[pos] === '\n') line++
          pos++
        }
        if (pos > start) emit('space', start, input.slice(start, pos))
        continue
      }
      if (c === '\n') {
        return [...items, {typ: 'error', pos, val: 'unclosed action', line}]
      }
      if (rest.startsWith(':=')) {
        emit('declare', pos, ':=')
        pos += 2
      } else if (c === '=') {
        emit('assign', pos, '=')
        pos++
      } else if (c === ':') {
        return [...items, {typ: 'error', pos, val: 'expected :=', line}]
      } else if (c === '|') {
        emit('pipe', pos, '|')
        pos++
      } else if (c === ',') {
        emit('comma', pos, ',')
        pos++
      } else if (c === '"') {
        pos++
        while (pos < input.length && input[pos] !== '"') {
          if (input[pos] === '\\') pos++
          if (input[pos] === '\n' || pos >= input.length)
            return [...items, {typ: 'error', pos, val: 'unterminated quoted string', line}]
          pos++
        }
        if (pos >= input.length) return [...items, {typ: 'error', pos, val: 'unterminated quoted string', line}]
        pos++
        emit('string', start, input.slice(start, pos))
      } else if (c === '`') {
        const end = input.indexOf('`', pos + 1)
        if (end < 0) return [...items, {typ: 'error', pos, val: 'unterminated raw quoted string', line}]
        pos = end + 1
        emit('rawString', start, input.slice(start, pos))
        countLines(input.slice(start, pos))
      } else if (c === "'") {
        pos++
        while (pos < input.length && input[pos] !== "'") {
          if (input[pos] === '\\') pos++
          if (input[pos] === '\n' || pos >= input.length)
            return [...items, {typ: 'error', pos, val: 'unterminated character constant', line}]
          pos++
        }
        pos++
        emit('char', start, input.slice(start, pos))
      } else if (c === '$') {
        pos++
        while (pos < input.length && isAlnum(input[pos]!)) pos++
        checkTerminator()
        emit('variable', start, input.slice(start, pos))
      } else if (c === '.') {
        const n = input[pos + 1]
        if (n !== undefined && /[0-9]/.test(n)) {
          pos = lexNumber(pos)
          emit('number', start, input.slice(start, pos))
        } else {
          pos++
          while (pos < input.length && isAlnum(input[pos]!)) pos++
          checkTerminator()
          if (pos === start + 1) emit('dot', start, '.')
          else emit('field', start, input.slice(start, pos))
        }
      } else if (c === '+' || c === '-' || /[0-9]/.test(c)) {
        pos = lexNumber(pos)
        const num = input.slice(start, pos)
        if (pos < input.length && isAlnum(input[pos]!))
          return [...items, {typ: 'error', pos, val: `bad number syntax: "${num}${input[pos]}"`, line}]
        emit('number', start, num)
      } else if (isAlnum(c)) {
        while (pos < input.length && isAlnum(input[pos]!)) pos++
        checkTerminator()
        const word = input.slice(start, pos)
        if (KEYWORDS.has(word)) emit(word === 'nil' ? 'nil' : 'keyword', start, word)
        else if (word === 'true' || word === 'false') emit('bool', start, word)
        else emit('identifier', start, word)
      } else if (c === '(') {
        parenDepth++
        emit('leftParen', pos, '(')
        pos++
      } else if (c === ')') {
        parenDepth--
        if (parenDepth < 0) return [...items, {typ: 'error', pos, val: 'unexpected right paren', line}]
        emit('rightParen', pos, ')')
        pos++
      } else if (c.charCodeAt(0) < 0x7f && c.charCodeAt(0) >= 0x20) {
        emit('asciiChar', pos, c)
        pos++
      } else {
        const cp = input.codePointAt(pos)!
        return [...items, {typ: 'error', pos, val: `unrecognized character in action: ${formatU(cp)}`, line}]
      }
      // a field or variable may be followed directly by another field (.a.b, $x.y, (x).y)
    }
  }
  emit('eof', input.length, '')
  return items

  // checkTerminator is lexField's atTerminator: a word must be followed by space, punctuation or the delimiter
  function checkTerminator(): void {
    if (pos >= input.length) return
    const c = input[pos]!
    if (isSpace(c) || '.,|:()'.includes(c) || input.startsWith('}}', pos)) return
    throw new LexError(`bad character ${formatU(input.codePointAt(pos)!)}`, line)
  }
  function skipSpace(p: number): number {
    while (p < input.length && isSpace(input[p]!)) {
      if (input[p] === '\n') line++
      p++
    }
    return p
  }
  function lexNumber(p: number): number {
    if (input[p] === '+' || input[p] === '-') p++
    const m =
      /^(0[xX][0-9a-fA-F_]*(\.[0-9a-fA-F_]*)?([pP][+-]?[0-9_]+)?|[0-9_]*(\.[0-9_]*)?([eE][+-]?[0-9_]+)?)i?/.exec(
        input.slice(p),
      )
    return p + (m ? m[0].length : 0)
  }
}

function formatU(cp: number): string {
  const u = 'U+' + cp.toString(16).toUpperCase().padStart(4, '0')
  return cp >= 0x20 && cp !== 0x7f ? `${u} '${String.fromCodePoint(cp)}'` : u
}

// ---------------------------------------------------------------------------------------------------------------
// Parse tree (text/template/parse/node.go)

type Node =
  | {type: 'text'; pos: number; text: string}
  | {type: 'action'; pos: number; line: number; pipe: Pipe}
  | {type: 'if' | 'with'; pos: number; line: number; pipe: Pipe; list: Node[]; elseList?: Node[]}
  | {type: 'range'; pos: number; line: number; pipe: Pipe; list: Node[]; elseList?: Node[]}
  | {type: 'break' | 'continue'; pos: number}
  | {type: 'template'; pos: number; name: string; pipe?: Pipe}
  | {type: 'nothing'}

interface Pipe {
  pos: number
  isAssign: boolean
  decl: {name: string; pos: number}[]
  cmds: Command[]
}

interface Command {
  pos: number
  args: Arg[]
}

type Arg =
  | {type: 'field'; pos: number; ident: string[]}
  | {type: 'variable'; pos: number; ident: string[]}
  | {type: 'dot'; pos: number}
  | {type: 'nil'; pos: number}
  | {type: 'bool'; pos: number; value: boolean}
  | {type: 'string'; pos: number; text: string; value: string}
  | {type: 'number'; pos: number; text: string; int?: bigint; float?: number; isFloatText: boolean}
  | {type: 'identifier'; pos: number; name: string}
  | {type: 'pipe'; pos: number; pipe: Pipe}
  | {type: 'chain'; pos: number; node: Arg; field: string[]}

function pipeString(p: Pipe): string {
  let s = ''
  if (p.decl.length > 0) s = p.decl.map((d) => d.name).join(', ') + (p.isAssign ? ' = ' : ' := ')
  return s + p.cmds.map(cmdString).join(' | ')
}
function cmdString(c: Command): string {
  return c.args.map((a) => (a.type === 'pipe' ? `(${pipeString(a.pipe)})` : argString(a))).join(' ')
}
function argString(a: Arg): string {
  switch (a.type) {
    case 'field':
      return '.' + a.ident.join('.')
    case 'variable':
      return a.ident.join('.')
    case 'dot':
      return '.'
    case 'nil':
      return 'nil'
    case 'bool':
      return String(a.value)
    case 'string':
    case 'number':
      return a.text
    case 'identifier':
      return a.name
    case 'pipe':
      return pipeString(a.pipe)
    case 'chain': {
      const inner = a.node.type === 'pipe' ? `(${pipeString(a.node.pipe)})` : argString(a.node)
      return inner + a.field.map((f) => '.' + f).join('')
    }
  }
}

/** FUNCS are the functions a template may call: text/template's builtins plus kubectl's exists and base64decode. */
const FUNC_NAMES = new Set([
  'and',
  'call',
  'html',
  'index',
  'slice',
  'js',
  'len',
  'not',
  'or',
  'print',
  'printf',
  'println',
  'urlquery',
  'eq',
  'ge',
  'gt',
  'le',
  'lt',
  'ne',
  'exists',
  'base64decode',
])

class Parser {
  private i = 0
  private vars: string[][] = [['$']]
  private rangeDepth = 0

  constructor(
    private readonly items: Item[],
    private readonly name: string,
  ) {}

  private peek(): Item {
    return this.items[this.i]!
  }
  private next(): Item {
    const it = this.items[this.i]!
    if (it.typ === 'error') this.fail(it.val, it.line)
    if (it.typ !== 'eof') this.i++
    return it
  }
  private nextNonSpace(): Item {
    let it = this.next()
    while (it.typ === 'space') it = this.next()
    return it
  }
  private peekNonSpace(): Item {
    const save = this.i
    const it = this.nextNonSpace()
    this.i = save
    return it
  }
  private backup(): void {
    this.i--
  }
  fail(msg: string, line?: number): never {
    throw new GoTemplateError(`template: ${this.name}:${line ?? this.items[Math.max(0, this.i - 1)]!.line}: ${msg}`)
  }
  private unexpected(it: Item, context: string): never {
    if (it.typ === 'error') this.fail(it.val, it.line)
    this.fail(`unexpected ${itemString(it)} in ${context}`, it.line)
  }

  /** defines are the {{define}} and {{block}} templates, by name. */
  readonly defines = new Map<string, Node[]>()
  private topLevel = true

  parse(): Node[] {
    const {list, end} = this.itemList(true)
    void end
    return list
  }

  // templateName reads the quoted name after define/template/block
  private templateName(context: string): Item {
    const it = this.nextNonSpace()
    if (it.typ !== 'string' && it.typ !== 'rawString') this.unexpected(it, context)
    return it
  }

  private define(kw: Item, block: boolean): Node {
    const context = block ? 'block clause' : 'define clause'
    const nameItem = this.templateName(context)
    const name = unquote(nameItem.val, () => this.fail('bad string'))
    let pipe: Pipe | undefined
    if (block) pipe = this.pipeline(context, 'right')
    else this.expectRight(context)
    const saveVars = this.vars
    const saveTop = this.topLevel
    this.vars = [['$']]
    this.topLevel = false
    const body = this.itemList(false)
    this.vars = saveVars
    this.topLevel = saveTop
    if (body.end === 'else') this.fail(`unexpected {{else}}`, body.endItem?.line)
    if (this.defines.has(name) && !block) this.fail(`template: multiple definition of template "${name}"`, kw.line)
    this.defines.set(name, body.list)
    if (block) return {type: 'template', pos: nameItem.pos, name, pipe}
    return {type: 'nothing'}
  }

  private templateCall(kw: Item, context: string): Node {
    const nameItem = this.templateName('template clause')
    const name = unquote(nameItem.val, () => this.fail('bad string'))
    void kw
    const n = this.peekNonSpace()
    let pipe: Pipe | undefined
    if (n.typ !== 'right') pipe = this.pipeline(context, 'right')
    else this.nextNonSpace()
    return {type: 'template', pos: nameItem.pos, name, pipe}
  }

  // itemList parses until {{end}} / {{else}} (or EOF at top level)
  private itemList(top: boolean): {list: Node[]; end?: 'end' | 'else'; endItem?: Item} {
    const list: Node[] = []
    for (;;) {
      const it = this.peek()
      if (it.typ === 'error') this.fail(it.val, it.line)
      if (it.typ === 'eof') {
        if (!top) this.fail('unexpected EOF', it.line)
        return {list}
      }
      if (it.typ === 'text') {
        this.next()
        list.push({type: 'text', pos: it.pos, text: it.val})
        continue
      }
      // left delimiter
      this.next()
      const kw = this.peekNonSpace()
      if (kw.typ === 'keyword' && (kw.val === 'end' || kw.val === 'else')) {
        this.nextNonSpace()
        if (top) this.fail(`unexpected {{${kw.val}}}`, kw.line)
        if (kw.val === 'end') this.expectRight('end')
        return {list, end: kw.val, endItem: kw}
      }
      list.push(this.action())
    }
  }

  private expectRight(context: string): void {
    const it = this.nextNonSpace()
    if (it.typ !== 'right') this.unexpected(it, context)
  }

  private action(): Node {
    const it = this.nextNonSpace()
    if (it.typ === 'keyword') {
      switch (it.val) {
        case 'if':
        case 'with':
        case 'range':
          return this.control(it.val, it)
        case 'break':
        case 'continue':
          if (this.rangeDepth === 0) this.fail(`{{${it.val}}} outside {{range}}`, it.line)
          this.expectRight(it.val)
          return {type: it.val, pos: it.pos}
        case 'define':
          if (!this.topLevel) this.fail('unexpected <define> in command', it.line)
          return this.define(it, false)
        case 'block':
          return this.define(it, true)
        case 'template':
          return this.templateCall(it, 'template')
      }
    }
    this.backup()
    const pipe = this.pipeline('command', 'right')
    return {type: 'action', pos: it.pos, line: it.line, pipe}
  }

  private control(kind: 'if' | 'with' | 'range', kw: Item): Node {
    this.vars.push([])
    const pipe = this.pipeline(kind, 'right')
    if (kind === 'range') this.rangeDepth++
    const body = this.itemList(false)
    if (kind === 'range') this.rangeDepth--
    let elseList: Node[] | undefined
    if (body.end === 'else') {
      // {{else if ...}} / {{else with ...}} chains as a nested control inside the else list
      const n = this.peekNonSpace()
      if ((kind === 'if' && n.val === 'if') || (kind === 'with' && n.val === 'with')) {
        const kw2 = this.nextNonSpace()
        this.vars.pop()
        const nested = this.control(kind, kw2)
        return {type: kind, pos: kw.pos, line: kw.line, pipe, list: body.list, elseList: [nested]}
      }
      this.expectRight('else')
      const rest = this.itemList(false)
      if (rest.end === 'else') this.fail('expected end; found {{else}}', rest.endItem?.line)
      elseList = rest.list
    }
    this.vars.pop()
    return {type: kind, pos: kw.pos, line: kw.line, pipe, list: body.list, elseList}
  }

  private pipeline(context: string, end: 'right' | 'rightParen'): Pipe {
    const first = this.peekNonSpace()
    const pipe: Pipe = {pos: first.pos, isAssign: false, decl: [], cmds: []}
    // declarations: $x := / $x = / $i, $e :=
    const save = this.i
    const v = this.nextNonSpace()
    if (v.typ === 'variable') {
      const n = this.nextNonSpace()
      if (n.typ === 'declare' || n.typ === 'assign') {
        pipe.isAssign = n.typ === 'assign'
        pipe.decl.push({name: v.val, pos: v.pos})
        if (pipe.isAssign) this.useVar(v)
        else this.vars[this.vars.length - 1]!.push(v.val)
      } else if (n.typ === 'comma' && context === 'range') {
        const v2 = this.nextNonSpace()
        const d = this.nextNonSpace()
        if (v2.typ !== 'variable' || (d.typ !== 'declare' && d.typ !== 'assign'))
          this.fail(`range can only initialize variables`, v2.line)
        pipe.isAssign = d.typ === 'assign'
        pipe.decl.push({name: v.val, pos: v.pos}, {name: v2.val, pos: v2.pos})
        if (!pipe.isAssign) this.vars[this.vars.length - 1]!.push(v.val, v2.val)
      } else this.i = save
    } else this.i = save
    for (;;) {
      const it = this.nextNonSpace()
      if (it.typ === end) {
        if (pipe.cmds.length === 0) this.fail(`missing value for ${context}`, it.line)
        return pipe
      }
      if (
        [
          'bool',
          'char',
          'dot',
          'field',
          'identifier',
          'number',
          'nil',
          'rawString',
          'string',
          'variable',
          'leftParen',
        ].includes(it.typ)
      ) {
        this.backup()
        pipe.cmds.push(this.command(end))
        continue
      }
      this.unexpected(it, context)
    }
  }

  private command(end: 'right' | 'rightParen'): Command {
    const cmd: Command = {pos: this.peekNonSpace().pos, args: []}
    for (;;) {
      this.peekNonSpace()
      const operand = this.operand()
      if (operand) cmd.args.push(operand)
      const it = this.next()
      if (it.typ === 'space') {
        const n = this.peek()
        if (n.typ === 'pipe') {
          this.next()
          break
        }
        if (n.typ === end || n.typ === 'right' || n.typ === 'rightParen') break
        continue
      }
      if (it.typ === end || it.typ === 'right' || it.typ === 'rightParen') {
        this.backup()
        break
      }
      if (it.typ === 'pipe') break
      if (it.typ === 'error') this.fail(it.val, it.line)
      this.unexpected(it, 'operand')
    }
    if (cmd.args.length === 0) this.fail('empty command')
    return cmd
  }

  private operand(): Arg | undefined {
    const node = this.term()
    if (!node) return undefined
    if (this.peek().typ === 'field') {
      const fields: string[] = []
      const chainPos = this.peek().pos
      while (this.peek().typ === 'field') fields.push(this.next().val.slice(1))
      switch (node.type) {
        case 'field':
          return {type: 'field', pos: chainPos, ident: [...node.ident, ...fields]}
        case 'variable':
          return {type: 'variable', pos: chainPos, ident: [...node.ident, ...fields]}
        case 'bool':
        case 'string':
        case 'number':
        case 'nil':
        case 'dot':
          return this.fail(`unexpected . after term ${JSON.stringify(argString(node))}`)
        default:
          return {type: 'chain', pos: chainPos, node, field: fields}
      }
    }
    return node
  }

  private term(): Arg | undefined {
    const it = this.nextNonSpace()
    switch (it.typ) {
      case 'identifier':
        if (!FUNC_NAMES.has(it.val)) this.fail(`function ${JSON.stringify(it.val)} not defined`, it.line)
        return {type: 'identifier', pos: it.pos, name: it.val}
      case 'dot':
        return {type: 'dot', pos: it.pos}
      case 'nil':
        return {type: 'nil', pos: it.pos}
      case 'variable':
        this.useVar(it)
        return {type: 'variable', pos: it.pos, ident: [it.val]}
      case 'field':
        return {type: 'field', pos: it.pos, ident: [it.val.slice(1)]}
      case 'bool':
        return {type: 'bool', pos: it.pos, value: it.val === 'true'}
      case 'char':
      case 'number':
        return this.number(it)
      case 'leftParen': {
        const pipe = this.pipeline('parenthesized pipeline', 'rightParen')
        return {type: 'pipe', pos: it.pos, pipe}
      }
      case 'string':
      case 'rawString':
        return {type: 'string', pos: it.pos, text: it.val, value: unquote(it.val, () => this.fail(`bad string`))}
    }
    this.backup()
    return undefined
  }

  private useVar(it: Item): void {
    const name = it.val.split('.')[0]!
    for (const scope of this.vars) if (scope.includes(name)) return
    this.fail(`undefined variable ${JSON.stringify(name)}`, it.line)
  }

  private number(it: Item): Arg {
    const text = it.val
    if (it.typ === 'char') {
      const s = unquote('"' + text.slice(1, -1).replace(/"/g, '\\"') + '"', () =>
        this.fail(`malformed character constant: ${text}`),
      )
      const cp = s.codePointAt(0) ?? 0
      return {type: 'number', pos: it.pos, text, int: BigInt(cp), float: cp, isFloatText: false}
    }
    const clean = text.replace(/_/g, '')
    if (/^[+-]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[0-9]+)$/.test(clean)) {
      const neg = clean.startsWith('-')
      const body = clean.replace(/^[+-]/, '')
      const big = BigInt(/^0[0-7]+$/.test(body) ? '0o' + body.slice(1) : body.replace(/^0([oO])/, '0o'))
      return {
        type: 'number',
        pos: it.pos,
        text,
        int: neg ? -big : big,
        float: Number(neg ? -big : big),
        isFloatText: false,
      }
    }
    const f = Number(clean)
    if (Number.isNaN(f)) this.fail(`illegal number syntax: ${JSON.stringify(text)}`, it.line)
    const n: Arg = {type: 'number', pos: it.pos, text, float: f, isFloatText: true}
    if (Number.isInteger(f) && Math.abs(f) < 2 ** 63) n.int = BigInt(f)
    return n
  }
}

function itemString(it: Item): string {
  switch (it.typ) {
    case 'eof':
      return 'EOF'
    case 'keyword':
      return `<${it.val}>`
    case 'right':
    case 'left':
      return JSON.stringify(it.val)
    default:
      return it.val.length > 10 ? goQuote(it.val.slice(0, 10)) + '...' : goQuote(it.val)
  }
}

function unquote(text: string, bad: () => never): string {
  if (text.startsWith('`')) return text.slice(1, -1)
  try {
    // Go escapes are close to JSON's; \x, \a, \v and octal are converted first.
    const s = text
      .slice(1, -1)
      .replace(/\\x([0-9a-fA-F]{2})/g, (_m, h: string) => `\\u00${h}`)
      .replace(/\\a/g, '\\u0007')
      .replace(/\\v/g, '\\u000b')
      .replace(/\\'/g, "'")
      .replace(/\\U([0-9a-fA-F]{8})/g, (_m, h: string) => {
        const cp = Number.parseInt(h, 16)
        return JSON.stringify(String.fromCodePoint(cp)).slice(1, -1)
      })
    return JSON.parse(`"${s}"`) as string
  } catch {
    return bad()
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Execution (text/template/exec.go, funcs.go)

/** V is a value in evaluation: the Go value and whether its static type is still `interface {}`. */
interface V {
  v: unknown
  iface?: boolean
}

const NO_VALUE: V = {v: undefined}

class BreakSignal {}
class ContinueSignal {}

/** fromJson turns parsed JSON into the template's data model (integral numbers become int64 bigints). */
function fromJson(x: unknown): unknown {
  if (typeof x === 'number') return isGoInt(x) ? BigInt(x) : x
  if (Array.isArray(x)) return x.map(fromJson)
  if (x && typeof x === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(x)) out[k] = fromJson(v)
    return out
  }
  return x
}

function isMap(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x) && !(x instanceof Int) && !(x instanceof Byte)
}

/** typeName is the Go type of a concrete value. */
function typeName(x: unknown): string {
  if (x === undefined || x === null) return '<nil>'
  if (typeof x === 'string') return 'string'
  if (typeof x === 'boolean') return 'bool'
  if (typeof x === 'bigint') return 'int64'
  if (x instanceof Int) return 'int'
  if (typeof x === 'number') return 'float64'
  if (x instanceof Byte) return 'uint8'
  if (Array.isArray(x)) return '[]interface {}'
  return 'map[string]interface {}'
}
function staticType(v: V): string {
  return v.iface ? 'interface {}' : typeName(v.v)
}

/** Int is a Go `int` (template constants, len, range indexes); data integers are int64 bigints. */
class Int {
  constructor(readonly n: bigint) {}
}

/** intOf is the integer value of an int or int64, else undefined. */
function intOf(x: unknown): bigint | undefined {
  if (typeof x === 'bigint') return x
  if (x instanceof Int) return x.n
  return undefined
}

/** Byte is a uint8 (what index gives for a string). */
class Byte {
  constructor(readonly n: number) {}
}

type Kind = 'invalid' | 'bool' | 'int' | 'uint' | 'float' | 'string' | 'other'
function basicKind(x: unknown): Kind {
  if (x === undefined) return 'invalid'
  if (typeof x === 'boolean') return 'bool'
  if (typeof x === 'bigint' || x instanceof Int) return 'int'
  if (x instanceof Byte) return 'uint'
  if (typeof x === 'number') return 'float'
  if (typeof x === 'string') return 'string'
  return 'other'
}

function isTrue(x: unknown): boolean {
  if (x === undefined || x === null) return false
  if (typeof x === 'string') return x.length > 0
  if (typeof x === 'boolean') return x
  if (typeof x === 'bigint') return x !== 0n
  if (x instanceof Int) return x.n !== 0n
  if (typeof x === 'number') return x !== 0
  if (x instanceof Byte) return x.n !== 0
  if (Array.isArray(x)) return x.length > 0
  if (isMap(x)) return Object.keys(x).length > 0
  return true
}

/** sprint is fmt's %v for one template value (nil and invalid are `<nil>`). */
function sprint(x: unknown): string {
  if (x === undefined || x === null) return '<nil>'
  if (typeof x === 'number') return formatFloatG(x)
  if (typeof x === 'bigint') return x.toString()
  if (x instanceof Int || x instanceof Byte) return String(x.n)
  if (Array.isArray(x)) return '[' + x.map(sprint).join(' ') + ']'
  if (isMap(x))
    return (
      'map[' +
      sortedKeys(x)
        .map((k) => `${k}:${sprint(x[k])}`)
        .join(' ') +
      ']'
    )
  return String(x)
}

class ExecError extends Error {}

class State {
  private node: {pos: number; str: string} | undefined
  private vars: {name: string; value: V}[] = []
  private out = ''

  /** output is what was written so far (Go writes as it executes, so it stays on an error). */
  get output(): string {
    return this.out
  }

  constructor(
    private readonly text: string,
    private readonly name: string,
    private readonly missingKeyError = false,
    private readonly defines = new Map<string, Node[]>(),
  ) {
    this.execName = name
  }

  private execName: string

  run(list: Node[], data: unknown): string {
    const root: V = {v: data}
    this.vars = [{name: '$', value: root}]
    this.walkList(root, list)
    return this.out
  }

  private at(pos: number, str: string): void {
    this.node = {pos, str}
  }
  private atArg(a: Arg): void {
    this.at(a.pos, a.type === 'pipe' ? `(${pipeString(a.pipe)})` : argString(a))
  }

  errorf(msg: string): never {
    if (!this.node) throw new ExecError(`template: ${this.name}: ${msg}`)
    const before = this.text.slice(0, this.node.pos)
    const nl = before.lastIndexOf('\n')
    const col = nl < 0 ? this.node.pos : this.node.pos - nl - 1
    const line = 1 + (before.match(/\n/g)?.length ?? 0)
    throw new ExecError(
      `template: ${this.name}:${line}:${col}: executing ${JSON.stringify(this.execName)} at <${this.node.str}>: ${msg}`,
    )
  }

  private walkList(dot: V, list: Node[]): void {
    for (const n of list) this.walk(dot, n)
  }

  private walk(dot: V, n: Node): void {
    switch (n.type) {
      case 'text':
        this.out += n.text
        return
      case 'action': {
        this.at(n.pipe.pos, pipeString(n.pipe))
        const val = this.evalPipeline(dot, n.pipe)
        if (n.pipe.decl.length === 0) this.printValue(n, val)
        return
      }
      case 'if':
      case 'with': {
        const mark = this.vars.length
        const val = this.evalPipeline(dot, n.pipe)
        if (isTrue(val.v)) this.walkList(n.type === 'with' ? val : dot, n.list)
        else if (n.elseList) this.walkList(dot, n.elseList)
        this.vars.length = mark
        return
      }
      case 'range':
        return this.walkRange(dot, n)
      case 'nothing':
        return
      case 'template': {
        const str = `{{template ${goQuote(n.name)}${n.pipe ? ' ' + pipeString(n.pipe) : ''}}}`
        this.at(n.pos, str)
        const body = this.defines.get(n.name)
        if (!body) this.errorf(`template ${goQuote(n.name)} not defined`)
        const newDot = n.pipe ? this.evalPipeline(dot, n.pipe) : NO_VALUE
        const saveVars = this.vars
        const saveName = this.execName
        this.vars = [{name: '$', value: newDot}]
        this.execName = n.name
        this.walkList(newDot, body)
        this.vars = saveVars
        this.execName = saveName
        return
      }
      case 'break':
        throw new BreakSignal()
      case 'continue':
        throw new ContinueSignal()
    }
  }

  private walkRange(dot: V, n: Extract<Node, {type: 'range'}>): void {
    this.at(n.pos, 'range')
    const mark = this.vars.length
    const val = this.evalPipeline(dot, {...n.pipe, decl: []})
    const one = (index: V, elem: V): boolean => {
      if (n.pipe.decl.length > 0) {
        if (n.pipe.decl.length === 1) this.setVar(n.pipe.decl[0]!.name, elem, n.pipe.isAssign)
        else {
          this.setVar(n.pipe.decl[0]!.name, index, n.pipe.isAssign)
          this.setVar(n.pipe.decl[1]!.name, elem, n.pipe.isAssign)
        }
      }
      const inner = this.vars.length
      try {
        this.walkList(elem, n.list)
      } catch (e) {
        if (e instanceof BreakSignal) return false
        if (!(e instanceof ContinueSignal)) throw e
      } finally {
        this.vars.length = inner
      }
      return true
    }
    const x = val.v
    let ran = false
    if (Array.isArray(x)) {
      for (let i = 0; i < x.length; i++) {
        ran = true
        if (!one({v: new Int(BigInt(i))}, {v: x[i], iface: true})) break
      }
    } else if (isMap(x)) {
      for (const k of sortedKeys(x)) {
        ran = true
        if (!one({v: k}, {v: x[k], iface: true})) break
      }
    } else if (x === undefined || x === null) {
      // an invalid value is likely a nil map: not an error
    } else {
      this.errorf(`range can't iterate over ${sprint(x)}`)
    }
    if (!ran && n.elseList) this.walkList(dot, n.elseList)
    this.vars.length = mark
  }

  private setVar(name: string, value: V, assign: boolean): void {
    if (!assign) {
      this.vars.push({name, value})
      return
    }
    for (let i = this.vars.length - 1; i >= 0; i--)
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value
        return
      }
    this.errorf(`undefined variable: ${name}`)
  }

  private varValue(name: string): V {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!.value
    this.errorf(`undefined variable: ${name}`)
  }

  private printValue(n: Extract<Node, {type: 'action'}>, val: V): void {
    this.at(n.pipe.pos, pipeString(n.pipe))
    if (val.v === undefined) {
      this.out += '<no value>'
      return
    }
    this.out += sprint(val.v)
  }

  private evalPipeline(dot: V, pipe: Pipe): V {
    let value: V | undefined
    this.at(pipe.pos, pipeString(pipe))
    for (const cmd of pipe.cmds) value = this.evalCommand(dot, cmd, value)
    // a pipeline's result loses the interface {} static type (reflect.ValueOf(value.Interface()))
    let result: V = value ?? NO_VALUE
    if (result.iface) result = {v: result.v === null ? undefined : result.v}
    for (const d of pipe.decl) this.setVar(d.name, result, pipe.isAssign)
    return result
  }

  private evalCommand(dot: V, cmd: Command, final: V | undefined): V {
    const first = cmd.args[0]!
    switch (first.type) {
      case 'field':
        return this.evalFieldNode(dot, first, cmd.args, final)
      case 'chain':
        return this.evalChainNode(dot, first, cmd.args, final)
      case 'identifier':
        return this.evalFunction(dot, first, cmd, cmd.args, final)
      case 'pipe':
        this.notAFunction(cmd.args, final)
        return this.evalPipeline(dot, first.pipe)
      case 'variable':
        return this.evalVariableNode(dot, first, cmd.args, final)
    }
    this.atArg(first)
    this.notAFunction(cmd.args, final)
    switch (first.type) {
      case 'bool':
        return {v: first.value}
      case 'dot':
        return dot
      case 'nil':
        this.errorf('nil is not a command')
        break
      case 'number':
        return this.idealConstant(first)
      case 'string':
        return {v: first.value}
    }
    this.errorf(`can't evaluate command ${JSON.stringify(argString(first))}`)
  }

  private notAFunction(args: Arg[], final: V | undefined): void {
    if (args.length > 1 || final !== undefined)
      this.errorf(`can't give argument to non-function ${argString(args[0]!)}`)
  }

  private idealConstant(n: Extract<Arg, {type: 'number'}>): V {
    this.atArg(n)
    if (n.isFloatText && !/^[+-]?0[xX]/.test(n.text)) return {v: n.float}
    if (n.int !== undefined) {
      if (n.int > 2n ** 63n - 1n || n.int < -(2n ** 63n)) this.errorf(`${n.text} overflows int`)
      return {v: new Int(n.int)}
    }
    if (n.float !== undefined) return {v: n.float}
    this.errorf(`${n.text} is not a number`)
  }

  private evalFieldNode(dot: V, f: Extract<Arg, {type: 'field'}>, args: Arg[], final: V | undefined): V {
    this.atArg(f)
    return this.evalFieldChain(dot, dot, f.ident, args, final)
  }

  private evalChainNode(dot: V, c: Extract<Arg, {type: 'chain'}>, args: Arg[], final: V | undefined): V {
    if (c.field.length === 0) this.errorf('internal error: no fields in evalChainNode')
    if (c.node.type === 'nil') this.errorf(`indirection through explicit nil in ${argString(c)}`)
    const pipe = this.evalArg(dot, undefined, c.node)
    this.atArg(c)
    return this.evalFieldChain(dot, pipe, c.field, args, final)
  }

  private evalVariableNode(dot: V, v: Extract<Arg, {type: 'variable'}>, args: Arg[], final: V | undefined): V {
    this.atArg(v)
    const value = this.varValue(v.ident[0]!)
    if (v.ident.length === 1) {
      this.notAFunction(args, final)
      return value
    }
    return this.evalFieldChain(dot, value, v.ident.slice(1), args, final)
  }

  private evalFieldChain(dot: V, receiver: V, ident: string[], args: Arg[], final: V | undefined): V {
    const n = ident.length
    for (let i = 0; i < n - 1; i++) receiver = this.evalField(dot, ident[i]!, [], undefined, receiver)
    return this.evalField(dot, ident[n - 1]!, args, final, receiver)
  }

  private evalField(_dot: V, fieldName: string, args: Arg[], final: V | undefined, receiver: V): V {
    if (receiver.v === undefined) {
      if (this.missingKeyError) this.errorf(`nil data; no entry for key ${JSON.stringify(fieldName)}`)
      return NO_VALUE
    }
    const typ = staticType(receiver)
    if (receiver.v === null) this.errorf(`nil pointer evaluating ${typ}.${fieldName}`)
    const hasArgs = args.length > 1 || final !== undefined
    if (isMap(receiver.v)) {
      if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`)
      if (!Object.prototype.hasOwnProperty.call(receiver.v, fieldName)) {
        if (this.missingKeyError) this.errorf(`map has no entry for key ${JSON.stringify(fieldName)}`)
        return NO_VALUE
      }
      return {v: receiver.v[fieldName], iface: true}
    }
    this.errorf(`can't evaluate field ${fieldName} in type ${typ}`)
  }

  private evalFunction(
    dot: V,
    node: Extract<Arg, {type: 'identifier'}>,
    cmd: Command,
    args: Arg[],
    final: V | undefined,
  ): V {
    this.atArg(node)
    const name = node.name
    const rest = args.slice(1)
    const cmdNode = {pos: cmd.pos, str: cmdString(cmd)}
    const callErr = (e: unknown): never => {
      this.node = cmdNode
      this.errorf(`error calling ${name}: ${(e as Error).message}`)
    }
    // and / or short-circuit on the arguments' truth
    if (name === 'and' || name === 'or') {
      const all = [...rest.map((a) => () => this.evalArg(dot, undefined, a)), ...(final ? [() => final] : [])]
      if (all.length === 0) {
        this.node = cmdNode
        this.errorf(`wrong number of args for ${name}: want at least 1 got 0`)
      }
      let v: V = NO_VALUE
      for (const f of all) {
        v = f()
        if (name === 'and' ? !isTrue(v.v) : isTrue(v.v)) return v
      }
      return v
    }
    const want = FIXED_ARGS[name]
    const vals: V[] = []
    // typed parameters: printf's format and base64decode's argument are strings, the rest take anything
    const argTypes = PARAM_TYPES[name] ?? []
    rest.forEach((a, i) => vals.push(this.evalArg(dot, argTypes[i] ?? PARAM_VARIADIC[name], a)))
    if (final) vals.push(this.checkType(final, argTypes[vals.length] ?? PARAM_VARIADIC[name]))
    if (want) {
      const [min, variadic] = want
      if (variadic ? vals.length < min : vals.length !== min) {
        this.node = cmdNode
        this.errorf(`wrong number of args for ${name}: want ${variadic ? 'at least ' : ''}${min} got ${vals.length}`)
      }
    }
    try {
      return callFunc(name, vals)
    } catch (e) {
      if (e instanceof ExecError) throw e
      return callErr(e)
    }
  }

  /** evalArg evaluates an argument for a parameter of type typ ('any' = interface{}, 'string', undefined = reflect.Value). */
  private evalArg(dot: V, typ: ParamType | undefined, a: Arg): V {
    this.atArg(a)
    switch (a.type) {
      case 'dot':
        return this.checkType(dot, typ)
      case 'nil':
        if (typ === 'any') return {v: null}
        this.errorf(`cannot assign nil to ${typ === 'string' ? 'string' : 'reflect.Value'}`)
        break
      case 'field':
        return this.checkType(this.evalFieldNode(dot, a, [a], undefined), typ)
      case 'variable':
        return this.checkType(this.evalVariableNode(dot, a, [], undefined), typ)
      case 'pipe':
        return this.checkType(this.evalPipeline(dot, a.pipe), typ)
      case 'identifier':
        return this.checkType(this.evalFunction(dot, a, {pos: a.pos, args: [a]}, [a], undefined), typ)
      case 'chain':
        return this.checkType(this.evalChainNode(dot, a, [], undefined), typ)
      case 'bool':
        if (typ === 'string') this.errorf(`expected string; found ${a.value}`)
        return {v: a.value}
      case 'string':
        return {v: a.value}
      case 'number':
        if (typ === 'string') this.errorf(`expected string; found ${a.text}`)
        return this.idealConstant(a)
    }
    this.errorf(`can't handle ${argString(a)} for arg of type ${typ}`)
  }

  private checkType(v: V, typ: ParamType | undefined): V {
    if (v.v === undefined) {
      if (typ === 'any') return {v: null}
      if (typ === 'string') this.errorf('invalid value; expected string')
      return v
    }
    if (typ === 'string') {
      if (typeof v.v !== 'string') this.errorf(`wrong type for value; expected string; got ${typeName(v.v)}`)
      return {v: v.v}
    }
    return v
  }
}

type ParamType = 'any' | 'string'

/** FIXED_ARGS: [count, variadic] per function (the Go signatures in funcs.go and kubectl's template.go). */
const FIXED_ARGS: Record<string, [number, boolean]> = {
  html: [0, true],
  index: [1, true],
  slice: [1, true],
  js: [0, true],
  len: [1, false],
  not: [1, false],
  print: [0, true],
  printf: [1, true],
  println: [0, true],
  urlquery: [0, true],
  eq: [1, true],
  ge: [2, false],
  gt: [2, false],
  le: [2, false],
  lt: [2, false],
  ne: [2, false],
  exists: [1, true],
  base64decode: [1, false],
  call: [1, true],
}
const PARAM_TYPES: Record<string, ParamType[]> = {printf: ['string'], base64decode: ['string'], exists: ['any']}
const PARAM_VARIADIC: Record<string, ParamType | undefined> = {
  print: 'any',
  printf: 'any',
  println: 'any',
  html: 'any',
  js: 'any',
  urlquery: 'any',
  exists: 'any',
}

function raw(vals: V[]): unknown[] {
  return vals.map((v) => v.v)
}

function callFunc(name: string, vals: V[]): V {
  const a = raw(vals)
  switch (name) {
    case 'print':
      return {v: goSprintArgs(a)}
    case 'println':
      return {v: a.map(sprint).join(' ') + '\n'}
    case 'printf':
      return {v: sprintf(a[0] as string, a.slice(1))}
    case 'len':
      return {v: length(a[0])}
    case 'not':
      return {v: !isTrue(a[0])}
    case 'index':
      return indexOf(vals[0]!, vals.slice(1))
    case 'slice':
      return sliceOf(a[0], a.slice(1))
    case 'eq':
      return {v: eq(a[0], a.slice(1))}
    case 'ne':
      return {v: !eq(a[0], [a[1]])}
    case 'lt':
      return {v: lt(a[0], a[1])}
    case 'le':
      return {v: lt(a[0], a[1]) || eq(a[0], [a[1]])}
    case 'gt':
      return {v: !(lt(a[0], a[1]) || eq(a[0], [a[1]]))}
    case 'ge':
      return {v: !lt(a[0], a[1])}
    case 'html':
      return {v: htmlEscape(evalArgs(a))}
    case 'js':
      return {v: jsEscape(evalArgs(a))}
    case 'urlquery':
      return {
        v: encodeURIComponent(evalArgs(a))
          .replace(/%20/g, '+')
          .replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()),
      }
    case 'exists':
      return {v: exists(a[0], a.slice(1))}
    case 'base64decode':
      return {v: base64decode(a[0] as string)}
    case 'call':
      throw new Error(`non-function ${sprint(a[0])} of type ${typeName(a[0])}`)
  }
  throw new Error(`function ${JSON.stringify(name)} not defined`)
}

function evalArgs(a: unknown[]): string {
  if (a.length === 1 && typeof a[0] === 'string') return a[0]
  return goSprintArgs(a)
}

/** goSprintArgs is fmt.Sprint: a space between operands when neither is a string. */
function goSprintArgs(a: unknown[]): string {
  let s = ''
  a.forEach((x, i) => {
    const isStr = typeof x === 'string'
    if (i > 0 && !isStr && typeof a[i - 1] !== 'string') s += ' '
    s += sprint(x)
  })
  return s
}

function length(x: unknown): Int {
  if (x === undefined) throw new Error('reflect: call of reflect.Value.Type on zero Value')
  if (x === null) throw new Error('len of nil pointer')
  if (typeof x === 'string') return new Int(BigInt(Buffer.byteLength(x, 'utf8')))
  if (Array.isArray(x)) return new Int(BigInt(x.length))
  if (isMap(x)) return new Int(BigInt(Object.keys(x).length))
  throw new Error(`len of type ${typeName(x)}`)
}

function indexArg(x: unknown, cap: number): number {
  const i = intOf(x)
  if (i !== undefined) return Number(i)
  if (x instanceof Byte) return x.n
  if (x === undefined || x === null) throw new Error('cannot index slice/array with nil')
  void cap
  throw new Error(`cannot index slice/array with type ${typeName(x)}`)
}

function indexOf(item: V, idx: V[]): V {
  let cur = item
  if (cur.v === undefined || cur.v === null) throw new Error('index of untyped nil')
  for (const i of idx) {
    const x = cur.v
    if (x === null || x === undefined) throw new Error('index of nil pointer')
    if (Array.isArray(x) || typeof x === 'string') {
      const n = indexArg(i.v, x.length)
      const len = typeof x === 'string' ? Buffer.byteLength(x) : x.length
      if (n < 0 || n >= len) throw new Error(`index out of range: ${n}`)
      cur = typeof x === 'string' ? {v: new Byte(Buffer.from(x)[n]!)} : {v: x[n], iface: true}
    } else if (isMap(x)) {
      if (i.v === undefined || i.v === null) throw new Error('value is nil; should be of type string')
      if (typeof i.v !== 'string') throw new Error(`value has type ${typeName(i.v)}; should be string`)
      cur = Object.prototype.hasOwnProperty.call(x, i.v) ? {v: x[i.v], iface: true} : {v: null, iface: true}
    } else throw new Error(`can't index item of type ${typeName(x)}`)
  }
  return cur
}

function sliceOf(item: unknown, idx: unknown[]): V {
  if (item === undefined || item === null) throw new Error('slice of untyped nil')
  if (idx.length > 3) throw new Error(`too many slice indexes: ${idx.length}`)
  let len: number
  if (typeof item === 'string') {
    if (idx.length === 3) throw new Error('cannot 3-index slice a string')
    len = Buffer.byteLength(item)
  } else if (Array.isArray(item)) len = item.length
  else throw new Error(`can't slice item of type ${typeName(item)}`)
  const n = idx.map((x) => indexArg(x, len))
  const lo = n[0] ?? 0
  const hi = n[1] ?? len
  for (const v of n) if (v < 0 || v > len) throw new Error(`index out of range: ${v}`)
  if (lo > hi) throw new Error(`invalid slice index: ${lo} > ${hi}`)
  if (typeof item === 'string') return {v: Buffer.from(item).subarray(lo, hi).toString('utf8')}
  return {v: item.slice(lo, hi)}
}

function eq(a: unknown, others: unknown[]): boolean {
  if (others.length === 0) throw new Error('missing argument for comparison')
  const k1 = basicKind(a)
  for (const b of others) {
    const k2 = basicKind(b)
    if (k1 !== k2) {
      if (k1 === 'int' && k2 === 'uint') {
        if (intOf(a) === BigInt((b as Byte).n)) return true
        continue
      }
      if (k1 === 'uint' && k2 === 'int') {
        if (BigInt((a as Byte).n) === intOf(b)) return true
        continue
      }
      if (a !== undefined && b !== undefined) throw new Error('incompatible types for comparison')
      continue
    }
    if (k1 === 'other' || k1 === 'invalid') {
      if (a === null || b === null) {
        if ((a === null) === (b === null)) return true
        continue
      }
      if (k1 === 'invalid') throw new Error('invalid type for comparison')
      throw new Error(`non-comparable type ${fmtValue('s', a, undefined, false, false)}: ${typeName(a)}`)
    }
    if (k1 === 'int' ? intOf(a) === intOf(b) : k1 === 'uint' ? (a as Byte).n === (b as Byte).n : a === b) return true
  }
  return false
}

function lt(a: unknown, b: unknown): boolean {
  const k1 = basicKind(a)
  const k2 = basicKind(b)
  if (k1 === 'other' || k1 === 'invalid' || k1 === 'bool') throw new Error('invalid type for comparison')
  if (k1 !== k2) {
    if (k1 === 'int' && k2 === 'uint') return intOf(a)! < BigInt((b as Byte).n)
    if (k1 === 'uint' && k2 === 'int') return BigInt((a as Byte).n) < intOf(b)!
    throw new Error('incompatible types for comparison')
  }
  if (k1 === 'uint') return (a as Byte).n < (b as Byte).n
  if (k1 === 'int') return intOf(a)! < intOf(b)!
  return (a as number) < (b as number)
}

function exists(item: unknown, idx: unknown[]): boolean {
  let cur = item
  for (const i of idx) {
    if (Array.isArray(cur)) {
      const n = intOf(i) !== undefined ? Number(intOf(i)) : -1
      if (n < 0 || n >= cur.length) return false
      cur = cur[n]
    } else if (isMap(cur)) {
      if (typeof i !== 'string' || !Object.prototype.hasOwnProperty.call(cur, i)) return false
      cur = cur[i]
    } else return false
  }
  return true
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/** base64decode is kubectl's template function: base64.StdEncoding with Go's error text. */
export function base64decode(s: string): string {
  // Go's decoder skips \r and \n; any other byte outside the alphabet, or bad padding, is an error at its offset.
  const bytes = Buffer.from(s, 'utf8')
  let quantum = 0
  let quantumStart = 0
  let padding = 0
  let clean = ''
  for (let i = 0; i < bytes.length; i++) {
    const c = String.fromCharCode(bytes[i]!)
    if (c === '\r' || c === '\n') continue
    if (c === '=') {
      if (quantum < 2) throw new Error(`base64 decode failed: illegal base64 data at input byte ${i}`)
      padding++
      clean += c
      if (quantum + padding === 4) {
        // anything after the padding that is not a newline is an error
        for (let j = i + 1; j < bytes.length; j++)
          if (bytes[j] !== 0x0a && bytes[j] !== 0x0d)
            throw new Error(`base64 decode failed: illegal base64 data at input byte ${j}`)
        quantum = 0
        break
      }
      continue
    }
    if (padding > 0 || B64.indexOf(c) < 0)
      throw new Error(`base64 decode failed: illegal base64 data at input byte ${padding > 0 ? i - padding : i}`)
    if (quantum === 0) quantumStart = i
    clean += c
    quantum = (quantum + 1) % 4
  }
  if (quantum !== 0) throw new Error(`base64 decode failed: illegal base64 data at input byte ${quantumStart}`)
  return Buffer.from(clean, 'base64').toString('latin1') === '' ? '' : Buffer.from(clean, 'base64').toString('utf8')
}

function htmlEscape(s: string): string {
  return s.replace(/[&'<>"\0]/g, (c) =>
    c === '&'
      ? '&amp;'
      : c === "'"
        ? '&#39;'
        : c === '<'
          ? '&lt;'
          : c === '>'
            ? '&gt;'
            : c === '"'
              ? '&#34;'
              : '\uFFFD',
  )
}

function jsEscape(s: string): string {
  let out = ''
  for (const ch of s) {
    const c = ch.codePointAt(0)!
    if (ch === '\\') out += '\\\\'
    else if (ch === "'") out += "\\'"
    else if (ch === '"') out += '\\"'
    else if (ch === '<') out += '\\u003C'
    else if (ch === '>') out += '\\u003E'
    else if (ch === '&') out += '\\u0026'
    else if (ch === '=') out += '\\u003D'
    else if (c < 0x20) out += '\\u' + c.toString(16).toUpperCase().padStart(4, '0')
    else out += ch
  }
  return out
}

// ---------------------------------------------------------------------------------------------------------------
// printf (fmt's verbs for the values a template handles)

function badVerb(verb: string, x: unknown): string {
  if (x === undefined || x === null) return `%!${verb}(<nil>)`
  return `%!${verb}(${typeName(x)}=${sprint(x)})`
}

function pad(s: string, width: number | undefined, minus: boolean, zero: boolean): string {
  if (width === undefined || s.length >= width) return s
  if (minus) return s + ' '.repeat(width - s.length)
  if (zero) {
    const sign = /^[+-]/.test(s) ? s[0] : ''
    const body = sign ? s.slice(1) : s
    return sign + '0'.repeat(width - s.length) + body
  }
  return ' '.repeat(width - s.length) + s
}

function fmtValue(verb: string, x: unknown, prec: number | undefined, plus: boolean, sharp: boolean): string {
  const iv = intOf(x)
  if (Array.isArray(x) && verb !== 'v' && verb !== 'T')
    return '[' + x.map((e) => fmtValue(verb, e, prec, plus, sharp)).join(' ') + ']'
  if (isMap(x) && verb !== 'v' && verb !== 'T')
    return (
      'map[' +
      sortedKeys(x)
        .map((k) => `${fmtValue(verb, k, prec, plus, sharp)}:${fmtValue(verb, x[k], prec, plus, sharp)}`)
        .join(' ') +
      ']'
    )
  switch (verb) {
    case 'v':
      if (sharp) return goSharpV(x)
      if (typeof x === 'number' && prec !== undefined) return fmtG(x, prec)
      return sprint(x)
    case 'T':
      return x === undefined || x === null ? '<nil>' : typeName(x)
    case 's':
      if (typeof x === 'string') return prec !== undefined ? [...x].slice(0, prec).join('') : x
      if (
        typeof x === 'boolean' ||
        typeof x === 'number' ||
        intOf(x) !== undefined ||
        x instanceof Byte ||
        x === null ||
        x === undefined
      )
        return badVerb('s', x)
      return sprint(x)
    case 'q':
      if (typeof x === 'string') return goQuote(x)
      if (iv !== undefined) return `'${String.fromCodePoint(Number(iv))}'`
      return badVerb('q', x)
    case 'd':
      if (iv !== undefined) return (plus && iv >= 0n ? '+' : '') + iv.toString()
      if (x instanceof Byte) return String(x.n)
      return badVerb('d', x)
    case 't':
      return typeof x === 'boolean' ? String(x) : badVerb('t', x)
    case 'x':
    case 'X': {
      let s: string
      if (iv !== undefined) s = (iv < 0n ? '-' : '') + (iv < 0n ? -iv : iv).toString(16)
      else if (typeof x === 'string') s = Buffer.from(x).toString('hex')
      else if (x instanceof Byte) s = x.n.toString(16)
      else return badVerb(verb, x)
      return verb === 'X' ? s.toUpperCase() : s
    }
    case 'o':
      return iv !== undefined ? iv.toString(8) : badVerb('o', x)
    case 'b':
      return iv !== undefined ? iv.toString(2) : badVerb('b', x)
    case 'c':
      return iv !== undefined ? String.fromCodePoint(Number(iv)) : badVerb('c', x)
    case 'f':
    case 'F':
      if (typeof x !== 'number') return badVerb(verb, x)
      return (plus && x >= 0 ? '+' : '') + x.toFixed(prec ?? 6)
    case 'e':
    case 'E': {
      if (typeof x !== 'number') return badVerb(verb, x)
      const s = x.toExponential(prec ?? 6).replace(/e([+-])(\d)$/, 'e$10$2')
      return (plus && x >= 0 ? '+' : '') + (verb === 'E' ? s.toUpperCase() : s)
    }
    case 'g':
    case 'G':
      if (typeof x !== 'number') return badVerb(verb, x)
      return fmtG(x, prec)
  }
  return `%!${verb}(${typeName(x)}=${sprint(x)})`
}

function fmtG(x: number, prec: number | undefined): string {
  if (prec === undefined) return formatFloatG(x)
  const p = prec === 0 ? 1 : prec
  const exp = x === 0 ? 0 : Math.floor(Math.log10(Math.abs(x)))
  if (exp < -4 || exp >= p)
    return x
      .toExponential(p - 1)
      .replace(/\.?0+e/, 'e')
      .replace(/e([+-])(\d)$/, 'e$10$2')
  return String(Number(x.toPrecision(p)))
}

function goSharpV(x: unknown): string {
  if (x === undefined || x === null) return '<nil>'
  if (typeof x === 'string') return goQuote(x)
  if (Array.isArray(x)) return '[]interface {}{' + x.map((e) => goSharpVElem(e)).join(', ') + '}'
  if (isMap(x))
    return (
      'map[string]interface {}{' +
      sortedKeys(x)
        .map((k) => `${goQuote(k)}:${goSharpVElem(x[k])}`)
        .join(', ') +
      '}'
    )
  return sprint(x)
}
function goSharpVElem(x: unknown): string {
  if (x === null || x === undefined) return 'interface {}(nil)'
  return goSharpV(x)
}

/** sprintf follows fmt.Sprintf for the verbs templates use (%v %s %d %q %f %e %g %x %t %T %%, flags, width, precision). */
export function sprintf(format: string, args: unknown[]): string {
  let out = ''
  let argi = 0
  let i = 0
  while (i < format.length) {
    const c = format[i]!
    if (c !== '%') {
      out += c
      i++
      continue
    }
    i++
    let minus = false
    let plus = false
    let zero = false
    let sharp = false
    let space = false
    for (; i < format.length; i++) {
      const f = format[i]
      if (f === '-') minus = true
      else if (f === '+') plus = true
      else if (f === '0') zero = true
      else if (f === '#') sharp = true
      else if (f === ' ') space = true
      else break
    }
    void space
    let width: number | undefined
    let m = /^\d+/.exec(format.slice(i))
    if (m) {
      width = Number(m[0])
      i += m[0].length
    } else if (format[i] === '*') {
      const w = args[argi++]
      width = typeof w === 'bigint' ? Number(w) : undefined
      i++
    }
    let prec: number | undefined
    if (format[i] === '.') {
      i++
      m = /^\d+/.exec(format.slice(i))
      prec = m ? Number(m[0]) : 0
      if (m) i += m[0].length
    }
    if (i >= format.length) {
      out += '%!(NOVERB)'
      break
    }
    const verb = format[i]!
    i++
    if (verb === '%') {
      out += '%'
      continue
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`
      continue
    }
    const x = args[argi++]
    out += pad(fmtValue(verb, x, prec, plus, sharp), width, minus, zero && !minus)
  }
  if (argi < args.length) {
    out +=
      '%!(EXTRA ' +
      args
        .slice(argi)
        .map((x) => (x === undefined || x === null ? '<nil>' : `${typeName(x)}=${sprint(x)}`))
        .join(', ') +
      ')'
  }
  return out
}

// ---------------------------------------------------------------------------------------------------------------
// Public API

/** GoTemplate is a parsed template named like kubectl's ("output"). */
export class GoTemplate {
  private readonly tree: Node[]
  private readonly defines: Map<string, Node[]>

  /** constructor parses text; a bad template throws GoTemplateError with Go's parse error text. */
  constructor(
    readonly text: string,
    readonly name = 'output',
  ) {
    let items: Item[]
    try {
      items = lex(text)
    } catch (e) {
      if (!(e instanceof LexError)) throw e
      throw new GoTemplateError(`template: ${name}:${e.line}: ${e.message}`)
    }
    const parser = new Parser(items, name)
    this.tree = parser.parse()
    this.defines = parser.defines
  }

  /**
   * execute runs the template on JSON-shaped data (integral numbers are int64, as kubectl decodes them); with
   * missingKeyError a missing map key is an error (missingkey=error) instead of `<no value>`.
   */
  execute(data: unknown, missingKeyError = false): string {
    const state = new State(this.text, this.name, missingKeyError, this.defines)
    try {
      return state.run(this.tree, fromJson(data))
    } catch (e) {
      if (e instanceof ExecError) throw Object.assign(new GoTemplateError(e.message), {partial: state.output})
      if (e instanceof BreakSignal || e instanceof ContinueSignal) return ''
      throw e
    }
  }
}

/**
 * GoTemplatePrinter is cli-runtime's GoTemplatePrinter: parse errors read `error parsing template TPL, ERR`; on an
 * execution error the output gets the debugging report (template, raw JSON, the object as %+v) and the error reads
 * `error executing template "TPL": ERR`. Output written before the error stays (Go writes as it executes).
 */
export class GoTemplatePrinter {
  private readonly tpl: GoTemplate

  constructor(
    private readonly template: string,
    private readonly allowMissingKeys = true,
  ) {
    try {
      this.tpl = new GoTemplate(template)
    } catch (e) {
      throw new GoTemplateError(`error parsing template ${template}, ${(e as Error).message}`, {cause: e})
    }
  }

  /** print executes the template on obj and writes the result. */
  print(obj: unknown, out: Sink): void {
    const data = JSON.parse(JSON.stringify(obj ?? null)) as unknown
    let text: string
    try {
      text = this.tpl.execute(data, !this.allowMissingKeys)
    } catch (e) {
      if (!(e instanceof GoTemplateError)) throw e
      const partial = (e as GoTemplateError & {partial?: string}).partial ?? ''
      out.write(
        partial +
          `Error executing template: ${e.message}. Printing more information for debugging the template:\n` +
          `\ttemplate was:\n\t\t${this.template}\n` +
          `\traw data was:\n\t\t${toJson(data, '')}\n` +
          `\tobject given to template engine was:\n\t\t${goSprint(data)}\n\n`,
      )
      throw new GoTemplateError(`error executing template ${goQuote(this.template)}: ${e.message}`, {cause: e})
    }
    out.write(text)
  }
}
