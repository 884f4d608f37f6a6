// allocators.ts: cluster IPs from 10.96.0.0/12 and node ports from 30000-32767, with the apiserver's messages
// (pkg/registry/core/service/ipallocator and portallocator). Random choices prefer the upper band of each range
// and leave the lower band to static requests, as the ServiceIPStaticSubrange / ServiceNodePortStaticSubrange
// allocators do, so 10.96.0.1 (kubernetes) and 10.96.0.10 (kube-dns) are never handed out at random.
//
// Design note: what is taken is read from the stored Services on every call (`existing`), so an object that was
// never stored (dry run, failed validation, conflict) leaks nothing and a restarted daemon needs no bitmap. Values
// handed out during the current synchronous write are remembered until the next microtask, which keeps several
// allocations of one Service (ports that share nothing) distinct before the Service reaches the store.
import type {KubeObject} from '../../api/object.js'
import type {Allocators} from './types.js'

/** AllocationError is a refused allocation; message is the apiserver's text (e.g. `provided port is already allocated`). */
export class AllocationError extends Error {
  constructor(
    message: string,
    /** full: the range has no free value left (an internal error upstream, not a validation error). */
    readonly full = false,
  ) {
    super(message)
    this.name = 'AllocationError'
  }
}

/** SERVICE_CIDR is the service IP range. */
export const SERVICE_CIDR = '10.96.0.0/12'
/** NODE_PORT_RANGE is the node port range. */
export const NODE_PORT_RANGE = {base: 30000, size: 2768}

const IP_BASE = (10 << 24) | (96 << 16)
const IP_SIZE = 1 << 20
// ipallocator: the first and last addresses of the range are never used.
const IP_MIN_OFFSET = 1
const IP_MAX_OFFSET = IP_SIZE - 2
// Lower bands: min(max(16, size/16), 256) addresses and min(max(16, size/32), 128) ports.
const IP_STATIC_BAND = 256
const PORT_STATIC_BAND = 86

/** ipToNumber parses dotted IPv4; undefined when it is not one. */
export function ipToNumber(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip)
  if (!m) return undefined
  const parts = m.slice(1).map(Number)
  if (parts.some((p) => p > 255)) return undefined
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0
}

function numberToIP(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')
}

/** AllocatorDeps are the allocators' inputs: a random source and what stored Services hold now. */
export interface AllocatorDeps {
  random: () => number
  existing: () => {clusterIPs: string[]; nodePorts: number[]}
}

/** allocationsOf lists the cluster IPs and node ports that Services hold (the `existing` input). */
export function allocationsOf(services: readonly KubeObject[]): {clusterIPs: string[]; nodePorts: number[]} {
  const clusterIPs: string[] = []
  const nodePorts: number[] = []
  for (const s of services) {
    const spec = (s.spec ?? {}) as Record<string, any>
    for (const ip of Array.isArray(spec.clusterIPs) ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : []) {
      if (ip && ip !== 'None') clusterIPs.push(ip)
    }
    for (const p of Array.isArray(spec.ports) ? spec.ports : [])
      if (typeof p?.nodePort === 'number') nodePorts.push(p.nodePort)
    if (typeof spec.healthCheckNodePort === 'number') nodePorts.push(spec.healthCheckNodePort)
  }
  return {clusterIPs, nodePorts}
}

/** createAllocators builds the Allocators the registry hands to the Service strategy. */
export function createAllocators(d: AllocatorDeps): Allocators {
  const pendingIPs = new Set<number>()
  const pendingPorts = new Set<number>()
  let clearScheduled = false
  const remember = () => {
    if (clearScheduled) return
    clearScheduled = true
    queueMicrotask(() => {
      pendingIPs.clear()
      pendingPorts.clear()
      clearScheduled = false
    })
  }
  const takenIPs = () => {
    const s = new Set<number>(pendingIPs)
    for (const ip of d.existing().clusterIPs) {
      const n = ipToNumber(ip)
      if (n !== undefined) s.add(n)
    }
    return s
  }
  const takenPorts = () => new Set<number>([...pendingPorts, ...d.existing().nodePorts])

  // pick chooses a free offset in [lo, hi], starting at a random point and scanning forward (bitmap allocators do
  // the same with a random start), then falls back to the lower band.
  const pick = (lo: number, hi: number, band: number, free: (off: number) => boolean): number | undefined => {
    const ranges: [number, number][] = [
      [Math.max(lo, band), hi],
      [lo, Math.min(band - 1, hi)],
    ]
    for (const [a, b] of ranges) {
      if (a > b) continue
      const n = b - a + 1
      const start = Math.floor(d.random() * n)
      for (let i = 0; i < n; i++) {
        const off = a + ((start + i) % n)
        if (free(off)) return off
      }
    }
    return undefined
  }

  return {
    allocateClusterIP(requested?: string): string {
      const taken = takenIPs()
      if (requested) {
        const n = ipToNumber(requested)
        const off = n === undefined ? -1 : n - IP_BASE
        if (n === undefined || off < IP_MIN_OFFSET || off > IP_MAX_OFFSET) {
          throw new AllocationError(
            `the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${SERVICE_CIDR}`,
          )
        }
        if (taken.has(n)) throw new AllocationError('provided IP is already allocated')
        pendingIPs.add(n)
        remember()
        return requested
      }
      const off = pick(IP_MIN_OFFSET, IP_MAX_OFFSET, IP_STATIC_BAND, (o) => !taken.has(IP_BASE + o))
      if (off === undefined) throw new AllocationError('range is full', true)
      pendingIPs.add(IP_BASE + off)
      remember()
      return numberToIP(IP_BASE + off)
    },
    releaseClusterIP(ip: string): void {
      const n = ipToNumber(ip)
      if (n !== undefined) pendingIPs.delete(n)
    },
    allocateNodePort(requested?: number): number {
      const taken = takenPorts()
      const {base, size} = NODE_PORT_RANGE
      if (requested !== undefined) {
        if (requested < base || requested >= base + size) {
          throw new AllocationError(
            `provided port is not in the valid range. The range of valid ports is ${base}-${base + size - 1}`,
          )
        }
        if (taken.has(requested)) throw new AllocationError('provided port is already allocated')
        pendingPorts.add(requested)
        remember()
        return requested
      }
      const off = pick(0, size - 1, PORT_STATIC_BAND, (o) => !taken.has(base + o))
      if (off === undefined) throw new AllocationError('range is full', true)
      pendingPorts.add(base + off)
      remember()
      return base + off
    },
    releaseNodePort(port: number): void {
      pendingPorts.delete(port)
    },
  }
}
