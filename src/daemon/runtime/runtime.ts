// runtime.ts: the simulated container runtime shared by every node's kubelet (the contract is types.ts). It
// pulls from the catalog into per-node image caches with containerd's error messages, starts containers as
// simulated processes (image entrypoint/cmd replaced by the container's command/args, as the CRI does), answers
// probes from the process state, and keeps each container's logs per run so `logs --previous` works.
// Nothing here starts a host process or touches a host file.
import type {Container, Pod, Probe} from 'kubernetes-types/core/v1.js'
import {parseQuantity} from '../../api/quantity.js'
import type {Clock} from '../clock.js'
import type {Ids} from '../ids.js'
import {CATALOG} from './catalog.js'
import type {ImageDef, OsFamily} from './catalog-types.js'
import {ImageIndex, type CatalogImage} from './images.js'
import {LazyTree, SimProcess, type ExecResult, type FileTree, type ProcessSpec} from './process.js'
import {PROFILES, programFor} from './profiles.js'
import {invalidImageNameMessage, parseReference, type ImageReference} from './reference.js'
import type {HttpRequest, HttpResponse, Program, ShellFlavor} from './shell/types.js'
import type {ContainerInstance, ExitPlan, LogLine, ProbeAnswer, PullResult, Runtime, StartRequest} from './types.js'
import {noteRequest} from '../metrics/requests.js'

/** MAX_LOG_LINES is how many lines of one container run are kept (older lines are dropped, as log rotation does). */
export const MAX_LOG_LINES = 10_000
/**
 * DRY_RUN_STEPS bounds the run made at start to learn whether and when a process ends: a script that needs
 * more commands than this is treated as running until killed (an endless loop cannot be told apart cheaply).
 */
export const DRY_RUN_STEPS = 5_000
/** KUBE_PROBE_UA is the kubelet's probe User-Agent (kube-probe/<major>.<minor>). */
export const KUBE_PROBE_UA = 'kube-probe/1.32'

/** RuntimeOptions configures createRuntime. */
export interface RuntimeOptions {
  clock: Clock
  ids: Ids
  /** extraImages are lab authors' images (loadImageFile); they add to and override the catalog. */
  extraImages?: ImageDef[]
  timing?: 'fast' | 'realistic'
}

/** StartErrorReason is the terminated reason for a container whose process could not start. */
export const START_ERROR = 'StartError'

/** startErrorMessage is containerd/runc's message for an executable that does not exist in the image. */
export function startErrorMessage(exe: string): string {
  const why = exe.includes('/')
    ? `exec: "${exe}": stat ${exe}: no such file or directory`
    : `exec: "${exe}": executable file not found in $PATH`
  return `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ${why}: unknown`
}

const KNOWN_REGISTRIES = new Set([
  'docker.io',
  'registry.k8s.io',
  'k8s.gcr.io',
  'gcr.io',
  'us-docker.pkg.dev',
  'ghcr.io',
  'quay.io',
  'docker.elastic.co',
  'mcr.microsoft.com',
  'public.ecr.aws',
  'registry.gitlab.com',
  'nvcr.io',
])

/**
 * pullErrorMessage is the message the kubelet gets from containerd 1.7 for a reference the registry does not
 * have. cri-client strips "rpc error: code = Unknown desc = " but keeps other codes (NotFound), see
 * cri-client/pkg/remote_image.go; containerd wraps errdefs.ErrNotFound as gRPC NotFound.
 */
