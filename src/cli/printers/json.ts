// json.ts: `-o json` as kubectl prints it (cli-runtime pkg/printers/json.go): encoding/json.MarshalIndent of the
// unstructured object, i.e. map keys sorted in byte order, 4-space indentation, HTML-safe escapes (<, >, & as
// \u003c, \u003e, \u0026, and U+2028/U+2029) and a trailing newline.
import {sortedKeys, wellFormed} from './gofmt.js'
import type {Sink} from './tabwriter.js'

/** toJson marshals a JSON-shaped value as Go's encoding/json does; indent '' gives the compact json.Marshal form. */
export function toJson(value: unknown, indent = '    '): string {
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
    const keys = sortedKeys(o).filter((k) => o[k] !== undefined)
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

function quote(s: string): string {
  return JSON.stringify(wellFormed(s)).replace(/[<>&\u2028\u2029]/g, (c) => htmlEscapes[c])
}

/** missingKindMessage is the error every kubectl printer gives for an object without apiVersion and kind. */
export const missingKindMessage =
  'missing apiVersion or kind; try GetObjectKind().SetGroupVersionKind() if you know the type'

/** checkKind throws kubectl's error when an object has neither apiVersion nor kind. */
export function checkKind(obj: unknown): void {
  const o = (obj ?? {}) as {apiVersion?: unknown; kind?: unknown}
  if (!o.apiVersion && !o.kind) throw new Error(missingKindMessage)
}

/**
 * omitManagedFields drops metadata.managedFields from an object, or from each item of a list, without mutating
 * it (cli-runtime OmitManagedFieldsPrinter, the default unless --show-managed-fields).
 */
export function omitManagedFields<T>(obj: T): T {
  const strip = (x: unknown): unknown => {
    if (!x || typeof x !== 'object' || Array.isArray(x)) return x
    const o = x as {metadata?: Record<string, unknown>}
    if (!o.metadata || typeof o.metadata !== 'object' || !('managedFields' in o.metadata)) return x
    const {managedFields: _drop, ...metadata} = o.metadata
    return {...o, metadata}
  }
  const o = obj as {items?: unknown}
  if (o && typeof o === 'object' && Array.isArray(o.items))
    return {...(strip(obj) as object), items: o.items.map(strip)} as T
  return strip(obj) as T
}

/** JsonPrinter prints objects as kubectl's JSONPrinter. */
export class JsonPrinter {
  /** print writes one object followed by a newline. */
  print(obj: unknown, out: Sink): void {
    checkKind(obj)
    out.write(toJson(obj) + '\n')
  }
}
