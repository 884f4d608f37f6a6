// pods.ts: the Pod and PodTemplate tables. The STATUS cell is the one kubectl users read most, so its rules follow
// printPod in kubernetes pkg/printers/internalversion/printers.go (1.32) step by step: phase or status.reason,
// SchedulingGated, the init containers in order (sidecars with restartPolicy Always count as regular containers
// once started), then the regular containers from last to first, then Terminating / Unknown for deleted pods.
import {humanDuration} from '../../../api/duration.js'
import {col, containerCells, formatLabels, NAME_COLUMN, AGE_COLUMN, parseTime, wide} from './format.js'
import {convertor, preparedConvertor, type TableConvertor, type TableRowCondition} from './types.js'

const SUCCEEDED: TableRowCondition[] = [
  {type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.'},
]
const FAILED: TableRowCondition[] = [{type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.'}]

function isSidecar(c: any): boolean {
  return c?.restartPolicy === 'Always'
}

function conditionIs(pod: any, type: string, status = 'True'): boolean {
  const c = ((pod.status?.conditions ?? []) as any[]).find((x) => x.type === type)
  return c !== undefined && c.status === status
}

// terminatedReason names a termination without a reason by its signal or exit code.
function terminatedReason(t: any, prefix: string): string {
  if (t.reason) return prefix + t.reason
  if (t.signal) return `${prefix}Signal:${t.signal}`
  return `${prefix}ExitCode:${t.exitCode ?? 0}`
}

/** PodStatusParts are the time-free parts of a pod's Ready, Status and Restarts cells. */
interface PodStatusParts {
  ready: string
  reason: string
  restarts: number
  /** lastRestart is when the last counted restart finished (the Restarts cell's "(5m ago)"). */
  lastRestart: number | undefined
}

/** restartsCell renders the Restarts cell at `now`: the count, with how long ago the last restart was. */
function restartsCell(p: PodStatusParts, now: number): string {
  if (p.restarts !== 0 && p.lastRestart !== undefined)
    return `${p.restarts} (${humanDuration(now - p.lastRestart)} ago)`
  return String(p.restarts)
}

/** podStatusCells computes the Ready, Status and Restarts cells of a pod at `now`. */
export function podStatusCells(pod: any, now: number): {ready: string; reason: string; restarts: string} {
  const p = podStatusParts(pod)
  return {ready: p.ready, reason: p.reason, restarts: restartsCell(p, now)}
}

function podStatusParts(pod: any): PodStatusParts {
  const spec = pod.spec ?? {}
  const status = pod.status ?? {}
  const initSpecs = new Map<string, any>()
  let total = (spec.containers ?? []).length
  for (const c of (spec.initContainers ?? []) as any[]) {
    initSpecs.set(c.name, c)
    if (isSidecar(c)) total++
  }
  let ready = 0
  let restarts = 0
  let sidecarRestarts = 0
  let lastRestart: number | undefined
  let lastSidecarRestart: number | undefined
  const later = (a: number | undefined, b: number | undefined) =>
    b !== undefined && (a === undefined || b > a) ? b : a

  let reason: string = status.reason || status.phase || ''
  for (const c of (status.conditions ?? []) as any[]) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated'
  }

  const initStatuses = (status.initContainerStatuses ?? []) as any[]
  const initCount = (spec.initContainers ?? []).length
  let initializing = false
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i]
    const sidecar = isSidecar(initSpecs.get(cs.name))
    restarts += cs.restartCount ?? 0
    const finished = parseTime(cs.lastState?.terminated?.finishedAt)
    if (cs.lastState?.terminated) lastRestart = later(lastRestart, finished)
    if (sidecar) {
      sidecarRestarts += cs.restartCount ?? 0
      if (cs.lastState?.terminated) lastSidecarRestart = later(lastSidecarRestart, finished)
    }
    const term = cs.state?.terminated
    const waiting = cs.state?.waiting
    if (term && (term.exitCode ?? 0) === 0) continue
    if (sidecar && cs.started === true) {
      if (cs.ready) ready++
      continue
    }
    if (term) reason = terminatedReason(term, 'Init:')
    else if (waiting?.reason && waiting.reason !== 'PodInitializing') reason = 'Init:' + waiting.reason
    else reason = `Init:${i}/${initCount}`
    initializing = true
    break
  }

  if (!initializing || conditionIs(pod, 'Initialized')) {
    restarts = sidecarRestarts
    lastRestart = lastSidecarRestart
    let hasRunning = false
    const statuses = (status.containerStatuses ?? []) as any[]
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i]
      restarts += cs.restartCount ?? 0
      if (cs.lastState?.terminated) lastRestart = later(lastRestart, parseTime(cs.lastState.terminated.finishedAt))
      const waiting = cs.state?.waiting
      const term = cs.state?.terminated
      if (waiting?.reason) reason = waiting.reason
      else if (term) reason = terminatedReason(term, '')
      else if (cs.ready && cs.state?.running) {
        hasRunning = true
        ready++
      }
    }
    // A pod whose last container completed while another still runs is Running (or NotReady), not Completed.
    if (reason === 'Completed' && hasRunning) reason = conditionIs(pod, 'Ready') ? 'Running' : 'NotReady'
  }

  if (pod.metadata?.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown'
  else if (pod.metadata?.deletionTimestamp && status.phase !== 'Succeeded' && status.phase !== 'Failed') {
    reason = 'Terminating'
  }

  return {ready: `${ready}/${total}`, reason, restarts, lastRestart}
}

