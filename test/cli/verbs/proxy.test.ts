// proxy.test.ts runs `kubectl proxy` and `mkctl proxy` (both on --port=0) against twin daemons and compares what
// each answers through its proxy: status, body and the headers net/http sets, for forwarded API reads, the default
// filter's refusals (exec/attach paths, non-loopback Host headers: 403 "Forbidden"), ServeMux redirects and 404s,
// other API prefixes and --www static files; it also checks mkctl's answer equals a direct request to the daemon,
// and the flag and listen errors against kubectl's. Cost: ~4 s (two proxies per configuration).
import assert from 'node:assert/strict'
import {spawn, type ChildProcess} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {extractHost, filterAccepts, makeRegexpArray} from '../../../src/cli/client/proxy-server.js'
import {ensureBuilt} from '../../helpers/build.js'
import {normalize, startTwins, type Twins} from '../../helpers/differential.js'
import type {TestDaemon} from '../../helpers/daemon.js'

const ROOT = join(import.meta.dirname, '..', '..', '..')

interface Running {
  child: ChildProcess
  port: number
  stderr: () => string
}

/** startProxy spawns a proxy on --port=0 and resolves once it printed where it serves. */
function startProxy(d: TestDaemon, bin: 'kubectl' | 'mkctl', args: string[]): Promise<Running> {
  const env = {...process.env, KUBECONFIG: d.kubeconfig, MKCTL_HOME: d.home, MKCTL_AUTOSTART: '0', HOME: d.home}
  const child =
    bin === 'kubectl'
      ? spawn('kubectl', ['proxy', '--port=0', ...args], {env})
      : spawn(process.execPath, [join(ROOT, 'bin', 'mkctl.js'), 'proxy', '--port=0', ...args], {env})
  let out = ''
  let err = ''
  child.stderr!.on('data', (b) => (err += b))
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (b) => {
      out += b
      const m = /^Starting to serve on 127\.0\.0\.1:(\d+)\n/.exec(out)
      if (m) resolve({child, port: Number(m[1]), stderr: () => err})
    })
    child.on('exit', (code) => reject(new Error(`${bin} proxy exited ${code}: ${out}${err}`)))
  })
}

interface Answer {
  status: number
  headers: Record<string, string>
  body: string
}

const SHOWN = ['content-type', 'content-length', 'location', 'x-content-type-options']

function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({host: '127.0.0.1', port, path, method, headers}, (res) => {
      let body = ''
      res.on('data', (b) => (body += b))
      res.on('end', () => {
        const h: Record<string, string> = {}
        for (const k of SHOWN) if (res.headers[k] !== undefined) h[k] = String(res.headers[k])
        resolve({status: res.statusCode ?? 0, headers: h, body})
      })
    })
    req.on('error', reject)
    req.end()
  })
}

const scrub = (a: Answer | undefined) =>
  a && {...a, body: normalize({stdout: a.body, stderr: '', code: 0}, 'mkctl').stdout}

