// session.ts reads the sessions `lab grade --session` replays. Two formats:
//  - plain text: one `kubectl ...` or `mkctl ...` command per line, shell-quoted (single and double quotes,
//    backslash escapes, `\` line continuations, `#` comments, here-documents `<<EOF` as the command's stdin);
//    a `# seed: N` comment line sets the session's seed;
//  - JSON lines (what `lab export` will write): an optional header `{"kind": "SessionHeader", "seed": N, ...}`,
//    then one object per command: `{"argv": [...], "stdin"?: "...", "files"?: {"path": "content"}, "exitCode"?: N}`;
//    `"read": true` marks a read of another client that is not replayed (its exitCode stands).
// Files named by -f/--filename (and -k/--kustomize) are made absolute against the session's folder, so a
// session replays the same wherever it is graded from; JSON-lines sessions carry the files' contents instead.
import {readFileSync} from 'node:fs'
import {basename, dirname, isAbsolute, resolve} from 'node:path'

/** SessionCommand is one command of a session. */
export interface SessionCommand {
  /** argv is the command as typed, the tool first (`kubectl`, `mkctl`, or anything else). */
  argv: string[]
  /** line is the 1-based line of the session file the command starts on. */
  line: number
  /** text is the command line as the student wrote it (what `command` checks match). */
  text: string
  /** stdin is the here-document (or the recorded input) fed to the command. */
  stdin?: string
  /** files are recorded file contents by the path the command named (JSON-lines sessions). */
  files?: Record<string, string>
  /** error is set when the line cannot be replayed (shell syntax beyond a plain command). */
  error?: string
  /** late marks a command run after an exam's time limit (JSON-lines sessions): recorded, not replayed. */
  late?: boolean
  /**
   * recorded is set for a read-only invocation of another client (JSON-lines `"read": true`, see lab export): it is
   * not replayed (it changed nothing), and `command` checks see it with its recorded exit code.
   */
  recorded?: {exitCode: number}
}

/** Session is a parsed session file. */
export interface Session {
  /** name is the file's base name (the report's `session` field). */
  name: string
  /** dir is where relative file names of the session are resolved. */
  dir: string
  seed?: number
  student?: string
  commands: SessionCommand[]
}

/** SessionParseError is a session file that cannot be read at all (a bad JSON line). */
export class SessionParseError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SessionParseError'
  }
}

/** readSession reads a session file, choosing the format by content (JSON lines start with `{`). */
export function readSession(path: string): Session {
  return parseSession(readFileSync(path, 'utf8'), basename(path), dirname(resolve(path)))
}

/** parseSession parses session text; name is the report's name for it, dir resolves -f paths. */
export function parseSession(text: string, name: string, dir: string): Session {
  const first = text.split('\n').find((l) => l.trim() !== '')
  return first?.trim().startsWith('{') ? parseJsonLines(text, name, dir) : parseText(text, name, dir)
}

function parseJsonLines(text: string, name: string, dir: string): Session {
  const s: Session = {name, dir, commands: []}
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return
    let rec: any
    try {
      rec = JSON.parse(raw)
    } catch (e) {
      throw new SessionParseError(`${name}:${i + 1}: bad JSON line: ${(e as Error).message}`)
    }
    if (rec?.kind === 'SessionHeader') {
      if (Number.isSafeInteger(rec.seed)) s.seed = rec.seed
      if (typeof rec.student === 'string') s.student = rec.student
      return
    }
    if (!Array.isArray(rec?.argv) || rec.argv.length === 0 || !rec.argv.every((a: unknown) => typeof a === 'string')) {
      throw new SessionParseError(`${name}:${i + 1}: a command record needs "argv": a list of strings`)
    }
    const cmd: SessionCommand = {
      argv: rec.argv,
      line: i + 1,
      text: typeof rec.text === 'string' ? rec.text : quoteArgv(rec.argv),
    }
    if (typeof rec.stdin === 'string') cmd.stdin = rec.stdin
    if (rec.files && typeof rec.files === 'object') cmd.files = rec.files
    if (rec.late === true) cmd.late = true
    if (rec.read === true) cmd.recorded = {exitCode: Number.isSafeInteger(rec.exitCode) ? rec.exitCode : 0}
    s.commands.push(cmd)
  })
  return s
}

