// rollout.test.ts: differential tests of `mkctl rollout status|history|undo|restart|pause|resume` against the real
// kubectl on twin daemons (run `npm run build` first: the tests spawn bin/mkctl.js).
import assert from 'node:assert/strict'
import {normalize, startTwins, type Twins} from '../../helpers/differential.js'
import {background} from './rollout-helpers.js'

// slow is a deployment whose pods turn ready only 10s (fake clock) after they start, so a rollout takes clock time.
const slow = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: slow
spec:
  replicas: 2
  selector:
    matchLabels: {app: slow}
  template:
    metadata:
      labels: {app: slow}
    spec:
      containers:
      - name: c
        image: ${image}
        readinessProbe:
          exec: {command: ["true"]}
          initialDelaySeconds: 10
          periodSeconds: 10
`

describe('mkctl rollout (differential)', function () {
  this.timeout(120_000)
  let t: Twins
  before(async function () {
    t = await startTwins(this, {cluster: {nodes: 2}} as never)
    await t.setup(['create', 'deployment', 'web', '--image=nginx', '--replicas=2'])
    await t.setup(['set', 'image', 'deployment/web', 'nginx=nginx:1.25'])
    await t.setup(['annotate', 'deployment/web', 'kubernetes.io/change-cause=bump'])
  })
  after(async () => t?.stop())

  it('status of a finished rollout, --watch=false, --revision', async () => {
    await t.same(['rollout', 'status', 'deployment/web'])
    await t.same(['rollout', 'status', 'deploy', 'web', '--watch=false'])
    await t.same(['rollout', 'status', 'deployment'])
    await t.same(['rollout', 'status', 'deployment/web', '--revision=2'])
    await t.same(['rollout', 'status', 'deployment/web', '--revision=1'])
    await t.same(['rollout', 'status', 'deployment/web', '--revision=-1'])
    await t.same(['rollout', 'status', 'daemonset/kube-proxy', '-n', 'kube-system'])
  })

  it('status errors', async () => {
    await t.same(['rollout', 'status'])
    await t.same(['rollout', 'status', 'deployment/nope'])
    await t.same(['rollout', 'status', 'service/kubernetes'])
    await t.same(['rollout', 'status', 'pods/nope'])
    await t.same(['rollout', 'status', 'deployment', '-l', 'app=none'])
  })

  it('status watches a rollout until it is done', async () => {
    await t.setup(['apply', '-f', '-'], {input: slow('nginx')})
    const k = background(t.k, 'kubectl', ['rollout', 'status', 'deployment/slow'])
    const m = background(t.m, 'mkctl', ['rollout', 'status', 'deployment/slow'])
    await Promise.all([k.started, m.started])
    await t.advance(30_000)
    const [kr, mr] = await Promise.all([k.done, m.done])
    assert.deepEqual(normalize(mr, 'mkctl'), normalize(kr, 'kubectl'))
    assert.match(mr.stdout, /Waiting for deployment "slow" rollout to finish: 0 of 2 updated replicas are available/)
    assert.match(mr.stdout, /deployment "slow" successfully rolled out\n$/)
  })

  it("status --timeout ends the watch with kubectl's error", async () => {
    await t.setup(['set', 'image', 'deployment/slow', 'c=nginx:1.25'])
    await t.same(['rollout', 'status', 'deployment/slow', '--timeout=1s'])
    await t.advance(60_000)
  })

  it('history table, --revision, -o', async () => {
    await t.same(['rollout', 'history', 'deployment/web'])
    await t.same(['rollout', 'history', 'deployment/web', '--revision=1'])
    await t.same(['rollout', 'history', 'deployment/web', '--revision=2'])
    await t.same(['rollout', 'history', 'deployment/web', '-o', 'name'])
    await t.same([
      'rollout',
      'history',
      'deployment/web',
      '--revision=1',
      '-o',
      'jsonpath={.spec.template.spec.containers[0].image}',
    ])
    await t.same(['rollout', 'history', 'daemonset/kube-proxy', '-n', 'kube-system'])
    await t.same(['rollout', 'history', 'daemonset/kube-proxy', '-n', 'kube-system', '--revision=1'])
  })

  it('history errors', async () => {
    await t.same(['rollout', 'history'])
    await t.same(['rollout', 'history', 'deployment/web', '--revision=9'])
    await t.same(['rollout', 'history', 'deployment/web', '--revision=-2'])
    await t.same(['rollout', 'history', 'service/kubernetes'])
    await t.same(['rollout', 'history', 'deployment/nope'])
  })

  it('undo: dry runs, to a revision, skipped, errors', async () => {
    await t.same(['rollout', 'undo', 'deployment/web', '--dry-run=client'])
    await t.same(['rollout', 'undo', 'deployment/web', '--dry-run=server'])
    await t.same(['rollout', 'undo', 'deployment/web', '--to-revision=9'])
    await t.same(['rollout', 'undo', 'deployment/web', '--to-revision=2'])
    await t.same(['rollout', 'undo', 'service/kubernetes'])
    await t.same(['rollout', 'undo', 'daemonset/kube-proxy', '-n', 'kube-system'])
    await t.same(['rollout', 'undo', 'deployment/web'])
    await t.same(['get', 'deployment', 'web', '-o', 'yaml'])
    await t.same(['rollout', 'history', 'deployment/web'])
    await t.same(['rollout', 'undo', 'deployment/web', '--to-revision=3'])
    await t.same(['get', 'replicasets', '-l', 'app=web'])
  })

  it('pause and resume, and their errors', async () => {
    await t.same(['rollout', 'pause', 'deployment/web'])
    await t.same(['rollout', 'pause', 'deployment/web'])
    await t.same(['rollout', 'undo', 'deployment/web'])
    await t.same(['rollout', 'restart', 'deployment/web'])
    await t.same(['get', 'deployment', 'web', '-o', 'yaml'])
    await t.same(['rollout', 'resume', 'deployment/web', '-o', 'name'])
    await t.same(['rollout', 'resume', 'deployment/web'])
    await t.same(['rollout', 'pause', 'service/kubernetes'])
    await t.same(['rollout', 'resume', 'daemonset/kube-proxy', '-n', 'kube-system'])
    await t.same(['rollout', 'pause'])
    await t.same(['rollout', 'pause', 'deployment', '-l', 'app=none'])
    await t.same(['get', 'deployment', 'web', '-o', 'yaml'])
  })

  it('restart sets restartedAt (kubectl reads the local clock and no environment, so only its shape is compared)', async () => {
    await t.same(['rollout', 'restart', 'deployment/web'])
    await t.same(['rollout', 'restart', 'service/kubernetes'])
    const jp = [
      'get',
      'deployment',
      'web',
      '-o',
      "jsonpath={.spec.template.metadata.annotations['kubectl\\.kubernetes\\.io/restartedAt']}",
    ]
    const {kubectl, mkctl} = await t.both(jp)
    const rfc3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/
    assert.match(kubectl.stdout, rfc3339)
    assert.match(mkctl.stdout, rfc3339)
    assert.ok(Math.abs(Date.parse(kubectl.stdout) - Date.parse(mkctl.stdout)) < 60_000)
    // everything else about the deployment matches once the timestamps are set aside
    const yaml = await t.both(['get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.spec}{.spec.paused}'])
    assert.equal(yaml.mkctl.stdout, yaml.kubectl.stdout)
  })
})
