// network.test.ts drives the simulated network on a whole cluster (every controller, fast timing, fake clock):
// names, service routing, endpoints that come and go, session affinity, NodePorts, NetworkPolicies.
import assert from 'node:assert/strict'
import type {KubeObject} from '../../../src/api/object.js'
import {FakeClock} from '../../../src/daemon/clock.js'
import {createCluster, type Cluster} from '../../../src/daemon/cluster.js'
import {resolveResource} from '../../../src/daemon/controllers/framework/informer.js'
import type {Source} from '../../../src/daemon/network/index.js'

function deployment(
  name: string,
  image: string,
  labels: Record<string, string>,
  replicas = 2,
  ports: object[] = [],
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {name, namespace: 'default'},
    spec: {
      replicas,
      selector: {matchLabels: labels},
      template: {metadata: {labels}, spec: {containers: [{name: 'main', image, ports}]}},
    },
  }
}

function service(
  name: string,
  selector: Record<string, string>,
  extra: Record<string, unknown> = {},
  ports: object[] = [{port: 80}],
): KubeObject {
  return {apiVersion: 'v1', kind: 'Service', metadata: {name, namespace: 'default'}, spec: {selector, ports, ...extra}}
}

const ipOf = (p: KubeObject) => (p.status as {podIP: string}).podIP

