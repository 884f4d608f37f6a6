// load.ts is `mkctl cluster load`: a load generator inside the simulation, in the spirit of hey/k6's constant
// arrival rate. It sends N requests per second of cluster time, for a duration, to a Service (from a node) or a URL
// (from the host through the ingress addon or a NodePort listener, or from a pod with `from`): each request goes the
// way `mkctl cluster trace` sends one (trace.ts), so it is served by a pod's simulated process, grows its access log
// and is counted by metrics/requests.ts, which the metrics-server model and the HPA controller read. The route (source,
// address, port, Host header) is resolved as trace.ts resolves it, once per tick rather than per request: a whole
// trace() costs ~0.7 ms (registry reads), cluster.network.http ~0.05 ms.
//
// Scheduling: request k of a run is due at start + k/N s. A timer on the cluster clock sends every request that is
// due; timers are at least TICK_MS apart, so above 1000/TICK_MS rps requests go in batches stamped with the tick's
// time (the per-second counters the metrics read are unaffected). A FakeClock, or `mkctl cluster time advance`,
// therefore drives a run as it drives the controllers.
//
// Latency model (deterministic, simulated — no real time is measured): for every container a request reaches on
// its way (the ingress controller, then the backend), NET_HOP_MS for the network hop plus a service time S, the
// image profile's CPU per request (metrics/usage.ts BASELINES msPerRequest, at least MIN_SERVICE_MS), stretched by
// queueing as the container's CPU nears its capacity: with utilisation ρ = (baseline CPU + requests served in the
// previous cluster second × S) / capacity, where the capacity is the container's CPU limit (else the node's
// allocatable CPU), the time in the server is S / (1 − min(ρ, RHO_MAX)) (an M/M/1 queue's sojourn time), plus
// (ρ − 1) × 1 s of backlog when the offered work exceeds the capacity.
import type {KubeObject} from '../../api/object.js'
import {parseQuantity} from '../../api/quantity.js'
import {badRequest, notFound, StatusError} from '../../api/errors.js'
import {CONTROLLER_NAME, INGRESS_NAMESPACE} from '../addons/ingress.js'
import {rfc3339} from '../clock.js'
import type {Timer} from '../clock.js'
import type {Cluster} from '../cluster.js'
import {resolveResource} from '../controllers/framework/informer.js'
import {baselineFor} from '../metrics/usage.js'
import {requestsBetween} from '../metrics/requests.js'
import {HOST_CLIENT_IP, type HostGateway} from './host.js'
import type {Failure, Hop, Source} from './index.js'
import type {TraceRequest} from './trace.js'

/** USER_AGENT is what the serving processes log for load requests. */
export const USER_AGENT = 'mkctl-load'

/** TICK_MS is the shortest gap between two sends of one run (above 1000/TICK_MS rps, requests go in batches). */
export const TICK_MS = 100
/** NET_HOP_MS is the simulated network time of one hop to a container (kube-proxy, veth, the pod's stack). */
export const NET_HOP_MS = 0.25
/** MIN_SERVICE_MS is the least time a process takes to answer (profiles that spend no CPU per request). */
export const MIN_SERVICE_MS = 0.05
/** RHO_MAX caps the utilisation in the M/M/1 factor (at most 100× the service time, before the backlog term). */
export const RHO_MAX = 0.99
/** MAX_RPS, MAX_DURATION_MS and MAX_REQUESTS bound one run, so a typo cannot keep the daemon busy for hours. */
export const MAX_RPS = 10_000
export const MAX_DURATION_MS = 3600_000
export const MAX_REQUESTS = 2_000_000
/** MAX_RUNNING is how many runs may be running at once; KEEP_FINISHED how many finished ones status still knows. */
export const MAX_RUNNING = 8
export const KEEP_FINISHED = 16

/** LoadSpec says what to send: a trace target (URL, Service, optional source pod), a rate and a duration. */
export interface LoadSpec {
  url?: string
  service?: {namespace: string; name: string; port?: number}
  from?: {namespace: string; pod: string}
  method?: string
  path?: string
  /** rps is requests per second of cluster time. */
  rps: number
  /** durationMs is the run's length in cluster time. */
  durationMs: number
}

/** LatencySummary holds latency percentiles in milliseconds (nearest rank) over the requests that got an answer. */
export interface LatencySummary {
  p50: number
  p90: number
  p99: number
  mean: number
  max: number
}