export function pullErrorMessage(ref: ImageReference, repoKnown: boolean): string {
  const prefix = `failed to pull and unpack image "${ref.ref}": failed to resolve reference "${ref.ref}": `
  const notFound = `rpc error: code = NotFound desc = ${prefix}${ref.ref}: not found`
  if (repoKnown) return notFound
  const [host, port] = ref.domain.split(':')
  if (host === 'localhost' || host === '127.0.0.1') {
    return `${prefix}failed to do request: Head "https://${ref.domain}/v2/${ref.path}/manifests/${ref.digest ?? ref.tag}": dial tcp ${host === 'localhost' ? '[::1]' : host}:${port ?? 443}: connect: connection refused`
  }
  if (!KNOWN_REGISTRIES.has(ref.domain)) {
    return `${prefix}failed to do request: Head "https://${ref.domain}/v2/${ref.path}/manifests/${ref.digest ?? ref.tag}": dial tcp: lookup ${host} on 192.168.49.1:53: no such host`
  }
  if (ref.domain === 'docker.io')
    return `${prefix}pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`
  if (ref.domain === 'ghcr.io') {
    return `${prefix}failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://ghcr.io/token?scope=repository%3A${encodeURIComponent(ref.path)}%3Apull&service=ghcr.io: 401 Unauthorized`
  }
  return notFound
}

const SHELL_OS: Record<OsFamily, ShellFlavor | undefined> = {
  debian: 'dash',
  ubuntu: 'dash',
  rhel: 'bash',
  alpine: 'ash',
  busybox: 'ash',
  distroless: undefined,
  scratch: undefined,
}

function osRelease(img: CatalogImage): string | undefined {
  const r = img.repository
  switch (img.os) {
    case 'busybox':
    case 'scratch':
      return undefined
    case 'distroless':
      return 'PRETTY_NAME="Distroless"\nNAME="Debian GNU/Linux"\nID="debian"\nVERSION_ID="12"\nVERSION="Debian GNU/Linux 12 (bookworm)"\nHOME_URL="https://github.com/GoogleContainerTools/distroless"\n'
    case 'alpine':
      return 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.22.2\nPRETTY_NAME="Alpine Linux v3.22"\nHOME_URL="https://alpinelinux.org/"\nBUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"\n'.replace(
        /3\.22(\.2)?/g,
        (m) =>
          r.endsWith('/alpine') && /^\d/.test(img.version)
            ? m.length > 4
              ? img.version
              : img.version.split('.').slice(0, 2).join('.')
            : m,
      )
    case 'ubuntu': {
      const v = r.endsWith('/ubuntu') ? img.version : '24.04'
      const names: Record<string, string> = {
        '24.04': 'noble',
        '22.04': 'jammy',
        '20.04': 'focal',
        '18.04': 'bionic',
        '25.04': 'plucky',
        '25.10': 'questing',
      }
      const code = names[v] ?? 'noble'
      return `PRETTY_NAME="Ubuntu ${v}${v.endsWith('.04') ? '.3' : ''} LTS"\nNAME="Ubuntu"\nVERSION_ID="${v}"\nVERSION="${v} LTS (${code[0].toUpperCase() + code.slice(1)})"\nVERSION_CODENAME=${code}\nID=ubuntu\nID_LIKE=debian\nHOME_URL="https://www.ubuntu.com/"\nUBUNTU_CODENAME=${code}\n`
    }
    case 'rhel': {
      if (r.endsWith('/fedora'))
        return `NAME="Fedora Linux"\nVERSION="${img.version} (Container Image)"\nID=fedora\nVERSION_ID=${img.version}\nPRETTY_NAME="Fedora Linux ${img.version} (Container Image)"\n`
      if (r.endsWith('/centos'))
        return `NAME="CentOS Linux"\nVERSION="${img.version} (Core)"\nID="centos"\nID_LIKE="rhel fedora"\nVERSION_ID="${img.version}"\nPRETTY_NAME="CentOS Linux ${img.version} (Core)"\n`
      if (r.endsWith('/rockylinux'))
        return `NAME="Rocky Linux"\nVERSION="${img.version} (Blue Onyx)"\nID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="${img.version}"\nPRETTY_NAME="Rocky Linux ${img.version} (Blue Onyx)"\n`
      return 'NAME="Oracle Linux Server"\nVERSION="9.6"\nID="ol"\nID_LIKE="fedora"\nVERSION_ID="9.6"\nPRETTY_NAME="Oracle Linux Server 9.6"\n'
    }
    case 'debian': {
      const v = r.endsWith('/debian') ? img.version : '12'
      const code = v.startsWith('13') ? 'trixie' : v.startsWith('11') ? 'bullseye' : 'bookworm'
      return `PRETTY_NAME="Debian GNU/Linux ${v} (${code})"\nNAME="Debian GNU/Linux"\nVERSION_ID="${v}"\nVERSION="${v} (${code})"\nVERSION_CODENAME=${code}\nID=debian\nHOME_URL="https://www.debian.org/"\nSUPPORT_URL="https://www.debian.org/support"\nBUG_REPORT_URL="https://bugs.debian.org/"\n`
    }
  }
}

