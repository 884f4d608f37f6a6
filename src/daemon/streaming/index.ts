// streaming/ serves the pod subresources that are streams rather than objects: log (chunked HTTP), exec and
// attach (WebSocket, v5.channel.k8s.io). handlers.ts hands plain HTTP requests for these subresources here;
// main.ts hands the server's WebSocket upgrades to attachUpgrades.
import type {IncomingMessage} from 'node:http'
import type {Server} from 'node:https'
import type {Socket} from 'node:net'
import type {Request, Response} from 'express'
import type {Cluster} from '../cluster.js'
import {authFor, type AuthResult} from '../auth/index.js'
import {parsePath, type RequestInfo} from '../apiserver/request.js'
import {refuse, servePortForward} from './portforward.js'
import {serveLog} from './log.js'
import {attachUpgrades, parseStreamRequest} from './exec.js'

/** StreamingDeps are what the stream handlers read: the cluster core (registry, runtime, clock, informers). */
export interface StreamingDeps {
  cluster: Cluster
  token: string
}

/** upgradeAuth authenticates, impersonates and authorizes an upgrade request as the API server does (auth/). */
export function upgradeAuth(req: IncomingMessage, deps: StreamingDeps): AuthResult {
  const c = deps.cluster
  const auth = authFor({
    registry: c.registry,
    resources: c.resources,
    state: c.store,
    adminToken: deps.token,
    now: () => c.clock.now(),
  })
  return auth.check(req.method ?? 'GET', req.url ?? '/', req.headers, req.headersDistinct)
}

/** createStreaming returns handlers.ts's streaming hook: true when it took the request. */
export function createStreaming(deps: StreamingDeps): (req: Request, res: Response, info: RequestInfo) => boolean {
  return (req, res, info) => {
    if (info.resource.plural !== 'pods' || info.group !== '') return false
    if (info.subresource === 'log') {
      void serveLog(req, res, info, deps)
      return true
    }
    return false
  }
}

/** streamUpgrades routes the HTTPS server's upgrade requests (exec, attach, portforward) to their handlers. */
export function streamUpgrades(server: Server, deps: StreamingDeps): void {
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1')
    const parsed = parsePath(url.pathname, deps.cluster.resources())
    if (parsed.kind === 'resource' && parsed.info.subresource === 'portforward')
      return portForwardUpgrade(req, socket, head, parsed.info, deps)
    // exec and attach are answered by exec.ts's listener; any other path takes no upgrade and must not hang open.
    if (parseStreamRequest(req.url ?? '/')) return
    const who = upgradeAuth(req, deps)
    if (who.error) return refuse(socket, who.error.code, who.error.message, who.error.reason)
    refuse(socket, 400, `unable to upgrade: ${url.pathname} does not take an upgrade`)
  })
  attachUpgrades(server, deps)
}

/** portForwardUpgrade checks the token and the pod (kubectl has checked it is Running) before upgrading. */
function portForwardUpgrade(
  req: IncomingMessage,
  socket: Socket,
  head: Buffer,
  info: RequestInfo,
  deps: StreamingDeps,
): void {
  const who = upgradeAuth(req, deps)
  if (who.error) return refuse(socket, who.error.code, who.error.message, who.error.reason)
  if (info.resource.plural !== 'pods' || info.group !== '' || !info.name)
    return refuse(socket, 404, 'the server could not find the requested resource', 'NotFound')
  const pod = deps.cluster.registry.tryGet(info.resource, info.namespace, info.name)
  if (!pod) return refuse(socket, 404, `pods "${info.name}" not found`, 'NotFound')
  servePortForward(req, socket, head, pod, deps)
}
