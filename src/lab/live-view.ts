// live-view.ts grades a lab against any Kubernetes cluster a kubeconfig reaches (`mkctl lab grade LAB --kubeconfig
// FILE [--context C]`), through the Kubernetes REST API with the CLI's own client (src/cli/client: kubeconfig,
// RestClient, discovery). ClusterView is synchronous, so the view is a snapshot: the lists of every resource type and
// namespace the lab's checks name are fetched before the checks run (and again when a `ready` check polls).
// Journal-based checks (`command`, `history`) are skipped: a real cluster keeps no journal and no revision log.
// `script` checks run mkctl in-process against the same kubeconfig and context; `reachable` checks go through the API
// server's service proxy, or, on an mkctl cluster (which has no proxy), through its /mkctl/v1/trace.
import http from 'node:http'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {basename, join, resolve} from 'node:path'
import {parseSelector} from '../api/labels.js'
import type {KubeObject} from '../api/object.js'
import type {ResourceInfo} from '../api/resources.js'
import {DiscoveryClient} from '../cli/client/discovery.js'
import {Factory} from '../cli/client/factory.js'
import {matchResource, preferredOrder} from '../cli/client/mapper.js'
import type {RestClient} from '../cli/client/rest.js'
import {bufferedIOStreams} from '../cli/io.js'
import type {CheckEnv} from './checks.js'
import type {ClusterView, HistoryEvent} from './cluster-view.js'
import {maxPointsOf, renderCheck, gradeTasks, sessionSeed, type LabSource, type SessionResult} from './grader.js'
import {drawParameters} from './params.js'
import {explainHops, type HttpProbe, type ProbeAnswer, type ProbeRequest} from './reachable.js'
import {runInProcess} from './replay.js'
import type {Lab, ParamValues} from './types.js'

/** LIVE_SKIPPED are the check kinds a live cluster cannot answer, with the reason reports give. */
export const LIVE_SKIPPED = {
  command: 'journal-based: a live cluster keeps no journal of commands',
  history: 'journal-based: a live cluster keeps no revision history',
} as const

const POLL_MS = 500
const HTTP_TIMEOUT_MS = 10_000

/** LiveOptions say which cluster to grade. */
export interface LiveOptions {
  kubeconfig: string
  context?: string
  /** seed draws the parameters (default: the lab's, else 1), as for a replayed session. */
  seed?: number
  /** waitMs is the real time `ready` and `reachable` checks may poll in all (default 0: judge at once). */
  waitMs?: number
}

/** ViewKey names one list the snapshot holds: a resource type in a namespace ('' for cluster-scoped). */
interface ViewKey {
  r: ResourceInfo
  namespace: string
}

/** LiveView is a ClusterView over a snapshot of a live cluster's lists; refresh() fetches them again. */
export class LiveView implements ClusterView {
  private ordered: ResourceInfo[] = []
  private readonly lists = new Map<string, KubeObject[] | Error>()
  private readonly keys = new Map<string, ViewKey>()

  constructor(
    readonly rest: RestClient,
    private readonly discovery: DiscoveryClient,
  ) {}

  /** load reads discovery (once per view). */
  async load(): Promise<void> {
    this.ordered = preferredOrder(await this.discovery.serverGroupsAndResources()).filter(
      (r) => !r.plural.includes('/'),
    )
  }

  resolve(name: string): ResourceInfo | undefined {
    return matchResource(this.ordered, name)
  }

  private key(r: ResourceInfo, ns: string | undefined): string {
    return `${r.group}/${r.plural}/${r.namespaced ? (ns ?? 'default') : ''}`
  }

  /** want adds a resource type (as a check spells it) and namespace to the snapshot. */
  want(type: string, namespace: string | undefined): void {
    const r = this.resolve(type)
    if (!r) return
    const ns = r.namespaced ? (namespace ?? 'default') : ''
    this.keys.set(this.key(r, ns), {r, namespace: ns})
  }

