// service.ts: Service and Endpoints. Defaults follow SetDefaults_Service (pkg/apis/core/v1/defaults.go); cluster IPs,
// IP families and node ports follow the Service REST storage (pkg/registry/core/service/storage/alloc.go:
// initIPFamilyFields, allocClusterIPs, initNodePorts, and patchAllocatedValues on update); dropping fields a new type
// no longer uses follows dropTypeDependentFields in strategy.go; validation follows ValidateService(Update).
import {isDeepStrictEqual} from 'node:util'
import {
  fieldDuplicate,
  fieldForbidden,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  internalError,
  invalid,
  type FieldError,
} from '../../../api/errors.js'
import type {KubeObject} from '../../../api/object.js'
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  isValidPortName,
  isValidPortNum,
  validateLabels,
} from '../../../api/validation.js'
import {AllocationError, ipToNumber} from '../allocators.js'
import type {Strategy, StrategyContext} from '../types.js'
import {fieldInvalidRendered, goIntOrString, goStringSlice, isObject} from './go-format.js'

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']
const PROTOCOLS = ['SCTP', 'TCP', 'UDP']

function spec(o: KubeObject): Record<string, any> {
  if (!isObject(o.spec)) o.spec = {}
  return o.spec as Record<string, any>
}

function externallyAccessible(s: any): boolean {
  return s.type === 'LoadBalancer' || s.type === 'NodePort'
}

function needsClusterIP(s: any): boolean {
  return s.type !== 'ExternalName'
}

function needsNodePorts(s: any): boolean {
  return s.type === 'NodePort' || (s.type === 'LoadBalancer' && s.allocateLoadBalancerNodePorts !== false)
}

function needsHealthCheckNodePort(s: any): boolean {
  return s.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local'
}

function isHeadless(s: any): boolean {
  return s.clusterIP === 'None' || (Array.isArray(s.clusterIPs) && s.clusterIPs[0] === 'None')
}

/** defaultService is SetDefaults_Service. */
export function defaultService(s: Record<string, any>): void {
  if (!s.sessionAffinity) s.sessionAffinity = 'None'
  if (s.sessionAffinity === 'None') delete s.sessionAffinityConfig
  if (s.sessionAffinity === 'ClientIP' && typeof s.sessionAffinityConfig?.clientIP?.timeoutSeconds !== 'number') {
    s.sessionAffinityConfig = {clientIP: {timeoutSeconds: 10800}}
  }
  if (!s.type) s.type = 'ClusterIP'
  for (const p of Array.isArray(s.ports) ? s.ports : []) {
    if (!isObject(p)) continue
    if (!p.protocol) p.protocol = 'TCP'
    if (p.targetPort === undefined || p.targetPort === null || p.targetPort === 0 || p.targetPort === '')
      p.targetPort = p.port
  }
  if (externallyAccessible(s) && !s.externalTrafficPolicy) s.externalTrafficPolicy = 'Cluster'
  if (!s.internalTrafficPolicy && s.type !== 'ExternalName') s.internalTrafficPolicy = 'Cluster'
  if (s.type === 'LoadBalancer') s.allocateLoadBalancerNodePorts ??= true
}

function allocationFailed(o: KubeObject, field: FieldError): never {
  throw invalid('Service', '', String(o.metadata?.name ?? ''), [field])
}

function allocateIPs(o: KubeObject, ctx: StrategyContext) {
  const s = spec(o)
  const a = ctx.allocators
  if (!needsClusterIP(s)) {
    delete s.clusterIP
    delete s.clusterIPs
    delete s.ipFamilies
    delete s.ipFamilyPolicy
    return
  }
  let ips: string[] =
    Array.isArray(s.clusterIPs) && s.clusterIPs.length ? s.clusterIPs : s.clusterIP ? [s.clusterIP] : []
  if (ips.length === 0 && a) {
    try {
      ips = [a.allocateClusterIP()]
    } catch (e) {
      if (e instanceof AllocationError) throw internalError(`failed to allocate a serviceIP: ${e.message}`)
      throw e
    }
  } else if (ips[0] !== 'None' && a && ipToNumber(ips[0]!) !== undefined) {
    try {
      a.allocateClusterIP(ips[0])
    } catch (e) {
      if (!(e instanceof AllocationError)) throw e
      allocationFailed(
        o,
        fieldInvalidRendered('spec.clusterIPs', goStringSlice(ips), `failed to allocate IP ${ips[0]}: ${e.message}`),
      )
    }
  }
  if (ips.length) {
    s.clusterIPs = ips
    if (!s.clusterIP) s.clusterIP = ips[0]
  }
  if (!s.ipFamilyPolicy) {
    s.ipFamilyPolicy = isHeadless(s) && Object.keys(s.selector ?? {}).length === 0 ? 'RequireDualStack' : 'SingleStack'
  }
  if (!Array.isArray(s.ipFamilies) || s.ipFamilies.length === 0) s.ipFamilies = ['IPv4']
}

