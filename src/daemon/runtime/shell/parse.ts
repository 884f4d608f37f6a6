// parse.ts: a parser for the part of the POSIX shell language that pod commands use (`sh -c "..."`): simple
// commands with assignments and redirections, pipelines, `&&`/`||`, `;`/`&`/newline lists, `{ }` and `( )`,
// if/while/until/for/case, quoting, `$VAR`/`${VAR:-x}`/`$(...)`/`` `...` ``/`$((...))`. It follows the grammar of
// POSIX XCU 2.10 (Shell Grammar); heredocs, functions and globbing are left out.

/** WordPart is one piece of a shell word; q tells whether it was quoted (quoted parts are not field-split). */
export type WordPart =
  | {k: 'lit'; v: string; q: boolean}
  | {k: 'var'; name: string; op?: string; arg?: Word; q: boolean}
  | {k: 'cmd'; src: string; q: boolean}
  | {k: 'arith'; src: string; q: boolean}

/** Word is a shell word before expansion. */
export type Word = WordPart[]

/** Redirect is `[fd]op target`. */
export interface Redirect {
  fd: number
  op: '>' | '>>' | '<' | '>&' | '<&' | '&>'
  target: Word
}

/** Node is a parsed command. */
export type Node =
  | {k: 'simple'; assigns: {name: string; value: Word}[]; words: Word[]; redirs: Redirect[]}
  | {k: 'pipeline'; cmds: Node[]; bang: boolean}
  | {k: 'andor'; first: Node; rest: {op: '&&' | '||'; node: Node}[]}
  | {k: 'list'; items: {node: Node; bg: boolean}[]}
  | {k: 'group'; body: Node; subshell: boolean; redirs: Redirect[]}
  | {k: 'if'; clauses: {cond: Node; body: Node}[]; otherwise?: Node; redirs: Redirect[]}
  | {k: 'loop'; cond: Node; body: Node; until: boolean; redirs: Redirect[]}
  | {k: 'for'; name: string; items?: Word[]; body: Node; redirs: Redirect[]}
  | {k: 'case'; subject: Word; arms: {patterns: Word[]; body?: Node}[]; redirs: Redirect[]}

/** ShellSyntaxError is a parse error; message follows dash's wording ("Syntax error: end of file unexpected"). */
export class ShellSyntaxError extends Error {}

type Token = {t: 'word'; w: Word; raw: string} | {t: 'op'; v: string}

const OPS = ['&&', '||', ';;', '>>', '>&', '<&', '&>', ';', '&', '|', '(', ')', '<', '>', '\n']
const META = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>'])

/** matchParen returns the index just after the `)` closing an opening paren at i-1 (quotes respected). */
function matchClose(s: string, i: number, open: string, close: string): number {
  let depth = 1
  while (i < s.length) {
    const c = s[i]
    if (c === '\\') i += 2
    else if (c === "'") i = s.indexOf("'", i + 1) < 0 ? s.length : s.indexOf("'", i + 1) + 1
    else if (c === '"') {
      i++
      while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1
      i++
    } else {
      if (c === open) depth++
      else if (c === close && --depth === 0) return i + 1
      i++
    }
  }
  throw new ShellSyntaxError(`Syntax error: end of file unexpected (expecting "${close}")`)
}

/** lexDollar reads an expansion starting at s[i] === '$'; returns the part (or undefined for a lone $) and the end. */
function lexDollar(s: string, i: number, q: boolean): [WordPart, number] {
  const n = s[i + 1]
  if (s.startsWith('$((', i)) {
    // The outer paren closes last: `$((` ... `))`.
    const end = matchClose(s, i + 2, '(', ')')
    if (s[end - 2] !== ')') throw new ShellSyntaxError("Syntax error: Missing '))'")
    return [{k: 'arith', src: s.slice(i + 3, end - 2), q}, end]
  }
  if (n === '(') {
    const end = matchClose(s, i + 2, '(', ')')
    return [{k: 'cmd', src: s.slice(i + 2, end - 1), q}, end]
  }
  if (n === '{') {
    const end = matchClose(s, i + 2, '{', '}')
    const body = s.slice(i + 2, end - 1)
    if (body.startsWith('#')) return [{k: 'var', name: body.slice(1), op: '#len', q}, end]
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?$#@*!-])(:?[-=+?]|##?|%%?)?/.exec(body)
    if (!m) throw new ShellSyntaxError(`Syntax error: Bad substitution`)
    const part: WordPart = {k: 'var', name: m[1], q}
    if (m[2]) {
      part.op = m[2]
      part.arg = lexWord(body.slice(m[0].length), true)
    } else if (m[0].length !== body.length) throw new ShellSyntaxError('Syntax error: Bad substitution')
    return [part, end]
  }
  const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9?$#@*!-])/.exec(s.slice(i + 1))
  if (!m) return [{k: 'lit', v: '$', q}, i + 1]
  return [{k: 'var', name: m[1], q}, i + 1 + m[1].length]
}

