// garbage-collector.test.ts: background, orphan and foreground cascades over hand-made owner chains
// (deployment → replicaset → pods; the workload controllers are not running), one-sync checks of dangling
// owners, and a 1,000-pod cascade.
import assert from 'node:assert/strict'
import {fixture, type Fixture} from '../../helpers/cluster.js'
import type {KubeObject} from '../../../src/api/object.js'
import type {Controller} from '../../../src/daemon/controllers/framework/types.js'
import type {OwnerReference} from '../../../src/daemon/controllers/framework/owner.js'
import {garbageCollectorController} from '../../../src/daemon/controllers/garbage-collector.js'

const ref = (o: KubeObject, block = true): OwnerReference => ({
  apiVersion: String(o.apiVersion),
  kind: String(o.kind),
  name: String(o.metadata?.name),
  uid: String(o.metadata?.uid),
  controller: true,
  blockOwnerDeletion: block,
})
const template = {metadata: {labels: {app: 'web'}}, spec: {containers: [{name: 'c', image: 'nginx'}]}}
const deploy = (name: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {name, namespace: 'default'},
  spec: {selector: {matchLabels: {app: 'web'}}, template},
})
const rs = (name: string, owner?: KubeObject) => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {name, namespace: 'default', ...(owner ? {ownerReferences: [ref(owner)]} : {})},
  spec: {selector: {matchLabels: {app: 'web'}}, template},
})
const pod = (name: string, owners: OwnerReference[], nodeName?: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {name, namespace: 'default', labels: {app: 'web'}, ownerReferences: owners},
  spec: {containers: [{name: 'c', image: 'nginx'}], ...(nodeName ? {nodeName} : {})},
})