describe('mkctl proxy (differential)', function () {
  this.timeout(120000)
  let t: Twins
  let www: string
  before(async function () {
    t = await startTwins(this)
    ensureBuilt()
    await t.setup(['create', 'configmap', 'cm', '--from-literal=a=b'])
    www = mkdtempSync(join(tmpdir(), 'mkctl-proxy-www-'))
    mkdirSync(join(www, 'sub'))
    writeFileSync(join(www, 'hello.txt'), 'hello\n')
    writeFileSync(join(www, 'sub', 'a.json'), '{}\n')
  })
  after(async () => {
    await t?.stop()
    if (www) rmSync(www, {recursive: true, force: true})
  })

  /** both starts a proxy per twin with args, runs f against each port, and stops them. */
  async function both(args: string[], f: (port: number) => Promise<void>, check?: (port: number) => Promise<void>) {
    const [k, m] = await Promise.all([startProxy(t.k, 'kubectl', args), startProxy(t.m, 'mkctl', args)])
    try {
      await f(k.port)
      await f(m.port)
      await check?.(m.port)
    } finally {
      k.child.kill()
      m.child.kill()
    }
  }

  const DEFAULT_PATHS: [string, Record<string, string>?, string?][] = [
    ['/api/v1/namespaces/default/configmaps/cm'],
    ['/api/v1/namespaces/default/configmaps?fieldSelector=metadata.name%3Dcm'],
    ['/api/v1/namespaces/default/configmaps/nope'],
    ['/apis/apps/v1'],
    ['/version'],
    ['/api/v1/namespaces/default/pods/x/exec?command=sh'],
    ['/api/v1/namespaces/default/pods/x/attach'],
    ['/api/v1/namespaces/default/pods/x/%65xec'],
    ['/api/v1/namespaces/default/configmaps/cm', {Host: 'evil.example.com'}],
    ['/api/v1/namespaces/default/configmaps/cm', {Host: 'localhost:8001'}],
    ['/api/v1/namespaces/default/configmaps/cm', {Host: '[::1]:8001'}],
    ['/api/v1/namespaces/default/configmaps/cm', {Host: '127.0.0.1.nip.io'}],
    ['//api/v1/namespaces/default/configmaps/cm'],
    ['/api/v1/../v1/namespaces'],
    ['/api/v1/namespaces/default/configmaps/cm', {}, 'HEAD'],
  ]

  it('forwards API requests and refuses what the default filter refuses, as kubectl does', async () => {
    const seen: Answer[][] = [[], []]
    let i = 0
    await both(
      [],
      async (port) => {
        for (const [path, headers, method] of DEFAULT_PATHS) seen[i]!.push(await get(port, path, headers, method))
        i++
      },
      async (port) => {
        // through mkctl's proxy == straight to the daemon with the kubeconfig's token
        const direct = await new Promise<string>((resolve, reject) => {
          const u = new URL('/api/v1/namespaces/default/configmaps/cm', t.m.daemon.url)
          https
            .get(u, {ca: t.m.daemon.caCert, headers: {Authorization: `Bearer ${t.m.daemon.token}`}}, (res) => {
              let b = ''
              res.on('data', (c) => (b += c))
              res.on('end', () => resolve(b))
            })
            .on('error', reject)
        })
        assert.equal((await get(port, '/api/v1/namespaces/default/configmaps/cm')).body, direct)
        assert.equal((await get(port, '/api/v1/namespaces/default/pods/p/exec')).body, 'Forbidden\n')
        assert.equal((await get(port, '/api/v1/namespaces/default/pods', {Host: 'example.com'})).status, 403)
      },
    )
    DEFAULT_PATHS.forEach(([path, headers, method], j) => {
      assert.deepEqual(
        scrub(seen[1]![j]!),
        scrub(seen[0]![j]!),
        `${method ?? 'GET'} ${path} ${JSON.stringify(headers)}`,
      )
    })
    assert.equal(seen[1]![5]!.status, 403)
    assert.equal(seen[1]![8]!.status, 403)
  })

  const CONFIGS: [string[], string[]][] = [
    [['--api-prefix=/custom'], ['/custom/api/v1/namespaces/default/configmaps/cm', '/custom', '/api/v1', '/custom/']],
    [['--api-prefix=/api/'], ['/api/v1/namespaces/default/configmaps/cm', '/apis/apps/v1', '/version']],
    [['--disable-filter'], ['/api/v1/namespaces/default/pods/x/exec']],
    [['--reject-methods=^GET$'], ['/version']],
    [
      ['--accept-paths=^/api/v1/namespaces/default/configmaps'],
      ['/api/v1/namespaces/default/configmaps/cm', '/version'],
    ],
    [['--accept-hosts=^evil$', '--reject-paths='], ['/version']],
    [
      ['--www=WWW'],
      ['/static/hello.txt', '/static/sub', '/static/sub/', '/static/nope', '/static/../version', '/version'],
    ],
    [
      ['--www=WWW', '-P', '/files'],
      ['/files/hello.txt', '/static/hello.txt'],
    ],
  ]
  for (const [args, paths] of CONFIGS) {
    it(`proxy ${args.join(' ')}: ${paths.join(' ')}`, async () => {
      const seen: Answer[][] = [[], []]
      let i = 0
      await both(
        args.map((a) => a.replace('WWW', www)),
        async (port) => {
          for (const p of paths) seen[i]!.push(await get(port, p))
          i++
        },
      )
      paths.forEach((p, j) => assert.deepEqual(scrub(seen[1]![j]), scrub(seen[0]![j]), p))
    })
  }

  const ERRORS = [
    ['proxy', '-u', 'SOCK', '-p', '5'],
    ['proxy', '-p', 'x'],
    ['proxy', '--keepalive=x'],
    ['proxy', '-p', '70000'],
    ['proxy', '--address=::1', '-p', '0'],
    ['proxy', '--address=1.2.3.4', '-p', '0'],
  ]
  for (const args of ERRORS) {
    it(`${args.join(' ')} fails as kubectl does`, async () => {
      const r = await t.same(args.map((a) => a.replace('SOCK', join(t.m.home, 'sock'))))
      assert.notEqual(r.code, 0)
    })
  }
})

describe('proxy filter', () => {
  it("follows kubectl's FilterServer.accept with the default expressions", () => {
    const f = {
      acceptPaths: makeRegexpArray('^.*'),
      rejectPaths: makeRegexpArray('^/api/.*/pods/.*/exec,^/api/.*/pods/.*/attach'),
      acceptHosts: makeRegexpArray('^localhost$,^127\\.0\\.0\\.1$,^\\[::1\\]$'),
      rejectMethods: makeRegexpArray('^$'),
    }
    assert.equal(filterAccepts(f, 'GET', '/api/v1/pods', 'localhost'), true)
    assert.equal(filterAccepts(f, 'GET', '/api/v1/pods', '127.0.0.1'), true)
    assert.equal(filterAccepts(f, 'GET', '/api/v1/pods', '[::1]'), true)
    assert.equal(filterAccepts(f, 'GET', '/api/v1/pods', '10.0.0.1'), false)
    assert.equal(filterAccepts(f, 'GET', '/api/v1/pods', 'localhost.evil.com'), false)
    assert.equal(filterAccepts(f, 'POST', '/api/v1/namespaces/d/pods/p/exec', 'localhost'), false)
    assert.equal(filterAccepts(f, 'GET', '/api/v1/namespaces/d/pods/p/attach', 'localhost'), false)
    assert.equal(filterAccepts(f, '', '/version', 'localhost'), false)
    assert.equal(extractHost('localhost:8001'), 'localhost')
    assert.equal(extractHost('[::1]:8001'), '::1')
    assert.equal(extractHost('[::1]'), '[::1]')
    assert.equal(extractHost('example.com'), 'example.com')
    assert.deepEqual(makeRegexpArray(''), [])
  })
})
