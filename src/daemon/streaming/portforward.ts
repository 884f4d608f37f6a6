// portforward.ts serves .../pods/{name}/portforward: SPDY/3.1 streams tunnelled in a WebSocket
// (`SPDY/3.1+portforward.k8s.io`, kubectl 1.31+'s default) or spoken directly after an `Upgrade: SPDY/3.1`
// (kubectl's fallback). Each forwarded connection is a pair of streams (error, data) sharing a requestid and a port;
// the data stream's bytes are HTTP that the pod's simulated process answers, as the kubelet would connect to
// localhost:PORT inside the pod's network namespace (so NetworkPolicies do not apply, and the server sees 127.0.0.1).
import {createServer, type IncomingMessage, type Server as HttpServer} from 'node:http'
import type {Socket} from 'node:net'
import {Duplex} from 'node:stream'
import {WebSocketServer, type WebSocket} from 'ws'
import type {KubeObject} from '../../api/object.js'
import {SpdyConnection, type Frame} from '../../api/spdy.js'
import type {StreamingDeps} from './index.js'

/** PORTFORWARD_WS_PROTOCOL is the WebSocket subprotocol of the tunnelled SPDY transport. */
export const PORTFORWARD_WS_PROTOCOL = 'SPDY/3.1+portforward.k8s.io'

interface Pair {
  port: number
  errorStream?: number
  dataStream?: number
  socket?: Duplex
  done?: boolean
}

/** Transport carries SPDY bytes: a WebSocket or the raw upgraded socket. */
interface Transport {
  send(b: Buffer): void
  close(): void
}

const wss = new WebSocketServer({noServer: true, perMessageDeflate: false})

/** servePortForward takes an upgrade request for a pod's portforward subresource (already authenticated). */
export function servePortForward(
  req: IncomingMessage,
  socket: Socket,
  head: Buffer,
  pod: KubeObject,
  deps: StreamingDeps,
): void {
  const wsProtocols = String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((s) => s.trim())
  const upgrade = String(req.headers.upgrade ?? '').toLowerCase()
  if (upgrade === 'websocket') {
    if (!wsProtocols.includes(PORTFORWARD_WS_PROTOCOL)) {
      refuse(socket, 400, 'unable to upgrade: no supported subprotocol was requested')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const t: Transport = {
        send: (b) => ws.readyState === ws.OPEN && ws.send(b, {binary: true}),
        close: () => ws.close(1000),
      }
      const session = new PortForwardSession(t, pod, deps)
      ws.on('message', (data: Buffer) => session.receive(data))
      ws.on('close', () => session.close())
      ws.on('error', () => session.close())
    })
    return
  }
  if (upgrade === 'spdy/3.1') {
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\n\r\n',
    )
    const t: Transport = {send: (b) => !socket.destroyed && socket.write(b), close: () => socket.end()}
    const session = new PortForwardSession(t, pod, deps)
    if (head.length) session.receive(head)
    socket.on('data', (d: Buffer) => session.receive(d))
    socket.on('close', () => session.close())
    socket.on('error', () => session.close())
    return
  }
  refuse(socket, 400, 'unable to upgrade: missing upgrade headers in request')
}

