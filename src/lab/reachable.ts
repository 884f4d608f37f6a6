// reachable.ts is the `reachable` check: an HTTP GET through a Service, the ingress controller (a host and path) or
// a NodePort, that wants a status and optionally a body. The check resolves what it can from the ClusterView (the
// Service's port, an Ingress's first rule) and hands one ProbeRequest to the CheckEnv's HttpProbe: in replay that
// is networkProbe, the simulated cluster network (src/daemon/network), whose hops say why a request failed;
// against a real cluster it is the API server's service proxy (live-view.ts). The failure message is one line:
// `GET http://app.local/api through ingress: 503, want 200 (service api has no ready endpoints)`.
import type {KubeObject} from '../api/object.js'
import {CONTROLLER_NAME, INGRESS_NAMESPACE} from '../daemon/addons/ingress.js'
import type {Cluster} from '../daemon/cluster.js'
import {resolveResource} from '../daemon/controllers/framework/informer.js'
import {HOST_CLIENT_IP} from '../daemon/network/host.js'
import type {Hop, Source} from '../daemon/network/index.js'
import type {ClusterView} from './cluster-view.js'
import type {ReachableCheck} from './types.js'

/** ProbeRequest is one resolved HTTP GET a reachable check sends. */
export interface ProbeRequest {
  via: 'service' | 'ingress' | 'nodePort'
  /** namespace of the Service (via service). */
  namespace: string
  service?: string
  /** port is the Service's port number (via service) or the NodePort (via nodePort). */
  port?: number
  /** host is the Host header sent to the ingress controller. */
  host?: string
  /** path starts with `/` (it may carry a query). */
  path: string
}

/** ProbeAnswer is what came back: an HTTP status and body, or why no answer came. */
export interface ProbeAnswer {
  status?: number
  body?: string
  /** error says why there was no HTTP answer (`connection refused`). */
  error?: string
  /** why is the network's reason for a failure, from the request's hops (`service api has no ready endpoints`). */
  why?: string
}

/** HttpProbe sends a ProbeRequest into a cluster. */
export type HttpProbe = (req: ProbeRequest) => Promise<ProbeAnswer>

/** ReachableVerdict is a reachable check's outcome (checks.ts turns it into a CheckOutcome). */
export interface ReachableVerdict {
  passed: boolean
  message: string
  actual?: string
}

/** describeRequest renders a probe request as the one-line `GET url through ...` of messages. */
export function describeRequest(r: ProbeRequest): string {
  switch (r.via) {
    case 'service':
      return `GET http://${r.service}.${r.namespace}.svc:${r.port}${r.path}`
    case 'ingress':
      return `GET http://${r.host || '<no host>'}${r.path} through ingress`
    case 'nodePort':
      return `GET NodePort ${r.port}${r.path}`
  }
}

const normPath = (p: string | undefined) => (!p ? '/' : p.startsWith('/') ? p : `/${p}`)

