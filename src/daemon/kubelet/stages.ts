// stages.ts: the simulated kubelet's pod lifecycle as a table of stages (kwok's pkg/apis/v1alpha1/stage_types.go
// idea, STYLE §1.6, but driven by the pod spec and the runtime's answers instead of annotations). A stage has a
// `selector` over one container's run (or the pod), and `next`, which moves the run on and records events; delays
// are data too (TIMINGS), and a stage that waits sets `dueAt` for the stage after it. The kubelet applies every
// stage that is due now, then derives the pod status from the runs with podStatus(), which follows
// pkg/kubelet/kubelet_pods.go (generateAPIPodStatus, getPhase, convertToAPIContainerStatuses) and
// pkg/kubelet/status/generate.go (the Initialized / Ready / ContainersReady conditions). Event wording follows
// kubelet 1.32: pkg/kubelet/images/image_manager.go, kuberuntime/kuberuntime_container.go, prober/prober.go.
import type {Container, ContainerStatus, Pod, PodCondition, PodStatus, Probe} from 'kubernetes-types/core/v1.js'
import {rfc3339 as formatRFC3339} from '../clock.js'
import {invalidImageNameMessage} from '../runtime/reference.js'
import type {ContainerInstance, ImageInfo, PullResult, Runtime} from '../runtime/types.js'
import type {Backoff} from './backoff.js'
import type {EnvResult} from './env.js'

/**
 * ContainerKind says where a container is declared and how it restarts (sidecar = init with restartPolicy Always;
 * ephemeral = added through pods/ephemeralcontainers, started once the pod is initialized and never restarted).
 */
export type ContainerKind = 'init' | 'sidecar' | 'regular' | 'ephemeral'

/** RunPhase is where one container stands in the kubelet's memory (what the CRI would report). */
export type RunPhase = 'new' | 'pulling' | 'pullFailed' | 'starting' | 'running' | 'exited'

/** Terminated is one finished run of a container. */
export interface Terminated {
  exitCode: number
  reason: string
  message?: string
  startedAt: number
  finishedAt: number
  containerID?: string
}

/** ProbeState counts one probe's consecutive results. */
export interface ProbeState {
  nextAt: number
  successes: number
  failures: number
}

/** ContainerRun is the kubelet's memory of one container of a pod. */
export interface ContainerRun {
  name: string
  kind: ContainerKind
  /** index in spec.containers, spec.initContainers or spec.ephemeralContainers. */
  index: number
  phase: RunPhase
  /** dueAt is when a waiting stage (pull, create) completes. */
  dueAt?: number
  pull?: PullResult
  /** failedAt is when the last image pull failed. */
  failedAt?: number
  waiting?: {reason: string; message?: string}
  /** backOffShown: the back-off state of the current failure has been recorded. */
  backOffShown?: boolean
  /** imageRef / imageID are what the status shows once the image is on the node. */
  imageRef?: string
  imageID?: string
  image?: ImageInfo
  inst?: ContainerInstance
  containerID?: string
  startedAt?: number
  /** exitAt is when the process ends by itself (the runtime's exit plan). */
  exitAt?: number
  /** stopping: the kubelet sent SIGTERM; the process is gone at `at` with `code` (137 when SIGKILLed). */
  stopping?: {at: number; code: number}
  /** retryAt: a failed container creation (InvalidImageName, CreateContainerConfigError) is tried again then. */
  retryAt?: number
  terminated?: Terminated
  lastTerminated?: Terminated
  restartCount: number
  ready: boolean
  /** started: the startup probe passed (or there is none). */
  started: boolean
  probes: Partial<Record<ProbeKind, ProbeState>>
  /** mounts: the status lists volumeMounts (runs this kubelet started, or adopted ones that had them). */
  mounts?: boolean
}

/** ProbeKind names a container probe. */
export type ProbeKind = 'startup' | 'liveness' | 'readiness'

/** PodRecord is the kubelet's memory of one pod. */
export interface PodRecord {
  uid: string
  ip?: string
  startTime?: number
  /** initialized is sticky: once every init container is done, regular containers may (re)start. */
  initialized: boolean
  runs: ContainerRun[]
  terminating?: {deadline: number}
  /** sandboxFailedAt: the sandbox could not get an IP; it is tried again SANDBOX_RETRY_MS later. */
  sandboxFailedAt?: number
  /** deleteNow: the containers are stopped; the kubelet deletes the pod with grace 0. */
  deleteNow?: boolean
}

/** Timing is one delay profile: [min, max] ms, jittered uniformly (realistic) or none (fast). */
export interface Timing {
  /** pull is the time from `Pulling` to `Pulled` when the runtime gives no duration. */
  pull: [number, number]
  /** create is the time from `Pulled` to `Created`/`Started`. */
  create: [number, number]
  /** stop is unused: how long a process takes to exit after SIGTERM is the runtime's (termination()). */
  stop: [number, number]
  /**
   * termDelay: a process that exits on SIGTERM takes the time the runtime says; without it (fast) it exits at
   * once, so a delete does not wait on the cluster clock. A process that ignores SIGTERM waits for the grace
   * period either way, and preStop hooks always take their time.
   */
  termDelay: boolean
}

/** TIMINGS are the delay profiles of `--timing`: fast has no artificial delay. */
export const TIMINGS: Record<'fast' | 'realistic', Timing> = {
  fast: {pull: [0, 0], create: [0, 0], stop: [0, 0], termDelay: false},
  realistic: {pull: [1000, 3000], create: [300, 700], stop: [100, 400], termDelay: true},
}

