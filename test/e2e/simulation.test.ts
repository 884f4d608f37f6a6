// simulation.test.ts is issue 3's acceptance suite: the REAL kubectl 1.32 against an in-process daemon running
// every controller, the scheduler and the kubelets (3 nodes, fast timing, FakeClock, seed 1). Time-based
// behaviour (back-offs, CronJobs, node leases, evictions) is driven by advancing the fake clock, never by sleeping.
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {join} from 'node:path'
import {writeFileSync} from 'node:fs'
import {kubectlAvailable, startTestDaemon, type TestDaemon} from '../helpers/daemon.js'
import {ApiClient} from '../helpers/http.js'

const HAVE_KUBECTL = kubectlAvailable()

describe('simulation: the real kubectl against a running cluster', function () {
  this.timeout(120_000)
  let t: TestDaemon
  const ok = async (...args: string[]) => {
    const r = await t.kubectl(args)
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}`)
    return r.stdout
  }
  const json = async (...args: string[]) => JSON.parse(await ok(...args, '-o', 'json'))
  const apply = async (name: string, yaml: string) => {
    const p = join(t.home, name)
    writeFileSync(p, yaml)
    return ok('apply', '-f', p)
  }

  before(async function () {
    if (!HAVE_KUBECTL) this.skip()
    t = await startTestDaemon({cluster: {nodes: 3}, timing: 'fast'})
    await t.settle()
  })
  after(async () => t?.stop())

  it('starts with 3 Ready nodes and the kube-system pods Running', async () => {
    const nodes = await json('get', 'nodes')
    assert.deepEqual(
      nodes.items.map((n: any) => [n.metadata.name, n.status.conditions.find((c: any) => c.type === 'Ready').status]),
      [
        ['mkctl', 'True'],
        ['mkctl-m02', 'True'],
        ['mkctl-m03', 'True'],
      ],
    )
    const pods = await json('get', 'pods', '-n', 'kube-system')
    for (const p of pods.items) assert.equal(p.status.phase, 'Running', `${p.metadata.name} is ${p.status.phase}`)
  })

  it('rolls out a deployment: 3 Running pods with distinct IPs over the nodes; replaces a deleted pod; updates and undoes', async () => {
    await ok('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=3')
    const status = await ok('rollout', 'status', 'deployment/web', '--timeout=60s')
    assert.match(status, /deployment "web" successfully rolled out/)
    const pods = (await json('get', 'pods', '-l', 'app=web')).items
    assert.equal(pods.length, 3)
    for (const p of pods) assert.equal(p.status.phase, 'Running')
    assert.equal(new Set(pods.map((p: any) => p.status.podIP)).size, 3, 'distinct pod IPs')
    assert.equal(new Set(pods.map((p: any) => p.spec.nodeName)).size, 3, 'one pod per node')
    for (const p of pods) assert.match(p.status.podIP, /^10\.244\.\d+\.\d+$/)
    const wide = await ok('get', 'pods', '-o', 'wide', '-l', 'app=web')
    assert.match(wide, /NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE/)
    assert.equal((wide.match(/1\/1\s+Running/g) ?? []).length, 3)

    const victim = pods[0]
    await ok('delete', 'pod', victim.metadata.name)
    await t.settle()
    const after = (await json('get', 'pods', '-l', 'app=web')).items
    assert.equal(after.length, 3)
    const fresh = after.find((p: any) => !pods.some((q: any) => q.metadata.name === p.metadata.name))
    assert.ok(fresh, 'a replacement pod with a new name')
    assert.ok(!pods.some((q: any) => q.status.podIP === fresh.status.podIP), 'the replacement has a new IP')

    await ok('set', 'image', 'deployment/web', 'nginx=nginx:1.28')
    assert.match(await ok('rollout', 'status', 'deployment/web', '--timeout=60s'), /successfully rolled out/)
    const history = await ok('rollout', 'history', 'deployment/web')
    assert.match(history, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/)
    await ok('rollout', 'undo', 'deployment/web')
    assert.match(await ok('rollout', 'status', 'deployment/web', '--timeout=60s'), /successfully rolled out/)
    const d = await json('get', 'deployment', 'web')
    assert.equal(d.spec.template.spec.containers[0].image, 'nginx:1.27')
    const images = (await json('get', 'pods', '-l', 'app=web')).items.map((p: any) => p.spec.containers[0].image)
    assert.deepEqual(images, ['nginx:1.27', 'nginx:1.27', 'nginx:1.27'])
    assert.match(await ok('describe', 'deployment', 'web'), /NewReplicaSet:\s+web-\w+ \(3\/3 replicas created\)/)
  })

  it('a misspelt image goes ErrImagePull then ImagePullBackOff, with events', async () => {
    await ok('run', 'typo', '--image=ngnix')
    await t.settle()
    let pod = await json('get', 'pod', 'typo')
    assert.match(pod.status.containerStatuses[0].state.waiting.reason, /ErrImagePull|ImagePullBackOff/)
    // The kubelet retries the pull after 10 s, then 20 s: 15 s in, the pod waits in ImagePullBackOff.
    await t.advance(15_000)
    pod = await json('get', 'pod', 'typo')
    assert.equal(pod.status.containerStatuses[0].state.waiting.reason, 'ImagePullBackOff')
    assert.match(await ok('get', 'pod', 'typo', '--no-headers'), /typo\s+0\/1\s+ImagePullBackOff\s+0/)
    const events = await ok('get', 'events', '--field-selector', 'involvedObject.name=typo')
    assert.match(events, /Failed\s+pod\/typo\s+Failed to pull image "ngnix"/)
    assert.match(events, /Back-off pulling image "ngnix"/)
  })

  it('a container that exits 1 goes CrashLoopBackOff with a growing back-off and counted restarts', async () => {
    await apply(
      'crash.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: crash\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n    command: ["false"]\n',
    )
    await t.settle()
    const restarts = async () => (await json('get', 'pod', 'crash')).status.containerStatuses[0].restartCount as number
    await t.advance(10_000)
    const r1 = await restarts()
    await t.advance(20_000)
    const r2 = await restarts()
    await t.advance(40_000)
    const r3 = await restarts()
    assert.ok(r1 >= 1 && r2 > r1 && r3 > r2, `restarts ${r1}, ${r2}, ${r3}`)
    const row = await ok('get', 'pod', 'crash', '--no-headers')
    assert.match(row, /crash\s+0\/1\s+(CrashLoopBackOff|Error)\s+\d+ \(\d+s ago\)/)
    await t.advance(60_000)
    const pod = await json('get', 'pod', 'crash')
    assert.equal(pod.status.containerStatuses[0].state.waiting?.reason, 'CrashLoopBackOff')
    assert.match(
      pod.status.containerStatuses[0].state.waiting.message,
      /^back-off \d+[ms]+\d*s? restarting failed container=c pod=crash_default\(/,
    )
  })

  it("a pod asking for 64 CPUs stays Pending with the scheduler's message", async () => {
    await ok(
      'run',
      'huge',
      '--image=nginx',
      '--overrides={"spec":{"containers":[{"name":"huge","image":"nginx","resources":{"requests":{"cpu":"64"}}}]}}',
    )
    await t.settle()
    const pod = await json('get', 'pod', 'huge')
    assert.equal(pod.status.phase, 'Pending')
    const cond = pod.status.conditions.find((c: any) => c.type === 'PodScheduled')
    assert.equal(cond.status, 'False')
    assert.equal(cond.reason, 'Unschedulable')
    assert.equal(
      cond.message,
      '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
    )
    assert.match(
      await ok('describe', 'pod', 'huge'),
      /Warning\s+FailedScheduling\s+.*default-scheduler\s+0\/3 nodes are available: 3 Insufficient cpu/,
    )
    await ok('delete', 'pod', 'huge')
  })

  it('a Job with completions: 3 completes', async () => {
    await apply(
      'job.yaml',
      'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: count\nspec:\n  completions: 3\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox:1.36\n        command: ["sh", "-c", "echo done"]\n',
    )
    await t.settle()
    await t.advance(5_000)
    const r = await t.kubectl(['wait', '--for=condition=complete', 'job/count', '--timeout=30s'])
    assert.equal(r.code, 0, r.stderr)
    const job = await json('get', 'job', 'count')
    assert.equal(job.status.succeeded, 3)
    assert.match(await ok('get', 'job', 'count'), /count\s+Complete\s+3\/3/)
  })

  it('a CronJob every minute creates Jobs as the clock advances', async () => {
    await ok('create', 'cronjob', 'tick', '--image=busybox:1.36', '--schedule=*/1 * * * *', '--', 'echo', 'tick')
    await t.settle()
    await t.advance(3 * 60_000)
    const jobs = (await json('get', 'jobs')).items.filter((j: any) => j.metadata.name.startsWith('tick-'))
    assert.ok(jobs.length >= 2, `${jobs.length} jobs`)
    const cj = await json('get', 'cronjob', 'tick')
    assert.ok(cj.status.lastScheduleTime)
    // kubectl create job --from=cronjob works too.
    await ok('create', 'job', 'manual', '--from=cronjob/tick')
    await t.settle()
    await t.advance(5_000)
    assert.equal((await json('get', 'job', 'manual')).status.succeeded, 1)
  })

  it('a StatefulSet of 3 starts web-0, web-1, web-2 in order, each with a Bound PVC', async () => {
    await apply(
      'sts.yaml',
      `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  replicas: 3
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - name: redis
        image: redis:7
        volumeMounts:
        - {name: data, mountPath: /data}
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
`,
    )
    assert.match(await ok('rollout', 'status', 'statefulset/db', '--timeout=60s'), /complete|rolled out/)
    const pods = (await json('get', 'pods', '-l', 'app=db')).items
    assert.deepEqual(
      pods.map((p: any) => p.metadata.name),
      ['db-0', 'db-1', 'db-2'],
    )
    const started = pods.map((p: any) => Date.parse(p.metadata.creationTimestamp))
    assert.ok(started[0] <= started[1] && started[1] <= started[2])
    const pvcs = (await json('get', 'pvc')).items.filter((c: any) => c.metadata.name.startsWith('data-db-'))
    assert.deepEqual(
      pvcs.map((c: any) => [c.metadata.name, c.status.phase]),
      [
        ['data-db-0', 'Bound'],
        ['data-db-1', 'Bound'],
        ['data-db-2', 'Bound'],
      ],
    )
  })

  it('a stopped node goes NotReady and its pods are recreated on the other nodes', async () => {
    await ok('create', 'deployment', 'spread', '--image=nginx:1.27', '--replicas=3')
    await ok('rollout', 'status', 'deployment/spread', '--timeout=60s')
    const ops = t.daemon.cluster
    const res = await fetchAdmin(t, 'POST', '/mkctl/v1/nodes/mkctl-m02/stop')
    assert.equal(res.status, 200, JSON.stringify(res.body))
    await t.advance(45_000)
    const node = await json('get', 'node', 'mkctl-m02')
    assert.equal(node.status.conditions.find((c: any) => c.type === 'Ready').status, 'Unknown')
    assert.ok(node.spec.taints.some((x: any) => x.key === 'node.kubernetes.io/unreachable' && x.effect === 'NoExecute'))
    assert.match(await ok('get', 'nodes'), /mkctl-m02\s+NotReady/)
    await t.advance(300_000)
    await ops.manager.settle()
    const pods = (await json('get', 'pods', '-l', 'app=spread')).items.filter((p: any) => !p.metadata.deletionTimestamp)
    assert.equal(pods.length, 3)
    for (const p of pods) assert.notEqual(p.spec.nodeName, 'mkctl-m02')
    assert.equal((await fetchAdmin(t, 'POST', '/mkctl/v1/nodes/mkctl-m02/start')).status, 200)
    await t.advance(10_000)
    assert.match(await ok('get', 'node', 'mkctl-m02'), /mkctl-m02\s+Ready/)
  })
})

describe('simulation: realistic timing', function () {
  this.timeout(60_000)
  let t: TestDaemon
  before(async function () {
    if (!HAVE_KUBECTL) this.skip()
    t = await startTestDaemon({timing: 'realistic'})
    await t.settle()
  })
  after(async () => t?.stop())

  it('get pods -w shows ContainerCreating, then Running a second or two later on the cluster clock', async () => {
    const w = spawn('kubectl', ['--kubeconfig', t.kubeconfig, 'get', 'pods', '-w', '--no-headers'], {
      env: {...process.env, KUBECACHEDIR: join(t.home, 'cache')},
    })
    let out = ''
    w.stdout.on('data', (d) => (out += d))
    try {
      const r = await t.kubectl(['run', 'slow', '--image=nginx:1.27'])
      assert.equal(r.code, 0, r.stderr)
      await t.settle()
      await waitFor(() => /ContainerCreating/.test(out))
      assert.doesNotMatch(out, /Running/)
      await t.advance(5_000)
      await waitFor(() => /slow\s+1\/1\s+Running/.test(out))
    } finally {
      w.kill()
    }
  })
})

async function waitFor(cond: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 20))
  }
}

async function fetchAdmin(t: TestDaemon, method: string, path: string): Promise<{status: number; body: any}> {
  const api = new ApiClient(t.daemon.url, t.daemon.caCert, t.daemon.token)
  const r = await api.request(method, path, {})
  return {status: r.status, body: r.json}
}
