// limitranger.ts: the LimitRanger admission plugin (follows kubernetes plugin/pkg/admission/limitranger
// admission.go). On pod create it fills in the namespace's LimitRange defaults (default → limits, defaultRequest →
// requests) for containers and init containers that do not state them, and records what it set in the
// kubernetes.io/limit-ranger annotation; then it checks min, max and maxLimitRequestRatio per Container and per
// Pod, and min/max storage per PersistentVolumeClaim, refusing with the apiserver's 403 wording.
import {forbidden} from '../../api/errors.js'
import type {KubeObject} from '../../api/object.js'
import {Quantity} from '../../api/quantity.js'
import type {ResourceInfo} from '../../api/resources.js'
import type {AdmissionDeps} from '../controllers/index.js'
import {podRequestsAndLimits, type ResourceList} from '../controllers/resourcequota.js'
import {podQOSClass} from '../registry/kinds/pod-spec.js'
import type {AdmissionAttributes, AdmissionPlugin} from '../registry/types.js'

/** LIMIT_RANGER_ANNOTATION names the resources the plugin set, per container. */
export const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger'

/** MAX_MILLI_VALUE is resource.MaxMilliValue: above it comparisons use whole units. */
const MAX_MILLI_VALUE = Number.MAX_SAFE_INTEGER / 1000

function q(v: unknown): Quantity | undefined {
  try {
    return v === undefined || v === null ? undefined : Quantity.fromJSON(v)
  } catch {
    return undefined
  }
}

function listOf(obj: Record<string, unknown> | undefined): ResourceList {
  const out: ResourceList = new Map()
  for (const [k, v] of Object.entries(obj ?? {})) {
    const x = q(v)
    if (x) out.set(k, x)
  }
  return out
}

/** values is requestLimitEnforcedValues: the three amounts at a common precision (milli when it fits). */
function values(req: Quantity | undefined, lim: Quantity | undefined, enforced: Quantity): [number, number, number] {
  const r = req?.value() ?? 0
  const l = lim?.value() ?? 0
  const e = enforced.value()
  if (r <= MAX_MILLI_VALUE && l <= MAX_MILLI_VALUE && e <= MAX_MILLI_VALUE) {
    return [req?.milliValue() ?? 0, lim?.milliValue() ?? 0, enforced.milliValue()]
  }
  return [r, l, e]
}

function minConstraint(
  type: string,
  name: string,
  enforced: Quantity,
  request: ResourceList,
  limit: ResourceList,
): string | undefined {
  const req = request.get(name)
  const lim = limit.get(name)
  const [r, l, e] = values(req, lim, enforced)
  if (!req) return `minimum ${name} usage per ${type} is ${enforced}.  No request is specified`
  if (r < e) return `minimum ${name} usage per ${type} is ${enforced}, but request is ${req}`
  if (lim && l < e) return `minimum ${name} usage per ${type} is ${enforced}, but limit is ${lim}`
  return undefined
}

function maxConstraint(
  type: string,
  name: string,
  enforced: Quantity,
  request: ResourceList,
  limit: ResourceList,
): string | undefined {
  const req = request.get(name)
  const lim = limit.get(name)
  const [r, l, e] = values(req, lim, enforced)
  if (!lim) return `maximum ${name} usage per ${type} is ${enforced}.  No limit is specified`
  if (l > e) return `maximum ${name} usage per ${type} is ${enforced}, but limit is ${lim}`
  if (req && r > e) return `maximum ${name} usage per ${type} is ${enforced}, but request is ${req}`
  return undefined
}

function maxRequestConstraint(
  type: string,
  name: string,
  enforced: Quantity,
  request: ResourceList,
): string | undefined {
  const req = request.get(name)
  const [r, , e] = values(req, undefined, enforced)
  if (!req) return `maximum ${name} usage per ${type} is ${enforced}.  No request is specified`
  if (r > e) return `maximum ${name} usage per ${type} is ${enforced}, but request is ${req}`
  return undefined
}

/** formatFloat prints like Go's %f (six decimals). */
function formatFloat(x: number): string {
  return x.toFixed(6)
}

function ratioConstraint(
  type: string,
  name: string,
  enforced: Quantity,
  request: ResourceList,
  limit: ResourceList,
): string | undefined {
  const req = request.get(name)
  const lim = limit.get(name)
  const [r, l] = values(req, lim, enforced)
  if (!req || r === 0)
    return `${name} max limit to request ratio per ${type} is ${enforced}, but no request is specified or request is 0`
  if (!lim || l === 0)
    return `${name} max limit to request ratio per ${type} is ${enforced}, but no limit is specified or limit is 0`
  const observed = l / r
  let ratio = observed
  let max = enforced.value()
  if (enforced.value() <= MAX_MILLI_VALUE) {
    ratio = observed * 1000
    max = enforced.milliValue()
  }
  if (ratio > max)
    return `${name} max limit to request ratio per ${type} is ${enforced}, but provided ratio is ${formatFloat(observed)}`
  return undefined
}

const sortedEntries = (o: Record<string, unknown> | undefined) =>
  Object.entries(o ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => [k, q(v)] as const)
    .filter((e): e is readonly [string, Quantity] => e[1] !== undefined)

/** checkItem runs min, max and ratio of one LimitRange item over a request and limit list. */
function checkItem(item: any, request: ResourceList, limit: ResourceList, errs: string[]) {
  const type = String(item.type)
  for (const [k, v] of sortedEntries(item.min)) {
    const e = minConstraint(type, k, v, request, limit)
    if (e) errs.push(e)
  }
  for (const [k, v] of sortedEntries(item.max)) {
    const e = maxConstraint(type, k, v, request, limit)
    if (e) errs.push(e)
  }
  for (const [k, v] of sortedEntries(item.maxLimitRequestRatio)) {
    const e = ratioConstraint(type, k, v, request, limit)
    if (e) errs.push(e)
  }
}