function parseText(text: string, name: string, dir: string): Session {
  const s: Session = {name, dir, commands: []}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const start = i
    let line = lines[i]
    const seed = /^\s*#\s*seed:\s*(\d+)\s*$/.exec(line)
    if (seed) {
      s.seed = Number(seed[1])
      continue
    }
    // `\` at the end of a line continues the command (outside single quotes; good enough for sessions).
    while (/(^|[^\\])(\\\\)*\\$/.test(line) && i + 1 < lines.length) line = line.slice(0, -1) + lines[++i]
    const tok = tokenize(line)
    if (tok.words.length === 0 && !tok.error) continue
    const cmd: SessionCommand = {argv: tok.words, line: start + 1, text: line.trim()}
    if (tok.heredoc) {
      const body: string[] = []
      let closed = false
      while (i + 1 < lines.length) {
        const l = lines[++i]
        if ((tok.heredoc.stripTabs ? l.replace(/^\t+/, '') : l) === tok.heredoc.delimiter) {
          closed = true
          break
        }
        body.push(tok.heredoc.stripTabs ? l.replace(/^\t+/, '') : l)
      }
      if (!closed) cmd.error = `here-document at line ${start + 1} is not closed by ${tok.heredoc.delimiter}`
      cmd.stdin = body.length > 0 ? body.join('\n') + '\n' : ''
    }
    if (tok.error) cmd.error = tok.error
    s.commands.push(cmd)
  }
  return s
}

/** Tokens is one command line split into words. */
interface Tokens {
  words: string[]
  heredoc?: {delimiter: string; stripTabs: boolean}
  error?: string
}

/** tokenize splits a command line as a POSIX shell would for a simple command (no expansions). */
export function tokenize(line: string): Tokens {
  const words: string[] = []
  let cur = ''
  let inWord = false
  let heredoc: Tokens['heredoc']
  let i = 0
  const push = () => {
    if (inWord) words.push(cur)
    cur = ''
    inWord = false
  }
  while (i < line.length) {
    const c = line[i]
    if (c === ' ' || c === '\t' || c === '\r') {
      push()
      i++
    } else if (c === '#' && !inWord) {
      break
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1)
      if (end < 0) return {words, error: 'unterminated single quote'}
      cur += line.slice(i + 1, end)
      inWord = true
      i = end + 1
    } else if (c === '"') {
      i++
      inWord = true
      for (;;) {
        if (i >= line.length) return {words, error: 'unterminated double quote'}
        const d = line[i]
        if (d === '"') break
        if (d === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1])) {
          cur += line[i + 1]
          i += 2
        } else if (d === '$' || d === '`') {
          return {words, error: `shell expansion (${d}) is not replayed`}
        } else {
          cur += d
          i++
        }
      }
      i++
    } else if (c === '\\') {
      if (i + 1 < line.length) cur += line[i + 1]
      inWord = true
      i += 2
    } else if (c === '<' && line[i + 1] === '<' && !inWord) {
      const m = /^<<(-?)\s*(?:'([^']*)'|"([^"]*)"|([A-Za-z0-9_]+))/.exec(line.slice(i))
      if (!m) return {words, error: 'bad here-document'}
      heredoc = {delimiter: m[2] ?? m[3] ?? m[4], stripTabs: m[1] === '-'}
      i += m[0].length
    } else if ('|&;<>()'.includes(c) || c === '$' || c === '`') {
      push()
      const what = c === '$' || c === '`' ? `shell expansion (${c})` : `shell operator ${JSON.stringify(c)}`
      return {words, heredoc, error: `${what} is not replayed: write one kubectl command per line`}
    } else {
      cur += c
      inWord = true
      i++
    }
  }
  push()
  return heredoc ? {words, heredoc} : {words}
}

/** quoteArgv renders argv as a shell command line (single quotes where needed). */
export function quoteArgv(argv: string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ')
}

const FILE_FLAGS = new Set(['-f', '--filename', '-k', '--kustomize'])

/**
 * resolveFileArgs makes the file arguments of a command (`-f x`, `-f=x`, `--filename x`, `--filename=x`, `-k`)
 * absolute against dir, leaving `-` (stdin) and URLs alone; map may redirect recorded paths to other files.
 */
export function resolveFileArgs(
  argv: string[],
  dir: string,
  map: (p: string) => string | undefined = () => undefined,
): string[] {
  const fix = (p: string) => {
    if (p === '-' || /^[a-z]+:\/\//i.test(p)) return p
    return map(p) ?? (isAbsolute(p) ? p : resolve(dir, p))
  }
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--') {
      out.push(...argv.slice(i))
      break
    }
    const eq = a.indexOf('=')
    if (FILE_FLAGS.has(a) && i + 1 < argv.length) {
      out.push(a, fix(argv[++i]))
    } else if (eq > 0 && FILE_FLAGS.has(a.slice(0, eq))) {
      out.push(`${a.slice(0, eq)}=${fix(a.slice(eq + 1))}`)
    } else if (/^-[fk][^=-]/.test(a)) {
      out.push(a.slice(0, 2) + fix(a.slice(2)))
    } else out.push(a)
  }
  return out
}
