// replay.ts runs mkctl commands in-process against a fresh in-process cluster: the daemon library (startDaemon on
// ':memory:' with a FakeClock, the session's seed, port 0, fast timing) and mkctl's own oclif command table
// (commands-index.ts) with buffered IOStreams and a private kubeconfig. No process is spawned and no profile is
// started: MKCTL_AUTOSTART=0 and a temporary MKCTL_HOME hold for the duration of each command.
//
// The in-process mkctl reaches the cluster over plain HTTP: a private listener on 127.0.0.1 that the daemon serves
// with its own handler (Daemon.serve), that accepts connections from this process only, and that adds the cluster's
// token to every request (mkctl, as client-go, sends a token only over TLS). TLS handshakes and a new CA context per command cost more than some commands; the
// daemon's HTTPS listener stays for `mkctl cluster ...` commands, which reach it through the replay profile.
//
// Virtual time. The cluster settles after every command. A command that waits on the cluster (delete waiting for a
// pod's grace period, rollout status, wait) would wait forever on a frozen clock, so while a command runs the
// clock is moved to its next timer when, and only when, the command is demonstrably blocked: the controllers are
// idle, a watch of the command is open, no other request is in flight, and nothing happened on the HTTP client or
// server side for QUIET_TURNS turns of the event loop. Client and server share this thread, so a command between two
// requests shows: its next request starts (http.client.request.start) before a turn passes without it. Counting
// turns instead of waiting for real time (100 ms per wait before) costs no idle time, and a loaded machine does not
// change the count. Requests are observed through node:diagnostics_channel (the server's by port).
import dc from 'node:diagnostics_channel'
import http, {type IncomingMessage, type ServerResponse} from 'node:http'
import type {AddressInfo, Socket} from 'node:net'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {Config, type Command} from '@oclif/core'
import {prepass} from '../cli/argv.js'
import {commandIds, loadOptions} from '../cli/bundle-entry.js'
import {COMMANDS} from '../cli/commands-index.js'
import {apiRequest} from '../cli/cluster/profiles.js'
import {bufferedIOStreams, type IOStreams} from '../cli/io.js'
import {FakeClock} from '../daemon/clock.js'
import {startDaemon, type Daemon} from '../daemon/main.js'
import type {TLSMaterial} from '../daemon/tls.js'

/** CommandResult is what one replayed command printed and returned. */
export interface CommandResult {
  code: number
  stdout: string
  stderr: string
}

/** ReplayOptions configure a replay cluster. */
export interface ReplayOptions {
  seed: number
  /** commandTimeoutMs is the real time a command may take before it is abandoned (default 60 s). */
  commandTimeoutMs?: number
  /** maxAdvanceMs caps the virtual time one command may let pass while it waits (default 1 h). */
  maxAdvanceMs?: number
}

/** Replayer is a fresh cluster plus an in-process mkctl pointed at it. */
export interface Replayer {
  daemon: Daemon
  clock: FakeClock
  /** home is the replay's private temporary folder (kubeconfig, caches, recorded files). */
  home: string
  /** run runs one mkctl command (argv without the `mkctl`/`kubectl` word) and settles the cluster. */
  run(argv: string[], stdin?: string): Promise<CommandResult>
  /** admin sends one request to the cluster's /mkctl/v1 endpoints (path after /mkctl/v1) and settles. */
  admin(method: string, path: string, body?: unknown): Promise<any>
  settle(): Promise<void>
  /** advance lets ms of virtual time pass (timers fire in order) and settles. */
  advance(ms: number): Promise<void>
  stop(): Promise<void>
}

/** QUIET_TURNS is how many event-loop turns without HTTP activity make an open watch a blocked command. */
const QUIET_TURNS = 8

let config: Promise<Config> | undefined

/** oclifConfig loads oclif's Config once per thread, without command discovery (the table is used directly). */
function oclifConfig(): Promise<Config> {
  config ??= (async () => {
    const opts = loadOptions() as {pjson?: {oclif?: {commands?: unknown}}}
    const pjson = structuredClone(opts.pjson)
    if (pjson?.oclif) delete pjson.oclif.commands
    return Config.load({...opts, pjson} as Parameters<typeof Config.load>[0])
  })()
  return config
}

