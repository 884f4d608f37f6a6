// portforward.test.ts: the real kubectl port-forward against the daemon, over the WebSocket-tunnelled SPDY transport
// (kubectl 1.32's default) and plain SPDY (its fallback); curl-like requests through the local port reach the pod's
// simulated server, whose log shows them.
import assert from 'node:assert/strict'
import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process'
import {request} from 'node:http'
import {kubectlAvailable, startTestDaemon, type TestDaemon} from '../../helpers/daemon.js'

function get(port: number, path = '/'): Promise<{status: number; body: string}> {
  return new Promise((resolve, reject) => {
    const req = request({host: '127.0.0.1', port, path, agent: false}, (res) => {
      let body = ''
      res.on('data', (c) => (body += c))
      res.on('end', () => resolve({status: res.statusCode ?? 0, body}))
    })
    req.on('error', reject)
    req.end()
  })
}

/** forward starts kubectl port-forward and resolves once it prints its listening line. */
function forward(
  t: TestDaemon,
  args: string[],
  env: Record<string, string> = {},
): Promise<{child: ChildProcessWithoutNullStreams; port: number; out: () => string}> {
  const child = spawn('kubectl', ['--kubeconfig', t.kubeconfig, 'port-forward', ...args], {
    env: {...process.env, HOME: t.home, ...env},
  })
  let out = ''
  let err = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (err += d))
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /Forwarding from 127\.0\.0\.1:(\d+) ->/.exec(out)
      if (m) {
        clearInterval(timer)
        resolve({child, port: Number(m[1]), out: () => out + err})
      }
    }, 20)
    child.on('close', (code) => {
      clearInterval(timer)
      reject(new Error(`port-forward exited ${code}: ${out}${err}`))
    })
  })
}

describe('port-forward (real kubectl)', function () {
  this.timeout(60_000)
  let t: TestDaemon
  before(async function () {
    if (!kubectlAvailable()) this.skip()
    t = await startTestDaemon({timing: 'fast'})
    const r = await t.kubectl(['create', 'deployment', 'web', '--image=nginx:1.27', '--port=80'])
    assert.equal(r.code, 0, r.stderr)
    await t.settle()
    await t.advance(5_000)
    const s = await t.kubectl(['expose', 'deployment', 'web', '--port=8080', '--target-port=80'])
    assert.equal(s.code, 0, s.stderr)
    await t.settle()
  })
  after(async () => t?.stop())

  for (const [name, env] of [
    ['WebSocket-tunnelled SPDY', {}],
    ['plain SPDY', {KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false'}],
  ] as const) {
    it(`serves nginx through deploy/web over ${name}`, async () => {
      const pf = await forward(t, ['deploy/web', ':80'], env)
      try {
        const a = await get(pf.port)
        assert.equal(a.status, 200)
        assert.match(a.body, /<title>Welcome to nginx!<\/title>/)
        const b = await get(pf.port, '/missing')
        assert.equal(b.status, 404)
        assert.match(pf.out(), /Handling connection for \d+/)
      } finally {
        pf.child.kill()
      }
      const logs = await t.kubectl(['logs', 'deploy/web'])
      assert.match(logs.stdout, /127\.0\.0\.1 - - \[.*\] "GET \/missing HTTP\/1\.1" 404/)
    })
  }

  it('maps a service port to the pod port (svc/web 8080 -> 80)', async () => {
    const pf = await forward(t, ['svc/web', ':8080'])
    try {
      assert.match(pf.out(), /-> 80\n/)
      assert.equal((await get(pf.port)).status, 200)
    } finally {
      pf.child.kill()
    }
  })

  it('reports a port nothing listens on as kubectl shows the kubelet error', async () => {
    const pf = await forward(t, ['deploy/web', ':81'])
    try {
      await assert.rejects(get(pf.port))
      await new Promise((r) => setTimeout(r, 200))
      assert.match(
        pf.out(),
        /an error occurred forwarding \d+ -> 81: error forwarding port 81 to pod .*connect: connection refused/,
      )
    } finally {
      pf.child.kill()
    }
  })
})
