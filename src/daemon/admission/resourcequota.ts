// resourcequota.ts: the ResourceQuota admission plugin (follows apiserver pkg/admission/plugin/resourcequota
// controller.go CheckRequest and kubernetes pkg/quota/v1/evaluator/core). A create (or an update that grows a
// service's node ports or a claim's storage) is measured, checked against every matching quota's status.hard, and
// refused with the apiserver's exact 403 text when it would go over; when it fits, the quotas' status.used are
// charged at once, so a burst of creates cannot overshoot before the quota controller recounts.
import {forbidden, type StatusError} from '../../api/errors.js'
import type {KubeObject} from '../../api/object.js'
import {Quantity} from '../../api/quantity.js'
import type {ResourceInfo} from '../../api/resources.js'
import {refOf} from '../controllers/framework/informer.js'
import type {AdmissionDeps} from '../controllers/index.js'
import {
  addTo,
  quotaMatchesObject,
  resourceOfQuotaName,
  usageOf,
  type ResourceList,
} from '../controllers/resourcequota.js'
import type {AdmissionAttributes, AdmissionPlugin} from '../registry/types.js'

/** IGNORED are resources quota never counts (the apiserver's default ignored resources and non-persisted kinds). */
const IGNORED = new Set([
  'events',
  'events.events.k8s.io',
  'bindings',
  'tokenreviews.authentication.k8s.io',
  'subjectaccessreviews.authorization.k8s.io',
  'selfsubjectaccessreviews.authorization.k8s.io',
  'localsubjectaccessreviews.authorization.k8s.io',
  'selfsubjectrulesreviews.authorization.k8s.io',
])

/** VALIDATION_SET are the compute names every container must state when a quota tracks them (pods.go). */
const VALIDATION_SET = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'])

/** prettyPrint renders a resource list sorted by name as `a=1,b=2`. */
export function prettyPrint(l: ResourceList): string {
  return [...l.keys()]
    .sort()
    .map((k) => `${k}=${l.get(k)!.toString()}`)
    .join(',')
}

function listOf(obj: Record<string, unknown> | undefined): ResourceList {
  const out: ResourceList = new Map()
  for (const [k, v] of Object.entries(obj ?? {})) {
    try {
      out.set(k, Quantity.fromJSON(v))
    } catch {
      // Validation rejected a bad quantity already.
    }
  }
  return out
}

/** matchingResources is the evaluator's MatchingResources: the hard names that measure this resource. */
function matchingResources(ref: string, names: string[]): string[] {
  return names.filter((n) => resourceOfQuotaName(n) === ref)
}

/** containerConstraints is podEvaluator.Constraints: every container states each tracked cpu/memory value. */
function podConstraints(required: string[], pod: KubeObject): string | undefined {
  const req = required.filter((r) => VALIDATION_SET.has(r))
  if (req.length === 0) return undefined
  const missing = new Map<string, Set<string>>()
  const spec = (pod.spec ?? {}) as any
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    const has = new Set<string>()
    const requests = c.resources?.requests ?? {}
    const limits = c.resources?.limits ?? {}
    for (const r of ['cpu', 'memory']) {
      if (requests[r] !== undefined) has.add(r).add(`requests.${r}`)
      if (limits[r] !== undefined) has.add(`limits.${r}`)
    }
    for (const r of req) {
      if (has.has(r)) continue
      if (!missing.has(r)) missing.set(r, new Set())
      missing.get(r)!.add(String(c.name))
    }
  }
  if (missing.size === 0) return undefined
  const parts = [...missing.keys()].sort().map((r) => `${r} for: ${[...missing.get(r)!].sort().join(',')}`)
  return `must specify ${parts.join('; ')}`
}

/** handles is the evaluators' Handles: creates, and updates of services and claims (their usage can grow). */
function handles(a: AdmissionAttributes, ref: string): boolean {
  if (a.subresource) return false
  if (a.operation === 'CREATE') return true
  return a.operation === 'UPDATE' && (ref === 'services' || ref === 'persistentvolumeclaims')
}

function removeZeros(l: ResourceList): ResourceList {
  for (const [k, v] of l) if (v.isZero()) l.delete(k)
  return l
}

