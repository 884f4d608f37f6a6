import assert from 'node:assert/strict'
import type {KubeObject} from '../../../src/api/object.js'
import {minTolerationTime, taintEvictionController} from '../../../src/daemon/controllers/taint-eviction.js'
import type {Controller} from '../../../src/daemon/controllers/framework/types.js'
import {fixture, type Fixture} from '../../helpers/cluster.js'

const one = (c: Controller | Controller[]) => (Array.isArray(c) ? c : [c])

describe('taint eviction', () => {
  let f: Fixture
  afterEach(async () => f?.stop())

  const taint = {key: 'k', value: 'v', effect: 'NoExecute'}
  const cases = [
    {name: 'not tolerated', tols: [], want: undefined},
    {name: 'tolerated forever', tols: [{key: 'k', operator: 'Exists', effect: 'NoExecute'}], want: Infinity},
    {name: 'tolerated 30 s', tols: [{key: 'k', operator: 'Equal', value: 'v', tolerationSeconds: 30}], want: 30_000},
    {
      name: 'smallest wins',
      tols: [
        {operator: 'Exists', tolerationSeconds: 60},
        {key: 'k', operator: 'Exists', tolerationSeconds: 5},
      ],
      want: 5_000,
    },
    {name: 'negative is zero', tols: [{key: 'k', operator: 'Exists', tolerationSeconds: -3}], want: 0},
    {name: 'wrong value', tols: [{key: 'k', operator: 'Equal', value: 'x'}], want: undefined},
  ]
  for (const c of cases)
    it(`minTolerationTime: ${c.name}`, () => assert.equal(minTolerationTime([taint], c.tols as any), c.want))

  it('deletes pods that do not tolerate a NoExecute taint at once', async () => {
    f = fixture({cluster: {nodes: 1}})
    f.seed('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {name: 'p', namespace: 'default'},
      spec: {nodeName: 'mkctl', containers: [{name: 'c', image: 'nginx'}]},
    } as KubeObject)
    f.start(...one(taintEvictionController(f.ctx)))
    await f.settle()
    assert.equal((f.get('pods', 'default', 'p') as any).metadata.deletionTimestamp, undefined)
    f.ctx.client.mutate('nodes', undefined, 'mkctl', (n: any) => ({
      ...n,
      spec: {...n.spec, taints: [{key: 'dedicated', value: 'gpu', effect: 'NoExecute'}]},
    }))
    await f.settle()
    assert.ok((f.get('pods', 'default', 'p') as any).metadata.deletionTimestamp)
    assert.ok(
      f
        .list('events', 'default')
        .some((e: any) => e.reason === 'TaintManagerEviction' && e.message === 'Marking for deletion Pod default/p'),
    )
  })
})
