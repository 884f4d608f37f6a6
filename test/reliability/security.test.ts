// security.test.ts proves the claims of docs/security.md about who can reach a daemon (issue 7 part 4): a
// profile started with the real CLI (`mkctl cluster start`, as test/cli/cluster.test.ts does) in a temporary
// MKCTL_HOME listens on 127.0.0.1 only; every endpoint except the health probes wants the profile's bearer token
// (a missing, wrong-scheme or wrong same-length token gets the apiserver's 401 Status), stream upgrades (exec,
// attach, port-forward) included; the state folder is 0700 and the key, token, kubeconfig and database files 0600;
// TLS verifies against the profile's CA and fails against any other.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import net from 'node:net'
import {networkInterfaces, tmpdir} from 'node:os'
import {join} from 'node:path'
import {tokenMatches} from '../../src/daemon/apiserver/app.js'
import {generateTLS} from '../../src/daemon/tls.js'
import {ensureBuilt} from '../helpers/build.js'
import {kubectlAvailable, run} from '../helpers/daemon.js'
import {Http} from './support.js'

const ROOT = join(import.meta.dirname, '..', '..')
const MKCTL = join(ROOT, 'bin', 'mkctl.js')

/** rawRequest sends one request and resolves with the status line's code, also for upgrade answers (101). */
function rawRequest(
  url: string,
  ca: string,
  method: string,
  path: string,
  headers: Record<string, string>,
): Promise<{status: number; body: string}> {
  const u = new URL(path, url)
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: u.hostname,
      port: u.port,
      path: u.pathname + u.search,
      method,
      headers,
      ca,
      agent: false,
    })
    req.on('upgrade', (res, socket) => {
      socket.destroy()
      resolve({status: res.statusCode ?? 0, body: ''})
    })
    req.on('response', (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => resolve({status: res.statusCode ?? 0, body}))
    })
    req.on('error', reject)
    req.end()
  })
}

/** listeningAddresses lists the local address:port of every TCP socket pid listens on (Linux /proc). */
function listeningAddresses(pid: number): string[] {
  const inodes = new Set<string>()
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))
      if (m) inodes.add(m[1])
    } catch {
      // the fd closed meanwhile
    }
  }
  const out: string[] = []
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(table)) continue
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/)
      // sl local_address rem_address st ... inode (column 10); st 0A is LISTEN.
      if (f.length < 10 || f[3] !== '0A' || !inodes.has(f[9])) continue
      const [hex, port] = f[1].split(':')
      const addr =
        hex.length === 8
          ? hex
              .match(/../g)!
              .reverse()
              .map((b) => parseInt(b, 16))
              .join('.')
          : `[${hex}]`
      out.push(`${addr}:${parseInt(port, 16)}`)
    }
  }
  return out
}

