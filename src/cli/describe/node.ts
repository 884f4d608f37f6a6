// node.ts describes Nodes: roles, lease, conditions, addresses, capacity, system info, the non-terminated pods with
// their share of the node, and the allocated totals. Follows kubectl/pkg/describe/describe.go (NodeDescriber,
// describeNode, describeNodeLease, describeNodeResource, findNodeRoles) and kubectl/pkg/util/resource
// (PodRequestsAndLimits).
import {StatusError} from '../../api/errors.js'
import type {Quantity} from '../../api/quantity.js'
import {apiPath, getObject, listAll, type DescribeContext} from './context.js'
import {describeEvents, searchEvents} from './events.js'
import {
  goSortStrings,
  printAnnotationsMultiline,
  printLabelsMultiline,
  printTaintsMultiline,
  quantity,
  rfc1123z,
  sortedResourceNames,
  str,
  timestampSince,
  type Obj,
} from './format.js'
import {LEVEL_0, LEVEL_1, tabbedString} from './prefix-writer.js'

type ResourceList = Map<string, Quantity>

function addList(into: ResourceList, list: Obj | undefined): void {
  for (const [n, v] of Object.entries(list ?? {})) {
    const q = quantity(v)
    into.set(n, into.has(n) ? into.get(n)!.add(q) : q)
  }
}

function maxList(into: ResourceList, list: ResourceList): void {
  for (const [n, q] of list) {
    const cur = into.get(n)
    if (!cur || q.cmp(cur) > 0) into.set(n, q)
  }
}

function toList(o: Obj | undefined): ResourceList {
  const m: ResourceList = new Map()
  addList(m, o)
  return m
}

/** podRequestsAndLimits sums a pod's container requests and limits, init containers and overhead included. */
export function podRequestsAndLimits(pod: Obj): {reqs: ResourceList; limits: ResourceList} {
  const spec = pod.spec ?? {}
  const calc = (field: 'requests' | 'limits') => {
    const total: ResourceList = new Map()
    for (const c of spec.containers ?? []) addList(total, c.resources?.[field])
    const restartable: ResourceList = new Map()
    const init: ResourceList = new Map()
    for (const c of spec.initContainers ?? []) {
      let cur: ResourceList
      if (c.restartPolicy === 'Always') {
        addList(total, c.resources?.[field])
        addList(restartable, c.resources?.[field])
        cur = restartable
      } else {
        cur = toList(c.resources?.[field])
        for (const [n, q] of restartable) cur.set(n, cur.has(n) ? cur.get(n)!.add(q) : q)
      }
      maxList(init, cur)
    }
    maxList(total, init)
    return total
  }
  const reqs = calc('requests')
  const limits = calc('limits')
  if (spec.overhead) {
    addList(reqs, spec.overhead)
    for (const [n, v] of Object.entries(spec.overhead)) {
      const cur = limits.get(n)
      if (cur && !cur.isZero()) limits.set(n, cur.add(quantity(v)))
    }
  }
  return {reqs, limits}
}

function findNodeRoles(node: Obj): string[] {
  const roles = new Set<string>()
  for (const [k, v] of Object.entries<string>(node.metadata?.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length)
      if (role) roles.add(role)
    } else if (k === 'kubernetes.io/role' && v !== '') roles.add(v)
  }
  return goSortStrings([...roles])
}

const pct = (a: number, b: number) => Math.trunc((a / b) * 100)

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage'])

