// batch.ts: Job and CronJob. Defaults follow pkg/apis/batch/v1/defaults.go; the generated selector and template
// labels follow pkg/registry/batch/job/strategy.go (generateSelector); validation follows
// pkg/apis/batch/validation/validation.go, with schedules checked as robfig/cron's standard parser does.
import {isDeepStrictEqual} from 'node:util'
import {fieldInvalid, fieldNotSupported, fieldRequired, type FieldError} from '../../../api/errors.js'
import type {KubeObject} from '../../../api/object.js'
import {validateLabelSelector} from '../../../api/labels.js'
import type {Strategy, StrategyContext} from '../types.js'
import {fieldInvalidRendered, goLabelSelector, isObject, nonNegative} from './go-format.js'
import {validatePodTemplate} from './pod-spec.js'
import {prepareTemplate, templateMatches} from './workloads.js'
import {labelSelectorFromObject} from '../../../api/labels.js'

const CONTROLLER_UID = 'batch.kubernetes.io/controller-uid'
const JOB_NAME = 'batch.kubernetes.io/job-name'
const LEGACY_CONTROLLER_UID = 'controller-uid'
const LEGACY_JOB_NAME = 'job-name'

function spec(o: KubeObject): Record<string, any> {
  if (!isObject(o.spec)) o.spec = {}
  return o.spec as Record<string, any>
}

/** defaultJobSpec is SetDefaults_Job's spec part. */
function defaultJobSpec(s: Record<string, any>) {
  if (s.completions === undefined && s.parallelism === undefined) {
    s.completions = 1
    s.parallelism = 1
  }
  s.parallelism ??= 1
  if (s.backoffLimit === undefined) s.backoffLimit = s.backoffLimitPerIndex !== undefined ? 2147483647 : 6
  if (!s.completionMode) s.completionMode = 'NonIndexed'
  s.suspend ??= false
  for (const rule of s.podFailurePolicy?.rules ?? []) {
    for (const c of rule?.onPodConditions ?? []) if (isObject(c) && !c.status) c.status = 'True'
  }
  if (!s.podReplacementPolicy) s.podReplacementPolicy = s.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed'
  s.manualSelector ??= false
}

/** generateSelector labels the template with the job's uid and name and selects on the uid. */
function generateSelector(o: KubeObject) {
  const s = spec(o)
  const uid = String(o.metadata?.uid ?? '')
  const name = String(o.metadata?.name ?? '')
  const tpl = (s.template ??= {})
  if (!isObject(tpl.metadata)) tpl.metadata = {}
  const labels = (tpl.metadata.labels ??= {})
  labels[LEGACY_CONTROLLER_UID] ??= uid
  labels[LEGACY_JOB_NAME] ??= name
  labels[CONTROLLER_UID] ??= uid
  labels[JOB_NAME] ??= name
  if (!isObject(s.selector)) s.selector = {}
  if (!isObject(s.selector.matchLabels)) s.selector.matchLabels = {}
  s.selector.matchLabels[CONTROLLER_UID] ??= uid
}

function defaultJob(o: KubeObject, ctx: StrategyContext) {
  const s = spec(o)
  defaultJobSpec(s)
  prepareTemplate(s.template ?? (s.template = {}), 'Job', ctx)
}

function copyTemplateLabels(o: KubeObject) {
  // SetDefaults_Job copies the template labels onto an unlabelled Job (applied again whenever it is read).
  const m = (o.metadata ??= {}) as Record<string, any>
  const labels = (o.spec as any)?.template?.metadata?.labels
  if (labels && (!m.labels || Object.keys(m.labels).length === 0)) m.labels = {...labels}
}

function validateJobRestartPolicy(tpl: any, path: string): FieldError[] {
  const rp = tpl?.spec?.restartPolicy
  if (rp === 'Always' || !rp) return [fieldRequired(path, 'valid values: "OnFailure", "Never"')]
  if (rp !== 'OnFailure' && rp !== 'Never') return [fieldNotSupported(path, rp, ['OnFailure', 'Never'])]
  return []
}

