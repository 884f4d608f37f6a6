// network/ is the simulated cluster network: CoreDNS-style names, kube-proxy-style service routing (ClusterIP,
// NodePort, round robin over ready endpoints, ClientIP session affinity, named target ports), NetworkPolicy
// enforcement, and delivery of a request to the simulated process listening in a pod. Everything that sends a
// request inside the cluster goes through here: curl/wget/nslookup in the exec shell, port-forward, the ingress
// controller and `mkctl cluster trace`. Every decision is recorded as a hop, so a request's path can be shown.
import type {KubeObject} from '../../api/object.js'
import type {Clock} from '../clock.js'
import type {Informer, Informers} from '../controllers/framework/informer.js'
import type {SimRuntime} from '../runtime/runtime.js'
import type {HttpRequest, HttpResponse} from '../runtime/shell/types.js'
import {allowed, type Peer} from './policy.js'

/** CLUSTER_DOMAIN is the cluster's DNS domain (kubelet --cluster-domain). */
export const CLUSTER_DOMAIN = 'cluster.local'

/** Source is where a connection starts: a pod, a node (host network, NodePort clients, probes) or the host. */
export type Source = {pod: KubeObject} | {node: string} | {external: string}

/** Hop is one decision on a request's way, for traces. */
export interface Hop {
  step: 'dns' | 'node' | 'service' | 'endpoint' | 'policy' | 'pod' | 'container' | 'ingress'
  detail: string
}

/** Failure says why a connection did not reach a process, in terms a client reports. */
export type Failure =
  /** resolve: no such name (curl 6). */
  | {error: 'resolve'; host: string}
  /** refused: nothing listens, or a service without endpoints (kube-proxy REJECTs) (curl 7). */
  | {error: 'refused'; host: string; port: number}
  /** timeout: dropped: a NetworkPolicy, an address nobody owns, a service port that does not exist (curl 28). */
  | {error: 'timeout'; host: string; port: number}
  /** dnsTimeout: the pod may not reach the cluster DNS (an egress policy without port 53). */
  | {error: 'dnsTimeout'; host: string}

/** Connection is a connection that reached a listening process. */
export interface Connection {
  pod: KubeObject
  container: string
  port: number
  /** ip is the pod IP the connection reached. */
  ip: string
  /** clientIP is the source address the process sees. */
  clientIP: string
}

/** Outcome is a connection attempt's result with the hops on its way. */
export type Outcome<T> = ({ok: true} & T & {hops: Hop[]}) | ({ok: false} & Failure & {hops: Hop[]})

/**
 * HttpHandler may answer a request that reached a pod instead of the pod's process: the ingress controller's proxy
 * is one (the simulated nginx process would only know its default 404 page).
 */
export type HttpHandler = (c: Connection, req: HttpRequest, src: Source) => HttpResponse | undefined

/** Answer is a DNS answer: the canonical name and its addresses (a CNAME for ExternalName services). */
export interface Answer {
  name: string
  ips: string[]
  cname?: string
}

/** NetworkDeps are the cluster parts the network reads. */
export interface NetworkDeps {
  informers: Informers
  runtime: SimRuntime
  clock: Clock
}

const NODE_PORT_MIN = 30000
const NODE_PORT_MAX = 32767

interface ServicePort {
  name?: string
  port: number
  targetPort?: number | string
  nodePort?: number
  protocol?: string
}

interface Endpoint {
  ip: string
  port: number
  pod?: KubeObject
  hostname?: string
}

function spec(o: KubeObject): Record<string, any> {
  return (o.spec ?? {}) as Record<string, any>
}

function status(o: KubeObject): Record<string, any> {
  return (o.status ?? {}) as Record<string, any>
}

