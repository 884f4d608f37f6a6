// network.ts describes Services, Endpoints, EndpointSlices and Ingresses. Follows kubectl/pkg/describe/describe.go
// (describeService, formatEndpointSlices, describeEndpoints, describeEndpointSliceV1, describeIngressV1,
// describeBackendV1, ingressLoadBalancerStatusStringerV1).
import {formatLabels} from '../../api/labels.js'
import {apiPath, getObject, type DescribeContext} from './context.js'
import {describeEvents, eventsFor} from './events.js'
import {goSortStrings, num, printAnnotationsMultiline, printLabelsMultiline, str, type Obj} from './format.js'
import {joinHostPort} from './pod.js'
import {LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, tabbedString} from './prefix-writer.js'

/** formatEndpointSlices lists ready endpoints as `ip:port` (up to 3, then `+ N more...`), `<none>` without slices. */
export function formatEndpointSlices(slices: Obj[], ports?: Set<string>): string {
  if (slices.length === 0) return '<none>'
  const list: string[] = []
  const max = 3
  let more = false
  let count = 0
  for (const s of slices) {
    const endpoints: Obj[] = s.endpoints ?? []
    const ready = (e: Obj) => e.conditions?.ready === undefined || e.conditions?.ready === null || e.conditions.ready
    if ((s.ports ?? []).length === 0) {
      for (const e of endpoints) {
        if (list.length === max) more = true
        if (!ready(e)) continue
        if (!more) list.push(str(e.addresses?.[0]))
        count++
      }
    } else {
      for (const p of s.ports) {
        if (ports && !ports.has(str(p.name))) continue
        for (const e of endpoints) {
          if (list.length === max) more = true
          if (!ready(e)) continue
          if (!more) list.push(joinHostPort(str(e.addresses?.[0]), String(num(p.port))))
          count++
        }
      }
    }
  }
  const ret = list.join(',')
  return more ? `${ret} + ${count - max} more...` : ret
}

async function endpointSlicesFor(ctx: DescribeContext, namespace: string, service: string): Promise<Obj[]> {
  const list = await ctx.rest.get<Obj>(apiPath('discovery.k8s.io', 'v1', namespace, 'endpointslices'), {
    query: {labelSelector: `kubernetes.io/service-name=${service}`},
  })
  return list?.items ?? []
}

/** describeService is ServiceDescriber. */
export async function describeService(ctx: DescribeContext, namespace: string, name: string): Promise<string> {
  const svc = await getObject(ctx, apiPath('', 'v1', namespace, 'services', name))
  let slices: Obj[] = []
  try {
    slices = await endpointSlicesFor(ctx, namespace, name)
  } catch {
    slices = []
  }
  const events = await eventsFor(ctx, svc, 'Service')
  const now = ctx.now()
  return tabbedString((w) => {
    const meta = svc.metadata ?? {}
    const spec = svc.spec ?? {}
    w.write(LEVEL_0, `Name:\t${str(meta.name)}\n`)
    w.write(LEVEL_0, `Namespace:\t${str(meta.namespace)}\n`)
    printLabelsMultiline(w, 'Labels', meta.labels)
    printAnnotationsMultiline(w, 'Annotations', meta.annotations)
    w.write(LEVEL_0, `Selector:\t${formatLabels(spec.selector)}\n`)
    w.write(LEVEL_0, `Type:\t${str(spec.type)}\n`)
    if (spec.ipFamilyPolicy) w.write(LEVEL_0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`)
    const fams: string[] = spec.ipFamilies ?? []
    w.write(LEVEL_0, `IP Families:\t${fams.length > 0 ? fams.join(',') : '<none>'}\n`)
    w.write(LEVEL_0, `IP:\t${str(spec.clusterIP)}\n`)
    const ips: string[] = spec.clusterIPs ?? []
    w.write(LEVEL_0, `IPs:\t${ips.length > 0 ? ips.join(',') : '<none>'}\n`)
    if ((spec.externalIPs ?? []).length > 0) w.write(LEVEL_0, `External IPs:\t${spec.externalIPs.join(',')}\n`)
    if (spec.loadBalancerIP) w.write(LEVEL_0, `Desired LoadBalancer IP:\t${spec.loadBalancerIP}\n`)
    if (spec.externalName) w.write(LEVEL_0, `External Name:\t${spec.externalName}\n`)
    const ingress: Obj[] = svc.status?.loadBalancer?.ingress ?? []
    if (ingress.length > 0) {
      const list = ingress.map((i) => (i.ip ? i.ip + (i.ipMode ? ` (${i.ipMode})` : '') : str(i.hostname))).join(', ')
      w.write(LEVEL_0, `LoadBalancer Ingress:\t${list}\n`)
    }
    for (const sp of spec.ports ?? []) {
      const pname = sp.name ? sp.name : '<unset>'
      const proto = str(sp.protocol)
      w.write(LEVEL_0, `Port:\t${pname}\t${num(sp.port)}/${proto}\n`)
      w.write(LEVEL_0, `TargetPort:\t${sp.targetPort === undefined ? 0 : sp.targetPort}/${proto}\n`)
      if (num(sp.nodePort) !== 0) w.write(LEVEL_0, `NodePort:\t${pname}\t${sp.nodePort}/${proto}\n`)
      w.write(LEVEL_0, `Endpoints:\t${formatEndpointSlices(slices, new Set([str(sp.name)]))}\n`)
    }
    w.write(LEVEL_0, `Session Affinity:\t${str(spec.sessionAffinity)}\n`)
    if (spec.externalTrafficPolicy) w.write(LEVEL_0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`)
    if (spec.internalTrafficPolicy) w.write(LEVEL_0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`)
    if (num(spec.healthCheckNodePort) !== 0) w.write(LEVEL_0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`)
    if ((spec.loadBalancerSourceRanges ?? []).length > 0) {
      w.write(LEVEL_0, `LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges.join(',')}\n`)
    }
    if (events) describeEvents(events, w, now)
  })
}

