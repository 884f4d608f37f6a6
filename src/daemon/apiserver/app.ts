// app.ts builds the express application of the API server; it never listens (main.ts does). Order: health
// probes (anonymous), authentication, impersonation and RBAC authorization (auth/), then version, discovery, OpenAPI and the generic resource
// handlers, all routed from the resource table.
import {timingSafeEqual} from 'node:crypto'
import express, {type NextFunction, type Request, type Response} from 'express'
import {notFoundPath} from '../../api/errors.js'
import type {ResourceTable} from '../../api/resources.js'
import type {Clock} from '../clock.js'
import type {Registry} from '../registry/generic.js'
import type {UserInfo} from '../registry/types.js'
import {
  aggregated,
  aggregatedContentType,
  apiGroupFor,
  apiGroupList,
  apiResourceList,
  apiVersions,
  wantsAggregated,
} from './discovery.js'
import {sendError, sendStatus} from './errors.js'
import {handleResource, type HandlerDeps} from './handlers.js'
import {openAPIResponse, type OpenAPIService} from './openapi.js'
import {parsePath, type RequestInfo} from './request.js'
import {answerReview} from './reviews.js'
import {adminRouter, type AdminOps} from './admin.js'
import {customSchema} from '../registry/custom.js'
import {convertorFor} from '../registry/tables/index.js'
import {customConvertor} from '../registry/tables/custom.js'
import {ADMIN_USER, authFor, memoryState, type StateStore} from '../auth/index.js'
import {usersAdminRouter} from './users-admin.js'
import {isTokenRequest, serveTokenRequest} from './token-request.js'

/** VERSION_INFO is what /version reports: Kubernetes 1.32, so the kubectl dispatcher picks kubectl 1.32. */
export const VERSION_INFO = {
  major: '1',
  minor: '32',
  emulationMajor: '1',
  emulationMinor: '32',
  minCompatibilityMajor: '1',
  minCompatibilityMinor: '31',
  gitVersion: 'v1.32.0',
  gitCommit: '70d3cc986aa8221cd1dfb1121852688902d3bf53',
  gitTreeState: 'clean',
  buildDate: '2024-12-11T17:59:15Z',
  goVersion: 'go1.23.3',
  compiler: 'gc',
  platform: 'linux/amd64',
}

/** OPENAPI_V2_EMPTY is an openapi_v2.Document {swagger: "2.0", info: {title: "Kubernetes", version}} in protobuf. */
const OPENAPI_V2_EMPTY = (() => {
  const str = (field: number, text: string) =>
    Buffer.concat([Buffer.from([(field << 3) | 2, Buffer.byteLength(text)]), Buffer.from(text)])
  const info = Buffer.concat([str(1, 'Kubernetes'), str(2, 'v1.32.0')])
  return Buffer.concat([str(1, '2.0'), Buffer.from([(2 << 3) | 2, info.length]), info])
})()

/** ADMIN is the identity behind the profile's token. */
export const ADMIN: UserInfo = ADMIN_USER

/** ApiServerDeps are what the API server needs. */
export interface ApiServerDeps {
  registry: Registry
  clock: Clock
  token: string
  resources: () => ResourceTable
  openapi: OpenAPIService
  /** serverAddress is host:port as clients reach it (for /api's serverAddressByClientCIDRs). */
  serverAddress: () => string
  streaming?: (req: Request, res: Response, info: RequestInfo) => boolean
  /** admin serves mkctl's own /mkctl/v1 endpoints (virtual clock, node operations). */
  admin?: AdminOps
  /** metrics serves metrics.k8s.io (the metrics-server addon) in front of the generic handlers. */
  metrics?: express.Router
  /** metricsServing says whether metrics.k8s.io is served now (the addon is on and its pod Ready), for discovery. */
  metricsServing?: () => boolean
  /** metricsGroups are the discovery entries of metrics.k8s.io (aggregated and legacy forms). */
  metricsGroups?: {aggregated: () => object; legacy: () => object}
  /** onRequest sees every authenticated API request once it is answered (the lab journal listens here). */
  onRequest?: (req: Request, res: Response) => void
  /** state keeps the token users and the ServiceAccount token key (the store's daemon_state; memory when absent). */
  state?: StateStore
}

/** tokenMatches checks a request's bearer token against the profile's, in constant time. */
export function tokenMatches(header: string | undefined, token: string): boolean {
  if (!header || !header.startsWith('Bearer ')) return false
  const given = Buffer.from(header.slice(7).trim())
  const want = Buffer.from(token)
  return given.length === want.length && timingSafeEqual(given, want)
}

function sendJSON(res: Response, body: unknown, contentType = 'application/json') {
  res.status(200).setHeader('Content-Type', contentType)
  res.end(JSON.stringify(body))
}

