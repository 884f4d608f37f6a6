// interp.ts: runs parsed shell scripts as generators (see types.ts). Expansion, field splitting, redirections,
// pipelines and the special builtins (cd, export, exit, exec, set, shift, read, eval, trap, wait, unset) follow
// POSIX XCU 2.6-2.14; error wording follows dash, bash and BusyBox ash, whichever the image has.
/* eslint-disable require-yield -- every command is a generator by signature; many finish without yielding */
import {parseScript, lexWord, ShellSyntaxError, type Node, type Redirect, type Word, type WordPart} from './parse.js'
import {ShellExit, resolvePath, write, type Exec, type Gen, type IO, type Proc, type Sink} from './types.js'

/** notFound is the shell's message for a command it cannot find (exit 127). */
export function notFound(flavor: Proc['flavor'], shName: string, cmd: string): string {
  if (flavor === 'bash') return `${shName}: line 1: ${cmd}: command not found\n`
  if (flavor === 'dash') return `${shName}: 1: ${cmd}: not found\n`
  return `${shName}: ${cmd}: not found\n`
}

/** syntaxError words a parse error the way the image's shell does. */
export function syntaxError(flavor: Proc['flavor'], shName: string, e: ShellSyntaxError): string {
  if (flavor === 'bash')
    return `${shName}: -c: line 1: syntax error: ${e.message.replace(/^Syntax error: /, '').replace(/"/g, '`')}\n`
  if (flavor === 'dash') return `${shName}: 1: ${e.message}\n`
  return `${shName}: ${e.message.replace(/^Syntax error/, 'syntax error')}\n`
}

