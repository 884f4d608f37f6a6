// pv-binder.ts: the PersistentVolume binder (follows kubernetes pkg/controller/volume/persistentvolume
// pv_controller.go: syncClaim / syncVolume) and the two protection controllers of pkg/controller/volume/pvcprotection
// and pvprotection. A pending claim binds to the smallest Available volume that fits (class, access modes, volume
// mode, capacity, selector, pre-binding by volumeName or claimRef); a claim whose class has a provisioner waits
// for it (ExternalProvisioning event); a volume whose claim is gone is Released and then reclaimed (Delete →
// deleted, Retain → kept Released). The finalizers kubernetes.io/pvc-protection and kubernetes.io/pv-protection,
// added by the StorageObjectInUseProtection admission, are removed once no pod uses the claim / the volume is
// no longer bound.
import type {KubeObject} from '../../api/object.js'
import {isConflict, isNotFound} from '../../api/errors.js'
import {labelSelectorFromObject} from '../../api/labels.js'
import {Quantity} from '../../api/quantity.js'
import {rfc3339} from '../clock.js'
import type {EventRecorder} from './framework/events.js'
import type {Informer} from './framework/informer.js'
import type {Controller, ControllerContext, ControllerFactory, SyncResult} from './framework/types.js'

/** Annotation and finalizer names of the volume controllers (pv_controller.go, util.go). */
export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed'
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller'
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner'
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner'
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node'
export const ANN_PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by'
export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection'
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection'
const NO_PROVISIONER = 'kubernetes.io/no-provisioner'
const BETA_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class'

/** claimClass is storagehelpers.GetPersistentVolumeClaimClass: the beta annotation wins, then the spec field. */
export function claimClass(pvc: KubeObject): string {
  const a = pvc.metadata?.annotations?.[BETA_CLASS_ANNOTATION]
  if (a !== undefined) return a
  return String((pvc.spec as any)?.storageClassName ?? '')
}

/** volumeClass is GetPersistentVolumeClass. */
export function volumeClass(pv: KubeObject): string {
  const a = pv.metadata?.annotations?.[BETA_CLASS_ANNOTATION]
  if (a !== undefined) return a
  return String((pv.spec as any)?.storageClassName ?? '')
}

function qty(v: unknown): Quantity | undefined {
  try {
    return v === undefined || v === null ? undefined : Quantity.fromJSON(v)
  } catch {
    return undefined
  }
}

/** claimRequest is the claim's spec.resources.requests.storage. */
export function claimRequest(pvc: KubeObject): Quantity | undefined {
  return qty((pvc.spec as any)?.resources?.requests?.storage)
}

/** podUsesClaim says whether a pod mounts the claim (directly or as a generic ephemeral volume). */
export function podClaimNames(pod: KubeObject): string[] {
  const out: string[] = []
  for (const v of ((pod.spec as any)?.volumes ?? []) as any[]) {
    if (v.persistentVolumeClaim?.claimName) out.push(String(v.persistentVolumeClaim.claimName))
    else if (v.ephemeral) out.push(`${pod.metadata?.name}-${v.name}`)
  }
  return out
}

function hasFinalizer(o: KubeObject, f: string): boolean {
  return ((o.metadata?.finalizers ?? []) as string[]).includes(f)
}

const isPodTerminal = (p: KubeObject) => ['Succeeded', 'Failed'].includes((p.status as any)?.phase)

/**
 * volumeMatches is the checks of findMatchingVolume for one candidate (class, modes, volume mode, size, selector,
 * node affinity is not simulated). It returns whether the volume could serve the claim at all.
 */