/**
 * RELIST_MS is how soon the kubelet acts on a container that died or an image pull that failed: PLEG relists
 * every second (pkg/kubelet/pleg/generic.go), so `get pods -w` shows `Error` or `ErrImagePull` before
 * `CrashLoopBackOff` or `ImagePullBackOff`.
 */
export const RELIST_MS = 1000

/** SANDBOX_RETRY_MS is how soon a pod sandbox that failed to get an IP is tried again. */
export const SANDBOX_RETRY_MS = 10_000

/**
 * POD_RETRY_MS is how soon a container whose creation failed (InvalidImageName, CreateContainerConfigError) is
 * tried again: the pod worker requeues a failed sync after backOffPeriod, 10 s (pkg/kubelet/pod_workers.go).
 */
export const POD_RETRY_MS = 10_000

/** START_ERROR_AT is the startedAt of a container that never started: containerd reports 0, the Unix epoch. */
const START_ERROR_AT = 0

/** StageEnv is what stages act through: the clock reading, the runtime, back-offs and the event sink. */
export interface StageEnv {
  now: number
  node: string
  nodeIP: string
  runtime: Runtime
  timing: Timing
  random: () => number
  imageBackoff: Backoff
  crashBackoff: Backoff
  event(type: 'Normal' | 'Warning', reason: string, message: string, run?: ContainerRun): void
  /** allocateIP returns a free pod IP, or undefined when the node's range is used up. */
  allocateIP(): string | undefined
  /** resolveEnv builds a container's environment (configMap/secret/downward API/service variables). */
  resolveEnv?(pod: Pod, c: Container): EnvResult
}

/** StageInput is the pod a stage looks at, with the kubelet's memory of it. */
export interface StageInput {
  pod: Pod
  rec: PodRecord
}

/** Stage is one row of the table. */
export interface Stage {
  name: string
  /** scope: pod stages run once per pod, container stages against each container's run in spec order. */
  scope: 'pod' | 'container'
  selector: (p: StageInput, env: StageEnv, run: ContainerRun | undefined) => boolean
  next: (p: StageInput, env: StageEnv, run: ContainerRun | undefined) => void
}

// ---- spec helpers ----

const stamps = new Map<number, string>()

/** rfc3339 formats a time at seconds precision, remembering recent seconds (a burst of pods shares a few). */
function rfc3339(ms: number): string {
  const sec = Math.floor(ms / 1000)
  let s = stamps.get(sec)
  if (s === undefined) {
    if (stamps.size > 256) stamps.clear()
    s = formatRFC3339(ms)
    stamps.set(sec, s)
  }
  return s
}

/** specOf returns the container spec of a run. */
export function specOf(pod: Pod, run: ContainerRun): Container {
  // An EphemeralContainer has a Container's fields (plus targetContainerName).
  const list =
    run.kind === 'regular'
      ? pod.spec?.containers
      : run.kind === 'ephemeral'
        ? (pod.spec?.ephemeralContainers as Container[] | undefined)
        : pod.spec?.initContainers
  return list?.[run.index] ?? {name: run.name}
}

function fieldPath(run: ContainerRun): string {
  if (run.kind === 'ephemeral') return `spec.ephemeralContainers{${run.name}}`
  return run.kind === 'regular' ? `spec.containers{${run.name}}` : `spec.initContainers{${run.name}}`
}

/** eventFieldPath is the involvedObject.fieldPath of a container's events. */
export const eventFieldPath = fieldPath

/** formatPod is kubelet's format.Pod: name_namespace(uid). */
export function formatPod(pod: Pod): string {
  return `${pod.metadata?.name}_${pod.metadata?.namespace}(${pod.metadata?.uid})`
}

/** goDuration prints whole-second durations as Go does ("10s", "1m20s", "5m0s"). */
export function goDuration(ms: number): string {
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m${s % 60}s`
  return `${Math.floor(m / 60)}h${m % 60}m${s % 60}s`
}

/** goSeconds prints a pull duration as Go's time.Duration does for millisecond precision ("1.234s", "512ms"). */
export function goSeconds(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`
  return `${(Math.round(ms) / 1000).toString()}s`
}

/** newRuns lays out one run per init container then per container, in spec order. */
export function newRuns(pod: Pod): ContainerRun[] {
  const runs: ContainerRun[] = []
  ;(pod.spec?.initContainers ?? []).forEach((c, index) =>
    runs.push(blankRun(c.name, c.restartPolicy === 'Always' ? 'sidecar' : 'init', index)),
  )
  ;(pod.spec?.containers ?? []).forEach((c, index) => runs.push(blankRun(c.name, 'regular', index)))
  addEphemeralRuns(pod, runs)
  return runs
}

/**
 * addEphemeralRuns appends a run for each ephemeral container the kubelet does not know yet (they are only ever
 * added, through pods/ephemeralcontainers); it says whether it added any.
 */
export function addEphemeralRuns(pod: Pod, runs: ContainerRun[]): boolean {
  let added = false
  ;(pod.spec?.ephemeralContainers ?? []).forEach((c, index) => {
    if (runs.some((r) => r.kind === 'ephemeral' && r.name === c.name)) return
    runs.push(blankRun(c.name, 'ephemeral', index))
    added = true
  })
  return added
}

function blankRun(name: string, kind: ContainerKind, index: number): ContainerRun {
  return {name, kind, index, phase: 'new', restartCount: 0, ready: false, started: false, probes: {}}
}

/** backoffKey is the stable key of a container for the restart back-off (getStableKey). */
export function backoffKey(pod: Pod, run: ContainerRun): string {
  return `${pod.metadata?.uid}/${run.kind === 'regular' ? 'c' : run.kind === 'ephemeral' ? 'e' : 'i'}/${run.name}`
}

function imageBackoffKey(pod: Pod, image: string): string {
  return `${pod.metadata?.uid}_${image}`
}

