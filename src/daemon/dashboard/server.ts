// server.ts answers the dashboard's requests (loaded at the listener's first request): the Host check (DNS
// rebinding), the login that turns a ticket into an HttpOnly SameSite=Strict cookie, the session check, the pages,
// the static script and style, and /stream: Server-Sent Events fed by a store watch (not polling), telling the page
// which kinds of objects changed and carrying new Events as rendered rows. Every page is read-only: nothing here
// writes to the cluster, so a forged cross-site request has nothing to change.
import type {IncomingMessage, ServerResponse} from 'node:http'
import type {StoreEvent} from '../storage/store.js'
import {APP_CSS, APP_JS} from './assets.js'
import type {Dashboard, DashboardDeps, RequestHandler} from './index.js'
import {page, renderPage, type PageContext} from './pages.js'
import {escapeHTML, eventRow} from './views.js'

/** LIVE_PLURALS are the stored kinds whose changes the pages redraw on (leases and heartbeats are left out). */
const LIVE_PLURALS = new Set([
  'pods',
  'nodes',
  'deployments',
  'replicasets',
  'services',
  'endpointslices',
  'ingresses',
  'statefulsets',
  'daemonsets',
])

/** HEARTBEAT_MS is how often an idle stream sends a comment, so proxies and the browser keep it open. */
const HEARTBEAT_MS = 25_000

/** CSP allows only the dashboard's own script and style: no inline script, nothing from elsewhere. */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

function securityHeaders(res: ServerResponse) {
  res.setHeader('Content-Security-Policy', CSP)
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('X-Frame-Options', 'DENY')
  res.setHeader('Referrer-Policy', 'no-referrer')
  res.setHeader('Cache-Control', 'no-store')
}

function cookieOf(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=')
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim()
  }
  return undefined
}

function send(res: ServerResponse, status: number, type: string, body: string) {
  res.statusCode = status
  res.setHeader('Content-Type', type)
  res.end(body)
}

/** refused is the page for a request without a session: how to get in, nothing else. */
function refused(res: ServerResponse, why: string) {
  send(
    res,
    401,
    'text/html; charset=utf-8',
    `<!doctype html><html><head><meta charset="utf-8"><title>mkctl dashboard</title></head><body><h1>401 Unauthorized</h1><p>${escapeHTML(why)}</p><p>Run <code>mkctl cluster dashboard</code> and open the URL it prints.</p></body></html>\n`,
  )
}

/** createHandler builds the request handler of one dashboard. */
export function createHandler(d: Dashboard, deps: DashboardDeps): {handle: RequestHandler; close(): void} {
  const streams = new Set<() => void>()
  const {cluster} = deps

  const stream = (req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
    })
    res.write('retry: 1000\n\n')
    const write = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
    const onEvent = (e: StoreEvent) => {
      // /registry/<group>/<plural>/<namespace>/<name> (cluster-scoped: no namespace)
      const parts = e.key.split('/')
      const plural = parts[3] ?? ''
      if (plural === 'events') {
        if (e.type !== 'DELETED') write('k8s-event', {html: eventRow(e.object, cluster.clock.now())})
        return
      }
      if (!LIVE_PLURALS.has(plural)) return
      // A node's status changes at every heartbeat; only readiness and schedulability matter to the pages.
      if (plural === 'nodes' && e.type === 'MODIFIED' && nodeFace(e.object) === nodeFace(e.prev)) return
      write('change', {plural, type: e.type, rev: e.rev})
    }
    const stop = cluster.store.watch('/registry/', cluster.store.currentRevision(), onEvent)
    write('hello', {rev: cluster.store.currentRevision()})
    const beat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS)
    beat.unref()
    const end = () => {
      if (!streams.delete(end)) return
      clearInterval(beat)
      stop()
      res.end()
    }
    streams.add(end)
    req.on('close', end)
  }

  const handle: RequestHandler = (req, res) => {
    securityHeaders(res)
    const port = d.port()
    // DNS rebinding: a page of another site that makes its own name resolve to 127.0.0.1 sends its own Host.
    const host = (req.headers.host ?? '').toLowerCase()
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      send(res, 421, 'text/plain; charset=utf-8', 'misdirected request\n')
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD')
      send(res, 405, 'text/plain; charset=utf-8', 'the dashboard is read-only\n')
      return
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`)
    if (url.pathname === '/login') {
      const sid = d.redeem(url.searchParams.get('ticket') ?? '')
      if (!sid) {
        refused(res, 'This login link is unknown, used already or expired (links last 60 seconds and work once).')
        return
      }
      // No Secure attribute: the listener is plain HTTP on loopback (see docs/security.md).
      res.setHeader('Set-Cookie', `${d.cookieName()}=${sid}; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200`)
      res.statusCode = 303
      res.setHeader('Location', '/')
      res.end()
      return
    }
    if (!d.sessionValid(cookieOf(req, d.cookieName()))) {
      refused(res, 'You are not logged in to this dashboard.')
      return
    }
    if (url.pathname === '/assets/app.js') return send(res, 200, 'text/javascript; charset=utf-8', APP_JS)
    if (url.pathname === '/assets/app.css') return send(res, 200, 'text/css; charset=utf-8', APP_CSS)
    if (url.pathname === '/stream') return stream(req, res)
    const ctx: PageContext = {deps, url, fragment: req.headers['x-fragment'] === '1'}
    renderPage(ctx).then(
      (out) => {
        if (!out) return send(res, 404, 'text/html; charset=utf-8', page(ctx, 'Not found', '', '<p>No such page.</p>'))
        send(res, out.status ?? 200, out.type ?? 'text/html; charset=utf-8', out.body)
      },
      (e) => {
        const msg = (e as {status?: {message?: string}})?.status?.message ?? (e as Error).message
        const code = (e as {status?: {code?: number}})?.status?.code ?? 500
        send(res, code, 'text/html; charset=utf-8', page(ctx, 'Error', '', `<p class="bad">${escapeHTML(msg)}</p>`))
      },
    )
  }
  return {
    handle,
    close() {
      for (const end of [...streams]) end()
    },
  }
}

function nodeFace(n: any): string {
  const ready = (n?.status?.conditions ?? []).find((c: any) => c.type === 'Ready')?.status
  return `${ready}/${n?.spec?.unschedulable ?? false}/${JSON.stringify(n?.spec?.taints ?? [])}`
}
