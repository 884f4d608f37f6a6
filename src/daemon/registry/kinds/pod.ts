// pod.ts: the Pod strategy. Create runs the decode-time defaults (pkg/apis/core/v1/defaults.go), then what the
// admission chain adds in a default 1.32 apiserver (ServiceAccount: the account name and the projected
// kube-api-access-xxxxx volume; DefaultTolerationSeconds; Priority), then PrepareForCreate's status
// (pkg/registry/core/pod/strategy.go). Updates follow ValidatePodUpdate: only images, activeDeadlineSeconds,
// added tolerations and a few more fields may change.
import {fieldForbidden, fieldInvalid, fieldRequired, forbidden, type FieldError} from '../../../api/errors.js'
import type {KubeObject} from '../../../api/object.js'
import type {Strategy, StrategyContext} from '../types.js'
import {isObject} from './go-format.js'
import {canonicalPodQuantities, defaultPodSpec, podQOSClass, validatePodSpec} from './pod-spec.js'
import {jsonEqual} from '../../storage/json-copy.js'

/** SERVICE_ACCOUNT_MOUNT_PATH is where the ServiceAccount admission mounts the API credentials. */
export const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount'

const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror'
const SYSTEM_PRIORITIES: Record<string, number> = {
  'system-node-critical': 2000001000,
  'system-cluster-critical': 2000000000,
}

/** serviceAccountVolume is the projected volume the ServiceAccount admission plugin adds (1.22+ bound tokens). */
export function serviceAccountVolume(name: string): Record<string, unknown> {
  return {
    name,
    projected: {
      defaultMode: 420,
      sources: [
        {serviceAccountToken: {expirationSeconds: 3607, path: 'token'}},
        {configMap: {name: 'kube-root-ca.crt', items: [{key: 'ca.crt', path: 'ca.crt'}]}},
        {downwardAPI: {items: [{path: 'namespace', fieldRef: {apiVersion: 'v1', fieldPath: 'metadata.namespace'}}]}},
      ],
    },
  }
}

/** automountOff tells whether the pod's ServiceAccount says automountServiceAccountToken: false (kept per account). */
function automountOff(ctx: StrategyContext, ns: string, name: string): boolean {
  const r = ctx.resourceFor('', 'ServiceAccount')
  return r
    ? ctx.lookupFact(r, ns, name, 'automount-off', (sa: any) => sa?.automountServiceAccountToken === false)
    : false
}

/** admitServiceAccount follows plugin/pkg/admission/serviceaccount: default account and token volume. */
function admitServiceAccount(pod: KubeObject, ctx: StrategyContext) {
  const spec = pod.spec as any
  if (!spec.serviceAccountName) spec.serviceAccountName = 'default'
  spec.serviceAccount = spec.serviceAccountName
  if (spec.automountServiceAccountToken === false) return
  const off = automountOff(ctx, String(pod.metadata?.namespace ?? ''), spec.serviceAccountName)
  if (off && spec.automountServiceAccountToken !== true) return
  const volumes: any[] = Array.isArray(spec.volumes) ? spec.volumes : []
  const existing = volumes.find((v) => typeof v?.name === 'string' && v.name.startsWith('kube-api-access-'))
  const volumeName = existing?.name ?? `kube-api-access-${ctx.ids.nameSuffix()}`
  let needed = false
  for (const list of ['initContainers', 'containers']) {
    for (const c of Array.isArray(spec[list]) ? spec[list] : []) {
      const mounts: any[] = Array.isArray(c.volumeMounts) ? c.volumeMounts : []
      if (mounts.some((m) => m?.mountPath === SERVICE_ACCOUNT_MOUNT_PATH)) continue
      c.volumeMounts = [...mounts, {name: volumeName, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH}]
      needed = true
    }
  }
  if (needed && !existing) spec.volumes = [...volumes, serviceAccountVolume(volumeName)]
}

