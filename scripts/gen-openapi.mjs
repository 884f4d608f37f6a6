// gen-openapi.mjs writes the OpenAPI v3 documents the daemon serves at /openapi/v3 (see
// shared reference kubectl-api.md §6): dist/openapi/index.json plus one document per served group-version
// (api__v1.json, apis__apps__v1.json, ...). Nothing here is copied from upstream documents: schemas come from the
// doc comments and property types of the kubernetes-types .d.ts files (read with the TypeScript compiler API, no
// type checker), paths come from src/api/resources.ts, and patch metadata from src/api/patch-meta.ts when that file
// exists. The shapes follow kube-openapi's builder3 output (operation ids, x-kubernetes-action,
// x-kubernetes-group-version-kind, `allOf: [{$ref}]` beside a description) so that the real kubectl's
// QueryParamVerifierV3, `explain` and strategic merge patch read them as they read a real apiserver's.
//
// Runs on `node scripts/build.mjs` (it imports this file) or alone: `node scripts/gen-openapi.mjs`.
// MKCTL_OPENAPI_OUT=<dir> writes somewhere else (tests use a temporary folder).
import ts from 'typescript'
import {build} from 'esbuild'
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join, posix} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const typesDir = join(root, 'node_modules/kubernetes-types')

const REF_PREFIX = '#/components/schemas/'
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString'
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1'

// --- loading the project's TypeScript tables -------------------------------------------------------------------

/** loadTsModule bundles one TS file of the project with esbuild and imports it, so this script stays plain JS. */
async function loadTsModule(file) {
  const out = await build({
    entryPoints: [file],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
  })
  const code = out.outputFiles[0].text
  return import('data:text/javascript;base64,' + Buffer.from(code).toString('base64'))
}

// --- reading kubernetes-types ----------------------------------------------------------------------------------

/** packageOf maps a kubernetes-types module ("core/v1", "meta/v1", "runtime") to its Go package name upstream. */
function packageOf(mod) {
  if (mod === 'meta/v1') return META
  if (mod === 'api/resource') return 'io.k8s.apimachinery.pkg.api.resource'
  if (mod === 'runtime') return 'io.k8s.apimachinery.pkg.runtime'
  if (mod === 'version') return 'io.k8s.apimachinery.pkg.version'
  if (mod.startsWith('apiextensions/')) return 'io.k8s.apiextensions-apiserver.pkg.apis.' + mod.replace('/', '.')
  if (mod.startsWith('apiregistration/')) return 'io.k8s.kube-aggregator.pkg.apis.' + mod.replace('/', '.')
  return 'io.k8s.api.' + mod.replace('/', '.')
}

/** moduleOfGroup maps an API group and version to the kubernetes-types module that declares its kinds. */
function moduleOfGroup(group, version) {
  return `${group === '' ? 'core' : group.split('.')[0]}/${version}`
}

const modules = new Map()

/** loadModule parses one .d.ts file syntactically and indexes its declarations and imports. */
function loadModule(mod) {
  let m = modules.get(mod)
  if (m) return m
  const file = join(typesDir, mod + '.d.ts')
  const text = readFileSync(file, 'utf8')
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS)
  m = {mod, pkg: packageOf(mod), text, decls: new Map(), imports: new Map()}
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st)) {
      const from = posix.normalize(posix.join(posix.dirname(mod), st.moduleSpecifier.text))
      for (const el of st.importClause?.namedBindings?.elements ?? []) {
        m.imports.set(el.name.text, {mod: from, name: (el.propertyName ?? el.name).text})
      }
    } else if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) {
      m.decls.set(st.name.text, st)
    }
  }
  modules.set(mod, m)
  return m
}

/** docComment returns the text of the /** ... *\/ comment before a node, with the comment markers removed. */
function docComment(text, node) {
  const ranges = ts.getLeadingCommentRanges(text, node.pos) ?? []
  const r = ranges.filter((c) => text.startsWith('/**', c.pos)).pop()
  if (!r) return undefined
  const body = text.slice(r.pos + 3, r.end - 2)
  const lines = body.split('\n')
  if (lines.length === 1) return lines[0].trim()
  const out = lines.map((l) => l.replace(/^\s*\* ?/, ''))
  while (out.length && out[0].trim() === '') out.shift()
  while (out.length && out[out.length - 1].trim() === '') out.pop()
  return out.join('\n')
}

