import assert from 'node:assert/strict'
import type {KubeObject} from '../../../src/api/object.js'
import {SchedulerCache} from '../../../src/daemon/scheduler/cache.js'
import {
  FILTERS,
  fitErrorMessage,
  preFilter,
  runFilters,
  type FilterStatus,
} from '../../../src/daemon/scheduler/filters.js'
import {preempt} from '../../../src/daemon/scheduler/preemption.js'
import {scoreNodes} from '../../../src/daemon/scheduler/score.js'
import {podRequests} from '../../../src/daemon/scheduler/resources.js'

const nsLabels = () => undefined

function node(
  name: string,
  extra: {
    labels?: Record<string, string>
    spec?: any
    cpu?: string
    memory?: string
    pods?: string
    zone?: string
  } = {},
): KubeObject {
  const alloc = {cpu: extra.cpu ?? '2', memory: extra.memory ?? '4Gi', pods: extra.pods ?? '110'}
  const labels = {
    'kubernetes.io/hostname': name,
    ...(extra.zone ? {'topology.kubernetes.io/zone': extra.zone} : {}),
    ...(extra.labels ?? {}),
  }
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {name, labels},
    spec: extra.spec ?? {},
    status: {allocatable: alloc, capacity: alloc},
  } as KubeObject
}

let seq = 0
function pod(spec: any = {}, meta: any = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name: `p${seq++}`, namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z', ...meta},
    spec: {containers: [{name: 'c', image: 'nginx', ...(spec.container ?? {})}], ...spec, container: undefined},
    status: {phase: 'Running'},
  } as KubeObject
}

const cpu = (c: string) => ({container: {resources: {requests: {cpu: c}}}})

function cacheOf(nodes: KubeObject[], pods: KubeObject[] = []): SchedulerCache {
  const c = new SchedulerCache(nsLabels)
  for (const n of nodes) c.setNode(n)
  for (const p of pods) c.setPod(p)
  return c
}

function statuses(c: SchedulerCache, p: KubeObject): Map<string, FilterStatus> {
  const s = preFilter(p, c, nsLabels)
  const out = new Map<string, FilterStatus>()
  for (const n of c.nodes()) {
    const st = runFilters(s, n, nsLabels)
    if (st) out.set(n.name, st)
  }
  return out
}

const anti = (key: string) => ({
  podAntiAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchLabels: {app: 'db'}}, topologyKey: key}],
  },
})
const aff = (key: string) => ({
  podAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchLabels: {app: 'db'}}, topologyKey: key}],
  },
})

