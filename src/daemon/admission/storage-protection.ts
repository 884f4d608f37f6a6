// storage-protection.ts: the StorageObjectInUseProtection admission plugin (follows kubernetes
// plugin/pkg/admission/storageobjectinuseprotection). Every new PersistentVolumeClaim gets the
// kubernetes.io/pvc-protection finalizer and every new PersistentVolume kubernetes.io/pv-protection, so a claim
// in use by a pod (or a bound volume) stays Terminating until the protection controllers in
// controllers/pv-binder.ts let it go.
import type {AdmissionDeps} from '../controllers/index.js'
import {PV_PROTECTION_FINALIZER, PVC_PROTECTION_FINALIZER} from '../controllers/pv-binder.js'
import type {AdmissionPlugin} from '../registry/types.js'

/** storageObjectInUseProtectionAdmission builds the StorageObjectInUseProtection admission plugin. */
export function storageObjectInUseProtectionAdmission(_d: AdmissionDeps): AdmissionPlugin {
  return {
    name: 'StorageObjectInUseProtection',
    mutate(a) {
      if (a.operation !== 'CREATE' || a.subresource || a.resource.group !== '') return
      const f =
        a.resource.plural === 'persistentvolumeclaims'
          ? PVC_PROTECTION_FINALIZER
          : a.resource.plural === 'persistentvolumes'
            ? PV_PROTECTION_FINALIZER
            : undefined
      if (!f) return
      const m = (a.object.metadata ??= {})
      const list: string[] = Array.isArray(m.finalizers) ? m.finalizers : []
      if (!list.includes(f)) m.finalizers = [...list, f]
    },
  }
}
