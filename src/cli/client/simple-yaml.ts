// simple-yaml.ts parses the plain block YAML that kubeconfig files are made of (block maps, block sequences,
// plain and quoted scalars, `{}`/`[]`), without loading the full YAML library: every mkctl command reads the
// kubeconfig, and the library's cold parse dominated start-up. Anything outside that subset (comments, anchors,
// tags, flow collections, multi-line scalars, documents) returns undefined, and the caller uses the full parser.

interface Line {
  indent: number
  text: string
  no: number
}

const UNSUPPORTED = /^[&*!|>%@`#]|\s#|^---|^\.\.\./

function scalar(raw: string): {ok: boolean; value?: unknown} {
  const s = raw.trim()
  if (s === '' || s === '~' || s === 'null' || s === 'Null' || s === 'NULL') return {ok: true, value: null}
  if (s === '{}') return {ok: true, value: {}}
  if (s === '[]') return {ok: true, value: []}
  if (s.startsWith('"')) {
    if (!s.endsWith('"') || s.length < 2) return {ok: false}
    try {
      return {ok: true, value: JSON.parse(s)}
    } catch {
      return {ok: false}
    }
  }
  if (s.startsWith("'")) {
    if (!s.endsWith("'") || s.length < 2) return {ok: false}
    const inner = s.slice(1, -1)
    if (/'(?!')/.test(inner.replace(/''/g, ''))) return {ok: false}
    return {ok: true, value: inner.replace(/''/g, "'")}
  }
  if (UNSUPPORTED.test(s) || /^[[{]/.test(s) || s.includes(': ')) return {ok: false}
  // YAML 1.1 booleans, as kubectl reads them.
  if (/^(true|True|TRUE|yes|Yes|YES|on|On|ON|y|Y)$/.test(s)) return {ok: true, value: true}
  if (/^(false|False|FALSE|no|No|NO|off|Off|OFF|n|N)$/.test(s)) return {ok: true, value: false}
  if (/^-?(0|[1-9][0-9]*)$/.test(s)) return {ok: true, value: Number(s)}
  // Hex-looking tokens such as `8f3c...` are plain strings to YAML 1.1 (no number syntax matches them).
  if (/^[0-9]+[a-df-zA-DF-Z][0-9a-zA-Z]*$/.test(s) && !/^0[xXbBoO]/.test(s)) return {ok: true, value: s}
  if (/^[-+]?[0-9]/.test(s) || s.startsWith('.')) return {ok: false}
  return {ok: true, value: s}
}

class Unsupported extends Error {}

/** parseSimpleYaml returns the value of a kubeconfig-shaped YAML text, or undefined when it is outside the subset. */
export function parseSimpleYaml(text: string): unknown {
  const lines: Line[] = []
  let no = 0
  for (const raw of text.split('\n')) {
    no++
    const line = raw.replace(/\r$/, '')
    if (line.trim() === '') continue
    if (line.includes('\t') || line.trimStart().startsWith('#')) return undefined
    lines.push({indent: line.length - line.trimStart().length, text: line.trim(), no})
  }
  if (lines.length === 0) return null
  let i = 0
  const block = (indent: number): unknown => {
    const first = lines[i]!
    if (first.text.startsWith('- ') || first.text === '-') return seq(first.indent)
    return map(indent)
  }
  const value = (rest: string, parentIndent: number): unknown => {
    if (rest.trim() !== '') {
      const v = scalar(rest)
      if (!v.ok) throw new Unsupported()
      return v.value
    }
    const next = lines[i]
    if (!next || next.indent < parentIndent || (next.indent === parentIndent && !next.text.startsWith('-'))) return null
    if (next.indent === parentIndent) return seq(parentIndent)
    return block(next.indent)
  }
  const entry = (text: string, indent: number, into: Record<string, unknown>) => {
    const m = /^([A-Za-z0-9_.\-/]+):(?: (.*))?$/.exec(text)
    if (!m) throw new Unsupported()
    if (m[1]! in into) throw new Unsupported()
    into[m[1]!] = value(m[2] ?? '', indent)
  }
  const map = (indent: number): Record<string, unknown> => {
    const out: Record<string, unknown> = {}
    while (i < lines.length && lines[i]!.indent === indent && !lines[i]!.text.startsWith('- ')) {
      const l = lines[i++]!
      entry(l.text, indent, out)
    }
    if (i < lines.length && lines[i]!.indent > indent) throw new Unsupported()
    return out
  }
  const seq = (indent: number): unknown[] => {
    const out: unknown[] = []
    while (i < lines.length && lines[i]!.indent === indent && (lines[i]!.text.startsWith('- ') || lines[i]!.text === '-')) {
      const l = lines[i++]!
      const rest = l.text === '-' ? '' : l.text.slice(2)
      if (/^[A-Za-z0-9_.\-/]+:( |$)/.test(rest)) {
        // "- key: v" starts a map whose keys sit two columns right of the dash.
        const item: Record<string, unknown> = {}
        entry(rest, indent + 2, item)
        while (i < lines.length && lines[i]!.indent === indent + 2 && !lines[i]!.text.startsWith('- ')) entry(lines[i++]!.text, indent + 2, item)
        out.push(item)
      } else {
        out.push(value(rest, indent + 1))
      }
    }
    return out
  }
  try {
    const v = block(lines[0]!.indent)
    return i === lines.length ? v : undefined
  } catch (e) {
    if (e instanceof Unsupported) return undefined
    throw e
  }
}
