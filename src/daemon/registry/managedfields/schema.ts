// schema.ts: the type model server-side apply walks, built from a kind's OpenAPI v3 schema the way kube-openapi's
// schemaconv turns OpenAPI into structured-merge-diff schemas (pkg/schemaconv/openapi.go, smd.go):
//   - a list is atomic, a set (x-kubernetes-list-type: set) or a map-list keyed by x-kubernetes-list-map-keys;
//     without list-type, x-kubernetes-patch-strategy "merge" makes it a map-list keyed by the patch merge key
//     (a set when there is no key); everything else is atomic;
//   - objects with properties are structs, objects with additionalProperties are maps; both are granular unless
//     x-kubernetes-map-type is atomic;
//   - an untyped schema (no type, x-kubernetes-preserve-unknown-fields) is "deduced" from the value: scalars and
//     lists are leaves, maps are granular (structured-merge-diff's __untyped_deduced_).
// Key fields carry their OpenAPI `default`, used when an item omits a key (ContainerPort.protocol → "TCP").

/** OpenAPISchema is a JSON schema object as the OpenAPI documents hold it. */
export type OpenAPISchema = Record<string, any>

/** SchemaResolver finds a component schema by name. */
export type SchemaResolver = (name: string) => OpenAPISchema | undefined

/** SsaType is one node of the apply type model. */
export interface SsaType {
  readonly kind: 'scalar' | 'list' | 'map' | 'deduced'
  /** atomic: a list or map owned and replaced as a whole. */
  readonly atomic: boolean
  /** keys of a map-list; undefined for a set-list (when not atomic). */
  readonly keys?: readonly string[]
  /** keyDefaults are the defaults of key fields (from the element schema). */
  readonly keyDefaults?: Readonly<Record<string, unknown>>
  /** field is the type of a declared struct field, undefined when the field is not declared. */
  field(name: string): SsaType | undefined
  /** elem is the type of a list's items or of a map's values (deduced when the schema says nothing). */
  elem(): SsaType
}

const SCALAR: SsaType = {kind: 'scalar', atomic: true, field: () => undefined, elem: () => DEDUCED}

/** DEDUCED is the untyped type: the value decides (scalars and lists are leaves, maps are granular). */
export const DEDUCED: SsaType = {kind: 'deduced', atomic: false, field: () => undefined, elem: () => DEDUCED}

function deref(s: OpenAPISchema | undefined, resolve: SchemaResolver): OpenAPISchema | undefined {
  let cur = s
  for (let i = 0; cur && i < 10; i++) {
    if (typeof cur.$ref === 'string') cur = resolve(cur.$ref.replace('#/components/schemas/', ''))
    else if (Array.isArray(cur.allOf) && cur.allOf.length > 0 && !cur.properties && !cur.type) cur = cur.allOf[0]
    else break
  }
  return cur
}

// ext reads an extension from the property first (x-kubernetes-* can sit beside the $ref), then the type.
function ext(prop: OpenAPISchema, resolved: OpenAPISchema, name: string): any {
  return prop[name] ?? resolved[name]
}

