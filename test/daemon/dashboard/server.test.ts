// server.test.ts: the dashboard over plain HTTP, without a browser — the ticket from the admin API (behind the
// bearer token), the one-time login and its cookie, refusals (no cookie, a spent or unknown ticket, a foreign Host,
// a write), the pages' content (nodes and pods, workloads, services and ingresses with endpoints, YAML with
// secrets redacted, logs, the request path) and the event stream fed by a store watch.
import assert from 'node:assert/strict'
import {request} from 'node:http'
import {ApiClient} from '../../helpers/http.js'
import {get, startDashboardFixture, type DashboardFixture} from './fixture.js'

describe('dashboard (HTTP)', function () {
  this.timeout(30_000)
  let f: DashboardFixture
  let base: string
  let cookie: string
  const page = async (path: string) => {
    const r = await get(base + path, {Cookie: cookie})
    assert.equal(r.status, 200, `${path}: ${r.text}`)
    return r.text
  }

  before(async () => {
    f = await startDashboardFixture()
    cookie = await f.login()
    base = (await f.api.request('GET', '/mkctl/v1/dashboard')).json.url.replace(/\/$/, '')
  })
  after(async () => f?.t.stop())

  it('hands out tickets only with the token; the listener is on 127.0.0.1', async () => {
    const anon = new ApiClient(f.t.daemon.url, f.t.daemon.caCert, undefined)
    assert.equal((await anon.request('POST', '/mkctl/v1/dashboard/ticket', {})).status, 401)
    const tk = await f.ticket()
    assert.match(tk.loginURL, /^http:\/\/127\.0\.0\.1:\d+\/login\?ticket=[A-Za-z0-9_-]{43}$/)
    assert.equal(`${tk.url}`, `${base}/`)
  })

  it('the login sets an HttpOnly SameSite=Strict cookie and redirects; the ticket works once', async () => {
    const tk = await f.ticket()
    const r = await get(tk.loginURL)
    assert.equal(r.status, 303)
    assert.equal(r.headers.location, '/')
    const set = String((r.headers['set-cookie'] as string[])[0])
    assert.match(set, new RegExp(`^mkctl-dashboard-${tk.port}=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict`))
    const again = await get(tk.loginURL)
    assert.equal(again.status, 401)
    assert.match(again.text, /used already or expired/)
  })

  it('refuses pages, assets and the stream without a valid cookie', async () => {
    for (const path of ['/', '/assets/app.js', '/stream', '/yaml?r=nodes&name=mkctl']) {
      assert.equal((await get(base + path)).status, 401, path)
      const forged = await get(base + path, {Cookie: `${cookie.split('=')[0]}=${'A'.repeat(43)}`})
      assert.equal(forged.status, 401, path)
    }
    assert.equal((await get(`${base}/login?ticket=nope`)).status, 401)
  })

  it('refuses a foreign Host (DNS rebinding) and writes', async () => {
    assert.equal((await get(`${base}/`, {Cookie: cookie, Host: 'evil.example:80'})).status, 421)
    const u = new URL(base)
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {host: u.hostname, port: u.port, path: '/', method: 'POST', headers: {Cookie: cookie}},
        (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        },
      )
      req.on('error', reject)
      req.end()
    })
    assert.equal(status, 405)
  })

  it('sends a strict Content-Security-Policy: only its own script and style', async () => {
    const r = await get(`${base}/`, {Cookie: cookie})
    assert.match(String(r.headers['content-security-policy']), /script-src 'self'/)
    assert.equal(r.headers['x-frame-options'], 'DENY')
    assert.doesNotMatch(r.text, /<script>|https?:\/\/(?!127\.0\.0\.1)/)
  })

  it('nodes page: the node and its pods with status and restarts', async () => {
    const html = await page('/')
    assert.match(html, /<tr data-node="mkctl">.*?<span class="badge ok">Ready<\/span><\/td><td>control-plane<\/td>/)
    const web = html.match(/<tr class="pod ok" data-pod="default\/web-[^"]+">.*?<\/tr>/g) ?? []
    assert.equal(web.length, 2, html)
    assert.match(web[0]!, /<td>1\/1<\/td><td><span class="badge ok">Running<\/span><\/td><td class="restarts">0<\/td>/)
  })

  it('workloads page: deployment → replicaset → pods', async () => {
    const html = await page('/workloads')
    const dep = html.match(/<section class="deployment" data-name="default\/web">.*?<\/section>/)?.[0] ?? ''
    assert.match(dep, /2\/2 ready/)
    assert.match(dep, /<div class="replicaset" data-name="default\/web-[a-z0-9]+">/)
    assert.equal(dep.match(/data-pod="default\/web-/g)?.length, 2)
  })

  it('network page: services and ingresses with their ready endpoints', async () => {
    const html = await page('/network')
    const svc = html.match(/<tr class="service" data-name="default\/web">.*?<\/tr>/)?.[0] ?? ''
    assert.match(svc, /<td class="endpoints ">10\.244\.\d+\.\d+:80, 10\.244\.\d+\.\d+:80<\/td>/)
    const ing = html.match(/<tr class="ingress" data-name="default\/app">.*?<\/tr>/)?.[0] ?? ''
    assert.match(ing, /<td>app\.local<\/td><td>\/<\/td><td>web:80<\/td>/)
  })

  it('YAML of any object (secrets redacted) and logs of a container', async () => {
    assert.match(await page('/yaml?r=apps/deployments&ns=default&name=web'), /kind: Deployment\n/)
    await f.api.request('POST', '/api/v1/namespaces/default/secrets', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {name: 's'},
      stringData: {password: 'hunter2'},
    })
    const sec = await page('/yaml?r=secrets&ns=default&name=s')
    assert.match(sec, /password: &lt;redacted&gt;/)
    assert.doesNotMatch(sec, /hunter2|aHVudGVyMg/)
    const nodes = await page('/')
    const logs = nodes.match(/href="(\/logs\?ns=default&amp;pod=web-[^"]+)"/)![1]!.replaceAll('&amp;', '&')
    assert.match(await page(logs), /<pre id="logs" class="logs">.*nginx/s)
    assert.equal((await get(`${base}/yaml?r=pods&ns=default&name=ghost`, {Cookie: cookie})).status, 404)
  })

  it('request path: ingress rule → service → both endpoints → pod on node → container', async () => {
    const html = await page('/request?host=app.local&path=/')
    const steps = [...html.matchAll(/<g class="hop" data-step="([a-z]+)"(?: data-name="([^"]*)")?/g)].map((m) =>
      m[2] ? `${m[1]} ${m[2]}` : m[1],
    )
    assert.deepEqual(steps.slice(0, 3), ['client', 'ingress default/app', 'service default/web'])
    assert.equal(steps.filter((s) => s!.startsWith('pod default/web-')).length, 2)
    assert.equal(steps.filter((s) => /^container default\/web-.*\/nginx$/.test(s!)).length, 2)
    const miss = await page('/request?host=other.local&path=/')
    assert.match(miss, /data-step="error".*no rule matches/s)
  })

  it('lab view: task titles, revealed hints and pass/fail, never the checks themselves', async () => {
    const lab = [
      'apiVersion: mkctl.dev/v1',
      'kind: Lab',
      'metadata: {name: dash, title: Dashboard lab}',
      'tasks:',
      '- name: web',
      '  title: Run web',
      '  hints: [Use a deployment, Two replicas]',
      '  checks:',
      '  - exists: {resource: deployments, name: web, namespace: default}',
      '  - command: {matches: secret-word-in-check}',
      '- name: db',
      '  title: Run db',
      '  checks:',
      '  - exists: {resource: deployments, name: db-secret-name, namespace: default}',
      '',
    ].join('\n')
    const r = await f.api.request('POST', '/mkctl/v1/lab', {lab, file: '/x/lab.yaml', dir: '/x', name: 'dash', seed: 1})
    assert.equal(r.status, 200, r.text)
    assert.equal((await f.api.request('POST', '/mkctl/v1/lab/hints', {task: 'web', index: 0})).status, 200)
    const html = await page('/lab')
    assert.match(
      html,
      /<section class="task" data-task="web" data-result="pass">.*Run web.*1 of 1 checks pass here; 1 more are graded by/s,
    )
    assert.match(html, /Hints you revealed \(1\/2\)<\/summary><ol><li>Use a deployment<\/li><\/ol>/)
    assert.doesNotMatch(html, /Two replicas|secret-word-in-check|db-secret-name/)
    assert.match(html, /data-task="db" data-result="fail"/)
  })

  it('the stream pushes changes and new Events from a store watch', async () => {
    const u = new URL(`${base}/stream`)
    const got = await new Promise<string>((resolve, reject) => {
      let text = ''
      const req = request({host: u.hostname, port: u.port, path: u.pathname, headers: {Cookie: cookie}}, (res) => {
        assert.equal(res.headers['content-type'], 'text/event-stream; charset=utf-8')
        res.setEncoding('utf8')
        res.on('data', (c: string) => {
          text += c
          if (text.includes('event: hello'))
            void f.api.request('POST', '/api/v1/namespaces/default/events', {
              apiVersion: 'v1',
              kind: 'Event',
              metadata: {name: 'dash-test'},
              involvedObject: {kind: 'Pod', name: 'web-x', namespace: 'default'},
              reason: 'DashboardTest',
              message: 'hello <b>page</b>',
              type: 'Normal',
            })
          if (text.includes('DashboardTest')) {
            req.destroy()
            resolve(text)
          }
        })
      })
      req.on('error', reject)
      req.end()
    })
    const line = got.split('\n').find((l) => l.includes('DashboardTest'))!
    assert.match(line, /^data: \{"html":"<tr class=\\"event\\"/)
    assert.match(line, /hello &lt;b&gt;page&lt;\/b&gt;/)
  })
})
