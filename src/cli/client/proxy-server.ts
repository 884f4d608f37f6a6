// proxy-server.ts is the HTTP server behind `mkctl proxy` (follows kubectl/pkg/proxy/proxy_server.go): a ServeMux with
// the API prefix (requests forwarded to the API server with the kubeconfig's credentials, through a FilterServer that
// refuses exec/attach paths and non-loopback Host headers by default) and, with --www, a static file tree. Responses
// are streamed back as they arrive (watch and follow keep working); upgrade requests (exec, attach, port-forward when
// the filter lets them through) are tunnelled.
import {createReadStream, readdirSync, statSync} from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import type {Duplex} from 'node:stream'
import {posix, resolve as resolvePath, sep} from 'node:path'
import {goDialMessage} from './rest.js'

/** DEFAULT_HOST_ACCEPT_RE is kubectl's DefaultHostAcceptRE: loopback names only. */
export const DEFAULT_HOST_ACCEPT_RE = '^localhost$,^127\\.0\\.0\\.1$,^\\[::1\\]$'
/** DEFAULT_PATH_ACCEPT_RE is kubectl's DefaultPathAcceptRE. */
export const DEFAULT_PATH_ACCEPT_RE = '^.*'
/** DEFAULT_PATH_REJECT_RE is kubectl's DefaultPathRejectRE: exec and attach are refused. */
export const DEFAULT_PATH_REJECT_RE = '^/api/.*/pods/.*/exec,^/api/.*/pods/.*/attach'
/** DEFAULT_METHOD_REJECT_RE is kubectl's DefaultMethodRejectRE (matches only an empty method). */
export const DEFAULT_METHOD_REJECT_RE = '^$'

/** ProxyFilter is kubectl's FilterServer: which paths, hosts and methods the proxy serves. */
export interface ProxyFilter {
  acceptPaths: RegExp[]
  rejectPaths: RegExp[]
  acceptHosts: RegExp[]
  rejectMethods: RegExp[]
}

/** ProxyUpstream is where and how requests are forwarded: the API server and the kubeconfig's credentials. */
export interface ProxyUpstream {
  server: string
  caData?: Buffer
  insecure?: boolean
  tlsServerName?: string
  clientCert?: Buffer
  clientKey?: Buffer
  /** headers are the credential headers (Authorization, Impersonate-*) added when the client sent none. */
  headers: Record<string, string | string[]>
}

/** ProxyServerOptions configure createProxyServer. */
export interface ProxyServerOptions {
  upstream: ProxyUpstream
  /** apiPrefix ends with `/` (the command adds it, as kubectl's Complete does). */
  apiPrefix: string
  /** staticDir, when set, is served under staticPrefix (which ends with `/`). */
  staticDir?: string
  staticPrefix: string
  /** filter guards the API prefix; undefined is --disable-filter. */
  filter?: ProxyFilter
  /** appendServerPath keeps the kubeconfig server URL's path in front of each request path. */
  appendServerPath?: boolean
  /** keepaliveMs is the upstream TCP keep-alive period (0: Node's default). */
  keepaliveMs?: number
  /** onError receives proxying failures (kubectl logs them as klog E-lines). */
  onError?: (message: string) => void
}

/**
 * makeRegexpArray splits a comma-separated list of regular expressions (MakeRegexpArray); an empty string is none.
 * Go's RE2 syntax and JavaScript's agree on everything the defaults and usual values use.
 */
export function makeRegexpArray(list: string): RegExp[] {
  if (list === '') return []
  return list.split(',').map((p) => new RegExp(p))
}

/** filterAccepts is FilterServer.accept: rejected paths and methods first, then accepted path and host. */
export function filterAccepts(f: ProxyFilter, method: string, path: string, host: string): boolean {
  const any = (s: string, res: RegExp[]) => res.some((re) => re.test(s))
  if (any(path, f.rejectPaths)) return false
  if (any(method, f.rejectMethods)) return false
  return any(path, f.acceptPaths) && any(host, f.acceptHosts)
}