const BASE_DIRS = [
  '/',
  '/bin',
  '/dev',
  '/etc',
  '/home',
  '/lib',
  '/mnt',
  '/opt',
  '/proc',
  '/root',
  '/run',
  '/sbin',
  '/srv',
  '/sys',
  '/tmp',
  '/usr',
  '/usr/bin',
  '/usr/local',
  '/usr/local/bin',
  '/usr/sbin',
  '/usr/share',
  '/var',
  '/var/log',
  '/var/run',
  '/var/tmp',
  '/var/lib',
]

function addDir(dirs: Set<string>, path: string) {
  let d = ''
  for (const s of path.split('/').filter(Boolean)) dirs.add((d += '/' + s))
}

/**
 * expandK8sVars expands $(VAR) references in command, args and env values as the kubelet does ($$ escapes,
 * unknown names stay as written); follows third_party/forked/golang/expansion/expand.go.
 */
export function expandK8sVars(s: string, vars: Map<string, string>): string {
  return s.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name: string | undefined) => {
    if (m === '$$') return '$'
    return vars.has(name!) ? vars.get(name!)! : m
  })
}

function fieldValue(pod: Pod, path: string): string | undefined {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path)
  if (m) return (pod.metadata?.[m[1] as 'labels'] ?? {})[m[2]]
  switch (path) {
    case 'metadata.name':
      return pod.metadata?.name
    case 'metadata.namespace':
      return pod.metadata?.namespace
    case 'metadata.uid':
      return pod.metadata?.uid
    case 'spec.nodeName':
      return pod.spec?.nodeName
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? 'default'
    case 'status.hostIP':
      return pod.status?.hostIP
    case 'status.podIP':
      return pod.status?.podIP
    case 'status.podIPs':
      return pod.status?.podIPs?.map((p) => p.ip).join(',')
    case 'status.hostIPs':
      return pod.status?.hostIPs?.map((p) => p.ip).join(',')
  }
  return undefined
}

function resourceValue(c: Container, resource: string, divisor?: string): string | undefined {
  const [kind, name] = resource.split('.')
  const q = (c.resources?.[kind as 'limits'] ?? {})[name]
  if (q === undefined)
    return kind === 'limits' ? (name === 'cpu' ? '2' : name === 'memory' ? String(8 * 1024 ** 3) : undefined) : '0'
  const v = parseQuantity(String(q))
  const d = divisor ? parseQuantity(divisor).asApproximateFloat64() : 1
  return String(Math.ceil(v.asApproximateFloat64() / d))
}

/** containerEnv builds a container's environment: image env, HOSTNAME, service links for kubernetes, then spec env. */
export function containerEnv(
  img: CatalogImage,
  pod: Pod,
  c: Container,
  resolved?: Record<string, string>,
): Map<string, string> {
  const env = new Map<string, string>()
  for (const kv of img.env) {
    const eq = kv.indexOf('=')
    if (eq > 0) env.set(kv.slice(0, eq), kv.slice(eq + 1))
  }
  env.set('HOSTNAME', pod.spec?.hostname ?? pod.metadata?.name ?? '')
  {
    for (const [k, v] of Object.entries({
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
      KUBERNETES_SERVICE_PORT: '443',
      KUBERNETES_SERVICE_PORT_HTTPS: '443',
      KUBERNETES_PORT: 'tcp://10.96.0.1:443',
      KUBERNETES_PORT_443_TCP: 'tcp://10.96.0.1:443',
      KUBERNETES_PORT_443_TCP_PROTO: 'tcp',
      KUBERNETES_PORT_443_TCP_PORT: '443',
      KUBERNETES_PORT_443_TCP_ADDR: '10.96.0.1',
    }))
      env.set(k, v)
  }
  if (resolved) {
    for (const [k, v] of Object.entries(resolved)) env.set(k, v)
    return env
  }
  const specVars = new Map<string, string>()
  for (const e of c.env ?? []) {
    let value: string | undefined
    if (e.value !== undefined) value = expandK8sVars(e.value, specVars)
    else if (e.valueFrom?.fieldRef) value = fieldValue(pod, e.valueFrom.fieldRef.fieldPath)
    else if (e.valueFrom?.resourceFieldRef)
      value = resourceValue(
        c,
        e.valueFrom.resourceFieldRef.resource,
        e.valueFrom.resourceFieldRef.divisor as string | undefined,
      )
    else if (e.value === undefined && !e.valueFrom) value = ''
    if (value === undefined) continue
    specVars.set(e.name, value)
    env.set(e.name, value)
  }
  return env
}

