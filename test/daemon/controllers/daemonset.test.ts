// daemonset.test.ts: the DaemonSet controller on a 3-node fixture, in the one-sync style (seed, one sync, compare
// the writes) and as settle-based scenarios. No scheduler or kubelet runs: pods stay pinned by node affinity and
// tests mark them Running and Ready by hand.
import assert from 'node:assert/strict'
import type {KubeObject} from '../../../src/api/object.js'
import {rfc3339} from '../../../src/daemon/clock.js'
import {
  DaemonSetController,
  nodeShouldRunDaemonPod,
  targetNodeName,
} from '../../../src/daemon/controllers/daemonset.js'
import {fixture, type Fixture} from '../../helpers/cluster.js'
import {kubectlAvailable, startTestDaemon, type TestDaemon} from '../../helpers/daemon.js'

const NS = 'default'
const NODES = ['mkctl', 'mkctl-m02', 'mkctl-m03']

function ds(name = 'fluentd', extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: {name, namespace: NS},
    spec: {
      selector: {matchLabels: {app: name}},
      template: {metadata: {labels: {app: name}}, spec: {containers: [{name: 'agent', image: 'fluentd:v1'}], ...extra}},
    },
  }
}

const pods = (f: Fixture) => f.list('pods', NS)
const byNode = (f: Fixture) =>
  Object.fromEntries(
    pods(f)
      .map((p) => [targetNodeName(p), (p.spec as any).containers[0].image])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
  )
const status = (f: Fixture, name = 'fluentd') => f.get('apps/daemonsets', NS, name)?.status as any

function markReady(f: Fixture, name: string) {
  f.ctx.client.mutate(
    'pods',
    NS,
    name,
    (p: any) => {
      p.status = {
        ...p.status,
        phase: 'Running',
        conditions: [{type: 'Ready', status: 'True', lastTransitionTime: rfc3339(f.clock.now())}],
      }
      return p
    },
    {subresource: 'status'},
  )
}

async function readyAll(f: Fixture, rounds = 20) {
  for (let i = 0; i < rounds; i++) {
    await f.settle()
    let changed = false
    for (const p of pods(f)) {
      if ((p.status as any)?.phase !== 'Running') {
        markReady(f, String(p.metadata?.name))
        changed = true
      }
    }
    if (!changed) return
  }
}

function taint(f: Fixture, node: string, taints: unknown[]) {
  f.ctx.client.mutate('nodes', undefined, node, (n: any) => {
    n.spec = {...n.spec, taints}
    return n
  })
}

