// ingress.test.ts: the ingress addon end to end — enable it through the admin API, then requests from the host
// enter the loopback listener, cross the controller pod (whose log shows them) and reach the backend pod chosen by
// the Ingress rules; kubectl sees the ingress's address; a NetworkPolicy can shut the backend off.
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {request as httpRequest} from 'node:http'
import {X509Certificate} from 'node:crypto'
import {writeFileSync} from 'node:fs'
import {request as httpsRequest} from 'node:https'
import {join} from 'node:path'
import type {TLSSocket} from 'node:tls'
import {generateTLS} from '../../../src/daemon/tls.js'
import {ApiClient} from '../../helpers/http.js'
import {kubectlAvailable, startTestDaemon, type TestDaemon} from '../../helpers/daemon.js'

function get(url: string, host: string, path = '/'): Promise<{status: number; body: string; cert?: string}> {
  const u = new URL(url)
  const tls = u.protocol === 'https:'
  return new Promise((resolve, reject) => {
    const req = (tls ? httpsRequest : httpRequest)(
      {
        host: '127.0.0.1',
        port: u.port,
        path,
        headers: {Host: host, 'User-Agent': 'curl/8.5.0'},
        agent: false,
        servername: host,
        rejectUnauthorized: false,
      },
      (res) => {
        let body = ''
        res.on('data', (c) => (body += c))
        const cert = tls ? (res.socket as TLSSocket).getPeerCertificate().fingerprint256 : undefined
        res.on('end', () => resolve({status: res.statusCode ?? 0, body, ...(cert ? {cert} : {})}))
      },
    )
    req.on('error', reject)
    req.end()
  })
}

