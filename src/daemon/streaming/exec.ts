// exec.ts serves `pods/{name}/exec` and `pods/{name}/attach` over WebSocket upgrades with the channel protocol
// kubectl 1.30+ speaks (`v5.channel.k8s.io`, and v4): every message is binary, its first byte the channel — 0 stdin,
// 1 stdout, 2 stderr, 3 the final Status, 4 terminal size, 255 (v5) "stdin closed" — follows
// client-go/tools/remotecommand (websocket.go, v4.go, v5.go) and the kubelet's cri streaming server
// (kubelet/cri/streaming/remotecommand: exec.go, attach.go, websocket.go). The checks the API server makes before
// it proxies to the kubelet (registry/core/pod/strategy.go streamLocation) answer as plain HTTP errors, so kubectl
// falls back to SPDY, is refused again, and prints them. Commands run in the container's sandbox (sandbox/): nothing
// here starts a host process or touches a host file.
import {createHash} from 'node:crypto'
import type {IncomingMessage} from 'node:http'
import {STATUS_CODES} from 'node:http'
import type {Server} from 'node:https'
import type {Duplex} from 'node:stream'
import type {Container, Pod} from 'kubernetes-types/core/v1.js'
import {WebSocketServer, type WebSocket} from 'ws'
import {badRequest, notFound, type Status, type StatusError} from '../../api/errors.js'
import {upgradeAuth} from './index.js'
import {syncPodNow} from '../kubelet/index.js'
import type {RuntimeContainer} from '../runtime/runtime.js'
import type {ContainerSandbox, SandboxManager} from '../sandbox/index.js'

type SandboxModule = typeof import('../sandbox/index.js')
let sandboxModule: Promise<SandboxModule> | undefined

/** loadSandbox loads the exec sandbox, and with it just-bash (~26 MiB), at the first exec rather than at start. */
function loadSandbox(): Promise<SandboxModule> {
  return (sandboxModule ??= import('../sandbox/index.js'))
}
import type {StreamingDeps} from './index.js'

/** PROTOCOLS are the channel subprotocols served, best first. */
export const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io']

/** Channel numbers of the remotecommand protocol. */
export const CH = {stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255} as const

/** StreamRequest is a parsed exec/attach request. */
export interface StreamRequest {
  namespace: string
  pod: string
  kind: 'exec' | 'attach'
  command: string[]
  container: string
  stdin: boolean
  stdout: boolean
  stderr: boolean
  tty: boolean
}

const PATH_RE = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach)\/?$/

const flag = (v: string | null) => v === 'true' || v === '1' || v === 'True'

/** parseStreamRequest reads an exec/attach URL; undefined for other paths. */
export function parseStreamRequest(rawUrl: string): StreamRequest | undefined {
  const url = new URL(rawUrl, 'https://localhost')
  const m = PATH_RE.exec(url.pathname)
  if (!m) return undefined
  const p = url.searchParams
  return {
    namespace: decodeURIComponent(m[1]!),
    pod: decodeURIComponent(m[2]!),
    kind: m[3] as 'exec' | 'attach',
    command: p.getAll('command'),
    container: p.get('container') ?? '',
    stdin: flag(p.get('stdin')),
    stdout: flag(p.get('stdout')),
    stderr: flag(p.get('stderr')),
    tty: flag(p.get('tty')),
  }
}

/** successStatus is the channel-3 Status of a command that exited 0. */
export function successStatus(): string {
  return JSON.stringify({metadata: {}, status: 'Success'})
}

