// usage.ts is the simulated resource-metrics pipeline: what the kubelet's cAdvisor would measure for each running
// container and what metrics-server would then serve. CPU is a per-image baseline with a small deterministic
// jitter, plus the work of the requests the container answered in the window, plus the workers of `stress`,
// throttled at the container's CPU limit. Memory is what the simulated process claimed (at least its image's
// baseline); `stress --vm` grows towards what it claims (the runtime OOM-kills it past its limit). Samples are
// taken at scrape times, every RESOLUTION_MS of cluster time, as metrics-server's --metric-resolution does
// (follows metrics-server pkg/scraper and pkg/storage: a container needs two samples before it is reported).
import type {KubeObject} from '../../api/object.js'
import {parseQuantity} from '../../api/quantity.js'
import type {Selector} from '../../api/labels.js'
import type {Informers} from '../controllers/framework/informer.js'
import type {Runtime} from '../runtime/types.js'
import {requestsBetween} from './requests.js'

/** RESOLUTION_MS is the scrape interval (metrics-server's --metric-resolution=15s). */
export const RESOLUTION_MS = 15_000

/** ADDON is the addon name whose state turns the metrics pipeline on. */
export const ADDON = 'metrics-server'

const MiB = 1024 * 1024

/** Baseline is an idle container's use: CPU millicores, memory MiB, and CPU ms spent per request served. */
export interface Baseline {
  cpuMilli: number
  memMiB: number
  msPerRequest: number
}

/** BASELINES by runtime profile or, first, by the image's last path segment (the kube-system components). */
export const BASELINES: Record<string, Baseline> = {
  'kube-apiserver': {cpuMilli: 42, memMiB: 248, msPerRequest: 1},
  etcd: {cpuMilli: 21, memMiB: 44, msPerRequest: 1},
  'kube-controller-manager': {cpuMilli: 14, memMiB: 47, msPerRequest: 1},
  'kube-scheduler': {cpuMilli: 3, memMiB: 21, msPerRequest: 1},
  'kube-proxy': {cpuMilli: 1, memMiB: 14, msPerRequest: 1},
  'storage-provisioner': {cpuMilli: 1, memMiB: 9, msPerRequest: 1},
  'metrics-server': {cpuMilli: 4, memMiB: 18, msPerRequest: 1},
  controller: {cpuMilli: 3, memMiB: 92, msPerRequest: 0.6},
  coredns: {cpuMilli: 3, memMiB: 15, msPerRequest: 0.3},
  'ingress-nginx': {cpuMilli: 3, memMiB: 92, msPerRequest: 0.6},
  nginx: {cpuMilli: 1, memMiB: 3, msPerRequest: 1},
  httpd: {cpuMilli: 1, memMiB: 6, msPerRequest: 1.5},
  redis: {cpuMilli: 2, memMiB: 3, msPerRequest: 0.5},
  postgres: {cpuMilli: 3, memMiB: 30, msPerRequest: 3},
  mysql: {cpuMilli: 6, memMiB: 360, msPerRequest: 3},
  mariadb: {cpuMilli: 3, memMiB: 90, msPerRequest: 3},
  mongo: {cpuMilli: 8, memMiB: 80, msPerRequest: 3},
  memcached: {cpuMilli: 1, memMiB: 3, msPerRequest: 0.3},
  rabbitmq: {cpuMilli: 12, memMiB: 110, msPerRequest: 2},
  language: {cpuMilli: 0, memMiB: 1, msPerRequest: 2},
  php: {cpuMilli: 1, memMiB: 12, msPerRequest: 10},
  wordpress: {cpuMilli: 1, memMiB: 40, msPerRequest: 20},
  traefik: {cpuMilli: 2, memMiB: 30, msPerRequest: 0.6},
  haproxy: {cpuMilli: 1, memMiB: 8, msPerRequest: 0.4},
  caddy: {cpuMilli: 1, memMiB: 12, msPerRequest: 0.8},
  consul: {cpuMilli: 10, memMiB: 45, msPerRequest: 1},
  vault: {cpuMilli: 5, memMiB: 60, msPerRequest: 2},
  elasticsearch: {cpuMilli: 20, memMiB: 1100, msPerRequest: 5},
  grafana: {cpuMilli: 3, memMiB: 70, msPerRequest: 4},
  prometheus: {cpuMilli: 6, memMiB: 60, msPerRequest: 4},
  registry: {cpuMilli: 1, memMiB: 8, msPerRequest: 1},
  'http-echo': {cpuMilli: 0, memMiB: 3, msPerRequest: 0.5},
  echoserver: {cpuMilli: 1, memMiB: 5, msPerRequest: 1},
  pause: {cpuMilli: 0, memMiB: 0.3, msPerRequest: 0},
  agnhost: {cpuMilli: 1, memMiB: 8, msPerRequest: 1},
  curl: {cpuMilli: 0, memMiB: 1, msPerRequest: 1},
  shell: {cpuMilli: 0, memMiB: 0.5, msPerRequest: 1},
  'hello-app': {cpuMilli: 0, memMiB: 3, msPerRequest: 1},
  kuard: {cpuMilli: 1, memMiB: 8, msPerRequest: 1},
  podinfo: {cpuMilli: 2, memMiB: 12, msPerRequest: 1},
  'hello-kubernetes': {cpuMilli: 1, memMiB: 25, msPerRequest: 2},
  httpbin: {cpuMilli: 1, memMiB: 30, msPerRequest: 3},
  stress: {cpuMilli: 0, memMiB: 1, msPerRequest: 0},
  jenkins: {cpuMilli: 10, memMiB: 600, msPerRequest: 10},
  app: {cpuMilli: 1, memMiB: 10, msPerRequest: 2},
}

