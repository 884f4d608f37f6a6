// storage.ts: PersistentVolumeClaim, PersistentVolume and StorageClass. Defaults follow pkg/apis/core/v1/defaults.go
// (SetDefaults_PersistentVolume(Claim)) and pkg/apis/storage/v1/defaults.go; validation follows
// pkg/apis/core/validation (ValidatePersistentVolume(Claim)(Update)) and pkg/apis/storage/validation.
import {isDeepStrictEqual} from 'node:util'
import {fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired, type FieldError} from '../../../api/errors.js'
import type {KubeObject} from '../../../api/object.js'
import {parseQuantity} from '../../../api/quantity.js'
import {isDNS1123Subdomain, isQualifiedName} from '../../../api/validation.js'
import {validateLabelSelector} from '../../../api/labels.js'
import {rfc3339} from '../../clock.js'
import type {Strategy, StrategyContext} from '../types.js'
import {canonicalResources, isObject} from './go-format.js'

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod']
const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class'

/** defaultClaimSpec is SetDefaults_PersistentVolumeClaimSpec plus canonical quantities. */
export function defaultClaimSpec(spec: any, kind: string, version: string): void {
  if (!isObject(spec)) return
  if (!spec.volumeMode) spec.volumeMode = 'Filesystem'
  if (!isObject(spec.resources)) spec.resources = {}
  canonicalResources(spec.resources, 'requests', kind, version)
  canonicalResources(spec.resources, 'limits', kind, version)
}

/** defaultClaimTemplate defaults a StatefulSet volumeClaimTemplate as the apiserver stores it. */
export function defaultClaimTemplate(c: any, kind: string, version: string): void {
  if (!isObject(c)) return
  c.apiVersion ??= 'v1'
  c.kind ??= 'PersistentVolumeClaim'
  if (!isObject(c.metadata)) c.metadata = {}
  if (c.metadata.creationTimestamp === undefined) c.metadata.creationTimestamp = null
  if (!isObject(c.spec)) c.spec = {}
  defaultClaimSpec(c.spec, kind, version)
  if (!isObject(c.status)) c.status = {}
  if (!c.status.phase) c.status.phase = 'Pending'
}

/** validateClaimSpec is ValidatePersistentVolumeClaimSpec for the common mistakes. */
export function validateClaimSpec(spec: any, path: string): FieldError[] {
  const s = isObject(spec) ? spec : {}
  const errs: FieldError[] = []
  const modes: string[] = Array.isArray(s.accessModes) ? s.accessModes : []
  if (modes.length === 0) errs.push(fieldRequired(`${path}.accessModes`, 'at least 1 access mode is required'))
  if (s.selector) errs.push(...validateLabelSelector(s.selector, `${path}.selector`))
  for (const m of modes)
    if (!ACCESS_MODES.includes(m)) errs.push(fieldNotSupported(`${path}.accessModes`, m, ACCESS_MODES))
  if (modes.includes('ReadWriteOncePod') && modes.some((m) => m !== 'ReadWriteOncePod')) {
    errs.push(fieldForbidden(`${path}.accessModes`, 'may not use ReadWriteOncePod with other access modes'))
  }
  const storage = s.resources?.requests?.storage
  if (storage === undefined) errs.push(fieldRequired(`${path}.resources[storage]`))
  else {
    try {
      const v = parseQuantity(String(storage))
      if (v.sign() <= 0)
        errs.push(fieldInvalid(`${path}.resources[storage]`, v.toString(), 'must be greater than zero'))
    } catch {
      // Decoding already rejected it.
    }
  }
  if (s.storageClassName) {
    for (const m of isDNS1123Subdomain(s.storageClassName))
      errs.push(fieldInvalid(`${path}.storageClassName`, s.storageClassName, m))
  }
  if (s.volumeMode && s.volumeMode !== 'Block' && s.volumeMode !== 'Filesystem') {
    errs.push(fieldNotSupported(`${path}.volumeMode`, s.volumeMode, ['Block', 'Filesystem']))
  }
  return errs
}

