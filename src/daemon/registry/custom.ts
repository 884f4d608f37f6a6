// custom.ts holds what custom resources need from their CustomResourceDefinition: the structural schema of the
// served version (for pruning, strict field validation and the OpenAPI document) and validation of objects
// against it, worded as the apiextensions-apiserver words it (`spec.size in body must be of type integer`).
import {fieldInvalid, fieldNotSupported, fieldRequired, type FieldError} from '../../api/errors.js'
import type {KubeObject} from '../../api/object.js'
import type {ResourceInfo, ResourceTable} from '../../api/resources.js'
import type {Registry} from './generic.js'
import type {Strategy, StrategyContext} from './types.js'

type Schema = Record<string, any>

/** crdFor finds the CRD object that defines resource r. */
function crdFor(lookup: (r: ResourceInfo, ns: string | undefined, name: string) => KubeObject | undefined, table: ResourceTable, r: ResourceInfo): any {
  const crdR = table.lookup('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')
  return crdR ? lookup(crdR, undefined, `${r.plural}.${r.group}`) : undefined
}

/** versionSchema returns the openAPIV3Schema of one CRD version, with the implicit apiVersion, kind and metadata. */
export function versionSchema(crd: any, version: string): Schema | undefined {
  const v = (crd?.spec?.versions ?? []).find((x: any) => x.name === version)
  const s = v?.schema?.openAPIV3Schema
  if (!s) return undefined
  return {
    ...s,
    properties: {
      apiVersion: {type: 'string'},
      kind: {type: 'string'},
      metadata: {type: 'object', 'x-kubernetes-preserve-unknown-fields': true},
      ...(s.properties ?? {}),
    },
  }
}

/** customSchema is the schema of a custom resource for field decoding, or undefined without a schema. */
export function customSchema(registry: Registry, table: ResourceTable, r: ResourceInfo): {schema: Schema; resolve: () => undefined} | undefined {
  const crd = crdFor((res, ns, name) => registry.tryGet(res, ns, name), table, r)
  const schema = versionSchema(crd, r.version)
  return schema ? {schema, resolve: () => undefined} : undefined
}

const TYPE_OF = (v: unknown): string => {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number'
  return typeof v
}

/** validateAgainst checks value against a structural schema (types, required, enum, bounds). */
export function validateAgainst(value: unknown, s: Schema | undefined, path: string, out: FieldError[]): void {
  if (!s || value === undefined) return
  if (s['x-kubernetes-int-or-string']) {
    if (typeof value !== 'string' && !Number.isInteger(value)) out.push(fieldInvalid(path, TYPE_OF(value), `${path} in body must be of type integer,string: ${JSON.stringify(TYPE_OF(value))}`))
    return
  }
  if (value === null) {
    if (!s.nullable && s.type) out.push(fieldInvalid(path, 'null', `${path} in body must be of type ${s.type}: "null"`))
    return
  }
  const t = TYPE_OF(value)
  if (s.type) {
    const ok = s.type === t || (s.type === 'number' && t === 'integer')
    if (!ok) {
      out.push(fieldInvalid(path, t, `${path} in body must be of type ${s.type}: ${JSON.stringify(t)}`))
      return
    }
  }
  if (Array.isArray(s.enum) && !s.enum.some((e: unknown) => e === value)) out.push(fieldNotSupported(path, value, s.enum.map(String)))
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) out.push(fieldInvalid(path, value, `${path} in body should be greater than or equal to ${s.minimum}`))
    if (typeof s.maximum === 'number' && value > s.maximum) out.push(fieldInvalid(path, value, `${path} in body should be less than or equal to ${s.maximum}`))
  }
  if (typeof value === 'string' && typeof s.pattern === 'string' && !new RegExp(s.pattern).test(value)) {
    out.push(fieldInvalid(path, value, `${path} in body should match '${s.pattern}'`))
  }
  if (t === 'array' && s.items) (value as unknown[]).forEach((v, i) => validateAgainst(v, s.items, `${path}[${i}]`, out))
  if (t === 'object') {
    const o = value as Record<string, unknown>
    for (const req of s.required ?? []) if (o[req] === undefined) out.push(fieldRequired(path ? `${path}.${req}` : req))
    for (const [k, v] of Object.entries(o)) {
      const child = s.properties?.[k] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined)
      validateAgainst(v, child, path ? `${path}.${k}` : k, out)
    }
  }
}

/** customResourceStrategy validates custom resources against their CRD's schema. */
export const customResourceStrategy: Strategy = {
  validate(obj: KubeObject, ctx: StrategyContext): FieldError[] {
    const crdR = ctx.resourceFor('apiextensions.k8s.io', 'CustomResourceDefinition')
    if (!crdR) return []
    const crd = ctx.lookup(crdR, undefined, `${ctx.resource.plural}.${ctx.resource.group}`)
    const schema = versionSchema(crd, ctx.resource.version)
    const errs: FieldError[] = []
    if (!schema) return errs
    const {apiVersion: _a, kind: _k, metadata: _m, ...rest} = obj
    validateAgainst(rest, {...schema, properties: {...schema.properties}}, '', errs)
    return errs
  },
}
