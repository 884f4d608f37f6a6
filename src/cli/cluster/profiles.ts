// profiles.ts manages local clusters ("profiles", minikube's word): their folders under $MKCTL_HOME/profiles,
// starting the daemon detached and waiting until the API answers and every node is Ready, stopping it, and the
// kubeconfig entries that point at it (DESIGN §2). The daemon is a separate program (bin/mkctld.js): the CLI
// never imports it, it only spawns it and talks HTTPS to it.
import {spawn} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync, closeSync} from 'node:fs'
import https from 'node:https'
import {dirname, join} from 'node:path'
import {mkctlHome, updateKubeconfigFile, type KubeConfig} from '../client/kubeconfig.js'

/** DEFAULT_PROFILE is the profile used when none is named. */
export const DEFAULT_PROFILE = 'mkctl'

/** ProfileConfig is profiles/<name>/config.json, written by `cluster start` and read by the daemon. */
export interface ProfileConfig {
  name: string
  nodes: number
  cpus: number
  memoryMiB: number
  timing: 'realistic' | 'fast'
  seed?: number
  port?: number
  /** lastPort is the port the daemon last listened on; reused when free, so kubeconfigs stay valid. */
  lastPort?: number
}

/** DaemonInfo is profiles/<name>/daemon.json, written by a running daemon. */
export interface DaemonInfo {
  pid: number
  url: string
  port: number
  startedAt: string
}

/** profilesDir is $MKCTL_HOME/profiles. */
export function profilesDir(env = process.env): string {
  return join(mkctlHome(env), 'profiles')
}

/** profileDir is the folder of one profile. */
export function profileDir(name: string, env = process.env): string {
  return join(profilesDir(env), name)
}

/** validateProfileName refuses names that cannot be a folder, a node name and a kubeconfig context. */
export function validateProfileName(name: string): void {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 40) {
    throw new Error(`invalid profile name "${name}": use lower-case letters, digits and '-' (at most 40 characters)`)
  }
}

/** readProfileConfig reads a profile's config, or undefined when the profile does not exist. */
export function readProfileConfig(name: string, env = process.env): ProfileConfig | undefined {
  const f = join(profileDir(name, env), 'config.json')
  if (!existsSync(f)) return undefined
  return JSON.parse(readFileSync(f, 'utf8')) as ProfileConfig
}

/** writeProfileConfig writes a profile's config (creating its folder, mode 0700). */
export function writeProfileConfig(cfg: ProfileConfig, env = process.env): void {
  const dir = profileDir(cfg.name, env)
  mkdirSync(dir, {recursive: true, mode: 0o700})
  writeFileSync(join(dir, 'config.json'), JSON.stringify(cfg, null, 2) + '\n', {mode: 0o600})
}

/** listProfiles names every profile that has a config. */
export function listProfiles(env = process.env): string[] {
  const dir = profilesDir(env)
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((n) => existsSync(join(dir, n, 'config.json')))
    .sort()
}

/**
 * pidAlive tells whether a process runs. A detached daemon that exited stays a zombie until its new parent (often
 * a container's PID 1) reaps it, which can take seconds, and kill(pid, 0) still succeeds on a zombie; so on Linux
 * the state in /proc/<pid>/stat counts too ("Z" and "X" are gone).
 */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)
    return state !== 'Z' && state !== 'X'
  } catch (e) {
    // No /proc (macOS): trust kill(); the process may also have gone since.
    return !(existsSync('/proc/self/stat') && (e as NodeJS.ErrnoException).code === 'ENOENT')
  }
}

/** daemonInfo returns the running daemon of a profile, or undefined when none runs. */
export function daemonInfo(name: string, env = process.env): DaemonInfo | undefined {
  const f = join(profileDir(name, env), 'daemon.json')
  if (!existsSync(f)) return undefined
  try {
    const info = JSON.parse(readFileSync(f, 'utf8')) as DaemonInfo
    return pidAlive(info.pid) ? info : undefined
  } catch {
    return undefined
  }
}

/** profileToken returns the profile's bearer token, making it (mode 0600) on first use. */
export function profileToken(name: string, env = process.env): string {
  const f = join(profileDir(name, env), 'token')
  if (existsSync(f)) return readFileSync(f, 'utf8').trim()
  mkdirSync(dirname(f), {recursive: true, mode: 0o700})
  const token = randomBytes(24).toString('hex')
  writeFileSync(f, token + '\n', {mode: 0o600})
  return token
}

/** daemonEntry finds bin/mkctld.js (which loads dist/mkctld.cjs with its code cache) from the CLI bundle. */
export function daemonEntry(): string {
  let dir = __dirnameOf()
  for (let i = 0; i < 6; i++) {
    const cand = join(dir, 'bin', 'mkctld.js')
    if (existsSync(cand)) return cand
    dir = dirname(dir)
  }
  throw new Error('cannot find the daemon (bin/mkctld.js); run npm install')
}

