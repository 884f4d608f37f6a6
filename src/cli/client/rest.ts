// rest.ts is mkctl's HTTP(S) client for the Kubernetes API, on node:http/node:https with a keep-alive agent.
// Follows client-go/rest (request.go transformResponse/newUnstructuredResponseError, config.go): JSON in and out,
// non-2xx answers become StatusError (from the Status body, or worded as apimachinery's NewGenericServerResponse for
// other bodies), the bearer token is sent only over TLS, Warning headers are handed to a handler, and 429/5xx with
// Retry-After are retried up to 10 times.
import http from 'node:http'
import https from 'node:https'
import {finished} from 'node:stream'
import {StatusError, type Status} from '../../api/errors.js'
import {ConnectionError} from '../errors.js'
import {NOP_KLOG, type Klog} from './klog.js'

/** MKCTL_VERSION is the Kubernetes version mkctl speaks (kubectl 1.32). */
export const MKCTL_VERSION = 'v1.32.4'

/** RestConfig is what a RestClient needs to reach one API server. */
export interface RestConfig {
  server: string
  caData?: Buffer
  token?: string
  insecure?: boolean
  tlsServerName?: string
  clientCert?: Buffer
  clientKey?: Buffer
  username?: string
  password?: string
  userAgent?: string
  /** timeoutMs is --request-timeout (0 or undefined: none). */
  timeoutMs?: number
  /** headers are added to every request (Kubectl-Command, Kubectl-Session). */
  headers?: Record<string, string>
  /** impersonate sends Impersonate-* headers (--as, --as-group, --as-uid), after headers. */
  impersonate?: Impersonate
  klog?: Klog
  /** onWarning receives each `Warning:` response header's text (kubectl prints `Warning: <text>` on stderr). */
  onWarning?: (text: string) => void
  /** sleep is injectable so retry tests do not wait. */
  sleep?: (ms: number) => Promise<void>
}

/** Query is a request's query parameters; undefined values are left out, arrays repeat the key. */
export type Query = Record<string, string | number | boolean | undefined | string[]>

/** RequestOptions are the per-request knobs. */
export interface RequestOptions {
  query?: Query
  /** body is sent as JSON unless it is a string or Buffer. */
  body?: unknown
  contentType?: string
  accept?: string
  signal?: AbortSignal
  timeoutMs?: number
}

/** RawResponse is an answer before decoding. */
export interface RawResponse {
  status: number
  statusText: string
  headers: http.IncomingHttpHeaders
  body: Buffer
}

/** ACCEPT_TABLE is the Accept kubectl's `get` sends for human-readable output (kubectl-api.md §2.1). */
export const ACCEPT_TABLE =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json'
/** ACCEPT_DEFAULT is client-go's default REST client Accept. */
export const ACCEPT_DEFAULT = 'application/json, */*'