function allocatePorts(o: KubeObject, ctx: StrategyContext, old?: Record<string, any>) {
  const s = spec(o)
  const a = ctx.allocators
  if (!a) return
  const held = new Set<number>()
  for (const p of old?.ports ?? []) if (typeof p?.nodePort === 'number') held.add(p.nodePort)
  if (typeof old?.healthCheckNodePort === 'number') held.add(old.healthCheckNodePort)
  const reserve = (port: number, field: string) => {
    if (held.has(port)) return
    try {
      a.allocateNodePort(port)
      held.add(port)
    } catch (e) {
      if (!(e instanceof AllocationError)) throw e
      allocationFailed(o, fieldInvalid(field, port, e.message))
    }
  }
  const next = () => {
    try {
      const port = a.allocateNodePort()
      held.add(port)
      return port
    } catch (e) {
      if (e instanceof AllocationError) throw internalError(`failed to allocate a nodePort: ${e.message}`)
      throw e
    }
  }
  const ports: any[] = Array.isArray(s.ports) ? s.ports : []
  const byPort = new Map<number, number>()
  const allocate = needsNodePorts(s)
  ports.forEach((p, i) => {
    if (!isObject(p)) return
    if (!p.nodePort && !allocate) return
    if (!allocate && s.type !== 'LoadBalancer') return
    const shared = byPort.get(p.port)
    if (shared === undefined) {
      const requested = p.nodePort || ports.slice(i).find((x) => x?.port === p.port && x?.nodePort)?.nodePort
      if (requested) {
        reserve(requested, `spec.ports[${i}].nodePort`)
        p.nodePort = requested
      } else {
        p.nodePort = next()
      }
      byPort.set(p.port, p.nodePort)
    } else if (p.nodePort !== shared) {
      if (!p.nodePort) p.nodePort = shared
      else reserve(p.nodePort, `spec.ports[${i}].nodePort`)
    }
  })
  if (needsHealthCheckNodePort(s)) {
    if (s.healthCheckNodePort) reserve(s.healthCheckNodePort, 'spec.healthCheckNodePort')
    else s.healthCheckNodePort = next()
  }
}

function releaseAll(s: any, ctx: StrategyContext) {
  const a = ctx.allocators
  if (!a) return
  for (const ip of Array.isArray(s?.clusterIPs) ? s.clusterIPs : []) if (ip && ip !== 'None') a.releaseClusterIP(ip)
  for (const p of Array.isArray(s?.ports) ? s.ports : [])
    if (typeof p?.nodePort === 'number') a.releaseNodePort(p.nodePort)
  if (typeof s?.healthCheckNodePort === 'number') a.releaseNodePort(s.healthCheckNodePort)
}

/** dropTypeDependentFields clears what a new type does not use when the client left the old value in place. */
function dropTypeDependentFields(n: Record<string, any>, o: Record<string, any>) {
  if (!needsClusterIP(n) && needsClusterIP(o)) {
    if (isDeepStrictEqual(n.clusterIPs, o.clusterIPs) || n.clusterIP === o.clusterIP) {
      delete n.clusterIP
      delete n.clusterIPs
    }
    if (isDeepStrictEqual(n.ipFamilies, o.ipFamilies)) delete n.ipFamilies
    if (n.ipFamilyPolicy === o.ipFamilyPolicy) delete n.ipFamilyPolicy
  }
  if (!needsNodePorts(n) && needsNodePorts(o)) {
    for (const p of Array.isArray(n.ports) ? n.ports : []) {
      const before = (o.ports ?? []).find((x: any) => x?.port === p?.port && x?.protocol === p?.protocol)
      if (p?.nodePort && before && p.nodePort === before.nodePort) delete p.nodePort
    }
  }
  if (!needsHealthCheckNodePort(n) && needsHealthCheckNodePort(o) && n.healthCheckNodePort === o.healthCheckNodePort) {
    delete n.healthCheckNodePort
  }
  if (n.type !== 'LoadBalancer' && n.allocateLoadBalancerNodePorts === o.allocateLoadBalancerNodePorts) {
    delete n.allocateLoadBalancerNodePorts
  }
  if (!externallyAccessible(n) && n.externalTrafficPolicy === o.externalTrafficPolicy) delete n.externalTrafficPolicy
  if (n.type === 'ExternalName' && n.internalTrafficPolicy === o.internalTrafficPolicy) delete n.internalTrafficPolicy
}

