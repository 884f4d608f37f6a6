// deployment.test.ts: the Deployment controller (pkg/controller/deployment) in the one-sync fixture style and in
// settled scenarios with the ReplicaSet controller, pods made Ready by hand (no kubelet runs here). The
// `rollout status` lines are derived from the status fields as kubectl derives them.
import assert from 'node:assert/strict'
import type {KubeObject} from '../../../src/api/object.js'
import {rfc3339} from '../../../src/daemon/clock.js'
import {DeploymentController, deploymentController} from '../../../src/daemon/controllers/deployment.js'
import {replicaSetController} from '../../../src/daemon/controllers/replicaset.js'
import {equalIgnoreHash, rolloutStatus} from '../../../src/daemon/controllers/util/deployment.js'
import {computeHash} from '../../../src/daemon/controllers/util/hash.js'
import type {Controller} from '../../../src/daemon/controllers/framework/types.js'
import {fixture, type Fixture} from '../../helpers/cluster.js'
import {kubectlAvailable, startTestDaemon, type TestDaemon} from '../../helpers/daemon.js'

const NS = 'default'
const HASH = /^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/

function deploy(name: string, replicas: number, image = 'nginx:1.27', spec: Record<string, unknown> = {}): KubeObject {
  const labels = {app: name}
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {name, namespace: NS, labels},
    spec: {
      replicas,
      selector: {matchLabels: labels},
      template: {metadata: {labels}, spec: {containers: [{name: 'nginx', image}]}},
      ...spec,
    },
  }
}

const getD = (f: Fixture, name = 'web') => f.get('apps/deployments', NS, name)! as any
const rsList = (f: Fixture) =>
  f
    .list('apps/replicasets', NS)
    .filter((r) => r.metadata?.ownerReferences?.some((o) => o.kind === 'Deployment')) as any[]
const sizes = (f: Fixture) =>
  Object.fromEntries(
    rsList(f)
      .sort(
        (a, b) =>
          Number(a.metadata.annotations['deployment.kubernetes.io/revision']) -
          Number(b.metadata.annotations['deployment.kubernetes.io/revision']),
      )
      .map((r) => [r.spec.template.spec.containers[0].image, r.spec.replicas]),
  )
const depEvents = (f: Fixture, name = 'web') =>
  f
    .list('events', NS)
    .filter((e: any) => e.involvedObject.kind === 'Deployment' && e.involvedObject.name === name)
    .map((e: any) => e.message)

/** readyPods marks every pending pod of the namespace Running and Ready (up to max); returns how many. */
function readyPods(f: Fixture, max = Infinity): number {
  let n = 0
  for (const p of f.list('pods', NS)) {
    if (n >= max) break
    const ready = (p.status as any)?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')
    if (ready || p.metadata?.deletionTimestamp) continue
    f.ctx.client.mutate(
      'pods',
      NS,
      String(p.metadata?.name),
      (o: any) => {
        const at = rfc3339(f.clock.now())
        o.status = {
          ...o.status,
          phase: 'Running',
          conditions: [{type: 'Ready', status: 'True', lastTransitionTime: at}],
        }
        return o
      },
      {subresource: 'status'},
    )
    n++
  }
  return n
}

/** rollOut settles, readies every pod and settles again until nothing is left pending. */
async function rollOut(f: Fixture): Promise<void> {
  await f.settle()
  while (readyPods(f) > 0) await f.settle()
}

function setImage(f: Fixture, image: string, name = 'web', cause?: string): void {
  f.ctx.client.mutate('apps/deployments', NS, name, (d: any) => {
    d.spec.template.spec.containers[0].image = image
    if (cause) d.metadata.annotations = {...d.metadata.annotations, 'kubernetes.io/change-cause': cause}
    return d
  })
}