/** resolveProbe turns a rendered check into a request, or says (one line) why it cannot be sent. */
export function resolveProbe(c: ReachableCheck, view: ClusterView): ProbeRequest | {error: string} {
  const namespace = c.namespace ?? 'default'
  if (c.service !== undefined) {
    const r = view.resolve('services')
    const svc = r ? view.get(r, namespace, c.service) : undefined
    if (!svc) return {error: `service "${c.service}" not found in namespace "${namespace}"`}
    const ports = ((svc.spec as {ports?: {name?: string; port: number}[]})?.ports ?? []).filter(Boolean)
    let port: number | undefined
    if (c.port === undefined) port = ports[0]?.port
    else if (typeof c.port === 'number' || /^\d+$/.test(c.port)) port = Number(c.port)
    else port = ports.find((p) => p.name === c.port)?.port
    if (port === undefined || !ports.some((p) => p.port === port)) {
      const have = ports.map((p) => (p.name ? `${p.name}/${p.port}` : String(p.port))).join(', ') || 'none'
      return {
        error:
          `service "${c.service}" in namespace "${namespace}" has no port ${c.port ?? ''}`.trimEnd() +
          ` (ports: ${have})`,
      }
    }
    return {via: 'service', namespace, service: c.service, port, path: normPath(c.path)}
  }
  if (c.ingress !== undefined) {
    if (typeof c.ingress !== 'string')
      return {via: 'ingress', namespace, host: c.ingress.host ?? c.host ?? '', path: normPath(c.ingress.path ?? c.path)}
    // An Ingress by name: its first rule gives the host and path unless the check gives them.
    const r = view.resolve('ingresses.networking.k8s.io') ?? view.resolve('ingresses')
    const ing = r ? view.get(r, namespace, c.ingress) : undefined
    if (!ing) return {error: `ingress "${c.ingress}" not found in namespace "${namespace}"`}
    const rule = ((ing.spec as {rules?: {host?: string; http?: {paths?: {path?: string}[]}}[]})?.rules ?? [])[0]
    return {
      via: 'ingress',
      namespace,
      host: c.host ?? rule?.host ?? '',
      path: normPath(c.path ?? rule?.http?.paths?.[0]?.path),
    }
  }
  if (c.nodePort !== undefined) {
    const port = Number(c.nodePort)
    if (!Number.isInteger(port)) return {error: `nodePort ${JSON.stringify(c.nodePort)} is not a port number`}
    return {via: 'nodePort', namespace, port, path: normPath(c.path)}
  }
  return {error: 'reachable check needs one of service, ingress, nodePort'}
}

/** judge compares an answer with what the check wants. */
export function judge(c: ReachableCheck, req: ProbeRequest, a: ProbeAnswer): ReachableVerdict {
  // Numbers may come templated (`status: "{{ .code }}"`), hence strings after rendering.
  const want = Number(c.status ?? 200)
  const what = describeRequest(req)
  const why = a.why ? ` (${a.why})` : ''
  if (a.status === undefined) {
    return {passed: false, message: `${what}: ${a.error ?? 'no answer'}, want ${want}${why}`, actual: a.error}
  }
  if (a.status !== want)
    return {passed: false, message: `${what}: ${a.status}, want ${want}${why}`, actual: String(a.status)}
  const contains = c.bodyContains ?? c.body
  if (contains !== undefined || c.bodyMatches !== undefined) {
    if (a.body === undefined)
      return {passed: false, message: `${what}: ${a.status}, but this cluster does not return the body`}
    const excerpt = JSON.stringify(a.body.length > 60 ? `${a.body.slice(0, 60)}…` : a.body)
    if (contains !== undefined && !a.body.includes(contains))
      return {
        passed: false,
        message: `${what}: the body does not contain ${JSON.stringify(contains)} (got ${excerpt})`,
        actual: a.body,
      }
    if (c.bodyMatches !== undefined && !new RegExp(c.bodyMatches, 'm').test(a.body))
      return {
        passed: false,
        message: `${what}: the body does not match /${c.bodyMatches}/ (got ${excerpt})`,
        actual: a.body,
      }
  }
  return {passed: true, message: `${what}: ${a.status}`, actual: String(a.status)}
}

/**
 * explainHops picks, from a request's hops, the decision that explains a failure, in a student's words: the first
 * hop that refused, dropped or could not route. Undefined when the request went through (the app answered).
 */
