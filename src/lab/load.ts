// load.ts reads a lab file: YAML (with positions, so every problem is reported as file:line:col), the JSON Schema
// of labs/schema.json (validated with ajv), then the semantic rules a schema cannot say: one kind per check,
// unique task names, templates naming declared parameters, regular expressions and JSONPaths that compile,
// partial-credit points that add up, setup files that exist.
import {existsSync, readFileSync} from 'node:fs'
import {dirname, resolve} from 'node:path'
import {Ajv} from 'ajv'
import {isMap, isPair, isScalar, LineCounter, parse as parseYaml, parseDocument, type Document} from 'yaml'
import schema from '../../labs/schema.json' with {type: 'json'}
import {parseGoDuration} from '../api/duration.js'
import {parseJsonPath} from '../api/jsonpath.js'
import {parsePattern} from './params.js'
import {templateRefs} from './template.js'
import {CHECK_KINDS, type CheckSpec, type FaultStep, type ImageSpec, type Lab} from './types.js'

/** Diagnostic is one problem of a lab file, with its place. */
export interface Diagnostic {
  file: string
  /** line and column are 1-based; 0 when the place is unknown. */
  line: number
  column: number
  /** path is the JSON path of the offending value (`tasks[0].checks[1].field`). */
  path: string
  message: string
}

/** LoadedLab is a parsed lab file and its problems (lab is set when there are none). */
export interface LoadedLab {
  file: string
  /** dir is where relative paths of the lab (setup files) are resolved. */
  dir: string
  source: string
  lab?: Lab
  diagnostics: Diagnostic[]
}

/** LabLoadError is thrown by loadLab when the file has problems; its message lists them one per line. */
export class LabLoadError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'))
    this.name = 'LabLoadError'
  }
}

/** formatDiagnostic renders `file:line:col: path: message`, the way compilers report. */
export function formatDiagnostic(d: Diagnostic): string {
  const place = d.line > 0 ? `${d.file}:${d.line}:${d.column}` : d.file
  return `${place}: ${d.path ? `${d.path}: ` : ''}${d.message}`
}

type Seg = string | number

let validator: ReturnType<InstanceType<typeof Ajv>['compile']> | undefined

/** schemaValidator compiles labs/schema.json once. */
function schemaValidator() {
  validator ??= new Ajv({allErrors: true, strict: false}).compile(schema)
  return validator
}

/** LAB_SCHEMA is the JSON Schema of the lab format (labs/schema.json). */
export const LAB_SCHEMA: object = schema

/** parseLab parses and validates lab text; file names the text in diagnostics, dir resolves setup files. */
export function parseLab(source: string, file: string, dir = dirname(resolve(file))): LoadedLab {
  const out: LoadedLab = {file, dir, source, diagnostics: []}
  const lc = new LineCounter()
  const doc = parseDocument(source, {lineCounter: lc, prettyErrors: false, uniqueKeys: true})
  const at = (path: Seg[], message: string, onKey = false) => {
    const {line, column} = position(doc, lc, path, onKey)
    out.diagnostics.push({file, line, column, path: pathString(path), message})
  }
  for (const e of doc.errors) {
    const {line, col} = lc.linePos(e.pos[0])
    out.diagnostics.push({file, line, column: col, path: '', message: e.message.split('\n')[0]})
  }
  if (out.diagnostics.length > 0) return out
  const data = doc.toJS({maxAliasCount: 100}) as unknown
  const validate = schemaValidator()
  if (!validate(data)) {
    for (const e of schemaErrors(validate.errors ?? [])) at(e.path, e.message, e.onKey)
    sortDiagnostics(out.diagnostics)
    return out
  }
  const lab = data as Lab
  semanticChecks(lab, dir, at)
  sortDiagnostics(out.diagnostics)
  if (out.diagnostics.length === 0) out.lab = lab
  return out
}

/** loadLabFile reads and validates a lab file; see parseLab. */
export function loadLabFile(path: string): LoadedLab {
  return parseLab(readFileSync(path, 'utf8'), path, dirname(resolve(path)))
}

/** loadLab reads a lab file and returns the lab, or throws LabLoadError listing its problems. */
export function loadLab(path: string): {lab: Lab; dir: string; file: string} {
  const l = loadLabFile(path)
  if (!l.lab) throw new LabLoadError(l.diagnostics)
  return {lab: l.lab, dir: l.dir, file: l.file}
}

