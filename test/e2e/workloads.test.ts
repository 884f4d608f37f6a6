// workloads.test.ts is the acceptance suite of "workloads you can touch", driven by the REAL kubectl 1.32 against an
// in-process daemon: exec into a pod sees its ConfigMap file and decoded Secret, reaches another Service by name,
// returns its exit code; a NetworkPolicy makes a request time out and lifting it restores it; data written to a
// PersistentVolumeClaim outlives the pod.
import assert from 'node:assert/strict'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {kubectlAvailable, startTestDaemon, type TestDaemon} from '../helpers/daemon.js'

const MANIFESTS = `apiVersion: v1
kind: ConfigMap
metadata: {name: app-config}
data:
  app.conf: |
    listen 8080
    mode=production
---
apiVersion: v1
kind: Secret
metadata: {name: db}
stringData: {password: s3cr3t}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        env:
        - name: DB_PASSWORD
          valueFrom: {secretKeyRef: {name: db, key: password}}
        volumeMounts:
        - {name: config, mountPath: /etc/config}
      volumes:
      - name: config
        configMap: {name: app-config}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - name: api
        image: hashicorp/http-echo
        args: ["-text=hello from api", "-listen=:8080"]
---
apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  selector: {app: api}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: store}
spec:
  replicas: 1
  selector: {matchLabels: {app: store}}
  template:
    metadata: {labels: {app: store}}
    spec:
      containers:
      - name: box
        image: busybox:1.36
        command: ["sleep", "3600"]
        volumeMounts: [{name: data, mountPath: /data}]
      volumes:
      - name: data
        persistentVolumeClaim: {claimName: data}
`

describe('workloads you can touch (real kubectl)', function () {
  this.timeout(90_000)
  let t: TestDaemon
  const k = async (args: string[], input?: string) => {
    const r = await t.kubectl(args, input === undefined ? {} : {input})
    await t.settle()
    return r
  }
  const ok = async (args: string[], input?: string) => {
    const r = await k(args, input)
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`)
    return r.stdout
  }

  before(async function () {
    if (!kubectlAvailable()) this.skip()
    t = await startTestDaemon({timing: 'fast'})
    await ok(['apply', '-f', '-'], MANIFESTS)
    await t.advance(10_000)
  })
  after(async () => t?.stop())

  it('exec shows the ConfigMap as a file and the Secret decoded in the environment', async () => {
    assert.equal(
      await ok(['exec', 'deploy/web', '--', 'cat', '/etc/config/app.conf']),
      'listen 8080\nmode=production\n',
    )
    assert.equal(await ok(['exec', 'deploy/web', '--', 'sh', '-c', 'echo $DB_PASSWORD']), 's3cr3t\n')
  })

  it('exec reaches another Service by name, and its exit code comes back', async () => {
    assert.equal(await ok(['exec', 'deploy/web', '--', 'curl', '-s', 'http://api']), 'hello from api\n')
    const r = await k(['exec', 'deploy/web', '--', 'sh', '-c', 'exit 3'])
    assert.equal(r.code, 3)
    assert.equal(r.stderr, 'command terminated with exit code 3\n')
  })

  it('a NetworkPolicy denying ingress to the api makes curl time out; deleting it restores the answer', async () => {
    await ok(
      ['apply', '-f', '-'],
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny-api}\nspec:\n  podSelector: {matchLabels: {app: api}}\n  policyTypes: [Ingress]\n',
    )
    const blocked = await k(['exec', 'deploy/web', '--', 'curl', '-s', '-S', '--max-time', '2', 'http://api'])
    assert.equal(blocked.code, 28)
    assert.match(blocked.stderr, /^curl: \(28\) /)
    await ok(['delete', 'networkpolicy', 'deny-api'])
    assert.equal(await ok(['exec', 'deploy/web', '--', 'curl', '-s', 'http://api']), 'hello from api\n')
  })

  it('a file written to a PersistentVolumeClaim is still there in the replacement pod', async () => {
    await ok(['exec', 'deploy/store', '--', 'sh', '-c', 'echo kept > /data/note.txt'])
    const before = (await ok(['get', 'pods', '-l', 'app=store', '-o', 'name'])).trim()
    await ok(['delete', before, '--wait=false'])
    await t.advance(40_000)
    const after = (await ok(['get', 'pods', '-l', 'app=store', '-o', 'name'])).trim()
    assert.notEqual(after, before)
    assert.equal(await ok(['exec', after, '--', 'cat', '/data/note.txt']), 'kept\n')
  })
})

describe('PVC data across a daemon restart (real kubectl)', function () {
  this.timeout(90_000)
  it('a file written to a claim is there after the daemon restarts on the same database', async function () {
    if (!kubectlAvailable()) this.skip()
    const dir = mkdtempSync(join(tmpdir(), 'mkctl-pvc-'))
    const dbPath = join(dir, 'state.db')
    try {
      const first = await startTestDaemon({timing: 'fast', dbPath})
      const apply = await first.kubectl(['apply', '-f', '-'], {input: MANIFESTS})
      assert.equal(apply.code, 0, apply.stderr)
      await first.settle()
      await first.advance(10_000)
      const w = await first.kubectl([
        'exec',
        'deploy/store',
        '--',
        'sh',
        '-c',
        'mkdir -p /data/d && echo durable > /data/d/f',
      ])
      assert.equal(w.code, 0, w.stderr)
      await first.stop()
      const second = await startTestDaemon({timing: 'fast', dbPath})
      try {
        await second.settle()
        await second.advance(10_000)
        const r = await second.kubectl(['exec', 'deploy/store', '--', 'cat', '/data/d/f'])
        assert.equal(r.code, 0, r.stderr)
        assert.equal(r.stdout, 'durable\n')
      } finally {
        await second.stop()
      }
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
