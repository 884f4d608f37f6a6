// load.test.ts drives `mkctl cluster load`'s generator (src/daemon/network/load.ts) on a whole simulated cluster
// with a fake clock: the rate and spread of requests, the access logs and metrics they feed, an HPA that scales out
// under load and back in after its window, the latency model, failures by kind, stopping early, and the
// /mkctl/v1/load endpoints (load-admin.ts) on a bare express app.
import assert from 'node:assert/strict'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import express from 'express'
import type {KubeObject} from '../../../src/api/object.js'
import {FakeClock} from '../../../src/daemon/clock.js'
import {createCluster, type Cluster} from '../../../src/daemon/cluster.js'
import {resolveResource} from '../../../src/daemon/controllers/framework/informer.js'
import {metricsServerObjects} from '../../../src/daemon/addons/metrics-server.js'
import {Addons} from '../../../src/daemon/addons/index.js'
import {podUsages} from '../../../src/daemon/metrics/usage.js'
import {HostGateway} from '../../../src/daemon/network/host.js'
import {
  LoadGenerator,
  NET_HOP_MS,
  failureKind,
  failureMessage,
  pathOf,
  serverTimeMs,
  type LoadStatus,
} from '../../../src/daemon/network/load.js'
import {loadAdminRouter} from '../../../src/daemon/apiserver/load-admin.js'

function deployment(name: string, replicas: number, resources: object = {requests: {cpu: '100m'}}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {name, namespace: 'default'},
    spec: {
      replicas,
      selector: {matchLabels: {app: name}},
      template: {
        metadata: {labels: {app: name}},
        spec: {containers: [{name: 'nginx', image: 'nginx:1.27', resources}]},
      },
    },
  } as KubeObject
}

function service(name: string, selector = name): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {name, namespace: 'default'},
    spec: {selector: {app: selector}, ports: [{port: 80}]},
  } as KubeObject
}

