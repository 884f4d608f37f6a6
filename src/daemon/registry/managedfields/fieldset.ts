// fieldset.ts: sets of field paths, the unit of ownership in server-side apply, and their FieldsV1 encoding
// (follows structured-merge-diff fieldpath/element.go, set.go, serialize.go and serialize-pe.go).
//
// A set is a tree: at each level, `members` are path elements owned as leaves and `children` are path elements
// with owned paths below them. One element may be both (a list item owned as a whole and some of its fields).
// Path elements are a field name (`f:spec`), the key fields of an item of a map-list (`k:{"name":"nginx"}`), the
// value of an item of a set-list (`v:"a"`) or a list index (`i:0`, never produced for Kubernetes types).
// FieldsV1 is the JSON form: one object per level, keys in structured-merge-diff's order (field names, then keys,
// then values, then indexes; each sorted), `{}` for a leaf and `".": {}` when an element is a member and has
// children too.
import {toJson} from '../../../api/gojson.js'

/** PathElement is one step of a field path. Key fields are sorted by name. */
export type PathElement = {field: string} | {key: Array<[string, unknown]>} | {value: unknown} | {index: number}

/** FieldPath is a list of path elements from the object's root. */
export type FieldPath = PathElement[]

/** fieldPE is the path element of a field name. */
export function fieldPE(name: string): PathElement {
  return {field: name}
}

/** keyPE is the path element of a map-list item; fields are sorted by name as structured-merge-diff does. */
export function keyPE(fields: Array<[string, unknown]>): PathElement {
  return {key: [...fields].sort((a, b) => compareStrings(a[0], b[0]))}
}

/** valuePE is the path element of a set-list item. */
export function valuePE(value: unknown): PathElement {
  return {value}
}

// Go compares strings byte-wise (UTF-8); comparing code points gives the same order.
function compareStrings(a: string, b: string): number {
  if (a === b) return 0
  const ia = a[Symbol.iterator]()
  const ib = b[Symbol.iterator]()
  for (;;) {
    const x = ia.next()
    const y = ib.next()
    if (x.done) return y.done ? 0 : -1
    if (y.done) return 1
    const cx = x.value.codePointAt(0)!
    const cy = y.value.codePointAt(0)!
    if (cx !== cy) return cx < cy ? -1 : 1
  }
}

// rank orders value kinds as structured-merge-diff's value.Compare: float < int < string < bool < list < map < null.
function rank(v: unknown): number {
  if (typeof v === 'number') return Number.isInteger(v) ? 1 : 0
  if (typeof v === 'string') return 2
  if (typeof v === 'boolean') return 3
  if (Array.isArray(v)) return 4
  if (v !== null && typeof v === 'object') return 5
  return 6
}

/** compareValues is a total order over JSON values (structured-merge-diff value.Compare). */
export function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0
  const ra = rank(a)
  const rb = rank(b)
  if (ra !== rb) return ra < rb ? -1 : 1
  if (typeof a === 'string') return compareStrings(a, b as string)
  if (typeof a === 'boolean') return a === b ? 0 : a ? 1 : -1
  if (Array.isArray(a)) {
    const bl = b as unknown[]
    for (let i = 0; i < Math.min(a.length, bl.length); i++) {
      const c = compareValues(a[i], bl[i])
      if (c !== 0) return c
    }
    return a.length === bl.length ? 0 : a.length < bl.length ? -1 : 1
  }
  if (ra === 5) {
    const am = a as Record<string, unknown>
    const bm = b as Record<string, unknown>
    const ak = Object.keys(am).sort(compareStrings)
    const bk = Object.keys(bm).sort(compareStrings)
    for (let i = 0; i < Math.min(ak.length, bk.length); i++) {
      const c = compareStrings(ak[i], bk[i]) || compareValues(am[ak[i]], bm[bk[i]])
      if (c !== 0) return c
    }
    return ak.length === bk.length ? 0 : ak.length < bk.length ? -1 : 1
  }
  return 0
}

function peRank(pe: PathElement): number {
  if ('field' in pe) return 0
  if ('key' in pe) return 1
  if ('value' in pe) return 2
  return 3
}

/** comparePE orders path elements as structured-merge-diff's PathElement.Compare. */
export function comparePE(a: PathElement, b: PathElement): number {
  const ra = peRank(a)
  const rb = peRank(b)
  if (ra !== rb) return ra < rb ? -1 : 1
  if ('field' in a) return compareStrings(a.field, (b as {field: string}).field)
  if ('key' in a) {
    const bk = (b as {key: Array<[string, unknown]>}).key
    for (let i = 0; ; i++) {
      if (i >= a.key.length && i >= bk.length) return 0
      if (i >= a.key.length) return -1
      if (i >= bk.length) return 1
      const c = compareStrings(a.key[i][0], bk[i][0]) || compareValues(a.key[i][1], bk[i][1])
      if (c !== 0) return c
    }
  }
  if ('value' in a) return compareValues(a.value, (b as {value: unknown}).value)
  const bi = (b as {index: number}).index
  return a.index === bi ? 0 : a.index < bi ? -1 : 1
}