function sortDiagnostics(ds: Diagnostic[]) {
  ds.sort((a, b) => a.line - b.line || a.column - b.column || a.message.localeCompare(b.message))
}

interface AjvError {
  keyword: string
  instancePath: string
  params: Record<string, any>
  message?: string
}

/**
 * schemaErrors turns ajv's errors into one message per problem: the deepest errors win, and the branch noise of
 * oneOf (a parameter is a scalar or an object) is dropped when a branch has a more precise complaint.
 */
function schemaErrors(errors: AjvError[]): {path: Seg[]; message: string; onKey: boolean}[] {
  const parsed = errors.map((e) => ({e, path: pointerPath(e.instancePath)}))
  const key = (p: Seg[]) => p.join('\u0000')
  const deeper = (p: Seg[]) => parsed.some((o) => o.path.length > p.length && key(o.path.slice(0, p.length)) === key(p))
  const out: {path: Seg[]; message: string; onKey: boolean}[] = []
  const seen = new Set<string>()
  for (const {e, path} of parsed) {
    const same = parsed.filter((o) => key(o.path) === key(path))
    const precise = same.some((o) => !['oneOf', 'type', 'const'].includes(o.e.keyword))
    if ((e.keyword === 'oneOf' || e.keyword === 'type') && (deeper(path) || precise)) continue
    if (e.keyword === 'oneOf' && same.some((o) => o.e.keyword === 'type')) continue
    let message: string
    let at = path
    let onKey = false
    switch (e.keyword) {
      case 'additionalProperties': {
        const prop = String(e.params.additionalProperty)
        at = [...path, prop]
        onKey = true
        const isCheck = path.length >= 4 && path[path.length - 2] === 'checks'
        message = isCheck
          ? `unknown check kind "${prop}" (want one of ${CHECK_KINDS.join(', ')})`
          : `unknown field "${prop}"`
        break
      }
      case 'required':
        message = `missing field "${e.params.missingProperty}"`
        break
      case 'const':
        message = `must be ${JSON.stringify(e.params.allowedValue)}`
        break
      case 'type':
        message = `must be ${String(e.params.type).replace(/,/g, ' or ')}`
        break
      case 'pattern':
        message = `does not match ${e.params.pattern}`
        break
      case 'propertyNames':
        continue
      default:
        message = e.message ?? e.keyword
    }
    const id = `${key(at)}|${message}`
    if (seen.has(id)) continue
    seen.add(id)
    out.push({path: at, message, onKey})
  }
  return out
}

function pointerPath(pointer: string): Seg[] {
  if (pointer === '') return []
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s))
}

function pathString(path: Seg[]): string {
  let s = ''
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s === '' ? p : `.${p}`
  return s
}

/** position finds the line and column of the node at path (its key when onKey), or of its nearest ancestor. */
function position(doc: Document, lc: LineCounter, path: Seg[], onKey: boolean): {line: number; column: number} {
  for (let n = path.length; n >= 0; n--) {
    const p = path.slice(0, n)
    let offset: number | undefined
    if (onKey && n === path.length && n > 0) {
      const parent = p.length > 1 ? doc.getIn(p.slice(0, -1), true) : doc.contents
      if (isMap(parent)) {
        const pair = parent.items.find(
          (it) => isPair(it) && isScalar(it.key) && String(it.key.value) === String(p[p.length - 1]),
        )
        offset = (pair?.key as {range?: [number, number, number]} | undefined)?.range?.[0]
      }
    } else {
      const node = n === 0 ? doc.contents : doc.getIn(p, true)
      offset = (node as {range?: [number, number, number]} | null | undefined)?.range?.[0]
    }
    if (offset !== undefined) {
      const {line, col} = lc.linePos(offset)
      return {line, column: col}
    }
  }
  return {line: 0, column: 0}
}

type At = (path: Seg[], message: string, onKey?: boolean) => void