const DEFAULT_BASELINE: Baseline = {cpuMilli: 1, memMiB: 8, msPerRequest: 2}

/** NODE_SYSTEM is what a node uses outside pods (kubelet, containerd, the OS): CPU millicores and memory MiB. */
export const NODE_SYSTEM = {cpuMilli: 68, memMiB: 436}

/** ContainerUsage is one container's sample: CPU in nanocores and memory (working set) in bytes. */
export interface ContainerUsage {
  name: string
  cpuNano: number
  memBytes: number
}

/** PodUsage is one pod's metrics at a scrape. */
export interface PodUsage {
  pod: KubeObject
  /** timestamp is the scrape time (ms) and windowMs the span the CPU rate was measured over. */
  timestamp: number
  windowMs: number
  containers: ContainerUsage[]
}

/** NodeUsage is one node's metrics at a scrape. */
export interface NodeUsage {
  node: KubeObject
  timestamp: number
  windowMs: number
  cpuNano: number
  memBytes: number
}

/** UsageDeps are what the model reads: the shared informers and the runtime (for processes and request counts). */
export interface UsageDeps {
  informers: Informers
  runtime?: Runtime
}

/** hash01 is FNV-1a of a string mapped to [0, 1): the deterministic jitter source. */
export function hash01(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h / 0x1_0000_0000
}

/** scrapeTime is the last scrape at or before now. */
export function scrapeTime(now: number): number {
  return Math.floor(now / RESOLUTION_MS) * RESOLUTION_MS
}

/** baselineFor picks the baseline of an image (by its last path segment, then the runtime profile). */
export function baselineFor(image: string | undefined, profile: string | undefined): Baseline {
  const last =
    (image ?? '')
      .replace(/@.*$/, '')
      .replace(/:[^/]*$/, '')
      .split('/')
      .pop() ?? ''
  return BASELINES[last] ?? (profile !== undefined ? BASELINES[profile] : undefined) ?? DEFAULT_BASELINE
}

function quantity(v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined
  try {
    return parseQuantity(String(v)).asApproximateFloat64()
  } catch {
    return undefined
  }
}