/** encodePE is a path element as a FieldsV1 key: `f:name`, `k:{"name":"x"}`, `v:"x"`, `i:0`. */
export function encodePE(pe: PathElement): string {
  if ('field' in pe) return `f:${pe.field}`
  if ('key' in pe) return `k:{${pe.key.map(([k, v]) => `${toJson(k, '')}:${toJson(v, '')}`).join(',')}}`
  if ('value' in pe) return `v:${toJson(pe.value, '')}`
  return `i:${pe.index}`
}

/** decodePE parses a FieldsV1 key; undefined for an unknown element type (skipped, as upstream does). */
export function decodePE(s: string): PathElement | undefined {
  if (s.length < 2 || s[1] !== ':') throw new Error(`invalid path element ${JSON.stringify(s)}`)
  const rest = s.slice(2)
  switch (s[0]) {
    case 'f':
      return {field: rest}
    case 'k': {
      const o = JSON.parse(rest)
      if (o === null || typeof o !== 'object' || Array.isArray(o)) throw new Error(`invalid key ${rest}`)
      return keyPE(Object.entries(o))
    }
    case 'v':
      return {value: JSON.parse(rest)}
    case 'i': {
      const n = Number(rest)
      if (!Number.isInteger(n)) throw new Error(`invalid index ${rest}`)
      return {index: n}
    }
    default:
      return undefined
  }
}