/** ClusterNetwork answers name lookups and carries connections between pods, nodes and services. */
export class ClusterNetwork {
  private readonly pods: Informer
  private readonly services: Informer
  private readonly slices: Informer
  private readonly policies: Informer
  private readonly namespaces: Informer
  private readonly nodes: Informer
  /** next is the round-robin position per service port ("ns/name:port"). */
  private readonly next = new Map<string, number>()
  /** affinity remembers ClientIP session affinity: "ns/name:port|clientIP" → endpoint ip and expiry. */
  private readonly affinity = new Map<string, {ip: string; until: number}>()
  private readonly handlers: HttpHandler[] = []
  /** active collects the hops of the request being answered, so a handler's own requests join its trace. */
  private active?: Hop[]

  constructor(private readonly d: NetworkDeps) {
    const inf = d.informers
    this.pods = inf.for('pods')
    this.services = inf.for('services')
    this.slices = inf.for('discovery.k8s.io/endpointslices')
    this.policies = inf.for('networking.k8s.io/networkpolicies')
    this.namespaces = inf.for('namespaces')
    this.nodes = inf.for('nodes')
    this.pods.addIndex('podIP', (o) => {
      const ip = status(o).podIP as string | undefined
      return ip && !spec(o).hostNetwork ? [ip] : []
    })
    this.services.addIndex('clusterIP', (o) => {
      const ip = spec(o).clusterIP as string | undefined
      return ip && ip !== 'None' ? [ip] : []
    })
    this.slices.addIndex('service', (o) => {
      const svc = o.metadata?.labels?.['kubernetes.io/service-name']
      return svc ? [`${o.metadata?.namespace}/${svc}`] : []
    })
  }

  // ---- DNS -------------------------------------------------------------------------------------------------------

