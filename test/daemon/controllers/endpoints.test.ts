// endpoints.test.ts: the Endpoints controller in the one-sync fixture style. Pods are made Ready and given IPs by
// status writes (no kubelet runs here); a sync must list ready pods under addresses, the others under
// notReadyAddresses, resolve named ports per pod, and leave selector-less services (and the bootstrap
// `kubernetes` Endpoints) alone.
import assert from 'node:assert/strict'
import type {KubeObject} from '../../../src/api/object.js'
import {EndpointsController, repackSubsets} from '../../../src/daemon/controllers/endpoints.js'
import {fixture, type Fixture} from '../../helpers/cluster.js'

/** pod makes a pod spec with the given labels and container ports. */
function pod(
  name: string,
  labels: Record<string, string>,
  ports: {name?: string; containerPort: number}[] = [],
  extra: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name, namespace: 'default', labels},
    spec: {nodeName: 'mkctl', containers: [{name: 'app', image: 'nginx', ports}], ...extra},
  }
}

/** setStatus gives a pod (made on node mkctl) an IP and a Ready condition, as its kubelet would. */
function setStatus(f: Fixture, name: string, ip: string, ready: boolean) {
  f.ctx.client.mutate(
    'pods',
    'default',
    name,
    (p) => {
      p.status = {
        ...(p.status as any),
        phase: 'Running',
        podIP: ip,
        podIPs: [{ip}],
        conditions: [
          {
            type: 'Ready',
            status: ready ? 'True' : 'False',
            lastTransitionTime: '2025-01-01T00:00:00Z',
            lastProbeTime: null,
          },
        ],
      }
      return p
    },
    {subresource: 'status'},
  )
}

/** service makes a ClusterIP (or headless) service. */
function service(
  name: string,
  selector: Record<string, string> | undefined,
  ports: any[],
  extra: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {name, namespace: 'default', labels: {app: name}},
    spec: {selector, ports, ...extra},
  }
}