/** semanticChecks reports what the schema cannot: see the file header. */
function semanticChecks(lab: Lab, dir: string, at: At) {
  const params = Object.keys(lab.parameters ?? {})
  // Templates: a parameter's value may use the parameters declared before it; everything else may use them all.
  const declared: string[] = []
  for (const [name, spec] of Object.entries(lab.parameters ?? {})) {
    if (spec !== null && typeof spec === 'object') {
      const kinds = ['value', 'pick', 'choice', 'oneOf', 'range', 'pattern'].filter((k) => k in spec)
      if (kinds.length !== 1) {
        at(['parameters', name], `want exactly one of value, pick, range, pattern (got ${kinds.join(', ') || 'none'})`)
      }
      if (spec.range && spec.range[1] < spec.range[0])
        at(['parameters', name, 'range'], 'range wants [min, max] with min <= max')
      if (spec.pattern !== undefined) {
        try {
          parsePattern(spec.pattern, name)
        } catch (e) {
          at(['parameters', name, 'pattern'], (e as Error).message)
        }
      }
      if (typeof spec.value === 'string') templates(spec.value, ['parameters', name, 'value'], declared, at)
    }
    declared.push(name)
  }
  walkStrings(lab, [], (text, path) => {
    if (path[0] === 'parameters') return
    // A check's custom message may also name what the check found.
    const extra = path[path.length - 1] === 'message' && path.includes('checks') ? ['actual'] : []
    templates(text, path, [...params, ...extra], at)
  })

  const taskNames = new Map<string, number>()
  lab.tasks.forEach((task, ti) => {
    const first = taskNames.get(task.name)
    if (first !== undefined) at(['tasks', ti, 'name'], `duplicate task name "${task.name}" (first at tasks[${first}])`)
    else taskNames.set(task.name, ti)
    const withPoints = task.checks.filter((c) => c.points !== undefined)
    if (withPoints.length > 0 && task.points !== undefined) {
      const sum = withPoints.reduce((s, c) => s + (c.points ?? 0), 0)
      if (sum !== task.points) {
        at(['tasks', ti, 'points'], `task points ${task.points} differ from the sum of its checks' points ${sum}`)
      }
    }
    task.checks.forEach((c, ci) => checkRules(c, ['tasks', ti, 'checks', ci], at))
  })

  ;(lab.setup ?? []).forEach((step, si) => {
    if ('apply' in step && typeof step.apply === 'object' && !templateRefs(step.apply.file).names.length) {
      if (!existsSync(resolve(dir, step.apply.file)))
        at(['setup', si, 'apply', 'file'], `file not found: ${step.apply.file}`)
    }
    if ('images' in step) imageRules(step.images, ['setup', si, 'images'], dir, at)
    if ('fault' in step) faultRules(step.fault, ['setup', si, 'fault'], at)
  })
}

/**
 * imageRules checks a setup step's images: the schema checks inline ones; a file must exist and hold a list. The
 * cluster checks the rest when setup declares them (runtime/image-file.ts: profiles, tags), which keeps the image
 * catalog's code out of the CLI bundle that `lab validate` runs in.
 */
function imageRules(images: ImageSpec[] | {file: string}, path: Seg[], dir: string, at: At) {
  if (Array.isArray(images) || templateRefs(images.file).names.length) return
  const f = resolve(dir, images.file)
  if (!existsSync(f)) return at([...path, 'file'], `file not found: ${images.file}`)
  let data: unknown
  try {
    data = parseYaml(readFileSync(f, 'utf8'))
  } catch (e) {
    return at([...path, 'file'], `${images.file}: ${(e as Error).message.split('\n')[0]}`)
  }
  const list = Array.isArray(data) ? data : (data as {images?: unknown} | null)?.images
  if (!Array.isArray(list)) at([...path, 'file'], `${images.file}: expected a list of images`)
}

const FAULT_KINDS = ['nodeStop', 'nodeStart', 'registryFailure', 'podKill'] as const

/** faultRules checks a fault: one kind, durations, what a registry failure and a pod kill select. */
function faultRules(f: FaultStep, path: Seg[], at: At) {
  const kinds = FAULT_KINDS.filter((k) => f[k] !== undefined)
  if (kinds.length !== 1)
    return at(
      path,
      kinds.length === 0
        ? `fault has no kind (want one of ${FAULT_KINDS.join(', ')})`
        : `fault has several kinds: ${kinds.join(', ')}`,
    )
  const r = f.registryFailure
  if (r) {
    if (r.image === undefined && r.registry === undefined)
      at([...path, 'registryFailure'], 'a registry failure needs an image or a registry')
    if (r.until !== undefined && f.at !== undefined && !templated(r.until) && !templated(f.at)) {
      if (parseGoDuration(r.until) <= parseGoDuration(f.at))
        at([...path, 'registryFailure', 'until'], `until (${r.until}) must be later than at (${f.at})`)
    }
  }
  const k = f.podKill
  if (k && k.name === undefined && k.selector === undefined)
    at([...path, 'podKill'], 'a pod kill needs a pod name or a label selector')
  if (k?.name !== undefined && k.selector !== undefined)
    at([...path, 'podKill'], 'give a pod name or a label selector, not both')
}

