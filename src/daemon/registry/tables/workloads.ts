// workloads.ts: tables of the controllers' kinds (apps, batch, autoscaling, policy). Follows printDeployment,
// printReplicaSet, printReplicationController, printStatefulSet, printDaemonSet, printControllerRevision, printJob,
// printCronJob, printHorizontalPodAutoscaler/formatHPAMetrics and printPodDisruptionBudget in kubernetes
// pkg/printers/internalversion/printers.go (1.32). The printers see defaulted objects; where a v1 field is
// optional but always defaulted (replicas, parallelism) the default is applied here too.
import {humanDuration} from '../../../api/duration.js'
import {
  age,
  AGE_COLUMN,
  col,
  CONTAINERS_COLUMN,
  containerCells,
  creationAge,
  formatLabels,
  formatLabelSelector,
  IMAGES_COLUMN,
  int64,
  intOrString,
  NAME_COLUMN,
  parseTime,
  quantity,
  SELECTOR_COLUMN,
  selectorString,
} from './format.js'
import {convertor, type TableConvertor} from './types.js'

const name = (obj: any): string => obj.metadata?.name ?? ''
const replicas = (spec: any): number => (typeof spec?.replicas === 'number' ? spec.replicas : 1)

/** deploymentConvertor: Ready is a string, Up-to-date and Available are int64 cells in "string" columns. */
export const deploymentConvertor: TableConvertor = convertor(
  [
    NAME_COLUMN,
    col('Ready', 'Number of ready replicas out of the desired number.'),
    col('Up-to-date', 'Number of replicas running the newest pod template.'),
    col('Available', 'Number of replicas available to users.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    SELECTOR_COLUMN,
  ],
  (obj, now) => {
    const [names, images] = containerCells(obj.spec?.template?.spec?.containers)
    // printDeployment prints selector.String() directly: '' for an empty selector, <invalid> for a bad one.
    const sel = selectorString(obj.spec?.selector)
    return [
      name(obj),
      `${int64(obj.status?.readyReplicas)}/${replicas(obj.spec)}`,
      int64(obj.status?.updatedReplicas),
      int64(obj.status?.availableReplicas),
      creationAge(obj, now),
      names,
      images,
      sel ?? '<invalid>',
    ]
  },
)

const replicaColumns = [
  NAME_COLUMN,
  col('Desired', 'Number of desired replicas.', {type: 'integer'}),
  col('Current', 'Number of replicas that exist now.', {type: 'integer'}),
  col('Ready', 'Number of ready replicas.', {type: 'integer'}),
  AGE_COLUMN,
  CONTAINERS_COLUMN,
  IMAGES_COLUMN,
  SELECTOR_COLUMN,
]

/** replicaSetConvertor prints Desired | Current | Ready as int64 cells and a LabelSelector. */
export const replicaSetConvertor: TableConvertor = convertor(replicaColumns, (obj, now) => {
  const [names, images] = containerCells(obj.spec?.template?.spec?.containers)
  return [
    name(obj),
    replicas(obj.spec),
    int64(obj.status?.replicas),
    int64(obj.status?.readyReplicas),
    creationAge(obj, now),
    names,
    images,
    formatLabelSelector(obj.spec?.selector),
  ]
})

/** replicationControllerConvertor is replicaSetConvertor with a plain label map as selector. */
export const replicationControllerConvertor: TableConvertor = convertor(replicaColumns, (obj, now) => {
  const [names, images] = containerCells(obj.spec?.template?.spec?.containers)
  return [
    name(obj),
    replicas(obj.spec),
    int64(obj.status?.replicas),
    int64(obj.status?.readyReplicas),
    creationAge(obj, now),
    names,
    images,
    formatLabels(obj.spec?.selector),
  ]
})

/** statefulSetConvertor prints Ready as `ready/desired`. */
export const statefulSetConvertor: TableConvertor = convertor(
  [
    NAME_COLUMN,
    col('Ready', 'Number of ready pods out of the desired number.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
  ],
  (obj, now) => {
    const [names, images] = containerCells(obj.spec?.template?.spec?.containers)
    return [
      name(obj),
      `${int64(obj.status?.readyReplicas)}/${replicas(obj.spec)}`,
      creationAge(obj, now),
      names,
      images,
    ]
  },
)

/** daemonSetConvertor prints the five scheduling counters as int64 cells and the template's node selector. */
export const daemonSetConvertor: TableConvertor = convertor(
  [
    NAME_COLUMN,
    col('Desired', 'Number of nodes that should run the daemon pod.', {type: 'integer'}),
    col('Current', 'Number of nodes running at least one daemon pod.', {type: 'integer'}),
    col('Ready', 'Number of nodes whose daemon pod is ready.', {type: 'integer'}),
    col('Up-to-date', 'Number of nodes running the updated daemon pod.', {type: 'integer'}),
    col('Available', 'Number of nodes whose daemon pod is available.', {type: 'integer'}),
    col('Node Selector', 'The node selector of the pod template.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    SELECTOR_COLUMN,
  ],
  (obj, now) => {
    const s = obj.status ?? {}
    const [names, images] = containerCells(obj.spec?.template?.spec?.containers)
    return [
      name(obj),
      int64(s.desiredNumberScheduled),
      int64(s.currentNumberScheduled),
      int64(s.numberReady),
      int64(s.updatedNumberScheduled),
      int64(s.numberAvailable),
      formatLabels(obj.spec?.template?.spec?.nodeSelector),
      creationAge(obj, now),
      names,
      images,
      formatLabelSelector(obj.spec?.selector),
    ]
  },
)

/** controllerRevisionConvertor prints the controlling owner as `kind.group/name` and the revision number. */
export const controllerRevisionConvertor: TableConvertor = convertor(
  [
    NAME_COLUMN,
    col('Controller', 'The object that controls this revision.'),
    col('Revision', 'The revision number of this state.'),
    AGE_COLUMN,
  ],
  (obj, now) => {
    const ref = ((obj.metadata?.ownerReferences ?? []) as any[]).find((r) => r.controller === true)
    let controller = '<none>'
    if (ref) {
      const apiVersion: string = ref.apiVersion ?? ''
      const parts = apiVersion.split('/')
      // schema.ParseGroupVersion accepts "v1", "group/version" and ""; anything else prints the bare name.
      const valid = parts.length <= 2
      const group = parts.length === 2 ? parts[0] : ''
      const kind: string = ref.kind ?? ''
      if (!valid || (kind === '' && group === '')) controller = ref.name ?? ''
      else controller = `${(group ? `${kind}.${group}` : kind).toLowerCase()}/${ref.name ?? ''}`
    }
    return [name(obj), controller, int64(obj.revision), creationAge(obj, now)]
  },
)

function jobCondition(obj: any, type: string): boolean {
  const c = ((obj.status?.conditions ?? []) as any[]).find((x) => x.type === type)
  return c !== undefined && c.status === 'True'
}

/** jobStatus is the Status cell of a Job: Complete, Failed, Terminating, Suspended, FailureTarget or Running. */
export function jobStatus(obj: any): string {
  if (jobCondition(obj, 'Complete')) return 'Complete'
  if (jobCondition(obj, 'Failed')) return 'Failed'
  if (obj.metadata?.deletionTimestamp) return 'Terminating'
  if (jobCondition(obj, 'Suspended')) return 'Suspended'
  if (jobCondition(obj, 'FailureTarget')) return 'FailureTarget'
  return 'Running'
}

/** jobConvertor prints Status | Completions | Duration like printJob. */
export const jobConvertor: TableConvertor = convertor(
  [
    NAME_COLUMN,
    col('Status', 'Status of the job.'),
    col('Completions', 'Succeeded pods out of the wanted completions.'),
    col('Duration', 'Time the job took, or has been running.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    SELECTOR_COLUMN,
  ],
  (obj, now) => {
    const spec = obj.spec ?? {}
    const succeeded = int64(obj.status?.succeeded)
    let completions: string
    if (typeof spec.completions === 'number') completions = `${succeeded}/${spec.completions}`
    else {
      const parallelism = typeof spec.parallelism === 'number' ? spec.parallelism : 1
      completions = parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`
    }
    const start = parseTime(obj.status?.startTime)
    const end = parseTime(obj.status?.completionTime)
    let duration = ''
    if (start !== undefined) duration = humanDuration((end ?? now) - start)
    const [names, images] = containerCells(spec.template?.spec?.containers)
    return [
      name(obj),
      jobStatus(obj),
      completions,
      duration,
      creationAge(obj, now),
      names,
      images,
      formatLabelSelector(spec.selector),
    ]
  },
)

/** cronJobConvertor prints Schedule | Timezone | Suspend | Active | Last Schedule like printCronJob. */
export const cronJobConvertor: TableConvertor = convertor(
  [
    NAME_COLUMN,
    col('Schedule', 'The cron schedule.'),
    col('Timezone', 'The time zone of the schedule.'),
    col('Suspend', 'Whether new runs are suspended.', {type: 'boolean'}),
    col('Active', 'Number of running jobs.', {type: 'integer'}),
    col('Last Schedule', 'Time since a job was last scheduled.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    SELECTOR_COLUMN,
  ],
  (obj, now) => {
    const spec = obj.spec ?? {}
    const suspend = typeof spec.suspend === 'boolean' ? (spec.suspend ? 'True' : 'False') : '<unset>'
    const last = obj.status?.lastScheduleTime ? age(obj.status.lastScheduleTime, now) : '<none>'
    const jobSpec = spec.jobTemplate?.spec ?? {}
    const [names, images] = containerCells(jobSpec.template?.spec?.containers)
    return [
      name(obj),
      spec.schedule ?? '',
      typeof spec.timeZone === 'string' ? spec.timeZone : '<none>',
      suspend,
      (obj.status?.active ?? []).length,
      last,
      creationAge(obj, now),
      names,
      images,
      formatLabelSelector(jobSpec.selector),
    ]
  },
)

// v1ToV2Metrics turns an autoscaling/v1 HPA into v2 metric specs and statuses, as the v1 conversion does: the
// target CPU percentage (default 80 when unset) becomes a Resource cpu Utilization metric.
function v1ToV2Metrics(obj: any): {specs: any[]; statuses: any[]} {
  const target =
    typeof obj.spec?.targetCPUUtilizationPercentage === 'number' ? obj.spec.targetCPUUtilizationPercentage : 80
  const specs = [{type: 'Resource', resource: {name: 'cpu', target: {type: 'Utilization', averageUtilization: target}}}]
  const current = obj.status?.currentCPUUtilizationPercentage
  const statuses =
    typeof current === 'number'
      ? [{type: 'Resource', resource: {name: 'cpu', current: {averageUtilization: current}}}]
      : []
  return {specs, statuses}
}

const q = (v: unknown): string => (v === undefined || v === null ? '<nil>' : quantity(v))

/** formatHPAMetrics renders the Targets cell: `cpu: 20%/50%`, `<unknown>/100m`, at most two then `+ N more...`. */
export function formatHPAMetrics(specs: any[], statuses: any[]): string {
  if (specs.length === 0) return '<none>'
  const list: string[] = []
  specs.forEach((spec, i) => {
    const st = statuses[i]
    switch (spec.type) {
      case 'External':
      case 'Object': {
        const key = spec.type === 'External' ? 'external' : 'object'
        const target = spec[key]?.target ?? {}
        const cur = st?.[key]?.current
        if (target.averageValue !== undefined && target.averageValue !== null) {
          const current = st?.[key] && cur?.averageValue != null ? q(cur.averageValue) : '<unknown>'
          list.push(`${current}/${q(target.averageValue)} (avg)`)
        } else {
          const current = st?.[key] ? q(cur?.value) : '<unknown>'
          list.push(`${current}/${q(target.value)}`)
        }
        break
      }
      case 'Pods': {
        const current = st?.pods ? q(st.pods.current?.averageValue) : '<unknown>'
        list.push(`${current}/${q(spec.pods?.target?.averageValue)}`)
        break
      }
      case 'Resource':
      case 'ContainerResource': {
        const key = spec.type === 'Resource' ? 'resource' : 'containerResource'
        const src = spec[key] ?? {}
        const target = src.target ?? {}
        const cur = st?.[key]?.current
        if (target.averageValue !== undefined && target.averageValue !== null) {
          const current = st?.[key] ? q(cur?.averageValue) : '<unknown>'
          list.push(`${src.name}: ${current}/${q(target.averageValue)}`)
        } else {
          const current =
            st?.[key] && typeof cur?.averageUtilization === 'number' ? `${cur.averageUtilization}%` : '<unknown>'
          const tgt = typeof target.averageUtilization === 'number' ? `${target.averageUtilization}%` : '<auto>'
          list.push(`${src.name}: ${current}/${tgt}`)
        }
        break
      }
      default:
        list.push('<unknown type>')
    }
  })
  const max = 2
  if (list.length > max) return `${list.slice(0, max).join(', ')} + ${list.length - max} more...`
  return list.join(', ')
}

/**
 * hpaConvertor prints Reference | Targets | MinPods | MaxPods | Replicas for autoscaling/v2 and, converted,
 * autoscaling/v1 objects (recognised by apiVersion, or by targetCPUUtilizationPercentage when it is missing).
 */
export const hpaConvertor: TableConvertor = convertor(
  [
    NAME_COLUMN,
    col('Reference', 'The scaled workload.'),
    col('Targets', 'Current and target values of each metric.'),
    col('MinPods', 'Lower limit of replicas.'),
    col('MaxPods', 'Upper limit of replicas.'),
    col('Replicas', 'Current number of replicas.'),
    AGE_COLUMN,
  ],
  (obj, now) => {
    const spec = obj.spec ?? {}
    const isV1 =
      obj.apiVersion === 'autoscaling/v1' || (obj.apiVersion === undefined && 'targetCPUUtilizationPercentage' in spec)
    const {specs, statuses} = isV1
      ? v1ToV2Metrics(obj)
      : {specs: (spec.metrics ?? []) as any[], statuses: (obj.status?.currentMetrics ?? []) as any[]}
    const ref = spec.scaleTargetRef ?? {}
    return [
      name(obj),
      `${ref.kind ?? ''}/${ref.name ?? ''}`,
      formatHPAMetrics(specs, statuses),
      typeof spec.minReplicas === 'number' ? String(spec.minReplicas) : '<unset>',
      int64(spec.maxReplicas),
      int64(obj.status?.currentReplicas),
      creationAge(obj, now),
    ]
  },
)

/** pdbConvertor prints Min Available | Max Unavailable (`N/A` when unset) | Allowed Disruptions. */
export const pdbConvertor: TableConvertor = convertor(
  [
    NAME_COLUMN,
    col('Min Available', 'Pods that must stay available.'),
    col('Max Unavailable', 'Pods that may be unavailable.'),
    col('Allowed Disruptions', 'Pod disruptions allowed right now.', {type: 'integer'}),
    AGE_COLUMN,
  ],
  (obj, now) => {
    const spec = obj.spec ?? {}
    return [
      name(obj),
      spec.minAvailable !== undefined && spec.minAvailable !== null ? intOrString(spec.minAvailable) : 'N/A',
      spec.maxUnavailable !== undefined && spec.maxUnavailable !== null ? intOrString(spec.maxUnavailable) : 'N/A',
      int64(obj.status?.disruptionsAllowed),
      creationAge(obj, now),
    ]
  },
)