/** buildQuery renders a query string (with leading `?`, or empty). */
export function buildQuery(q: Query | undefined): string {
  if (!q) return ''
  const parts: string[] = []
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined) continue
    for (const one of Array.isArray(v) ? v : [v])
      parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(one))}`)
  }
  return parts.length > 0 ? '?' + parts.join('&') : ''
}

/** resourceOfPath finds the resource (with group) and name a request path addresses, for generic error messages. */
export function resourceOfPath(path: string): {resource: string; name: string} {
  const segs = path.split('?')[0].split('/').filter(Boolean)
  let rest: string[]
  let group = ''
  if (segs[0] === 'api') rest = segs.slice(2)
  else if (segs[0] === 'apis') {
    group = segs[1] ?? ''
    rest = segs.slice(3)
  } else return {resource: '', name: ''}
  if (rest[0] === 'namespaces' && rest.length >= 3) rest = rest.slice(2)
  const plural = rest[0] ?? ''
  return {resource: plural && group ? `${plural}.${group}` : plural, name: rest[1] ?? ''}
}

/** genericStatus words a non-Status error answer as apimachinery's NewGenericServerResponse does. */
export function genericStatus(code: number, method: string, path: string, serverMessage: string): Status {
  let reason = ''
  let message = `the server responded with the status code ${code} but did not return more information`
  switch (code) {
    case 409:
      reason = method === 'POST' ? 'AlreadyExists' : 'Conflict'
      message = 'the server reported a conflict'
      break
    case 404:
      reason = 'NotFound'
      message = 'the server could not find the requested resource'
      break
    case 400:
      reason = 'BadRequest'
      message = 'the server rejected our request for an unknown reason'
      break
    case 401:
      reason = 'Unauthorized'
      message = 'the server has asked for the client to provide credentials'
      break
    case 403:
      reason = 'Forbidden'
      message = serverMessage
      break
    case 406:
      reason = 'NotAcceptable'
      message = serverMessage
      break
    case 415:
      reason = 'UnsupportedMediaType'
      message = serverMessage
      break
    case 405:
      reason = 'MethodNotAllowed'
      message = 'the server does not allow this method on the requested resource'
      break
    case 422:
      reason = 'Invalid'
      message = 'the server rejected our request due to an error in our request'
      break
    case 503:
      reason = 'ServiceUnavailable'
      message = 'the server is currently unable to handle the request'
      break
    case 504:
      reason = 'Timeout'
      message =
        'the server was unable to return a response in the time allotted, but may still be processing the request'
      break
    case 429:
      reason = 'TooManyRequests'
      message = 'the server has received too many requests and has asked us to try again later'
      break
    default:
      if (code >= 500) {
        reason = 'InternalError'
        message = `an error on the server (${JSON.stringify(serverMessage)}) has prevented the request from succeeding`
      }
  }
  const {resource, name} = resourceOfPath(path)
  if (resource && name) message = `${message} (${method.toLowerCase()} ${resource} ${name})`
  else if (resource) message = `${message} (${method.toLowerCase()} ${resource})`
  const st: Status = {kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code}
  if (reason) st.reason = reason
  st.details = {causes: [{reason: 'UnexpectedServerResponse', message: serverMessage}]}
  if (resource) st.details.kind = resource.split('.')[0]
  if (name) st.details.name = name
  return st
}

/** decodeError turns a non-2xx answer into a StatusError (client-go transformResponse). */
export function decodeError(method: string, path: string, res: RawResponse): StatusError {
  const text = res.body.toString('utf8')
  try {
    const parsed = JSON.parse(text) as Partial<Status>
    if (parsed && parsed.kind === 'Status' && parsed.status !== 'Success') {
      return new StatusError({...(parsed as Status), code: parsed.code || res.status})
    }
  } catch {
    // not JSON: worded from the HTTP status below
  }
  const ct = String(res.headers['content-type'] ?? '')
  const serverMessage = /^text\//.test(ct) || ct === '' ? text.trim() : 'unknown'
  return new StatusError(genericStatus(res.status, method, path, serverMessage))
}

/** goDialMessage words a socket error as Go's net package would, for kubectl-identical messages. */
export function goDialMessage(err: NodeJS.ErrnoException, host: string): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return `dial tcp ${host}: connect: connection refused`
    case 'ECONNRESET':
      return `read tcp ${host}: read: connection reset by peer`
    case 'ENOTFOUND':
      return `dial tcp: lookup ${host.replace(/:\d+$/, '')}: no such host`
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return 'tls: failed to verify certificate: x509: certificate signed by unknown authority'
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `tls: failed to verify certificate: x509: certificate is valid for other names, not ${host.replace(/:\d+$/, '')}`
    default:
      return err.message
  }
}

/** RestClient sends requests to one API server. */
export class RestClient {
  readonly base: URL
  private agent: http.Agent
  private klog: Klog

  constructor(readonly config: RestConfig) {
    this.base = new URL(config.server)
    this.klog = config.klog ?? NOP_KLOG
    const tls = this.base.protocol === 'https:'
    this.agent = tls
      ? new https.Agent({
          keepAlive: true,
          ca: config.caData,
          rejectUnauthorized: !config.insecure,
          cert: config.clientCert,
          key: config.clientKey,
          servername: config.tlsServerName,
        })
      : new http.Agent({keepAlive: true})
  }

  /** url joins the server URL (and any path prefix it has) with path and query. */
  url(path: string, query?: Query): string {
    const prefix = this.base.pathname.replace(/\/+$/, '')
    return `${this.base.protocol}//${this.base.host}${prefix}${path}${buildQuery(query)}`
  }

  private headers(opts: RequestOptions, body: Buffer | undefined): Record<string, string | string[]> {
    const h: Record<string, string | string[]> = {
      Accept: opts.accept ?? 'application/json',
      'User-Agent':
        this.config.userAgent ??
        `mkctl/${MKCTL_VERSION} (${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch})`,
      ...this.config.headers,
      ...impersonationHeaders(this.config.impersonate),
    }
    if (body) {
      h['Content-Type'] = opts.contentType ?? 'application/json'
      h['Content-Length'] = String(body.length)
    }
    // client-go sends credentials only over TLS (clientcmd client_config.go "only try to read the auth information if we are secure").
    if (this.base.protocol === 'https:') {
      if (this.config.token) h.Authorization = `Bearer ${this.config.token}`
      else if (this.config.username)
        h.Authorization =
          'Basic ' + Buffer.from(`${this.config.username}:${this.config.password ?? ''}`).toString('base64')
    }
    return h
  }

  /** open sends a request and resolves with the response stream once headers arrive (used by watch and logs). */
  open(method: string, path: string, opts: RequestOptions = {}): Promise<http.IncomingMessage> {
    const url = this.url(path, opts.query)
    const body = encodeBody(opts.body)
    const headers = this.headers(opts, body)
    const started = Date.now()
    this.klog.info(7, 'round_trippers.go:470', `${method} ${url}`)
    if (this.klog.v >= 7) {
      this.klog.info(7, 'round_trippers.go:476', 'Request Headers:')
      for (const [k, vs] of Object.entries(headers)) {
        if (k === 'Content-Length') continue
        for (const v of Array.isArray(vs) ? vs : [vs]) {
          this.klog.info(
            7,
            'round_trippers.go:480',
            `    ${k}: ${k === 'Authorization' ? v.replace(/ .*/, ' <masked>') : v}`,
          )
        }
      }
    }
    const mod = this.base.protocol === 'https:' ? https : http
    return new Promise((resolve, reject) => {
      const timeoutMs = opts.timeoutMs ?? this.config.timeoutMs
      const req = mod.request(url, {method, headers, agent: this.agent, signal: opts.signal}, (res) => {
        const ms = Date.now() - started
        this.klog.info(
          6,
          'round_trippers.go:560',
          `${method} ${url} ${res.statusCode} ${res.statusMessage ?? ''} in ${ms} milliseconds`,
        )
        for (const w of warnings(res.headers.warning)) this.config.onWarning?.(w)
        resolve(res)
      })
      if (timeoutMs && timeoutMs > 0) {
        req.setTimeout(timeoutMs, () => {
          req.destroy(
            Object.assign(new Error('context deadline exceeded (Client.Timeout exceeded while awaiting headers)'), {
              code: 'ETIMEDOUT_CLIENT',
            }),
          )
        })
      }
      req.on('error', (e: NodeJS.ErrnoException) => {
        if (e.name === 'AbortError') return reject(e)
        const host = this.base.host
        const msg = goDialMessage(e, host)
        this.klog.info(6, 'round_trippers.go:560', `${method} ${url}  in ${Date.now() - started} milliseconds`)
        reject(new ConnectionError(url, method, Object.assign(new Error(msg), {code: e.code})))
      })
      req.end(body)
    })
  }

  /** raw sends a request and reads the whole answer; retries 429/5xx that carry Retry-After (client-go checkWait). */
  async raw(method: string, path: string, opts: RequestOptions = {}): Promise<RawResponse> {
    for (let attempt = 1; ; attempt++) {
      const res = await this.open(method, path, opts)
      const out: RawResponse = {
        status: res.statusCode ?? 0,
        statusText: res.statusMessage ?? '',
        headers: res.headers,
        body: await readBody(res),
      }
      const retryAfter = Number(res.headers['retry-after'])
      if (
        (out.status === 429 || out.status >= 500) &&
        Number.isInteger(retryAfter) &&
        retryAfter >= 0 &&
        attempt < 10
      ) {
        await (this.config.sleep ?? defaultSleep)(retryAfter * 1000)
        continue
      }
      return out
    }
  }

  /** request sends a request and decodes the JSON answer; non-2xx throws StatusError. */
  async request<T = unknown>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    return decodeBody(await this.requestBody(method, path, opts)) as T
  }

  /**
   * requestBody is request without the decoding: the 2xx answer's bytes, so that a caller can look at part of them
   * (get's paging reads the continue token and asks for the next page before it decodes the rows).
   */
  async requestBody(method: string, path: string, opts: RequestOptions = {}): Promise<Buffer> {
    const res = await this.raw(method, path, opts)
    if (res.status < 200 || res.status > 299) {
      const err = decodeError(method, path, res)
      if (this.klog.v >= 6 && res.body.length > 0)
        this.klog.info(6, 'helpers.go:246', `server response object: [${res.body.toString('utf8')}]`)
      throw err
    }
    return res.body
  }

  /** get, post, put, patch, delete: request with the method named. */
  get<T = unknown>(path: string, opts?: RequestOptions): Promise<T> {
    return this.request<T>('GET', path, opts)
  }
  post<T = unknown>(path: string, body: unknown, opts: RequestOptions = {}): Promise<T> {
    return this.request<T>('POST', path, {...opts, body})
  }
  put<T = unknown>(path: string, body: unknown, opts: RequestOptions = {}): Promise<T> {
    return this.request<T>('PUT', path, {...opts, body})
  }
  /** patch sends body with contentType one of application/{strategic-merge-patch,merge-patch,json-patch}+json, apply-patch+yaml. */
  patch<T = unknown>(path: string, body: unknown, contentType: string, opts: RequestOptions = {}): Promise<T> {
    return this.request<T>('PATCH', path, {...opts, body, contentType})
  }
  delete<T = unknown>(path: string, opts?: RequestOptions): Promise<T> {
    return this.request<T>('DELETE', path, opts)
  }

  /** close drops idle keep-alive sockets. */
  close(): void {
    this.agent.destroy()
  }
}