  /** refresh fetches every wanted list; a list the cluster refuses is remembered as its error. */
  async refresh(): Promise<void> {
    for (const [k, {r, namespace}] of this.keys) {
      try {
        const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`
        const ns = r.namespaced ? `/namespaces/${encodeURIComponent(namespace)}` : ''
        const list = await this.rest.get<{items?: KubeObject[]}>(`${base}${ns}/${r.plural}`)
        // A list's items carry no apiVersion/kind on a real API server; checks (readiness) need the kind.
        const apiVersion = r.group ? `${r.group}/${r.version}` : r.version
        this.lists.set(
          k,
          (list?.items ?? []).map((o) => ({apiVersion, kind: r.kind, ...o})),
        )
      } catch (e) {
        this.lists.set(k, e as Error)
      }
    }
  }

  private items(r: ResourceInfo, ns: string | undefined): KubeObject[] {
    const got = this.lists.get(this.key(r, ns))
    if (got instanceof Error) throw new Error(`cannot list ${r.plural}: ${got.message}`)
    if (got === undefined) throw new Error(`${r.plural} were not fetched`)
    return got
  }

  get(r: ResourceInfo, ns: string | undefined, name: string): KubeObject | undefined {
    return this.items(r, ns).find((o) => o.metadata?.name === name)
  }

  list(r: ResourceInfo, ns: string | undefined, selector?: string): KubeObject[] {
    const objs = this.items(r, ns)
    if (!selector) return objs
    const sel = parseSelector(selector)
    return objs.filter((o) => sel.matches((o.metadata?.labels ?? {}) as Record<string, string>))
  }

  history(): HistoryEvent[] {
    return []
  }
}

/** wantChecks adds to the view every list the lab's checks read, rendered with the student's parameters. */
export function wantChecks(view: LiveView, lab: Lab, params: ParamValues): void {
  for (const task of lab.tasks) {
    for (const raw of task.checks) {
      const c = renderCheck(raw, params)
      const ref = c.exists ?? c.absent ?? c.field ?? c.ready
      if (ref) {
        const slash = ref.resource.indexOf('/')
        view.want(slash < 0 ? ref.resource : ref.resource.slice(0, slash), ref.namespace)
      }
      if (c.reachable) {
        view.want('services', c.reachable.namespace)
        view.want('ingresses.networking.k8s.io', c.reachable.namespace)
        view.want('nodes', undefined)
      }
    }
  }
}

/** statusMessage reads the message of a Status object an API server answered with, if the body is one. */
function statusMessage(body: string): string | undefined {
  try {
    const s = JSON.parse(body) as {kind?: string; message?: string}
    return s.kind === 'Status' ? s.message : undefined
  } catch {
    return undefined
  }
}

interface TraceAnswer {
  hops: {step: string; detail: string}[]
  response?: {status: number; body?: string}
  error?: string
}

/** directGet sends a plain HTTP GET (to an ingress or node address of a real cluster). */
function directGet(url: string, host?: string): Promise<ProbeAnswer> {
  return new Promise((done) => {
    const req = http.get(url, {headers: host ? {host} : {}, timeout: HTTP_TIMEOUT_MS}, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => done({status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8')}))
    })
    req.on('timeout', () => req.destroy(new Error('connection timed out')))
    req.on('error', (e: NodeJS.ErrnoException) =>
      done({error: e.code === 'ECONNREFUSED' ? 'connection refused' : e.message}),
    )
  })
}

/**
 * liveProbe sends reachable checks' requests into a live cluster: a Service through the API server's service proxy
 * (`/api/v1/namespaces/NS/services/NAME:PORT/proxy/PATH`, as `kubectl get --raw` would); an ingress host to the
 * address an Ingress for that host publishes; a NodePort to the first node's address. An mkctl cluster has no
 * service proxy and no routable node addresses: there mkctl's trace endpoint sends the request through the
 * simulated network instead (it answers the status and the hops, not the body).
 */
export function liveProbe(view: LiveView): HttpProbe {
  let mkctl: Promise<boolean> | undefined
  const isMkctl = () =>
    (mkctl ??= view.rest.raw('GET', '/mkctl/v1/time').then(
      (r) => r.status === 200,
      () => false,
    ))
  const nodeAddress = (): string | undefined => {
    const r = view.resolve('nodes')
    const nodes = r ? view.list(r, undefined) : []
    const addrs = ((nodes[0]?.status as {addresses?: {type: string; address: string}[]})?.addresses ?? []).filter(
      Boolean,
    )
    return (addrs.find((a) => a.type === 'ExternalIP') ?? addrs.find((a) => a.type === 'InternalIP'))?.address
  }
  return async (req: ProbeRequest) => {
    if (await isMkctl()) {
      const body =
        req.via === 'service'
          ? {service: {namespace: req.namespace, name: req.service, port: req.port}, path: req.path}
          : req.via === 'ingress'
            ? {url: `http://${req.host || 'localhost'}${req.path}`}
            : {url: `http://${nodeAddress() ?? '127.0.0.1'}:${req.port}${req.path}`}
      const res = await view.rest.raw('POST', '/mkctl/v1/trace', {body})
      const text = res.body.toString('utf8')
      if (res.status !== 200) return {error: statusMessage(text) ?? `trace failed: ${res.status}`}
      const t = JSON.parse(text) as TraceAnswer
      const hops = t.hops as Parameters<typeof explainHops>[0]
      if (!t.response) {
        const why = explainHops(hops)
        const error = (t.error ?? 'no answer').replace(/^connection to \S+ port \d+ /, 'connection ')
        return why ? {error, why} : {error}
      }
      const why = t.response.status >= 400 ? explainHops(hops, t.response.status) : undefined
      return {
        status: t.response.status,
        ...(t.response.body !== undefined ? {body: t.response.body} : {}),
        ...(why ? {why} : {}),
      }
    }
    if (req.via === 'service') {
      const path = `/api/v1/namespaces/${encodeURIComponent(req.namespace)}/services/${encodeURIComponent(`${req.service}:${req.port}`)}/proxy${req.path}`
      try {
        const res = await view.rest.raw('GET', path)
        const body = res.body.toString('utf8')
        // The API server's own failures (no endpoints, dial errors) come as a Status: its message is the reason.
        const why = res.status >= 400 ? statusMessage(body) : undefined
        return {status: res.status, body, ...(why ? {why} : {})}
      } catch (e) {
        return {error: (e as Error).message}
      }
    }
    if (req.via === 'nodePort') {
      const addr = nodeAddress()
      if (!addr) return {error: 'no node address', why: 'the cluster lists no node with an address'}
      return directGet(`http://${addr}:${req.port}${req.path}`)
    }
    // An ingress host: the address an Ingress serving that host publishes (status.loadBalancer).
    const r = view.resolve('ingresses.networking.k8s.io')
    const ings = r ? view.list(r, req.namespace) : []
    const ing =
      ings.find((i) =>
        ((i.spec as {rules?: {host?: string}[]})?.rules ?? []).some((rule) => (rule.host ?? '') === (req.host ?? '')),
      ) ?? ings[0]
    const lb = ((ing?.status as {loadBalancer?: {ingress?: {ip?: string; hostname?: string}[]}})?.loadBalancer
      ?.ingress ?? [])[0]
    const addr = lb?.ip ?? lb?.hostname
    if (!addr)
      return {error: 'no ingress address', why: `no Ingress in namespace "${req.namespace}" publishes an address`}
    return directGet(`http://${addr}${req.path}`, req.host)
  }
}

/** insertFlag puts a global flag before a `--` (whose words belong to the command run in a pod), else at the end. */
function insertFlag(argv: string[], flag: string): string[] {
  const dd = argv.indexOf('--')
  return dd < 0 ? [...argv, flag] : [...argv.slice(0, dd), flag, ...argv.slice(dd)]
}

/** LiveCluster is an open connection to a live cluster for grading. */
export interface LiveCluster {
  view: LiveView
  env: CheckEnv
  close(): void
}

/** openLive connects to the cluster of a kubeconfig (and context) and builds the CheckEnv the checks need. */
export async function openLive(lab: Lab, params: ParamValues, opts: LiveOptions): Promise<LiveCluster> {
  const kubeconfig = resolve(opts.kubeconfig)
  const home = mkdtempSync(join(tmpdir(), 'mkctl-lab-live-'))
  const io = bufferedIOStreams()
  const vars = {KUBECONFIG: kubeconfig, MKCTL_AUTOSTART: '0', MKCTL_JOURNAL: '0', MKCTL_HOME: home}
  const env = {...process.env, ...vars}
  const f = new Factory({flags: {kubeconfig, ...(opts.context ? {context: opts.context} : {})}, io, env})
  try {
    const rest = await f.restClient()
    const view = new LiveView(rest, new DiscoveryClient(rest))
    await view.load()
    wantChecks(view, lab, params)
    await view.refresh()
    const waitMs = opts.waitMs ?? 0
    let waited = 0
    const checkEnv: CheckEnv = {
      view,
      journal: [],
      skip: {...LIVE_SKIPPED},
      http: liveProbe(view),
      async run(argv) {
        const out = bufferedIOStreams()
        const saved: Record<string, string | undefined> = {}
        for (const [k, v] of Object.entries(vars)) {
          saved[k] = process.env[k]
          process.env[k] = v
        }
        try {
          const code = await runInProcess(opts.context ? insertFlag(argv, `--context=${opts.context}`) : argv, out)
          return {code, stdout: out.outText(), stderr: out.errText()}
        } finally {
          for (const [k, v] of Object.entries(saved)) {
            if (v === undefined) delete process.env[k]
            else process.env[k] = v
          }
        }
      },
      // A live cluster's clock is not the grader's: waiting polls in real time, for at most waitMs in all.
      now: () => Date.now(),
      nextTimerAt: () => (waited < waitMs ? Date.now() + POLL_MS : undefined),
      async advance(ms) {
        const step = Math.min(Math.max(ms, 1), POLL_MS)
        await new Promise((r) => setTimeout(r, step))
        waited += step
        await view.refresh()
      },
    }
    return {
      view,
      env: checkEnv,
      close() {
        rest.close()
        rmSync(home, {recursive: true, force: true})
      },
    }
  } catch (e) {
    rmSync(home, {recursive: true, force: true})
    throw e
  }
}

/**
 * gradeLive grades the end state of a live cluster against a lab, as one session named after the kubeconfig's
 * context. Its maxScore leaves out skipped checks (journal-based ones); a cluster that cannot be reached gives an
 * `error`, as a session that cannot be replayed does.
 */
export async function gradeLive(src: LabSource, opts: LiveOptions): Promise<SessionResult> {
  const {lab} = src
  const seed = sessionSeed(lab, {}, opts.seed !== undefined ? {seed: opts.seed} : {})
  const params = drawParameters(lab.parameters, seed)
  const result: SessionResult = {
    session: opts.context ?? basename(opts.kubeconfig),
    seed,
    score: 0,
    maxScore: lab.tasks.reduce((s, t) => s + maxPointsOf(t), 0),
    parameters: params,
    tasks: [],
    commands: [],
  }
  let live: LiveCluster | undefined
  try {
    live = await openLive(lab, params, opts)
    result.tasks = await gradeTasks(lab, live.env, params)
    result.score = result.tasks.reduce((s, t) => s + t.points, 0)
    result.maxScore = result.tasks.reduce((s, t) => s + t.maxPoints, 0)
  } catch (e) {
    result.error = `grading failed: ${(e as Error).message}`
  } finally {
    live?.close()
  }
  return result
}