function jitter(env: StageEnv, [min, max]: [number, number]): number {
  return max <= min ? min : Math.round(min + (max - min) * env.random())
}

/** deleting says whether the pod is being deleted (graceful termination). */
export function deleting(pod: Pod): boolean {
  return Boolean(pod.metadata?.deletionTimestamp)
}

/** initDone says whether an init container no longer holds up the ones after it (other kinds never do). */
function initDone(run: ContainerRun): boolean {
  if (run.kind === 'regular' || run.kind === 'ephemeral') return true
  if (run.kind === 'sidecar') return run.phase === 'running' && run.started
  return run.phase === 'exited' && run.terminated?.exitCode === 0
}

/** eligible says whether a container may be started now: init containers in order, then the rest. */
export function eligible(p: StageInput, run: ContainerRun): boolean {
  if (run.kind === 'regular' || run.kind === 'ephemeral') return p.rec.initialized
  if (p.rec.initialized && run.kind === 'init') return false
  for (const other of p.rec.runs) {
    if (other === run) return true
    if (!initDone(other)) return false
  }
  return true
}

/** restartable follows kubelet's container restart rules: sidecars always, init on failure unless Never. */
export function restartable(pod: Pod, run: ContainerRun): boolean {
  const policy = pod.spec?.restartPolicy ?? 'Always'
  const code = run.terminated?.exitCode ?? 0
  if (run.kind === 'ephemeral') return false
  if (run.kind === 'sidecar') return true
  if (run.kind === 'init') return code !== 0 && policy !== 'Never'
  return policy === 'Always' || (policy === 'OnFailure' && code !== 0)
}

/** regularDone: every regular container has exited for good (the pod is completing). */
function regularDone(p: StageInput): boolean {
  const regular = p.rec.runs.filter((r) => r.kind === 'regular')
  return regular.length > 0 && regular.every((r) => r.phase === 'exited' && !restartable(p.pod, r))
}

/** initFailed: an init container failed and will not be retried (restartPolicy Never). */
function initFailed(p: StageInput): boolean {
  return p.rec.runs.some(
    (r) => r.kind === 'init' && r.phase === 'exited' && r.terminated!.exitCode !== 0 && !restartable(p.pod, r),
  )
}

/** finished: nothing in the pod will run again (it is Succeeded or Failed). */
export function finished(p: StageInput): boolean {
  if (initFailed(p)) return true
  return regularDone(p) && p.rec.runs.every((r) => r.kind !== 'sidecar' || r.phase === 'exited')
}

/** stopRun ends a run now, by the kubelet (kill) or with the runtime's exit code. */
export function stopRun(run: ContainerRun, env: StageEnv, exit?: {code: number; reason?: string}): void {
  let code = exit?.code
  if (run.inst && code === undefined) {
    env.runtime.kill(run.inst, env.now)
    code = run.inst.exitCode ?? 137
  }
  code ??= 137
  run.terminated = {
    exitCode: code,
    reason: exit?.reason ?? (code === 0 ? 'Completed' : 'Error'),
    startedAt: run.startedAt ?? env.now,
    finishedAt: env.now,
    containerID: run.containerID,
  }
  run.phase = 'exited'
  run.ready = false
  run.started = false
  run.exitAt = undefined
  run.stopping = undefined
  run.waiting = undefined
  run.backOffShown = false
  run.probes = {}
}

/**
 * sendTerm stops a running container as kuberuntime killContainer does: the preStop hook runs first, then
 * SIGTERM; the runtime says whether and when the process exits by itself (ContainerInstance.termination), and
 * whatever still runs when the grace period ends is SIGKILLed (137). The run stays running until then, with its
 * probes stopped. An earlier stop already under way is kept.
 */
export function sendTerm(pod: Pod, run: ContainerRun, env: StageEnv, graceMs: number): void {
  const hook = preStopMs(specOf(pod, run))
  // Without a process (nothing was adopted for it) there is nothing to wait for.
  const term = run.inst ? run.inst.termination?.() : {afterMs: 0, code: 137}
  const termMs = term && env.timing.termDelay ? term.afterMs : 0
  const ends = term !== undefined && hook + termMs <= graceMs
  const at = env.now + (ends ? hook + termMs : graceMs)
  const code = ends ? term.code : 137
  if (!run.stopping || at < run.stopping.at) run.stopping = {at, code}
  run.probes = {}
}

/** endStopping ends a run the kubelet stopped, at the time and with the code sendTerm worked out. */
function endStopping(run: ContainerRun, env: StageEnv): void {
  const {at, code} = run.stopping!
  if (run.inst) env.runtime.kill(run.inst, at, code)
  const now = env.now
  env.now = at
  stopRun(run, env, {code})
  env.now = now
}

/** withIPs is the pod as the runtime should see it: with the sandbox's IP and the node's IP in its status. */
export function withIPs(pod: Pod, rec: PodRecord, nodeIP: string): Pod {
  const st = pod.status ?? {}
  if (st.podIP === rec.ip && (st.hostIP ?? '') === nodeIP) return pod
  const status: PodStatus = {...st, hostIP: nodeIP, hostIPs: [{ip: nodeIP}]}
  if (rec.ip) {
    status.podIP = rec.ip
    status.podIPs = [{ip: rec.ip}]
  }
  return {...pod, status}
}

function probeOf(c: Container, kind: ProbeKind): Probe | undefined {
  return kind === 'startup' ? c.startupProbe : kind === 'liveness' ? c.livenessProbe : c.readinessProbe
}

