// index.ts: field ownership for server-side apply (metadata.managedFields), as the apiserver's fieldmanager keeps
// it. The handlers use kindSchema to get a kind's apply type, applyWithOwnership for apply patches and
// updateTracker for every other write; the registry calls the tracker it is given on create and update.
import type {KubeObject} from '../../../api/object.js'
import {ssaTypeFromOpenAPI, withObjectMeta, type OpenAPISchema, type SchemaResolver, type SsaType} from './schema.js'

export {applyWithOwnership, LAST_APPLIED, type ApplyOptions, type ApplyResult} from './apply.js'
export {FieldSet, pathString, type FieldPath, type PathElement} from './fieldset.js'
export {
  conflictError,
  decodeManagedFields,
  encodeManagedFields,
  managerId,
  type ManagedFieldsEntry,
} from './managers.js'
export {DEDUCED, ssaTypeFromOpenAPI, type SsaType} from './schema.js'
export {compare, merge, removeItems, toFieldSet} from './typed.js'
export {
  managerOrUserAgent,
  presetTracker,
  updateManagedFields,
  updateTracker,
  type FieldTracker,
  type UpdateOptions,
} from './update.js'

/** KindSchema is what ownership tracking needs about a kind: its apply type and its empty object. */
export interface KindSchema {
  type: SsaType
  /** zero is the kind's empty object as the Go types serialise it (required structs present), built-ins only. */
  zero?: KubeObject
}

function deref(s: OpenAPISchema | undefined, resolve: SchemaResolver): OpenAPISchema | undefined {
  let cur = s
  for (let i = 0; cur && i < 10; i++) {
    if (typeof cur.$ref === 'string') cur = resolve(cur.$ref.replace('#/components/schemas/', ''))
    else if (Array.isArray(cur.allOf) && cur.allOf.length > 0 && !cur.properties && !cur.type) cur = cur.allOf[0]
    else break
  }
  return cur
}

// zeroValue builds the empty object of a built-in type: the OpenAPI documents mark required struct fields (Go
// non-pointer structs: metadata, spec, status, template...) with `default: {}`; the apiserver's empty typed object
// has them, so a create does not own them as a whole (no "." under f:spec); required fields are there as null.
function zeroValue(schema: OpenAPISchema | undefined, resolve: SchemaResolver, depth: number): Record<string, unknown> {
  const s = deref(schema, resolve)
  const out: Record<string, unknown> = {}
  if (!s?.properties || depth > 8) return out
  const required: string[] = Array.isArray(s.required) ? s.required : []
  // ObjectMeta's creationTimestamp is a struct without omitempty effect: the empty object carries it as null.
  if (s.properties.creationTimestamp && s.properties.managedFields) out.creationTimestamp = null
  for (const [k, p] of Object.entries(s.properties as Record<string, OpenAPISchema>)) {
    const d = p.default
    const ps = deref(p, resolve)
    if (d && typeof d === 'object' && !Array.isArray(d) && Object.keys(d).length === 0 && ps?.properties) {
      out[k] = zeroValue(p, resolve, depth + 1)
    } else if (required.includes(k)) {
      // Required fields have no omitempty: the empty object carries them as null (PodSpec.containers).
      out[k] = null
    }
  }
  return out
}

const cache = new WeakMap<OpenAPISchema, KindSchema>()

/**
 * kindSchema builds the apply type of a kind from its OpenAPI schema (undefined: everything deduced). Custom
 * resources get no zero object: the apiserver starts their creates from an empty unstructured object.
 */
export function kindSchema(schema: OpenAPISchema | undefined, resolve: SchemaResolver, custom: boolean): KindSchema {
  if (!schema) return {type: withObjectMeta(ssaTypeFromOpenAPI(undefined, resolve))}
  const hit = cache.get(schema)
  if (hit) return hit
  const out: KindSchema = {type: withObjectMeta(ssaTypeFromOpenAPI(schema, resolve))}
  if (!custom) out.zero = zeroValue(schema, resolve, 0) as KubeObject
  cache.set(schema, out)
  return out
}
