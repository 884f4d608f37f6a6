// replicaset.test.ts: the ReplicaSet controller (replica_set.go) in the one-sync fixture style (seed, run one
// sync, compare the writes) and settled scenarios. No scheduler or kubelet runs here, so pods are made Running and
// Ready by hand.
import assert from 'node:assert/strict'
import {statusError} from '../../../src/api/errors.js'
import type {KubeObject} from '../../../src/api/object.js'
import {rfc3339} from '../../../src/daemon/clock.js'
import type {Client} from '../../../src/daemon/controllers/framework/client.js'
import {BURST_REPLICAS, ReplicaSetController, replicaSetController} from '../../../src/daemon/controllers/replicaset.js'
import {fixture, type Fixture} from '../../helpers/cluster.js'

const NS = 'default'

function rs(
  name: string,
  replicas: number,
  extra: {minReadySeconds?: number; labels?: Record<string, string>} = {},
): KubeObject {
  const labels = extra.labels ?? {app: name}
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {name, namespace: NS, labels},
    spec: {
      replicas,
      ...(extra.minReadySeconds ? {minReadySeconds: extra.minReadySeconds} : {}),
      selector: {matchLabels: labels},
      template: {metadata: {labels}, spec: {containers: [{name: 'nginx', image: 'nginx:1.27'}]}},
    },
  }
}

function pod(
  name: string,
  labels: Record<string, string>,
  opts: {owner?: KubeObject; nodeName?: string; finalizers?: string[]} = {},
): KubeObject {
  const metadata: any = {name, namespace: NS, labels}
  if (opts.owner) {
    metadata.ownerReferences = [
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: opts.owner.metadata?.name,
        uid: opts.owner.metadata?.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]
  }
  if (opts.finalizers) metadata.finalizers = opts.finalizers
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata,
    spec: {...(opts.nodeName ? {nodeName: opts.nodeName} : {}), containers: [{name: 'nginx', image: 'nginx:1.27'}]},
  }
}

/** setPodStatus makes a pod Running (ready or not), as a kubelet would. */
function setPodStatus(
  f: Fixture,
  name: string,
  opts: {phase?: string; ready?: boolean; restarts?: number; readySince?: number} = {},
): void {
  f.ctx.client.mutate(
    'pods',
    NS,
    name,
    (p: any) => {
      const at = rfc3339(opts.readySince ?? f.clock.now())
      p.status = {
        ...p.status,
        phase: opts.phase ?? 'Running',
        conditions: [{type: 'Ready', status: opts.ready === false ? 'False' : 'True', lastTransitionTime: at}],
        containerStatuses: [
          {
            name: 'nginx',
            ready: opts.ready !== false,
            restartCount: opts.restarts ?? 0,
            image: 'nginx:1.27',
            imageID: '',
            started: true,
            state: {running: {startedAt: at}},
          },
        ],
      }
      return p
    },
    {subresource: 'status'},
  )
}

function podsOf(f: Fixture, owner: string): KubeObject[] {
  return f.list('pods', NS).filter((p) => p.metadata?.ownerReferences?.some((r) => r.name === owner && r.controller))
}

function eventsFor(f: Fixture, name: string): string[] {
  return f
    .list('events', NS)
    .filter((e: any) => e.involvedObject.name === name)
    .map((e: any) => `${e.type} ${e.reason} ${e.message}`)
}

