// env.ts: a container's environment as the kubelet builds it before CreateContainer (follows
// pkg/kubelet/kubelet_pods.go makeEnvironmentVariables, getServiceEnvVarMap, podFieldSelectorRuntimeValue,
// pkg/kubelet/envvars/envvars.go FromServices, pkg/api/v1/resource/helpers.go ExtractContainerResourceValue and
// pkg/fieldpath/fieldpath.go). The runtime adds the image's own ENV and HOSTNAME underneath.
import type {ConfigMap, Container, Pod, Secret, Service} from 'kubernetes-types/core/v1.js'
import {parseQuantity} from '../../api/quantity.js'
import {expandK8sVars} from '../runtime/runtime.js'

/** EnvSources is where references in a container's env are read from (the kubelet's informer caches). */
export interface EnvSources {
  configMap(namespace: string, name: string): ConfigMap | undefined
  secret(namespace: string, name: string): Secret | undefined
  /** services lists the Services of a namespace. */
  services(namespace: string): Service[]
  /** allocatable is the node's allocatable resources (limits that are not set default to them). */
  allocatable(): Record<string, string>
}

/** EnvResult is the resolved environment, or the error CreateContainerConfigError shows. */
export type EnvResult = {ok: true; env: Record<string, string>; warnings: string[]} | {ok: false; message: string}

/** MASTER_SERVICES are the default-namespace services every pod gets variables for (kubelet masterServices). */
const MASTER_SERVICES = new Set(['kubernetes'])

function envName(s: string): string {
  return s.replaceAll('-', '_').toUpperCase()
}

/** serviceEnv is the docker-link style variables of Services (envvars.FromServices). */
export function serviceEnv(services: Service[]): Map<string, string> {
  const out = new Map<string, string>()
  for (const svc of services) {
    const ip = svc.spec?.clusterIP
    const ports = svc.spec?.ports ?? []
    if (!ip || ip === 'None' || ports.length === 0) continue
    const prefix = envName(svc.metadata?.name ?? '')
    out.set(`${prefix}_SERVICE_HOST`, ip)
    out.set(`${prefix}_SERVICE_PORT`, String(ports[0]!.port))
    for (const p of ports) if (p.name) out.set(`${prefix}_SERVICE_PORT_${envName(p.name)}`, String(p.port))
    const host = ip.includes(':') ? `[${ip}]` : ip
    ports.forEach((p, i) => {
      const proto = p.protocol ?? 'TCP'
      const url = `${proto.toLowerCase()}://${host}:${p.port}`
      if (i === 0) out.set(`${prefix}_PORT`, url)
      const pp = `${prefix}_PORT_${p.port}_${proto.toUpperCase()}`
      out.set(pp, url)
      out.set(`${pp}_PROTO`, proto.toLowerCase())
      out.set(`${pp}_PORT`, String(p.port))
      out.set(`${pp}_ADDR`, ip)
    })
  }
  return out
}

/** podServices picks the Services whose variables a pod gets (getServiceEnvVarMap). */
function podServices(pod: Pod, src: EnvSources): Service[] {
  const ns = pod.metadata?.namespace ?? 'default'
  const links = pod.spec?.enableServiceLinks !== false
  const byName = new Map<string, Service>()
  for (const svc of src.services('default')) {
    const name = svc.metadata?.name ?? ''
    if (MASTER_SERVICES.has(name)) byName.set(name, svc)
  }
  if (links) {
    for (const svc of src.services(ns)) {
      const name = svc.metadata?.name ?? ''
      if (ns === 'default' && MASTER_SERVICES.has(name)) continue
      byName.set(name, svc)
    }
  }
  return [...byName.values()].sort((a, b) => (a.metadata!.name! < b.metadata!.name! ? -1 : 1))
}

