// trace.ts is `mkctl cluster trace`: it sends one simulated request (from the host, from a pod, or to a Service from a
// node) and reports every decision on its way — NodePort, ingress rule, DNS, service, endpoint, NetworkPolicy, pod on
// node, container — with the answer. The request is a real one in the simulation: the serving process logs it.
import {badRequest, notFound} from '../../api/errors.js'
import type {KubeObject} from '../../api/object.js'
import {CONTROLLER_NAME, INGRESS_NAMESPACE} from '../addons/ingress.js'
import type {Cluster} from '../cluster.js'
import {resolveResource} from '../controllers/framework/informer.js'
import {HOST_CLIENT_IP, type HostGateway} from './host.js'
import type {Hop, Source} from './index.js'

/** TraceRequest says what to send: a URL (from the host, or from a pod with `from`), or a Service's port. */
export interface TraceRequest {
  url?: string
  service?: {namespace: string; name: string; port?: number}
  from?: {namespace: string; pod: string}
  method?: string
  path?: string
}

/** TraceResult is the request's path and outcome. */
export interface TraceResult {
  request: string
  origin: string
  hops: Hop[]
  response?: {status: number; bytes: number; pod: string; container: string; body: string}
  error?: string
}

function parseURL(raw: string): URL {
  try {
    return new URL(/^[a-z]+:\/\//i.test(raw) ? raw : `http://${raw}`)
  } catch {
    throw badRequest(`invalid URL "${raw}"`)
  }
}

/** trace sends the request and collects its hops. */
export function trace(cluster: Cluster, gateway: HostGateway, req: TraceRequest): TraceResult {
  const res = (ref: string) => resolveResource(cluster.resources(), ref)
  const method = req.method ?? 'GET'
  let src: Source
  let host: string
  let port: number
  let path = req.path ?? '/'
  let hostHeader: string
  let origin: string
  const hops: Hop[] = []
  if (req.service) {
    const svc = cluster.registry.tryGet(res('services'), req.service.namespace, req.service.name)
    if (!svc) throw notFound({group: '', plural: 'services'}, req.service.name)
    const ports = (svc.spec as {ports?: {port: number}[]})?.ports ?? []
    port = req.service.port ?? ports[0]?.port ?? 80
    host = `${req.service.name}.${req.service.namespace}.svc.cluster.local`
    hostHeader = host
    const node = cluster.registry.list(res('nodes'), undefined).items[0]?.metadata?.name ?? 'mkctl'
    src = {node}
    origin = `node ${node}`
  } else if (req.url) {
    const u = parseURL(req.url)
    path = req.path ?? `${u.pathname}${u.search}`
    hostHeader = u.host
    const tls = u.protocol === 'https:'
    const urlPort = u.port ? Number(u.port) : tls ? 443 : 80
    if (req.from) {
      const pod = cluster.registry.tryGet(res('pods'), req.from.namespace, req.from.pod) as KubeObject | undefined
      if (!pod) throw notFound({group: '', plural: 'pods'}, req.from.pod)
      src = {pod}
      host = u.hostname
      port = urlPort
      origin = `pod ${req.from.namespace}/${req.from.pod}`
    } else {
      src = {external: HOST_CLIENT_IP}
      origin = 'the host'
      const local = u.hostname === '127.0.0.1' || u.hostname === 'localhost' ? gateway.nodePortFor(urlPort) : undefined
      if (local) {
        host = gateway.nodeAddress()
        port = local.nodePort
        hops.push({
          step: 'node',
          detail: `127.0.0.1:${urlPort} is mkctl's host listener for NodePort ${local.nodePort}`,
        })
      } else if (/^\d+\.\d+\.\d+\.\d+$/.test(u.hostname)) {
        host = u.hostname
        port = urlPort
      } else {
        // A name from the host: it reaches the cluster through the ingress controller (as with curl --resolve).
        const ctl = cluster.registry.tryGet(res('services'), INGRESS_NAMESPACE, CONTROLLER_NAME)
        const p = ((ctl?.spec as {ports?: {name?: string; nodePort?: number}[]})?.ports ?? []).find(
          (x) => x.name === (tls ? 'https' : 'http'),
        )
        if (!p?.nodePort)
          throw badRequest(
            `${u.hostname} is not reachable from the host: enable the ingress addon (mkctl cluster addons enable ingress), or trace from a pod with --from`,
          )
        host = gateway.nodeAddress()
        port = p.nodePort
        hops.push({
          step: 'node',
          detail: `${u.hostname} enters through the ingress controller's NodePort ${p.nodePort}`,
        })
      }
    }
  } else {
    throw badRequest('a URL or a service is required')
  }
  const request = `${method} ${req.url ?? `http://${hostHeader}:${port}${path}`}`
  const out = cluster.network.http(src, host, port, {
    method,
    path,
    host: hostHeader,
    headers: {host: hostHeader, 'user-agent': 'mkctl-trace'},
  })
  const all = [...hops, ...out.hops]
  if (!out.ok) {
    const error =
      out.error === 'resolve'
        ? `could not resolve host ${out.host}`
        : out.error === 'dnsTimeout'
          ? `resolving ${out.host} timed out`
          : out.error === 'timeout'
            ? `connection to ${out.host} port ${out.port} timed out`
            : `connection to ${out.host} port ${out.port} refused`
    return {request, origin, hops: all, error}
  }
  // The answer comes from the last pod on the path (behind an ingress, the backend).
  const last = [...all].reverse().find((h) => h.step === 'pod')
  const lastContainer = [...all].reverse().find((h) => h.step === 'container')
  return {
    request,
    origin,
    hops: all,
    response: {
      status: out.response.status,
      bytes: Buffer.byteLength(out.response.body),
      pod:
        last?.detail.split(' ')[0] ?? `${out.connection.pod.metadata?.namespace}/${out.connection.pod.metadata?.name}`,
      container: lastContainer?.detail.split(' ')[0] ?? out.connection.container,
      // The answer itself, cut at 64 KiB (lab checks look for text in it).
      body: out.response.body.slice(0, 65536),
    },
  }
}
