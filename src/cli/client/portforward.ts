// portforward.ts is the client side of a pod's portforward subresource (client-go tools/portforward): one SPDY/3.1
// connection (an upgraded HTTPS request); every local TCP connection becomes an error stream and a data stream that
// share a requestid and the remote port. (kubectl 1.32 prefers SPDY tunnelled in a WebSocket, but its subprotocol
// name is not a valid RFC 6455 token and the ws client refuses it; the plain upgrade is kubectl's own fallback.)
import type {Socket} from 'node:net'
import http from 'node:http'
import https from 'node:https'
import {SpdyConnection, type Frame} from '../../api/spdy.js'
import {impersonationHeaders, type RestClient} from './rest.js'

/** ForwardedConnection reports how one local connection ended: an error text from the kubelet, or none. */
export type ForwardError = (port: number, remotePort: number, message: string) => void

interface Pending {
  socket: Socket
  localPort: number
  remotePort: number
  errorStream: number
  dataStream: number
  errorText: string
}

/** PortForwarder is an open tunnel to one pod. */
export class PortForwarder {
  readonly spdy: SpdyConnection
  private nextStream = 1
  private nextRequest = 0
  private readonly streams = new Map<number, Pending>()
  private closedResolve!: (lost: boolean) => void
  /** closed resolves when the tunnel ends: true when the server dropped it (the pod is gone), false on close(). */
  readonly closed: Promise<boolean> = new Promise((r) => (this.closedResolve = r))
  private ending = false

  private constructor(
    private readonly conn: Socket,
    private readonly onError: ForwardError,
  ) {
    this.spdy = new SpdyConnection(
      (b) => !conn.destroyed && conn.write(b),
      (f) => this.frame(f),
      () => conn.destroy(),
    )
    conn.on('data', (d: Buffer) => this.spdy.receive(d))
    conn.on('close', () => {
      this.spdy.close()
      for (const p of this.streams.values()) p.socket.destroy()
      this.closedResolve(!this.ending)
    })
    conn.on('error', () => undefined)
  }

  /**
   * dial upgrades `POST …/pods/{name}/portforward` to SPDY/3.1 with the client's credentials (client-go's SPDY
   * transport; the daemon also serves the WebSocket-tunnelled variant kubectl prefers).
   */
  static dial(rest: RestClient, namespace: string, pod: string, onError: ForwardError): Promise<PortForwarder> {
    const c = rest.config
    const url = new URL(rest.url(`/api/v1/namespaces/${namespace}/pods/${pod}/portforward`))
    const headers: Record<string, string | string[]> = {
      ...impersonationHeaders(c.impersonate),
      Connection: 'Upgrade',
      Upgrade: 'SPDY/3.1',
      'X-Stream-Protocol-Version': 'portforward.k8s.io',
    }
    if (url.protocol === 'https:') {
      if (c.token) headers.Authorization = `Bearer ${c.token}`
      else if (c.username)
        headers.Authorization = 'Basic ' + Buffer.from(`${c.username}:${c.password ?? ''}`).toString('base64')
    }
    const options = {
      method: 'POST',
      headers,
      ...(c.caData ? {ca: c.caData} : {}),
      ...(c.clientCert ? {cert: c.clientCert} : {}),
      ...(c.clientKey ? {key: c.clientKey} : {}),
      ...(c.tlsServerName ? {servername: c.tlsServerName} : {}),
      rejectUnauthorized: !c.insecure,
      agent: false as const,
    }
    const req = url.protocol === 'https:' ? https.request(url, options) : http.request(url, options)
    return new Promise((resolve, reject) => {
      req.once('upgrade', (_res, socket: Socket, head: Buffer) => {
        const pf = new PortForwarder(socket, onError)
        if (head.length) pf.spdy.receive(head)
        resolve(pf)
      })
      req.once('response', (res) => {
        let body = ''
        res.on('data', (d: Buffer) => (body += d))
        res.on('end', () => {
          let message = body
          try {
            message = (JSON.parse(body) as {message?: string}).message ?? body
          } catch {
            // not a Status
          }
          reject(new Error(`error upgrading connection: ${message}`))
        })
      })
      req.once('error', reject)
      req.end()
    })
  }

  /** forward carries one accepted local connection to remotePort on the pod. */
  forward(socket: Socket, localPort: number, remotePort: number): void {
    const requestid = String(this.nextRequest++)
    const errorStream = this.nextStream
    const dataStream = this.nextStream + 2
    this.nextStream += 4
    const p: Pending = {socket, localPort, remotePort, errorStream, dataStream, errorText: ''}
    this.streams.set(errorStream, p)
    this.streams.set(dataStream, p)
    const headers = {port: String(remotePort), requestid}
    void this.spdy.synStream(errorStream, {streamtype: 'error', ...headers})
    void this.spdy.data(errorStream, Buffer.alloc(0), true)
    void this.spdy.synStream(dataStream, {streamtype: 'data', ...headers})
    socket.on('data', (d: Buffer) => void this.spdy.data(dataStream, d))
    socket.on('end', () => void this.spdy.data(dataStream, Buffer.alloc(0), true))
    socket.on('error', () => undefined)
    socket.on('close', () => {
      if (this.streams.delete(dataStream)) void this.spdy.rstStream(dataStream)
      this.streams.delete(errorStream)
    })
  }

  private frame(f: Frame): void {
    if (f.type === 'ping') {
      void this.spdy.ping(f.id)
      return
    }
    if (f.type !== 'data') return
    const p = this.streams.get(f.streamId)
    if (!p) return
    if (f.streamId === p.errorStream) {
      p.errorText += f.data.toString('utf8')
      if (f.fin && p.errorText) {
        this.onError(p.localPort, p.remotePort, p.errorText)
        p.socket.destroy()
      }
      return
    }
    if (f.data.length) p.socket.write(f.data)
    if (f.fin) p.socket.end()
  }

  /** close ends the tunnel. */
  close(): void {
    this.ending = true
    void this.spdy.goaway().then(() => this.conn.end())
  }
}