// Go integer widths are lost in the .d.ts files (every integer is `number`). Most Kubernetes integers are int32;
// these fields are int64 (facts from k8s.io/api and apimachinery types.go), or floats in JSONSchemaProps.
const INT64_FIELDS = new Set([
  'activeDeadlineSeconds',
  'deletionGracePeriodSeconds',
  'expirationSeconds',
  'fsGroup',
  'generation',
  'gracePeriodSeconds',
  'maxItems',
  'maxLength',
  'maxProperties',
  'minItems',
  'minLength',
  'minProperties',
  'observedGeneration',
  'remainingItemCount',
  'revision',
  'runAsGroup',
  'runAsUser',
  'seconds',
  'sizeBytes',
  'startingDeadlineSeconds',
  'supplementalGroups',
  'terminationGracePeriodSeconds',
  'tolerationSeconds',
])
const INT32_EXCEPTIONS = new Set(['io.k8s.api.certificates.v1.CertificateSigningRequestSpec.expirationSeconds'])
const DOUBLE_FIELDS = new Set(['maximum', 'minimum', 'multipleOf'])
// Base64 strings ([]byte in Go): upstream marks them format "byte".
const BYTE_FIELDS = new Set([
  'io.k8s.api.core.v1.Secret.data',
  'io.k8s.api.core.v1.ConfigMap.binaryData',
  'io.k8s.api.certificates.v1.CertificateSigningRequestSpec.request',
  'io.k8s.api.certificates.v1.CertificateSigningRequestStatus.certificate',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.WebhookClientConfig.caBundle',
])

// Defaults that kube-openapi writes from +default markers (k8s.io/api core/v1 types.go).
const FIELD_DEFAULTS = {
  'io.k8s.api.core.v1.ContainerPort.protocol': 'TCP',
  'io.k8s.api.core.v1.ServicePort.protocol': 'TCP',
  'io.k8s.api.core.v1.GRPCAction.service': '',
}

/** numberSchema picks the OpenAPI type and format of a TS `number` property from its owner and name. */
function numberSchema(owner, field) {
  if (DOUBLE_FIELDS.has(field) && owner.endsWith('.JSONSchemaProps')) return {type: 'number', format: 'double'}
  if (INT64_FIELDS.has(field) && !INT32_EXCEPTIONS.has(`${owner}.${field}`)) return {type: 'integer', format: 'int64'}
  return {type: 'integer', format: 'int32'}
}

// Schemas of types that the .d.ts files inline or declare as plain aliases; the descriptions are our own words
// where kubernetes-types has none (IntOrString is inlined as `number | string`).
const SPECIAL = {
  [INT_OR_STRING]: () => ({
    description:
      'IntOrString holds either an int32 or a string. In JSON and YAML it is written as whichever of the two it ' +
      'holds, so that one field can accept a number or a name.',
    format: 'int-or-string',
    oneOf: [{type: 'integer'}, {type: 'string'}],
    'x-kubernetes-int-or-string': true,
  }),
}

/** MissingType is thrown for a kind that kubernetes-types does not declare (BindingList, NodeProxyOptions). */
class MissingType extends Error {}

/** Generator builds component schemas on demand and remembers which schemas each one references. */
class Generator {
  constructor(patchMeta, schemaMapType) {
    this.patchMeta = patchMeta
    this.schemaMapType = schemaMapType
    /** @type {Map<string, {schema: object, refs: Set<string>}>} */
    this.schemas = new Map()
  }

  /** nameOf resolves a type name used in a module to its upstream schema name (and declaration). */
  resolve(mod, name) {
    const m = loadModule(mod)
    if (m.decls.has(name)) return {name: `${m.pkg}.${name}`, mod: m, decl: m.decls.get(name)}
    const imp = m.imports.get(name)
    if (!imp) throw new MissingType(`gen-openapi: ${name} is not declared or imported in ${mod}`)
    return this.resolve(imp.mod, imp.name)
  }

  /** ensure builds the component schema of a declaration once and returns its name. */
  ensure(mod, typeName) {
    const r = this.resolve(mod, typeName)
    if (!this.schemas.has(r.name)) {
      const entry = {schema: {}, refs: new Set()}
      this.schemas.set(r.name, entry) // set first: types refer to themselves (JSONSchemaProps)
      entry.schema = this.declSchema(r, entry.refs)
    }
    return r.name
  }

  /** ensureSpecial registers a schema that kubernetes-types does not declare. */
  ensureSpecial(name) {
    if (!this.schemas.has(name)) this.schemas.set(name, {schema: SPECIAL[name](), refs: new Set()})
    return name
  }