describe('garbage collector', () => {
  let f: Fixture
  beforeEach(() => (f = fixture()))
  afterEach(() => f.stop())
  const gc = () => garbageCollectorController(f.ctx) as Controller

  /** chain seeds deployment web → replicaset web-1 → pods a, b (unscheduled) and c (bound to mkctl). */
  function chain() {
    const [d] = f.seed('apps/deployments', deploy('web'))
    const [r] = f.seed('apps/replicasets', rs('web-1', d))
    f.seed('pods', pod('a', [ref(r!)]), pod('b', [ref(r!)]), pod('c', [ref(r!)], 'mkctl'))
    return {d: d!, r: r!}
  }

  it('background: the owner goes at once, then its dependents, down the chain', async () => {
    chain()
    f.start(gc())
    await f.settle()
    f.ctx.client.delete('apps/deployments', 'default', 'web', {propagationPolicy: 'Background'})
    assert.equal(f.get('apps/deployments', 'default', 'web'), undefined)
    await f.settle()
    assert.equal(f.get('apps/replicasets', 'default', 'web-1'), undefined)
    assert.deepEqual(
      f.list('pods', 'default').map((p) => p.metadata?.name),
      ['c'],
      'unscheduled pods are gone at once',
    )
    assert.ok(f.get('pods', 'default', 'c')?.metadata?.deletionTimestamp, 'the bound pod terminates gracefully')
  })

  it('orphan: dependents lose the ownerReference, then the owner goes', async () => {
    chain()
    f.start(gc())
    await f.settle()
    const held = f.ctx.client.tryGet('apps/replicasets', 'default', 'web-1')
    f.ctx.client.delete('apps/replicasets', 'default', 'web-1', {propagationPolicy: 'Orphan'})
    assert.deepEqual(f.get('apps/replicasets', 'default', 'web-1')?.metadata?.finalizers, ['orphan'])
    assert.ok(held)
    await f.settle()
    assert.equal(f.get('apps/replicasets', 'default', 'web-1'), undefined)
    const pods = f.list('pods', 'default')
    assert.deepEqual(
      pods.map((p) => [p.metadata?.name, p.metadata?.ownerReferences ?? null, !!p.metadata?.deletionTimestamp]),
      [
        ['a', null, false],
        ['b', null, false],
        ['c', null, false],
      ],
    )
  })

  it('foreground: the owner waits until its blocking dependents are gone', async () => {
    chain()
    f.start(gc())
    await f.settle()
    f.ctx.client.delete('apps/deployments', 'default', 'web', {propagationPolicy: 'Foreground'})
    await f.settle()
    const d = f.get('apps/deployments', 'default', 'web')
    assert.deepEqual(d?.metadata?.finalizers, ['foregroundDeletion'])
    const r = f.get('apps/replicasets', 'default', 'web-1')
    assert.deepEqual(
      r?.metadata?.finalizers,
      ['foregroundDeletion'],
      'a dependent with dependents is deleted in the foreground too',
    )
    assert.deepEqual(
      f.list('pods', 'default').map((p) => p.metadata?.name),
      ['c'],
    )
    // The kubelet's final grace-0 delete of the last pod releases the chain.
    f.ctx.client.delete('pods', 'default', 'c', {gracePeriodSeconds: 0})
    await f.settle()
    assert.equal(f.get('apps/replicasets', 'default', 'web-1'), undefined)
    assert.equal(f.get('apps/deployments', 'default', 'web'), undefined)
  })

  it('foreground: dependents without blockOwnerDeletion do not hold the owner', async () => {
    const [d] = f.seed('apps/deployments', deploy('web'))
    f.seed('pods', pod('loose', [ref(d!, false)], 'mkctl'))
    f.start(gc())
    await f.settle()
    f.ctx.client.delete('apps/deployments', 'default', 'web', {propagationPolicy: 'Foreground'})
    await f.settle()
    assert.equal(f.get('apps/deployments', 'default', 'web'), undefined)
    assert.ok(f.get('pods', 'default', 'loose')?.metadata?.deletionTimestamp)
  })

  it('one sync: a dependent whose owner never existed is deleted; one with another live owner only loses the ref', async () => {
    const [cm] = f.seed('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {name: 'alive', namespace: 'default'},
    })
    const ghost = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      name: 'ghost',
      uid: '00000000-0000-0000-0000-00000000dead',
    }
    f.seed('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {name: 'orphaned', namespace: 'default', ownerReferences: [ghost]},
    })
    f.seed('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {name: 'shared', namespace: 'default', ownerReferences: [ghost, {...ref(cm!), controller: false}]},
    })
    const c = gc()
    const a1 = await f.syncOnce(c, 'o|configmaps|default|orphaned')
    assert.deepEqual(
      a1.map((a) => `${a.verb} ${a.resource} ${a.namespace}/${a.name}`),
      ['delete configmaps default/orphaned'],
    )
    const a2 = await f.syncOnce(c, 'o|configmaps|default|shared')
    assert.deepEqual(
      a2.map((a) => `${a.verb} ${a.resource} ${a.namespace}/${a.name}`),
      ['update configmaps default/shared'],
    )
    assert.deepEqual(
      a2[0]!.object!.metadata!.ownerReferences!.map((r) => r.name),
      ['alive'],
    )
    const a3 = await f.syncOnce(c, 'o|configmaps|default|alive')
    assert.deepEqual(a3, [], 'an object without owners is left alone')
  })

  it('collects objects whose owner vanished before it started', async () => {
    const [r] = f.seed('apps/replicasets', rs('gone'))
    f.seed('pods', pod('x', [ref(r!)]))
    f.cluster.registry.delete(f.ctx.informers.resource('apps/replicasets'), 'default', 'gone', {
      propagationPolicy: 'Orphan',
    })
    // The orphan finalizer holds it; take it off by hand as if a previous collector had died before the pods.
    f.ctx.client.mutate('apps/replicasets', 'default', 'gone', (o) => ({
      ...o,
      metadata: {...o.metadata, finalizers: []},
    }))
    assert.ok(f.get('pods', 'default', 'x')?.metadata?.ownerReferences)
    f.start(gc())
    await f.settle()
    assert.equal(f.get('pods', 'default', 'x'), undefined)
  })

  it('cascades over 1,000 pods in one batch', async function () {
    const [r] = f.seed('apps/replicasets', rs('big'))
    f.cluster.store.transaction(() => {
      for (let i = 0; i < 1000; i++) f.seed('pods', pod(`big-${i}`, [ref(r!)]))
    })
    f.start(gc())
    await f.settle()
    f.ctx.client.delete('apps/replicasets', 'default', 'big')
    await f.settle()
    assert.equal(f.list('pods', 'default').length, 0)
  })
})