function armProbe(run: ContainerRun, c: Container, kind: ProbeKind, from: number): void {
  const probe = probeOf(c, kind)
  if (!probe) return
  run.probes[kind] = {
    nextAt: Math.max(from, (run.startedAt ?? from) + (probe.initialDelaySeconds ?? 0) * 1000),
    successes: 0,
    failures: 0,
  }
}

const KIND_TITLE: Record<ProbeKind, string> = {startup: 'Startup', liveness: 'Liveness', readiness: 'Readiness'}

// ---- the stage table ----

/** STAGES is the kubelet's behaviour, in priority order: the first stage whose selector matches runs next. */
export const STAGES: Stage[] = [
  {
    // Graceful termination: SIGTERM (after preStop) to every running container; kuberuntime killContainer.
    name: 'kill',
    scope: 'pod',
    selector: (p) => deleting(p.pod) && !p.rec.terminating && !p.rec.deleteNow,
    next: (p, env) => {
      const graceMs = gracePeriodMs(p.pod)
      let deadline = env.now
      for (const run of p.rec.runs) {
        if (run.phase !== 'running') continue
        env.event('Normal', 'Killing', `Stopping container ${run.name}`, run)
        sendTerm(p.pod, run, env, graceMs)
        deadline = Math.max(deadline, run.stopping!.at)
      }
      p.rec.terminating = {deadline}
    },
  },
  {
    // The containers are down (or the grace period is over): kill what is left and let the pod go.
    name: 'delete',
    scope: 'pod',
    selector: (p, env) => p.rec.terminating !== undefined && !p.rec.deleteNow && env.now >= p.rec.terminating.deadline,
    next: (p, env) => {
      for (const run of p.rec.runs) {
        if (run.phase !== 'running') continue
        if (run.stopping && run.stopping.at <= env.now) endStopping(run, env)
        else stopRun(run, env)
      }
      for (const run of p.rec.runs) if (run.phase !== 'exited') run.phase = 'exited'
      p.rec.deleteNow = true
    },
  },
  {
    // The pod sandbox: IP from the node's pod CIDR (or the node's for hostNetwork), start time.
    name: 'sandbox',
    scope: 'pod',
    selector: (p, env) =>
      p.rec.startTime === undefined &&
      !deleting(p.pod) &&
      (p.rec.sandboxFailedAt === undefined || env.now >= p.rec.sandboxFailedAt + SANDBOX_RETRY_MS),
    next: (p, env) => {
      const ip = p.pod.spec?.hostNetwork ? env.nodeIP : env.allocateIP()
      if (ip === undefined) {
        // The CNI's host-local IPAM has no address left (a /24 holds 253 pods): the sandbox is retried.
        env.event(
          'Warning',
          'FailedCreatePodSandBox',
          `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox: plugin type="bridge" failed (add): failed to allocate for range 0: no IP addresses available in range set`,
        )
        p.rec.sandboxFailedAt = env.now
        return
      }
      p.rec.sandboxFailedAt = undefined
      p.rec.startTime = env.now
      p.rec.ip = ip
      p.rec.initialized = p.rec.runs.every((r) => r.kind === 'regular' || r.kind === 'ephemeral')
    },
  },
  {
    name: 'initialized',
    scope: 'pod',
    selector: (p) => !p.rec.initialized && p.rec.runs.every((r) => initDone(r)),
    next: (p) => {
      p.rec.initialized = true
    },
  },
  {
    // A completing pod stops its sidecars once the regular containers are done (KEP-753).
    name: 'stop-sidecars',
    scope: 'pod',
    selector: (p) =>
      !deleting(p.pod) && regularDone(p) && p.rec.runs.some((r) => r.kind === 'sidecar' && r.phase !== 'exited'),
    next: (p, env) => {
      for (const run of [...p.rec.runs].reverse()) {
        if (run.kind !== 'sidecar' || run.phase === 'exited') continue
        if (run.phase === 'running') env.event('Normal', 'Killing', `Stopping container ${run.name}`, run)
        stopRun(run, env, run.phase === 'running' ? undefined : {code: 0})
      }
    },
  },
  {
    // EnsureImageExists: already present, or Pulling (the result lands at dueAt), or not allowed to pull.
    name: 'pull',
    scope: 'container',
    selector: (p, env, run) => {
      if (!run || deleting(p.pod) || finished(p) || !eligible(p, run)) return false
      if (run.phase === 'new') return run.retryAt === undefined || env.now >= run.retryAt
      return (
        run.phase === 'pullFailed' &&
        run.backOffShown === true &&
        !env.imageBackoff.inBackOffSinceUpdate(imageBackoffKey(p.pod, specOf(p.pod, run).image ?? ''), env.now)
      )
    },
    next: (p, env, run) => {
      const c = specOf(p.pod, run!)
      const image = c.image ?? ''
      run!.retryAt = undefined
      // image_manager.go EnsureImageExists: a name that does not parse fails before any pull, every sync.
      const invalid = invalidImageNameMessage(image)
      if (invalid !== undefined) {
        env.event('Warning', 'InspectFailed', invalid, run)
        env.event('Warning', 'Failed', 'Error: InvalidImageName', run)
        run!.waiting = {reason: 'InvalidImageName', message: invalid}
        run!.retryAt = env.now + POD_RETRY_MS
        return
      }
      const policy = (c.imagePullPolicy ?? 'IfNotPresent') as 'Always' | 'IfNotPresent' | 'Never'
      const present = env.runtime.hasImage(env.node, image)
      if (policy === 'Never' && !present) {
        const msg = `Container image "${image}" is not present with pull policy of Never`
        env.event('Warning', 'ErrImageNeverPull', msg, run)
        env.event('Warning', 'Failed', 'Error: ErrImageNeverPull', run)
        run!.phase = 'pullFailed'
        run!.failedAt = env.now
        run!.waiting = {reason: 'ErrImageNeverPull', message: msg}
        run!.backOffShown = true
        env.imageBackoff.next(imageBackoffKey(p.pod, image), env.now, env.now)
        return
      }
      if (present && policy !== 'Always') {
        const res = env.runtime.pull(env.node, image, policy, env.now)
        if (res.ok) {
          env.event('Normal', 'Pulled', `Container image "${image}" already present on machine`, run)
          tookImage(run!, res.image)
          run!.phase = 'starting'
          run!.dueAt = env.now + jitter(env, env.timing.create)
          return
        }
      }
      env.event('Normal', 'Pulling', `Pulling image "${image}"`, run)
      const res = env.runtime.pull(env.node, image, policy, env.now)
      run!.pull = res
      run!.phase = 'pulling'
      const tookMs = res.ok ? res.durationMs : 0
      run!.dueAt = env.now + (env.timing.pull[1] === 0 ? 0 : tookMs > 0 ? tookMs : jitter(env, env.timing.pull))
    },
  },
  {
    name: 'pulled',
    scope: 'container',
    selector: (_p, env, run) => run?.phase === 'pulling' && env.now >= (run.dueAt ?? 0),
    next: (p, env, run) => {
      const c = specOf(p.pod, run!)
      const image = c.image ?? ''
      const res = run!.pull!
      run!.pull = undefined
      if (res.ok) {
        const took = goSeconds(res.durationMs)
        env.event(
          'Normal',
          'Pulled',
          `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${res.image.sizeBytes} bytes.`,
          run,
        )
        tookImage(run!, res.image)
        run!.phase = 'starting'
        run!.dueAt = env.now + jitter(env, env.timing.create)
        return
      }
      env.event('Warning', 'Failed', `Failed to pull image "${image}": ${res.message}`, run)
      env.event('Warning', 'Failed', 'Error: ErrImagePull', run)
      env.imageBackoff.next(imageBackoffKey(p.pod, image), env.now, env.now)
      run!.phase = 'pullFailed'
      run!.failedAt = env.now
      run!.waiting = {reason: 'ErrImagePull', message: res.message}
      run!.backOffShown = false
    },
  },
  {
    name: 'pull-backoff',
    scope: 'container',
    selector: (_p, env, run) =>
      run?.phase === 'pullFailed' && !run.backOffShown && env.now >= (run.failedAt ?? 0) + RELIST_MS,
    next: (p, env, run) => {
      const image = specOf(p.pod, run!).image ?? ''
      const msg = `Back-off pulling image "${image}"`
      env.event('Normal', 'BackOff', msg, run)
      env.event('Warning', 'Failed', 'Error: ImagePullBackOff', run)
      run!.waiting = {reason: 'ImagePullBackOff', message: msg}
      run!.backOffShown = true
    },
  },
  {
    // CreateContainer + StartContainer: the runtime decides what the process does.
    name: 'start',
    scope: 'container',
    selector: (p, env, run) => run?.phase === 'starting' && env.now >= (run.dueAt ?? 0) && !deleting(p.pod),
    next: (p, env, run) => {
      const r = run!
      const c = specOf(p.pod, r)
      // The runtime reads the pod IP from the pod, which may not carry this sync's sandbox yet.
      const pod = withIPs(p.pod, p.rec, env.nodeIP)
      // kuberuntime_container.go startContainer: generateContainerConfig (the env) fails before CreateContainer.
      const resolved = env.resolveEnv?.(pod, c)
      if (resolved && !resolved.ok) {
        env.event('Warning', 'Failed', `Error: ${resolved.message}`, r)
        r.waiting = {reason: 'CreateContainerConfigError', message: resolved.message}
        r.phase = 'new'
        r.dueAt = undefined
        r.retryAt = env.now + POD_RETRY_MS
        return
      }
      for (const w of resolved?.warnings ?? []) env.event('Warning', 'InvalidEnvironmentVariableNames', w)
      const inst = env.runtime.start({
        node: env.node,
        pod,
        container: c,
        init: r.kind === 'init' || r.kind === 'sidecar',
        restartCount: r.restartCount,
        image: r.image!,
        now: env.now,
        ...(resolved ? {env: resolved.env} : {}),
      })
      env.event('Normal', 'Created', `Created container: ${r.name}`, r)
      r.inst = inst
      r.containerID = inst.id
      r.mounts = true
      r.dueAt = undefined
      if (inst.exit?.reason === 'StartError') {
        // StartContainer failed (runc could not exec): no Started event; containerd reports the container
        // exited with 128 and runc's message, never started (startedAt 0), and the kubelet's reason cache shows
        // RunContainerError until the restart back-off turns it into CrashLoopBackOff.
        const message = inst.exit.message ?? inst.message ?? ''
        env.event('Warning', 'Failed', `Error: ${message}`, r)
        r.startedAt = START_ERROR_AT
        stopRun(r, env, {code: inst.exit.code, reason: 'StartError'})
        r.terminated!.message = message
        if (restartable(p.pod, r)) r.waiting = {reason: 'RunContainerError', message}
        return
      }
      env.event('Normal', 'Started', `Started container ${r.name}`, r)
      r.phase = 'running'
      r.startedAt = env.now
      r.waiting = undefined
      r.retryAt = undefined
      r.stopping = undefined
      r.exitAt = inst.exit ? env.now + Math.max(0, inst.exit.afterMs) : undefined
      r.probes = {}
      r.started = !c.startupProbe
      if (c.startupProbe) armProbe(r, c, 'startup', env.now)
      else {
        armProbe(r, c, 'liveness', env.now)
        armProbe(r, c, 'readiness', env.now)
      }
      // Ephemeral containers are never ready (they take no part in the pod's readiness).
      r.ready = r.started && !c.readinessProbe && r.kind !== 'init' && r.kind !== 'ephemeral'
    },
  },
  {
    name: 'exit',
    scope: 'container',
    selector: (_p, env, run) =>
      run?.phase === 'running' &&
      ((run.exitAt !== undefined && env.now >= run.exitAt) ||
        (run.stopping !== undefined && env.now >= run.stopping.at)),
    next: (_p, env, run) => {
      const r = run!
      if (r.stopping && (r.exitAt === undefined || r.stopping.at < r.exitAt)) {
        endStopping(r, env)
        return
      }
      const plan = r.inst!.exit!
      const at = r.exitAt!
      r.inst!.finishedAt ??= at
      r.inst!.exitCode ??= plan.code
      const now = env.now
      env.now = at
      stopRun(r, env, {code: plan.code, reason: plan.reason})
      env.now = now
    },
  },
  {
    // prober/worker.go: startup gates liveness and readiness; failureThreshold failures act.
    name: 'probe',
    scope: 'container',
    selector: (p, env, run) =>
      run?.phase === 'running' &&
      !deleting(p.pod) &&
      Object.values(run.probes).some((s) => s !== undefined && env.now >= s.nextAt),
    next: (p, env, run) => runProbes(p, env, run!),
  },
  {
    // doBackOff: not in back-off → start again (restartCount + 1, lastState = the run that ended).
    name: 'restart',
    scope: 'container',
    selector: (p, env, run) =>
      run?.phase === 'exited' &&
      !deleting(p.pod) &&
      !finished(p) &&
      restartable(p.pod, run) &&
      env.now >= run.terminated!.finishedAt + RELIST_MS &&
      !env.crashBackoff.inBackOffSince(backoffKey(p.pod, run), run.terminated!.finishedAt, env.now),
    next: (p, env, run) => {
      const r = run!
      env.crashBackoff.next(backoffKey(p.pod, r), r.terminated!.finishedAt, env.now)
      r.lastTerminated = r.terminated
      r.terminated = undefined
      r.restartCount++
      r.phase = 'new'
      r.waiting = undefined
      r.backOffShown = false
      r.inst = undefined
    },
  },
  {
    name: 'crash-loop-backoff',
    scope: 'container',
    selector: (p, env, run) =>
      run?.phase === 'exited' &&
      !run.backOffShown &&
      !deleting(p.pod) &&
      !finished(p) &&
      restartable(p.pod, run) &&
      env.now >= run.terminated!.finishedAt + RELIST_MS,
    next: (p, env, run) => {
      const r = run!
      const delay = goDuration(env.crashBackoff.get(backoffKey(p.pod, r)))
      env.event('Warning', 'BackOff', `Back-off restarting failed container ${r.name} in pod ${formatPod(p.pod)}`, r)
      r.waiting = {
        reason: 'CrashLoopBackOff',
        message: `back-off ${delay} restarting failed container=${r.name} pod=${formatPod(p.pod)}`,
      }
      r.backOffShown = true
    },
  },
]