  declSchema(r, refs) {
    const {decl, mod} = r
    const description = docComment(mod.text, decl)
    const withDesc = (s) => (description ? {description, ...s} : s)
    if (ts.isTypeAliasDeclaration(decl)) {
      const t = decl.type
      if (t.kind === ts.SyntaxKind.StringKeyword) {
        if (r.name.endsWith('.resource.Quantity')) return withDesc({oneOf: [{type: 'string'}, {type: 'number'}]})
        if (r.name === `${META}.Time` || r.name === `${META}.MicroTime`) {
          return withDesc({type: 'string', format: 'date-time'})
        }
        return withDesc({type: 'string'})
      }
      // JSONSchemaPropsOrArray / OrBool / OrStringArray: any JSON; upstream marks them so.
      return withDesc({'x-kubernetes-preserve-unknown-fields': true})
    }
    const members = decl.members.filter((x) => ts.isPropertySignature(x))
    if (members.length === 0) {
      // RawExtension and FieldsV1 are objects of any shape; apiextensions JSON is any JSON value.
      if (r.name.endsWith('.apiextensions.v1.JSON')) return withDesc({'x-kubernetes-preserve-unknown-fields': true})
      return withDesc({type: 'object'})
    }
    const properties = {}
    const required = []
    let apiVersion, kind
    const fieldMeta = this.patchMeta[r.name] ?? {}
    for (const p of members) {
      const field = p.name.text ?? p.name.getText()
      const optional = !!p.questionToken
      if (!optional) required.push(field)
      if (field === 'apiVersion' && p.type && ts.isLiteralTypeNode(p.type)) apiVersion = p.type.literal.text
      if (field === 'kind' && p.type && ts.isLiteralTypeNode(p.type)) kind = p.type.literal.text
      let s = this.typeSchema(mod.mod, p.type, r.name, field, refs)
      s = withFieldDefault(s, field, !optional)
      if (BYTE_FIELDS.has(`${r.name}.${field}`)) {
        if (s.additionalProperties) s.additionalProperties = {type: 'string', format: 'byte'}
        else s.format = 'byte'
      }
      const fixed = FIELD_DEFAULTS[`${r.name}.${field}`]
      if (fixed !== undefined) s.default = fixed
      const d = docComment(mod.text, p)
      properties[field] = decorate(s, d, fieldMeta[field])
    }
    const out = withDesc({type: 'object', properties})
    if (required.length) out.required = required.sort()
    const mapType = this.schemaMapType[r.name]
    if (mapType) out['x-kubernetes-map-type'] = mapType
    if (kind && apiVersion) {
      const i = apiVersion.indexOf('/')
      const gvk =
        i < 0
          ? {group: '', version: apiVersion, kind}
          : {group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1), kind}
      out['x-kubernetes-group-version-kind'] = [gvk]
    }
    return out
  }

  /** typeSchema turns a property's type node into a schema; named types become `$ref`s. */
  typeSchema(mod, t, owner, field, refs) {
    if (!t) return {}
    switch (t.kind) {
      case ts.SyntaxKind.StringKeyword:
        return {type: 'string'}
      case ts.SyntaxKind.BooleanKeyword:
        return {type: 'boolean'}
      case ts.SyntaxKind.NumberKeyword:
        return numberSchema(owner, field)
      case ts.SyntaxKind.LiteralType:
        return {type: typeof t.literal.text === 'string' ? 'string' : 'integer'}
    }
    if (ts.isUnionTypeNode(t)) {
      const kinds = t.types.map((x) => x.kind).sort()
      if (
        kinds.length === 2 &&
        kinds.includes(ts.SyntaxKind.NumberKeyword) &&
        kinds.includes(ts.SyntaxKind.StringKeyword)
      ) {
        refs.add(this.ensureSpecial(INT_OR_STRING))
        return {$ref: REF_PREFIX + INT_OR_STRING}
      }
      return {'x-kubernetes-preserve-unknown-fields': true}
    }
    if (ts.isArrayTypeNode(t)) return {type: 'array', items: this.itemSchema(mod, t.elementType, owner, field, refs)}
    if (ts.isTypeReferenceNode(t)) {
      const name = t.typeName.text
      if (name === 'Array' && t.typeArguments?.length === 1) {
        return {type: 'array', items: this.itemSchema(mod, t.typeArguments[0], owner, field, refs)}
      }
      const target = this.ensure(mod, name)
      refs.add(target)
      return {$ref: REF_PREFIX + target}
    }
    if (ts.isTypeLiteralNode(t)) {
      const idx = t.members.find((x) => ts.isIndexSignatureDeclaration(x))
      if (idx) return {type: 'object', additionalProperties: this.itemSchema(mod, idx.type, owner, field, refs)}
      return {type: 'object'}
    }
    if (ts.isParenthesizedTypeNode(t)) return this.typeSchema(mod, t.type, owner, field, refs)
    throw new Error(`gen-openapi: unsupported type ${ts.SyntaxKind[t.kind]} at ${owner}.${field}`)
  }

  /** itemSchema is the schema of an array item or map value, with the zero default kube-openapi gives values. */
  itemSchema(mod, t, owner, field, refs) {
    const s = this.typeSchema(mod, t, owner, field, refs)
    if (s.$ref) return s.$ref.endsWith(INT_OR_STRING) ? s : {allOf: [s], default: {}}
    if (s.type === 'string') return {...s, default: ''}
    if (s.type === 'integer') return {...s, default: 0}
    return s
  }
}