describe('security: who can reach the daemon', function () {
  this.timeout(60_000)
  let base: string
  let home: string
  let env: Record<string, string>
  let profile: string
  let info: {pid: number; url: string; port: number}
  let token: string
  let ca: string
  let api: Http
  let pod: string

  const mkctl = (args: string[]) => run(process.execPath, [MKCTL, ...args], {env})

  before(async function () {
    this.timeout(180_000)
    ensureBuilt()
    base = mkdtempSync(join(tmpdir(), 'mkctl-security-'))
    // A home that does not exist yet: mkctl makes it, and must make it private.
    home = join(base, 'home')
    env = {MKCTL_HOME: home, HOME: base, KUBECONFIG: '', MKCTL_AUTOSTART: '0', KUBECACHEDIR: join(base, 'kube-cache')}
    const r = await mkctl(['cluster', 'start', '--timing', 'fast'])
    assert.equal(r.code, 0, r.stderr)
    profile = join(home, 'profiles', 'mkctl')
    info = JSON.parse(readFileSync(join(profile, 'daemon.json'), 'utf8'))
    token = readFileSync(join(profile, 'token'), 'utf8').trim()
    ca = readFileSync(join(profile, 'ca.crt'), 'utf8')
    api = new Http(info.url, ca, token)
    const pods = await api.request('GET', '/api/v1/namespaces/kube-system/pods')
    pod = pods.json.items.find((p: any) => p.metadata.name.startsWith('coredns-')).metadata.name
  })

  after(async function () {
    this.timeout(30_000)
    api?.close()
    if (base) {
      await mkctl(['cluster', 'stop'])
      if (info) {
        try {
          process.kill(info.pid, 'SIGKILL')
        } catch {
          // already stopped
        }
      }
      rmSync(base, {recursive: true, force: true})
    }
  })

  it('listens on 127.0.0.1 only (every listening socket of the daemon process)', function () {
    assert.match(info.url, /^https:\/\/127\.0\.0\.1:\d+$/)
    if (!existsSync(`/proc/${info.pid}/fd`)) this.skip()
    const addrs = listeningAddresses(info.pid)
    assert.ok(addrs.includes(`127.0.0.1:${info.port}`), addrs.join(', '))
    for (const a of addrs) assert.match(a, /^127\.0\.0\.1:\d+$/)
  })

  it('refuses connections on the machine’s other addresses', async function () {
    const other = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)
    if (!other) this.skip()
    const err = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      const s = net.connect({host: other!.address, port: info.port})
      s.on('connect', () => {
        s.destroy()
        resolve(undefined)
      })
      s.on('error', resolve)
    })
    assert.equal(err?.code, 'ECONNREFUSED')
  })

  const protectedGets = () => [
    '/version',
    '/api',
    '/apis',
    '/api/v1',
    '/apis/apps/v1',
    '/api/v1/namespaces',
    '/api/v1/namespaces/kube-system/pods',
    `/api/v1/namespaces/kube-system/pods/${pod}`,
    `/api/v1/namespaces/kube-system/pods/${pod}/log`,
    '/api/v1/namespaces/default/configmaps?watch=1',
    '/api/v1/secrets',
    '/apis/apps/v1/deployments',
    '/openapi/v2',
    '/openapi/v3',
    '/openapi/v3/api/v1',
    '/apis/metrics.k8s.io/v1beta1/nodes',
    '/mkctl/v1/time',
    '/mkctl/v1/nodes',
    '/mkctl/v1/addons',
    '/no/such/path',
  ]

  it('answers the health probes without a token', async () => {
    const anon = new Http(info.url, ca, undefined)
    try {
      for (const p of ['/healthz', '/livez', '/readyz', '/readyz/ping']) {
        const r = await anon.request('GET', p)
        assert.equal(r.status, 200, p)
        assert.equal(r.text, 'ok')
      }
    } finally {
      anon.close()
    }
  })

  it('refuses every other endpoint without the token, with a wrong token of the right length, or another scheme', async () => {
    const wrong = randomBytes(token.length / 2).toString('hex')
    assert.equal(wrong.length, token.length)
    const variants: Record<string, Record<string, string>> = {
      none: {},
      wrong: {Authorization: `Bearer ${wrong}`},
      'one byte off': {Authorization: `Bearer ${token.slice(0, -1)}${token.endsWith('0') ? '1' : '0'}`},
      prefix: {Authorization: `Bearer ${token.slice(0, -1)}`},
      basic: {Authorization: `Basic ${Buffer.from(`admin:${token}`).toString('base64')}`},
      'token only': {Authorization: token},
    }
    const anon = new Http(info.url, ca, undefined)
    try {
      const requests: [string, string, unknown?][] = [
        ...protectedGets().map((p): [string, string] => ['GET', p]),
        ['POST', '/api/v1/namespaces', {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'intruder'}}],
        ['DELETE', '/api/v1/namespaces/default'],
        ['PUT', '/mkctl/v1/time', {offset: '1h'}],
        ['POST', '/mkctl/v1/nodes', {}],
      ]
      for (const [method, path, body] of requests) {
        for (const [what, headers] of Object.entries(variants)) {
          const r = await anon.request(method, path, body, headers)
          assert.equal(r.status, 401, `${method} ${path} with ${what} token: ${r.status} ${r.text.slice(0, 200)}`)
          assert.deepEqual(r.json, {
            kind: 'Status',
            apiVersion: 'v1',
            metadata: {},
            status: 'Failure',
            message: 'Unauthorized',
            reason: 'Unauthorized',
            code: 401,
          })
        }
      }
      // Nothing those requests tried happened.
      assert.equal((await api.request('GET', '/api/v1/namespaces/intruder')).status, 404)
      assert.equal((await api.request('GET', '/api/v1/namespaces/default')).json.status.phase, 'Active')
      // And the same endpoints answer with the token (the refusals above were about the token, not the path).
      for (const p of protectedGets().filter((p) => !p.includes('watch=1') && p !== '/no/such/path')) {
        const r = await api.request('GET', p)
        assert.notEqual(r.status, 401, p)
      }
    } finally {
      anon.close()
    }
  })

  it('refuses exec, attach and port-forward upgrades without the token', async () => {
    const ws = {
      Connection: 'Upgrade',
      Upgrade: 'websocket',
      'Sec-WebSocket-Version': '13',
      'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
      'Sec-WebSocket-Protocol': 'v5.channel.k8s.io',
    }
    const spdy = {Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'portforward.k8s.io'}
    const podPath = `/api/v1/namespaces/kube-system/pods/${pod}`
    const cases: [string, string, Record<string, string>][] = [
      ['GET', `${podPath}/exec?command=ls&stdout=true`, ws],
      ['POST', `${podPath}/exec?command=ls&stdout=true`, ws],
      ['GET', `${podPath}/attach?stdout=true`, ws],
      ['POST', `${podPath}/portforward`, spdy],
      ['GET', `${podPath}/portforward`, ws],
    ]
    const wrong = `Bearer ${randomBytes(token.length / 2).toString('hex')}`
    for (const [method, path, headers] of cases) {
      for (const auth of [undefined, wrong]) {
        const r = await rawRequest(info.url, ca, method, path, auth ? {...headers, Authorization: auth} : headers)
        assert.equal(r.status, 401, `${method} ${path} (${auth ? 'wrong token' : 'no token'})`)
      }
    }
    // With the token the exec upgrade is served: the refusal was about the token.
    const ok = await rawRequest(info.url, ca, 'GET', `${podPath}/exec?command=ls&stdout=true`, {
      ...ws,
      Authorization: `Bearer ${token}`,
    })
    assert.equal(ok.status, 101)
  })

  it('answers an upgrade request on any other path (401 without a token, 400 with it) instead of leaving it open', async () => {
    const ws = {
      Connection: 'Upgrade',
      Upgrade: 'websocket',
      'Sec-WebSocket-Version': '13',
      'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
    }
    for (const path of ['/api/v1/namespaces/default/pods', '/version', '/nowhere', '/mkctl/v1/time']) {
      assert.equal((await rawRequest(info.url, ca, 'GET', path, ws)).status, 401, path)
      assert.equal(
        (await rawRequest(info.url, ca, 'GET', path, {...ws, Authorization: `Bearer ${token}`})).status,
        400,
        path,
      )
    }
  })

  it('compares tokens whole: only the exact bearer token matches', () => {
    const t = 'a'.repeat(48)
    assert.equal(tokenMatches(`Bearer ${t}`, t), true)
    assert.equal(tokenMatches(`Bearer ${'b'.repeat(48)}`, t), false)
    assert.equal(tokenMatches(`Bearer ${t}a`, t), false)
    assert.equal(tokenMatches(`Bearer ${t.slice(1)}`, t), false)
    assert.equal(tokenMatches(`Bearer `, t), false)
    assert.equal(tokenMatches(t, t), false)
    assert.equal(tokenMatches(undefined, t), false)
  })

  it('keeps the state folder 0700 and its key, token, kubeconfig and database files 0600', function () {
    const mode = (p: string) => statSync(p).mode & 0o777
    const octal = (n: number) => n.toString(8).padStart(3, '0')
    for (const d of [home, join(home, 'profiles'), profile]) assert.equal(octal(mode(d)), '700', d)
    const secret = ['token', 'server.key', 'ca.key', 'daemon.json', 'daemon.log', 'config.json', 'state.db']
    for (const f of secret) assert.equal(octal(mode(join(profile, f))), '600', f)
    for (const f of ['state.db-wal', 'state.db-shm']) {
      if (existsSync(join(profile, f))) assert.equal(octal(mode(join(profile, f))), '600', f)
    }
    assert.equal(octal(mode(join(home, 'kubeconfig'))), '600', 'kubeconfig')
    // Nothing else in the folders may be readable by others, except the public certificates.
    for (const f of readdirSync(profile)) {
      const m = mode(join(profile, f))
      if (f.endsWith('.crt') || f.endsWith('.lock')) continue
      assert.equal(m & 0o077, 0, `${f} is ${octal(m)}`)
    }
  })

  it('serves TLS that verifies against the profile CA and fails against another CA', async () => {
    const get = (caPem: string) =>
      new Promise<number>((resolve, reject) => {
        const req = https.get(`${info.url}/healthz`, {ca: caPem, agent: false}, (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        })
        req.on('error', reject)
      })
    assert.equal(await get(ca), 200)
    const other = await generateTLS()
    await assert.rejects(get(other.caCert), (e: NodeJS.ErrnoException) => {
      assert.match(String(e.code), /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|CERT_SIGNATURE_FAILURE/)
      return true
    })
    // No CA at all (the system roots) fails too: the profile's CA is the only trust anchor.
    await assert.rejects(
      new Promise((resolve, reject) => https.get(`${info.url}/healthz`, {agent: false}, resolve).on('error', reject)),
    )
    // Plain HTTP on the TLS port gets no answer of the API.
    const plain = await new Promise<number | string>((resolve) => {
      const req = http.get(`http://127.0.0.1:${info.port}/version`, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'))
    })
    assert.notEqual(plain, 200)
  })

  it('kubectl trusts the kubeconfig mkctl wrote, and not another CA', async function () {
    if (!kubectlAvailable()) this.skip()
    const kc = join(home, 'kubeconfig')
    const good = spawnSync('kubectl', ['--kubeconfig', kc, 'get', '--raw', '/version'], {
      encoding: 'utf8',
      env: {...process.env, ...env},
    })
    assert.equal(good.status, 0, good.stderr)
    const otherCA = join(base, 'other-ca.crt')
    writeFileSync(otherCA, (await generateTLS()).caCert)
    const bad = spawnSync(
      'kubectl',
      ['--kubeconfig', kc, '--certificate-authority', otherCA, 'get', '--raw', '/version'],
      {encoding: 'utf8', env: {...process.env, ...env}},
    )
    assert.notEqual(bad.status, 0)
    assert.match(bad.stderr, /certificate signed by unknown authority|x509/)
  })
})
