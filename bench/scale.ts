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
  // Idle: let the last writes (events, endpoints) finish, then measure.
  await sleep(3000)
  const pid = info.pid as number
  const hz = 100
  const c0 = cpuTicks(pid)
  const w0 = Date.now()
  await sleep(10_000)
  const cpu = ((cpuTicks(pid) - c0) / hz / ((Date.now() - w0) / 1000)) * 100
  const rss = Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024
  return {pods: replicas, ms, podsPerSecond: replicas / (ms / 1000), idleRssMiB: rss, idleCpuPercent: cpu}
}
