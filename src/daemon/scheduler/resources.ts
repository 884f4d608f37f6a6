// resources.ts: what a pod asks for and what a node offers, in the scheduler's units (milli-CPU, bytes).
// Follows component-helpers/resource/helpers.go PodRequests (sum of containers, the init container max rule with
// sidecars, overhead) and scheduler/util/pod_resources.go for the non-zero defaults used in scoring.
import {parseQuantity} from '../../api/quantity.js'

/** Resources is a request or an allocatable amount: milliCPU, bytes, and other resources by name (value units). */
export interface Resources {
  milliCPU: number
  memory: number
  ephemeralStorage: number
  scalar: Record<string, number>
}

/** DEFAULT_MILLI_CPU_REQUEST is what scoring assumes for a container without a CPU request (100m). */
export const DEFAULT_MILLI_CPU_REQUEST = 100
/** DEFAULT_MEMORY_REQUEST is what scoring assumes for a container without a memory request (200 MiB). */
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024

/** emptyResources is a zero amount. */
export function emptyResources(): Resources {
  return {milliCPU: 0, memory: 0, ephemeralStorage: 0, scalar: {}}
}

function quantity(v: unknown, milli: boolean): number {
  if (v === undefined || v === null || v === '') return 0
  try {
    const q = parseQuantity(String(v))
    return milli ? q.milliValue() : q.value()
  } catch {
    return 0
  }
}

/** resourcesFromList converts a core/v1 ResourceList; "pods" is left out (it is a count, handled apart). */
export function resourcesFromList(list: Record<string, unknown> | undefined | null): Resources {
  const r = emptyResources()
  for (const [k, v] of Object.entries(list ?? {})) {
    if (k === 'cpu') r.milliCPU = quantity(v, true)
    else if (k === 'memory') r.memory = quantity(v, false)
    else if (k === 'ephemeral-storage') r.ephemeralStorage = quantity(v, false)
    else if (k !== 'pods') r.scalar[k] = quantity(v, false)
  }
  return r
}

/** addResources adds b into a. */
export function addResources(a: Resources, b: Resources, sign = 1): Resources {
  a.milliCPU += sign * b.milliCPU
  a.memory += sign * b.memory
  a.ephemeralStorage += sign * b.ephemeralStorage
  for (const [k, v] of Object.entries(b.scalar)) {
    const n = (a.scalar[k] ?? 0) + sign * v
    if (n === 0) delete a.scalar[k]
    else a.scalar[k] = n
  }
  return a
}

function maxResources(a: Resources, b: Resources): Resources {
  a.milliCPU = Math.max(a.milliCPU, b.milliCPU)
  a.memory = Math.max(a.memory, b.memory)
  a.ephemeralStorage = Math.max(a.ephemeralStorage, b.ephemeralStorage)
  for (const [k, v] of Object.entries(b.scalar)) a.scalar[k] = Math.max(a.scalar[k] ?? 0, v)
  return a
}

function cloneResources(r: Resources): Resources {
  return {...r, scalar: {...r.scalar}}
}

type ContainerReq = (c: any) => Resources

function requestsOf(c: any): Resources {
  return resourcesFromList(c?.resources?.requests)
}

/** nonZeroRequestsOf gives a container without a CPU or memory request the scoring defaults. */
function nonZeroRequestsOf(c: any): Resources {
  const r = requestsOf(c)
  const req = c?.resources?.requests ?? {}
  if (req.cpu === undefined) r.milliCPU = DEFAULT_MILLI_CPU_REQUEST
  if (req.memory === undefined) r.memory = DEFAULT_MEMORY_REQUEST
  return r
}

function podRequestsWith(spec: any, of: ContainerReq): Resources {
  const total = emptyResources()
  for (const c of Array.isArray(spec?.containers) ? spec.containers : []) addResources(total, of(c))
  // Init containers run one at a time, sidecars (restartPolicy Always) keep running beside what follows them.
  const sidecars = emptyResources()
  const initMax = emptyResources()
  for (const c of Array.isArray(spec?.initContainers) ? spec.initContainers : []) {
    const req = of(c)
    if (c?.restartPolicy === 'Always') {
      addResources(total, req)
      addResources(sidecars, req)
      maxResources(initMax, sidecars)
    } else {
      maxResources(initMax, addResources(cloneResources(req), sidecars))
    }
  }
  maxResources(total, initMax)
  if (spec?.overhead) addResources(total, resourcesFromList(spec.overhead))
  return total
}

/** podRequests is the pod's effective request (PodRequests). */
export function podRequests(spec: any): Resources {
  return podRequestsWith(spec, requestsOf)
}

/** podNonZeroRequests is the request scoring uses: containers without requests count 100m and 200Mi. */
export function podNonZeroRequests(spec: any): Resources {
  return podRequestsWith(spec, nonZeroRequestsOf)
}

/** NodeCapacity is what the scheduler may place on a node. */
export interface NodeCapacity {
  resources: Resources
  pods: number
}

const allocatableCache = new WeakMap<object, NodeCapacity>()

/** nodeAllocatable reads status.allocatable (capacity when absent); cached per node object (they are immutable). */
export function nodeAllocatable(node: any): NodeCapacity {
  if (!node || typeof node !== 'object') return {resources: emptyResources(), pods: 0}
  let c = allocatableCache.get(node)
  if (!c) {
    const list = node.status?.allocatable ?? node.status?.capacity ?? {}
    c = {resources: resourcesFromList(list), pods: quantity(list.pods, false)}
    allocatableCache.set(node, c)
  }
  return c
}