function templates(text: string, path: Seg[], known: string[], at: At) {
  const {names, malformed} = templateRefs(text)
  for (const m of malformed) at(path, `bad template ${JSON.stringify(m)}: want {{ .name }}`)
  for (const n of new Set(names)) if (!known.includes(n)) at(path, `undefined parameter "${n}" in template`)
}

function walkStrings(v: unknown, path: Seg[], fn: (text: string, path: Seg[]) => void) {
  if (typeof v === 'string') fn(v, path)
  else if (Array.isArray(v)) v.forEach((x, i) => walkStrings(x, [...path, i], fn))
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walkStrings(x, [...path, k], fn)
}

/** templated says whether text holds a template, so it can only be checked after rendering. */
const templated = (text: string) => text.includes('{{')

function checkRules(c: CheckSpec, path: Seg[], at: At) {
  const kinds = CHECK_KINDS.filter((k) => c[k] !== undefined)
  if (kinds.length !== 1) {
    at(
      path,
      kinds.length === 0
        ? `check has no kind (want one of ${CHECK_KINDS.join(', ')})`
        : `check has several kinds: ${kinds.join(', ')}`,
    )
    return
  }
  const kind = kinds[0]
  const body = c[kind] as unknown as Record<string, any>
  const p = [...path, kind]
  const regex = (field: string) => {
    const v = body[field]
    if (typeof v !== 'string' || templated(v)) return
    try {
      new RegExp(v)
    } catch (e) {
      at([...p, field], `bad regular expression: ${(e as Error).message}`)
    }
  }
  if (typeof body.jsonpath === 'string' && !templated(body.jsonpath)) {
    try {
      parseJsonPath(body.jsonpath)
    } catch (e) {
      at([...p, 'jsonpath'], `bad JSONPath: ${(e as Error).message}`)
    }
  }
  if (typeof body.resource === 'string') {
    const slash = body.resource.includes('/')
    if (slash && body.name !== undefined)
      at([...p, 'name'], 'give the name in resource (kind/name) or in name, not both')
    if ((slash || body.name !== undefined) && body.selector !== undefined) {
      at([...p, 'selector'], 'a check selects by name or by selector, not both')
    }
  }
  const bounds = (v: unknown, field: string) => {
    if (v && typeof v === 'object' && 'min' in v && 'max' in v && (v as any).min > (v as any).max) {
      at([...p, field], 'min is greater than max')
    }
  }
  bounds(body.count, 'count')
  bounds(body.deleted, 'deleted')
  switch (kind) {
    case 'field': {
      const ops = ['equals', 'matches', 'contains', 'gte', 'lte', 'count'].filter((k) => body[k] !== undefined)
      if (ops.length === 0) at(p, 'field check needs one of equals, matches, contains, gte, lte, count')
      regex('matches')
      for (const k of ['gte', 'lte']) {
        const v = body[k]
        if (typeof v === 'string' && !templated(v) && !Number.isFinite(Number(v))) at([...p, k], `${k} wants a number`)
      }
      break
    }
    case 'command':
      regex('matches')
      if (body.min !== undefined && body.max !== undefined && body.min > body.max) at(p, 'min is greater than max')
      break
    case 'script':
      regex('outputMatches')
      break
    case 'history': {
      const has = ['jsonpath', 'recreated', 'edited', 'deleted'].filter((k) => body[k] !== undefined)
      if (has.length === 0) at(p, 'history check needs jsonpath (with from/to), recreated, edited or deleted')
      if ((body.from !== undefined || body.to !== undefined) && body.jsonpath === undefined) {
        at(p, 'from/to need a jsonpath')
      }
      if (body.jsonpath !== undefined && body.from === undefined && body.to === undefined)
        at(p, 'jsonpath needs from and/or to')
      break
    }
    case 'reachable':
      if ([body.service, body.ingress, body.nodePort].filter((x) => x !== undefined).length !== 1) {
        at(p, 'reachable check needs one of service, ingress, nodePort')
      }
      break
  }
}