function defaultStorageClassName(o: KubeObject, ctx: StrategyContext) {
  // DefaultStorageClass admission. The context can only look objects up by name, so the default class is found
  // among the names a cluster usually has (minikube's "standard").
  const s = o.spec as Record<string, any>
  if (s.storageClassName !== undefined && s.storageClassName !== null) return
  const r = ctx.resourceFor('storage.k8s.io', 'StorageClass')
  if (!r) return
  for (const name of ['standard', 'default']) {
    const sc: any = ctx.lookup(r, undefined, name)
    if (sc?.metadata?.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true') {
      s.storageClassName = name
      return
    }
  }
}

function claimStorage(o: any): string | undefined {
  return o?.spec?.resources?.requests?.storage
}

/** persistentVolumeClaimStrategy is the PersistentVolumeClaim strategy. */
export const persistentVolumeClaimStrategy: Strategy = {
  prepareForCreate(o, ctx) {
    if (!isObject(o.spec)) o.spec = {}
    defaultClaimSpec(o.spec, 'PersistentVolumeClaim', ctx.resource.version)
    defaultStorageClassName(o, ctx)
    o.status = {phase: 'Pending'}
  },
  prepareForUpdate(o, _old, ctx) {
    if (!isObject(o.spec)) o.spec = {}
    defaultClaimSpec(o.spec, 'PersistentVolumeClaim', ctx.resource.version)
  },
  validate(o) {
    return validateClaimSpec(o.spec, 'spec')
  },
  validateUpdate(o, old) {
    const errs = validateClaimSpec(o.spec, 'spec')
    const n = structuredClone((o.spec ?? {}) as Record<string, any>)
    const prev = structuredClone((old.spec ?? {}) as Record<string, any>)
    if (!prev.volumeName) {
      if (n.volumeName === undefined) delete prev.volumeName
      else prev.volumeName = n.volumeName
    }
    if ((prev.storageClassName === undefined || prev.storageClassName === null) && n.storageClassName !== undefined) {
      prev.storageClassName = n.storageClassName
    }
    const bound = (o.status as any)?.phase === 'Bound'
    if (bound && n.resources?.requests) {
      if (prev.resources?.requests?.storage === undefined) delete n.resources.requests.storage
      else n.resources.requests.storage = prev.resources.requests.storage
    }
    if (!isDeepStrictEqual(n, prev)) {
      errs.push(
        fieldForbidden(
          'spec',
          'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
        ),
      )
    }
    const ns = claimStorage(o)
    const os = claimStorage(old)
    if (ns !== undefined && os !== undefined) {
      try {
        if (parseQuantity(ns).cmp(parseQuantity(os)) < 0) {
          errs.push(fieldForbidden('spec.resources.requests.storage', 'field can not be less than previous value'))
        }
      } catch {
        // Not a quantity; decoding rejected it.
      }
    }
    return errs
  },
}

const PV_SOURCES = [
  'hostPath',
  'local',
  'nfs',
  'csi',
  'iscsi',
  'fc',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'azureDisk',
  'azureFile',
  'cephfs',
  'cinder',
  'flexVolume',
  'flocker',
  'glusterfs',
  'photonPersistentDisk',
  'portworxVolume',
  'quobyte',
  'rbd',
  'scaleIO',
  'storageos',
  'vsphereVolume',
]