/** describeEndpoints is EndpointsDescriber. */
export async function describeEndpoints(ctx: DescribeContext, namespace: string, name: string): Promise<string> {
  const ep = await getObject(ctx, apiPath('', 'v1', namespace, 'endpoints', name))
  const events = await eventsFor(ctx, ep, 'Endpoints')
  const now = ctx.now()
  return tabbedString((w) => {
    const meta = ep.metadata ?? {}
    w.write(LEVEL_0, `Name:\t${str(meta.name)}\n`)
    w.write(LEVEL_0, `Namespace:\t${str(meta.namespace)}\n`)
    printLabelsMultiline(w, 'Labels', meta.labels)
    printAnnotationsMultiline(w, 'Annotations', meta.annotations)
    w.write(LEVEL_0, 'Subsets:\n')
    for (const s of ep.subsets ?? []) {
      const addrs = (s.addresses ?? []).map((a: Obj) => str(a.ip)).join(',')
      w.write(LEVEL_1, `Addresses:\t${addrs || '<none>'}\n`)
      const nr = (s.notReadyAddresses ?? []).map((a: Obj) => str(a.ip)).join(',')
      w.write(LEVEL_1, `NotReadyAddresses:\t${nr || '<none>'}\n`)
      if ((s.ports ?? []).length > 0) {
        w.write(LEVEL_1, 'Ports:\n')
        w.write(LEVEL_2, 'Name\tPort\tProtocol\n')
        w.write(LEVEL_2, '----\t----\t--------\n')
        for (const p of s.ports)
          w.write(LEVEL_2, `${p.name ? p.name : '<unset>'}\t${num(p.port)}\t${str(p.protocol)}\n`)
      }
      w.write(LEVEL_0, '\n')
    }
    if (events) describeEvents(events, w, now)
  })
}

/** describeEndpointSlice is EndpointSliceDescriber (discovery.k8s.io/v1). */
export async function describeEndpointSlice(ctx: DescribeContext, namespace: string, name: string): Promise<string> {
  const eps = await getObject(ctx, apiPath('discovery.k8s.io', 'v1', namespace, 'endpointslices', name))
  const events = await eventsFor(ctx, eps, 'EndpointSlice')
  const now = ctx.now()
  return tabbedString((w) => {
    const meta = eps.metadata ?? {}
    w.write(LEVEL_0, `Name:\t${str(meta.name)}\n`)
    w.write(LEVEL_0, `Namespace:\t${str(meta.namespace)}\n`)
    printLabelsMultiline(w, 'Labels', meta.labels)
    printAnnotationsMultiline(w, 'Annotations', meta.annotations)
    w.write(LEVEL_0, `AddressType:\t${str(eps.addressType)}\n`)
    const ports: Obj[] = eps.ports ?? []
    if (ports.length === 0) w.write(LEVEL_0, 'Ports: <unset>\n')
    else {
      w.write(LEVEL_0, 'Ports:\n')
      w.write(LEVEL_1, 'Name\tPort\tProtocol\n')
      w.write(LEVEL_1, '----\t----\t--------\n')
      for (const p of ports) {
        w.write(
          LEVEL_1,
          `${p.name ? p.name : '<unset>'}\t${typeof p.port === 'number' ? p.port : '<unset>'}\t${str(p.protocol)}\n`,
        )
      }
    }
    const endpoints: Obj[] = eps.endpoints ?? []
    if (endpoints.length === 0) w.write(LEVEL_0, 'Endpoints: <none>\n')
    else {
      w.write(LEVEL_0, 'Endpoints:\n')
      for (const e of endpoints) {
        w.write(LEVEL_1, `- Addresses:\t${(e.addresses ?? []).join(', ') || '<none>'}\n`)
        w.write(LEVEL_2, 'Conditions:\n')
        const ready = e.conditions?.ready
        w.write(LEVEL_3, `Ready:\t${typeof ready === 'boolean' ? String(ready) : '<unset>'}\n`)
        w.write(LEVEL_2, `Hostname:\t${typeof e.hostname === 'string' ? e.hostname : '<unset>'}\n`)
        if (e.targetRef) w.write(LEVEL_2, `TargetRef:\t${str(e.targetRef.kind)}/${str(e.targetRef.name)}\n`)
        w.write(LEVEL_2, `NodeName:\t${typeof e.nodeName === 'string' ? e.nodeName : '<unset>'}\n`)
        w.write(LEVEL_2, `Zone:\t${typeof e.zone === 'string' ? e.zone : '<unset>'}\n`)
      }
    }
    if (events) describeEvents(events, w, now)
  })
}