const VALUE_FIELDS = new Set(['metadata', 'spec', 'status', 'template'])

/** withFieldDefault adds the zero-value defaults that kube-openapi writes for non-pointer fields (required ones). */
function withFieldDefault(s, field, required) {
  if (s.$ref) {
    // Required struct fields are values in Go (so default {}), except the few pointers among them; so are
    // metadata, spec, status and template by convention, and RawExtension.
    const byValue =
      (required && field !== 'selector' && field !== 'secretRef') ||
      VALUE_FIELDS.has(field) ||
      s.$ref.endsWith('.runtime.RawExtension')
    return byValue ? {...s, default: {}} : s
  }
  if (!required) return s
  if (s.type === 'string') return {...s, default: ''}
  if (s.type === 'integer') return {...s, default: 0}
  if (s.type === 'boolean') return {...s, default: false}
  return s
}

/** extensionsOf maps one patch-meta entry to the x-kubernetes-* keys upstream writes. */
function extensionsOf(m) {
  const out = {}
  if (!m) return out
  if (m.listMapKeys) out['x-kubernetes-list-map-keys'] = m.listMapKeys
  if (m.listType) out['x-kubernetes-list-type'] = m.listType
  if (m.mapType) out['x-kubernetes-map-type'] = m.mapType
  if (m.mergeKey) out['x-kubernetes-patch-merge-key'] = m.mergeKey
  if (m.strategy) out['x-kubernetes-patch-strategy'] = m.strategy
  return out
}

/** decorate puts a property's description (and patch metadata) beside its schema; a `$ref` moves into allOf. */
function decorate(s, description, meta) {
  const ext = extensionsOf(meta)
  if (s.$ref) {
    const {$ref, ...rest} = s
    return {allOf: [{$ref}], ...rest, ...(description ? {description} : {}), ...ext}
  }
  return {...s, ...(description ? {description} : {}), ...ext}
}

// --- paths -----------------------------------------------------------------------------------------------------

// Query parameter descriptions are our own words; names and types are the apiserver's (apimachinery
// pkg/apis/meta/v1 ListOptions, CreateOptions, PatchOptions, DeleteOptions).
const P = {
  name: (kind) => ({name: 'name', in: 'path', required: true, description: `name of the ${kind}`, schema: str()}),
  namespace: () => ({
    name: 'namespace',
    in: 'path',
    required: true,
    description: 'object name and auth scope, such as for teams and projects',
    schema: str(),
  }),
  path: () => ({name: 'path', in: 'path', required: true, description: 'path to the resource', schema: str()}),
  pretty: () => q('pretty', 'string', "If 'true', the output is indented."),
  dryRun: () => q('dryRun', 'string', "When set to 'All', every stage runs but nothing is persisted."),
  fieldManager: () =>
    q(
      'fieldManager',
      'string',
      'Name of the actor making the change; required for apply patches, at most 128 printable characters.',
    ),
  fieldValidation: () =>
    q(
      'fieldValidation',
      'string',
      'How to treat unknown or duplicate fields in the request body: Ignore drops them silently, Warn keeps going ' +
        'with a warning header for each, Strict fails the request with a BadRequest error.',
    ),
  force: () =>
    q('force', 'boolean', 'Take ownership of conflicting fields on apply; must be unset for other patch types.'),
  gracePeriodSeconds: () =>
    q(
      'gracePeriodSeconds',
      'integer',
      'Seconds to wait before deleting; zero deletes now, unset uses the default of the type.',
    ),
  orphanDependents: () =>
    q('orphanDependents', 'boolean', 'Deprecated, use propagationPolicy. Whether dependents are orphaned.'),
  propagationPolicy: () =>
    q('propagationPolicy', 'string', 'Garbage collection of dependents: Orphan, Background or Foreground.'),
  allowWatchBookmarks: () => q('allowWatchBookmarks', 'boolean', 'Ask for BOOKMARK events in a watch.'),
  continue: () => q('continue', 'string', 'The continue token of the previous page of a list.'),
  fieldSelector: () => q('fieldSelector', 'string', 'Restrict the list by fields. Defaults to everything.'),
  labelSelector: () => q('labelSelector', 'string', 'Restrict the list by labels. Defaults to everything.'),
  limit: () => q('limit', 'integer', 'Return at most this many items, with a continue token when there are more.'),
  resourceVersion: () => q('resourceVersion', 'string', 'Which resource version the list or watch starts from.'),
  resourceVersionMatch: () =>
    q('resourceVersionMatch', 'string', 'How resourceVersion applies to a list: Exact or NotOlderThan.'),
  sendInitialEvents: () =>
    q('sendInitialEvents', 'boolean', 'Begin a watch with synthetic ADDED events for the current state.'),
  timeoutSeconds: () => q('timeoutSeconds', 'integer', 'Time limit of the list or watch call.'),
  watch: () => q('watch', 'boolean', 'Watch for changes and stream them as add, update and remove events.'),
}

