// run.ts is `npm run bench` (after a build): figures measured in one run on this machine, so the ratios compare like
// with like. (a) `mkctl cluster start` to Ready on a fresh temporary MKCTL_HOME (median of 5, deleted between runs)
// and a resume (start after stop, median of 5); (b) the wall time of `mkctl get pods -A`, `get pods -A -o yaml`
// and `apply -f` (10 objects) against the real kubectl's on the same running daemon, interleaved after warm-up, with
// `node -e 0` as the floor any Node CLI pays; (c) the daemon's peak RSS (VmHWM) after start and after the get runs.
// Uses hyperfine when it is on PATH (in alternating rounds, so both commands see the same machine load), else its own
// spawnSync loop. (d) The
// simulation's throughput and idle cost with 1,000 pods (scale.ts). (e) Requests/s through the ingress and exec
// round trips, against bare loopback servers (workloads.ts). (f) Grading 100 lab sessions with two workers, against
// one (labs.ts). (g) The dashboard's first paint and event lag in Chromium (dashboard.ts).
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {scaleBench} from './scale.js'
import {workloadsBench} from './workloads.js'
import {labsBench} from './labs.js'

const ROOT = join(import.meta.dirname, '..')
const MKCTL = join(ROOT, 'bin', 'mkctl.js')
const STARTS = 5
const GET_RUNS = 20
const WARMUP = 3

const home = mkdtempSync(join(tmpdir(), 'mkctl-bench-'))
const kubeconfig = join(home, 'kubeconfig')
const env = {
  ...process.env,
  MKCTL_HOME: home,
  HOME: home,
  KUBECONFIG: '',
  MKCTL_AUTOSTART: '',
  KUBECACHEDIR: join(home, 'kube-cache'),
}

function sh(cmd: string, args: string[]): {ms: number; stdout: string} {
  const t0 = process.hrtime.bigint()
  const r = spawnSync(cmd, args, {env, encoding: 'utf8'})
  const ms = Number(process.hrtime.bigint() - t0) / 1e6
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`)
  return {ms, stdout: r.stdout}
}

const mkctl = (...args: string[]) => sh(process.execPath, [MKCTL, ...args])

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b)
  const pos = (s.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo)
}

const median = (xs: number[]) => quantile(xs, 0.5)
const p90 = (xs: number[]) => quantile(xs, 0.9)

function daemonPid(): number {
  return JSON.parse(readFileSync(join(home, 'profiles', 'mkctl', 'daemon.json'), 'utf8')).pid
}

/** vmKiB reads a Vm* line (kB) of /proc/<pid>/status; undefined off Linux. */
function vmKiB(pid: number, field: 'VmHWM' | 'VmRSS'): number | undefined {
  const f = `/proc/${pid}/status`
  if (!existsSync(f)) return undefined
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(f, 'utf8'))
  return m ? Number(m[1]) : undefined
}

function hasHyperfine(): boolean {
  return spawnSync('hyperfine', ['--version'], {stdio: 'ignore'}).status === 0
}

/** timeCommands returns wall times (ms) per command, interleaved run by run or hyperfine round by round. */
function timeCommands(
  cmds: {name: string; argv: string[]}[],
  runs: number,
): {times: Map<string, number[]>; tool: string} {
  const times = new Map(cmds.map((c) => [c.name, [] as number[]]))
  if (hasHyperfine()) {
    const rounds = 4
    const out = join(home, 'hyperfine.json')
    for (let r = 0; r < rounds; r++) {
      // Alternate the order every round as well, so neither command always runs right after the other.
      const order = r % 2 === 0 ? cmds : [...cmds].reverse()
      const q = (a: string) => (/^[\w./=:-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)
      const args = [
        '-N',
        '--style',
        'none',
        '--warmup',
        String(WARMUP),
        '--runs',
        String(runs / rounds),
        '--export-json',
        out,
      ]
      const res = spawnSync('hyperfine', [...args, ...order.map((c) => c.argv.map(q).join(' '))], {
        env,
        encoding: 'utf8',
      })
      if (res.status !== 0) throw new Error(`hyperfine failed: ${res.stderr}`)
      const json = JSON.parse(readFileSync(out, 'utf8'))
      json.results.forEach((x: {times: number[]}, i: number) =>
        times.get(order[i]!.name)!.push(...x.times.map((s) => s * 1000)),
      )
    }
    return {times, tool: 'hyperfine'}
  }
  for (const c of cmds) for (let i = 0; i < WARMUP; i++) sh(c.argv[0]!, c.argv.slice(1))
  for (let i = 0; i < runs; i++) {
    for (const c of i % 2 === 0 ? cmds : [...cmds].reverse())
      times.get(c.name)!.push(sh(c.argv[0]!, c.argv.slice(1)).ms)
  }
  return {times, tool: 'spawnSync loop'}
}

/** tenObjects is the manifest `apply -f` is timed with: 10 objects of 4 kinds in the default namespace. */
function tenObjects(): string {
  const cm = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bench-${i}\ndata:\n  key: value-${i}\n`
  const svc = (i: number) =>
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: bench-${i}\nspec:\n  selector:\n    app: bench-${i}\n  ports:\n  - port: 80\n`
  const deploy = (i: number) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: bench-${i}\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: bench-${i}\n  template:\n    metadata:\n      labels:\n        app: bench-${i}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n`
  const sa = (i: number) => `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: bench-${i}\n`
  return [cm(1), cm(2), cm(3), cm(4), svc(1), svc(2), svc(3), deploy(1), deploy(2), sa(1)].join('---\n')
}

