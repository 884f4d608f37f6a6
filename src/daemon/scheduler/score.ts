// score.ts: scoring of the nodes that passed the filters, after the default profile's score plugins and weights
// (default_plugins.go): NodeResourcesFit LeastAllocated (1), NodeResourcesBalancedAllocation (1), TaintToleration
// PreferNoSchedule (3), NodeAffinity preferred terms (2), PodTopologySpread's system default spreading of a
// controller's pods over hostnames (2) and InterPodAffinity preferred terms (2). Ties go to the node with fewer
// pods, then to the first by name, so placement is deterministic (upstream picks among ties at random).
import type {NamespaceLabels} from './affinity.js'
import {compileTerm, nodeSelectorTermMatches, termMatches} from './affinity.js'
import type {NodeInfo, SchedulerCache} from './cache.js'
import type {PodState} from './filters.js'
import type {Resources} from './resources.js'
import {tolerationsTolerate} from './taints.js'

/** PARTS are the score plugins, in the order NodeScore.parts lists them. */
const PARTS = [
  'NodeResourcesFit',
  'NodeResourcesBalancedAllocation',
  'TaintToleration',
  'NodeAffinity',
  'PodTopologySpread',
  'InterPodAffinity',
] as const

/** MAX_NODE_SCORE is framework.MaxNodeScore. */
export const MAX_NODE_SCORE = 100

/** NodeScore is one node's total and its parts (for tests and logs). */
export interface NodeScore {
  node: NodeInfo
  total: number
  parts: Record<string, number>
}

function leastAllocated(a: Resources, s: PodState, n: NodeInfo): number {
  const one = (cap: number, req: number) =>
    cap <= 0 || req > cap ? 0 : Math.floor(((cap - req) * MAX_NODE_SCORE) / cap)
  return Math.floor(
    (one(a.milliCPU, n.nonZero.milliCPU + s.nonZero.milliCPU) + one(a.memory, n.nonZero.memory + s.nonZero.memory)) / 2,
  )
}

function balancedAllocation(a: Resources, s: PodState, n: NodeInfo): number {
  const frac = (cap: number, req: number) => (cap <= 0 ? 1 : Math.min(1, req / cap))
  const fc = frac(a.milliCPU, n.nonZero.milliCPU + s.nonZero.milliCPU)
  const fm = frac(a.memory, n.nonZero.memory + s.nonZero.memory)
  return Math.floor((1 - Math.abs(fc - fm) / 2) * MAX_NODE_SCORE)
}

/** maxOf and minOf are Math.max/min of an array without spreading it into arguments (hundreds of nodes). */
function maxOf(xs: Float64Array, floor = -Infinity): number {
  let m = floor
  for (const x of xs) if (x > m) m = x
  return m
}
function minOf(xs: Float64Array): number {
  let m = Infinity
  for (const x of xs) if (x < m) m = x
  return m
}

let rawBuffer = new Float64Array(0)

/**
 * rawScores are four zeroed arrays of len scores, views of one buffer that lives as long as the module: the
 * scheduler scores hundreds of nodes per pod, and fresh arrays were a good share of its garbage.
 */
function rawScores(len: number): [Float64Array, Float64Array, Float64Array, Float64Array] {
  if (rawBuffer.length < 4 * len) rawBuffer = new Float64Array(4 * len)
  const view = (i: number) => rawBuffer.subarray(i * len, (i + 1) * len).fill(0)
  return [view(0), view(1), view(2), view(3)]
}

/** normalized is normalize's value for one raw score, given the maximum (reverse: fewer is better). */
function normalized(r: number, max: number, reverse: boolean): number {
  if (max === 0) return reverse ? MAX_NODE_SCORE : 0
  const v = Math.floor((r * MAX_NODE_SCORE) / max)
  return reverse ? MAX_NODE_SCORE - v : v
}

/**
 * scoreNodes scores feasible nodes (the first opts.count of them, when given); the result is sorted best first
 * (with bestOnly, just the best one).
 */
