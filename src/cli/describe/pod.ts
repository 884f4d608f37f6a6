// pod.ts describes Pods and everything pod-shaped other describers reuse: containers (state, probes, env, mounts),
// volumes, and pod templates. Follows kubectl/pkg/describe/describe.go (describePod, describeContainers,
// describeVolumes, DescribePodTemplate, DescribeProbe, EnvValueRetriever), kubectl/pkg/util/qos and
// kubectl/pkg/util/resource (ExtractContainerResourceValue), and apimachinery's fieldpath.ExtractFieldPathAsString.
import {compareCodePoints, goQuote} from '../../api/gofmt.js'
import {formatLabelSelector} from '../../api/labels.js'
import {StatusError} from '../../api/errors.js'
import {apiPath, getObject, listAll, type DescribeContext} from './context.js'
import {describeEvents, searchEvents} from './events.js'
import {
  accessModesString,
  controllerOf,
  goList,
  goSortStrings,
  printAnnotationsMultiline,
  printBool,
  printLabelsMultiline,
  printTolerationsMultiline,
  pvcClass,
  quantity,
  quantityString,
  rfc1123z,
  sortedResourceNames,
  str,
  num,
  timestampSince,
  type Obj,
} from './format.js'
import {goSort} from './gosort.js'
import {
  LEVEL_0,
  LEVEL_1,
  LEVEL_2,
  LEVEL_3,
  NestedPrefixWriter,
  tabbedString,
  type PrefixWriter,
} from './prefix-writer.js'

/** EnvResolver resolves an env var's fieldRef value (EnvVarResolverFunc); templates have none. */
export type EnvResolver = ((e: Obj) => string) | undefined

/** describePod describes a Pod (PodDescriber); a missing pod with events about it prints those events. */
export async function describePod(ctx: DescribeContext, namespace: string, name: string): Promise<string> {
  let pod: Obj
  try {
    pod = await getObject(ctx, apiPath('', 'v1', namespace, 'pods', name))
  } catch (err) {
    if (ctx.settings.showEvents) {
      let events: Obj[] | undefined
      try {
        events = await listAll(ctx, apiPath('', 'v1', namespace, 'events'), {
          fieldSelector: `involvedObject.name=${name},involvedObject.namespace=${namespace}`,
        })
      } catch {
        events = undefined
      }
      if (events && events.length > 0) {
        const msg = err instanceof StatusError ? err.message : (err as Error).message
        return tabbedString((w) => {
          w.write(LEVEL_0, `Pod '${name}': error '${msg}', but found events.\n`)
          describeEvents(events!, w, ctx.now())
        })
      }
    }
    throw err
  }
  let events: Obj[] | undefined
  if (ctx.settings.showEvents) {
    // The pod's reference carries no kind; a mirror pod's events name the static pod's uid.
    const mirror = pod.metadata?.annotations?.['kubernetes.io/config.mirror']
    const uid = mirror !== undefined ? mirror : str(pod.metadata?.uid)
    events =
      (await searchEvents(ctx, {name: str(pod.metadata?.name), namespace: str(pod.metadata?.namespace), uid})) ?? []
  }
  const now = ctx.now()
  return tabbedString((w) => writePod(w, pod, events, now))
}

