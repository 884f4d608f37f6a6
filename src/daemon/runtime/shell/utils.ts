// utils.ts: the everyday executables of an image's userland (coreutils / BusyBox applets) as simulated
// programs. Messages follow GNU coreutils on Debian/Ubuntu/RHEL images and BusyBox on busybox/alpine images
// (the kubelet shows them verbatim, e.g. "Liveness probe failed: cat: can't open '/tmp/healthy': ...").
/* eslint-disable require-yield -- every command is a generator by signature; many finish without yielding */
import {Shell} from './interp.js'
import {err, out, resolvePath, sleep, type Exec, type Gen, type HttpResponse, type Program} from './types.js'

const KERNEL = '6.1.0-mkctl'

const bb = (x: Exec) => x.proc.flavor === 'ash' || x.proc.flavor === undefined

/** parseDuration reads sleep's operand: seconds with an optional s/m/h/d suffix, or infinity. */
export function parseSleep(arg: string): number | undefined {
  if (/^inf(inity)?$/i.test(arg)) return Infinity
  const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(arg)
  if (!m) return undefined
  const mult = {'': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000}[m[2] as '' | 's' | 'm' | 'h' | 'd']
  return Number(m[1]) * mult
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const pad = (n: number, w = 2, c = '0') => String(n).padStart(w, c)

/** strftime formats ms (UTC, as containers run) with the usual % directives. */
export function strftime(fmt: string, ms: number): string {
  const d = new Date(ms)
  return fmt.replace(/%([a-zA-Z%:]|:z)/g, (_, c: string) => {
    switch (c) {
      case 'Y':
        return String(d.getUTCFullYear())
      case 'y':
        return pad(d.getUTCFullYear() % 100)
      case 'm':
        return pad(d.getUTCMonth() + 1)
      case 'd':
        return pad(d.getUTCDate())
      case 'e':
        return pad(d.getUTCDate(), 2, ' ')
      case 'H':
        return pad(d.getUTCHours())
      case 'I':
        return pad(((d.getUTCHours() + 11) % 12) + 1)
      case 'p':
        return d.getUTCHours() < 12 ? 'AM' : 'PM'
      case 'M':
        return pad(d.getUTCMinutes())
      case 'S':
        return pad(d.getUTCSeconds())
      case 'N':
        return pad(d.getUTCMilliseconds(), 3) + '000000'
      case 's':
        return String(Math.floor(ms / 1000))
      case 'a':
        return DAYS[d.getUTCDay()]
      case 'A':
        return ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][d.getUTCDay()]
      case 'b':
      case 'h':
        return MONTHS[d.getUTCMonth()]
      case 'j':
        return pad(Math.floor((ms - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1, 3)
      case 'Z':
        return 'UTC'
      case 'z':
        return '+0000'
      case ':z':
        return '+00:00'
      case 'T':
        return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
      case 'F':
        return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
      case 'D':
        return `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${pad(d.getUTCFullYear() % 100)}`
      case 'R':
        return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
      case 'n':
        return '\n'
      case 't':
        return '\t'
      case '%':
        return '%'
      default:
        return `%${c}`
    }
  })
}

/** unescape interprets echo -e / printf backslash escapes; `\c` stops output (returned as stop). */
function unescape(s: string): {text: string; stop: boolean} {
  let text = ''
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '\\' || i === s.length - 1) {
      text += s[i]
      continue
    }
    const c = s[++i]
    const map: Record<string, string> = {
      n: '\n',
      t: '\t',
      r: '\r',
      a: '\x07',
      b: '\b',
      f: '\f',
      v: '\v',
      e: '\x1b',
      '\\': '\\',
    }
    if (c === 'c') return {text, stop: true}
    if (c in map) text += map[c]
    else if (c === '0') {
      const m = /^[0-7]{0,3}/.exec(s.slice(i + 1))![0]
      text += String.fromCharCode(Number.parseInt(m || '0', 8))
      i += m.length
    } else text += '\\' + c
  }
  return {text, stop: false}
}