export function volumeMatches(pv: KubeObject, pvc: KubeObject): boolean {
  const ps = pv.spec as any
  const cs = pvc.spec as any
  if (pv.metadata?.deletionTimestamp) return false
  if (volumeClass(pv) !== claimClass(pvc)) return false
  const modes: string[] = ps.accessModes ?? []
  if (!((cs.accessModes ?? []) as string[]).every((m) => modes.includes(m))) return false
  if ((ps.volumeMode ?? 'Filesystem') !== (cs.volumeMode ?? 'Filesystem')) return false
  const want = claimRequest(pvc)
  const have = qty(ps.capacity?.storage)
  if (want && (!have || have.cmp(want) < 0)) return false
  if (cs.selector) {
    try {
      if (!labelSelectorFromObject(cs.selector).matches(pv.metadata?.labels ?? {})) return false
    } catch {
      return false
    }
  }
  return true
}

/** PVBinder binds claims to volumes and reclaims released volumes. */
export class PVBinder implements Controller {
  readonly name = 'persistentvolume-binder'
  private readonly claims: Informer
  private readonly volumes: Informer
  private readonly classes: Informer
  private readonly pods: Informer
  private readonly recorder: EventRecorder

  constructor(private readonly ctx: ControllerContext) {
    this.claims = ctx.informers.for('persistentvolumeclaims')
    this.volumes = ctx.informers.for('persistentvolumes')
    this.classes = ctx.informers.for('storage.k8s.io/storageclasses')
    this.pods = ctx.informers.for('pods')
    this.recorder = ctx.events.withSource({component: 'persistentvolume-controller'})
  }

  /**
   * watches: claim keys are "ns/name" and volume keys the bare volume name (volumes are cluster-scoped), so one
   * queue carries both loops of the upstream controller.
   */
  watches() {
    return [
      {resource: 'persistentvolumeclaims'},
      {resource: 'persistentvolumes', keys: (o: KubeObject) => this.keysOfVolume(o)},
      {
        resource: 'persistentvolumeclaims',
        keys: (o: KubeObject) => ((o.spec as any)?.volumeName ? String((o.spec as any).volumeName) : undefined),
      },
      {
        // WaitForFirstConsumer: a claim waits until a pod using it is scheduled.
        resource: 'pods',
        keys: (o: KubeObject) =>
          (o.spec as any)?.nodeName ? podClaimNames(o).map((c) => `${o.metadata?.namespace}/${c}`) : undefined,
      },
    ]
  }

  private keysOfVolume(pv: KubeObject): string[] {
    const keys = [String(pv.metadata?.name)]
    const ref = (pv.spec as any)?.claimRef
    if (ref?.name) keys.push(`${ref.namespace}/${ref.name}`)
    // A new Available volume may serve a pending claim.
    if (!ref)
      for (const c of this.claims.list())
        if ((c.status as any)?.phase !== 'Bound' && !(c.spec as any)?.volumeName)
          keys.push(`${c.metadata?.namespace}/${c.metadata?.name}`)
    return keys
  }

  private primed = false

  sync(key: string): SyncResult | void {
    if (!this.primed) {
      // The loop's initial resync covers the claims only; the volumes get their first look here.
      this.primed = true
      for (const pv of this.volumes.list()) this.syncVolume(pv)
    }
    const i = key.indexOf('/')
    if (i >= 0) {
      const pvc = this.claims.get(key.slice(0, i), key.slice(i + 1))
      if (pvc) return this.syncClaim(pvc)
      return
    }
    const pv = this.volumes.get(undefined, key)
    if (pv) return this.syncVolume(pv)
  }

  // --- claims -----------------------------------------------------------------------------------------------------

  private syncClaim(pvc: KubeObject): SyncResult | void {
    const ann = pvc.metadata?.annotations ?? {}
    const spec = pvc.spec as any
    if (ann[ANN_BIND_COMPLETED] !== 'yes') return this.syncUnboundClaim(pvc)
    // syncBoundClaim
    if (!spec.volumeName) return this.setClaimPhase(pvc, 'Lost', undefined)
    const pv = this.volumes.get(undefined, spec.volumeName)
    if (!pv) {
      if ((pvc.status as any)?.phase !== 'Lost') {
        this.recorder.warning(
          pvc,
          'ClaimLost',
          'Bound claim has lost its PersistentVolume. Data on the volume is lost!',
        )
      }
      return this.setClaimPhase(pvc, 'Lost', undefined)
    }
    const ref = (pv.spec as any)?.claimRef
    if (!ref || (ref.uid && ref.uid !== pvc.metadata?.uid)) {
      if (!ref) return this.bind(pv, pvc)
      if ((pvc.status as any)?.phase !== 'Lost') {
        this.recorder.warning(
          pvc,
          'ClaimMisbound',
          'Two claims are bound to the same volume, this one is bound incorrectly',
        )
      }
      return this.setClaimPhase(pvc, 'Lost', undefined)
    }
    return this.bind(pv, pvc)
  }

