// endpoints.ts: the Endpoints controller (follows kubernetes pkg/controller/endpoint/endpoints_controller.go). For
// every Service with a selector it keeps an Endpoints object of the same name whose subsets list the selected pods'
// IPs: ready pods under addresses, the others under notReadyAddresses, each port resolved against the pod's
// container ports. Services without a selector (the `kubernetes` service, user-managed Endpoints) are left alone.
// The pod helpers at the top are shared with the EndpointSlice controller.
import {isDeepStrictEqual} from 'node:util'
import type {KubeObject} from '../../api/object.js'
import {isNotFound} from '../../api/errors.js'
import {selectorFromSet} from '../../api/labels.js'
import {rfc3339} from '../clock.js'
import type {Informer} from './framework/informer.js'
import type {Controller, ControllerContext, ControllerFactory} from './framework/types.js'

/** HEADLESS_LABEL marks Endpoints and EndpointSlices of services without a cluster IP (v1.IsHeadlessService). */
export const HEADLESS_LABEL = 'service.kubernetes.io/headless'
/** TRIGGER_TIME_ANNOTATION is v1.EndpointsLastChangeTriggerTime. */
export const TRIGGER_TIME_ANNOTATION = 'endpoints.kubernetes.io/last-change-trigger-time'

/** isPodReady is podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: KubeObject): boolean {
  const conds = ((pod.status as any)?.conditions ?? []) as {type: string; status: string}[]
  return conds.some((c) => c.type === 'Ready' && c.status === 'True')
}

/** podIP is the pod's primary IP, or '' before it has one. */
export function podIP(pod: KubeObject): string {
  const st = pod.status as any
  return String(st?.podIP || st?.podIPs?.[0]?.ip || '')
}

/**
 * shouldPodBeInEndpoints follows endpointslice util ShouldPodBeInEndpoints: terminal pods and pods without an IP
 * are left out, and terminating pods too unless includeTerminating.
 */
export function shouldPodBeInEndpoints(pod: KubeObject, includeTerminating: boolean): boolean {
  const phase = (pod.status as any)?.phase
  if (phase === 'Succeeded' || phase === 'Failed') return false
  if (!podIP(pod)) return false
  if (!includeTerminating && pod.metadata?.deletionTimestamp) return false
  return true
}

/**
 * findPort follows podutil.FindPort: a numeric targetPort is used as is; a named one is looked up among the
 * containers' ports with the same protocol. undefined means the pod does not offer that port.
 */
export function findPort(pod: KubeObject, svcPort: any): number | undefined {
  const target = svcPort.targetPort ?? svcPort.port
  if (typeof target === 'number') return target
  if (/^\d+$/.test(String(target))) return Number(target)
  const protocol = svcPort.protocol ?? 'TCP'
  for (const c of ((pod.spec as any)?.containers ?? []) as any[]) {
    for (const p of c.ports ?? []) {
      if (p.name === target && (p.protocol ?? 'TCP') === protocol) return Number(p.containerPort)
    }
  }
  return undefined
}

/** shouldSetHostname is endpointutil.ShouldSetHostname: the pod's subdomain names this service. */
export function shouldSetHostname(pod: KubeObject, svc: KubeObject): boolean {
  const spec = pod.spec as any
  return (
    !!spec?.hostname && spec.subdomain === svc.metadata?.name && pod.metadata?.namespace === svc.metadata?.namespace
  )
}

/** isHeadless says the service has no cluster IP (helper.IsServiceIPSet is false). */
export function isHeadless(svc: KubeObject): boolean {
  const ip = (svc.spec as any)?.clusterIP
  return !ip || ip === 'None'
}

/** servicesSelecting maps a pod (and its previous labels) to the keys of the services in its namespace that select it. */
export function servicesSelecting(services: Informer, pod: KubeObject, old: KubeObject | undefined): string[] {
  const ns = pod.metadata?.namespace
  if (!ns) return []
  const out: string[] = []
  for (const svc of services.list(ns)) {
    const sel = (svc.spec as any)?.selector
    if (!sel || Object.keys(sel).length === 0) continue
    const s = selectorFromSet(sel)
    if (s.matches(pod.metadata?.labels ?? {}) || (old && s.matches(old.metadata?.labels ?? {})))
      out.push(`${ns}/${svc.metadata?.name}`)
  }
  return out
}

interface Address {
  ip: string
  hostname?: string
  nodeName?: string
  targetRef: {kind: 'Pod'; namespace: string; name: string; uid: string}
}