describe('scheduler filters', () => {
  it('keeps upstream plugin order', () => {
    assert.deepEqual(
      FILTERS.map((x) => x.name),
      [
        'NodeUnschedulable',
        'NodeName',
        'TaintToleration',
        'NodeAffinity',
        'NodePorts',
        'NodeResourcesFit',
        'PodTopologySpread',
        'InterPodAffinity',
      ],
    )
  })

  const cases: {
    name: string
    nodes: KubeObject[]
    existing?: KubeObject[]
    pod: KubeObject
    want: Record<string, string | undefined>
  }[] = [
    {name: 'fits', nodes: [node('a')], pod: pod(cpu('1')), want: {a: undefined}},
    {
      name: 'insufficient cpu',
      nodes: [node('a')],
      existing: [pod({nodeName: 'a', ...cpu('1500m')})],
      pod: pod(cpu('1')),
      want: {a: 'NodeResourcesFit:Insufficient cpu'},
    },
    {
      name: 'insufficient cpu and memory',
      nodes: [node('a')],
      pod: pod({container: {resources: {requests: {cpu: '3', memory: '5Gi'}}}}),
      want: {a: 'NodeResourcesFit:Insufficient cpu|Insufficient memory'},
    },
    {
      name: 'too many pods',
      nodes: [node('a', {pods: '1'})],
      existing: [pod({nodeName: 'a'})],
      pod: pod(),
      want: {a: 'NodeResourcesFit:Too many pods'},
    },
    {
      name: 'terminal pods free their room',
      nodes: [node('a', {pods: '1'})],
      existing: [{...pod({nodeName: 'a'}), status: {phase: 'Succeeded'}} as KubeObject],
      pod: pod(),
      want: {a: undefined},
    },
    {
      name: 'unschedulable',
      nodes: [node('a', {spec: {unschedulable: true}})],
      pod: pod(),
      want: {a: 'NodeUnschedulable:node(s) were unschedulable'},
    },
    {
      name: 'unschedulable tolerated',
      nodes: [node('a', {spec: {unschedulable: true}})],
      pod: pod({tolerations: [{key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule'}]}),
      want: {a: undefined},
    },
    {
      name: 'taint',
      nodes: [node('a', {spec: {taints: [{key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule'}]}})],
      pod: pod(),
      want: {a: 'TaintToleration:node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'},
    },
    {
      name: 'taint with value',
      nodes: [node('a', {spec: {taints: [{key: 'gpu', value: 'true', effect: 'NoExecute'}]}})],
      pod: pod(),
      want: {a: 'TaintToleration:node(s) had untolerated taint {gpu: true}'},
    },
    {
      name: 'PreferNoSchedule does not filter',
      nodes: [node('a', {spec: {taints: [{key: 'x', effect: 'PreferNoSchedule'}]}})],
      pod: pod(),
      want: {a: undefined},
    },
    {
      name: 'taint tolerated',
      nodes: [node('a', {spec: {taints: [{key: 'gpu', value: 'true', effect: 'NoSchedule'}]}})],
      pod: pod({tolerations: [{key: 'gpu', value: 'true', effect: 'NoSchedule'}]}),
      want: {a: undefined},
    },
    {
      name: 'nodeSelector',
      nodes: [node('a', {labels: {disk: 'ssd'}}), node('b')],
      pod: pod({nodeSelector: {disk: 'ssd'}}),
      want: {a: undefined, b: "NodeAffinity:node(s) didn't match Pod's node affinity/selector"},
    },
    {
      name: 'node affinity In / Gt',
      nodes: [node('a', {labels: {gen: '5'}}), node('b', {labels: {gen: '2'}})],
      pod: pod({
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{matchExpressions: [{key: 'gen', operator: 'Gt', values: ['3']}]}],
            },
          },
        },
      }),
      want: {a: undefined, b: "NodeAffinity:node(s) didn't match Pod's node affinity/selector"},
    },
    {
      name: 'node affinity matchFields',
      nodes: [node('a'), node('b')],
      pod: pod({
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{matchFields: [{key: 'metadata.name', operator: 'In', values: ['b']}]}],
            },
          },
        },
      }),
      want: {a: "NodeAffinity:node(s) didn't match Pod's node affinity/selector", b: undefined},
    },
    {
      name: 'host port conflict',
      nodes: [node('a'), node('b')],
      existing: [pod({nodeName: 'a', container: {ports: [{containerPort: 80, hostPort: 8080, protocol: 'TCP'}]}})],
      pod: pod({container: {ports: [{containerPort: 80, hostPort: 8080, protocol: 'TCP'}]}}),
      want: {a: "NodePorts:node(s) didn't have free ports for the requested pod ports", b: undefined},
    },
    {
      name: 'host port on another protocol',
      nodes: [node('a')],
      existing: [pod({nodeName: 'a', container: {ports: [{containerPort: 80, hostPort: 8080, protocol: 'UDP'}]}})],
      pod: pod({container: {ports: [{containerPort: 80, hostPort: 8080, protocol: 'TCP'}]}}),
      want: {a: undefined},
    },
    {
      name: 'anti-affinity on hostname',
      nodes: [node('a'), node('b')],
      existing: [pod({nodeName: 'a'}, {labels: {app: 'db'}})],
      pod: pod({affinity: anti('kubernetes.io/hostname')}, {labels: {app: 'db'}}),
      want: {a: "InterPodAffinity:node(s) didn't match pod anti-affinity rules", b: undefined},
    },
    {
      name: 'existing pods anti-affinity',
      nodes: [node('a'), node('b')],
      existing: [pod({nodeName: 'a', affinity: anti('kubernetes.io/hostname')}, {labels: {app: 'x'}})],
      pod: pod({}, {labels: {app: 'db'}}),
      want: {a: "InterPodAffinity:node(s) didn't satisfy existing pods anti-affinity rules", b: undefined},
    },
    {
      name: 'anti-affinity on zone',
      nodes: [node('a', {zone: 'z1'}), node('b', {zone: 'z1'}), node('c', {zone: 'z2'})],
      existing: [pod({nodeName: 'a'}, {labels: {app: 'db'}})],
      pod: pod({affinity: anti('topology.kubernetes.io/zone')}, {labels: {app: 'db'}}),
      want: {
        a: "InterPodAffinity:node(s) didn't match pod anti-affinity rules",
        b: "InterPodAffinity:node(s) didn't match pod anti-affinity rules",
        c: undefined,
      },
    },
    {
      name: 'affinity follows the matching pod',
      nodes: [node('a'), node('b')],
      existing: [pod({nodeName: 'b'}, {labels: {app: 'db'}})],
      pod: pod({affinity: aff('kubernetes.io/hostname')}),
      want: {a: "InterPodAffinity:node(s) didn't match pod affinity rules", b: undefined},
    },
    {
      name: 'first pod of a self-affine group goes anywhere',
      nodes: [node('a')],
      pod: pod({affinity: aff('kubernetes.io/hostname')}, {labels: {app: 'db'}}),
      want: {a: undefined},
    },
    {
      name: 'topology spread DoNotSchedule',
      nodes: [node('a'), node('b')],
      existing: [pod({nodeName: 'a'}, {labels: {app: 'w'}})],
      pod: pod(
        {
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'DoNotSchedule',
              labelSelector: {matchLabels: {app: 'w'}},
            },
          ],
        },
        {labels: {app: 'w'}},
      ),
      want: {a: "PodTopologySpread:node(s) didn't match pod topology spread constraints", b: undefined},
    },
    {
      name: 'first failing plugin wins',
      nodes: [node('a', {spec: {unschedulable: true}})],
      pod: pod(cpu('64')),
      want: {a: 'NodeUnschedulable:node(s) were unschedulable'},
    },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const st = statuses(cacheOf(c.nodes, c.existing), c.pod)
      const got: Record<string, string | undefined> = {}
      for (const n of c.nodes) {
        const s = st.get(String(n.metadata?.name))
        got[String(n.metadata?.name)] = s ? `${s.plugin}:${s.reasons.join('|')}` : undefined
      }
      assert.deepEqual(got, c.want)
    })
  }

  it('counts init containers by the max rule and sidecars by the sum', () => {
    const r = podRequests({
      containers: [{resources: {requests: {cpu: '500m', memory: '100Mi'}}}],
      initContainers: [
        {resources: {requests: {cpu: '2', memory: '10Mi'}}},
        {restartPolicy: 'Always', resources: {requests: {cpu: '100m'}}},
      ],
    })
    assert.equal(r.milliCPU, 2000)
    assert.equal(r.memory, 100 * 1024 * 1024)
    const s = podRequests({
      containers: [{resources: {requests: {cpu: '500m'}}}],
      initContainers: [
        {restartPolicy: 'Always', resources: {requests: {cpu: '100m'}}},
        {resources: {requests: {cpu: '550m'}}},
      ],
    })
    assert.equal(s.milliCPU, 650)
  })
})