describe('deployment controller', () => {
  let f: Fixture
  let dc: DeploymentController
  let rsc: Controller
  beforeEach(() => {
    f = fixture()
    dc = deploymentController(f.ctx) as DeploymentController
    rsc = replicaSetController(f.ctx) as Controller
  })
  afterEach(() => f.stop())

  it('creates the new ReplicaSet named by the pod-template-hash, with revision and replica annotations', async () => {
    const [d] = f.seed('apps/deployments', deploy('web', 3))
    const actions = await f.syncOnce(dc, 'default/web')
    assert.deepEqual(
      actions.map((a) => `${a.verb} ${a.resource}${a.subresource ? '/' + a.subresource : ''}`),
      // getNewReplicaSet records NewReplicaSetCreated, then syncRolloutStatus adds Available (two status writes upstream too).
      [
        'create apps/replicasets',
        'update apps/deployments',
        'update apps/deployments/status',
        'update apps/deployments/status',
      ],
    )
    const rs: any = actions[0]!.object
    const hash = computeHash((d as any).spec.template)
    assert.match(hash, HASH)
    assert.equal(rs.metadata.name, `web-${hash}`)
    assert.deepEqual(rs.metadata.labels, {app: 'web', 'pod-template-hash': hash})
    assert.deepEqual(rs.metadata.annotations, {
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
      'deployment.kubernetes.io/revision': '1',
    })
    assert.deepEqual(rs.spec.selector, {matchLabels: {app: 'web', 'pod-template-hash': hash}})
    assert.equal(rs.spec.replicas, 3)
    assert.deepEqual(rs.metadata.ownerReferences, [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'web',
        uid: d!.metadata?.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ])
    assert.ok(
      equalIgnoreHash(rs.spec.template, (d as any).spec.template),
      'the RS template is the deployment template plus the hash label',
    )
    assert.deepEqual(rs.spec.template.metadata.labels, {app: 'web', 'pod-template-hash': hash})
    const dep = getD(f)
    assert.equal(dep.metadata.annotations['deployment.kubernetes.io/revision'], '1')
    const now = rfc3339(f.clock.now())
    assert.deepEqual(dep.status, {
      observedGeneration: 1,
      unavailableReplicas: 3,
      conditions: [
        {
          type: 'Progressing',
          status: 'True',
          lastUpdateTime: now,
          lastTransitionTime: now,
          reason: 'NewReplicaSetCreated',
          message: `Created new replica set "web-${hash}"`,
        },
        {
          type: 'Available',
          status: 'False',
          lastUpdateTime: now,
          lastTransitionTime: now,
          reason: 'MinimumReplicasUnavailable',
          message: 'Deployment does not have minimum availability.',
        },
      ],
    })
    assert.equal(
      rolloutStatus(dep).message,
      'Waiting for deployment "web" rollout to finish: 0 out of 3 new replicas have been updated...\n',
    )
    assert.deepEqual(depEvents(f), [`Scaled up replica set web-${hash} from 0 to 3`])
    const ev: any = f.list('events', NS)[0]
    assert.equal(ev.source.component, 'deployment-controller')
    // The hash changes with the template and with collisionCount.
    assert.notEqual(computeHash((d as any).spec.template, 1), hash)
  })

  it('rolls out to completion with the conditions and rollout status lines kubectl shows', async () => {
    f.start(dc, rsc)
    f.ctx.client.create('apps/deployments', deploy('web', 3))
    await f.settle()
    let d = getD(f)
    const rsName = rsList(f)[0].metadata.name
    assert.equal(
      rolloutStatus(d).message,
      'Waiting for deployment "web" rollout to finish: 0 of 3 updated replicas are available...\n',
    )
    assert.deepEqual(
      {
        r: d.status.replicas,
        u: d.status.updatedReplicas,
        un: d.status.unavailableReplicas,
        g: d.status.observedGeneration,
      },
      {r: 3, u: 3, un: 3, g: 1},
    )
    assert.deepEqual(
      d.status.conditions.map((c: any) => [c.type, c.status, c.reason, c.message]),
      [
        ['Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.'],
        ['Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${rsName}" is progressing.`],
      ],
    )
    readyPods(f, 1)
    await f.settle()
    assert.equal(
      rolloutStatus(getD(f)).message,
      'Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...\n',
    )
    await rollOut(f)
    d = getD(f)
    assert.equal(rolloutStatus(d).message, 'deployment "web" successfully rolled out\n')
    assert.deepEqual(
      {
        r: d.status.replicas,
        u: d.status.updatedReplicas,
        ready: d.status.readyReplicas,
        a: d.status.availableReplicas,
        un: d.status.unavailableReplicas,
      },
      {r: 3, u: 3, ready: 3, a: 3, un: undefined},
    )
    assert.deepEqual(
      d.status.conditions.map((c: any) => [c.type, c.status, c.reason, c.message]),
      [
        ['Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
        ['Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${rsName}" has successfully progressed.`],
      ],
    )
    // Scale up and down: the one active ReplicaSet takes the new size, with the upstream event wording.
    f.ctx.client.mutate('apps/deployments', NS, 'web', (o: any) => ((o.spec.replicas = 5), o))
    await rollOut(f)
    f.ctx.client.mutate('apps/deployments', NS, 'web', (o: any) => ((o.spec.replicas = 2), o))
    await rollOut(f)
    assert.deepEqual(depEvents(f), [
      `Scaled up replica set ${rsName} from 0 to 3`,
      `Scaled up replica set ${rsName} from 3 to 5`,
      `Scaled down replica set ${rsName} from 5 to 2`,
    ])
    assert.equal(f.list('pods', NS).length, 2)
    assert.equal(rsList(f)[0].metadata.annotations['deployment.kubernetes.io/desired-replicas'], '2')
    assert.equal(rsList(f)[0].metadata.annotations['deployment.kubernetes.io/max-replicas'], '3')
  })

  it('rolling update keeps within maxSurge and maxUnavailable at every step', async () => {
    f.start(dc, rsc)
    f.ctx.client.create(
      'apps/deployments',
      deploy('web', 4, 'nginx:1.27', {
        strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: 1, maxUnavailable: 1}},
      }),
    )
    await rollOut(f)
    setImage(f, 'nginx:1.28')
    const steps: string[] = []
    for (let i = 0; i < 20; i++) {
      await f.settle()
      const pods = f.list('pods', NS)
      const ready = pods.filter((p) =>
        (p.status as any)?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'),
      )
      assert.ok(pods.length <= 5, `at most replicas + maxSurge pods (${pods.length})`)
      assert.ok(ready.length >= 3, `at least replicas - maxUnavailable available (${ready.length})`)
      const s = sizes(f)
      assert.ok(s['nginx:1.27'] + s['nginx:1.28'] <= 5)
      steps.push(`${s['nginx:1.27']}/${s['nginx:1.28']}`)
      if (rolloutStatus(getD(f)).done) break
      readyPods(f, 1)
    }
    assert.ok(rolloutStatus(getD(f)).done, steps.join(' '))
    // Surge to 5 pods, then old 4 → 3 leaves room for a second new pod; each ready new pod frees one old one.
    assert.deepEqual(steps, ['3/2', '2/3', '1/4', '0/4', '0/4'])
    const d = getD(f)
    assert.equal(d.metadata.annotations['deployment.kubernetes.io/revision'], '2')
    const newName = rsList(f).find((r) => r.spec.template.spec.containers[0].image === 'nginx:1.28').metadata.name
    const oldName = rsList(f).find((r) => r.spec.template.spec.containers[0].image === 'nginx:1.27').metadata.name
    assert.deepEqual(depEvents(f).slice(1), [
      `Scaled up replica set ${newName} from 0 to 1`,
      `Scaled down replica set ${oldName} from 4 to 3`,
      `Scaled up replica set ${newName} from 1 to 2`,
      `Scaled down replica set ${oldName} from 3 to 2`,
      `Scaled up replica set ${newName} from 2 to 3`,
      `Scaled down replica set ${oldName} from 2 to 1`,
      `Scaled up replica set ${newName} from 3 to 4`,
      `Scaled down replica set ${oldName} from 1 to 0`,
    ])
  })

  it('rolling update with the default 25%/25% on 10 replicas rounds surge up and unavailability down', async () => {
    f.start(dc, rsc)
    f.ctx.client.create('apps/deployments', deploy('web', 10))
    await rollOut(f)
    setImage(f, 'nginx:1.28')
    await f.settle()
    // maxSurge ceil(2.5) = 3 → new RS 3 (13 in all); maxUnavailable floor(2.5) = 2 → old RS 8, which lets
    // the new one grow to 5 while none of its pods is available.
    assert.deepEqual(sizes(f), {'nginx:1.27': 8, 'nginx:1.28': 5})
    assert.equal(
      rolloutStatus(getD(f)).message,
      'Waiting for deployment "web" rollout to finish: 5 out of 10 new replicas have been updated...\n',
    )
    await rollOut(f)
    assert.deepEqual(sizes(f), {'nginx:1.27': 0, 'nginx:1.28': 10})
  })

  it('Recreate scales the old ReplicaSet to zero and creates the new one only when its pods are gone', async () => {
    f.start(dc, rsc)
    f.ctx.client.create('apps/deployments', deploy('web', 3, 'nginx:1.27', {strategy: {type: 'Recreate'}}))
    await rollOut(f)
    // Hold one old pod with a finalizer, so it stays Terminating after the scale-down.
    const held = f.list('pods', NS)[0]!
    f.ctx.client.mutate(
      'pods',
      NS,
      String(held.metadata?.name),
      (p) => ((p.metadata!.finalizers = ['test.mkctl.io/hold']), p),
    )
    setImage(f, 'nginx:1.28')
    await f.settle()
    assert.deepEqual(sizes(f), {'nginx:1.27': 0}, 'no new ReplicaSet while an old pod remains')
    assert.equal(f.list('pods', NS).length, 1)
    f.ctx.client.mutate('pods', NS, String(held.metadata?.name), (p) => ((p.metadata!.finalizers = []), p))
    await f.settle()
    assert.deepEqual(sizes(f), {'nginx:1.27': 0, 'nginx:1.28': 3})
    await rollOut(f)
    assert.ok(rolloutStatus(getD(f)).done)
    const names = rsList(f).map((r) => r.metadata.name)
    assert.deepEqual(depEvents(f).slice(1), [
      `Scaled down replica set ${names.find((n) => n !== rsList(f).find((r) => r.spec.replicas === 3).metadata.name)} from 3 to 0`,
      `Scaled up replica set ${rsList(f).find((r) => r.spec.replicas === 3).metadata.name} from 0 to 3`,
    ])
  })

  it('undo by template reuses the old ReplicaSet with revision max+1 and keeps the old number in revision-history', async () => {
    f.start(dc, rsc)
    f.ctx.client.create('apps/deployments', deploy('web', 2))
    await rollOut(f)
    setImage(f, 'nginx:1.28', 'web', 'kubectl set image deployment/web nginx=nginx:1.28')
    await rollOut(f)
    const v1: any = rsList(f).find((r) => r.spec.template.spec.containers[0].image === 'nginx:1.27')
    const v2: any = rsList(f).find((r) => r.spec.template.spec.containers[0].image === 'nginx:1.28')
    assert.equal(
      v2.metadata.annotations['kubernetes.io/change-cause'],
      'kubectl set image deployment/web nginx=nginx:1.28',
    )
    assert.deepEqual(
      [
        v1.metadata.annotations['deployment.kubernetes.io/revision'],
        v2.metadata.annotations['deployment.kubernetes.io/revision'],
      ],
      ['1', '2'],
    )
    // What kubectl 1.32's `rollout undo` sends: the revision's template without the hash label, and annotations.
    f.ctx.client.mutate('apps/deployments', NS, 'web', (d: any) => {
      const tpl = structuredClone(v1.spec.template)
      delete tpl.metadata.labels['pod-template-hash']
      d.spec.template = tpl
      const keep = Object.fromEntries(
        Object.entries(d.metadata.annotations).filter(([k]) => k.startsWith('deployment.kubernetes.io/')),
      )
      d.metadata.annotations = keep
      return d
    })
    await rollOut(f)
    assert.equal(rsList(f).length, 2, 'no third ReplicaSet')
    const back: any = f.get('apps/replicasets', NS, v1.metadata.name)
    assert.equal(back.spec.replicas, 2)
    assert.equal(back.metadata.annotations['deployment.kubernetes.io/revision'], '3')
    assert.equal(back.metadata.annotations['deployment.kubernetes.io/revision-history'], '1')
    assert.equal(getD(f).metadata.annotations['deployment.kubernetes.io/revision'], '3')
    assert.equal((f.get('apps/replicasets', NS, v2.metadata.name) as any).spec.replicas, 0)
    assert.ok(rolloutStatus(getD(f)).done)
    assert.ok(f.list('pods', NS).every((p: any) => p.spec.containers[0].image === 'nginx:1.27'))
  })

  it('keeps revisionHistoryLimit old ReplicaSets, deleting the oldest empty ones', async () => {
    f.start(dc, rsc)
    f.ctx.client.create('apps/deployments', deploy('web', 1, 'nginx:1.25', {revisionHistoryLimit: 1}))
    await rollOut(f)
    for (const tag of ['1.26', '1.27', '1.28']) {
      setImage(f, `nginx:${tag}`)
      await rollOut(f)
    }
    const left = rsList(f)
      .map((r) => [
        r.spec.template.spec.containers[0].image,
        r.metadata.annotations['deployment.kubernetes.io/revision'],
      ])
      .sort()
    assert.deepEqual(left, [
      ['nginx:1.27', '3'],
      ['nginx:1.28', '4'],
    ])
  })

  it('a paused Deployment does not roll out; resuming does, with the paused/resumed conditions', async () => {
    f.start(dc, rsc)
    f.ctx.client.create('apps/deployments', deploy('web', 2))
    await rollOut(f)
    f.ctx.client.mutate('apps/deployments', NS, 'web', (d: any) => ((d.spec.paused = true), d))
    setImage(f, 'nginx:1.28')
    await rollOut(f)
    assert.deepEqual(sizes(f), {'nginx:1.27': 2})
    let prog = getD(f).status.conditions.find((c: any) => c.type === 'Progressing')
    assert.deepEqual([prog.status, prog.reason, prog.message], ['Unknown', 'DeploymentPaused', 'Deployment is paused'])
    // Scaling still works while paused.
    f.ctx.client.mutate('apps/deployments', NS, 'web', (d: any) => ((d.spec.replicas = 3), d))
    await rollOut(f)
    assert.deepEqual(sizes(f), {'nginx:1.27': 3})
    assert.equal(getD(f).status.observedGeneration, getD(f).metadata.generation)
    f.ctx.client.mutate('apps/deployments', NS, 'web', (d: any) => ((d.spec.paused = false), d))
    await f.settle()
    prog = getD(f).status.conditions.find((c: any) => c.type === 'Progressing')
    assert.equal(prog.reason, 'ReplicaSetUpdated', 'resumed, then progressing again')
    await rollOut(f)
    assert.deepEqual(sizes(f), {'nginx:1.27': 0, 'nginx:1.28': 3})
    assert.ok(rolloutStatus(getD(f)).done)
  })

  it('records DeploymentResumed in one sync', async () => {
    f.seed('apps/deployments', deploy('web', 1, 'nginx:1.27', {paused: true}))
    await f.syncOnce(dc, 'default/web')
    assert.equal(getD(f).status.conditions.find((c: any) => c.type === 'Progressing').reason, 'DeploymentPaused')
    assert.equal(rsList(f).length, 0, 'paused before its first rollout: no ReplicaSet')
    f.ctx.client.mutate('apps/deployments', NS, 'web', (d: any) => ((d.spec.paused = false), d))
    const actions = await f.syncOnce(dc, 'default/web')
    const statuses = actions
      .filter((a) => a.subresource === 'status')
      .map((a) => (a.object!.status as any).conditions.find((c: any) => c.type === 'Progressing'))
    assert.deepEqual(
      [statuses[0].status, statuses[0].reason, statuses[0].message],
      ['Unknown', 'DeploymentResumed', 'Deployment is resumed'],
    )
  })

  it('a rollout that makes no progress for progressDeadlineSeconds gets ProgressDeadlineExceeded', async () => {
    f.start(dc, rsc)
    f.ctx.client.create('apps/deployments', deploy('web', 2, 'nginx:1.27', {progressDeadlineSeconds: 60}))
    await f.settle()
    await f.advance(30_000)
    readyPods(f, 1)
    await f.settle()
    const prog = () => getD(f).status.conditions.find((c: any) => c.type === 'Progressing')
    assert.equal(prog().reason, 'ReplicaSetUpdated')
    assert.equal(prog().lastUpdateTime, rfc3339(f.clock.now()), 'progress moved lastUpdateTime')
    await f.advance(60_000)
    assert.equal(prog().reason, 'ReplicaSetUpdated', 'exactly at the deadline it has not passed yet')
    await f.advance(1_000)
    const rsName = rsList(f)[0].metadata.name
    assert.deepEqual(
      [prog().status, prog().reason, prog().message],
      ['False', 'ProgressDeadlineExceeded', `ReplicaSet "${rsName}" has timed out progressing.`],
    )
    assert.equal(rolloutStatus(getD(f)).error, 'deployment "web" exceeded its progress deadline')
    // A later success replaces it.
    await rollOut(f)
    assert.deepEqual([prog().status, prog().reason], ['True', 'NewReplicaSetAvailable'])
  })

  it('a completed rollout that later loses a ready pod neither times out nor requeues itself as time passes', async () => {
    f.start(dc, rsc)
    f.ctx.client.create('apps/deployments', deploy('web', 2, 'nginx:1.27', {progressDeadlineSeconds: 60}))
    await rollOut(f)
    const pod = f.list('pods', NS)[0]!
    f.ctx.client.mutate(
      'pods',
      NS,
      String(pod.metadata?.name),
      (o: any) => ((o.status = {...o.status, conditions: [{type: 'Ready', status: 'False'}]}), o),
      {subresource: 'status'},
    )
    await f.settle()
    const d = () => getD(f)
    assert.equal(d().status.availableReplicas, 1)
    let syncs = 0
    const sync = dc.sync.bind(dc)
    dc.sync = (key: string) => (syncs++, sync(key))
    await f.advance(300_000)
    const prog = d().status.conditions.find((c: any) => c.type === 'Progressing')
    assert.equal(prog.reason, 'NewReplicaSetAvailable', 'a completed rollout stays complete, as upstream')
    assert.ok(syncs < 10, `${syncs} syncs in five quiet minutes past the deadline`)
  })

  it('adopts an orphan ReplicaSet matching its selector and releases one that stopped matching', async () => {
    const [d] = f.seed('apps/deployments', deploy('web', 1))
    await f.syncOnce(dc, 'default/web')
    const mine = rsList(f)[0]
    const tpl = structuredClone((d as any).spec.template)
    tpl.spec.containers[0].image = 'nginx:1.20'
    f.seed('apps/replicasets', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {name: 'stray', namespace: NS, labels: {app: 'web'}},
      spec: {
        replicas: 0,
        selector: {matchLabels: {app: 'web', v: '1.20'}},
        template: {...tpl, metadata: {labels: {app: 'web', v: '1.20'}}},
      },
    })
    f.ctx.client.mutate('apps/replicasets', NS, mine.metadata.name, (r: any) => ((r.metadata.labels = {other: 'x'}), r))
    // The released ReplicaSet keeps the name the new one would take: a hash collision, as upstream.
    await assert.rejects(async () => f.syncOnce(dc, 'default/web'), /already exists/)
    assert.equal((f.get('apps/replicasets', NS, 'stray') as any).metadata.ownerReferences[0].uid, d!.metadata?.uid)
    assert.equal((f.get('apps/replicasets', NS, mine.metadata.name) as any).metadata.ownerReferences, undefined)
    assert.equal(getD(f).status.collisionCount, 1)
    const actions = await f.syncOnce(dc, 'default/web')
    assert.equal(actions[0]!.verb, 'create')
    assert.equal(actions[0]!.name, `web-${computeHash((d as any).spec.template, 1)}`)
    assert.notEqual(actions[0]!.name, mine.metadata.name)
  })

  it('takes over the bootstrap coredns Deployment and ReplicaSet without any change', async () => {
    assert.deepEqual(await f.syncOnce(dc, 'kube-system/coredns'), [])
    f.start(dc, rsc)
    await f.settle()
    assert.equal(f.list('apps/replicasets', 'kube-system').length, 1)
    assert.equal(f.list('pods', 'kube-system').filter((p) => p.metadata?.name?.startsWith('coredns-')).length, 1)
    assert.ok(rolloutStatus(f.get('apps/deployments', 'kube-system', 'coredns')!).done)
  })

  it('scales a Deployment from 0 to 1000 replicas in a handful of syncs', async () => {
    const counts = {deployment: 0, replicaset: 0}
    for (const c of [dc, rsc] as Controller[]) {
      const sync = c.sync.bind(c)
      c.sync = (k) => {
        counts[c.name as keyof typeof counts]++
        return sync(k)
      }
    }
    f.start(dc, rsc)
    f.ctx.client.create('apps/deployments', deploy('web', 0))
    await f.settle()
    counts.deployment = counts.replicaset = 0
    f.ctx.client.mutate('apps/deployments', NS, 'web', (o: any) => ((o.spec.replicas = 1000), o))
    await f.settle()
    assert.equal(f.list('pods', NS).length, 1000)
    assert.equal(getD(f).status.replicas, 1000)
    assert.ok(counts.replicaset <= 6 && counts.deployment <= 8, JSON.stringify(counts))
  })

  it('scales proportionally when resized in the middle of a rollout', async () => {
    f.start(dc, rsc)
    f.ctx.client.create('apps/deployments', deploy('web', 10))
    await rollOut(f)
    setImage(f, 'nginx:1.28')
    await f.settle()
    assert.deepEqual(sizes(f), {'nginx:1.27': 8, 'nginx:1.28': 5})
    f.ctx.client.mutate('apps/deployments', NS, 'web', (d: any) => ((d.spec.replicas = 20), d))
    await f.settle()
    // allowed = 20 + 5 = 25, 13 now: +12 shared by size against max-replicas 13 (8*25/13 → 15, 5*25/13 → 10).
    assert.deepEqual(sizes(f), {'nginx:1.27': 15, 'nginx:1.28': 10})
    const big = rsList(f).find((r) => r.spec.replicas === 15).metadata.name
    const small = rsList(f).find((r) => r.spec.replicas === 10).metadata.name
    assert.deepEqual(depEvents(f).slice(-2), [
      `Scaled up replica set ${big} from 8 to 15`,
      `Scaled up replica set ${small} from 5 to 10`,
    ])
    await rollOut(f)
    assert.deepEqual(sizes(f), {'nginx:1.27': 0, 'nginx:1.28': 20})
  })
})

