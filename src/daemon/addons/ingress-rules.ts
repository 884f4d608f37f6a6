// ingress-rules.ts chooses the backend of a request among Ingress objects, as ingress-nginx does: the ingresses of
// its class (or without a class while its IngressClass is the default), rules by host (exact, or a `*.` wildcard for
// one label; a rule without host serves every host), paths by type (Exact, Prefix element by element,
// ImplementationSpecific as a plain prefix), the longest path winning and Exact before Prefix on a tie; then the
// ingress's defaultBackend.
import type {KubeObject} from '../../api/object.js'

/** Backend is the service and port an ingress path sends to. */
export interface Backend {
  service: string
  /** port is the service port's number or name. */
  port: number | string
}

/** Match is the chosen route. */
export interface Match {
  ingress: KubeObject
  backend: Backend
  /** rule describes the matched rule for traces and logs ("app.local/api Prefix"). */
  rule: string
  /** path is the matched path ('' for a default backend). */
  path: string
}

interface Path {
  path?: string
  pathType?: string
  backend?: {service?: {name: string; port?: {number?: number; name?: string}}}
}

interface Rule {
  host?: string
  http?: {paths?: Path[]}
}

function backendOf(b: Path['backend']): Backend | undefined {
  const s = b?.service
  if (!s) return undefined
  return {service: s.name, port: s.port?.number ?? s.port?.name ?? 80}
}

/** hostMatches follows the Ingress host rules: exact, or `*.example.com` matching exactly one more label. */
export function hostMatches(ruleHost: string | undefined, host: string): boolean {
  if (!ruleHost) return true
  const h = host.toLowerCase()
  const r = ruleHost.toLowerCase()
  if (!r.startsWith('*.')) return r === h
  const suffix = r.slice(1)
  if (!h.endsWith(suffix)) return false
  const first = h.slice(0, -suffix.length)
  return first.length > 0 && !first.includes('.')
}

/** pathMatches tells whether a request path matches an ingress path of a type. */
export function pathMatches(type: string | undefined, rulePath: string, path: string): boolean {
  const p = path.split('?')[0] || '/'
  if (type === 'Exact') return p === rulePath
  if (type === 'Prefix') {
    // Element-wise: /foo matches /foo, /foo/ and /foo/bar, not /foobar; a trailing slash is ignored.
    const want = rulePath.split('/').filter(Boolean)
    const got = p.split('/').filter(Boolean)
    return want.every((seg, i) => got[i] === seg)
  }
  // ImplementationSpecific: ingress-nginx treats a path without regex annotations as a location prefix.
  return p.startsWith(rulePath)
}

/** ingressesFor filters the ingresses an ingress class controls (default class: also those without a class). */
export function ingressesFor(ingresses: KubeObject[], className: string, isDefault: boolean): KubeObject[] {
  return ingresses.filter((i) => {
    const spec = (i.spec ?? {}) as {ingressClassName?: string}
    const annotated = i.metadata?.annotations?.['kubernetes.io/ingress.class']
    const cls = spec.ingressClassName ?? annotated
    return cls === className || (cls === undefined && isDefault)
  })
}

/** route picks the backend for host and path, or undefined (the controller's own 404). */
export function route(ingresses: KubeObject[], host: string, path: string): Match | undefined {
  const hostOnly = host.replace(/:\d+$/, '')
  let best: (Match & {score: number}) | undefined
  // Oldest ingress first, as ingress-nginx merges servers in creation order.
  const sorted = [...ingresses].sort((a, b) =>
    `${a.metadata?.creationTimestamp}/${a.metadata?.namespace}/${a.metadata?.name}` <
    `${b.metadata?.creationTimestamp}/${b.metadata?.namespace}/${b.metadata?.name}`
      ? -1
      : 1,
  )
  for (const ing of sorted) {
    const rules = (ing.spec as {rules?: Rule[]})?.rules ?? []
    for (const r of rules) {
      if (!hostMatches(r.host, hostOnly)) continue
      // A rule naming the host beats a catch-all rule.
      const hostScore = r.host ? (r.host.startsWith('*.') ? 1 : 2) : 0
      for (const p of r.http?.paths ?? []) {
        const rulePath = p.path ?? '/'
        if (!pathMatches(p.pathType, rulePath, path)) continue
        const backend = backendOf(p.backend)
        if (!backend) continue
        const score = hostScore * 1e6 + rulePath.length * 2 + (p.pathType === 'Exact' ? 1 : 0)
        if (!best || score > best.score)
          best = {
            ingress: ing,
            backend,
            rule: `${r.host ?? '*'}${rulePath} ${p.pathType ?? 'ImplementationSpecific'}`,
            path: rulePath,
            score,
          }
      }
    }
  }
  if (best) {
    const {score: _s, ...m} = best
    return m
  }
  for (const ing of sorted) {
    const backend = backendOf((ing.spec as {defaultBackend?: Path['backend']})?.defaultBackend)
    if (backend) return {ingress: ing, backend, rule: 'default backend', path: ''}
  }
  return undefined
}
