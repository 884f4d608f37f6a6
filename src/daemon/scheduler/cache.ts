// cache.ts: the scheduler's view of nodes and the pods assigned to them (pkg/scheduler/backend/cache and
// framework.NodeInfo). Aggregates (requested resources, host ports, pods by controller) are kept up to date
// incrementally from the pod and node informers, so scheduling a pod costs O(nodes), not O(pods).
import type {KubeObject} from '../../api/object.js'
import {controllerUid} from '../controllers/framework/informer.js'
import {keyOf} from '../controllers/framework/types.js'
import {compileTerms, type AffinityTerm, type NamespaceLabels} from './affinity.js'
import {
  addResources,
  emptyResources,
  nodeAllocatable,
  podNonZeroRequests,
  podRequests,
  type NodeCapacity,
  type Resources,
} from './resources.js'
import {taintsOf, type Taint} from './taints.js'

/** HostPort is one port a pod takes on its node. */
export interface HostPort {
  ip: string
  protocol: string
  port: number
}

/** PodInfo is an assigned pod with what the filters need precomputed. */
export interface PodInfo {
  key: string
  /** pod is the newest cached object. */
  pod: KubeObject
  nodeName: string
  requests: Resources
  nonZero: Resources
  ports: HostPort[]
  priority: number
  controllerUid: string | undefined
  /** requiredAntiAffinity are the pod's required anti-affinity terms (they bind pods scheduled later). */
  requiredAntiAffinity: AffinityTerm[]
}

/** NodeInfo is one node and the pods on it. */
export class NodeInfo {
  private current: KubeObject | undefined
  /**
   * allocatable, unschedulable and taints are read off the node object when it is set (node objects are replaced,
   * never changed): the filters and scoring ask them of hundreds of nodes per pod, and at 100k pods a field of the
   * NodeInfo is much cheaper to reach than the node object behind it (and allocatable's WeakMap entry).
   */
  allocatable: NodeCapacity = nodeAllocatable(undefined)
  unschedulable = false
  taints: Taint[] = []
  readonly pods = new Map<string, PodInfo>()
  readonly requested: Resources = emptyResources()
  readonly nonZero: Resources = emptyResources()
  readonly byController = new Map<string, number>()

  constructor(readonly name: string) {}

  /** node is the Node object, undefined when the node is gone (its pods may still be cached). */
  get node(): KubeObject | undefined {
    return this.current
  }

  set node(node: KubeObject | undefined) {
    this.current = node
    this.allocatable = nodeAllocatable(node)
    this.unschedulable = Boolean((node?.spec as {unschedulable?: boolean} | undefined)?.unschedulable)
    this.taints = taintsOf(node)
  }

  /** ports lists every host port taken on the node. */
  ports(): HostPort[] {
    const out: HostPort[] = []
    for (const p of this.pods.values()) out.push(...p.ports)
    return out
  }

  /** labels are the node's labels. */
  get labels(): Record<string, string> {
    return (this.node?.metadata?.labels ?? {}) as Record<string, string>
  }

  add(p: PodInfo): void {
    this.pods.set(p.key, p)
    addResources(this.requested, p.requests)
    addResources(this.nonZero, p.nonZero)
    if (p.controllerUid) this.byController.set(p.controllerUid, (this.byController.get(p.controllerUid) ?? 0) + 1)
  }

  remove(key: string): void {
    const p = this.pods.get(key)
    if (!p) return
    this.pods.delete(key)
    addResources(this.requested, p.requests, -1)
    addResources(this.nonZero, p.nonZero, -1)
    if (p.controllerUid) {
      const n = (this.byController.get(p.controllerUid) ?? 1) - 1
      if (n <= 0) this.byController.delete(p.controllerUid)
      else this.byController.set(p.controllerUid, n)
    }
  }
}