function str() {
  return {type: 'string', uniqueItems: true}
}

function q(name, type, description) {
  return {name, in: 'query', description, schema: {type, uniqueItems: true}}
}

const LIST_PARAMS = [
  'allowWatchBookmarks',
  'continue',
  'fieldSelector',
  'labelSelector',
  'limit',
  'resourceVersion',
  'resourceVersionMatch',
  'sendInitialEvents',
  'timeoutSeconds',
  'watch',
]
const WRITE_PARAMS = ['dryRun', 'fieldManager', 'fieldValidation']
const PATCH_PARAMS = ['dryRun', 'fieldManager', 'fieldValidation', 'force']
const DELETE_PARAMS = ['dryRun', 'gracePeriodSeconds', 'orphanDependents', 'propagationPolicy']
const DELETECOLLECTION_PARAMS = [
  'continue',
  'dryRun',
  'fieldSelector',
  'gracePeriodSeconds',
  'labelSelector',
  'limit',
  'orphanDependents',
  'propagationPolicy',
  'resourceVersion',
  'resourceVersionMatch',
  'sendInitialEvents',
  'timeoutSeconds',
]
const OBJECT_TYPES = ['application/json', 'application/vnd.kubernetes.protobuf', 'application/yaml']
const STREAM_TYPES = [
  'application/json',
  'application/json;stream=watch',
  'application/vnd.kubernetes.protobuf',
  'application/vnd.kubernetes.protobuf;stream=watch',
  'application/yaml',
]
const PATCH_TYPES = [
  'application/apply-patch+yaml',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
]
const CONNECT_SUBS = new Set(['attach', 'exec', 'portforward', 'proxy'])

function pascal(s) {
  return s ? s[0].toUpperCase() + s.slice(1) : s
}

/** groupWord is the group as it appears in upstream operation ids: "rbac.authorization.k8s.io" → "RbacAuthorization". */
function groupWord(group) {
  if (!group) return 'Core'
  return group
    .replace(/\.k8s\.io$/, '')
    .split('.')
    .map(pascal)
    .join('')
}

function content(types, ref) {
  return Object.fromEntries(types.map((t) => [t, {schema: ref ? {$ref: REF_PREFIX + ref} : {type: 'string'}}]))
}

function responses(codes, types, ref) {
  const words = {200: 'OK', 201: 'Created', 202: 'Accepted'}
  const out = {}
  for (const c of codes) out[c] = {description: words[c], content: content(types, ref)}
  out[401] = {description: 'Unauthorized'}
  return out
}

/** gvPathOf is the key of a group-version in the /openapi/v3 index: "api/v1" or "apis/apps/v1". */
export function gvPathOf(group, version) {
  return group ? `apis/${group}/${version}` : `api/${version}`
}

