// fieldvalidation.ts finds fields an object has but its OpenAPI schema does not know, for
// fieldValidation=Strict (400) and Warn (Warning headers), worded as the apiserver's strict decoder words them:
// `unknown field "spec.template.spec.containers[0].imagee"`.

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

/** unknownFields lists the paths of fields in value that schema does not declare. */
export function unknownFields(value: unknown, schema: Schema | undefined, resolve: SchemaResolver, path = ''): string[] {
  const s = deref(schema, resolve)
  if (!s || value === null || value === undefined) return []
  if (s['x-kubernetes-preserve-unknown-fields'] || s['x-kubernetes-int-or-string']) return []
  const out: string[] = []
  if (Array.isArray(value)) {
    if (!s.items) return []
    value.forEach((v, i) => out.push(...unknownFields(v, s.items, resolve, `${path}[${i}]`)))
    return out
  }
  if (typeof value !== 'object') return []
  const obj = value as Record<string, unknown>
  if (s.properties) {
    for (const [k, v] of Object.entries(obj)) {
      const child = s.properties[k]
      const p = path ? `${path}.${k}` : k
      if (!child) {
        out.push(p)
        continue
      }
      out.push(...unknownFields(v, child, resolve, p))
    }
  } else if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    for (const [k, v] of Object.entries(obj)) out.push(...unknownFields(v, s.additionalProperties, resolve, path ? `${path}.${k}` : k))
  }
  return out
}
