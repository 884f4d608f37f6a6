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

/** scaleBench runs the scale-out against a running profile directory's daemon. */
export async function scaleBench(profileDir: string, replicas = 1000): Promise<ScaleFigures> {
  const info = JSON.parse(readFileSync(join(profileDir, 'daemon.json'), 'utf8'))
  const api = new ApiClient(
    info.url,
    readFileSync(join(profileDir, 'ca.crt'), 'utf8'),
    readFileSync(join(profileDir, 'token'), 'utf8').trim(),
  )
  const ns = '/apis/apps/v1/namespaces/default/deployments'
  await call(api, 'POST', ns, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {name: 'scale', labels: {app: 'scale'}},
    spec: {
      replicas: 0,
      selector: {matchLabels: {app: 'scale'}},
      template: {
        metadata: {labels: {app: 'scale'}},
        spec: {containers: [{name: 'pause', image: 'registry.k8s.io/pause:3.10'}]},
      },
    },
  })
  await sleep(200)
  const t0 = process.hrtime.bigint()
  await call(api, 'PATCH', `${ns}/scale/scale`, {spec: {replicas}}, 'application/merge-patch+json')
  for (;;) {
    const d = await call(api, 'GET', `${ns}/scale`)
    if ((d.status?.readyReplicas ?? 0) >= replicas) break
    if (Number(process.hrtime.bigint() - t0) / 1e6 > 600_000)
      throw new Error(`only ${d.status?.readyReplicas ?? 0} of ${replicas} ready after 10 minutes`)
    await sleep(25)
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6
  const pid = info.pid as number
  const rssNow = () => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024
  const burstRssMiB = rssNow()
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
  const rss = rssNow()
  return {pods: replicas, ms, podsPerSecond: replicas / (ms / 1000), burstRssMiB, idleRssMiB: rss, idleCpuPercent: cpu}
}

/** HundredKFigures are what hundredKBench measured (issue 7 §5: 100k pods on 1,000 nodes). */
export interface HundredKFigures {
  pods: number
  readyMs: number
  /** getMs: wall time of `get pods -A` (human output, chunks of 500) with each client, output to /dev/null. */
  getMs: {mkctl: number; kubectl?: number}
  getJsonMs: {mkctl: number; kubectl?: number}
  idleRssMiB: number
  idleCpuPercent: number
  /** objects is the number of objects the snapshot held. */
  objects: number
  snapshot: {saveMs: number; restoreMs: number}
}

/**
 * hundredKBench fills a running profile (started with --nodes 1000 --timing fast) with deployments × replicas
 * pause pods, waits until every Deployment is ready, then times `get pods -A` (table and -o json) with mkctl and
 * the real kubectl, the daemon's idle RSS and CPU, and a snapshot save and restore. Run it by hand (minutes):
 * `npx tsx bench/scale.ts 100 1000` after `mkctl cluster start -p scale100k --nodes 1000 --timing fast`.
 */
export async function hundredKBench(
  profileDir: string,
  deployments: number,
  replicas: number,
  cli: {mkctl: string[]; env: NodeJS.ProcessEnv; profile: string},
): Promise<HundredKFigures> {
  const {execFileSync, spawnSync} = await import('node:child_process')
  const info = () => JSON.parse(readFileSync(join(profileDir, 'daemon.json'), 'utf8'))
  const client = () =>
    new ApiClient(
      info().url,
      readFileSync(join(profileDir, 'ca.crt'), 'utf8'),
      readFileSync(join(profileDir, 'token'), 'utf8').trim(),
    )
  const api = client()
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
    process.stderr.write(`\r${ready}/${want} ready after ${Math.round((Date.now() - t0) / 1000)} s   `)
    await sleep(5000)
  }
  const readyMs = Date.now() - t0
  await sleep(5000)
  const timed = (cmd: string, args: string[]) => {
    const s = process.hrtime.bigint()
    const r = spawnSync(cmd, args, {env: cli.env, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30})
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`)
    return Number(process.hrtime.bigint() - s) / 1e6
  }
  const hasKubectl = spawnSync('kubectl', ['version', '--client'], {stdio: 'ignore'}).status === 0
  const kubeconfig = join(profileDir, '..', '..', 'kubeconfig')
  const getMs = {
    mkctl: timed(cli.mkctl[0]!, [...cli.mkctl.slice(1), 'get', 'pods', '-A']),
    ...(hasKubectl ? {kubectl: timed('kubectl', ['--kubeconfig', kubeconfig, 'get', 'pods', '-A'])} : {}),
  }
  const getJsonMs = {
    mkctl: timed(cli.mkctl[0]!, [...cli.mkctl.slice(1), 'get', 'pods', '-A', '-o', 'json']),
    ...(hasKubectl ? {kubectl: timed('kubectl', ['--kubeconfig', kubeconfig, 'get', 'pods', '-A', '-o', 'json'])} : {}),
  }
  const pid = info().pid as number
  const c0 = cpuTicks(pid)
  const w0 = Date.now()
  await sleep(20_000)
  const idleCpuPercent = ((cpuTicks(pid) - c0) / 100 / ((Date.now() - w0) / 1000)) * 100
  const idleRssMiB = Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024
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
    getMs,
    getJsonMs,
    idleRssMiB,
    idleCpuPercent,
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