/** patchAllocatedValues carries over cluster IPs and node ports a PUT left out (replace without them works). */
function patchAllocatedValues(n: Record<string, any>, o: Record<string, any>) {
  if (needsClusterIP(o) && needsClusterIP(n)) {
    if (!n.clusterIP) n.clusterIP = o.clusterIP
    if ((!Array.isArray(n.clusterIPs) || n.clusterIPs.length === 0) && n.clusterIP === o.clusterIP)
      n.clusterIPs = o.clusterIPs
    if (!n.ipFamilies && o.ipFamilies) n.ipFamilies = o.ipFamilies
    if (!n.ipFamilyPolicy && o.ipFamilyPolicy) n.ipFamilyPolicy = o.ipFamilyPolicy
  }
  if (needsNodePorts(o) && needsNodePorts(n)) {
    for (const p of Array.isArray(n.ports) ? n.ports : []) {
      if (!isObject(p) || p.nodePort) continue
      const before = (o.ports ?? []).find((x: any) => x?.port === p.port && x?.protocol === p.protocol)
      if (before?.nodePort) p.nodePort = before.nodePort
    }
  }
  if (needsHealthCheckNodePort(o) && needsHealthCheckNodePort(n) && !n.healthCheckNodePort) {
    n.healthCheckNodePort = o.healthCheckNodePort
  }
}

function goServicePort(p: any): string {
  const app = p.appProtocol === undefined ? '(*string)(nil)' : '(*string)(0xc000a1c0d0)'
  return `core.ServicePort{Name:${JSON.stringify(String(p.name ?? ''))}, Protocol:${JSON.stringify(String(p.protocol ?? ''))}, AppProtocol:${app}, Port:${Number(p.port ?? 0)}, TargetPort:${goIntOrString(p.targetPort ?? 0)}, NodePort:${Number(p.nodePort ?? 0)}}`
}

