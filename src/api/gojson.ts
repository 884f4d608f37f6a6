// gojson.ts marshals JSON-shaped values exactly as Go's encoding/json does (sorted map keys, HTML-safe
// escapes), which kubectl's -o json and JSONPath output rely on. Shared by the CLI printers and the daemon.
import {sortedKeys, wellFormed} from './gofmt.js'

/**
 * toJson marshals a JSON-shaped value as Go's encoding/json does; indent '' gives the compact json.Marshal form.
 * keysOf orders an object's keys: sorted, as for a map or an unstructured object, unless a typed encoder says
 * otherwise (struct fields in declaration order).
 */
export function toJson(
  value: unknown,
  indent = '    ',
  keysOf: (o: Record<string, unknown>) => string[] = sortedKeys,
): string {
  const parts: string[] = []
  write(value, '')
  return parts.join('')

  function write(v: unknown, prefix: string): void {
    if (v === null || v === undefined || typeof v === 'function' || typeof v === 'symbol') {
      parts.push('null')
      return
    }
    if (typeof v === 'string') {
      parts.push(quote(v))
      return
    }
    if (typeof v === 'number') {
      parts.push(Number.isFinite(v) ? JSON.stringify(v) : 'null')
      return
    }
    if (typeof v === 'boolean' || typeof v === 'bigint') {
      parts.push(String(v))
      return
    }
    const withToJSON = v as {toJSON?: () => unknown}
    if (typeof withToJSON.toJSON === 'function') {
      write(withToJSON.toJSON(), prefix)
      return
    }
    const inner = prefix + indent
    const nl = indent ? '\n' : ''
    if (Array.isArray(v)) {
      if (v.length === 0) {
        parts.push('[]')
        return
      }
      parts.push('[')
      v.forEach((x, i) => {
        parts.push(i > 0 ? ',' + nl + inner : nl + inner)
        write(x, inner)
      })
      parts.push(nl + prefix + ']')
      return
    }
    const o = v as Record<string, unknown>
    const keys = keysOf(o).filter((k) => o[k] !== undefined)
    if (keys.length === 0) {
      parts.push('{}')
      return
    }
    parts.push('{')
    keys.forEach((k, i) => {
      parts.push(i > 0 ? ',' + nl + inner : nl + inner)
      parts.push(quote(k), indent ? ': ' : ':')
      write(o[k], inner)
    })
    parts.push(nl + prefix + '}')
  }
}

const htmlEscapes: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
}

/** quote is Go's JSON string encoding with HTML-safe escapes. */
export function quote(s: string): string {
  return JSON.stringify(wellFormed(s)).replace(/[<>&\u2028\u2029]/g, (c) => htmlEscapes[c])
}