/** RuntimeContainer is the runtime's ContainerInstance: one run of a container, with its process and log. */
export class RuntimeContainer implements ContainerInstance {
  exit?: ExitPlan
  /** message is the terminated state's message (StartError's runc message). */
  message?: string
  /** lines is this run's log (the last MAX_LOG_LINES lines). */
  readonly lines: LogLine[] = []
  private killedAt?: number
  private killCode?: number

  constructor(
    readonly id: string,
    readonly podUid: string,
    readonly container: string,
    readonly restartCount: number,
    readonly startedAt: number,
    readonly image: CatalogImage,
    readonly spec: Container,
    readonly podIP: string,
    readonly nodeGatewayIP: string,
    private readonly clock: Clock,
    /** process is undefined when the container could not start. */
    readonly process: SimProcess | undefined,
  ) {}

  get finishedAt(): number | undefined {
    if (this.killedAt !== undefined) return this.killedAt
    if (this.exit && this.clock.now() >= this.startedAt + this.exit.afterMs) return this.startedAt + this.exit.afterMs
    return undefined
  }

  get exitCode(): number | undefined {
    if (this.killedAt !== undefined) return this.killCode
    return this.finishedAt !== undefined ? this.exit?.code : undefined
  }

  /** running says whether the process is still alive at now. */
  running(now: number): boolean {
    if (!this.process) return false
    if (this.killedAt !== undefined && now >= this.killedAt) return false
    return !(this.exit && now >= this.startedAt + this.exit.afterMs)
  }

  /** advanceTo runs the process up to now (bounded by its end or kill). */
  advanceTo(now: number): void {
    if (!this.process) return
    let to = now
    if (this.killedAt !== undefined) to = Math.min(to, this.killedAt)
    this.process.advance(to - this.startedAt)
  }

  /** push adds a log line, dropping the oldest beyond MAX_LOG_LINES. */
  push(line: LogLine): void {
    this.lines.push(line)
    if (this.lines.length > MAX_LOG_LINES * 1.2) this.lines.splice(0, this.lines.length - MAX_LOG_LINES)
  }

  /**
   * termination says how the process answers SIGTERM: {afterMs, code} when it exits by itself (nginx, redis,
   * postgres...), undefined when it ignores it (a shell or `sleep` as PID 1) and only SIGKILL after the grace
   * period stops it (exit 137).
   */
  termination(): {afterMs: number; code: number} | undefined {
    const h = this.process?.termHandler
    return h && {afterMs: h.afterMs, code: h.code}
  }

  /** markKilled records the end of the run. */
  markKilled(now: number, code: number): void {
    this.advanceTo(now)
    const h = this.process?.termHandler
    if (h && code === h.code && h.lines)
      for (const l of h.lines(now)) this.push({at: now, stream: l.fd === 1 ? 'stdout' : 'stderr', text: l.text})
    this.killedAt = now
    this.killCode = code
  }

  /** files is the container's file system as its process sees it (path → content), for exec. */
  get files(): Map<string, string> {
    return this.process?.spec.files ?? new Map()
  }