/** buildPaths writes the paths of one group-version and returns them with the schema names they reference. */
function buildPaths(gen, group, version, resources) {
  const base = '/' + gvPathOf(group, version)
  const gv = groupWord(group) + pascal(version)
  const tag = groupWord(group)[0].toLowerCase() + groupWord(group).slice(1) + '_' + version
  const mod = moduleOfGroup(group, version)
  const roots = new Set()
  const paths = {}
  const schemaOf = (m, kind) => {
    try {
      const n = gen.ensure(m, kind)
      roots.add(n)
      return n
    } catch (e) {
      if (e instanceof MissingType) return undefined
      throw e
    }
  }
  const status = schemaOf('meta/v1', 'Status')
  const deleteOptions = schemaOf('meta/v1', 'DeleteOptions')
  const patch = schemaOf('meta/v1', 'Patch')
  const watchEvent = schemaOf('meta/v1', 'WatchEvent')
  const resourceList = schemaOf('meta/v1', 'APIResourceList')

  paths[base + '/'] = {
    get: {
      description: 'get available resources',
      operationId: `get${gv}APIResources`,
      responses: responses([200], OBJECT_TYPES, resourceList),
      tags: [tag],
    },
  }

  const op = (o) => ({tags: [tag], ...o})
  const params = (names) => names.map((n) => P[n]())

  for (const r of resources) {
    const gvk = {group: r.group, version: r.version, kind: r.kind}
    const kindSchema = schemaOf(mod, r.kind)
    const listSchema = schemaOf(mod, r.listKind)
    const has = (v) => r.verbs.includes(v)
    const ns = r.namespaced ? 'Namespaced' : ''
    const coll = r.namespaced ? `${base}/namespaces/{namespace}/${r.plural}` : `${base}/${r.plural}`
    const item = `${coll}/{name}`
    const scope = r.namespaced ? [P.namespace()] : []

    const collOps = {}
    if (has('deletecollection')) {
      collOps.delete = op({
        description: `delete collection of ${r.kind}`,
        operationId: `delete${gv}Collection${ns}${r.kind}`,
        parameters: params(DELETECOLLECTION_PARAMS),
        requestBody: {content: content(['*/*'], deleteOptions)},
        responses: responses([200], OBJECT_TYPES, status),
        'x-kubernetes-action': 'deletecollection',
        'x-kubernetes-group-version-kind': gvk,
      })
    }
    if (has('list')) {
      collOps.get = op({
        description: `list or watch objects of kind ${r.kind}`,
        operationId: `list${gv}${ns}${r.kind}`,
        parameters: params(LIST_PARAMS),
        responses: responses([200], STREAM_TYPES, listSchema),
        'x-kubernetes-action': 'list',
        'x-kubernetes-group-version-kind': gvk,
      })
    }
    if (has('create')) {
      collOps.post = op({
        description: `create ${article(r.kind)} ${r.kind}`,
        operationId: `create${gv}${ns}${r.kind}`,
        parameters: params(WRITE_PARAMS),
        requestBody: {content: content(['*/*'], kindSchema), required: true},
        responses: responses([200, 201, 202], OBJECT_TYPES, kindSchema),
        'x-kubernetes-action': 'post',
        'x-kubernetes-group-version-kind': gvk,
      })
    }
    if (Object.keys(collOps).length) paths[coll] = {...collOps, parameters: [...scope, P.pretty()]}

    const itemOps = {}
    if (has('delete')) {
      itemOps.delete = op({
        description: `delete ${article(r.kind)} ${r.kind}`,
        operationId: `delete${gv}${ns}${r.kind}`,
        parameters: params(DELETE_PARAMS),
        requestBody: {content: content(['*/*'], deleteOptions)},
        responses: responses([200, 202], OBJECT_TYPES, status),
        'x-kubernetes-action': 'delete',
        'x-kubernetes-group-version-kind': gvk,
      })
    }
    if (has('get')) {
      itemOps.get = op({
        description: `read the specified ${r.kind}`,
        operationId: `read${gv}${ns}${r.kind}`,
        responses: responses([200], OBJECT_TYPES, kindSchema),
        'x-kubernetes-action': 'get',
        'x-kubernetes-group-version-kind': gvk,
      })
    }
    Object.assign(itemOps, writeOps(r, gvk, '', kindSchema, has, {gv, ns, op, params, patch}))
    if (Object.keys(itemOps).length) paths[item] = {...itemOps, parameters: [P.name(r.kind), ...scope, P.pretty()]}

    if (r.namespaced && has('list')) {
      paths[`${base}/${r.plural}`] = {
        get: op({
          description: `list or watch objects of kind ${r.kind}`,
          operationId: `list${gv}${r.kind}ForAllNamespaces`,
          responses: responses([200], STREAM_TYPES, listSchema),
          'x-kubernetes-action': 'list',
          'x-kubernetes-group-version-kind': gvk,
        }),
        parameters: params(LIST_PARAMS.filter((n) => n !== 'watch').concat(['pretty', 'watch'])),
      }
    }
    if (has('watch')) {
      const watchParams = (extra) =>
        [...extra, ...params(LIST_PARAMS), P.pretty()].sort((a, b) => a.name.localeCompare(b.name))
      const w = (path, operationId, action, extra, description) => {
        paths[path] = {
          get: op({
            description,
            operationId,
            responses: responses([200], STREAM_TYPES, watchEvent),
            'x-kubernetes-action': action,
            'x-kubernetes-group-version-kind': gvk,
          }),
          parameters: watchParams(extra),
        }
      }
      const wcoll = r.namespaced ? `${base}/watch/namespaces/{namespace}/${r.plural}` : `${base}/watch/${r.plural}`
      const listDesc = `watch individual changes to a list of ${r.kind}. deprecated: use the 'watch' parameter with a list operation instead.`
      const itemDesc = `watch changes to an object of kind ${r.kind}. deprecated: use the 'watch' parameter with a list operation instead, filtered to a single item with the 'fieldSelector' parameter.`
      w(wcoll, `watch${gv}${ns}${r.kind}List`, 'watchlist', scope, listDesc)
      w(`${wcoll}/{name}`, `watch${gv}${ns}${r.kind}`, 'watch', [P.name(r.kind), ...scope], itemDesc)
      if (r.namespaced)
        w(`${base}/watch/${r.plural}`, `watch${gv}${r.kind}ListForAllNamespaces`, 'watchlist', [], listDesc)
    }

    for (const sub of r.subresources) {
      const subGroup = sub.group ?? r.group
      const subVersion = sub.version ?? r.version
      const subGvk = {group: subGroup, version: subVersion, kind: sub.kind}
      const subHas = (v) => sub.verbs.includes(v)
      const word = pascal(sub.name)
      const path = `${item}/${sub.name}`
      const common = [P.name(r.kind), ...scope]
      const ops = {}
      if (CONNECT_SUBS.has(sub.name)) {
        // Streaming and proxy subresources: kube-openapi lists one "connect" operation per HTTP method.
        const methods = {get: 'get', create: 'post', update: 'put', patch: 'patch', delete: 'delete'}
        for (const [verb, method] of Object.entries(methods)) {
          if (!subHas(verb)) continue
          ops[method] = op({
            description: `connect ${pascal(method)} requests to ${sub.name} of ${r.kind}`,
            operationId: `connect${gv}${pascal(method)}${ns}${r.kind}${word}`,
            responses: {
              200: {description: 'OK', content: {'*/*': {schema: {type: 'string'}}}},
              401: {description: 'Unauthorized'},
            },
            'x-kubernetes-action': 'connect',
            'x-kubernetes-group-version-kind': subGvk,
          })
        }
        paths[path] = {...ops, parameters: common}
        if (sub.name === 'proxy') paths[`${path}/{path}`] = {...ops, parameters: [...common, P.path()]}
        continue
      }
      const subMod = moduleOfGroup(subGroup, subVersion)
      const subSchema = schemaOf(subMod, sub.kind)
      if (sub.name === 'log') {
        ops.get = op({
          description: `read log of the specified ${r.kind}`,
          operationId: `read${gv}${ns}${r.kind}Log`,
          responses: {
            200: {
              description: 'OK',
              content: content([
                'text/plain',
                'application/json',
                'application/yaml',
                'application/vnd.kubernetes.protobuf',
              ]),
            },
            401: {description: 'Unauthorized'},
          },
          'x-kubernetes-action': 'get',
          'x-kubernetes-group-version-kind': subGvk,
        })
      } else {
        if (subHas('get')) {
          ops.get = op({
            description: `read ${sub.name} of the specified ${r.kind}`,
            operationId: `read${gv}${ns}${r.kind}${word}`,
            responses: responses([200], OBJECT_TYPES, subSchema),
            'x-kubernetes-action': 'get',
            'x-kubernetes-group-version-kind': subGvk,
          })
        }
        if (subHas('create')) {
          ops.post = op({
            description: `create ${sub.name} of ${article(r.kind)} ${r.kind}`,
            operationId: `create${gv}${ns}${r.kind}${word}`,
            parameters: params(WRITE_PARAMS),
            requestBody: {content: content(['*/*'], subSchema), required: true},
            responses: responses([200, 201, 202], OBJECT_TYPES, subSchema),
            'x-kubernetes-action': 'post',
            'x-kubernetes-group-version-kind': subGvk,
          })
        }
        Object.assign(ops, writeOps(r, subGvk, word, subSchema, subHas, {gv, ns, op, params, patch, sub: sub.name}))
      }
      if (Object.keys(ops).length) paths[path] = {...ops, parameters: [...common, P.pretty()]}
    }
  }
  return {paths, roots}
}

