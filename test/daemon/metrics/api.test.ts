// api.test.ts exercises metrics.k8s.io/v1beta1 through HTTP on a test daemon: off (404), enabled (lists, gets,
// selectors, NotFound), the metrics-server JSON shape, and kubectl's own `top` against it.
import assert from 'node:assert/strict'
import {kubectlAvailable, startTestDaemon, type TestDaemon} from '../../helpers/daemon.js'
import {enableMetricsServer} from './enable.js'

async function get(t: TestDaemon, path: string): Promise<{status: number; body: any}> {
  const r = await t.kubectl(['get', '--raw', path])
  return {status: r.code, body: r.code === 0 ? JSON.parse(r.stdout) : r.stderr}
}

describe('metrics.k8s.io API', function () {
  this.timeout(60_000)
  let t: TestDaemon

  before(async function () {
    if (!kubectlAvailable()) this.skip()
    t = await startTestDaemon({cluster: {nodes: 2}})
    await t.settle()
  })
  after(async () => {
    await t?.stop()
  })

  it('is absent while the addon is off', async () => {
    const r = await t.kubectl(['top', 'node'])
    assert.deepEqual([r.code, r.stderr], [1, 'error: Metrics API not available\n'])
    const raw = await get(t, '/apis/metrics.k8s.io/v1beta1/nodes')
    assert.equal(raw.status, 1)
    assert.match(raw.body, /NotFound|could not find/)
  })

  it('serves NodeMetrics and PodMetrics once metrics-server runs', async () => {
    await enableMetricsServer(t)
    await t.kubectl(['create', 'deployment', 'web', '--image=nginx', '--replicas=2'])
    await t.settle()
    await t.advance(60_000)
    const nodes = await get(t, '/apis/metrics.k8s.io/v1beta1/nodes')
    assert.equal(nodes.body.kind, 'NodeMetricsList')
    assert.deepEqual(
      nodes.body.items.map((n: any) => n.metadata.name),
      ['mkctl', 'mkctl-m02'],
    )
    const n0 = nodes.body.items[0]
    assert.match(n0.usage.cpu, /^\d+n$/)
    assert.match(n0.usage.memory, /^\d+Ki$/)
    assert.match(n0.window, /^10(\.\d+)?s$/)
    assert.match(n0.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    assert.equal(n0.metadata.labels['kubernetes.io/hostname'], 'mkctl')

    const pods = await get(t, '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?labelSelector=app%3Dweb')
    assert.equal(pods.body.kind, 'PodMetricsList')
    assert.equal(pods.body.items.length, 2)
    const p0 = pods.body.items[0]
    assert.deepEqual(Object.keys(p0), ['metadata', 'timestamp', 'window', 'containers'])
    assert.equal(p0.window, '15s')
    assert.equal(p0.containers[0].name, 'nginx')
    const one = await get(t, `/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/${p0.metadata.name}`)
    assert.equal(one.body.kind, 'PodMetrics')
    const all = await get(t, '/apis/metrics.k8s.io/v1beta1/pods')
    assert.ok(all.body.items.some((p: any) => p.metadata.namespace === 'kube-system'))
    const none = await t.kubectl(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/nope'])
    assert.match(none.stderr, /podmetrics.metrics.k8s.io "nope" not found/)
  })

  it('answers the real kubectl top', async () => {
    const r = await t.kubectl(['top', 'node'])
    assert.equal(r.code, 0, r.stderr)
    const lines = r.stdout.trimEnd().split('\n')
    assert.match(lines[0], /^NAME\s+CPU\(cores\)\s+CPU\(%\)\s+MEMORY\(bytes\)\s+MEMORY\(%\)\s*$/)
    assert.match(lines[1], /^mkctl\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%\s*$/)
    const p = await t.kubectl(['top', 'pod', '--containers', '-l', 'app=web'])
    assert.equal(p.code, 0, p.stderr)
    assert.match(p.stdout.split('\n')[1], /^web-\S+\s+nginx\s+\d+m\s+\d+Mi\s*$/)
    const bad = await t.kubectl(['top', 'pod', 'nope'])
    assert.deepEqual(
      [bad.code, bad.stderr],
      [1, 'Error from server (NotFound): podmetrics.metrics.k8s.io "nope" not found\n'],
    )
  })
})