  /** searchPath is a pod's resolv.conf search list (ClusterFirst DNS policy). */
  searchPath(namespace: string): string[] {
    return [`${namespace}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN]
  }

  /**
   * resolve looks a name up as a pod in namespace would: with fewer than 5 dots (ndots:5) the search path is tried
   * first, then the name as given. IP literals resolve to themselves.
   */
  resolve(name: string, namespace = 'default'): Answer | undefined {
    const n = name.replace(/\.$/, '').toLowerCase()
    if (/^\d+\.\d+\.\d+\.\d+$/.test(n)) return {name: n, ips: [n]}
    const absolute = name.endsWith('.')
    const dots = n.split('.').length - 1
    const candidates = absolute
      ? [n]
      : dots >= 5
        ? [n, ...this.searchPath(namespace).map((s) => `${n}.${s}`)]
        : [...this.searchPath(namespace).map((s) => `${n}.${s}`), n]
    for (const c of candidates) {
      const a = this.lookupFqdn(c)
      if (a) return a
    }
    return undefined
  }

  /** lookupFqdn answers one fully qualified name (CoreDNS's kubernetes plugin records). */
  lookupFqdn(fqdn: string): Answer | undefined {
    const suffix = `.${CLUSTER_DOMAIN}`
    if (!fqdn.endsWith(suffix)) return undefined
    const labels = fqdn.slice(0, -suffix.length).split('.')
    // <svc>.<ns>.svc and <hostname>.<svc>.<ns>.svc
    if (labels.at(-1) === 'svc' && (labels.length === 3 || labels.length === 4)) {
      const [svcName, ns] = labels.length === 3 ? [labels[0]!, labels[1]!] : [labels[1]!, labels[2]!]
      const svc = this.services.get(ns, svcName)
      if (!svc) return undefined
      const s = spec(svc)
      if (labels.length === 4) {
        const host = labels[0]!
        const ep = this.endpoints(svc).find((e) => e.hostname === host)
        return ep ? {name: fqdn, ips: [ep.ip]} : undefined
      }
      if (s.type === 'ExternalName') {
        const target = String(s.externalName ?? '')
        const inner = this.lookupFqdn(target.replace(/\.$/, ''))
        return {name: fqdn, cname: target, ips: inner?.ips ?? []}
      }
      if (s.clusterIP === 'None') {
        const ips = [...new Set(this.endpoints(svc).map((e) => e.ip))]
        return ips.length ? {name: fqdn, ips} : undefined
      }
      return s.clusterIP ? {name: fqdn, ips: [s.clusterIP]} : undefined
    }
    // <a-b-c-d>.<ns>.pod
    if (labels.length === 3 && labels[2] === 'pod') {
      const ip = labels[0]!.replaceAll('-', '.')
      return /^\d+\.\d+\.\d+\.\d+$/.test(ip) ? {name: fqdn, ips: [ip]} : undefined
    }
    return undefined
  }

  // ---- routing ---------------------------------------------------------------------------------------------------

  /** connect opens a TCP connection from src to host:port: DNS, service routing, policies, a listening process. */
  connect(src: Source, host: string, port: number, hops: Hop[] = []): Outcome<Connection> {
    const fail = (f: Failure): Outcome<Connection> => ({ok: false, ...f, hops})
    const ns = 'pod' in src ? (src.pod.metadata?.namespace ?? 'default') : 'default'
    if ('pod' in src && !this.dnsReachable(src.pod) && !/^\d+\.\d+\.\d+\.\d+$/.test(host)) {
      hops.push({step: 'dns', detail: `${host}: the pod's egress policies drop DNS queries to kube-dns`})
      return fail({error: 'dnsTimeout', host})
    }
    const answer = this.resolve(host, ns)
    if (!answer || answer.ips.length === 0) {
      hops.push({step: 'dns', detail: `${host}: no such name (NXDOMAIN)`})
      return fail({error: 'resolve', host})
    }
    const ip = answer.ips[0]!
    if (answer.name !== host)
      hops.push({step: 'dns', detail: `${host} → ${answer.cname ? `${answer.cname} → ` : ''}${ip}`})
    const clientIP = this.sourceIP(src)

    // A ClusterIP, or a node's address on a NodePort: kube-proxy picks an endpoint.
    let svc = this.services.byIndex('clusterIP', ip)[0]
    let svcPort: ServicePort | undefined
    if (svc) {
      svcPort = (spec(svc).ports as ServicePort[] | undefined)?.find(
        (p) => p.port === port && (p.protocol ?? 'TCP') === 'TCP',
      )
      if (!svcPort) {
        hops.push({
          step: 'service',
          detail: `service ${svc.metadata?.namespace}/${svc.metadata?.name} has no port ${port}`,
        })
        return fail({error: 'timeout', host, port})
      }
    } else if (this.isNodeIP(ip) && port >= NODE_PORT_MIN && port <= NODE_PORT_MAX) {
      for (const s of this.services.list()) {
        const p = (spec(s).ports as ServicePort[] | undefined)?.find((sp) => sp.nodePort === port)
        if (p) {
          svc = s
          svcPort = p
          hops.push({
            step: 'node',
            detail: `${ip}:${port} is the NodePort of service ${s.metadata?.namespace}/${s.metadata?.name}`,
          })
          break
        }
      }
    }
    let target: Endpoint | undefined
    if (svc && svcPort) {
      const key = `${svc.metadata?.namespace}/${svc.metadata?.name}`
      const eps = this.endpoints(svc, svcPort)
      if (eps.length === 0) {
        hops.push({step: 'service', detail: `service ${key} port ${svcPort.port} has no ready endpoints`})
        return fail({error: 'refused', host, port})
      }
      target = this.pick(svc, svcPort, eps, clientIP)
      hops.push({
        step: 'service',
        detail: `service ${key} ${svcPort.name ? `port ${svcPort.name} ` : ''}${svcPort.port} → ${eps.length} ready endpoint${eps.length === 1 ? '' : 's'}`,
      })
      hops.push({
        step: 'endpoint',
        detail: `${target.ip}:${target.port}${target.pod ? ` (pod ${target.pod.metadata?.name})` : ''}`,
      })
    } else {
      const pod = this.podByIP(ip)
      if (!pod) {
        hops.push({step: 'pod', detail: `no pod or service owns ${ip}`})
        return fail({error: 'timeout', host, port})
      }
      target = {ip, port, pod}
    }
    const pod = target.pod ?? this.podByIP(target.ip)
    if (!pod) return fail({error: 'timeout', host, port})
    hops.push({
      step: 'pod',
      detail: `${pod.metadata?.namespace}/${pod.metadata?.name} on node ${spec(pod).nodeName ?? '<none>'}`,
    })

    const verdict = allowed(
      {policies: (n) => this.policies.list(n)},
      this.peer(src, clientIP),
      {ip: target.ip, pod, namespaceLabels: this.namespaceLabels(pod.metadata?.namespace ?? '')},
      target.port,
    )
    if (!verdict.allowed) {
      hops.push({step: 'policy', detail: `dropped by ${verdict.side} policy ${verdict.by?.join(', ')}`})
      return fail({error: 'timeout', host, port})
    }
    const container = this.listener(pod, target.port)
    if (!container) {
      hops.push({step: 'container', detail: `nothing listens on port ${target.port}`})
      return fail({error: 'refused', host, port})
    }
    hops.push({step: 'container', detail: `${container} listening on ${target.port}`})
    return {ok: true, pod, container, port: target.port, ip: target.ip, clientIP, hops}
  }

