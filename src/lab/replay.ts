// replay.ts runs mkctl commands in-process against a fresh in-process cluster: the daemon library (startDaemon on
// ':memory:' with a FakeClock, the session's seed, port 0, fast timing) and mkctl's own oclif command table
// (commands-index.ts) with buffered IOStreams and a private kubeconfig. No process is spawned and no profile is
// started: MKCTL_AUTOSTART=0 and a temporary MKCTL_HOME hold for the duration of each command.
//
// Virtual time. The cluster settles after every command. A command that waits on the cluster (delete waiting for a
// pod's grace period, rollout status, wait) would wait forever on a frozen clock, so while a command runs the
// clock is moved to its next timer when, and only when, the command is demonstrably blocked: the controllers are
// idle, a watch of the command is open, and no other request has been in flight for QUIET_MS of real time. The
// in-flight requests are observed through node:diagnostics_channel (http.server.request.start), by port.
import dc from 'node:diagnostics_channel'
import type {IncomingMessage, ServerResponse} from 'node:http'
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

const QUIET_MS = 100

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
function kubeconfigText(name: string, server: string, caCert: string, token: string): string {
  const ca = Buffer.from(caCert).toString('base64')
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${name}`,
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${ca}`,
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

/** Inflight counts the open requests of one daemon, watches apart. */
class Inflight {
  private open = new Map<IncomingMessage, boolean>()
  lastChange = Date.now()
  private readonly onStart = (m: unknown) => {
    const {request, response} = m as {request: IncomingMessage; response: ServerResponse}
    if (request.socket?.localPort !== this.port) return
    const url = request.url ?? ''
    const watch = /[?&]watch=(true|1)\b/.test(url) || url.includes('/watch/') || /[?&]follow=true\b/.test(url)
    this.open.set(request, watch)
    this.lastChange = Date.now()
    const done = () => {
      if (this.open.delete(request)) this.lastChange = Date.now()
    }
    response.once('finish', done)
    response.once('close', done)
  }

  constructor(private readonly port: number) {
    dc.subscribe('http.server.request.start', this.onStart)
  }

  /** blocked: a watch is open and nothing else has been in flight for QUIET_MS. */
  blocked(): boolean {
    let watches = 0
    for (const w of this.open.values()) {
      if (!w) return false
      watches++
    }
    return watches > 0 && Date.now() - this.lastChange >= QUIET_MS
  }

  close() {
    dc.unsubscribe('http.server.request.start', this.onStart)
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
  const home = mkdtempSync(join(tmpdir(), 'mkctl-lab-'))
  const kubeconfig = join(home, 'kubeconfig')
  writeFileSync(kubeconfig, kubeconfigText('mkctl-lab', daemon.url, daemon.caCert, daemon.token), {mode: 0o600})
  const env = {KUBECONFIG: kubeconfig, MKCTL_HOME: home, MKCTL_AUTOSTART: '0'}
  writeReplayProfile(home, daemon)
  const inflight = new Inflight(daemon.port)
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
          await Promise.race([p, new Promise((r) => setTimeout(r, 10))])
          if (finished) break
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
        }
        return p
      })
      await settle()
      return {code, stdout: io.outText(), stderr: io.errText()}
    },
    async stop() {
      inflight.close()
      await daemon.stop()
      rmSync(home, {recursive: true, force: true})
    },
  }
}
