// admin.ts holds the behaviour of `mkctl cluster time [advance]` and `mkctl cluster node add|stop|start|delete|
// list` (minikube's `node` commands): they talk to the running daemon's /mkctl/v1 endpoints with the profile's
// token, and keep the profile's node count in step for `cluster status` and `cluster list`.
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {formatGoDuration, parseGoDuration} from '../../api/duration.js'
import {RawError} from '../errors.js'
import type {IOStreams} from '../io.js'
import {apiRequest, daemonInfo, profileDir, profileToken, readProfileConfig, writeProfileConfig} from './profiles.js'
import {ProfileNotFound, UsageError} from './lifecycle.js'

/** NotRunning is minikube's answer when a command needs a running cluster; exit code 88 (ExGuestUnavailable). */
export class NotRunning extends RawError {
  constructor(profile: string) {
    super(
      `* The control-plane node ${profile} host is not running: state=Stopped\n  To start a cluster, run: "mkctl cluster start${profile === 'mkctl' ? '' : ` -p ${profile}`}"`,
      88,
    )
  }
}

/** call sends one request to the running daemon's /mkctl/v1 endpoints with the profile's token. */
export async function call(profile: string, method: string, path: string, body?: unknown, env = process.env): Promise<any> {
  if (!readProfileConfig(profile, env)) throw new ProfileNotFound(profile)
  const info = daemonInfo(profile, env)
  if (!info) throw new NotRunning(profile)
  const ca = readFileSync(join(profileDir(profile, env), 'ca.crt'), 'utf8')
  // Advancing the clock runs everything due on the way, which may take a while for long spans.
  const res = await apiRequest(info.url, method, `/mkctl/v1${path}`, profileToken(profile, env), ca, body, 600_000)
  if (res.status !== 200) throw new RawError(`error: ${res.body?.message ?? `the cluster answered ${res.status}`}`, 1)
  return res.body
}

/** showTime prints the cluster clock. */
export async function showTime(profile: string, io: IOStreams, env = process.env): Promise<void> {
  const t = await call(profile, 'GET', '/time', undefined, env)
  io.out.write(`${t.now}\n`)
  if (t.offsetSeconds > 0)
    io.errOut.write(`* The cluster clock runs ${formatGoDuration(t.offsetSeconds * 1000)} ahead of real time.\n`)
}

/** advanceTime moves the cluster clock on by a Go duration ("90s", "10m", "1h30m"). */
export async function advanceTime(profile: string, duration: string, io: IOStreams, env = process.env): Promise<void> {
  let ms: number
  try {
    ms = parseGoDuration(duration)
  } catch {
    throw new UsageError(`invalid duration "${duration}": use a duration like 90s, 10m or 1h30m`)
  }
  if (ms < 0) throw new UsageError(`invalid duration "${duration}": the clock cannot go backwards`)
  const t = await call(profile, 'POST', '/time/advance', {ms}, env)
  io.out.write(`* Advanced the clock of cluster "${profile}" by ${formatGoDuration(ms)}; it is now ${t.now}.\n`)
}

/** NodeOp is one of the node subcommands that change a node. */
export type NodeOp = 'add' | 'stop' | 'start' | 'delete'

/** nodeOperation runs `cluster node add|stop|start|delete`. */
export async function nodeOperation(
  profile: string,
  op: NodeOp,
  name: string | undefined,
  io: IOStreams,
  env = process.env,
): Promise<void> {
  if (op !== 'add' && !name) throw new UsageError(`"mkctl cluster node ${op}" needs the name of a node`)
  const full = name && name !== profile && /^m\d\d$/.test(name) ? `${profile}-${name}` : name
  switch (op) {
    case 'add': {
      io.out.write(`* Adding a node to cluster "${profile}"\n`)
      const out = await call(profile, 'POST', '/nodes', full ? {name: full} : {}, env)
      updateNodeCount(profile, +1, env)
      io.out.write(`* Successfully added ${out.name} to ${profile}!\n`)
      return
    }
    case 'stop':
      io.out.write(`* Stopping node "${full}" ...\n`)
      await call(profile, 'POST', `/nodes/${encodeURIComponent(full!)}/stop`, {}, env)
      io.out.write(`* Successfully stopped node ${full}\n`)
      return
    case 'start':
      io.out.write(`* Starting "${full}" node in "${profile}" cluster\n`)
      await call(profile, 'POST', `/nodes/${encodeURIComponent(full!)}/start`, {}, env)
      io.out.write(`* Successfully started node ${full}!\n`)
      return
    case 'delete':
      io.out.write(`* Deleting node ${full} from cluster ${profile}\n`)
      await call(profile, 'DELETE', `/nodes/${encodeURIComponent(full!)}`, undefined, env)
      updateNodeCount(profile, -1, env)
      io.out.write(`* Node ${full} was successfully deleted.\n`)
  }
}

/** listNodes prints name and IP per node, as `minikube node list`. */
export async function listNodes(profile: string, io: IOStreams, env = process.env): Promise<void> {
  const nodes: {name: string; ip: string; stopped: boolean}[] = await call(profile, 'GET', '/nodes', undefined, env)
  for (const n of nodes) io.out.write(`${n.name}\t${n.ip}${n.stopped ? '\t(stopped)' : ''}\n`)
}

function updateNodeCount(profile: string, delta: number, env: NodeJS.ProcessEnv) {
  const cfg = readProfileConfig(profile, env)
  if (!cfg) return
  cfg.nodes = Math.max(1, cfg.nodes + delta)
  writeProfileConfig(cfg, env)
}