describe('ingress addon', function () {
  this.timeout(60_000)
  let t: TestDaemon
  let api: ApiClient
  let url: string
  let httpsUrl: string
  const ok = async (args: string[], input?: string) => {
    const r = await t.kubectl(args, input === undefined ? {} : {input})
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`)
    await t.settle()
    return r.stdout
  }

  before(async function () {
    if (!kubectlAvailable()) this.skip()
    t = await startTestDaemon({timing: 'fast'})
    api = new ApiClient(t.daemon.url, t.daemon.caCert, t.daemon.token)
    const r = await api.request('POST', '/mkctl/v1/addons/ingress/enable')
    assert.equal(r.status, 200, r.text)
    const urls = (r.json as {urls: {url: string}[]}).urls.map((u) => u.url)
    url = urls.find((u) => u.startsWith('http:'))!
    httpsUrl = urls.find((u) => u.startsWith('https:'))!
    await t.advance(15_000)
    await ok(['create', 'deployment', 'web', '--image=nginx:1.27', '--port=80'])
    await ok(['expose', 'deployment', 'web', '--port=80'])
    await ok([
      'create',
      'deployment',
      'api',
      '--image=hashicorp/http-echo',
      '--port=5678',
      '--',
      '/http-echo',
      '-text=hello from api',
    ])
    await ok(['expose', 'deployment', 'api', '--port=5678'])
    await ok(['create', 'ingress', 'app', '--rule=app.local/*=web:80', '--rule=app.local/api*=api:5678'])
    await t.advance(15_000)
  })
  after(async () => t?.stop())

  it("lists the addon as enabled and creates minikube's objects", async () => {
    const list = (await api.request('GET', '/mkctl/v1/addons')).json as {name: string; enabled: boolean}[]
    assert.equal(list.find((a) => a.name === 'ingress')?.enabled, true)
    assert.match(await ok(['get', 'ingressclass']), /^nginx\s+k8s\.io\/ingress-nginx\s+<none>/m)
    assert.match(
      await ok(['get', 'svc', '-n', 'ingress-nginx']),
      /ingress-nginx-controller\s+NodePort\s+10\.\d+\.\d+\.\d+\s+<none>\s+80:3\d{4}\/TCP,443:3\d{4}\/TCP/,
    )
    assert.match(await ok(['get', 'pods', '-n', 'ingress-nginx']), /ingress-nginx-controller-\S+\s+1\/1\s+Running/)
  })

  it('routes by host and path to the right backend, from the host listener', async () => {
    const home = await get(url, 'app.local')
    assert.equal(home.status, 200)
    assert.match(home.body, /Welcome to nginx!/)
    const apiAnswer = await get(url, 'app.local', '/api/users')
    assert.equal(apiAnswer.status, 200)
    assert.equal(apiAnswer.body.trim(), 'hello from api')
    const other = await get(url, 'other.local')
    assert.equal(other.status, 404)
    assert.match(other.body, /404 Not Found/)
  })

  it('publishes the node address in the ingress status, as kubectl shows it', async () => {
    assert.match(await ok(['get', 'ingress', 'app']), /^app\s+nginx\s+app\.local\s+192\.168\.49\.2\s+80\s/m)
  })

  it("logs the request in the controller's log and in the serving pod's log", async () => {
    await get(url, 'app.local', '/from-test')
    const ctl = await ok(['logs', '-n', 'ingress-nginx', 'deploy/ingress-nginx-controller'])
    assert.match(
      ctl,
      /192\.168\.49\.1 - - \[[^\]]+\] "GET \/from-test HTTP\/1\.1" 404 \d+ "-" "curl\/8\.5\.0" \d+ [\d.]+ \[default-web-80\] \[\] 10\.244\.\d+\.\d+:80 \d+ [\d.]+ 404 [0-9a-f]{32}/,
    )
    const web = await ok(['logs', 'deploy/web'])
    assert.match(
      web,
      /10\.244\.\d+\.\d+ - - \[[^\]]+\] "GET \/from-test HTTP\/1\.1" 404 \d+ "-" "curl\/8\.5\.0" "192\.168\.49\.1"/,
    )
  })

  it('kubectl logs -f deploy/web shows the access line of a request through the ingress within a second', async () => {
    const child = spawn('kubectl', ['--kubeconfig', t.kubeconfig, 'logs', '-f', 'deploy/web'], {
      env: {...process.env, HOME: t.home},
    })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    try {
      // kubectl has printed the existing lines once it follows.
      for (let i = 0; i < 100 && !out.includes('start worker process'); i++) await new Promise((r) => setTimeout(r, 50))
      const sent = Date.now()
      assert.equal((await get(url, 'app.local', '/followed')).status, 404)
      while (!out.includes('"GET /followed HTTP/1.1"') && Date.now() - sent < 1000)
        await new Promise((r) => setTimeout(r, 20))
      assert.match(out, /"GET \/followed HTTP\/1\.1" 404/, `no access line within 1 s:\n${out}`)
    } finally {
      child.kill()
    }
  })

  it("terminates TLS with the ingress's secret, and a NetworkPolicy can cut the backend off", async () => {
    assert.ok(httpsUrl)
    const before = await get(httpsUrl, 'app.local')
    assert.equal(before.status, 200)
    const pair = await generateTLS()
    writeFileSync(join(t.home, 'tls.crt'), pair.cert)
    writeFileSync(join(t.home, 'tls.key'), pair.key)
    await ok([
      'create',
      'secret',
      'tls',
      'app-tls',
      `--cert=${join(t.home, 'tls.crt')}`,
      `--key=${join(t.home, 'tls.key')}`,
    ])
    await ok([
      'patch',
      'ingress',
      'app',
      '--type=merge',
      '-p',
      '{"spec":{"tls":[{"hosts":["app.local"],"secretName":"app-tls"}]}}',
    ])
    const secured = await get(httpsUrl, 'app.local')
    assert.equal(secured.status, 200)
    assert.equal(secured.cert, new X509Certificate(pair.cert).fingerprint256)
    assert.notEqual(before.cert, secured.cert, 'the default certificate served before the secret existed')
    await ok(
      ['apply', '-f', '-'],
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny-web}\nspec:\n  podSelector: {matchLabels: {app: web}}\n',
    )
    assert.equal((await get(url, 'app.local')).status, 504)
    await ok(['delete', 'networkpolicy', 'deny-web'])
    assert.equal((await get(url, 'app.local')).status, 200)
  })

  it('traces a request from the host through the ingress to the backend, hop by hop', async () => {
    const r = await api.request('POST', '/mkctl/v1/trace', {url: 'http://app.local/api/users'})
    assert.equal(r.status, 200, r.text)
    const tr = r.json as {
      hops: {step: string; detail: string}[]
      response: {status: number; pod: string; container: string}
    }
    const steps = tr.hops.map((h) => h.step)
    assert.deepEqual(steps, [
      'node',
      'node',
      'service',
      'endpoint',
      'pod',
      'container',
      'ingress',
      'service',
      'endpoint',
      'pod',
      'container',
    ])
    assert.match(tr.hops[6]!.detail, /^ingress default\/app rule app\.local\/api Prefix → service api port 5678$/)
    assert.match(tr.response.pod, /^default\/api-/)
    assert.equal(tr.response.status, 200)
    const svc = (await api.request('POST', '/mkctl/v1/trace', {service: {namespace: 'default', name: 'web'}})).json as {
      hops: {step: string}[]
    }
    assert.deepEqual(
      svc.hops.map((h) => h.step),
      ['service', 'endpoint', 'pod', 'container'],
    )
    const none = (await api.request('POST', '/mkctl/v1/trace', {url: 'http://nowhere.local/'})).json as {
      hops: {step: string; detail: string}[]
    }
    assert.match(none.hops.at(-1)!.detail, /no Ingress rule matches host nowhere\.local/)
  })

  it('disables the addon and closes its listener', async () => {
    const r = await api.request('POST', '/mkctl/v1/addons/ingress/disable')
    assert.equal(r.status, 200, r.text)
    await assert.rejects(get(url, 'app.local'))
    const list = (await api.request('GET', '/mkctl/v1/addons')).json as {name: string; enabled: boolean}[]
    assert.equal(list.find((a) => a.name === 'ingress')?.enabled, false)
  })
})