/** createApiServer returns the express app serving the Kubernetes API. */
export function createApiServer(deps: ApiServerDeps): express.Express {
  const app = express()
  app.disable('x-powered-by')
  app.disable('etag')
  app.locals.watchers = new Set<() => void>()

  const health = (_req: Request, res: Response) => {
    res.status(200).setHeader('Content-Type', 'text/plain; charset=utf-8')
    res.end('ok')
  }
  for (const p of ['/healthz', '/livez', '/readyz']) {
    app.get(p, health)
    app.get(`${p}/*rest`, health)
  }

  const auth = authFor({
    registry: deps.registry,
    resources: deps.resources,
    state: deps.state ?? memoryState(),
    adminToken: deps.token,
    now: () => deps.clock.now(),
  })
  app.use((req: Request, res: Response, next: NextFunction) => {
    const checked = auth.check(req.method, req.originalUrl, req.headers, req.headersDistinct)
    if (checked.error) {
      sendStatus(res, checked.error.status)
      return
    }
    res.locals.user = checked.user
    if (deps.onRequest) res.on('finish', () => deps.onRequest!(req, res))
    next()
  })

  app.get('/version', (_req, res) => sendJSON(res, VERSION_INFO))
  if (deps.admin)
    app.use(
      '/mkctl/v1',
      adminRouter({...deps.admin, users: usersAdminRouter(auth, deps.registry, deps.resources, deps.clock)}),
    )
  if (deps.metrics) app.use(deps.metrics)

  app.get(['/api', '/apis'], (req, res) => {
    const table = deps.resources()
    const v = wantsAggregated(req.headers.accept)
    const core = req.path === '/api'
    // An aggregated API (metrics-server's metrics.k8s.io) is listed while its backend serves, after the built-in groups.
    const extra = !core && deps.metricsGroups && deps.metricsServing?.() ? deps.metricsGroups : undefined
    if (v) {
      const body = aggregated(table, core, v) as {items?: object[]}
      if (extra && Array.isArray(body.items)) body.items.push(extra.aggregated())
      sendJSON(res, body, aggregatedContentType(v))
      return
    }
    const list = (core ? apiVersions(deps.serverAddress()) : apiGroupList(table)) as {groups?: object[]}
    if (extra && Array.isArray(list.groups)) list.groups.push(extra.legacy())
    sendJSON(res, list)
  })

  app.get(['/openapi/v3', '/openapi/v3/*rest'], (req, res) => {
    const out = openAPIResponse(
      deps.openapi,
      req.originalUrl.replace(/^\/openapi\/v3/, '') || '/',
      req.headers['if-none-match'],
    )
    res.status(out.status)
    for (const [k, v] of Object.entries(out.headers)) res.setHeader(k, v)
    res.end(out.body)
  })

  // kubectl falls back to /openapi/v2 (protobuf only) for kinds the v3 documents do not describe, e.g. a kind no
  // CRD serves; an empty Document lets it go on to report the unknown kind instead of "failed to download openapi".
  app.get('/openapi/v2', (_req, res) => {
    res.status(200).setHeader('Content-Type', 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf')
    res.end(OPENAPI_V2_EMPTY)
  })

  const handlerDeps: HandlerDeps = {
    registry: deps.registry,
    store: deps.registry.store,
    clock: deps.clock,
    schemaFor: (r) => {
      if (r.custom) return customSchema(deps.registry, deps.resources(), r)
      const ref = deps.openapi.schemaFor(r.group, r.version, r.kind)
      if (!ref) return undefined
      const schemas = ((ref.document.components as any)?.schemas ?? {}) as Record<string, any>
      return {schema: ref.schema, resolve: (name) => schemas[name]}
    },
    tableConvertor: (r) => {
      if (!r.custom) return convertorFor(r.group, r.kind)
      const crdR = deps.resources().lookup('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')!
      return customConvertor(deps.registry.tryGet(crdR, undefined, `${r.plural}.${r.group}`), r.version)
    },
    review: (r, body, user) => answerReview(r, body, user, auth),
    ...(deps.streaming ? {streaming: deps.streaming} : {}),
  }

  app.use((req: Request, res: Response) => {
    const table = deps.resources()
    const parsed = parsePath(req.path, table)
    if (parsed.kind === 'resource' && isTokenRequest(req.method, parsed.info)) {
      void serveTokenRequest(req, res, parsed.info, deps.registry, deps.clock, auth.tokens)
      return
    }
    if (parsed.kind === 'resource') {
      void handleResource(req, res, parsed.info, handlerDeps, res.locals.user as UserInfo)
      return
    }
    if (req.method === 'GET' && parsed.kind === 'groupVersion') {
      const list = apiResourceList(table, parsed.group, parsed.version)
      if (list) return sendJSON(res, list)
    }
    if (req.method === 'GET' && parsed.kind === 'group') {
      const g = apiGroupFor(table, parsed.group)
      if (g) return sendJSON(res, g)
    }
    sendError(res, notFoundPath())
  })

  // Whatever escapes a handler still leaves as a Status, never as express's HTML error page.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    sendError(res, err)
  })

  return app
}

/** closeWatches ends every open watch (on shutdown). */
export function closeWatches(app: express.Express): void {
  for (const f of [...(app.locals.watchers as Set<() => void>)]) f()
}
