// endpointslice.ts: the EndpointSlice controller (follows kubernetes pkg/controller/endpointslice and
// staging/src/k8s.io/endpointslice/reconciler.go). For every Service with a selector it keeps discovery.k8s.io/v1
// slices named `<service>-<5 random>`, at most 100 endpoints each, one group of slices per distinct set of
// resolved ports, owned by the Service. Existing slices are updated in place (endpoints keep their slice), new
// endpoints fill slices with room before a new slice is made, and a service with no endpoints keeps one empty
// placeholder slice, as upstream does.
import {isDeepStrictEqual} from 'node:util'
import type {KubeObject} from '../../api/object.js'
import {isNotFound} from '../../api/errors.js'
import {selectorFromSet} from '../../api/labels.js'
import {rfc3339} from '../clock.js'
import {
  HEADLESS_LABEL,
  TRIGGER_TIME_ANNOTATION,
  findPort,
  isHeadless,
  isPodReady,
  podIP,
  servicesSelecting,
  shouldPodBeInEndpoints,
  shouldSetHostname,
} from './endpoints.js'
import type {Informer} from './framework/informer.js'
import {controllerRef} from './framework/owner.js'
import type {Controller, ControllerContext, ControllerFactory} from './framework/types.js'

/** SERVICE_NAME_LABEL is discovery.LabelServiceName. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name'
/** MANAGED_BY_LABEL is discovery.LabelManagedBy. */
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by'
/** MANAGED_BY is this controller's value of the managed-by label. */
export const MANAGED_BY = 'endpointslice-controller.k8s.io'
/** MAX_ENDPOINTS_PER_SLICE is kube-controller-manager's --max-endpoints-per-slice default. */
export const MAX_ENDPOINTS_PER_SLICE = 100
const ZONE_LABEL = 'topology.kubernetes.io/zone'
const SLICES = 'discovery.k8s.io/endpointslices'

interface SlicePort {
  name: string
  port: number
  protocol: string
  appProtocol?: string
}

const portsKey = (ports: SlicePort[]) =>
  ports
    .map((p) => `${p.name}\x00${p.port}\x00${p.protocol}\x00${p.appProtocol ?? ''}`)
    .sort()
    .join('\x01')
const endpointKey = (e: any) => String(e.targetRef?.uid ?? e.addresses?.[0])

/** EndpointSliceController keeps a Service's EndpointSlices in step with its pods. */
export class EndpointSliceController implements Controller {
  readonly name = 'endpointslice'
  private readonly services: Informer
  private readonly pods: Informer
  private readonly slices: Informer
  private readonly nodes: Informer

  constructor(private readonly ctx: ControllerContext) {
    this.services = ctx.informers.for('services')
    this.pods = ctx.informers.for('pods')
    this.slices = ctx.informers.for(SLICES)
    this.nodes = ctx.informers.for('nodes')
    this.slices.addIndex('service', (o) => {
      const l = o.metadata?.labels ?? {}
      return l[MANAGED_BY_LABEL] === MANAGED_BY && l[SERVICE_NAME_LABEL]
        ? [`${o.metadata?.namespace}/${l[SERVICE_NAME_LABEL]}`]
        : []
    })
  }

  watches() {
    return [
      {resource: 'services'},
      {
        resource: 'pods',
        keys: (o: KubeObject, _t: string, old: KubeObject | undefined) => servicesSelecting(this.services, o, old),
      },
      {
        resource: SLICES,
        keys: (o: KubeObject) => {
          const l = o.metadata?.labels ?? {}
          return l[MANAGED_BY_LABEL] === MANAGED_BY && l[SERVICE_NAME_LABEL]
            ? `${o.metadata?.namespace}/${l[SERVICE_NAME_LABEL]}`
            : undefined
        },
      },
    ]
  }

