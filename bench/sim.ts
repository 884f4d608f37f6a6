// sim.ts runs only the simulation's throughput and idle cost (the (d) part of run.ts, through scale.ts's
// scaleBench), without the rest of `npm run bench`, on daemons bundled here from one or more source trees, so two
// versions can be compared in alternating runs within one window on a shared machine:
//
//   node --import tsx bench/sim.ts [--reps 3] [--replicas 1000] [--deployments 1] [--nodes 10] [--no-idle]
//     [--cpu-prof DIR] [ROOT...]
//
// Each ROOT (default: this checkout) is a source tree with src/daemon/entry.ts and a node_modules; its daemon is
// bundled as scripts/build.mjs bundles it (no V8 code cache: that only speeds up start) into tmp/sim/. Each repetition
// starts a fresh fast-timing profile of --nodes nodes (10) per ROOT, in turn, and scales --deployments Deployments
// (1) to --replicas replicas each at once, with the flags `mkctl cluster start`
// gives the daemon (daemonNodeArgs). --cpu-prof writes a V8 CPU profile of each daemon into DIR. --no-idle skips the
// 33 s idle part (the RSS then is the RSS right after the last pod became Ready). Besides scale.ts's figures it prints
// the store revisions (rows written) per pod of the scale-out. Measurement aids: SIM_NODE_ARGS adds flags to the
// daemon's node (e.g. `--expose-gc -r preload.cjs`), SIM_ENV=NAME=VALUE one variable to its environment, SIM_SIGNAL a
// signal sent after each run (a preload's heap dump), SIM_ASCII=1 makes the bundle pure ASCII (see bundleDaemon).
import {spawn, type ChildProcess} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {build} from 'esbuild'
import {daemonNodeArgs} from '../src/cli/cluster/profiles.js'
import {ApiClient} from '../test/helpers/http.js'
import {scaleBench, type ScaleFigures} from './scale.js'

const HERE = join(import.meta.dirname, '..')

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name)
  if (i < 0) return undefined
  const v = process.argv[i + 1]
  process.argv.splice(i, 2)
  return v
}
function bool(name: string): boolean {
  const i = process.argv.indexOf(name)
  if (i >= 0) process.argv.splice(i, 1)
  return i >= 0
}

const reps = Number(flag('--reps') ?? 3)
const replicas = Number(flag('--replicas') ?? 1000)
const deployments = Number(flag('--deployments') ?? 1)
const nodes = Number(flag('--nodes') ?? 10)
const cpuProf = flag('--cpu-prof')
const noIdle = bool('--no-idle')
const roots = process.argv.slice(2).map((r) => resolve(r))
if (roots.length === 0) roots.push(HERE)

