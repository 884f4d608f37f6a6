// lifecycle.ts holds the behaviour of `mkctl cluster start|stop|status|delete|list|logs` (minikube's lifecycle
// commands, mkctl's words), kept apart from the oclif classes so tests can drive it with buffered streams.
import {existsSync, readFileSync} from 'node:fs'
import {ux} from '@oclif/core'
import {homedir} from 'node:os'
import {join} from 'node:path'
import {defaultKubeconfigPath} from '../client/kubeconfig.js'
import {RawError} from '../errors.js'
import type {IOStreams} from '../io.js'
import {
  DEFAULT_PROFILE,
  daemonInfo,
  deleteProfile,
  listProfiles,
  nodesReady,
  profileDir,
  profileToken,
  readProfileConfig,
  startProfile,
  stopProfile,
  upsertKubeconfig,
  validateProfileName,
  type ProfileConfig,
} from './profiles.js'

/** StartFlags are `cluster start`'s options. */
export interface StartFlags {
  profile: string
  nodes?: number
  cpus?: number
  memory?: string
  timing?: string
  seed?: number
  port?: number
  updateKubeconfig?: boolean
}

/** parseMemory reads `4096`, `4096mb`, `4g`, `4gb`, `8GiB` into MiB, as minikube's --memory does. */
export function parseMemory(v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(m|mb|mib|g|gb|gib)?$/i.exec(v.trim())
  if (!m) throw new Error(`invalid --memory value "${v}": use a number of MiB or a size like 4g`)
  const n = Number(m[1])
  const unit = (m[2] ?? 'm').toLowerCase()
  return Math.round(unit.startsWith('g') ? n * 1024 : n)
}

/** newProfileConfig is the configuration of a profile created by `cluster start` with these flags. */
export function newProfileConfig(f: StartFlags): ProfileConfig {
  return {
    name: f.profile,
    nodes: f.nodes ?? 1,
    cpus: f.cpus ?? 2,
    memoryMiB: f.memory ? parseMemory(f.memory) : 4096,
    timing: (f.timing as ProfileConfig['timing']) ?? 'realistic',
    ...(f.seed !== undefined ? {seed: f.seed} : {}),
  }
}

/** UsageError is a mistake in how a command was called; printed as `error: ...`. */
export class UsageError extends Error {}

/** startCluster creates or resumes a profile and points the kubeconfig at it. */
export async function startCluster(f: StartFlags, io: IOStreams, env = process.env): Promise<void> {
  validateProfileName(f.profile)
  const existing = readProfileConfig(f.profile, env)
  if (f.timing !== undefined && f.timing !== 'realistic' && f.timing !== 'fast') {
    throw new UsageError(`invalid argument "${f.timing}" for "--timing" flag: must be one of realistic, fast`)
  }
  if (f.nodes !== undefined && (!Number.isInteger(f.nodes) || f.nodes < 1 || f.nodes > 1000))
    throw new UsageError('--nodes must be between 1 and 1000')
  if (f.cpus !== undefined && (!Number.isInteger(f.cpus) || f.cpus < 1))
    throw new UsageError('--cpus must be a positive integer')
  const cfg: ProfileConfig = existing ?? newProfileConfig(f)
  if (existing) {
    const changed = [
      f.nodes !== undefined && f.nodes !== existing.nodes ? '--nodes' : '',
      f.cpus !== undefined && f.cpus !== existing.cpus ? '--cpus' : '',
      f.memory !== undefined && parseMemory(f.memory) !== existing.memoryMiB ? '--memory' : '',
      f.seed !== undefined && f.seed !== existing.seed ? '--seed' : '',
    ].filter(Boolean)
    if (changed.length)
      io.errOut.write(
        `! Ignoring ${changed.join(', ')} for the existing cluster "${f.profile}"; delete it first to change its shape.\n`,
      )
    if (f.timing) cfg.timing = f.timing as ProfileConfig['timing']
  }
  if (f.port !== undefined) cfg.port = f.port
  const nodeWord = cfg.nodes === 1 ? 'node' : 'nodes'
  if (daemonInfo(f.profile, env)) {
    io.out.write(`* The "${f.profile}" cluster is already running.\n`)
  } else {
    io.out.write(
      `* ${existing ? 'Restarting existing' : 'Starting'} cluster "${f.profile}" (${cfg.nodes} ${nodeWord}, ${cfg.cpus} CPUs and ${cfg.memoryMiB} MiB per node, ${cfg.timing} timing)...\n`,
    )
  }
  // A spinner while waiting, only for a person at a terminal (scripts and tests see plain lines).
  const spinner = (io.errOut as {isTTY?: boolean}).isTTY && !daemonInfo(f.profile, env)
  if (spinner) ux.action.start('  Waiting for the API server and every node to be Ready', undefined, {stdout: false})
  let res
  try {
    res = await startProfile(cfg, {env})
  } finally {
    if (spinner) ux.action.stop()
  }
  const dir = profileDir(f.profile, env)
  const ca = readFileSync(join(dir, 'ca.crt'), 'utf8')
  const token = profileToken(f.profile, env)
  await upsertKubeconfig(defaultKubeconfigPath(env), f.profile, res.info.url, ca, token)
  if (f.updateKubeconfig)
    await upsertKubeconfig(join(env.HOME ?? homedir(), '.kube', 'config'), f.profile, res.info.url, ca, token)
  if (!res.alreadyRunning) io.out.write(`* API server ready at ${res.info.url} in ${res.ms} ms.\n`)
  io.out.write(`* Done! mkctl is now configured to use "${f.profile}" cluster and "default" namespace by default\n`)
}

