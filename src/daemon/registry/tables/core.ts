// core.ts: tables of the core (v1) kinds other than pods, plus EndpointSlice and the events.k8s.io view of
// Events. Follows printNode, printNamespace, printService (getServiceExternalIP, makePortString), printEndpoints
// (formatEndpoints), printEndpointSlice, printConfigMap, printSecret, printServiceAccount, printEvent,
// printPersistentVolume, printPersistentVolumeClaim and printResourceQuota in kubernetes
// pkg/printers/internalversion/printers.go (1.32).
import {
  accessModes,
  age,
  AGE_COLUMN,
  col,
  creationAge,
  formatLabels,
  int64,
  listWithMore,
  NAME_COLUMN,
  parseTime,
  quantity,
  wide,
} from './format.js'
import {convertor, type TableConvertor} from './types.js'

const name = (obj: any): string => obj.metadata?.name ?? ''

/** nodeRoles lists the sorted roles from node-role.kubernetes.io/<role> and kubernetes.io/role labels. */
export function nodeRoles(labels: Record<string, string> | undefined): string[] {
  const roles = new Set<string>()
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length)
      if (role) roles.add(role)
    } else if (k === 'kubernetes.io/role' && v !== '') roles.add(v)
  }
  return [...roles].sort()
}

function nodeAddress(obj: any, type: string): string {
  const a = ((obj.status?.addresses ?? []) as any[]).find((x) => x.type === type)
  return a ? a.address : '<none>'
}

/** nodeConvertor prints Status (Ready/NotReady/Unknown, SchedulingDisabled), Roles and the node info. */
export const nodeConvertor: TableConvertor = convertor(
  [
    NAME_COLUMN,
    col('Status', 'The status of the node.'),
    col('Roles', 'The roles of the node.'),
    AGE_COLUMN,
    col('Version', 'Kubelet version.'),
    wide(col('Internal-IP', 'The first InternalIP address of the node.')),
    wide(col('External-IP', 'The first ExternalIP address of the node.')),
    wide(col('OS-Image', 'OS image reported by the node.')),
    wide(col('Kernel-Version', 'Kernel version reported by the node.')),
    wide(col('Container-Runtime', 'Container runtime and version.')),
  ],
  (obj, now) => {
    const status: string[] = []
    const ready = ((obj.status?.conditions ?? []) as any[]).filter((c) => c.type === 'Ready').pop()
    if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady')
    else status.push('Unknown')
    if (obj.spec?.unschedulable) status.push('SchedulingDisabled')
    const roles = nodeRoles(obj.metadata?.labels).join(',')
    const info = obj.status?.nodeInfo ?? {}
    return [
      name(obj),
      status.join(','),
      roles || '<none>',
      creationAge(obj, now),
      info.kubeletVersion ?? '',
      nodeAddress(obj, 'InternalIP'),
      nodeAddress(obj, 'ExternalIP'),
      info.osImage || '<unknown>',
      info.kernelVersion || '<unknown>',
      info.containerRuntimeVersion || '<unknown>',
    ]
  },
)

/** namespaceConvertor prints Status = status.phase. */
export const namespaceConvertor: TableConvertor = convertor(
  [NAME_COLUMN, col('Status', 'The phase of the namespace.'), AGE_COLUMN],
  // v1 defaulting gives every namespace a phase (Active); the printer sees defaulted objects.
  (obj, now) => [name(obj), obj.status?.phase || 'Active', creationAge(obj, now)],
)

function lbIngress(ingress: any[] | undefined): string[] {
  const set = new Set<string>()
  for (const i of ingress ?? []) {
    if (i.ip) set.add(i.ip)
    else if (i.hostname) set.add(i.hostname)
  }
  return [...set].sort()
}

/** serviceExternalIP is getServiceExternalIP for the wide (server) form. */
export function serviceExternalIP(svc: any): string {
  const spec = svc.spec ?? {}
  const externalIPs = (spec.externalIPs ?? []) as string[]
  switch (spec.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>'
    case 'LoadBalancer': {
      const lb = lbIngress(svc.status?.loadBalancer?.ingress)
      if (externalIPs.length > 0) return [...lb, ...externalIPs].join(',')
      return lb.length > 0 ? lb.join(',') : '<pending>'
    }
    case 'ExternalName':
      return spec.externalName ?? ''
    default:
      return '<unknown>'
  }
}

