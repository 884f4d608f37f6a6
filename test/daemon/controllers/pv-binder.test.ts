// pv-binder.test.ts: the PV binder and the protection controllers. Claims bind to the smallest fitting Available
// volume; a claim of a provisioned class waits with an ExternalProvisioning event; a deleted claim releases its
// volume (Retain keeps it Released); the pvc/pv-protection finalizers hold a claim while a pod uses it.
import assert from 'node:assert/strict'
import type {KubeObject} from '../../../src/api/object.js'
import {PVBinder, pvBinderController} from '../../../src/daemon/controllers/pv-binder.js'
import type {Controller} from '../../../src/daemon/controllers/framework/types.js'
import {fixture, type Fixture} from '../../helpers/cluster.js'

/** claim makes a PVC; class undefined lets the default class apply. */
function claim(name: string, size: string, cls?: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {name, namespace: 'default'},
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: {requests: {storage: size}},
      ...(cls !== undefined ? {storageClassName: cls} : {}),
      ...extra,
    },
  }
}

function volume(name: string, size: string, policy = 'Retain', extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {name},
    spec: {
      accessModes: ['ReadWriteOnce'],
      capacity: {storage: size},
      hostPath: {path: `/data/${name}`},
      persistentVolumeReclaimPolicy: policy,
      storageClassName: 'manual',
      ...extra,
    },
  }
}

/** withAdmission runs the fixture with the StorageObjectInUseProtection plugin in the registry. */
function withProtection(): () => void {
  return () => {}
}

const events = (f: Fixture, name: string) =>
  f
    .list('events', 'default')
    .filter((e: any) => e.involvedObject.name === name)
    .map((e: any) => `${e.reason}: ${e.message}`)