function flagValue(argv: string[], long: string, short: string): number {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === `--${long}` || a === `-${short}`) return Number.parseInt(argv[i + 1] ?? '0', 10) || 0
    if (a.startsWith(`--${long}=`)) return Number.parseInt(a.slice(long.length + 3), 10) || 0
  }
  return 0
}

/** RuntimeInstance is the part of the runtime's container instance the model reads. */
interface RuntimeInstance {
  id: string
  startedAt: number
  image: {profile: string; ref: string}
  running?(now: number): boolean
  process?: {memoryBytes: number; spec: {argv: string[]}}
}

function instanceOf(rt: Runtime | undefined, podUid: string, name: string): RuntimeInstance | undefined {
  const f = (rt as {instance?: (u: string, c: string) => unknown} | undefined)?.instance
  return f ? (f.call(rt, podUid, name) as RuntimeInstance | undefined) : undefined
}

interface ContainerSpec {
  name: string
  image?: string
  resources?: {limits?: Record<string, unknown>; requests?: Record<string, unknown>}
}

/**
 * containerUsage measures one running container at scrape time ts over [ts - RESOLUTION_MS, ts); undefined when
 * it was not running for the whole window (metrics-server needs two samples).
 */
export function containerUsage(
  pod: KubeObject,
  spec: ContainerSpec,
  startedAt: number,
  inst: RuntimeInstance | undefined,
  ts: number,
): ContainerUsage | undefined {
  const from = ts - RESOLUTION_MS
  if (startedAt > from) return undefined
  if (inst && inst.running && !inst.running(ts)) return undefined
  const base = baselineFor(spec.image, inst?.image.profile)
  const key = `${pod.metadata?.uid ?? ''}/${spec.name}/${inst?.id ?? ''}`
  const j = (salt: string) => hash01(`${key}/${salt}/${ts}`) * 2 - 1
  let cpuMilli = base.cpuMilli * (1 + 0.2 * j('cpu')) + (base.cpuMilli === 0 ? 0.3 + 0.2 * j('cpu0') : 0)
  if (inst) cpuMilli += (requestsBetween(inst, from, ts) / (RESOLUTION_MS / 1000)) * base.msPerRequest
  let memBytes = Math.max(inst?.process?.memoryBytes ?? 0, base.memMiB * MiB)
  if (inst?.image.profile === 'stress' && inst.process) {
    // stress spins a core per --cpu and per --vm worker; its --vm memory is touched progressively.
    const argv = inst.process.spec.argv
    cpuMilli += 1000 * (flagValue(argv, 'cpu', 'c') + flagValue(argv, 'vm', 'm'))
    const ramp = Math.min(1, Math.max(0, (ts - inst.startedAt) / 20_000))
    memBytes = MiB + (memBytes - MiB) * ramp
  }
  memBytes *= 1 + 0.03 * j('mem')
  const cpuLimit = quantity(spec.resources?.limits?.cpu)
  if (cpuLimit !== undefined) cpuMilli = Math.min(cpuMilli, cpuLimit * 1000 * (0.985 + 0.01 * j('thr')))
  const memLimit = quantity(spec.resources?.limits?.memory)
  if (memLimit !== undefined) memBytes = Math.min(memBytes, memLimit - 4096)
  // cAdvisor's working set is whole pages; CPU is a rate in nanocores.
  return {
    name: spec.name,
    cpuNano: Math.max(0, Math.round(cpuMilli * 1e6)),
    memBytes: Math.max(4096, Math.floor(memBytes / 4096) * 4096),
  }
}

function isReady(obj: KubeObject, type: string): boolean {
  const conds = (obj as {status?: {conditions?: {type: string; status: string}[]}}).status?.conditions ?? []
  return conds.some((c) => c.type === type && c.status === 'True')
}

function readyNodes(d: UsageDeps): Set<string> {
  return new Set(
    d.informers
      .for('nodes')
      .list()
      .filter((n) => isReady(n, 'Ready'))
      .map((n) => n.metadata!.name!),
  )
}

