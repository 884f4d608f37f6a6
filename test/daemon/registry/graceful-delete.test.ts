// graceful-delete.test.ts: DELETE as the apiserver does it (rest.BeforeDelete, pod CheckGracefulDelete, store.go
// deletionFinalizersForGarbageCollection): Terminating pods with a grace period that can only shrink, immediate
// deletion of unscheduled and finished pods, finalizers, and the finalizers the propagation policy adds.
import assert from 'node:assert/strict'
import {fixture, type Fixture} from '../../helpers/cluster.js'
import {resolveResource} from '../../../src/daemon/controllers/framework/informer.js'
import {rfc3339} from '../../../src/daemon/clock.js'
import type {RegistryEvent} from '../../../src/daemon/registry/generic.js'
import {StatusError} from '../../../src/api/errors.js'

const pod = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {name, namespace: 'default'},
  spec: {containers: [{name: 'c', image: 'nginx'}], ...spec},
})

describe('graceful deletion', () => {
  let f: Fixture
  beforeEach(() => (f = fixture()))
  afterEach(() => f.stop())
  const r = (ref: string) => resolveResource(f.cluster.resources(), ref)
  const del = (ref: string, name: string, opts = {}) => f.cluster.registry.delete(r(ref), 'default', name, opts)

  it('keeps a bound pod Terminating for its grace period, with the timestamps set', () => {
    f.seed('pods', pod('p', {nodeName: 'mkctl'}))
    const events: RegistryEvent[] = []
    const stop = f.cluster.registry.watch(
      r('pods'),
      'default',
      {resourceVersion: String(f.cluster.registry.currentRevision())},
      (e) => events.push(e),
    )
    const now = f.clock.now()
    const out = del('pods', 'p').object as any
    stop()
    assert.equal(out.metadata.deletionTimestamp, rfc3339(now + 30_000))
    assert.equal(out.metadata.deletionGracePeriodSeconds, 30)
    assert.ok(f.get('pods', 'default', 'p'), 'the pod is still there')
    assert.deepEqual(
      events.map((e) => e.type),
      ['MODIFIED'],
    )
  })

  it('uses spec.terminationGracePeriodSeconds, and the request grace period over it', () => {
    f.seed(
      'pods',
      pod('a', {nodeName: 'mkctl', terminationGracePeriodSeconds: 5}),
      pod('b', {nodeName: 'mkctl', terminationGracePeriodSeconds: 5}),
    )
    assert.equal((del('pods', 'a').object as any).metadata.deletionGracePeriodSeconds, 5)
    assert.equal((del('pods', 'b', {gracePeriodSeconds: 2}).object as any).metadata.deletionGracePeriodSeconds, 2)
  })

  it('lets a second DELETE shorten the grace period but never lengthen it', () => {
    f.seed('pods', pod('p', {nodeName: 'mkctl'}))
    const t0 = f.clock.now()
    del('pods', 'p')
    f.clock.advance(4_000)
    const longer = del('pods', 'p', {gracePeriodSeconds: 60}).object as any
    assert.equal(longer.metadata.deletionGracePeriodSeconds, 30)
    assert.equal(longer.metadata.deletionTimestamp, rfc3339(t0 + 30_000))
    const shorter = del('pods', 'p', {gracePeriodSeconds: 10}).object as any
    assert.equal(shorter.metadata.deletionGracePeriodSeconds, 10)
    assert.equal(
      shorter.metadata.deletionTimestamp,
      rfc3339(t0 + 10_000),
      'moved back by the difference, from the first request',
    )
    assert.ok(f.get('pods', 'default', 'p'))
  })

  it('deletes with grace 0 at once (after a MODIFIED with the deletion stamp), checking the uid precondition', () => {
    const [p] = f.seed('pods', pod('p', {nodeName: 'mkctl'}))
    del('pods', 'p')
    assert.throws(
      () => del('pods', 'p', {gracePeriodSeconds: 0, preconditions: {uid: 'other'}}),
      (e: StatusError) => e.reason === 'Conflict',
    )
    const events: RegistryEvent[] = []
    const stop = f.cluster.registry.watch(
      r('pods'),
      'default',
      {resourceVersion: String(f.cluster.registry.currentRevision())},
      (e) => events.push(e),
    )
    const out = del('pods', 'p', {gracePeriodSeconds: 0, preconditions: {uid: p!.metadata!.uid}}).object as any
    stop()
    assert.equal(out.metadata.deletionGracePeriodSeconds, 0)
    assert.equal(f.get('pods', 'default', 'p'), undefined)
    assert.deepEqual(
      events.map((e) => e.type),
      ['MODIFIED', 'DELETED'],
    )
  })

  it('deletes an unscheduled pod and a finished pod at once', async () => {
    f.seed('pods', pod('pending'), pod('done', {nodeName: 'mkctl'}))
    f.ctx.client.mutate(
      'pods',
      'default',
      'done',
      (p) => ({...p, status: {...(p.status as object), phase: 'Succeeded'}}),
      {subresource: 'status'},
    )
    del('pods', 'pending')
    del('pods', 'done')
    assert.equal(f.get('pods', 'default', 'pending'), undefined)
    assert.equal(f.get('pods', 'default', 'done'), undefined)
  })

  it('keeps a Terminating pod through status updates and finalizer removal until its grace-0 delete', () => {
    f.seed('pods', {
      ...pod('p', {nodeName: 'mkctl'}),
      metadata: {name: 'p', namespace: 'default', finalizers: ['example.com/x']},
    })
    del('pods', 'p')
    f.ctx.client.mutate('pods', 'default', 'p', (p) => ({...p, status: {...(p.status as object), phase: 'Running'}}), {
      subresource: 'status',
    })
    f.ctx.client.mutate('pods', 'default', 'p', (p) => ({...p, metadata: {...p.metadata, finalizers: []}}))
    assert.ok(f.get('pods', 'default', 'p'), 'a running graceful deletion is not cut short by an update')
    del('pods', 'p', {gracePeriodSeconds: 0})
    assert.equal(f.get('pods', 'default', 'p'), undefined)
  })

  it('does not delete other kinds gracefully: finalizers hold them with grace 0 until removed', () => {
    f.seed('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {name: 'c', namespace: 'default', finalizers: ['example.com/x']},
    })
    const now = f.clock.now()
    const out = del('configmaps', 'c').object as any
    assert.equal(out.metadata.deletionTimestamp, rfc3339(now))
    assert.equal(out.metadata.deletionGracePeriodSeconds, 0)
    f.clock.advance(5_000)
    assert.equal(
      (del('configmaps', 'c').object as any).metadata.deletionTimestamp,
      rfc3339(now),
      'a second DELETE keeps the stamp',
    )
    f.ctx.client.mutate('configmaps', 'default', 'c', (c) => ({...c, metadata: {...c.metadata, finalizers: []}}))
    assert.equal(f.get('configmaps', 'default', 'c'), undefined)
    f.seed('configmaps', {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'plain', namespace: 'default'}})
    assert.equal(del('configmaps', 'plain').status?.status, 'Success')
    assert.equal(f.get('configmaps', 'default', 'plain'), undefined)
  })

  it('adds the orphan or foregroundDeletion finalizer the propagation policy asks for', () => {
    const deploy = (name: string) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {name, namespace: 'default'},
      spec: {
        selector: {matchLabels: {app: name}},
        template: {metadata: {labels: {app: name}}, spec: {containers: [{name: 'c', image: 'nginx'}]}},
      },
    })
    f.seed('apps/deployments', deploy('o'), deploy('fg'), deploy('bg'))
    const o = del('apps/deployments', 'o', {propagationPolicy: 'Orphan'}).object as any
    assert.deepEqual(o.metadata.finalizers, ['orphan'])
    assert.equal(o.metadata.deletionGracePeriodSeconds, 0)
    assert.equal(o.metadata.generation, 2, 'marking an object deleted moves its generation')
    assert.deepEqual(
      (del('apps/deployments', 'fg', {propagationPolicy: 'Foreground'}).object as any).metadata.finalizers,
      ['foregroundDeletion'],
    )
    assert.equal(del('apps/deployments', 'bg').status?.status, 'Success')
    assert.equal(f.get('apps/deployments', 'default', 'bg'), undefined)
    // A later DELETE may switch the policy of an object held by finalizers.
    assert.deepEqual(
      (del('apps/deployments', 'o', {propagationPolicy: 'Foreground'}).object as any).metadata.finalizers,
      ['foregroundDeletion'],
    )
  })

  it("orphans a batch/v1 Job's pods by default, as the apiserver still does", () => {
    const job = (name: string) => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {name, namespace: 'default'},
      spec: {template: {spec: {restartPolicy: 'Never', containers: [{name: 'c', image: 'busybox'}]}}},
    })
    f.seed('batch/jobs', job('j1'), job('j2'))
    assert.deepEqual((del('batch/jobs', 'j1').object as any).metadata.finalizers, ['orphan'])
    del('batch/jobs', 'j2', {propagationPolicy: 'Background'})
    assert.equal(f.get('batch/jobs', 'default', 'j2'), undefined)
  })

  it('answers a second namespace DELETE with a Conflict while it is being emptied', () => {
    f.seed('namespaces', {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'x'}})
    const ns = r('namespaces')
    const first = f.cluster.registry.delete(ns, undefined, 'x').object as any
    assert.equal(first.status.phase, 'Terminating')
    assert.throws(
      () => f.cluster.registry.delete(ns, undefined, 'x'),
      (e: StatusError) =>
        e.status.code === 409 &&
        e.status.message ===
          'Operation cannot be fulfilled on namespaces "x": The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.',
    )
  })
})