/** validateJobSpec is ValidateJobSpec (with the template checks); prefix is `spec` or `spec.jobTemplate.spec`. */
function validateJobSpec(s: Record<string, any>, prefix: string, isJob: boolean): FieldError[] {
  const errs: FieldError[] = []
  errs.push(...nonNegative(s.parallelism, `${prefix}.parallelism`))
  errs.push(...nonNegative(s.completions, `${prefix}.completions`))
  errs.push(...nonNegative(s.activeDeadlineSeconds, `${prefix}.activeDeadlineSeconds`))
  errs.push(...nonNegative(s.backoffLimit, `${prefix}.backoffLimit`))
  errs.push(...nonNegative(s.ttlSecondsAfterFinished, `${prefix}.ttlSecondsAfterFinished`))
  const mode = s.completionMode
  if (mode !== undefined && mode !== 'NonIndexed' && mode !== 'Indexed') {
    errs.push(fieldNotSupported(`${prefix}.completionMode`, mode, ['NonIndexed', 'Indexed']))
  }
  if (mode === 'Indexed' && (s.completions === undefined || s.completions === null)) {
    errs.push(fieldRequired(`${prefix}.completions`, 'when completion mode is Indexed'))
  }
  if (s.selector === undefined || s.selector === null) {
    if (isJob) errs.push(fieldRequired(`${prefix}.selector`))
  } else {
    errs.push(...validateLabelSelector(s.selector, `${prefix}.selector`))
  }
  let sel
  try {
    sel = s.selector ? labelSelectorFromObject(s.selector) : undefined
  } catch {
    errs.push(fieldInvalidRendered(`${prefix}.selector`, goLabelSelector(s.selector), 'invalid label selector'))
  }
  if (sel) errs.push(...templateMatches(sel, s.template, `${prefix}.template`))
  errs.push(...validatePodTemplate(s.template, `${prefix}.template`))
  errs.push(...validateJobRestartPolicy(s.template, `${prefix}.template.spec.restartPolicy`))
  return errs
}

function validateJob(o: KubeObject): FieldError[] {
  const s = spec(o)
  const errs: FieldError[] = []
  // ValidateGeneratedSelector: without manualSelector the selector must be exactly the generated one.
  if (s.manualSelector !== true && isObject(s.selector)) {
    const uid = String(o.metadata?.uid ?? '')
    const labels = s.template?.metadata?.labels ?? {}
    if (labels[LEGACY_CONTROLLER_UID] !== undefined && labels[LEGACY_CONTROLLER_UID] !== uid) {
      errs.push(
        fieldInvalid(
          `spec.template.metadata.labels[${LEGACY_CONTROLLER_UID}]`,
          labels[LEGACY_CONTROLLER_UID],
          `must be '${uid}'`,
        ),
      )
    }
    if (labels[CONTROLLER_UID] !== undefined && labels[CONTROLLER_UID] !== uid) {
      errs.push(
        fieldInvalid(`spec.template.metadata.labels[${CONTROLLER_UID}]`, labels[CONTROLLER_UID], `must be '${uid}'`),
      )
    }
    if (!isDeepStrictEqual(s.selector, {matchLabels: {[CONTROLLER_UID]: uid}})) {
      errs.push(fieldInvalidRendered('spec.selector', goLabelSelector(s.selector), '`selector` not auto-generated'))
    }
  }
  errs.push(...validateJobSpec(s, 'spec', true))
  return errs
}

function validateJobUpdate(o: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateJob(o)
  const n = spec(o)
  const p = (old.spec ?? {}) as Record<string, any>
  if (!isDeepStrictEqual(n.selector ?? null, p.selector ?? null)) {
    errs.push(fieldInvalidRendered('spec.selector', goLabelSelector(n.selector), 'field is immutable'))
  }
  if (n.completionMode !== p.completionMode)
    errs.push(fieldInvalid('spec.completionMode', n.completionMode ?? '', 'field is immutable'))
  if ((n.completionMode ?? 'NonIndexed') === 'NonIndexed' && n.completions !== p.completions) {
    errs.push(fieldInvalid('spec.completions', n.completions ?? null, 'field is immutable'))
  }
  if (!isDeepStrictEqual(n.template, p.template)) {
    // The apiserver prints the whole core.PodTemplateSpec here; its %#v dump is shortened.
    errs.push(fieldInvalidRendered('spec.template', 'core.PodTemplateSpec{...}', 'field is immutable'))
  }
  return errs
}

/** jobStrategy is the Job strategy. */
export const jobStrategy: Strategy = {
  prepareForCreate(o, ctx) {
    defaultJob(o, ctx)
    if (spec(o).manualSelector !== true) generateSelector(o)
    copyTemplateLabels(o)
    o.status = {}
  },
  prepareForUpdate(o, _old, ctx) {
    defaultJob(o, ctx)
    copyTemplateLabels(o)
  },
  validate: validateJob,
  validateUpdate: validateJobUpdate,
}

// --- CronJob ----------------------------------------------------------------------------------------------------

interface Bounds {
  min: number
  max: number
  names?: Record<string, number>
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
}
const DAYS: Record<string, number> = {sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6}
const FIELDS: Bounds[] = [
  {min: 0, max: 59},
  {min: 0, max: 23},
  {min: 1, max: 31},
  {min: 1, max: 12, names: MONTHS},
  {min: 0, max: 6, names: DAYS},
]
const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'])

function mustParseInt(expr: string): number {
  if (!/^[+-]?\d+$/.test(expr))
    throw new Error(`failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`)
  const n = parseInt(expr, 10)
  if (n < 0) throw new Error(`negative number (${n}) not allowed: ${expr}`)
  return n
}