  /** exec runs a command in the container at now (timeoutMs of cluster time), e.g. for exec probes. */
  exec(argv: string[], now: number, timeoutMs = 1000): ExecResult {
    if (!this.process || !this.running(now)) return {code: 126, output: 'container not running', notFound: false}
    this.advanceTo(now)
    return this.process.exec(argv, timeoutMs)
  }

  /** http sends a request to a port of the container; undefined means nothing listens there (connection refused). */
  http(port: number, req: HttpRequest, now: number, log = true): HttpResponse | undefined {
    if (!this.running(now)) return undefined
    this.advanceTo(now)
    const l = this.process!.proc.listeners.get(port)
    if (!l?.http) return undefined
    const res = l.http(req, now)
    noteRequest(this, now)
    if (log) {
      const logged = l.accessLog?.(req, res, now)
      for (const line of Array.isArray(logged) ? logged : logged ? [logged] : [])
        this.push({at: now, stream: line.fd === 1 ? 'stdout' : 'stderr', text: line.text})
    }
    return res
  }

  /** listening says whether a TCP port is open at now. */
  listening(port: number, now: number): boolean {
    if (!this.running(now)) return false
    this.advanceTo(now)
    return this.process!.proc.listeners.has(port)
  }

  /** probe answers a kubelet probe at now, with the kubelet's failure messages (pkg/probe/http, tcp, exec, grpc). */
  probe(probe: Probe, now: number): ProbeAnswer {
    const ip = this.podIP
    if (probe.exec) {
      const cmd = probe.exec.command ?? []
      const r = this.exec(cmd, now, (probe.timeoutSeconds ?? 1) * 1000)
      if (r.notFound)
        return {
          success: false,
          message: `OCI runtime exec failed: exec failed: unable to start container process: exec: "${cmd[0] ?? ''}": executable file not found in $PATH: unknown`,
        }
      if (r.timedOut) return {success: false, message: `command "${cmd.join(' ')}" timed out`}
      return r.code === 0 ? {success: true} : {success: false, message: r.output.replace(/\n$/, '')}
    }
    const port = this.portOf(probe.httpGet?.port ?? probe.tcpSocket?.port ?? probe.grpc?.port)
    if (probe.httpGet) {
      const scheme = (probe.httpGet.scheme ?? 'HTTP').toLowerCase()
      const host = probe.httpGet.host ?? ip
      const path = probe.httpGet.path ?? '/'
      const url = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}${path.startsWith('/') ? path : '/' + path}`
      if (port === undefined) return {success: false, message: `unable to find port "${String(probe.httpGet.port)}"`}
      if (!this.listening(port, now))
        return {success: false, message: `Get "${url}": dial tcp ${host}:${port}: connect: connection refused`}
      const headers: Record<string, string> = {
        Host: `${host}:${port}`,
        'User-Agent': KUBE_PROBE_UA,
        Accept: '*/*',
        Connection: 'close',
      }
      for (const h of probe.httpGet.httpHeaders ?? []) headers[h.name] = h.value
      const res = this.http(port, {method: 'GET', path, host: headers.Host, headers, clientIP: this.nodeGatewayIP}, now)
      if (!res) return {success: false, message: `Get "${url}": EOF`}
      return res.status >= 200 && res.status < 400
        ? {success: true}
        : {success: false, message: `HTTP probe failed with statuscode: ${res.status}`}
    }
    if (probe.tcpSocket) {
      const host = probe.tcpSocket.host ?? ip
      if (port === undefined) return {success: false, message: `unable to find port "${String(probe.tcpSocket.port)}"`}
      return this.listening(port, now)
        ? {success: true}
        : {success: false, message: `dial tcp ${host}:${port}: connect: connection refused`}
    }
    if (probe.grpc) {
      if (port === undefined || !this.listening(port, now))
        return {
          success: false,
          message: `timeout: failed to connect service "${ip}:${port}" within ${probe.timeoutSeconds ?? 1}s: context deadline exceeded`,
        }
      const l = this.process!.proc.listeners.get(port)!
      if (l.protocol !== 'grpc')
        return {success: false, message: `timeout: health rpc did not complete within ${probe.timeoutSeconds ?? 1}s`}
      return l.grpcServing?.()
        ? {success: true}
        : {success: false, message: 'service unhealthy (responded with "NOT_SERVING")'}
    }
    return {success: true}
  }

  private portOf(p: number | string | undefined): number | undefined {
    if (typeof p === 'number') return p
    if (p === undefined) return undefined
    if (/^\d+$/.test(p)) return Number(p)
    return this.spec.ports?.find((cp) => cp.name === p)?.containerPort
  }
}

interface RunPair {
  current?: RuntimeContainer
  previous?: RuntimeContainer
}

/** SimRuntime is the Runtime createRuntime returns, with extras for the kubelet and the service proxy. */
export interface SimRuntime extends Runtime {
  /** index is the image catalog in use (built-ins plus extra images). */
  readonly index: ImageIndex
  /** instance returns a pod container's current (or previous) run, for exec, attach and the service proxy. */
  instance(podUid: string, container: string, previous?: boolean): RuntimeContainer | undefined
  start(req: StartRequest & {env?: Record<string, string>}): RuntimeContainer
}

/** createRuntime builds the simulated runtime. */
export function createRuntime(opts: RuntimeOptions): SimRuntime {
  const {clock, ids} = opts
  const realistic = opts.timing === 'realistic'
  const index = new ImageIndex([...CATALOG, ...(opts.extraImages ?? [])])
  // Per node: normalized reference (repo:tag or repo@digest) → image; the image's digest identifies it.
  const caches = new Map<string, Map<string, CatalogImage>>()
  // imagesOn's answer per node, until a pull changes the node's cache: every kubelet asks at every heartbeat.
  const imageLists = new Map<string, {names: string[]; sizeBytes: number}[]>()
  const runs = new Map<string, Map<string, RunPair>>()
  const hex = (n: number) => {
    let s = ''
    for (let i = 0; i < n; i++) s += Math.floor(ids.random() * 16).toString(16)
    return s
  }

  const cacheOf = (node: string) => {
    let c = caches.get(node)
    if (!c) caches.set(node, (c = new Map()))
    return c
  }
  const cacheKeys = (img: CatalogImage, ref: ImageReference) => [
    ref.ref,
    `${img.repository}@${img.digest}`,
    ...(ref.tag ? [`${img.repository}:${ref.tag}`] : []),
  ]
  const cached = (node: string, ref: ImageReference) =>
    caches.get(node)?.get(ref.digest ? `${ref.repository}@${ref.digest}` : ref.ref)

  const pairOf = (podUid: string, container: string, create: boolean): RunPair | undefined => {
    let pod = runs.get(podUid)
    if (!pod) {
      if (!create) return undefined
      runs.set(podUid, (pod = new Map()))
    }
    let pair = pod.get(container)
    if (!pair && create) pod.set(container, (pair = {}))
    return pair
  }

  const runtime: SimRuntime = {
    index,

    pull(node, image, policy, now) {
      void now
      const invalid = invalidImageNameMessage(image)
      if (invalid) return {ok: false, message: invalid}
      const ref = parseReference(image)
      const have = cached(node, ref)
      if (have && policy !== 'Always')
        return {ok: true, image: {...have, ref: ref.ref, tag: ref.tag ?? have.tag}, alreadyPresent: true, durationMs: 0}
      if (policy === 'Never')
        return {ok: false, message: `Container image "${image}" is not present with pull policy of Never`}
      const img = index.resolve(ref)
      if (!img) return {ok: false, message: pullErrorMessage(ref, index.hasRepository(ref.repository))}
      let durationMs = 0
      if (realistic) {
        // containerd checks the manifest (a few hundred ms) and downloads the layers it lacks.
        const jitter = 0.85 + ids.random() * 0.3
        durationMs = have
          ? Math.round((250 + 400 * ids.random()) * 1)
          : Math.round((800 + 2200 * Math.min(1, img.sizeBytes / 400e6)) * jitter)
      }
      const cache = cacheOf(node)
      for (const k of cacheKeys(img, ref)) {
        const had = cache.get(k)
        cache.set(k, img)
        // imagesOn reads the repository, digest and size: a pull again of the same image keeps its list.
        if (had?.digest !== img.digest || had.repository !== img.repository || had.sizeBytes !== img.sizeBytes)
          imageLists.delete(node)
      }
      const result: PullResult = {ok: true, image: img, alreadyPresent: false, durationMs}
      return result
    },

    hasImage(node, image) {
      try {
        return cached(node, parseReference(image)) !== undefined
      } catch {
        return false
      }
    },

    imagesOn(node) {
      const memo = imageLists.get(node)
      if (memo) return memo
      const byDigest = new Map<string, {names: Set<string>; sizeBytes: number}>()
      for (const [key, img] of caches.get(node) ?? []) {
        let e = byDigest.get(img.digest)
        if (!e)
          byDigest.set(
            img.digest,
            (e = {names: new Set([`${img.repository}@${img.digest}`]), sizeBytes: img.sizeBytes}),
          )
        if (!key.includes('@')) e.names.add(key)
      }
      const list = [...byDigest.values()]
        .sort((a, b) => b.sizeBytes - a.sizeBytes)
        .map((e) => ({names: [...e.names], sizeBytes: e.sizeBytes}))
      imageLists.set(node, list)
      return list
    },

    start(req) {
      const {pod, container: c, now} = req
      const img = req.image as CatalogImage
      const full = index.resolve(parseReference(img.ref)) ?? img
      const image: CatalogImage = {
        ...full,
        ...img,
        os: (img as Partial<CatalogImage>).os ?? full.os,
        version: (img as Partial<CatalogImage>).version ?? full.version ?? img.tag,
      }
      const profile = PROFILES[image.profile] ?? PROFILES.app
      const flavor = SHELL_OS[image.os] ?? undefined
      const hasShell = flavor !== undefined || profile.shell === true
      const id = `containerd://${hex(64)}`
      const podUid = pod.metadata?.uid ?? ''
      const podIP = pod.status?.podIP ?? '127.0.0.1'
      const gateway = podIP.replace(/\.\d+$/, '.1')
      const env = containerEnv(image, pod, c, req.env)
      const expand = (s: string) => expandK8sVars(s, env)
      const argv = c.command?.length
        ? [...c.command.map(expand), ...(c.args ?? []).map(expand)]
        : [...image.entrypoint, ...(c.args ? c.args.map(expand) : image.cmd)]
      const defaultExe = (image.entrypoint[0] ?? image.cmd[0] ?? '').split('/').pop()
      const lookup = (name: string): Program | undefined => {
        const p = programFor(profile, hasShell, name)
        if (p) return p
        if (profile.main && name.split('/').pop() === defaultExe) return profile.main
        return undefined
      }
      let limit: number | undefined
      const mem = c.resources?.limits?.memory
      if (mem !== undefined) {
        try {
          limit = parseQuantity(String(mem)).value()
        } catch {
          limit = undefined
        }
      }
      const mounts = (c.volumeMounts ?? []).map((m) => m.mountPath)
      const cwd = c.workingDir ?? image.workingDir ?? '/'
      const hostname = env.get('HOSTNAME') ?? ''
      // makeSpec and the process's closures live as long as the container: they read these values, never the pod
      // or container objects, which would keep the whole pod as it was at the start alive next to the informer's
      // newer copy (a second copy of every pod, measured at 2.3 KB a pod).
      const ns = pod.metadata?.namespace ?? 'default'
      const mountToken = pod.spec?.automountServiceAccountToken !== false
      const stdinOpen = c.stdin === true
      const ports = image.ports.length ? image.ports : (c.ports ?? []).map((p) => p.containerPort)
      // The file tree (a few files, the base directories) is made when a program first looks at it: most never do
      // (pause, most servers), and 100k containers each holding a copy cost about 1.2 KB a pod.
      const makeTree = (): FileTree => {
        const files = new Map<string, string>()
        const dirs = new Set(BASE_DIRS)
        const rel = osRelease(image)
        if (rel) files.set('/etc/os-release', rel)
        files.set('/etc/hostname', hostname + '\n')
        files.set(
          '/etc/hosts',
          `# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n${podIP}\t${hostname}\n`,
        )
        files.set(
          '/etc/resolv.conf',
          `search ${ns}.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n`,
        )
        if (mountToken) {
          addDir(dirs, '/var/run/secrets/kubernetes.io/serviceaccount')
          files.set('/var/run/secrets/kubernetes.io/serviceaccount/namespace', ns)
        }
        for (const [p, content] of Object.entries(profile.files?.(image.version) ?? {})) {
          files.set(p, content)
          addDir(dirs, p.slice(0, p.lastIndexOf('/')))
        }
        addDir(dirs, cwd)
        for (const m of mounts) addDir(dirs, m)
        return {files, dirs}
      }
      const makeSpec = (): ProcessSpec =>
        Object.assign(new LazyTree(makeTree), {
          argv,
          env,
          cwd,
          hostname,
          podIP,
          flavor,
          lookup,
          memoryLimit: limit,
          seed: Number.parseInt(id.slice(13, 21), 16),
          realistic,
          version: image.version,
          // A server listens where its image makes it listen; containerPort is only informational, except for
          // lab images that declare no port of their own.
          ports,
          mounts,
          behavior: image.behavior,
          startedAt: now,
          stdinOpen,
        })
      const pair = pairOf(podUid, c.name, true)!
      let inst: RuntimeContainer
      if (argv.length === 0 || !lookup(argv[0])) {
        inst = new RuntimeContainer(
          id,
          podUid,
          c.name,
          req.restartCount,
          now,
          image,
          c,
          podIP,
          gateway,
          clock,
          undefined,
        )
        inst.exit = {afterMs: 0, code: 128, reason: START_ERROR as ExitPlan['reason']}
        inst.message =
          argv.length === 0 ? `failed to generate container spec: no command specified` : startErrorMessage(argv[0])
      } else {
        // A dry run decides how and when the process ends; the live run below produces the same story lazily.
        const dry = new SimProcess(makeSpec())
        const done = dry.advance(Infinity, DRY_RUN_STEPS, false)
        inst = new RuntimeContainer(
          id,
          podUid,
          c.name,
          req.restartCount,
          now,
          image,
          c,
          podIP,
          gateway,
          clock,
          new SimProcess(makeSpec(), (line) => inst.push(line)),
        )
        if (done && dry.ended) {
          const e = dry.ended
          inst.exit = {
            afterMs: Math.ceil(e.atMs),
            code: e.code,
            reason: e.oom ? 'OOMKilled' : e.code === 0 ? 'Completed' : 'Error',
          }
        }
        inst.advanceTo(now)
      }
      if (pair.current) pair.previous = pair.current
      pair.current = inst
      return inst
    },

