// kubelet.ts: one simulated kubelet (pkg/kubelet/kubelet.go's role for one node). It keeps a memory of the pods
// bound to its node (what the CRI would tell a real kubelet), walks each through the stage table of stages.ts on
// the cluster clock, and posts the derived status only when it changed, so a settled node costs nothing. It also
// renews the node's Lease every 10 s (pkg/kubelet/nodelease, ticked by KubeletSet) and posts the Node's Ready
// condition and images when they change or every 5 min (pkg/kubelet/kubelet_node_status.go), and hands out pod IPs from the node's pod CIDR.
import type {ConfigMap, Container, Pod, Secret, Service} from 'kubernetes-types/core/v1.js'
import type {KubeObject} from '../../api/object.js'
import {leaseObject} from '../bootstrap.js'
import {rfc3339, rfc3339Micro, type Timer} from '../clock.js'
import type {Client} from '../controllers/framework/client.js'
import type {EventRecorder} from '../controllers/framework/events.js'
import type {Informer} from '../controllers/framework/informer.js'
import type {ControllerContext} from '../controllers/framework/types.js'
import type {Runtime} from '../runtime/types.js'
import {Backoff} from './backoff.js'
import {resolveEnv, type EnvResult, type EnvSources} from './env.js'
import {jsonEqual} from '../storage/json-copy.js'
import {
  TIMINGS,
  addEphemeralRuns,
  eventFieldPath,
  newRuns,
  podStatus,
  runStages,
  specOf,
  stopRun,
  wakeAt,
  type ContainerRun,
  type PodRecord,
  type StageEnv,
  type Terminated,
} from './stages.js'

/** LEASE_RENEW_MS is how often a kubelet renews its node Lease (nodeLeaseRenewIntervalFraction 0.25 of 40 s). */
export const LEASE_RENEW_MS = 10_000

/** NODE_STATUS_REPORT_MS is nodeStatusReportFrequency: an unchanged Node status is posted again after 5 min. */
export const NODE_STATUS_REPORT_MS = 300_000

/** RETRY_MS is how soon a pod whose sync failed is tried again. */
const RETRY_MS = 1000

/** NO_IMAGES stands for a node without a runtime: one list, so nodeImages' cache holds for it too. */
const NO_IMAGES: {names: string[]; sizeBytes: number}[] = []

/** KubeletOptions build one kubelet. */
export interface KubeletOptions {
  ctx: ControllerContext
  node: string
  runtime?: Runtime
  /** requestFlush asks for writePendingStatus on the next turn (KubeletSet writes all kubelets' in one transaction). */
  requestFlush: (k: Kubelet) => void
}

function isNotFound(e: unknown): boolean {
  return (e as {code?: number})?.code === 404 || (e as {status?: {code?: number}})?.status?.code === 404
}

function isConflict(e: unknown): boolean {
  return (e as {code?: number})?.code === 409 || (e as {status?: {code?: number}})?.status?.code === 409
}

function ms(t: string | undefined): number | undefined {
  if (!t) return undefined
  const v = Date.parse(t)
  return Number.isNaN(v) ? undefined : v
}

/** Kubelet runs the pods of one node. */
export class Kubelet {
  /** running is false while the node is stopped: no lease renewals, no status writes. */
  running = false
  private readonly records = new Map<string, PodRecord>()
  private readonly timers = new Map<string, {at: number; timer: Timer}>()
  /** statusSeen caches, per Node object the informer holds, whether its conditions and images need no post. */
  private statusSeen?: {node: KubeObject; imagesJSON: string; condsOK: boolean}
  // imagesSeen: the runtime's image list last seen and what it makes (Node.status.images and its JSON).
  private imagesSeen?: {from: unknown[]; images: {names: string[]; sizeBytes: number}[]; json: string}
  private readonly imageBackoff = new Backoff()
  private readonly crashBackoff = new Backoff()
  private readonly ipInUse = new Set<string>()
  private ipCursor = 1
  private readonly client: Client
  private readonly recorder: EventRecorder
  private readonly pods: Informer
  private readonly nodes: Informer
  private readonly configMaps: Informer
  private readonly secrets: Informer
  private readonly services: Informer
  private readonly envSources: EnvSources
  /** configWaiters: per namespace, the pods with a container in CreateContainerConfigError (retried on change). */
  private readonly configWaiters = new Map<string, Set<string>>()
  private readonly pendingStatus = new Map<string, {rec: PodRecord; env: StageEnv}>()
  private flushScheduled = false
  private readonly ownWrites = new Map<string, string>()

