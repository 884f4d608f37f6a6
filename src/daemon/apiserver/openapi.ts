// openapi.ts serves the OpenAPI v3 documents that scripts/gen-openapi.mjs wrote to dist/openapi at build time
// (one per served group-version, plus index.json). kubectl reads them for field validation (QueryParamVerifierV3),
// `explain` and strategic merge patch; see shared reference kubectl-api.md §6. The HTTP behaviour (index with
// hashed URLs, ETag, immutable caching, redirect on a stale hash) follows kube-openapi pkg/handler3/handler.go.
// Documents are read lazily and cached; CRD documents are added at run time with setCustomDocument.
import {createHash} from 'node:crypto'
import {existsSync, readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

/** OpenAPIIndex is the body of GET /openapi/v3: one entry per group-version path ("api/v1", "apis/apps/v1"). */
export interface OpenAPIIndex {
  paths: Record<string, {serverRelativeURL: string}>
}

/** OpenAPIDocument is one served document: its JSON bytes, its hash (SHA-512, upper-case hex) and ETag. */
export interface OpenAPIDocument {
  body: Buffer
  hash: string
  etag: string
}

/** SchemaRef is the component schema of one kind, with the document whose `#/components/schemas` it refers to. */
export interface SchemaRef {
  name: string
  schema: Record<string, unknown>
  document: Record<string, unknown>
}

/** OpenAPIService answers the /openapi/v3 endpoints and schema look-ups of the daemon. */
export interface OpenAPIService {
  /** index lists every document, built-in and custom, with hashed URLs. */
  index(): OpenAPIIndex
  /** document returns one group-version document ("apis/apps/v1"), or undefined when none is served. */
  document(gvPath: string): OpenAPIDocument | undefined
  /** schemaFor finds the component schema carrying x-kubernetes-group-version-kind {group, version, kind}. */
  schemaFor(group: string, version: string, kind: string): SchemaRef | undefined
  /** setCustomDocument adds or replaces the document of a group-version served by CRDs; undefined removes it. */
  setCustomDocument(gvPath: string, doc: object | undefined): void
}

/** OpenAPIResponse is what an HTTP handler sends for a request under /openapi/v3. */
export interface OpenAPIResponse {
  status: number
  headers: Record<string, string>
  body: Buffer
}

/** OPENAPI_INDEX_FILE is the name of the index the generator writes beside the documents. */
export const OPENAPI_INDEX_FILE = 'index.json'

/** fileNameOf is the file of a group-version document: "apis/apps/v1" → "apis__apps__v1.json" (as the generator). */
export function fileNameOf(gvPath: string): string {
  return gvPath.replaceAll('/', '__') + '.json'
}

/** gvPathOf is the index key of a group-version: "api/v1" for the core group, "apis/<group>/<version>" otherwise. */
export function gvPathOf(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`
}

/**
 * findOpenAPIDir walks up from a file (this module, or the dist/mkctld.cjs bundle) to the first folder holding
 * dist/openapi/index.json, and returns that dist/openapi folder.
 */
export function findOpenAPIDir(from: string = import.meta.url): string | undefined {
  let dir = dirname(from.startsWith('file:') ? fileURLToPath(from) : from)
  for (;;) {
    const candidate = join(dir, 'dist', 'openapi')
    if (existsSync(join(candidate, OPENAPI_INDEX_FILE))) return candidate
    const parent = dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}

function sha512(body: Buffer): string {
  return createHash('sha512').update(body).digest('hex').toUpperCase()
}

function normalize(gvPath: string): string {
  return gvPath
    .replace(/^\/+/, '')
    .replace(/^openapi\/v3\/?/, '')
    .replace(/\/+$/, '')
}

interface GVK {
  group?: string
  version?: string
  kind?: string
}

/**
 * loadOpenAPI opens the generated documents. dir is the folder holding index.json (dist/openapi), or a dist folder
 * containing openapi/; by default it is found with findOpenAPIDir. Nothing is read until the first request, and a
 * missing folder serves no built-in documents rather than failing the daemon's start.
 */
export function loadOpenAPI(dir?: string): OpenAPIService {
  let root = dir
  if (root && !existsSync(join(root, OPENAPI_INDEX_FILE)) && existsSync(join(root, 'openapi', OPENAPI_INDEX_FILE))) {
    root = join(root, 'openapi')
  }
  let builtin: OpenAPIIndex | undefined
  const docs = new Map<string, OpenAPIDocument>()
  const parsed = new Map<string, Record<string, unknown>>()
  const custom = new Map<string, OpenAPIDocument>()

  const builtinIndex = (): OpenAPIIndex => {
    if (!builtin) {
      root ??= findOpenAPIDir()
      const file = root && join(root, OPENAPI_INDEX_FILE)
      builtin = file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as OpenAPIIndex) : {paths: {}}
    }
    return builtin
  }

  const hashOf = (url: string): string => new URL(url, 'http://x').searchParams.get('hash') ?? ''

  const document = (gvPath: string): OpenAPIDocument | undefined => {
    const key = normalize(gvPath)
    const c = custom.get(key)
    if (c) return c
    const cached = docs.get(key)
    if (cached) return cached
    const entry = builtinIndex().paths[key]
    if (!entry || !root) return undefined
    const body = readFileSync(join(root, fileNameOf(key)))
    const hash = hashOf(entry.serverRelativeURL) || sha512(body)
    const doc = {body, hash, etag: `"${hash}"`}
    docs.set(key, doc)
    return doc
  }

  const parsedDocument = (key: string): Record<string, unknown> | undefined => {
    const d = document(key)
    if (!d) return undefined
    let p = parsed.get(key)
    if (!p) {
      p = JSON.parse(d.body.toString('utf8')) as Record<string, unknown>
      parsed.set(key, p)
    }
    return p
  }

  return {
    index() {
      const paths: OpenAPIIndex['paths'] = {...builtinIndex().paths}
      for (const [k, d] of custom) paths[k] = {serverRelativeURL: `/openapi/v3/${k}?hash=${d.hash}`}
      return {paths}
    },
    document,
    schemaFor(group, version, kind) {
      const doc = parsedDocument(gvPathOf(group, version))
      const schemas = (doc?.components as {schemas?: Record<string, Record<string, unknown>>} | undefined)?.schemas
      if (!doc || !schemas) return undefined
      for (const [name, schema] of Object.entries(schemas)) {
        const gvks = schema['x-kubernetes-group-version-kind'] as GVK[] | undefined
        if (gvks?.some((g) => (g.group ?? '') === group && g.version === version && g.kind === kind)) {
          return {name, schema, document: doc}
        }
      }
      return undefined
    },
    setCustomDocument(gvPath, doc) {
      const key = normalize(gvPath)
      parsed.delete(key)
      if (doc === undefined) {
        custom.delete(key)
        return
      }
      const body = Buffer.from(JSON.stringify(doc))
      const hash = sha512(body)
      custom.set(key, {body, hash, etag: `"${hash}"`})
    },
  }
}

/**
 * openAPIResponse answers GET <url> for url under /openapi/v3 (path and query, as in req.originalUrl).
 * The index is never cached by clients; a document asked for with its current hash is immutable; a stale hash is
 * redirected to the current one, as kube-openapi's handler3 does, so kubectl's HTTP cache never serves old schemas.
 */
export function openAPIResponse(svc: OpenAPIService, url: string, ifNoneMatch?: string): OpenAPIResponse {
  const u = new URL(url, 'http://x')
  const sub = normalize(u.pathname)
  const json = 'application/json'
  if (sub === '') {
    return {
      status: 200,
      headers: {'Content-Type': json, 'Cache-Control': 'no-cache, private'},
      body: Buffer.from(JSON.stringify(svc.index())),
    }
  }
  const doc = svc.document(sub)
  if (!doc) {
    return {
      status: 404,
      headers: {'Content-Type': 'text/plain; charset=utf-8'},
      body: Buffer.from('404 page not found\n'),
    }
  }
  const asked = u.searchParams.get('hash')
  if (asked !== null && asked !== doc.hash) {
    return {
      status: 301,
      headers: {Location: `/openapi/v3/${sub}?hash=${doc.hash}`, 'Cache-Control': 'no-cache, private'},
      body: Buffer.alloc(0),
    }
  }
  const headers: Record<string, string> = {
    'Content-Type': json,
    ETag: doc.etag,
    'Cache-Control': asked !== null ? 'public, immutable' : 'no-cache, private',
  }
  if (ifNoneMatch && ifNoneMatch === doc.etag) return {status: 304, headers, body: Buffer.alloc(0)}
  return {status: 200, headers, body: doc.body}
}