function tookImage(run: ContainerRun, image: ImageInfo): void {
  run.image = image
  run.imageRef = image.ref
  run.imageID = `${image.repository}@${image.digest}`
}

/** gracePeriodMs is the pod's deletion grace (metadata.deletionGracePeriodSeconds, else the spec's, else 30 s). */
export function gracePeriodMs(pod: Pod): number {
  const s = pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30
  return Math.max(0, s) * 1000
}

/** preStopMs is how long a container's preStop hook takes: a sleep action, or an exec whose command sleeps. */
function preStopMs(c: Container): number {
  const preStop = c.lifecycle?.preStop
  if (preStop?.sleep) return preStop.sleep.seconds * 1000
  const m = preStop?.exec?.command ? /\bsleep\s+(\d+)/.exec(preStop.exec.command.join(' ')) : null
  return m ? Number(m[1]) * 1000 : 0
}

function runProbes(p: StageInput, env: StageEnv, run: ContainerRun): void {
  const c = specOf(p.pod, run)
  for (const kind of ['startup', 'liveness', 'readiness'] as ProbeKind[]) {
    const st = run.probes[kind]
    const probe = probeOf(c, kind)
    if (!st || !probe || env.now < st.nextAt) continue
    st.nextAt = env.now + (probe.periodSeconds ?? 10) * 1000
    const answer = run.inst ? run.inst.probe(probe, env.now) : {success: true}
    if (answer.success) {
      st.successes++
      st.failures = 0
      if (kind === 'startup') {
        run.started = true
        delete run.probes.startup
        armProbe(run, c, 'liveness', env.now)
        armProbe(run, c, 'readiness', env.now)
        if (!c.readinessProbe && run.kind !== 'init') run.ready = true
      } else if (kind === 'readiness' && st.successes >= (probe.successThreshold ?? 1)) run.ready = true
      continue
    }
    st.successes = 0
    st.failures++
    env.event('Warning', 'Unhealthy', `${KIND_TITLE[kind]} probe failed: ${answer.message ?? ''}`.trimEnd(), run)
    if (st.failures < (probe.failureThreshold ?? 3)) continue
    if (kind === 'readiness') {
      run.ready = false
      continue
    }
    env.event('Normal', 'Killing', `Container ${run.name} failed ${kind} probe, will be restarted`, run)
    // The container is killed as on deletion, with the probe's grace period if it sets one (KEP-2238).
    const graceS = probe.terminationGracePeriodSeconds ?? p.pod.spec?.terminationGracePeriodSeconds ?? 30
    sendTerm(p.pod, run, env, Math.max(0, graceS) * 1000)
    return
  }
}

