// go-format.ts reproduces the few bits of Go formatting that leak into patch results and error texts: `%v` of a
// decoded JSON value (sorting of scalar lists and merge keys uses it, and error messages print maps with it) and
// the reflect type names in "expected a …, but received a …". JSON is decoded as
// k8s.io/apimachinery/pkg/util/json does it: integral numbers become int64, others float64.

/** JsonMap is a decoded JSON object. */
export type JsonMap = {[key: string]: unknown}

/** isJsonMap reports whether v is a JSON object (not null, not an array). */
export function isJsonMap(v: unknown): v is JsonMap {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

/** GoKind is the Go dynamic type of a decoded JSON value, as strategicpatch compares them with reflect.TypeOf. */
export type GoKind = 'nil' | 'bool' | 'string' | 'int64' | 'float64' | 'slice' | 'map'

/** goKind returns the Go dynamic type a decoded JSON value would have. */
export function goKind(v: unknown): GoKind {
  if (v === null || v === undefined) return 'nil'
  if (Array.isArray(v)) return 'slice'
  switch (typeof v) {
    case 'boolean':
      return 'bool'
    case 'string':
      return 'string'
    case 'number':
      return Number.isInteger(v) ? 'int64' : 'float64'
    default:
      return 'map'
  }
}

/** goTypeName returns reflect.TypeOf(v).String() for a decoded JSON value, formatted with %s. */
export function goTypeName(v: unknown): string {
  switch (goKind(v)) {
    case 'nil':
      return '%!s(<nil>)'
    case 'slice':
      return '[]interface {}'
    case 'map':
      return 'map[string]interface {}'
    default:
      return goKind(v)
  }
}

function goNumber(n: number): string {
  if (Number.isInteger(n)) return String(n)
  // Go's %v of a float64 is %g with the shortest representation; exponents have at least two digits.
  return String(n).replace(/e([+-])(\d)$/, 'e$10$2')
}

function goByteCompare(a: string, b: string): number {
  const ab = Buffer.from(a, 'utf8')
  const bb = Buffer.from(b, 'utf8')
  return Buffer.compare(ab, bb)
}

/** goSprint formats a decoded JSON value as Go's fmt %v does (maps print with sorted keys). */
export function goSprint(v: unknown): string {
  if (v === null || v === undefined) return '<nil>'
  if (Array.isArray(v)) return '[' + v.map(goSprint).join(' ') + ']'
  if (isJsonMap(v)) {
    const keys = Object.keys(v).sort(goByteCompare)
    return 'map[' + keys.map((k) => `${k}:${goSprint(v[k])}`).join(' ') + ']'
  }
  if (typeof v === 'number') return goNumber(v)
  return String(v)
}

/** goSprintS formats a value as Go's %s verb does: strings as is, other values as %!s(type=value). */
export function goSprintS(v: unknown): string {
  if (typeof v === 'string') return v
  if (v === null || v === undefined) return '%!s(<nil>)'
  if (typeof v === 'number' || typeof v === 'boolean') return `%!s(${goKind(v)}=${goSprint(v)})`
  return goSprint(v)
}

/** goStringLess orders strings as Go compares them (byte-wise on UTF-8). */
export function goStringLess(a: string, b: string): boolean {
  return goByteCompare(a, b) < 0
}

/** deepEqual compares two decoded JSON values (key order does not matter, list order does). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    return a.every((x, i) => deepEqual(x, b[i]))
  }
  if (isJsonMap(a)) {
    if (!isJsonMap(b)) return false
    const ka = Object.keys(a)
    if (ka.length !== Object.keys(b).length) return false
    return ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]))
  }
  return false
}

/** cloneJson deep-copies a decoded JSON value. */
export function cloneJson<T>(v: T): T {
  return v === undefined ? v : (structuredClone(v) as T)
}