describe('endpoints controller', () => {
  let f: Fixture
  let c: EndpointsController
  beforeEach(() => {
    f = fixture()
    c = new EndpointsController(f.ctx)
  })
  afterEach(() => f.stop())

  it('lists ready and not-ready pods with their named ports, and skips pods without an IP or the port', async () => {
    f.seed(
      'services',
      service('web', {app: 'web'}, [
        {name: 'http', port: 80, targetPort: 'http'},
        {name: 'metrics', port: 9000, targetPort: 9100},
      ]),
    )
    f.seed(
      'pods',
      pod('a', {app: 'web'}, [{name: 'http', containerPort: 8080}]),
      pod('b', {app: 'web'}, [{name: 'http', containerPort: 8080}]),
      pod('c', {app: 'web'}),
      pod('d', {app: 'web'}, [{name: 'http', containerPort: 8080}]),
      pod('x', {app: 'other'}, [{name: 'http', containerPort: 8080}]),
    )
    setStatus(f, 'a', '10.244.0.5', true)
    setStatus(f, 'b', '10.244.0.4', false)
    setStatus(f, 'c', '10.244.0.6', true)
    setStatus(f, 'x', '10.244.0.9', true)
    // d has no IP yet.
    await f.syncOnce(c, 'default/web')
    const ep = f.get('endpoints', 'default', 'web')!
    const uid = (n: string) => f.get('pods', 'default', n)!.metadata!.uid
    const addr = (n: string, ip: string) => ({
      ip,
      nodeName: 'mkctl',
      targetRef: {kind: 'Pod', namespace: 'default', name: n, uid: uid(n)},
    })
    assert.deepEqual(ep.subsets, [
      // c has no port named http: it only offers the numeric metrics port.
      {
        addresses: [addr('a', '10.244.0.5')],
        notReadyAddresses: [addr('b', '10.244.0.4')],
        ports: [{name: 'http', port: 8080, protocol: 'TCP'}],
      },
      {
        addresses: [addr('a', '10.244.0.5'), addr('c', '10.244.0.6')],
        notReadyAddresses: [addr('b', '10.244.0.4')],
        ports: [{name: 'metrics', port: 9100, protocol: 'TCP'}],
      },
    ])
    assert.deepEqual(ep.metadata?.labels, {app: 'web'})
    assert.ok(ep.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'])
  })

  it('writes nothing when the endpoints are already right, and updates when a pod turns ready', async () => {
    f.seed('services', service('web', {app: 'web'}, [{port: 80, targetPort: 8080}]))
    f.seed('pods', pod('a', {app: 'web'}))
    setStatus(f, 'a', '10.244.0.5', false)
    assert.equal((await f.syncOnce(c, 'default/web')).length, 1)
    assert.deepEqual(await f.syncOnce(c, 'default/web'), [])
    setStatus(f, 'a', '10.244.0.5', true)
    const acts = await f.syncOnce(c, 'default/web')
    assert.deepEqual(
      acts.map((a) => `${a.verb} ${a.resource} ${a.name}`),
      ['update endpoints web'],
    )
    assert.deepEqual(acts[0]!.object!.subsets, [
      {
        addresses: [
          {
            ip: '10.244.0.5',
            nodeName: 'mkctl',
            targetRef: {
              kind: 'Pod',
              namespace: 'default',
              name: 'a',
              uid: f.get('pods', 'default', 'a')!.metadata!.uid,
            },
          },
        ],
        ports: [{port: 8080, protocol: 'TCP'}],
      },
    ])
  })

  it('honours publishNotReadyAddresses, sets hostnames for the subdomain, labels headless services', async () => {
    f.seed(
      'services',
      service('db', {app: 'db'}, [{name: 'pg', port: 5432}], {clusterIP: 'None', publishNotReadyAddresses: true}),
    )
    f.seed('pods', pod('db-0', {app: 'db'}, [], {hostname: 'db-0', subdomain: 'db'}))
    setStatus(f, 'db-0', '10.244.0.7', false)
    await f.syncOnce(c, 'default/db')
    const ep = f.get('endpoints', 'default', 'db')!
    assert.equal(ep.metadata?.labels?.['service.kubernetes.io/headless'], '')
    const a = (ep.subsets as any)[0].addresses[0]
    assert.equal(a.hostname, 'db-0')
    assert.equal(a.ip, '10.244.0.7')
  })

  it('leaves out terminating and finished pods; a service with no pods has no subsets', async () => {
    f.seed('services', service('web', {app: 'web'}, [{port: 80}]))
    f.seed('pods', pod('a', {app: 'web'}))
    setStatus(f, 'a', '10.244.0.5', true)
    f.ctx.client.mutate('pods', 'default', 'a', (p) => ({...p, status: {...(p.status as any), phase: 'Succeeded'}}), {
      subresource: 'status',
    })
    await f.syncOnce(c, 'default/web')
    const ep = f.get('endpoints', 'default', 'web')!
    assert.equal(ep.subsets, undefined)
  })

  it('leaves services without a selector (and the apiserver endpoints) alone, and deletes endpoints of a deleted service', async () => {
    f.seed('services', service('ext', undefined, [{port: 80}]))
    f.seed('endpoints', {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: {name: 'ext', namespace: 'default'},
      subsets: [{addresses: [{ip: '1.2.3.4'}], ports: [{port: 80}]}],
    })
    assert.deepEqual(await f.syncOnce(c, 'default/ext'), [])
    assert.deepEqual(await f.syncOnce(c, 'default/kubernetes'), [])
    f.seed('services', service('web', {app: 'web'}, [{port: 80}]))
    await f.syncOnce(c, 'default/web')
    f.ctx.client.delete('services', 'default', 'web')
    const acts = await f.syncOnce(c, 'default/web')
    assert.deepEqual(
      acts.map((a) => `${a.verb} ${a.name}`),
      ['delete web'],
    )
  })

  it('takes over the bootstrap kube-dns endpoints once, then leaves them be', async () => {
    f.start(c)
    await f.settle()
    const ep = f.get('endpoints', 'kube-system', 'kube-dns')!
    const sub = (ep.subsets as any)[0]
    assert.equal(sub.addresses[0].ip, '10.244.0.2')
    assert.equal(sub.addresses[0].targetRef.kind, 'Pod')
    assert.deepEqual(
      sub.ports.map((p: any) => p.name),
      ['dns-tcp', 'dns', 'metrics'],
    )
    const rv = ep.metadata?.resourceVersion
    assert.deepEqual(await f.syncOnce(c, 'kube-system/kube-dns'), [])
    assert.equal(f.get('endpoints', 'kube-system', 'kube-dns')!.metadata?.resourceVersion, rv)
    assert.equal((f.get('endpoints', 'default', 'kubernetes')!.subsets as any)[0].addresses[0].ip, '192.168.49.2')
  })

  it('repacks ports offered by the same addresses into one subset', () => {
    const a = {ip: '10.0.0.1', targetRef: {kind: 'Pod' as const, namespace: 'd', name: 'a', uid: 'u1'}}
    const b = {ip: '10.0.0.2', targetRef: {kind: 'Pod' as const, namespace: 'd', name: 'b', uid: 'u2'}}
    const p1 = {name: 'x', port: 1, protocol: 'TCP'}
    const p2 = {name: 'y', port: 2, protocol: 'TCP'}
    const out = repackSubsets([
      {addr: b, ready: true, port: p1},
      {addr: a, ready: true, port: p1},
      {addr: a, ready: true, port: p2},
      {addr: b, ready: true, port: p2},
    ])
    assert.deepEqual(out, [{addresses: [a, b], ports: [p1, p2]}])
  })
})
