// filters.ts: the default kube-scheduler filter plugins in their 1.32 order (pkg/scheduler/apis/config/v1/
// default_plugins.go): NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit,
// PodTopologySpread, InterPodAffinity (the volume plugins have nothing to check here). A node fails at its first failing plugin, whose reasons make up the FailedScheduling message
// (framework/types.go FitError.Error).
import type {KubeObject} from '../../api/object.js'
import {
  compileTerm,
  podMatchesNodeSelectorAndAffinity,
  termMatches,
  type AffinityTerm,
  type NamespaceLabels,
} from './affinity.js'
import {podHostPorts, type HostPort, type NodeInfo, type SchedulerCache} from './cache.js'
import {podNonZeroRequests, podRequests, type Resources} from './resources.js'
import {
  findUntoleratedTaint,
  tolerationsOf,
  tolerationsTolerate,
  TAINT_UNSCHEDULABLE,
  type Taint,
  type Toleration,
} from './taints.js'

/** StatusCode is a filter verdict: Unschedulable may be helped by preemption, UnschedulableAndUnresolvable not. */
export type StatusCode = 'Unschedulable' | 'UnschedulableAndUnresolvable'

/** FilterStatus is why a node cannot take the pod. */
export interface FilterStatus {
  code: StatusCode
  reasons: string[]
  plugin: string
}

/** Reason texts, worded as the 1.32 plugins word them. */
export const REASONS = {
  unschedulable: 'node(s) were unschedulable',
  nodeName: "node(s) didn't match the requested node name",
  nodeAffinity: "node(s) didn't match Pod's node affinity/selector",
  nodePorts: "node(s) didn't have free ports for the requested pod ports",
  tooManyPods: 'Too many pods',
  affinityRules: "node(s) didn't match pod affinity rules",
  antiAffinityRules: "node(s) didn't match pod anti-affinity rules",
  existingAntiAffinity: "node(s) didn't satisfy existing pods anti-affinity rules",
  topologySpread: "node(s) didn't match pod topology spread constraints",
  topologySpreadMissingLabel: "node(s) didn't match pod topology spread constraints (missing required label)",
} as const

/** SpreadConstraint is a DoNotSchedule topologySpreadConstraint with its PreFilter counts by domain. */
export interface SpreadConstraint {
  maxSkew: number
  topologyKey: string
  counts: Map<string, number>
  min: number
  selfMatch: number
}

type TopologyCounts = Map<string, number>

/** PodState is the pod under scheduling with its PreFilter results (CycleState). */
export interface PodState {
  pod: KubeObject
  spec: any
  requests: Resources
  /** scalars are the extended resources requested (requestedScalars), worked out once per pod, not per node. */
  scalars: string[]
  nonZero: Resources
  ports: HostPort[]
  tolerations: Toleration[]
  priority: number
  requiredAffinity: AffinityTerm[]
  requiredAntiAffinity: AffinityTerm[]
  /** existingAntiAffinity counts topology pairs ("key\x00value") where assigned pods' anti-affinity forbids the pod. */
  existingAntiAffinity: TopologyCounts
  affinityCounts: TopologyCounts
  antiAffinityCounts: TopologyCounts
  spread: SpreadConstraint[]
}

const pair = (key: string, value: string) => `${key}\x00${value}`

function bump(m: TopologyCounts, node: NodeInfo, key: string) {
  const v = node.labels[key]
  if (v === undefined) return
  const p = pair(key, v)
  m.set(p, (m.get(p) ?? 0) + 1)
}