describe('cluster network', function () {
  this.timeout(30_000)
  let c: Cluster
  const create = (ref: string, o: KubeObject) =>
    c.registry.create(resolveResource(c.resources(), ref), o.metadata?.namespace, o)
  const del = (ref: string, ns: string, name: string) =>
    c.registry.delete(resolveResource(c.resources(), ref), ns, name, {})
  const pods = (app: string) =>
    c.registry
      .list(resolveResource(c.resources(), 'pods'), 'default')
      .items.filter((p) => p.metadata?.labels?.app === app && !p.metadata?.deletionTimestamp)
  let client: Source

  beforeEach(async () => {
    c = createCluster({dbPath: ':memory:', clock: new FakeClock(), seed: 1, timing: 'fast', cluster: {nodes: 2}})
    create('apps/deployments', deployment('web', 'nginx:1.27', {app: 'web'}))
    create('services', service('web', {app: 'web'}))
    create('apps/deployments', deployment('tool', 'busybox:1.36', {app: 'tool'}, 1))
    await c.manager.settle()
    await c.advance(5_000)
    const [tool] = pods('tool')
    assert.ok(tool, 'the client pod exists')
    client = {pod: tool}
  })
  afterEach(async () => c.stop())

  it('resolves service names through the pod search path, and pod and IP names', () => {
    const svc = c.registry.get(resolveResource(c.resources(), 'services'), 'default', 'web')
    const ip = (svc.spec as {clusterIP: string}).clusterIP
    for (const name of [
      'web',
      'web.default',
      'web.default.svc',
      'web.default.svc.cluster.local',
      'web.default.svc.cluster.local.',
    ])
      assert.deepEqual(c.network.resolve(name, 'default')?.ips, [ip], name)
    assert.equal(c.network.resolve('web', 'kube-system'), undefined, 'another namespace needs web.default')
    assert.deepEqual(c.network.resolve('kubernetes.default')?.ips, ['10.96.0.1'])
    assert.deepEqual(c.network.resolve('kube-dns.kube-system.svc.cluster.local')?.ips, ['10.96.0.10'])
    assert.deepEqual(c.network.resolve('10-244-0-9.default.pod.cluster.local')?.ips, ['10.244.0.9'])
    assert.equal(c.network.resolve('nope'), undefined)
  })

  it('balances requests round robin across ready endpoints, and the serving pod logs each request', () => {
    const served = new Set<string>()
    for (let i = 0; i < 4; i++) {
      const r = c.network.http(client, 'web', 80, {method: 'GET', path: '/'})
      assert.ok(r.ok, JSON.stringify(r))
      assert.equal(r.response.status, 200)
      assert.match(r.response.body, /Welcome to nginx!/)
      served.add(r.connection.pod.metadata!.name!)
    }
    assert.equal(served.size, 2)
    const [one] = pods('web')
    const lines = c.runtime.logs(one!.metadata!.uid!, 'main', {now: c.clock.now()}) ?? []
    const clientIP = ipOf((client as {pod: KubeObject}).pod)
    assert.ok(
      lines.some((l) => l.text.startsWith(`${clientIP} - - [`) && l.text.includes('"GET / HTTP/1.1" 200')),
      lines.map((l) => l.text).join('\n'),
    )
  })

  it('keeps a client on one endpoint with ClientIP session affinity', async () => {
    create('services', service('sticky', {app: 'web'}, {sessionAffinity: 'ClientIP'}))
    await c.manager.settle()
    const names = new Set<string>()
    for (let i = 0; i < 4; i++) {
      const r = c.network.http(client, 'sticky', 80, {method: 'GET', path: '/'})
      assert.ok(r.ok)
      names.add(r.connection.pod.metadata!.name!)
    }
    assert.equal(names.size, 1)
  })

  it('refuses a service without endpoints, times out on a port the service lacks, and fails names it does not know', async () => {
    create('services', service('empty', {app: 'nothing'}))
    await c.manager.settle()
    const refused = c.network.connect(client, 'empty', 80)
    assert.equal(refused.ok ? 'ok' : refused.error, 'refused')
    const wrongPort = c.network.connect(client, 'web', 8080)
    assert.equal(wrongPort.ok ? 'ok' : wrongPort.error, 'timeout')
    const unknown = c.network.connect(client, 'ghost', 80)
    assert.equal(unknown.ok ? 'ok' : unknown.error, 'resolve')
  })

  it('refuses a pod port nothing listens on', () => {
    const [web] = pods('web')
    const r = c.network.connect(client, ipOf(web!), 9999)
    assert.equal(r.ok ? 'ok' : r.error, 'refused')
  })

  it('follows endpoints as pods are replaced', async () => {
    const before = pods('web').map((p) => p.metadata!.name)
    for (const p of before) del('pods', 'default', p!)
    await c.manager.settle()
    await c.advance(35_000)
    const after = pods('web').map((p) => p.metadata!.name)
    assert.equal(after.length, 2)
    assert.ok(after.every((n) => !before.includes(n)))
    const r = c.network.http(client, 'web', 80, {method: 'GET', path: '/'})
    assert.ok(r.ok)
    assert.ok(after.includes(r.connection.pod.metadata!.name))
  })

  it('resolves a targetPort by name per pod and reaches a NodePort on any node address', async () => {
    create(
      'apps/deployments',
      deployment('named', 'nginx:1.27', {app: 'named'}, 1, [{name: 'http', containerPort: 80}]),
    )
    create(
      'services',
      service('named', {app: 'named'}, {type: 'NodePort'}, [{name: 'web', port: 8080, targetPort: 'http'}]),
    )
    await c.manager.settle()
    await c.advance(5_000)
    const viaName = c.network.http(client, 'named', 8080, {method: 'GET', path: '/'})
    assert.ok(viaName.ok, JSON.stringify(viaName))
    const svc = c.registry.get(resolveResource(c.resources(), 'services'), 'default', 'named')
    const nodePort = (svc.spec as {ports: {nodePort: number}[]}).ports[0]!.nodePort
    const viaNode = c.network.http({external: '192.168.49.1'}, '192.168.49.3', nodePort, {method: 'GET', path: '/'})
    assert.ok(viaNode.ok, JSON.stringify(viaNode))
    assert.equal(viaNode.connection.pod.metadata?.labels?.app, 'named')
  })

  it('answers a headless service with the pod addresses and a StatefulSet pod by its hostname', async () => {
    create('services', service('db', {app: 'db'}, {clusterIP: 'None'}, [{port: 6379}]))
    create('apps/statefulsets', {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: {name: 'db', namespace: 'default'},
      spec: {
        serviceName: 'db',
        replicas: 2,
        selector: {matchLabels: {app: 'db'}},
        template: {metadata: {labels: {app: 'db'}}, spec: {containers: [{name: 'redis', image: 'redis:7'}]}},
      },
    })
    await c.manager.settle()
    for (let i = 0; i < 6; i++) await c.advance(5_000)
    const ips = pods('db')
      .map((p) => ipOf(p))
      .sort()
    assert.equal(ips.length, 2)
    assert.deepEqual([...(c.network.resolve('db')?.ips ?? [])].sort(), ips)
    const db0 = pods('db').find((p) => p.metadata?.name === 'db-0')!
    assert.deepEqual(c.network.resolve('db-0.db')?.ips, [ipOf(db0)])
    assert.ok(c.network.connect(client, 'db-0.db', 6379).ok)
  })

  it('enforces NetworkPolicies: a default deny blocks, an allow rule lets the labelled client in, deny egress breaks DNS', async () => {
    create('networking.k8s.io/networkpolicies', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {name: 'deny-web', namespace: 'default'},
      spec: {podSelector: {matchLabels: {app: 'web'}}},
    })
    await c.manager.settle()
    const blocked = c.network.connect(client, 'web', 80)
    assert.equal(blocked.ok ? 'ok' : blocked.error, 'timeout')
    assert.ok(blocked.hops.some((h) => h.step === 'policy' && h.detail.includes('default/deny-web')))

    create('networking.k8s.io/networkpolicies', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {name: 'allow-tool', namespace: 'default'},
      spec: {
        podSelector: {matchLabels: {app: 'web'}},
        ingress: [{from: [{podSelector: {matchLabels: {app: 'tool'}}}], ports: [{port: 80}]}],
      },
    })
    await c.manager.settle()
    assert.ok(c.network.connect(client, 'web', 80).ok)

    del('networking.k8s.io/networkpolicies', 'default', 'allow-tool')
    del('networking.k8s.io/networkpolicies', 'default', 'deny-web')
    create('networking.k8s.io/networkpolicies', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {name: 'deny-egress', namespace: 'default'},
      spec: {podSelector: {}, policyTypes: ['Egress']},
    })
    await c.manager.settle()
    const noDns = c.network.connect(client, 'web', 80)
    assert.equal(noDns.ok ? 'ok' : noDns.error, 'dnsTimeout')
  })
})