/** servicePorts is makePortString: `80/TCP`, `80:30080/TCP`, joined with `,`; `<none>` when there are none. */
export function servicePorts(ports: any[] | undefined): string {
  const s = (ports ?? [])
    .map((p) =>
      p.nodePort > 0 ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`,
    )
    .join(',')
  return s || '<none>'
}

/** serviceConvertor prints Type | Cluster-IP | External-IP | Port(s) | Age | Selector. */
export const serviceConvertor: TableConvertor = convertor(
  [
    NAME_COLUMN,
    col('Type', 'How the service is exposed.'),
    col('Cluster-IP', 'The virtual IP of the service.'),
    col('External-IP', 'Addresses the service is reachable on from outside.'),
    col('Port(s)', 'Ports the service exposes.'),
    AGE_COLUMN,
    wide(col('Selector', 'Labels of the pods behind the service.')),
  ],
  (obj, now) => {
    const spec = obj.spec ?? {}
    const clusterIP = spec.clusterIPs?.[0] || spec.clusterIP || '<none>'
    return [
      name(obj),
      spec.type ?? 'ClusterIP',
      clusterIP,
      serviceExternalIP(obj),
      servicePorts(spec.ports),
      creationAge(obj, now),
      formatLabels(spec.selector),
    ]
  },
)

function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}

/** formatEndpoints lists `ip:port` for each ready address and port, first three then ` + N more...`. */
export function formatEndpoints(subsets: any[] | undefined): string {
  if (!subsets || subsets.length === 0) return '<none>'
  const list: string[] = []
  const max = 3
  let more = false
  let count = 0
  for (const ss of subsets) {
    const addrs = (ss.addresses ?? []) as any[]
    const ports = (ss.ports ?? []) as any[]
    if (ports.length === 0) {
      // headless services may have no ports
      count += addrs.length
      for (const a of addrs) {
        if (list.length === max) {
          more = true
          break
        }
        list.push(a.ip)
      }
      continue
    }
    for (const p of ports) {
      count += addrs.length
      for (const a of addrs) {
        if (list.length === max) {
          more = true
          break
        }
        list.push(joinHostPort(a.ip, p.port))
      }
    }
  }
  const ret = list.join(',')
  return more ? `${ret} + ${count - max} more...` : ret
}

/** endpointsConvertor prints the Endpoints cell. */
export const endpointsConvertor: TableConvertor = convertor(
  [NAME_COLUMN, col('Endpoints', 'Ready addresses and ports.'), AGE_COLUMN],
  (obj, now) => [name(obj), formatEndpoints(obj.subsets), creationAge(obj, now)],
)

/** endpointSliceConvertor prints AddressType | Ports | Endpoints (`<unset>` when empty). */
export const endpointSliceConvertor: TableConvertor = convertor(
  [
    NAME_COLUMN,
    col('AddressType', 'The type of the addresses in this slice.'),
    col('Ports', 'Port numbers (or names) the endpoints expose.'),
    col('Endpoints', 'Addresses of the endpoints.'),
    AGE_COLUMN,
  ],
  (obj, now) => {
    const ports: string[] = []
    let count = 0
    let more = false
    for (const p of (obj.ports ?? []) as any[]) {
      if (ports.length < 3)
        ports.push(typeof p.port === 'number' ? String(p.port) : typeof p.name === 'string' ? p.name : '*')
      else more = true
      count++
    }
    const eps: string[] = []
    let epCount = 0
    let epMore = false
    for (const e of (obj.endpoints ?? []) as any[]) {
      for (const a of (e.addresses ?? []) as string[]) {
        if (eps.length < 3) eps.push(a)
        else epMore = true
        epCount++
      }
    }
    return [
      name(obj),
      obj.addressType ?? '',
      listWithMore(ports, more, count, 3, '<unset>'),
      listWithMore(eps, epMore, epCount, 3, '<unset>'),
      creationAge(obj, now),
    ]
  },
)

/** configMapConvertor prints Data = number of data plus binaryData keys. */
export const configMapConvertor: TableConvertor = convertor(
  [NAME_COLUMN, col('Data', 'Number of keys.'), AGE_COLUMN],
  (obj, now) => [
    name(obj),
    Object.keys(obj.data ?? {}).length + Object.keys(obj.binaryData ?? {}).length,
    creationAge(obj, now),
  ],
)

/** secretConvertor prints Type | Data. */
export const secretConvertor: TableConvertor = convertor(
  [NAME_COLUMN, col('Type', 'The type of the secret.'), col('Data', 'Number of keys.'), AGE_COLUMN],
  // stringData is folded into data on write, so only data counts.
  (obj, now) => [name(obj), obj.type ?? 'Opaque', Object.keys(obj.data ?? {}).length, creationAge(obj, now)],
)

/** serviceAccountConvertor prints Secrets = len(secrets). */
export const serviceAccountConvertor: TableConvertor = convertor(
  [NAME_COLUMN, col('Secrets', 'Number of secrets listed in the service account.'), AGE_COLUMN],
  (obj, now) => [name(obj), (obj.secrets ?? []).length, creationAge(obj, now)],
)

/**
 * eventsV1ToCore converts an events.k8s.io/v1 Event to the core/v1 shape, as the apiserver does before printing
 * (both groups share one storage and one printer): regarding → involvedObject, note → message, deprecated* → the
 * old fields.
 */
export function eventsV1ToCore(ev: any): any {
  return {
    metadata: ev.metadata,
    involvedObject: ev.regarding ?? {},
    related: ev.related,
    reason: ev.reason,
    message: ev.note,
    type: ev.type,
    action: ev.action,
    eventTime: ev.eventTime,
    series: ev.series,
    source: ev.deprecatedSource ?? {},
    firstTimestamp: ev.deprecatedFirstTimestamp,
    lastTimestamp: ev.deprecatedLastTimestamp,
    count: ev.deprecatedCount,
    reportingController: ev.reportingController,
    reportingInstance: ev.reportingInstance,
  }
}

function eventCells(ev: any, now: number): unknown[] {
  const first = parseTime(ev.firstTimestamp) !== undefined ? age(ev.firstTimestamp, now) : age(ev.eventTime, now)
  let last = parseTime(ev.lastTimestamp) !== undefined ? age(ev.lastTimestamp, now) : first
  let count = int64(ev.count)
  if (ev.series) {
    last = age(ev.series.lastObservedTime, now)
    count = int64(ev.series.count)
  } else if (count === 0) count = 1 // singleton events of the new API carry no count
  const inv = ev.involvedObject ?? {}
  const kind = String(inv.kind ?? '').toLowerCase()
  const target = inv.name ? `${kind}/${inv.name}` : kind
  const component = ev.source?.component || ev.reportingController || ''
  const host = ev.source?.host || ev.reportingInstance || ''
  return [
    last,
    ev.type ?? '',
    ev.reason ?? '',
    target,
    inv.fieldPath ?? '',
    host ? `${component}, ${host}` : component,
    String(ev.message ?? '').trim(),
    first,
    count,
    name(ev),
  ]
}

const eventColumns = [
  col('Last Seen', 'Time since the event was last seen.'),
  col('Type', 'Normal or Warning.'),
  col('Reason', 'Short machine-readable reason.'),
  col('Object', 'The object the event is about.'),
  wide(col('Subobject', 'The part of the object the event is about.')),
  wide(col('Source', 'The component that reported the event.')),
  col('Message', 'Human-readable description.'),
  wide(col('First Seen', 'Time since the event was first seen.')),
  wide(col('Count', 'How many times the event occurred.')),
  wide(col('Name', 'Name of the event object.', {format: 'name'})),
]

/** eventConvertor prints core/v1 Events. */
export const eventConvertor: TableConvertor = convertor(eventColumns, (ev, now) => eventCells(ev, now))

/** eventsV1Convertor prints events.k8s.io/v1 Events through the core printer. */
export const eventsV1Convertor: TableConvertor = convertor(eventColumns, (ev, now) => {
  // An object that is already core-shaped (no regarding/note, involvedObject set) is printed as is.
  const core = ev.involvedObject !== undefined && ev.regarding === undefined ? ev : eventsV1ToCore(ev)
  return eventCells(core, now)
})

const BETA_CLASS = 'volume.beta.kubernetes.io/storage-class'

/**
 * persistentVolumeConvertor follows printPersistentVolume. Unset phase, reclaim policy and volume mode print as
 * their v1 defaults (Pending, Retain, Filesystem), because the apiserver prints defaulted objects.
 */
export const persistentVolumeConvertor: TableConvertor = convertor(
  [
    NAME_COLUMN,
    col('Capacity', 'Storage capacity of the volume.'),
    col('Access Modes', 'Access modes of the volume.'),
    col('Reclaim Policy', 'What happens to the volume when its claim is released.'),
    col('Status', 'Phase of the volume.'),
    col('Claim', 'The claim bound to the volume.'),
    col('StorageClass', 'Storage class of the volume.'),
    col('VolumeAttributesClass', 'Volume attributes class of the volume.'),
    col('Reason', 'Reason for a failed phase.'),
    AGE_COLUMN,
    wide(col('VolumeMode', 'Filesystem or Block.')),
  ],
  (obj, now) => {
    const spec = obj.spec ?? {}
    const claim = spec.claimRef ? `${spec.claimRef.namespace ?? ''}/${spec.claimRef.name ?? ''}` : ''
    const annotations = obj.metadata?.annotations ?? {}
    const cls = BETA_CLASS in annotations ? annotations[BETA_CLASS] : (spec.storageClassName ?? '')
    return [
      name(obj),
      quantity(spec.capacity?.storage),
      accessModes(spec.accessModes),
      spec.persistentVolumeReclaimPolicy || 'Retain',
      obj.metadata?.deletionTimestamp ? 'Terminating' : obj.status?.phase || 'Pending',
      claim,
      cls,
      spec.volumeAttributesClassName ?? '<unset>',
      obj.status?.reason ?? '',
      creationAge(obj, now),
      spec.volumeMode ?? 'Filesystem',
    ]
  },
)

/** persistentVolumeClaimConvertor follows printPersistentVolumeClaim: capacity and modes only once bound. */
export const persistentVolumeClaimConvertor: TableConvertor = convertor(
  [
    NAME_COLUMN,
    col('Status', 'Phase of the claim.'),
    col('Volume', 'The volume bound to the claim.'),
    col('Capacity', 'Capacity of the bound volume.'),
    col('Access Modes', 'Access modes of the bound volume.'),
    col('StorageClass', 'Storage class requested by the claim.'),
    col('VolumeAttributesClass', 'Volume attributes class requested by the claim.'),
    AGE_COLUMN,
    wide(col('VolumeMode', 'Filesystem or Block.')),
  ],
  (obj, now) => {
    const spec = obj.spec ?? {}
    const bound = !!spec.volumeName
    const annotations = obj.metadata?.annotations ?? {}
    const cls = BETA_CLASS in annotations ? annotations[BETA_CLASS] : (spec.storageClassName ?? '')
    return [
      name(obj),
      obj.metadata?.deletionTimestamp ? 'Terminating' : obj.status?.phase || 'Pending',
      spec.volumeName ?? '',
      bound ? quantity(obj.status?.capacity?.storage) : '',
      bound ? accessModes(obj.status?.accessModes) : '',
      cls,
      spec.volumeAttributesClassName ?? '<unset>',
      creationAge(obj, now),
      spec.volumeMode ?? 'Filesystem',
    ]
  },
)

/** resourceQuotaConvertor prints Request and Limit as `name: used/hard` lists, sorted by resource name. */
export const resourceQuotaConvertor: TableConvertor = convertor(
  [
    NAME_COLUMN,
    AGE_COLUMN,
    col('Request', 'Used and hard amounts of each requested resource.'),
    col('Limit', 'Used and hard amounts of each limited resource.'),
  ],
  (obj, now) => {
    const hard = (obj.status?.hard ?? {}) as Record<string, string>
    const used = (obj.status?.used ?? {}) as Record<string, string>
    const request: string[] = []
    const limit: string[] = []
    for (const r of Object.keys(hard).sort()) {
      const pieces = r.split('.')
      const target = pieces.length > 1 && pieces[0] === 'limits' ? limit : request
      target.push(`${r}: ${quantity(used[r])}/${quantity(hard[r])}`)
    }
    return [name(obj), creationAge(obj, now), request.join(', '), limit.join(', ')]
  },
)
