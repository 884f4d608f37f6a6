// types.ts: the contract between the simulated kubelet (src/daemon/kubelet) and the simulated container runtime
// (src/daemon/runtime). The runtime knows images and what a container *does* (its process: output, exit,
// probe answers, memory); the kubelet knows pods: stages, restarts, back-off, status and events. Nothing here
// ever starts a host process.
import type {Container, Pod, Probe} from 'kubernetes-types/core/v1.js'

/** ImageInfo is one image of the catalog, resolved from what a pod spec names. */
export interface ImageInfo {
  /** ref is the normalized reference: "docker.io/library/nginx:1.27". */
  ref: string
  /** repository without the tag: "docker.io/library/nginx". */
  repository: string
  tag: string
  /** digest is the repo digest "sha256:<64 hex>" (status.containerStatuses[].imageID is repository@digest). */
  digest: string
  sizeBytes: number
  /** entrypoint and cmd as the image config has them (a container's command/args replace them). */
  entrypoint: string[]
  cmd: string[]
  env: string[]
  workingDir?: string
  /** ports the image exposes (EXPOSE). */
  ports: number[]
  /** profile names the behaviour: "nginx", "httpd", "redis", "shell", "echo-server", "pause", ... */
  profile: string
}

/** PullResult is the outcome of one image pull on one node. */
export type PullResult =
  | {ok: true; image: ImageInfo; alreadyPresent: boolean; durationMs: number}
  /** message is containerd's, e.g. `failed to pull and unpack image "docker.io/library/ngnix:latest": ...`. */
  | {ok: false; message: string}

/** LogLine is one line a container wrote. */
export interface LogLine {
  /** at is the cluster time in ms. */
  at: number
  stream: 'stdout' | 'stderr'
  text: string
}

/** ProbeAnswer is what a probe against the simulated process returns. */
export interface ProbeAnswer {
  success: boolean
  /** message explains a failure as kubelet's Unhealthy event does ("HTTP probe failed with statuscode: 500"). */
  message?: string
}

/** ExitPlan says how and when a container ends by itself. */
export interface ExitPlan {
  /** afterMs from the start of the container. */
  afterMs: number
  /** code is the exit code (137 for OOMKilled). */
  code: number
  /**
   * reason is the terminated state's reason: "Completed", "Error", "OOMKilled", or "StartError" when the process
   * could not start (a missing executable: exit code 128 and runc's message).
   */
  reason: 'Completed' | 'Error' | 'OOMKilled' | 'StartError'
  /** message is the terminated state's message (StartError's runc text). */
  message?: string
}

/** ContainerInstance is one run of one container (a restart makes a new instance). */
export interface ContainerInstance {
  /** id is "containerd://<64 hex>". */
  id: string
  podUid: string
  container: string
  restartCount: number
  startedAt: number
  image: ImageInfo
  /** exit is undefined for a process that runs until it is killed. */
  exit?: ExitPlan
  /** probe answers a liveness, readiness or startup probe at cluster time now. */
  probe(probe: Probe, now: number): ProbeAnswer
  /** finishedAt and exitCode are set once the instance ended (by itself or killed). */
  finishedAt?: number
  exitCode?: number
  /** message explains a StartError. */
  message?: string
  /**
   * termination says how the process answers SIGTERM: {afterMs, code} when it exits by itself (nginx, redis),
   * undefined when it ignores the signal and is killed when the grace period ends (exit 137).
   */
  termination?(): {afterMs: number; code: number} | undefined
}

/** StartRequest is what the kubelet hands the runtime to start a container. */
export interface StartRequest {
  node: string
  pod: Pod
  container: Container
  /** init is true for init containers (and sidecars, which are init containers with restartPolicy Always). */
  init: boolean
  restartCount: number
  image: ImageInfo
  now: number
  /** env is the container's environment with configMap/secret references and envFrom already resolved. */
  env?: Record<string, string>
}

/** Runtime is the simulated container runtime shared by every node's kubelet. */
export interface Runtime {
  /**
   * pull resolves and "downloads" an image on a node, honouring imagePullPolicy: with IfNotPresent a cached
   * image is alreadyPresent; Never without a cached image fails (ErrImageNeverPull is the kubelet's to say).
   */
  pull(node: string, image: string, policy: 'Always' | 'IfNotPresent' | 'Never', now: number): PullResult
  /** hasImage says whether the node's cache holds the image. */
  hasImage(node: string, image: string): boolean
  /**
   * imagesOn lists a node's cached images for Node.status.images (names: [repo@digest, repo:tag], sizeBytes). The
   * same array comes back until the node's images change; callers must not modify it.
   */
  imagesOn(node: string): {names: string[]; sizeBytes: number}[]
  /** start runs a container: decides its process from image + command/args + limits, and starts its log. */
  start(req: StartRequest): ContainerInstance
  /**
   * end makes a running instance's process exit by itself now with exitCode (an attached shell the user left with
   * `exit N`); the kubelet sees it as the process's own end, not a kill.
   */
  end(inst: ContainerInstance, now: number, exitCode: number): void
  /** kill stops an instance now (exit code 137 unless it had exited) and keeps its logs as the previous run. */
  kill(inst: ContainerInstance, now: number, exitCode?: number): void
  /** logs returns what an instance (or the current/previous run of a pod's container) wrote up to now. */
  logs(podUid: string, container: string, opts: {previous?: boolean; now: number}): LogLine[] | undefined
  /** appendLog adds a line to the current run (the service proxy logs requests a server answered). */
  appendLog(podUid: string, container: string, line: LogLine): void
  /** forgetPod drops a deleted pod's instances and logs. */
  forgetPod(podUid: string): void
}
