// entry.ts is the daemon process (bin/mkctld.js loads the bundle dist/mkctld.cjs): it reads the profile folder's config.json,
// starts the daemon on its port with the profile's CA and token, writes daemon.json (pid, url) for the CLI, and
// stops cleanly on SIGTERM/SIGINT. Logs go to stderr, which `mkctl cluster start` points at daemon.log.
import {existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {startDaemon} from './main.js'

interface ProfileConfig {
  name: string
  nodes?: number
  cpus?: number
  memoryMiB?: number
  port?: number
  /** lastPort is the port of the previous start, reused when free so kubeconfigs keep working. */
  lastPort?: number
  seed?: number
  timing?: 'realistic' | 'fast'
}

/** readTLS reuses the serving certificate of an earlier start, so a resume needs no certificate library. */
function readTLS(dir: string): {caCert: string; cert: string; key: string} | undefined {
  const files = ['ca.crt', 'server.crt', 'server.key'].map((f) => join(dir, f))
  if (!files.every((f) => existsSync(f))) return undefined
  const [caCert, cert, key] = files.map((f) => readFileSync(f, 'utf8')) as [string, string, string]
  return {caCert, cert, key}
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name)
  return i >= 0 ? process.argv[i + 1] : undefined
}

async function run() {
  const dir = arg('--profile-dir')
  if (!dir) {
    process.stderr.write('usage: mkctld --profile-dir DIR\n')
    process.exit(2)
  }
  const cfg: ProfileConfig = existsSync(join(dir, 'config.json')) ? JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) : {name: 'mkctl'}
  const tokenFile = join(dir, 'token')
  const token = readFileSync(tokenFile, 'utf8').trim()
  const log = (m: string) => process.stderr.write(`${new Date().toISOString()} ${m}\n`)
  const tls = readTLS(dir) ?? (await (await import('./tls.js')).ensureProfileTLS(dir))
  const start = (port: number) => startDaemon({
    dbPath: join(dir, 'state.db'),
    port,
    token,
    tls,
    ...(cfg.seed !== undefined ? {seed: cfg.seed} : {}),
    timing: cfg.timing ?? 'realistic',
    cluster: {profile: cfg.name, nodes: cfg.nodes ?? 1, cpus: cfg.cpus ?? 2, memoryMiB: cfg.memoryMiB ?? 4096},
    // kube-apiserver's --etcd-compaction-interval default: a list or watch has 5 to 10 minutes before a 410.
    compactEveryMs: 5 * 60_000,
    // The rows of `get pods` are made a second after a burst of pod changes ends, not by the first list after it.
    warmRowsAfterMs: 1000,
    log,
  })
  let d
  try {
    d = await start(cfg.port ?? cfg.lastPort ?? 0)
  } catch (e) {
    // The remembered port is taken by someone else: any free port will do (an explicit --port fails instead).
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || cfg.port !== undefined || cfg.lastPort === undefined) throw e
    log(`port ${cfg.lastPort} is in use; taking a free one`)
    d = await start(0)
  }
  const info = join(dir, 'daemon.json')
  writeFileSync(info, JSON.stringify({pid: process.pid, url: d.url, port: d.port, startedAt: new Date().toISOString()}) + '\n', {mode: 0o600})
  const shutdown = async () => {
    log('shutting down')
    await d.stop()
    rmSync(info, {force: true})
    process.exit(0)
  }
  // A failed promise somewhere must not take the whole cluster down; it is logged for `mkctl cluster logs`.
  process.on('unhandledRejection', (e) => log(`unhandled rejection: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`))
  process.on('SIGTERM', () => void shutdown())
  process.on('SIGINT', () => void shutdown())
}

run().catch((e) => {
  process.stderr.write(`mkctld: ${e instanceof Error ? e.message : String(e)}\n`)
  process.exit(1)
})