/** wakeAt is the earliest time a stage of this pod becomes due, or undefined when nothing waits on the clock. */
export function wakeAt(p: StageInput, env: StageEnv): number | undefined {
  let at: number | undefined
  const consider = (t: number | undefined) => {
    if (t !== undefined && (at === undefined || t < at)) at = t
  }
  if (p.rec.deleteNow) return undefined
  if (p.rec.terminating) consider(p.rec.terminating.deadline)
  if (p.rec.startTime === undefined && p.rec.sandboxFailedAt !== undefined)
    consider(p.rec.sandboxFailedAt + SANDBOX_RETRY_MS)
  for (const r of p.rec.runs) {
    if (r.phase === 'pulling' || r.phase === 'starting') consider(r.dueAt)
    else if (r.phase === 'new') consider(r.retryAt)
    else if (r.phase === 'running') {
      consider(r.exitAt)
      consider(r.stopping?.at)
      if (!deleting(p.pod)) for (const s of Object.values(r.probes)) consider(s?.nextAt)
    } else if (r.phase === 'pullFailed') {
      if (!r.backOffShown) consider((r.failedAt ?? env.now) + RELIST_MS)
      else consider(env.imageBackoff.untilUpdate(imageBackoffKey(p.pod, specOf(p.pod, r).image ?? '')))
    } else if (r.phase === 'exited' && !deleting(p.pod) && !finished(p) && restartable(p.pod, r)) {
      const relist = r.terminated!.finishedAt + RELIST_MS
      if (env.now < relist) consider(relist)
      else consider(env.crashBackoff.until(backoffKey(p.pod, r), r.terminated!.finishedAt))
    }
  }
  return at === undefined ? undefined : Math.max(at, env.now)
}

