// workloads.ts: Deployment, ReplicaSet, StatefulSet, DaemonSet, ReplicationController and PodTemplate. Defaults
// follow pkg/apis/apps/v1/defaults.go and pkg/apis/core/v1/defaults.go (SetDefaults_ReplicationController);
// validation follows pkg/apis/apps/validation/validation.go and the RC part of pkg/apis/core/validation; the
// zero statuses are what PrepareForCreate stores in pkg/registry/apps/*/strategy.go.
import {isDeepStrictEqual} from 'node:util'
import {fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired, type FieldError} from '../../../api/errors.js'
import type {KubeObject} from '../../../api/object.js'
import {labelSelectorFromObject, selectorFromSet, validateLabelSelector, type Selector} from '../../../api/labels.js'
import {regexError, validateLabels} from '../../../api/validation.js'
import type {Strategy, StrategyContext} from '../types.js'
import {fieldInvalidRendered, goIntOrString, goLabelSelector, goStringMap, isObject, nonNegative} from './go-format.js'
import {canonicalPodQuantities, defaultPodTemplate, validatePodTemplate} from './pod-spec.js'
import {defaultClaimTemplate} from './storage.js'

function spec(o: KubeObject): Record<string, any> {
  if (!isObject(o.spec)) o.spec = {}
  return o.spec as Record<string, any>
}

/** prepareTemplate canonicalises quantities and defaults spec.template of a workload. */
export function prepareTemplate(tpl: any, kind: string, ctx: StrategyContext): void {
  if (!isObject(tpl)) return
  canonicalPodQuantities(tpl.spec, kind, ctx.resource.version)
  defaultPodTemplate(tpl)
}

function selectorOf(sel: any): Selector | undefined {
  try {
    return labelSelectorFromObject(sel ?? null)
  } catch {
    return undefined
  }
}

/** templateMatches reports the `selector` does not match template `labels` error when it applies. */
export function templateMatches(sel: Selector | undefined, tpl: any, path: string): FieldError[] {
  if (!sel || sel.empty()) return []
  const labels = tpl?.metadata?.labels
  if (sel.matches(labels ?? {})) return []
  return [
    fieldInvalidRendered(
      `${path}.metadata.labels`,
      goStringMap(labels ?? null),
      '`selector` does not match template `labels`',
    ),
  ]
}

/** validateSelector: required, well formed, and not empty (`empty selector is invalid for <what>`). */
export function validateSelector(sel: any, path: string, what: string, required = true): FieldError[] {
  const errs: FieldError[] = []
  if (sel === undefined || sel === null) {
    if (required) errs.push(fieldRequired(path))
    return errs
  }
  errs.push(...validateLabelSelector(sel, path))
  if (Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0) {
    errs.push(fieldInvalidRendered(path, goLabelSelector(sel), `empty selector is invalid for ${what}`))
  }
  return errs
}

/** validateAlwaysTemplate checks a ReplicaSet-style template: labels match, restartPolicy Always. */
function validateReplicatedTemplate(tpl: any, sel: Selector | undefined, path: string, owner: string): FieldError[] {
  if (!isObject(tpl)) return [fieldRequired(path)]
  const errs = templateMatches(sel, tpl, path)
  errs.push(...validatePodTemplate(tpl, path))
  const rp = tpl.spec?.restartPolicy
  if (rp !== 'Always') errs.push(fieldNotSupported(`${path}.spec.restartPolicy`, rp ?? '', ['Always']))
  if (tpl.spec?.activeDeadlineSeconds !== undefined && tpl.spec?.activeDeadlineSeconds !== null) {
    errs.push(
      fieldForbidden(`${path}.spec.activeDeadlineSeconds`, `activeDeadlineSeconds in ${owner} is not Supported`),
    )
  }
  return errs
}

function nothingIfNil(sel: any): Selector | undefined {
  // LabelSelectorAsSelector(nil) is labels.Nothing(), which is not Empty() and matches no labels.
  if (sel === undefined || sel === null) return labelSelectorFromObject(null)
  return selectorOf(sel)
}

