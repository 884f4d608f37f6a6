// gen-field-order.mjs writes src/api/field-order.ts: the JSON field order of the Go API structs kubectl prints as
// typed objects (`create <kind> -o json`, `run`, `expose`, `cluster-info dump`). encoding/json writes a struct's
// fields in declaration order, with the fields of `json:",inline"` (and untagged) embedded structs promoted in
// place; the table records, per type, each field's JSON name and what its value is (another struct, a slice of
// structs, a Go map whose keys encode sorted, or a value kept as it is). The facts are read from the Go sources of
// k8s.io/api and k8s.io/apimachinery (a checkout of each, e.g. `git archive v0.32.9`); no code is copied.
//
// Usage: node scripts/gen-field-order.mjs <k8s.io/api checkout> <k8s.io/apimachinery checkout> [out.ts]
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

// PACKAGES are the Go packages read (import path → short key used in the table).
const API_PACKAGES = [
  'core/v1',
  'apps/v1',
  'batch/v1',
  'networking/v1',
  'rbac/v1',
  'policy/v1',
  'scheduling/v1',
  'authentication/v1',
]

// GROUP_VERSIONS maps an object's apiVersion to the package that declares its kinds.
const GROUP_VERSIONS = {
  v1: 'core/v1',
  'apps/v1': 'apps/v1',
  'batch/v1': 'batch/v1',
  'networking.k8s.io/v1': 'networking/v1',
  'rbac.authorization.k8s.io/v1': 'rbac/v1',
  'policy/v1': 'policy/v1',
  'scheduling.k8s.io/v1': 'scheduling/v1',
  'authentication.k8s.io/v1': 'authentication/v1',
}

// ROOTS are the kinds the typed printers print; the table keeps only the types reachable from them.
const ROOTS = [
  'apps/v1.Deployment',
  'apps/v1.DeploymentList',
  'apps/v1.ReplicaSetList',
  'apps/v1.DaemonSetList',
  'apps/v1.StatefulSet',
  'core/v1.Pod',
  'core/v1.PodList',
  'core/v1.Service',
  'core/v1.ServiceList',
  'core/v1.ConfigMap',
  'core/v1.Secret',
  'core/v1.Namespace',
  'core/v1.ServiceAccount',
  'core/v1.ResourceQuota',
  'core/v1.NodeList',
  'core/v1.EventList',
  'core/v1.ReplicationControllerList',
  'batch/v1.Job',
  'batch/v1.CronJob',
  'networking/v1.Ingress',
  'rbac/v1.Role',
  'rbac/v1.ClusterRole',
  'rbac/v1.RoleBinding',
  'rbac/v1.ClusterRoleBinding',
  'policy/v1.PodDisruptionBudget',
  'scheduling/v1.PriorityClass',
  'authentication/v1.TokenRequest',
]

const BUILTIN = new Set([
  'string',
  'bool',
  'byte',
  'int',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'float32',
  'float64',
  'rune',
  'any',
  'interface{}',
])

/** goFiles lists a package directory's non-test Go files. */
function goFiles(dir) {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'))
    .map((f) => join(dir, f))
}

/** parseImports maps each import alias of a Go file to its import path. */
function parseImports(src) {
  const out = new Map()
  const block = /^import\s*\(([\s\S]*?)^\)/m.exec(src)
  const lines = block ? block[1].split('\n') : (/^import\s+(.*)$/m.exec(src)?.[1] ?? '').split('\n')
  for (const line of lines) {
    const m = /^\s*(?:([\w.]+)\s+)?"([^"]+)"/.exec(line)
    if (!m) continue
    const path = m[2]
    out.set(m[1] ?? path.split('/').pop(), path)
  }
  return out
}

/** pkgKey gives the table key of a Go import path, or undefined for a package the table does not describe. */
function pkgKey(path) {
  if (path === 'k8s.io/apimachinery/pkg/apis/meta/v1') return 'meta/v1'
  const m = /^k8s\.io\/api\/(.+)$/.exec(path)
  return m && API_PACKAGES.includes(m[1]) ? m[1] : undefined
}

/** jsonTag reads the json key of a struct tag: {name, skip}. */
function jsonTag(tag) {
  const m = /json:"([^"]*)"/.exec(tag ?? '')
  if (!m) return {name: undefined, tagged: false}
  const [name, ...opts] = m[1].split(',')
  return {name, tagged: true, skip: name === '-' && opts.length === 0, omitempty: opts.includes('omitempty')}
}

/**
 * parsePackage reads one package: its struct types (fields with json name, Go type, embedded flag), its other named
 * types (underlying type expression), and which types marshal themselves (a MarshalJSON method).
 */
