// storage.ts describes PersistentVolumes, PersistentVolumeClaims and StorageClasses. Follows
// kubectl/pkg/describe/describe.go (describePersistentVolume, printVolumeNodeAffinity, describePersistentVolumeClaim,
// getPodsForPVC, describeStorageClass, printAllowedTopologies).
import {compareCodePoints} from '../../api/gofmt.js'
import {formatLabels} from '../../api/labels.js'
import {apiPath, getObject, listAll, type DescribeContext} from './context.js'
import {describeEvents, eventsFor} from './events.js'
import {
  accessModesString,
  goList,
  printAnnotationsMultiline,
  printBoolPtr,
  printLabelsMultiline,
  pvClass,
  quantityString,
  rfc1123z,
  str,
  timestampSince,
  type Obj,
} from './format.js'
import {goSort} from './gosort.js'
import {printCSIAttributes, printHostPath, printNFS, printPersistentVolumeClaim} from './pod.js'
import {LEVEL_0, LEVEL_1, LEVEL_2, tabbedString, type PrefixWriter} from './prefix-writer.js'

function printSelectorTerm(w: PrefixWriter, level: number, title: string, reqs: Obj[] | undefined, op?: string) {
  w.write(level, `${title}:\t`)
  if (!reqs || reqs.length === 0) {
    w.writeLine('<none>')
    return
  }
  reqs.forEach((r, i) => {
    if (i !== 0) w.write(level, '\t')
    let expr = `${str(r.key)} ${op ?? str(r.operator).toLowerCase()}`
    if ((r.values ?? []).length > 0) expr += ` [${r.values.join(', ')}]`
    w.write(LEVEL_0, expr + '\n')
  })
}

/** describePersistentVolume is PersistentVolumeDescriber. */
export async function describePersistentVolume(ctx: DescribeContext, _ns: string, name: string): Promise<string> {
  const pv = await getObject(ctx, apiPath('', 'v1', undefined, 'persistentvolumes', name))
  const events = await eventsFor(ctx, pv, 'PersistentVolume')
  const now = ctx.now()
  return tabbedString((w) => {
    const meta = pv.metadata ?? {}
    const spec = pv.spec ?? {}
    w.write(LEVEL_0, `Name:\t${str(meta.name)}\n`)
    printLabelsMultiline(w, 'Labels', meta.labels)
    printAnnotationsMultiline(w, 'Annotations', meta.annotations)
    w.write(LEVEL_0, `Finalizers:\t${goList(meta.finalizers)}\n`)
    w.write(LEVEL_0, `StorageClass:\t${pvClass(pv)}\n`)
    if (meta.deletionTimestamp)
      w.write(LEVEL_0, `Status:\tTerminating (lasts ${timestampSince(meta.deletionTimestamp, now)})\n`)
    else w.write(LEVEL_0, `Status:\t${str(pv.status?.phase)}\n`)
    w.write(LEVEL_0, `Claim:\t${spec.claimRef ? `${str(spec.claimRef.namespace)}/${str(spec.claimRef.name)}` : ''}\n`)
    w.write(LEVEL_0, `Reclaim Policy:\t${str(spec.persistentVolumeReclaimPolicy)}\n`)
    w.write(LEVEL_0, `Access Modes:\t${accessModesString(spec.accessModes)}\n`)
    if (spec.volumeMode) w.write(LEVEL_0, `VolumeMode:\t${spec.volumeMode}\n`)
    w.write(LEVEL_0, `Capacity:\t${quantityString(spec.capacity?.storage)}\n`)
    w.write(LEVEL_0, 'Node Affinity:\t')
    const req = spec.nodeAffinity?.required
    if (!req) w.writeLine('<none>')
    else {
      w.writeLine('')
      w.write(LEVEL_1, 'Required Terms:\t')
      const terms: Obj[] = req.nodeSelectorTerms ?? []
      if (terms.length === 0) w.writeLine('<none>')
      else {
        w.writeLine('')
        terms.forEach((t, i) => printSelectorTerm(w, LEVEL_2, `Term ${i}`, t.matchExpressions))
      }
    }
    w.write(LEVEL_0, `Message:\t${str(pv.status?.message)}\n`)
    w.write(LEVEL_0, 'Source:\n')
    if (spec.hostPath) printHostPath(spec.hostPath, w)
    else if (spec.nfs) printNFS(spec.nfs, w)
    else if (spec.local) {
      w.write(
        LEVEL_2,
        `Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n    Path:\t${str(spec.local.path)}\n`,
      )
    } else if (spec.csi) {
      const c = spec.csi
      w.write(
        LEVEL_2,
        `Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t${str(c.driver)}\n    FSType:\t${str(c.fsType)}\n    VolumeHandle:\t${str(c.volumeHandle)}\n    ReadOnly:\t${c.readOnly === true}\n`,
      )
      printCSIAttributes(w, c.volumeAttributes)
    } else w.write(LEVEL_1, '<unknown>\n')
    if (events) describeEvents(events, w, now)
  })
}

