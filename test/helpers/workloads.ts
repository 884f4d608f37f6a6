// workloads.ts: small seeds shared by controller tests that run without the workload controllers.
import type {KubeObject} from '../../src/api/object.js'
import type {Controller} from '../../src/daemon/controllers/framework/types.js'
import type {Fixture} from './cluster.js'

/** one turns a factory's result into a list of controllers. */
export const one = (c: Controller | Controller[]) => (Array.isArray(c) ? c : [c])

/** seedReplicaSet makes an RS of n Ready pods (no RS controller runs: the pods are made here). */
export function seedReplicaSet(f: Fixture, n: number, ready = n): KubeObject[] {
  const [rs] = f.seed('apps/replicasets', {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {name: 'web', namespace: 'default'},
    spec: {
      replicas: n,
      selector: {matchLabels: {app: 'web'}},
      template: {metadata: {labels: {app: 'web'}}, spec: {containers: [{name: 'c', image: 'nginx'}]}},
    },
  } as KubeObject)
  const pods: KubeObject[] = []
  for (let i = 0; i < n; i++) {
    const [p] = f.seed('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `web-${i}`,
        namespace: 'default',
        labels: {app: 'web'},
        ownerReferences: [
          {apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs!.metadata!.uid!, controller: true},
        ],
      },
      spec: {containers: [{name: 'c', image: 'nginx'}]},
    } as KubeObject)
    f.ctx.client.mutate(
      'pods',
      'default',
      `web-${i}`,
      (x: any) => {
        x.status = {
          phase: 'Running',
          conditions: [
            {
              type: 'Ready',
              status: i < ready ? 'True' : 'False',
              lastProbeTime: null,
              lastTransitionTime: '2024-01-01T00:00:00Z',
            },
          ],
        }
        return x
      },
      {subresource: 'status'},
    )
    pods.push(p!)
  }
  return pods
}
