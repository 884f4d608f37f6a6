import assert from 'node:assert/strict'
import type {KubeObject} from '../../../src/api/object.js'
import {disruptionController} from '../../../src/daemon/controllers/disruption.js'
import {schedulerController} from '../../../src/daemon/scheduler/index.js'
import {kubectlAvailable, startTestDaemon, type TestDaemon} from '../../helpers/daemon.js'

// kubectl drain end to end against an in-process daemon running the scheduler and the disruption controller
// (no kubelets: pods are marked Running here, and drain deletes with --grace-period=0; --force because the
// bootstrap kube-proxy pods have no DaemonSet owner until the daemonset controller adopts them).
describe('kubectl drain (real kubectl)', function () {
  this.timeout(60_000)
  let d: TestDaemon
  before(function () {
    if (!kubectlAvailable()) this.skip()
  })
  afterEach(async () => d?.stop())

  it('evicts through the Eviction API, retrying while a PodDisruptionBudget forbids it', async () => {
    d = await startTestDaemon({cluster: {nodes: 2}, controllers: false})
    const m = d.daemon.cluster.manager
    m.add(schedulerController, disruptionController)
    m.start()
    const client = m.client
    const rs = client.create('apps/replicasets', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {name: 'web', namespace: 'default'},
      spec: {
        replicas: 2,
        selector: {matchLabels: {app: 'web'}},
        template: {metadata: {labels: {app: 'web'}}, spec: {containers: [{name: 'c', image: 'nginx'}]}},
      },
    } as KubeObject)
    for (const name of ['web-a', 'web-b']) {
      client.create('pods', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name,
          namespace: 'default',
          labels: {app: 'web'},
          ownerReferences: [
            {apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata!.uid!, controller: true},
          ],
        },
        spec: {containers: [{name: 'c', image: 'nginx'}]},
      } as KubeObject)
    }
    await d.settle()
    for (const name of ['web-a', 'web-b']) {
      client.mutate(
        'pods',
        'default',
        name,
        (p: any) => {
          p.status = {
            ...p.status,
            phase: 'Running',
            conditions: [
              ...p.status.conditions,
              {type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2024-01-01T00:00:00Z'},
            ],
          }
          return p
        },
        {subresource: 'status'},
      )
    }
    client.create('policy/poddisruptionbudgets', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: {name: 'web-pdb', namespace: 'default'},
      spec: {minAvailable: 2, selector: {matchLabels: {app: 'web'}}},
    } as KubeObject)
    await d.settle()
    const target = (client.get('pods', 'default', 'web-a').spec as any).nodeName as string
    const blocked = await d.kubectl([
      'drain',
      target,
      '--ignore-daemonsets',
      '--force',
      '--grace-period=0',
      '--timeout=2s',
    ])
    assert.notEqual(blocked.code, 0)
    assert.match(
      blocked.stderr,
      /error when evicting pods\/"web-a" -n "default" \(will retry after 5s\): Cannot evict pod as it would violate the pod's disruption budget\./,
    )
    client.mutate('policy/poddisruptionbudgets', 'default', 'web-pdb', (p: any) => ({
      ...p,
      spec: {...p.spec, minAvailable: 1},
    }))
    await d.settle()
    const ok = await d.kubectl(['drain', target, '--ignore-daemonsets', '--force', '--grace-period=0', '--timeout=20s'])
    assert.equal(ok.code, 0, ok.stderr)
    assert.match(ok.stdout, /pod\/web-a evicted/)
    assert.match(ok.stdout, new RegExp(`node/${target} drained`))
    assert.equal(client.tryGet('pods', 'default', 'web-a'), undefined)
    assert.equal((client.get('nodes', undefined, target).spec as any).unschedulable, true)
  })
})
