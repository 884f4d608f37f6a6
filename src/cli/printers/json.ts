// json.ts: `-o json` as kubectl prints it (cli-runtime pkg/printers/json.go): encoding/json.MarshalIndent of the
// unstructured object, i.e. map keys sorted in byte order, 4-space indentation, HTML-safe escapes (<, >, & as
// \u003c, \u003e, \u0026, and U+2028/U+2029) and a trailing newline.
import {toJson} from '../../api/gojson.js'

export {toJson}
import type {Sink} from './tabwriter.js'

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