/** podConvertor prints Name | Ready | Status | Restarts | Age | IP | Node | Nominated Node | Readiness Gates. */
export const podConvertor: TableConvertor = preparedConvertor(
  [
    NAME_COLUMN,
    col('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 'The aggregate status of the containers in this pod.'),
    col('Restarts', 'The number of times the containers in this pod have been restarted and when the last one was.'),
    AGE_COLUMN,
    wide(col('IP', 'The first IP address allocated to the pod.')),
    wide(col('Node', 'The node the pod is bound to.')),
    wide(col('Nominated Node', 'The node the scheduler nominated for this pod after preemption.')),
    wide(col('Readiness Gates', 'How many of the pod readiness gates are True.')),
  ],
  (pod) => {
    const parts = podStatusParts(pod)
    const status = pod.status ?? {}
    // v1 pods may carry only the legacy podIP; conversion to the internal type fills podIPs from it.
    const ip = status.podIPs?.[0]?.ip || status.podIP || '<none>'
    const gates = (pod.spec?.readinessGates ?? []) as any[]
    let readinessGates = '<none>'
    if (gates.length > 0) {
      let trueCount = 0
      for (const g of gates) {
        const c = ((status.conditions ?? []) as any[]).find((x) => x.type === g.conditionType)
        if (c?.status === 'True') trueCount++
      }
      readinessGates = `${trueCount}/${gates.length}`
    }
    const name = pod.metadata?.name ?? ''
    const created = parseTime(pod.metadata?.creationTimestamp)
    const node = pod.spec?.nodeName || '<none>'
    const nominated = status.nominatedNodeName || '<none>'
    const conditions = status.phase === 'Succeeded' ? SUCCEEDED : status.phase === 'Failed' ? FAILED : undefined
    // Only the restarts' and the creation's ages change with the time; everything else is read here, once.
    return (now) => {
      const cells = [
        name,
        parts.ready,
        parts.reason,
        restartsCell(parts, now),
        created === undefined ? '<unknown>' : humanDuration(now - created),
        ip,
        node,
        nominated,
        readinessGates,
      ]
      return conditions ? {cells, conditions} : {cells}
    }
  },
)

/** podTemplateConvertor prints Name | Containers | Images | Pod Labels (no Age, as upstream). */
export const podTemplateConvertor: TableConvertor = convertor(
  [
    NAME_COLUMN,
    col('Containers', 'Names of each container in the template.'),
    col('Images', 'Images referenced by each container in the template.'),
    col('Pod Labels', 'The labels of the pod template.'),
  ],
  (obj) => {
    const [names, images] = containerCells(obj.template?.spec?.containers)
    return [obj.metadata?.name ?? '', names, images, formatLabels(obj.template?.metadata?.labels)]
  },
)