/** decodeBody is request's decoding of a 2xx answer: JSON, or the text when it is not JSON, or undefined when empty. */
export function decodeBody(body: Buffer): unknown {
  if (body.length === 0) return undefined
  const text = body.toString('utf8')
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

// readBody collects a response. Data events and finished() (which rejects as `for await` would: the stream's error
// or a premature close) rather than the async iterator, whose promise per chunk showed in the profile of a 100k-row
// list.
function readBody(res: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    res.on('data', (c: Buffer) => chunks.push(c))
    finished(res, {writable: false}, (err) => (err ? reject(err) : resolve(Buffer.concat(chunks))))
  })
}

function encodeBody(body: unknown): Buffer | undefined {
  if (body === undefined) return undefined
  if (Buffer.isBuffer(body)) return body
  if (typeof body === 'string') return Buffer.from(body)
  return Buffer.from(JSON.stringify(body))
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

/** Impersonate is client-go's ImpersonationConfig: the identity requests act as. */
export interface Impersonate {
  user?: string
  groups?: string[]
  uid?: string
}

/**
 * impersonationHeaders are the headers of client-go's impersonating round tripper (transport/round_trippers.go):
 * Impersonate-User, Impersonate-Uid, and one Impersonate-Group line per group.
 */
export function impersonationHeaders(imp: Impersonate | undefined): Record<string, string | string[]> {
  if (!imp) return {}
  const h: Record<string, string | string[]> = {}
  if (imp.user) h['Impersonate-User'] = imp.user
  if (imp.uid) h['Impersonate-Uid'] = imp.uid
  if (imp.groups?.length) h['Impersonate-Group'] = imp.groups.length === 1 ? imp.groups[0]! : [...imp.groups]
  return h
}

/** warnings extracts the texts of `Warning: 299 - "text"` headers (RFC 7234, as client-go's warning handler does). */
export function warnings(h: string | string[] | undefined): string[] {
  if (!h) return []
  const out: string[] = []
  for (const v of Array.isArray(h) ? h : [h]) {
    const re = /\s*(\d{3})\s+(\S+)\s+"((?:[^"\\]|\\.)*)"(?:\s+"[^"]*")?\s*(?:,|$)/g
    let m: RegExpExecArray | null
    let any = false
    while ((m = re.exec(v)) !== null) {
      any = true
      if (m[1] === '299') out.push(m[3].replace(/\\(.)/g, '$1'))
    }
    if (!any) continue
  }
  return out
}
