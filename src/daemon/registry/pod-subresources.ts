// pod-subresources.ts: the pods/binding and pods/eviction subresources.
// Binding follows pkg/registry/core/pod/storage/storage.go (BindingREST, setPodHostAndAnnotations): it sets
// spec.nodeName once and the PodScheduled=True condition. Eviction follows pkg/registry/core/pod/storage/
// eviction.go: a pod covered by a PodDisruptionBudget is deleted only if the budget allows one more disruption,
// which is spent (status.disruptionsAllowed--, the pod noted in status.disruptedPods) before the delete;
// otherwise 429 TooManyRequests, which `kubectl drain` retries.
import {
  fieldNotSupported,
  fieldRequired,
  invalid,
  notFound,
  statusError,
  type FieldError,
  type StatusError,
} from '../../api/errors.js'
import {labelSelectorFromObject} from '../../api/labels.js'
import type {KubeObject} from '../../api/object.js'
import {RESOURCES, ResourceTable, storageKey, type ResourceInfo} from '../../api/resources.js'
import {rfc3339} from '../clock.js'
import {KeyNotFoundError, type Store} from '../storage/store.js'
import type {DeleteOptions, Registry, WriteOptions} from './generic.js'

/** SubresourceDeps are what the pod subresources need. */
export interface SubresourceDeps {
  registry: Registry
  /** resources is the resource table (defaults to the built-in one: pods and budgets are built in). */
  resources?: () => ResourceTable
  /** now is the cluster clock (condition times, disruptedPods stamps). */
  now: () => number
  /**
   * store, when given, lets a binding be one storage write, as BindingREST's GuaranteedUpdate is (it runs no pod
   * validation or admission either); without it the binding takes two registry writes (spec, then status).
   */
  store?: Store
}

/** MAX_DISRUPTED_POD_SIZE bounds status.disruptedPods (eviction.go MaxDisruptedPodSize). */
export const MAX_DISRUPTED_POD_SIZE = 2000

/** EVICTION_VIOLATION_MESSAGE is the 429 text kubectl drain prints while it retries. */
export const EVICTION_VIOLATION_MESSAGE = "Cannot evict pod as it would violate the pod's disruption budget."

let builtin: ResourceTable | undefined

function resource(d: SubresourceDeps, group: string, plural: string): ResourceInfo {
  const table = d.resources ? d.resources() : (builtin ??= new ResourceTable(RESOURCES))
  const r = table.all.find((x) => x.group === group && x.plural === plural && !x.storageOf)
  if (!r) throw new Error(`no resource ${plural}.${group}`)
  return r
}

function bindingConflict(name: string, why: string): StatusError {
  return statusError(409, 'Conflict', `Operation cannot be fulfilled on pods/binding "${name}": ${why}`, {
    name,
    kind: 'pods/binding',
  })
}

/** setCondition replaces or appends a pod condition, keeping lastTransitionTime when the status is unchanged. */
export function setPodCondition(status: any, cond: Record<string, unknown>, now: string): boolean {
  const conds: any[] = Array.isArray(status.conditions) ? status.conditions : (status.conditions = [])
  const i = conds.findIndex((c) => c?.type === cond.type)
  const old = i >= 0 ? conds[i] : undefined
  const next: any = {...cond}
  next.lastProbeTime ??= null
  next.lastTransitionTime = old && old.status === cond.status ? old.lastTransitionTime : now
  // Keep Go's field order of PodCondition, which `-o json` shows.
  const ordered: any = {}
  for (const k of ['type', 'status', 'lastProbeTime', 'lastTransitionTime', 'reason', 'message'])
    if (next[k] !== undefined) ordered[k] = next[k]
  for (const k of Object.keys(next)) if (!(k in ordered)) ordered[k] = next[k]
  if (old && JSON.stringify(old) === JSON.stringify(ordered)) return false
  if (i >= 0) conds[i] = ordered
  else conds.push(ordered)
  return true
}

/** validateBinding follows ValidatePodBinding. */
function validateBinding(b: any): FieldError[] {
  const errs: FieldError[] = []
  const kind = b?.target?.kind
  if (kind && kind !== 'Node') errs.push(fieldNotSupported('target.kind', kind, ['Node']))
  if (!b?.target?.name) errs.push(fieldRequired('target.name', ''))
  return errs
}

/**
 * bindPod assigns the pod to binding.target.name: spec.nodeName (plus the binding's annotations), then the
 * PodScheduled=True condition. A pod already assigned, terminating or gated answers 409 as the apiserver does.
 */