function parsePackage(key, dir) {
  const structs = new Map()
  const named = new Map()
  const custom = new Set()
  for (const file of goFiles(dir)) {
    const src = readFileSync(file, 'utf8')
    const imports = parseImports(src)
    for (const m of src.matchAll(/^func \(\w+ \*?(\w+)\) MarshalJSON\(\)/gm)) custom.add(m[1])
    for (const m of src.matchAll(/^type (\w+) (?!struct\b)(?!interface\b)(\S.*)$/gm))
      named.set(m[1], {expr: m[2].trim(), imports})
    for (const m of src.matchAll(/^type (\w+) struct \{\n([\s\S]*?)^\}/gm)) {
      const fields = []
      for (let line of m[2].replace(/\/\*[\s\S]*?\*\//g, '').split('\n')) {
        line = line.replace(/^\s+/, '')
        if (line === '' || line.startsWith('//')) continue
        const tagM = /`([^`]*)`/.exec(line)
        const tag = tagM?.[1]
        const decl = line
          .replace(/`[^`]*`/, '')
          .replace(/\/\/.*$/, '')
          .trim()
        const parts = decl.split(/\s+/)
        if (parts.length === 1)
          fields.push({goName: parts[0].replace(/^\*/, '').split('.').pop(), type: parts[0], tag, embedded: true})
        else fields.push({goName: parts[0], type: parts.slice(1).join(' '), tag, embedded: false})
      }
      structs.set(m[1], {fields, imports})
    }
  }
  return {key, structs, named, custom}
}

const packages = new Map()

// EXTERNAL_ZERO is what encoding/json writes for the zero value of the types of packages the table does not read.
const EXTERNAL_ZERO = {
  'k8s.io/apimachinery/pkg/types.UID': '""',
  'k8s.io/apimachinery/pkg/api/resource.Quantity': '"0"',
  'k8s.io/apimachinery/pkg/util/intstr.IntOrString': '0',
  'k8s.io/apimachinery/pkg/runtime.RawExtension': 'null',
  'k8s.io/apimachinery/pkg/runtime.Object': 'null',
}

// CUSTOM_ZERO is what the MarshalJSON methods of the read packages write for a zero value (metav1.Time: null, ...).
const CUSTOM_ZERO = {Time: 'null', MicroTime: 'null', Duration: '"0s"', FieldsV1: 'null'}

const NUMERIC = /^(u?int(8|16|32|64)?|float(32|64)|byte|rune)$/

/**
 * resolve turns a Go type expression seen in pkg into a descriptor: its kind (struct / slice / map / raw / scalar),
 * the struct it refers to, and zero: the JSON encoding/json writes for the zero value, '{}' for a struct (filled in
 * from its own fields), or undefined when omitempty drops the zero value.
 */
function resolve(pkg, expr, imports) {
  expr = expr.trim()
  if (expr.startsWith('*')) return {...resolve(pkg, expr.slice(1), imports), zero: 'null', empty: true, pointer: true}
  if (expr.startsWith('[]')) {
    if (expr === '[]byte') return {kind: 'scalar', zero: 'null', empty: true}
    const elem = resolve(pkg, expr.slice(2), imports)
    return elem.kind === 'scalar'
      ? {kind: 'scalar', zero: 'null', empty: true}
      : {kind: 'slice', elem, zero: 'null', empty: true}
  }
  if (expr.startsWith('map[')) {
    let depth = 0
    let i = 3
    for (; i < expr.length; i++) {
      if (expr[i] === '[') depth++
      else if (expr[i] === ']' && --depth === 0) break
    }
    return {kind: 'map', elem: resolve(pkg, expr.slice(i + 1), imports), zero: 'null', empty: true}
  }
  if (expr === 'string') return {kind: 'scalar', zero: '""', empty: true}
  if (expr === 'bool') return {kind: 'scalar', zero: 'false', empty: true}
  if (NUMERIC.test(expr)) return {kind: 'scalar', zero: '0', empty: true}
  if (BUILTIN.has(expr)) return {kind: 'scalar', zero: 'null', empty: true}
  let target = pkg
  let name = expr
  if (expr.includes('.')) {
    const [alias, n] = expr.split('.')
    const path = imports.get(alias) ?? ''
    target = pkgKey(path)
    name = n
    if (!target) {
      const zero = EXTERNAL_ZERO[`${path}.${n}`]
      if (zero === undefined) throw new Error(`unknown external type ${path}.${n}`)
      // a struct (Quantity, IntOrString, RawExtension) is never empty for omitempty; a Quantity re-encodes in its
      // canonical form (4194304Ki → 4Gi)
      return {kind: n === 'Quantity' ? 'quantity' : 'scalar', zero, empty: n === 'UID' || n === 'Object'}
    }
  }
  const p = packages.get(target)
  if (p.custom.has(name)) {
    const zero = CUSTOM_ZERO[name]
    if (zero === undefined) throw new Error(`no zero value known for ${target}.${name}`)
    return {kind: name === 'FieldsV1' ? 'raw' : 'scalar', zero, empty: name === 'Duration'}
  }
  if (p.structs.has(name)) return {kind: 'struct', ref: `${target}.${name}`, zero: '{}', empty: false}
  const n = p.named.get(name)
  if (n) return resolve(target, n.expr, n.imports)
  throw new Error(`unknown type ${target}.${name}`)
}