/** preFilter computes the PodState (NodeResourcesFit, NodePorts and InterPodAffinity PreFilter). */
export function preFilter(pod: KubeObject, cache: SchedulerCache, nsLabels: NamespaceLabels): PodState {
  const spec = (pod.spec ?? {}) as any
  const aff = spec.affinity ?? {}
  const reqAff: any[] = aff.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []
  const reqAnti: any[] = aff.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []
  const requests = podRequests(spec)
  const s: PodState = {
    pod,
    spec,
    requests,
    scalars: requestedScalars(requests),
    nonZero: podNonZeroRequests(spec),
    ports: podHostPorts(spec),
    tolerations: tolerationsOf(pod),
    priority: Number(spec.priority ?? 0),
    requiredAffinity: reqAff.map((t) => compileTerm(t, pod)),
    requiredAntiAffinity: reqAnti.map((t) => compileTerm(t, pod)),
    existingAntiAffinity: new Map(),
    affinityCounts: new Map(),
    antiAffinityCounts: new Map(),
    spread: [],
  }
  for (const p of cache.withAntiAffinity.values()) {
    const node = cache.get(p.nodeName)
    if (!node?.node) continue
    for (const t of p.requiredAntiAffinity)
      if (termMatches(t, pod, nsLabels)) bump(s.existingAntiAffinity, node, t.topologyKey)
  }
  if (s.requiredAffinity.length || s.requiredAntiAffinity.length) {
    for (const p of cache.allPods()) {
      const node = cache.get(p.nodeName)
      if (!node?.node) continue
      if (s.requiredAffinity.length && s.requiredAffinity.every((t) => termMatches(t, p.pod, nsLabels))) {
        for (const t of s.requiredAffinity) bump(s.affinityCounts, node, t.topologyKey)
      }
      for (const t of s.requiredAntiAffinity)
        if (termMatches(t, p.pod, nsLabels)) bump(s.antiAffinityCounts, node, t.topologyKey)
    }
  }
  s.spread = spreadPreFilter(pod, spec, cache)
  return s
}

/**
 * spreadPreFilter follows plugins/podtopologyspread/filtering.go for DoNotSchedule constraints: matching pods
 * are counted per domain over the nodes that pass the pod's node affinity and carry every constraint's key.
 */
function spreadPreFilter(pod: KubeObject, spec: any, cache: SchedulerCache): SpreadConstraint[] {
  const raw: any[] = (Array.isArray(spec.topologySpreadConstraints) ? spec.topologySpreadConstraints : []).filter(
    (c: any) => (c?.whenUnsatisfiable ?? 'DoNotSchedule') === 'DoNotSchedule',
  )
  if (raw.length === 0) return []
  const ns = String(pod.metadata?.namespace ?? '')
  const own = (pod.metadata?.labels ?? {}) as Record<string, string>
  const out: SpreadConstraint[] = []
  const eligible = cache
    .nodes()
    .filter(
      (n) =>
        n.node &&
        podMatchesNodeSelectorAndAffinity(spec, n.node) &&
        raw.every((c) => n.labels[c.topologyKey] !== undefined),
    )
  for (const c of raw) {
    const sel = compileTerm({labelSelector: c.labelSelector}, pod).selector
    const counts = new Map<string, number>()
    for (const n of eligible) {
      const v = n.labels[c.topologyKey]!
      let k = counts.get(v) ?? 0
      for (const p of n.pods.values()) {
        if (
          p.pod.metadata?.namespace === ns &&
          !p.pod.metadata?.deletionTimestamp &&
          sel.matches((p.pod.metadata?.labels ?? {}) as Record<string, string>)
        )
          k++
      }
      counts.set(v, k)
    }
    let min = counts.size ? Math.min(...counts.values()) : 0
    if (Number(c.minDomains ?? 1) > counts.size) min = 0
    out.push({
      maxSkew: Number(c.maxSkew ?? 1),
      topologyKey: String(c.topologyKey),
      counts,
      min,
      selfMatch: sel.matches(own) ? 1 : 0,
    })
  }
  return out
}

/** Filter is one filter plugin. */
export interface Filter {
  name: string
  filter(s: PodState, n: NodeInfo, nsLabels: NamespaceLabels): FilterStatus | undefined
}

const fail = (plugin: string, code: StatusCode, ...reasons: string[]): FilterStatus => ({code, reasons, plugin})

