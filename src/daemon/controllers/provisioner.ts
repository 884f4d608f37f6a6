// provisioner.ts: minikube's storage-provisioner (minikube pkg/storage/storage_provisioner.go on top of
// sig-storage-lib-external-provisioner). It serves claims that the PV binder handed to `k8s.io/minikube-hostpath`
// (annotation volume.kubernetes.io/storage-provisioner): it makes a hostPath volume pvc-<claim uid> under
// /tmp/hostpath-provisioner/<namespace>/<claim>, pre-bound to the claim, with the class's reclaim policy; and it
// deletes its Released volumes whose policy is Delete.
import type {KubeObject} from '../../api/object.js'
import {isAlreadyExists, isNotFound} from '../../api/errors.js'
import type {EventRecorder} from './framework/events.js'
import type {Informer} from './framework/informer.js'
import {ANN_BETA_STORAGE_PROVISIONER, ANN_PROVISIONED_BY, ANN_STORAGE_PROVISIONER, claimClass} from './pv-binder.js'
import type {Controller, ControllerContext, ControllerFactory} from './framework/types.js'

/** MINIKUBE_PROVISIONER is the provisioner name of minikube's `standard` StorageClass. */
export const MINIKUBE_PROVISIONER = 'k8s.io/minikube-hostpath'
/** HOSTPATH_DIR is where minikube's provisioner makes its volumes. */
export const HOSTPATH_DIR = '/tmp/hostpath-provisioner'

/** HostPathProvisioner is minikube's storage-provisioner. */
export class HostPathProvisioner implements Controller {
  readonly name = 'storage-provisioner'
  private readonly claims: Informer
  private readonly volumes: Informer
  private readonly classes: Informer
  private rec?: EventRecorder
  /** identity is the provisioner's hostPathProvisionerIdentity (a UUID per process, as upstream). */
  private readonly identity: string

  constructor(private readonly ctx: ControllerContext) {
    this.claims = ctx.informers.for('persistentvolumeclaims')
    this.volumes = ctx.informers.for('persistentvolumes')
    this.classes = ctx.informers.for('storage.k8s.io/storageclasses')
    this.identity = ctx.ids.uid()
  }

  /**
   * recorder reports as the library names its source, <provisioner>_<host>_<uuid>; the pod runs with hostNetwork
   * on the control-plane node, so the host is that node's name (read once the caches are filled).
   */
  private get recorder(): EventRecorder {
    if (!this.rec) {
      const host =
        this.ctx.informers
          .for('nodes')
          .list()
          .map((n) => String(n.metadata?.name))
          .sort()[0] ?? 'minikube'
      this.rec = this.ctx.events.withSource({component: `${MINIKUBE_PROVISIONER}_${host}_${this.identity}`})
    }
    return this.rec
  }

  watches() {
    return [
      // Claim keys are "ns/name", volume keys the bare (cluster-scoped) name.
      {resource: 'persistentvolumeclaims'},
      {resource: 'persistentvolumes'},
    ]
  }

  sync(key: string) {
    const i = key.indexOf('/')
    if (i >= 0) {
      const pvc = this.claims.get(key.slice(0, i), key.slice(i + 1))
      if (pvc) this.provision(pvc)
    } else {
      const pv = this.volumes.get(undefined, key)
      if (pv) this.maybeDelete(pv)
    }
  }

  /** shouldProvision follows the library's shouldProvision: ours, unbound, and not already made. */
  private provision(pvc: KubeObject) {
    const ann = pvc.metadata?.annotations ?? {}
    const spec = pvc.spec as any
    if (spec.volumeName || pvc.metadata?.deletionTimestamp) return
    if ((ann[ANN_STORAGE_PROVISIONER] ?? ann[ANN_BETA_STORAGE_PROVISIONER]) !== MINIKUBE_PROVISIONER) return
    const cls = claimClass(pvc)
    const sc = this.classes.get(undefined, cls) as any
    if (!sc || sc.provisioner !== MINIKUBE_PROVISIONER) return
    const pvName = `pvc-${pvc.metadata?.uid}`
    if (this.volumes.get(undefined, pvName)) return
    const ns = String(pvc.metadata?.namespace)
    const name = String(pvc.metadata?.name)
    this.recorder.normal(pvc, 'Provisioning', `External provisioner is provisioning volume for claim "${ns}/${name}"`)
    const pv: KubeObject = {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: {
        name: pvName,
        annotations: {hostPathProvisionerIdentity: this.identity, [ANN_PROVISIONED_BY]: MINIKUBE_PROVISIONER},
      },
      spec: {
        accessModes: spec.accessModes,
        capacity: {storage: spec.resources?.requests?.storage},
        claimRef: {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          name,
          namespace: ns,
          resourceVersion: pvc.metadata?.resourceVersion,
          uid: pvc.metadata?.uid,
        },
        hostPath: {path: `${HOSTPATH_DIR}/${ns}/${name}`, type: ''},
        persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
        storageClassName: cls,
        volumeMode: spec.volumeMode ?? 'Filesystem',
        ...(sc.mountOptions ? {mountOptions: sc.mountOptions} : {}),
      },
    }
    try {
      this.ctx.client.create('persistentvolumes', pv)
    } catch (e) {
      if (!isAlreadyExists(e)) throw e
      return
    }
    this.recorder.normal(pvc, 'ProvisioningSucceeded', `Successfully provisioned volume ${pvName}`)
  }

  /** maybeDelete is the library's deleteVolumeOperation for our Released volumes with policy Delete. */
  private maybeDelete(pv: KubeObject) {
    if (pv.metadata?.annotations?.[ANN_PROVISIONED_BY] !== MINIKUBE_PROVISIONER) return
    if ((pv.status as any)?.phase !== 'Released' || pv.metadata?.deletionTimestamp) return
    if ((pv.spec as any)?.persistentVolumeReclaimPolicy !== 'Delete') return
    try {
      this.ctx.client.delete('persistentvolumes', undefined, String(pv.metadata?.name))
    } catch (e) {
      if (!isNotFound(e)) throw e
    }
  }
}

/** provisionerController is the ControllerFactory of minikube's hostPath provisioner. */
export const provisionerController: ControllerFactory = (ctx) => new HostPathProvisioner(ctx)
