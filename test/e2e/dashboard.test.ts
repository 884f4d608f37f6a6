// dashboard.test.ts drives the dashboard in a real browser (playwright-core with Debian's chromium; installed by
// scripts/ensure-chromium.mjs, skipped with its reason where it cannot be): the page is refused without a ticket,
// the ticket logs in, the nodes table and a deployment's pods show, deleting a pod redraws the page through the
// event stream, the request view draws the hops of an ingress and of a service and follows a scale-up, Events
// arrive live; and `mkctl cluster dashboard --url` prints a login URL that works. Screenshots go to
// test-artifacts/dashboard/. No sleeps: every wait is for a DOM state, with a timeout.
import assert from 'node:assert/strict'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {chromium, type Browser, type BrowserContext, type Page} from 'playwright-core'
import {ensureBuilt} from '../helpers/build.js'
import {startDashboardFixture, type DashboardFixture} from '../daemon/dashboard/fixture.js'

const ROOT = join(import.meta.dirname, '..', '..')
const ARTIFACTS = join(ROOT, 'test-artifacts', 'dashboard')
const WAIT = {timeout: 10_000}

/** browserPath finds chromium, installing it when scripts/ensure-chromium.mjs can; else the reason to skip. */
async function browserPath(): Promise<{path?: string; why?: string}> {
  const spec = join(ROOT, 'scripts', 'ensure-chromium.mjs')
  const m = (await import(spec)) as {chromiumPath: string; ensureChromium(): string | undefined}
  const why = m.ensureChromium()
  return why ? {why} : {path: m.chromiumPath}
}

describe('dashboard in a browser', function () {
  this.timeout(60_000)
  let f: DashboardFixture
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let base: string

  const shot = async (name: string) => {
    mkdirSync(ARTIFACTS, {recursive: true})
    await page.screenshot({path: join(ARTIFACTS, `${name}.png`), fullPage: true})
  }
  const webPods = () =>
    page.locator('tr[data-pod^="default/web-"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-pod')))
  const hops = () =>
    page
      .locator('g.hop')
      .evaluateAll((gs) => gs.map((g) => `${g.getAttribute('data-step')} ${g.getAttribute('data-name') ?? ''}`.trim()))

  before(async function () {
    const b = await browserPath()
    if (!b.path) {
      console.log(`      (skipped: ${b.why})`)
      this.skip()
    }
    f = await startDashboardFixture()
    browser = await chromium.launch({
      executablePath: b.path,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    })
    context = await browser.newContext({viewport: {width: 1400, height: 900}})
    page = await context.newPage()
    const tk = await f.ticket()
    base = tk.url.replace(/\/$/, '')
  })
  after(async () => {
    await browser?.close()
    await f?.t.stop()
  })

  it('is refused without a ticket', async () => {
    const r = await page.goto(`${base}/`)
    assert.equal(r?.status(), 401)
    assert.match((await page.textContent('h1')) ?? '', /401 Unauthorized/)
    await shot('refused')
  })

  it('logs in with the ticket and shows the nodes and the deployment’s pods', async () => {
    const tk = await f.ticket()
    await page.goto(tk.loginURL)
    assert.equal(page.url(), `${base}/`)
    await page.waitForSelector('#nodes tr[data-node="mkctl"]', WAIT)
    assert.match((await page.textContent('#nodes tr[data-node="mkctl"]')) ?? '', /mkctl\s*Ready\s*control-plane/)
    assert.equal((await webPods()).length, 2)
    await page.waitForSelector('body[data-stream="open"]', WAIT)
    await shot('nodes')
  })

  it('redraws live when a pod is deleted (event stream, no reload)', async () => {
    const before = await webPods()
    const gone = before[0]!.split('/')[1]!
    await page.evaluate(() => ((globalThis as any).__sameDocument = true))
    const r = await f.api.request('DELETE', `/api/v1/namespaces/default/pods/${gone}`, {gracePeriodSeconds: 0})
    assert.equal(r.status, 200, r.text)
    await f.t.advance(5_000)
    await page.waitForSelector(`tr[data-pod="default/${gone}"]`, {...WAIT, state: 'detached'})
    await page.waitForFunction(
      () => (globalThis as any).document.querySelectorAll('tr[data-pod^="default/web-"] .badge.ok').length === 2,
      undefined,
      WAIT,
    )
    const after = await webPods()
    assert.equal(after.length, 2)
    assert.ok(!after.includes(`default/${gone}`))
    assert.equal(await page.evaluate(() => (globalThis as any).__sameDocument), true, 'the page was not reloaded')
    await shot('nodes-after-delete')
  })

  it('draws the request path of an ingress rule: rule → service → endpoints → pods → containers', async () => {
    await page.goto(`${base}/request?host=app.local&path=/`)
    await page.waitForSelector('svg.request-path g.hop[data-step="container"]', WAIT)
    const h = await hops()
    assert.deepEqual(h.slice(0, 3), ['client', 'ingress default/app', 'service default/web'])
    assert.equal(h.filter((x) => x === 'endpoint').length, 2)
    const pods = h.filter((x) => x.startsWith('pod ')).map((x) => x.slice(4))
    const listed = (await f.api.request('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dweb')).json.items
    assert.deepEqual(pods.sort(), listed.map((p: any) => `default/${p.metadata.name}`).sort())
    assert.equal(h.filter((x) => /^container default\/web-\S+\/nginx$/.test(x)).length, 2)
    await shot('request-ingress')
  })

  it('draws the path to a service and follows a scale-up live', async () => {
    await page.goto(`${base}/request?service=default/web`)
    await page.waitForSelector('body[data-stream="open"]', WAIT)
    assert.deepEqual((await hops()).slice(0, 2), ['client', 'service default/web'])
    assert.equal((await hops()).filter((x) => x.startsWith('pod ')).length, 2)
    const r = await f.api.request(
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/web/scale',
      {spec: {replicas: 3}},
      {'Content-Type': 'application/merge-patch+json'},
    )
    assert.equal(r.status, 200, r.text)
    await f.t.advance(10_000)
    await page.waitForFunction(
      () => (globalThis as any).document.querySelectorAll('g.hop[data-step="container"]').length === 3,
      undefined,
      WAIT,
    )
    await shot('request-service')
  })

  it('shows Events as they happen', async () => {
    await page.goto(`${base}/events`)
    await page.waitForSelector('body[data-stream="open"]', WAIT)
    await f.api.request('POST', '/api/v1/namespaces/default/events', {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {name: 'browser-test'},
      involvedObject: {kind: 'Pod', name: 'web', namespace: 'default'},
      reason: 'BrowserTest',
      message: 'seen live',
      type: 'Warning',
    })
    await page.waitForSelector('#events tbody tr.fresh:has-text("BrowserTest")', WAIT)
    await shot('events')
  })
})