/** persistentVolumeStrategy is the PersistentVolume strategy. */
export const persistentVolumeStrategy: Strategy = {
  prepareForCreate(o, ctx) {
    if (!isObject(o.spec)) o.spec = {}
    const s = o.spec as Record<string, any>
    if (!s.persistentVolumeReclaimPolicy) s.persistentVolumeReclaimPolicy = 'Retain'
    if (!s.volumeMode) s.volumeMode = 'Filesystem'
    if (isObject(s.hostPath) && s.hostPath.type === undefined) s.hostPath.type = ''
    canonicalResources(s, 'capacity', 'PersistentVolume', ctx.resource.version)
    o.status = {phase: 'Pending', lastPhaseTransitionTime: rfc3339(ctx.clock.now())}
  },
  prepareForUpdate(o, _old, ctx) {
    if (!isObject(o.spec)) o.spec = {}
    const s = o.spec as Record<string, any>
    if (!s.persistentVolumeReclaimPolicy) s.persistentVolumeReclaimPolicy = 'Retain'
    if (!s.volumeMode) s.volumeMode = 'Filesystem'
    canonicalResources(s, 'capacity', 'PersistentVolume', ctx.resource.version)
  },
  validate(o) {
    const s = (isObject(o.spec) ? o.spec : {}) as Record<string, any>
    const errs: FieldError[] = []
    const modes: string[] = Array.isArray(s.accessModes) ? s.accessModes : []
    if (modes.length === 0) errs.push(fieldRequired('spec.accessModes'))
    for (const m of modes)
      if (!ACCESS_MODES.includes(m)) errs.push(fieldNotSupported('spec.accessModes', m, ACCESS_MODES))
    const cap = isObject(s.capacity) ? s.capacity : {}
    if (Object.keys(cap).length === 0) errs.push(fieldRequired('spec.capacity'))
    else if (cap.storage === undefined || Object.keys(cap).length > 1) {
      errs.push(fieldNotSupported('spec.capacity', cap, ['storage']))
    }
    for (const [k, v] of Object.entries(cap)) {
      try {
        const q = parseQuantity(String(v))
        if (q.sign() <= 0) errs.push(fieldInvalid(`spec.capacity[${k}]`, q.toString(), 'must be greater than zero'))
      } catch {
        // Decoding already rejected it.
      }
    }
    const rp = s.persistentVolumeReclaimPolicy
    if (rp && !['Delete', 'Recycle', 'Retain'].includes(rp)) {
      errs.push(fieldNotSupported('spec.persistentVolumeReclaimPolicy', rp, ['Delete', 'Recycle', 'Retain']))
    }
    const sources = PV_SOURCES.filter((k) => isObject(s[k]))
    if (sources.length === 0) errs.push(fieldRequired('spec', 'must specify a volume type'))
    else if (sources.length > 1)
      errs.push(fieldForbidden(`spec.${sources[1]}`, 'may not specify more than 1 volume type'))
    if (isObject(s.hostPath) && !s.hostPath.path) errs.push(fieldRequired('spec.hostPath.path'))
    return errs
  },
}

function defaultStorageClass(o: KubeObject) {
  const x = o as Record<string, any>
  if (!x.reclaimPolicy) x.reclaimPolicy = 'Delete'
  if (!x.volumeBindingMode) x.volumeBindingMode = 'Immediate'
}

function validateStorageClass(o: KubeObject): FieldError[] {
  const x = o as Record<string, any>
  const errs: FieldError[] = []
  const p = String(x.provisioner ?? '')
  if (!p) errs.push(fieldRequired('provisioner'))
  else for (const m of isQualifiedName(p.toLowerCase())) errs.push(fieldInvalid('provisioner', p, m))
  if (x.reclaimPolicy && !['Delete', 'Retain'].includes(x.reclaimPolicy)) {
    errs.push(fieldNotSupported('reclaimPolicy', x.reclaimPolicy, ['Delete', 'Retain']))
  }
  if (x.volumeBindingMode && !['Immediate', 'WaitForFirstConsumer'].includes(x.volumeBindingMode)) {
    errs.push(fieldNotSupported('volumeBindingMode', x.volumeBindingMode, ['Immediate', 'WaitForFirstConsumer']))
  }
  return errs
}

/** storageClassStrategy is the StorageClass strategy. */
export const storageClassStrategy: Strategy = {
  prepareForCreate: defaultStorageClass,
  prepareForUpdate: defaultStorageClass,
  validate: validateStorageClass,
  validateUpdate(o, old) {
    const n = o as Record<string, any>
    const p = old as Record<string, any>
    const errs = validateStorageClass(o)
    if (!isDeepStrictEqual(n.parameters ?? {}, p.parameters ?? {}))
      errs.push(fieldForbidden('parameters', 'updates to parameters are forbidden.'))
    if (n.provisioner !== p.provisioner)
      errs.push(fieldForbidden('provisioner', 'updates to provisioner are forbidden.'))
    if (n.reclaimPolicy !== p.reclaimPolicy)
      errs.push(fieldForbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'))
    if (n.volumeBindingMode !== p.volumeBindingMode)
      errs.push(fieldInvalid('volumeBindingMode', n.volumeBindingMode, 'field is immutable'))
    return errs
  },
}
