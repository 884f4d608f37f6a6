import assert from 'node:assert/strict'
import type {KubeObject} from '../../../src/api/object.js'
import {disruptionController, scaledValue} from '../../../src/daemon/controllers/disruption.js'
import {fixture, type Fixture} from '../../helpers/cluster.js'
import {one, seedReplicaSet} from '../../helpers/workloads.js'

function pdb(spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: {name: 'web-pdb', namespace: 'default'},
    spec: {selector: {matchLabels: {app: 'web'}}, ...spec},
  } as KubeObject
}

describe('disruption controller', () => {
  let f: Fixture
  afterEach(async () => f?.stop())

  for (const [v, total, want] of [
    [2, 10, 2],
    ['50%', 3, 2],
    ['10%', 3, 1],
    ['0%', 5, 0],
  ] as const) {
    it(`scaledValue(${v}, ${total}) = ${want}`, () => assert.equal(scaledValue(v, total), want))
  }

  const cases = [
    {
      name: 'minAvailable int',
      spec: {minAvailable: 2},
      ready: 3,
      want: {currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1, expectedPods: 3},
      reason: 'SufficientPods',
    },
    {
      name: 'minAvailable all',
      spec: {minAvailable: 3},
      ready: 3,
      want: {currentHealthy: 3, desiredHealthy: 3, disruptionsAllowed: 0, expectedPods: 3},
      reason: 'InsufficientPods',
    },
    {
      name: 'maxUnavailable int',
      spec: {maxUnavailable: 1},
      ready: 3,
      want: {currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1, expectedPods: 3},
      reason: 'SufficientPods',
    },
    {
      name: 'maxUnavailable percent',
      spec: {maxUnavailable: '50%'},
      ready: 2,
      want: {currentHealthy: 2, desiredHealthy: 1, disruptionsAllowed: 1, expectedPods: 3},
      reason: 'SufficientPods',
    },
    {
      name: 'minAvailable percent',
      spec: {minAvailable: '100%'},
      ready: 3,
      want: {currentHealthy: 3, desiredHealthy: 3, disruptionsAllowed: 0, expectedPods: 3},
      reason: 'InsufficientPods',
    },
  ]
  for (const c of cases) {
    it(`status: ${c.name}`, async () => {
      f = fixture()
      seedReplicaSet(f, 3, c.ready)
      f.seed('policy/poddisruptionbudgets', pdb(c.spec))
      const acts = await f.syncOnce(one(disruptionController(f.ctx))[0]!, 'default/web-pdb')
      assert.equal(acts.length, 1)
      const st = acts[0]!.object!.status as any
      const {conditions, ...rest} = st
      assert.deepEqual(rest, {...c.want, observedGeneration: 1})
      assert.equal(conditions.length, 1)
      assert.deepEqual(
        [conditions[0].type, conditions[0].status === 'True', conditions[0].reason, conditions[0].message],
        ['DisruptionAllowed', c.want.disruptionsAllowed > 0, c.reason, ''],
      )
    })
  }

  it('fails safe when a pod has no controller', async () => {
    f = fixture()
    f.seed('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {name: 'bare', namespace: 'default', labels: {app: 'web'}},
      spec: {containers: [{name: 'c', image: 'nginx'}]},
    } as KubeObject)
    f.seed('policy/poddisruptionbudgets', pdb({maxUnavailable: 1}))
    f.start(...one(disruptionController(f.ctx)))
    await f.settle()
    const st = (f.get('policy/poddisruptionbudgets', 'default', 'web-pdb') as any).status
    assert.equal(st.disruptionsAllowed, 0)
    assert.deepEqual(
      [st.conditions[0].reason, st.conditions[0].message],
      ['SyncFailed', 'found no controller ref for pod "bare"'],
    )
    assert.ok(f.list('events', 'default').some((e: any) => e.reason === 'NoControllerRef' && e.type === 'Warning'))
  })

  it('follows pod readiness as the loop runs', async () => {
    f = fixture()
    seedReplicaSet(f, 3)
    f.seed('policy/poddisruptionbudgets', pdb({minAvailable: 2}))
    f.start(...one(disruptionController(f.ctx)))
    await f.settle()
    assert.equal((f.get('policy/poddisruptionbudgets', 'default', 'web-pdb') as any).status.disruptionsAllowed, 1)
    f.ctx.client.mutate(
      'pods',
      'default',
      'web-0',
      (p: any) => {
        p.status.conditions[0].status = 'False'
        return p
      },
      {subresource: 'status'},
    )
    await f.settle()
    assert.equal((f.get('policy/poddisruptionbudgets', 'default', 'web-pdb') as any).status.disruptionsAllowed, 0)
  })
})