/** mergeDefaults is mergePodResourceRequirements: fill defaults and note them in the annotation. */
export function mergeDefaults(pod: KubeObject, items: any[]): void {
  const defaults: {requests: Record<string, string>; limits: Record<string, string>} = {requests: {}, limits: {}}
  for (const item of items) {
    if (item.type !== 'Container') continue
    for (const [k, v] of Object.entries(item.defaultRequest ?? {})) defaults.requests[k] = String(v)
    for (const [k, v] of Object.entries(item.default ?? {})) defaults.limits[k] = String(v)
  }
  if (!Object.keys(defaults.requests).length && !Object.keys(defaults.limits).length) return
  const notes: string[] = []
  const spec = (pod.spec ?? {}) as any
  const merge = (c: any, kind: string) => {
    c.resources ??= {}
    const setL: string[] = []
    const setR: string[] = []
    for (const [k, v] of Object.entries(defaults.limits)) {
      if (c.resources.limits?.[k] === undefined) {
        c.resources.limits = {...(c.resources.limits ?? {}), [k]: v}
        setL.push(k)
      }
    }
    for (const [k, v] of Object.entries(defaults.requests)) {
      if (c.resources.requests?.[k] === undefined) {
        c.resources.requests = {...(c.resources.requests ?? {}), [k]: v}
        setR.push(k)
      }
    }
    if (setR.length) notes.push(`${setR.sort().join(', ')} request for ${kind} ${c.name}`)
    if (setL.length) notes.push(`${setL.sort().join(', ')} limit for ${kind} ${c.name}`)
  }
  for (const c of spec.containers ?? []) merge(c, 'container')
  for (const c of spec.initContainers ?? []) merge(c, 'init container')
  if (notes.length) {
    pod.metadata ??= {}
    pod.metadata.annotations = {
      ...(pod.metadata.annotations ?? {}),
      [LIMIT_RANGER_ANNOTATION]: `LimitRanger plugin set: ${notes.join('; ')}`,
    }
  }
}

/** validatePod is PodValidateLimitFunc; validatePVC is PersistentVolumeClaimValidateLimitFunc. */
export function validatePod(pod: KubeObject, items: any[]): string[] {
  const errs: string[] = []
  const spec = (pod.spec ?? {}) as any
  for (const item of items) {
    if (item.type === 'Container') {
      for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
        checkItem(item, listOf(c.resources?.requests), listOf(c.resources?.limits), errs)
      }
    } else if (item.type === 'Pod') {
      const {requests, limits} = podRequestsAndLimits(spec)
      checkItem(item, requests, limits, errs)
    }
  }
  return errs
}

export function validatePVC(pvc: KubeObject, items: any[]): string[] {
  const errs: string[] = []
  const requests = listOf((pvc.spec as any)?.resources?.requests)
  for (const item of items) {
    if (item.type !== 'PersistentVolumeClaim') continue
    for (const [k, v] of sortedEntries(item.min)) {
      const e = minConstraint('PersistentVolumeClaim', k, v, requests, new Map())
      if (e) errs.push(e)
    }
    for (const [k, v] of sortedEntries(item.max)) {
      const e = maxRequestConstraint('PersistentVolumeClaim', k, v, requests)
      if (e) errs.push(e)
    }
  }
  return errs
}

/** aggregate renders errors as utilerrors.NewAggregate does: one bare, several in brackets (duplicates once). */
function aggregate(errs: string[]): string {
  const uniq = [...new Set(errs)]
  return uniq.length === 1 ? uniq[0]! : `[${uniq.join(', ')}]`
}

/** limitRangerAdmission builds the LimitRanger admission plugin. */
export function limitRangerAdmission(d: AdmissionDeps): AdmissionPlugin {
  let lrR: ResourceInfo | undefined
  const lrResource = () =>
    (lrR ??= d.resources().all.find((r) => r.group === '' && r.plural === 'limitranges' && !r.storageOf)!)
  const cached = d.informers?.for('limitranges')
  const items = (ns: string) =>
    cached && cached.list(ns).length === 0
      ? []
      : d.registry.list(lrResource(), ns).items.map((lr) => ((lr.spec as any)?.limits ?? []) as any[])
  /** supports is SupportsAttributes: pods on create, claims on create and update, no subresources. */
  const supports = (a: AdmissionAttributes) => {
    if (a.subresource || a.resource.group !== '' || !a.namespace) return false
    if (a.resource.plural === 'pods') return a.operation === 'CREATE'
    return a.resource.plural === 'persistentvolumeclaims'
  }
  return {
    name: 'LimitRanger',
    mutate(a) {
      if (!supports(a) || a.resource.plural !== 'pods') return
      const ranges = items(a.namespace!)
      if (ranges.length === 0) return
      for (const r of ranges) mergeDefaults(a.object, r)
      // The apiserver computes qosClass after admission; the registry did it before, so it is recomputed here.
      const st = a.object.status as any
      if (st && 'qosClass' in st) st.qosClass = podQOSClass(a.object.spec)
    },
    validate(a) {
      if (!supports(a)) return
      const ranges = items(a.namespace!)
      if (ranges.length === 0) return
      const errs: string[] = []
      for (const r of ranges)
        errs.push(...(a.resource.plural === 'pods' ? validatePod(a.object, r) : validatePVC(a.object, r)))
      if (errs.length === 0) return
      const gr = {group: a.resource.group, plural: a.resource.plural}
      throw forbidden(gr, String(a.object.metadata?.name ?? ''), aggregate(errs))
    },
  }
}
