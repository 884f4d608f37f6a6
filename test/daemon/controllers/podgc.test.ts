// podgc.test.ts: the pod garbage collector force-deletes pods of a deleted node after the 40 s quarantine
// (marking them Failed with DisruptionTarget first), terminating pods on out-of-service nodes, and the oldest
// terminated pods above the threshold.
import assert from 'node:assert/strict'
import {fixture, type Fixture} from '../../helpers/cluster.js'
import type {KubeObject} from '../../../src/api/object.js'
import type {Controller} from '../../../src/daemon/controllers/framework/types.js'
import {podGCController, podGCControllerWith} from '../../../src/daemon/controllers/podgc.js'

const pod = (name: string, nodeName: string, finalizers?: string[]): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {name, namespace: 'default', ...(finalizers ? {finalizers} : {})},
  spec: {containers: [{name: 'c', image: 'nginx'}], nodeName},
})

describe('pod garbage collector', () => {
  let f: Fixture
  beforeEach(() => (f = fixture({cluster: {nodes: 2}})))
  afterEach(() => f.stop())
  const setPhase = (name: string, phase: string) =>
    f.ctx.client.mutate('pods', 'default', name, (p) => ({...p, status: {...(p.status as object), phase}}), {
      subresource: 'status',
    })

  it('force-deletes the pods of a deleted node after the 40 s quarantine', async () => {
    // The finalizer keeps one pod visible after its deletion, to show the status PodGC wrote first.
    f.seed('pods', pod('gone', 'mkctl-m02'), pod('kept', 'mkctl-m02', ['example.com/hold']), pod('safe', 'mkctl'))
    setPhase('gone', 'Running')
    f.start(podGCController(f.ctx) as Controller)
    await f.settle()
    f.ctx.client.delete('nodes', undefined, 'mkctl-m02')
    await f.advance(39_000)
    assert.ok(f.get('pods', 'default', 'gone'), 'still in quarantine')
    await f.advance(1_000)
    assert.equal(f.get('pods', 'default', 'gone'), undefined)
    assert.ok(f.get('pods', 'default', 'safe'))
    const kept = f.get('pods', 'default', 'kept') as any
    assert.equal(kept.metadata.deletionGracePeriodSeconds, 0)
    assert.equal(kept.status.phase, 'Failed')
    const cond = kept.status.conditions.find((c: any) => c.type === 'DisruptionTarget')
    assert.deepEqual(
      [cond.status, cond.reason, cond.message],
      ['True', 'DeletionByPodGC', 'PodGC: node no longer exists'],
    )
    assert.deepEqual(
      f.list('pods', 'kube-system').filter((p) => (p.spec as any).nodeName === 'mkctl-m02'),
      [],
      'kube-proxy of that node goes too',
    )
  })

  it('also collects pods bound to a node that was gone before it started', async () => {
    f.seed('pods', pod('ghostly', 'no-such-node'))
    f.start(podGCController(f.ctx) as Controller)
    await f.advance(39_000)
    assert.ok(f.get('pods', 'default', 'ghostly'))
    await f.advance(1_000)
    assert.equal(f.get('pods', 'default', 'ghostly'), undefined)
  })

  it('force-deletes terminating pods on a NotReady node tainted out-of-service', async () => {
    f.seed('pods', pod('stuck', 'mkctl-m02'))
    f.ctx.client.delete('pods', 'default', 'stuck')
    f.start(podGCController(f.ctx) as Controller)
    await f.settle()
    assert.ok(f.get('pods', 'default', 'stuck'), 'a Ready node may still finish it')
    f.ctx.client.mutate(
      'nodes',
      undefined,
      'mkctl-m02',
      (n: any) => {
        n.status.conditions = n.status.conditions.map((c: any) => (c.type === 'Ready' ? {...c, status: 'Unknown'} : c))
        return n
      },
      {subresource: 'status'},
    )
    await f.settle()
    assert.ok(f.get('pods', 'default', 'stuck'), 'NotReady alone is not enough')
    f.ctx.client.mutate('nodes', undefined, 'mkctl-m02', (n: any) => {
      n.spec.taints = [
        ...(n.spec.taints ?? []),
        {key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown', effect: 'NoExecute'},
      ]
      return n
    })
    await f.settle()
    assert.equal(f.get('pods', 'default', 'stuck'), undefined)
  })

  it('deletes the oldest terminated pods above the threshold', async () => {
    for (const n of ['p1', 'p2', 'p3', 'p4']) {
      f.seed('pods', pod(n, 'mkctl'))
      f.clock.advance(1_000)
    }
    setPhase('p1', 'Succeeded')
    setPhase('p2', 'Failed')
    setPhase('p3', 'Succeeded')
    f.start(podGCControllerWith({terminatedPodThreshold: 1})(f.ctx) as Controller)
    await f.settle()
    assert.deepEqual(
      f.list('pods', 'default').map((p) => p.metadata?.name),
      ['p3', 'p4'],
    )
  })
})