/** LoadStatus is a run's progress and, once done, its summary. */
export interface LoadStatus {
  id: string
  /** request is the method and target, as `cluster trace` prints it. */
  request: string
  origin: string
  rps: number
  durationMs: number
  /** total is how many requests the run sends when it is not stopped early. */
  total: number
  startedAt: string
  /** elapsedMs is the cluster time since the start (at most durationMs once done). */
  elapsedMs: number
  state: 'running' | 'done' | 'stopped'
  sent: number
  /** ok counts answers with a 2xx or 3xx status; errors everything else (as k6's http_req_failed). */
  ok: number
  errors: number
  /** currentRps is how many requests were sent in the last second of cluster time. */
  currentRps: number
  /** throughput is requests per second of cluster time over the elapsed time. */
  throughput: number
  /** failures counts failed requests by kind: "HTTP 503", "connection refused", "timeout", "dns", ... */
  failures: Record<string, number>
  /** statusCodes counts answers by HTTP status. */
  statusCodes: Record<string, number>
  /** pods counts answers by the pod that served them (the backend, behind an ingress). */
  pods: Record<string, number>
  latencyMs?: LatencySummary
  /** lastError is the last failure's message, for the CLI's summary. */
  lastError?: string
}

/** PathStep is one container a request reached on its way. */
export interface PathStep {
  namespace: string
  pod: string
  container: string
}

/** pathOf reads the containers a traced request reached from its hops (each 'pod' hop and its 'container' hop). */
export function pathOf(hops: Hop[]): PathStep[] {
  const out: PathStep[] = []
  let pod: {namespace: string; pod: string} | undefined
  for (const h of hops) {
    if (h.step === 'pod') {
      const m = /^([^/\s]+)\/(\S+) on node /.exec(h.detail)
      pod = m ? {namespace: m[1]!, pod: m[2]!} : undefined
    } else if (h.step === 'container' && pod) {
      const m = /^(\S+) listening on \d+$/.exec(h.detail)
      if (m) out.push({...pod, container: m[1]!})
      pod = undefined
    }
  }
  return out
}

function quantity(v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined
  try {
    return parseQuantity(String(v)).asApproximateFloat64()
  } catch {
    return undefined
  }
}

/** serverTimeMs is the queueing model for one container: service time S stretched by utilisation rho. */
export function serverTimeMs(serviceMs: number, rho: number): number {
  const s = Math.max(MIN_SERVICE_MS, serviceMs)
  return s / (1 - Math.min(Math.max(0, rho), RHO_MAX)) + Math.max(0, rho - 1) * 1000
}

/**
 * stepLatencyMs is the simulated time one container adds to a request at now: a network hop plus its server time,
 * with the utilisation from the requests it served in the previous cluster second.
 */
export function stepLatencyMs(cluster: Cluster, step: PathStep, now: number): number {
  const pod = cluster.manager.informers.for('pods').get(step.namespace, step.pod) as
    | (KubeObject & {spec?: {nodeName?: string; containers?: {name: string; image?: string; resources?: any}[]}})
    | undefined
  const spec = pod?.spec?.containers?.find((c) => c.name === step.container)
  const inst = pod ? cluster.runtime.instance(pod.metadata?.uid ?? '', step.container) : undefined
  const base = baselineFor(spec?.image, (inst as {image?: {profile?: string}} | undefined)?.image?.profile)
  const sec = Math.floor(now / 1000) * 1000
  const rate = inst ? requestsBetween(inst, sec - 1000, sec) : 0
  let capacity = quantity(spec?.resources?.limits?.cpu)
  if (capacity === undefined) {
    const node = pod?.spec?.nodeName
      ? cluster.manager.informers.for('nodes').get(undefined, pod.spec.nodeName)
      : undefined
    capacity = quantity((node?.status as {allocatable?: {cpu?: string}} | undefined)?.allocatable?.cpu) ?? 2
  }
  const capacityMilli = Math.max(1, capacity * 1000)
  const service = Math.max(MIN_SERVICE_MS, base.msPerRequest)
  const rho = (base.cpuMilli + rate * service) / capacityMilli
  return NET_HOP_MS + serverTimeMs(service, rho)
}

/** failureKind names a failed connection's kind for the summary. */
export function failureKind(f: Failure): string {
  return {resolve: 'dns', dnsTimeout: 'dns timeout', timeout: 'timeout', refused: 'connection refused'}[f.error]
}