describe('FailedScheduling message', () => {
  const st = (code: FilterStatus['code'], ...reasons: string[]): FilterStatus => ({code, reasons, plugin: 'x'})
  it('sorts the reason histogram as strings and adds the preemption part', () => {
    const msg = fitErrorMessage(
      3,
      [
        st('UnschedulableAndUnresolvable', 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'),
        st('Unschedulable', 'Insufficient cpu'),
        st('Unschedulable', 'Insufficient cpu'),
      ],
      'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    )
    assert.equal(
      msg,
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    )
  })

  it('builds the preemption part from the filter codes', () => {
    const c = cacheOf([node('a'), node('b', {spec: {unschedulable: true}})])
    const p = pod(cpu('64'))
    const sts = statuses(c, p)
    const post = preempt(preFilter(p, c, nsLabels), sts, c, nsLabels)
    assert.equal(
      fitErrorMessage(2, sts.values(), post.message),
      '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) were unschedulable. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.',
    )
  })

  it('says when the pod may not preempt', () => {
    const c = cacheOf([node('a')])
    const p = pod({...cpu('64'), preemptionPolicy: 'Never'})
    const sts = statuses(c, p)
    assert.equal(
      fitErrorMessage(1, sts.values(), preempt(preFilter(p, c, nsLabels), sts, c, nsLabels).message),
      '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.',
    )
  })

  it('names lower-priority victims when removing them makes room', () => {
    const low = pod({nodeName: 'a', priority: 0, ...cpu('1500m')})
    const c = cacheOf([node('a')], [low])
    const p = pod({priority: 100, ...cpu('1')})
    const sts = statuses(c, p)
    const post = preempt(preFilter(p, c, nsLabels), sts, c, nsLabels)
    assert.equal(post.nominatedNode, 'a')
    assert.deepEqual(
      post.victims?.map((v) => v.pod.metadata?.name),
      [low.metadata?.name],
    )
  })
})

describe('scoring', () => {
  const owned = (uid: string, extra: any = {}) =>
    pod(extra, {ownerReferences: [{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid, controller: true}]})
  it("prefers the node with fewer of the same controller's pods, then less allocation, then the name", () => {
    const c = cacheOf(
      [node('a'), node('b'), node('c')],
      [
        owned('u1', {nodeName: 'a'}),
        owned('u1', {nodeName: 'b'}),
        owned('u2', {nodeName: 'c'}),
        owned('u2', {nodeName: 'c'}),
      ],
    )
    const p = owned('u1')
    const order = scoreNodes(preFilter(p, c, nsLabels), c.nodes(), c, nsLabels).map((s) => s.node.name)
    assert.deepEqual(order, ['c', 'a', 'b'])
  })
  it('prefers less allocated nodes and honours preferred node affinity', () => {
    const c = cacheOf([node('a'), node('b', {labels: {fast: 'yes'}})], [pod({nodeName: 'a', ...cpu('1')})])
    assert.equal(scoreNodes(preFilter(pod(), c, nsLabels), c.nodes(), c, nsLabels)[0]!.node.name, 'b')
    const c2 = cacheOf([node('a', {labels: {fast: 'yes'}}), node('b')], [pod({nodeName: 'a', ...cpu('500m')})])
    const p = pod({
      affinity: {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            {weight: 50, preference: {matchExpressions: [{key: 'fast', operator: 'In', values: ['yes']}]}},
          ],
        },
      },
    })
    assert.equal(scoreNodes(preFilter(p, c2, nsLabels), c2.nodes(), c2, nsLabels)[0]!.node.name, 'a')
  })
  it('avoids PreferNoSchedule taints', () => {
    const c = cacheOf([node('a', {spec: {taints: [{key: 'x', effect: 'PreferNoSchedule'}]}}), node('b')])
    assert.equal(scoreNodes(preFilter(pod(), c, nsLabels), c.nodes(), c, nsLabels)[0]!.node.name, 'b')
  })
})