/** admitPriority is the Priority admission plugin: priority and preemptionPolicy from the PriorityClass. */
function admitPriority(pod: KubeObject, ctx: StrategyContext) {
  const spec = pod.spec as any
  const name = String(pod.metadata?.name ?? '')
  let priority = 0
  let policy = 'PreemptLowerPriority'
  if (spec.priorityClassName) {
    const r = ctx.resourceFor('scheduling.k8s.io', 'PriorityClass')
    const pc: any = r ? ctx.lookup(r, undefined, spec.priorityClassName) : undefined
    if (pc) {
      priority = Number(pc.value ?? 0)
      policy = pc.preemptionPolicy ?? 'PreemptLowerPriority'
    } else if (SYSTEM_PRIORITIES[spec.priorityClassName] !== undefined) {
      priority = SYSTEM_PRIORITIES[spec.priorityClassName]!
    } else {
      throw forbidden(
        {group: '', plural: 'pods'},
        name,
        `no PriorityClass with name ${spec.priorityClassName} was found`,
      )
    }
  }
  if (spec.priority !== undefined && spec.priority !== null && spec.priority !== priority) {
    throw forbidden(
      {group: '', plural: 'pods'},
      name,
      `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`,
    )
  }
  if (spec.preemptionPolicy && spec.preemptionPolicy !== policy) {
    throw forbidden(
      {group: '', plural: 'pods'},
      name,
      `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${policy} from the given PriorityClass name`,
    )
  }
  spec.priority = priority
  spec.preemptionPolicy = policy
}

const UPDATABLE =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)'

function goField(k: string): string {
  return k.charAt(0).toUpperCase() + k.slice(1)
}

/** specDiff is a short cmp.Diff-like listing of the top-level PodSpec fields that differ. */
function specDiff(oldSpec: Record<string, unknown>, newSpec: Record<string, unknown>): string {
  const lines = ['  core.PodSpec{']
  const keys = [...new Set([...Object.keys(oldSpec), ...Object.keys(newSpec)])].sort()
  for (const k of keys) {
    if (jsonEqual(oldSpec[k], newSpec[k])) continue
    if (oldSpec[k] !== undefined) lines.push(`- \t${goField(k)}: ${JSON.stringify(oldSpec[k])},`)
    if (newSpec[k] !== undefined) lines.push(`+ \t${goField(k)}: ${JSON.stringify(newSpec[k])},`)
  }
  lines.push('  }')
  return lines.join('\n') + '\n'
}