describe('daemonset controller', () => {
  let f: Fixture
  beforeEach(() => (f = fixture({cluster: {nodes: 3}})))
  afterEach(() => f.stop())

  it('first sync: a revision, one pod pinned to each node, and status', async () => {
    const [set] = f.seed('apps/daemonsets', ds())
    const actions = await f.syncOnce(new DaemonSetController(f.ctx), 'default/fluentd')
    const summary = actions.map((a) => `${a.verb} ${a.resource}${a.subresource ? '/' + a.subresource : ''}`)
    assert.deepEqual(summary, [
      'create apps/controllerrevisions',
      'create pods',
      'create pods',
      'create pods',
      'update apps/daemonsets/status',
    ])
    const rev = actions[0]!.object as any
    const hash = rev.metadata.labels['controller-revision-hash']
    assert.equal(rev.metadata.name, `fluentd-${hash}`)
    assert.equal(rev.revision, 1)
    const made = actions.filter((a) => a.resource === 'pods').map((a) => a.object as any)
    assert.deepEqual(made.map((p) => targetNodeName(p)).sort(), NODES)
    const pod = made[0]
    assert.match(pod.metadata.name, /^fluentd-[a-z0-9]{5}$/)
    assert.equal(pod.metadata.generateName, 'fluentd-')
    assert.deepEqual(pod.metadata.labels, {
      app: 'fluentd',
      'controller-revision-hash': hash,
      'pod-template-generation': '1',
    })
    assert.deepEqual(pod.metadata.ownerReferences, [
      {
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        name: 'fluentd',
        uid: set!.metadata?.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ])
    assert.equal(pod.spec.nodeName, undefined, 'the scheduler binds it')
    assert.deepEqual(
      pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0]
        .key,
      'metadata.name',
    )
    assert.deepEqual(
      pod.spec.tolerations.map((t: any) => `${t.key}:${t.operator}:${t.effect}`),
      [
        'node.kubernetes.io/not-ready:Exists:NoExecute',
        'node.kubernetes.io/unreachable:Exists:NoExecute',
        'node.kubernetes.io/disk-pressure:Exists:NoSchedule',
        'node.kubernetes.io/memory-pressure:Exists:NoSchedule',
        'node.kubernetes.io/pid-pressure:Exists:NoSchedule',
        'node.kubernetes.io/unschedulable:Exists:NoSchedule',
      ],
    )
    assert.deepEqual(actions[4]!.object!.status, {
      currentNumberScheduled: 3,
      numberMisscheduled: 0,
      desiredNumberScheduled: 3,
      numberReady: 0,
      observedGeneration: 1,
      updatedNumberScheduled: 3,
      numberUnavailable: 3,
    })
    const evs = f.list('events', NS).map((e: any) => `${e.source.component} ${e.reason} ${e.message}`)
    assert.deepEqual(
      evs.sort(),
      made.map((p) => `daemonset-controller SuccessfulCreate Created pod: ${p.metadata.name}`).sort(),
    )
  })

  it('adopts the bootstrap kube-proxy DaemonSet and its pods without creating or deleting any', async () => {
    const actions = await f.syncOnce(new DaemonSetController(f.ctx), 'kube-system/kube-proxy')
    assert.deepEqual(
      actions.filter((a) => a.resource === 'pods').map((a) => a.verb),
      ['update', 'update', 'update'],
      'only ownerReferences are added',
    )
    assert.equal(
      actions.filter((a) => a.resource === 'apps/daemonsets').length,
      0,
      'the bootstrap status is already right',
    )
    const again = await f.syncOnce(new DaemonSetController(f.ctx), 'kube-system/kube-proxy')
    assert.deepEqual(again, [])
  })

  it('skips a node whose taint it does not tolerate, and follows nodes added and deleted', async () => {
    taint(f, 'mkctl-m02', [{key: 'dedicated', value: 'infra', effect: 'NoSchedule'}])
    f.seed('apps/daemonsets', ds())
    f.start(new DaemonSetController(f.ctx))
    await readyAll(f)
    assert.deepEqual(Object.keys(byNode(f)), ['mkctl', 'mkctl-m03'])
    assert.equal(status(f).desiredNumberScheduled, 2)
    assert.equal(status(f).numberAvailable, 2)

    f.ctx.client.create('nodes', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {name: 'mkctl-m04', labels: {'kubernetes.io/hostname': 'mkctl-m04'}},
    })
    await readyAll(f)
    assert.deepEqual(Object.keys(byNode(f)), ['mkctl', 'mkctl-m03', 'mkctl-m04'])

    f.ctx.client.delete('nodes', undefined, 'mkctl-m03')
    await f.settle()
    assert.deepEqual(Object.keys(byNode(f)), ['mkctl', 'mkctl-m04'])

    // A NoSchedule taint added later leaves the running pod alone; NoExecute removes it.
    taint(f, 'mkctl-m04', [{key: 'maintenance', effect: 'NoSchedule'}])
    await f.settle()
    assert.deepEqual(Object.keys(byNode(f)), ['mkctl', 'mkctl-m04'])
    assert.equal(status(f).numberMisscheduled, 1)
    taint(f, 'mkctl-m04', [{key: 'maintenance', effect: 'NoExecute'}])
    await f.settle()
    assert.deepEqual(Object.keys(byNode(f)), ['mkctl'])
    taint(f, 'mkctl-m02', [])
    await readyAll(f)
    assert.deepEqual(Object.keys(byNode(f)), ['mkctl', 'mkctl-m02'])
    const st = status(f)
    assert.deepEqual(
      [st.desiredNumberScheduled, st.currentNumberScheduled, st.numberReady, st.numberAvailable, st.numberMisscheduled],
      [2, 2, 2, 2, 0],
    )
  })

  it('respects nodeSelector and tolerations in the template', () => {
    const node = (labels: Record<string, string>, taints: unknown[] = []) =>
      ({metadata: {name: 'n', labels}, spec: {taints}}) as KubeObject
    const cp = ds('x', {nodeSelector: {'node-role.kubernetes.io/control-plane': ''}})
    assert.equal(nodeShouldRunDaemonPod(node({'node-role.kubernetes.io/control-plane': ''}), cp).shouldRun, true)
    assert.equal(nodeShouldRunDaemonPod(node({}), cp).shouldRun, false)
    const gpu = [{key: 'gpu', value: 'true', effect: 'NoSchedule'}]
    assert.equal(nodeShouldRunDaemonPod(node({}, gpu), ds()).shouldRun, false)
    assert.equal(nodeShouldRunDaemonPod(node({}, gpu), ds()).shouldContinueRunning, true)
    assert.equal(
      nodeShouldRunDaemonPod(node({}, gpu), ds('x', {tolerations: [{key: 'gpu', operator: 'Exists'}]})).shouldRun,
      true,
    )
    assert.equal(
      nodeShouldRunDaemonPod(node({}, [{key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule'}]), ds())
        .shouldRun,
      true,
    )
    assert.equal(
      nodeShouldRunDaemonPod(node({}, [{key: 'node.kubernetes.io/not-ready', effect: 'NoExecute'}]), ds()).shouldRun,
      true,
    )
    const net = [{key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule'}]
    assert.equal(nodeShouldRunDaemonPod(node({}, net), ds()).shouldRun, false)
    assert.equal(nodeShouldRunDaemonPod(node({}, net), ds('x', {hostNetwork: true})).shouldRun, true)
    const aff = ds('x', {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{matchExpressions: [{key: 'zone', operator: 'In', values: ['a']}]}],
          },
        },
      },
    })
    assert.equal(nodeShouldRunDaemonPod(node({zone: 'a'}), aff).shouldRun, true)
    assert.equal(nodeShouldRunDaemonPod(node({zone: 'b'}), aff).shouldRun, false)
  })

  it('rolls out a new template one node at a time (maxUnavailable 1) and keeps the revisions', async () => {
    f.seed('apps/daemonsets', ds())
    f.start(new DaemonSetController(f.ctx))
    await readyAll(f)
    f.ctx.client.mutate('apps/daemonsets', NS, 'fluentd', (d: any) => {
      d.spec.template.spec.containers[0].image = 'fluentd:v2'
      return d
    })
    await f.settle()
    // One old pod is deleted, its replacement is created, and nothing more happens until it is ready.
    const images = Object.values(byNode(f))
    assert.equal(images.filter((i) => i === 'fluentd:v2').length, 1)
    assert.equal(images.length, 3)
    assert.equal(status(f).updatedNumberScheduled, 1)
    await readyAll(f)
    assert.deepEqual(byNode(f), {mkctl: 'fluentd:v2', 'mkctl-m02': 'fluentd:v2', 'mkctl-m03': 'fluentd:v2'})
    const st = status(f)
    assert.deepEqual([st.updatedNumberScheduled, st.numberAvailable, st.observedGeneration], [3, 3, 2])
    assert.equal(st.numberUnavailable, undefined)
    const revs = f
      .list('apps/controllerrevisions', NS)
      .map((r: any) => r.revision)
      .sort()
    assert.deepEqual(revs, [1, 2])
    assert.ok(pods(f).every((p) => p.metadata?.labels?.['pod-template-generation'] === '2'))
  })

  it('OnDelete does not replace old pods by itself', async () => {
    const d = ds() as any
    d.spec.updateStrategy = {type: 'OnDelete'}
    f.seed('apps/daemonsets', d)
    f.start(new DaemonSetController(f.ctx))
    await readyAll(f)
    f.ctx.client.mutate('apps/daemonsets', NS, 'fluentd', (x: any) => {
      x.spec.template.spec.containers[0].image = 'fluentd:v2'
      return x
    })
    await readyAll(f)
    assert.deepEqual(Object.values(byNode(f)), ['fluentd:v1', 'fluentd:v1', 'fluentd:v1'])
    const victim = pods(f).find((p) => targetNodeName(p) === 'mkctl-m02')!
    f.ctx.client.delete('pods', NS, String(victim.metadata?.name))
    await readyAll(f)
    assert.deepEqual(byNode(f), {mkctl: 'fluentd:v1', 'mkctl-m02': 'fluentd:v2', 'mkctl-m03': 'fluentd:v1'})
  })
})

describe('daemonset controller with the real kubectl', function () {
  this.timeout(60_000)
  let d: TestDaemon
  before(async function () {
    if (!kubectlAvailable()) this.skip()
    d = await startTestDaemon()
  })
  after(async () => d?.stop())

  // The daemon runs every controller and the kubelets: pods of a catalog image become Ready by themselves.
  const readyAllIn = () => d.settle()

  it('rollout status, history and undo work on a DaemonSet; kube-proxy is left alone', async () => {
    const obj = ds() as any
    obj.spec.template.spec.containers[0].image = 'nginx:1.27'
    const created = await d.kubectl(['apply', '-f', '-'], {input: JSON.stringify(obj)})
    assert.equal(created.code, 0, created.stderr)
    await readyAllIn()
    const st = await d.kubectl(['rollout', 'status', 'ds/fluentd', '--timeout=5s'])
    assert.equal(st.code, 0, st.stderr)
    assert.equal(st.stdout, 'daemon set "fluentd" successfully rolled out\n')
    const set = await d.kubectl(['set', 'image', 'ds/fluentd', 'agent=nginx:1.28'])
    assert.equal(set.code, 0, set.stderr)
    await readyAllIn()
    const hist = await d.kubectl(['rollout', 'history', 'ds/fluentd'])
    assert.equal(hist.stdout, 'daemonset.apps/fluentd \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n')
    const same = await d.kubectl(['rollout', 'undo', 'ds/fluentd', '--to-revision=2'])
    assert.match(same.stdout, /skipped rollback \(current template already matches revision 2\)/)
    const undo = await d.kubectl(['rollout', 'undo', 'ds/fluentd'])
    assert.equal(undo.stdout, 'daemonset.apps/fluentd rolled back\n')
    await readyAllIn()
    const img = await d.kubectl(['get', 'pods', '-o', 'jsonpath={.items[*].spec.containers[0].image}'])
    assert.equal(img.stdout, 'nginx:1.27')
    const proxy = await d.kubectl(['rollout', 'status', 'ds/kube-proxy', '-n', 'kube-system', '--timeout=5s'])
    assert.equal(proxy.stdout, 'daemon set "kube-proxy" successfully rolled out\n')
    const events = await d.kubectl(['get', 'events', '-n', 'kube-system', '-o', 'jsonpath={.items[*].reason}'])
    assert.doesNotMatch(events.stdout, /SuccessfulCreate|SuccessfulDelete/)
  })
})