const fmt = (ms: number) => `${ms.toFixed(0)} ms`.padStart(8)

async function main() {
  const rows: string[][] = []
  // (a) cold start to Ready, then resume.
  const cold: number[] = []
  for (let i = 0; i < STARTS; i++) {
    cold.push(mkctl('cluster', 'start').ms)
    mkctl('cluster', 'delete')
  }
  mkctl('cluster', 'start')
  const resume: number[] = []
  for (let i = 0; i < STARTS; i++) {
    mkctl('cluster', 'stop')
    resume.push(mkctl('cluster', 'start').ms)
  }
  rows.push(['cluster start (fresh home, to Ready)', fmt(median(cold)), fmt(p90(cold)), ''])
  rows.push(['cluster start (resume after stop)', fmt(median(resume)), fmt(p90(resume)), ''])

  // (c) the daemon's memory right after start.
  const pid = daemonPid()
  const hwmStart = vmKiB(pid, 'VmHWM')

  // (b) the same commands through both CLIs on the same daemon: get (table and YAML) and apply -f of 10 objects
  // (unchanged after the first run, so every run does the same work: read, diff, no write).
  const kubectl = spawnSync('kubectl', ['version', '--client'], {stdio: 'ignore'}).status === 0
  const manifest = join(home, 'ten.yaml')
  writeFileSync(manifest, tenObjects())
  const pairs = [
    ['get pods -A', ['get', 'pods', '-A']],
    ['get pods -A -o yaml', ['get', 'pods', '-A', '-o', 'yaml']],
    ['apply -f (10 objects)', ['apply', '-f', manifest]],
  ] as const
  const cmds = [
    ...pairs.flatMap(([name, args]) => [
      {name: `mkctl ${name}`, argv: [process.execPath, MKCTL, ...args]},
      ...(kubectl ? [{name: `kubectl ${name}`, argv: ['kubectl', '--kubeconfig', kubeconfig, ...args]}] : []),
    ]),
    {name: 'node -e 0 (floor)', argv: [process.execPath, '-e', '0']},
  ]
  const {times, tool} = timeCommands(cmds, GET_RUNS)
  for (const c of cmds) {
    const t = times.get(c.name)!
    const k = c.name.startsWith('mkctl ') ? times.get(c.name.replace(/^mkctl /, 'kubectl ')) : undefined
    const ratio = k ? `${(median(t) / median(k)).toFixed(2)}x kubectl` : ''
    rows.push([`${c.name} (${t.length} runs)`, fmt(median(t)), fmt(p90(t)), ratio])
  }
  const hwmAfter = vmKiB(pid, 'VmHWM')
  const mib = (kib?: number) => (kib === undefined ? 'n/a (no /proc)' : `${(kib / 1024).toFixed(1)} MiB`)
  rows.push(['daemon peak RSS (VmHWM) after start', mib(hwmStart), '', ''])
  rows.push([`daemon peak RSS (VmHWM) after the get runs`, mib(hwmAfter), '', ''])

  // (e) requests through the ingress and exec round trips, each against a bare loopback server.
  const w = await workloadsBench(join(home, 'profiles', 'mkctl'))
  rows.push([
    'ingress -> nginx requests/s (16 in flight)',
    `${w.ingressRps.toFixed(0)} req/s`,
    '',
    `${(w.ingressRps / w.baselineRps).toFixed(2)}x bare node:http (${w.baselineRps.toFixed(0)} req/s)`,
  ])
  rows.push([
    'exec `echo hi` round trip (WebSocket)',
    `${w.execMs.toFixed(1)} ms`,
    '',
    `${(w.execMs / w.baselineWsMs).toFixed(2)}x bare ws+TLS (${w.baselineWsMs.toFixed(1)} ms)`,
  ])

  mkctl('cluster', 'delete')

  // (d) a Deployment scaled from 0 to 1,000 replicas on a fast-timing cluster of 10 nodes, then idle.
  mkctl('cluster', 'start', '-p', 'scale', '--timing', 'fast', '--nodes', '10')
  const s = await scaleBench(join(home, 'profiles', 'scale'))
  rows.push([
    `deployment 0 -> ${s.pods} replicas Ready (fast timing)`,
    fmt(s.ms),
    '',
    `${s.podsPerSecond.toFixed(0)} pods/s`,
  ])
  rows.push([`daemon RSS as the last of ${s.pods} pods became Ready`, `${s.burstRssMiB.toFixed(1)} MiB`, '', ''])
  rows.push([`daemon RSS idle with ${s.pods} pods (33 s later)`, `${s.idleRssMiB.toFixed(1)} MiB`, '', ''])
  rows.push([`daemon CPU idle with ${s.pods} pods (30 s)`, `${s.idleCpuPercent.toFixed(1)} %`, '', ''])
  mkctl('cluster', 'delete', '-p', 'scale')

  // (f) grading a class of 100 sessions, two workers against one.
  const l = labsBench(env)
  rows.push([
    `lab grade ${l.sessions} sessions x ${l.commands} commands, --jobs 2`,
    `${(l.parallelMs / 1000).toFixed(1)} s`,
    '',
    `${(l.parallelMs / l.sequentialMs).toFixed(2)}x --jobs 1 (${(l.sequentialMs / 1000).toFixed(1)} s)`,
  ])

  // (g) the dashboard: first paint in Chromium and the event stream's lag from a store write to the page.
  const {dashboardBench} = await import('./dashboard.js')
  const d = await dashboardBench(10)
  if ('skipped' in d) rows.push(['dashboard', 'skipped', '', d.skipped])
  else {
    rows.push(['dashboard first paint (nodes table visible)', fmt(d.firstPaintMs.median), fmt(d.firstPaintMs.p90), ''])
    rows.push(['dashboard event stream lag (store write → row)', fmt(d.streamLagMs.median), fmt(d.streamLagMs.p90), ''])
  }

  const head = ['measure', 'median', 'p90', 'ratio']
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('   ')
      .trimEnd()
  console.log(`mkctl bench (${tool}; node ${process.version}; ${new Date().toISOString()})`)
  console.log(line(head))
  for (const r of rows) console.log(line(r))
}

try {
  await main()
} finally {
  // Never leave a daemon behind, whatever failed.
  spawnSync(process.execPath, [MKCTL, 'cluster', 'delete', '--all'], {env, stdio: 'ignore'})
  rmSync(home, {recursive: true, force: true})
}
