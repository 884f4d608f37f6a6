// scale.ts: the simulation's throughput. A fast-timing cluster of 10 nodes (110 pods each, as a kubelet's
// default max-pods allows) gets a Deployment of registry.k8s.io/pause scaled from 0 to 1,000 replicas; the clock
// runs from the scale request until the Deployment reports 1,000 ready replicas (every pod scheduled, started and
// Ready), polled every 25 ms. Then the daemon idles with those pods: its RSS, and its CPU share over 10 s.
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {ApiClient} from '../test/helpers/http.js'

/** call sends one JSON request through the tests' HTTPS client and fails on any status but 2xx. */
async function call(
  api: ApiClient,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<any> {
  const r = await api.request(method, path, body, body === undefined ? {} : {'Content-Type': contentType})
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.text}`)
  return r.json
}

/** cpuTicks reads utime+stime (clock ticks) of a process. */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return Number(fields[11]) + Number(fields[12])
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** ScaleFigures are what scaleBench measured. */
export interface ScaleFigures {
  pods: number
  ms: number
  podsPerSecond: number
  /** burstRssMiB is the RSS the moment the last pod became Ready. */
  burstRssMiB: number
  /** idleRssMiB is the RSS after 33 s of idling with the pods. */
  idleRssMiB: number
  idleCpuPercent: number
}

/** ScaleOptions shape a scale-out: deployments (1) Deployments of replicas (1,000) each, then an idle part (true). */
export interface ScaleOptions {
  replicas?: number
  deployments?: number
  /** idle false skips the 33 s idle part: the idle RSS is then the RSS right after the last pod became Ready. */
  idle?: boolean
}

/**
 * scaleBench runs the scale-out against a running profile directory's daemon: every Deployment is made at 0
 * replicas, then all are scaled at once and the clock runs until all their replicas are Ready.
 */
export async function scaleBench(profileDir: string, opts: ScaleOptions = {}): Promise<ScaleFigures> {
  const replicas = opts.replicas ?? 1000
  const deployments = opts.deployments ?? 1
  const info = JSON.parse(readFileSync(join(profileDir, 'daemon.json'), 'utf8'))
  const api = new ApiClient(
    info.url,
    readFileSync(join(profileDir, 'ca.crt'), 'utf8'),
    readFileSync(join(profileDir, 'token'), 'utf8').trim(),
  )
  const ns = '/apis/apps/v1/namespaces/default/deployments'
  const names = Array.from({length: deployments}, (_, i) => (i === 0 ? 'scale' : `scale-${i}`))
  for (const name of names) {
    await call(api, 'POST', ns, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {name, labels: {app: name}},
      spec: {
        replicas: 0,
        selector: {matchLabels: {app: name}},
        template: {
          metadata: {labels: {app: name}},
          spec: {containers: [{name: 'pause', image: 'registry.k8s.io/pause:3.10'}]},
        },
      },
    })
  }
  await sleep(200)
  const pods = replicas * deployments
  const t0 = process.hrtime.bigint()
  for (const name of names)
    await call(api, 'PATCH', `${ns}/${name}/scale`, {spec: {replicas}}, 'application/merge-patch+json')
  for (;;) {
    const ready =
      deployments === 1
        ? ((await call(api, 'GET', `${ns}/scale`)).status?.readyReplicas ?? 0)
        : (await call(api, 'GET', ns)).items.reduce((n: number, d: any) => n + (d.status?.readyReplicas ?? 0), 0)
    if (ready >= pods) break
    if (Number(process.hrtime.bigint() - t0) / 1e6 > 600_000)
      throw new Error(`only ${ready} of ${pods} ready after 10 minutes`)
    await sleep(25)
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6
  const pid = info.pid as number
  const rssNow = () => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024
  const burstRssMiB = rssNow()
  const figures = {pods, ms, podsPerSecond: pods / (ms / 1000), burstRssMiB}
  if (opts.idle === false) return {...figures, idleRssMiB: burstRssMiB, idleCpuPercent: NaN}
  // Idle: let the last writes (events, endpoints) finish, then measure CPU over 30 s. The RSS that counts is the
  // one at the end of that window: right after a burst V8 still holds the young garbage of the scale-out, and its
  // memory reducer gives it back only after several quiet seconds (about 10-20 s after the burst, measured), so
  // a reading at 10 s said more about when V8 runs its GC than about what the daemon keeps.
  await sleep(3000)
  const hz = 100
  const c0 = cpuTicks(pid)
  const w0 = Date.now()
  await sleep(30_000)
  const cpu = ((cpuTicks(pid) - c0) / hz / ((Date.now() - w0) / 1000)) * 100
  return {...figures, idleRssMiB: rssNow(), idleCpuPercent: cpu}
}

/** Timed is one client run: wall time, the client's CPU (user+sys, when /usr/bin/time exists) and the daemon's. */
export interface Timed {
  ms: number
  clientCpuMs?: number
  daemonCpuMs: number
}

/** HundredKFigures are what hundredKBench measured (issue 7 §5: 100k pods on 1,000 nodes). */
export interface HundredKFigures {
  pods: number
  /** readyMs runs from the first Deployment's creation until every replica is Ready. */
  readyMs: number
  podsPerSecond: number
  /** get: `get pods -A` (human output, chunks of 500), output to /dev/null: mkctl 3 runs (median by wall), kubectl once. */
  get: {mkctl: Timed[]; mkctlMedianMs: number; kubectl?: Timed}
  getJson: {mkctl: Timed; kubectl?: Timed}
  /** readyRssMiB is the daemon's RSS when the last pod became Ready; peakRssMiB its high-water mark (VmHWM). */
  readyRssMiB: number
  peakRssMiB: number
  /** idleRssMiB is read after idleCpuPercent's window. */
  idleRssMiB: number
  /** idleCpuPercent is the daemon's CPU over three minutes starting a minute after the timed lists. */
  idleCpuPercent: number
  /** idleSamples are that window's 10 s samples, in %. */
  idleSamples: number[]
  /** dbMiB is the profile's state.db with its WAL. */
  dbMiB: number
  /** objects is the number of objects the snapshot held. */
  objects: number
  snapshot: {saveMs: number; restoreMs: number}
}

/**
 * hundredKBench fills a running profile (started with --nodes 1000 --timing fast) with deployments × replicas
 * pause pods, waits until every Deployment is ready, then times `get pods -A` (table and -o json) with mkctl and
 * the real kubectl, the daemon's idle RSS and CPU, and a snapshot save and restore. Run it by hand (tens of minutes):
 * `npx tsx bench/scale.ts 100 1000 scale100k` after `mkctl cluster start -p scale100k --nodes 1000 --timing fast`.
 */
export async function hundredKBench(
  profileDir: string,
  deployments: number,
  replicas: number,
  cli: {mkctl: string[]; env: NodeJS.ProcessEnv; profile: string},
): Promise<HundredKFigures> {
  const {execFileSync, spawnSync} = await import('node:child_process')
  const {existsSync, statSync} = await import('node:fs')
  const log = (s: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`)
  const info = () => JSON.parse(readFileSync(join(profileDir, 'daemon.json'), 'utf8'))
  const client = () =>
    new ApiClient(
      info().url,
      readFileSync(join(profileDir, 'ca.crt'), 'utf8'),
      readFileSync(join(profileDir, 'token'), 'utf8').trim(),
    )
  const api = client()
  const pid = () => info().pid as number
  const status = (field: 'VmRSS' | 'VmHWM') =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid()}/status`, 'utf8'))![1]) / 1024
  const ns = '/apis/apps/v1/namespaces/default/deployments'
  const t0 = Date.now()
  for (let i = 0; i < deployments; i++) {
    await call(api, 'POST', ns, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {name: `d${i}`},
      spec: {
        replicas,
        selector: {matchLabels: {app: `d${i}`}},
        template: {
          metadata: {labels: {app: `d${i}`}},
          spec: {containers: [{name: 'pause', image: 'registry.k8s.io/pause:3.10'}]},
        },
      },
    })
  }
  const want = deployments * replicas
  for (;;) {
    const l = await call(api, 'GET', ns)
    const ready = l.items.reduce((n: number, d: any) => n + (d.status?.readyReplicas ?? 0), 0)
    if (ready >= want) break
    if (Date.now() - t0 > 3_600_000) throw new Error(`only ${ready} of ${want} ready after an hour`)
    log(
      `${ready}/${want} ready after ${Math.round((Date.now() - t0) / 1000)} s, RSS ${Math.round(status('VmRSS'))} MiB`,
    )
    await sleep(5000)
  }
  const readyMs = Date.now() - t0
  const readyRssMiB = status('VmRSS')
  log(
    `all ${want} Ready in ${(readyMs / 1000).toFixed(1)} s (${Math.round(want / (readyMs / 1000))} pods/s), ` +
      `peak RSS so far ${Math.round(status('VmHWM'))} MiB`,
  )
  // The timed lists wait until the daemon is quiet: for a minute or more after the last pod is Ready it still
  // writes what follows (endpoints, events, status), and a list timed meanwhile measured that work (15.9 s, then
  // 7.5 s, then 4.6 s for the same get at 100k pods).
  const quietFrom = Date.now()
  for (;;) {
    const q0 = cpuTicks(pid())
    await sleep(5000)
    const busy = (cpuTicks(pid()) - q0) / 100 / 5
    if (busy < 0.1 || Date.now() - quietFrom > 300_000) {
      log(`daemon at ${Math.round(busy * 100)} % CPU ${Math.round((Date.now() - quietFrom) / 1000)} s after Ready`)
      break
    }
  }
  const hasTime = existsSync('/usr/bin/time')
  // timed runs a client with its output to /dev/null; /usr/bin/time reports the client's CPU on its last stderr line.
  const timed = (cmd: string, args: string[]): Timed => {
    const d0 = cpuTicks(pid())
    const s = process.hrtime.bigint()
    const argv = hasTime ? ['/usr/bin/time', '-f', 'CPU %U %S', cmd, ...args] : [cmd, ...args]
    const r = spawnSync(argv[0]!, argv.slice(1), {
      env: cli.env,
      stdio: ['ignore', 'ignore', 'pipe'],
      maxBuffer: 1 << 30,
      timeout: 1_800_000,
    })
    const ms = Number(process.hrtime.bigint() - s) / 1e6
    const daemonCpuMs = (cpuTicks(pid()) - d0) * 10
    const err = String(r.stderr ?? '')
    if (r.status !== 0)
      throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status} ${r.signal ?? ''}: ${err.slice(-2000)}`)
    const m = /CPU ([\d.]+) ([\d.]+)\s*$/.exec(err)
    const t: Timed = {ms, daemonCpuMs, ...(m ? {clientCpuMs: (Number(m[1]) + Number(m[2])) * 1000} : {})}
    // The daemon's high-water mark so far tells which phase set the peak RSS reported at the end.
    log(
      `${[cmd, ...args].join(' ').slice(-60)}: ${JSON.stringify(t)}, peak RSS so far ${Math.round(status('VmHWM'))} MiB`,
    )
    return t
  }
  const hasKubectl = spawnSync('kubectl', ['version', '--client'], {stdio: 'ignore'}).status === 0
  const kubeconfig = String(cli.env.KUBECONFIG)
  const mkctl = (args: string[]) => timed(cli.mkctl[0]!, [...cli.mkctl.slice(1), ...args])
  const kubectl = (args: string[]) => timed('kubectl', ['--kubeconfig', kubeconfig, ...args])
  const runs = [mkctl(['get', 'pods', '-A']), mkctl(['get', 'pods', '-A']), mkctl(['get', 'pods', '-A'])]
  const get = {
    mkctl: runs,
    mkctlMedianMs: runs.map((r) => r.ms).sort((a, b) => a - b)[1]!,
    ...(hasKubectl ? {kubectl: kubectl(['get', 'pods', '-A'])} : {}),
  }
  const getJson = {
    mkctl: mkctl(['get', 'pods', '-A', '-o', 'json']),
    ...(hasKubectl ? {kubectl: kubectl(['get', 'pods', '-A', '-o', 'json'])} : {}),
  }
  // Idle: CPU, then the RSS (see scaleBench on why the RSS is read at the end of the window). The window
  // opens a minute after the last list: V8's major collection of a 100k-item list's garbage lands in the first
  // half-minute after it (at 10k pods, a 30 s window with a major collection inside read 7.9 %, 1.5 % without).
  // Then three minutes in 10 s samples: a major collection of a heap this size costs seconds of CPU (its concurrent
  // marking threads), and one idle cycle of it inside a 30 s window read 15 % where the minutes around it held ~2 %.
  await sleep(60_000)
  const c0 = cpuTicks(pid())
  const w0 = Date.now()
  const idleSamples: number[] = []
  for (let i = 0; i < 18; i++) {
    const s0 = cpuTicks(pid())
    const at = Date.now()
    await sleep(10_000)
    idleSamples.push(((cpuTicks(pid()) - s0) / 100 / ((Date.now() - at) / 1000)) * 100)
  }
  const idleCpuPercent = ((cpuTicks(pid()) - c0) / 100 / ((Date.now() - w0) / 1000)) * 100
  log(`idle CPU samples (10 s each): ${idleSamples.map((x) => x.toFixed(1)).join(' ')}`)
  const idleRssMiB = status('VmRSS')
  const peakRssMiB = status('VmHWM')
  const db = join(profileDir, 'state.db')
  const size = (f: string) => (existsSync(f) ? statSync(f).size : 0)
  const dbMiB = (size(db) + size(`${db}-wal`)) / 2 ** 20
  log(
    `idle CPU ${idleCpuPercent.toFixed(1)} %, RSS ${Math.round(idleRssMiB)} MiB (peak ${Math.round(peakRssMiB)}), db ${Math.round(dbMiB)} MiB`,
  )
  const mk = (args: string[]) =>
    execFileSync(cli.mkctl[0]!, [...cli.mkctl.slice(1), 'cluster', 'snapshot', ...args, '-p', cli.profile], {
      env: cli.env,
      encoding: 'utf8',
    })
  const saveOut = mk(['save', 'bench', '--force'])
  const saveMs = Number(/in (\d+) ms/.exec(saveOut)![1])
  const restoreOut = mk(['restore', 'bench'])
  const restoreMs = Number(/in (\d+) ms/.exec(restoreOut)![1])
  const rows = Number((/(\d+) objects/.exec(saveOut) ?? [])[1] ?? 0)
  return {
    pods: want,
    readyMs,
    podsPerSecond: want / (readyMs / 1000),
    get,
    getJson,
    readyRssMiB,
    peakRssMiB,
    idleRssMiB,
    idleCpuPercent,
    idleSamples,
    dbMiB,
    objects: rows,
    snapshot: {saveMs, restoreMs},
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!) && process.argv.length >= 4) {
  // `npx tsx bench/scale.ts DEPLOYMENTS REPLICAS [PROFILE]` against $MKCTL_HOME's running profile.
  const [deployments, replicas] = [Number(process.argv[2]), Number(process.argv[3])]
  const profile = process.argv[4] ?? 'scale100k'
  const home = process.env.MKCTL_HOME ?? join(process.env.HOME ?? '', '.mkctl')
  const root = join(import.meta.dirname, '..')
  hundredKBench(join(home, 'profiles', profile), deployments, replicas, {
    mkctl: [process.execPath, join(root, 'bin', 'mkctl.js')],
    env: {...process.env, KUBECONFIG: join(home, 'kubeconfig')},
    profile,
  }).then(
    (f) => console.log(JSON.stringify(f, null, 2)),
    (e) => {
      console.error(e)
      process.exit(1)
    },
  )
}