function percentValue(v: unknown): {value: number; percent: boolean} {
  if (typeof v === 'string' && v.endsWith('%')) return {value: parseInt(v.slice(0, -1), 10), percent: true}
  return {value: typeof v === 'number' ? v : 0, percent: false}
}

/** validateIntOrPercent is ValidatePositiveIntOrPercent (which accepts 0). */
export function validateIntOrPercent(v: unknown, path: string): FieldError[] {
  if (v === undefined || v === null) return []
  if (typeof v === 'string') {
    if (/^[0-9]+%$/.test(v)) return []
    const msg = regexError(
      "a valid percent string must be a numeric string followed by an ending '%'",
      '[0-9]+%',
      '1%',
      '93%',
    )
    return [fieldInvalidRendered(path, goIntOrString(v), msg)]
  }
  return nonNegative(v, path)
}

function notMoreThan100(v: unknown, path: string): FieldError[] {
  const {value, percent} = percentValue(v)
  if (!percent || value <= 100) return []
  return [fieldInvalidRendered(path, goIntOrString(v), 'must not be greater than 100%')]
}

function immutableSelector(o: KubeObject, old: KubeObject): FieldError[] {
  const n = (o.spec as any)?.selector
  if (isDeepStrictEqual(n ?? null, (old.spec as any)?.selector ?? null)) return []
  return [fieldInvalidRendered('spec.selector', goLabelSelector(n), 'field is immutable')]
}

// --- Deployment -------------------------------------------------------------------------------------------------

/** defaultDeployment is SetDefaults_Deployment (apps/v1). */
export function defaultDeployment(o: KubeObject, ctx: StrategyContext): void {
  const s = spec(o)
  s.replicas ??= 1
  if (!isObject(s.strategy)) s.strategy = {}
  if (!s.strategy.type) s.strategy.type = 'RollingUpdate'
  if (s.strategy.type === 'RollingUpdate') {
    if (!isObject(s.strategy.rollingUpdate)) s.strategy.rollingUpdate = {}
    s.strategy.rollingUpdate.maxUnavailable ??= '25%'
    s.strategy.rollingUpdate.maxSurge ??= '25%'
  }
  s.revisionHistoryLimit ??= 10
  s.progressDeadlineSeconds ??= 600
  prepareTemplate(s.template ?? (s.template = {}), 'Deployment', ctx)
}