function measurePod(d: UsageDeps, pod: KubeObject, ts: number): PodUsage | undefined {
  const p = pod as KubeObject & {
    spec?: {nodeName?: string; containers?: ContainerSpec[]}
    status?: {phase?: string; containerStatuses?: {name: string; state?: {running?: {startedAt?: string}}}[]}
  }
  if (p.status?.phase !== 'Running' || pod.metadata?.deletionTimestamp) return undefined
  const containers: ContainerUsage[] = []
  for (const cs of p.status.containerStatuses ?? []) {
    const started = cs.state?.running?.startedAt
    if (!started) continue
    const spec = p.spec?.containers?.find((c) => c.name === cs.name)
    if (!spec) continue
    const u = containerUsage(
      pod,
      spec,
      Date.parse(started),
      instanceOf(d.runtime, pod.metadata?.uid ?? '', cs.name),
      ts,
    )
    if (u) containers.push(u)
  }
  if (containers.length === 0) return undefined
  return {pod, timestamp: ts, windowMs: RESOLUTION_MS, containers}
}

/** podUsages measures the pods of a namespace (all when undefined) matching a label selector, at now. */
export function podUsages(d: UsageDeps, now: number, namespace?: string, selector?: Selector): PodUsage[] {
  const ts = scrapeTime(now)
  const nodes = readyNodes(d)
  const out: PodUsage[] = []
  for (const pod of d.informers.for('pods').list(namespace, selector)) {
    const node = (pod as {spec?: {nodeName?: string}}).spec?.nodeName
    if (!node || !nodes.has(node)) continue
    const u = measurePod(d, pod, ts)
    if (u) out.push(u)
  }
  return out
}

/** nodeUsages measures the Ready nodes matching a label selector: their pods plus the system's share, at now. */
export function nodeUsages(d: UsageDeps, now: number, selector?: Selector): NodeUsage[] {
  const ts = scrapeTime(now)
  const out: NodeUsage[] = []
  for (const node of d.informers.for('nodes').list(undefined, selector)) {
    if (!isReady(node, 'Ready')) continue
    const name = node.metadata!.name!
    if (Date.parse(node.metadata?.creationTimestamp ?? '') > ts - RESOLUTION_MS) continue
    const j = (salt: string) => hash01(`node/${name}/${salt}/${ts}`) * 2 - 1
    let cpuNano = NODE_SYSTEM.cpuMilli * (1 + 0.15 * j('cpu')) * 1e6
    let memBytes = NODE_SYSTEM.memMiB * MiB * (1 + 0.02 * j('mem'))
    for (const pod of d.informers.for('pods').byIndex('node', name)) {
      const u = measurePod(d, pod, ts)
      for (const c of u?.containers ?? []) {
        cpuNano += c.cpuNano
        memBytes += c.memBytes
      }
    }
    out.push({
      node,
      timestamp: ts,
      windowMs: 10_000 + Math.floor(hash01(`node/${name}/window/${ts}`) * 400),
      cpuNano: Math.round(cpuNano),
      memBytes: Math.floor(memBytes / 4096) * 4096,
    })
  }
  return out
}

/** MetricsState says whether the Metrics API answers: the addon is off, on but not ready yet, or serving. */
export type MetricsState = 'disabled' | 'unavailable' | 'ready'

/**
 * metricsState reads the addon switch (daemon_state "addons") and whether a metrics-server pod is Ready in
 * kube-system, as the aggregator's APIService availability check does.
 */
export function metricsState(getState: (name: string) => string | undefined, informers: Informers): MetricsState {
  let on: string[]
  try {
    on = JSON.parse(getState('addons') ?? '[]') as string[]
  } catch {
    on = []
  }
  if (!on.includes(ADDON)) return 'disabled'
  const ready = informers
    .for('pods')
    .list('kube-system')
    .some((p) => p.metadata?.labels?.['k8s-app'] === ADDON && !p.metadata?.deletionTimestamp && isReady(p, 'Ready'))
  return ready ? 'ready' : 'unavailable'
}
