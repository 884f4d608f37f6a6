// hpa.test.ts drives the HPA controller on a whole simulated cluster (scheduler, kubelets, runtime) with a fake
// clock: a Deployment with requests.cpu, served load raising its CPU, scale-out, then scale-in once the load stops
// and the 300 s stabilisation window has passed. Load is simulated by counting requests on the pods' containers.
import assert from 'node:assert/strict'
import {FakeClock} from '../../../src/daemon/clock.js'
import {createCluster, type Cluster} from '../../../src/daemon/cluster.js'
import {resolveResource} from '../../../src/daemon/controllers/framework/informer.js'
import {hpaController} from '../../../src/daemon/controllers/hpa.js'
import {metricsServerObjects} from '../../../src/daemon/addons/metrics-server.js'
import {noteRequest} from '../../../src/daemon/metrics/requests.js'
import type {KubeObject} from '../../../src/api/object.js'

const res = (c: Cluster, ref: string) => resolveResource(c.resources(), ref)

function deployment(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {name: 'web', namespace: 'default'},
    spec: {
      replicas: 1,
      selector: {matchLabels: {app: 'web'}},
      template: {
        metadata: {labels: {app: 'web'}},
        spec: {containers: [{name: 'nginx', image: 'nginx', resources: {requests: {cpu: '100m'}}}]},
      },
    },
  } as KubeObject
}

function hpa(extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: {name: 'web', namespace: 'default'},
    spec: {
      scaleTargetRef: {apiVersion: 'apps/v1', kind: 'Deployment', name: 'web'},
      minReplicas: 1,
      maxReplicas: 10,
      metrics: [{type: 'Resource', resource: {name: 'cpu', target: {type: 'Utilization', averageUtilization: 50}}}],
      ...extra,
    },
  } as KubeObject
}

describe('hpa controller', function () {
  this.timeout(60_000)
  let c: Cluster
  let clock: FakeClock
  let rps = 0

  beforeEach(async () => {
    clock = new FakeClock()
    c = createCluster({dbPath: ':memory:', clock, seed: 1})
    c.manager.add(hpaController)
    // The load generator: rps requests per second, spread over the web pods as a Service would.
    clock.setInterval(() => {
      if (rps === 0) return
      const pods = c.manager.informers
        .for('pods')
        .list('default')
        .filter(
          (p) => p.metadata?.labels?.app === 'web' && (p as {status?: {phase?: string}}).status?.phase === 'Running',
        )
      for (const [i, p] of pods.entries()) {
        const inst = c.runtime.instance(p.metadata!.uid!, 'nginx')
        const share = Math.floor(rps / pods.length) + (i < rps % pods.length ? 1 : 0)
        if (inst) noteRequest(inst, clock.now() - 1, share)
      }
    }, 1000)
    rps = 0
    await c.manager.settle()
  })
  afterEach(async () => {
    await c.stop()
  })

  async function enableMetrics() {
    c.store.setState('addons', JSON.stringify(['metrics-server']))
    for (const {ref, obj} of metricsServerObjects()) {
      if (!c.resources().all.some((r) => `${r.group ? r.group + '/' : ''}${r.plural}` === ref)) continue
      c.registry.create(res(c, ref), obj.metadata?.namespace, obj)
    }
    await c.manager.settle()
  }

  const replicas = () =>
    (c.registry.tryGet(res(c, 'apps/deployments'), 'default', 'web') as {spec: {replicas: number}}).spec.replicas
  const hpaObj = () => c.registry.tryGet(res(c, 'autoscaling/horizontalpodautoscalers'), 'default', 'web') as any
  const events = () =>
    c.registry
      .list(res(c, 'events'), 'default')
      .items.filter((e: any) => e.involvedObject?.kind === 'HorizontalPodAutoscaler')
      .map((e: any) => `${e.type} ${e.reason} ${e.message}`)

  it('scales out under load and back in after the stabilisation window', async () => {
    await enableMetrics()
    c.registry.create(res(c, 'apps/deployments'), 'default', deployment())
    await c.manager.settle()
    c.registry.create(res(c, 'autoscaling/horizontalpodautoscalers'), 'default', hpa())
    await c.advance(60_000)
    assert.equal(replicas(), 1)
    const idle = hpaObj()
    assert.equal(idle.status.currentReplicas, 1)
    const cond = Object.fromEntries(idle.status.conditions.map((x: any) => [x.type, x.reason]))
    assert.deepEqual(cond, {
      AbleToScale: 'ReadyForNewScale',
      ScalingActive: 'ValidMetricFound',
      ScalingLimited: 'DesiredWithinRange',
    })
    assert.ok(idle.status.currentMetrics[0].resource.current.averageUtilization < 10)

    rps = 200 // nginx: 1 ms of CPU per request → 200m on one pod = 200% of its 100m request
    await c.advance(60_000)
    assert.ok(replicas() >= 3, `replicas ${replicas()}`)
    assert.ok(
      events().some((e) =>
        /^Normal SuccessfulRescale New size: \d+; reason: cpu resource utilization \(percentage of request\) above target$/.test(
          e,
        ),
      ),
      events().join('\n'),
    )
    assert.equal(
      events()[0],
      'Normal SuccessfulRescale New size: 4; reason: cpu resource utilization (percentage of request) above target',
    )

    rps = 0
    await c.advance(120_000)
    const peak = replicas()
    assert.ok(peak >= 3, 'no scale-in inside the 300 s window')
    assert.equal(hpaObj().status.conditions[0].reason, 'ScaleDownStabilized')
    await c.advance(300_000)
    assert.equal(replicas(), 1)
    assert.ok(events().some((e) => e === 'Normal SuccessfulRescale New size: 1; reason: All metrics below target'))
  })

  it('reports FailedGetResourceMetric while the metrics API is off', async () => {
    c.registry.create(res(c, 'apps/deployments'), 'default', deployment())
    await c.manager.settle()
    c.registry.create(res(c, 'autoscaling/horizontalpodautoscalers'), 'default', hpa())
    await c.advance(30_000)
    const h = hpaObj()
    const active = h.status.conditions.find((x: any) => x.type === 'ScalingActive')
    assert.equal(active.status, 'False')
    assert.equal(active.reason, 'FailedGetResourceMetric')
    assert.equal(
      active.message,
      'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)',
    )
    assert.ok(events().some((e) => e.startsWith('Warning FailedGetResourceMetric failed to get cpu utilization: ')))
    assert.ok(
      events().some((e) =>
        e.startsWith(
          'Warning FailedComputeMetricsReplicas invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: ',
        ),
      ),
    )
    assert.equal(replicas(), 1)
  })

  it('follows spec.behavior: a scale-up policy of 1 pod per 60 s', async () => {
    await enableMetrics()
    c.registry.create(res(c, 'apps/deployments'), 'default', deployment())
    await c.manager.settle()
    c.registry.create(
      res(c, 'autoscaling/horizontalpodautoscalers'),
      'default',
      hpa({behavior: {scaleUp: {policies: [{type: 'Pods', value: 1, periodSeconds: 60}]}}}),
    )
    await c.advance(30_000)
    rps = 400
    await c.advance(45_000)
    assert.equal(replicas(), 2)
    const limited = hpaObj().status.conditions.find((x: any) => x.type === 'ScalingLimited')
    assert.deepEqual([limited.status, limited.reason], ['True', 'ScaleUpLimit'])
    await c.advance(60_000)
    assert.equal(replicas(), 3)
  })
})