/** globToRegExp turns a case/`[[` pattern into a RegExp. */
export function globToRegExp(pat: string): RegExp {
  let re = ''
  for (let i = 0; i < pat.length; i++) {
    const c = pat[i]
    if (c === '*') re += '.*'
    else if (c === '?') re += '.'
    else if (c === '[') {
      const end = pat.indexOf(']', i + 2)
      if (end < 0) re += '\\['
      else {
        re +=
          '[' +
          pat
            .slice(i + 1, end)
            .replace(/^!/, '^')
            .replace(/\\/g, '\\\\') +
          ']'
        i = end
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&')
  }
  return new RegExp(`^${re}$`, 's')
}

/** Shell is one shell process (a subshell is a copy). */
export class Shell {
  status = 0
  exported: Set<string>
  /** flavor is the shell's own wording (bash run from a Debian image speaks bash, its sh speaks dash). */
  flavor: Proc['flavor']
  private traps = new Map<string, string>()

  constructor(
    readonly proc: Proc,
    readonly vars: Map<string, string>,
    public name: string,
    public positional: string[],
    public cwd: string,
    exported?: Set<string>,
  ) {
    this.exported = exported ?? new Set(vars.keys())
    this.flavor = proc.flavor
  }

  /** sub makes a subshell: a copy of the variables sharing the same process (files, listeners). */
  sub(): Shell {
    const s = new Shell(
      this.proc,
      new Map(this.vars),
      this.name,
      [...this.positional],
      this.cwd,
      new Set(this.exported),
    )
    s.status = this.status
    s.flavor = this.flavor
    return s
  }

  /** script parses and runs src; a syntax error prints the shell's message and returns 2. */
  *script(src: string, io: IO): Gen<number> {
    let node: Node
    try {
      node = parseScript(src)
    } catch (e) {
      if (!(e instanceof ShellSyntaxError)) throw e
      yield* write(this.proc, io.err, syntaxError(this.flavor, this.name, e))
      return 2
    }
    try {
      return yield* this.run(node, io)
    } catch (e) {
      if (e instanceof ShellExit) return e.code
      throw e
    }
  }

  /** run executes a node and returns its status. */
  *run(node: Node, io: IO): Gen<number> {
    switch (node.k) {
      case 'list': {
        let st = this.status
        for (const it of node.items) {
          // Background jobs are not simulated: `cmd &` counts as started.
          if (it.bg) {
            st = 0
            continue
          }
          st = yield* this.run(it.node, io)
          this.status = st
        }
        return st
      }
      case 'andor': {
        let st = yield* this.run(node.first, io)
        this.status = st
        for (const r of node.rest) {
          if ((r.op === '&&') === (st === 0)) {
            st = yield* this.run(r.node, io)
            this.status = st
          }
        }
        return st
      }
      case 'pipeline': {
        let stdin = io.stdin
        let st = 0
        for (let i = 0; i < node.cmds.length; i++) {
          const last = i === node.cmds.length - 1
          const buf: Sink = {k: 'buf', chunks: []}
          const sub = this.sub()
          try {
            st = yield* sub.run(node.cmds[i], {stdin, out: last ? io.out : buf, err: io.err})
          } catch (e) {
            if (!(e instanceof ShellExit)) throw e
            st = e.code
          }
          if (!last) stdin = (buf as {chunks: string[]}).chunks.join('')
        }
        return node.bang ? (st === 0 ? 1 : 0) : st
      }
      case 'group': {
        const rio = yield* this.redirect(node.redirs, io)
        if (!rio) return 1
        if (!node.subshell) return yield* this.run(node.body, rio)
        const sub = this.sub()
        try {
          return yield* sub.run(node.body, rio)
        } catch (e) {
          if (e instanceof ShellExit) return e.code
          throw e
        }
      }
      case 'if': {
        const rio = yield* this.redirect(node.redirs, io)
        if (!rio) return 1
        for (const c of node.clauses) {
          if ((yield* this.run(c.cond, rio)) === 0) return yield* this.run(c.body, rio)
        }
        return node.otherwise ? yield* this.run(node.otherwise, rio) : 0
      }
      case 'loop': {
        const rio = yield* this.redirect(node.redirs, io)
        if (!rio) return 1
        let st = 0
        let last: {state: string; at: number} | undefined
        for (;;) {
          yield {k: 'tick'}
          // Same variables and files at the top of two iterations while time passes: an endless loop.
          const state = this.fingerprint(st)
          const at = this.proc.elapsed()
          if (last && last.state === state && at > last.at) yield {k: 'steady'}
          last = {state, at}
          const c = yield* this.run(node.cond, rio)
          if ((c === 0) === node.until) return st
          st = yield* this.run(node.body, rio)
        }
      }
      case 'for': {
        const rio = yield* this.redirect(node.redirs, io)
        if (!rio) return 1
        const items: string[] = []
        if (node.items) for (const w of node.items) items.push(...(yield* this.expand(w)))
        else items.push(...this.positional)
        let st = 0
        for (const item of items) {
          yield {k: 'tick'}
          this.vars.set(node.name, item)
          st = yield* this.run(node.body, rio)
        }
        return st
      }
      case 'case': {
        const rio = yield* this.redirect(node.redirs, io)
        if (!rio) return 1
        const subject = (yield* this.expand(node.subject)).join(' ')
        for (const arm of node.arms) {
          for (const p of arm.patterns) {
            const pat = yield* this.expandPattern(p)
            if (globToRegExp(pat).test(subject)) return arm.body ? yield* this.run(arm.body, rio) : 0
          }
        }
        return 0
      }
      case 'simple':
        return yield* this.simple(node, io)
    }
  }

  private *simple(node: Extract<Node, {k: 'simple'}>, io: IO): Gen<number> {
    yield {k: 'tick'}
    this.lastSubst = undefined
    const fields: string[] = []
    for (const w of node.words) fields.push(...(yield* this.expand(w)))
    const assigns: [string, string][] = []
    for (const a of node.assigns) assigns.push([a.name, (yield* this.expand(a.value, false)).join('')])
    const rio = yield* this.redirect(node.redirs, io)
    if (!rio) return 1
    if (fields.length === 0) {
      for (const [k, val] of assigns) this.vars.set(k, val)
      return this.lastSubst ?? 0
    }
    const [name, ...args] = fields
    const builtin = BUILTINS[name]
    if (builtin) return yield* builtin(this, args, rio, assigns)
    const env = this.env()
    for (const [k, val] of assigns) env.set(k, val)
    return yield* this.exec(fields, env, rio)
  }

  private fingerprint(st: number): string {
    let f = `${st}\0${this.cwd}\0${this.positional.join('\0')}`
    for (const [k, v] of this.vars) f += `\0${k}=${v}`
    for (const [k, v] of this.proc.files) f += `\0${k}:${v.length}`
    return f + `\0${this.proc.dirs.size}\0${this.proc.listeners.size}`
  }

  /** lastSubst is the status of the last command substitution of the current command. */
  private lastSubst: number | undefined

  /** env is the environment a child gets: the exported variables. */
  env(): Map<string, string> {
    const env = new Map<string, string>()
    for (const k of this.exported) {
      const val = this.vars.get(k)
      if (val !== undefined) env.set(k, val)
    }
    return env
  }

  /** exec runs an executable of the image; unknown names print the shell's "not found" and return 127. */
  *exec(argv: string[], env: Map<string, string>, io: IO): Gen<number> {
    const prog = this.proc.lookup(argv[0])
    if (!prog) {
      yield* write(this.proc, io.err, notFound(this.flavor, this.name, argv[0]))
      return 127
    }
    const x: Exec = {argv, env, io, proc: this.proc, cwd: this.cwd}
    return yield* prog(x)
  }

  /** redirect applies redirections left to right; returns undefined (after printing) when a file cannot open. */
  private *redirect(redirs: Redirect[], io: IO): Gen<IO | undefined> {
    if (redirs.length === 0) return io
    const r: IO = {...io}
    for (const rd of redirs) {
      const target = (yield* this.expand(rd.target)).join(' ')
      if (rd.op === '>&' || rd.op === '<&') {
        if (target === '-') continue
        const from = target === '1' ? r.out : target === '2' ? r.err : undefined
        if (!from) continue
        if (rd.fd === 1) r.out = from
        else if (rd.fd === 2) r.err = from
        continue
      }
      if (rd.op === '<') {
        const path = resolvePath(this.cwd, target)
        if (path === '/dev/null') r.stdin = ''
        else if (this.proc.files.has(path)) r.stdin = this.proc.files.get(path)!
        else {
          yield* write(this.proc, io.err, this.cannotOpen(target, 'nonexistent'))
          return undefined
        }
        continue
      }
      const sink = this.sinkFor(target, rd.op === '>>')
      if (!sink) {
        yield* write(this.proc, io.err, this.cannotOpen(target, 'create'))
        return undefined
      }
      if (rd.op === '&>') r.out = r.err = sink
      else if (rd.fd === 1) r.out = sink
      else if (rd.fd === 2) r.err = sink
    }
    return r
  }

  private cannotOpen(target: string, why: 'nonexistent' | 'create'): string {
    const msg = why === 'nonexistent' ? 'No such file or directory' : 'Directory nonexistent'
    if (this.flavor === 'bash') return `${this.name}: line 1: ${target}: No such file or directory\n`
    if (this.flavor === 'dash')
      return `${this.name}: 1: cannot ${why === 'create' ? 'create' : 'open'} ${target}: ${msg}\n`
    return `${this.name}: can't ${why === 'create' ? 'create' : 'open'} ${target}: ${'No such file or directory'}\n`
  }

  private sinkFor(target: string, append: boolean): Sink | undefined {
    const path = resolvePath(this.cwd, target)
    if (path === '/dev/null') return {k: 'null'}
    if (path === '/dev/stdout' || path === '/proc/1/fd/1' || path === '/proc/self/fd/1') return {k: 'log', fd: 1}
    if (path === '/dev/stderr' || path === '/proc/1/fd/2' || path === '/proc/self/fd/2') return {k: 'log', fd: 2}
    const dir = path.slice(0, path.lastIndexOf('/')) || '/'
    if (!this.proc.dirs.has(dir) || this.proc.dirs.has(path)) return undefined
    if (!append || !this.proc.files.has(path)) this.proc.files.set(path, '')
    return {k: 'file', path}
  }

  /** expand expands a word into fields (split=false keeps one field, as in assignments). */
  *expand(w: Word, split = true): Gen<string[]> {
    const fields: string[] = []
    let cur = ''
    let have = false
    for (const part of w) {
      if (part.k === 'lit') {
        cur += part.v
        if (part.v !== '' || part.q) have = true
        continue
      }
      if (part.k === 'var' && part.name === '@' && part.q && !part.op) {
        this.positional.forEach((p, i) => {
          if (i > 0) {
            fields.push(cur)
            cur = ''
          }
          cur += p
          have = true
        })
        continue
      }
      const val = yield* this.expandPart(part)
      if (part.q || !split) {
        cur += val
        have = true
        continue
      }
      if (val === '') continue
      const pieces = val.split(/[ \t\n]+/)
      pieces.forEach((piece, i) => {
        if (i > 0 && have) {
          fields.push(cur)
          cur = ''
          have = false
        }
        if (piece !== '') {
          cur += piece
          have = true
        }
      })
    }
    if (have) fields.push(cur)
    return fields
  }

  /** expandPattern expands a case pattern, keeping quoted glob characters literal. */
  private *expandPattern(w: Word): Gen<string> {
    let s = ''
    for (const part of w) {
      if (part.k === 'lit') s += part.q ? part.v.replace(/[*?[\]]/g, '\\$&') : part.v
      else s += yield* this.expandPart(part)
    }
    return s
  }

  /** expandPart expands one $-part to a string. */
  *expandPart(part: WordPart): Gen<string> {
    switch (part.k) {
      case 'lit':
        return part.v
      case 'cmd': {
        const sub = this.sub()
        const buf: Sink = {k: 'buf', chunks: []}
        const st = yield* sub.script(part.src, {stdin: '', out: buf, err: {k: 'log', fd: 2}})
        this.lastSubst = st
        this.status = st
        return (buf as {chunks: string[]}).chunks.join('').replace(/\n+$/, '')
      }
      case 'arith': {
        const text = (yield* this.expand(lexWord(part.src, true), false)).join('')
        try {
          return String(arith(text, this.vars))
        } catch {
          throw new ShellExit(2)
        }
      }
      case 'var': {
        const val = this.lookupVar(part.name)
        switch (part.op) {
          case undefined:
            return val ?? ''
          case '#len':
            return String((val ?? '').length)
          case ':-':
          case '-':
            return (part.op === ':-' ? !val : val === undefined)
              ? (yield* this.expand(part.arg ?? [], false)).join('')
              : val!
          case ':=':
          case '=': {
            if (part.op === ':=' ? !val : val === undefined) {
              const d = (yield* this.expand(part.arg ?? [], false)).join('')
              this.vars.set(part.name, d)
              return d
            }
            return val!
          }
          case ':+':
          case '+':
            return (part.op === ':+' ? val : val !== undefined)
              ? (yield* this.expand(part.arg ?? [], false)).join('')
              : ''
          case ':?':
          case '?':
            if (part.op === ':?' ? !val : val === undefined) throw new ShellExit(1)
            return val!
          default: {
            // ${x#pat} ${x##pat} ${x%pat} ${x%%pat}
            const pat = (yield* this.expand(part.arg ?? [], false)).join('')
            return trimPattern(val ?? '', part.op, pat)
          }
        }
      }
    }
  }

  /** lookupVar reads a variable or a special parameter. */
  lookupVar(name: string): string | undefined {
    switch (name) {
      case '?':
        return String(this.status)
      case '$':
        return '1'
      case '#':
        return String(this.positional.length)
      case '@':
      case '*':
        return this.positional.join(' ')
      case '0':
        return this.name
      case '!':
      case '-':
        return ''
      case 'RANDOM':
        return String(Math.floor(this.proc.random() * 32768))
      case 'PWD':
        return this.cwd
      case 'SECONDS':
        return String(Math.floor(this.proc.elapsed() / 1000))
    }
    if (/^[1-9][0-9]*$/.test(name)) return this.positional[Number(name) - 1]
    return this.vars.get(name)
  }
}

function trimPattern(val: string, op: string, pat: string): string {
  const re = globToRegExp(pat)
  if (op === '#' || op === '##') {
    const lens = [...Array(val.length + 1).keys()]
    for (const n of op === '#' ? lens : lens.reverse()) if (re.test(val.slice(0, n))) return val.slice(n)
  } else {
    const lens = [...Array(val.length + 1).keys()]
    for (const n of op === '%' ? lens.reverse() : lens) if (re.test(val.slice(n))) return val.slice(0, n)
  }
  return val
}

/** arith evaluates shell arithmetic ($((...))): integers, variables, + - * / % ** comparisons, && || !, ?:, =. */
export function arith(src: string, vars: Map<string, string>): number {
  const toks = src.match(/\d+|[A-Za-z_][A-Za-z0-9_]*|\*\*|<=|>=|==|!=|&&|\|\||\+\+|--|[-+*/%()<>!?:=]/g) ?? []
  let p = 0
  const num = (name: string) => {
    const v = vars.get(name)
    return v === undefined || v === '' ? 0 : Number.parseInt(v, 10) || 0
  }
  const peek = () => toks[p]
  function primary(): number {
    const t = toks[p++]
    if (t === undefined) throw new Error('syntax')
    if (t === '(') {
      const v = ternary()
      if (toks[p++] !== ')') throw new Error('syntax')
      return v
    }
    if (t === '-') return -primary()
    if (t === '+') return primary()
    if (t === '!') return primary() === 0 ? 1 : 0
    if (/^\d+$/.test(t)) return Number(t)
    if (/^[A-Za-z_]/.test(t)) {
      if (peek() === '=' && toks[p + 1] !== '=') {
        p++
        const v = ternary()
        vars.set(t, String(v))
        return v
      }
      if (peek() === '++' || peek() === '--') {
        const v = num(t)
        vars.set(t, String(toks[p++] === '++' ? v + 1 : v - 1))
        return v
      }
      return num(t)
    }
    throw new Error('syntax')
  }
  const levels: string[][] = [['||'], ['&&'], ['==', '!='], ['<', '>', '<=', '>='], ['+', '-'], ['*', '/', '%'], ['**']]
  function binary(level: number): number {
    if (level === levels.length) return primary()
    let v = binary(level + 1)
    while (levels[level].includes(peek())) {
      const op = toks[p++]
      const r = binary(level + 1)
      switch (op) {
        case '||':
          v = v || r ? 1 : 0
          break
        case '&&':
          v = v && r ? 1 : 0
          break
        case '==':
          v = v === r ? 1 : 0
          break
        case '!=':
          v = v !== r ? 1 : 0
          break
        case '<':
          v = v < r ? 1 : 0
          break
        case '>':
          v = v > r ? 1 : 0
          break
        case '<=':
          v = v <= r ? 1 : 0
          break
        case '>=':
          v = v >= r ? 1 : 0
          break
        case '+':
          v += r
          break
        case '-':
          v -= r
          break
        case '*':
          v *= r
          break
        case '/':
          if (r === 0) throw new Error('division by zero')
          v = Math.trunc(v / r)
          break
        case '%':
          if (r === 0) throw new Error('division by zero')
          v %= r
          break
        case '**':
          v **= r
          break
      }
    }
    return v
  }
  function ternary(): number {
    const c = binary(0)
    if (peek() !== '?') return c
    p++
    const a = ternary()
    if (toks[p++] !== ':') throw new Error('syntax')
    const b = ternary()
    return c ? a : b
  }
  if (toks.length === 0) return 0
  const v = ternary()
  if (p !== toks.length) throw new Error('syntax')
  return v
}

type Builtin = (sh: Shell, args: string[], io: IO, assigns: [string, string][]) => Gen<number>

/** BUILTINS are the commands that act on the shell itself. */
const BUILTINS: Record<string, Builtin> = {
  *exit(sh, args) {
    throw new ShellExit(args[0] === undefined ? sh.status : Number.parseInt(args[0], 10) & 255)
  },
  *cd(sh, args, io) {
    const target = resolvePath(sh.cwd, args[0] ?? sh.vars.get('HOME') ?? '/')
    if (!sh.proc.dirs.has(target)) {
      yield* write(sh.proc, io.err, `${sh.name}: cd: can't cd to ${args[0]}: No such file or directory\n`)
      return sh.proc.flavor === 'bash' ? 1 : 2
    }
    sh.cwd = target
    return 0
  },
  *export(sh, args) {
    for (const a of args) {
      const eq = a.indexOf('=')
      const name = eq < 0 ? a : a.slice(0, eq)
      if (eq >= 0) sh.vars.set(name, a.slice(eq + 1))
      sh.exported.add(name)
    }
    return 0
  },
  *readonly(sh, args) {
    for (const a of args) {
      const eq = a.indexOf('=')
      if (eq >= 0) sh.vars.set(a.slice(0, eq), a.slice(eq + 1))
    }
    return 0
  },
  *local(sh, args) {
    for (const a of args) {
      const eq = a.indexOf('=')
      if (eq >= 0) sh.vars.set(a.slice(0, eq), a.slice(eq + 1))
    }
    return 0
  },
  *unset(sh, args) {
    for (const a of args) if (!a.startsWith('-')) sh.vars.delete(a)
    return 0
  },
  *set(sh, args) {
    const i = args.indexOf('--')
    if (i >= 0) sh.positional = args.slice(i + 1)
    return 0
  },
  *shift(sh, args) {
    const n = args[0] ? Number(args[0]) : 1
    sh.positional = sh.positional.slice(n)
    return 0
  },
  *read(sh, args, io) {
    const names = args.filter((a) => !a.startsWith('-'))
    if (io.stdin === '') return 1
    const nl = io.stdin.indexOf('\n')
    const line = nl < 0 ? io.stdin : io.stdin.slice(0, nl)
    io.stdin = nl < 0 ? '' : io.stdin.slice(nl + 1)
    const words = line.trim().split(/[ \t]+/)
    names.forEach((n, i) => sh.vars.set(n, i === names.length - 1 ? words.slice(i).join(' ') : (words[i] ?? '')))
    return 0
  },
  *eval(sh, args, io) {
    return yield* sh.script(args.join(' '), io)
  },
  *exec(sh, args, io, assigns) {
    if (args.length === 0) return 0
    const env = sh.env()
    for (const [k, v] of assigns) env.set(k, v)
    throw new ShellExit(yield* sh.exec(args, env, io))
  },
  *trap() {
    return 0
  },
  *wait() {
    return 0
  },
  *':'() {
    return 0
  },
  *'.'(sh, args, io) {
    const path = resolvePath(sh.cwd, args[0] ?? '')
    const src = sh.proc.files.get(path)
    if (src === undefined) {
      yield* write(sh.proc, io.err, `${sh.name}: .: ${args[0]}: not found\n`)
      return 2
    }
    return yield* sh.script(src, io)
  },
  *source(sh, args, io, assigns) {
    return yield* BUILTINS['.'](sh, args, io, assigns)
  },
}
