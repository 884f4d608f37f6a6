// score.ts: scoring of the nodes that passed the filters, after the default profile's score plugins and weights
// (default_plugins.go): NodeResourcesFit LeastAllocated (1), NodeResourcesBalancedAllocation (1), TaintToleration
// PreferNoSchedule (3), NodeAffinity preferred terms (2), PodTopologySpread's system default spreading of a
// controller's pods over hostnames (2) and InterPodAffinity preferred terms (2). Ties go to the node with fewer
// pods, then to the first by name, so placement is deterministic (upstream picks among ties at random).
import type {NamespaceLabels} from './affinity.js'
import {compileTerm, nodeSelectorTermMatches, termMatches} from './affinity.js'
import type {NodeInfo, SchedulerCache} from './cache.js'
import type {PodState} from './filters.js'
import {nodeAllocatable} from './resources.js'
import {taintsOf, tolerationsTolerate} from './taints.js'

/** MAX_NODE_SCORE is framework.MaxNodeScore. */
export const MAX_NODE_SCORE = 100

/** NodeScore is one node's total and its parts (for tests and logs). */
export interface NodeScore {
  node: NodeInfo
  total: number
  parts: Record<string, number>
}

function leastAllocated(s: PodState, n: NodeInfo): number {
  const a = nodeAllocatable(n.node).resources
  const one = (cap: number, req: number) =>
    cap <= 0 || req > cap ? 0 : Math.floor(((cap - req) * MAX_NODE_SCORE) / cap)
  return Math.floor(
    (one(a.milliCPU, n.nonZero.milliCPU + s.nonZero.milliCPU) + one(a.memory, n.nonZero.memory + s.nonZero.memory)) / 2,
  )
}

function balancedAllocation(s: PodState, n: NodeInfo): number {
  const a = nodeAllocatable(n.node).resources
  const frac = (cap: number, req: number) => (cap <= 0 ? 1 : Math.min(1, req / cap))
  const fc = frac(a.milliCPU, n.nonZero.milliCPU + s.nonZero.milliCPU)
  const fm = frac(a.memory, n.nonZero.memory + s.nonZero.memory)
  return Math.floor((1 - Math.abs(fc - fm) / 2) * MAX_NODE_SCORE)
}

/** normalize maps raw scores to 0..100 by the maximum (reverse: fewer is better). */
function normalize(raw: number[], reverse: boolean): number[] {
  const max = Math.max(0, ...raw)
  if (max === 0) return raw.map(() => (reverse ? MAX_NODE_SCORE : 0))
  return raw.map((r) => {
    const v = Math.floor((r * MAX_NODE_SCORE) / max)
    return reverse ? MAX_NODE_SCORE - v : v
  })
}

/** scoreNodes scores feasible nodes; the result is sorted best first (with bestOnly, just the best one). */
export function scoreNodes(
  s: PodState,
  nodes: NodeInfo[],
  cache: SchedulerCache,
  nsLabels: NamespaceLabels,
  opts: {bestOnly?: boolean} = {},
): NodeScore[] {
  const spec = s.spec
  const uid = (s.pod.metadata?.ownerReferences ?? []).find((r: any) => r.controller)?.uid as string | undefined
  const preferredNode: any[] = spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []
  const prefAff: any[] = spec.affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []
  const prefAnti: any[] = spec.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []
  const terms = [
    ...prefAff.map((t) => compileTerm(t?.podAffinityTerm, s.pod, Number(t?.weight ?? 0))),
    ...prefAnti.map((t) => compileTerm(t?.podAffinityTerm, s.pod, -Number(t?.weight ?? 0))),
  ]
  // InterPodAffinity preferred terms: +weight (affinity) or -weight (anti) per matching pod in the node's domain.
  const topo = new Map<string, number>()
  if (terms.length) {
    for (const p of cache.allPods()) {
      const pn = cache.get(p.nodeName)
      if (!pn?.node) continue
      for (const t of terms) {
        const v = pn.labels[t.topologyKey]
        if (v === undefined || !termMatches(t, p.pod, nsLabels)) continue
        const k = `${t.topologyKey}\x00${v}`
        topo.set(k, (topo.get(k) ?? 0) + t.weight)
      }
    }
  }
  const taintRaw = nodes.map(
    (n) =>
      taintsOf(n.node).filter((t) => t.effect === 'PreferNoSchedule' && !tolerationsTolerate(s.tolerations, t)).length,
  )
  const affRaw = nodes.map((n) =>
    preferredNode.reduce(
      (sum, t) => sum + (n.node && nodeSelectorTermMatches(t?.preference, n.node) ? Number(t?.weight ?? 0) : 0),
      0,
    ),
  )
  const spreadRaw = nodes.map((n) => (uid ? (n.byController.get(uid) ?? 0) : 0))
  const interRaw = nodes.map((n) => {
    let sum = 0
    for (const t of terms) {
      const v = n.labels[t.topologyKey]
      if (v !== undefined) sum += topo.get(`${t.topologyKey}\x00${v}`) ?? 0
    }
    return sum
  })
  const taint = normalize(taintRaw, true)
  const aff = normalize(affRaw, false)
  // PodTopologySpread normalizes as MaxNodeScore * (max + min - count) / max.
  const maxS = Math.max(0, ...spreadRaw)
  const minS = Math.min(...spreadRaw)
  const spread = spreadRaw.map((c) =>
    maxS === 0 ? MAX_NODE_SCORE : Math.floor((MAX_NODE_SCORE * (maxS + minS - c)) / maxS),
  )
  const maxI = Math.max(...interRaw)
  const minI = Math.min(...interRaw)
  const inter = interRaw.map((r) => (maxI === minI ? 0 : Math.floor(((r - minI) * MAX_NODE_SCORE) / (maxI - minI))))
  const out = nodes.map((n, i) => {
    const parts = {
      NodeResourcesFit: leastAllocated(s, n),
      NodeResourcesBalancedAllocation: balancedAllocation(s, n),
      TaintToleration: taint[i]! * 3,
      NodeAffinity: aff[i]! * 2,
      PodTopologySpread: spread[i]! * 2,
      InterPodAffinity: inter[i]! * 2,
    }
    return {node: n, total: Object.values(parts).reduce((a, b) => a + b, 0), parts}
  })
  const order = (a: NodeScore, b: NodeScore) =>
    b.total - a.total ||
    a.node.pods.size - b.node.pods.size ||
    (a.node.name < b.node.name ? -1 : a.node.name > b.node.name ? 1 : 0)
  if (opts.bestOnly) {
    // The scheduler needs only the winner (selectHost): one pass instead of sorting hundreds of nodes per pod.
    let best = out[0]!
    for (const o of out) if (order(o, best) < 0) best = o
    return [best]
  }
  return out.sort(order)
}