  sync(key: string) {
    const i = key.indexOf('/')
    const ns = key.slice(0, i)
    const name = key.slice(i + 1)
    const svc = this.services.get(ns, name)
    const existing = this.slices.byIndex('service', key)
    if (!svc) {
      // Slices carry an ownerReference, but are removed at once as upstream's syncService does.
      for (const s of existing) this.remove(s)
      return
    }
    const selector = (svc.spec as any)?.selector
    if (!selector || Object.keys(selector).length === 0) return
    const pods = this.pods
      .list(ns, selectorFromSet(selector))
      .sort((a, b) => (podIP(a) < podIP(b) ? -1 : podIP(a) > podIP(b) ? 1 : 0))

    // Desired endpoints grouped by their resolved port set.
    const desired = new Map<string, {ports: SlicePort[]; endpoints: Map<string, any>}>()
    for (const pod of pods) {
      if (!shouldPodBeInEndpoints(pod, true)) continue
      const ports: SlicePort[] = []
      for (const sp of ((svc.spec as any).ports ?? []) as any[]) {
        const num = findPort(pod, sp)
        if (num === undefined) continue
        const p: SlicePort = {name: sp.name ?? '', port: num, protocol: sp.protocol ?? 'TCP'}
        if (sp.appProtocol) p.appProtocol = sp.appProtocol
        ports.push(p)
      }
      const k = portsKey(ports)
      let g = desired.get(k)
      if (!g) desired.set(k, (g = {ports, endpoints: new Map()}))
      const ep = this.endpoint(pod, svc)
      g.endpoints.set(endpointKey(ep), ep)
    }

    const meta = this.sliceMeta(svc)
    const touched = new Set<string>()
    const writes: (() => void)[] = []
    for (const [k, g] of desired) {
      const mine = existing.filter(
        (s) => portsKey((s.ports ?? []) as SlicePort[]) === k && (s.endpoints as any[] | undefined)?.length,
      )
      const placed = new Set<string>()
      const kept: {slice: KubeObject; endpoints: any[]}[] = []
      for (const s of mine) {
        touched.add(String(s.metadata?.name))
        const eps: any[] = []
        for (const e of (s.endpoints ?? []) as any[]) {
          const ek = endpointKey(e)
          const want = g.endpoints.get(ek)
          if (want && !placed.has(ek) && eps.length < MAX_ENDPOINTS_PER_SLICE) {
            eps.push(want)
            placed.add(ek)
          }
        }
        kept.push({slice: s, endpoints: eps})
      }
      const rest = [...g.endpoints.entries()].filter(([ek]) => !placed.has(ek)).map(([, e]) => e)
      for (const k2 of kept) {
        while (rest.length && k2.endpoints.length < MAX_ENDPOINTS_PER_SLICE) k2.endpoints.push(rest.shift())
      }
      for (const k2 of kept) {
        if (k2.endpoints.length === 0) writes.push(() => this.remove(k2.slice))
        else writes.push(() => this.updateIfChanged(k2.slice, meta, k2.endpoints, g.ports))
      }
      while (rest.length) {
        const chunk = rest.splice(0, MAX_ENDPOINTS_PER_SLICE)
        writes.push(() => this.createSlice(svc, meta, chunk, g.ports))
      }
    }
    // Slices no longer wanted go, except that a service without endpoints keeps one placeholder.
    const leftovers = existing.filter((s) => !touched.has(String(s.metadata?.name)))
    if (desired.size === 0) {
      const placeholder = leftovers.find((s) => !(s.endpoints as any[] | undefined)?.length) ?? leftovers[0]
      for (const s of leftovers) if (s !== placeholder) writes.push(() => this.remove(s))
      if (placeholder) writes.push(() => this.updateIfChanged(placeholder, meta, [], []))
      else writes.push(() => this.createSlice(svc, meta, [], []))
    } else {
      for (const s of leftovers) writes.push(() => this.remove(s))
    }
    if (writes.length) this.ctx.client.transaction(() => writes.forEach((w) => w()))
  }

