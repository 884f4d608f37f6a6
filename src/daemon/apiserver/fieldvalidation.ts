// fieldvalidation.ts does for JSON bodies what the apiserver's typed decoding does: fields the kind's schema does
// not declare are reported (fieldValidation=Strict turns them into a 400, Warn into Warning headers, worded as the
// strict decoder words them: `unknown field "spec.template.spec.containers[0].imagee"`) and dropped from the
// object, and empty maps and lists the Go types would omit (`omitempty`) are dropped too, so a stored object
// looks as it would after a round trip through the Go types.

type Schema = Record<string, any>

/** SchemaResolver looks up a component schema by name ("io.k8s.api.apps.v1.Deployment"). */
export type SchemaResolver = (name: string) => Schema | undefined

function deref(s: Schema | undefined, resolve: SchemaResolver): Schema | undefined {
  return derefNamed(s, resolve).schema
}

/** derefNamed follows $ref/allOf and also returns the last schema name met (the Go struct's name). */
function derefNamed(s: Schema | undefined, resolve: SchemaResolver): {schema: Schema | undefined; name?: string} {
  let cur = s
  let name: string | undefined
  for (let i = 0; cur && i < 10; i++) {
    if (cur.$ref) {
      name = String(cur.$ref).replace('#/components/schemas/', '')
      cur = resolve(name)
    } else if (Array.isArray(cur.allOf) && cur.allOf.length === 1 && !cur.properties) cur = cur.allOf[0]
    else break
  }
  return name ? {schema: cur, name} : {schema: cur}
}

/** TypeMismatchError is a scalar of the wrong JSON type, worded as Go's encoding/json UnmarshalTypeError. */
export class TypeMismatchError extends Error {}

const GO_JSON_TYPE = (v: unknown): string =>
  typeof v === 'string'
    ? 'string'
    : typeof v === 'number'
      ? 'number'
      : typeof v === 'boolean'
        ? 'bool'
        : Array.isArray(v)
          ? 'array'
          : 'object'

function goType(s: Schema): string | undefined {
  switch (s.type) {
    case 'integer':
      return s.format === 'int32' ? 'int32' : 'int64'
    case 'number':
      return 'float64'
    case 'boolean':
      return 'bool'
    case 'string':
      return s.format === 'byte' ? '[]uint8' : 'string'
  }
  return undefined
}

function typeMatches(v: unknown, s: Schema): boolean {
  switch (s.type) {
    case 'integer':
      return typeof v === 'number'
    case 'number':
      return typeof v === 'number'
    case 'boolean':
      return typeof v === 'boolean'
    case 'string':
      return typeof v === 'string'
  }
  return true
}

/** Go struct context of a field: the innermost struct's name and the dotted JSON path from the root. */
interface GoContext {
  struct: string
  field: string
}

function checkScalar(v: unknown, s: Schema, go: GoContext | undefined): void {
  if (!go || v === null || typeof v === 'object' || typeMatches(v, s)) return
  const t = goType(s)
  if (!t) return
  throw new TypeMismatchError(
    `json: cannot unmarshal ${GO_JSON_TYPE(v)} into Go struct field ${go.struct}.${go.field} of type ${t}`,
  )
}

/**
 * checkShape refuses what Go's encoding/json cannot put into a struct, slice or map field: a scalar or a list where
 * an object is declared, a scalar or an object where a list is, an object or a list where a scalar is (found by
 * fuzzing: such bodies reached the registry and failed there with a 500).
 */
function checkShape(
  v: unknown,
  s: Schema,
  name: string | undefined,
  resolve: SchemaResolver,
  go: GoContext | undefined,
): void {
  if (!go) return
  const want = shapeOf(s)
  const isArray = Array.isArray(v)
  const isObject = typeof v === 'object' && v !== null && !isArray
  const bad =
    (want === 'array' && !isArray) ||
    (want === 'object' && !isObject) ||
    (want === 'scalar' && (isArray || isObject) && goType(s) !== undefined)
  if (!bad) return
  throw new TypeMismatchError(
    `json: cannot unmarshal ${GO_JSON_TYPE(v)} into Go struct field ${go.struct}.${go.field} of type ${goTypeName(s, name, resolve)}`,
  )
}

