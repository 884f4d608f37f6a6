// statefulset.test.ts: the StatefulSet controller, in the one-sync fixture style (seed, run one sync, compare
// the writes) and as settle-based scenarios. No kubelet runs here, so tests mark pods Running and Ready by hand.
import assert from 'node:assert/strict'
import type {KubeObject} from '../../../src/api/object.js'
import {rfc3339} from '../../../src/daemon/clock.js'
import {statefulSetController, StatefulSetController} from '../../../src/daemon/controllers/statefulset.js'
import {
  hashControllerRevision,
  safeEncodeString,
  fnv32,
  templatePatch,
} from '../../../src/daemon/controllers/history.js'
import {fixture, type Fixture} from '../../helpers/cluster.js'
import {kubectlAvailable, startTestDaemon, type TestDaemon} from '../../helpers/daemon.js'

const NS = 'default'

function sts(
  name = 'web',
  opts: {
    replicas?: number
    parallel?: boolean
    partition?: number
    onDelete?: boolean
    claims?: boolean
    retain?: any
  } = {},
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: {name, namespace: NS},
    spec: {
      replicas: opts.replicas ?? 3,
      serviceName: 'nginx',
      selector: {matchLabels: {app: 'nginx'}},
      ...(opts.parallel ? {podManagementPolicy: 'Parallel'} : {}),
      ...(opts.onDelete ? {updateStrategy: {type: 'OnDelete'}} : {}),
      ...(opts.partition !== undefined
        ? {updateStrategy: {type: 'RollingUpdate', rollingUpdate: {partition: opts.partition}}}
        : {}),
      ...(opts.retain ? {persistentVolumeClaimRetentionPolicy: opts.retain} : {}),
      template: {
        metadata: {labels: {app: 'nginx'}},
        // No volumeMounts of "www": the registry's StatefulSet validation still rejects mounts of claim templates.
        spec: {containers: [{name: 'nginx', image: 'nginx:1.27', ports: [{containerPort: 80, name: 'web'}]}]},
      },
      ...(opts.claims === false
        ? {}
        : {
            volumeClaimTemplates: [
              {
                metadata: {name: 'www'},
                spec: {accessModes: ['ReadWriteOnce'], resources: {requests: {storage: '1Gi'}}},
              },
            ],
          }),
    },
  }
}

const podNames = (f: Fixture) =>
  f
    .list('pods', NS)
    .map((p) => String(p.metadata?.name))
    .sort()

function markReady(f: Fixture, name: string, ready = true) {
  f.ctx.client.mutate(
    'pods',
    NS,
    name,
    (p: any) => {
      p.status = {
        ...p.status,
        phase: 'Running',
        conditions: [{type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: rfc3339(f.clock.now())}],
      }
      return p
    },
    {subresource: 'status'},
  )
}

const status = (f: Fixture, name = 'web') => f.get('apps/statefulsets', NS, name)?.status as any
const events = (f: Fixture) => f.list('events', NS).map((e: any) => `${e.reason} ${e.message}`)

function setImage(f: Fixture, image: string, name = 'web') {
  f.ctx.client.mutate('apps/statefulsets', NS, name, (s: any) => {
    s.spec.template.spec.containers[0].image = image
    return s
  })
}

async function readyAll(f: Fixture, rounds = 10) {
  for (let i = 0; i < rounds; i++) {
    await f.settle()
    let changed = false
    for (const p of f.list('pods', NS)) {
      if ((p.status as any)?.phase !== 'Running' && !p.metadata?.deletionTimestamp) {
        markReady(f, String(p.metadata?.name))
        changed = true
      }
    }
    await f.settle()
    if (!changed) return
  }
}

