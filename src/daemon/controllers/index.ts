// index.ts lists every controller the manager runs, in start order (kube-controller-manager's controller list,
// plus the scheduler and the kubelets, which here are controllers in the same process).
import type {ResourceTable} from '../../api/resources.js'
import type {Clock} from '../clock.js'
import type {Registry} from '../registry/generic.js'
import type {AdmissionPlugin} from '../registry/types.js'
import type {ControllerFactory} from './framework/types.js'

/** CONTROLLERS are the factories of every controller. */
export const CONTROLLERS: ControllerFactory[] = []

/** AdmissionDeps are what an admission plugin may read. */
export interface AdmissionDeps {
  registry: Registry
  resources: () => ResourceTable
  clock: Clock
}

/** ADMISSION builds the admission plugins every create and update passes, in apiserver order. */
export const ADMISSION: ((d: AdmissionDeps) => AdmissionPlugin)[] = []