interface Port {
  name?: string
  port: number
  protocol: string
  appProtocol?: string
}

/** podAddress is podToEndpointAddressForService plus the hostname rule. */
function podAddress(pod: KubeObject, svc: KubeObject): Address {
  const a: Address = {
    ip: podIP(pod),
    targetRef: {
      kind: 'Pod',
      namespace: String(pod.metadata?.namespace),
      name: String(pod.metadata?.name),
      uid: String(pod.metadata?.uid),
    },
  }
  if (shouldSetHostname(pod, svc)) a.hostname = (pod.spec as any).hostname
  const node = (pod.spec as any)?.nodeName
  if (node) a.nodeName = node
  // Field order as the apiserver prints an EndpointAddress.
  return {
    ip: a.ip,
    ...(a.hostname ? {hostname: a.hostname} : {}),
    ...(a.nodeName ? {nodeName: a.nodeName} : {}),
    targetRef: a.targetRef,
  }
}

const addrKey = (a: Address) => `${a.ip}\x00${a.targetRef.uid}`
const portKey = (p: Port) => `${p.name ?? ''}\x00${p.port}\x00${p.protocol}\x00${p.appProtocol ?? ''}`

/** cmpAddress orders addresses by IP, then pod uid (endpoints.LessEndpointAddress). */
function cmpAddress(a: Address, b: Address): number {
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1
  return a.targetRef.uid < b.targetRef.uid ? -1 : a.targetRef.uid > b.targetRef.uid ? 1 : 0
}

/** cmpPort orders ports by number, protocol and name (upstream orders by a hash; this is stable instead). */
function cmpPort(a: Port, b: Port): number {
  if (a.port !== b.port) return a.port - b.port
  if (a.protocol !== b.protocol) return a.protocol < b.protocol ? -1 : 1
  return (a.name ?? '') < (b.name ?? '') ? -1 : (a.name ?? '') > (b.name ?? '') ? 1 : 0
}

/**
 * repackSubsets follows endpoints.RepackSubsets: every (address, port) pair is regrouped so that ports offered by
 * exactly the same set of addresses (with the same readiness) share one subset; then everything is sorted.
 */
export function repackSubsets(pairs: {addr: Address; ready: boolean; port?: Port}[]): any[] {
  const byPort = new Map<string, {port?: Port; addrs: Map<string, {addr: Address; ready: boolean}>}>()
  for (const p of pairs) {
    const k = p.port ? portKey(p.port) : '-'
    let e = byPort.get(k)
    if (!e) byPort.set(k, (e = {port: p.port, addrs: new Map()}))
    const prev = e.addrs.get(addrKey(p.addr))
    // A ready entry wins over a not-ready one for the same address, as in mapAddressesByPort.
    if (!prev || (!prev.ready && p.ready)) e.addrs.set(addrKey(p.addr), {addr: p.addr, ready: p.ready})
  }
  const groups = new Map<string, {addrs: {addr: Address; ready: boolean}[]; ports: Port[]}>()
  for (const e of byPort.values()) {
    const addrs = [...e.addrs.values()].sort((a, b) => cmpAddress(a.addr, b.addr))
    const k = addrs.map((a) => `${addrKey(a.addr)}\x00${a.ready}`).join('\x01')
    let g = groups.get(k)
    if (!g) groups.set(k, (g = {addrs, ports: []}))
    if (e.port) g.ports.push(e.port)
  }
  const subsets = [...groups.values()].map((g) => {
    const s: any = {}
    const ready = g.addrs.filter((a) => a.ready).map((a) => a.addr)
    const notReady = g.addrs.filter((a) => !a.ready).map((a) => a.addr)
    if (ready.length) s.addresses = ready
    if (notReady.length) s.notReadyAddresses = notReady
    if (g.ports.length) s.ports = g.ports.sort(cmpPort)
    return s
  })
  const first = (s: any): string => (s.addresses?.[0] ?? s.notReadyAddresses?.[0])?.ip ?? ''
  return subsets.sort((a, b) => {
    const x = first(a)
    const y = first(b)
    if (x !== y) return x < y ? -1 : 1
    const px = a.ports?.[0]
    const py = b.ports?.[0]
    return px && py ? cmpPort(px, py) : 0
  })
}

