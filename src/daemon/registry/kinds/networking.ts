// networking.ts: Ingress, IngressClass and NetworkPolicy. Defaults follow pkg/apis/networking/v1/defaults.go;
// validation follows pkg/apis/networking/validation/validation.go (ValidateIngressSpec, validateIngressBackend).
import {fieldInvalid, fieldNotSupported, fieldRequired, type FieldError} from '../../../api/errors.js'
import type {KubeObject} from '../../../api/object.js'
import {validateLabelSelector} from '../../../api/labels.js'
import {isDNS1035Label, isDNS1123Subdomain, isValidPortName, isValidPortNum} from '../../../api/validation.js'
import type {Strategy} from '../types.js'
import {fieldInvalidRendered, isObject} from './go-format.js'
import {ipToNumber} from '../allocators.js'

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix']

function validateBackend(b: any, path: string): FieldError[] {
  const hasResource = isObject(b?.resource)
  const hasService = isObject(b?.service)
  if (hasResource && hasService) return [fieldInvalid(path, '', 'cannot set both resource and service backends')]
  if (hasResource) {
    const errs: FieldError[] = []
    if (!b.resource.kind) errs.push(fieldRequired(`${path}.resource.kind`))
    if (!b.resource.name) errs.push(fieldRequired(`${path}.resource.name`))
    return errs
  }
  if (!hasService) return [fieldInvalid(path, '', 'resource or service backend is required')]
  const errs: FieldError[] = []
  const svc = b.service
  if (!svc.name) errs.push(fieldRequired(`${path}.service.name`))
  else for (const m of isDNS1035Label(svc.name)) errs.push(fieldInvalid(`${path}.service.name`, svc.name, m))
  const name = svc.port?.name
  const num = svc.port?.number
  if (name && num) errs.push(fieldInvalid(`${path}`, '', 'cannot set both port name & port number'))
  else if (name) for (const m of isValidPortName(name)) errs.push(fieldInvalid(`${path}.service.port.name`, name, m))
  else if (num) for (const m of isValidPortNum(num)) errs.push(fieldInvalid(`${path}.service.port.number`, num, m))
  else errs.push(fieldRequired(`${path}.service.port.name`, 'port name or number is required'))
  return errs
}

function validateIngress(o: KubeObject): FieldError[] {
  const s = (isObject(o.spec) ? o.spec : {}) as Record<string, any>
  const errs: FieldError[] = []
  const rules: any[] = Array.isArray(s.rules) ? s.rules : []
  if (rules.length === 0 && !s.defaultBackend) {
    const rendered = Array.isArray(s.rules) ? '[]networking.IngressRule{}' : '[]networking.IngressRule(nil)'
    errs.push(fieldInvalidRendered('spec', rendered, 'either `defaultBackend` or `rules` must be specified'))
  }
  if (s.defaultBackend) errs.push(...validateBackend(s.defaultBackend, 'spec.defaultBackend'))
  rules.forEach((r, i) => {
    const rp = `spec.rules[${i}]`
    if (r?.host) {
      const host = String(r.host)
      if (ipToNumber(host) !== undefined)
        errs.push(fieldInvalid(`${rp}.host`, host, 'must be a DNS name, not an IP address'))
      else {
        const check = host.startsWith('*.') ? host.slice(2) : host
        for (const m of isDNS1123Subdomain(check)) errs.push(fieldInvalid(`${rp}.host`, host, m))
      }
    }
    if (!isObject(r?.http)) return
    const paths: any[] = Array.isArray(r.http.paths) ? r.http.paths : []
    if (paths.length === 0) errs.push(fieldRequired(`${rp}.http.paths`))
    paths.forEach((p, j) => {
      const pp = `${rp}.http.paths[${j}]`
      const pt = p?.pathType
      if (!pt) errs.push(fieldRequired(`${pp}.pathType`, 'pathType must be specified'))
      else if (!PATH_TYPES.includes(pt)) errs.push(fieldNotSupported(`${pp}.pathType`, pt, PATH_TYPES))
      else if (pt === 'Exact' || pt === 'Prefix') {
        const path = String(p?.path ?? '')
        if (!path.startsWith('/')) errs.push(fieldInvalid(`${pp}.path`, path, 'must be an absolute path'))
        else if (/\/\/|\/\.\.?(\/|$)/.test(path))
          errs.push(fieldInvalid(`${pp}.path`, path, "must not contain '//', '/./' or '/../'"))
      } else if (p?.path && !String(p.path).startsWith('/')) {
        errs.push(fieldInvalid(`${pp}.path`, p.path, 'must be an absolute path'))
      }
      errs.push(...validateBackend(p?.backend, `${pp}.backend`))
    })
  })
  ;(Array.isArray(s.tls) ? s.tls : []).forEach((t: any, i: number) => {
    ;(t?.hosts ?? []).forEach((h: string, j: number) => {
      const check = h.startsWith('*.') ? h.slice(2) : h
      for (const m of isDNS1123Subdomain(check)) errs.push(fieldInvalid(`spec.tls[${i}].hosts[${j}]`, h, m))
    })
  })
  if (s.ingressClassName) {
    for (const m of isDNS1123Subdomain(s.ingressClassName))
      errs.push(fieldInvalid('spec.ingressClassName', s.ingressClassName, m))
  }
  return errs
}

/** ingressStrategy is the Ingress strategy (no defaults in networking/v1; status starts as an empty load balancer). */
export const ingressStrategy: Strategy = {
  prepareForCreate(o) {
    o.status = {loadBalancer: {}}
  },
  validate: validateIngress,
}

/** ingressClassStrategy is the IngressClass strategy. */
export const ingressClassStrategy: Strategy = {
  validate(o) {
    const s = (isObject(o.spec) ? o.spec : {}) as Record<string, any>
    return s.controller ? [] : [fieldRequired('spec.controller')]
  },
  validateUpdate(o, old) {
    const n = (o.spec as any)?.controller
    const p = (old.spec as any)?.controller
    return n !== p ? [fieldInvalid('spec.controller', n ?? '', 'field is immutable')] : []
  },
}

function defaultNetworkPolicy(o: KubeObject) {
  if (!isObject(o.spec)) o.spec = {}
  const s = o.spec as Record<string, any>
  for (const dir of ['ingress', 'egress']) {
    for (const rule of Array.isArray(s[dir]) ? s[dir] : []) {
      for (const p of Array.isArray(rule?.ports) ? rule.ports : []) if (isObject(p) && !p.protocol) p.protocol = 'TCP'
    }
  }
  if (!Array.isArray(s.policyTypes) || s.policyTypes.length === 0) {
    s.policyTypes = ['Ingress']
    if (Array.isArray(s.egress) && s.egress.length > 0) s.policyTypes.push('Egress')
  }
}

/** networkPolicyStrategy is the NetworkPolicy strategy. */
export const networkPolicyStrategy: Strategy = {
  prepareForCreate: defaultNetworkPolicy,
  prepareForUpdate: defaultNetworkPolicy,
  validate(o) {
    const s = (isObject(o.spec) ? o.spec : {}) as Record<string, any>
    const errs = validateLabelSelector(s.podSelector, 'spec.podSelector')
    ;(s.policyTypes ?? []).forEach((t: string, i: number) => {
      if (t !== 'Ingress' && t !== 'Egress')
        errs.push(fieldNotSupported(`spec.policyTypes[${i}]`, t, ['Ingress', 'Egress']))
    })
    return errs
  },
}