describe('replicaset controller', () => {
  let f: Fixture
  beforeEach(() => (f = fixture()))
  afterEach(() => f.stop())

  it('creates the missing pods from the template, named by generateName, owned by the ReplicaSet', async () => {
    const [web] = f.seed('apps/replicasets', rs('web', 3))
    const c = replicaSetController(f.ctx) as ReplicaSetController
    const actions = await f.syncOnce(c, 'default/web')
    assert.deepEqual(
      actions.map((a) => `${a.verb} ${a.resource}${a.subresource ? '/' + a.subresource : ''}`),
      ['create pods', 'create pods', 'create pods', 'update apps/replicasets/status'],
    )
    const pods = podsOf(f, 'web')
    assert.equal(pods.length, 3)
    for (const p of pods) {
      assert.match(String(p.metadata?.name), /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/)
      assert.equal(p.metadata?.generateName, 'web-')
      assert.deepEqual(p.metadata?.labels, {app: 'web'})
      assert.deepEqual(p.metadata?.ownerReferences, [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'web',
          uid: web!.metadata?.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ])
    }
    const status = actions[3]!.object!.status as any
    assert.deepEqual(
      status,
      {replicas: 0, observedGeneration: 1},
      'status counts the pods seen before this sync created any',
    )
    assert.deepEqual(
      eventsFor(f, 'web').sort(),
      pods.map((p) => `Normal SuccessfulCreate Created pod: ${p.metadata?.name}`).sort(),
    )
    const ev: any = f.list('events', NS)[0]
    assert.equal(ev.source.component, 'replicaset-controller')
    // Next sync: nothing to create, status counts the three pods.
    const again = await f.syncOnce(c, 'default/web')
    assert.deepEqual(
      again.map((a) => `${a.verb} ${a.resource}/${a.subresource}`),
      ['update apps/replicasets/status'],
    )
    assert.deepEqual(again[0]!.object!.status, {replicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1})
  })

  it('creates at most 500 pods per sync in slow-start batches, and reaches 1000 in two syncs', async () => {
    f.seed('apps/replicasets', rs('big', 1000))
    const c = replicaSetController(f.ctx) as ReplicaSetController
    let actions = await f.syncOnce(c, 'default/big')
    assert.equal(actions.filter((a) => a.verb === 'create').length, BURST_REPLICAS)
    assert.ok(c.expectations.satisfied('default/big'), 'every creation was observed once its batch committed')
    actions = await f.syncOnce(c, 'default/big')
    assert.equal(actions.filter((a) => a.verb === 'create').length, 500)
    actions = await f.syncOnce(c, 'default/big')
    assert.equal(actions.filter((a) => a.verb === 'create').length, 0)
    assert.equal(podsOf(f, 'big').length, 1000)
    assert.equal((f.get('apps/replicasets', NS, 'big')!.status as any).replicas, 1000)
  })

  it('in the loop, scales 0 → 1000 with a handful of syncs', async () => {
    const c = replicaSetController(f.ctx) as ReplicaSetController
    let syncs = 0
    const sync = c.sync.bind(c)
    c.sync = (k) => {
      syncs++
      return sync(k)
    }
    f.start(c)
    f.ctx.client.create('apps/replicasets', rs('big', 1000))
    await f.settle()
    assert.equal(podsOf(f, 'big').length, 1000)
    assert.ok(syncs <= 6, `${syncs} syncs`)
  })

  it('does not act again while its creations are unobserved (expectations)', async () => {
    f.seed('apps/replicasets', rs('web', 2))
    const c = replicaSetController(f.ctx) as ReplicaSetController
    c.expectations.expect('default/web', 2, 0)
    const actions = await f.syncOnce(c, 'default/web')
    assert.deepEqual(
      actions.map((a) => a.verb),
      ['update'],
      'only the status',
    )
    assert.equal(podsOf(f, 'web').length, 0)
  })

  it('deletes the pods upstream ranks first: unscheduled, pending, not ready, fewer restarts last', async () => {
    const [web] = f.seed('apps/replicasets', rs('web', 5))
    const labels = {app: 'web'}
    f.seed(
      'pods',
      pod('unscheduled', labels, {owner: web}),
      pod('pending', labels, {owner: web, nodeName: 'mkctl'}),
      pod('notready', labels, {owner: web, nodeName: 'mkctl'}),
      pod('ready-restarts', labels, {owner: web, nodeName: 'mkctl'}),
      pod('ready', labels, {owner: web, nodeName: 'mkctl'}),
    )
    setPodStatus(f, 'pending', {phase: 'Pending', ready: false})
    setPodStatus(f, 'notready', {ready: false})
    setPodStatus(f, 'ready-restarts', {restarts: 3})
    setPodStatus(f, 'ready')
    const c = replicaSetController(f.ctx)
    const order: string[] = []
    for (let want = 4; want >= 1; want--) {
      f.ctx.client.mutate('apps/replicasets', NS, 'web', (o: any) => ((o.spec.replicas = want), o))
      const actions = await f.syncOnce(c as any, 'default/web')
      order.push(...actions.filter((a) => a.verb === 'delete').map((a) => a.name))
    }
    assert.deepEqual(order, ['unscheduled', 'pending', 'notready', 'ready-restarts'])
    assert.deepEqual(
      eventsFor(f, 'web')
        .filter((e) => e.includes('Delete'))
        .sort(),
      order.map((n) => `Normal SuccessfulDelete Deleted pod: ${n}`).sort(),
    )
  })

  it('prefers deleting pods doubled up on a node, and the most recently ready', async () => {
    const [web] = f.seed('apps/replicasets', rs('web', 4))
    const labels = {app: 'web'}
    f.seed(
      'pods',
      pod('a1', labels, {owner: web, nodeName: 'a'}),
      pod('a2', labels, {owner: web, nodeName: 'a'}),
      pod('b1', labels, {owner: web, nodeName: 'b'}),
      pod('c1', labels, {owner: web, nodeName: 'c'}),
    )
    const t = f.clock.now()
    setPodStatus(f, 'a1', {readySince: t - 3_600_000})
    setPodStatus(f, 'a2', {readySince: t - 3_600_000})
    setPodStatus(f, 'b1', {readySince: t - 4 * 3_600_000})
    setPodStatus(f, 'c1', {readySince: t - 1000})
    f.ctx.client.mutate('apps/replicasets', NS, 'web', (o: any) => ((o.spec.replicas = 1), o))
    const actions = await f.syncOnce(replicaSetController(f.ctx) as any, 'default/web')
    const deleted = actions.filter((a) => a.verb === 'delete').map((a) => a.name)
    assert.deepEqual(deleted.slice(0, 2).sort(), ['a1', 'a2'], 'the two pods sharing node a go first')
    assert.equal(deleted[2], 'c1', 'then the one ready most recently')
    assert.ok(f.get('pods', NS, 'b1'))
  })

  it('adopts matching orphans, releases owned pods that stopped matching, ignores pods of other controllers', async () => {
    const [web] = f.seed('apps/replicasets', rs('web', 2))
    const [other] = f.seed('apps/replicasets', rs('other', 0, {labels: {app: 'other'}}))
    f.seed(
      'pods',
      pod('orphan', {app: 'web'}),
      pod('mine-relabelled', {app: 'web-old'}, {owner: web}),
      pod('theirs', {app: 'web'}, {owner: other}),
    )
    const c = replicaSetController(f.ctx)
    const actions = await f.syncOnce(c as any, 'default/web')
    assert.deepEqual(
      actions
        .map((a) => `${a.verb} ${a.resource} ${a.name}`)
        .slice(0, 2)
        .sort(),
      ['update pods mine-relabelled', 'update pods orphan'],
    )
    assert.equal(f.get('pods', NS, 'orphan')!.metadata?.ownerReferences?.[0]?.uid, web!.metadata?.uid)
    assert.equal(f.get('pods', NS, 'mine-relabelled')!.metadata?.ownerReferences, undefined)
    assert.equal(f.get('pods', NS, 'theirs')!.metadata?.ownerReferences?.[0]?.uid, other!.metadata?.uid)
    // One pod was adopted, so one more is created to reach 2.
    assert.equal(actions.filter((a) => a.verb === 'create').length, 1)
    assert.equal(podsOf(f, 'web').length, 2)
  })

  it('does not count terminating pods and replaces them', async () => {
    const [web] = f.seed('apps/replicasets', rs('web', 2))
    f.seed(
      'pods',
      pod('keep', {app: 'web'}, {owner: web}),
      pod('going', {app: 'web'}, {owner: web, finalizers: ['test.mkctl.io/hold']}),
    )
    f.ctx.client.delete('pods', NS, 'going')
    assert.ok(f.get('pods', NS, 'going')?.metadata?.deletionTimestamp, 'held by its finalizer')
    const actions = await f.syncOnce(replicaSetController(f.ctx) as any, 'default/web')
    assert.equal(actions.filter((a) => a.verb === 'create').length, 1)
    assert.equal((actions.at(-1)!.object!.status as any).replicas, 1)
  })

  it('counts ready and available pods, re-syncing when minReadySeconds has passed', async () => {
    const [web] = f.seed('apps/replicasets', rs('web', 2, {minReadySeconds: 10}))
    f.seed('pods', pod('p1', {app: 'web'}, {owner: web}), pod('p2', {app: 'web'}, {owner: web}))
    setPodStatus(f, 'p1')
    setPodStatus(f, 'p2', {ready: false})
    const c = replicaSetController(f.ctx) as ReplicaSetController
    f.start(c)
    await f.settle()
    let st = f.get('apps/replicasets', NS, 'web')!.status as any
    assert.deepEqual(
      {r: st.replicas, ready: st.readyReplicas, avail: st.availableReplicas},
      {r: 2, ready: 1, avail: undefined},
    )
    await f.advance(10_000)
    st = f.get('apps/replicasets', NS, 'web')!.status as any
    assert.equal(st.availableReplicas, undefined, 'lastTransitionTime + 10 s must be strictly before now')
    await f.advance(1)
    st = f.get('apps/replicasets', NS, 'web')!.status as any
    assert.equal(st.availableReplicas, 1, 'the requeue fired when p1 became available')
    assert.equal(st.fullyLabeledReplicas, 2)
  })

  it('reports failed creations in a ReplicaFailure condition and FailedCreate events, and clears it later', async () => {
    f.seed('apps/replicasets', rs('web', 5))
    let allowed = 2
    const quotaMsg = 'pods "web-" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2'
    const client = new Proxy(f.ctx.client, {
      get(target, prop, recv) {
        if (prop === 'create') {
          return (ref: string, obj: KubeObject) => {
            if (ref === 'pods' && allowed-- <= 0) throw statusError(403, 'Forbidden', quotaMsg)
            return target.create(ref, obj)
          }
        }
        const v = Reflect.get(target, prop, recv)
        return typeof v === 'function' ? v.bind(target) : v
      },
    }) as Client
    const c = replicaSetController({...f.ctx, client}) as ReplicaSetController
    // The sync keeps what it created and asks for a retry with back-off (a throw would roll the pods back).
    const res = (await c.sync('default/web')) as {retryError?: unknown} | undefined
    assert.match(String((res?.retryError as Error | undefined)?.message), /exceeded quota/)
    f.cluster.manager.events.flush()
    // Slow start: a batch of 1 and a batch of 2 (one fails) — the remaining 2 are never attempted.
    assert.equal(podsOf(f, 'web').length, 2)
    assert.ok(c.expectations.satisfied('default/web'), 'failed and skipped creations are not expected')
    const st = f.get('apps/replicasets', NS, 'web')!.status as any
    assert.deepEqual(st.conditions, [
      {
        type: 'ReplicaFailure',
        status: 'True',
        lastTransitionTime: rfc3339(f.clock.now()),
        reason: 'FailedCreate',
        message: quotaMsg,
      },
    ])
    assert.deepEqual(
      eventsFor(f, 'web').filter((e) => e.startsWith('Warning')),
      [`Warning FailedCreate Error creating: ${quotaMsg}`],
    )
    allowed = 10
    await f.syncOnce(c, 'default/web')
    assert.equal(podsOf(f, 'web').length, 5)
    assert.equal((f.get('apps/replicasets', NS, 'web')!.status as any).conditions, undefined)
  })

  it('adopts the bootstrap coredns pod without creating or deleting any', async () => {
    const c = replicaSetController(f.ctx)
    const actions = await f.syncOnce(c as any, 'kube-system/coredns-668d6bf9bc')
    assert.deepEqual(
      actions.map((a) => `${a.verb} ${a.resource}`),
      ['update pods'],
    )
    const dns = f.list('pods', 'kube-system').filter((p) => p.metadata?.name?.startsWith('coredns-'))
    assert.equal(dns.length, 1)
    assert.equal(dns[0]!.metadata?.ownerReferences?.[0]?.name, 'coredns-668d6bf9bc')
    assert.deepEqual(await f.syncOnce(c as any, 'kube-system/coredns-668d6bf9bc'), [])
  })
})