function __dirnameOf(): string {
  // The CLI ships as a CommonJS bundle, where __dirname exists; under tsx (tests) fall back to the source path.
  return typeof __dirname === 'string' ? __dirname : dirname(new URL(import.meta.url).pathname)
}

/** apiGet sends an authenticated GET to a daemon and returns status and parsed body. */
export function apiGet(
  url: string,
  path: string,
  token: string,
  ca: string,
  timeoutMs = 2000,
): Promise<{status: number; body: any}> {
  return apiRequest(url, 'GET', path, token, ca, undefined, timeoutMs)
}

/** apiRequest sends an authenticated JSON request to a daemon and returns status and parsed body. */
export function apiRequest(
  url: string,
  method: string,
  path: string,
  token: string,
  ca: string,
  body?: unknown,
  timeoutMs = 2000,
): Promise<{status: number; body: any}> {
  return new Promise((resolve, reject) => {
    const u = new URL(path, url)
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const req = https.request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method,
        ca,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'application/json',
          ...(payload === undefined
            ? {}
            : {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload)}),
        },
        timeout: timeoutMs,
      },
      (res) => {
        let text = ''
        res.on('data', (c) => (text += c))
        res.on('end', () => {
          let parsed: any
          try {
            parsed = JSON.parse(text)
          } catch {
            parsed = text
          }
          resolve({status: res.statusCode ?? 0, body: parsed})
        })
      },
    )
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', reject)
    req.end(payload)
  })
}