/** kubeconfigText is a kubeconfig with one cluster/context/user named name. */
function kubeconfigText(name: string, server: string, caCert: string | undefined, token: string): string {
  const ca = caCert === undefined ? undefined : Buffer.from(caCert).toString('base64')
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${name}`,
    '  cluster:',
    `    server: ${server}`,
    ...(ca === undefined ? [] : [`    certificate-authority-data: ${ca}`]),
    'contexts:',
    `- name: ${name}`,
    '  context:',
    `    cluster: ${name}`,
    `    user: ${name}`,
    '    namespace: default',
    `current-context: ${name}`,
    'preferences: {}',
    'users:',
    `- name: ${name}`,
    '  user:',
    `    token: ${token}`,
    '',
  ].join('\n')
}

/** CLIENT_CHANNELS mark the in-process mkctl's own HTTP activity: a request made, a response read to its end. */
const CLIENT_CHANNELS = ['http.client.request.start', 'http.client.response.finish']

/** Inflight counts the open requests of one daemon, watches apart, and the turns without HTTP activity. */
class Inflight {
  private open = new Map<IncomingMessage, boolean>()
  private changes = 0
  private seen = -1
  private quiet = 0
  private readonly onClient = () => {
    this.changes++
  }
  private readonly onStart = (m: unknown) => {
    const {request, response} = m as {request: IncomingMessage; response: ServerResponse}
    if (!this.ports.includes(request.socket?.localPort ?? -1)) return
    const url = request.url ?? ''
    const watch = /[?&]watch=(true|1)\b/.test(url) || url.includes('/watch/') || /[?&]follow=true\b/.test(url)
    this.open.set(request, watch)
    this.changes++
    const done = () => {
      if (this.open.delete(request)) this.changes++
    }
    response.once('finish', done)
    response.once('close', done)
  }

  constructor(private readonly ports: number[]) {
    dc.subscribe('http.server.request.start', this.onStart)
    for (const c of CLIENT_CHANNELS) dc.subscribe(c, this.onClient)
  }

  /** turn is called once per event-loop turn of a running command: it counts the turns without HTTP activity. */
  turn(): void {
    if (this.changes === this.seen) this.quiet++
    else {
      this.seen = this.changes
      this.quiet = 0
    }
  }

  /** touch counts as activity (a clock advance: the command must see its watch events first). */
  touch(): void {
    this.changes++
  }

  /** blocked: a watch is open, nothing else is, and QUIET_TURNS turns passed without HTTP activity. */
  blocked(): boolean {
    let watches = 0
    for (const w of this.open.values()) {
      if (!w) return false
      watches++
    }
    return watches > 0 && this.quiet >= QUIET_TURNS
  }

  close() {
    dc.unsubscribe('http.server.request.start', this.onStart)
    for (const c of CLIENT_CHANNELS) dc.unsubscribe(c, this.onClient)
  }
}

/** withEnv sets environment variables while fn runs and restores them after. */
async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved: Record<string, string | undefined> = {}
  for (const [k, v] of Object.entries(vars)) {
    saved[k] = process.env[k]
    process.env[k] = v
  }
  try {
    return await fn()
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  }
}

let ids: string[] | undefined

/** runInProcess runs one mkctl command line through oclif with the given streams; returns its exit code. */
export async function runInProcess(argv: string[], io: IOStreams): Promise<number> {
  // `-h`/`--help` print oclif help on the process's stdout: not part of a replay, and harmless to skip.
  if (argv.includes('-h') || argv.includes('--help')) return 0
  ids ??= commandIds()
  const pre = prepass(argv, ids)
  if (pre.error) {
    io.errOut.write(pre.error.message)
    return pre.error.exitCode
  }
  if (!pre.id) {
    if (pre.topic) return 0
    io.errOut.write(`error: unknown command "${argv[0] ?? ''}" for "mkctl"\n`)
    return 1
  }
  const Cls = COMMANDS[pre.id] as unknown as new (argv: string[], config: Config) => Command
  const words = pre.id.split(':').length
  const cfg = await oclifConfig()
  // A subclass hands the command our streams: MkctlCommand reads this.io everywhere (its Factory included).
  const Replay = class extends (Cls as any) {
    constructor(a: string[], c: Config) {
      super(a, c)
      ;(this as any).io = io
    }
  }
  ;(Replay as any).id = pre.id
  const saved = process.exitCode
  process.exitCode = 0
  try {
    const cmd = new Replay(pre.argv.slice(words), cfg) as unknown as {_run(): Promise<unknown>}
    await cmd._run()
    return Number(process.exitCode ?? 0)
  } catch (e) {
    // Errors escaping the command's own catch (oclif's exit()) end the command like a process exit would.
    const code = (e as {oclif?: {exit?: number}}).oclif?.exit
    if (code === undefined) io.errOut.write(`error: ${(e as Error).message}\n`)
    return code ?? 1
  } finally {
    process.exitCode = saved
  }
}

/**
 * writeReplayProfile makes the replay's in-process daemon look like the running default profile `mkctl`, so that
 * `mkctl cluster addons enable ingress`, `cluster time advance` or `cluster service --url` in a session reach it.
 */
function writeReplayProfile(home: string, daemon: Daemon): void {
  const dir = join(home, 'profiles', 'mkctl')
  mkdirSync(dir, {recursive: true, mode: 0o700})
  const cfg = {name: 'mkctl', nodes: 1, cpus: 2, memoryMiB: 4096, timing: 'fast'}
  writeFileSync(join(dir, 'config.json'), JSON.stringify(cfg) + '\n', {mode: 0o600})
  writeFileSync(join(dir, 'ca.crt'), daemon.caCert, {mode: 0o600})
  writeFileSync(join(dir, 'token'), daemon.token + '\n', {mode: 0o600})
  const info = {pid: process.pid, url: daemon.url, port: daemon.port, startedAt: new Date(0).toISOString()}
  writeFileSync(join(dir, 'daemon.json'), JSON.stringify(info) + '\n', {mode: 0o600})
}

/** REFUSED_CLUSTER are the cluster commands a replay cannot run: they would start, stop or hold the grader itself. */
const REFUSED_CLUSTER = new Set(['start', 'stop', 'delete', 'logs', 'tunnel', 'dashboard'])

/** refusedInReplay says why a command cannot be replayed, or undefined. */
export function refusedInReplay(argv: string[]): string | undefined {
  const words = argv.filter((a) => !a.startsWith('-'))
  if (words[0] === 'cluster' && REFUSED_CLUSTER.has(words[1] ?? ''))
    return `mkctl cluster ${words[1]} is not available when a session is replayed`
  return undefined
}

let tls: Promise<TLSMaterial> | undefined

/**
 * replayTLS is one serving certificate per thread for every replay cluster: making a key pair per session cost more
 * than some sessions' commands, and nothing graded depends on it.
 */
function replayTLS(): Promise<TLSMaterial> {
  tls ??= import('../daemon/tls.js').then((m) => m.generateTLS())
  return tls
}

/** ownSockets are this process's live client sockets (node:net's `net.client.socket` channel). */
const ownSockets = new Set<Socket>()
let watchingSockets = false

function watchOwnSockets(): void {
  if (watchingSockets) return
  watchingSockets = true
  dc.subscribe('net.client.socket', (msg) => {
    const socket = (msg as {socket: Socket}).socket
    ownSockets.add(socket)
    socket.once('close', () => ownSockets.delete(socket))
  })
}

/**
 * plainListener serves the daemon's API over plain HTTP on 127.0.0.1 for the replay's in-process mkctl, with the
 * cluster's token put on every request and upgrade (exec, attach, port-forward) that came without credentials.
 * Because that stands in for the token, it accepts only connections that this very process opened (the peer's
 * port is the local port of one of its own client sockets): another local process gets its connection closed,
 * as it would get a 401 from the token-checking HTTPS listener.
 */
async function plainListener(daemon: Daemon): Promise<http.Server> {
  watchOwnSockets()
  const bearer = `Bearer ${daemon.token}`
  const server = http.createServer()
  server.on('connection', (s: Socket) => {
    // The client side has not seen its connect yet (no remotePort): its bound local port is the one to match.
    const ours = [...ownSockets].some((c) => c.localPort === s.remotePort)
    if (!ours) s.destroy()
  })
  const authorize = (req: IncomingMessage) => {
    req.headers.authorization ??= bearer
  }
  // Registered first, these run before the daemon's request and upgrade listeners.
  server.on('request', authorize)
  server.on('upgrade', authorize)
  daemon.serve(server)
  server.keepAliveTimeout = 65_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  return server
}

/** startReplayer starts a fresh cluster for one session. */
export async function startReplayer(opts: ReplayOptions): Promise<Replayer> {
  const clock = new FakeClock()
  const daemon = await startDaemon({
    dbPath: ':memory:',
    clock,
    seed: opts.seed,
    port: 0,
    timing: 'fast',
    tls: await replayTLS(),
  })
  const plain = await plainListener(daemon)
  const plainPort = (plain.address() as AddressInfo).port
  const home = mkdtempSync(join(tmpdir(), 'mkctl-lab-'))
  const kubeconfig = join(home, 'kubeconfig')
  const server = `http://127.0.0.1:${plainPort}`
  writeFileSync(kubeconfig, kubeconfigText('mkctl-lab', server, undefined, daemon.token), {mode: 0o600})
  const env = {KUBECONFIG: kubeconfig, MKCTL_HOME: home, MKCTL_AUTOSTART: '0'}
  writeReplayProfile(home, daemon)
  const inflight = new Inflight([daemon.port, plainPort])
  const manager = daemon.cluster.manager
  const settle = () => manager.settle()
  await settle()
  const timeoutMs = opts.commandTimeoutMs ?? 60_000
  const maxAdvanceMs = opts.maxAdvanceMs ?? 3_600_000

  return {
    daemon,
    clock,
    home,
    settle,
    async advance(ms) {
      await daemon.cluster.advance(ms)
    },
    async admin(method, path, body) {
      const res = await apiRequest(daemon.url, method, `/mkctl/v1${path}`, daemon.token, daemon.caCert, body, timeoutMs)
      await settle()
      if (res.status !== 200) throw new Error(res.body?.message ?? `the cluster answered ${res.status}`)
      return res.body
    },
    async run(argv, stdin = '') {
      const io = bufferedIOStreams(stdin)
      const refused = refusedInReplay(argv)
      if (refused) return {code: 1, stdout: '', stderr: `error: ${refused}\n`}
      const code = await withEnv(env, async () => {
        let finished = false
        const p = runInProcess(argv, io).finally(() => (finished = true))
        const started = Date.now()
        let advanced = 0
        while (!finished) {
          await Promise.race([p, new Promise((r) => setTimeout(r, 1))])
          if (finished) break
          inflight.turn()
          if (Date.now() - started > timeoutMs) {
            io.errOut.write(`error: the command did not finish within ${timeoutMs / 1000}s and was abandoned\n`)
            return 124
          }
          if (manager.busy || !inflight.blocked()) continue
          const next = clock.nextTimerAt()
          if (next === undefined || advanced >= maxAdvanceMs) continue
          const step = Math.min(Math.max(0, next - clock.now()), maxAdvanceMs - advanced)
          advanced += step
          await manager.advance(step)
          // What the advance sent on the watch must reach the command before time may move on again.
          inflight.touch()
        }
        return p
      })
      await settle()
      return {code, stdout: io.outText(), stderr: io.errText()}
    },
    async stop() {
      inflight.close()
      await new Promise<void>((resolve) => {
        plain.close(() => resolve())
        plain.closeAllConnections()
      })
      await daemon.stop()
      rmSync(home, {recursive: true, force: true})
    },
  }
}