/**
 * extractHost is the host of a Host header as net.SplitHostPort gives it: with a port, IPv6 brackets go too
 * (`[::1]:8001` → `::1`, which the default accept-hosts does not match, as in kubectl); without one, the header.
 */
export function extractHost(header: string): string {
  const m = /^\[([^\]]*)\]:([^:]*)$/.exec(header) ?? /^([^:[\]]*):([^:]*)$/.exec(header)
  return m ? m[1]! : header
}

/** cleanPath is Go's ServeMux cleanPath: path.Clean keeping a trailing slash. */
function cleanPath(p: string): string {
  if (p === '') return '/'
  if (!p.startsWith('/')) p = '/' + p
  let np = posix.normalize(p)
  if (np !== '/' && np.endsWith('/') && !p.endsWith('/')) np = np.slice(0, -1)
  return np
}

const HOP_BY_HOP = new Set([
  'connection',
  'proxy-connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
])

/** goError writes net/http's http.Error: a text/plain body of the message and a newline. */
function goError(res: http.ServerResponse, message: string, code: number): void {
  const body = message + '\n'
  res.writeHead(code, {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    'Content-Length': String(Buffer.byteLength(body)),
  })
  res.end(body)
}

/** rawResponse writes a whole HTTP/1.1 response on a socket (for refused upgrade requests). */
function rawResponse(socket: Duplex, code: number, message: string): void {
  const body = message + '\n'
  socket.end(
    `HTTP/1.1 ${code} ${http.STATUS_CODES[code] ?? ''}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `X-Content-Type-Options: nosniff\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  )
}

/** Route is the mux's decision for one request. */
type Route =
  | {kind: 'redirect'; location: string}
  | {kind: 'notfound'}
  | {kind: 'forbidden'}
  | {kind: 'static'; rel: string}
  | {kind: 'api'; rawPath: string}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.gif': 'image/gif',
  '.wasm': 'application/wasm',
  '.xml': 'text/xml; charset=utf-8',
}

