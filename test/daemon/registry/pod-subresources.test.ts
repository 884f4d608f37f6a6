import assert from 'node:assert/strict'
import type {KubeObject} from '../../../src/api/object.js'
import {StatusError} from '../../../src/api/errors.js'
import {disruptionController} from '../../../src/daemon/controllers/disruption.js'
import {bindPod} from '../../../src/daemon/registry/pod-subresources.js'
import {defaultTolerationsAdmission} from '../../../src/daemon/admission/default-tolerations.js'
import {fixture, type Fixture} from '../../helpers/cluster.js'
import {one, seedReplicaSet} from '../../helpers/workloads.js'

function statusOf(fn: () => unknown): StatusError {
  try {
    fn()
  } catch (e) {
    if (e instanceof StatusError) return e
    throw e
  }
  assert.fail('expected a StatusError')
}

describe('pod subresources', () => {
  let f: Fixture
  afterEach(async () => f?.stop())

  describe('binding', () => {
    it('sets nodeName and PodScheduled=True, then refuses a second binding with 409', () => {
      f = fixture({cluster: {nodes: 2}})
      f.seed('pods', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {name: 'p', namespace: 'default'},
        spec: {containers: [{name: 'c', image: 'nginx'}]},
      } as KubeObject)
      const out = f.ctx.client.bind('default', 'p', 'mkctl-m02', {now: f.clock.now()}) as any
      assert.equal(out.spec.nodeName, 'mkctl-m02')
      const c = out.status.conditions.find((x: any) => x.type === 'PodScheduled')
      assert.deepEqual(Object.keys(c), ['type', 'status', 'lastProbeTime', 'lastTransitionTime'])
      assert.equal(c.status, 'True')
      const err = statusOf(() => f.ctx.client.bind('default', 'p', 'mkctl', {now: f.clock.now()}))
      assert.equal(err.code, 409)
      assert.equal(
        err.message,
        'Operation cannot be fulfilled on pods/binding "p": pod p is already assigned to node "mkctl-m02"',
      )
      assert.deepEqual(err.status.details, {name: 'p', kind: 'pods/binding'})
    })

    it('works through the registry alone (the HTTP path) and validates the target', () => {
      f = fixture()
      f.seed('pods', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {name: 'p', namespace: 'default'},
        spec: {containers: [{name: 'c', image: 'nginx'}]},
      } as KubeObject)
      const d = {registry: f.cluster.registry, now: () => f.clock.now()}
      const bad = statusOf(() =>
        bindPod(d, 'default', 'p', {
          apiVersion: 'v1',
          kind: 'Binding',
          metadata: {name: 'p'},
          target: {kind: 'Pod', name: ''},
        } as any),
      )
      assert.equal(bad.code, 422)
      bindPod(d, 'default', 'p', {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: {name: 'p'},
        target: {name: 'mkctl'},
      } as any)
      const p = f.get('pods', 'default', 'p') as any
      assert.equal(p.spec.nodeName, 'mkctl')
      assert.equal(p.status.conditions.find((x: any) => x.type === 'PodScheduled').status, 'True')
      const mismatch = statusOf(() =>
        bindPod(d, 'default', 'p', {metadata: {name: 'q'}, target: {name: 'mkctl'}} as any),
      )
      assert.deepEqual([mismatch.code, mismatch.message], [400, 'name in URL does not match name in Binding object'])
    })
  })

  describe('eviction', () => {
    it('refuses with 429 while the budget allows no disruption, then evicts and spends the budget', async () => {
      f = fixture()
      seedReplicaSet(f, 3)
      f.seed('policy/poddisruptionbudgets', {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: {name: 'web-pdb', namespace: 'default'},
        spec: {minAvailable: 3, selector: {matchLabels: {app: 'web'}}},
      } as KubeObject)
      f.start(...one(disruptionController(f.ctx)))
      await f.settle()
      const err = statusOf(() => f.ctx.client.evict('default', 'web-0', {now: f.clock.now()}))
      assert.deepEqual(err.status, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: "Cannot evict pod as it would violate the pod's disruption budget.",
        reason: 'TooManyRequests',
        details: {
          causes: [
            {
              reason: 'DisruptionBudget',
              message: 'The disruption budget web-pdb needs 3 healthy pods and has 3 currently',
            },
          ],
        },
        code: 429,
      })
      assert.ok(f.get('pods', 'default', 'web-0'))
      f.ctx.client.mutate('policy/poddisruptionbudgets', 'default', 'web-pdb', (p: any) => {
        p.spec = {maxUnavailable: 1, selector: p.spec.selector}
        return p
      })
      // Before the controller observes the new generation, the budget is "still being processed".
      const early = statusOf(() => f.ctx.client.evict('default', 'web-0', {now: f.clock.now()}))
      assert.equal(
        early.status.details?.causes?.[0]?.message,
        'The disruption budget web-pdb is still being processed by the server.',
      )
      assert.equal(early.status.details?.retryAfterSeconds, 10)
      await f.settle()
      f.ctx.client.evict('default', 'web-0', {now: f.clock.now()})
      assert.equal(f.get('pods', 'default', 'web-0'), undefined, 'an unbound pod goes at once')
      const st = (f.get('policy/poddisruptionbudgets', 'default', 'web-pdb') as any).status
      await f.settle()
      assert.equal(st.disruptionsAllowed, 0)
      assert.deepEqual(Object.keys(st.disruptedPods), ['web-0'])
      assert.equal(statusOf(() => f.ctx.client.evict('default', 'web-1', {now: f.clock.now()})).code, 429)
    })

    it('evicts a pod without a budget, and a Pending pod regardless of its budget', async () => {
      f = fixture()
      seedReplicaSet(f, 2)
      f.seed('pods', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {name: 'lone', namespace: 'default'},
        spec: {containers: [{name: 'c', image: 'nginx'}]},
      } as KubeObject)
      f.ctx.client.evict('default', 'lone', {now: f.clock.now()})
      assert.equal(f.get('pods', 'default', 'lone'), undefined)
      f.seed('policy/poddisruptionbudgets', {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: {name: 'web-pdb', namespace: 'default'},
        spec: {minAvailable: 2, selector: {matchLabels: {app: 'web'}}},
      } as KubeObject)
      f.ctx.client.mutate('pods', 'default', 'web-1', (p: any) => ({...p, status: {phase: 'Pending'}}), {
        subresource: 'status',
      })
      f.ctx.client.evict('default', 'web-1', {now: f.clock.now()})
      assert.equal(f.get('pods', 'default', 'web-1'), undefined)
    })
  })

  describe('DefaultTolerationSeconds', () => {
    const plugin = defaultTolerationsAdmission({})
    const attrs = (spec: any, operation: 'CREATE' | 'UPDATE' = 'CREATE') => ({
      operation,
      resource: {group: '', plural: 'pods'} as any,
      object: {spec} as KubeObject,
    })
    const t300 = (key: string) => ({key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300})
    const cases = [
      {
        name: 'adds both',
        tols: undefined,
        want: [t300('node.kubernetes.io/not-ready'), t300('node.kubernetes.io/unreachable')],
      },
      {
        name: 'keeps an own not-ready toleration',
        tols: [{key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5}],
        want: [
          {key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5},
          t300('node.kubernetes.io/unreachable'),
        ],
      },
      {name: 'a blanket toleration covers both', tols: [{operator: 'Exists'}], want: [{operator: 'Exists'}]},
      {
        name: 'a NoSchedule toleration does not count',
        tols: [{key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoSchedule'}],
        want: [
          {key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoSchedule'},
          t300('node.kubernetes.io/not-ready'),
          t300('node.kubernetes.io/unreachable'),
        ],
      },
    ]
    for (const c of cases) {
      it(c.name, () => {
        const a = attrs(c.tols ? {tolerations: structuredClone(c.tols)} : {})
        plugin.mutate!(a)
        assert.deepEqual((a.object.spec as any).tolerations, c.want)
      })
    }
    it('leaves updates alone', () => {
      const a = attrs({}, 'UPDATE')
      plugin.mutate!(a)
      assert.equal((a.object.spec as any).tolerations, undefined)
    })
  })
})
