// gojson.ts encodes the typed objects kubectl's generators build as Go's encoding/json encodes typed structs: struct
// fields in declaration order (here: the insertion order of the JS object), Go maps (labels, data, selector, ...)
// with their keys sorted byte-wise, HTML-safe escapes. kubectl prints `-o json` of a generated object and the
// `--save-config` annotation this way (runtime.Encode of a typed object), whereas unstructured objects come out with
// every key sorted (src/api/gojson.ts).
import {sortedKeys} from '../../api/gofmt.js'
import {FIELD_ORDER} from '../../api/field-order.js'
import {toJson} from '../../api/gojson.js'

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

/** toStructJson marshals value keeping struct field order (json.MarshalIndent with indent, or json.Marshal for ''). */
export function toStructJson(value: unknown, indent = '    '): string {
  return toJson(value, indent, (o) => (goMaps.has(o) ? sortedKeys(o) : Object.keys(o)))
}

/** OBJECT_META_ORDER is the field order of metav1.ObjectMeta (from the generated table, names only). */
export const OBJECT_META_ORDER: readonly string[] = FIELD_ORDER['meta/v1.ObjectMeta']!.map(
  (f) => /^[^=~?]+/.exec(f)![0],
)

/** orderedMeta rebuilds metadata in ObjectMeta field order (keeping map marks), e.g. after annotations were added. */
export function orderedMeta(meta: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const k of OBJECT_META_ORDER) if (meta[k] !== undefined) out[k] = meta[k]
  for (const k of Object.keys(meta)) if (!(k in out) && meta[k] !== undefined) out[k] = meta[k]
  return out
}
