import assert from 'node:assert/strict'
import {runCheck, type CheckEnv} from '../../src/lab/checks.js'
import {daemonView} from '../../src/lab/cluster-view.js'
import {startReplayer, type Replayer} from '../../src/lab/replay.js'
import type {CheckSpec} from '../../src/lab/types.js'

const DEPLOY = (image: string, replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default, labels: {app: web}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: "${image}"}]
`

const SLOW_POD = `apiVersion: v1
kind: Pod
metadata: {name: slow, labels: {app: slow}}
spec:
  containers:
    - name: nginx
      image: nginx:1.27
      readinessProbe:
        httpGet: {path: /, port: 80}
        initialDelaySeconds: 20
`

describe('lab/checks against an in-process cluster', function () {
  this.timeout(60_000)
  let r: Replayer
  let env: CheckEnv
  const check = async (c: CheckSpec) => {
    const out = await runCheck(c, env, {want: 'hello'})
    return [out.passed, out.message] as const
  }

  before(async () => {
    r = await startReplayer({seed: 3})
    env = {
      view: daemonView(r.daemon),
      journal: [
        {text: 'kubectl apply -f web.yaml', exitCode: 0},
        {text: 'kubectl scale deploy web --replicas=3', exitCode: 1},
        {text: 'kubectl delete pod web-1', exitCode: 0},
      ],
      run: (argv) => r.run(argv),
      now: () => r.clock.now(),
      advance: (ms) => r.advance(ms),
      nextTimerAt: () => r.clock.nextTimerAt(),
    }
    for (const [argv, input] of [
      [['apply', '-f', '-'], DEPLOY('nginx:1.26', 2)],
      [['apply', '-f', '-'], DEPLOY('nginx:1.27', 2)],
      [['apply', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {greeting: hi}\n'],
      [['delete', 'configmap', 'cfg'], ''],
      [['create', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {greeting: hi}\n'],
      [['create', '-f', '-'], SLOW_POD],
    ] as const) {
      const res = await r.run([...argv], input)
      assert.equal(res.code, 0, `${argv.join(' ')}: ${res.stderr}`)
    }
  })
  after(async () => {
    await r?.stop()
  })

  it('exists / absent, by name and by selector', async () => {
    assert.deepEqual(await check({exists: {resource: 'deploy/web'}}), [
      true,
      'deployment "web" exists in namespace "default"',
    ])
    assert.deepEqual(await check({exists: {resource: 'deployment', name: 'nope', namespace: 'x'}}), [
      false,
      'deployment "nope" not found in namespace "x"',
    ])
    assert.deepEqual(await check({exists: {resource: 'pods', selector: 'app=web', count: {min: 3}}}), [
      false,
      'found 2 pods matching app=web in namespace "default", want at least 3',
    ])
    assert.deepEqual(await check({absent: {resource: 'configmap/cfg'}}), [
      false,
      'configmap "cfg" still exists in namespace "default"',
    ])
    assert.deepEqual(await check({absent: {resource: 'services', selector: 'app=web'}}), [
      true,
      'found 0 services matching app=web in namespace "default"',
    ])
    assert.deepEqual(await check({exists: {resource: 'frobs/x'}}), [
      false,
      'check failed to run: unknown resource type "frobs"',
    ])
  })

  it('field: equals, matches, contains, gte/lte, count, custom messages', async () => {
    assert.deepEqual(await check({field: {resource: 'deployment/web', jsonpath: '{.spec.replicas}', equals: '3'}}), [
      false,
      'deployment "web" in namespace "default" has 2 replicas, want 3',
    ])
    const image = '{.spec.template.spec.containers[0].image}'
    assert.equal(
      (await check({field: {resource: 'deployment/web', jsonpath: image, matches: '^nginx:1\\.27$'}}))[0],
      true,
    )
    assert.deepEqual(await check({field: {resource: 'deployment/web', jsonpath: image, contains: 'httpd'}}), [
      false,
      'deployment "web" in namespace "default": {.spec.template.spec.containers[0].image} is "nginx:1.27", want it to contain "httpd"',
    ])
    assert.equal(
      (await check({field: {resource: 'deployment/web', jsonpath: '{.status.readyReplicas}', gte: 2, lte: '2'}}))[0],
      true,
    )
    assert.deepEqual(
      await check({field: {resource: 'pods', selector: 'app=web', jsonpath: '{.items[*].metadata.name}', count: 3}}),
      [false, 'pods matching app=web in namespace "default": {.items[*].metadata.name} has 2 values, want exactly 3'],
    )
    assert.deepEqual(
      await check({
        field: {resource: 'configmap/cfg', jsonpath: '{.data.greeting}', equals: 'hello'},
        message: 'greeting is {{ .actual }}, want {{ .want }}',
      }),
      [false, 'greeting is hi, want hello'],
    )
  })

  it('ready lets virtual time pass instead of sleeping', async () => {
    const before = r.clock.now()
    assert.deepEqual(await check({ready: {resource: 'deployment/web'}}), [
      true,
      'deployment "web" is rolled out (2/2 available)',
    ])
    assert.deepEqual(await check({ready: {resource: 'pod/slow', timeout: '5s'}}), [
      false,
      'pod "slow" is not Ready (Running) after 5s',
    ])
    assert.deepEqual(await check({ready: {resource: 'pod/slow'}}), [true, 'pod "slow" is Ready'])
    const waited = r.clock.now() - before
    assert.ok(waited >= 20_000 && waited < 60_000, `waited ${waited} ms of virtual time`)
  })

  it('command counts matching commands of the journal', async () => {
    assert.deepEqual(await check({command: {matches: '^kubectl scale ', min: 1}}), [
      true,
      '1 commands matched /^kubectl scale /',
    ])
    assert.deepEqual(await check({command: {matches: '^kubectl scale ', successful: true}}), [
      false,
      'no successful command matched /^kubectl scale / (want at least 1)',
    ])
    assert.deepEqual(await check({command: {matches: 'delete pod', max: 0}}), [
      false,
      '1 commands matched /delete pod/, want at most 0: kubectl delete pod web-1',
    ])
  })

  it('history: transitions, recreated, edited, deletions', async () => {
    const image = '{.spec.template.spec.containers[0].image}'
    assert.equal(
      (await check({history: {resource: 'deployment/web', jsonpath: image, from: 'nginx:1.26', to: 'nginx:1.27'}}))[0],
      true,
    )
    assert.deepEqual(
      await check({history: {resource: 'deployment/web', jsonpath: image, from: 'nginx:1.27', to: 'nginx:1.26'}}),
      [
        false,
        'deployment "web" in namespace "default": {.spec.template.spec.containers[0].image} never changed from "nginx:1.27" to "nginx:1.26" (it went "nginx:1.26" -> "nginx:1.27")',
      ],
    )
    assert.equal((await check({history: {resource: 'deployment/web', recreated: false, edited: true}}))[0], true)
    assert.deepEqual(await check({history: {resource: 'configmap/cfg', recreated: false}}), [
      false,
      'configmap "cfg" in namespace "default" was deleted and created again (2 lifetimes); change it in place instead',
    ])
    assert.deepEqual(await check({history: {resource: 'configmap/cfg', edited: true}}), [
      false,
      'configmap "cfg" in namespace "default" was never changed after it was created',
    ])
    // the rollout to 1.27 replaced the 1.26 pods
    assert.equal((await check({history: {resource: 'pods', selector: 'app=web', deleted: {min: 2}}}))[0], true)
  })

  it('script runs a kubectl command line in-process', async () => {
    assert.deepEqual(await check({script: {run: 'kubectl get deployment web'}}), [
      true,
      'kubectl get deployment web exited 0',
    ])
    assert.deepEqual(await check({script: {run: 'kubectl get deployment nope'}}), [
      false,
      'kubectl get deployment nope exited 1, want 0: Error from server (NotFound): deployments.apps "nope" not found',
    ])
    assert.equal(
      (await check({script: {run: 'kubectl get cm cfg -o jsonpath={.data.greeting}', outputMatches: '^hi$'}}))[0],
      true,
    )
  })

  it('reachable is accepted but not supported yet', async () => {
    assert.deepEqual(await check({reachable: {service: 'web', status: 200}}), [
      false,
      'reachable checks are not supported yet (mkctl has no service proxy yet)',
    ])
  })
})