    end(inst, now, exitCode) {
      const r = inst as RuntimeContainer
      if (r.finishedAt !== undefined) return
      r.advanceTo(now)
      r.exit = {afterMs: Math.max(0, now - r.startedAt), code: exitCode, reason: exitCode === 0 ? 'Completed' : 'Error'}
    },

    kill(inst, now, exitCode) {
      const r = inst as RuntimeContainer
      if (r.finishedAt !== undefined && r.finishedAt <= now) return
      r.markKilled(now, exitCode ?? 137)
    },

    logs(podUid, container, opts2) {
      const pair = pairOf(podUid, container, false)
      const inst = opts2.previous ? pair?.previous : pair?.current
      if (!inst) return undefined
      inst.advanceTo(opts2.now)
      const lines = inst.lines
      let end = lines.length
      while (end > 0 && lines[end - 1].at > opts2.now) end--
      const start = Math.max(0, end - MAX_LOG_LINES)
      return lines.slice(start, end)
    },

    appendLog(podUid, container, line) {
      const inst = pairOf(podUid, container, false)?.current
      if (!inst) return
      inst.advanceTo(line.at)
      inst.push(line)
    },

    forgetPod(podUid) {
      runs.delete(podUid)
    },

    instance(podUid, container, previous) {
      const pair = pairOf(podUid, container, false)
      return previous ? pair?.previous : pair?.current
    },
  }
  return runtime
}
