// schema.ts is what the patch algorithms walk to find a field's patch strategy and merge key (follows
// apimachinery pkg/util/strategicpatch/meta.go, LookupPatchMeta). Two sources:
//   - builtinPatchSchema: the built-in kinds, from PATCH_META and the type graph in builtin-types.ts. This is the
//     one the daemon and the CLI use: like the apiserver and `kubectl patch` (which use compiled-in Go structs) it
//     needs no OpenAPI document, so patching never depends on the OpenAPI build, and it works offline.
//   - openApiPatchSchema: any OpenAPI v3 document (`components.schemas`, `$ref`/`allOf`, x-kubernetes-* extensions),
//     as kubectl apply does with the server's /openapi/v3. Used in tests against the upstream documents.
// A kind with no schema (a custom resource) gets `undefined`: strategic merge then has JSON merge patch
// semantics (maps merge, lists are replaced, null deletes).
// Difference from upstream: a field the schema does not know is treated as having no patch facts instead of
// failing with "unable to find api field", and map values get the map's element type.

import {PATCH_META, type FieldPatchMeta} from '../patch-meta.js'
import {BUILTIN_FIELD_TYPES} from './builtin-types.js'

/** PatchField is what a schema knows about one field. */
export interface PatchField {
  meta: FieldPatchMeta
  /** schema of the field's value, or of its elements for a list or a map. */
  schema?: PatchSchema
  isList?: boolean
  isMap?: boolean
}

/** PatchSchema is one object type as the patch algorithms see it. */
export interface PatchSchema {
  /** name is the type's name, used in some error messages. */
  readonly name?: string
  field(name: string): PatchField | undefined
}

const NO_META: FieldPatchMeta = {}

class BuiltinSchema implements PatchSchema {
  constructor(readonly name: string) {}
  field(name: string): PatchField | undefined {
    const meta = PATCH_META[this.name]?.[name]
    const enc = BUILTIN_FIELD_TYPES[this.name]?.[name]
    if (meta === undefined && enc === undefined) return undefined
    const f: PatchField = {meta: meta ?? NO_META}
    let t = enc ?? ''
    if (t.startsWith('[]')) {
      f.isList = true
      t = t.slice(2)
    } else if (t.startsWith('{}')) {
      f.isMap = true
      t = t.slice(2)
    }
    if (t) f.schema = builtinSchemaForType(t)
    return f
  }
}

const builtinCache = new Map<string, PatchSchema>()

/** builtinSchemaForType returns the schema of a built-in type by its upstream schema name. */
export function builtinSchemaForType(typeName: string): PatchSchema {
  let s = builtinCache.get(typeName)
  if (!s) {
    s = new BuiltinSchema(typeName)
    builtinCache.set(typeName, s)
  }
  return s
}

/** builtinTypeName returns the upstream schema name of a built-in kind (io.k8s.api.apps.v1.Deployment). */
export function builtinTypeName(group: string, version: string, kind: string): string {
  if (group === 'apiextensions.k8s.io')
    return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${version}.${kind}`
  if (group === 'apiregistration.k8s.io') return `io.k8s.kube-aggregator.pkg.apis.apiregistration.${version}.${kind}`
  const pkg = group === '' ? 'core' : group.split('.')[0]
  return `io.k8s.api.${pkg}.${version}.${kind}`
}

/**
 * builtinPatchSchema returns the schema of a built-in kind, or undefined for a kind mkctl does not know (a custom
 * resource).
 */
export function builtinPatchSchema(group: string, version: string, kind: string): PatchSchema | undefined {
  const name = builtinTypeName(group, version, kind)
  return BUILTIN_FIELD_TYPES[name] ? builtinSchemaForType(name) : undefined
}

/** OpenApiDocument is the part of an OpenAPI v3 document the schema reader uses. */
export interface OpenApiDocument {
  components?: {schemas?: Record<string, OpenApiSchema>}
}

/** OpenApiSchema is the part of an OpenAPI v3 schema object the schema reader uses. */
export interface OpenApiSchema {
  $ref?: string
  allOf?: OpenApiSchema[]
  type?: string
  properties?: Record<string, OpenApiSchema>
  items?: OpenApiSchema
  additionalProperties?: OpenApiSchema | boolean
  'x-kubernetes-patch-merge-key'?: string
  'x-kubernetes-patch-strategy'?: string
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map'
  'x-kubernetes-list-map-keys'?: string[]
  'x-kubernetes-map-type'?: 'atomic' | 'granular'
  'x-kubernetes-group-version-kind'?: {group: string; version: string; kind: string}[]
}

class OpenApiPatchSchema implements PatchSchema {
  constructor(
    private readonly doc: OpenApiDocument,
    private readonly schema: OpenApiSchema,
    readonly name: string,
  ) {}

  field(name: string): PatchField | undefined {
    const prop = this.schema.properties?.[name]
    if (!prop) return undefined
    const meta: FieldPatchMeta = {}
    if (prop['x-kubernetes-patch-merge-key']) meta.mergeKey = prop['x-kubernetes-patch-merge-key']
    if (prop['x-kubernetes-patch-strategy']) meta.strategy = prop['x-kubernetes-patch-strategy']
    if (prop['x-kubernetes-list-type']) meta.listType = prop['x-kubernetes-list-type']
    if (prop['x-kubernetes-list-map-keys']) meta.listMapKeys = prop['x-kubernetes-list-map-keys']
    if (prop['x-kubernetes-map-type']) meta.mapType = prop['x-kubernetes-map-type']
    const f: PatchField = {meta}
    let value = resolveRef(this.doc, prop)
    if (value.items) {
      f.isList = true
      value = resolveRef(this.doc, value.items)
    } else if (typeof value.additionalProperties === 'object') {
      f.isMap = true
      value = resolveRef(this.doc, value.additionalProperties)
    }
    if (value.properties) f.schema = new OpenApiPatchSchema(this.doc, value, refName(prop) ?? 'Struct')
    return f
  }
}

function refName(s: OpenApiSchema): string | undefined {
  const ref = s.$ref ?? s.allOf?.[0]?.$ref ?? s.items?.$ref ?? s.items?.allOf?.[0]?.$ref
  return ref?.replace('#/components/schemas/', '')
}

// resolveRef follows allOf[0] and $ref, as strategicpatch's PatchMetaFromOpenAPIV3 does.
function resolveRef(doc: OpenApiDocument, s: OpenApiSchema): OpenApiSchema {
  let cur = s
  for (let i = 0; i < 8; i++) {
    if (cur.allOf && cur.allOf.length > 0) cur = cur.allOf[0]
    if (!cur.$ref) return cur
    const target = doc.components?.schemas?.[cur.$ref.replace('#/components/schemas/', '')]
    if (!target) return {}
    cur = target
  }
  return cur
}

/**
 * openApiPatchSchema returns the schema of the kind group/version/kind in an OpenAPI v3 document, found by its
 * x-kubernetes-group-version-kind, or undefined when the document does not describe the kind.
 */
export function openApiPatchSchema(
  doc: OpenApiDocument,
  gvk: {group: string; version: string; kind: string},
): PatchSchema | undefined {
  for (const [name, s] of Object.entries(doc.components?.schemas ?? {})) {
    const kinds = s['x-kubernetes-group-version-kind'] ?? []
    if (kinds.some((k) => k.group === gvk.group && k.version === gvk.version && k.kind === gvk.kind)) {
      return new OpenApiPatchSchema(doc, s, name)
    }
  }
  return undefined
}