/** failureMessage says what a client would report (the same words as `mkctl cluster trace`). */
export function failureMessage(f: Failure): string {
  switch (f.error) {
    case 'resolve':
      return `could not resolve host ${f.host}`
    case 'dnsTimeout':
      return `resolving ${f.host} timed out`
    case 'timeout':
      return `connection to ${f.host} port ${f.port} timed out`
    case 'refused':
      return `connection to ${f.host} port ${f.port} refused`
  }
}

/** Route is where a run's requests start and go, resolved as trace.ts resolves a trace's. */
export interface Route {
  src: Source
  host: string
  port: number
  path: string
  hostHeader: string
  /** request and origin describe the route as `mkctl cluster trace` prints it. */
  request: string
  origin: string
}

function parseURL(raw: string): URL {
  try {
    return new URL(/^[a-z]+:\/\//i.test(raw) ? raw : `http://${raw}`)
  } catch {
    throw badRequest(`invalid URL "${raw}"`)
  }
}

/**
 * routeOf resolves a target as trace.ts does: svc/NAME from the first node; a URL from a pod (`from`), or from the
 * host — a 127.0.0.1 URL through its NodePort listener, an IP as is, a host name through the ingress controller's
 * NodePort. It throws the same errors (unknown Service or pod, no ingress addon).
 */
export function routeOf(cluster: Cluster, gateway: HostGateway, req: TraceRequest): Route {
  const res = (ref: string) => resolveResource(cluster.resources(), ref)
  const method = req.method ?? 'GET'
  if (req.service) {
    const svc = cluster.registry.tryGet(res('services'), req.service.namespace, req.service.name)
    if (!svc) throw notFound({group: '', plural: 'services'}, req.service.name)
    const ports = (svc.spec as {ports?: {port: number}[]})?.ports ?? []
    const port = req.service.port ?? ports[0]?.port ?? 80
    const host = `${req.service.name}.${req.service.namespace}.svc.cluster.local`
    const node = cluster.manager.informers.for('nodes').list()[0]?.metadata?.name ?? 'mkctl'
    const path = req.path ?? '/'
    return {
      src: {node},
      host,
      port,
      path,
      hostHeader: host,
      request: `${method} http://${host}:${port}${path}`,
      origin: `node ${node}`,
    }
  }
  if (!req.url) throw badRequest('a URL or a service is required')
  const u = parseURL(req.url)
  const path = req.path ?? `${u.pathname}${u.search}`
  const tls = u.protocol === 'https:'
  const urlPort = u.port ? Number(u.port) : tls ? 443 : 80
  const base = {path, hostHeader: u.host, request: `${method} ${req.url}`}
  if (req.from) {
    const pod = cluster.registry.tryGet(res('pods'), req.from.namespace, req.from.pod) as KubeObject | undefined
    if (!pod) throw notFound({group: '', plural: 'pods'}, req.from.pod)
    return {...base, src: {pod}, host: u.hostname, port: urlPort, origin: `pod ${req.from.namespace}/${req.from.pod}`}
  }
  const src: Source = {external: HOST_CLIENT_IP}
  const local = u.hostname === '127.0.0.1' || u.hostname === 'localhost' ? gateway.nodePortFor(urlPort) : undefined
  if (local) return {...base, src, host: gateway.nodeAddress(), port: local.nodePort, origin: 'the host'}
  if (/^\d+\.\d+\.\d+\.\d+$/.test(u.hostname))
    return {...base, src, host: u.hostname, port: urlPort, origin: 'the host'}
  const ctl = cluster.registry.tryGet(res('services'), INGRESS_NAMESPACE, CONTROLLER_NAME)
  const p = ((ctl?.spec as {ports?: {name?: string; nodePort?: number}[]})?.ports ?? []).find(
    (x) => x.name === (tls ? 'https' : 'http'),
  )
  if (!p?.nodePort)
    throw badRequest(
      `${u.hostname} is not reachable from the host: enable the ingress addon (mkctl cluster addons enable ingress), or send from a pod with --from`,
    )
  return {...base, src, host: gateway.nodeAddress(), port: p.nodePort, origin: 'the host'}
}

/** Histogram keeps latencies in microseconds with their counts: the model yields few distinct values. */
class Histogram {
  private readonly counts = new Map<number, number>()
  private n = 0
  private sum = 0
  add(ms: number) {
    const us = Math.round(ms * 1000)
    this.counts.set(us, (this.counts.get(us) ?? 0) + 1)
    this.n++
    this.sum += us
  }
  summary(): LatencySummary | undefined {
    if (this.n === 0) return undefined
    const keys = [...this.counts.keys()].sort((a, b) => a - b)
    const at = (p: number) => {
      const rank = Math.max(1, Math.ceil((p / 100) * this.n))
      let seen = 0
      for (const k of keys) if ((seen += this.counts.get(k)!) >= rank) return k / 1000
      return keys.at(-1)! / 1000
    }
    return {
      p50: at(50),
      p90: at(90),
      p99: at(99),
      mean: Math.round(this.sum / this.n) / 1000,
      max: keys.at(-1)! / 1000,
    }
  }
}

interface Run {
  id: string
  spec: LoadSpec
  request: TraceRequest
  route: Route
  total: number
  start: number
  end?: number
  state: LoadStatus['state']
  sent: number
  ok: number
  errors: number
  failures: Record<string, number>
  statusCodes: Record<string, number>
  pods: Record<string, number>
  latency: Histogram
  recent: {at: number; n: number}[]
  lastError?: string
  timer?: Timer
}

function positive(v: unknown, what: string, max: number): number {
  const n = Number(v)
  if (!Number.isFinite(n) || n <= 0) throw badRequest(`${what} must be a positive number`)
  if (n > max) throw badRequest(`${what} must be at most ${max}`)
  return n
}

/** LoadGenerator runs the cluster's load runs on its clock. */
export class LoadGenerator {
  private readonly runs = new Map<string, Run>()
  private seq = 0

  constructor(
    private readonly cluster: Cluster,
    private readonly gateway: HostGateway,
  ) {}

  /**
   * start validates a spec, sends the first request at once (an unknown Service, pod or an ingress that is not
   * enabled fails the start, as the trace would) and schedules the rest.
   */
  start(spec: LoadSpec): LoadStatus {
    const rps = positive(spec.rps, 'rps', MAX_RPS)
    const durationMs = positive(spec.durationMs, 'durationMs', MAX_DURATION_MS)
    const total = Math.max(1, Math.round((rps * durationMs) / 1000))
    if (total > MAX_REQUESTS) throw badRequest(`a run may send at most ${MAX_REQUESTS} requests (rps × duration)`)
    if (!spec.url && !spec.service) throw badRequest('a URL or a service is required')
    if ([...this.runs.values()].filter((r) => r.state === 'running').length >= MAX_RUNNING)
      throw badRequest(`at most ${MAX_RUNNING} loads may run at once: stop one first`)
    const request: TraceRequest = {
      ...(spec.url ? {url: spec.url} : {}),
      ...(spec.service ? {service: spec.service} : {}),
      ...(spec.from ? {from: spec.from} : {}),
      ...(spec.method ? {method: spec.method} : {}),
      ...(spec.path ? {path: spec.path} : {}),
    }
    const now = this.cluster.clock.now()
    // A wrong target is the start's error, and no run is kept.
    const route = routeOf(this.cluster, this.gateway, request)
    const run: Run = {
      id: `load-${++this.seq}`,
      spec: {...spec, rps, durationMs},
      request,
      route,
      total,
      start: now,
      state: 'running',
      sent: 0,
      ok: 0,
      errors: 0,
      failures: {},
      statusCodes: {},
      pods: {},
      latency: new Histogram(),
      recent: [],
    }
    this.runs.set(run.id, run)
    this.send(run, route, now)
    this.prune()
    this.schedule(run)
    return this.view(run)
  }

  /** status reports one run. */
  status(id: string): LoadStatus {
    return this.view(this.get(id))
  }

  /** list reports every run still known, oldest first. */
  list(): LoadStatus[] {
    return [...this.runs.values()].map((r) => this.view(r))
  }

  /** stop ends a run early (Ctrl-C in the CLI); stopping a finished run changes nothing. */
  stop(id: string): LoadStatus {
    const run = this.get(id)
    if (run.state === 'running') this.finish(run, 'stopped')
    return this.view(run)
  }

  /** stopAll cancels every running run's timer (the daemon is stopping). */
  stopAll(): void {
    for (const r of this.runs.values()) if (r.state === 'running') this.finish(r, 'stopped')
  }

  private get(id: string): Run {
    const run = this.runs.get(id)
    if (!run) throw notFound({group: 'mkctl.dev', plural: 'loads'}, id)
    return run
  }

  private dueAt(run: Run, k: number): number {
    return run.start + (k * 1000) / run.spec.rps
  }

  private schedule(run: Run) {
    const clock = this.cluster.clock
    const now = clock.now()
    const next = run.sent < run.total ? this.dueAt(run, run.sent) : run.start + run.spec.durationMs
    const delay = run.sent < run.total ? Math.max(Math.ceil(next - now), TICK_MS) : next - now
    run.timer = clock.setTimeout(() => this.tick(run), Math.max(0, delay))
  }

  private tick(run: Run) {
    run.timer = undefined
    if (run.state !== 'running') return
    const now = this.cluster.clock.now()
    const due = Math.min(run.total, Math.floor(((now - run.start) * run.spec.rps) / 1000 + 1e-9) + 1)
    let route: Route | undefined
    try {
      // Once per tick: Services, ingress and source pods may change during a run.
      route = routeOf(this.cluster, this.gateway, run.request)
    } catch (e) {
      // The target went away during the run (a deleted Service or source pod): count the requests and go on.
      const kind = e instanceof StatusError && e.code === 404 ? 'not found' : 'error'
      while (run.sent < due) {
        this.note(run, now)
        this.fail(run, kind, String((e as Error).message))
      }
    }
    while (route && run.sent < due) this.send(run, route, now)
    if (run.sent >= run.total && now >= run.start + run.spec.durationMs) return this.finish(run, 'done')
    this.schedule(run)
  }

  private note(run: Run, now: number) {
    run.sent++
    const last = run.recent.at(-1)
    if (last && last.at === now) last.n++
    else run.recent.push({at: now, n: 1})
    while (run.recent.length && run.recent[0]!.at <= now - 1000) run.recent.shift()
  }

  private fail(run: Run, kind: string, message: string) {
    run.errors++
    run.failures[kind] = (run.failures[kind] ?? 0) + 1
    run.lastError = message
  }

  /** send sends one request of a run along its route and records the outcome. */
  private send(run: Run, route: Route, now: number) {
    this.note(run, now)
    const out = this.cluster.network.http(route.src, route.host, route.port, {
      method: run.request.method ?? 'GET',
      path: route.path,
      host: route.hostHeader,
      headers: {host: route.hostHeader, 'user-agent': USER_AGENT},
    })
    if (!out.ok) return this.fail(run, failureKind(out), failureMessage(out))
    const steps = pathOf(out.hops)
    // The answer comes from the last pod on the way (behind an ingress, the backend).
    const last = steps.at(-1)
    const pod = last
      ? `${last.namespace}/${last.pod}`
      : `${out.connection.pod.metadata?.namespace}/${out.connection.pod.metadata?.name}`
    const code = out.response.status
    run.statusCodes[code] = (run.statusCodes[code] ?? 0) + 1
    run.pods[pod] = (run.pods[pod] ?? 0) + 1
    if (code >= 200 && code < 400) run.ok++
    else this.fail(run, `HTTP ${code}`, `${pod} answered ${code}`)
    let ms = 0
    for (const step of steps) ms += stepLatencyMs(this.cluster, step, now)
    run.latency.add(ms)
  }

  private finish(run: Run, state: 'done' | 'stopped') {
    run.timer?.cancel()
    run.timer = undefined
    run.state = state
    run.end = Math.min(this.cluster.clock.now(), run.start + run.spec.durationMs)
  }

  /** prune forgets the oldest finished runs beyond KEEP_FINISHED. */
  private prune() {
    const finished = [...this.runs.values()].filter((r) => r.state !== 'running')
    for (const r of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.runs.delete(r.id)
  }

  private view(run: Run): LoadStatus {
    const now = this.cluster.clock.now()
    const elapsedMs = Math.max(0, Math.min(run.end ?? now, run.start + run.spec.durationMs) - run.start)
    const recentFrom = now - 1000
    const latency = run.latency.summary()
    return {
      id: run.id,
      request: run.route.request,
      origin: run.route.origin,
      rps: run.spec.rps,
      durationMs: run.spec.durationMs,
      total: run.total,
      startedAt: rfc3339(run.start),
      elapsedMs,
      state: run.state,
      sent: run.sent,
      ok: run.ok,
      errors: run.errors,
      currentRps:
        run.state === 'running' ? run.recent.filter((x) => x.at > recentFrom).reduce((a, x) => a + x.n, 0) : 0,
      // Over at least one second: the first request alone is not a rate of thousands per second.
      throughput: Math.round((run.sent / Math.max(1, elapsedMs / 1000)) * 100) / 100,
      failures: {...run.failures},
      statusCodes: {...run.statusCodes},
      pods: {...run.pods},
      ...(latency ? {latencyMs: latency} : {}),
      ...(run.lastError ? {lastError: run.lastError} : {}),
    }
  }
}