export function explainHops(hops: Hop[], status?: number): string | undefined {
  for (const h of hops) {
    const d = h.detail
    let m: RegExpMatchArray | null
    if ((m = d.match(/^service (?:[^/ ]+\/)?(\S+) port \S+ has no ready endpoints/)))
      return `service ${m[1]} has no ready endpoints`
    if ((m = d.match(/^service (?:[^/ ]+\/)?(\S+) has no port (\d+)/))) return `service ${m[1]} has no port ${m[2]}`
    if (h.step === 'policy') return `${d.replace(/^dropped/, 'a NetworkPolicy dropped it:').replace('by ', '')}`
    if (/no such name/.test(d)) return d
    if (/^no Ingress rule matches/.test(d)) return d.replace(/: the controller's default backend answers 404$/, '')
    if (/nothing listens on port|does not speak HTTP|drop DNS queries|no pod or service owns/.test(d)) return d
  }
  // An ingress rule whose backend Service (or its port) does not exist: the controller answers 503 at once.
  const last = hops[hops.length - 1]
  if (status === 503 && last?.step === 'ingress') {
    const m = last.detail.match(/\u2192 service (\S+) port (\S+)$/)
    if (m) return `the ingress's backend service ${m[1]} port ${m[2]} does not exist`
  }
  return undefined
}

/** firstNode is the oldest node's name and InternalIP (where host traffic enters, as host.ts's HostGateway). */
function firstNode(cluster: Cluster): {name: string; ip: string} {
  const nodes = cluster.registry.list(resolveResource(cluster.resources(), 'nodes'), undefined).items as KubeObject[]
  const first = [...nodes].sort((a, b) =>
    String(a.metadata?.creationTimestamp).localeCompare(String(b.metadata?.creationTimestamp)),
  )[0]
  const addrs = (first?.status as {addresses?: {type: string; address: string}[]})?.addresses ?? []
  return {
    name: first?.metadata?.name ?? 'mkctl',
    ip: addrs.find((a) => a.type === 'InternalIP')?.address ?? '192.168.49.2',
  }
}

/**
 * networkProbe sends probes through an in-process cluster's network, as `mkctl cluster trace` does (trace.ts): a
 * Service from the first node, an ingress host from the host through the ingress addon's NodePort, a NodePort at
 * the first node's address. The request is a real one in the simulation (the serving process logs it).
 */
export function networkProbe(cluster: Cluster): HttpProbe {
  return async (req) => {
    const node = firstNode(cluster)
    let src: Source
    let host: string
    let port: number
    let hostHeader: string
    if (req.via === 'service') {
      src = {node: node.name}
      host = `${req.service}.${req.namespace}.svc.cluster.local`
      port = req.port ?? 80
      hostHeader = host
    } else if (req.via === 'nodePort') {
      src = {external: HOST_CLIENT_IP}
      host = node.ip
      port = req.port ?? 0
      hostHeader = `${node.ip}:${port}`
    } else {
      const ctl = cluster.registry.tryGet(
        resolveResource(cluster.resources(), 'services'),
        INGRESS_NAMESPACE,
        CONTROLLER_NAME,
      )
      const p = ((ctl?.spec as {ports?: {name?: string; nodePort?: number}[]})?.ports ?? []).find(
        (x) => x.name === 'http',
      )
      if (!p?.nodePort)
        return {
          error: 'no ingress controller',
          why: 'the ingress addon is not enabled: mkctl cluster addons enable ingress',
        }
      src = {external: HOST_CLIENT_IP}
      host = node.ip
      port = p.nodePort
      hostHeader = req.host ?? ''
    }
    const out = cluster.network.http(src, host, port, {
      method: 'GET',
      path: req.path,
      host: hostHeader,
      headers: {host: hostHeader, 'user-agent': 'mkctl-lab'},
    })
    if (!out.ok) {
      const error =
        out.error === 'resolve'
          ? `could not resolve host ${out.host}`
          : out.error === 'dnsTimeout'
            ? `resolving ${out.host} timed out`
            : out.error === 'timeout'
              ? 'connection timed out'
              : 'connection refused'
      const why = explainHops(out.hops)
      return why ? {error, why} : {error}
    }
    const status = out.response.status
    const why = status >= 400 ? explainHops(out.hops, status) : undefined
    return {status, body: out.response.body, ...(why ? {why} : {})}
  }
}