  /** note adds a hop to the request being answered (a handler's own decision, such as an ingress rule). */
  note(hop: Hop): void {
    this.active?.push(hop)
  }

  /** addHttpHandler installs a handler consulted before a pod's process; the returned function removes it. */
  addHttpHandler(h: HttpHandler): () => void {
    this.handlers.push(h)
    return () => {
      const i = this.handlers.indexOf(h)
      if (i >= 0) this.handlers.splice(i, 1)
    }
  }

  /** http sends an HTTP request over connect(); the serving process answers and writes its access log. */
  http(
    src: Source,
    host: string,
    port: number,
    req: Omit<HttpRequest, 'clientIP'>,
  ): Outcome<{response: HttpResponse; connection: Connection}> {
    const c = this.connect(src, host, port, this.active ?? [])
    if (!c.ok) return c
    const full = {...req, clientIP: c.clientIP}
    const {hops: _h, ok: _o, ...conn} = c
    let response: HttpResponse | undefined
    const outer = this.active
    this.active = c.hops
    try {
      for (const h of this.handlers) if ((response = h(conn, full, src))) break
    } finally {
      this.active = outer
    }
    const inst = this.d.runtime.instance(c.pod.metadata?.uid ?? '', c.container)
    response ??= inst?.http(c.port, full, this.d.clock.now())
    if (!response) {
      c.hops.push({step: 'container', detail: `${c.container} does not speak HTTP on ${c.port}`})
      return {ok: false, error: 'refused', host, port, hops: c.hops}
    }
    const {hops, ok: _ok, ...connection} = c
    return {ok: true, response, connection, hops}
  }

  // ---- helpers ---------------------------------------------------------------------------------------------------

