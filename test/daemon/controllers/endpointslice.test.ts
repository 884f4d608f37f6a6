// endpointslice.test.ts: the EndpointSlice controller. A sync makes `<svc>-xxxxx` slices owned by the service with
// the managed-by labels, ready/serving/terminating conditions per pod, splits at 100 endpoints, keeps a placeholder
// for a service with no pods, and adopts the bootstrap kube-dns slice without churn.
import assert from 'node:assert/strict'
import type {KubeObject} from '../../../src/api/object.js'
import {EndpointSliceController} from '../../../src/daemon/controllers/endpointslice.js'
import {fixture, type Fixture} from '../../helpers/cluster.js'

const pod = (
  name: string,
  labels: Record<string, string>,
  ports: {name?: string; containerPort: number}[] = [],
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {name, namespace: 'default', labels},
  spec: {nodeName: 'mkctl', containers: [{name: 'app', image: 'nginx', ports}]},
})
const service = (
  name: string,
  selector: Record<string, string>,
  ports: any[],
  extra: Record<string, unknown> = {},
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: {name, namespace: 'default', labels: {app: name}},
  spec: {selector, ports, ...extra},
})
// setStatus gives a pod an IP and a Ready condition, as its kubelet would.
const setStatus = (f: Fixture, name: string, ip: string, ready: boolean) =>
  f.ctx.client.mutate(
    'pods',
    'default',
    name,
    (p) => ({
      ...p,
      status: {
        ...(p.status as any),
        phase: 'Running',
        podIP: ip,
        podIPs: [{ip}],
        conditions: [{type: 'Ready', status: ready ? 'True' : 'False'}],
      },
    }),
    {subresource: 'status'},
  )

const SLICES = 'discovery.k8s.io/endpointslices'

describe('endpointslice controller', () => {
  let f: Fixture
  let c: EndpointSliceController
  beforeEach(() => {
    f = fixture()
    c = new EndpointSliceController(f.ctx)
  })
  afterEach(() => f.stop())

  const slicesOf = (svc: string) =>
    f.list(SLICES, 'default').filter((s) => s.metadata?.labels?.['kubernetes.io/service-name'] === svc)

  it('makes an owned slice with conditions, node names and resolved ports', async () => {
    const [svc] = f.seed('services', service('web', {app: 'web'}, [{name: 'http', port: 80, targetPort: 'http'}]))
    f.seed(
      'pods',
      pod('a', {app: 'web'}, [{name: 'http', containerPort: 8080}]),
      pod('b', {app: 'web'}, [{name: 'http', containerPort: 8080}]),
    )
    setStatus(f, 'a', '10.244.0.5', true)
    setStatus(f, 'b', '10.244.0.6', false)
    const acts = await f.syncOnce(c, 'default/web')
    assert.deepEqual(
      acts.map((a) => a.verb),
      ['create'],
    )
    const [s] = slicesOf('web')
    assert.match(String(s!.metadata?.name), /^web-[a-z0-9]{5}$/)
    assert.deepEqual(s!.metadata?.labels, {
      app: 'web',
      'kubernetes.io/service-name': 'web',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    })
    assert.deepEqual(s!.metadata?.ownerReferences, [
      {
        apiVersion: 'v1',
        kind: 'Service',
        name: 'web',
        uid: svc!.metadata?.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ])
    assert.equal(s!.addressType, 'IPv4')
    assert.deepEqual(s!.ports, [{name: 'http', port: 8080, protocol: 'TCP'}])
    const eps = s!.endpoints as any[]
    assert.deepEqual(
      eps.map((e) => [e.addresses[0], e.conditions, e.nodeName, e.targetRef.name]),
      [
        ['10.244.0.5', {ready: true, serving: true, terminating: false}, 'mkctl', 'a'],
        ['10.244.0.6', {ready: false, serving: false, terminating: false}, 'mkctl', 'b'],
      ],
    )
    assert.deepEqual(await f.syncOnce(c, 'default/web'), [], 'a second sync writes nothing')
  })

  it('splits at 100 endpoints per slice and shrinks back, keeping a placeholder when no pods are left', async () => {
    f.seed('services', service('big', {app: 'big'}, [{port: 80}]))
    const pods = Array.from({length: 150}, (_, i) => pod(`p${i}`, {app: 'big'}))
    f.seed('pods', ...pods)
    for (let i = 0; i < 150; i++) setStatus(f, `p${i}`, `10.244.${Math.floor(i / 200)}.${(i % 250) + 2}`, true)
    await f.syncOnce(c, 'default/big')
    assert.deepEqual(
      slicesOf('big')
        .map((s) => (s.endpoints as any[]).length)
        .sort(),
      [100, 50],
    )
    for (let i = 0; i < 120; i++) f.ctx.client.delete('pods', 'default', `p${i}`, {gracePeriodSeconds: 0})
    await f.syncOnce(c, 'default/big')
    assert.deepEqual(
      slicesOf('big').map((s) => (s.endpoints as any[]).length),
      [30],
    )
    for (let i = 120; i < 150; i++) f.ctx.client.delete('pods', 'default', `p${i}`, {gracePeriodSeconds: 0})
    await f.syncOnce(c, 'default/big')
    const left = slicesOf('big')
    assert.equal(left.length, 1)
    assert.deepEqual(left[0]!.endpoints, [])
    assert.equal(left[0]!.ports, null)
  })

  it('with publishNotReadyAddresses a not-ready pod is ready but not serving', async () => {
    f.seed('services', service('web', {app: 'web'}, [{port: 80}], {publishNotReadyAddresses: true}))
    f.seed('pods', pod('a', {app: 'web'}))
    setStatus(f, 'a', '10.244.0.5', false)
    await f.syncOnce(c, 'default/web')
    assert.deepEqual((slicesOf('web')[0]!.endpoints as any[])[0].conditions, {
      ready: true,
      serving: false,
      terminating: false,
    })
  })

  it('adopts the bootstrap kube-dns slice in place, once', async () => {
    const before = f
      .list(SLICES, 'kube-system')
      .filter((s) => s.metadata?.labels?.['kubernetes.io/service-name'] === 'kube-dns')
    f.start(c)
    await f.settle()
    const after = f
      .list(SLICES, 'kube-system')
      .filter((s) => s.metadata?.labels?.['kubernetes.io/service-name'] === 'kube-dns')
    assert.equal(after.length, 1)
    assert.equal(after[0]!.metadata?.name, before[0]!.metadata?.name)
    assert.deepEqual(
      (after[0]!.ports as any[]).map((p) => p.name),
      ['dns-tcp', 'dns', 'metrics'],
    )
    assert.equal((after[0]!.endpoints as any[])[0].targetRef.kind, 'Pod')
    assert.deepEqual(await f.syncOnce(c, 'kube-system/kube-dns'), [])
    assert.ok(f.get(SLICES, 'default', 'kubernetes'), 'the apiserver slice stays')
  })
})
