// fieldvalidation.ts does for JSON bodies what the apiserver's typed decoding does: fields the kind's schema does
// not declare are reported (fieldValidation=Strict turns them into a 400, Warn into Warning headers, worded as the
// strict decoder words them: `unknown field "spec.template.spec.containers[0].imagee"`) and dropped from the
// object, and empty maps and lists the Go types would omit (`omitempty`) are dropped too, so a stored object
// looks as it would after a round trip through the Go types.

type Schema = Record<string, any>

/** SchemaResolver looks up a component schema by name ("io.k8s.api.apps.v1.Deployment"). */
export type SchemaResolver = (name: string) => Schema | undefined

function deref(s: Schema | undefined, resolve: SchemaResolver): Schema | undefined {
  let cur = s
  for (let i = 0; cur && i < 10; i++) {
    if (cur.$ref) cur = resolve(String(cur.$ref).replace('#/components/schemas/', ''))
    else if (Array.isArray(cur.allOf) && cur.allOf.length === 1 && !cur.properties) cur = cur.allOf[0]
    else break
  }
  return cur
}

function isMapSchema(s: Schema | undefined): boolean {
  return !!s && !s.properties && typeof s.additionalProperties === 'object'
}

/**
 * decodeTyped walks value against schema, removing (in place) unknown fields, leftover patch directives
 * (`$patch`, `$setElementOrder/...`, which the Go decoder ignores) and empty optional maps and lists. It returns the
 * paths of the unknown fields.
 */
export function decodeTyped(value: unknown, schema: Schema | undefined, resolve: SchemaResolver, path = ''): string[] {
  const s = deref(schema, resolve)
  if (!s || value === null || value === undefined || typeof value !== 'object') return []
  if (s['x-kubernetes-preserve-unknown-fields'] || s['x-kubernetes-int-or-string']) return []
  const out: string[] = []
  if (Array.isArray(value)) {
    if (s.items) value.forEach((v, i) => out.push(...decodeTyped(v, s.items, resolve, `${path}[${i}]`)))
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
      out.push(...decodeTyped(v, child, resolve, p))
      if (required.includes(k)) continue
      const cs = deref(child, resolve)
      if (Array.isArray(v) && v.length === 0) delete obj[k]
      else if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0 && isMapSchema(cs)) delete obj[k]
    }
  } else if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    for (const [k, v] of Object.entries(obj)) out.push(...decodeTyped(v, s.additionalProperties, resolve, path ? `${path}.${k}` : k))
  }
  return out
}

/** unknownFields lists the paths of fields in value that schema does not declare, without changing value. */
export function unknownFields(value: unknown, schema: Schema | undefined, resolve: SchemaResolver): string[] {
  return decodeTyped(structuredClone(value), schema, resolve)
}
