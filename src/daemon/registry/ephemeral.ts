// ephemeral.ts: the pods/ephemeralcontainers subresource. A write to it changes nothing of the pod but
// spec.ephemeralContainers (pkg/registry/core/pod/strategy.go podEphemeralContainersStrategy,
// dropNonEphemeralContainerUpdates), and it is validated by ValidatePodEphemeralContainersUpdate instead of
// ValidatePodUpdate (pkg/apis/core/validation/validation.go): the pod spec must stay valid, ephemeral containers may
// only be added (never changed or removed), their names are unique across every container of the pod, their
// target names a regular or init container, and the fields a debugging container must not rely on (ports, probes,
// lifecycle, resources, restart and resize policies, volume subPaths) are forbidden.
import {isDeepStrictEqual} from 'node:util'
import {
  fieldDuplicate,
  fieldForbidden,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  type FieldError,
} from '../../api/errors.js'
import type {KubeObject} from '../../api/object.js'
import {isDNS1123Label} from '../../api/validation.js'
import {fieldNotFound, isObject} from './kinds/go-format.js'
import {defaultContainer, validatePodSpec} from './kinds/pod-spec.js'

/** EPHEMERAL_SUBRESOURCE is the subresource's name in URLs and in managedFields entries. */
export const EPHEMERAL_SUBRESOURCE = 'ephemeralcontainers'

/** MIRROR_POD_ANNOTATION marks static (mirror) pods, which have no ephemeral containers (#113935). */
const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror'

/** FORBIDDEN_TEXT is validateFieldAllowList's errorText for ephemeral containers. */
const FORBIDDEN_TEXT = 'cannot be set for an Ephemeral Container'

/**
 * DISALLOWED_FIELDS are the EphemeralContainerCommon fields outside allowedEphemeralContainerFields, in Go struct
 * order (the order validateFieldAllowList reports them in).
 */
const DISALLOWED_FIELDS = [
  'ports',
  'resources',
  'resizePolicy',
  'restartPolicy',
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'lifecycle',
]

/** isZero says whether a JSON value is Go's zero value for its field (absent, null, empty list or empty struct). */
function isZero(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === false || v === 0) return true
  if (Array.isArray(v)) return v.length === 0
  if (isObject(v)) return Object.values(v).every((x) => isZero(x))
  return false
}

/**
 * mergeEphemeralContainers builds the pod a write to the subresource leaves: the stored pod with the request's
 * spec.ephemeralContainers (defaulted as the API server's defaulting does), and nothing else of the request.
 */
export function mergeEphemeralContainers(old: KubeObject, incoming: KubeObject): KubeObject {
  const next = structuredClone(old) as any
  const wanted = (incoming as any)?.spec?.ephemeralContainers
  next.spec ??= {}
  if (wanted === undefined || wanted === null) delete next.spec.ephemeralContainers
  else {
    next.spec.ephemeralContainers = structuredClone(wanted)
    for (const c of Array.isArray(wanted) ? next.spec.ephemeralContainers : []) defaultContainer(c)
  }
  return next
}