describe('statefulset controller', () => {
  let f: Fixture
  beforeEach(() => (f = fixture()))
  afterEach(() => f.stop())

  it('hashes revisions as history.HashControllerRevision does (FNV-1 32, safe-encoded)', () => {
    // fnv32("") is the offset basis; FNV-1 of "a" is 0x050c5d7e.
    assert.equal(fnv32(''), 0x811c9dc5)
    assert.equal(fnv32('a'), 0x050c5d7e)
    assert.equal(
      safeEncodeString('0123'),
      'zbbc'
        .split('')
        .map((_, i) => 'bcdfghjklmnpqrstvwxz2456789'['0123'.charCodeAt(i) % 27])
        .join(''),
    )
    assert.match(hashControllerRevision('{}', 0), /^[bcdfghjklmnpqrstvwxz2456789]+$/)
    assert.equal(
      templatePatch({
        spec: {template: {metadata: {labels: {b: '1', a: '2'}}, spec: {containers: [{name: 'x', image: 'y'}]}}},
      }),
      '{"spec":{"template":{"$patch":"replace","metadata":{"creationTimestamp":null,"labels":{"a":"2","b":"1"}},"spec":{"containers":[{"image":"y","name":"x","resources":{}}]}}}}',
    )
  })

  it('first sync: a revision, the PVC of web-0, then web-0, and status', async () => {
    const [set] = f.seed('apps/statefulsets', sts())
    const c = new StatefulSetController(f.ctx)
    const actions = await f.syncOnce(c, 'default/web')
    assert.deepEqual(
      actions.map((a) => `${a.verb} ${a.resource}${a.subresource ? '/' + a.subresource : ''} ${a.name}`),
      [
        `create apps/controllerrevisions ${actions[0]!.name}`,
        'create persistentvolumeclaims www-web-0',
        'create pods web-0',
        'update apps/statefulsets/status web',
      ],
    )
    const rev = actions[0]!.object as any
    assert.match(rev.metadata.name, /^web-[bcdfghjklmnpqrstvwxz2456789]+$/)
    assert.equal(rev.revision, 1)
    assert.equal(rev.metadata.labels.app, 'nginx')
    assert.equal(rev.metadata.ownerReferences[0].uid, set!.metadata?.uid)
    assert.equal(rev.data.spec.template.$patch, 'replace')

    const pvc = actions[1]!.object as any
    assert.deepEqual(pvc.metadata.labels, {app: 'nginx'})
    assert.deepEqual(pvc.spec.resources.requests, {storage: '1Gi'})
    assert.equal(pvc.metadata.ownerReferences, undefined, 'Retain/Retain: the claim outlives the set')

    const pod = actions[2]!.object as any
    assert.equal(pod.metadata.generateName, 'web-')
    assert.deepEqual(pod.metadata.labels, {
      app: 'nginx',
      'apps.kubernetes.io/pod-index': '0',
      'controller-revision-hash': rev.metadata.name,
      'statefulset.kubernetes.io/pod-name': 'web-0',
    })
    assert.equal(pod.spec.hostname, 'web-0')
    assert.equal(pod.spec.subdomain, 'nginx')
    assert.deepEqual(pod.spec.volumes[0], {name: 'www', persistentVolumeClaim: {claimName: 'www-web-0'}})
    assert.deepEqual(pod.metadata.ownerReferences, [
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        name: 'web',
        uid: set!.metadata?.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ])

    const st = actions[3]!.object!.status as any
    assert.deepEqual(st, {
      observedGeneration: 1,
      replicas: 1,
      currentReplicas: 1,
      updatedReplicas: 1,
      currentRevision: rev.metadata.name,
      updateRevision: rev.metadata.name,
      collisionCount: 0,
      availableReplicas: 0,
    })
    assert.deepEqual(events(f).sort(), [
      'SuccessfulCreate create Claim www-web-0 Pod web-0 in StatefulSet web success',
      'SuccessfulCreate create Pod web-0 in StatefulSet web successful',
    ])
  })

  it('OrderedReady starts web-0, web-1, web-2 one at a time, each after the previous is Running and Ready', async () => {
    f.seed('apps/statefulsets', sts())
    f.start(...[statefulSetController(f.ctx)].flat())
    await f.settle()
    assert.deepEqual(podNames(f), ['web-0'])
    markReady(f, 'web-0', false)
    await f.settle()
    assert.deepEqual(podNames(f), ['web-0'], 'Running but not Ready is not enough')
    markReady(f, 'web-0')
    await f.settle()
    assert.deepEqual(podNames(f), ['web-0', 'web-1'])
    markReady(f, 'web-1')
    await f.settle()
    assert.deepEqual(podNames(f), ['web-0', 'web-1', 'web-2'])
    markReady(f, 'web-2')
    await f.settle()
    assert.deepEqual(
      f
        .list('persistentvolumeclaims', NS)
        .map((c) => c.metadata?.name)
        .sort(),
      ['www-web-0', 'www-web-1', 'www-web-2'],
    )
    const st = status(f)
    assert.equal(st.replicas, 3)
    assert.equal(st.readyReplicas, 3)
    assert.equal(st.availableReplicas, 3)
    assert.equal(st.currentReplicas, 3)
    assert.equal(st.updatedReplicas, 3)
    assert.equal(st.currentRevision, st.updateRevision)
    const creates = f
      .list('events', NS)
      .sort((a: any, b: any) => String(a.metadata.name).localeCompare(String(b.metadata.name)))
      .map((e: any) => e.message)
      .filter((m: string) => m.startsWith('create Pod'))
    assert.deepEqual(creates, [
      'create Pod web-0 in StatefulSet web successful',
      'create Pod web-1 in StatefulSet web successful',
      'create Pod web-2 in StatefulSet web successful',
    ])
  })

  it('scales down from the highest ordinal, one pod per sync, keeping the PVCs (Retain)', async () => {
    f.seed('apps/statefulsets', sts())
    const c = new StatefulSetController(f.ctx)
    f.start(c)
    await readyAll(f)
    assert.deepEqual(podNames(f), ['web-0', 'web-1', 'web-2'])
    f.cluster.manager.remove('statefulset')
    f.ctx.client.mutate('apps/statefulsets', NS, 'web', (s: any) => {
      s.spec.replicas = 1
      return s
    })
    const actions = await f.syncOnce(new StatefulSetController(f.ctx), 'default/web')
    assert.deepEqual(
      actions.filter((a) => a.verb === 'delete').map((a) => a.name),
      ['web-2'],
      'only the highest ordinal goes first',
    )
    const again = await f.syncOnce(new StatefulSetController(f.ctx), 'default/web')
    assert.deepEqual(
      again.filter((a) => a.verb === 'delete').map((a) => a.name),
      ['web-1'],
    )
    assert.deepEqual(podNames(f), ['web-0'])
    assert.equal(f.list('persistentvolumeclaims', NS).length, 3, 'claims are retained')
    assert.ok(events(f).includes('SuccessfulDelete delete Pod web-2 in StatefulSet web successful'))
  })

  it('does not scale down while a live replica is unhealthy (OrderedReady)', async () => {
    f.seed('apps/statefulsets', sts())
    f.start(new StatefulSetController(f.ctx))
    await readyAll(f)
    markReady(f, 'web-0', false)
    f.ctx.client.mutate('apps/statefulsets', NS, 'web', (s: any) => {
      s.spec.replicas = 1
      return s
    })
    await f.settle()
    assert.deepEqual(podNames(f), ['web-0', 'web-1', 'web-2'])
    markReady(f, 'web-0')
    await f.settle()
    assert.deepEqual(podNames(f), ['web-0'])
  })

  it('Parallel creates every pod in one sync and deletes them together', async () => {
    f.seed('apps/statefulsets', sts('web', {parallel: true}))
    const actions = await f.syncOnce(new StatefulSetController(f.ctx), 'default/web')
    assert.deepEqual(
      actions.filter((a) => a.resource === 'pods').map((a) => a.name),
      ['web-0', 'web-1', 'web-2'],
    )
    assert.equal(status(f).replicas, 3)
    f.ctx.client.mutate('apps/statefulsets', NS, 'web', (s: any) => {
      s.spec.replicas = 0
      return s
    })
    const down = await f.syncOnce(new StatefulSetController(f.ctx), 'default/web')
    assert.deepEqual(
      down.filter((a) => a.verb === 'delete').map((a) => a.name),
      ['web-2', 'web-1', 'web-0'],
    )
  })

  it('rolls out a partitioned update from the highest ordinal down, then completes when the partition drops', async () => {
    f.seed('apps/statefulsets', sts('web', {partition: 1}))
    f.start(new StatefulSetController(f.ctx))
    await readyAll(f)
    const rev1 = status(f).currentRevision
    setImage(f, 'nginx:1.28')
    await f.settle()
    const rev2 = status(f).updateRevision
    assert.notEqual(rev1, rev2)
    await readyAll(f)
    const images = () =>
      Object.fromEntries(f.list('pods', NS).map((p: any) => [p.metadata.name, p.spec.containers[0].image]))
    assert.deepEqual(images(), {'web-0': 'nginx:1.27', 'web-1': 'nginx:1.28', 'web-2': 'nginx:1.28'})
    let st = status(f)
    assert.equal(st.currentRevision, rev1)
    assert.equal(st.updatedReplicas, 2)
    assert.equal(st.currentReplicas, 1)
    f.ctx.client.mutate('apps/statefulsets', NS, 'web', (s: any) => {
      s.spec.updateStrategy.rollingUpdate.partition = 0
      return s
    })
    await readyAll(f)
    assert.deepEqual(images(), {'web-0': 'nginx:1.28', 'web-1': 'nginx:1.28', 'web-2': 'nginx:1.28'})
    st = status(f)
    assert.equal(st.currentRevision, rev2)
    assert.equal(st.updateRevision, rev2)
    assert.equal(st.currentReplicas, 3)
    assert.equal(st.updatedReplicas, 3)
    const revs = f.list('apps/controllerrevisions', NS).map((r: any) => [r.metadata.name, r.revision])
    assert.deepEqual(
      revs.sort((a, b) => a[1] - b[1]),
      [
        [rev1, 1],
        [rev2, 2],
      ],
    )
  })

  it('a rollback to an earlier template reuses its revision with the next number (rollout undo)', async () => {
    f.seed('apps/statefulsets', sts('web', {replicas: 1}))
    f.start(new StatefulSetController(f.ctx))
    await readyAll(f)
    const rev1 = status(f).updateRevision
    setImage(f, 'nginx:1.28')
    await readyAll(f)
    // kubectl rollout undo applies the stored patch as a strategic merge patch; the template is the same.
    setImage(f, 'nginx:1.27')
    await readyAll(f)
    assert.equal(status(f).updateRevision, rev1)
    assert.equal(status(f).currentRevision, rev1)
    const r1 = f.get('apps/controllerrevisions', NS, rev1) as any
    assert.equal(r1.revision, 3)
  })

  it('OnDelete leaves pods at the old revision until they are deleted', async () => {
    f.seed('apps/statefulsets', sts('web', {replicas: 2, onDelete: true, claims: false}))
    f.start(new StatefulSetController(f.ctx))
    await readyAll(f)
    setImage(f, 'nginx:1.28')
    await readyAll(f)
    assert.deepEqual(
      f.list('pods', NS).map((p: any) => p.spec.containers[0].image),
      ['nginx:1.27', 'nginx:1.27'],
    )
    f.ctx.client.delete('pods', NS, 'web-1')
    await readyAll(f)
    const img = Object.fromEntries(f.list('pods', NS).map((p: any) => [p.metadata.name, p.spec.containers[0].image]))
    assert.deepEqual(img, {'web-0': 'nginx:1.27', 'web-1': 'nginx:1.28'})
    assert.equal(status(f).updatedReplicas, 1)
  })

  it('persistentVolumeClaimRetentionPolicy Delete/Delete: claims owned by the set, then by the pod when scaled away', async () => {
    f.seed('apps/statefulsets', sts('web', {replicas: 2, retain: {whenDeleted: 'Delete', whenScaled: 'Delete'}}))
    f.start(new StatefulSetController(f.ctx))
    await readyAll(f)
    const set = f.get('apps/statefulsets', NS, 'web')!
    const refs = (n: string) =>
      (f.get('persistentvolumeclaims', NS, n)!.metadata?.ownerReferences ?? []).map((r) => `${r.kind}/${r.name}`)
    assert.deepEqual(refs('www-web-0'), ['StatefulSet/web'])
    assert.equal(
      f.get('persistentvolumeclaims', NS, 'www-web-0')!.metadata?.ownerReferences?.[0]?.uid,
      set.metadata?.uid,
    )
    const web1 = f.get('pods', NS, 'web-1')!
    f.cluster.manager.remove('statefulset')
    f.ctx.client.mutate('apps/statefulsets', NS, 'web', (s: any) => {
      s.spec.replicas = 1
      return s
    })
    await f.syncOnce(new StatefulSetController(f.ctx), 'default/web')
    assert.deepEqual(refs('www-web-1'), ['Pod/web-1'])
    assert.equal(
      f.get('persistentvolumeclaims', NS, 'www-web-1')!.metadata?.ownerReferences?.[0]?.uid,
      web1.metadata?.uid,
    )
    assert.deepEqual(refs('www-web-0'), ['StatefulSet/web'])
  })

  it('adopts an orphan pod named after the set and recreates a failed one', async () => {
    f.seed('apps/statefulsets', sts('web', {replicas: 1, claims: false}))
    f.seed('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {name: 'web-0', namespace: NS, labels: {app: 'nginx'}},
      spec: {containers: [{name: 'nginx', image: 'nginx:1.27'}]},
    })
    const c = new StatefulSetController(f.ctx)
    const actions = await f.syncOnce(c, 'default/web')
    assert.equal(actions.filter((a) => a.verb === 'create' && a.resource === 'pods').length, 0)
    const pod = f.get('pods', NS, 'web-0')!
    assert.equal(pod.metadata?.ownerReferences?.[0]?.kind, 'StatefulSet')
    f.ctx.client.mutate('pods', NS, 'web-0', (p: any) => ({...p, status: {...p.status, phase: 'Failed'}}), {
      subresource: 'status',
    })
    const again = await f.syncOnce(c, 'default/web')
    assert.deepEqual(
      again.filter((a) => a.resource === 'pods').map((a) => `${a.verb} ${a.name}`),
      ['delete web-0', 'create web-0'],
    )
    assert.ok(events(f).includes('RecreatingFailedPod StatefulSet default/web is recreating failed Pod web-0'))
  })

  it('keeps revisionHistoryLimit old revisions', async () => {
    const s = sts('web', {replicas: 1, claims: false}) as any
    s.spec.revisionHistoryLimit = 1
    f.seed('apps/statefulsets', s)
    f.start(new StatefulSetController(f.ctx))
    await readyAll(f)
    for (const img of ['nginx:1.28', 'nginx:1.29', 'nginx:1.30']) {
      setImage(f, img)
      await readyAll(f)
    }
    const revs = f
      .list('apps/controllerrevisions', NS)
      .map((r: any) => r.revision)
      .sort()
    assert.deepEqual(revs, [3, 4])
  })
})

