// cluster.ts: the smaller kinds. HorizontalPodAutoscaler (pkg/apis/autoscaling/v2/defaults.go and validation),
// PodDisruptionBudget (pkg/apis/policy/validation), PriorityClass (pkg/apis/scheduling/v1/defaults.go), RBAC
// (pkg/apis/rbac/v1/defaults.go, pkg/apis/rbac/validation), CustomResourceDefinition (apiextensions v1 defaults),
// LimitRange and ResourceQuota (pkg/apis/core/v1/defaults.go).
import {fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired, type FieldError} from '../../../api/errors.js'
import type {KubeObject} from '../../../api/object.js'
import {validateLabelSelector} from '../../../api/labels.js'
import type {Strategy} from '../types.js'
import {canonicalResources, fieldInvalidRendered, goStringSlice, isObject} from './go-format.js'
import {validateIntOrPercent} from './workloads.js'

/** pathSegmentName is IsValidPathSegmentName (the same rule strategies.ts applies to RBAC names). */
function pathSegmentName(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`]
  for (const bad of ['/', '%']) if (name.includes(bad)) return [`may not contain '${bad}'`]
  return []
}

// --- HorizontalPodAutoscaler ------------------------------------------------------------------------------------

function scaleUpRules(r: any): any {
  const def = {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      {type: 'Pods', value: 4, periodSeconds: 15},
      {type: 'Percent', value: 100, periodSeconds: 15},
    ],
  }
  if (!isObject(r)) return def
  r.stabilizationWindowSeconds ??= def.stabilizationWindowSeconds
  r.selectPolicy ??= def.selectPolicy
  r.policies ??= def.policies
  return r
}

function scaleDownRules(r: any): any {
  const def = {
    stabilizationWindowSeconds: 300,
    selectPolicy: 'Max',
    policies: [{type: 'Percent', value: 100, periodSeconds: 15}],
  }
  if (!isObject(r)) return def
  r.stabilizationWindowSeconds ??= def.stabilizationWindowSeconds
  r.selectPolicy ??= def.selectPolicy
  r.policies ??= def.policies
  return r
}

function defaultHPA(o: KubeObject) {
  if (!isObject(o.spec)) o.spec = {}
  const s = o.spec as Record<string, any>
  // A v1 object (targetCPUUtilizationPercentage) is stored as is; only v2 fields are defaulted.
  if (s.targetCPUUtilizationPercentage !== undefined) {
    s.minReplicas ??= 1
    return
  }
  s.minReplicas ??= 1
  if (!Array.isArray(s.metrics) || s.metrics.length === 0) {
    s.metrics = [{type: 'Resource', resource: {name: 'cpu', target: {type: 'Utilization', averageUtilization: 80}}}]
  }
  if (isObject(s.behavior)) {
    s.behavior.scaleUp = scaleUpRules(s.behavior.scaleUp)
    s.behavior.scaleDown = scaleDownRules(s.behavior.scaleDown)
  }
}

function validateHPA(o: KubeObject): FieldError[] {
  const s = (isObject(o.spec) ? o.spec : {}) as Record<string, any>
  const errs: FieldError[] = []
  if (typeof s.minReplicas === 'number' && s.minReplicas < 1) {
    errs.push(fieldInvalid('spec.minReplicas', s.minReplicas, 'must be greater than or equal to 1'))
  }
  const max = Number(s.maxReplicas ?? 0)
  if (max < 1) errs.push(fieldInvalid('spec.maxReplicas', max, 'must be greater than 0'))
  if (typeof s.minReplicas === 'number' && max < s.minReplicas) {
    errs.push(fieldInvalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'))
  }
  const ref = s.scaleTargetRef ?? {}
  if (!ref.kind) errs.push(fieldRequired('spec.scaleTargetRef.kind'))
  else for (const m of pathSegmentName(ref.kind)) errs.push(fieldInvalid('spec.scaleTargetRef.kind', ref.kind, m))
  if (!ref.name) errs.push(fieldRequired('spec.scaleTargetRef.name'))
  else for (const m of pathSegmentName(ref.name)) errs.push(fieldInvalid('spec.scaleTargetRef.name', ref.name, m))
  return errs
}

/** horizontalPodAutoscalerStrategy is the HPA strategy (stored as autoscaling/v2). */
export const horizontalPodAutoscalerStrategy: Strategy = {
  prepareForCreate(o) {
    defaultHPA(o)
    o.status = {currentMetrics: null, desiredReplicas: 0}
  },
  prepareForUpdate: defaultHPA,
  validate: validateHPA,
}

// --- PodDisruptionBudget ----------------------------------------------------------------------------------------

/** podDisruptionBudgetStrategy is the PodDisruptionBudget strategy. */
export const podDisruptionBudgetStrategy: Strategy = {
  prepareForCreate(o) {
    o.status = {currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0}
  },
  validate(o) {
    const s = (isObject(o.spec) ? o.spec : {}) as Record<string, any>
    const errs: FieldError[] = []
    if (s.minAvailable !== undefined && s.maxUnavailable !== undefined) {
      errs.push(
        fieldInvalidRendered(
          'spec',
          'policy.PodDisruptionBudgetSpec{...}',
          'minAvailable and maxUnavailable cannot be both set',
        ),
      )
    }
    errs.push(...validateIntOrPercent(s.minAvailable, 'spec.minAvailable'))
    errs.push(...validateIntOrPercent(s.maxUnavailable, 'spec.maxUnavailable'))
    errs.push(...validateLabelSelector(s.selector, 'spec.selector'))
    const p = s.unhealthyPodEvictionPolicy
    if (p !== undefined && p !== 'IfHealthyBudget' && p !== 'AlwaysAllow') {
      errs.push(fieldNotSupported('spec.unhealthyPodEvictionPolicy', p, ['AlwaysAllow', 'IfHealthyBudget']))
    }
    return errs
  },
}

// --- PriorityClass ----------------------------------------------------------------------------------------------

/** priorityClassStrategy is the PriorityClass strategy. */
export const priorityClassStrategy: Strategy = {
  prepareForCreate(o) {
    ;(o as any).preemptionPolicy ??= 'PreemptLowerPriority'
  },
  prepareForUpdate(o) {
    ;(o as any).preemptionPolicy ??= 'PreemptLowerPriority'
  },
  validate(o) {
    const p = (o as any).preemptionPolicy
    if (p !== 'PreemptLowerPriority' && p !== 'Never')
      return [fieldNotSupported('preemptionPolicy', p ?? '', ['Never', 'PreemptLowerPriority'])]
    return []
  },
  validateUpdate(o, old) {
    const errs: FieldError[] = []
    if ((o as any).value !== (old as any).value) errs.push(fieldForbidden('value', 'may not be changed in an update.'))
    if ((o as any).preemptionPolicy !== (old as any).preemptionPolicy) {
      errs.push(fieldInvalid('preemptionPolicy', (o as any).preemptionPolicy, 'field is immutable'))
    }
    return errs
  },
}

// --- RBAC -------------------------------------------------------------------------------------------------------

const RBAC_GROUP = 'rbac.authorization.k8s.io'

function validateRules(o: KubeObject, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = []
  ;((o as any).rules ?? []).forEach((r: any, i: number) => {
    const p = `rules[${i}]`
    if (!Array.isArray(r?.verbs) || r.verbs.length === 0)
      errs.push(fieldRequired(`${p}.verbs`, 'verbs must contain at least one value'))
    const urls: string[] = r?.nonResourceURLs ?? []
    if (urls.length > 0) {
      if (namespaced)
        errs.push(
          fieldInvalidRendered(
            `${p}.nonResourceURLs`,
            goStringSlice(urls),
            'namespaced rules cannot apply to non-resource URLs',
          ),
        )
      if ((r.apiGroups ?? []).length || (r.resources ?? []).length || (r.resourceNames ?? []).length) {
        errs.push(
          fieldInvalidRendered(
            `${p}.nonResourceURLs`,
            goStringSlice(urls),
            'rules cannot apply to both regular resources and non-resource URLs',
          ),
        )
      }
      return
    }
    if (!Array.isArray(r?.apiGroups) || r.apiGroups.length === 0) {
      errs.push(fieldRequired(`${p}.apiGroups`, 'resource rules must supply at least one api group'))
    }
    if (!Array.isArray(r?.resources) || r.resources.length === 0) {
      errs.push(fieldRequired(`${p}.resources`, 'resource rules must supply at least one resource'))
    }
  })
  return errs
}

/** roleStrategy is the Role strategy. */
export const roleStrategy: Strategy = {validate: (o) => validateRules(o, true)}

/** clusterRoleStrategy is the ClusterRole strategy. */
export const clusterRoleStrategy: Strategy = {validate: (o) => validateRules(o, false)}

function defaultBinding(o: KubeObject) {
  const x = o as Record<string, any>
  if (!isObject(x.roleRef)) x.roleRef = {}
  if (!x.roleRef.apiGroup) x.roleRef.apiGroup = RBAC_GROUP
  for (const s of Array.isArray(x.subjects) ? x.subjects : []) {
    if (isObject(s) && !s.apiGroup && (s.kind === 'User' || s.kind === 'Group')) s.apiGroup = RBAC_GROUP
  }
}

function validateBinding(o: KubeObject, namespaced: boolean): FieldError[] {
  const x = o as Record<string, any>
  const errs: FieldError[] = []
  const ref = x.roleRef ?? {}
  if (ref.apiGroup !== RBAC_GROUP) errs.push(fieldNotSupported('roleRef.apiGroup', ref.apiGroup ?? '', [RBAC_GROUP]))
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole']
  if (!kinds.includes(ref.kind)) errs.push(fieldNotSupported('roleRef.kind', ref.kind ?? '', kinds))
  if (!ref.name) errs.push(fieldRequired('roleRef.name'))
  else for (const m of pathSegmentName(ref.name)) errs.push(fieldInvalid('roleRef.name', ref.name, m))
  ;(Array.isArray(x.subjects) ? x.subjects : []).forEach((s: any, i: number) => {
    const p = `subjects[${i}]`
    if (!s?.name) errs.push(fieldRequired(`${p}.name`))
    switch (s?.kind) {
      case 'ServiceAccount':
        if (s.apiGroup) errs.push(fieldNotSupported(`${p}.apiGroup`, s.apiGroup, ['']))
        if (!namespaced && !s.namespace) errs.push(fieldRequired(`${p}.namespace`))
        break
      case 'User':
      case 'Group':
        if (s.apiGroup !== RBAC_GROUP) errs.push(fieldNotSupported(`${p}.apiGroup`, s.apiGroup ?? '', [RBAC_GROUP]))
        break
      default:
        errs.push(fieldNotSupported(`${p}.kind`, s?.kind ?? '', ['ServiceAccount', 'User', 'Group']))
    }
  })
  return errs
}

function roleRefImmutable(o: KubeObject, old: KubeObject): FieldError[] {
  const n = (o as any).roleRef ?? {}
  const p = (old as any).roleRef ?? {}
  if (n.apiGroup === p.apiGroup && n.kind === p.kind && n.name === p.name) return []
  const rendered = `rbac.RoleRef{APIGroup:${JSON.stringify(String(n.apiGroup ?? ''))}, Kind:${JSON.stringify(String(n.kind ?? ''))}, Name:${JSON.stringify(String(n.name ?? ''))}}`
  return [fieldInvalidRendered('roleRef', rendered, 'cannot change roleRef')]
}

/** roleBindingStrategy is the RoleBinding strategy. */
export const roleBindingStrategy: Strategy = {
  prepareForCreate: defaultBinding,
  prepareForUpdate: defaultBinding,
  validate: (o) => validateBinding(o, true),
  validateUpdate: (o, old) => [...validateBinding(o, true), ...roleRefImmutable(o, old)],
}

/** clusterRoleBindingStrategy is the ClusterRoleBinding strategy. */
export const clusterRoleBindingStrategy: Strategy = {
  prepareForCreate: defaultBinding,
  prepareForUpdate: defaultBinding,
  validate: (o) => validateBinding(o, false),
  validateUpdate: (o, old) => [...validateBinding(o, false), ...roleRefImmutable(o, old)],
}

// --- CustomResourceDefinition, LimitRange, ResourceQuota ---------------------------------------------------------

function defaultCRD(o: KubeObject) {
  if (!isObject(o.spec)) return
  const s = o.spec as Record<string, any>
  if (isObject(s.names)) {
    if (!s.names.singular && s.names.kind) s.names.singular = String(s.names.kind).toLowerCase()
    if (!s.names.listKind && s.names.kind) s.names.listKind = `${s.names.kind}List`
  }
  if (!isObject(s.conversion)) s.conversion = {strategy: 'None'}
  const svc = s.conversion.webhook?.clientConfig?.service
  if (isObject(svc)) svc.port ??= 443
}

/** customResourceDefinitionStrategy is the CRD strategy (spec defaults; status is set by the CRD watcher). */
export const customResourceDefinitionStrategy: Strategy = {
  prepareForCreate: defaultCRD,
  prepareForUpdate: defaultCRD,
}

function defaultLimitRange(o: KubeObject, version: string) {
  for (const item of Array.isArray((o.spec as any)?.limits) ? (o.spec as any).limits : []) {
    if (!isObject(item)) continue
    for (const k of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'])
      canonicalResources(item, k, 'LimitRange', version)
    if (item.type !== 'Container') continue
    const def: Record<string, string> = {...(item.default ?? {})}
    const req: Record<string, string> = {...(item.defaultRequest ?? {})}
    for (const [k, v] of Object.entries(item.max ?? {})) def[k] ??= v as string
    for (const [k, v] of Object.entries(def)) req[k] ??= v
    for (const [k, v] of Object.entries(item.min ?? {})) req[k] ??= v as string
    if (Object.keys(def).length) item.default = def
    if (Object.keys(req).length) item.defaultRequest = req
  }
}

/** limitRangeStrategy is the LimitRange strategy. */
export const limitRangeStrategy: Strategy = {
  prepareForCreate: (o, ctx) => defaultLimitRange(o, ctx.resource.version),
  prepareForUpdate: (o, _old, ctx) => defaultLimitRange(o, ctx.resource.version),
  validate(o) {
    const errs: FieldError[] = []
    ;((o.spec as any)?.limits ?? []).forEach((item: any, i: number) => {
      const t = item?.type
      if (!['Container', 'Pod', 'PersistentVolumeClaim'].includes(t)) {
        errs.push(fieldNotSupported(`spec.limits[${i}].type`, t ?? '', ['Container', 'Pod', 'PersistentVolumeClaim']))
      }
    })
    return errs
  },
}

/** resourceQuotaStrategy is the ResourceQuota strategy. */
export const resourceQuotaStrategy: Strategy = {
  prepareForCreate(o, ctx) {
    if (isObject(o.spec)) canonicalResources(o.spec, 'hard', 'ResourceQuota', ctx.resource.version)
    o.status = {}
  },
  prepareForUpdate(o, _old, ctx) {
    if (isObject(o.spec)) canonicalResources(o.spec, 'hard', 'ResourceQuota', ctx.resource.version)
  },
}
