// fixture.ts: a small cluster for the dashboard's tests and bench — an in-process daemon (fake clock, fast timing)
// with the ingress addon, a deployment `web` of two nginx pods, its service and an ingress app.local → web:80 —
// and plain HTTP helpers for the dashboard listener (ticket, login, cookie).
import {request} from 'node:http'
import {ApiClient} from '../../helpers/http.js'
import {startTestDaemon, type TestDaemon} from '../../helpers/daemon.js'

/** DashboardFixture is the running cluster and its admin client. */
export interface DashboardFixture {
  t: TestDaemon
  api: ApiClient
  /** ticket asks the admin API for a login ticket. */
  ticket(): Promise<{url: string; loginURL: string; port: number; expiresAt: string}>
  /** login spends a fresh ticket and returns the session cookie ("name=value"). */
  login(): Promise<string>
}

/** Answer is a plain HTTP answer from the dashboard. */
export interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
}

/** get sends one GET to the dashboard (no redirects followed). */
export function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const u = new URL(url)
  return new Promise((resolve, reject) => {
    const req = request({host: u.hostname, port: u.port, path: u.pathname + u.search, headers, agent: false}, (res) => {
      let text = ''
      res.on('data', (c) => (text += c))
      res.on('end', () => resolve({status: res.statusCode ?? 0, headers: res.headers, text}))
    })
    req.on('error', reject)
    req.end()
  })
}

async function ok(api: ApiClient, method: string, path: string, body?: unknown) {
  const r = await api.request(method, path, body)
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.text}`)
  return r.json
}

/** startDashboardFixture starts the cluster and waits (on the fake clock) until web's pods are Ready. */
export async function startDashboardFixture(): Promise<DashboardFixture> {
  const t = await startTestDaemon({timing: 'fast'})
  const api = new ApiClient(t.daemon.url, t.daemon.caCert, t.daemon.token)
  await ok(api, 'POST', '/mkctl/v1/addons/ingress/enable')
  const labels = {app: 'web'}
  await ok(api, 'POST', '/apis/apps/v1/namespaces/default/deployments', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {name: 'web', labels},
    spec: {
      replicas: 2,
      selector: {matchLabels: labels},
      template: {
        metadata: {labels},
        spec: {containers: [{name: 'nginx', image: 'nginx:1.27', ports: [{containerPort: 80}]}]},
      },
    },
  })
  await ok(api, 'POST', '/api/v1/namespaces/default/services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {name: 'web'},
    spec: {selector: labels, ports: [{port: 80, targetPort: 80}]},
  })
  await ok(api, 'POST', '/apis/networking.k8s.io/v1/namespaces/default/ingresses', {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {name: 'app'},
    spec: {
      ingressClassName: 'nginx',
      rules: [
        {
          host: 'app.local',
          http: {paths: [{path: '/', pathType: 'Prefix', backend: {service: {name: 'web', port: {number: 80}}}}]},
        },
      ],
    },
  })
  await t.advance(20_000)
  const f: DashboardFixture = {
    t,
    api,
    ticket: () => ok(api, 'POST', '/mkctl/v1/dashboard/ticket', {}),
    async login() {
      const tk = await f.ticket()
      const r = await get(tk.loginURL)
      if (r.status !== 303) throw new Error(`login answered ${r.status}: ${r.text}`)
      const set = String((r.headers['set-cookie'] as string[] | undefined)?.[0] ?? '')
      return set.split(';')[0]!
    },
  }
  return f
}