/** printfFormat implements printf(1): %s %d %i %x %o %c %f %b %% with widths, reusing the format for extra args. */
export function printfFormat(fmt: string, args: string[]): string {
  let res = ''
  let ai = 0
  do {
    const start = ai
    res += fmt.replace(
      /%([-+ 0#]*)(\d*)(?:\.(\d+))?([sdiuxXocfeEgGb%])|\\(.)/g,
      (m, flags: string, width: string, prec: string, conv: string) => {
        if (m.startsWith('\\')) return unescape(m).text
        if (conv === '%') return '%'
        const arg = args[ai++] ?? ''
        let s: string
        switch (conv) {
          case 'd':
          case 'i':
          case 'u':
            s = String(Math.trunc(Number(arg) || 0))
            break
          case 'x':
            s = (Math.trunc(Number(arg)) || 0).toString(16)
            break
          case 'X':
            s = (Math.trunc(Number(arg)) || 0).toString(16).toUpperCase()
            break
          case 'o':
            s = (Math.trunc(Number(arg)) || 0).toString(8)
            break
          case 'c':
            s = arg.slice(0, 1)
            break
          case 'f':
          case 'e':
          case 'E':
          case 'g':
          case 'G':
            s = (Number(arg) || 0).toFixed(prec === undefined ? 6 : Number(prec))
            break
          case 'b':
            s = unescape(arg).text
            break
          default:
            s = prec !== undefined ? arg.slice(0, Number(prec)) : arg
        }
        const w = Number(width || 0)
        if (s.length < w)
          s = flags.includes('-') ? s.padEnd(w) : s.padStart(w, flags.includes('0') && conv !== 's' ? '0' : ' ')
        return s
      },
    )
    if (ai === start) break
  } while (ai < args.length)
  return res
}

function* echo(x: Exec): Gen<number> {
  let args = x.argv.slice(1)
  let newline = true
  let escapes = x.proc.flavor === 'dash'
  while (args.length && /^-[neE]+$/.test(args[0]) && x.proc.flavor !== 'dash') {
    if (args[0].includes('n')) newline = false
    if (args[0].includes('e')) escapes = true
    if (args[0].includes('E')) escapes = false
    args = args.slice(1)
  }
  if (x.proc.flavor === 'dash' && args[0] === '-n') {
    newline = false
    args = args.slice(1)
  }
  let text = args.join(' ')
  if (escapes) {
    const u = unescape(text)
    text = u.text
    if (u.stop) newline = false
  }
  yield* out(x, newline ? text + '\n' : text)
  return 0
}

function* catFiles(x: Exec, paths: string[], each: (text: string) => string): Gen<number> {
  let code = 0
  if (paths.length === 0) {
    yield* out(x, each(x.io.stdin))
    return 0
  }
  for (const p of paths) {
    if (p === '-') {
      yield* out(x, each(x.io.stdin))
      continue
    }
    const text = readFile(x, p)
    if (text === undefined) {
      const name = x.argv[0].split('/').pop()
      const isDir = x.proc.dirs.has(resolvePath(x.cwd, p))
      yield* err(
        x,
        isDir
          ? `${name}: ${bb(x) ? `read error: ` : `${p}: `}Is a directory\n`
          : bb(x)
            ? `${name}: can't open '${p}': No such file or directory\n`
            : `${name}: ${p}: No such file or directory\n`,
      )
      code = 1
      continue
    }
    yield* out(x, each(text))
  }
  return code
}

/** readFile reads a file of the container (a few /proc files are synthesized). */
export function readFile(x: Exec, p: string): string | undefined {
  const path = resolvePath(x.cwd, p)
  if (path === '/proc/self/environ' || path === '/proc/1/environ')
    return [...x.env].map(([k, v]) => `${k}=${v}\0`).join('')
  if (path === '/proc/version') return `Linux version ${KERNEL} (mkctl) #1 SMP\n`
  if (path === '/proc/loadavg') return '0.08 0.03 0.01 1/123 42\n'
  if (path === '/dev/null') return ''
  return x.proc.files.get(path)
}

function lines(text: string): string[] {
  const l = text.split('\n')
  if (l.at(-1) === '') l.pop()
  return l
}

function numOpt(args: string[], flag: string, def: number): {n: number; rest: string[]} {
  let n = def
  const rest: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (a === flag) n = Number(args[++i])
    else if (a.startsWith(flag) && a.length > flag.length) n = Number(a.slice(flag.length))
    else if (/^-\d+$/.test(a)) n = Number(a.slice(1))
    else rest.push(a)
  }
  return {n, rest}
}

function testExpr(x: Exec, a: string[]): boolean {
  if (a.length === 0) return false
  if (a[0] === '!') return !testExpr(x, a.slice(1))
  const ai = a.indexOf('-a')
  if (ai > 0) return testExpr(x, a.slice(0, ai)) && testExpr(x, a.slice(ai + 1))
  const oi = a.indexOf('-o')
  if (oi > 0) return testExpr(x, a.slice(0, oi)) || testExpr(x, a.slice(oi + 1))
  if (a[0] === '(' && a.at(-1) === ')') return testExpr(x, a.slice(1, -1))
  if (a.length === 1) return a[0] !== ''
  if (a.length === 2) {
    const path = resolvePath(x.cwd, a[1])
    switch (a[0]) {
      case '-z':
        return a[1] === ''
      case '-n':
        return a[1] !== ''
      case '-e':
      case '-a':
        return x.proc.files.has(path) || x.proc.dirs.has(path)
      case '-f':
        return x.proc.files.has(path)
      case '-d':
        return x.proc.dirs.has(path)
      case '-s':
        return (x.proc.files.get(path) ?? '') !== ''
      case '-r':
      case '-w':
      case '-x':
        return x.proc.files.has(path) || x.proc.dirs.has(path)
      case '-L':
      case '-h':
      case '-p':
      case '-S':
        return false
    }
  }
  const [l, op, r] = a
  const n = (s: string) => Number.parseInt(s, 10)
  switch (op) {
    case '=':
    case '==':
      return l === r
    case '!=':
      return l !== r
    case '-eq':
      return n(l) === n(r)
    case '-ne':
      return n(l) !== n(r)
    case '-lt':
      return n(l) < n(r)
    case '-le':
      return n(l) <= n(r)
    case '-gt':
      return n(l) > n(r)
    case '-ge':
      return n(l) >= n(r)
  }
  return false
}

/** fetchUrl answers an http URL from inside the container: its own listeners on localhost; else undefined. */
export function fetchUrl(
  x: Exec,
  url: string,
): {res?: HttpResponse; error?: 'refused' | 'resolve'; host: string; port: number} {
  const m = /^(?:(https?):\/\/)?([^/:]+)(?::(\d+))?(\/.*)?$/.exec(url)
  if (!m) return {error: 'resolve', host: url, port: 80}
  const host = m[2]
  const port = Number(m[3] ?? (m[1] === 'https' ? 443 : 80))
  const local =
    host === 'localhost' ||
    host === '127.0.0.1' ||
    host === '::1' ||
    host === '0.0.0.0' ||
    host === x.proc.podIP ||
    host === x.proc.hostname
  if (!local) return {error: 'resolve', host, port}
  const l = x.proc.listeners.get(port)
  if (!l) return {error: 'refused', host, port}
  const res = l.http
    ? l.http(
        {method: 'GET', path: m[4] ?? '/', host: m[3] ? `${host}:${port}` : host, clientIP: '127.0.0.1', headers: {}},
        x.proc.now(),
      )
    : {status: 0, body: ''}
  return {res, host, port}
}

function* curl(x: Exec): Gen<number> {
  const args = x.argv.slice(1)
  const url = args.find(
    (a, i) =>
      !a.startsWith('-') &&
      !/^-(o|H|X|d|m|w|A|u|e|-max-time|-connect-timeout|-output|-header|-request|-data)$/.test(args[i - 1] ?? ''),
  )
  if (!url) {
    yield* err(x, "curl: try 'curl --help' or 'curl --manual' for more information\n")
    return 2
  }
  const flags = args.filter((a) => a.startsWith('-')).join(' ')
  const fail = /(^|\s)-[a-zA-Z]*f|--fail/.test(flags)
  const silent = /(^|\s)-[a-zA-Z]*s|--silent/.test(flags)
  const showErr = /(^|\s)-[a-zA-Z]*S|--show-error/.test(flags)
  const r = fetchUrl(x, url)
  if (r.error) {
    if (!silent || showErr) {
      yield* err(
        x,
        r.error === 'resolve'
          ? `curl: (6) Could not resolve host: ${r.host}\n`
          : `curl: (7) Failed to connect to ${r.host} port ${r.port} after 0 ms: Couldn't connect to server\n`,
      )
    }
    return r.error === 'resolve' ? 6 : 7
  }
  if (fail && r.res!.status >= 400) {
    if (!silent || showErr) yield* err(x, `curl: (22) The requested URL returned error: ${r.res!.status}\n`)
    return 22
  }
  if (!/(^|\s)-[a-zA-Z]*o|--output/.test(flags) || args.includes('-')) yield* out(x, r.res!.body)
  return 0
}

function* wget(x: Exec): Gen<number> {
  const args = x.argv.slice(1)
  const url = args.find((a, i) => !a.startsWith('-') && !/^-(O|T|U|-output-document|-timeout)$/.test(args[i - 1] ?? ''))
  if (!url) {
    yield* err(
      x,
      'BusyBox v1.36.1 (2023-07-27 17:12:24 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n',
    )
    return 1
  }
  const quiet = args.some((a) => /^-[a-zA-Z]*q/.test(a) || a === '--quiet')
  const spider = args.includes('--spider')
  const toStdout =
    args.some((a, i) => (a === '-O' || a === '--output-document') && args[i + 1] === '-') ||
    args.some((a) => /^-[a-zA-Z]*O-$/.test(a) || a === '-qO-')
  const r = fetchUrl(x, url)
  if (r.error) {
    yield* err(
      x,
      r.error === 'resolve'
        ? `wget: bad address '${r.host}${url.includes(':' + r.port) ? ':' + r.port : ''}'\n`
        : `wget: can't connect to remote host (127.0.0.1): Connection refused\n`,
    )
    return 1
  }
  if (!quiet)
    yield* err(x, `Connecting to ${r.host}${url.includes(':' + r.port) ? ':' + r.port : ''} (127.0.0.1:${r.port})\n`)
  if (r.res!.status >= 400) {
    yield* err(x, `wget: server returned error: HTTP/1.1 ${r.res!.status} ${reasonPhrase(r.res!.status)}\n`)
    return 1
  }
  if (spider) {
    if (!quiet) yield* err(x, 'remote file exists\n')
    return 0
  }
  if (toStdout) yield* out(x, r.res!.body)
  else x.proc.files.set(resolvePath(x.cwd, 'index.html'), r.res!.body)
  return 0
}

/** reasonPhrase is the HTTP reason phrase for a status code. */
export function reasonPhrase(status: number): string {
  const phrases: Record<number, string> = {
    200: 'OK',
    201: 'Created',
    204: 'No Content',
    301: 'Moved Permanently',
    302: 'Found',
    304: 'Not Modified',
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
    504: 'Gateway Timeout',
  }
  return phrases[status] ?? ''
}

/** shellProgram is sh/bash/ash: `-c script [name args...]`, a script file, or (no tty, empty stdin) exit 0. */
export function shellProgram(x: Exec): Gen<number> {
  return (function* () {
    const argv0 = x.argv[0]
    const args = x.argv.slice(1)
    let cmd: string | undefined
    let i = 0
    let c = false
    for (; i < args.length && /^[-+][a-zA-Z]+$/.test(args[i]); i++) if (args[i].includes('c')) c = true
    if (args[i] === '--') i++
    if (c) {
      cmd = args[i]
      if (cmd === undefined) {
        yield* err(x, `${argv0}: -c: option requires an argument\n`)
        return 2
      }
      i++
    }
    const name = c ? (args[i] ?? argv0) : argv0
    const positional = c ? args.slice(i + 1) : args.slice(i + 1)
    if (!c && args[i] !== undefined) {
      const src = readFile(x, args[i])
      if (src === undefined) {
        yield* err(
          x,
          x.proc.flavor === 'dash'
            ? `${argv0}: 0: cannot open ${args[i]}: No such file\n`
            : `${argv0}: ${args[i]}: No such file or directory\n`,
        )
        return x.proc.flavor === 'bash' ? 127 : 2
      }
      cmd = src
    }
    const sh = new Shell(x.proc, new Map(x.env), c ? name : (args[i] ?? argv0), positional, x.cwd)
    const base = argv0.split('/').pop()
    if (base === 'bash' || base === 'zsh') sh.flavor = 'bash'
    // Without -c and a script, the shell reads its stdin: a container has no tty, so it ends at once (exit 0).
    return yield* sh.script(cmd ?? x.io.stdin, x.io)
  })()
}

/** UTILS are the programs of an image with a userland. */
export const UTILS: Record<string, Program> = {
  sh: shellProgram,
  bash: shellProgram,
  ash: shellProgram,
  dash: shellProgram,
  zsh: shellProgram,
  echo,
  *printf(x) {
    if (x.argv.length < 2) {
      yield* err(x, 'printf: usage: printf format [arguments]\n')
      return 2
    }
    yield* out(x, printfFormat(x.argv[1], x.argv.slice(2)))
    return 0
  },
  *true() {
    return 0
  },
  *false() {
    return 1
  },
  *sleep(x) {
    const args = x.argv.slice(1)
    if (args.length === 0) {
      yield* err(
        x,
        bb(x)
          ? 'sleep: applet requires an argument\n'
          : "sleep: missing operand\nTry 'sleep --help' for more information.\n",
      )
      return 1
    }
    let total = 0
    for (const a of args) {
      const ms = parseSleep(a)
      if (ms === undefined) {
        yield* err(
          x,
          bb(x)
            ? `sleep: invalid number '${a}'\n`
            : `sleep: invalid time interval '${a}'\nTry 'sleep --help' for more information.\n`,
        )
        return 1
      }
      total += ms
    }
    yield* sleep(total)
    return 0
  },
  *cat(x) {
    return yield* catFiles(
      x,
      x.argv.slice(1).filter((a) => !/^-[a-zA-Z]+$/.test(a)),
      (t) => t,
    )
  },
  *head(x) {
    const {n, rest} = numOpt(x.argv.slice(1), '-n', 10)
    return yield* catFiles(x, rest, (t) =>
      lines(t)
        .slice(0, n)
        .map((l) => l + '\n')
        .join(''),
    )
  },
  *tail(x) {
    const {n, rest} = numOpt(
      x.argv.slice(1).filter((a) => a !== '-f' && a !== '-F'),
      '-n',
      10,
    )
    const code = yield* catFiles(x, rest, (t) =>
      lines(t)
        .slice(-n)
        .map((l) => l + '\n')
        .join(''),
    )
    if (x.argv.includes('-f') || x.argv.includes('-F')) yield* sleep(Infinity)
    return code
  },
  *wc(x) {
    const flags = x.argv
      .slice(1)
      .filter((a) => a.startsWith('-'))
      .join('')
    const files = x.argv.slice(1).filter((a) => !a.startsWith('-'))
    const text = files.length ? (readFile(x, files[0]) ?? '') : x.io.stdin
    const l = (text.match(/\n/g) ?? []).length
    const w = text.split(/\s+/).filter(Boolean).length
    const c = Buffer.byteLength(text)
    const parts = flags.includes('l') ? [l] : flags.includes('w') ? [w] : flags.includes('c') ? [c] : [l, w, c]
    yield* out(x, parts.join(' ') + (files.length ? ` ${files[0]}` : '') + '\n')
    return 0
  },
  *grep(x) {
    const opts = x.argv
      .slice(1)
      .filter((a) => /^-[a-zA-Z]+$/.test(a))
      .join('')
    const rest = x.argv.slice(1).filter((a) => !/^-[a-zA-Z]+$/.test(a))
    const [pat, ...files] = rest
    if (pat === undefined) {
      yield* err(
        x,
        bb(x)
          ? 'grep: no pattern\n'
          : "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n",
      )
      return 2
    }
    let re: RegExp
    try {
      re = opts.includes('F')
        ? new RegExp(pat.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), opts.includes('i') ? 'i' : '')
        : new RegExp(opts.includes('E') ? pat : pat.replace(/\\([|+?(){}])/g, '$1'), opts.includes('i') ? 'i' : '')
    } catch {
      re = new RegExp(pat.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    }
    const text = files.length ? (readFile(x, files[0]) ?? '') : x.io.stdin
    if (files.length && readFile(x, files[0]) === undefined) {
      yield* err(x, `grep: ${files[0]}: No such file or directory\n`)
      return 2
    }
    const hits = lines(text).filter((l) => re.test(l) !== opts.includes('v'))
    if (opts.includes('c')) yield* out(x, `${hits.length}\n`)
    else if (!opts.includes('q')) yield* out(x, hits.map((l) => l + '\n').join(''))
    return hits.length ? 0 : 1
  },
  *tee(x) {
    const append = x.argv.includes('-a')
    for (const f of x.argv.slice(1).filter((a) => !a.startsWith('-'))) {
      const p = resolvePath(x.cwd, f)
      x.proc.files.set(p, (append ? (x.proc.files.get(p) ?? '') : '') + x.io.stdin)
    }
    yield* out(x, x.io.stdin)
    return 0
  },
  *touch(x) {
    let code = 0
    for (const f of x.argv.slice(1).filter((a) => !a.startsWith('-'))) {
      const p = resolvePath(x.cwd, f)
      const dir = p.slice(0, p.lastIndexOf('/')) || '/'
      if (!x.proc.dirs.has(dir)) {
        yield* err(
          x,
          bb(x)
            ? `touch: ${f}: No such file or directory\n`
            : `touch: cannot touch '${f}': No such file or directory\n`,
        )
        code = 1
      } else if (!x.proc.files.has(p) && !x.proc.dirs.has(p)) x.proc.files.set(p, '')
    }
    return code
  },
  *rm(x) {
    const flags = x.argv
      .slice(1)
      .filter((a) => a.startsWith('-'))
      .join('')
    let code = 0
    for (const f of x.argv.slice(1).filter((a) => !a.startsWith('-'))) {
      const p = resolvePath(x.cwd, f)
      if (x.proc.files.delete(p)) continue
      if (x.proc.dirs.has(p)) {
        if (/[rR]/.test(flags)) {
          for (const k of [...x.proc.files.keys()]) if (k.startsWith(p + '/')) x.proc.files.delete(k)
          for (const k of [...x.proc.dirs]) if (k === p || k.startsWith(p + '/')) x.proc.dirs.delete(k)
          continue
        }
        yield* err(x, bb(x) ? `rm: '${f}' is a directory\n` : `rm: cannot remove '${f}': Is a directory\n`)
        code = 1
        continue
      }
      if (!flags.includes('f')) {
        yield* err(
          x,
          bb(x)
            ? `rm: can't remove '${f}': No such file or directory\n`
            : `rm: cannot remove '${f}': No such file or directory\n`,
        )
        code = 1
      }
    }
    return code
  },
  *mkdir(x) {
    const parents = x.argv.slice(1).some((a) => /^-[a-z]*p/.test(a))
    let code = 0
    for (const f of x.argv.slice(1).filter((a) => !a.startsWith('-'))) {
      const p = resolvePath(x.cwd, f)
      const parent = p.slice(0, p.lastIndexOf('/')) || '/'
      if (x.proc.dirs.has(p) || x.proc.files.has(p)) {
        if (parents && x.proc.dirs.has(p)) continue
        yield* err(
          x,
          bb(x)
            ? `mkdir: can't create directory '${f}': File exists\n`
            : `mkdir: cannot create directory '${f}': File exists\n`,
        )
        code = 1
      } else if (!parents && !x.proc.dirs.has(parent)) {
        yield* err(
          x,
          bb(x)
            ? `mkdir: can't create directory '${f}': No such file or directory\n`
            : `mkdir: cannot create directory '${f}': No such file or directory\n`,
        )
        code = 1
      } else {
        let d = ''
        for (const s of p.split('/').filter(Boolean)) x.proc.dirs.add((d += '/' + s))
      }
    }
    return code
  },
  *ls(x) {
    const targets = x.argv.slice(1).filter((a) => !a.startsWith('-'))
    let code = 0
    for (const t of targets.length ? targets : ['.']) {
      const p = resolvePath(x.cwd, t)
      if (x.proc.files.has(p)) {
        yield* out(x, t + '\n')
        continue
      }
      if (!x.proc.dirs.has(p)) {
        yield* err(
          x,
          bb(x) ? `ls: ${t}: No such file or directory\n` : `ls: cannot access '${t}': No such file or directory\n`,
        )
        code = bb(x) ? 1 : 2
        continue
      }
      const prefix = p === '/' ? '/' : p + '/'
      const names = new Set<string>()
      for (const k of [...x.proc.files.keys(), ...x.proc.dirs]) {
        if (k.startsWith(prefix) && k.length > prefix.length) names.add(k.slice(prefix.length).split('/')[0])
      }
      yield* out(
        x,
        [...names]
          .sort()
          .map((n) => n + '\n')
          .join(''),
      )
    }
    return code
  },
  *date(x) {
    const fmt = x.argv.slice(1).find((a) => a.startsWith('+'))
    const now = x.proc.now()
    if (x.argv.includes('-Iseconds') || x.argv.includes('--iso-8601=seconds'))
      yield* out(x, strftime('%Y-%m-%dT%H:%M:%S+00:00', now) + '\n')
    else if (x.argv.includes('-I')) yield* out(x, strftime('%Y-%m-%d', now) + '\n')
    else if (x.argv.includes('-R')) yield* out(x, strftime('%a, %d %b %Y %H:%M:%S +0000', now) + '\n')
    else yield* out(x, strftime(fmt ? fmt.slice(1) : '%a %b %e %H:%M:%S %Z %Y', now) + '\n')
    return 0
  },
  *env(x) {
    const args = x.argv.slice(1).filter((a) => a !== '-i' && a !== '-')
    const env = x.argv.includes('-i') ? new Map<string, string>() : new Map(x.env)
    let i = 0
    for (; i < args.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(args[i]); i++) {
      const eq = args[i].indexOf('=')
      env.set(args[i].slice(0, eq), args[i].slice(eq + 1))
    }
    if (i < args.length) {
      const prog = x.proc.lookup(args[i])
      if (!prog) {
        yield* err(x, `env: '${args[i]}': No such file or directory\n`)
        return 127
      }
      return yield* prog({...x, argv: args.slice(i), env})
    }
    yield* out(x, [...env].map(([k, v]) => `${k}=${v}\n`).join(''))
    return 0
  },
  *printenv(x) {
    const names = x.argv.slice(1)
    if (names.length === 0) {
      yield* out(x, [...x.env].map(([k, v]) => `${k}=${v}\n`).join(''))
      return 0
    }
    let code = 0
    for (const n of names) {
      const v = x.env.get(n)
      if (v === undefined) code = 1
      else yield* out(x, v + '\n')
    }
    return code
  },
  *hostname(x) {
    yield* out(x, (x.argv.includes('-i') ? x.proc.podIP : x.proc.hostname) + '\n')
    return 0
  },
  *uname(x) {
    const a = x.argv.slice(1).join('')
    if (a.includes('a'))
      yield* out(
        x,
        `Linux ${x.proc.hostname} ${KERNEL} #1 SMP PREEMPT_DYNAMIC x86_64 ${bb(x) ? 'Linux' : 'GNU/Linux'}\n`,
      )
    else if (a.includes('r')) yield* out(x, KERNEL + '\n')
    else if (a.includes('m')) yield* out(x, 'x86_64\n')
    else if (a.includes('n')) yield* out(x, x.proc.hostname + '\n')
    else yield* out(x, 'Linux\n')
    return 0
  },
  *id(x) {
    yield* out(
      x,
      x.argv.includes('-u') ? '0\n' : x.argv.includes('-un') ? 'root\n' : 'uid=0(root) gid=0(root) groups=0(root)\n',
    )
    return 0
  },
  *whoami(x) {
    yield* out(x, 'root\n')
    return 0
  },
  *pwd(x) {
    yield* out(x, x.cwd + '\n')
    return 0
  },
  *basename(x) {
    let b = (x.argv[1] ?? '').replace(/\/+$/, '').split('/').pop() ?? ''
    if (x.argv[2] && b.endsWith(x.argv[2])) b = b.slice(0, -x.argv[2].length)
    yield* out(x, b + '\n')
    return 0
  },
  *dirname(x) {
    const p = (x.argv[1] ?? '').replace(/\/+$/, '')
    const i = p.lastIndexOf('/')
    yield* out(x, (i < 0 ? '.' : i === 0 ? '/' : p.slice(0, i)) + '\n')
    return 0
  },
  *seq(x) {
    const n = x.argv.slice(1).map(Number)
    const [first, step, last] = n.length === 1 ? [1, 1, n[0]] : n.length === 2 ? [n[0], 1, n[1]] : [n[0], n[1], n[2]]
    if (!Number.isFinite(first + step + last) || step === 0) return 1
    const count = Math.min(100_000, Math.max(0, Math.floor((last - first) / step) + 1))
    let text = ''
    for (let i = 0; i < count; i++) text += `${first + i * step}\n`
    yield* out(x, text)
    return 0
  },
  *yes(x) {
    const line = (x.argv.slice(1).join(' ') || 'y') + '\n'
    for (;;) {
      yield {k: 'tick'}
      yield* out(x, line)
    }
  },
  *cut(x) {
    const a = x.argv.slice(1)
    const opt = (f: string) => {
      const i = a.findIndex((v) => v.startsWith(f))
      return i < 0 ? undefined : a[i].length > 2 ? a[i].slice(2) : a[i + 1]
    }
    const ranges = (spec: string) => (n: number) =>
      spec.split(',').some((r) => {
        const [lo, hi] = r.includes('-')
          ? r.split('-').map((v) => (v === '' ? undefined : Number(v)))
          : [Number(r), Number(r)]
        return n >= (lo ?? 1) && n <= (hi ?? Infinity)
      })
    const c = opt('-c')
    const f = opt('-f')
    const d = opt('-d') ?? '\t'
    const pick = (l: string) =>
      c
        ? [...l].filter((_, i) => ranges(c)(i + 1)).join('')
        : f
          ? l
              .split(d)
              .filter((_, i) => ranges(f)(i + 1))
              .join(d)
          : l
    yield* out(
      x,
      lines(x.io.stdin)
        .map((l) => pick(l) + '\n')
        .join(''),
    )
    return 0
  },
  *tr(x) {
    const [from = '', to = ''] = x.argv.slice(1).filter((v) => !v.startsWith('-'))
    const del = x.argv.includes('-d')
    let s = ''
    for (const ch of x.io.stdin) {
      const i = from.indexOf(ch)
      s += i < 0 ? ch : del ? '' : (to[Math.min(i, to.length - 1)] ?? '')
    }
    yield* out(x, s)
    return 0
  },
  *test(x) {
    return testExpr(x, x.argv.slice(1)) ? 0 : 1
  },
  *'['(x) {
    if (x.argv.at(-1) !== ']') {
      yield* err(x, "[: missing ']'\n")
      return 2
    }
    return testExpr(x, x.argv.slice(1, -1)) ? 0 : 1
  },
  *expr(x) {
    const a = x.argv.slice(1)
    let v: string
    if (a.length === 3) {
      const [l, op, r] = a
      const nl = Number(l)
      const nr = Number(r)
      const ops: Record<string, () => number | boolean> = {
        '+': () => nl + nr,
        '-': () => nl - nr,
        '*': () => nl * nr,
        '/': () => Math.trunc(nl / nr),
        '%': () => nl % nr,
        '<': () => nl < nr,
        '>': () => nl > nr,
        '=': () => l === r,
        '!=': () => l !== r,
        '<=': () => nl <= nr,
        '>=': () => nl >= nr,
      }
      const f = ops[op]
      if (!f) return 2
      const res = f()
      v = String(typeof res === 'boolean' ? (res ? 1 : 0) : res)
    } else v = a.join(' ')
    yield* out(x, v + '\n')
    return v === '0' || v === '' ? 1 : 0
  },
  *kill() {
    return 0
  },
  *curl(x) {
    return yield* curl(x)
  },
  *wget(x) {
    return yield* wget(x)
  },
  *nc(x) {
    const args = x.argv.slice(1).filter((a) => !a.startsWith('-'))
    const [host, port] = args
    const local = host === 'localhost' || host === '127.0.0.1' || host === x.proc.podIP
    if (local && x.proc.listeners.has(Number(port))) return 0
    if (!local) yield* err(x, `nc: bad address '${host}'\n`)
    return 1
  },
}