async function describeBackend(ctx: DescribeContext, ns: string, backend: Obj): Promise<string> {
  if (backend.service) {
    const b = backend.service
    const port = num(b.port?.number) !== 0 ? String(b.port.number) : str(b.port?.name)
    const sb = `${str(b.name)}:${port}`
    let slices: Obj[]
    let svc: Obj
    try {
      slices = await endpointSlicesFor(ctx, ns, str(b.name))
      svc = await getObject(ctx, apiPath('', 'v1', ns, 'services', str(b.name)))
    } catch (e) {
      return `${sb} (<error: ${(e as Error).message}>)`
    }
    let spName = ''
    for (const sp of svc.spec?.ports ?? []) {
      if (num(b.port?.number) !== 0 && b.port.number === sp.port) spName = str(sp.name)
      else if (b.port?.name && b.port.name === sp.name) spName = str(sp.name)
    }
    return `${sb} (${formatEndpointSlices(slices, new Set([spName]))})`
  }
  if (backend.resource) {
    const r = backend.resource
    const group = r.apiGroup !== undefined && r.apiGroup !== null ? String(r.apiGroup) : '<none>'
    return `APIGroup: ${group}, Kind: ${str(r.kind)}, Name: ${str(r.name)}`
  }
  return ''
}

/** describeIngress is IngressDescriber for networking.k8s.io/v1. */
export async function describeIngress(ctx: DescribeContext, namespace: string, name: string): Promise<string> {
  const ing = await getObject(ctx, apiPath('networking.k8s.io', 'v1', namespace, 'ingresses', name))
  const events = await eventsFor(ctx, ing, 'Ingress')
  const spec = ing.spec ?? {}
  const ns = str(ing.metadata?.namespace)
  const def = spec.defaultBackend ? await describeBackend(ctx, ns, spec.defaultBackend) : '<default>'
  const rules: {host: string; paths: {path: string; backend: string}[]}[] = []
  for (const r of spec.rules ?? []) {
    if (!r.http) continue
    const paths = []
    for (const p of r.http.paths ?? [])
      paths.push({path: str(p.path), backend: await describeBackend(ctx, ns, p.backend ?? {})})
    rules.push({host: r.host ? r.host : '*', paths})
  }
  const now = ctx.now()
  return tabbedString((w) => {
    const meta = ing.metadata ?? {}
    w.write(LEVEL_0, `Name:\t${str(meta.name)}\n`)
    printLabelsMultiline(w, 'Labels', meta.labels)
    w.write(LEVEL_0, `Namespace:\t${ns}\n`)
    const addrs = new Set<string>()
    for (const i of ing.status?.loadBalancer?.ingress ?? []) {
      if (i.ip) addrs.add(i.ip)
      else if (i.hostname) addrs.add(i.hostname)
    }
    w.write(LEVEL_0, `Address:\t${goSortStrings([...addrs]).join(',')}\n`)
    w.write(LEVEL_0, `Ingress Class:\t${spec.ingressClassName ?? '<none>'}\n`)
    w.write(LEVEL_0, `Default backend:\t${def}\n`)
    if ((spec.tls ?? []).length > 0) {
      w.write(LEVEL_0, 'TLS:\n')
      for (const t of spec.tls) {
        const hosts = (t.hosts ?? []).join(',')
        if (!t.secretName) w.write(LEVEL_1, `SNI routes ${hosts}\n`)
        else w.write(LEVEL_1, `${t.secretName} terminates ${hosts}\n`)
      }
    }
    w.write(LEVEL_0, 'Rules:\n  Host\tPath\tBackends\n')
    w.write(LEVEL_1, '----\t----\t--------\n')
    for (const r of rules) {
      w.write(LEVEL_1, `${r.host}\t\n`)
      for (const p of r.paths) w.write(LEVEL_2, `\t${p.path} \t${p.backend}\n`)
    }
    if (rules.length === 0) w.write(LEVEL_1, `*\t*\t${def}\n`)
    printAnnotationsMultiline(w, 'Annotations', meta.annotations)
    if (events) describeEvents(events, w, now)
  })
}