/** writeOps builds the put and patch operations of an object or of one of its subresources. */
function writeOps(r, gvk, word, schema, has, ctx) {
  const {gv, ns, op, params, patch} = ctx
  const what = ctx.sub ? `${ctx.sub} of the specified ${r.kind}` : `the specified ${r.kind}`
  const ops = {}
  if (has('patch')) {
    ops.patch = op({
      description: `partially update ${what}`,
      operationId: `patch${gv}${ns}${r.kind}${word}`,
      parameters: params(PATCH_PARAMS),
      requestBody: {content: content(PATCH_TYPES, patch), required: true},
      responses: responses([200, 201], OBJECT_TYPES, schema),
      'x-kubernetes-action': 'patch',
      'x-kubernetes-group-version-kind': gvk,
    })
  }
  if (has('update')) {
    ops.put = op({
      description: `replace ${what}`,
      operationId: `replace${gv}${ns}${r.kind}${word}`,
      parameters: params(WRITE_PARAMS),
      requestBody: {content: content(['*/*'], schema), required: true},
      responses: responses([200, 201], OBJECT_TYPES, schema),
      'x-kubernetes-action': 'put',
      'x-kubernetes-group-version-kind': gvk,
    })
  }
  return ops
}

function article(word) {
  return /^[AEIOU]/.test(word) ? 'an' : 'a'
}

