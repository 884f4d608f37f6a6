import assert from 'node:assert/strict'
import {runCheck, type CheckEnv} from '../../src/lab/checks.js'
import {daemonView} from '../../src/lab/cluster-view.js'
import {gradeTasks} from '../../src/lab/grader.js'
import {explainHops, networkProbe} from '../../src/lab/reachable.js'
import {startReplayer, type Replayer} from '../../src/lab/replay.js'
import type {CheckSpec, Lab} from '../../src/lab/types.js'

const APP = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: "nginx:1.27", ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 8080, targetPort: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  selector: {app: api}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: web-np}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80, nodePort: 30080}]
`

const INGRESS = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: app}
spec:
  rules:
    - host: app.local
      http:
        paths:
          - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}
          - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 8080}}}}
`

describe('lab/reachable: HTTP checks through the simulated cluster network', function () {
  this.timeout(60_000)
  let r: Replayer
  let env: CheckEnv
  const check = async (reachable: CheckSpec['reachable']) => {
    const out = await runCheck({reachable}, env)
    return [out.passed, out.message] as const
  }

  before(async () => {
    r = await startReplayer({seed: 5})
    env = {
      view: daemonView(r.daemon),
      journal: [],
      run: (argv) => r.run(argv),
      now: () => r.clock.now(),
      advance: (ms) => r.advance(ms),
      nextTimerAt: () => r.clock.nextTimerAt(),
      http: networkProbe(r.daemon.cluster),
    }
    assert.equal((await r.run(['apply', '-f', '-'], APP)).code, 0)
  })
  after(() => r.stop())

  it('reaches a Service by name and port (waiting on virtual time for the pods), with its body', async () => {
    assert.deepEqual(await check({service: 'web', port: 8080, bodyContains: 'Welcome to nginx'}), [
      true,
      'GET http://web.default.svc:8080/: 200',
    ])
    // A named port, a path and a regular expression over the body.
    const [ok] = await check({service: 'web', port: 'http', path: '/', bodyMatches: '<title>.*nginx'})
    assert.equal(ok, true)
  })

  it('says why a Service does not answer, from the hops', async () => {
    assert.deepEqual(await check({service: 'api', timeout: '0s'}), [
      false,
      'GET http://api.default.svc:80/: connection refused, want 200 (service api has no ready endpoints)',
    ])
    assert.deepEqual(await check({service: 'web', port: 9999}), [
      false,
      'service "web" in namespace "default" has no port 9999 (ports: http/8080)',
    ])
    assert.deepEqual(await check({service: 'nope', namespace: 'shop'}), [
      false,
      'service "nope" not found in namespace "shop"',
    ])
  })

  it('compares the status and the body', async () => {
    assert.deepEqual(await check({service: 'web', port: 8080, status: 404, timeout: '0s'}), [
      false,
      'GET http://web.default.svc:8080/: 200, want 404',
    ])
    const [ok, msg] = await check({service: 'web', port: 8080, body: 'goodbye', timeout: '0s'})
    assert.equal(ok, false)
    assert.match(msg, /^GET http:\/\/web\.default\.svc:8080\/: the body does not contain "goodbye" \(got "/)
  })

  it('reaches a NodePort', async () => {
    assert.deepEqual(await check({nodePort: 30080}), [true, 'GET NodePort 30080/: 200'])
  })

  it('sends an ingress host and path through the ingress addon', async () => {
    assert.deepEqual(await check({ingress: {host: 'app.local', path: '/'}, timeout: '0s'}), [
      false,
      'GET http://app.local/ through ingress: no ingress controller, want 200 (the ingress addon is not enabled: mkctl cluster addons enable ingress)',
    ])
    assert.equal((await r.run(['cluster', 'addons', 'enable', 'ingress'])).code, 0)
    assert.equal((await r.run(['apply', '-f', '-'], INGRESS)).code, 0)
    assert.deepEqual(await check({ingress: {host: 'app.local', path: '/'}, bodyContains: 'nginx'}), [
      true,
      'GET http://app.local/ through ingress: 200',
    ])
    assert.deepEqual(await check({ingress: {host: 'app.local', path: '/api'}, timeout: '0s'}), [
      false,
      'GET http://app.local/api through ingress: 503, want 200 (service api has no ready endpoints)',
    ])
    assert.deepEqual(await check({ingress: {host: 'other.local', path: '/'}, timeout: '0s'}), [
      false,
      'GET http://other.local/ through ingress: 404, want 200 (no Ingress rule matches host other.local path /)',
    ])
    // An Ingress by name: its first rule's host and path.
    assert.deepEqual(await check({ingress: 'app', status: 503, timeout: '0s'}), [
      true,
      'GET http://app.local/api through ingress: 503',
    ])
  })

  it('scores in a task and labels the check in reports', async () => {
    const lab: Lab = {
      apiVersion: 'mkctl.dev/v1',
      kind: 'Lab',
      metadata: {name: 'r'},
      tasks: [{name: 'web', checks: [{reachable: {service: '{{ .svc }}', port: 8080}}]}],
    }
    const [t] = await gradeTasks(lab, env, {svc: 'web'})
    assert.equal(t.passed, true)
    assert.equal(t.checks[0].check, 'reachable service/web:8080 status=200')
  })

  it('is unsupported where the environment cannot send requests', async () => {
    const out = await runCheck({reachable: {service: 'web'}}, {...env, http: undefined})
    assert.equal(out.unsupported, true)
  })

  it('explainHops picks the telling hop', () => {
    assert.equal(
      explainHops([
        {step: 'dns', detail: 'x → 10.0.0.1'},
        {step: 'policy', detail: 'dropped by ingress policy shop/deny-all'},
      ]),
      'a NetworkPolicy dropped it: ingress policy shop/deny-all',
    )
    assert.equal(explainHops([{step: 'container', detail: 'nginx listening on 80'}], 200), undefined)
  })
})
