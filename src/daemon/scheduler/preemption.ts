// preemption.ts: the DefaultPreemption PostFilter (pkg/scheduler/framework/preemption and plugins/
// defaultpreemption): when no node fits, find nodes where evicting lower-priority pods would make room. Its
// message ends the FailedScheduling text ("preemption: 0/3 nodes are available: 3 No preemption victims found
// for incoming pod."); when a candidate exists its victims are returned for the scheduler to delete.
import {NodeInfo, type PodInfo, type SchedulerCache} from './cache.js'
import type {NamespaceLabels} from './affinity.js'
import {fitErrorMessage, runFilters, type FilterStatus, type PodState} from './filters.js'

/** PreemptionResult is the PostFilter outcome. */
export interface PreemptionResult {
  /** message is the PostFilter message ("preemption: ..."), empty when a node was nominated. */
  message: string
  nominatedNode?: string
  victims?: PodInfo[]
}

const NOT_HELPFUL = 'Preemption is not helpful for scheduling'
const NO_VICTIMS = 'No preemption victims found for incoming pod'

function shadow(n: NodeInfo, without: Set<string>): NodeInfo {
  const s = new NodeInfo(n.name)
  s.node = n.node
  for (const p of n.pods.values()) if (!without.has(p.key)) s.add(p)
  return s
}

/** byImportance orders victims most important first: higher priority, then the older pod (MoreImportantPod). */
function byImportance(a: PodInfo, b: PodInfo): number {
  if (a.priority !== b.priority) return b.priority - a.priority
  const ta = String(a.pod.metadata?.creationTimestamp ?? '')
  const tb = String(b.pod.metadata?.creationTimestamp ?? '')
  return ta < tb ? -1 : ta > tb ? 1 : 0
}

interface Candidate {
  node: string
  victims: PodInfo[]
}

/** selectVictims removes every lower-priority pod, then reprieves as many as still let the pod fit. */
function selectVictims(
  s: PodState,
  n: NodeInfo,
  nsLabels: NamespaceLabels,
): {victims?: PodInfo[]; status?: FilterStatus | string} {
  const potential = [...n.pods.values()].filter((p) => p.priority < s.priority).sort(byImportance)
  if (potential.length === 0) return {status: NO_VICTIMS}
  const removed = new Set(potential.map((p) => p.key))
  const st = runFilters(s, shadow(n, removed), nsLabels)
  if (st) return {status: st}
  const victims: PodInfo[] = []
  for (const p of potential) {
    removed.delete(p.key)
    if (runFilters(s, shadow(n, removed), nsLabels)) {
      removed.add(p.key)
      victims.push(p)
    }
  }
  return {victims}
}

/** pickCandidate follows pickOneNodeForPreemption: lowest top victim priority, lowest sum, fewest victims. */
function pickCandidate(cs: Candidate[]): Candidate {
  const key = (c: Candidate) => {
    const prios = c.victims.map((v) => v.priority)
    return [prios.length ? Math.max(...prios) : -Infinity, prios.reduce((a, b) => a + b, 0), prios.length]
  }
  return cs.reduce((best, c) => {
    const a = key(c)
    const b = key(best)
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? c : best
    return best
  })
}

/** preempt runs the PostFilter for a pod that fits nowhere; statuses are the filter failures by node name. */
export function preempt(
  s: PodState,
  statuses: Map<string, FilterStatus>,
  cache: SchedulerCache,
  nsLabels: NamespaceLabels,
): PreemptionResult {
  if (s.spec.preemptionPolicy === 'Never') return {message: 'preemption: not eligible due to preemptionPolicy=Never.'}
  const nodeStatuses: FilterStatus[] = []
  const candidates: Candidate[] = []
  for (const n of cache.nodes()) {
    const st = statuses.get(n.name)
    if (!st || st.code === 'UnschedulableAndUnresolvable') {
      nodeStatuses.push({code: 'UnschedulableAndUnresolvable', reasons: [NOT_HELPFUL], plugin: 'DefaultPreemption'})
      continue
    }
    const r = selectVictims(s, n, nsLabels)
    if (r.victims) candidates.push({node: n.name, victims: r.victims})
    else if (typeof r.status === 'string')
      nodeStatuses.push({code: 'Unschedulable', reasons: [r.status], plugin: 'DefaultPreemption'})
    else if (r.status) nodeStatuses.push(r.status)
  }
  if (candidates.length === 0) return {message: `preemption: ${fitErrorMessage(cache.nodes().length, nodeStatuses)}`}
  const best = pickCandidate(candidates)
  return {message: '', nominatedNode: best.node, victims: best.victims}
}