/** chooseStage returns the first stage that matches now, and the container it matches. */
export function chooseStage(p: StageInput, env: StageEnv): {stage: Stage; run?: ContainerRun} | undefined {
  for (const stage of STAGES) {
    if (stage.scope === 'pod') {
      if (stage.selector(p, env, undefined)) return {stage}
      continue
    }
    for (const run of p.rec.runs) if (stage.selector(p, env, run)) return {stage, run}
  }
  return undefined
}

/** runStages applies due stages until none matches; it returns the names of the stages applied, in order. */
export function runStages(p: StageInput, env: StageEnv, limit = 200): string[] {
  const applied: string[] = []
  for (let i = 0; i < limit; i++) {
    const m = chooseStage(p, env)
    if (!m) break
    m.stage.next(p, env, m.run)
    applied.push(m.run ? `${m.stage.name}:${m.run.name}` : m.stage.name)
  }
  return applied
}

// ---- status ----

type State = NonNullable<ContainerStatus['state']>

function terminatedState(t: Terminated): State {
  const out: Record<string, unknown> = {exitCode: t.exitCode, reason: t.reason}
  if (t.message) out.message = t.message
  out.startedAt = rfc3339(t.startedAt)
  out.finishedAt = rfc3339(t.finishedAt)
  if (t.containerID) out.containerID = t.containerID
  return {terminated: out as unknown as State['terminated']}
}

function containerStatus(p: StageInput, run: ContainerRun, defaultWaiting: string): ContainerStatus {
  const c = specOf(p.pod, run)
  let state: State
  let last: State = run.lastTerminated ? terminatedState(run.lastTerminated) : {}
  if (run.phase === 'running') state = {running: {startedAt: rfc3339(run.startedAt!)}}
  else if (run.phase === 'exited' && run.waiting && run.terminated) {
    state = {waiting: {...run.waiting}}
    last = terminatedState(run.terminated)
  } else if (run.phase === 'exited' && run.terminated) state = terminatedState(run.terminated)
  else state = {waiting: run.waiting ? {...run.waiting} : {reason: defaultWaiting}}
  const s: ContainerStatus = {
    name: run.name,
    state,
    lastState: last,
    ready: run.phase === 'running' && run.ready,
    restartCount: run.restartCount,
    // Until a container exists the status names the image as the spec does (convertToAPIContainerStatuses).
    image: (run.containerID ? run.imageRef : undefined) ?? c.image ?? '',
    imageID: (run.containerID ? run.imageID : undefined) ?? '',
  }
  if (run.containerID) s.containerID = run.containerID
  // The prober sets `started` for regular and init containers only; an ephemeral container's status has none.
  if (run.kind !== 'ephemeral') s.started = run.phase === 'running' && run.started
  const mounts = c.volumeMounts ?? []
  if (run.mounts && mounts.length > 0) {
    ;(s as unknown as Record<string, unknown>).volumeMounts = mounts.map((m) => {
      const out: Record<string, unknown> = {name: m.name, mountPath: m.mountPath}
      if (m.readOnly) {
        out.readOnly = true
        out.recursiveReadOnly = 'Disabled'
      }
      return out
    })
  }
  return s
}