/** refuse answers an upgrade request with a Status and closes the socket. */
export function refuse(socket: Socket, code: number, message: string, reason = 'BadRequest'): void {
  const body = JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  })
  const text = {400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found'}[code] ?? 'Error'
  socket.end(
    `HTTP/1.1 ${code} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  )
}

/** PortForwardSession is one kubectl port-forward connection: many forwarded TCP connections over SPDY streams. */
class PortForwardSession {
  private readonly spdy: SpdyConnection
  private readonly pairs = new Map<string, Pair>()
  private readonly byStream = new Map<number, Pair>()
  private readonly http: HttpServer
  private closed = false
  private readonly stopWatch: () => void

  constructor(
    private readonly t: Transport,
    private readonly pod: KubeObject,
    private readonly deps: StreamingDeps,
  ) {
    // The forwarder lives in the pod's sandbox: when the pod goes away (or is replaced by one of the same name), the
    // connection drops and kubectl reports that it lost the pod.
    const c = deps.cluster
    const pods = c.resources().lookup('', 'v1', 'pods')!
    const ns = pod.metadata?.namespace
    this.stopWatch = c.registry.watch(pods, ns, {resourceVersion: String(c.store.currentRevision())}, (e) => {
      if (e.object.metadata?.uid !== pod.metadata?.uid) return
      if (e.type === 'DELETED' || e.object.metadata?.deletionTimestamp) queueMicrotask(() => this.lost())
    })
    this.spdy = new SpdyConnection(
      (b) => t.send(b),
      (f) => this.frame(f),
      () => this.close(),
    )
    // One in-memory HTTP server parses what curl or a browser sends through the tunnel; no port is opened.
    this.http = createServer({keepAlive: true}, (req, res) => {
      const port = (req.socket as unknown as {forwardPort: number}).forwardPort
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const answer = this.answer(port, req, Buffer.concat(chunks).toString('utf8'))
        res.writeHead(answer.status, answer.headers)
        res.end(answer.body)
      })
    })
  }

  receive(b: Buffer): void {
    if (!this.closed) this.spdy.receive(b)
  }

  /** lost ends the whole connection because the pod is gone. */
  private lost(): void {
    if (this.closed) return
    this.t.close()
    this.close()
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.stopWatch()
    for (const p of this.pairs.values()) p.socket?.destroy()
    this.spdy.close()
    this.http.close()
  }

  private async frame(f: Frame): Promise<void> {
    switch (f.type) {
      case 'synStream': {
        const port = Number(f.headers.port)
        const key = `${f.headers.requestid ?? f.streamId}`
        let pair = this.pairs.get(key)
        if (!pair) this.pairs.set(key, (pair = {port}))
        this.byStream.set(f.streamId, pair)
        await this.spdy.synReply(f.streamId)
        if (f.headers.streamtype === 'error') pair.errorStream = f.streamId
        else if (f.headers.streamtype === 'data') pair.dataStream = f.streamId
        if (pair.errorStream !== undefined && pair.dataStream !== undefined) this.open(pair)
        return
      }
      case 'data': {
        const pair = this.byStream.get(f.streamId)
        if (!pair || f.streamId !== pair.dataStream) return
        if (f.data.length) pair.socket?.push(f.data)
        if (f.fin) pair.socket?.push(null)
        return
      }
      case 'rstStream': {
        const pair = this.byStream.get(f.streamId)
        if (pair) this.finish(pair)
        return
      }
      case 'ping':
        await this.spdy.ping(f.id)
        return
      case 'goaway':
        this.t.close()
        return
      default:
    }
  }

  /** open connects a stream pair to the pod's port, or reports on the error stream why it cannot. */
  private open(pair: Pair): void {
    const problem = this.unreachable(pair.port)
    if (problem) {
      void this.spdy.data(pair.errorStream!, Buffer.from(problem), true)
      void this.spdy.data(pair.dataStream!, Buffer.alloc(0), true)
      pair.done = true
      return
    }
    const spdy = this.spdy
    const socket = new Duplex({
      read() {},
      write(chunk: Buffer, _enc, cb) {
        void spdy.data(pair.dataStream!, chunk)
        cb()
      },
      final(cb) {
        void spdy.data(pair.dataStream!, Buffer.alloc(0), true)
        cb()
      },
    })
    // http.Server expects a net.Socket: the few members it touches on a connection.
    Object.assign(socket, {
      forwardPort: pair.port,
      remoteAddress: '127.0.0.1',
      remotePort: 0,
      encrypted: false,
      setTimeout: () => socket,
      setNoDelay: () => socket,
      setKeepAlive: () => socket,
    })
    pair.socket = socket
    this.http.emit('connection', socket)
  }

  private finish(pair: Pair): void {
    if (pair.done) return
    pair.done = true
    pair.socket?.destroy()
    if (pair.errorStream !== undefined) void this.spdy.data(pair.errorStream, Buffer.alloc(0), true)
  }

  /** unreachable says why nothing can answer on port (the kubelet's error text), or undefined. */
  private unreachable(port: number): string | undefined {
    const c = this.deps.cluster
    const uid = this.pod.metadata?.uid ?? ''
    const names = ((this.pod.spec as {containers?: {name: string}[]})?.containers ?? []).map((x) => x.name)
    const now = c.clock.now()
    if (names.some((n) => c.runtime.instance(uid, n)?.listening(port, now))) return undefined
    const sandbox = uid.replaceAll('-', '').padEnd(64, '0').slice(0, 64)
    return (
      `error forwarding port ${port} to pod ${sandbox}, uid : failed to execute portforward in network namespace ` +
      `"/var/run/netns/cni-${uid}": failed to connect to localhost:${port} inside namespace "${sandbox}", ` +
      `IPv4: dial tcp4 127.0.0.1:${port}: connect: connection refused IPv6 dial tcp6 [::1]:${port}: connect: connection refused `
    )
  }

  /** answer lets the container listening on port serve one HTTP request. */
  private answer(
    port: number,
    req: IncomingMessage,
    body: string,
  ): {status: number; headers: Record<string, string>; body: string} {
    const c = this.deps.cluster
    const uid = this.pod.metadata?.uid ?? ''
    const now = c.clock.now()
    const headers: Record<string, string> = {}
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v
    for (const n of ((this.pod.spec as {containers?: {name: string}[]})?.containers ?? []).map((x) => x.name)) {
      const inst = c.runtime.instance(uid, n)
      const res = inst?.http(
        port,
        {
          method: req.method ?? 'GET',
          path: req.url ?? '/',
          ...(req.headers.host ? {host: req.headers.host} : {}),
          headers,
          clientIP: '127.0.0.1',
          body,
        },
        now,
      )
      if (res) return {status: res.status, headers: res.headers ?? {}, body: res.body}
    }
    // A listener that does not speak HTTP (redis, postgres): the client sees the connection close.
    return {status: 502, headers: {}, body: ''}
  }
}