/** createProxyServer returns the (not yet listening) HTTP server of `mkctl proxy`. */
export function createProxyServer(o: ProxyServerOptions): http.Server {
  const target = new URL(o.upstream.server)
  const tls = target.protocol === 'https:'
  const agentOpts = {keepAlive: true, ...(o.keepaliveMs ? {keepAliveMsecs: o.keepaliveMs} : {})}
  const agent = tls
    ? new https.Agent({
        ...agentOpts,
        ca: o.upstream.caData,
        rejectUnauthorized: !o.upstream.insecure,
        cert: o.upstream.clientCert,
        key: o.upstream.clientKey,
        servername: o.upstream.tlsServerName,
      })
    : new http.Agent(agentOpts)
  const basePath = o.appendServerPath ? target.pathname.replace(/\/+$/, '') : ''

  const route = (method: string, rawUrl: string, hostHeader: string): Route => {
    const q = rawUrl.indexOf('?')
    const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q)
    const query = q < 0 ? '' : rawUrl.slice(q)
    let path: string
    try {
      path = decodeURIComponent(rawPath)
    } catch {
      return {kind: 'notfound'}
    }
    // ServeMux redirects unclean paths (`//`, `..`) to their clean form before any handler sees them
    const clean = cleanPath(path)
    if (method !== 'CONNECT' && clean !== path) return {kind: 'redirect', location: clean + query}
    const patterns = [o.apiPrefix, ...(o.staticDir ? [o.staticPrefix] : [])]
    let best: string | undefined
    for (const p of patterns) {
      const hit = p.endsWith('/') ? path.startsWith(p) : path === p
      if (hit && (best === undefined || p.length > best.length)) best = p
    }
    if (best === undefined) {
      // a subtree pattern also owns its own name without the slash, by redirect
      const sub = patterns.find((p) => p.endsWith('/') && p.length > 1 && path === p.slice(0, -1))
      return sub ? {kind: 'redirect', location: sub + query} : {kind: 'notfound'}
    }
    if (o.staticDir && best === o.staticPrefix && best !== o.apiPrefix)
      return {kind: 'static', rel: path.slice(best.length)}
    // stripLeaveSlash, unless the prefix starts with /api (then the full path is forwarded)
    let fwdPath = path
    let fwdRaw = rawPath
    if (!o.apiPrefix.startsWith('/api')) {
      const p = path.slice(o.apiPrefix.length)
      const r = rawPath.startsWith(o.apiPrefix) ? rawPath.slice(o.apiPrefix.length) : encodeURI(p)
      fwdPath = p.startsWith('/') ? p : '/' + p
      fwdRaw = r.startsWith('/') ? r : '/' + r
    }
    if (o.filter && !filterAccepts(o.filter, method, fwdPath, extractHost(hostHeader))) return {kind: 'forbidden'}
    return {kind: 'api', rawPath: basePath + fwdRaw + query}
  }

  const upstreamHeaders = (req: http.IncomingMessage, upgrade: boolean): Record<string, string | string[]> => {
    const h: Record<string, string | string[]> = {}
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined || k === 'host') continue
      if (HOP_BY_HOP.has(k) && !(upgrade && (k === 'connection' || k === 'upgrade'))) continue
      h[k] = v
    }
    // client-go's auth round trippers add credentials only when the request carries none
    for (const [k, v] of Object.entries(o.upstream.headers)) {
      if (k.toLowerCase() === 'authorization' && h.authorization !== undefined) continue
      h[k] = v
    }
    const peer = req.socket.remoteAddress
    if (peer && !upgrade) {
      const prior = req.headers['x-forwarded-for']
      h['x-forwarded-for'] = prior ? `${String(prior)}, ${peer}` : peer
    }
    h.host = target.host
    return h
  }

  const send = (method: string, path: string, headers: Record<string, string | string[]>) =>
    (tls ? https : http).request({
      protocol: target.protocol,
      hostname: target.hostname.replace(/^\[|\]$/g, ''),
      port: target.port || (tls ? 443 : 80),
      method,
      path,
      headers,
      agent,
    })

  const fail = (e: NodeJS.ErrnoException): string => {
    const msg = goDialMessage(e, target.host)
    o.onError?.(`Error while proxying request: ${msg}`)
    return msg
  }

  const server = http.createServer((req, res) => {
    const method = req.method ?? 'GET'
    const r = route(method, req.url ?? '/', req.headers.host ?? '')
    switch (r.kind) {
      case 'redirect':
        {
          // http.Redirect: a short HTML body for GET and HEAD
          const body = method === 'GET' || method === 'HEAD' ? `<a href="${r.location}">Moved Permanently</a>.\n\n` : ''
          res.writeHead(301, {
            'Content-Type': 'text/html; charset=utf-8',
            Location: r.location,
            'Content-Length': String(Buffer.byteLength(body)),
          })
          res.end(method === 'HEAD' ? undefined : body)
        }
        return
      case 'notfound':
        goError(res, '404 page not found', 404)
        return
      case 'forbidden':
        goError(res, 'Forbidden', 403)
        return
      case 'static':
        serveStatic(o.staticDir!, r.rel, req, res)
        return
      case 'api': {
        const up = send(method, r.rawPath, upstreamHeaders(req, false))
        up.on('response', (ur) => {
          const headers: Record<string, string | string[]> = {}
          for (const [k, v] of Object.entries(ur.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v
          res.writeHead(ur.statusCode ?? 502, headers)
          // flush each chunk as it comes: watches and followed logs must not wait for the end
          res.flushHeaders()
          ur.pipe(res)
        })
        up.on('error', (e: NodeJS.ErrnoException) => {
          if (res.headersSent) res.destroy()
          else goError(res, fail(e), 500)
        })
        res.on('close', () => {
          if (!res.writableFinished) up.destroy()
        })
        req.pipe(up)
        return
      }
    }
  })

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy())
    const method = req.method ?? 'GET'
    const r = route(method, req.url ?? '/', req.headers.host ?? '')
    if (r.kind === 'forbidden') return rawResponse(socket, 403, 'Forbidden')
    if (r.kind !== 'api') return rawResponse(socket, 404, '404 page not found')
    const up = send(method, r.rawPath, upstreamHeaders(req, true))
    up.on('upgrade', (ur, upSocket, upHead) => {
      let text = `HTTP/1.1 101 Switching Protocols\r\n`
      for (let i = 0; i < ur.rawHeaders.length; i += 2) text += `${ur.rawHeaders[i]}: ${ur.rawHeaders[i + 1]}\r\n`
      socket.write(text + '\r\n')
      if (upHead.length > 0) socket.write(upHead)
      if (head.length > 0) upSocket.write(head)
      upSocket.on('error', () => socket.destroy())
      socket.on('close', () => upSocket.destroy())
      upSocket.on('close', () => socket.destroy())
      upSocket.pipe(socket)
      socket.pipe(upSocket)
    })
    up.on('response', (ur) => {
      // the server refused the upgrade: hand its answer back as is
      let text = `HTTP/1.1 ${ur.statusCode ?? 502} ${ur.statusMessage ?? ''}\r\n`
      for (let i = 0; i < ur.rawHeaders.length; i += 2) {
        if (HOP_BY_HOP.has(ur.rawHeaders[i]!.toLowerCase())) continue
        text += `${ur.rawHeaders[i]}: ${ur.rawHeaders[i + 1]}\r\n`
      }
      socket.write(text + 'Connection: close\r\n\r\n')
      ur.pipe(socket)
    })
    up.on('error', (e: NodeJS.ErrnoException) => rawResponse(socket, 500, fail(e)))
    up.end()
  })
  server.on('close', () => agent.destroy())
  return server
}