/** podHostPorts lists the host ports of a pod's containers (NodePorts' getContainerPorts). */
export function podHostPorts(spec: any): HostPort[] {
  const out: HostPort[] = []
  const containers = [
    ...(Array.isArray(spec?.containers) ? spec.containers : []),
    ...(Array.isArray(spec?.initContainers)
      ? spec.initContainers.filter((c: any) => c?.restartPolicy === 'Always')
      : []),
  ]
  for (const c of containers) {
    for (const p of Array.isArray(c?.ports) ? c.ports : []) {
      if (!p?.hostPort) continue
      out.push({ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: Number(p.hostPort)})
    }
  }
  return out
}

/** isAssigned: the pod is on a node and still holds its resources (terminal pods do not, as upstream). */
export function isAssigned(pod: KubeObject): boolean {
  const phase = (pod.status as any)?.phase
  return Boolean((pod.spec as any)?.nodeName) && phase !== 'Succeeded' && phase !== 'Failed'
}

/** SchedulerCache holds NodeInfos by node name. */
export class SchedulerCache {
  private readonly infos = new Map<string, NodeInfo>()
  private readonly podNode = new Map<string, string>()
  /** withAntiAffinity are the assigned pods that have required anti-affinity terms. */
  readonly withAntiAffinity = new Map<string, PodInfo>()
  private sorted: NodeInfo[] | undefined

  constructor(private readonly nsLabels: NamespaceLabels) {}

  private info(name: string): NodeInfo {
    let i = this.infos.get(name)
    if (!i) this.infos.set(name, (i = new NodeInfo(name)))
    return i
  }

  /** nodes are the NodeInfos of existing nodes, sorted by name (a stable order for ties). */
  nodes(): NodeInfo[] {
    if (!this.sorted) {
      this.sorted = [...this.infos.values()]
        .filter((i) => i.node)
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    }
    return this.sorted
  }

  /** get returns a node's info. */
  get(name: string): NodeInfo | undefined {
    return this.infos.get(name)
  }

  /** allPods iterates every assigned pod. */
  *allPods(): Iterable<PodInfo> {
    for (const i of this.infos.values()) yield* i.pods.values()
  }

  setNode(node: KubeObject): void {
    const i = this.info(String(node.metadata?.name))
    if (!i.node) this.sorted = undefined
    i.node = node
  }

  removeNode(name: string): void {
    const i = this.infos.get(name)
    if (!i) return
    i.node = undefined
    this.sorted = undefined
    if (i.pods.size === 0) this.infos.delete(name)
  }

  /** setPod files or refiles a pod after any change. */
  setPod(pod: KubeObject): void {
    const key = keyOf(pod)
    // A bound pod's resources and ports cannot change: a status or label update only refreshes the object.
    const at = this.podNode.get(key)
    if (at !== undefined && isAssigned(pod) && (pod.spec as any).nodeName === at) {
      const p = this.infos.get(at)?.pods.get(key)
      if (p) {
        p.pod = pod
        return
      }
    }
    this.removePod(key)
    if (!isAssigned(pod)) return
    const spec = pod.spec as any
    const nodeName = String(spec.nodeName)
    const anti = spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution
    const p: PodInfo = {
      key,
      pod,
      nodeName,
      requests: podRequests(spec),
      nonZero: podNonZeroRequests(spec),
      ports: podHostPorts(spec),
      priority: Number(spec?.priority ?? 0),
      controllerUid: controllerUid(pod),
      requiredAntiAffinity: Array.isArray(anti) && anti.length ? compileTerms(anti, pod, this.nsLabels) : [],
    }
    this.info(nodeName).add(p)
    this.podNode.set(key, nodeName)
    if (p.requiredAntiAffinity.length) this.withAntiAffinity.set(key, p)
  }

  removePod(key: string): void {
    const nodeName = this.podNode.get(key)
    if (nodeName === undefined) return
    this.podNode.delete(key)
    this.withAntiAffinity.delete(key)
    const i = this.infos.get(nodeName)
    if (!i) return
    i.remove(key)
    if (!i.node && i.pods.size === 0) this.infos.delete(nodeName)
  }
}