describe('deployment controller with the real kubectl', function () {
  let d: TestDaemon
  before(async function () {
    if (!kubectlAvailable()) this.skip()
    d = await startTestDaemon()
  })
  after(async () => d?.stop())

  /** rollOut settles and readies pending pods (no kubelet here) until the rollout has nothing left to do. */
  async function rollOut(): Promise<void> {
    const c = d.daemon.cluster.manager.client
    for (;;) {
      await d.settle()
      const pending = d.daemon.cluster.manager.informers
        .for('pods')
        .list(NS)
        .filter((p) => !(p.status as any)?.conditions?.some((x: any) => x.type === 'Ready' && x.status === 'True'))
      if (pending.length === 0) return
      for (const p of pending) {
        c.mutate(
          'pods',
          NS,
          String(p.metadata?.name),
          (o: any) => (
            (o.status = {
              ...o.status,
              phase: 'Running',
              conditions: [{type: 'Ready', status: 'True', lastTransitionTime: rfc3339(d.clock.now())}],
            }),
            o
          ),
          {subresource: 'status'},
        )
      }
    }
  }

  it('rollout status, set image, history, describe and undo agree with the controller', async () => {
    const ok = async (args: string[]) => {
      const r = await d.kubectl(args)
      assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`)
      return r.stdout
    }
    await ok(['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2'])
    await rollOut()
    assert.equal(
      await ok(['rollout', 'status', 'deployment/web', '--timeout=5s']),
      'deployment "web" successfully rolled out\n',
    )
    await ok(['set', 'image', 'deployment/web', 'nginx=nginx:1.28'])
    await ok(['annotate', 'deployment/web', 'kubernetes.io/change-cause=to 1.28'])
    await rollOut()
    assert.match(
      await ok(['rollout', 'history', 'deployment/web']),
      /^deployment\.apps\/web \nREVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+to 1\.28\n\n$/,
    )
    const rss = d.daemon.cluster.manager.informers.for('apps/replicasets').list(NS) as any[]
    const v1 = rss.find((r) => r.spec.template.spec.containers[0].image === 'nginx:1.27')
    const v2 = rss.find((r) => r.spec.template.spec.containers[0].image === 'nginx:1.28')
    const desc = await ok(['describe', 'deployment', 'web'])
    assert.match(desc, new RegExp(`NewReplicaSet:\\s+${v2.metadata.name} \\(2/2 replicas created\\)`))
    assert.match(desc, new RegExp(`OldReplicaSets:\\s+${v1.metadata.name} \\(0/0 replicas created\\)`))
    assert.match(desc, /Available\s+True\s+MinimumReplicasAvailable/)
    assert.match(desc, /Progressing\s+True\s+NewReplicaSetAvailable/)
    assert.match(
      desc,
      new RegExp(
        `ScalingReplicaSet\\s+.*deployment-controller\\s+Scaled up replica set ${v2.metadata.name} from 0 to 1`,
      ),
    )
    assert.equal(await ok(['rollout', 'undo', 'deployment/web']), 'deployment.apps/web rolled back\n')
    await rollOut()
    assert.match(
      await ok(['rollout', 'history', 'deployment/web']),
      /^deployment\.apps\/web \nREVISION\s+CHANGE-CAUSE\n2\s+to 1\.28\n3\s+<none>\n\n$/,
    )
    assert.match(
      await ok(['describe', 'deployment', 'web']),
      new RegExp(`NewReplicaSet:\\s+${v1.metadata.name} \\(2/2 replicas created\\)`),
    )
    assert.equal(
      await ok([
        'get',
        'rs',
        v1.metadata.name,
        '-o',
        'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}',
      ]),
      '3',
    )
    assert.equal(
      await ok(['rollout', 'status', 'deployment/web', '--timeout=5s']),
      'deployment "web" successfully rolled out\n',
    )
    assert.equal(
      d.daemon.cluster.manager.informers.for('apps/replicasets').list(NS).length,
      2,
      'undo made no third ReplicaSet',
    )
  })
})
