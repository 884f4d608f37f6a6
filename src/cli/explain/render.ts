// render.ts renders `kubectl explain` output from an OpenAPI v3 group-version document. It re-implements, in
// TypeScript, the behaviour of kubectl 1.32's plaintext template (kubectl/pkg/explain/v2/templates/plaintext.tmpl)
// and the template functions it uses (explain/v2/funcs.go): ref resolution, type guessing, enum summaries, the
// recursive field list with cycle detection, and word wrapping with mitchellh/go-wordwrap's rules.

/** Schema is an OpenAPI v3 schema object as decoded from JSON. */
export type Schema = Record<string, unknown>

/** ExplainError is an error the template raises on purpose (funcs.go explainError); its text is printed as is. */
export class ExplainError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ExplainError'
  }
}

/** GVR names the resource being explained. */
export interface GVR {
  group: string
  version: string
  resource: string
}

/** gvrString formats a GVR as schema.GroupVersionResource.String does: `apps/v1, Resource=deployments`. */
export function gvrString(g: GVR): string {
  return `${g.group ? `${g.group}/${g.version}` : `/${g.version}`}, Resource=${g.resource}`
}

// truthy follows text/template's notion of truth: empty strings, maps, lists, zero and nil are false.
function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false
  if (Array.isArray(v)) return v.length > 0
  if (typeof v === 'object') return Object.keys(v).length > 0
  return true
}