function validateDeploymentStrategy(st: any, path: string): FieldError[] {
  const errs: FieldError[] = []
  if (st?.type === 'Recreate') {
    if (st.rollingUpdate !== undefined && st.rollingUpdate !== null) {
      errs.push(fieldForbidden(`${path}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'"))
    }
  } else if (st?.type === 'RollingUpdate') {
    const ru = st.rollingUpdate
    if (!isObject(ru)) return [fieldRequired(`${path}.rollingUpdate`, 'this should be defaulted and never be nil')]
    errs.push(...validateIntOrPercent(ru.maxUnavailable, `${path}.rollingUpdate.maxUnavailable`))
    errs.push(...validateIntOrPercent(ru.maxSurge, `${path}.rollingUpdate.maxSurge`))
    if (percentValue(ru.maxUnavailable).value === 0 && percentValue(ru.maxSurge).value === 0) {
      errs.push(
        fieldInvalidRendered(
          `${path}.rollingUpdate.maxUnavailable`,
          goIntOrString(ru.maxUnavailable ?? 0),
          'may not be 0 when `maxSurge` is 0',
        ),
      )
    }
    errs.push(...notMoreThan100(ru.maxUnavailable, `${path}.rollingUpdate.maxUnavailable`))
  } else {
    const ru = isObject(st?.rollingUpdate)
      ? '(*apps.RollingUpdateDeployment)(0xc000a1c0a0)'
      : '(*apps.RollingUpdateDeployment)(nil)'
    const rendered = `apps.DeploymentStrategy{Type:${JSON.stringify(String(st?.type ?? ''))}, RollingUpdate:${ru}}`
    errs.push({
      type: 'FieldValueNotSupported',
      field: path,
      message: `Unsupported value: ${rendered}: supported values: "Recreate", "RollingUpdate"`,
    })
  }
  return errs
}

/** validateDeployment is ValidateDeploymentSpec. */
export function validateDeployment(o: KubeObject): FieldError[] {
  const s = spec(o)
  const errs = nonNegative(s.replicas, 'spec.replicas')
  errs.push(...validateSelector(s.selector, 'spec.selector', 'deployment'))
  errs.push(...validateReplicatedTemplate(s.template, nothingIfNil(s.selector), 'spec.template', 'ReplicaSet'))
  errs.push(...validateDeploymentStrategy(s.strategy, 'spec.strategy'))
  errs.push(...nonNegative(s.minReadySeconds, 'spec.minReadySeconds'))
  errs.push(...nonNegative(s.revisionHistoryLimit, 'spec.revisionHistoryLimit'))
  if (typeof s.progressDeadlineSeconds === 'number') {
    errs.push(...nonNegative(s.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'))
    if (s.progressDeadlineSeconds <= (s.minReadySeconds ?? 0)) {
      errs.push(
        fieldInvalid('spec.progressDeadlineSeconds', s.progressDeadlineSeconds, 'must be greater than minReadySeconds'),
      )
    }
  }
  return errs
}

/** deploymentStrategy is the Deployment strategy. */
export const deploymentStrategy: Strategy = {
  prepareForCreate(o, ctx) {
    defaultDeployment(o, ctx)
    o.status = {}
  },
  prepareForUpdate(o, _old, ctx) {
    defaultDeployment(o, ctx)
  },
  validate: validateDeployment,
  validateUpdate(o, old) {
    return [...validateDeployment(o), ...immutableSelector(o, old)]
  },
}

// --- ReplicaSet -------------------------------------------------------------------------------------------------

function defaultReplicaSet(o: KubeObject, ctx: StrategyContext) {
  const s = spec(o)
  s.replicas ??= 1
  prepareTemplate(s.template ?? (s.template = {}), 'ReplicaSet', ctx)
}

function validateReplicaSet(o: KubeObject): FieldError[] {
  const s = spec(o)
  const errs = nonNegative(s.replicas, 'spec.replicas')
  errs.push(...nonNegative(s.minReadySeconds, 'spec.minReadySeconds'))
  errs.push(...validateSelector(s.selector, 'spec.selector', 'deployment'))
  errs.push(...validateReplicatedTemplate(s.template, nothingIfNil(s.selector), 'spec.template', 'ReplicaSet'))
  return errs
}

/** replicaSetStrategy is the ReplicaSet strategy. */
export const replicaSetStrategy: Strategy = {
  prepareForCreate(o, ctx) {
    defaultReplicaSet(o, ctx)
    o.status = {replicas: 0}
  },
  prepareForUpdate(o, _old, ctx) {
    defaultReplicaSet(o, ctx)
  },
  validate: validateReplicaSet,
  validateUpdate(o, old) {
    return [...validateReplicaSet(o), ...immutableSelector(o, old)]
  },
}

// --- StatefulSet ------------------------------------------------------------------------------------------------

function defaultStatefulSet(o: KubeObject, ctx: StrategyContext) {
  const s = spec(o)
  if (!s.podManagementPolicy) s.podManagementPolicy = 'OrderedReady'
  if (!isObject(s.updateStrategy)) s.updateStrategy = {}
  if (!s.updateStrategy.type) {
    s.updateStrategy.type = 'RollingUpdate'
    if (!isObject(s.updateStrategy.rollingUpdate)) s.updateStrategy.rollingUpdate = {}
  }
  if (s.updateStrategy.type === 'RollingUpdate' && isObject(s.updateStrategy.rollingUpdate)) {
    s.updateStrategy.rollingUpdate.partition ??= 0
  }
  if (!isObject(s.persistentVolumeClaimRetentionPolicy)) s.persistentVolumeClaimRetentionPolicy = {}
  s.persistentVolumeClaimRetentionPolicy.whenDeleted ||= 'Retain'
  s.persistentVolumeClaimRetentionPolicy.whenScaled ||= 'Retain'
  s.replicas ??= 1
  s.revisionHistoryLimit ??= 10
  prepareTemplate(s.template ?? (s.template = {}), 'StatefulSet', ctx)
  for (const c of Array.isArray(s.volumeClaimTemplates) ? s.volumeClaimTemplates : []) {
    defaultClaimTemplate(c, 'StatefulSet', ctx.resource.version)
  }
}

/**
 * withClaimVolumes adds a volume per volumeClaimTemplate to a copy of the template, so containers may mount the
 * claims by name: the StatefulSet controller adds those volumes to each pod (apps validation allows it too).
 */
function withClaimVolumes(tpl: any, claims: unknown): any {
  if (!isObject(tpl) || !isObject(tpl.spec) || !Array.isArray(claims) || claims.length === 0) return tpl
  const volumes = Array.isArray(tpl.spec.volumes) ? [...tpl.spec.volumes] : []
  for (const c of claims) {
    const name = (c as any)?.metadata?.name
    if (typeof name === 'string' && !volumes.some((v: any) => v?.name === name)) {
      volumes.push({name, persistentVolumeClaim: {claimName: name}})
    }
  }
  return {...tpl, spec: {...tpl.spec, volumes}}
}

function validateStatefulSet(o: KubeObject): FieldError[] {
  const s = spec(o)
  const errs: FieldError[] = []
  const pmp = s.podManagementPolicy
  if (!pmp) errs.push(fieldRequired('spec.podManagementPolicy'))
  else if (pmp !== 'OrderedReady' && pmp !== 'Parallel') {
    errs.push(fieldInvalid('spec.podManagementPolicy', pmp, "must be 'OrderedReady' or 'Parallel'"))
  }
  const us = s.updateStrategy ?? {}
  if (!us.type) errs.push(fieldRequired('spec.updateStrategy'))
  else if (us.type === 'OnDelete') {
    if (us.rollingUpdate !== undefined && us.rollingUpdate !== null) {
      errs.push(
        fieldInvalid(
          'spec.updateStrategy.rollingUpdate',
          us.rollingUpdate,
          "only allowed for updateStrategy 'RollingUpdate'",
        ),
      )
    }
  } else if (us.type === 'RollingUpdate') {
    if (isObject(us.rollingUpdate))
      errs.push(...nonNegative(us.rollingUpdate.partition, 'spec.updateStrategy.rollingUpdate.partition'))
  } else {
    const ru = isObject(us.rollingUpdate)
      ? '(*apps.RollingUpdateStatefulSetStrategy)(0xc000a1c0b0)'
      : '(*apps.RollingUpdateStatefulSetStrategy)(nil)'
    errs.push(
      fieldInvalidRendered(
        'spec.updateStrategy',
        `apps.StatefulSetUpdateStrategy{Type:${JSON.stringify(String(us.type))}, RollingUpdate:${ru}}`,
        "must be 'RollingUpdate' or 'OnDelete'",
      ),
    )
  }
  const pol = s.persistentVolumeClaimRetentionPolicy ?? {}
  for (const f of ['whenDeleted', 'whenScaled']) {
    if (pol[f] !== 'Retain' && pol[f] !== 'Delete') {
      errs.push(fieldNotSupported(`spec.persistentVolumeClaimRetentionPolicy.${f}`, pol[f] ?? '', ['Retain', 'Delete']))
    }
  }
  errs.push(...nonNegative(s.replicas, 'spec.replicas'))
  errs.push(...nonNegative(s.minReadySeconds, 'spec.minReadySeconds'))
  errs.push(...validateSelector(s.selector, 'spec.selector', 'statefulset'))
  const tpl = s.template
  errs.push(...templateMatches(nothingIfNil(s.selector), tpl, 'spec.template'))
  errs.push(...validatePodTemplate(withClaimVolumes(tpl, s.volumeClaimTemplates), 'spec.template'))
  if (tpl?.spec?.restartPolicy !== 'Always') {
    errs.push(fieldNotSupported('spec.template.spec.restartPolicy', tpl?.spec?.restartPolicy ?? '', ['Always']))
  }
  if (tpl?.spec?.activeDeadlineSeconds !== undefined && tpl?.spec?.activeDeadlineSeconds !== null) {
    errs.push(
      fieldForbidden(
        'spec.template.spec.activeDeadlineSeconds',
        'activeDeadlineSeconds in StatefulSet is not Supported',
      ),
    )
  }
  return errs
}

/** statefulSetStrategy is the StatefulSet strategy. */
export const statefulSetStrategy: Strategy = {
  prepareForCreate(o, ctx) {
    defaultStatefulSet(o, ctx)
    o.status = {availableReplicas: 0, replicas: 0}
  },
  prepareForUpdate(o, _old, ctx) {
    defaultStatefulSet(o, ctx)
  },
  validate: validateStatefulSet,
  validateUpdate(o, old) {
    const errs = validateStatefulSet(o)
    const n = structuredClone(spec(o))
    const prev = (old.spec ?? {}) as Record<string, any>
    for (const f of [
      'replicas',
      'template',
      'updateStrategy',
      'minReadySeconds',
      'ordinals',
      'revisionHistoryLimit',
      'persistentVolumeClaimRetentionPolicy',
    ]) {
      if (prev[f] === undefined) delete n[f]
      else n[f] = prev[f]
    }
    if (!isDeepStrictEqual(n, prev)) {
      errs.push(
        fieldForbidden(
          'spec',
          "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        ),
      )
    }
    return errs
  },
}

// --- DaemonSet --------------------------------------------------------------------------------------------------

function defaultDaemonSet(o: KubeObject, ctx: StrategyContext) {
  const s = spec(o)
  if (!isObject(s.updateStrategy)) s.updateStrategy = {}
  if (!s.updateStrategy.type) s.updateStrategy.type = 'RollingUpdate'
  if (s.updateStrategy.type === 'RollingUpdate') {
    if (!isObject(s.updateStrategy.rollingUpdate)) s.updateStrategy.rollingUpdate = {}
    s.updateStrategy.rollingUpdate.maxUnavailable ??= 1
    s.updateStrategy.rollingUpdate.maxSurge ??= 0
  }
  s.revisionHistoryLimit ??= 10
  prepareTemplate(s.template ?? (s.template = {}), 'DaemonSet', ctx)
}

function validateDaemonSet(o: KubeObject): FieldError[] {
  const s = spec(o)
  const errs: FieldError[] = []
  if (s.selector) errs.push(...validateLabelSelector(s.selector, 'spec.selector'))
  const sel = nothingIfNil(s.selector)
  if (sel && !sel.matches(s.template?.metadata?.labels ?? {})) {
    errs.push(
      fieldInvalidRendered(
        'spec.template.metadata.labels',
        goStringMap(s.template?.metadata?.labels ?? null),
        '`selector` does not match template `labels`',
      ),
    )
  }
  if (
    isObject(s.selector) &&
    Object.keys(s.selector.matchLabels ?? {}).length + (s.selector.matchExpressions ?? []).length === 0
  ) {
    errs.push(
      fieldInvalidRendered('spec.selector', goLabelSelector(s.selector), 'empty selector is invalid for daemonset'),
    )
  }
  errs.push(...validatePodTemplate(s.template, 'spec.template'))
  if (s.template?.spec?.restartPolicy !== 'Always') {
    errs.push(fieldNotSupported('spec.template.spec.restartPolicy', s.template?.spec?.restartPolicy ?? '', ['Always']))
  }
  if (s.template?.spec?.activeDeadlineSeconds !== undefined && s.template?.spec?.activeDeadlineSeconds !== null) {
    errs.push(
      fieldInvalid(
        'spec.template.spec.activeDeadlineSeconds',
        s.template.spec.activeDeadlineSeconds,
        'activeDeadlineSeconds must be nil for daemon set pods',
      ),
    )
  }
  errs.push(...nonNegative(s.minReadySeconds, 'spec.minReadySeconds'))
  const us = s.updateStrategy ?? {}
  if (us.type === 'RollingUpdate') {
    const ru = us.rollingUpdate
    if (!isObject(ru)) errs.push(fieldRequired('spec.updateStrategy.rollingUpdate'))
    else {
      const p = 'spec.updateStrategy.rollingUpdate'
      errs.push(...validateIntOrPercent(ru.maxUnavailable, `${p}.maxUnavailable`))
      errs.push(...validateIntOrPercent(ru.maxSurge, `${p}.maxSurge`))
      errs.push(...notMoreThan100(ru.maxUnavailable, `${p}.maxUnavailable`))
      errs.push(...notMoreThan100(ru.maxSurge, `${p}.maxSurge`))
      const hasUnavailable = percentValue(ru.maxUnavailable).value !== 0
      const hasSurge = percentValue(ru.maxSurge).value !== 0
      if (hasUnavailable && hasSurge) {
        errs.push(
          fieldInvalidRendered(
            `${p}.maxSurge`,
            goIntOrString(ru.maxSurge),
            'may not be set when maxUnavailable is non-zero',
          ),
        )
      } else if (!hasUnavailable && !hasSurge) {
        errs.push(
          fieldInvalidRendered(
            `${p}.maxUnavailable`,
            goIntOrString(ru.maxUnavailable ?? 0),
            'cannot be 0 when maxSurge is 0',
          ),
        )
      }
    }
  } else if (us.type !== 'OnDelete') {
    const ru = isObject(us.rollingUpdate)
      ? '(*apps.RollingUpdateDaemonSet)(0xc000a1c0c0)'
      : '(*apps.RollingUpdateDaemonSet)(nil)'
    errs.push({
      type: 'FieldValueNotSupported',
      field: 'spec.updateStrategy',
      message: `Unsupported value: apps.DaemonSetUpdateStrategy{Type:${JSON.stringify(String(us.type ?? ''))}, RollingUpdate:${ru}}: supported values: "RollingUpdate", "OnDelete"`,
    })
  }
  errs.push(...nonNegative(s.revisionHistoryLimit, 'spec.revisionHistoryLimit'))
  return errs
}

/** daemonSetStrategy is the DaemonSet strategy. */
export const daemonSetStrategy: Strategy = {
  prepareForCreate(o, ctx) {
    defaultDaemonSet(o, ctx)
    o.status = {currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0}
  },
  prepareForUpdate(o, _old, ctx) {
    defaultDaemonSet(o, ctx)
  },
  validate: validateDaemonSet,
  validateUpdate(o, old) {
    return [...validateDaemonSet(o), ...immutableSelector(o, old)]
  },
}

// --- ReplicationController and PodTemplate ----------------------------------------------------------------------

function defaultReplicationController(o: KubeObject, ctx: StrategyContext) {
  const s = spec(o)
  const labels = s.template?.metadata?.labels
  if (labels) {
    if (!s.selector || Object.keys(s.selector).length === 0) s.selector = {...labels}
    const m = (o.metadata ??= {}) as Record<string, any>
    if (!m.labels || Object.keys(m.labels).length === 0) m.labels = {...labels}
  }
  s.replicas ??= 1
  if (isObject(s.template)) prepareTemplate(s.template, 'ReplicationController', ctx)
}

function validateReplicationController(o: KubeObject): FieldError[] {
  const s = spec(o)
  const errs = nonNegative(s.minReadySeconds, 'spec.minReadySeconds')
  if (!s.selector || Object.keys(s.selector).length === 0) errs.push(fieldRequired('spec.selector'))
  else errs.push(...validateLabels(s.selector, 'spec.selector'))
  errs.push(...nonNegative(s.replicas, 'spec.replicas'))
  const sel = selectorFromSet(s.selector ?? {})
  errs.push(...validateReplicatedTemplate(s.template, sel, 'spec.template', 'ReplicationController'))
  return errs
}

/** replicationControllerStrategy is the ReplicationController strategy. */
export const replicationControllerStrategy: Strategy = {
  prepareForCreate(o, ctx) {
    defaultReplicationController(o, ctx)
    o.status = {replicas: 0}
  },
  prepareForUpdate(o, _old, ctx) {
    defaultReplicationController(o, ctx)
  },
  validate: validateReplicationController,
}

/** podTemplateStrategy is the PodTemplate strategy (template defaults, template validation). */
export const podTemplateStrategy: Strategy = {
  prepareForCreate(o, ctx) {
    if (!isObject(o.template)) o.template = {}
    prepareTemplate(o.template, 'PodTemplate', ctx)
  },
  prepareForUpdate(o, _old, ctx) {
    if (isObject(o.template)) prepareTemplate(o.template, 'PodTemplate', ctx)
  },
  validate(o) {
    return validatePodTemplate(o.template, 'template')
  },
}
