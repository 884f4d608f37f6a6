import assert from 'node:assert/strict'
import type {KubeObject} from '../../../src/api/object.js'
import {rfc3339Micro} from '../../../src/daemon/clock.js'
import {
  desiredTaints,
  nodeLifecycleController,
  reconcileTaints,
} from '../../../src/daemon/controllers/node-lifecycle.js'
import {taintEvictionController} from '../../../src/daemon/controllers/taint-eviction.js'
import type {Controller} from '../../../src/daemon/controllers/framework/types.js'
import {fixture, type Fixture} from '../../helpers/cluster.js'

const one = (c: Controller | Controller[]) => (Array.isArray(c) ? c : [c])

function pod(name: string, node: string, tolerations?: unknown[]): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name, namespace: 'default'},
    spec: {nodeName: node, containers: [{name: 'c', image: 'nginx'}], ...(tolerations ? {tolerations} : {})},
  } as KubeObject
}

function markRunning(f: Fixture, name: string) {
  f.ctx.client.mutate(
    'pods',
    'default',
    name,
    (p: any) => {
      p.status = {
        phase: 'Running',
        conditions: [{type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2024-01-01T00:00:00Z'}],
      }
      return p
    },
    {subresource: 'status'},
  )
}

function renew(f: Fixture, node: string) {
  f.ctx.client.mutate('coordination.k8s.io/leases', 'kube-node-lease', node, (l: any) => {
    l.spec.renewTime = rfc3339Micro(f.clock.now())
    return l
  })
}

const node = (f: Fixture, n: string) => f.get('nodes', undefined, n) as any
const cond = (f: Fixture, n: string, t: string) => node(f, n).status.conditions.find((c: any) => c.type === t)

describe('node lifecycle and taint eviction', () => {
  let f: Fixture
  afterEach(async () => f?.stop())

  it('computes the managed taints from conditions and cordon', () => {
    const cases = [
      {name: 'ready', conds: {Ready: 'True'}, spec: {}, want: []},
      {
        name: 'unknown',
        conds: {Ready: 'Unknown'},
        spec: {},
        want: ['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute'],
      },
      {
        name: 'not ready',
        conds: {Ready: 'False'},
        spec: {},
        want: ['node.kubernetes.io/not-ready:NoSchedule', 'node.kubernetes.io/not-ready:NoExecute'],
      },
      {
        name: 'memory pressure',
        conds: {Ready: 'True', MemoryPressure: 'True'},
        spec: {},
        want: ['node.kubernetes.io/memory-pressure:NoSchedule'],
      },
      {
        name: 'cordoned',
        conds: {Ready: 'True'},
        spec: {unschedulable: true},
        want: ['node.kubernetes.io/unschedulable:NoSchedule'],
      },
    ]
    for (const c of cases) {
      const n = {
        metadata: {name: 'n'},
        spec: c.spec,
        status: {conditions: Object.entries(c.conds).map(([type, status]) => ({type, status}))},
      } as KubeObject
      assert.deepEqual(
        desiredTaints(n).map((t) => `${t.key}:${t.effect}`),
        c.want,
        c.name,
      )
    }
    // A user's taint stays; a stale managed one goes.
    const n = {
      metadata: {name: 'n'},
      spec: {
        taints: [
          {key: 'x', effect: 'NoSchedule'},
          {key: 'node.kubernetes.io/unreachable', effect: 'NoExecute'},
        ],
      },
      status: {conditions: [{type: 'Ready', status: 'True'}]},
    } as KubeObject
    assert.deepEqual(reconcileTaints(n, 'T'), [{key: 'x', effect: 'NoSchedule'}])
  })

  it('marks a node whose lease expired Unknown, taints it, and evicts its pods after their tolerations', async () => {
    f = fixture({cluster: {nodes: 3}})
    f.seed(
      'pods',
      pod('web', 'mkctl-m02'),
      pod('short', 'mkctl-m02', [
        {key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10},
      ]),
      pod('forever', 'mkctl-m02', [{operator: 'Exists'}]),
    )
    for (const p of ['web', 'short', 'forever']) markRunning(f, p)
    f.start(...one(nodeLifecycleController(f.ctx)), ...one(taintEvictionController(f.ctx)))
    await f.settle()
    for (let t = 0; t < 4; t++) {
      await f.advance(10_000)
      renew(f, 'mkctl')
      renew(f, 'mkctl-m03')
    }
    assert.equal(cond(f, 'mkctl-m02', 'Ready').status, 'True')
    await f.advance(1_001)
    const ready = cond(f, 'mkctl-m02', 'Ready')
    assert.deepEqual(
      [ready.status, ready.reason, ready.message],
      ['Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.'],
    )
    for (const t of ['MemoryPressure', 'DiskPressure', 'PIDPressure'])
      assert.equal(cond(f, 'mkctl-m02', t).status, 'Unknown')
    assert.equal(cond(f, 'mkctl', 'Ready').status, 'True')
    const taints = node(f, 'mkctl-m02').spec.taints
    assert.deepEqual(
      taints.map((t: any) => `${t.key}:${t.effect}`),
      ['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute'],
    )
    assert.ok(taints.every((t: any) => typeof t.timeAdded === 'string'))
    assert.equal(node(f, 'mkctl').spec.taints, undefined)
    // MarkPodsNotReady and the node event.
    const web = f.get('pods', 'default', 'web') as any
    assert.equal(web.status.conditions.find((c: any) => c.type === 'Ready').status, 'False')
    const evs = f.list('events', 'default') as any[]
    assert.ok(
      evs.some(
        (e) => e.reason === 'NodeNotReady' && e.involvedObject.name === 'web' && e.message === 'Node is not ready',
      ),
    )
    assert.ok(
      f
        .list('events', 'default')
        .some(
          (e: any) =>
            e.reason === 'NodeNotReady' &&
            e.involvedObject.kind === 'Node' &&
            e.message === 'Node mkctl-m02 status is now: NodeNotReady',
        ),
    )

    await f.advance(10_000)
    assert.ok((f.get('pods', 'default', 'short') as any).metadata.deletionTimestamp, 'short evicted after 10 s')
    assert.equal((f.get('pods', 'default', 'web') as any).metadata.deletionTimestamp, undefined)
    await f.advance(290_000)
    const gone = f.get('pods', 'default', 'web') as any
    assert.ok(gone.metadata.deletionTimestamp, 'web evicted after 300 s')
    assert.equal(
      gone.status.conditions.find((c: any) => c.type === 'DisruptionTarget').reason,
      'DeletionByTaintManager',
    )
    assert.ok(
      (f.list('events', 'default') as any[]).some(
        (e) =>
          e.reason === 'TaintManagerEviction' &&
          e.message === 'Marking for deletion Pod default/web' &&
          e.source.component === 'taint-eviction-controller',
      ),
    )
    assert.equal((f.get('pods', 'default', 'forever') as any).metadata.deletionTimestamp, undefined)

    // The kubelet comes back: Ready again and a fresh lease remove the taints.
    f.ctx.client.mutate(
      'nodes',
      undefined,
      'mkctl-m02',
      (n: any) => {
        const c = n.status.conditions.find((x: any) => x.type === 'Ready')
        Object.assign(c, {status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status'})
        return n
      },
      {subresource: 'status'},
    )
    renew(f, 'mkctl-m02')
    await f.settle()
    assert.equal(node(f, 'mkctl-m02').spec.taints, undefined)
  })

  it('taints a cordoned node with node.kubernetes.io/unschedulable and a NotReady one with not-ready', async () => {
    f = fixture({cluster: {nodes: 2}})
    f.start(...one(nodeLifecycleController(f.ctx)))
    await f.settle()
    f.ctx.client.mutate('nodes', undefined, 'mkctl', (n: any) => ({...n, spec: {...n.spec, unschedulable: true}}))
    f.ctx.client.mutate(
      'nodes',
      undefined,
      'mkctl-m02',
      (n: any) => {
        n.status.conditions.find((x: any) => x.type === 'Ready').status = 'False'
        return n
      },
      {subresource: 'status'},
    )
    await f.settle()
    assert.deepEqual(
      node(f, 'mkctl').spec.taints.map((t: any) => `${t.key}:${t.effect}`),
      ['node.kubernetes.io/unschedulable:NoSchedule'],
    )
    assert.deepEqual(
      node(f, 'mkctl-m02').spec.taints.map((t: any) => `${t.key}:${t.effect}`),
      ['node.kubernetes.io/not-ready:NoSchedule', 'node.kubernetes.io/not-ready:NoExecute'],
    )
    assert.ok(
      f
        .list('events', 'default')
        .some(
          (e: any) =>
            e.reason === 'RegisteredNode' && e.message === 'Node mkctl event: Registered Node mkctl in Controller',
        ),
    )
  })
})