/** nodesReady reports whether every node of the daemon is Ready. */
export async function nodesReady(url: string, token: string, ca: string): Promise<boolean> {
  try {
    const r = await apiGet(url, '/api/v1/nodes', token, ca)
    if (r.status !== 200) return false
    const items: any[] = r.body.items ?? []
    return (
      items.length > 0 &&
      items.every((n) => (n.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True'))
    )
  } catch {
    return false
  }
}

/** StartResult tells what start did. */
export interface StartResult {
  info: DaemonInfo
  alreadyRunning: boolean
  ms: number
}

/**
 * DAEMON_NODE_ARGS are the V8 flags the daemon runs with. A smaller young generation (V8's default semi-space grows
 * to 16 MiB) keeps an idle daemon's resident memory low after a burst of pods, at no measurable cost in throughput.
 * A fixed heap growing factor of 1.3 (V8 picks up to 4 when allocation is fast) bounds the old generation at 1.3x
 * what the last full collection kept: 100,000 pods on 1,000 nodes (bench/scale.ts) peaked at 1,860 MiB instead of
 * 2,858 (1,597 instead of 2,600 as the last pod became Ready), at 431 vs 459 pods/s; 10,000 pods on 100 nodes
 * (bench/sim.ts): 578 vs 571 pods/s, 288 vs 373 MiB. The price is more frequent full collections of a big heap: in
 * the three idle minutes after that run's lists, two more (idle CPU 11.0 % vs 7.1 %, each with one compaction).
 * Once the daemon goes idle, V8's memory reducer runs one full collection instead of up to three: each marks the
 * whole heap, ~4 s of CPU at 100,000 pods (a restarted 100k profile after three `get pods -A` and one `-o json`: one
 * collection and 2 % CPU between, against three, ~13 s; RSS back to 1,378 MiB). At 1,000 pods (bench/sim.ts, two
 * alternating runs each): idle CPU 0.3-0.5 % vs 1.1 %, idle RSS 130 vs 123 MiB. Without the reducer at all, idle
 * CPU fell to 0.0-0.1 % but the idle RSS stayed at the burst's 149 MiB.
 */
export const DAEMON_NODE_ARGS = ['--max-semi-space-size=8', '--heap-growing-percent=30', '--memory-reducer-single-gc']

/** LARGE_CLUSTER_NODES is the node count from which the daemon gets LARGE_CLUSTER_NODE_ARGS. */
export const LARGE_CLUSTER_NODES = 100

/**
 * LARGE_CLUSTER_NODE_ARGS replace the 8 MiB semi-space of a cluster of LARGE_CLUSTER_NODES nodes or more. With
 * 100k pods the heap is ~1.4 GiB and every scavenge costs ~8-11 ms whatever it finds (--trace-gc-nvp), so the
 * count of scavenges, one per semi-space of garbage, is what matters: 100 Deployments x 1,000 on 1,000 nodes became
 * Ready at 1,098 and 1,047 pods/s with 32 MiB against 990 and 1,008 with 8 (alternating runs, one machine). The
 * young generation then takes up to ~48 MiB more, which at 1,000 pods would break the 150 MB idle target and at
 * 100k pods is 3 % of the RSS.
 */
export const LARGE_CLUSTER_NODE_ARGS = ['--max-semi-space-size=32']

/** daemonNodeArgs are the V8 flags for the daemon of a cluster of that many nodes (the later flag wins). */
export function daemonNodeArgs(nodes: number): string[] {
  return nodes >= LARGE_CLUSTER_NODES ? [...DAEMON_NODE_ARGS, ...LARGE_CLUSTER_NODE_ARGS] : DAEMON_NODE_ARGS
}

/** startProfile starts a profile's daemon detached (unless it runs) and waits until all nodes are Ready. */
export async function startProfile(
  cfg: ProfileConfig,
  opts: {timeoutMs?: number; env?: NodeJS.ProcessEnv} = {},
): Promise<StartResult> {
  const env = opts.env ?? process.env
  const t0 = Date.now()
  const running = daemonInfo(cfg.name, env)
  const dir = profileDir(cfg.name, env)
  if (running) return {info: running, alreadyRunning: true, ms: 0}
  writeProfileConfig(cfg, env)
  const token = profileToken(cfg.name, env)
  rmSync(join(dir, 'daemon.json'), {force: true})
  const log = openSync(join(dir, 'daemon.log'), 'a', 0o600)
  const child = spawn(process.execPath, [...daemonNodeArgs(cfg.nodes), daemonEntry(), '--profile-dir', dir], {
    detached: true,
    stdio: ['ignore', log, log],
    // glibc makes up to 8 malloc arenas per core for the daemon's few threads (SQLite, libuv's pool); two keep ~6 MiB
    // less resident at no throughput cost. A value the user set wins.
    env: {MALLOC_ARENA_MAX: '2', ...env},
  })
  closeSync(log)
  let exited: number | null = null
  child.on('exit', (code) => (exited = code ?? 1))
  child.unref()
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000)
  for (;;) {
    if (exited !== null)
      throw new Error(`the cluster daemon exited with code ${exited}; see ${join(dir, 'daemon.log')}`)
    const info = daemonInfo(cfg.name, env)
    if (info) {
      const ca = readFileSync(join(dir, 'ca.crt'), 'utf8')
      if (await nodesReady(info.url, token, ca)) {
        if (cfg.port === undefined && cfg.lastPort !== info.port) writeProfileConfig({...cfg, lastPort: info.port}, env)
        return {info, alreadyRunning: false, ms: Date.now() - t0}
      }
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for the cluster "${cfg.name}" to become ready; see ${join(dir, 'daemon.log')}`)
    await new Promise((r) => setTimeout(r, 15))
  }
}

/** stopProfile stops a profile's daemon and waits for it to exit; false when it was not running. */
export async function stopProfile(name: string, env = process.env): Promise<boolean> {
  const info = daemonInfo(name, env)
  if (!info) return false
  process.kill(info.pid, 'SIGTERM')
  const deadline = Date.now() + 10_000
  while (pidAlive(info.pid)) {
    if (Date.now() > deadline) {
      process.kill(info.pid, 'SIGKILL')
      break
    }
    await new Promise((r) => setTimeout(r, 20))
  }
  rmSync(join(profileDir(name, env), 'daemon.json'), {force: true})
  return true
}

/** deleteProfile stops a profile and removes its folder and kubeconfig entries. */
export async function deleteProfile(name: string, kubeconfigPath: string, env = process.env): Promise<boolean> {
  await stopProfile(name, env)
  const dir = profileDir(name, env)
  const existed = existsSync(dir)
  rmSync(dir, {recursive: true, force: true})
  if (existsSync(kubeconfigPath)) {
    await updateKubeconfigFile(kubeconfigPath, (c) => removeEntries(c, name))
  }
  return existed
}

function removeEntries(c: KubeConfig, name: string) {
  c.clusters = (c.clusters ?? []).filter((x) => x.name !== name)
  c.users = (c.users ?? []).filter((x) => x.name !== name)
  c.contexts = (c.contexts ?? []).filter((x) => x.name !== name)
  if (c['current-context'] === name) c['current-context'] = ''
}

/** upsertKubeconfig points the profile's cluster, user and context at the daemon and makes it current. */
export async function upsertKubeconfig(
  path: string,
  name: string,
  server: string,
  caCert: string,
  token: string,
  makeCurrent = true,
): Promise<void> {
  await updateKubeconfigFile(path, (c) => {
    const upsert = <T>(list: {name: string}[] | null, item: {name: string} & T) => {
      const rest = (list ?? []).filter((x) => x.name !== name)
      return [...rest, item].sort((a, b) => a.name.localeCompare(b.name)) as any
    }
    c.clusters = upsert(c.clusters, {
      name,
      cluster: {'certificate-authority-data': Buffer.from(caCert).toString('base64'), server},
    })
    c.users = upsert(c.users, {name, user: {token}})
    const prevNs = (c.contexts ?? []).find((x) => x.name === name)?.context.namespace
    c.contexts = upsert(c.contexts, {name, context: {cluster: name, user: name, namespace: prevNs ?? 'default'}})
    if (makeCurrent) c['current-context'] = name
  })
}
