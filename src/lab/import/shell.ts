// shell.ts reads the few shell shapes Killercoda verify and background scripts are made of, enough to turn them
// into checks and setup steps: a line split at top-level `&&` and `|` (quotes respected), trailing redirections to
// /dev/null dropped, `[ "$(kubectl ...)" = "v" ]` comparisons recognised. It runs nothing and expands nothing.
import {tokenize} from '../session.js'

/** splitTop splits a line at a top-level operator (`&&` or `|`), outside quotes and `$(...)`. */
export function splitTop(line: string, op: '&&' | '|'): string[] {
  const parts: string[] = []
  let cur = ''
  let quote: string | undefined
  let depth = 0
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (quote) {
      if (c === quote) quote = undefined
      else if (c === '\\' && quote === '"') {
        cur += c + (line[i + 1] ?? '')
        i++
        continue
      }
      cur += c
      continue
    }
    if (c === "'" || c === '"') quote = c
    else if (c === '$' && line[i + 1] === '(') depth++
    else if (c === ')' && depth > 0) depth--
    else if (depth === 0 && line.startsWith(op, i) && (op !== '|' || (line[i + 1] !== '|' && line[i - 1] !== '|'))) {
      parts.push(cur.trim())
      cur = ''
      i += op.length - 1
      continue
    }
    cur += c
  }
  parts.push(cur.trim())
  return parts
}

/** stripRedirections drops trailing redirections that only silence output (`>/dev/null`, `2>&1`, `&>/dev/null`). */
export function stripRedirections(line: string): string {
  let s = line.trim()
  for (;;) {
    const t = s.replace(/\s*(?:[12]?>>?\s*\/dev\/null|&>\s*\/dev\/null|2>&1|>&2)\s*$/, '')
    if (t === s) return s
    s = t
  }
}

/** kubectlWords tokenizes a simple `kubectl ...` command; undefined when it is not one. */
export function kubectlWords(cmd: string): string[] | undefined {
  const tok = tokenize(cmd)
  if (tok.error || tok.heredoc || tok.words[0] !== 'kubectl' || tok.words.length < 2) return undefined
  return tok.words
}

/** GetCommand is a parsed `kubectl get`: what a field check needs. */
export interface GetCommand {
  resource: string
  namespace?: string
  selector?: string
  jsonpath?: string
}

/**
 * parseGet reads `kubectl get TYPE[/NAME] [NAME] [-n NS] [-l SEL] [-o jsonpath=...]`; undefined for anything it
 * cannot map to one ResourceRef (several names, -A, other output formats, unknown flags with values).
 */
export function parseGet(words: string[]): GetCommand | undefined {
  if (words[0] !== 'kubectl' || words[1] !== 'get') return undefined
  const pos: string[] = []
  const out: Partial<GetCommand> = {}
  const value = (i: number, flag: string, short?: string): [string, number] | undefined => {
    const w = words[i]
    if (w === flag || (short && w === short)) return i + 1 < words.length ? [words[i + 1], i + 1] : undefined
    if (w.startsWith(`${flag}=`)) return [w.slice(flag.length + 1), i]
    if (short && w.startsWith(short) && w.length > short.length) return [w.slice(short.length).replace(/^=/, ''), i]
    return undefined
  }
  for (let i = 2; i < words.length; i++) {
    const w = words[i]
    let v: [string, number] | undefined
    if ((v = value(i, '--namespace', '-n'))) [out.namespace, i] = v
    else if ((v = value(i, '--selector', '-l'))) [out.selector, i] = v
    else if ((v = value(i, '--output', '-o'))) {
      const o = v[0]
      i = v[1]
      const m = /^jsonpath=(.*)$/s.exec(o)
      if (!m) return undefined
      out.jsonpath = m[1]
    } else if (w === '--no-headers' || w === '--ignore-not-found') continue
    else if (w.startsWith('-')) return undefined
    else pos.push(w)
  }
  if (pos.length === 0 || pos.length > 2 || pos[0].includes(',')) return undefined
  if (pos.length === 2 && pos[0].includes('/')) return undefined
  const resource = pos.length === 2 ? `${pos[0]}/${pos[1]}` : pos[0]
  if (resource.includes('/') && out.selector !== undefined) return undefined
  return {resource, ...out}
}

/** GrepFilter is a `grep` at the end of a pipe. */
export interface GrepFilter {
  pattern: string
  /** how: contains (a literal), matches (a regex), equals (-x on a literal). */
  how: 'contains' | 'matches' | 'equals'
}

/** parseGrep reads `grep [-q] [-w] [-x] [-E|-e] PATTERN`; undefined for -v, -i, -c, files and the rest. */
export function parseGrep(cmd: string): GrepFilter | undefined {
  const tok = tokenize(cmd)
  if (tok.error || !['grep', 'egrep'].includes(tok.words[0])) return undefined
  let word = false
  let whole = false
  let pattern: string | undefined
  for (let i = 1; i < tok.words.length; i++) {
    const w = tok.words[i]
    if (w === '-e') {
      if (pattern !== undefined) return undefined
      pattern = tok.words[++i]
    } else if (/^-[qswxEF]+$/.test(w)) {
      if (w.includes('w')) word = true
      if (w.includes('x')) whole = true
    } else if (w === '--quiet' || w === '--silent') continue
    else if (w.startsWith('-')) return undefined
    else if (pattern === undefined) pattern = w
    else return undefined
  }
  if (pattern === undefined || pattern === '') return undefined
  const literal = !/[\\^$.*+?()[\]{}|]/.test(pattern)
  const esc = (s: string) => (literal ? s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&') : s)
  if (whole) return literal ? {pattern, how: 'equals'} : {pattern: `^(?:${pattern})$`, how: 'matches'}
  if (word) return {pattern: `(?:^|\\W)${esc(pattern)}(?:\\W|$)`, how: 'matches'}
  return literal ? {pattern, how: 'contains'} : {pattern, how: 'matches'}
}

/** Comparison is a `[ "$(kubectl ...)" OP "value" ]` test. */
export interface Comparison {
  command: string
  op: '=' | '-eq' | '-ge' | '-le' | '-gt' | '-lt'
  value: string
}

/** parseComparison reads `[ "$(CMD)" = "v" ]`, `[[ ... == ... ]]`, `test ...`, and the numeric -eq/-ge/-le forms. */
export function parseComparison(line: string): Comparison | undefined {
  const m =
    /^(?:\[\[?|test)\s+"?\$\((.+)\)"?\s+(==?|-eq|-ge|-le|-gt|-lt)\s+(?:"([^"]*)"|'([^']*)'|(\S+?))\s*(?:\]\]?)?$/.exec(
      line.trim(),
    )
  if (!m) return undefined
  const op = m[2] === '==' ? '=' : (m[2] as Comparison['op'])
  return {command: m[1].trim(), op, value: m[3] ?? m[4] ?? m[5] ?? ''}
}