/** requireProfile fails with minikube's wording when a profile does not exist. */
function requireProfile(name: string, env: NodeJS.ProcessEnv): ProfileConfig {
  const cfg = readProfileConfig(name, env)
  if (!cfg) throw new ProfileNotFound(name)
  return cfg
}

/**
 * ProfileNotFound is the error for an unknown profile: minikube's line, printed as is, and its exit code 85
 * (reason.ExGuestNotFound); a RawError so that checkErr keeps both.
 */
export class ProfileNotFound extends RawError {
  constructor(readonly profile: string) {
    super(`* Profile "${profile}" not found. Run "mkctl cluster list" to view all profiles.`, 85)
  }
}

/** stopCluster stops a profile, keeping its state. */
export async function stopCluster(name: string, io: IOStreams, env = process.env): Promise<void> {
  const cfg = requireProfile(name, env)
  io.out.write(`* Stopping cluster "${name}" ...\n`)
  const was = await stopProfile(name, env)
  const n = cfg.nodes
  io.out.write(was ? `* ${n} ${n === 1 ? 'node' : 'nodes'} stopped.\n` : `* The "${name}" cluster was not running.\n`)
}

/** statusCluster prints minikube-style status; returns the exit code (0 running, 7 stopped). */
export async function statusCluster(name: string, io: IOStreams, env = process.env): Promise<number> {
  const cfg = requireProfile(name, env)
  const info = daemonInfo(name, env)
  let api = 'Stopped'
  if (info) {
    const ca = readFileSync(join(profileDir(name, env), 'ca.crt'), 'utf8')
    api = (await nodesReady(info.url, profileToken(name, env), ca)) ? 'Running' : 'Starting'
  }
  const host = info ? 'Running' : 'Stopped'
  const kubeconfig =
    existsSync(defaultKubeconfigPath(env)) &&
    readFileSync(defaultKubeconfigPath(env), 'utf8').includes(`name: ${name}\n`)
      ? 'Configured'
      : 'Misconfigured'
  for (let i = 0; i < cfg.nodes; i++) {
    const node = i === 0 ? name : `${name}-m${String(i + 1).padStart(2, '0')}`
    if (i > 0) io.out.write('\n')
    io.out.write(`${node}\ntype: ${i === 0 ? 'Control Plane' : 'Worker'}\nhost: ${host}\nkubelet: ${host}\n`)
    if (i === 0) io.out.write(`apiserver: ${api}\nkubeconfig: ${info ? kubeconfig : 'Stopped'}\n`)
  }
  return info ? 0 : 7
}

/** deleteCluster deletes one profile, or all with all=true. */
export async function deleteCluster(name: string, all: boolean, io: IOStreams, env = process.env): Promise<void> {
  const names = all ? listProfiles(env) : [name]
  if (all && names.length === 0) {
    io.out.write('* No clusters to delete.\n')
    return
  }
  for (const n of names) {
    io.out.write(`* Deleting "${n}" ...\n`)
    const existed = await deleteProfile(n, defaultKubeconfigPath(env), env)
    io.out.write(
      existed
        ? `* Removed all traces of the "${n}" cluster.\n`
        : `* "${n}" cluster does not exist. Proceeding ahead with cleanup.\n`,
    )
  }
}

/** listClusters prints every profile with its state. */
export async function listClusters(io: IOStreams, env = process.env): Promise<void> {
  const names = listProfiles(env)
  if (names.length === 0) {
    io.errOut.write('* No clusters found. Start one with "mkctl cluster start".\n')
    return
  }
  const rows = [['PROFILE', 'STATUS', 'NODES', 'CPUS', 'MEMORY', 'TIMING', 'API SERVER']]
  for (const n of names) {
    const cfg = readProfileConfig(n, env)!
    const info = daemonInfo(n, env)
    rows.push([
      n,
      info ? 'Running' : 'Stopped',
      String(cfg.nodes),
      String(cfg.cpus),
      `${cfg.memoryMiB}MiB`,
      cfg.timing,
      info?.url ?? '',
    ])
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  for (const r of rows)
    io.out.write(
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 3)))
        .join('')
        .trimEnd() + '\n',
    )
}

/** clusterLogs prints the daemon's log, or its last `tail` lines. */
export function clusterLogs(name: string, tail: number | undefined, io: IOStreams, env = process.env): void {
  requireProfile(name, env)
  const f = join(profileDir(name, env), 'daemon.log')
  if (!existsSync(f)) return
  let lines = readFileSync(f, 'utf8').split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  if (tail !== undefined && tail >= 0) lines = lines.slice(Math.max(0, lines.length - tail))
  io.out.write(lines.map((l) => l + '\n').join(''))
}

export {DEFAULT_PROFILE}