/** closure collects every schema reachable from the roots. */
function closure(gen, roots) {
  const seen = new Set()
  const stack = [...roots]
  while (stack.length) {
    const n = stack.pop()
    if (seen.has(n)) continue
    seen.add(n)
    for (const r of gen.schemas.get(n).refs) stack.push(r)
  }
  return [...seen].sort()
}

/** sortKeys orders object keys recursively, as upstream documents are, so output is stable and diffable. */
function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys)
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys(v[k])]),
    )
  }
  return v
}

/** fileNameOf is the file a group-version document is written to: "apis/apps/v1" → "apis__apps__v1.json". */
export function fileNameOf(gvPath) {
  return gvPath.replaceAll('/', '__') + '.json'
}

/** generate writes index.json and one document per served group-version into outDir. */
export async function generate(outDir = join(root, 'dist/openapi')) {
  const {RESOURCES} = await loadTsModule(join(root, 'src/api/resources.ts'))
  const metaFile = join(root, 'src/api/patch-meta.ts')
  // PATCH_META: schema name → field → {mergeKey, strategy, listType, listMapKeys, mapType};
  // SCHEMA_MAP_TYPE: schema name → x-kubernetes-map-type of the type itself. Without the file the documents
  // still work for validation and explain, but client-side apply would find no merge keys.
  let patchMeta = {}
  let schemaMapType = {}
  if (existsSync(metaFile)) {
    const m = await loadTsModule(metaFile)
    patchMeta = m.PATCH_META ?? {}
    schemaMapType = m.SCHEMA_MAP_TYPE ?? {}
  } else {
    console.warn('gen-openapi: src/api/patch-meta.ts is missing; documents carry no patch merge keys')
  }
  const gen = new Generator(patchMeta, schemaMapType)

  const byGV = new Map()
  for (const r of RESOURCES) {
    const k = gvPathOf(r.group, r.version)
    if (!byGV.has(k)) byGV.set(k, {group: r.group, version: r.version, resources: []})
    byGV.get(k).resources.push(r)
  }
  const docs = []
  for (const [gvPath, {group, version, resources}] of byGV) {
    docs.push({gvPath, group, version, ...buildPaths(gen, group, version, resources)})
  }

  // DeleteOptions and WatchEvent are registered in every group-version, Status in the core one
  // (apimachinery's AddToGroupVersion); the .d.ts files carry no kind literal for them.
  const served = [...byGV.values()].map(({group, version}) => ({group, version}))
  const everyGV = (kind) => served.map((gv) => ({...gv, kind}))
  const metaKinds = {
    [`${META}.DeleteOptions`]: everyGV('DeleteOptions'),
    [`${META}.WatchEvent`]: everyGV('WatchEvent'),
    [`${META}.Status`]: [{group: '', version: 'v1', kind: 'Status'}],
  }
  for (const [n, gvks] of Object.entries(metaKinds)) {
    const e = gen.schemas.get(n)
    if (e) e.schema['x-kubernetes-group-version-kind'] = gvks
  }

  const tmp = outDir + '.tmp-' + process.pid
  rmSync(tmp, {recursive: true, force: true})
  mkdirSync(tmp, {recursive: true})
  const index = {paths: {}}
  for (const d of docs) {
    const schemas = {}
    for (const n of closure(gen, d.roots)) schemas[n] = gen.schemas.get(n).schema
    const doc = sortKeys({
      openapi: '3.0.0',
      info: {title: 'Kubernetes', version: 'unversioned'},
      paths: d.paths,
      components: {
        schemas,
        securitySchemes: {
          BearerToken: {
            type: 'apiKey',
            name: 'authorization',
            in: 'header',
            description: 'Bearer Token authentication',
          },
        },
      },
    })
    const body = JSON.stringify(doc)
    writeFileSync(join(tmp, fileNameOf(d.gvPath)), body)
    const hash = createHash('sha512').update(body).digest('hex').toUpperCase()
    index.paths[d.gvPath] = {serverRelativeURL: `/openapi/v3/${d.gvPath}?hash=${hash}`}
  }
  writeFileSync(join(tmp, 'index.json'), JSON.stringify(index))
  rmSync(outDir, {recursive: true, force: true})
  mkdirSync(dirname(outDir), {recursive: true})
  renameSync(tmp, outDir)
  return {outDir, groupVersions: docs.map((d) => d.gvPath)}
}

const outDir = process.env.MKCTL_OPENAPI_OUT || join(root, 'dist/openapi')
const direct = process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url
const started = Date.now()
const result = await generate(outDir)
if (direct)
  console.log(`gen-openapi: ${result.groupVersions.length} documents in ${result.outDir} (${Date.now() - started} ms)`)