/** podPhase follows kubelet_pods.go getPhase over the computed container statuses. */
export function podPhase(
  pod: Pod,
  init: ContainerStatus[],
  regular: ContainerStatus[],
  initRuns: ContainerRun[],
): string {
  const policy = pod.spec?.restartPolicy ?? 'Always'
  let pendingInit = 0
  let failedInit = 0
  initRuns.forEach((run, i) => {
    const s = init[i]!
    if (run.kind === 'sidecar') {
      if (!s.started) pendingInit++
      return
    }
    if (s.state?.terminated) {
      if (s.state.terminated.exitCode !== 0) failedInit++
    } else if (s.state?.waiting && s.lastState?.terminated) {
      if (s.lastState.terminated.exitCode !== 0) failedInit++
    } else pendingInit++
  })
  if (failedInit > 0 && policy === 'Never') return 'Failed'
  let waiting = 0
  let running = 0
  let stopped = 0
  let succeeded = 0
  for (const s of regular) {
    if (s.state?.running) running++
    else if (s.state?.terminated) {
      stopped++
      if (s.state.terminated.exitCode === 0) succeeded++
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) stopped++
      else waiting++
    }
  }
  const anyStarted = regular.some((s) => s.state?.running || s.state?.terminated || s.lastState?.terminated)
  if ((pendingInit > 0 && !anyStarted) || waiting > 0) return 'Pending'
  if (running > 0) return 'Running'
  if (stopped > 0) {
    if (policy === 'Always') return 'Running'
    if (stopped === succeeded) return 'Succeeded'
    if (policy === 'Never') return 'Failed'
    return 'Running'
  }
  return 'Pending'
}

/**
 * podStatus derives the status the kubelet reports from its memory of the pod: phase, conditions, IPs, start
 * time and container statuses. Conditions keep their lastTransitionTime while their status stays the same, and
 * conditions the kubelet does not own (DisruptionTarget, readiness gates) are kept.
 */
export function podStatus(p: StageInput, env: {now: number; nodeIP: string}): PodStatus {
  const {pod, rec} = p
  const old = (pod.status ?? {}) as PodStatus
  const initRuns = rec.runs.filter((r) => r.kind === 'init' || r.kind === 'sidecar')
  const regularRuns = rec.runs.filter((r) => r.kind === 'regular')
  const ephemeralRuns = rec.runs.filter((r) => r.kind === 'ephemeral')
  const defaultWaiting = initRuns.length > 0 ? 'PodInitializing' : 'ContainerCreating'
  const initStatuses = initRuns.map((r) => containerStatus(p, r, defaultWaiting))
  const statuses = regularRuns.map((r) => containerStatus(p, r, defaultWaiting))
  let phase = podPhase(pod, initStatuses, statuses, initRuns)
  if (old.phase === 'Succeeded' || old.phase === 'Failed') phase = old.phase
  const terminal = phase === 'Succeeded' || phase === 'Failed'

  const stamp = rfc3339(env.now)
  const oldConds = old.conditions ?? []
  const cond = (type: string, status: 'True' | 'False', reason?: string, message?: string): PodCondition => {
    const prev = oldConds.find((c) => c.type === type)
    const c: PodCondition = {
      type,
      status,
      lastProbeTime: null as unknown as string,
      lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime : stamp,
    }
    if (reason) c.reason = reason
    if (message) c.message = message
    return c
  }
  const incomplete = initRuns.filter(
    (r) =>
      !(r.kind === 'sidecar'
        ? r.phase === 'running' && r.started
        : r.phase === 'exited' && r.terminated?.exitCode === 0),
  )
  const initialized =
    rec.initialized || incomplete.length === 0
      ? cond('Initialized', 'True')
      : cond(
          'Initialized',
          'False',
          'ContainersNotInitialized',
          `containers with incomplete status: [${incomplete.map((r) => r.name).join(' ')}]`,
        )
  const unready = [...initRuns.filter((r) => r.kind === 'sidecar'), ...regularRuns].filter(
    (r) => !(r.phase === 'running' && r.ready),
  )
  let containersReady: PodCondition
  if (phase === 'Succeeded') containersReady = cond('ContainersReady', 'False', 'PodCompleted')
  else if (unready.length === 0) containersReady = cond('ContainersReady', 'True')
  else
    containersReady = cond(
      'ContainersReady',
      'False',
      'ContainersNotReady',
      `containers with unready status: [${unready.map((r) => r.name).join(' ')}]`,
    )
  let ready: PodCondition
  const gates = (pod.spec?.readinessGates ?? []).filter(
    (g) => oldConds.find((c) => c.type === g.conditionType)?.status !== 'True',
  )
  if (containersReady.status !== 'True') ready = cond('Ready', 'False', containersReady.reason, containersReady.message)
  else if (gates.length > 0) {
    const missing = gates.map(
      (g) => `corresponding condition of pod readiness gate "${g.conditionType}" does not exist.`,
    )
    ready = cond('Ready', 'False', 'ReadinessGatesNotReady', missing.join(', '))
  } else ready = cond('Ready', 'True')
  const scheduled = oldConds.find((c) => c.type === 'PodScheduled') ?? cond('PodScheduled', 'True')
  const mine = new Set(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'])
  const conditions = [
    cond('PodReadyToStartContainers', terminal || rec.startTime === undefined ? 'False' : 'True'),
    initialized,
    ready,
    containersReady,
    scheduled,
    ...oldConds.filter((c) => !mine.has(c.type)),
  ]

  const status: PodStatus = {phase, conditions}
  for (const k of ['message', 'reason', 'nominatedNodeName'] as const)
    if (old[k] !== undefined) (status as Record<string, unknown>)[k] = old[k]
  status.hostIP = env.nodeIP
  status.hostIPs = [{ip: env.nodeIP}]
  if (rec.ip) {
    status.podIP = rec.ip
    status.podIPs = [{ip: rec.ip}]
  }
  if (rec.startTime !== undefined) status.startTime = rfc3339(rec.startTime)
  if (initRuns.length > 0) status.initContainerStatuses = initStatuses
  status.containerStatuses = statuses
  if (old.qosClass) status.qosClass = old.qosClass
  // ephemeralContainerStatuses come after qosClass in Go's PodStatus field order.
  if (ephemeralRuns.length > 0)
    status.ephemeralContainerStatuses = ephemeralRuns.map((r) => containerStatus(p, r, 'ContainerCreating'))
  return status
}