/** describePersistentVolumeClaim is PersistentVolumeClaimDescriber (with the pods that use the claim). */
export async function describePersistentVolumeClaim(
  ctx: DescribeContext,
  namespace: string,
  name: string,
): Promise<string> {
  const pvc = await getObject(ctx, apiPath('', 'v1', namespace, 'persistentvolumeclaims', name))
  const nsPods = await listAll(ctx, apiPath('', 'v1', namespace, 'pods'))
  const pods: Obj[] = []
  for (const p of nsPods) {
    for (const v of p.spec?.volumes ?? []) if (v.persistentVolumeClaim?.claimName === pvc.metadata?.name) pods.push(p)
  }
  for (const ref of pvc.metadata?.ownerReferences ?? []) {
    if (ref.kind !== 'Pod') continue
    const owner = nsPods.find((p) => p.metadata?.uid === ref.uid)
    if (!owner || pods.some((p) => p.metadata?.uid === owner.metadata?.uid)) continue
    pods.push(owner)
  }
  const events = await eventsFor(ctx, pvc, 'PersistentVolumeClaim')
  const now = ctx.now()
  return tabbedString((w) => {
    printPersistentVolumeClaim(w, pvc, true, now)
    w.write(LEVEL_0, 'Used By:\t')
    if (pods.length === 0) w.writeLine('<none>')
    else {
      goSort(pods, (a, b) => compareCodePoints(str(a.metadata?.name), str(b.metadata?.name)) < 0).forEach((p, i) => {
        if (i !== 0) w.write(LEVEL_0, '\t')
        w.write(LEVEL_0, `${str(p.metadata?.name)}\n`)
      })
    }
    const conditions: Obj[] = pvc.status?.conditions ?? []
    if (conditions.length > 0) {
      w.write(LEVEL_0, 'Conditions:\n')
      w.write(LEVEL_1, 'Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n')
      w.write(LEVEL_1, '----\t------\t-----------------\t------------------\t------\t-------\n')
      for (const c of conditions) {
        w.write(
          LEVEL_1,
          `${str(c.type)} \t${str(c.status)} \t${rfc1123z(c.lastProbeTime)} \t${rfc1123z(c.lastTransitionTime)} \t${str(c.reason)} \t${str(c.message)}\n`,
        )
      }
    }
    if (events) describeEvents(events, w, now)
  })
}

/** describeStorageClass is StorageClassDescriber. */
export async function describeStorageClass(ctx: DescribeContext, _ns: string, name: string): Promise<string> {
  const sc = await getObject(ctx, apiPath('storage.k8s.io', 'v1', undefined, 'storageclasses', name))
  const events = await eventsFor(ctx, sc, 'StorageClass')
  const now = ctx.now()
  return tabbedString((w) => {
    const ann = sc.metadata?.annotations ?? {}
    const isDefault =
      ann['storageclass.kubernetes.io/is-default-class'] === 'true' ||
      ann['storageclass.beta.kubernetes.io/is-default-class'] === 'true'
    w.write(LEVEL_0, `Name:\t${str(sc.metadata?.name)}\n`)
    w.write(LEVEL_0, `IsDefaultClass:\t${isDefault ? 'Yes' : 'No'}\n`)
    w.write(LEVEL_0, `Annotations:\t${formatLabels(ann)}\n`)
    w.write(LEVEL_0, `Provisioner:\t${str(sc.provisioner)}\n`)
    w.write(LEVEL_0, `Parameters:\t${formatLabels(sc.parameters)}\n`)
    w.write(LEVEL_0, `AllowVolumeExpansion:\t${printBoolPtr(sc.allowVolumeExpansion)}\n`)
    const opts: string[] = sc.mountOptions ?? []
    if (opts.length === 0) w.write(LEVEL_0, 'MountOptions:\t<none>\n')
    else {
      w.write(LEVEL_0, 'MountOptions:\n')
      for (const o of opts) w.write(LEVEL_1, `${o}\n`)
    }
    if (sc.reclaimPolicy) w.write(LEVEL_0, `ReclaimPolicy:\t${sc.reclaimPolicy}\n`)
    if (sc.volumeBindingMode) w.write(LEVEL_0, `VolumeBindingMode:\t${sc.volumeBindingMode}\n`)
    if (sc.allowedTopologies) {
      w.write(LEVEL_0, 'AllowedTopologies:\t')
      const terms: Obj[] = sc.allowedTopologies
      if (terms.length === 0) w.writeLine('<none>')
      else {
        w.writeLine('')
        terms.forEach((t, i) => printSelectorTerm(w, LEVEL_1, `Term ${i}`, t.matchLabelExpressions, 'in'))
      }
    }
    if (events) describeEvents(events, w, now)
  })
}