/** lexWord splits the text of one word (already delimited) into parts; inDquote treats it as double-quoted text. */
export function lexWord(s: string, inDquote = false): Word {
  const parts: Word = []
  const lit = (v: string, q: boolean) => {
    const last = parts.at(-1)
    if (last && last.k === 'lit' && last.q === q) last.v += v
    else parts.push({k: 'lit', v, q})
  }
  let i = 0
  while (i < s.length) {
    const c = s[i]
    if (c === '\\') {
      const n = s[i + 1]
      if (n === undefined) lit('\\', inDquote)
      else if (n === '\n') void 0
      else if (inDquote && !'$`"\\'.includes(n)) lit('\\' + n, true)
      else lit(n, true)
      i += 2
    } else if (c === "'" && !inDquote) {
      const end = s.indexOf("'", i + 1)
      if (end < 0) throw new ShellSyntaxError('Syntax error: Unterminated quoted string')
      lit(s.slice(i + 1, end), true)
      if (end === i + 1) parts.push({k: 'lit', v: '', q: true})
      i = end + 1
    } else if (c === '"' && !inDquote) {
      let j = i + 1
      while (j < s.length && s[j] !== '"') {
        if (s[j] === '\\') j += 2
        else if (s[j] === '$' && (s[j + 1] === '(' || s[j + 1] === '{')) j = lexDollar(s, j, true)[1]
        else if (s[j] === '`') j = s.indexOf('`', j + 1) + 1 || s.length
        else j++
      }
      if (j >= s.length) throw new ShellSyntaxError('Syntax error: Unterminated quoted string')
      const inner = lexWord(s.slice(i + 1, j), true)
      if (inner.length === 0) parts.push({k: 'lit', v: '', q: true})
      for (const p of inner)
        if (p.k === 'lit') lit(p.v, true)
        else parts.push(p)
      i = j + 1
    } else if (c === '$') {
      const [part, end] = lexDollar(s, i, inDquote)
      if (part.k === 'lit') lit(part.v, inDquote)
      else parts.push(part)
      i = end
    } else if (c === '`') {
      const end = s.indexOf('`', i + 1)
      if (end < 0) throw new ShellSyntaxError('Syntax error: EOF in backquote substitution')
      parts.push({k: 'cmd', src: s.slice(i + 1, end).replace(/\\([$`\\])/g, '$1'), q: inDquote})
      i = end + 1
    } else {
      let j = i
      while (j < s.length && !'\\\'"$`'.includes(s[j])) j++
      lit(s.slice(i, j), inDquote)
      i = j
    }
  }
  return parts
}

/** tokenize cuts a script into words and operators. */
function tokenize(s: string): Token[] {
  const out: Token[] = []
  let i = 0
  while (i < s.length) {
    const c = s[i]
    if (c === ' ' || c === '\t' || c === '\r') {
      i++
      continue
    }
    if (c === '\\' && s[i + 1] === '\n') {
      i += 2
      continue
    }
    if (c === '#') {
      while (i < s.length && s[i] !== '\n') i++
      continue
    }
    // An IO number: digits directly before a redirection operator.
    const io = /^(\d+)(>>|>&|<&|>|<)/.exec(s.slice(i, i + 12))
    if (io) {
      out.push({t: 'op', v: io[1] + io[2]})
      i += io[0].length
      continue
    }
    const op = OPS.find((o) => s.startsWith(o, i))
    if (op) {
      out.push({t: 'op', v: op})
      i += op.length
      continue
    }
    let j = i
    while (j < s.length && !META.has(s[j])) {
      const d = s[j]
      if (d === '\\') j += 2
      else if (d === "'") {
        const end = s.indexOf("'", j + 1)
        if (end < 0) throw new ShellSyntaxError('Syntax error: Unterminated quoted string')
        j = end + 1
      } else if (d === '"') {
        j++
        while (j < s.length && s[j] !== '"') {
          if (s[j] === '\\') j += 2
          else if (s[j] === '$' && (s[j + 1] === '(' || s[j + 1] === '{')) j = lexDollar(s, j, true)[1]
          else j++
        }
        if (j >= s.length) throw new ShellSyntaxError('Syntax error: Unterminated quoted string')
        j++
      } else if (d === '$' && (s[j + 1] === '(' || s[j + 1] === '{')) j = lexDollar(s, j, false)[1]
      else if (d === '`') {
        const end = s.indexOf('`', j + 1)
        if (end < 0) throw new ShellSyntaxError('Syntax error: EOF in backquote substitution')
        j = end + 1
      } else j++
    }
    const raw = s.slice(i, Math.min(j, s.length))
    out.push({t: 'word', w: lexWord(raw), raw})
    i = j
  }
  return out
}

/** parseScript parses a whole script into a list node. */
export function parseScript(src: string): Node {
  const toks = tokenize(src)
  let p = 0
  const peek = () => toks[p]
  const isOp = (v: string) => toks[p]?.t === 'op' && (toks[p] as {v: string}).v === v
  const isWord = (v: string) => toks[p]?.t === 'word' && (toks[p] as {raw: string}).raw === v
  const skipNl = () => {
    while (isOp('\n')) p++
  }
  const unexpected = (): never => {
    const t = peek()
    const what = t === undefined ? 'end of file' : t.t === 'op' ? (t.v === '\n' ? 'newline' : `"${t.v}"`) : `"${t.raw}"`
    throw new ShellSyntaxError(`Syntax error: ${what} unexpected`)
  }
  const expectWord = (v: string) => {
    skipNl()
    if (!isWord(v)) {
      if (peek() === undefined) throw new ShellSyntaxError(`Syntax error: end of file unexpected (expecting "${v}")`)
      unexpected()
    }
    p++
  }

  function list(stop: string[]): Node {
    const items: {node: Node; bg: boolean}[] = []
    for (;;) {
      skipNl()
      const t = peek()
      if (
        t === undefined ||
        (t.t === 'word' && stop.includes(t.raw)) ||
        (t.t === 'op' && (t.v === ')' || t.v === ';;'))
      )
        break
      const node = andOr()
      let bg = false
      if (isOp('&')) {
        bg = true
        p++
      } else if (isOp(';')) p++
      else if (
        !isOp('\n') &&
        peek() !== undefined &&
        !(peek()!.t === 'word' && stop.includes((peek() as {raw: string}).raw)) &&
        !isOp(')') &&
        !isOp(';;')
      )
        unexpected()
      items.push({node, bg})
    }
    return {k: 'list', items}
  }

  function andOr(): Node {
    const first = pipeline()
    const rest: {op: '&&' | '||'; node: Node}[] = []
    while (isOp('&&') || isOp('||')) {
      const op = (peek() as {v: '&&' | '||'}).v
      p++
      skipNl()
      rest.push({op, node: pipeline()})
    }
    return rest.length ? {k: 'andor', first, rest} : first
  }

  function pipeline(): Node {
    let bang = false
    if (isWord('!')) {
      bang = true
      p++
    }
    const cmds = [command()]
    while (isOp('|')) {
      p++
      skipNl()
      cmds.push(command())
    }
    return cmds.length === 1 && !bang ? cmds[0] : {k: 'pipeline', cmds, bang}
  }

  function redirects(): Redirect[] {
    const out: Redirect[] = []
    for (;;) {
      const t = peek()
      if (t?.t !== 'op') break
      const m = /^(\d*)(>>|>&|<&|&>|>|<)$/.exec(t.v)
      if (!m) break
      p++
      const target = peek()
      if (target?.t !== 'word') unexpected()
      p++
      const op = m[2] as Redirect['op']
      out.push({fd: m[1] ? Number(m[1]) : op.startsWith('<') ? 0 : 1, op, target: (target as {w: Word}).w})
    }
    return out
  }

  function command(): Node {
    const t = peek()
    if (t === undefined) unexpected()
    if (t.t === 'op' && t.v === '(') {
      p++
      const body = list([])
      if (!isOp(')')) unexpected()
      p++
      return {k: 'group', body, subshell: true, redirs: redirects()}
    }
    if (t.t === 'word') {
      switch (t.raw) {
        case '{': {
          p++
          const body = list(['}'])
          expectWord('}')
          return {k: 'group', body, subshell: false, redirs: redirects()}
        }
        case 'if': {
          p++
          const clauses: {cond: Node; body: Node}[] = []
          let otherwise: Node | undefined
          for (;;) {
            const cond = list(['then'])
            expectWord('then')
            const body = list(['elif', 'else', 'fi'])
            clauses.push({cond, body})
            if (isWord('elif')) {
              p++
              continue
            }
            if (isWord('else')) {
              p++
              otherwise = list(['fi'])
            }
            expectWord('fi')
            break
          }
          return {k: 'if', clauses, otherwise, redirs: redirects()}
        }
        case 'while':
        case 'until': {
          p++
          const cond = list(['do'])
          expectWord('do')
          const body = list(['done'])
          expectWord('done')
          return {k: 'loop', cond, body, until: t.raw === 'until', redirs: redirects()}
        }
        case 'for': {
          p++
          const name = peek()
          if (name?.t !== 'word') unexpected()
          p++
          let items: Word[] | undefined
          skipNl()
          if (isWord('in')) {
            p++
            items = []
            while (peek()?.t === 'word') items.push((toks[p++] as {w: Word}).w)
            if (isOp(';') || isOp('\n')) p++
          } else if (isOp(';')) p++
          expectWord('do')
          const body = list(['done'])
          expectWord('done')
          return {k: 'for', name: (name as {raw: string}).raw, items, body, redirs: redirects()}
        }
        case 'case': {
          p++
          const subject = peek()
          if (subject?.t !== 'word') unexpected()
          p++
          expectWord('in')
          const arms: {patterns: Word[]; body?: Node}[] = []
          for (;;) {
            skipNl()
            if (isWord('esac')) break
            if (isOp('(')) p++
            const patterns: Word[] = []
            for (;;) {
              const w = peek()
              if (w?.t !== 'word') unexpected()
              patterns.push((w as {w: Word}).w)
              p++
              if (isOp('|')) p++
              else break
            }
            if (!isOp(')')) unexpected()
            p++
            const body = list(['esac'])
            arms.push({patterns, body})
            if (isOp(';;')) p++
            else break
          }
          expectWord('esac')
          return {k: 'case', subject: (subject as {w: Word}).w, arms, redirs: redirects()}
        }
        case 'then':
        case 'elif':
        case 'else':
        case 'fi':
        case 'do':
        case 'done':
        case 'esac':
        case '}':
          unexpected()
      }
    }
    return simple()
  }

  function simple(): Node {
    const assigns: {name: string; value: Word}[] = []
    const words: Word[] = []
    const redirs: Redirect[] = []
    for (;;) {
      const r = redirects()
      if (r.length) {
        redirs.push(...r)
        continue
      }
      const t = peek()
      if (t?.t !== 'word') break
      const first = t.w[0]
      const m = words.length === 0 && first?.k === 'lit' && !first.q ? /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.v) : null
      if (m) {
        const value: Word = [
          {k: 'lit', v: first.k === 'lit' ? first.v.slice(m[0].length) : '', q: false},
          ...t.w.slice(1),
        ]
        assigns.push({name: m[1], value})
      } else words.push(t.w)
      p++
    }
    if (assigns.length === 0 && words.length === 0 && redirs.length === 0) unexpected()
    return {k: 'simple', assigns, words, redirs}
  }

  const node = list([])
  if (p < toks.length) unexpected()
  return node
}