function shapeOf(s: Schema): 'array' | 'object' | 'scalar' | undefined {
  if (s.type === 'array') return 'array'
  if (s.type === 'object' || (!s.type && (s.properties || typeof s.additionalProperties === 'object'))) return 'object'
  if (s.type === 'string' || s.type === 'integer' || s.type === 'number' || s.type === 'boolean') return 'scalar'
  return undefined
}

/** goTypeName names a schema's Go type as encoding/json prints it: `[]v1.Container`, `map[string]string`, `v1.PodSpec`. */
function goTypeName(s: Schema, name: string | undefined, resolve: SchemaResolver, depth = 0): string {
  if (name) return name.split('.').slice(-2).join('.')
  const scalar = goType(s)
  if (scalar) return scalar
  if (depth > 4) return 'interface {}'
  if (s.type === 'array' && s.items) {
    const el = derefNamed(s.items, resolve)
    return `[]${el.schema ? goTypeName(el.schema, el.name, resolve, depth + 1) : 'interface {}'}`
  }
  if (typeof s.additionalProperties === 'object') {
    const el = derefNamed(s.additionalProperties, resolve)
    return `map[string]${el.schema ? goTypeName(el.schema, el.name, resolve, depth + 1) : 'interface {}'}`
  }
  return 'map[string]interface {}'
}

function isMapSchema(s: Schema | undefined): boolean {
  return !!s && !s.properties && typeof s.additionalProperties === 'object'
}

/**
 * decodeTyped walks value against schema, removing (in place) unknown fields, leftover patch directives
 * (`$patch`, `$setElementOrder/...`, which the Go decoder ignores) and empty optional maps and lists. It returns the
 * paths of the unknown fields.
 */
export function decodeTyped(
  value: unknown,
  schema: Schema | undefined,
  resolve: SchemaResolver,
  path = '',
  go?: GoContext,
  struct = '',
  typed = true,
): string[] {
  const {schema: s, name} = derefNamed(schema, resolve)
  if (!s || s['x-kubernetes-preserve-unknown-fields'] || s['x-kubernetes-int-or-string']) return []
  // Quantity and Time unmarshal from more than their declared JSON type.
  if (name?.endsWith('.Quantity') || name?.endsWith('.Time') || name?.endsWith('.MicroTime')) return []
  if (value === null || value === undefined) return []
  checkShape(value, s, name, resolve, go)
  if (typeof value !== 'object') {
    checkScalar(value, s, go)
    return []
  }
  const structName = name ? name.slice(name.lastIndexOf('.') + 1) : struct
  // Custom resources are unstructured: no Go decoding, so no type errors here (their schema validation reports them).
  const goPath = (k: string) => (typed ? {struct: structName, field: go ? `${go.field}.${k}` : k} : undefined)
  const out: string[] = []
  if (Array.isArray(value)) {
    if (s.items)
      value.forEach((v, i) => out.push(...decodeTyped(v, s.items, resolve, `${path}[${i}]`, go, structName, typed)))
    return out
  }
  const obj = value as Record<string, unknown>
  if (s.properties) {
    const required: string[] = Array.isArray(s.required) ? s.required : []
    for (const k of Object.keys(obj)) {
      if (k.startsWith('$')) {
        delete obj[k]
        continue
      }
      const child = s.properties[k]
      const p = path ? `${path}.${k}` : k
      if (!child) {
        out.push(p)
        delete obj[k]
        continue
      }
      const v = obj[k]
      out.push(...decodeTyped(v, child, resolve, p, goPath(k), structName, typed))
      if (required.includes(k)) continue
      const cs = deref(child, resolve)
      if (Array.isArray(v) && v.length === 0) delete obj[k]
      else if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0 && isMapSchema(cs))
        delete obj[k]
    }
  } else if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    // encoding/json stores a null map value as the element's zero value: "" in a map[string]string (labels,
    // annotations, ConfigMap data), which validation then judges as the apiserver does
    const zeroString = typed && deref(s.additionalProperties, resolve)?.type === 'string'
    for (const [k, v] of Object.entries(obj)) {
      if (v === null && zeroString) obj[k] = ''
      else
        out.push(...decodeTyped(v, s.additionalProperties, resolve, path ? `${path}.${k}` : k, go, structName, typed))
    }
  }
  return out
}

/** unknownFields lists the paths of fields in value that schema does not declare, without changing value. */
export function unknownFields(value: unknown, schema: Schema | undefined, resolve: SchemaResolver): string[] {
  return decodeTyped(structuredClone(value), schema, resolve)
}
