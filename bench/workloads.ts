// workloads.ts: the costs of touching workloads, each against a baseline measured in the same run on this machine.
// (a) Requests per second through the ingress addon's loopback listener to a simulated nginx (host listener ->
//     NodePort -> controller pod -> Ingress rule -> Service -> pod), against a bare node:http server on loopback
//     answering the same page, with the same client (keep-alive, 16 in flight).
// (b) exec round trip (`echo hi` in a container over the WebSocket channel protocol, connection to exit status),
//     against a bare `ws` server over TLS on loopback that answers one message and closes.
import {readFileSync} from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'
import WebSocket, {WebSocketServer} from 'ws'
import {generateTLS} from '../src/daemon/tls.js'
import {ApiClient} from '../test/helpers/http.js'

const REQUESTS = 3000
const IN_FLIGHT = 16
const EXECS = 60

/** WorkloadFigures are what workloadsBench measured. */
export interface WorkloadFigures {
  ingressRps: number
  baselineRps: number
  execMs: number
  baselineWsMs: number
}

async function call(api: ApiClient, method: string, path: string, body?: unknown): Promise<any> {
  const r = await api.request(method, path, body, body === undefined ? {} : {'Content-Type': 'application/json'})
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.text}`)
  return r.json
}

/** hammer sends n GETs with a fixed number in flight over keep-alive connections; it returns requests per second. */
async function hammer(port: number, host: string, n: number): Promise<number> {
  const agent = new http.Agent({keepAlive: true, maxSockets: IN_FLIGHT})
  let sent = 0
  let failed = 0
  const one = () =>
    new Promise<void>((resolve) => {
      const req = http.request({host: '127.0.0.1', port, path: '/', headers: {Host: host}, agent}, (res) => {
        res.resume()
        res.on('end', () => {
          if (res.statusCode !== 200) failed++
          resolve()
        })
      })
      req.on('error', () => {
        failed++
        resolve()
      })
      req.end()
    })
  const t0 = process.hrtime.bigint()
  await Promise.all(
    Array.from({length: IN_FLIGHT}, async () => {
      while (sent < n) {
        sent++
        await one()
      }
    }),
  )
  const s = Number(process.hrtime.bigint() - t0) / 1e9
  agent.destroy()
  if (failed > 0) throw new Error(`${failed} of ${n} requests failed`)
  return n / s
}

function execOnce(url: string, token: string, ca: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint()
    const ws = new WebSocket(url, ['v5.channel.k8s.io'], {headers: {Authorization: `Bearer ${token}`}, ca})
    let out = ''
    ws.on('message', (d: Buffer) => {
      if (d[0] === 1) out += d.subarray(1).toString()
    })
    ws.on('close', () => {
      if (out !== 'hi\n') reject(new Error(`exec answered ${JSON.stringify(out)}`))
      else resolve(Number(process.hrtime.bigint() - t0) / 1e6)
    })
    ws.on('error', reject)
  })
}

function wsBaselineOnce(port: number, ca: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint()
    const ws = new WebSocket(`wss://127.0.0.1:${port}`, ['v5.channel.k8s.io'], {ca})
    ws.on('close', () => resolve(Number(process.hrtime.bigint() - t0) / 1e6))
    ws.on('error', reject)
  })
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** workloadsBench runs both measures against a running profile's daemon. */
export async function workloadsBench(profileDir: string): Promise<WorkloadFigures> {
  const info = JSON.parse(readFileSync(join(profileDir, 'daemon.json'), 'utf8'))
  const ca = readFileSync(join(profileDir, 'ca.crt'), 'utf8')
  const token = readFileSync(join(profileDir, 'token'), 'utf8').trim()
  const api = new ApiClient(info.url, ca, token)

  const enabled = await call(api, 'POST', '/mkctl/v1/addons/ingress/enable')
  const ingressUrl = new URL((enabled.urls as {url: string}[]).find((u) => u.url.startsWith('http:'))!.url)
  const labels = {app: 'bench'}
  await call(api, 'POST', '/apis/apps/v1/namespaces/default/deployments', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {name: 'bench', labels},
    spec: {
      replicas: 2,
      selector: {matchLabels: labels},
      template: {metadata: {labels}, spec: {containers: [{name: 'nginx', image: 'nginx:1.27'}]}},
    },
  })
  await call(api, 'POST', '/api/v1/namespaces/default/services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {name: 'bench'},
    spec: {selector: labels, ports: [{port: 80}]},
  })
  await call(api, 'POST', '/apis/networking.k8s.io/v1/namespaces/default/ingresses', {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {name: 'bench'},
    spec: {
      rules: [
        {
          host: 'bench.local',
          http: {paths: [{path: '/', pathType: 'Prefix', backend: {service: {name: 'bench', port: {number: 80}}}}]},
        },
      ],
    },
  })
  await call(api, 'POST', '/mkctl/v1/time/advance', {ms: 30_000})
  // Warm up both paths, then measure.
  await hammer(Number(ingressUrl.port), 'bench.local', 200)
  const ingressRps = await hammer(Number(ingressUrl.port), 'bench.local', REQUESTS)

  const page = await new Promise<string>((resolve) => {
    http.get({host: '127.0.0.1', port: ingressUrl.port, path: '/', headers: {Host: 'bench.local'}}, (res) => {
      let b = ''
      res.on('data', (c) => (b += c))
      res.on('end', () => resolve(b))
    })
  })
  const bare = http.createServer((_req, res) => {
    res.writeHead(200, {'Content-Type': 'text/html'})
    res.end(page)
  })
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', () => r()))
  const barePort = (bare.address() as AddressInfo).port
  await hammer(barePort, 'bench.local', 200)
  const baselineRps = await hammer(barePort, 'bench.local', REQUESTS)
  bare.close()

  const pods = await call(api, 'GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dbench')
  const pod = pods.items[0].metadata.name as string
  const execUrl =
    info.url.replace(/^https/, 'wss') +
    `/api/v1/namespaces/default/pods/${pod}/exec?command=echo&command=hi&container=nginx&stdout=true&stderr=true`
  const execTimes: number[] = []
  for (let i = 0; i < EXECS + 5; i++) {
    const ms = await execOnce(execUrl, token, ca)
    if (i >= 5) execTimes.push(ms)
  }

  // The baseline speaks TLS too (a certificate of the same kind as the daemon's), so only the exec work differs.
  const tls = await generateTLS()
  const server = https.createServer({cert: tls.cert, key: tls.key})
  const wss = new WebSocketServer({server, handleProtocols: () => 'v5.channel.k8s.io'})
  wss.on('connection', (ws) => {
    ws.send(Buffer.from([1, ...Buffer.from('hi\n')]))
    ws.close(1000)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  const wsPort = (server.address() as AddressInfo).port
  const wsTimes: number[] = []
  for (let i = 0; i < EXECS + 5; i++) {
    const ms = await wsBaselineOnce(wsPort, tls.caCert)
    if (i >= 5) wsTimes.push(ms)
  }
  wss.close()
  server.close()
  return {ingressRps, baselineRps, execMs: median(execTimes), baselineWsMs: median(wsTimes)}
}