  constructor(private readonly o: KubeletOptions) {
    this.client = o.ctx.client.as('kubelet')
    this.recorder = o.ctx.events.withSource({component: 'kubelet', host: o.node})
    this.pods = o.ctx.informers.for('pods')
    this.nodes = o.ctx.informers.for('nodes')
    this.configMaps = o.ctx.informers.for('configmaps')
    this.secrets = o.ctx.informers.for('secrets')
    this.services = o.ctx.informers.for('services')
    this.envSources = {
      configMap: (ns, name) => this.configMaps.get(ns, name) as ConfigMap | undefined,
      secret: (ns, name) => this.secrets.get(ns, name) as Secret | undefined,
      services: (ns) => this.services.list(ns) as Service[],
      allocatable: () =>
        (this.nodeObj()?.status as {allocatable?: Record<string, string>} | undefined)?.allocatable ?? {},
    }
  }

  get node(): string {
    return this.o.node
  }

  /** podCount is the number of pods this kubelet remembers (tests). */
  get podCount(): number {
    return this.records.size
  }

  /**
   * start brings the kubelet up: Ready node status, lease, and a resync of every pod bound to the node. With
   * reboot, the kubelet's memory is gone: running containers are found dead (exit 255, reason Unknown) and
   * restart as their restart policy says. announce records the node events of a kubelet start.
   */
  start(opts: {reboot?: boolean; announce?: boolean} = {}): void {
    if (this.running) return
    this.running = true
    const now = this.o.ctx.clock.now()
    if (opts.reboot) {
      for (const [key, rec] of this.records) {
        for (const r of rec.runs) if (r.inst && r.phase === 'running') this.o.runtime?.kill(r.inst, now)
        // Pods deleted while the node was down are gone for good.
        if (this.pods.getByKey(key)?.metadata?.uid !== rec.uid) this.o.runtime?.forgetPod(rec.uid)
      }
      this.records.clear()
      this.imageBackoff.clear()
      this.crashBackoff.clear()
    }
    this.initIPAM()
    if (opts.announce) this.announce()
    this.postNodeStatus()
    this.renewLease()
    const keys = this.pods.byIndex('node', this.node).map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`)
    this.client.transaction(() => {
      for (const key of keys) this.safeSync(key, opts.reboot)
    })
  }

  /**
   * stop halts the kubelet: timers are cancelled and pods keep their last status. With powerOff (the node is
   * shut down) the containers get SIGTERM from the shutdown and end as their processes answer it (or are killed
   * at once); a later start finds them dead.
   */
  stop(opts: {powerOff?: boolean} = {}): void {
    this.flushStatus()
    if (opts.powerOff && this.running) {
      const now = this.o.ctx.clock.now()
      for (const rec of this.records.values()) {
        for (const r of rec.runs) {
          if (r.phase !== 'running' || !r.inst) continue
          const term = r.inst.termination?.()
          const delay = term && (TIMINGS[this.o.ctx.timing] ?? TIMINGS.fast).termDelay ? term.afterMs : 0
          this.o.runtime?.kill(r.inst, now + delay, term?.code ?? 137)
        }
      }
    }
    this.running = false
    for (const t of this.timers.values()) t.timer.cancel()
    this.timers.clear()
  }

  /** forgetAll drops every pod (the node was deleted). */
  forgetAll(): void {
    for (const key of [...this.records.keys()]) this.forget(key)
  }

  /** has says whether the kubelet remembers a pod key. */
  has(key: string): boolean {
    return this.records.has(key)
  }

  /** safeSync syncs one pod; a failure is logged and retried a second later. */
  safeSync(key: string, reboot = false): void {
    try {
      this.syncPod(key, reboot)
    } catch (e) {
      this.o.ctx.log(`kubelet/${this.node} ${key}: ${e instanceof Error ? e.message : String(e)}`)
      if (this.running) this.schedule(key, this.o.ctx.clock.now() + RETRY_MS)
    }
  }

  /** syncPod moves one pod on (kubelet SyncPod): due stages, then one status write if anything changed. */
  syncPod(key: string, reboot = false): void {
    if (!this.running) return
    const pod = this.pods.getByKey(key) as Pod | undefined
    let rec = this.records.get(key)
    if (!pod || pod.spec?.nodeName !== this.node) {
      if (rec) this.forget(key)
      return
    }
    if (rec && rec.uid !== pod.metadata?.uid) {
      this.forget(key)
      rec = undefined
    }
    const runtime = this.o.runtime
    if (!runtime) return
    const env = this.env(pod, runtime)
    if (!rec) {
      rec = this.adopt(pod, env, reboot)
      this.records.set(key, rec)
    } else addEphemeralRuns(pod, rec.runs) // containers added through pods/ephemeralcontainers since the last sync
    // A process that learnt its end after it started (Runtime.end: an attached shell exited) ends on this sync.
    for (const r of rec.runs)
      if (r.phase === 'running' && r.exitAt === undefined && r.inst?.exit) r.exitAt = r.startedAt! + r.inst.exit.afterMs
    const p = {pod, rec}
    this.retryConfigNow(pod, rec, env)
    runStages(p, env)
    this.waitConfig(
      key,
      rec.runs.some((r) => r.waiting?.reason === 'CreateContainerConfigError'),
    )
    if (rec.deleteNow) {
      this.schedule(key, undefined)
      this.deletePod(pod)
      return
    }
    this.writeStatus(pod, rec, env)
    this.schedule(key, wakeAt(p, env))
  }

  /** forget drops a pod from memory: its runtime instances and logs, its IP, its timers and back-offs. */
  forget(key: string): void {
    const rec = this.records.get(key)
    this.schedule(key, undefined)
    if (!rec) return
    this.records.delete(key)
    this.ownWrites.delete(key)
    this.pendingStatus.delete(key)
    if (rec.ip) this.ipInUse.delete(rec.ip)
    this.waitConfig(key, false)
    this.crashBackoff.forgetPrefix(`${rec.uid}/`)
    this.imageBackoff.forgetPrefix(`${rec.uid}_`)
    this.o.runtime?.forgetPod(rec.uid)
  }

  /** configWaitersIn lists the pods of a namespace waiting for a ConfigMap or Secret (the watch re-syncs them). */
  configWaitersIn(namespace: string): string[] {
    return [...(this.configWaiters.get(namespace) ?? [])]
  }

  private waitConfig(key: string, waiting: boolean): void {
    const ns = key.slice(0, key.indexOf('/'))
    let set = this.configWaiters.get(ns)
    if (waiting) {
      if (!set) this.configWaiters.set(ns, (set = new Set()))
      set.add(key)
    } else if (set?.delete(key) && set.size === 0) this.configWaiters.delete(ns)
  }

  /**
   * retryConfigNow lets a container that waits in CreateContainerConfigError try again at once when what it
   * lacked is there now (the kubelet would on its next resync, within 10 s).
   */
  private retryConfigNow(pod: Pod, rec: PodRecord, env: StageEnv): void {
    for (const r of rec.runs) {
      if (r.waiting?.reason !== 'CreateContainerConfigError' || r.retryAt === undefined || r.retryAt <= env.now)
        continue
      const c = specOf(pod, r)
      if (c && env.resolveEnv?.(pod, c).ok) r.retryAt = undefined
    }
  }

  private env(pod: Pod, runtime: Runtime): StageEnv {
    const ctx = this.o.ctx
    return {
      now: ctx.clock.now(),
      node: this.node,
      nodeIP: this.nodeIP(),
      runtime,
      timing: TIMINGS[ctx.timing] ?? TIMINGS.fast,
      random: ctx.ids.random,
      imageBackoff: this.imageBackoff,
      crashBackoff: this.crashBackoff,
      event: (type, reason, message, run) =>
        this.recorder.record(pod as KubeObject, type, reason, message, run ? {fieldPath: eventFieldPath(run)} : {}),
      allocateIP: () => this.allocateIP(),
      resolveEnv: (p: Pod, c: Container): EnvResult => resolveEnv(p, c, this.envSources),
    }
  }

  private nodeObj(): KubeObject | undefined {
    return this.nodes.get(undefined, this.node)
  }

  private nodeIP(): string {
    const addrs =
      (this.nodeObj()?.status as {addresses?: {type: string; address: string}[]} | undefined)?.addresses ?? []
    return addrs.find((a) => a.type === 'InternalIP')?.address ?? ''
  }

  // ---- pod IPs ----

  private cidrBase(): string | undefined {
    const cidr = (this.nodeObj()?.spec as {podCIDR?: string} | undefined)?.podCIDR
    const m = cidr ? /^(\d+\.\d+\.\d+\.)\d+\/\d+$/.exec(cidr) : null
    return m?.[1]
  }

  private initIPAM(): void {
    const base = this.cidrBase()
    this.ipInUse.clear()
    for (const rec of this.records.values()) if (rec.ip) this.ipInUse.add(rec.ip)
    for (const p of this.pods.byIndex('node', this.node)) {
      const ip = (p.status as {podIP?: string} | undefined)?.podIP
      if (ip && base && ip.startsWith(base)) {
        this.ipInUse.add(ip)
        this.ipCursor = Math.max(this.ipCursor, Number(ip.slice(base.length)))
      }
    }
  }

  /**
   * allocateIP hands out the next free address of the node's /24 after the last one given, so a new pod gets an
   * IP no running pod has (host-local IPAM hands out addresses round-robin the same way).
   */
  private allocateIP(): string | undefined {
    const base = this.cidrBase()
    if (!base) return undefined
    for (let i = 0; i < 253; i++) {
      this.ipCursor = this.ipCursor >= 254 ? 2 : this.ipCursor + 1
      const ip = base + this.ipCursor
      if (!this.ipInUse.has(ip)) {
        this.ipInUse.add(ip)
        return ip
      }
    }
    return undefined
  }

  // ---- adoption ----

  /**
   * adopt rebuilds the kubelet's memory of a pod from its status (a pod bound just now has none): after a daemon
   * restart running containers get a runtime instance again, crash loops keep their back-off, and nothing is
   * rewritten that did not change. With reboot, running containers are found dead instead.
   */
  private adopt(pod: Pod, env: StageEnv, reboot: boolean): PodRecord {
    const st = pod.status ?? {}
    const runs = newRuns(pod)
    const rec: PodRecord = {uid: String(pod.metadata?.uid), runs, initialized: false}
    const startTime = ms(st.startTime)
    if (startTime !== undefined && (st.containerStatuses?.length ?? 0) > 0) {
      rec.startTime = startTime
      if (st.podIP) {
        rec.ip = st.podIP
        if (!pod.spec?.hostNetwork) this.ipInUse.add(st.podIP)
      }
    } else return rec
    rec.initialized = st.conditions?.some((c) => c.type === 'Initialized' && c.status === 'True') ?? false
    for (const r of runs) {
      const list =
        r.kind === 'regular'
          ? st.containerStatuses
          : r.kind === 'ephemeral'
            ? st.ephemeralContainerStatuses
            : st.initContainerStatuses
      const cs = list?.find((c) => c.name === r.name)
      if (!cs) continue
      r.restartCount = cs.restartCount ?? 0
      if (cs.image) r.imageRef = cs.image
      if (cs.imageID) r.imageID = cs.imageID
      if (cs.containerID) r.containerID = cs.containerID
      r.mounts = Array.isArray((cs as {volumeMounts?: unknown}).volumeMounts)
      const last = toTerminated(cs.lastState?.terminated)
      if (cs.state?.running) {
        r.phase = 'running'
        r.startedAt = ms(cs.state.running.startedAt) ?? env.now
        r.ready = cs.ready ?? false
        r.started = cs.started ?? true
        r.lastTerminated = last
        this.revive(pod, r, env)
        if (reboot) {
          stopRun(r, env, {code: 255, reason: 'Unknown'})
          r.terminated!.startedAt = r.startedAt
        }
      } else if (cs.state?.terminated) {
        r.phase = 'exited'
        r.terminated = toTerminated(cs.state.terminated)
        r.lastTerminated = last
      } else if (cs.state?.waiting && last) {
        r.phase = 'exited'
        r.terminated = last
        r.waiting = {
          reason: cs.state.waiting.reason ?? 'CrashLoopBackOff',
          ...(cs.state.waiting.message ? {message: cs.state.waiting.message} : {}),
        }
        r.backOffShown = true
        const m = /^back-off (\S+) /.exec(cs.state.waiting.message ?? '')
        const delay = m ? parseGoDuration(m[1]!) : undefined
        if (delay !== undefined && !reboot)
          this.crashBackoff.restore(`${rec.uid}/${r.kind === 'regular' ? 'c' : 'i'}/${r.name}`, {
            backoffMs: delay,
            lastUpdate: last.finishedAt,
          })
      }
    }
    return rec
  }

  /** revive gives an adopted running container a runtime instance again (started at its recorded time). */
  private revive(pod: Pod, r: ContainerRun, env: StageEnv): void {
    const c = specOf(pod, r)
    if (!c?.image) return
    const res = env.runtime.pull(env.node, c.image, 'IfNotPresent', env.now)
    if (!res.ok) return
    r.image = res.image
    const resolved = env.resolveEnv?.(pod, c)
    const inst = env.runtime.start({
      node: env.node,
      pod,
      container: c,
      init: r.kind === 'init' || r.kind === 'sidecar',
      restartCount: r.restartCount,
      image: res.image,
      now: r.startedAt!,
      ...(resolved?.ok ? {env: resolved.env} : {}),
    })
    r.inst = inst
    r.exitAt = inst.exit ? r.startedAt! + inst.exit.afterMs : undefined
    const arm = (kind: 'liveness' | 'readiness' | 'startup', probe: unknown) => {
      if (probe) r.probes[kind] = {nextAt: env.now, successes: 0, failures: 0}
    }
    if (!r.started) arm('startup', c.startupProbe)
    else {
      arm('liveness', c.livenessProbe)
      arm('readiness', c.readinessProbe)
    }
  }

  // ---- writes ----

  /**
   * writeStatus queues the pod's new status if it differs from what the pod shows. Queued statuses are written
   * on the next tick, with every other kubelet's, in one transaction (KubeletSet.requestFlush: a burst of pods
   * costs one commit), each through a fresh read, so conditions other components set meanwhile are kept.
   */
  private writeStatus(pod: Pod, rec: PodRecord, env: StageEnv): void {
    const next = podStatus({pod, rec}, env)
    if (jsonEqual(next, pod.status)) return
    this.pendingStatus.set(`${pod.metadata?.namespace}/${pod.metadata?.name}`, {rec, env})
    if (this.flushScheduled) return
    this.flushScheduled = true
    this.o.requestFlush(this)
  }

  /** flushStatus writes every queued pod status now, in its own transaction (a stopping kubelet's last ones). */
  private flushStatus(): void {
    this.client.transaction(() => this.writePendingStatus())
  }

  /**
   * writePendingStatus writes every queued pod status, inside the caller's transaction, and returns the keys of
   * the pods it wrote (retryStatus takes them back if that transaction fails).
   */
  writePendingStatus(): string[] {
    this.flushScheduled = false
    if (this.pendingStatus.size === 0) return []
    const batch = [...this.pendingStatus]
    this.pendingStatus.clear()
    for (const [key, {rec, env}] of batch) {
      const i = key.indexOf('/')
      try {
        const out = this.client.mutate(
          'pods',
          key.slice(0, i),
          key.slice(i + 1),
          (cur) => {
            if (cur.metadata?.uid !== rec.uid) return undefined
            const s = podStatus({pod: cur as Pod, rec}, env)
            if (jsonEqual(s, cur.status)) return undefined
            cur.status = s as KubeObject['status']
            return cur
          },
          {subresource: 'status'},
        )
        this.ownWrites.set(key, String(out.metadata?.resourceVersion))
      } catch (e) {
        if (isNotFound(e)) continue
        this.o.ctx.log(`kubelet/${this.node} ${key}: status: ${e instanceof Error ? e.message : String(e)}`)
        if (this.running) this.schedule(key, this.o.ctx.clock.now() + RETRY_MS)
      }
    }
    return batch.map(([key]) => key)
  }

  /** retryStatus syncs the pods again after RETRY_MS: their status write was rolled back. */
  retryStatus(keys: string[]): void {
    if (!this.running) return
    const at = this.o.ctx.clock.now() + RETRY_MS
    for (const key of keys) {
      this.ownWrites.delete(key)
      // A sync already due sooner (an exit, a probe) rewrites the status then.
      if ((this.timers.get(key)?.at ?? Infinity) > at) this.schedule(key, at)
    }
  }

  /** isOwnWrite says whether a pod change is this kubelet's own last status write (nothing to sync). */
  isOwnWrite(obj: KubeObject): boolean {
    const key = `${obj.metadata?.namespace}/${obj.metadata?.name}`
    const rv = this.ownWrites.get(key)
    if (rv === undefined || rv !== obj.metadata?.resourceVersion) return false
    this.ownWrites.delete(key)
    return true
  }

  /** deletePod removes a pod whose containers have stopped: grace 0, and only this very pod (uid precondition). */
  private deletePod(pod: Pod): void {
    try {
      this.client.delete('pods', pod.metadata?.namespace, String(pod.metadata?.name), {
        gracePeriodSeconds: 0,
        preconditions: {uid: pod.metadata?.uid},
      })
    } catch (e) {
      if (!isNotFound(e) && !isConflict(e)) throw e
    }
  }

  private schedule(key: string, at: number | undefined): void {
    const cur = this.timers.get(key)
    if (at === undefined || !this.running) {
      cur?.timer.cancel()
      this.timers.delete(key)
      return
    }
    if (cur && cur.at === at) return
    cur?.timer.cancel()
    const clock = this.o.ctx.clock
    const timer = clock.setTimeout(
      () => {
        this.timers.delete(key)
        this.safeSync(key)
      },
      Math.max(0, at - clock.now()),
    )
    this.timers.set(key, {at, timer})
  }

  // ---- node ----

  /**
   * heartbeat is one tick of the node's heartbeat (KubeletSet runs all of a set's ticks in one transaction): the
   * Lease renewal every 10 s (pkg/kubelet/nodelease), and the Node status only when it changed or when
   * nodeStatusReportFrequency has passed since the last post (kubelet_node_status.go, since NodeLease).
   */
  heartbeat(): void {
    if (!this.running) return
    this.renewLease()
    this.postNodeStatus()
  }

  private renewLease(): void {
    const renewTime = rfc3339Micro(this.o.ctx.clock.now())
    try {
      // Straight through the store (Client.renew): a renewal only moves renewTime, 100 a second at 1,000 nodes.
      this.client.renew('coordination.k8s.io/leases', 'kube-node-lease', this.node, (l) => {
        l.spec = {...(l.spec as object), holderIdentity: this.node, leaseDurationSeconds: 40, renewTime}
        return l
      })
    } catch (e) {
      if (!isNotFound(e)) throw e
      const uid = this.nodeObj()?.metadata?.uid
      if (uid)
        this.client.create('coordination.k8s.io/leases', leaseObject(this.node, String(uid), this.o.ctx.clock.now()))
    }
  }

  /** nodeImages is Node.status.images: largest first, at most 50 (kubelet's nodeStatusMaxImages). */
  private nodeImages(): {images: {names: string[]; sizeBytes: number}[]; json: string} {
    const imgs = this.o.runtime?.imagesOn(this.node) ?? NO_IMAGES
    // The runtime hands back the same list until the node's images change: sort and serialize it once.
    if (this.imagesSeen?.from !== imgs) {
      const images = [...imgs].sort((a, b) => b.sizeBytes - a.sizeBytes).slice(0, 50)
      this.imagesSeen = {from: imgs, images, json: JSON.stringify(images)}
    }
    return this.imagesSeen
  }

  /**
   * postNodeStatus sets the node conditions a healthy kubelet reports, and its images, when they differ from what
   * the Node shows, or, unchanged, once nodeStatusReportFrequency (5 min) has passed since the last post.
   */
  postNodeStatus(): void {
    const node = this.nodeObj()
    if (!node) return
    const want: [string, string, string, string][] = [
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
      ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
      ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
    ]
    const {images, json: imagesJSON} = this.nodeImages()
    // Comparing with the Node every 10 s for every node is what the daemon does most when idle: the answer is
    // kept for the Node object the informer holds (a new object comes with every write) and these images.
    let seen = this.statusSeen
    if (!seen || seen.node !== node || seen.imagesJSON !== imagesJSON) {
      const st = (node.status ?? {}) as {
        conditions?: {type: string; status: string; reason?: string}[]
        images?: unknown
      }
      const condsOK = want.every(([type, status, reason]) =>
        st.conditions?.some((c) => c.type === type && c.status === status && c.reason === reason),
      )
      const imagesOK =
        images.length === 0 ? !st.images || (st.images as unknown[]).length === 0 : jsonEqual(st.images, images)
      seen = this.statusSeen = {node, imagesJSON, condsOK: condsOK && imagesOK}
    }
    if (seen.condsOK && !this.statusReportDue(node)) return
    const stamp = rfc3339(this.o.ctx.clock.now())
    this.client.mutate(
      'nodes',
      undefined,
      this.node,
      (n) => {
        const s = (n.status ?? {}) as {conditions?: Record<string, unknown>[]; images?: unknown}
        const conds = [...(s.conditions ?? [])]
        for (const [type, status, reason, message] of want) {
          const i = conds.findIndex((c) => c.type === type)
          const prev = i >= 0 ? conds[i] : undefined
          const c = {
            type,
            status,
            lastHeartbeatTime: stamp,
            lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime : stamp,
            reason,
            message,
          }
          if (i >= 0) conds[i] = c
          else conds.push(c)
        }
        s.conditions = conds
        if (images.length > 0) s.images = images
        n.status = s as KubeObject['status']
        return n
      },
      {subresource: 'status'},
    )
  }

  /** statusReportDue: nodeStatusReportFrequency has passed since the Ready condition's last heartbeat. */
  private statusReportDue(node: KubeObject): boolean {
    const conds = (node.status as {conditions?: {type: string; lastHeartbeatTime?: string}[]} | undefined)?.conditions
    const beat = ms(conds?.find((c) => c.type === 'Ready')?.lastHeartbeatTime)
    return beat !== undefined && this.o.ctx.clock.now() - beat >= NODE_STATUS_REPORT_MS
  }

  /** announce records the events of a kubelet start on the Node (describe node shows them). */
  private announce(): void {
    // Kubelets refer to their Node by name as uid (pkg/kubelet/kubelet.go nodeRef), and describe looks them up so.
    const ref = {apiVersion: 'v1', kind: 'Node', metadata: {name: this.node, uid: this.node}} as KubeObject
    this.recorder.normal(ref, 'Starting', 'Starting kubelet.')
    this.recorder.normal(ref, 'NodeAllocatableEnforced', 'Updated Node Allocatable limit across pods')
    for (const r of ['NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID']) {
      this.recorder.normal(ref, r, `Node ${this.node} status is now: ${r}`)
    }
    const ready = (
      (this.nodeObj()?.status as {conditions?: {type: string; status: string}[]} | undefined)?.conditions ?? []
    ).some((c) => c.type === 'Ready' && c.status === 'True')
    if (!ready) this.recorder.normal(ref, 'NodeReady', `Node ${this.node} status is now: NodeReady`)
  }
}

function toTerminated(
  t:
    | {
        exitCode?: number
        reason?: string
        message?: string
        startedAt?: string
        finishedAt?: string
        containerID?: string
      }
    | undefined,
): Terminated | undefined {
  if (!t) return undefined
  const out: Terminated = {
    exitCode: t.exitCode ?? 0,
    reason: t.reason ?? (t.exitCode ? 'Error' : 'Completed'),
    startedAt: ms(t.startedAt) ?? 0,
    finishedAt: ms(t.finishedAt) ?? 0,
  }
  if (t.message) out.message = t.message
  if (t.containerID) out.containerID = t.containerID
  return out
}

/** parseGoDuration reads "10s", "1m20s", "5m0s" back to ms. */
function parseGoDuration(s: string): number | undefined {
  const re = /(\d+)(h|m|s)/g
  let total = 0
  let matched = false
  for (let m = re.exec(s); m; m = re.exec(s)) {
    matched = true
    total += Number(m[1]) * (m[2] === 'h' ? 3_600_000 : m[2] === 'm' ? 60_000 : 1000)
  }
  return matched ? total : undefined
}
