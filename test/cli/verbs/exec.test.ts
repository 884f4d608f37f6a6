// exec.test.ts compares `mkctl exec` and `mkctl attach` with the real kubectl on twin daemons (non-tty exec: the
// output, the exit code propagation and the error texts must be the same).
import assert from 'node:assert/strict'
import {join} from 'node:path'
import {startTwins, type Twins} from '../../helpers/differential.js'
import {hasScript, ptyRun} from '../../helpers/pty.js'

const ROOT = join(import.meta.dirname, '..', '..', '..')

const OBJECTS = `apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
data:
  app.conf: |
    port=80
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec:
  volumes:
  - name: cfg
    configMap:
      name: cfg
  containers:
  - name: nginx
    image: nginx
    volumeMounts:
    - name: cfg
      mountPath: /etc/config
      readOnly: true
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
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 1
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
      - name: api
        image: nginx
`

describe('mkctl exec / attach (differential)', function () {
  this.timeout(120_000)
  let t: Twins
  before(async function () {
    t = await startTwins(this)
    await t.setup(['apply', '-f', '-'], {input: OBJECTS})
  })
  after(async () => t?.stop())

  it('runs a command', async () => {
    await t.same(['exec', 'web', '--', 'cat', '/etc/hostname'])
    await t.same(['exec', 'web', '-c', 'nginx', '--', 'sh', '-c', 'cat /etc/config/app.conf; ls /etc/config'])
  })

  it('propagates exit codes and stderr', async () => {
    const r = await t.same(['exec', 'web', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3'])
    assert.equal(r.code, 3)
    assert.equal(r.stderr, 'err\ncommand terminated with exit code 3\n')
    await t.same(['exec', 'web', '--', 'touch', '/etc/config/x'])
  })

  it('pipes stdin with -i, and shells read it line by line', async () => {
    await t.same(['exec', '-i', 'web', '--', 'sh', '-c', 'tr a-z A-Z'], {input: 'hello\n'})
    await t.same(['exec', '-i', 'web', '--', 'sh'], {input: 'cd /etc\npwd\nexit 5\n'})
    // -t without a terminal: kubectl warns and goes on without one.
    await t.same(['exec', '-it', 'web', '--', 'cat', '/etc/hostname'], {input: ''})
  })

  it('picks the default container and resolves TYPE/NAME', async () => {
    await t.same(['exec', 'two', '--', 'hostname'])
    await t.same(['exec', 'two', '-q', '--', 'hostname'])
    await t.same(['exec', 'deploy/api', '--', 'cat', '/etc/os-release'])
  })

  it('reports errors as kubectl does', async () => {
    await t.same(['exec', 'nope', '--', 'true'])
    await t.same(['exec', 'web', '-c', 'nope', '--', 'true'])
    await t.same(['exec', 'web', 'ls'])
    await t.same(['exec', 'web'])
    await t.same(['exec'])
    await t.same(['exec', 'web', '--'])
    await t.same(['exec', 'configmap/cfg', '--', 'ls'])
    const nf = await t.both(['exec', 'web', '--', 'nosuch'])
    // The exec id in the runtime's message is random in kubectl's twin too; compare without it.
    const strip = (s: string) => s.replace(/"[0-9a-f]{64}"/, '"ID"')
    assert.equal(strip(nf.mkctl.stderr), strip(nf.kubectl.stderr))
    assert.equal(nf.mkctl.code, nf.kubectl.code)
  })
})

describe('mkctl exec -it and attach (pty)', function () {
  this.timeout(120_000)
  let t: Twins
  before(async function () {
    if (!hasScript()) this.skip()
    t = await startTwins(this)
    await t.setup(['apply', '-f', '-'], {input: OBJECTS})
  })
  after(async () => t?.stop())

  it('runs an interactive shell like kubectl: prompt, echo, cwd kept, exit code', async () => {
    const steps = [
      {after: /# $/, type: 'cd /etc && cat hostname\r'},
      {after: /web\r\n# $/, type: 'echo $TERM; exit 3\r'},
    ]
    const k = await ptyRun(`kubectl --kubeconfig ${t.k.kubeconfig} exec -it web -- sh`, {HOME: t.k.home}, steps)
    const m = await ptyRun(
      `${process.execPath} ${join(ROOT, 'bin', 'mkctl.js')} exec -it web -- sh`,
      {KUBECONFIG: t.m.kubeconfig, MKCTL_HOME: t.m.home, MKCTL_AUTOSTART: '0', HOME: t.m.home},
      steps,
    )
    assert.equal(
      k.out,
      '# cd /etc && cat hostname\r\nweb\r\n# echo $TERM; exit 3\r\nxterm\r\ncommand terminated with exit code 3\r\n',
    )
    assert.deepEqual(m, k)
    assert.equal(m.code, 3)
  })

  it('attach shows the live output of the container until it ends', async () => {
    const job = `apiVersion: v1
kind: Pod
metadata:
  name: ticker
spec:
  restartPolicy: Never
  containers:
  - name: c
    image: busybox
    command: ["sh", "-c", "echo start; sleep 5; echo tick; sleep 5; echo done"]
`
    await t.setup(['apply', '-f', '-'], {input: job})
    // The container has written `start` by the time the clients attach: attach shows only what comes after.
    await t.advance(1000)
    for (const [d, run] of [
      [t.k, (args: string[]) => t.k.kubectl(args)],
      [t.m, (args: string[]) => t.m.mkctl(args)],
    ] as const) {
      const p = run(['attach', 'ticker'])
      // Give the client time to connect, then let the container run on.
      await new Promise((r) => setTimeout(r, 1500))
      await d.advance(6000)
      await new Promise((r) => setTimeout(r, 500))
      await d.advance(6000)
      const r = await p
      assert.deepEqual(r, {
        stdout: 'tick\ndone\n',
        stderr: "If you don't see a command prompt, try pressing enter.\n",
        code: 0,
      })
    }
  })
})