export function scoreNodes(
  s: PodState,
  nodes: NodeInfo[],
  cache: SchedulerCache,
  nsLabels: NamespaceLabels,
  opts: {bestOnly?: boolean; count?: number} = {},
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
  // Raw scores per node, in one pass; the parts a pod cannot score on (no preferred terms) stay 0.
  const len = Math.min(nodes.length, opts.count ?? nodes.length)
  const [taintRaw, affRaw, spreadRaw, interRaw] = rawScores(len)
  for (let i = 0; i < len; i++) {
    const n = nodes[i]!
    let prefer = 0
    for (const t of n.taints) {
      if (t.effect === 'PreferNoSchedule' && !tolerationsTolerate(s.tolerations, t)) prefer++
    }
    taintRaw[i] = prefer
    if (preferredNode.length) {
      let sum = 0
      for (const t of preferredNode) {
        if (n.node && nodeSelectorTermMatches(t?.preference, n.node)) sum += Number(t?.weight ?? 0)
      }
      affRaw[i] = sum
    }
    if (uid) spreadRaw[i] = n.byController.get(uid) ?? 0
    if (terms.length) {
      let sum = 0
      for (const t of terms) {
        const v = n.labels[t.topologyKey]
        if (v !== undefined) sum += topo.get(`${t.topologyKey}\x00${v}`) ?? 0
      }
      interRaw[i] = sum
    }
  }
  const maxT = maxOf(taintRaw, 0)
  const maxA = maxOf(affRaw, 0)
  // PodTopologySpread normalizes as MaxNodeScore * (max + min - count) / max.
  const maxS = maxOf(spreadRaw, 0)
  const minS = minOf(spreadRaw)
  const maxI = maxOf(interRaw)
  const minI = minOf(interRaw)
  // Each node's parts go into a scratch array in PARTS' order; only the nodes returned get an object of them.
  const scratch = new Float64Array(PARTS.length)
  const fill = (i: number): number => {
    const n = nodes[i]!
    const a = n.allocatable.resources
    scratch[0] = leastAllocated(a, s, n)
    scratch[1] = balancedAllocation(a, s, n)
    scratch[2] = normalized(taintRaw[i]!, maxT, true) * 3
    scratch[3] = normalized(affRaw[i]!, maxA, false) * 2
    scratch[4] = (maxS === 0 ? MAX_NODE_SCORE : Math.floor((MAX_NODE_SCORE * (maxS + minS - spreadRaw[i]!)) / maxS)) * 2
    scratch[5] = (maxI === minI ? 0 : Math.floor(((interRaw[i]! - minI) * MAX_NODE_SCORE) / (maxI - minI))) * 2
    return scratch[0] + scratch[1] + scratch[2] + scratch[3] + scratch[4] + scratch[5]
  }
  const score = (i: number): NodeScore => {
    const total = fill(i)
    const parts: Record<string, number> = {}
    for (const [j, name] of PARTS.entries()) parts[name] = scratch[j]!
    return {node: nodes[i]!, total, parts}
  }
  // Best first: the higher total, then the node with fewer pods, then the first by name.
  const before = (a: NodeInfo, at: number, b: NodeInfo, bt: number) =>
    at !== bt ? at > bt : a.pods.size !== b.pods.size ? a.pods.size < b.pods.size : a.name < b.name
  if (opts.bestOnly) {
    // The scheduler needs only the winner (selectHost): one pass instead of sorting hundreds of nodes per pod.
    if (len === 0) return []
    let best = 0
    let bestTotal = fill(0)
    for (let i = 1; i < len; i++) {
      const t = fill(i)
      if (before(nodes[i]!, t, nodes[best]!, bestTotal)) {
        best = i
        bestTotal = t
      }
    }
    return [score(best)]
  }
  const order = (a: NodeScore, b: NodeScore) =>
    before(a.node, a.total, b.node, b.total) ? -1 : before(b.node, b.total, a.node, a.total) ? 1 : 0
  const out = Array.from({length: len}, (_, i) => score(i))
  return out.sort(order)
}