describe('cluster load generator', function () {
  this.timeout(60_000)
  let c: Cluster
  let clock: FakeClock
  let gateway: HostGateway
  let loads: LoadGenerator
  const res = (ref: string) => resolveResource(c.resources(), ref)
  const create = (ref: string, o: KubeObject) => c.registry.create(res(ref), o.metadata?.namespace, o)
  const pods = (app: string) =>
    c.registry
      .list(res('pods'), 'default')
      .items.filter(
        (p) =>
          p.metadata?.labels?.app === app &&
          !p.metadata?.deletionTimestamp &&
          (p.status as {phase?: string})?.phase === 'Running',
      )
  const logLines = (p: KubeObject) => c.runtime.logs(p.metadata!.uid!, 'nginx', {now: clock.now()})?.length ?? 0
  const replicas = () => (c.registry.get(res('apps/deployments'), 'default', 'web').spec as {replicas: number}).replicas

  beforeEach(async () => {
    clock = new FakeClock()
    c = createCluster({dbPath: ':memory:', clock, seed: 1, timing: 'fast'})
    gateway = new HostGateway(c)
    loads = new LoadGenerator(c, gateway)
    create('apps/deployments', deployment('web', 2))
    create('services', service('web'))
    await c.manager.settle()
    await c.advance(5_000)
    assert.equal(pods('web').length, 2)
  })
  afterEach(async () => {
    loads.stopAll()
    await gateway.close()
    await c.stop()
  })

  it('sends N requests per second of cluster time for the duration, spread over the ready endpoints', async () => {
    const before = pods('web').map(logLines)
    const s = loads.start({service: {namespace: 'default', name: 'web'}, rps: 20, durationMs: 5_000})
    assert.equal(s.state, 'running')
    assert.equal(s.total, 100)
    assert.equal(s.sent, 1, 'the first request goes at once')
    assert.match(s.request, /^GET http:\/\/web\.default\.svc\.cluster\.local:80\/$/)
    await c.advance(1_000)
    const mid = loads.status(s.id)
    assert.equal(mid.state, 'running')
    assert.equal(mid.sent, 21, 'requests due at 0, 50, …, 1000 ms')
    assert.equal(mid.currentRps, 20)
    await c.advance(4_000)
    const done = loads.status(s.id)
    assert.equal(done.state, 'done')
    assert.equal(done.sent, 100)
    assert.equal(done.ok, 100)
    assert.equal(done.errors, 0)
    assert.equal(done.elapsedMs, 5_000)
    assert.equal(done.throughput, 20)
    assert.deepEqual(done.statusCodes, {200: 100})
    const names = pods('web').map((p) => `default/${p.metadata!.name}`)
    assert.deepEqual(Object.keys(done.pods).sort(), names.sort())
    assert.deepEqual(Object.values(done.pods), [50, 50], 'round robin over two endpoints')
    const after = pods('web').map(logLines)
    assert.deepEqual(
      after.map((n, i) => n - before[i]!),
      [50, 50],
      'each pod logs the requests it served',
    )
    const line = c.runtime.logs(pods('web')[0]!.metadata!.uid!, 'nginx', {now: clock.now()})!.at(-1)!.text
    assert.match(line, /"GET \/ HTTP\/1\.1" 200 /)
    // Nothing more is sent once the run is over.
    await c.advance(5_000)
    assert.equal(loads.status(s.id).sent, 100)
  })

  it("raises the pods' CPU in the metrics while the load runs", async () => {
    const cpu = () =>
      podUsages({informers: c.manager.informers, runtime: c.runtime}, clock.now(), 'default')
        .filter((u) => u.pod.metadata?.labels?.app === 'web')
        .reduce((a, u) => a + u.containers[0]!.cpuNano, 0)
    await c.advance(30_000)
    const idle = cpu()
    assert.ok(idle > 0 && idle < 10e6, `idle ${idle}`)
    loads.start({service: {namespace: 'default', name: 'web'}, rps: 200, durationMs: 60_000})
    await c.advance(30_000)
    // nginx spends 1 ms of CPU per request: 200 rps is ~200m over both pods.
    const busy = cpu()
    assert.ok(busy > 180e6 && busy < 230e6, `busy ${busy}`)
  })

  it('makes an HPA scale out under load and back in after the stabilisation window', async () => {
    c.store.setState('addons', JSON.stringify(['metrics-server']))
    for (const {ref, obj} of metricsServerObjects()) {
      if (!c.resources().all.some((r) => `${r.group ? r.group + '/' : ''}${r.plural}` === ref)) continue
      c.registry.create(res(ref), obj.metadata?.namespace, obj)
    }
    c.registry.update(res('apps/deployments'), 'default', 'web', {
      ...c.registry.get(res('apps/deployments'), 'default', 'web'),
      spec: {...(c.registry.get(res('apps/deployments'), 'default', 'web').spec as object), replicas: 1},
    })
    create('autoscaling/horizontalpodautoscalers', {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: {name: 'web', namespace: 'default'},
      spec: {
        scaleTargetRef: {apiVersion: 'apps/v1', kind: 'Deployment', name: 'web'},
        minReplicas: 1,
        maxReplicas: 10,
        metrics: [{type: 'Resource', resource: {name: 'cpu', target: {type: 'Utilization', averageUtilization: 50}}}],
      },
    } as KubeObject)
    await c.advance(60_000)
    assert.equal(replicas(), 1)
    const s = loads.start({service: {namespace: 'default', name: 'web'}, rps: 200, durationMs: 90_000})
    await c.advance(90_000)
    const done = loads.status(s.id)
    assert.equal(done.state, 'done')
    assert.equal(done.sent, 18_000)
    assert.equal(done.errors, 0)
    const peak = replicas()
    assert.ok(peak >= 3, `replicas under load: ${peak}`)
    assert.ok(Object.keys(done.pods).length >= 3, `the new pods took load: ${JSON.stringify(done.pods)}`)
    await c.advance(60_000)
    assert.equal(replicas(), peak, 'no scale-in inside the 300 s window')
    await c.advance(300_000)
    assert.equal(replicas(), 1)
  })

  it('models latency from the image profile and queueing near the CPU limit', async () => {
    assert.equal(serverTimeMs(1, 0), 1)
    assert.equal(serverTimeMs(1, 0.5), 2)
    assert.ok(Math.abs(serverTimeMs(1, 0.99) - 100) < 1e-6)
    assert.ok(Math.abs(serverTimeMs(1, 1.5) - 600) < 1e-6, 'half a second of backlog per second')
    assert.equal(serverTimeMs(0, 0), 0.05)
    // Idle nginx without a limit: one hop and ~1 ms of service.
    const idle = loads.start({service: {namespace: 'default', name: 'web'}, rps: 10, durationMs: 1_000})
    await c.advance(1_000)
    const l = loads.status(idle.id).latencyMs!
    assert.ok(l.p50 >= NET_HOP_MS + 1 && l.p50 < NET_HOP_MS + 1.01, `idle p50 ${l.p50}`)
    // A 100m limit and 80 rps on one pod: 80% busy, so ~5× the service time once the first second is counted.
    create('apps/deployments', deployment('slow', 1, {limits: {cpu: '100m'}}))
    create('services', service('slow'))
    await c.advance(5_000)
    const s = loads.start({service: {namespace: 'default', name: 'slow'}, rps: 80, durationMs: 3_000})
    await c.advance(3_000)
    const busy = loads.status(s.id).latencyMs!
    assert.ok(busy.p50 > 4 && busy.p50 < 6, `busy p50 ${busy.p50}`)
    assert.ok(busy.p99 >= busy.p90 && busy.p90 >= busy.p50)
    assert.ok(busy.p50 > l.p50 * 3)
  })

  it('counts failures by kind and refuses an unknown target at the start', async () => {
    create('services', service('empty', 'nobody'))
    await c.manager.settle()
    const s = loads.start({service: {namespace: 'default', name: 'empty'}, rps: 5, durationMs: 2_000})
    await c.advance(2_000)
    const done = loads.status(s.id)
    assert.equal(done.sent, 10)
    assert.equal(done.ok, 0)
    assert.deepEqual(done.failures, {'connection refused': 10})
    assert.equal(done.latencyMs, undefined)
    assert.match(done.lastError ?? '', /refused/)
    assert.throws(
      () => loads.start({service: {namespace: 'default', name: 'nope'}, rps: 5, durationMs: 1_000}),
      /services "nope" not found/,
    )
    assert.throws(() => loads.start({service: {namespace: 'default', name: 'web'}, rps: 0, durationMs: 1_000}), /rps/)
    assert.throws(() => loads.start({url: 'http://app.local/', rps: 1, durationMs: 1_000}), /ingress addon/)
    assert.equal(failureKind({error: 'resolve', host: 'x'}), 'dns')
    assert.equal(failureKind({error: 'timeout', host: 'x', port: 80}), 'timeout')
    assert.equal(failureKind({error: 'dnsTimeout', host: 'x'}), 'dns timeout')
    assert.equal(failureMessage({error: 'refused', host: 'x', port: 80}), 'connection to x port 80 refused')
  })

  it('goes through the ingress controller for a host URL, and from a pod with from', async () => {
    await new Addons(c, gateway).enable('ingress')
    create('networking.k8s.io/ingresses', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {name: 'web', namespace: 'default'},
      spec: {
        rules: [
          {
            host: 'web.local',
            http: {paths: [{path: '/', pathType: 'Prefix', backend: {service: {name: 'web', port: {number: 80}}}}]},
          },
        ],
      },
    } as KubeObject)
    create('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {name: 'client', namespace: 'default'},
      spec: {containers: [{name: 'sh', image: 'busybox:1.36', command: ['sleep', '3600']}]},
    } as KubeObject)
    await c.advance(20_000)
    const direct = loads.start({service: {namespace: 'default', name: 'web'}, rps: 10, durationMs: 1_000})
    const viaIngress = loads.start({url: 'http://web.local/', rps: 10, durationMs: 1_000})
    assert.equal(viaIngress.origin, 'the host')
    const fromPod = loads.start({
      url: 'http://web/',
      from: {namespace: 'default', pod: 'client'},
      rps: 10,
      durationMs: 1_000,
    })
    assert.equal(fromPod.origin, 'pod default/client')
    await c.advance(1_000)
    for (const s of [viaIngress, fromPod]) {
      const done = loads.status(s.id)
      assert.equal(done.ok, 10, JSON.stringify(done))
      assert.ok(
        Object.keys(done.pods).every((p) => p.startsWith('default/web-')),
        JSON.stringify(done.pods),
      )
    }
    // Two containers on the way (the controller, then nginx) take longer than one.
    assert.ok(loads.status(viaIngress.id).latencyMs!.p50 > loads.status(direct.id).latencyMs!.p50 + NET_HOP_MS)
    const ctl = c.registry
      .list(res('pods'), 'ingress-nginx')
      .items.find((p) => p.metadata?.name?.startsWith('ingress-nginx-controller'))!
    const ctlLog = c.runtime.logs(ctl.metadata!.uid!, 'controller', {now: clock.now()})!.map((l) => l.text)
    assert.ok(ctlLog.filter((l) => l.includes('mkctl-load')).length >= 10, ctlLog.slice(-3).join('\n'))
  })

  it('stops a run early and keeps its summary', async () => {
    const s = loads.start({service: {namespace: 'default', name: 'web'}, rps: 10, durationMs: 60_000})
    await c.advance(2_000)
    const stopped = loads.stop(s.id)
    assert.equal(stopped.state, 'stopped')
    assert.equal(stopped.sent, 21)
    assert.equal(stopped.elapsedMs, 2_000)
    await c.advance(5_000)
    assert.equal(loads.status(s.id).sent, 21)
    assert.equal(loads.status(s.id).currentRps, 0)
    assert.deepEqual(
      loads.list().map((x) => x.id),
      [s.id],
    )
  })

  it("reads the containers on a request's way from its hops", () => {
    const r = c.network.http({node: 'mkctl'}, 'web.default.svc.cluster.local', 80, {method: 'GET', path: '/'})
    const steps = pathOf(r.hops)
    assert.equal(steps.length, 1)
    assert.equal(steps[0]!.namespace, 'default')
    assert.equal(steps[0]!.container, 'nginx')
    assert.match(steps[0]!.pod, /^web-/)
  })

  describe('/mkctl/v1/load endpoints', () => {
    let server: Server
    let base: string
    beforeEach(async () => {
      const app = express()
      app.use('/mkctl/v1/load', loadAdminRouter(loads))
      server = createServer(app)
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mkctl/v1/load`
    })
    afterEach(async () => {
      await new Promise<void>((r) => server.close(() => r()))
    })
    const call = async (method: string, path: string, body?: unknown) => {
      const r = await fetch(base + path, {
        method,
        headers: body ? {'content-type': 'application/json'} : {},
        ...(body ? {body: JSON.stringify(body)} : {}),
      })
      return {status: r.status, body: (await r.json()) as any}
    }

    it('starts, reports and stops runs, with Status errors', async () => {
      const started = await call('POST', '', {service: {namespace: 'default', name: 'web'}, rps: 4, durationMs: 10_000})
      assert.equal(started.status, 200, JSON.stringify(started.body))
      const id = (started.body as LoadStatus).id
      await c.advance(1_000)
      const st = await call('GET', `/${id}`)
      assert.equal(st.body.sent, 5)
      assert.equal((await call('GET', '')).body.length, 1)
      const stopped = await call('POST', `/${id}/stop`)
      assert.equal(stopped.body.state, 'stopped')
      const missing = await call('GET', '/load-99')
      assert.equal(missing.status, 404)
      assert.equal(missing.body.kind, 'Status')
      const bad = await call('POST', '', {service: {name: 'web'}, rps: -1, durationMs: 1000})
      assert.equal(bad.status, 400)
      const both = await call('POST', '', {url: 'http://x/', service: {name: 'web'}, rps: 1, durationMs: 1000})
      assert.equal(both.status, 400)
      const gone = await call('POST', '', {service: {name: 'nope'}, rps: 1, durationMs: 1000})
      assert.equal(gone.status, 404)
    })
  })
})
