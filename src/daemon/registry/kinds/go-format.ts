// go-format.ts: Go `%#v` renderings of the values the apiserver puts into validation messages. field.Error prints
// maps, slices and structs with %#v (apimachinery/pkg/util/validation/field/errors.go), so a mismatched template
// reads `map[string]string{"app":"x"}` and an immutable selector `v1.LabelSelector{MatchLabels:...}`.
import {badRequest, type FieldError, type StatusError} from '../../../api/errors.js'
import {QuantityError, normalizeResourceList} from '../../../api/quantity.js'
import {fieldInvalidRendered, goStringSlice} from '../../../api/validation.js'

export {fieldInvalidRendered, goStringSlice}

/** goQuote quotes a string as Go's %q does for printable text. */
export function goQuote(s: string): string {
  return JSON.stringify(s)
}

/** goStringMap prints a map[string]string as %#v: keys sorted, `map[string]string{"a":"b", "c":"d"}`. */
export function goStringMap(m: Record<string, string> | null | undefined): string {
  if (m === null || m === undefined) return 'map[string]string(nil)'
  const parts = Object.keys(m)
    .sort()
    .map((k) => `${goQuote(k)}:${goQuote(String(m[k]))}`)
  return `map[string]string{${parts.join(', ')}}`
}

/** goLabelSelector prints a metav1.LabelSelector as %#v (after field.Error dereferenced the pointer). */
export function goLabelSelector(sel: any): string {
  if (sel === null || sel === undefined) return 'null'
  const ml = sel.matchLabels === undefined ? 'map[string]string(nil)' : goStringMap(sel.matchLabels)
  let me = '[]v1.LabelSelectorRequirement(nil)'
  if (Array.isArray(sel.matchExpressions)) {
    const items = sel.matchExpressions.map(
      (r: any) =>
        `v1.LabelSelectorRequirement{Key:${goQuote(String(r.key ?? ''))}, Operator:${goQuote(String(r.operator ?? ''))}, Values:${goStringSlice(r.values ?? null)}}`,
    )
    me = `[]v1.LabelSelectorRequirement{${items.join(', ')}}`
  }
  return `v1.LabelSelector{MatchLabels:${ml}, MatchExpressions:${me}}`
}

/** goIntOrString prints an intstr.IntOrString as %#v: `intstr.IntOrString{Type:1, IntVal:0, StrVal:"25%"}`. */
export function goIntOrString(v: unknown): string {
  if (typeof v === 'string') return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${goQuote(v)}}`
  return `intstr.IntOrString{Type:0, IntVal:${Number(v ?? 0)}, StrVal:""}`
}

/** decodeError is the 400 the apiserver answers when the body does not decode (bad quantity, bad base64). */
export function decodeError(kind: string, version: string, message: string): StatusError {
  return badRequest(`${kind} in version "${version}" cannot be handled as a ${kind}: ${message}`)
}

/**
 * canonicalResources rewrites a resource list in place to the apiserver's canonical quantities; a value that is
 * not a quantity fails the whole request as a decode error, which is where the apiserver catches it.
 */
export function canonicalResources(holder: any, key: string, kind: string, version: string): void {
  const list = holder?.[key]
  if (!list || typeof list !== 'object') return
  try {
    holder[key] = normalizeResourceList(list)
  } catch (e) {
    if (e instanceof QuantityError) throw decodeError(kind, version, e.message)
    throw e
  }
}

/** notFound is field.NotFound: `Not found: "x"`. */
export function fieldNotFound(field: string, value: unknown): FieldError {
  const rendered = typeof value === 'string' ? goQuote(value) : JSON.stringify(value)
  return {type: 'FieldValueNotFound', field, message: `Not found: ${rendered}`}
}

/** isObject is true for plain JSON objects. */
export function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** nonNegative is ValidateNonnegativeField: `Invalid value: -1: must be greater than or equal to 0`. */
export function nonNegative(value: unknown, field: string): FieldError[] {
  if (typeof value === 'number' && value < 0) {
    return [{type: 'FieldValueInvalid', field, message: `Invalid value: ${value}: must be greater than or equal to 0`}]
  }
  return []
}
