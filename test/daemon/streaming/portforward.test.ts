// portforward.test.ts: the real kubectl port-forward against the daemon, over the WebSocket-tunnelled SPDY transport
// (kubectl 1.32's default) and plain SPDY (its fallback); curl-like requests through the local port reach the pod's
// simulated server, whose log shows them.
import assert from 'node:assert/strict'
import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process'
import {request} from 'node:http'
import {join} from 'node:path'
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
  bin: 'kubectl' | 'mkctl' = 'kubectl',
): Promise<{child: ChildProcessWithoutNullStreams; port: number; out: () => string}> {
  const [cmd, pre] =
    bin === 'kubectl' ? ['kubectl', []] : [process.execPath, [join(import.meta.dirname, '../../../bin/mkctl.js')]]
  const child = spawn(cmd, [...pre, '--kubeconfig', t.kubeconfig, 'port-forward', ...args], {
    env: {...process.env, HOME: t.home, MKCTL_AUTOSTART: '0', ...env},
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

  it('mkctl port-forward prints what kubectl prints and carries the same requests', async () => {
    const k = await forward(t, ['svc/web', ':8080'])
    const m = await forward(t, ['svc/web', ':8080'], {}, 'mkctl')
    try {
      for (const pf of [k, m]) assert.match((await get(pf.port)).body, /Welcome to nginx!/)
      await new Promise((r) => setTimeout(r, 100))
      const norm = (s: string, port: number) => s.replaceAll(String(port), 'PORT')
      assert.equal(norm(m.out(), m.port), norm(k.out(), k.port))
    } finally {
      k.child.kill()
      m.child.kill()
    }
  })

  it('ends with "lost connection to pod" when the pod is deleted, for kubectl and mkctl alike', async () => {
    const exits: string[] = []
    for (const bin of ['kubectl', 'mkctl'] as const) {
      const pods = await t.kubectl(['get', 'pods', '-l', 'app=web', '-o', 'name'])
      const pf = await forward(t, [pods.stdout.trim().split('\n')[0]!, ':80'], {}, bin)
      assert.equal((await get(pf.port)).status, 200)
      const closed = new Promise<number | null>((r) => pf.child.on('close', r))
      const d = await t.kubectl(['delete', pods.stdout.trim().split('\n')[0]!, '--wait=false'])
      assert.equal(d.code, 0, d.stderr)
      await t.settle()
      await t.advance(35_000)
      const code = await closed
      exits.push(`${code} ${/error: lost connection to pod/.test(pf.out())}`)
    }
    assert.deepEqual(exits, ['1 true', '1 true'])
  })

  it('refuses a pod that is not running, as kubectl does', async () => {
    const r = await t.kubectl(['run', 'stuck', '--image=nginx:does-not-exist'])
    assert.equal(r.code, 0, r.stderr)
    await t.settle()
    const k = await t.kubectl(['port-forward', 'pod/stuck', '8080:80'])
    const m = await t.mkctl(['port-forward', 'pod/stuck', '8080:80'])
    assert.equal(k.code, 1)
    assert.match(k.stderr, /unable to forward port because pod is not running. Current status=Pending/)
    assert.deepEqual(
      {code: m.code, stdout: m.stdout, stderr: m.stderr},
      {code: k.code, stdout: k.stdout, stderr: k.stderr},
    )
    const usage = await t.mkctl(['port-forward', 'pod/stuck'])
    const kusage = await t.kubectl(['port-forward', 'pod/stuck'])
    assert.equal(usage.code, kusage.code)
    assert.equal(usage.stderr, kusage.stderr.replace(/kubectl/g, 'mkctl'))
  })
})