/** validatePodUpdate follows ValidatePodUpdate for the spec. */
export function validatePodUpdate(pod: KubeObject, old: KubeObject): FieldError[] {
  const n = (isObject(pod.spec) ? pod.spec : {}) as Record<string, any>
  const o = (isObject(old.spec) ? old.spec : {}) as Record<string, any>
  const errs: FieldError[] = []
  for (const list of ['containers', 'initContainers']) {
    const nc: any[] = n[list] ?? []
    const oc: any[] = o[list] ?? []
    if (nc.length !== oc.length) return [fieldForbidden(`spec.${list}`, 'pod updates may not add or remove containers')]
    nc.forEach((c, i) => {
      if (!c?.image) errs.push(fieldRequired(`spec.${list}[${i}].image`))
      else if (String(c.image).trim() !== c.image) {
        errs.push(fieldInvalid(`spec.${list}[${i}].image`, c.image, 'must not have leading or trailing whitespace'))
      }
    })
  }
  if (typeof n.activeDeadlineSeconds === 'number') {
    if (n.activeDeadlineSeconds < 0 || n.activeDeadlineSeconds > 2147483647) {
      return [
        ...errs,
        fieldInvalid(
          'spec.activeDeadlineSeconds',
          n.activeDeadlineSeconds,
          'must be between 0 and 2147483647, inclusive',
        ),
      ]
    }
    if (typeof o.activeDeadlineSeconds === 'number' && o.activeDeadlineSeconds < n.activeDeadlineSeconds) {
      return [
        ...errs,
        fieldInvalid(
          'spec.activeDeadlineSeconds',
          n.activeDeadlineSeconds,
          'must be less than or equal to previous value',
        ),
      ]
    }
  } else if (typeof o.activeDeadlineSeconds === 'number') {
    errs.push(fieldInvalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'))
  }
  const nt: any[] = n.tolerations ?? []
  ;(o.tolerations ?? []).forEach((t: any, i: number) => {
    const strip = ({tolerationSeconds: _s, ...rest}: any) => rest
    if (!nt.some((x) => jsonEqual(strip(x), strip(t)))) {
      errs.push(
        fieldForbidden(
          `spec.tolerations[${i}]`,
          'existing toleration can not be modified except its tolerationSeconds',
        ),
      )
    }
  })
  if (jsonEqual(n, o)) return errs
  // Munge the updatable fields to their old values, then anything left is a forbidden change.
  const munged = structuredClone(n)
  for (const list of ['containers', 'initContainers']) {
    ;(munged[list] ?? []).forEach((c: any, i: number) => {
      c.image = o[list][i].image
    })
  }
  for (const f of ['activeDeadlineSeconds', 'tolerations', 'terminationGracePeriodSeconds']) {
    if (o[f] === undefined) delete munged[f]
    else munged[f] = o[f]
  }
  // Binding through pods/binding sets nodeName once; the registry routes it through a plain update.
  if (!o.nodeName && n.nodeName) delete munged.nodeName
  // Removing scheduling gates is allowed (PodSchedulingReadiness, GA in 1.30).
  if (Array.isArray(o.schedulingGates)) {
    if (munged.schedulingGates === undefined) munged.schedulingGates = o.schedulingGates
  }
  if (!jsonEqual(munged, o)) errs.push(fieldForbidden('spec', `${UPDATABLE}\n${specDiff(o, munged)}`))
  return errs
}

/** podStrategy is the Pod strategy. */
export const podStrategy: Strategy = {
  returnDeletedObject: true,
  prepareForCreate(o, ctx) {
    if (!isObject(o.spec)) o.spec = {}
    canonicalPodQuantities(o.spec, 'Pod', ctx.resource.version)
    defaultPodSpec(o.spec, true)
    const annotations = (o.metadata?.annotations ?? {}) as Record<string, string>
    if (annotations[MIRROR_ANNOTATION] === undefined) admitServiceAccount(o, ctx)
    admitPriority(o, ctx)
    o.status = {phase: 'Pending', qosClass: podQOSClass(o.spec)}
  },
  prepareForUpdate(o, _old, ctx) {
    if (!isObject(o.spec)) o.spec = {}
    canonicalPodQuantities(o.spec, 'Pod', ctx.resource.version)
    defaultPodSpec(o.spec, true)
  },
  validate(o) {
    return validatePodSpec(o.spec, 'spec', true)
  },
  validateUpdate(o, old) {
    return validatePodUpdate(o, old)
  },
}

/**
 * podDeletionGracePeriod is the grace period a DELETE of this pod gets (pkg/registry/core/pod/strategy.go
 * CheckGracefulDelete): the request's gracePeriodSeconds, else spec.terminationGracePeriodSeconds (0 when unset);
 * 0 for a pod that was never scheduled (no kubelet would confirm it) or that already ended (Succeeded/Failed);
 * a negative value means 1.
 */
export function podDeletionGracePeriod(pod: KubeObject, requested: number | undefined): number {
  const spec = (pod.spec ?? {}) as {nodeName?: string; terminationGracePeriodSeconds?: number}
  let period =
    requested ?? (typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : 0)
  if (!spec.nodeName) period = 0
  const phase = (pod.status as {phase?: string} | undefined)?.phase
  if (phase === 'Succeeded' || phase === 'Failed') period = 0
  if (period < 0) period = 1
  return period
}