/** exitStatus is the channel-3 Status of a non-zero exit (kubelet ServeExec: reason NonZeroExitCode). */
export function exitStatus(argv: string[], code: number): string {
  return JSON.stringify({
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${argv.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: {causes: [{reason: 'ExitCode', message: String(code)}]},
  })
}

/** internalStatus is an InternalError Status (an exec that could not start). */
export function internalStatus(message: string): string {
  return JSON.stringify({
    metadata: {},
    status: 'Failure',
    message: `Internal error occurred: ${message}`,
    reason: 'InternalError',
    details: {causes: [{message}]},
    code: 500,
  })
}

function respond(socket: Duplex, code: number, body: string, contentType: string): void {
  const buf = Buffer.from(body)
  socket.end(
    `HTTP/1.1 ${code} ${STATUS_CODES[code] ?? ''}\r\nContent-Type: ${contentType}\r\nContent-Length: ${buf.length}\r\nConnection: close\r\n\r\n` +
      body,
  )
}

function respondStatus(socket: Duplex, err: StatusError): void {
  respond(socket, err.status.code, JSON.stringify(err.status satisfies Status), 'application/json')
}

/** Resolved is a request whose pod and container passed the API server's and kubelet's checks. */
interface Resolved {
  pod: Pod
  container: Container
  inst: RuntimeContainer
}

/**
 * resolveTarget makes the API server's checks (pod exists, container named or the only one, pod has a node) and
 * the kubelet's (the container runs), returning an error response or the target.
 */
export function resolveTarget(
  deps: StreamingDeps,
  r: StreamRequest,
): {ok: true; target: Resolved} | {ok: false; status?: StatusError; text?: string; code?: number} {
  const {cluster} = deps
  const res = cluster.resources().lookup('', 'v1', 'pods')!
  const pod = cluster.registry.tryGet(res, r.namespace, r.pod) as Pod | undefined
  if (!pod) return {ok: false, status: notFound({group: '', plural: 'pods'}, r.pod)}
  const containers = pod.spec?.containers ?? []
  const inits = pod.spec?.initContainers ?? []
  const ephemeral = (pod.spec?.ephemeralContainers ?? []) as Container[]
  let name = r.container
  if (!name) {
    if (containers.length === 1) name = containers[0]!.name
    else if (containers.length === 0)
      return {ok: false, status: badRequest(`a container name must be specified for pod ${r.pod}`)}
    else {
      let msg = `a container name must be specified for pod ${r.pod}, choose one of: [${containers.map((c) => c.name).join(' ')}]`
      if (inits.length > 0) msg += ` or one of the init containers: [${inits.map((c) => c.name).join(' ')}]`
      return {ok: false, status: badRequest(msg)}
    }
  }
  const container = [...containers, ...inits, ...ephemeral].find((c) => c.name === name)
  if (!container) return {ok: false, status: badRequest(`container ${name} is not valid for pod ${r.pod}`)}
  if (!pod.spec?.nodeName) return {ok: false, status: badRequest(`pod ${r.pod} does not have a host assigned`)}
  const inst = cluster.runtime.instance(pod.metadata?.uid ?? '', name)
  if (!inst || !inst.running(cluster.clock.now()))
    return {ok: false, text: `container not found ("${name}")`, code: 404}
  return {ok: true, target: {pod, container, inst}}
}

/** Stream is one upgraded connection: channel framing over a WebSocket. */
class Stream {
  private done = false
  private stdinChunks: Buffer[] = []
  private stdinClosed = false
  private onStdin?: (data: Buffer) => void
  private onStdinEnd?: () => void
  readonly abort = new AbortController()

  constructor(
    private readonly ws: WebSocket,
    private readonly v5: boolean,
    readonly req: StreamRequest,
  ) {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const buf = isBinary ? data : Buffer.from(data)
      if (buf.length === 0) return
      const ch = buf[0]
      const payload = buf.subarray(1)
      if (ch === CH.stdin) {
        if (this.onStdin) this.onStdin(payload)
        else this.stdinChunks.push(payload)
      } else if (ch === CH.close && payload[0] === CH.stdin) this.endStdin()
      // Resize (4) is accepted and ignored: the simulated shell does not lay text out by width.
    })
    ws.on('close', () => {
      this.endStdin()
      this.abort.abort()
      this.done = true
    })
    ws.on('error', () => {})
  }

  private endStdin(): void {
    if (this.stdinClosed) return
    this.stdinClosed = true
    this.onStdinEnd?.()
  }

  /** readStdin hands stdin to a consumer as it arrives (buffered data first). */
  readStdin(onData: (data: Buffer) => void, onEnd: () => void): void {
    this.onStdin = onData
    this.onStdinEnd = onEnd
    for (const c of this.stdinChunks.splice(0)) onData(c)
    if (this.stdinClosed || !this.req.stdin) onEnd()
  }

  /** allStdin resolves with the whole of stdin once the client closed it (empty when stdin was not asked for). */
  allStdin(): Promise<string> {
    return new Promise((resolve) => {
      const chunks: Buffer[] = []
      this.readStdin(
        (d) => chunks.push(d),
        () => resolve(Buffer.concat(chunks).toString('utf8')),
      )
    })
  }

  send(ch: number, data: string | Buffer): void {
    if (this.done || data.length === 0) return
    if (ch === CH.stdout && !this.req.stdout) return
    if (ch === CH.stderr && !this.req.stderr) return
    this.ws.send(Buffer.concat([Buffer.from([ch]), Buffer.from(data)]))
  }

  /** out writes program output: with a TTY, stderr goes to stdout and newlines become CRLF, as a pty does. */
  out(stdout: string, stderr: string): void {
    if (this.req.tty) {
      this.send(CH.stdout, (stdout + stderr).replace(/\r?\n/g, '\r\n'))
      return
    }
    this.send(CH.stdout, stdout)
    this.send(CH.stderr, stderr)
  }

  /** finish sends the final Status on channel 3 and closes with 1000. */
  finish(status: string): void {
    if (this.done) return
    this.send(CH.error, status)
    this.done = true
    this.ws.close(1000)
  }

  get closed(): boolean {
    return this.done
  }
  get isV5(): boolean {
    return this.v5
  }
}