describe('statefulset controller with the real kubectl', function () {
  this.timeout(60_000)
  let d: TestDaemon
  before(async function () {
    if (!kubectlAvailable()) this.skip()
    d = await startTestDaemon()
  })
  after(async () => d?.stop())

  async function readyAllIn(rounds = 10) {
    const c = d.daemon.cluster.manager.client
    const inf = d.daemon.cluster.manager.informers.for('pods')
    for (let i = 0; i < rounds; i++) {
      await d.settle()
      const pending = inf.list(NS).filter((p) => (p.status as any)?.phase !== 'Running')
      for (const p of pending) {
        c.mutate(
          'pods',
          NS,
          String(p.metadata?.name),
          (x: any) => {
            x.status = {
              ...x.status,
              phase: 'Running',
              conditions: [{type: 'Ready', status: 'True', lastTransitionTime: rfc3339(d.clock.now())}],
            }
            return x
          },
          {subresource: 'status'},
        )
      }
      if (pending.length === 0) return
    }
  }

  it('rollout status, history and undo work on a StatefulSet', async () => {
    const created = await d.kubectl(['apply', '-f', '-'], {input: JSON.stringify(sts('web', {replicas: 2}))})
    assert.equal(created.code, 0, created.stderr)
    await readyAllIn()
    const st = await d.kubectl(['rollout', 'status', 'sts/web', '--timeout=5s'])
    assert.equal(st.code, 0, st.stderr)
    // The apiserver defaults rollingUpdate.partition to 0, so kubectl takes its partitioned branch (as on a real cluster).
    assert.equal(st.stdout, 'partitioned roll out complete: 2 new pods have been updated...\n')
    const set = await d.kubectl(['set', 'image', 'sts/web', 'nginx=nginx:1.28'])
    assert.equal(set.code, 0, set.stderr)
    await readyAllIn()
    const hist = await d.kubectl(['rollout', 'history', 'sts/web'])
    assert.equal(hist.code, 0, hist.stderr)
    assert.equal(hist.stdout, 'statefulset.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n')
    const same = await d.kubectl(['rollout', 'undo', 'sts/web', '--to-revision=2'])
    assert.equal(same.code, 0, same.stderr)
    assert.match(same.stdout, /skipped rollback \(current template already matches revision 2\)/)
    const undo = await d.kubectl(['rollout', 'undo', 'sts/web'])
    assert.equal(undo.code, 0, undo.stderr)
    assert.equal(undo.stdout, 'statefulset.apps/web rolled back\n')
    await readyAllIn()
    const img = await d.kubectl(['get', 'pods', '-o', 'jsonpath={.items[*].spec.containers[0].image}'])
    assert.equal(img.stdout, 'nginx:1.27 nginx:1.27')
    const hist2 = await d.kubectl(['rollout', 'history', 'sts/web'])
    assert.match(hist2.stdout, /\n2 {9}<none>\n3 {9}<none>\n/)
  })
})