function isMap(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

// mapSchema gives additionalProperties when it is a non-empty schema (not a boolean), as the template tests it.
function mapSchema(s: Schema): Schema | undefined {
  const ap = s.additionalProperties
  return truthy(ap) && typeof ap !== 'boolean' && isMap(ap) ? ap : undefined
}

function itemsOf(s: Schema): Schema | undefined {
  return truthy(s.items) && isMap(s.items) ? s.items : undefined
}

function allOf(s: Schema): Schema[] {
  return Array.isArray(s.allOf) ? (s.allOf.filter(isMap) as Schema[]) : []
}

function props(s: Schema): Record<string, Schema> {
  return isMap(s.properties) ? (s.properties as Record<string, Schema>) : {}
}

/** resolveRef follows a fragment-only `$ref` (`#/components/schemas/...`) within doc; undefined otherwise. */
export function resolveRef(ref: unknown, doc: Schema): Schema | undefined {
  if (typeof ref !== 'string' || !ref.startsWith('#')) return undefined
  let cur: unknown = doc
  for (const k of ref.slice(1).split('/')) {
    if (k === '') continue
    if (!isMap(cur)) return undefined
    cur = cur[k]
    if (!isMap(cur)) return undefined
  }
  return cur as Schema
}

const NBSP = 0xa0

// isGoSpace is unicode.IsSpace for the characters descriptions may hold.
function isGoSpace(c: string): boolean {
  return /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/.test(c)
}

/** wordWrap wraps s at lim columns as github.com/mitchellh/go-wordwrap WrapString does (kubectl's `wrap`). */
export function wordWrap(s: string, lim: number): string {
  let out = ''
  let current = 0
  let word = ''
  let space = ''
  let wordLen = 0
  let spaceLen = 0
  for (const ch of s) {
    if (ch === '\n') {
      if (wordLen === 0) {
        if (current + spaceLen <= lim) out += space
        space = ''
        spaceLen = 0
      } else {
        out += space + word
        space = ''
        spaceLen = 0
        word = ''
        wordLen = 0
      }
      out += ch
      current = 0
    } else if (isGoSpace(ch) && ch.codePointAt(0) !== NBSP) {
      if (spaceLen === 0 || wordLen > 0) {
        current += spaceLen + wordLen
        out += space + word
        space = ''
        spaceLen = 0
        word = ''
        wordLen = 0
      }
      space += ch
      spaceLen++
    } else {
      word += ch
      wordLen++
      if (current + spaceLen + wordLen > lim && wordLen < lim) {
        out += '\n'
        current = 0
        space = ''
        spaceLen = 0
      }
    }
  }
  if (wordLen === 0) {
    if (current + spaceLen <= lim) out += space
  } else out += space + word
  return out
}

/** indent prefixes every line of s with n spaces (funcs.go `indent`). */
export function indent(n: number, s: string): string {
  const pad = ' '.repeat(n)
  return pad + s.split('\n').join('\n' + pad)
}

// goPrint renders an enum element as text/template prints an interface value.
function goPrint(v: unknown): string {
  if (typeof v === 'string') return v === '' ? '""' : v
  if (typeof v === 'number') {
    if (Number.isInteger(v) && Math.abs(v) < 1e21) return String(v)
    return String(v)
  }
  if (v === null || v === undefined) return '<nil>'
  return String(v)
}

/** typeGuess is the template's short type hint: `string`, `Object`, `[]Container`, `map[string]string`. */
export function typeGuess(s: Schema, doc: Schema): string {
  const items = itemsOf(s)
  if (items) return '[]' + typeGuess(items, doc)
  const ap = mapSchema(s)
  if (ap) return 'map[string]' + typeGuess(ap, doc)
  const all = Array.isArray(s.allOf) ? s.allOf : []
  if (all.length === 1 && !truthy(s.properties) && isMap(all[0])) return typeGuess(all[0] as Schema, doc)
  if (truthy(s.$ref)) {
    const ref = String(s.$ref)
    const target = resolveRef(ref, doc)
    if (!target || !truthy(target.type) || target.type === 'object') {
      const name = ref.split('/').pop() ?? ''
      return name.split('.').pop() || 'Object'
    }
    return String(target.type)
  }
  if (s.type === 'object') return 'Object'
  return truthy(s.type) ? String(s.type) : 'Object'
}

function extractEnum(s: Schema, long: boolean, limit: number, indentAmount: number): string {
  const values = Array.isArray(s.enum) ? s.enum : []
  if (values.length === 0) return ''
  let out = long ? 'ENUM:' : '\n' + ' '.repeat(indentAmount) + 'enum: '
  for (let i = 0; i < values.length; i++) {
    if (limit > -1 && i >= limit) {
      out += ', ....'
      break
    }
    if (i > 0 && !long) out += ', '
    else if (long) out += '\n    '
    out += goPrint(values[i])
  }
  return out
}

function description(s: Schema, doc: Schema): string {
  const r = resolveRef(s.$ref, doc) ?? s
  let out = ''
  if (truthy(r.description)) out += String(r.description) + '\n'
  for (const a of allOf(r)) out += description(a, doc)
  const items = itemsOf(r)
  if (items) out += description(items, doc)
  const ap = mapSchema(r)
  if (ap) out += description(ap, doc)
  return out
}

function fieldDetail(name: string, parent: Schema, short: boolean, level: number, doc: Schema): string {
  const n = level * 2
  const field = props(parent)[name] ?? {}
  const required = Array.isArray(parent.required) && parent.required.includes(name)
  let out = indent(n, name) + '\t<' + typeGuess(field, doc) + '>'
  if (required) out += ' -required-'
  out += extractEnum(field, false, 4, n) + '\n'
  if (!short) {
    const desc = truthy(field.description) ? String(field.description) : '<no description>'
    out += indent(n + 2, wordWrap(desc, 78 - n)) + '\n\n'
  }
  return out
}

function fieldList(s: Schema, level: number, history: Set<string>, doc: Schema, recursive: boolean): string {
  const ref = typeof s.$ref === 'string' ? s.$ref : ''
  if (ref && history.has(ref)) return ''
  const next = new Set(history).add(ref)
  const r = resolveRef(ref, doc) ?? s
  let out = ''
  const p = props(r)
  for (const k of Object.keys(p).sort(goLess)) {
    out += fieldDetail(k, r, recursive, level, doc)
    if (recursive) out += fieldList(p[k], level + 1, next, doc, recursive)
  }
  for (const a of allOf(r)) out += fieldList(a, level, next, doc, recursive)
  const items = itemsOf(r)
  if (items) out += fieldList(items, level, next, doc, recursive)
  const ap = mapSchema(r)
  if (ap) out += fieldList(ap, level, next, doc, recursive)
  return out
}

// goLess sorts map keys as text/template's range does (byte order of the UTF-8 strings).
function goLess(a: string, b: string): number {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return Buffer.compare(x, y)
}

function output(s: Schema, path: string[], history: Set<string>, doc: Schema, recursive: boolean): string {
  const ref = typeof s.$ref === 'string' ? s.$ref : ''
  const next = new Set(history).add(ref)
  const r = resolveRef(ref, doc) ?? s
  if (path.length === 0) {
    let out = 'DESCRIPTION:\n'
    out += indent(4, wordWrap(description(r, doc) || '<empty>', 76)) + '\n'
    const fields = fieldList(r, 1, new Set(), doc, recursive)
    if (fields) out += 'FIELDS:\n' + fields
    return out
  }
  if (ref && history.has(ref)) return ''
  const p = props(r)
  if (truthy(p[path[0]])) {
    const sub = p[path[0]]
    let out = ''
    if (path.length === 1) {
      out += `FIELD: ${path[0]} <${typeGuess(sub, doc)}>\n` + extractEnum(sub, true, -1, 0) + '\n\n'
    }
    return out + output(sub, path.slice(1), new Set(), doc, recursive)
  }
  const items = itemsOf(r)
  if (items) return output(items, path, next, doc, recursive)
  const ap = mapSchema(r)
  if (ap) return output(ap, path, next, doc, recursive)
  for (const a of allOf(r)) {
    const o = output(a, path, next, doc, recursive)
    if (o) return o
  }
  return ''
}

interface GVK {
  group: string
  version: string
  kind: string
}

function sameGVK(a: unknown, g: Record<string, unknown>): boolean {
  if (!isMap(a)) return false
  const ka = Object.keys(a).sort()
  const kg = Object.keys(g).sort()
  return ka.length === kg.length && ka.every((k, i) => k === kg[i] && a[k] === g[k])
}

// findGVK reads the kind from the resource's operations, searching the same four paths in the same order as the
// template (cluster list, cluster item, namespaced list, namespaced item); a later path found overrides an earlier.
function findGVK(doc: Schema, gvr: GVR): Record<string, unknown> | undefined {
  const prefix = gvr.group ? `/apis/${gvr.group}` : '/api'
  const base = `${prefix}/${gvr.version}`
  const candidates = [
    `${base}/${gvr.resource}`,
    `${base}/${gvr.resource}/{name}`,
    `${base}/namespaces/{namespace}/${gvr.resource}`,
    `${base}/namespaces/{namespace}/${gvr.resource}/{name}`,
  ]
  const paths = isMap(doc.paths) ? doc.paths : {}
  let gvk: unknown
  for (const c of candidates) {
    const item = paths[c]
    if (!truthy(item) || !isMap(item)) continue
    for (const m of ['get', 'post', 'put', 'patch', 'delete']) {
      const op = item[m]
      if (!truthy(op) || !isMap(op)) continue
      gvk = op['x-kubernetes-group-version-kind']
      if (truthy(gvk)) break
    }
  }
  return truthy(gvk) && isMap(gvk) ? gvk : undefined
}

// goMap prints a map[string]any as fmt's %v does: `map[group:apps kind:Deployment version:v1]`.
function goMap(m: Record<string, unknown>): string {
  return `map[${Object.keys(m)
    .sort(goLess)
    .map((k) => `${k}:${String(m[k])}`)
    .join(' ')}]`
}

/**
 * renderExplain writes the plaintext explanation of gvr (and fieldPath inside it) from doc. Like the template, it
 * writes the GROUP/KIND/VERSION header before looking the schema up, so a missing field fails after the header.
 */
export function renderExplain(
  doc: Schema,
  gvr: GVR,
  fieldPath: string[],
  recursive: boolean,
  write: (s: string) => void,
): void {
  const gvk = findGVK(doc, gvr)
  if (!gvk) throw new ExplainError(`error: GVR (${gvrString(gvr)}) not found in OpenAPI schema`)
  const g = gvk as unknown as GVK
  let head = ''
  if (truthy(g.group)) head += `GROUP:      ${g.group}\n`
  head += `KIND:       ${g.kind}\nVERSION:    ${g.version}\n\n`
  write(head)
  const schemas = isMap(doc.components) && isMap(doc.components.schemas) ? doc.components.schemas : {}
  let body = ''
  for (const name of Object.keys(schemas).sort(goLess)) {
    const s = schemas[name]
    if (!isMap(s)) continue
    const kinds = s['x-kubernetes-group-version-kind']
    if (!Array.isArray(kinds) || !kinds.some((k) => sameGVK(k, gvk))) continue
    body = output(s, fieldPath, new Set(), doc, recursive)
    if (!body) throw new ExplainError(`error: field "${fieldPath[fieldPath.length - 1]}" does not exist`)
    break
  }
  if (!body) throw new ExplainError(`error: GVK ${goMap(gvk)} not found in OpenAPI schema`)
  write(body + '\n')
}
