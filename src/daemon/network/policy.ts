// policy.ts decides whether NetworkPolicies let a connection through, as a conforming network plugin (Calico,
// Cilium) enforces networking.k8s.io/v1 NetworkPolicy: a pod is isolated for a direction when some policy in its
// namespace selects it with that policy type; an isolated pod accepts only what some selecting policy's rules allow.
// Both ends must agree: the source's egress and the destination's ingress.
import type {KubeObject} from '../../api/object.js'
import {labelSelectorFromObject} from '../../api/labels.js'

/** Peer is one end of a connection as policies see it: a pod (with its namespace's labels) or an outside address. */
export interface Peer {
  ip: string
  pod?: KubeObject
  namespaceLabels?: Record<string, string>
}

/** PolicyView is what the evaluation reads: the policies of a namespace. */
export interface PolicyView {
  policies(namespace: string): KubeObject[]
}

/** Verdict says whether a connection is allowed and, when not, which side's policy dropped it. */
export interface Verdict {
  allowed: boolean
  /** by names the policies that isolate the side that refused ("default/deny-db"). */
  by?: string[]
  side?: 'ingress' | 'egress'
}

interface PolicyPort {
  protocol?: string
  port?: number | string
  endPort?: number
}

interface PolicyPeer {
  podSelector?: Record<string, unknown>
  namespaceSelector?: Record<string, unknown>
  ipBlock?: {cidr: string; except?: string[]}
}

interface PolicyRule {
  ports?: PolicyPort[]
  from?: PolicyPeer[]
  to?: PolicyPeer[]
}

/** policyTypes follows the API's defaulting: Ingress always, Egress when the policy has egress rules. */
export function policyTypes(np: KubeObject): string[] {
  const spec = (np.spec ?? {}) as {policyTypes?: string[]; egress?: unknown[]}
  if (spec.policyTypes?.length) return spec.policyTypes
  return spec.egress?.length ? ['Ingress', 'Egress'] : ['Ingress']
}

function selects(selector: Record<string, unknown> | undefined, labels: Record<string, string>): boolean {
  // An empty podSelector ({}) selects every pod of the namespace.
  if (!selector || Object.keys(selector).length === 0) return true
  return labelSelectorFromObject(selector).matches(labels)
}

/** ipv4 turns dotted text into a number (undefined for anything else). */
function ipv4(ip: string): number | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip)
  if (!m) return undefined
  const parts = m.slice(1).map(Number)
  if (parts.some((p) => p > 255)) return undefined
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!
}

/** inCidr tells whether ip lies in cidr ("10.0.0.0/8"). */
export function inCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/')
  const a = ipv4(ip)
  const b = ipv4(base ?? '')
  const bits = Number(bitsText ?? 32)
  if (a === undefined || b === undefined || !(bits >= 0 && bits <= 32)) return false
  if (bits === 0) return true
  const mask = (~0 << (32 - bits)) >>> 0
  return (a & mask) >>> 0 === (b & mask) >>> 0
}

function peerMatches(p: PolicyPeer, policyNamespace: string, other: Peer): boolean {
  if (p.ipBlock) {
    // ipBlock is meant for addresses outside the cluster, but plugins apply it to any address.
    return inCidr(other.ip, p.ipBlock.cidr) && !(p.ipBlock.except ?? []).some((c) => inCidr(other.ip, c))
  }
  if (!other.pod) return false
  const ns = other.pod.metadata?.namespace ?? ''
  if (p.namespaceSelector) {
    if (!selects(p.namespaceSelector, other.namespaceLabels ?? {})) return false
  } else if (ns !== policyNamespace) {
    return false
  }
  return p.podSelector ? selects(p.podSelector, other.pod.metadata?.labels ?? {}) : true
}

/** namedPort resolves a named port on the pod that receives the traffic (its containers' ports). */
function namedPort(pod: KubeObject | undefined, name: string, protocol: string): number | undefined {
  const containers = (
    (pod?.spec ?? {}) as {containers?: {ports?: {name?: string; containerPort: number; protocol?: string}[]}[]}
  ).containers
  for (const c of containers ?? [])
    for (const p of c.ports ?? []) if (p.name === name && (p.protocol ?? 'TCP') === protocol) return p.containerPort
  return undefined
}

function portMatches(
  ports: PolicyPort[] | undefined,
  port: number,
  protocol: string,
  target: KubeObject | undefined,
): boolean {
  if (!ports || ports.length === 0) return true
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== protocol) return false
    if (p.port === undefined) return true
    const n =
      typeof p.port === 'number' ? p.port : /^\d+$/.test(p.port) ? Number(p.port) : namedPort(target, p.port, protocol)
    if (n === undefined) return false
    return p.endPort !== undefined ? port >= n && port <= p.endPort : port === n
  })
}

function side(
  view: PolicyView,
  pod: KubeObject,
  direction: 'Ingress' | 'Egress',
  other: Peer,
  port: number,
  protocol: string,
  target: KubeObject | undefined,
): Verdict {
  const ns = pod.metadata?.namespace ?? ''
  const labels = pod.metadata?.labels ?? {}
  const isolating = view
    .policies(ns)
    .filter(
      (np) =>
        policyTypes(np).includes(direction) &&
        selects((np.spec as {podSelector?: Record<string, unknown>})?.podSelector, labels),
    )
  if (isolating.length === 0) return {allowed: true}
  for (const np of isolating) {
    const rules =
      (np.spec as {ingress?: PolicyRule[]; egress?: PolicyRule[]})?.[direction === 'Ingress' ? 'ingress' : 'egress'] ??
      []
    for (const r of rules) {
      const peers = direction === 'Ingress' ? r.from : r.to
      const peerOk = !peers || peers.length === 0 || peers.some((p) => peerMatches(p, ns, other))
      if (peerOk && portMatches(r.ports, port, protocol, target)) return {allowed: true}
    }
  }
  return {
    allowed: false,
    by: isolating.map((np) => `${np.metadata?.namespace}/${np.metadata?.name}`),
    side: direction === 'Ingress' ? 'ingress' : 'egress',
  }
}

/** allowed evaluates one connection from src to dst on port/protocol: the source's egress, then dst's ingress. */
export function allowed(view: PolicyView, src: Peer, dst: Peer, port: number, protocol = 'TCP'): Verdict {
  if (src.pod) {
    const v = side(view, src.pod, 'Egress', dst, port, protocol, dst.pod)
    if (!v.allowed) return v
  }
  if (dst.pod) return side(view, dst.pod, 'Ingress', src, port, protocol, dst.pod)
  return {allowed: true}
}