  /** endpoints lists a service's ready endpoints (for one service port, or any port when none is given). */
  endpoints(svc: KubeObject, svcPort?: ServicePort): Endpoint[] {
    const key = `${svc.metadata?.namespace}/${svc.metadata?.name}`
    const publishNotReady = spec(svc).publishNotReadyAddresses === true
    const out: Endpoint[] = []
    for (const slice of this.slices.byIndex('service', key)) {
      const ports = (slice as unknown as {ports?: {name?: string; port?: number}[]}).ports ?? []
      const port = svcPort ? ports.find((p) => (p.name ?? '') === (svcPort.name ?? ''))?.port : ports[0]?.port
      if (svcPort && port === undefined) continue
      const eps = (slice as unknown as {endpoints?: any[]}).endpoints ?? []
      for (const e of eps) {
        if (e.conditions?.ready === false && !publishNotReady) continue
        const podRef =
          e.targetRef?.kind === 'Pod'
            ? this.pods.get(e.targetRef.namespace ?? svc.metadata?.namespace, e.targetRef.name)
            : undefined
        for (const ip of e.addresses ?? [])
          out.push({
            ip,
            port: port ?? 0,
            ...(podRef ? {pod: podRef} : {}),
            ...(e.hostname ? {hostname: e.hostname} : {}),
          })
      }
    }
    return out.sort((a, b) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : a.port - b.port))
  }

  private pick(svc: KubeObject, p: ServicePort, eps: Endpoint[], clientIP: string): Endpoint {
    const key = `${svc.metadata?.namespace}/${svc.metadata?.name}:${p.port}`
    const now = this.d.clock.now()
    const s = spec(svc)
    if (s.sessionAffinity === 'ClientIP') {
      const timeout = (s.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800) * 1000
      const stuck = this.affinity.get(`${key}|${clientIP}`)
      const ep = stuck && stuck.until > now ? eps.find((e) => e.ip === stuck.ip) : undefined
      const chosen = ep ?? this.roundRobin(key, eps)
      this.affinity.set(`${key}|${clientIP}`, {ip: chosen.ip, until: now + timeout})
      return chosen
    }
    return this.roundRobin(key, eps)
  }

  private roundRobin(key: string, eps: Endpoint[]): Endpoint {
    const i = this.next.get(key) ?? 0
    this.next.set(key, (i + 1) % eps.length)
    return eps[i % eps.length]!
  }

  /** podByIP finds the running pod that owns an address. */
  podByIP(ip: string): KubeObject | undefined {
    return this.pods.byIndex('podIP', ip).find((p) => !p.metadata?.deletionTimestamp || status(p).phase === 'Running')
  }

  private isNodeIP(ip: string): boolean {
    return this.nodes
      .list()
      .some((n) => (status(n).addresses as {address: string}[] | undefined)?.some((a) => a.address === ip))
  }

  private nodeIP(node: string): string {
    const n = this.nodes.get(undefined, node)
    const a = (status(n ?? {}).addresses as {type: string; address: string}[] | undefined)?.find(
      (x) => x.type === 'InternalIP',
    )
    return a?.address ?? '192.168.49.2'
  }

  private sourceIP(src: Source): string {
    if ('pod' in src) return String(status(src.pod).podIP ?? '')
    if ('node' in src) return this.nodeIP(src.node)
    return src.external
  }

  private peer(src: Source, ip: string): Peer {
    if ('pod' in src)
      return {ip, pod: src.pod, namespaceLabels: this.namespaceLabels(src.pod.metadata?.namespace ?? '')}
    return {ip}
  }

  private namespaceLabels(ns: string): Record<string, string> {
    const labels = this.namespaces.get(undefined, ns)?.metadata?.labels ?? {}
    // The apiserver labels every namespace with its name (kubernetes.io/metadata.name).
    return {'kubernetes.io/metadata.name': ns, ...labels}
  }

  /** dnsReachable says whether a pod's egress policies let it reach a cluster DNS pod on UDP 53. */
  private dnsReachable(pod: KubeObject): boolean {
    const dns = this.services.get('kube-system', 'kube-dns')
    const eps = dns ? this.endpoints(dns) : []
    if (eps.length === 0) return true
    const src = {
      ip: String(status(pod).podIP ?? ''),
      pod,
      namespaceLabels: this.namespaceLabels(pod.metadata?.namespace ?? ''),
    }
    return eps.some(
      (e) =>
        allowed(
          {policies: (n) => this.policies.list(n)},
          src,
          {ip: e.ip, ...(e.pod ? {pod: e.pod} : {}), namespaceLabels: this.namespaceLabels('kube-system')},
          53,
          'UDP',
        ).allowed,
    )
  }

  /** listener finds the container of a pod whose process listens on port now. */
  private listener(pod: KubeObject, port: number): string | undefined {
    const uid = pod.metadata?.uid ?? ''
    const now = this.d.clock.now()
    const names = [
      ...((spec(pod).containers ?? []) as {name: string}[]),
      ...((spec(pod).initContainers ?? []) as {name: string; restartPolicy?: string}[]).filter(
        (c) => c.restartPolicy === 'Always',
      ),
    ].map((c) => c.name)
    return names.find((n) => this.d.runtime.instance(uid, n)?.listening(port, now))
  }
}