/** fieldsOf flattens a struct into its JSON fields in encoding order, promoting inline embedded structs. */
function fieldsOf(ref) {
  const [pkgName, typeName] = ref.split(/\.(?=[^.]+$)/)
  const st = packages.get(pkgName).structs.get(typeName)
  if (!st) throw new Error(`no struct ${ref}`)
  const out = []
  for (const f of st.fields) {
    const tag = jsonTag(f.tag)
    if (tag.skip) continue
    const t = resolve(pkgName, f.type, st.imports)
    if (f.embedded && (tag.name === '' || tag.name === undefined) && t.kind === 'struct' && !f.type.startsWith('*')) {
      out.push(...fieldsOf(t.ref))
      continue
    }
    if (!f.embedded && !/^[A-Z]/.test(f.goName)) continue
    // omitempty drops false, 0, "", nil pointers, slices and maps, never a struct value
    const omitted = tag.omitempty && t.empty
    out.push({name: tag.name || f.goName, type: t, zero: omitted ? undefined : t.zero, pointer: t.pointer === true})
  }
  return out
}

/** encodeType writes a descriptor as the table's compact string: `T`, `[]T`, `map`, `map:T`, `raw`, `quantity`, ''. */
function encodeType(t, queue) {
  switch (t.kind) {
    case 'struct':
      queue.push(t.ref)
      return t.ref
    case 'slice': {
      const e = encodeType(t.elem, queue)
      return e === '' ? '' : '[]' + e
    }
    case 'map': {
      const e = encodeType(t.elem, queue)
      return e === '' ? 'map' : 'map:' + e
    }
    case 'raw':
    case 'quantity':
      return t.kind
    default:
      return ''
  }
}

/** formatted runs prettier with the project's settings over the generated source, when prettier is installed. */
async function formatted(source, file) {
  try {
    const prettier = await import('prettier')
    const options = (await prettier.resolveConfig(file)) ?? {}
    return await prettier.format(source, {...options, filepath: file})
  } catch {
    return source
  }
}

async function main() {
  const [apiDir, machineryDir, outArg] = process.argv.slice(2)
  if (!apiDir || !machineryDir) {
    console.error('usage: node scripts/gen-field-order.mjs <k8s.io/api checkout> <k8s.io/apimachinery checkout> [out]')
    process.exit(2)
  }
  for (const key of API_PACKAGES) {
    const dir = join(apiDir, key)
    if (!existsSync(dir)) throw new Error(`missing ${dir}`)
    packages.set(key, parsePackage(key, dir))
  }
  packages.set('meta/v1', parsePackage('meta/v1', join(machineryDir, 'pkg/apis/meta/v1')))

  const table = {}
  const queue = [...ROOTS]
  while (queue.length > 0) {
    const ref = queue.shift()
    if (table[ref]) continue
    table[ref] = fieldsOf(ref).map((f) => {
      const t = encodeType(f.type, queue)
      const omit = f.zero === undefined ? (f.pointer ? '?' : '') : `~${f.zero}`
      return (t === '' ? f.name : `${f.name}=${t}`) + omit
    })
  }

  const keys = Object.keys(table).sort()
  const lines = [
    '// field-order.ts is GENERATED by scripts/gen-field-order.mjs from the Go sources of k8s.io/api and',
    '// k8s.io/apimachinery (v0.32): do not edit. Per API type, the JSON names of its fields in Go struct order',
    '// (inline embeds promoted). A name may be followed by `=` and what its value is: a struct type, `[]` and a',
    '// struct type (a slice of them), `map` (a Go map: keys encode sorted), `map:` and a value type, `quantity`',
    '// (written in canonical form) or `raw` (marshals itself verbatim, metav1.FieldsV1). Then, for a field that',
    '// encoding/json writes even when zero (no omitempty, or a struct value), `~` and that zero value as JSON',
    '// (`{}`: the zero value of the struct type); or `?` for an omitempty pointer, which only nil leaves out. The',
    '// other fields are omitempty values: false, 0, "", and empty slices and maps are left out.',
    '',
    '/** GROUP_VERSION_PACKAGES maps an apiVersion to the table prefix of the package declaring its kinds. */',
    `export const GROUP_VERSION_PACKAGES: Readonly<Record<string, string>> = ${JSON.stringify(GROUP_VERSIONS)}`,
    '',
    "/** FIELD_ORDER lists each type's fields in encoding/json order (see the file comment for the notation). */",
    'export const FIELD_ORDER: Readonly<Record<string, readonly string[]>> = {',
    ...keys.map((k) => `  '${k}': ${JSON.stringify(table[k])},`),
    '}',
    '',
  ]
  const out = outArg ?? join(root, 'src/api/field-order.ts')
  writeFileSync(out, await formatted(lines.join('\n'), out))
  console.log(`wrote ${out}: ${keys.length} types`)
}

await main()