/** resourceQuotaAdmission builds the ResourceQuota admission plugin. */
export function resourceQuotaAdmission(d: AdmissionDeps): AdmissionPlugin {
  let quotaR: ResourceInfo | undefined
  const quotaResource = () =>
    (quotaR ??= d.resources().all.find((r) => r.group === '' && r.plural === 'resourcequotas' && !r.storageOf)!)

  const cachedQuotas = d.informers?.for('resourcequotas')
  return {
    name: 'ResourceQuota',
    validate(a) {
      if (!a.resource.namespaced || !a.namespace) return
      const ref = refOf(a.resource)
      if (IGNORED.has(a.resource.group ? `${a.resource.plural}.${a.resource.group}` : a.resource.plural)) return
      if (!handles(a, ref)) return
      // The cache says quickly that a namespace has no quota (most have none); a fresh read decides otherwise.
      if (cachedQuotas && cachedQuotas.list(a.namespace).length === 0) return
      const quotas = d.registry.list(quotaResource(), a.namespace).items
      if (quotas.length === 0) return
      const now = d.clock.now()
      const obj = a.object
      const gr = {group: a.resource.group, plural: a.resource.plural}
      const name = String(obj.metadata?.name ?? obj.metadata?.generateName ?? '')
      const deny = (why: string): StatusError => forbidden(gr, name, why)

      // The quotas that care about this object, after their constraints and usage stats are checked.
      const interesting: KubeObject[] = []
      for (const quota of quotas.sort((x, y) => String(x.metadata?.name).localeCompare(String(y.metadata?.name)))) {
        if (!quotaMatchesObject(quota, ref, obj)) continue
        const hard = Object.keys(((quota.status as any)?.hard ?? {}) as Record<string, unknown>)
        const restricted = matchingResources(ref, hard)
        if (restricted.length === 0) continue
        if (ref === 'pods') {
          const why = podConstraints(restricted, obj)
          if (why) throw deny(`failed quota: ${quota.metadata?.name}: ${why}`)
        }
        const used = ((quota.status as any)?.used ?? {}) as Record<string, unknown>
        const unknown = restricted.filter((r) => used[r] === undefined)
        if (unknown.length)
          throw deny(
            `status unknown for quota: ${quota.metadata?.name}, resources: ${[...restricted].sort().join(',')}`,
          )
        interesting.push(quota)
      }
      if (interesting.length === 0) return

      let delta = usageOf(ref, obj, now)
      const negative = [...delta].filter(([, v]) => v.sign() < 0).map(([k]) => k)
      if (negative.length) throw deny(`quota usage is negative for resource(s): ${negative.sort().join(',')}`)
      if (a.operation === 'UPDATE' && a.old) {
        const prev = usageOf(ref, a.old, now)
        const out: ResourceList = new Map()
        for (const [k, v] of delta) {
          const p = prev.get(k)
          const diff = p ? v.sub(p) : v
          out.set(k, diff.sign() < 0 ? Quantity.fromValue(0) : diff)
        }
        delta = out
      }
      removeZeros(delta)
      if (delta.size === 0) return

      const charges: {quota: KubeObject; used: Record<string, string>}[] = []
      for (const quota of interesting) {
        const st = (quota.status ?? {}) as any
        const hard = listOf(st.hard)
        const used = listOf(st.used)
        const requested: ResourceList = new Map([...delta].filter(([k]) => hard.has(k)))
        if (requested.size === 0) continue
        const exceeded: string[] = []
        for (const [k, v] of requested) {
          const next = (used.get(k) ?? Quantity.fromValue(0)).add(v)
          if (next.cmp(hard.get(k)!) > 0) exceeded.push(k)
        }
        if (exceeded.length) {
          const pick = (l: ResourceList) => new Map(exceeded.map((k) => [k, l.get(k) ?? Quantity.fromValue(0)]))
          throw deny(
            `exceeded quota: ${quota.metadata?.name}, requested: ${prettyPrint(pick(requested))}, used: ${prettyPrint(pick(used))}, limited: ${prettyPrint(pick(hard))}`,
          )
        }
        const newUsed = addTo(new Map(used), requested)
        const out: Record<string, string> = {...(st.used ?? {})}
        for (const [k, v] of newUsed) out[k] = v.toString()
        charges.push({quota, used: out})
      }
      if (a.dryRun) return
      // Charge the quotas now (the apiserver writes status.used before the object is stored).
      for (const c of charges) {
        d.registry.guaranteedUpdate(
          quotaResource(),
          a.namespace,
          String(c.quota.metadata?.name),
          (cur) => {
            cur.status = {...((cur.status as any) ?? {}), used: c.used}
            return cur
          },
          {subresource: 'status', user: {username: 'system:apiserver', groups: ['system:masters']}},
        )
      }
    },
  }
}