/** serveStatic is http.StripPrefix + http.FileServer(http.Dir(base)) for the part of the path after the prefix. */
function serveStatic(base: string, rel: string, req: http.IncomingMessage, res: http.ServerResponse): void {
  const root = resolvePath(base)
  const file = resolvePath(root, '.' + posix.normalize('/' + rel))
  if (file !== root && !file.startsWith(root + sep)) return goError(res, '404 page not found', 404)
  const urlPath = (req.url ?? '/').split('?')[0]!
  let st
  try {
    st = statSync(file)
  } catch {
    return goError(res, '404 page not found', 404)
  }
  // FileServer redirects /index.html to ./, and a directory without its slash to the slashed name
  if (urlPath.endsWith('/index.html')) {
    res.writeHead(301, {Location: './'})
    return void res.end()
  }
  if (st.isDirectory()) {
    if (!urlPath.endsWith('/')) {
      res.writeHead(301, {Location: posix.basename(urlPath) + '/', 'Content-Length': '0'})
      return void res.end()
    }
    try {
      const index = resolvePath(file, 'index.html')
      if (statSync(index).isFile()) return streamFile(index, res)
    } catch {
      // no index.html: list the directory
    }
    let names: string[]
    try {
      names = readdirSync(file, {withFileTypes: true})
        .map((d) => d.name + (d.isDirectory() ? '/' : ''))
        .sort()
    } catch {
      return goError(res, 'Error reading directory', 500)
    }
    const esc = (s: string) =>
      s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;')
    let body = '<!doctype html>\n<meta name="viewport" content="width=device-width">\n<pre>\n'
    for (const n of names) body += `<a href="${encodeURI(n)}">${esc(n)}</a>\n`
    body += '</pre>\n'
    res.writeHead(200, {'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body))})
    return void res.end(body)
  }
  streamFile(file, res)
}

function streamFile(file: string, res: http.ServerResponse): void {
  const type = CONTENT_TYPES[posix.extname(file).toLowerCase()] ?? 'application/octet-stream'
  const size = statSync(file).size
  res.writeHead(200, {'Content-Type': type, 'Content-Length': String(size)})
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res)
}
