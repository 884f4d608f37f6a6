// index.ts is the dashboard's always-loaded part: the one-time tickets the admin API hands out, the browser sessions
// they turn into, and the plain-HTTP loopback listener, opened at the first ticket. The pages, the event stream and
// the request view (server.ts and what it imports) load at the listener's first request, so a daemon nobody opens
// the dashboard of pays nothing but this file. Security model: docs/security.md "Dashboard".
import {createHash, randomBytes, timingSafeEqual} from 'node:crypto'
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import type {Cluster} from '../cluster.js'
import type {HostGateway} from '../network/host.js'
import type {LabService} from '../journal/index.js'

/** TICKET_TTL_MS is how long a ticket may wait to be used (real time: the virtual clock can jump). */
export const TICKET_TTL_MS = 60_000

/** SESSION_TTL_MS is how long a browser session lasts after its login (real time). */
export const SESSION_TTL_MS = 12 * 3600_000

/** MAX_TICKETS bounds the tickets waiting at once: older ones are dropped first. */
const MAX_TICKETS = 32

/** DashboardTicket is what the admin API answers to `mkctl cluster dashboard`. */
export interface DashboardTicket {
  /** url is the dashboard's root. */
  url: string
  /** loginURL logs one browser in, once, before expiresAt. */
  loginURL: string
  port: number
  /** expiresAt is the ticket's deadline, RFC 3339 (real time). */
  expiresAt: string
}

/** DashboardDeps are what the pages read: the cluster core, the host gateway (ingress), the lab service. */
export interface DashboardDeps {
  cluster: Cluster
  gateway?: HostGateway
  lab?: LabService
  /** now is real time in ms (tickets and sessions); injectable for tests. */
  now?: () => number
}

/** RequestHandler answers one dashboard request once the session is checked. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void

/** COOKIE_PREFIX names the session cookie; the port is appended, since browsers share cookies across ports. */
export const COOKIE_PREFIX = 'mkctl-dashboard-'

const digest = (s: string) => createHash('sha256').update(s).digest()

/**
 * Dashboard owns the tickets, the sessions and the listener. Only digests of tickets and session ids are kept, so
 * a heap dump or a log line never holds a usable secret.
 */
export class Dashboard {
  private server?: Server
  private listening?: Promise<number>
  private handler?: Promise<{handle: RequestHandler; close(): void}>
  private readonly tickets = new Map<string, number>()
  private readonly sessions = new Map<string, number>()
  private readonly now: () => number

  constructor(private readonly deps: DashboardDeps) {
    this.now = deps.now ?? Date.now
  }

  /** port is the listener's port, or undefined before the first ticket. */
  port(): number | undefined {
    const a = this.server?.address() as AddressInfo | null | undefined
    return a?.port
  }

  /** info is GET /mkctl/v1/dashboard: where the dashboard listens, if it does. */
  info(): {url?: string; port?: number} {
    const port = this.port()
    return port ? {url: `http://127.0.0.1:${port}/`, port} : {}
  }

  /** ticket opens the listener if needed and issues a one-time login ticket. */
  async ticket(): Promise<DashboardTicket> {
    const port = await this.listen()
    const t = randomBytes(32).toString('base64url')
    const expires = this.now() + TICKET_TTL_MS
    this.prune()
    while (this.tickets.size >= MAX_TICKETS) this.tickets.delete(this.tickets.keys().next().value!)
    this.tickets.set(digest(t).toString('hex'), expires)
    const url = `http://127.0.0.1:${port}/`
    return {url, loginURL: `${url}login?ticket=${t}`, port, expiresAt: new Date(expires).toISOString()}
  }

  /** redeem spends a ticket and returns a new session id, or undefined when the ticket is unknown or expired. */
  redeem(ticket: string): string | undefined {
    const key = digest(ticket).toString('hex')
    const expires = this.tickets.get(key)
    this.tickets.delete(key)
    if (expires === undefined || expires < this.now()) return undefined
    const sid = randomBytes(32).toString('base64url')
    this.sessions.set(digest(sid).toString('hex'), this.now() + SESSION_TTL_MS)
    return sid
  }

  /** sessionValid tells whether a cookie's session id is a live session (compared by digest, in constant time). */
  sessionValid(sid: string | undefined): boolean {
    if (!sid) return false
    const d = digest(sid)
    const now = this.now()
    let ok = false
    for (const [k, until] of this.sessions) {
      if (until < now) continue
      if (timingSafeEqual(Buffer.from(k, 'hex'), d)) ok = true
    }
    return ok
  }

  /** cookieName is the session cookie's name on this listener. */
  cookieName(): string {
    return `${COOKIE_PREFIX}${this.port() ?? 0}`
  }

  private prune() {
    const now = this.now()
    for (const [k, until] of this.tickets) if (until < now) this.tickets.delete(k)
    for (const [k, until] of this.sessions) if (until < now) this.sessions.delete(k)
  }

  private listen(): Promise<number> {
    this.listening ??= new Promise<number>((resolve, reject) => {
      const server = createServer((req, res) => this.serve(req, res))
      server.keepAliveTimeout = 5_000
      server.once('error', reject)
      // Loopback only: the listener is never reachable from another machine.
      server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port))
      this.server = server
    })
    return this.listening
  }

  private serve(req: IncomingMessage, res: ServerResponse) {
    this.handler ??= import('./server.js').then((m) => m.createHandler(this, this.deps))
    this.handler.then(
      (h) => h.handle(req, res),
      (e) => {
        res.statusCode = 500
        res.end(`dashboard failed to load: ${(e as Error).message}\n`)
      },
    )
  }

  /** close stops the listener and ends every open page stream. */
  async close(): Promise<void> {
    const h = await this.handler?.catch(() => undefined)
    h?.close()
    const server = this.server
    if (!server) return
    await new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    })
  }
}