/** validateService is ValidateService for the common mistakes. */
export function validateService(o: KubeObject): FieldError[] {
  const s = spec(o)
  const errs: FieldError[] = []
  const ports: any[] = Array.isArray(s.ports) ? s.ports : []
  const headless = isHeadless(s)
  if (s.type === 'ExternalName') {
    if (!s.externalName) errs.push(fieldRequired('spec.externalName'))
    else {
      const name = String(s.externalName).replace(/\.$/, '')
      for (const m of isDNS1123Subdomain(name)) errs.push(fieldInvalid('spec.externalName', s.externalName, m))
    }
  } else if (ports.length === 0 && !headless) {
    errs.push(fieldRequired('spec.ports'))
  }
  if (s.type === 'ClusterIP' || s.type === 'NodePort' || s.type === 'LoadBalancer') {
    const ips: string[] = Array.isArray(s.clusterIPs) ? s.clusterIPs : []
    ips.forEach((ip, i) => {
      if (ip === 'None') {
        if (i > 0) errs.push(fieldInvalid(`spec.clusterIPs[${i}]`, ip, "'None' must be the first and only value"))
        else if (s.type !== 'ClusterIP')
          errs.push(fieldInvalid('spec.clusterIPs[0]', ip, `may not be set to 'None' for ${s.type} services`))
      } else if (ipToNumber(ip) === undefined) {
        errs.push(
          fieldInvalid(`spec.clusterIPs[${i}]`, ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'),
        )
      }
    })
    if (s.clusterIP && ips.length && s.clusterIP !== ips[0]) {
      errs.push(fieldInvalid('spec.clusterIPs', ips, 'first value must match `clusterIP`'))
    }
  }
  const names = new Set<string>()
  const seen: any[] = []
  ports.forEach((p, i) => {
    const ip = `spec.ports[${i}]`
    if (ports.length > 1 && !p?.name) errs.push(fieldRequired(`${ip}.name`))
    else if (p?.name) {
      for (const m of isDNS1123Label(p.name)) errs.push(fieldInvalid(`${ip}.name`, p.name, m))
      if (names.has(p.name)) errs.push(fieldDuplicate(`${ip}.name`, p.name))
      names.add(p.name)
    }
    for (const m of isValidPortNum(Number(p?.port ?? 0))) errs.push(fieldInvalid(`${ip}.port`, p?.port ?? 0, m))
    if (!p?.protocol) errs.push(fieldRequired(`${ip}.protocol`))
    else if (!PROTOCOLS.includes(p.protocol)) errs.push(fieldNotSupported(`${ip}.protocol`, p.protocol, PROTOCOLS))
    const tp = p?.targetPort
    if (typeof tp === 'number') for (const m of isValidPortNum(tp)) errs.push(fieldInvalid(`${ip}.targetPort`, tp, m))
    else if (typeof tp === 'string')
      for (const m of isValidPortName(tp)) errs.push(fieldInvalid(`${ip}.targetPort`, tp, m))
    if (p?.nodePort && (s.type === 'ClusterIP' || s.type === 'ExternalName')) {
      errs.push(fieldForbidden(`${ip}.nodePort`, `may not be used when \`type\` is '${s.type}'`))
    }
    if (seen.some((x) => x?.port === p?.port && x?.protocol === p?.protocol)) errs.push(fieldDuplicate(ip, {}))
    seen.push(p)
  })
  // Duplicate ports render as the internal ServicePort struct.
  for (const e of errs) {
    const m = /^spec\.ports\[(\d+)\]$/.exec(e.field)
    if (m && e.type === 'FieldValueDuplicate') e.message = `Duplicate value: ${goServicePort(ports[Number(m[1])])}`
  }
  if (!TYPES.includes(s.type)) errs.push(fieldNotSupported('spec.type', s.type ?? '', TYPES))
  if (s.sessionAffinity && !['ClientIP', 'None'].includes(s.sessionAffinity)) {
    errs.push(fieldNotSupported('spec.sessionAffinity', s.sessionAffinity, ['ClientIP', 'None']))
  }
  errs.push(...validateLabels(s.selector, 'spec.selector'))
  const etp = s.externalTrafficPolicy
  if (etp) {
    if (!externallyAccessible(s)) {
      errs.push(fieldInvalid('spec.externalTrafficPolicy', etp, 'may only be set for externally-accessible services'))
    } else if (etp !== 'Cluster' && etp !== 'Local') {
      errs.push(fieldNotSupported('spec.externalTrafficPolicy', etp, ['Cluster', 'Local']))
    }
  }
  const itp = s.internalTrafficPolicy
  if (itp && itp !== 'Cluster' && itp !== 'Local')
    errs.push(fieldNotSupported('spec.internalTrafficPolicy', itp, ['Cluster', 'Local']))
  return errs
}

function validateServiceUpdate(o: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateService(o)
  const n = spec(o)
  const p = (old.spec ?? {}) as Record<string, any>
  if (n.type === 'ExternalName' || p.type === 'ExternalName') return errs
  if (isHeadless(n) && isHeadless(p)) return errs
  const ni: string[] = n.clusterIPs ?? []
  const oi: string[] = p.clusterIPs ?? []
  if (ni.length === oi.length) {
    oi.forEach((ip, i) => {
      if (ip !== ni[i])
        errs.push(fieldInvalidRendered(`spec.clusterIPs[${i}]`, goStringSlice(ni), 'may not change once set'))
    })
  } else if (ni.length === 0 && oi.length > 0) {
    errs.push(fieldInvalidRendered('spec.clusterIPs[0]', goStringSlice(ni), 'primary clusterIP can not be unset'))
  }
  return errs
}

/** serviceStrategy is the Service strategy. */
export const serviceStrategy: Strategy = {
  prepareForCreate(o, ctx) {
    const s = spec(o)
    defaultService(s)
    allocateIPs(o, ctx)
    allocatePorts(o, ctx)
    o.status = {loadBalancer: {}}
  },
  prepareForUpdate(o, old, ctx) {
    const s = spec(o)
    const p = (old.spec ?? {}) as Record<string, any>
    defaultService(s)
    dropTypeDependentFields(s, p)
    patchAllocatedValues(s, p)
    if (needsClusterIP(s) && !needsClusterIP(p)) allocateIPs(o, ctx)
    if (!needsClusterIP(s)) allocateIPs(o, ctx)
    allocatePorts(o, ctx, p)
  },
  validate: validateService,
  validateUpdate: validateServiceUpdate,
  afterDelete(o, ctx) {
    releaseAll(o.spec, ctx)
  },
}

/** endpointsStrategy is the Endpoints strategy: ports default to TCP; PUT may create. */
export const endpointsStrategy: Strategy = {
  allowCreateOnUpdate: true,
  prepareForCreate(o) {
    defaultEndpoints(o)
  },
  prepareForUpdate(o) {
    defaultEndpoints(o)
  },
}

function defaultEndpoints(o: KubeObject) {
  for (const subset of Array.isArray(o.subsets) ? o.subsets : []) {
    for (const p of Array.isArray(subset?.ports) ? subset.ports : []) if (isObject(p) && !p.protocol) p.protocol = 'TCP'
  }
}