/** ssaTypeFromOpenAPI converts an OpenAPI schema to the apply type model (lazily: schemas may be recursive). */
export function ssaTypeFromOpenAPI(schema: OpenAPISchema | undefined, resolve: SchemaResolver): SsaType {
  const cache = new Map<OpenAPISchema, SsaType>()
  const convert = (prop: OpenAPISchema | undefined): SsaType => {
    if (!prop) return DEDUCED
    const s = deref(prop, resolve)
    if (!s) return DEDUCED
    const hit = cache.get(prop)
    if (hit) return hit
    let t: SsaType
    if (s['x-kubernetes-int-or-string']) t = SCALAR
    else if (s.type === 'array' || (s.items && !s.type)) t = listType(prop, s)
    else if (s.type === 'object' || s.properties || s.additionalProperties) t = mapType(prop, s)
    else if (typeof s.type === 'string') t = SCALAR
    else t = DEDUCED
    cache.set(prop, t)
    return t
  }
  const listType = (prop: OpenAPISchema, s: OpenAPISchema): SsaType => {
    let elem: SsaType | undefined
    const elemOf = () => (elem ??= convert(s.items))
    const lt = ext(prop, s, 'x-kubernetes-list-type')
    let atomic = true
    let keys: string[] | undefined
    if (lt === 'set') atomic = false
    else if (lt === 'map') {
      atomic = false
      keys = ext(prop, s, 'x-kubernetes-list-map-keys') ?? []
    } else if (lt === undefined) {
      const strategy = String(ext(prop, s, 'x-kubernetes-patch-strategy') ?? '')
      if (strategy.split(',').includes('merge')) {
        atomic = false
        const key = ext(prop, s, 'x-kubernetes-patch-merge-key')
        if (key) keys = [key]
      }
    }
    const keyDefaults: Record<string, unknown> = {}
    if (keys) {
      const item = deref(s.items, resolve)
      for (const k of keys) {
        const d = item?.properties?.[k]?.default ?? deref(item?.properties?.[k], resolve)?.default
        if (d !== undefined) keyDefaults[k] = d
      }
    }
    return {kind: 'list', atomic, keys, keyDefaults, field: () => undefined, elem: elemOf}
  }
  const mapType = (prop: OpenAPISchema, s: OpenAPISchema): SsaType => {
    const atomic = ext(prop, s, 'x-kubernetes-map-type') === 'atomic'
    const props: Record<string, OpenAPISchema> = s.properties ?? {}
    const fields = new Map<string, SsaType>()
    let elem: SsaType | undefined
    const ap = s.additionalProperties
    return {
      kind: 'map',
      atomic,
      field(name: string) {
        if (!Object.hasOwn(props, name)) return undefined
        let f = fields.get(name)
        if (!f) {
          f = convert(props[name])
          fields.set(name, f)
        }
        return f
      },
      elem: () => (elem ??= ap && typeof ap === 'object' ? convert(ap) : DEDUCED),
    }
  }
  return convert(schema)
}

/**
 * OBJECT_META is ObjectMeta's apply type, used for objects whose schema does not describe metadata (custom
 * resources): labels and annotations are granular maps, finalizers a set, ownerReferences a map-list by uid.
 */
const OBJECT_META: SsaType = ssaTypeFromOpenAPI(
  {
    type: 'object',
    properties: {
      name: {type: 'string'},
      namespace: {type: 'string'},
      generateName: {type: 'string'},
      labels: {type: 'object', additionalProperties: {type: 'string'}},
      annotations: {type: 'object', additionalProperties: {type: 'string'}},
      finalizers: {type: 'array', items: {type: 'string'}, 'x-kubernetes-list-type': 'set'},
      ownerReferences: {
        type: 'array',
        items: {type: 'object', properties: {uid: {type: 'string'}}},
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['uid'],
      },
    },
  },
  () => undefined,
)

/** withObjectMeta makes sure a root type knows metadata (CRD schemas often leave it out or opaque). */
export function withObjectMeta(root: SsaType): SsaType {
  const m = root.field('metadata')
  if (m && m.kind === 'map' && m.field('labels')) return root
  return {
    kind: 'map',
    atomic: false,
    field: (name) =>
      name === 'metadata'
        ? OBJECT_META
        : (root.field(name) ?? (name === 'apiVersion' || name === 'kind' ? SCALAR : undefined)),
    elem: () => (root.kind === 'map' ? root.elem() : DEDUCED),
  }
}

/** ResolvedKind is how a value is walked: a leaf, a list (with its key rule) or a granular map. */
export type ResolvedKind = 'leaf' | 'list' | 'map'

/**
 * resolve decides how a value of a type is walked (structured-merge-diff's deduceAtom): atomic lists and maps,
 * scalars and values whose shape does not match the type are leaves.
 */
export function resolveKind(t: SsaType, v: unknown): ResolvedKind {
  if (Array.isArray(v)) {
    if (t.kind === 'list') return t.atomic ? 'leaf' : 'list'
    return 'leaf'
  }
  if (v !== null && typeof v === 'object') {
    if (t.kind === 'map') return t.atomic ? 'leaf' : 'map'
    if (t.kind === 'deduced') return 'map'
    return 'leaf'
  }
  return 'leaf'
}

/** childType is the type of a map entry: the declared field's, else the map's element type. */
export function childType(t: SsaType, name: string): SsaType {
  return t.field(name) ?? t.elem()
}

/** isNamedField tells whether name is a declared struct field of t (EnsureNamedFieldsAreMembers). */
export function isNamedField(t: SsaType, name: string): boolean {
  return t.kind === 'map' && t.field(name) !== undefined
}