/** validateEphemeralContainers follows validation.go validateEphemeralContainers over a pod spec. */
export function validateEphemeralContainers(spec: any, path = 'spec'): FieldError[] {
  const errs: FieldError[] = []
  const list: any[] = Array.isArray(spec?.ephemeralContainers) ? spec.ephemeralContainers : []
  if (list.length === 0) return errs
  const others = new Set<string>()
  for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) others.add(String(c?.name ?? ''))
  const all = new Set(others)
  const volumes = new Set<string>((spec?.volumes ?? []).map((v: any) => String(v?.name ?? '')))
  list.forEach((ec, i) => {
    const p = `${path}.ephemeralContainers[${i}]`
    const name = String(ec?.name ?? '')
    // validateContainerCommon: name, image, termination message policy, volume mounts, pull policy.
    if (!name) errs.push(fieldRequired(`${p}.name`))
    else for (const m of isDNS1123Label(name)) errs.push(fieldInvalid(`${p}.name`, name, m))
    if (!ec?.image) errs.push(fieldRequired(`${p}.image`))
    const tmp = ec?.terminationMessagePolicy
    if (!tmp) errs.push(fieldRequired(`${p}.terminationMessagePolicy`))
    else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError')
      errs.push(fieldNotSupported(`${p}.terminationMessagePolicy`, tmp, ['File', 'FallbackToLogsOnError']))
    ;(Array.isArray(ec?.volumeMounts) ? ec.volumeMounts : []).forEach((vm: any, j: number) => {
      const vp = `${p}.volumeMounts[${j}]`
      if (!vm?.name) errs.push(fieldRequired(`${vp}.name`))
      else if (!volumes.has(vm.name)) errs.push(fieldNotFound(`${vp}.name`, vm.name))
      if (!vm?.mountPath) errs.push(fieldRequired(`${vp}.mountPath`))
    })
    const pp = ec?.imagePullPolicy
    if (!pp) errs.push(fieldRequired(`${p}.imagePullPolicy`))
    else if (!['Always', 'IfNotPresent', 'Never'].includes(pp))
      errs.push(fieldNotSupported(`${p}.imagePullPolicy`, pp, ['Always', 'IfNotPresent', 'Never']))
    // Names are unique across regular, init and ephemeral containers.
    if (all.has(name)) errs.push(fieldDuplicate(`${p}.name`, name))
    else all.add(name)
    const target = ec?.targetContainerName
    if (target && !others.has(target)) errs.push(fieldNotFound(`${p}.targetContainerName`, target))
    for (const f of DISALLOWED_FIELDS) if (!isZero(ec?.[f])) errs.push(fieldForbidden(`${p}.${f}`, FORBIDDEN_TEXT))
    ;(Array.isArray(ec?.volumeMounts) ? ec.volumeMounts : []).forEach((vm: any, j: number) => {
      if (vm?.subPath) errs.push(fieldForbidden(`${p}.volumeMounts[${j}].subPath`, FORBIDDEN_TEXT))
      if (vm?.subPathExpr) errs.push(fieldForbidden(`${p}.volumeMounts[${j}].subPathExpr`, FORBIDDEN_TEXT))
    })
  })
  return errs
}

/** diffLines is a short cmp.Diff-like listing of the fields of an ephemeral container that changed. */
function diffLines(old: Record<string, unknown>, next: Record<string, unknown>): string {
  const lines = ['  core.EphemeralContainer{']
  for (const k of [...new Set([...Object.keys(old), ...Object.keys(next)])].sort()) {
    if (isDeepStrictEqual(old[k], next[k])) continue
    const field = k.charAt(0).toUpperCase() + k.slice(1)
    if (old[k] !== undefined) lines.push(`- \t${field}: ${JSON.stringify(old[k])},`)
    if (next[k] !== undefined) lines.push(`+ \t${field}: ${JSON.stringify(next[k])},`)
  }
  lines.push('  }')
  return lines.join('\n') + '\n'
}

/**
 * validateEphemeralContainersUpdate follows ValidatePodEphemeralContainersUpdate: the new pod's spec is valid, a
 * static pod takes no ephemeral containers, and every existing ephemeral container is still there, unchanged.
 */
export function validateEphemeralContainersUpdate(pod: KubeObject, old: KubeObject): FieldError[] {
  const annotations = (old.metadata?.annotations ?? {}) as Record<string, string>
  if (annotations[MIRROR_POD_ANNOTATION] !== undefined)
    return [fieldForbidden('', 'static pods do not support ephemeral containers')]
  const spec = (pod as any).spec ?? {}
  const errs = [...validatePodSpec(spec, 'spec', true), ...validateEphemeralContainers(spec)]
  const byName = new Map<string, any>()
  for (const ec of Array.isArray(spec.ephemeralContainers) ? spec.ephemeralContainers : []) byName.set(ec?.name, ec)
  for (const was of ((old as any).spec?.ephemeralContainers ?? []) as any[]) {
    const now = byName.get(was?.name)
    if (!now)
      errs.push(
        fieldForbidden('spec.ephemeralContainers', `existing ephemeral containers "${was?.name}" may not be removed\n`),
      )
    else if (!isDeepStrictEqual(now, was))
      errs.push(
        fieldForbidden(
          `spec.ephemeralContainers[${was?.name}]`,
          `existing ephemeral containers "${was?.name}" may not be changed\n${diffLines(was, now)}`,
        ),
      )
  }
  return errs
}