describe('mkctl cluster dashboard', function () {
  this.timeout(120_000)
  let f: DashboardFixture

  before(async function () {
    ensureBuilt()
    f = await startDashboardFixture()
    // A profile whose daemon is this in-process one: the CLI reads daemon.json, ca.crt and token.
    const dir = join(f.t.home, 'profiles', 'mkctl')
    mkdirSync(dir, {recursive: true})
    const cfg = {name: 'mkctl', nodes: 1, cpus: 2, memoryMiB: 2048, timing: 'fast'}
    writeFileSync(join(dir, 'config.json'), JSON.stringify(cfg))
    writeFileSync(
      join(dir, 'daemon.json'),
      JSON.stringify({pid: process.pid, url: f.t.daemon.url, port: f.t.daemon.port}),
    )
    writeFileSync(join(dir, 'ca.crt'), f.t.daemon.caCert)
    writeFileSync(join(dir, 'token'), `${f.t.daemon.token}\n`)
  })
  after(async () => f?.t.stop())

  it('--url prints only a login URL, which logs in once', async () => {
    const r = await f.t.mkctl(['cluster', 'dashboard', '--url'])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /^http:\/\/127\.0\.0\.1:\d+\/login\?ticket=[A-Za-z0-9_-]{43}\n$/)
    const {get} = await import('../daemon/dashboard/fixture.js')
    assert.equal((await get(r.stdout.trim())).status, 303)
    assert.equal((await get(r.stdout.trim())).status, 401)
  })

  it('without --url prints minikube-like lines, then the URL', async () => {
    const r = await f.t.mkctl(['cluster', 'dashboard'])
    assert.equal(r.code, 0, r.stderr)
    const lines = r.stdout.trimEnd().split('\n')
    assert.equal(lines[0], '* Verifying dashboard health ...')
    assert.match(lines[1]!, /^\* The dashboard is served on http:\/\/127\.0\.0\.1:\d+\/$/)
    assert.match(lines[3]!, /^http:\/\/127\.0\.0\.1:\d+\/login\?ticket=/)
  })

  it('a stopped profile gives minikube’s not-running error', async () => {
    const r = await f.t.mkctl(['cluster', 'dashboard', '-p', 'other'])
    assert.notEqual(r.code, 0)
    assert.match(r.stderr, /Profile "other" not found|not running/)
  })
})