  /** endpoint is the discovery/v1 Endpoint of one pod (podToEndpoint). */
  private endpoint(pod: KubeObject, svc: KubeObject): any {
    const terminating = !!pod.metadata?.deletionTimestamp
    const serving = isPodReady(pod)
    const publish = !!(svc.spec as any)?.publishNotReadyAddresses
    const ep: any = {
      addresses: [podIP(pod)],
      conditions: {ready: publish || (serving && !terminating), serving, terminating},
    }
    if (shouldSetHostname(pod, svc)) ep.hostname = (pod.spec as any).hostname
    const node = (pod.spec as any)?.nodeName
    if (node) ep.nodeName = node
    ep.targetRef = {kind: 'Pod', namespace: pod.metadata?.namespace, name: pod.metadata?.name, uid: pod.metadata?.uid}
    const zone = node ? this.nodes.get(undefined, node)?.metadata?.labels?.[ZONE_LABEL] : undefined
    if (zone) ep.zone = zone
    return ep
  }

  /** sliceMeta holds the labels and owner every slice of the service carries (setEndpointSliceLabels). */
  private sliceMeta(svc: KubeObject) {
    const labels: Record<string, string> = {}
    for (const [k, v] of Object.entries(svc.metadata?.labels ?? {})) {
      if (k !== SERVICE_NAME_LABEL && k !== MANAGED_BY_LABEL && k !== HEADLESS_LABEL) labels[k] = v
    }
    if (isHeadless(svc)) labels[HEADLESS_LABEL] = ''
    labels[SERVICE_NAME_LABEL] = String(svc.metadata?.name)
    labels[MANAGED_BY_LABEL] = MANAGED_BY
    return {labels, owner: {...controllerRef(svc), apiVersion: 'v1', kind: 'Service'}}
  }

  private createSlice(
    svc: KubeObject,
    meta: ReturnType<EndpointSliceController['sliceMeta']>,
    endpoints: any[],
    ports: SlicePort[],
  ) {
    const name = String(svc.metadata?.name)
    this.ctx.client.create(SLICES, {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        generateName: `${name}-`,
        namespace: svc.metadata?.namespace,
        labels: meta.labels,
        annotations: {[TRIGGER_TIME_ANNOTATION]: rfc3339(this.ctx.clock.now())},
        ownerReferences: [meta.owner],
      },
      addressType: 'IPv4',
      endpoints,
      ports: ports.length ? ports : null,
    } as KubeObject)
  }

  private updateIfChanged(
    slice: KubeObject,
    meta: ReturnType<EndpointSliceController['sliceMeta']>,
    endpoints: any[],
    ports: SlicePort[],
  ) {
    const m = slice.metadata ?? {}
    // Keep the stored port order when the set is the same (upstream orders ports by a hash).
    const samePorts = portsKey((slice.ports ?? []) as SlicePort[]) === portsKey(ports)
    const nextPorts = samePorts ? (slice.ports ?? null) : ports.length ? ports : null
    const owners = (m.ownerReferences ?? []) as any[]
    const ownerOk = owners.some((o) => o.uid === meta.owner.uid && o.controller)
    if (
      isDeepStrictEqual(slice.endpoints ?? [], endpoints) &&
      samePorts &&
      isDeepStrictEqual(m.labels ?? {}, meta.labels) &&
      ownerOk &&
      slice.addressType === 'IPv4'
    ) {
      return
    }
    const next = structuredClone(slice)
    next.metadata!.labels = meta.labels
    next.metadata!.annotations = {...(m.annotations ?? {}), [TRIGGER_TIME_ANNOTATION]: rfc3339(this.ctx.clock.now())}
    if (!ownerOk) next.metadata!.ownerReferences = [...owners.filter((o) => !o.controller), meta.owner]
    next.endpoints = endpoints
    next.ports = nextPorts
    this.ctx.client.update(SLICES, next)
  }

  private remove(slice: KubeObject) {
    try {
      this.ctx.client.delete(SLICES, slice.metadata?.namespace, String(slice.metadata?.name))
    } catch (e) {
      if (!isNotFound(e)) throw e
    }
  }
}

/** endpointSliceController is the ControllerFactory of the EndpointSlice controller. */
export const endpointSliceController: ControllerFactory = (ctx) => new EndpointSliceController(ctx)