export function bindPod(
  d: SubresourceDeps,
  namespace: string | undefined,
  name: string,
  binding: KubeObject,
  opts: WriteOptions = {},
): KubeObject {
  const b = binding as any
  if (b?.metadata?.name !== undefined && b.metadata.name !== name)
    throw statusError(400, 'BadRequest', 'name in URL does not match name in Binding object')
  const errs = validateBinding(b)
  if (errs.length) throw invalid('Binding', '', name, errs)
  const target = String(b.target.name)
  const podR = resource(d, '', 'pods')
  const uid = b?.metadata?.uid
  const annotations = (b?.metadata?.annotations ?? {}) as Record<string, string>
  const assign = (pod: any) => {
    if (uid && pod.metadata?.uid !== uid) {
      throw statusError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on pods "${name}": Precondition failed: UID in precondition: ${uid}, UID in object meta: ${pod.metadata?.uid}`,
        {name, kind: 'pods'},
      )
    }
    if (pod.metadata?.deletionTimestamp)
      throw bindingConflict(name, `pod ${name} is being deleted, cannot be assigned to a host`)
    if (pod.spec?.nodeName)
      throw bindingConflict(name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`)
    if (Array.isArray(pod.spec?.schedulingGates) && pod.spec.schedulingGates.length) {
      throw bindingConflict(name, `pod ${name} has non-empty .spec.schedulingGates`)
    }
    pod.spec.nodeName = target
    if (Object.keys(annotations).length)
      pod.metadata.annotations = {...(pod.metadata.annotations ?? {}), ...annotations}
    return pod
  }
  const now = rfc3339(d.now())
  const scheduled = (pod: any) => {
    pod.status ??= {}
    return setPodCondition(pod.status, {type: 'PodScheduled', status: 'True'}, now)
  }
  if (d.store && !opts.dryRun) {
    try {
      return d.store.guaranteedUpdate(storageKey(podR, namespace, name), (pod: any) => {
        assign(pod)
        scheduled(pod)
        return pod
      }).object
    } catch (e) {
      if (e instanceof KeyNotFoundError) throw notFound({group: '', plural: 'pods'}, name)
      throw e
    }
  }
  d.registry.guaranteedUpdate(podR, namespace, name, assign, opts)
  if (opts.dryRun) return d.registry.get(podR, namespace, name)
  return d.registry.guaranteedUpdate(podR, namespace, name, (pod: any) => (scheduled(pod) ? pod : undefined), {
    ...opts,
    subresource: 'status',
  }).object
}

function isPodReady(pod: any): boolean {
  return (pod?.status?.conditions ?? []).some((c: any) => c?.type === 'Ready' && c?.status === 'True')
}

/** canIgnorePDB: terminal, pending or terminating pods are deleted without a budget check. */
function canIgnorePDB(pod: any): boolean {
  const phase = pod?.status?.phase
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || Boolean(pod?.metadata?.deletionTimestamp)
}

function tooManyRequests(retryAfterSeconds: number, cause: string): StatusError {
  const err = statusError(429, 'TooManyRequests', EVICTION_VIOLATION_MESSAGE, {
    causes: [{reason: 'DisruptionBudget', message: cause}],
  })
  if (retryAfterSeconds > 0) err.status.details!.retryAfterSeconds = retryAfterSeconds
  return err
}

/** matchingPDBs lists the namespace's budgets whose selector matches the pod (policy/v1: {} matches all). */
export function matchingPDBs(d: SubresourceDeps, pod: KubeObject): KubeObject[] {
  const ns = String(pod.metadata?.namespace ?? '')
  const labels = (pod.metadata?.labels ?? {}) as Record<string, string>
  return d.registry.list(resource(d, 'policy', 'poddisruptionbudgets'), ns).items.filter((pdb: any) => {
    try {
      return labelSelectorFromObject(pdb.spec?.selector).matches(labels)
    } catch {
      return false
    }
  })
}

/**
 * evictPod evicts a pod through the eviction subresource: budget check and decrement, the DisruptionTarget
 * condition, then a delete with deleteOptions (grace period, preconditions, dry run).
 */
export function evictPod(
  d: SubresourceDeps,
  namespace: string | undefined,
  name: string,
  eviction: KubeObject,
  deleteOptions: DeleteOptions = {},
  opts: WriteOptions = {},
): void {
  const e = eviction as any
  if (e?.metadata?.name !== undefined && e.metadata.name !== name) {
    throw statusError(400, 'BadRequest', 'name in URL does not match name in Eviction object')
  }
  const podR = resource(d, '', 'pods')
  const pod: any = d.registry.get(podR, namespace, name)
  const dryRun = Boolean(deleteOptions.dryRun || opts.dryRun)
  if (!canIgnorePDB(pod)) {
    const pdbs = matchingPDBs(d, pod)
    if (pdbs.length > 1) {
      throw statusError(
        500,
        'InternalError',
        'Internal error occurred: This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
        {
          causes: [
            {
              message:
                'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
            },
          ],
        },
      )
    }
    if (pdbs.length === 1) checkAndDecrement(d, pod, pdbs[0]!, dryRun, opts)
  }
  if (dryRun) {
    d.registry.delete(podR, namespace, name, {...deleteOptions, ...opts, dryRun: true})
    return
  }
  // PodDisruptionConditions (GA in 1.31): the pod learns why it goes before it is deleted.
  const now = rfc3339(d.now())
  try {
    d.registry.guaranteedUpdate(
      podR,
      namespace,
      name,
      (p: any) => {
        if (p.metadata?.deletionTimestamp) return undefined
        p.status ??= {}
        const cond = {
          type: 'DisruptionTarget',
          status: 'True',
          reason: 'EvictionByEvictionAPI',
          message: 'Eviction API: evicting',
        }
        return setPodCondition(p.status, cond, now) ? p : undefined
      },
      {...opts, subresource: 'status'},
    )
  } catch {
    // The pod went meanwhile; the delete below answers NotFound.
  }
  d.registry.delete(podR, namespace, name, {...opts, ...deleteOptions})
}