/** describeNode is NodeDescriber. */
export async function describeNode(ctx: DescribeContext, _namespace: string, name: string): Promise<string> {
  const node = await getObject(ctx, apiPath('', 'v1', undefined, 'nodes', name))
  let pods: Obj[] | undefined
  let canViewPods = true
  try {
    pods = await listAll(ctx, apiPath('', 'v1', undefined, 'pods'), {
      fieldSelector: `spec.nodeName=${name},status.phase!=Succeeded,status.phase!=Failed`,
    })
  } catch (e) {
    if (!(e instanceof StatusError && e.reason === 'Forbidden')) throw e
    canViewPods = false
  }
  let events: Obj[] | undefined
  if (ctx.settings.showEvents) {
    // Controllers name the node by its uid, the kubelet by its name: both queries are merged.
    const ref = {name: str(node.metadata?.name), namespace: '', kind: 'Node'}
    const byUid = (await searchEvents(ctx, {...ref, uid: str(node.metadata?.uid)})) ?? []
    const byName = (await searchEvents(ctx, {...ref, uid: ref.name})) ?? []
    events = [...byUid, ...byName]
  }
  let lease: Obj | undefined
  let leaseErr: Error | undefined
  try {
    lease = await getObject(ctx, apiPath('coordination.k8s.io', 'v1', 'kube-node-lease', 'leases', name))
  } catch (e) {
    leaseErr = e as Error
  }
  const now = ctx.now()
  return tabbedString((w) => {
    const meta = node.metadata ?? {}
    const spec = node.spec ?? {}
    const st = node.status ?? {}
    w.write(LEVEL_0, `Name:\t${str(meta.name)}\n`)
    const roles = findNodeRoles(node)
    w.write(LEVEL_0, `Roles:\t${roles.length > 0 ? roles.join(',') : '<none>'}\n`)
    printLabelsMultiline(w, 'Labels', meta.labels)
    printAnnotationsMultiline(w, 'Annotations', meta.annotations)
    w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(meta.creationTimestamp)}\n`)
    printTaintsMultiline(w, 'Taints', spec.taints)
    w.write(LEVEL_0, `Unschedulable:\t${spec.unschedulable === true}\n`)
    if (lease) {
      w.write(LEVEL_0, 'Lease:\n')
      w.write(
        LEVEL_1,
        `HolderIdentity:\t${typeof lease.spec?.holderIdentity === 'string' ? lease.spec.holderIdentity : '<unset>'}\n`,
      )
      w.write(LEVEL_1, `AcquireTime:\t${lease.spec?.acquireTime ? rfc1123z(lease.spec.acquireTime) : '<unset>'}\n`)
      w.write(LEVEL_1, `RenewTime:\t${lease.spec?.renewTime ? rfc1123z(lease.spec.renewTime) : '<unset>'}\n`)
    } else {
      w.write(LEVEL_0, `Lease:\tFailed to get lease: ${leaseErr?.message ?? ''}\n`)
    }
    const conditions: Obj[] = st.conditions ?? []
    if (conditions.length > 0) {
      w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n')
      w.write(LEVEL_1, '----\t------\t-----------------\t------------------\t------\t-------\n')
      for (const c of conditions) {
        w.write(
          LEVEL_1,
          `${str(c.type)} \t${str(c.status)} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${str(c.reason)} \t${str(c.message)}\n`,
        )
      }
    }
    w.write(LEVEL_0, 'Addresses:\n')
    for (const a of st.addresses ?? []) w.write(LEVEL_1, `${str(a.type)}:\t${str(a.address)}\n`)
    const printList = (list: Obj) => {
      for (const n of sortedResourceNames(list)) w.write(LEVEL_0, `  ${n}:\t${quantity(list[n]).canonical()}\n`)
    }
    if (Object.keys(st.capacity ?? {}).length > 0) {
      w.write(LEVEL_0, 'Capacity:\n')
      printList(st.capacity)
    }
    if (Object.keys(st.allocatable ?? {}).length > 0) {
      w.write(LEVEL_0, 'Allocatable:\n')
      printList(st.allocatable)
    }
    const info = st.nodeInfo ?? {}
    w.write(LEVEL_0, 'System Info:\n')
    w.write(LEVEL_0, `  Machine ID:\t${str(info.machineID)}\n`)
    w.write(LEVEL_0, `  System UUID:\t${str(info.systemUUID)}\n`)
    w.write(LEVEL_0, `  Boot ID:\t${str(info.bootID)}\n`)
    w.write(LEVEL_0, `  Kernel Version:\t${str(info.kernelVersion)}\n`)
    w.write(LEVEL_0, `  OS Image:\t${str(info.osImage)}\n`)
    w.write(LEVEL_0, `  Operating System:\t${str(info.operatingSystem)}\n`)
    w.write(LEVEL_0, `  Architecture:\t${str(info.architecture)}\n`)
    w.write(LEVEL_0, `  Container Runtime Version:\t${str(info.containerRuntimeVersion)}\n`)
    w.write(LEVEL_0, `  Kubelet Version:\t${str(info.kubeletVersion)}\n`)
    w.write(LEVEL_0, `  Kube-Proxy Version:\t${str(info.kubeProxyVersion)}\n`)
    if (spec.podCIDR) w.write(LEVEL_0, `PodCIDR:\t${spec.podCIDR}\n`)
    if ((spec.podCIDRs ?? []).length > 0) w.write(LEVEL_0, `PodCIDRs:\t${spec.podCIDRs.join(',')}\n`)
    if (spec.providerID) w.write(LEVEL_0, `ProviderID:\t${spec.providerID}\n`)
    if (canViewPods && pods) {
      const allocatable: Obj = Object.keys(st.allocatable ?? {}).length > 0 ? st.allocatable : (st.capacity ?? {})
      const allocCPU = quantity(allocatable.cpu).milliValue()
      const allocMem = quantity(allocatable.memory).value()
      const allocEph = quantity(allocatable['ephemeral-storage']).value()
      w.write(LEVEL_0, `Non-terminated Pods:\t(${pods.length} in total)\n`)
      w.write(LEVEL_1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n')
      w.write(LEVEL_1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n')
      const zero = quantity(undefined)
      for (const p of pods) {
        const {reqs, limits} = podRequestsAndLimits(p)
        const cr = reqs.get('cpu') ?? zero
        const cl = limits.get('cpu') ?? zero
        const mr = reqs.get('memory') ?? zero
        const ml = limits.get('memory') ?? zero
        w.write(
          LEVEL_1,
          `${str(p.metadata?.namespace)}\t${str(p.metadata?.name)}\t\t` +
            `${cr.canonical()} (${pct(cr.milliValue(), allocCPU)}%)\t${cl.canonical()} (${pct(cl.milliValue(), allocCPU)}%)\t` +
            `${mr.canonical()} (${pct(mr.value(), allocMem)}%)\t${ml.canonical()} (${pct(ml.value(), allocMem)}%)\t` +
            `${timestampSince(p.metadata?.creationTimestamp, now)}\n`,
        )
      }
      w.write(LEVEL_0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n')
      w.write(LEVEL_1, 'Resource\tRequests\tLimits\n')
      w.write(LEVEL_1, '--------\t--------\t------\n')
      const reqs: ResourceList = new Map()
      const limits: ResourceList = new Map()
      for (const p of pods) {
        const rl = podRequestsAndLimits(p)
        for (const [n, q] of rl.reqs) reqs.set(n, reqs.has(n) ? reqs.get(n)!.add(q) : q)
        for (const [n, q] of rl.limits) limits.set(n, limits.has(n) ? limits.get(n)!.add(q) : q)
      }
      const frac = (a: number, b: number) => (b !== 0 ? pct(a, b) : 0)
      const row = (n: string, r: Quantity, l: Quantity, rv: number, lv: number, total: number) =>
        w.write(LEVEL_1, `${n}\t${r.canonical()} (${frac(rv, total)}%)\t${l.canonical()} (${frac(lv, total)}%)\n`)
      const get = (m: ResourceList, n: string) => m.get(n) ?? zero
      row(
        'cpu',
        get(reqs, 'cpu'),
        get(limits, 'cpu'),
        get(reqs, 'cpu').milliValue(),
        get(limits, 'cpu').milliValue(),
        allocCPU,
      )
      row(
        'memory',
        get(reqs, 'memory'),
        get(limits, 'memory'),
        get(reqs, 'memory').value(),
        get(limits, 'memory').value(),
        allocMem,
      )
      const eph = 'ephemeral-storage'
      row(eph, get(reqs, eph), get(limits, eph), get(reqs, eph).value(), get(limits, eph).value(), allocEph)
      const names = Object.keys(allocatable)
      const huge = goSortStrings(names.filter((n) => n.startsWith('hugepages-')))
      const ext = goSortStrings(
        names.filter((n) => !n.startsWith('hugepages-') && !STANDARD_CONTAINER_RESOURCES.has(n) && n !== 'pods'),
      )
      for (const n of huge) {
        const total = quantity(allocatable[n]).value()
        row(n, get(reqs, n), get(limits, n), get(reqs, n).value(), get(limits, n).value(), total)
      }
      for (const n of ext) w.write(LEVEL_1, `${n}\t${get(reqs, n).canonical()}\t${get(limits, n).canonical()}\n`)
    } else {
      w.write(LEVEL_0, 'Pods:\tnot authorized\n')
    }
    if (events) describeEvents(events, w, now)
  })
}
