// namespace.test.ts: namespace deletion through the namespace controller: content is deleted through the API
// (pods terminate gracefully, finalizers hold objects), the deletion conditions say what is left, and the
// `kubernetes` finalizer is removed once the namespace is empty.
import assert from 'node:assert/strict'
import {fixture, type Fixture} from '../../helpers/cluster.js'
import type {Controller} from '../../../src/daemon/controllers/framework/types.js'
import {namespaceController} from '../../../src/daemon/controllers/namespace.js'
import {garbageCollectorController} from '../../../src/daemon/controllers/garbage-collector.js'

const pod = (name: string, nodeName?: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {name, namespace: 'x'},
  spec: {containers: [{name: 'c', image: 'nginx'}], ...(nodeName ? {nodeName} : {})},
})
const cm = (name: string, finalizers?: string[]) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {name, namespace: 'x', ...(finalizers ? {finalizers} : {})},
})

describe('namespace controller', () => {
  let f: Fixture
  beforeEach(() => {
    f = fixture()
    f.seed('namespaces', {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'x'}})
  })
  afterEach(() => f.stop())
  const conditions = () =>
    Object.fromEntries(
      ((f.get('namespaces', undefined, 'x')?.status as any)?.conditions ?? []).map((c: any) => [
        c.type,
        `${c.status} ${c.reason}: ${c.message}`,
      ]),
    )

  it('empties a terminating namespace, waits for terminating pods and finalizers, then lets it go', async () => {
    f.seed('pods', pod('pending'), pod('bound', 'mkctl'))
    f.seed('configmaps', cm('plain'), cm('held', ['example.com/hold']))
    f.start(namespaceController(f.ctx) as Controller, garbageCollectorController(f.ctx) as Controller)
    await f.settle()
    f.ctx.client.delete('namespaces', undefined, 'x', {propagationPolicy: 'Background'})
    await f.settle()
    assert.equal((f.get('namespaces', undefined, 'x')?.status as any)?.phase, 'Terminating')
    assert.deepEqual(
      f.list('pods', 'x').map((p) => [p.metadata?.name, !!p.metadata?.deletionTimestamp]),
      [['bound', true]],
    )
    assert.deepEqual(
      f.list('configmaps', 'x').map((c) => c.metadata?.name),
      ['held'],
    )
    assert.deepEqual(conditions(), {
      NamespaceDeletionDiscoveryFailure: 'False ResourcesDiscovered: All resources successfully discovered',
      NamespaceDeletionGroupVersionParsingFailure:
        'False ParsedGroupVersions: All legacy kube types successfully parsed',
      NamespaceDeletionContentFailure:
        'False ContentDeleted: All content successfully deleted, may be waiting on finalization',
      NamespaceContentRemaining:
        'True SomeResourcesRemain: Some resources are remaining: configmaps. has 1 resource instances, pods. has 1 resource instances',
      NamespaceFinalizersRemaining:
        'True SomeFinalizersRemain: Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances',
    })
    // The kubelet confirms the pod's termination.
    f.ctx.client.delete('pods', 'x', 'bound', {gracePeriodSeconds: 0})
    await f.settle()
    assert.equal(
      conditions().NamespaceContentRemaining,
      'True SomeResourcesRemain: Some resources are remaining: configmaps. has 1 resource instances',
    )
    assert.ok(f.get('namespaces', undefined, 'x'))
    f.ctx.client.mutate('configmaps', 'x', 'held', (c) => ({...c, metadata: {...c.metadata, finalizers: []}}))
    await f.settle()
    assert.equal(f.get('namespaces', undefined, 'x'), undefined)
  })

  it('one sync: deletes the content, writes the conditions, and finalizes once nothing is left', async () => {
    f.seed('configmaps', cm('a'))
    const c = namespaceController(f.ctx) as Controller
    assert.deepEqual(await f.syncOnce(c, 'x'), [], 'an active namespace is left alone')
    f.ctx.client.delete('namespaces', undefined, 'x')
    const actions = await f.syncOnce(c, 'x')
    assert.deepEqual(
      actions.map(
        (a) => `${a.verb} ${a.resource}${a.subresource ? '/' + a.subresource : ''} ${a.namespace ?? ''}/${a.name}`,
      ),
      [
        // kube-root-ca.crt is published in every namespace, like on a real cluster; so is the default account.
        'delete configmaps x/a',
        'delete configmaps x/kube-root-ca.crt',
        'delete serviceaccounts x/default',
        'update namespaces/status /x',
        'update namespaces/finalize /x',
      ],
    )
    assert.equal(f.get('namespaces', undefined, 'x'), undefined)
  })

  it('advances through a pod grace period when no kubelet confirms it (requeue by estimate)', async () => {
    f.seed('pods', pod('bound', 'mkctl'))
    const c = namespaceController(f.ctx) as Controller
    f.ctx.client.delete('namespaces', undefined, 'x')
    await f.syncOnce(c, 'x')
    const res = await c.sync('x')
    assert.deepEqual(res, {requeueAfterMs: 16_000}, 'upstream waits estimate/2 + 1 s')
  })
})
