// gojson.ts encodes the typed objects kubectl's generators build as Go's encoding/json encodes typed structs: struct
// fields in declaration order (here: the insertion order of the JS object), Go maps (labels, data, selector, ...)
// with their keys sorted byte-wise, HTML-safe escapes. kubectl prints `-o json` of a generated object and the
// `--save-config` annotation this way (runtime.Encode of a typed object), whereas unstructured objects come out with
// every key sorted (src/api/gojson.ts).
import {sortedKeys, wellFormed} from '../../api/gofmt.js'

const goMaps = new WeakSet<object>()

/** goMap marks a plain object as a Go map, whose keys encode sorted; it returns the same object. */
export function goMap<T extends object>(o: T): T {
  goMaps.add(o)
  return o
}

/** isGoMap tells whether goMap marked o. */
export function isGoMap(o: object): boolean {
  return goMaps.has(o)
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

/** toStructJson marshals value keeping struct field order (json.MarshalIndent with indent, or json.Marshal for ''). */
export function toStructJson(value: unknown, indent = '    '): string {
  const parts: string[] = []
  write(value, '')
  return parts.join('')

  function write(v: unknown, prefix: string): void {
    if (v === null || v === undefined) {
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
    if (typeof v === 'boolean') {
      parts.push(String(v))
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
    const all = goMaps.has(o) ? sortedKeys(o) : Object.keys(o)
    const keys = all.filter((k) => o[k] !== undefined)
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

/** OBJECT_META_ORDER is the field order of metav1.ObjectMeta. */
export const OBJECT_META_ORDER = [
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]

/** orderedMeta rebuilds metadata in ObjectMeta field order (keeping map marks), e.g. after annotations were added. */
export function orderedMeta(meta: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const k of OBJECT_META_ORDER) if (meta[k] !== undefined) out[k] = meta[k]
  for (const k of Object.keys(meta)) if (!(k in out) && meta[k] !== undefined) out[k] = meta[k]
  return out
}