describe('persistentvolume binder', () => {
  let f: Fixture
  let restore: () => void
  beforeEach(() => {
    restore = withProtection()
    f = fixture()
  })
  afterEach(async () => {
    await f.stop()
    restore()
  })

  it('binds a claim to the smallest Available volume that fits', async () => {
    f.seed(
      'persistentvolumes',
      volume('big', '10Gi'),
      volume('small', '2Gi'),
      volume('tiny', '500Mi'),
      volume('rwx', '2Gi', 'Retain', {accessModes: ['ReadWriteMany']}),
    )
    f.seed('persistentvolumeclaims', claim('data', '1Gi', 'manual'))
    f.start(...([pvBinderController(f.ctx)].flat() as Controller[]))
    await f.settle()
    const pvc = f.get('persistentvolumeclaims', 'default', 'data')!
    assert.equal((pvc.spec as any).volumeName, 'small')
    assert.deepEqual(pvc.status, {phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: {storage: '2Gi'}})
    assert.equal(pvc.metadata?.annotations?.['pv.kubernetes.io/bind-completed'], 'yes')
    assert.equal(pvc.metadata?.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes')
    assert.deepEqual(pvc.metadata?.finalizers, ['kubernetes.io/pvc-protection'])
    const pv = f.get('persistentvolumes', undefined, 'small')!
    assert.equal((pv.status as any).phase, 'Bound')
    assert.deepEqual(
      {...(pv.spec as any).claimRef, resourceVersion: undefined},
      {
        kind: 'PersistentVolumeClaim',
        namespace: 'default',
        name: 'data',
        uid: pvc.metadata?.uid,
        apiVersion: 'v1',
        resourceVersion: undefined,
      },
    )
    assert.equal((f.get('persistentvolumes', undefined, 'big')!.status as any).phase, 'Available')
  })

  it('waits for the provisioner of the default class, with the ExternalProvisioning event', async () => {
    f.seed('persistentvolumeclaims', claim('data', '1Gi'))
    const c = new PVBinder(f.ctx)
    await f.syncOnce(c, 'default/data')
    const pvc = f.get('persistentvolumeclaims', 'default', 'data')!
    assert.equal((pvc.spec as any).storageClassName, 'standard')
    assert.equal(pvc.metadata?.annotations?.['volume.kubernetes.io/storage-provisioner'], 'k8s.io/minikube-hostpath')
    assert.equal(
      pvc.metadata?.annotations?.['volume.beta.kubernetes.io/storage-provisioner'],
      'k8s.io/minikube-hostpath',
    )
    assert.equal((pvc.status as any).phase, 'Pending')
    assert.deepEqual(events(f, 'data'), [
      "ExternalProvisioning: Waiting for a volume to be created either by the external provisioner 'k8s.io/minikube-hostpath' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
    ])
  })

  it('releases a Retain volume when its claim goes, once no pod uses the claim', async () => {
    f.seed('persistentvolumes', volume('pv1', '1Gi'))
    f.seed('persistentvolumeclaims', claim('data', '1Gi', 'manual'))
    f.seed('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {name: 'user', namespace: 'default'},
      spec: {
        containers: [{name: 'c', image: 'nginx'}],
        volumes: [{name: 'v', persistentVolumeClaim: {claimName: 'data'}}],
      },
    })
    f.start(...([pvBinderController(f.ctx)].flat() as Controller[]))
    await f.settle()
    f.ctx.client.delete('persistentvolumeclaims', 'default', 'data')
    await f.settle()
    const terminating = f.get('persistentvolumeclaims', 'default', 'data')
    assert.ok(terminating?.metadata?.deletionTimestamp, 'the claim is held while the pod uses it')
    assert.equal((f.get('persistentvolumes', undefined, 'pv1')!.status as any).phase, 'Bound')
    f.ctx.client.delete('pods', 'default', 'user', {gracePeriodSeconds: 0})
    await f.settle()
    assert.equal(f.get('persistentvolumeclaims', 'default', 'data'), undefined)
    const pv = f.get('persistentvolumes', undefined, 'pv1')!
    assert.equal((pv.status as any).phase, 'Released')
    assert.equal((pv.spec as any).claimRef.name, 'data')
    // Deleting a released volume is not held by pv-protection.
    f.ctx.client.delete('persistentvolumes', undefined, 'pv1')
    await f.settle()
    assert.equal(f.get('persistentvolumes', undefined, 'pv1'), undefined)
  })

  it('fails a Delete volume that no deleter handles, and deletes /tmp host paths', async () => {
    f.seed(
      'persistentvolumes',
      volume('keep', '1Gi', 'Delete'),
      volume('tmp', '1Gi', 'Delete', {hostPath: {path: '/tmp/x'}, storageClassName: 'other'}),
    )
    f.seed('persistentvolumeclaims', claim('a', '1Gi', 'manual'), claim('b', '1Gi', 'other'))
    f.start(...([pvBinderController(f.ctx)].flat() as Controller[]))
    await f.settle()
    f.ctx.client.delete('persistentvolumeclaims', 'default', 'a')
    f.ctx.client.delete('persistentvolumeclaims', 'default', 'b')
    await f.settle()
    const keep = f.get('persistentvolumes', undefined, 'keep')!
    assert.equal((keep.status as any).phase, 'Failed')
    assert.equal(
      (keep.status as any).message,
      'host_path deleter only supports /tmp/.+ but received provided /data/keep',
    )
    assert.equal(f.get('persistentvolumes', undefined, 'tmp'), undefined)
  })

  it('binds a claim pre-bound by volumeName, and refuses a volume bound elsewhere', async () => {
    f.seed('persistentvolumes', volume('named', '5Gi'))
    f.seed('persistentvolumeclaims', claim('want', '1Gi', 'manual', {volumeName: 'named'}))
    const c = new PVBinder(f.ctx)
    await f.syncOnce(c, 'default/want')
    assert.equal((f.get('persistentvolumeclaims', 'default', 'want')!.status as any).phase, 'Bound')
    f.seed('persistentvolumeclaims', claim('other', '1Gi', 'manual', {volumeName: 'named'}))
    await f.syncOnce(c, 'default/other')
    assert.equal((f.get('persistentvolumeclaims', 'default', 'other')!.status as any).phase, 'Pending')
    assert.deepEqual(events(f, 'other'), ['FailedBinding: volume "named" already bound to a different claim.'])
  })
})
