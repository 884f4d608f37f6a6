// exec.test.ts drives the daemon's exec and attach endpoints with the real kubectl (WebSocket v5.channel.k8s.io).
import assert from 'node:assert/strict'
import {kubectlAvailable, startTestDaemon, type TestDaemon} from '../../helpers/daemon.js'

const POD = `apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
data:
  app.conf: |
    port=80
---
apiVersion: v1
kind: Secret
metadata:
  name: db
stringData:
  password: s3cret
---
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  volumes:
  - name: cfg
    configMap:
      name: cfg
  containers:
  - name: nginx
    image: nginx
    env:
    - name: DB_PASSWORD
      valueFrom:
        secretKeyRef:
          name: db
          key: password
    volumeMounts:
    - name: cfg
      mountPath: /etc/config
---
apiVersion: v1
kind: Pod
metadata:
  name: two
spec:
  containers:
  - name: a
    image: busybox
    command: ["sleep", "3600"]
  - name: b
    image: busybox
    command: ["sleep", "3600"]
`

describe('streaming/exec (real kubectl)', function () {
  this.timeout(60_000)
  let d: TestDaemon

  before(async function () {
    if (!kubectlAvailable()) this.skip()
    d = await startTestDaemon()
    const r = await d.kubectl(['apply', '-f', '-'], {input: POD})
    assert.equal(r.code, 0, r.stderr)
    await d.settle()
  })
  after(async () => {
    await d?.stop()
  })

  it('runs one command: cat /etc/hostname', async () => {
    const r = await d.kubectl(['exec', 'web', '--', 'cat', '/etc/hostname'])
    assert.deepEqual(r, {stdout: 'web\n', stderr: '', code: 0})
  })

  it('shows a mounted ConfigMap and the decoded Secret in env', async () => {
    const r = await d.kubectl(['exec', 'web', '--', 'sh', '-c', 'cat /etc/config/app.conf; echo $DB_PASSWORD'])
    assert.deepEqual(r, {stdout: 'port=80\ns3cret\n', stderr: '', code: 0})
  })

  it('propagates the exit code', async () => {
    const r = await d.kubectl(['exec', 'web', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3'])
    assert.equal(r.stdout, 'out\n')
    assert.equal(r.stderr, 'err\ncommand terminated with exit code 3\n')
    assert.equal(r.code, 3)
  })

  it('pipes stdin with -i', async () => {
    const r = await d.kubectl(['exec', '-i', 'web', '--', 'sh', '-c', 'cat > /tmp/x; wc -l < /tmp/x; cat /tmp/x'], {
      input: 'a\nb\n',
    })
    assert.equal(r.stderr, '')
    assert.equal(r.stdout, '2\na\nb\n')
    assert.equal(r.code, 0)
  })

  it('runs a shell reading commands from stdin (-i, no tty), keeping cwd', async () => {
    const r = await d.kubectl(['exec', '-i', 'web', '--', 'sh'], {input: 'cd /etc\npwd\nexport A=1\necho $A\nexit 4\n'})
    assert.equal(r.stdout, '/etc\n1\n')
    assert.equal(r.code, 4)
  })

  it('keeps the file system between execs', async () => {
    await d.kubectl(['exec', 'web', '--', 'sh', '-c', 'echo kept > /tmp/note'])
    const r = await d.kubectl(['exec', 'web', '--', 'cat', '/tmp/note'])
    assert.equal(r.stdout, 'kept\n')
  })

  it('refuses writes to a read-only mount', async () => {
    const r = await d.kubectl(['exec', 'web', '--', 'touch', '/etc/config/new'])
    assert.equal(
      r.stderr,
      "touch: cannot touch '/etc/config/new': Read-only file system\ncommand terminated with exit code 1\n",
    )
    assert.equal(r.code, 1)
  })

  it('reports a missing executable as the runtime does', async () => {
    const r = await d.kubectl(['exec', 'web', '--', 'nosuch'])
    assert.match(
      r.stderr,
      /^error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "nosuch": executable file not found in \$PATH: unknown\n$/,
    )
    assert.equal(r.code, 1)
  })

  it('answers NotFound and a wrong container like the API server', async () => {
    const nf = await d.kubectl(['exec', 'nope', '--', 'true'])
    assert.equal(nf.stderr, 'Error from server (NotFound): pods "nope" not found\n')
    assert.equal(nf.code, 1)
    const bad = await d.kubectl(['exec', 'web', '-c', 'nope', '--', 'true'])
    assert.equal(bad.stderr, 'Error from server (BadRequest): container nope is not valid for pod web\n')
    assert.equal(bad.code, 1)
  })

  it('defaults to the first container with a notice', async () => {
    const r = await d.kubectl(['exec', 'two', '--', 'hostname'])
    assert.equal(r.stdout, 'two\n')
    assert.equal(r.stderr, 'Defaulted container "a" out of: a, b\n')
  })

  it('refuses a container that is not running as the kubelet does', async () => {
    const r0 = await d.kubectl(['run', 'broken', '--image=nginx:no-such-tag'])
    assert.equal(r0.code, 0, r0.stderr)
    await d.settle()
    const r = await d.kubectl(['exec', 'broken', '--', 'true'])
    assert.equal(r.stderr, 'error: unable to upgrade connection: container not found ("broken")\n')
    assert.equal(r.code, 1)
  })

  it('refuses a bad token with 401', async () => {
    const url = `${d.daemon.url}/api/v1/namespaces/default/pods/web/exec?command=true&stdout=true`
    const {request} = await import('node:https')
    const code = await new Promise<number>((resolve, reject) => {
      const req = request(url, {
        ca: d.daemon.caCert,
        headers: {
          Connection: 'Upgrade',
          Upgrade: 'websocket',
          'Sec-WebSocket-Version': '13',
          'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
          'Sec-WebSocket-Protocol': 'v5.channel.k8s.io',
          Authorization: 'Bearer wrong',
        },
      })
      req.on('response', (res) => resolve(res.statusCode ?? 0))
      req.on('upgrade', () => resolve(101))
      req.on('error', reject)
      req.end()
    })
    assert.equal(code, 401)
  })
})
