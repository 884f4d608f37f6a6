// host.ts makes NodePort and LoadBalancer services reachable from the host without sudo: for `mkctl cluster service
// NAME --url` (and the ingress addon) the daemon opens a loopback listener per service port (on the NodePort's own
// number when it is free), and carries each request into the cluster as if it reached the first node's address on
// the NodePort (kube-proxy's path from outside). HTTPS ports terminate TLS here with the certificate of the Ingress
// whose `tls.hosts` names the requested server (SNI), else a self-signed default, as ingress-nginx does.
import {createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import {createServer as createHttpsServer} from 'node:https'
import type {AddressInfo} from 'node:net'
import {createSecureContext, type SecureContext} from 'node:tls'
import {notFound, badRequest} from '../../api/errors.js'
import type {KubeObject} from '../../api/object.js'
import type {Cluster} from '../cluster.js'
import {resolveResource} from '../controllers/framework/informer.js'

/** HOST_CLIENT_IP is the address requests from the host come from, as the node sees them (the docker bridge). */
export const HOST_CLIENT_IP = '192.168.49.1'

interface ServicePort {
  name?: string
  port: number
  nodePort?: number
  appProtocol?: string
}

/** ServiceURL is one port of a service reachable from the host. */
export interface ServiceURL {
  namespace: string
  name: string
  port: ServicePort
  url: string
}

interface Listening {
  server: Server
  port: number
  tls: boolean
}

/** HostGateway owns the loopback listeners of services. */
export class HostGateway {
  private readonly listeners = new Map<string, Listening>()
  private defaultCert?: Promise<{cert: string; key: string}>

  constructor(private readonly cluster: Cluster) {}

  /** serviceURLs opens (or reuses) a listener for every port of a NodePort or LoadBalancer service. */
  async serviceURLs(namespace: string, name: string): Promise<ServiceURL[]> {
    const svc = this.cluster.registry.tryGet(resolveResource(this.cluster.resources(), 'services'), namespace, name)
    if (!svc) throw notFound({group: '', plural: 'services'}, name)
    const spec = (svc.spec ?? {}) as {type?: string; ports?: ServicePort[]}
    const ports = (spec.ports ?? []).filter((p) => p.nodePort)
    if (spec.type !== 'NodePort' && spec.type !== 'LoadBalancer')
      throw badRequest(`service ${namespace}/${name} has no node port`)
    if (ports.length === 0) throw badRequest(`service ${namespace}/${name} has no node port`)
    const out: ServiceURL[] = []
    for (const p of ports) {
      const tls = p.port === 443 || p.appProtocol === 'https' || p.name === 'https'
      const l = await this.listen(`${namespace}/${name}/${p.nodePort}`, p.nodePort!, tls)
      out.push({namespace, name, port: p, url: `${tls ? 'https' : 'http'}://127.0.0.1:${l.port}`})
    }
    return out
  }

  /**
   * tunnelUp is one round of `mkctl cluster tunnel` (minikube tunnel): every LoadBalancer service gets 127.0.0.1 as
   * its ingress address (kubectl shows it as EXTERNAL-IP) and host listeners for its ports.
   */
  async tunnelUp(): Promise<{namespace: string; name: string; urls: string[]}[]> {
    const out: {namespace: string; name: string; urls: string[]}[] = []
    for (const svc of this.loadBalancers()) {
      const ns = svc.metadata?.namespace ?? 'default'
      const name = svc.metadata?.name ?? ''
      const lb = (svc.status as {loadBalancer?: {ingress?: {ip?: string}[]}})?.loadBalancer?.ingress
      if (!(lb?.length === 1 && lb[0]?.ip === '127.0.0.1'))
        this.cluster.manager
          .context()
          .client.mutate(
            'services',
            ns,
            name,
            (o) => ({...o, status: {...(o.status ?? {}), loadBalancer: {ingress: [{ip: '127.0.0.1', ipMode: 'VIP'}]}}}),
            {subresource: 'status'},
          )
      const urls = await this.serviceURLs(ns, name)
      out.push({namespace: ns, name, urls: urls.map((u) => u.url)})
    }
    await this.cluster.manager.settle()
    return out
  }

  /** tunnelDown ends the tunnel: LoadBalancer services lose their address again, and their listeners close. */
  async tunnelDown(): Promise<void> {
    for (const svc of this.loadBalancers()) {
      const ns = svc.metadata?.namespace ?? 'default'
      const name = svc.metadata?.name ?? ''
      this.cluster.manager
        .context()
        .client.mutate('services', ns, name, (o) => ({...o, status: {...(o.status ?? {}), loadBalancer: {}}}), {
          subresource: 'status',
        })
      await this.closeService(ns, name)
    }
    await this.cluster.manager.settle()
  }

  private loadBalancers(): KubeObject[] {
    return this.cluster.registry
      .list(resolveResource(this.cluster.resources(), 'services'), undefined)
      .items.filter((s) => (s.spec as {type?: string})?.type === 'LoadBalancer')
  }

  /** nodePortFor maps a host listener's port back to the NodePort it serves (for traces of host URLs). */
  nodePortFor(localPort: number): {nodePort: number; tls: boolean} | undefined {
    for (const [k, l] of this.listeners)
      if (l.port === localPort) return {nodePort: Number(k.split('/')[2]), tls: l.tls}
    return undefined
  }

  /** nodeAddress is the first node's address, where host traffic enters the cluster. */
  nodeAddress(): string {
    return this.nodeIP()
  }

  /** close stops every listener. */
  async close(): Promise<void> {
    const all = [...this.listeners.values()]
    this.listeners.clear()
    await Promise.all(
      all.map(
        (l) =>
          new Promise<void>((resolve) => {
            l.server.close(() => resolve())
            l.server.closeAllConnections()
          }),
      ),
    )
  }

  /** closeService stops the listeners of one service (it was deleted, or its addon disabled). */
  async closeService(namespace: string, name: string): Promise<void> {
    for (const [k, l] of this.listeners) {
      if (!k.startsWith(`${namespace}/${name}/`)) continue
      this.listeners.delete(k)
      await new Promise<void>((resolve) => {
        l.server.close(() => resolve())
        l.server.closeAllConnections()
      })
    }
  }

  private async listen(key: string, nodePort: number, tls: boolean): Promise<Listening> {
    const have = this.listeners.get(key)
    if (have) return have
    const handler = (req: IncomingMessage, res: ServerResponse) => this.forward(req, res, nodePort)
    const server = tls
      ? createHttpsServer(
          {...(await this.fallbackCert()), SNICallback: (name, cb) => cb(null, this.contextFor(name))},
          handler,
        )
      : createHttpServer(handler)
    server.keepAliveTimeout = 5_000
    // The NodePort's own number when it is free, so the URL reads like minikube's; any free port otherwise.
    const port = await new Promise<number>((resolve, reject) => {
      const tryPort = (p: number) => {
        server.once('error', (e: NodeJS.ErrnoException) =>
          p !== 0 && e.code === 'EADDRINUSE' ? tryPort(0) : reject(e),
        )
        server.listen(p, '127.0.0.1', () => resolve((server.address() as AddressInfo).port))
      }
      tryPort(nodePort)
    })
    const l = {server, port, tls}
    this.listeners.set(key, l)
    return l
  }

  // TLS (for https ports) has ended here: the cluster sees the decrypted request arrive on the NodePort.
  private forward(req: IncomingMessage, res: ServerResponse, nodePort: number): void {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const headers: Record<string, string> = {}
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v
      const body = Buffer.concat(chunks).toString('utf8')
      const out = this.cluster.network.http({external: HOST_CLIENT_IP}, this.nodeIP(), nodePort, {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        ...(req.headers.host ? {host: req.headers.host} : {}),
        headers,
        ...(body ? {body} : {}),
      })
      if (!out.ok) {
        // The connection reached nothing: the client sees it reset, as a dropped or refused NodePort would look.
        req.socket.destroy()
        return
      }
      res.writeHead(out.response.status, out.response.headers ?? {})
      res.end(req.method === 'HEAD' ? undefined : out.response.body)
    })
  }

  private nodeIP(): string {
    const nodes = this.cluster.registry.list(resolveResource(this.cluster.resources(), 'nodes'), undefined).items
    const first = nodes.sort((a, b) =>
      String(a.metadata?.creationTimestamp).localeCompare(String(b.metadata?.creationTimestamp)),
    )[0]
    const addrs = (first?.status as {addresses?: {type: string; address: string}[]})?.addresses ?? []
    return addrs.find((a) => a.type === 'InternalIP')?.address ?? '192.168.49.2'
  }

  private contextFor(servername: string): SecureContext | undefined {
    const ingresses = this.cluster.manager.informers.for('networking.k8s.io/ingresses').list()
    for (const ing of ingresses) {
      const tlsList = (ing.spec as {tls?: {hosts?: string[]; secretName?: string}[]})?.tls ?? []
      const entry = tlsList.find((t) => t.secretName && (t.hosts ?? []).includes(servername))
      if (!entry) continue
      const secret: KubeObject | undefined = this.cluster.registry.tryGet(
        resolveResource(this.cluster.resources(), 'secrets'),
        ing.metadata?.namespace,
        entry.secretName!,
      )
      const data = (secret?.data ?? {}) as Record<string, string>
      if (!data['tls.crt'] || !data['tls.key']) continue
      try {
        return createSecureContext({
          cert: Buffer.from(data['tls.crt'], 'base64'),
          key: Buffer.from(data['tls.key'], 'base64'),
        })
      } catch {
        // A broken secret: ingress-nginx falls back to its default certificate.
      }
    }
    return undefined
  }

  private fallbackCert(): Promise<{cert: string; key: string}> {
    this.defaultCert ??= import('../tls.js')
      .then(({generateTLS}) => generateTLS())
      .then((t) => ({cert: t.cert, key: t.key}))
    return this.defaultCert
  }
}