/** attachUpgrades listens for the server's upgrade requests to exec and attach. */
export function attachUpgrades(server: Server, deps: StreamingDeps): void {
  let managers: Promise<SandboxManager> | undefined
  const boxes = () => (managers ??= loadSandbox().then((m) => new m.SandboxManager(deps.cluster)))
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => PROTOCOLS.find((p) => protocols.has(p)) ?? false,
  })
  let execs = 0
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const r = parseStreamRequest(req.url ?? '/')
    if (!r) return
    socket.on('error', () => {})
    const who = upgradeAuth(req, deps)
    if (who.error) return respondStatus(socket, who.error)
    const target = resolveTarget(deps, r)
    if (!target.ok) {
      if (target.status) return respondStatus(socket, target.status)
      return respond(socket, target.code ?? 400, target.text ?? '', 'text/plain; charset=utf-8')
    }
    const isWs = (req.headers.upgrade ?? '').toLowerCase() === 'websocket'
    const offered = String(req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((s) => s.trim())
    if (!isWs || !PROTOCOLS.some((p) => offered.includes(p)))
      return respondStatus(
        socket,
        badRequest(
          `unable to upgrade: this cluster serves ${r.kind} over WebSocket (${PROTOCOLS.join(', ')}) only; SPDY is not supported`,
        ),
      )
    if (r.kind === 'exec' && r.command.length === 0)
      return respondStatus(socket, badRequest('you must specify at least 1 command'))
    wss.handleUpgrade(req, socket, head, (ws) => {
      const stream = new Stream(ws, ws.protocol === PROTOCOLS[0], r)
      const id = createHash('sha256').update(`${target.target.inst.id}/${++execs}`).digest('hex')
      const run = boxes().then((b) =>
        r.kind === 'exec' ? runExec(b, stream, target.target, id) : runAttach(deps, b, stream, target.target),
      )
      run
        .catch((e: unknown) => stream.finish(internalStatus(e instanceof Error ? e.message : String(e))))
        .finally(
          () =>
            void boxes()
              .then((b) => b.persist())
              .catch(() => undefined),
        )
    })
  })
}

/** isInteractiveShell says whether argv starts a shell reading commands from stdin (`sh`, `bash -i`, `sh -l`). */
function isInteractiveShell(sb: ContainerSandbox, argv: string[]): boolean {
  if (!sb.isShell(argv[0] ?? '')) return false
  return argv.slice(1).every((a) => /^-[ilsx]+$/.test(a) || a === '--login')
}

async function runExec(boxes: SandboxManager, s: Stream, t: Resolved, id: string): Promise<void> {
  const sb = await boxes.sandbox(t.pod, t.container.name, t.inst)
  const argv = s.req.command
  if (!sb.exists(argv[0] ?? '')) {
    const exe = argv[0] ?? ''
    const why = exe.includes('/')
      ? `exec: "${exe}": stat ${exe}: no such file or directory`
      : `exec: "${exe}": executable file not found in $PATH`
    s.finish(
      internalStatus(
        `error executing command in container: failed to exec in container: failed to start exec "${id}": OCI runtime exec failed: exec failed: unable to start container process: ${why}: unknown`,
      ),
    )
    return
  }
  if (isInteractiveShell(sb, argv) && s.req.stdin) return runSession(s, sb, argv[0]!, true, argv)
  let stdin = ''
  if (s.req.stdin) stdin = s.req.tty ? await ttyInput(s) : await s.allStdin()
  if (s.closed) return
  const r = await sb.run(argv, {stdin, tty: s.req.tty, signal: s.abort.signal, env: s.req.tty ? {TERM: 'xterm'} : {}})
  s.out(r.stdout, r.stderr)
  s.finish(r.exitCode === 0 ? successStatus() : exitStatus(argv, r.exitCode))
}