/** formatMap prints labels or annotations as the downward API does: sorted `key="value"` lines. */
function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(m![k])}`)
    .join('\n')
}

/** fieldRefValue is the value of a downward-API fieldPath, or an error message. */
export function fieldRefValue(pod: Pod, path: string): {value: string} | {error: string} {
  const sub = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path)
  if (sub) return {value: (pod.metadata?.[sub[1] as 'labels'] ?? {})[sub[2]!] ?? ''}
  switch (path) {
    case 'metadata.name':
      return {value: pod.metadata?.name ?? ''}
    case 'metadata.namespace':
      return {value: pod.metadata?.namespace ?? ''}
    case 'metadata.uid':
      return {value: pod.metadata?.uid ?? ''}
    case 'metadata.labels':
      return {value: formatMap(pod.metadata?.labels)}
    case 'metadata.annotations':
      return {value: formatMap(pod.metadata?.annotations)}
    case 'spec.nodeName':
      return {value: pod.spec?.nodeName ?? ''}
    case 'spec.serviceAccountName':
      return {value: pod.spec?.serviceAccountName ?? ''}
    case 'status.hostIP':
      return {value: pod.status?.hostIP ?? ''}
    case 'status.hostIPs':
      return {value: (pod.status?.hostIPs ?? []).map((i) => i.ip).join(',')}
    case 'status.podIP':
      return {value: pod.status?.podIP ?? ''}
    case 'status.podIPs':
      return {value: (pod.status?.podIPs ?? []).map((i) => i.ip).join(',')}
  }
  return {error: `unsupported fieldPath: ${path}`}
}

/**
 * resourceFieldValue is a resourceFieldRef's value: limits that are not set are the node's allocatable, requests
 * that are not set are 0; divided by the divisor (default 1) and rounded up (cpu in millicores).
 */
export function resourceFieldValue(
  c: Container,
  resource: string,
  divisor: string | undefined,
  allocatable: Record<string, string>,
): {value: string} | {error: string} {
  const m = /^(limits|requests)\.(.+)$/.exec(resource)
  if (!m) return {error: `unsupported container resource : ${resource}`}
  const [, kind, name] = m as unknown as [string, 'limits' | 'requests', string]
  let q = (c.resources?.[kind] as Record<string, string | number> | undefined)?.[name]
  if (q === undefined && kind === 'limits') q = allocatable[name]
  try {
    const v = parseQuantity(String(q ?? '0'))
    const d = parseQuantity(divisor === undefined || String(divisor) === '0' ? '1' : String(divisor))
    const n = name === 'cpu' ? v.milliValue() / d.milliValue() : v.value() / d.value()
    return {value: String(Math.ceil(n))}
  } catch (e) {
    return {error: e instanceof Error ? e.message : String(e)}
  }
}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/

function secretValue(s: Secret, key: string): string | undefined {
  const b64 = s.data?.[key]
  if (b64 !== undefined) return Buffer.from(b64, 'base64').toString('utf8')
  return (s as {stringData?: Record<string, string>}).stringData?.[key]
}

/**
 * resolveEnv builds a container's environment: service variables, then envFrom in order, then env in order
 * (a later entry wins; `$(VAR)` refers to what is defined so far or to a service variable). A reference to a
 * missing ConfigMap, Secret or key that is not optional fails with the kubelet's message.
 */
export function resolveEnv(pod: Pod, c: Container, src: EnvSources): EnvResult {
  const ns = pod.metadata?.namespace ?? 'default'
  const svcEnv = serviceEnv(podServices(pod, src))
  const env = new Map<string, string>()
  const warnings: string[] = []
  // Variables $(VAR) may name: the container's own so far, then the service ones.
  const vars = new Map(svcEnv)
  const set = (k: string, v: string) => {
    env.set(k, v)
    vars.set(k, v)
  }
  for (const from of c.envFrom ?? []) {
    const prefix = from.prefix ?? ''
    let data: Record<string, string> = {}
    let what: string
    if (from.configMapRef) {
      const name = from.configMapRef.name ?? ''
      what = `configMap ${ns}/${name}`
      const cm = src.configMap(ns, name)
      if (!cm) {
        if (from.configMapRef.optional) continue
        return {ok: false, message: `configmap "${name}" not found`}
      }
      data = cm.data ?? {}
    } else if (from.secretRef) {
      const name = from.secretRef.name ?? ''
      what = `secret ${ns}/${name}`
      const s = src.secret(ns, name)
      if (!s) {
        if (from.secretRef.optional) continue
        return {ok: false, message: `secret "${name}" not found`}
      }
      for (const k of Object.keys(s.data ?? {})) data[k] = secretValue(s, k) ?? ''
    } else continue
    const invalid: string[] = []
    for (const [k0, v] of Object.entries(data)) {
      const k = prefix + k0
      if (!ENV_NAME.test(k)) invalid.push(k)
      else set(k, v)
    }
    if (invalid.length > 0)
      warnings.push(
        `Keys [${invalid.sort().join(', ')}] from the EnvFrom ${what} were skipped since they are considered invalid environment variable names.`,
      )
  }
  for (const e of c.env ?? []) {
    const vf = e.valueFrom
    if (!vf) {
      set(e.name, e.value === undefined ? '' : expandK8sVars(e.value, vars))
      continue
    }
    if (vf.fieldRef) {
      const r = fieldRefValue(pod, vf.fieldRef.fieldPath)
      if ('error' in r) return {ok: false, message: r.error}
      set(e.name, r.value)
    } else if (vf.resourceFieldRef) {
      const r = resourceFieldValue(
        c,
        vf.resourceFieldRef.resource,
        vf.resourceFieldRef.divisor as string | undefined,
        src.allocatable(),
      )
      if ('error' in r) return {ok: false, message: r.error}
      set(e.name, r.value)
    } else if (vf.configMapKeyRef) {
      const {name = '', key, optional} = vf.configMapKeyRef
      const cm = src.configMap(ns, name)
      if (!cm) {
        if (optional) continue
        return {ok: false, message: `configmap "${name}" not found`}
      }
      const v = cm.data?.[key]
      if (v === undefined) {
        if (optional) continue
        return {ok: false, message: `couldn't find key ${key} in ConfigMap ${ns}/${name}`}
      }
      set(e.name, v)
    } else if (vf.secretKeyRef) {
      const {name = '', key, optional} = vf.secretKeyRef
      const s = src.secret(ns, name)
      if (!s) {
        if (optional) continue
        return {ok: false, message: `secret "${name}" not found`}
      }
      const v = secretValue(s, key)
      if (v === undefined) {
        if (optional) continue
        return {ok: false, message: `couldn't find key ${key} in Secret ${ns}/${name}`}
      }
      set(e.name, v)
    }
  }
  // The container's own variables win over the service ones.
  for (const [k, v] of svcEnv) if (!env.has(k)) env.set(k, v)
  return {ok: true, env: Object.fromEntries(env), warnings}
}