function writePod(w: PrefixWriter, pod: Obj, events: Obj[] | undefined, now: number): void {
  const spec = pod.spec ?? {}
  const status = pod.status ?? {}
  const meta = pod.metadata ?? {}
  w.write(LEVEL_0, `Name:\t${str(meta.name)}\n`)
  w.write(LEVEL_0, `Namespace:\t${str(meta.namespace)}\n`)
  if (typeof spec.priority === 'number') w.write(LEVEL_0, `Priority:\t${spec.priority}\n`)
  if (spec.priorityClassName) w.write(LEVEL_0, `Priority Class Name:\t${spec.priorityClassName}\n`)
  if (spec.runtimeClassName) w.write(LEVEL_0, `Runtime Class Name:\t${spec.runtimeClassName}\n`)
  if (spec.serviceAccountName) w.write(LEVEL_0, `Service Account:\t${spec.serviceAccountName}\n`)
  if (!spec.nodeName) w.write(LEVEL_0, 'Node:\t<none>\n')
  else w.write(LEVEL_0, `Node:\t${spec.nodeName}/${str(status.hostIP)}\n`)
  if (status.startTime) w.write(LEVEL_0, `Start Time:\t${rfc1123z(status.startTime)}\n`)
  printLabelsMultiline(w, 'Labels', meta.labels)
  printAnnotationsMultiline(w, 'Annotations', meta.annotations)
  if (meta.deletionTimestamp && status.phase !== 'Failed' && status.phase !== 'Succeeded') {
    w.write(LEVEL_0, `Status:\tTerminating (lasts ${timestampSince(meta.deletionTimestamp, now)})\n`)
    w.write(LEVEL_0, `Termination Grace Period:\t${num(meta.deletionGracePeriodSeconds)}s\n`)
  } else {
    w.write(LEVEL_0, `Status:\t${str(status.phase)}\n`)
  }
  if (status.reason) w.write(LEVEL_0, `Reason:\t${status.reason}\n`)
  if (status.message) w.write(LEVEL_0, `Message:\t${status.message}\n`)
  const seccomp = spec.securityContext?.seccompProfile
  if (seccomp) {
    w.write(LEVEL_0, `SeccompProfile:\t${str(seccomp.type)}\n`)
    if (seccomp.type === 'Localhost') w.write(LEVEL_0, `LocalhostProfile:\t${str(seccomp.localhostProfile)}\n`)
  }
  w.write(LEVEL_0, `IP:\t${str(status.podIP)}\n`)
  const ips: Obj[] = status.podIPs ?? []
  if (ips.length === 0) w.write(LEVEL_0, 'IPs:\t<none>\n')
  else {
    w.write(LEVEL_0, 'IPs:\n')
    for (const ip of ips) w.write(LEVEL_1, `IP:\t${str(ip.ip)}\n`)
  }
  const controlledBy = controllerOf(pod)
  if (controlledBy) w.write(LEVEL_0, `Controlled By:\t${controlledBy}\n`)
  if (status.nominatedNodeName) w.write(LEVEL_0, `NominatedNodeName:\t${status.nominatedNodeName}\n`)
  if (spec.resources) {
    w.write(LEVEL_0, 'Resources:\n')
    describeResources(spec.resources, w, LEVEL_1)
  }
  const resolver = envValueRetriever(pod)
  if ((spec.initContainers ?? []).length > 0) {
    describeContainers('Init Containers', spec.initContainers, status.initContainerStatuses, resolver, w, '')
  }
  describeContainers('Containers', spec.containers ?? [], status.containerStatuses, resolver, w, '')
  if ((spec.ephemeralContainers ?? []).length > 0) {
    describeContainers(
      'Ephemeral Containers',
      spec.ephemeralContainers,
      status.ephemeralContainerStatuses,
      resolver,
      w,
      '',
    )
  }
  const conditions: Obj[] = status.conditions ?? []
  if ((spec.readinessGates ?? []).length > 0) {
    w.write(LEVEL_0, 'Readiness Gates:\n  Type\tStatus\n')
    for (const g of spec.readinessGates) {
      const c = conditions.find((x) => x.type === g.conditionType)
      w.write(LEVEL_1, `${str(g.conditionType)} \t${c ? str(c.status) : '<none>'} \n`)
    }
  }
  if (conditions.length > 0) {
    w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\n')
    for (const c of conditions) w.write(LEVEL_1, `${str(c.type)} \t${str(c.status)} \n`)
  }
  describeVolumes(spec.volumes, w, '')
  w.write(LEVEL_0, `QoS Class:\t${status.qosClass || computePodQOS(pod)}\n`)
  printLabelsMultiline(w, 'Node-Selectors', spec.nodeSelector)
  printTolerationsMultiline(w, 'Tolerations', spec.tolerations)
  describeTopologySpreadConstraints(spec.topologySpreadConstraints, w, '')
  if (events) describeEvents(events, w, now)
}

