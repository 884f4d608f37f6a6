// resourcequota.test.ts: the ResourceQuota controller keeps status.hard/used of each quota, counting live pods'
// requests and limits (finished pods do not count), object counts and services' node ports.
import assert from 'node:assert/strict'
import type {KubeObject} from '../../../src/api/object.js'
import {ResourceQuotaController} from '../../../src/daemon/controllers/resourcequota.js'
import {fixture, type Fixture} from '../../helpers/cluster.js'

function pod(name: string, requests: Record<string, string>, limits: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name, namespace: 'default'},
    spec: {containers: [{name: 'app', image: 'nginx', resources: {requests, limits}}]},
  }
}

describe('resourcequota controller', () => {
  let f: Fixture
  beforeEach(() => (f = fixture()))
  afterEach(() => f.stop())

  it('computes status.used for compute resources, object counts and node ports', async () => {
    f.seed(
      'pods',
      pod('a', {cpu: '100m', memory: '64Mi'}, {memory: '128Mi'}),
      pod('b', {cpu: '250m', memory: '128Mi'}),
      pod('done', {cpu: '1', memory: '1Gi'}),
    )
    f.ctx.client.mutate(
      'pods',
      'default',
      'done',
      (p) => ({...p, status: {...(p.status as any), phase: 'Succeeded'}}),
      {subresource: 'status'},
    )
    f.seed('services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {name: 'np', namespace: 'default'},
      spec: {type: 'NodePort', ports: [{port: 80}, {port: 443, name: 'https'}].map((p, i) => ({name: `p${i}`, ...p}))},
    })
    // The quota comes last: admission would refuse pods without a memory limit once it exists.
    f.seed('resourcequotas', {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: {name: 'q', namespace: 'default'},
      spec: {
        hard: {
          pods: '10',
          'count/pods': '10',
          'requests.cpu': '2',
          'requests.memory': '1Gi',
          'limits.memory': '2Gi',
          configmaps: '5',
          services: '3',
          'services.nodeports': '4',
          'count/deployments.apps': '2',
          'requests.storage': '10Gi',
        },
      },
    })
    const c = new ResourceQuotaController(f.ctx)
    f.start(c)
    await f.settle()
    const q = f.get('resourcequotas', 'default', 'q')!
    assert.deepEqual((q.status as any).hard, (q.spec as any).hard)
    assert.deepEqual((q.status as any).used, {
      configmaps: '1', // kube-root-ca.crt
      'count/deployments.apps': '0',
      'count/pods': '3',
      'limits.memory': '128Mi',
      pods: '2',
      'requests.cpu': '350m',
      'requests.memory': '192Mi',
      'requests.storage': '0',
      services: '2', // kubernetes + np
      'services.nodeports': '2',
    })
    // A new pod is counted as soon as it is stored.
    f.seed('pods', pod('c', {cpu: '1', memory: '1Mi'}, {memory: '1Mi'}))
    await f.settle()
    assert.equal((f.get('resourcequotas', 'default', 'q')!.status as any).used['requests.cpu'], '1350m')
    assert.deepEqual(await f.syncOnce(c, 'default/q'), [], 'nothing to write when status is current')
  })

  it('counts only the pods a scoped quota selects', async () => {
    f.seed('resourcequotas', {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: {name: 'be', namespace: 'default'},
      spec: {hard: {pods: '5'}, scopes: ['BestEffort']},
    })
    f.seed('pods', pod('a', {cpu: '100m'}), pod('b', {}))
    const c = new ResourceQuotaController(f.ctx)
    await f.syncOnce(c, 'default/be')
    assert.deepEqual((f.get('resourcequotas', 'default', 'be')!.status as any).used, {pods: '1'})
  })
})
