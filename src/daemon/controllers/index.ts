// index.ts lists every controller the manager runs, in start order (kube-controller-manager's controllers, plus
// the scheduler and the kubelets, which here are controllers in the same process), and the admission plugins in
// the apiserver's order (mutating ones first, ResourceQuota last).
import type {ResourceTable} from '../../api/resources.js'
import {defaultTolerationsAdmission} from '../admission/default-tolerations.js'
import {limitRangerAdmission} from '../admission/limitranger.js'
import {resourceQuotaAdmission} from '../admission/resourcequota.js'
import {storageObjectInUseProtectionAdmission} from '../admission/storage-protection.js'
import type {Clock} from '../clock.js'
import {kubeletSet} from '../kubelet/index.js'
import type {Registry} from '../registry/generic.js'
import type {AdmissionPlugin} from '../registry/types.js'
import {schedulerController} from '../scheduler/index.js'
import {cronJobController} from './cronjob.js'
import {daemonSetController} from './daemonset.js'
import {deploymentController} from './deployment.js'
import {disruptionController} from './disruption.js'
import {endpointsController} from './endpoints.js'
import {endpointSliceController} from './endpointslice.js'
import type {ControllerFactory} from './framework/types.js'
import type {Informers} from './framework/informer.js'
import {garbageCollectorController} from './garbage-collector.js'
import {jobController} from './job.js'
import {namespaceController} from './namespace.js'
import {nodeLifecycleController} from './node-lifecycle.js'
import {podGCController} from './podgc.js'
import {provisionerController} from './provisioner.js'
import {pvBinderController} from './pv-binder.js'
import {replicaSetController} from './replicaset.js'
import {resourceQuotaController} from './resourcequota.js'
import {statefulSetController} from './statefulset.js'
import {taintEvictionController} from './taint-eviction.js'
import {ttlAfterFinishedController} from './ttl-after-finished.js'
import {ingressStatusController} from '../addons/ingress.js'
import {hpaController} from './hpa.js'
import {defaultIngressClassAdmission} from '../admission/default-ingress-class.js'

/** CONTROLLERS are the factories of every controller. The kubelets take the runtime from the context. */
export const CONTROLLERS: ControllerFactory[] = [
  namespaceController,
  garbageCollectorController,
  deploymentController,
  replicaSetController,
  statefulSetController,
  daemonSetController,
  jobController,
  cronJobController,
  ttlAfterFinishedController,
  endpointsController,
  endpointSliceController,
  pvBinderController,
  provisionerController,
  resourceQuotaController,
  disruptionController,
  nodeLifecycleController,
  taintEvictionController,
  podGCController,
  schedulerController,
  kubeletSet(),
  ingressStatusController,
  hpaController,
]

/** AdmissionDeps are what an admission plugin may read. */
export interface AdmissionDeps {
  registry: Registry
  resources: () => ResourceTable
  clock: Clock
  /**
   * informers are the manager's shared caches. They lag a write made in the same transaction, so a plugin uses
   * them only to learn that nothing needs checking, and reads the registry when something does.
   */
  informers?: Informers
}

/** ADMISSION builds the admission plugins every create and update passes, in apiserver order. */
export const ADMISSION: ((d: AdmissionDeps) => AdmissionPlugin)[] = [
  limitRangerAdmission,
  defaultTolerationsAdmission,
  storageObjectInUseProtectionAdmission,
  defaultIngressClassAdmission,
  resourceQuotaAdmission,
]