// goString renders a value as structured-merge-diff's value.ToString (strings quoted with %q).
function goString(v: unknown): string {
  if (v === null || v === undefined) return 'null'
  if (typeof v === 'string') return JSON.stringify(v)
  if (Array.isArray(v)) return '[' + v.map(goString).join(',') + ']'
  if (typeof v === 'object') {
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k}=${goString(x)}`)
      .join('')
  }
  return String(v)
}

/** peString renders a path element for messages: `.name`, `[name="x"]`, `[="x"]`, `[0]`. */
export function peString(pe: PathElement): string {
  if ('field' in pe) return '.' + pe.field
  if ('key' in pe) return '[' + pe.key.map(([k, v]) => `${k}=${goString(v)}`).join(',') + ']'
  if ('value' in pe) return `[=${goString(pe.value)}]`
  return `[${pe.index}]`
}

/** pathString renders a path as upstream's Path.String: `.spec.template.spec.containers[name="nginx"].image`. */
export function pathString(path: FieldPath): string {
  return path.map(peString).join('')
}

interface Child {
  pe: PathElement
  set: FieldSet
}

/** FieldSet is a set of field paths (structured-merge-diff fieldpath.Set). Operations return new sets. */
export class FieldSet {
  private readonly members = new Map<string, PathElement>()
  private readonly children = new Map<string, Child>()

  /** of builds a set from paths. */
  static of(...paths: FieldPath[]): FieldSet {
    const s = new FieldSet()
    for (const p of paths) s.insert(p)
    return s
  }

  /** insert adds one path; the empty path is ignored, as upstream. */
  insert(path: FieldPath): this {
    if (path.length === 0) return this
    const level = path.slice(0, -1).reduce<FieldSet>((cur, pe) => cur.childOrCreate(pe), this)
    const last = path[path.length - 1]
    level.members.set(encodePE(last), last)
    return this
  }

  private childOrCreate(pe: PathElement): FieldSet {
    const k = encodePE(pe)
    let c = this.children.get(k)
    if (!c) {
      c = {pe, set: new FieldSet()}
      this.children.set(k, c)
    }
    return c.set
  }

  /** has tells whether the path is a member. */
  has(path: FieldPath): boolean {
    if (path.length === 0) return false
    const level = path
      .slice(0, -1)
      .reduce<FieldSet | undefined>((cur, pe) => cur?.children.get(encodePE(pe))?.set, this)
    return !!level && level.members.has(encodePE(path[path.length - 1]))
  }

  /** hasMember tells whether pe is a member at this level. */
  hasMember(pe: PathElement): boolean {
    return this.members.has(encodePE(pe))
  }

  /** withPrefix is the set below pe (empty when nothing is owned below it). */
  withPrefix(pe: PathElement): FieldSet {
    return this.children.get(encodePE(pe))?.set ?? new FieldSet()
  }

  /** isEmpty tells whether the set holds no path. */
  isEmpty(): boolean {
    if (this.members.size > 0) return false
    for (const c of this.children.values()) if (!c.set.isEmpty()) return false
    return true
  }

  /** memberElements lists the members at this level, sorted. */
  memberElements(): PathElement[] {
    return [...this.members.values()].sort(comparePE)
  }

  /** childElements lists the children at this level, sorted. */
  childElements(): Array<{pe: PathElement; set: FieldSet}> {
    return [...this.children.values()].sort((a, b) => comparePE(a.pe, b.pe))
  }

  /** copy is a deep copy. */
  copy(): FieldSet {
    return this.union(new FieldSet())
  }

  /** union is every path in either set. */
  union(o: FieldSet): FieldSet {
    const out = new FieldSet()
    for (const [k, pe] of this.members) out.members.set(k, pe)
    for (const [k, pe] of o.members) out.members.set(k, pe)
    for (const [k, c] of this.children) {
      const oc = o.children.get(k)
      out.children.set(k, {pe: c.pe, set: oc ? c.set.union(oc.set) : c.set.copy()})
    }
    for (const [k, c] of o.children) if (!this.children.has(k)) out.children.set(k, {pe: c.pe, set: c.set.copy()})
    return out.pruned()
  }

  /** difference is every path of this set that is not in o. */
  difference(o: FieldSet): FieldSet {
    const out = new FieldSet()
    for (const [k, pe] of this.members) if (!o.members.has(k)) out.members.set(k, pe)
    for (const [k, c] of this.children) {
      const oc = o.children.get(k)
      out.children.set(k, {pe: c.pe, set: oc ? c.set.difference(oc.set) : c.set.copy()})
    }
    return out.pruned()
  }

  /** intersection is every path in both sets. */
  intersection(o: FieldSet): FieldSet {
    const out = new FieldSet()
    for (const [k, pe] of this.members) if (o.members.has(k)) out.members.set(k, pe)
    for (const [k, c] of this.children) {
      const oc = o.children.get(k)
      if (oc) out.children.set(k, {pe: c.pe, set: c.set.intersection(oc.set)})
    }
    return out.pruned()
  }

  private pruned(): this {
    for (const [k, c] of this.children) if (c.set.isEmpty()) this.children.delete(k)
    return this
  }

  /** equals tells whether both sets hold the same paths. */
  equals(o: FieldSet): boolean {
    return this.difference(o).isEmpty() && o.difference(this).isEmpty()
  }

  /** paths lists every member path: this level's members, then each child's (set.Iterate's order). */
  paths(prefix: FieldPath = []): FieldPath[] {
    const out: FieldPath[] = []
    for (const pe of this.memberElements()) out.push([...prefix, pe])
    for (const c of this.childElements()) out.push(...c.set.paths([...prefix, c.pe]))
    return out
  }

  /**
   * withExtraMembers is a copy in which every child for which f(pathToLevel, child) holds is a member too (the
   * schema-free half of EnsureNamedFieldsAreMembers).
   */
  withExtraMembers(f: (path: FieldPath, child: PathElement) => boolean, prefix: FieldPath = []): FieldSet {
    const out = new FieldSet()
    for (const [k, pe] of this.members) out.members.set(k, pe)
    for (const [k, c] of this.children) {
      if (f(prefix, c.pe)) out.members.set(k, c.pe)
      out.children.set(k, {pe: c.pe, set: c.set.withExtraMembers(f, [...prefix, c.pe])})
    }
    return out
  }

  /** toFieldsV1 is the set as a FieldsV1 object, keys in structured-merge-diff's serialization order. */
  toFieldsV1(): Record<string, unknown> {
    return this.emit(false)
  }

  private emit(includeSelf: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    if (includeSelf && !(this.members.size === 0 && this.children.size === 0)) out['.'] = {}
    const entries: Array<{pe: PathElement; member: boolean; child?: FieldSet}> = []
    for (const pe of this.members.values()) entries.push({pe, member: true})
    for (const [k, c] of this.children) {
      const m = entries.find((e) => e.member && encodePE(e.pe) === k)
      if (m) m.child = c.set
      else entries.push({pe: c.pe, member: false, child: c.set})
    }
    entries.sort((a, b) => comparePE(a.pe, b.pe))
    for (const e of entries) {
      out[encodePE(e.pe)] = e.child ? e.child.emit(e.member) : {}
    }
    return out
  }

  /** fromFieldsV1 parses a FieldsV1 object (`.` marks the enclosing element as a member). */
  static fromFieldsV1(v: unknown): FieldSet {
    const s = new FieldSet()
    if (v === null || v === undefined) return s
    if (typeof v !== 'object' || Array.isArray(v)) throw new Error('FieldsV1 must be a JSON object')
    for (const [k, sub] of Object.entries(v as Record<string, unknown>)) {
      if (k === '.') continue
      const pe = decodePE(k)
      if (!pe) continue
      const subObj = (sub ?? {}) as Record<string, unknown>
      if (typeof subObj !== 'object' || Array.isArray(subObj)) throw new Error('FieldsV1 values must be objects')
      const keys = Object.keys(subObj)
      const child = FieldSet.fromFieldsV1(subObj)
      if (keys.length === 0 || keys.includes('.')) s.members.set(encodePE(pe), pe)
      if (!child.isEmpty()) s.children.set(encodePE(pe), {pe, set: child})
    }
    return s
  }

  /** toString lists the member paths, one a line (for test failures). */
  toString(): string {
    return this.paths().map(pathString).join('\n')
  }
}