/** computePodQOS is qos.ComputePodQOS, used when the server left status.qosClass empty. */
export function computePodQOS(pod: Obj): string {
  const supported = (n: string) => n === 'cpu' || n === 'memory'
  const requests = new Map<string, ReturnType<typeof quantity>>()
  const limits = new Map<string, ReturnType<typeof quantity>>()
  let guaranteed = true
  const add = (into: Map<string, ReturnType<typeof quantity>>, list: Obj | undefined) => {
    for (const [n, v] of Object.entries(list ?? {})) {
      if (!supported(n)) continue
      const q = quantity(v)
      if (q.sign() > 0) into.set(n, into.has(n) ? into.get(n)!.add(q) : q)
    }
  }
  const hasBoth = (list: Obj | undefined) => {
    const set = new Set(
      Object.entries(list ?? {})
        .filter(([n, v]) => supported(n) && quantity(v).sign() > 0)
        .map(([n]) => n),
    )
    return set.has('cpu') && set.has('memory')
  }
  const spec = pod.spec ?? {}
  if (spec.resources) {
    add(requests, spec.resources.requests)
    if (spec.resources.limits) {
      add(limits, spec.resources.limits)
      if (!hasBoth(spec.resources.limits)) guaranteed = false
    }
  } else {
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
      add(requests, c.resources?.requests)
      add(limits, c.resources?.limits)
      if (!hasBoth(c.resources?.limits)) guaranteed = false
    }
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort'
  if (guaranteed) {
    for (const [n, r] of requests) {
      const l = limits.get(n)
      if (!l || l.cmp(r) !== 0) {
        guaranteed = false
        break
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable'
}

function formatMap(m: Record<string, string> | undefined): string {
  return goSortStrings(Object.keys(m ?? {}))
    .map((k) => `${k}=${goQuote(m![k]!)}`)
    .join('\n')
}

/** envValueRetriever resolves metadata field references against the pod (fieldpath.ExtractFieldPathAsString). */
export function envValueRetriever(pod: Obj): (e: Obj) => string {
  return (e) => {
    const path = str(e.valueFrom?.fieldRef?.fieldPath)
    const meta = pod.metadata ?? {}
    const sub = /^(metadata\.(?:annotations|labels))\['(.*)'\]$/.exec(path)
    if (sub) return str((sub[1] === 'metadata.labels' ? meta.labels : meta.annotations)?.[sub[2]!])
    switch (path) {
      case 'metadata.annotations':
        return formatMap(meta.annotations)
      case 'metadata.labels':
        return formatMap(meta.labels)
      case 'metadata.name':
        return str(meta.name)
      case 'metadata.namespace':
        return str(meta.namespace)
      case 'metadata.uid':
        return str(meta.uid)
      default:
        return ''
    }
  }
}

/** describeResources prints Limits and Requests, names sorted. */
export function describeResources(resources: Obj | undefined, w: PrefixWriter, level: number): void {
  if (!resources) return
  const limits = resources.limits ?? {}
  const requests = resources.requests ?? {}
  if (Object.keys(limits).length > 0) w.write(level, 'Limits:\n')
  for (const n of sortedResourceNames(limits)) w.write(level + 1, `${n}:\t${quantityString(limits[n])}\n`)
  if (Object.keys(requests).length > 0) w.write(level, 'Requests:\n')
  for (const n of sortedResourceNames(requests)) w.write(level + 1, `${n}:\t${quantityString(requests[n])}\n`)
}

/** describeContainers prints a containers section (describeContainers). */
export function describeContainers(
  label: string,
  containers: Obj[],
  statuses: Obj[] | undefined,
  resolver: EnvResolver,
  w: PrefixWriter,
  space: string,
): void {
  const byName = new Map<string, Obj>()
  for (const s of statuses ?? []) byName.set(s.name, s)
  w.write(LEVEL_0, `${space}${label}:${containers.length === 0 ? ' <none>' : ''}\n`)
  for (const c of containers) {
    const status = byName.get(c.name)
    const nameIndent = space.length > 0 ? ' ' : ''
    w.write(LEVEL_1, `${nameIndent}${str(c.name)}:\n`)
    if (status) w.write(LEVEL_2, `Container ID:\t${str(status.containerID)}\n`)
    w.write(LEVEL_2, `Image:\t${str(c.image)}\n`)
    if (status) w.write(LEVEL_2, `Image ID:\t${str(status.imageID)}\n`)
    const ports: Obj[] = c.ports ?? []
    const portString = ports.map((p) => `${num(p.containerPort)}/${str(p.protocol)}`).join(', ')
    if (portString.includes(',')) w.write(LEVEL_2, `Ports:\t${portString}\n`)
    else w.write(LEVEL_2, `Port:\t${portString || '<none>'}\n`)
    const hostPortString = ports.map((p) => `${num(p.hostPort)}/${str(p.protocol)}`).join(', ')
    if (hostPortString.includes(',')) w.write(LEVEL_2, `Host Ports:\t${hostPortString}\n`)
    else w.write(LEVEL_2, `Host Port:\t${hostPortString || '<none>'}\n`)
    const seccomp = c.securityContext?.seccompProfile
    if (seccomp) {
      w.write(LEVEL_2, `SeccompProfile:\t${str(seccomp.type)}\n`)
      if (seccomp.type === 'Localhost') w.write(LEVEL_3, `LocalhostProfile:\t${str(seccomp.localhostProfile)}\n`)
    }
    describeContainerCommand(c, w)
    if (status) {
      describeStatus('State', status.state ?? {}, w)
      if (status.lastState?.terminated) describeStatus('Last State', status.lastState, w)
      w.write(LEVEL_2, `Ready:\t${printBool(status.ready)}\n`)
      w.write(LEVEL_2, `Restart Count:\t${num(status.restartCount)}\n`)
    }
    describeResources(c.resources ?? {}, w, LEVEL_2)
    if (c.livenessProbe) w.write(LEVEL_2, `Liveness:\t${describeProbe(c.livenessProbe)}\n`)
    if (c.readinessProbe) w.write(LEVEL_2, `Readiness:\t${describeProbe(c.readinessProbe)}\n`)
    if (c.startupProbe) w.write(LEVEL_2, `Startup:\t${describeProbe(c.startupProbe)}\n`)
    if ((c.envFrom ?? []).length > 0) describeEnvFrom(c, w)
    describeEnv(c, resolver, w)
    describeMounts(c, w)
  }
}

function describeContainerCommand(c: Obj, w: PrefixWriter): void {
  if ((c.command ?? []).length > 0) {
    w.write(LEVEL_2, 'Command:\n')
    for (const x of c.command) for (const s of String(x).split('\n')) w.write(LEVEL_3, `${s}\n`)
  }
  if ((c.args ?? []).length > 0) {
    w.write(LEVEL_2, 'Args:\n')
    for (const x of c.args) for (const s of String(x).split('\n')) w.write(LEVEL_3, `${s}\n`)
  }
}

function describeStatus(stateName: string, state: Obj, w: PrefixWriter): void {
  if (state.running) {
    w.write(LEVEL_2, `${stateName}:\tRunning\n`)
    w.write(LEVEL_3, `Started:\t${rfc1123z(state.running.startedAt)}\n`)
  } else if (state.waiting) {
    w.write(LEVEL_2, `${stateName}:\tWaiting\n`)
    if (state.waiting.reason) w.write(LEVEL_3, `Reason:\t${state.waiting.reason}\n`)
  } else if (state.terminated) {
    const t = state.terminated
    w.write(LEVEL_2, `${stateName}:\tTerminated\n`)
    if (t.reason) w.write(LEVEL_3, `Reason:\t${t.reason}\n`)
    if (t.message) w.write(LEVEL_3, `Message:\t${t.message}\n`)
    w.write(LEVEL_3, `Exit Code:\t${num(t.exitCode)}\n`)
    if (num(t.signal) > 0) w.write(LEVEL_3, `Signal:\t${t.signal}\n`)
    w.write(LEVEL_3, `Started:\t${rfc1123z(t.startedAt)}\n`)
    w.write(LEVEL_3, `Finished:\t${rfc1123z(t.finishedAt)}\n`)
  } else {
    w.write(LEVEL_2, `${stateName}:\tWaiting\n`)
  }
}

/** describeProbe renders a probe as DescribeProbe does: `http-get http://:8080/ delay=0s timeout=1s ...`. */
export function describeProbe(p: Obj): string {
  const attrs =
    `delay=${num(p.initialDelaySeconds)}s timeout=${num(p.timeoutSeconds)}s period=${num(p.periodSeconds)}s ` +
    `#success=${num(p.successThreshold)} #failure=${num(p.failureThreshold)}`
  if (p.exec) return `exec ${goList(p.exec.command)} ${attrs}`
  if (p.httpGet) {
    const g = p.httpGet
    const port = g.port === undefined || g.port === null ? '' : String(g.port)
    const hostName = str(g.host)
    const host = port.length > 0 ? joinHostPort(hostName, port) : hostName
    let path = str(g.path)
    if (path && host && !path.startsWith('/')) path = '/' + path
    const scheme = str(g.scheme).toLowerCase()
    const url = (scheme ? `${scheme}:` : '') + (scheme || host ? `//${host}` : '') + path
    return `http-get ${url} ${attrs}`
  }
  if (p.tcpSocket) return `tcp-socket ${str(p.tcpSocket.host)}:${str(p.tcpSocket.port)} ${attrs}`
  if (p.grpc) return `grpc <pod>:${num(p.grpc.port)} ${str(p.grpc.service)} ${attrs}`
  return `unknown ${attrs}`
}

/** joinHostPort is net.JoinHostPort: IPv6 hosts get brackets. */
export function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}

function describeEnvFrom(c: Obj, w: PrefixWriter): void {
  w.write(LEVEL_2, 'Environment Variables from:\n')
  for (const e of c.envFrom) {
    let from = ''
    let name = ''
    let optional = false
    if (e.configMapRef) {
      from = 'ConfigMap'
      name = str(e.configMapRef.name)
      optional = e.configMapRef.optional === true
    } else if (e.secretRef) {
      from = 'Secret'
      name = str(e.secretRef.name)
      optional = e.secretRef.optional === true
    }
    if (!e.prefix) w.write(LEVEL_3, `${name}\t${from}\tOptional: ${optional}\n`)
    else w.write(LEVEL_3, `${name}\t${from} with prefix '${e.prefix}'\tOptional: ${optional}\n`)
  }
}

function resourceValue(c: Obj, ref: Obj): string {
  const divisorQ = quantity(ref.divisor)
  const divisor = divisorQ.isZero() ? quantity('1') : divisorQ
  const res = str(ref.resource)
  const [kind, rname] = res.split('.', 2) as [string, string | undefined]
  const list = kind === 'limits' ? c.resources?.limits : kind === 'requests' ? c.resources?.requests : undefined
  if (!list && kind !== 'limits' && kind !== 'requests') return ''
  const q = quantity(list?.[rname ?? ''])
  if (rname === 'cpu') return String(Math.ceil(q.milliValue() / divisor.milliValue()))
  if (rname === 'memory' || rname === 'ephemeral-storage' || (rname ?? '').startsWith('hugepages-')) {
    return String(Math.ceil(q.value() / divisor.value()))
  }
  return ''
}

function describeEnv(c: Obj, resolver: EnvResolver, w: PrefixWriter): void {
  const env: Obj[] = c.env ?? []
  w.write(LEVEL_2, `Environment:${env.length === 0 ? '\t<none>' : ''}\n`)
  for (const e of env) {
    if (!e.valueFrom) {
      String(e.value ?? '')
        .split('\n')
        .forEach((s, i) => w.write(LEVEL_3, i === 0 ? `${str(e.name)}:\t${s}\n` : `\t${s}\n`))
      continue
    }
    const vf = e.valueFrom
    if (vf.fieldRef) {
      const v = resolver ? resolver(e) : ''
      w.write(LEVEL_3, `${str(e.name)}:\t${v} (${str(vf.fieldRef.apiVersion)}:${str(vf.fieldRef.fieldPath)})\n`)
    } else if (vf.resourceFieldRef) {
      let v = resourceValue(c, vf.resourceFieldRef)
      const res = str(vf.resourceFieldRef.resource)
      if (v === '0' && (res === 'limits.cpu' || res === 'limits.memory')) v = 'node allocatable'
      w.write(LEVEL_3, `${str(e.name)}:\t${v} (${res})\n`)
    } else if (vf.secretKeyRef) {
      const r = vf.secretKeyRef
      w.write(
        LEVEL_3,
        `${str(e.name)}:\t<set to the key '${str(r.key)}' in secret '${str(r.name)}'>\tOptional: ${r.optional === true}\n`,
      )
    } else if (vf.configMapKeyRef) {
      const r = vf.configMapKeyRef
      w.write(
        LEVEL_3,
        `${str(e.name)}:\t<set to the key '${str(r.key)}' of config map '${str(r.name)}'>\tOptional: ${r.optional === true}\n`,
      )
    }
  }
}

function describeMounts(c: Obj, w: PrefixWriter): void {
  const mounts: Obj[] = c.volumeMounts ?? []
  const none = mounts.length === 0 ? '\t<none>' : ''
  w.write(LEVEL_2, `Mounts:${none}\n`)
  for (const m of goSort(mounts, (a, b) => compareCodePoints(str(a.mountPath), str(b.mountPath)) < 0)) {
    const flags = [m.readOnly ? 'ro' : 'rw']
    if (m.subPath) flags.push(`path=${goQuote(m.subPath)}`)
    w.write(LEVEL_3, `${str(m.mountPath)} from ${str(m.name)} (${flags.join(',')})\n`)
  }
  const devices: Obj[] = c.volumeDevices ?? []
  if (devices.length > 0) {
    w.write(LEVEL_2, `Devices:${none}\n`)
    for (const d of goSort(devices, (a, b) => compareCodePoints(str(a.devicePath), str(b.devicePath)) < 0)) {
      w.write(LEVEL_3, `${str(d.devicePath)} from ${str(d.name)}\n`)
    }
  }
}

function describeTopologySpreadConstraints(tscs: Obj[] | undefined, w: PrefixWriter, space: string): void {
  if (!tscs || tscs.length === 0) return
  const sorted = goSort(tscs, (a, b) => str(a.topologyKey) < str(b.topologyKey))
  w.write(LEVEL_0, `${space}Topology Spread Constraints:\t`)
  sorted.forEach((t, i) => {
    if (i !== 0) {
      w.write(LEVEL_0, space)
      w.write(LEVEL_0, '\t')
    }
    let s = `${str(t.topologyKey)}:${str(t.whenUnsatisfiable)} when max skew ${num(t.maxSkew)} is exceeded`
    if (t.labelSelector) s += ` for selector ${formatLabelSelector(t.labelSelector)}`
    w.write(LEVEL_0, s + '\n')
  })
}

/** describeVolumes prints a pod's volumes (describeVolumes); uncommon volume types print `<unknown>`. */
export function describeVolumes(volumes: Obj[] | undefined, w: PrefixWriter, space: string): void {
  if (!volumes || volumes.length === 0) {
    w.write(LEVEL_0, `${space}Volumes:\t<none>\n`)
    return
  }
  w.write(LEVEL_0, `${space}Volumes:\n`)
  for (const v of volumes) {
    w.write(LEVEL_1, `${space.length > 0 ? ' ' : ''}${str(v.name)}:\n`)
    describeVolumeSource(v, w)
  }
}

function describeVolumeSource(v: Obj, w: PrefixWriter): void {
  if (v.hostPath) return printHostPath(v.hostPath, w)
  if (v.emptyDir) {
    const q = v.emptyDir.sizeLimit !== undefined ? quantity(v.emptyDir.sizeLimit) : undefined
    const size = q && q.sign() > 0 ? q.canonical() : '<unset>'
    w.write(
      LEVEL_2,
      `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${str(v.emptyDir.medium)}\n    SizeLimit:\t${size}\n`,
    )
    return
  }
  if (v.secret) {
    w.write(
      LEVEL_2,
      `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${str(v.secret.secretName)}\n    Optional:\t${v.secret.optional === true}\n`,
    )
    return
  }
  if (v.configMap) {
    w.write(
      LEVEL_2,
      `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${str(v.configMap.name)}\n    Optional:\t${v.configMap.optional === true}\n`,
    )
    return
  }
  if (v.nfs) return printNFS(v.nfs, w)
  if (v.persistentVolumeClaim) {
    w.write(
      LEVEL_2,
      `Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${str(v.persistentVolumeClaim.claimName)}\n    ReadOnly:\t${v.persistentVolumeClaim.readOnly === true}\n`,
    )
    return
  }
  if (v.ephemeral) {
    w.write(
      LEVEL_2,
      'Type:\tEphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)\n',
    )
    const t = v.ephemeral.volumeClaimTemplate
    if (t)
      printPersistentVolumeClaim(
        new NestedPrefixWriter(w, LEVEL_2),
        {metadata: t.metadata ?? {}, spec: t.spec ?? {}},
        false,
      )
    return
  }
  if (v.downwardAPI) {
    w.write(LEVEL_2, 'Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n')
    for (const m of v.downwardAPI.items ?? []) {
      if (m.fieldRef) w.write(LEVEL_3, `${str(m.fieldRef.fieldPath)} -> ${str(m.path)}\n`)
      if (m.resourceFieldRef) w.write(LEVEL_3, `${str(m.resourceFieldRef.resource)} -> ${str(m.path)}\n`)
    }
    return
  }
  if (v.projected) {
    w.write(LEVEL_2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n')
    for (const s of v.projected.sources ?? []) {
      if (s.secret) {
        w.write(LEVEL_2, `SecretName:\t${str(s.secret.name)}\n    SecretOptionalName:\t${goPtr(s.secret.optional)}\n`)
      } else if (s.downwardAPI) {
        w.write(LEVEL_2, 'DownwardAPI:\ttrue\n')
      } else if (s.configMap) {
        w.write(
          LEVEL_2,
          `ConfigMapName:\t${str(s.configMap.name)}\n    ConfigMapOptional:\t${goPtr(s.configMap.optional)}\n`,
        )
      } else if (s.serviceAccountToken) {
        w.write(LEVEL_2, `TokenExpirationSeconds:\t${num(s.serviceAccountToken.expirationSeconds)}\n`)
      }
    }
    return
  }
  if (v.csi) {
    w.write(
      LEVEL_2,
      `Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t${str(v.csi.driver)}\n    FSType:\t${str(v.csi.fsType)}\n    ReadOnly:\t${v.csi.readOnly === true}\n`,
    )
    printCSIAttributes(w, v.csi.volumeAttributes)
    return
  }
  if (v.image) {
    w.write(
      LEVEL_2,
      `Type:\tImage (a container image or OCI artifact)\n    Reference:\t${str(v.image.reference)}\n    PullPolicy:\t${str(v.image.pullPolicy)}\n`,
    )
    return
  }
  w.write(LEVEL_1, '<unknown>\n')
}

// goPtr prints a *bool as %v does for nil; a set pointer prints its address in kubectl (not reproducible), so its
// value is printed instead.
function goPtr(v: unknown): string {
  return v === undefined || v === null ? '<nil>' : String(v)
}

/** printHostPath is printHostPathVolumeSource. */
export function printHostPath(h: Obj, w: PrefixWriter): void {
  w.write(
    LEVEL_2,
    `Type:\tHostPath (bare host directory volume)\n    Path:\t${str(h.path)}\n    HostPathType:\t${h.type !== undefined && h.type !== null ? str(h.type) : '<none>'}\n`,
  )
}

/** printNFS is printNFSVolumeSource. */
export function printNFS(n: Obj, w: PrefixWriter): void {
  w.write(
    LEVEL_2,
    `Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t${str(n.server)}\n    Path:\t${str(n.path)}\n    ReadOnly:\t${n.readOnly === true}\n`,
  )
}

/** printCSIAttributes is printCSIPersistentVolumeAttributesMultiline. */
export function printCSIAttributes(w: PrefixWriter, attrs: Record<string, string> | undefined): void {
  w.write(LEVEL_2, 'VolumeAttributes:\t')
  const keys = goSortStrings(Object.keys(attrs ?? {}))
  if (keys.length === 0) {
    w.writeLine('<none>')
    return
  }
  keys.forEach((k, i) => {
    if (i !== 0) w.write(LEVEL_2, '\t')
    const line = `${k}=${attrs![k]}`
    const b = Buffer.from(line, 'utf8')
    w.write(LEVEL_2, b.length > 140 ? `${b.subarray(0, 140).toString('utf8')}...\n` : `${line}\n`)
  })
}

/** printPersistentVolumeClaim prints a PVC, or the fields of a claim template when full is false. */
export function printPersistentVolumeClaim(w: PrefixWriter, pvc: Obj, full: boolean, now = Date.now()): void {
  const meta = pvc.metadata ?? {}
  const spec = pvc.spec ?? {}
  const status = pvc.status ?? {}
  if (full) {
    w.write(LEVEL_0, `Name:\t${str(meta.name)}\n`)
    w.write(LEVEL_0, `Namespace:\t${str(meta.namespace)}\n`)
  }
  w.write(LEVEL_0, `StorageClass:\t${pvcClass(pvc)}\n`)
  if (full) {
    if (meta.deletionTimestamp)
      w.write(LEVEL_0, `Status:\tTerminating (lasts ${timestampSince(meta.deletionTimestamp, now)})\n`)
    else w.write(LEVEL_0, `Status:\t${str(status.phase)}\n`)
  }
  w.write(LEVEL_0, `Volume:\t${str(spec.volumeName)}\n`)
  printLabelsMultiline(w, 'Labels', meta.labels)
  printAnnotationsMultiline(w, 'Annotations', meta.annotations)
  if (full) w.write(LEVEL_0, `Finalizers:\t${goList(meta.finalizers)}\n`)
  let capacity = ''
  let accessModes = ''
  if (spec.volumeName) {
    accessModes = accessModesString(status.accessModes)
    capacity = quantityString(status.capacity?.storage)
  }
  w.write(LEVEL_0, `Capacity:\t${capacity}\n`)
  w.write(LEVEL_0, `Access Modes:\t${accessModes}\n`)
  if (spec.volumeMode) w.write(LEVEL_0, `VolumeMode:\t${spec.volumeMode}\n`)
  if (spec.dataSource) {
    w.write(LEVEL_0, 'DataSource:\n')
    if (spec.dataSource.apiGroup !== undefined && spec.dataSource.apiGroup !== null) {
      w.write(LEVEL_1, `APIGroup:\t${spec.dataSource.apiGroup}\n`)
    }
    w.write(LEVEL_1, `Kind:\t${str(spec.dataSource.kind)}\n`)
    w.write(LEVEL_1, `Name:\t${str(spec.dataSource.name)}\n`)
  }
}

/** describePodTemplate prints a pod template (DescribePodTemplate). */
export function describePodTemplate(template: Obj | undefined, w: PrefixWriter): void {
  w.write(LEVEL_0, 'Pod Template:\n')
  if (!template) {
    w.write(LEVEL_1, '<unset>')
    return
  }
  const meta = template.metadata ?? {}
  const spec = template.spec ?? {}
  printLabelsMultiline(w, '  Labels', meta.labels)
  if (Object.keys(meta.annotations ?? {}).length > 0) printAnnotationsMultiline(w, '  Annotations', meta.annotations)
  if (spec.serviceAccountName) w.write(LEVEL_1, `Service Account:\t${spec.serviceAccountName}\n`)
  if ((spec.initContainers ?? []).length > 0)
    describeContainers('Init Containers', spec.initContainers, undefined, undefined, w, '  ')
  describeContainers('Containers', spec.containers ?? [], undefined, undefined, w, '  ')
  describeVolumes(spec.volumes, w, '  ')
  describeTopologySpreadConstraints(spec.topologySpreadConstraints, w, '  ')
  if (spec.priorityClassName) w.write(LEVEL_1, `Priority Class Name:\t${spec.priorityClassName}\n`)
  printLabelsMultiline(w, '  Node-Selectors', spec.nodeSelector)
  printTolerationsMultiline(w, '  Tolerations', spec.tolerations)
}