  private syncUnboundClaim(pvc: KubeObject): SyncResult | void {
    const spec = pvc.spec as any
    if (pvc.metadata?.deletionTimestamp) return
    if (spec.volumeName) {
      // Pre-bound by the user to a named volume.
      const pv = this.volumes.get(undefined, spec.volumeName)
      if (!pv) {
        this.recorder.normal(pvc, 'FailedBinding', `volume "${spec.volumeName}" not found`)
        return this.setClaimPhase(pvc, 'Pending', undefined)
      }
      const ref = (pv.spec as any)?.claimRef
      if (
        !ref ||
        (ref.namespace === pvc.metadata?.namespace &&
          ref.name === pvc.metadata?.name &&
          (!ref.uid || ref.uid === pvc.metadata?.uid))
      ) {
        return this.bind(pv, pvc)
      }
      this.recorder.warning(pvc, 'FailedBinding', `volume "${spec.volumeName}" already bound to a different claim.`)
      return this.setClaimPhase(pvc, 'Pending', undefined)
    }
    const cls = claimClass(pvc)
    const sc = cls ? this.classes.get(undefined, cls) : undefined
    const wffc = (sc as any)?.volumeBindingMode === 'WaitForFirstConsumer'
    const selectedNode = pvc.metadata?.annotations?.[ANN_SELECTED_NODE]
    if (wffc && !selectedNode) {
      const node = this.scheduledConsumerNode(pvc)
      if (!node) {
        this.recorder.normal(pvc, 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding')
        return this.setClaimPhase(pvc, 'Pending', undefined)
      }
      this.ctx.client.mutate('persistentvolumeclaims', pvc.metadata?.namespace, String(pvc.metadata?.name), (c) => {
        c.metadata!.annotations = {...(c.metadata!.annotations ?? {}), [ANN_SELECTED_NODE]: node}
        return c
      })
      return
    }
    const pv = this.findBestMatch(pvc)
    if (pv) return this.bind(pv, pvc)
    // No volume fits: dynamic provisioning when the class has a provisioner.
    const provisioner = (sc as any)?.provisioner
    if (sc && provisioner && provisioner !== NO_PROVISIONER) {
      const ann = pvc.metadata?.annotations ?? {}
      if (ann[ANN_STORAGE_PROVISIONER] !== provisioner || ann[ANN_BETA_STORAGE_PROVISIONER] !== provisioner) {
        this.ctx.client.mutate('persistentvolumeclaims', pvc.metadata?.namespace, String(pvc.metadata?.name), (c) => {
          c.metadata!.annotations = {
            ...(c.metadata!.annotations ?? {}),
            [ANN_BETA_STORAGE_PROVISIONER]: provisioner,
            [ANN_STORAGE_PROVISIONER]: provisioner,
          }
          return c
        })
      }
      this.recorder.normal(
        pvc,
        'ExternalProvisioning',
        `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
      )
      return this.setClaimPhase(pvc, 'Pending', undefined)
    }
    if (cls && !sc) {
      this.recorder.warning(pvc, 'ProvisioningFailed', `storageclass.storage.k8s.io "${cls}" not found`)
    } else if (!cls) {
      this.recorder.normal(
        pvc,
        'FailedBinding',
        'no persistent volumes available for this claim and no storage class is set',
      )
    }
    return this.setClaimPhase(pvc, 'Pending', undefined)
  }

  /** scheduledConsumerNode is the node of a scheduled pod that uses the claim (the scheduler's selected node). */
  private scheduledConsumerNode(pvc: KubeObject): string | undefined {
    for (const p of this.pods.list(pvc.metadata?.namespace)) {
      const node = (p.spec as any)?.nodeName
      if (node && podClaimNames(p).includes(String(pvc.metadata?.name))) return node
    }
    return undefined
  }

  /** findBestMatch is findMatchingVolume: a volume pre-bound to this claim first, else the smallest fitting one. */
  private findBestMatch(pvc: KubeObject): KubeObject | undefined {
    let best: KubeObject | undefined
    let bestSize: Quantity | undefined
    for (const pv of this.volumes.list()) {
      const ref = (pv.spec as any)?.claimRef
      if (ref) {
        const mine =
          ref.namespace === pvc.metadata?.namespace &&
          ref.name === pvc.metadata?.name &&
          (!ref.uid || ref.uid === pvc.metadata?.uid)
        if (!mine) continue
        if (volumeMatches(pv, pvc)) return pv
        continue
      }
      if ((pv.status as any)?.phase !== 'Available' && (pv.status as any)?.phase !== 'Pending') continue
      if (!volumeMatches(pv, pvc)) continue
      const size = qty((pv.spec as any)?.capacity?.storage)
      if (!best || (size && bestSize && size.cmp(bestSize) < 0)) {
        best = pv
        bestSize = size
      }
    }
    return best
  }

  /** bind is pv_controller.bind: the volume's claimRef and phase, then the claim's volumeName, annotations, status. */
  private bind(pv: KubeObject, pvc: KubeObject): void {
    const ns = pvc.metadata?.namespace
    const name = String(pvc.metadata?.name)
    const uid = pvc.metadata?.uid
    this.ctx.client.transaction(() => {
      let boundPV = this.ctx.client.mutate('persistentvolumes', undefined, String(pv.metadata?.name), (v) => {
        const s = v.spec as any
        const ref = s.claimRef
        if (ref && ref.uid === uid && ref.name === name && ref.namespace === ns) return undefined
        if (ref && (ref.name !== name || ref.namespace !== ns || (ref.uid && ref.uid !== uid)))
          throw new Error(`volume ${v.metadata?.name} is bound to another claim`)
        s.claimRef = {
          kind: 'PersistentVolumeClaim',
          namespace: ns,
          name,
          uid,
          apiVersion: 'v1',
          resourceVersion: pvc.metadata?.resourceVersion,
        }
        if (!ref) v.metadata!.annotations = {...(v.metadata!.annotations ?? {}), [ANN_BOUND_BY_CONTROLLER]: 'yes'}
        return v
      })
      if ((boundPV.status as any)?.phase !== 'Bound') boundPV = this.setVolumePhase(boundPV, 'Bound')
      const claim = this.ctx.client.mutate('persistentvolumeclaims', ns, name, (c) => {
        const s = c.spec as any
        const a = {...(c.metadata!.annotations ?? {})}
        let changed = false
        if (s.volumeName !== pv.metadata?.name) {
          s.volumeName = pv.metadata?.name
          a[ANN_BOUND_BY_CONTROLLER] = 'yes'
          changed = true
        }
        if (a[ANN_BIND_COMPLETED] !== 'yes') {
          a[ANN_BIND_COMPLETED] = 'yes'
          changed = true
        }
        if (!changed) return undefined
        c.metadata!.annotations = a
        return c
      })
      const st = (claim.status ?? {}) as any
      const ps = boundPV.spec as any
      const capacity = ps.capacity ?? {}
      if (
        st.phase !== 'Bound' ||
        JSON.stringify(st.capacity) !== JSON.stringify(capacity) ||
        JSON.stringify(st.accessModes) !== JSON.stringify(ps.accessModes)
      ) {
        this.ctx.client.mutate(
          'persistentvolumeclaims',
          ns,
          name,
          (c) => {
            c.status = {...((c.status as any) ?? {}), phase: 'Bound', accessModes: ps.accessModes, capacity}
            return c
          },
          {subresource: 'status'},
        )
      }
    })
  }

  private setClaimPhase(pvc: KubeObject, phase: string, _msg: string | undefined): void {
    if ((pvc.status as any)?.phase === phase) return
    this.ctx.client.mutate(
      'persistentvolumeclaims',
      pvc.metadata?.namespace,
      String(pvc.metadata?.name),
      (c) => {
        const st = {...((c.status as any) ?? {})}
        if (st.phase === phase) return undefined
        st.phase = phase
        if (phase !== 'Bound') {
          delete st.capacity
          delete st.accessModes
        }
        c.status = st
        return c
      },
      {subresource: 'status'},
    )
  }

  private setVolumePhase(pv: KubeObject, phase: string, message?: string): KubeObject {
    return this.ctx.client.mutate(
      'persistentvolumes',
      undefined,
      String(pv.metadata?.name),
      (v) => {
        const st = {...((v.status as any) ?? {})}
        if (st.phase === phase && st.message === message) return undefined
        if (st.phase !== phase) st.lastPhaseTransitionTime = rfc3339(this.ctx.clock.now())
        st.phase = phase
        if (message) st.message = message
        else delete st.message
        v.status = st
        return v
      },
      {subresource: 'status'},
    )
  }

  // --- volumes ----------------------------------------------------------------------------------------------------

  private syncVolume(pv: KubeObject): SyncResult | void {
    const spec = pv.spec as any
    const phase = (pv.status as any)?.phase
    const ref = spec.claimRef
    if (!ref) {
      if (phase !== 'Available') this.setVolumePhase(pv, 'Available')
      return
    }
    if (!ref.uid) {
      // Pre-bound by the user to a claim that may not exist yet: Available until the claim binds.
      if (phase !== 'Available') this.setVolumePhase(pv, 'Available')
      return
    }
    const pvc = this.claims.get(ref.namespace, ref.name)
    if (!pvc || pvc.metadata?.uid !== ref.uid) return this.reclaim(pv)
    if ((pvc.spec as any)?.volumeName === pv.metadata?.name) {
      if (phase !== 'Bound') this.setVolumePhase(pv, 'Bound')
      return
    }
    if (!(pvc.spec as any)?.volumeName) {
      // The claim has not been told yet (bind was interrupted); syncClaim finishes the job.
      if (phase !== 'Bound') this.setVolumePhase(pv, 'Bound')
      return
    }
    // The claim is bound to another volume: a volume we bound is freed, a user's pre-binding is left alone.
    if (pv.metadata?.annotations?.[ANN_BOUND_BY_CONTROLLER] === 'yes') {
      this.ctx.client.mutate('persistentvolumes', undefined, String(pv.metadata?.name), (v) => {
        delete (v.spec as any).claimRef
        delete v.metadata!.annotations![ANN_BOUND_BY_CONTROLLER]
        return v
      })
      return
    }
  }

  /** reclaim follows reclaimVolume: the claim is gone, so the volume is Released, then kept, deleted or failed. */
  private reclaim(pv: KubeObject): SyncResult | void {
    const phase = (pv.status as any)?.phase
    if (phase !== 'Released' && phase !== 'Failed') pv = this.setVolumePhase(pv, 'Released')
    if ((pv.status as any)?.phase === 'Failed') return
    const policy = (pv.spec as any)?.persistentVolumeReclaimPolicy ?? 'Retain'
    if (policy === 'Retain') return
    if (policy === 'Delete') {
      const provisionedBy = pv.metadata?.annotations?.[ANN_PROVISIONED_BY]
      // Volumes of an external provisioner are deleted by that provisioner (provisioner.ts for minikube's).
      if (provisionedBy && provisionedBy !== 'kubernetes.io/host-path') return
      const path = String((pv.spec as any)?.hostPath?.path ?? '')
      if ((pv.spec as any)?.hostPath && /^\/tmp\/.+/.test(path)) {
        this.deleteVolume(pv)
        return
      }
      const msg = (pv.spec as any)?.hostPath
        ? `host_path deleter only supports /tmp/.+ but received provided ${path}`
        : `error getting deleter volume plugin for volume "${pv.metadata?.name}": no deletable volume plugin matched`
      this.recorder.warning(pv, 'VolumeFailedDelete', msg)
      this.setVolumePhase(pv, 'Failed', msg)
      return
    }
    // Recycle is deprecated and not simulated: the volume fails as when no recycler plugin matches.
    const msg = `No recycler plugin found for the volume!`
    this.recorder.warning(pv, 'VolumeFailedRecycle', msg)
    this.setVolumePhase(pv, 'Failed', msg)
  }

  private deleteVolume(pv: KubeObject) {
    try {
      this.ctx.client.delete('persistentvolumes', undefined, String(pv.metadata?.name))
    } catch (e) {
      if (!isNotFound(e)) throw e
    }
  }
}

/** PVCProtection removes kubernetes.io/pvc-protection from a deleted claim once no running pod uses it. */
export class PVCProtection implements Controller {
  readonly name = 'pvc-protection'
  private readonly claims: Informer
  private readonly pods: Informer

  constructor(private readonly ctx: ControllerContext) {
    this.claims = ctx.informers.for('persistentvolumeclaims')
    this.pods = ctx.informers.for('pods')
  }

  watches() {
    return [
      {resource: 'persistentvolumeclaims'},
      // A pod that stops using claims (deleted or finished) may free a terminating claim.
      {
        resource: 'pods',
        keys: (o: KubeObject, _t: string, old: KubeObject | undefined) =>
          [...new Set([...podClaimNames(o), ...(old ? podClaimNames(old) : [])])].map(
            (c) => `${o.metadata?.namespace}/${c}`,
          ),
      },
    ]
  }

  sync(key: string) {
    const i = key.indexOf('/')
    const pvc = this.claims.get(key.slice(0, i), key.slice(i + 1))
    if (!pvc || !pvc.metadata?.deletionTimestamp || !hasFinalizer(pvc, PVC_PROTECTION_FINALIZER)) return
    const name = String(pvc.metadata.name)
    const inUse = this.pods
      .list(pvc.metadata.namespace)
      .some((p) => !isPodTerminal(p) && podClaimNames(p).includes(name))
    if (inUse) return
    removeFinalizer(this.ctx, 'persistentvolumeclaims', pvc.metadata.namespace, name, PVC_PROTECTION_FINALIZER)
  }
}

/** PVProtection removes kubernetes.io/pv-protection from a deleted volume once it is not Bound. */
export class PVProtection implements Controller {
  readonly name = 'pv-protection'
  private readonly volumes: Informer

  constructor(private readonly ctx: ControllerContext) {
    this.volumes = ctx.informers.for('persistentvolumes')
  }

  watches() {
    return [{resource: 'persistentvolumes'}]
  }

  sync(key: string) {
    const pv = this.volumes.get(undefined, key)
    if (!pv || !pv.metadata?.deletionTimestamp || !hasFinalizer(pv, PV_PROTECTION_FINALIZER)) return
    if ((pv.status as any)?.phase === 'Bound') return
    removeFinalizer(this.ctx, 'persistentvolumes', undefined, key, PV_PROTECTION_FINALIZER)
  }
}

function removeFinalizer(ctx: ControllerContext, ref: string, ns: string | undefined, name: string, finalizer: string) {
  try {
    ctx.client.mutate(ref, ns, name, (o) => {
      const f = ((o.metadata?.finalizers ?? []) as string[]).filter((x) => x !== finalizer)
      if (f.length === (o.metadata?.finalizers ?? []).length) return undefined
      o.metadata!.finalizers = f
      return o
    })
  } catch (e) {
    if (!isNotFound(e) && !isConflict(e)) throw e
  }
}

/** pvBinderController is the ControllerFactory of the PV binder and the pvc/pv protection controllers. */
export const pvBinderController: ControllerFactory = (ctx) => [
  new PVBinder(ctx),
  new PVCProtection(ctx),
  new PVProtection(ctx),
]
