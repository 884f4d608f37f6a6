// provisioner.test.ts: minikube's hostPath provisioner with the PV binder. A claim of the default `standard` class
// gets a pvc-<uid> volume under /tmp/hostpath-provisioner/<ns>/<claim> and becomes Bound, with the events
// `kubectl describe pvc` shows on minikube; deleting the claim deletes the volume (reclaim policy Delete).
import assert from 'node:assert/strict'
import type {Controller} from '../../../src/daemon/controllers/framework/types.js'
import {provisionerController} from '../../../src/daemon/controllers/provisioner.js'
import {pvBinderController} from '../../../src/daemon/controllers/pv-binder.js'
import {fixture, type Fixture} from '../../helpers/cluster.js'

describe('hostpath provisioner', () => {
  let f: Fixture
  beforeEach(() => {
    f = fixture()
    f.start(...([pvBinderController(f.ctx), provisionerController(f.ctx)].flat() as Controller[]))
  })
  afterEach(async () => {
    await f.stop()
  })

  const claim = (name: string, cls?: string) => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {name, namespace: 'default'},
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: {requests: {storage: '1Gi'}},
      ...(cls ? {storageClassName: cls} : {}),
    },
  })

  it('provisions a volume for a claim of the default class and binds it', async () => {
    const [pvc] = f.seed('persistentvolumeclaims', claim('data'))
    await f.settle()
    const uid = pvc!.metadata?.uid
    const pv = f.get('persistentvolumes', undefined, `pvc-${uid}`)!
    assert.ok(pv, 'the volume exists')
    assert.equal(pv.metadata?.annotations?.['pv.kubernetes.io/provisioned-by'], 'k8s.io/minikube-hostpath')
    assert.match(String(pv.metadata?.annotations?.hostPathProvisionerIdentity), /^[0-9a-f-]{36}$/)
    assert.deepEqual(pv.metadata?.finalizers, ['kubernetes.io/pv-protection'])
    assert.deepEqual((pv.spec as any).hostPath, {path: '/tmp/hostpath-provisioner/default/data', type: ''})
    assert.equal((pv.spec as any).persistentVolumeReclaimPolicy, 'Delete')
    assert.equal((pv.spec as any).storageClassName, 'standard')
    assert.deepEqual((pv.spec as any).capacity, {storage: '1Gi'})
    assert.equal((pv.status as any).phase, 'Bound')
    const bound = f.get('persistentvolumeclaims', 'default', 'data')!
    assert.equal((bound.spec as any).volumeName, `pvc-${uid}`)
    assert.deepEqual(bound.status, {phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: {storage: '1Gi'}})
    // As on minikube: the claim carries all four annotations; the volume, pre-bound by the provisioner, none of the binder's.
    assert.deepEqual(Object.keys(bound.metadata?.annotations ?? {}).sort(), [
      'pv.kubernetes.io/bind-completed',
      'pv.kubernetes.io/bound-by-controller',
      'volume.beta.kubernetes.io/storage-provisioner',
      'volume.kubernetes.io/storage-provisioner',
    ])
    assert.equal(pv.metadata?.annotations?.['pv.kubernetes.io/bound-by-controller'], undefined)
    const evs = f.list('events', 'default').filter((e: any) => e.involvedObject.name === 'data')
    assert.deepEqual(
      evs.map((e: any) => [e.reason, e.message]),
      [
        [
          'ExternalProvisioning',
          "Waiting for a volume to be created either by the external provisioner 'k8s.io/minikube-hostpath' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
        ],
        ['Provisioning', 'External provisioner is provisioning volume for claim "default/data"'],
        ['ProvisioningSucceeded', `Successfully provisioned volume pvc-${uid}`],
      ],
    )
    assert.match(String((evs[1] as any).source.component), /^k8s\.io\/minikube-hostpath_mkctl_[0-9a-f-]{36}$/)
  })

  it('deletes the provisioned volume when the claim is deleted', async () => {
    const [pvc] = f.seed('persistentvolumeclaims', claim('data'))
    await f.settle()
    f.ctx.client.delete('persistentvolumeclaims', 'default', 'data')
    await f.settle()
    assert.equal(f.get('persistentvolumeclaims', 'default', 'data'), undefined)
    assert.equal(f.get('persistentvolumes', undefined, `pvc-${pvc!.metadata?.uid}`), undefined)
  })

  it('leaves claims of classes without a provisioner it serves alone', async () => {
    f.seed('storage.k8s.io/storageclasses', {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: {name: 'ebs'},
      provisioner: 'ebs.csi.aws.com',
    })
    f.seed('persistentvolumeclaims', claim('data', 'ebs'))
    await f.settle()
    assert.equal(f.list('persistentvolumes').length, 0)
    assert.equal(
      f.get('persistentvolumeclaims', 'default', 'data')!.metadata?.annotations?.[
        'volume.kubernetes.io/storage-provisioner'
      ],
      'ebs.csi.aws.com',
    )
  })
})