/** ttyInput reads a terminal's input up to Ctrl-D, echoing it as the line discipline would. */
function ttyInput(s: Stream): Promise<string> {
  return new Promise((resolve) => {
    let text = ''
    let ended = false
    const end = () => {
      if (ended) return
      ended = true
      resolve(text)
    }
    s.readStdin((d) => {
      for (const ch of d.toString('utf8')) {
        if (ended) return
        if (ch === '\x04') return end()
        if (ch === '\x03') {
          s.out('^C\n', '')
          s.finish(exitStatus(s.req.command, 130))
          return end()
        }
        const c = ch === '\r' ? '\n' : ch
        text += c
        s.out(c, '')
      }
    }, end)
  })
}

async function runSession(
  s: Stream,
  sb: ContainerSandbox,
  shell: string,
  prompt: boolean,
  argv: string[],
  onExit?: (code: number) => void,
): Promise<void> {
  const {ShellSession} = await loadSandbox()
  return new Promise((resolve) => {
    const session = new ShellSession(
      sb,
      {
        write: (text) => s.send(CH.stdout, text),
        exit: (code) => {
          // An attach ends cleanly when the container's process ends, whatever its code (the CRI attach returns
          // no error): kubectl then reads the code from the pod's status. An exec reports it.
          onExit?.(code)
          s.finish(code === 0 || onExit ? successStatus() : exitStatus(argv, code))
          resolve()
        },
      },
      {tty: s.req.tty, shell},
    )
    if (prompt) session.start()
    s.readStdin(
      (d) => session.input(d.toString('utf8')),
      () => session.eof(),
    )
  })
}

/** endRun ends an attached shell's container run with code and has its kubelet notice at once. */
function endRun(deps: StreamingDeps, t: Resolved, code: number): void {
  const {cluster} = deps
  cluster.runtime.end(t.inst, cluster.clock.now(), code)
  const node = t.pod.spec?.nodeName
  const key = `${t.pod.metadata?.namespace ?? 'default'}/${t.pod.metadata?.name ?? ''}`
  if (node) syncPodNow(cluster.manager.context(), node, key)
}

/** ATTACH_POLL_MS is how often attach looks for new output of the container (wall-clock). */
export const ATTACH_POLL_MS = 200

async function runAttach(deps: StreamingDeps, boxes: SandboxManager, s: Stream, t: Resolved): Promise<void> {
  const {cluster} = deps
  const argv = t.inst.process?.spec.argv ?? []
  const sb = await boxes.sandbox(t.pod, t.container.name, t.inst)
  // A shell as the container's process with stdin open (`kubectl run -it ... -- sh`): attach talks to it.
  // Leaving the shell ends the container's process with the shell's exit code, as the real shell would end.
  if (t.container.stdin && s.req.stdin && isInteractiveShell(sb, argv))
    return runSession(s, sb, argv[0]!, false, argv, (code) => endRun(deps, t, code))
  const uid = t.pod.metadata?.uid ?? ''
  let seen = (cluster.runtime.logs(uid, t.container.name, {now: cluster.clock.now()}) ?? []).length
  // stdin to a process that does not read it is dropped, as a closed pipe would.
  s.readStdin(
    () => {},
    () => {},
  )
  await new Promise<void>((resolve) => {
    const tick = () => {
      if (s.closed) return resolve()
      const now = cluster.clock.now()
      const lines = cluster.runtime.logs(uid, t.container.name, {now}) ?? []
      if (lines.length < seen) seen = 0
      for (const l of lines.slice(seen))
        s.out(l.stream === 'stdout' ? l.text + '\n' : '', l.stream === 'stderr' ? l.text + '\n' : '')
      seen = lines.length
      if (!t.inst.running(now)) {
        s.finish(successStatus())
        return resolve()
      }
      setTimeout(tick, ATTACH_POLL_MS).unref()
    }
    tick()
  })
}