function parseIntOrName(expr: string, names?: Record<string, number>): number {
  const named = names?.[expr.toLowerCase()]
  return named !== undefined ? named : mustParseInt(expr)
}

function checkRange(expr: string, b: Bounds) {
  const rangeAndStep = expr.split('/')
  const lowAndHigh = rangeAndStep[0]!.split('-')
  const singleDigit = lowAndHigh.length === 1
  let start: number
  let end: number
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = b.min
    end = b.max
  } else {
    start = parseIntOrName(lowAndHigh[0]!, b.names)
    if (lowAndHigh.length === 1) end = start
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1]!, b.names)
    else throw new Error(`too many hyphens: ${expr}`)
  }
  if (rangeAndStep.length === 2) {
    const step = mustParseInt(rangeAndStep[1]!)
    if (singleDigit) end = b.max
    if (step === 0) throw new Error(`step of range should be a positive number: ${expr}`)
  } else if (rangeAndStep.length > 2) {
    throw new Error(`too many slashes: ${expr}`)
  }
  if (start < b.min) throw new Error(`beginning of range (${start}) below minimum (${b.min}): ${expr}`)
  if (end > b.max) throw new Error(`end of range (${end}) above maximum (${b.max}): ${expr}`)
  if (start > end) throw new Error(`beginning of range (${start}) beyond end of range (${end}): ${expr}`)
}

/** cronScheduleError checks a schedule as cron.ParseStandard does; returns its error text or undefined. */
export function cronScheduleError(schedule: string): string | undefined {
  let spec = schedule.trim()
  if (spec.length === 0) return 'empty spec string'
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const i = spec.indexOf(' ')
    spec = i < 0 ? '' : spec.slice(i).trim()
  }
  if (spec.startsWith('@')) {
    if (DESCRIPTORS.has(spec) || spec.startsWith('@every ')) return undefined
    return `unrecognized descriptor: ${spec}`
  }
  const fields = spec.split(/\s+/).filter((f) => f !== '')
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`
  try {
    fields.forEach((f, i) => {
      for (const part of f.split(',')) checkRange(part, FIELDS[i]!)
    })
  } catch (e) {
    return (e as Error).message
  }
  return undefined
}

function defaultCronJob(o: KubeObject, ctx: StrategyContext) {
  const s = spec(o)
  if (!s.concurrencyPolicy) s.concurrencyPolicy = 'Allow'
  s.suspend ??= false
  s.successfulJobsHistoryLimit ??= 3
  s.failedJobsHistoryLimit ??= 1
  if (!isObject(s.jobTemplate)) s.jobTemplate = {}
  const jt = s.jobTemplate
  if (!isObject(jt.metadata)) jt.metadata = {}
  if (jt.metadata.creationTimestamp === undefined) jt.metadata.creationTimestamp = null
  if (!isObject(jt.spec)) jt.spec = {}
  prepareTemplate(jt.spec.template ?? (jt.spec.template = {}), 'CronJob', ctx)
}

function validateCronJob(o: KubeObject): FieldError[] {
  const s = spec(o)
  const errs: FieldError[] = []
  const name = String(o.metadata?.name ?? '')
  if (name.length > 52) errs.push(fieldInvalid('metadata.name', name, 'must be no more than 52 characters'))
  const schedule = s.schedule
  if (!schedule) errs.push(fieldRequired('spec.schedule'))
  else if (/(^|\s)(CRON_)?TZ=/.test(schedule)) {
    errs.push(
      fieldInvalid('spec.schedule', schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'),
    )
  } else {
    const err = cronScheduleError(schedule)
    if (err) errs.push(fieldInvalid('spec.schedule', schedule, err))
  }
  errs.push(...nonNegative(s.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'))
  const cp = s.concurrencyPolicy
  if (!cp) errs.push(fieldRequired('spec.concurrencyPolicy'))
  else if (!['Allow', 'Forbid', 'Replace'].includes(cp)) {
    errs.push(fieldNotSupported('spec.concurrencyPolicy', cp, ['Allow', 'Forbid', 'Replace']))
  }
  errs.push(...nonNegative(s.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit'))
  errs.push(...nonNegative(s.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit'))
  const jt = s.jobTemplate ?? {}
  errs.push(...validateJobSpec(isObject(jt.spec) ? jt.spec : {}, 'spec.jobTemplate.spec', false))
  return errs
}

/** cronJobStrategy is the CronJob strategy. */
export const cronJobStrategy: Strategy = {
  prepareForCreate(o, ctx) {
    defaultCronJob(o, ctx)
    o.status = {}
  },
  prepareForUpdate(o, _old, ctx) {
    defaultCronJob(o, ctx)
  },
  validate: validateCronJob,
}