/** nodeUnschedulable follows plugins/nodeunschedulable: a cordoned node, unless the pod tolerates its taint. */
export const nodeUnschedulable: Filter = {
  name: 'NodeUnschedulable',
  filter(s, n) {
    if (!n.unschedulable) return undefined
    if (tolerationsTolerate(s.tolerations, {key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule'})) return undefined
    return fail(this.name, 'UnschedulableAndUnresolvable', REASONS.unschedulable)
  },
}

/** nodeName follows plugins/nodename. */
export const nodeName: Filter = {
  name: 'NodeName',
  filter(s, n) {
    if (!s.spec.nodeName || s.spec.nodeName === n.name) return undefined
    return fail(this.name, 'UnschedulableAndUnresolvable', REASONS.nodeName)
  },
}

const noScheduleOrExecute = (t: Taint) => t.effect === 'NoSchedule' || t.effect === 'NoExecute'

/** taintToleration follows plugins/tainttoleration: the first untolerated NoSchedule/NoExecute taint. */
export const taintToleration: Filter = {
  name: 'TaintToleration',
  filter(s, n) {
    const t = findUntoleratedTaint(n.taints, s.tolerations, noScheduleOrExecute)
    if (!t) return undefined
    return fail(this.name, 'UnschedulableAndUnresolvable', `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`)
  },
}

/** nodeAffinity follows plugins/nodeaffinity: nodeSelector and required node affinity. */
export const nodeAffinity: Filter = {
  name: 'NodeAffinity',
  filter(s, n) {
    if (!n.node || podMatchesNodeSelectorAndAffinity(s.spec, n.node)) return undefined
    return fail(this.name, 'UnschedulableAndUnresolvable', REASONS.nodeAffinity)
  },
}

function portsConflict(a: HostPort, b: HostPort): boolean {
  if (a.port !== b.port || a.protocol !== b.protocol) return false
  return a.ip === b.ip || a.ip === '0.0.0.0' || b.ip === '0.0.0.0'
}

/** nodePorts follows plugins/nodeports: a wanted host port already taken on the node. */
export const nodePorts: Filter = {
  name: 'NodePorts',
  filter(s, n) {
    if (s.ports.length === 0) return undefined
    const used = n.ports()
    if (!s.ports.some((p) => used.some((u) => portsConflict(p, u)))) return undefined
    return fail(this.name, 'Unschedulable', REASONS.nodePorts)
  },
}

/** insufficientResources lists the fit failures in fitsRequest's order (pods, cpu, memory, storage, others). */
export function insufficientResources(
  req: Resources,
  n: NodeInfo,
  podCount = n.pods.size,
  scalars = requestedScalars(req),
): readonly string[] {
  const alloc = n.allocatable
  // The list is made only for a node that falls short: the filter asks this of hundreds of nodes per pod, and
  // most of them fit.
  let out: string[] | undefined
  if (podCount + 1 > alloc.pods) (out ??= []).push(REASONS.tooManyPods)
  if (req.milliCPU === 0 && req.memory === 0 && req.ephemeralStorage === 0 && scalars.length === 0) {
    return out ?? NO_REASONS
  }
  const a = alloc.resources
  if (a.milliCPU < req.milliCPU + n.requested.milliCPU) (out ??= []).push('Insufficient cpu')
  if (a.memory < req.memory + n.requested.memory) (out ??= []).push('Insufficient memory')
  if (a.ephemeralStorage < req.ephemeralStorage + n.requested.ephemeralStorage)
    (out ??= []).push('Insufficient ephemeral-storage')
  for (const k of scalars) {
    if ((a.scalar[k] ?? 0) < req.scalar[k]! + (n.requested.scalar[k] ?? 0)) (out ??= []).push(`Insufficient ${k}`)
  }
  return out ?? NO_REASONS
}

const NO_REASONS: readonly string[] = Object.freeze([])

/** requestedScalars are the extended resources req asks a positive amount of, sorted (fitsRequest's order). */
export function requestedScalars(req: Resources): string[] {
  return Object.keys(req.scalar)
    .filter((k) => req.scalar[k]! > 0)
    .sort()
}

const TOO_MANY_PODS: FilterStatus = Object.freeze({
  code: 'Unschedulable' as const,
  reasons: Object.freeze([REASONS.tooManyPods]) as string[],
  plugin: 'NodeResourcesFit',
})

/** nodeResourcesFit follows plugins/noderesources/fit.go: every shortfall is a reason. */
export const nodeResourcesFit: Filter = {
  name: 'NodeResourcesFit',
  filter(s, n) {
    const reasons = insufficientResources(s.requests, n, n.pods.size, s.scalars)
    if (reasons.length === 0) return undefined
    // A full node of a filling cluster: one shared status instead of a new one per node and pod.
    if (reasons.length === 1 && reasons[0] === REASONS.tooManyPods) return TOO_MANY_PODS
    return fail(this.name, 'Unschedulable', ...reasons)
  },
}

/** interPodAffinity follows plugins/interpodaffinity/filtering.go. */
export const interPodAffinity: Filter = {
  name: 'InterPodAffinity',
  filter(s, n) {
    const labels = n.labels
    if (s.requiredAffinity.length) {
      let podsExist = true
      for (const t of s.requiredAffinity) {
        const v = labels[t.topologyKey]
        if (v === undefined) return fail(this.name, 'UnschedulableAndUnresolvable', REASONS.affinityRules)
        if ((s.affinityCounts.get(pair(t.topologyKey, v)) ?? 0) <= 0) podsExist = false
      }
      // The first pod of a group with affinity to itself may go anywhere the topology labels exist.
      if (!podsExist && !(s.affinityCounts.size === 0 && s.requiredAffinity.every((t) => termMatchesSelf(t, s.pod)))) {
        return fail(this.name, 'UnschedulableAndUnresolvable', REASONS.affinityRules)
      }
    }
    for (const t of s.requiredAntiAffinity) {
      const v = labels[t.topologyKey]
      if (v !== undefined && (s.antiAffinityCounts.get(pair(t.topologyKey, v)) ?? 0) > 0) {
        return fail(this.name, 'Unschedulable', REASONS.antiAffinityRules)
      }
    }
    // The size test first: iterating even an empty Map makes an iterator, for each of hundreds of nodes per pod.
    if (s.existingAntiAffinity.size === 0) return undefined
    for (const [p, count] of s.existingAntiAffinity) {
      if (count <= 0) continue
      const [k, v] = p.split('\x00') as [string, string]
      if (labels[k] === v) return fail(this.name, 'Unschedulable', REASONS.existingAntiAffinity)
    }
    return undefined
  },
}

/** podTopologySpread follows plugins/podtopologyspread: the skew after placing the pod must stay within maxSkew. */
export const podTopologySpread: Filter = {
  name: 'PodTopologySpread',
  filter(s, n) {
    for (const c of s.spread) {
      const v = n.labels[c.topologyKey]
      if (v === undefined) return fail(this.name, 'UnschedulableAndUnresolvable', REASONS.topologySpreadMissingLabel)
      if ((c.counts.get(v) ?? 0) + c.selfMatch - c.min > c.maxSkew)
        return fail(this.name, 'Unschedulable', REASONS.topologySpread)
    }
    return undefined
  },
}

function termMatchesSelf(t: AffinityTerm, pod: KubeObject): boolean {
  return termMatches(t, pod, () => undefined)
}

/** FILTERS are the filter plugins in the default profile's order. */
export const FILTERS: Filter[] = [
  nodeUnschedulable,
  nodeName,
  taintToleration,
  nodeAffinity,
  nodePorts,
  nodeResourcesFit,
  podTopologySpread,
  interPodAffinity,
]

/** runFilters runs the filters on one node and returns the first failure. */
export function runFilters(
  s: PodState,
  n: NodeInfo,
  nsLabels: NamespaceLabels,
  filters: Filter[] = FILTERS,
): FilterStatus | undefined {
  for (const f of filters) {
    const st = f.filter(s, n, nsLabels)
    if (st) return st
  }
  return undefined
}

/** NO_NODES_MESSAGE is ErrNoNodesAvailable. */
export const NO_NODES_MESSAGE = 'no nodes available to schedule pods'

/**
 * fitErrorMessage assembles FitError.Error(): "0/N nodes are available:" then the reason histogram ("3
 * Insufficient cpu"), sorted as strings, joined by ", " and closed by ".", then the PostFilter (preemption)
 * message after a space, as 1.32 prints it ("... 3 Insufficient cpu. preemption: 0/3 nodes are available: ...").
 */
export function fitErrorMessage(numNodes: number, statuses: Iterable<FilterStatus>, postFilterMsg = ''): string {
  const counts = new Map<string, number>()
  for (const st of statuses) for (const r of st.reasons) counts.set(r, (counts.get(r) ?? 0) + 1)
  const parts = [...counts].map(([r, n]) => `${n} ${r}`).sort()
  let msg = `0/${numNodes} nodes are available:`
  if (parts.length) msg += ` ${parts.join(', ')}.`
  if (postFilterMsg) msg += ` ${postFilterMsg}`
  return msg
}
