// json-copy.ts: a deep copy for the JSON-shaped objects the store keeps (plain objects, arrays, strings, numbers,
// booleans, null). structuredClone goes through V8's serializer and was, per object, several times slower; the
// registry copies every body it writes, so that showed as ~7% of the daemon's CPU when a Deployment scaled out.
import {isDeepStrictEqual} from 'node:util'

/**
 * jsonCopy deep-copies a JSON-shaped value, keeping key order and undefined-valued keys as structuredClone does.
 * Anything else (a Date, a Map, a class instance, an own `__proto__` key) is handed to structuredClone, so the
 * result is never less faithful than before.
 */
export function jsonCopy<T>(value: T): T {
  return copy(value, 0) as T
}

function copy(v: unknown, depth: number): unknown {
  if (v === null || typeof v !== 'object') return v
  // Deeper than any Kubernetes object: possibly a cycle, which structuredClone handles and recursion would not.
  if (depth > 64) return structuredClone(v)
  if (Array.isArray(v)) {
    const out = new Array(v.length)
    for (let i = 0; i < v.length; i++) out[i] = copy(v[i], depth + 1)
    return out
  }
  const proto = Object.getPrototypeOf(v)
  if (proto !== Object.prototype && proto !== null) return structuredClone(v)
  const out: Record<string, unknown> = {}
  // for-in, not Object.keys: the same keys in the same order for a plain object (its prototype has no enumerable
  // keys), without an array of them per object copied.
  for (const k in v) {
    if (k === '__proto__') return structuredClone(v)
    out[k] = copy((v as Record<string, unknown>)[k], depth + 1)
  }
  return out
}

/**
 * jsonEqual tells whether two JSON-shaped values are deeply equal with util.isDeepStrictEqual's answer (key order
 * ignored, an undefined-valued key differs from a missing one, -0 differs from 0, NaN equals NaN), at a fraction of
 * its cost: the registry and the controllers compare whole objects on every write (no-op detection, immutable
 * fields), and isDeepStrictEqual's generality (prototypes, symbols, descriptors) made it 3% of a scale-out.
 * JSON-shaped: plain objects and dense arrays without symbol keys or extra array properties; an object of any other
 * prototype (a Date, a Map, a class instance) is handed to isDeepStrictEqual.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return equal(a, b, 0)
}

function equal(a: unknown, b: unknown, depth: number): boolean {
  if (a === b) return a !== 0 || 1 / (a as number) === 1 / (b as number)
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b)
  }
  // Deeper than any Kubernetes object: possibly a cycle, which isDeepStrictEqual handles and recursion would not.
  if (depth > 64) return isDeepStrictEqual(a, b)
  const arrA = Array.isArray(a)
  if (arrA !== Array.isArray(b)) return false
  if (arrA) {
    const x = a as unknown[]
    const y = b as unknown[]
    if (x.length !== y.length) return false
    for (let i = 0; i < x.length; i++) if (!equal(x[i], y[i], depth + 1)) return false
    return true
  }
  const pa = Object.getPrototypeOf(a)
  if ((pa !== Object.prototype && pa !== null) || pa !== Object.getPrototypeOf(b)) return isDeepStrictEqual(a, b)
  // for-in (see copy): own enumerable keys of plain objects, counted on both sides, without arrays of them.
  let keys = 0
  for (const k in a) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false
    if (!equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], depth + 1)) return false
    keys++
  }
  for (const _ in b) if (--keys < 0) return false
  return keys === 0
}