/** checkAndDecrement spends one disruption of the budget, or refuses with 429 (eviction.go checkAndDecrement). */
function checkAndDecrement(d: SubresourceDeps, pod: any, found: KubeObject, dryRun: boolean, opts: WriteOptions): void {
  const pdbR = resource(d, 'policy', 'poddisruptionbudgets')
  const pdbName = String(found.metadata?.name)
  const refuse = (pdb: any): StatusError | undefined => {
    const st = pdb.status ?? {}
    const policy = pdb.spec?.unhealthyPodEvictionPolicy
    if (!isPodReady(pod) && policy === 'AlwaysAllow') return undefined
    if (Number(st.observedGeneration ?? 0) < Number(pdb.metadata?.generation ?? 0)) {
      return tooManyRequests(10, `The disruption budget ${pdbName} is still being processed by the server.`)
    }
    if (Number(st.disruptionsAllowed ?? 0) < 0) {
      return statusError(
        403,
        'Forbidden',
        `poddisruptionbudgets.policy "${pdbName}" is forbidden: pdb disruptions allowed is negative`,
        {
          name: pdbName,
          group: 'policy',
          kind: 'poddisruptionbudgets',
        },
      )
    }
    if (Object.keys(st.disruptedPods ?? {}).length > MAX_DISRUPTED_POD_SIZE) {
      return statusError(
        403,
        'Forbidden',
        `poddisruptionbudgets.policy "${pdbName}" is forbidden: DisruptedPods map too big - too many evictions not confirmed by PDB controller`,
        {
          name: pdbName,
          group: 'policy',
          kind: 'poddisruptionbudgets',
        },
      )
    }
    if (Number(st.disruptionsAllowed ?? 0) === 0) {
      return tooManyRequests(
        0,
        `The disruption budget ${pdbName} needs ${st.desiredHealthy ?? 0} healthy pods and has ${st.currentHealthy ?? 0} currently`,
      )
    }
    return undefined
  }
  const unhealthySkip = (pdb: any) => {
    const st = pdb.status ?? {}
    if (isPodReady(pod)) return false
    if (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow') return true
    // IfHealthyBudget: an unready pod may go without spending a disruption while the budget is met.
    return Number(st.currentHealthy ?? 0) >= Number(st.desiredHealthy ?? 0) && Number(st.desiredHealthy ?? 0) > 0
  }
  if (unhealthySkip(found)) return
  const err = refuse(found)
  if (err) throw err
  if (dryRun) return
  const now = rfc3339(d.now())
  d.registry.guaranteedUpdate(
    pdbR,
    found.metadata?.namespace,
    pdbName,
    (pdb: any) => {
      if (unhealthySkip(pdb)) return undefined
      const again = refuse(pdb)
      if (again) throw again
      pdb.status ??= {}
      pdb.status.disruptionsAllowed = Number(pdb.status.disruptionsAllowed ?? 0) - 1
      pdb.status.disruptedPods = {...(pdb.status.disruptedPods ?? {}), [String(pod.metadata?.name)]: now}
      if (pdb.status.disruptionsAllowed === 0) setDisruptionAllowedCondition(pdb, now)
      return pdb
    },
    {...opts, subresource: 'status'},
  )
}

/** setDisruptionAllowedCondition follows pdb helper UpdateDisruptionAllowedCondition. */
export function setDisruptionAllowedCondition(pdb: any, now: string): void {
  const st = pdb.status
  const allowed = Number(st.disruptionsAllowed ?? 0) > 0
  const cond = {
    type: 'DisruptionAllowed',
    status: allowed ? 'True' : 'False',
    reason: allowed ? 'SufficientPods' : 'InsufficientPods',
    message: '',
    observedGeneration: Number(st.observedGeneration ?? 0),
  }
  const conds: any[] = Array.isArray(st.conditions) ? st.conditions : []
  const old = conds.find((c) => c?.type === 'DisruptionAllowed')
  const lastTransitionTime = old && old.status === cond.status ? old.lastTransitionTime : now
  const next = {
    lastTransitionTime,
    message: cond.message,
    observedGeneration: cond.observedGeneration,
    reason: cond.reason,
    status: cond.status,
    type: cond.type,
  }
  st.conditions = [...conds.filter((c) => c?.type !== 'DisruptionAllowed'), next]
}