/** bundleDaemon bundles root's daemon as scripts/build.mjs does, into this checkout's tmp/sim (node_modules resolve). */
async function bundleDaemon(root: string, i: number): Promise<string> {
  const out = join(HERE, 'tmp', 'sim', `mkctld-${i}.cjs`)
  mkdirSync(join(HERE, 'tmp', 'sim'), {recursive: true})
  await build({
    entryPoints: [join(root, 'src/daemon/entry.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    format: 'cjs',
    external: ['better-sqlite3', 'just-bash'],
    define: {'import.meta.url': 'importMetaUrl'},
    banner: {js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;"},
  })
  if (process.env.SIM_ASCII) {
    // Measurement aid: a bundle with any non-ASCII character (a few comments have some) is held by V8 as a two-byte
    // string, twice its size. esbuild escapes non-ASCII in strings but not in comments or regular expression literals;
    // a \u escape is valid in both.
    const ascii = readFileSync(out, 'utf8').replace(
      /[\u0080-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    )
    writeFileSync(out, ascii)
  }
  return out
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function startDaemon(bundle: string, dir: string, prof?: string): Promise<ChildProcess> {
  writeFileSync(join(dir, 'token'), 'sim-bench\n', {mode: 0o600})
  writeFileSync(join(dir, 'config.json'), JSON.stringify({name: 'scale', nodes, timing: 'fast'}))
  const args = [
    ...daemonNodeArgs(nodes),
    ...(prof ? ['--cpu-prof', '--cpu-prof-dir', prof] : []),
    ...(process.env.SIM_NODE_ARGS ? process.env.SIM_NODE_ARGS.split(' ') : []),
  ]
  const child = spawn(process.execPath, [...args, bundle, '--profile-dir', dir], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {...process.env, ...(process.env.SIM_ENV ? Object.fromEntries([process.env.SIM_ENV.split('=')]) : {})},
  })
  let err = ''
  child.stderr!.on('data', (d) => (err += d))
  for (let t = 0; !existsSync(join(dir, 'daemon.json')); t++) {
    if (child.exitCode !== null || t > 600) throw new Error(`daemon did not start: ${err}`)
    await sleep(50)
  }
  const info = JSON.parse(readFileSync(join(dir, 'daemon.json'), 'utf8'))
  const api = new ApiClient(info.url, readFileSync(join(dir, 'ca.crt'), 'utf8'), 'sim-bench')
  for (;;) {
    const r = await api.request('GET', '/api/v1/nodes')
    const items = (r.json?.items ?? []) as any[]
    const ready = items.filter((n) => n.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'))
    if (items.length === nodes && ready.length === nodes) break
    await sleep(50)
  }
  return child
}

/** daemonTicks reads a process's utime+stime in clock ticks (10 ms). */
function daemonTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return Number(fields[11]) + Number(fields[12])
}

async function revision(dir: string): Promise<number> {
  const info = JSON.parse(readFileSync(join(dir, 'daemon.json'), 'utf8'))
  const api = new ApiClient(info.url, readFileSync(join(dir, 'ca.crt'), 'utf8'), 'sim-bench')
  return Number((await api.request('GET', '/api/v1/namespaces?limit=1')).json.metadata.resourceVersion)
}

async function stopDaemon(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return
  const done = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  await done
}

async function main() {
  const bundles: string[] = []
  for (const [i, r] of roots.entries()) bundles.push(await bundleDaemon(r, i))
  const results = roots.map(() => [] as (ScaleFigures & {writesPerPod: number})[])
  for (let rep = 0; rep < reps; rep++) {
    for (const [i, bundle] of bundles.entries()) {
      const dir = mkdtempSync(join(tmpdir(), 'mkctl-sim-'))
      const child = await startDaemon(bundle, dir, cpuProf)
      try {
        const r0 = await revision(dir)
        const ticks0 = daemonTicks(child.pid!)
        const figures = await scaleBench(dir, {replicas, deployments, idle: !noIdle})
        // CPU per pod (utime+stime over the scale-out, and over the idle part without --no-idle): on a shared
        // machine it moves far less than the wall time.
        const cpuMsPerPod = ((daemonTicks(child.pid!) - ticks0) * 10) / figures.pods
        const writesPerPod = ((await revision(dir)) - r0) / figures.pods
        results[i]!.push({...figures, writesPerPod})
        if (process.env.SIM_SIGNAL) {
          child.kill(process.env.SIM_SIGNAL as NodeJS.Signals)
          await sleep(3000)
        }
        console.log(
          `rep ${rep} ${roots[i]}: ${figures.podsPerSecond.toFixed(0)} pods/s (${figures.ms.toFixed(0)} ms), ` +
            `RSS ${figures.burstRssMiB.toFixed(1)} → ${figures.idleRssMiB.toFixed(1)} MiB, idle CPU ${figures.idleCpuPercent.toFixed(1)} %, ` +
            `${writesPerPod.toFixed(2)} revisions/pod, ${cpuMsPerPod.toFixed(2)} ms CPU/pod`,
        )
      } finally {
        await stopDaemon(child)
        rmSync(dir, {recursive: true, force: true})
      }
    }
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  for (const [i, rs] of results.entries()) {
    console.log(
      `median ${roots[i]}: ${med(rs.map((r) => r.podsPerSecond)).toFixed(0)} pods/s, ` +
        `RSS ${med(rs.map((r) => r.idleRssMiB)).toFixed(1)} MiB, idle CPU ${med(rs.map((r) => r.idleCpuPercent)).toFixed(1)} %`,
    )
  }
}

await main()