/** desiredSubsets computes the subsets of one service from its selected pods (syncService's loop). */
export function desiredSubsets(svc: KubeObject, pods: KubeObject[]): any[] {
  const spec = svc.spec as any
  const publishNotReady = !!spec.publishNotReadyAddresses
  const pairs: {addr: Address; ready: boolean; port?: Port}[] = []
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue
    const addr = podAddress(pod, svc)
    const ready = publishNotReady || isPodReady(pod)
    const ports: any[] = spec.ports ?? []
    if (ports.length === 0) {
      // A headless service without ports still lists its pods.
      if (spec.clusterIP === 'None') pairs.push({addr, ready})
      continue
    }
    for (const sp of ports) {
      const num = findPort(pod, sp)
      if (num === undefined) continue
      const port: Port = {...(sp.name ? {name: sp.name} : {}), port: num, protocol: sp.protocol ?? 'TCP'}
      if (sp.appProtocol) port.appProtocol = sp.appProtocol
      pairs.push({addr, ready, port})
    }
  }
  return repackSubsets(pairs)
}

function withoutHeadless(labels: Record<string, string> | undefined): Record<string, string> {
  const out = {...(labels ?? {})}
  delete out[HEADLESS_LABEL]
  return out
}

/** EndpointsController keeps Endpoints in step with Services and their pods. */
export class EndpointsController implements Controller {
  readonly name = 'endpoint'
  private readonly services: Informer
  private readonly pods: Informer
  private readonly endpoints: Informer

  constructor(private readonly ctx: ControllerContext) {
    this.services = ctx.informers.for('services')
    this.pods = ctx.informers.for('pods')
    this.endpoints = ctx.informers.for('endpoints')
  }

  watches() {
    return [
      {resource: 'services'},
      {
        resource: 'pods',
        keys: (o: KubeObject, _t: string, old: KubeObject | undefined) => servicesSelecting(this.services, o, old),
      },
      {
        // A changed or deleted Endpoints is put right again, but only when a selector-managed service owns the name.
        resource: 'endpoints',
        keys: (o: KubeObject) => {
          const svc = this.services.get(o.metadata?.namespace, String(o.metadata?.name))
          return svc && (svc.spec as any)?.selector ? `${o.metadata?.namespace}/${o.metadata?.name}` : undefined
        },
      },
    ]
  }

  sync(key: string) {
    const i = key.indexOf('/')
    const ns = key.slice(0, i)
    const name = key.slice(i + 1)
    const svc = this.services.get(ns, name)
    const current = this.endpoints.get(ns, name)
    if (!svc) {
      // The service is gone: so are its Endpoints (the garbage collector does not own them).
      if (current && this.ownedByController(current)) this.deleteEndpoints(ns, name)
      return
    }
    const selector = (svc.spec as any)?.selector
    if (!selector || Object.keys(selector).length === 0) return
    const pods = this.pods.list(ns, selectorFromSet(selector))
    const subsets = desiredSubsets(svc, pods)
    const svcLabels = svc.metadata?.labels ?? {}
    if (
      current &&
      isDeepStrictEqual(current.subsets ?? [], subsets) &&
      isDeepStrictEqual(withoutHeadless(current.metadata?.labels), {...svcLabels})
    ) {
      const hasHeadless = HEADLESS_LABEL in (current.metadata?.labels ?? {})
      if (hasHeadless === isHeadless(svc)) return
    }
    const labels: Record<string, string> = {...svcLabels}
    if (isHeadless(svc)) labels[HEADLESS_LABEL] = ''
    else delete labels[HEADLESS_LABEL]
    const next: KubeObject = current
      ? structuredClone(current)
      : {apiVersion: 'v1', kind: 'Endpoints', metadata: {name, namespace: ns}}
    next.metadata!.labels = labels
    next.metadata!.annotations = {
      ...(next.metadata!.annotations ?? {}),
      [TRIGGER_TIME_ANNOTATION]: rfc3339(this.ctx.clock.now()),
    }
    if (subsets.length) next.subsets = subsets
    else delete next.subsets
    if (current) this.ctx.client.update('endpoints', next)
    else this.ctx.client.create('endpoints', next)
  }

  /** ownedByController: Endpoints this controller would have written (not the apiserver's own `kubernetes`). */
  private ownedByController(ep: KubeObject): boolean {
    return !(ep.metadata?.namespace === 'default' && ep.metadata?.name === 'kubernetes')
  }

  private deleteEndpoints(ns: string, name: string) {
    try {
      this.ctx.client.delete('endpoints', ns, name)
    } catch (e) {
      if (!isNotFound(e)) throw e
    }
  }
}

/** endpointsController is the ControllerFactory of the Endpoints controller. */
export const endpointsController: ControllerFactory = (ctx) => new EndpointsController(ctx)
