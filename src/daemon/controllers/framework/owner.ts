// owner.ts: ownerReference helpers (apimachinery metav1.NewControllerRef / GetControllerOf and the
// ControllerRefManager's adopt/release rules in kubernetes pkg/controller/controller_ref_manager.go).
import type {KubeObject} from '../../../api/object.js'

/** OwnerReference is metav1.OwnerReference. */
export interface OwnerReference {
  apiVersion: string
  kind: string
  name: string
  uid: string
  controller?: boolean
  blockOwnerDeletion?: boolean
}

/** controllerRef builds the controller ownerReference a controller puts on what it creates. */
export function controllerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: String(owner.apiVersion),
    kind: String(owner.kind),
    name: String(owner.metadata?.name),
    uid: String(owner.metadata?.uid),
    controller: true,
    blockOwnerDeletion: true,
  }
}

/** controllerOf returns the object's controller ownerReference, if any. */
export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return (obj.metadata?.ownerReferences as OwnerReference[] | undefined)?.find((r) => r.controller)
}

/** isControlledBy: obj's controller reference points at owner's uid. */
export function isControlledBy(obj: KubeObject, owner: KubeObject): boolean {
  return controllerOf(obj)?.uid === owner.metadata?.uid
}

/**
 * ownerKeys maps an owned object to its controller's queue key when that controller has the given kind
 * ("ReplicaSet"), for WatchSpec.keys. On MODIFIED both the old and the new controller are returned.
 */
export function ownerKeys(kind: string) {
  return (obj: KubeObject, _type: string, old: KubeObject | undefined): string[] => {
    const out: string[] = []
    for (const o of old ? [obj, old] : [obj]) {
      const ref = controllerOf(o)
      if (ref && ref.kind === kind) {
        const ns = o.metadata?.namespace
        const key = ns ? `${ns}/${ref.name}` : ref.name
        if (!out.includes(key)) out.push(key)
      }
    }
    return out
  }
}
