// workloads.ts describes the workload controllers: Deployment, ReplicaSet, ReplicationController, StatefulSet,
// DaemonSet, Job and CronJob. Follows kubectl/pkg/describe/describe.go (describeDeployment, describeReplicaSet,
// describeStatefulSet, describeDaemonSet, describeJob, describeCronJob, getPodStatusForController) and
// kubectl/pkg/util/deployment (GetAllReplicaSetsInChunks: owned ReplicaSets, the new one by template equality).
import {compareCodePoints} from '../../api/gofmt.js'
import {formatLabelSelector, formatLabels, selectorFromSet} from '../../api/labels.js'
import {humanDuration} from '../../api/duration.js'
import {apiPath, getObject, listAll, type DescribeContext} from './context.js'
import {describeEvents, eventsFor} from './events.js'
import {
  controllerOf,
  goList,
  intOrString,
  num,
  printAnnotationsMultiline,
  printBoolPtr,
  printLabelsMultiline,
  pvcClass,
  quantityString,
  rfc1123z,
  selectorString,
  str,
  type Obj,
} from './format.js'
import {goSort} from './gosort.js'
import {describePodTemplate} from './pod.js'
import {LEVEL_0, LEVEL_1, tabbedString, type PrefixWriter} from './prefix-writer.js'

interface PodCounts {
  running: number
  waiting: number
  succeeded: number
  failed: number
}

/** podStatusForController counts the phases of the pods the selector finds that uid controls. */
async function podStatusForController(
  ctx: DescribeContext,
  namespace: string,
  selector: string,
  uid: string,
): Promise<PodCounts> {
  const pods = await listAll(ctx, apiPath('', 'v1', namespace, 'pods'), selector ? {labelSelector: selector} : {})
  const c: PodCounts = {running: 0, waiting: 0, succeeded: 0, failed: 0}
  for (const p of pods) {
    const ref = (p.metadata?.ownerReferences ?? []).find((r: Obj) => r.controller === true)
    if (!ref || ref.uid !== uid) continue
    switch (p.status?.phase) {
      case 'Running':
        c.running++
        break
      case 'Pending':
        c.waiting++
        break
      case 'Succeeded':
        c.succeeded++
        break
      case 'Failed':
        c.failed++
        break
    }
  }
  return c
}

function podsStatus(c: PodCounts): string {
  return `${c.running} Running / ${c.waiting} Waiting / ${c.succeeded} Succeeded / ${c.failed} Failed`
}

function ptrString(v: unknown): string {
  return v === undefined || v === null ? '<nil>' : intOrString(v)
}

function writeConditions(w: PrefixWriter, conditions: Obj[] | undefined): void {
  if (!conditions || conditions.length === 0) return
  w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tReason\n')
  w.write(LEVEL_1, '----\t------\t------\n')
  for (const c of conditions) w.write(LEVEL_1, `${str(c.type)} \t${str(c.status)}\t${str(c.reason)}\n`)
}

// semanticNormal drops what apimachinery's Semantic.DeepEqual treats as absent: nulls, empty maps and empty lists.
function semanticNormal(v: unknown): unknown {
  if (Array.isArray(v)) return v.length === 0 ? undefined : v.map(semanticNormal)
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) {
      const n = semanticNormal(x)
      if (n !== undefined && n !== null) out[k] = n
    }
    return Object.keys(out).length === 0 ? undefined : out
  }
  return v
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a as object)
  const kb = Object.keys(b as object)
  if (ka.length !== kb.length) return false
  return ka.every((k) => deepEqual((a as any)[k], (b as any)[k]))
}

function equalIgnoreHash(t1: Obj | undefined, t2: Obj | undefined): boolean {
  const strip = (t: Obj | undefined) => {
    const c = structuredClone(t ?? {})
    if (c.metadata?.labels) delete c.metadata.labels['pod-template-hash']
    return semanticNormal(c)
  }
  return deepEqual(strip(t1), strip(t2))
}

/** describeDeployment is DeploymentDescriber. */
export async function describeDeployment(ctx: DescribeContext, namespace: string, name: string): Promise<string> {
  const d = await getObject(ctx, apiPath('apps', 'v1', namespace, 'deployments', name))
  const events = await eventsFor(ctx, d, 'Deployment')
  let oldRSs: Obj[] = []
  let newRS: Obj | undefined
  let found = false
  try {
    const sel = selectorString(d.spec?.selector)
    const all = await listAll(ctx, apiPath('apps', 'v1', namespace, 'replicasets'), sel ? {labelSelector: sel} : {})
    const owned = all.filter((rs) =>
      (rs.metadata?.ownerReferences ?? []).some((r: Obj) => r.controller === true && r.uid === d.metadata?.uid),
    )
    const sorted = goSort(owned, (a, b) => {
      const ta = Date.parse(a.metadata?.creationTimestamp ?? '')
      const tb = Date.parse(b.metadata?.creationTimestamp ?? '')
      if (ta === tb) return compareCodePoints(str(a.metadata?.name), str(b.metadata?.name)) < 0
      return ta < tb
    })
    newRS = sorted.find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template))
    oldRSs = sorted.filter((rs) => rs !== newRS)
    found = true
  } catch {
    found = false
  }
  const now = ctx.now()
  return tabbedString((w) => {
    const meta = d.metadata ?? {}
    const spec = d.spec ?? {}
    const st = d.status ?? {}
    w.write(LEVEL_0, `Name:\t${str(meta.name)}\n`)
    w.write(LEVEL_0, `Namespace:\t${str(meta.namespace)}\n`)
    w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(meta.creationTimestamp)}\n`)
    printLabelsMultiline(w, 'Labels', meta.labels)
    printAnnotationsMultiline(w, 'Annotations', meta.annotations)
    w.write(LEVEL_0, `Selector:\t${selectorString(spec.selector)}\n`)
    w.write(
      LEVEL_0,
      `Replicas:\t${num(spec.replicas)} desired | ${num(st.updatedReplicas)} updated | ${num(st.replicas)} total | ${num(st.availableReplicas)} available | ${num(st.unavailableReplicas)} unavailable\n`,
    )
    w.write(LEVEL_0, `StrategyType:\t${str(spec.strategy?.type)}\n`)
    w.write(LEVEL_0, `MinReadySeconds:\t${num(spec.minReadySeconds)}\n`)
    const ru = spec.strategy?.rollingUpdate
    if (ru) {
      w.write(
        LEVEL_0,
        `RollingUpdateStrategy:\t${ptrString(ru.maxUnavailable)} max unavailable, ${ptrString(ru.maxSurge)} max surge\n`,
      )
    }
    describePodTemplate(spec.template, w)
    writeConditions(w, st.conditions)
    if (found && (oldRSs.length > 0 || newRS)) {
      w.write(LEVEL_0, `OldReplicaSets:\t${replicaSetsString(oldRSs)}\n`)
      w.write(LEVEL_0, `NewReplicaSet:\t${replicaSetsString(newRS ? [newRS] : [])}\n`)
    }
    if (events) describeEvents(events, w, now)
  })
}

function replicaSetsString(rss: Obj[]): string {
  const s = rss.map(
    (rs) => `${str(rs.metadata?.name)} (${num(rs.status?.replicas)}/${num(rs.spec?.replicas)} replicas created)`,
  )
  return s.length === 0 ? '<none>' : s.join(', ')
}

/** describeReplicaSet is ReplicaSetDescriber. */
export async function describeReplicaSet(ctx: DescribeContext, namespace: string, name: string): Promise<string> {
  const rs = await getObject(ctx, apiPath('apps', 'v1', namespace, 'replicasets', name))
  let counts: PodCounts | undefined
  let podErr: Error | undefined
  try {
    counts = await podStatusForController(ctx, namespace, selectorString(rs.spec?.selector), str(rs.metadata?.uid))
  } catch (e) {
    podErr = e as Error
  }
  const events = await eventsFor(ctx, rs, 'ReplicaSet')
  const now = ctx.now()
  return tabbedString((w) => {
    const meta = rs.metadata ?? {}
    w.write(LEVEL_0, `Name:\t${str(meta.name)}\n`)
    w.write(LEVEL_0, `Namespace:\t${str(meta.namespace)}\n`)
    w.write(LEVEL_0, `Selector:\t${formatLabelSelector(rs.spec?.selector)}\n`)
    printLabelsMultiline(w, 'Labels', meta.labels)
    printAnnotationsMultiline(w, 'Annotations', meta.annotations)
    const by = controllerOf(rs)
    if (by) w.write(LEVEL_0, `Controlled By:\t${by}\n`)
    w.write(LEVEL_0, `Replicas:\t${num(rs.status?.replicas)} current / ${num(rs.spec?.replicas)} desired\n`)
    w.write(LEVEL_0, 'Pods Status:\t')
    if (podErr) w.write(LEVEL_0, `error in fetching pods: ${podErr.message}\n`)
    else w.write(LEVEL_0, podsStatus(counts!) + '\n')
    describePodTemplate(rs.spec?.template, w)
    writeConditions(w, rs.status?.conditions)
    if (events) describeEvents(events, w, now)
  })
}

/** describeReplicationController is ReplicationControllerDescriber. */
export async function describeReplicationController(
  ctx: DescribeContext,
  namespace: string,
  name: string,
): Promise<string> {
  const rc = await getObject(ctx, apiPath('', 'v1', namespace, 'replicationcontrollers', name))
  const counts = await podStatusForController(
    ctx,
    namespace,
    selectorFromSet(rc.spec?.selector ?? {}).toString(),
    str(rc.metadata?.uid),
  )
  const events = await eventsFor(ctx, rc, 'ReplicationController')
  const now = ctx.now()
  return tabbedString((w) => {
    const meta = rc.metadata ?? {}
    w.write(LEVEL_0, `Name:\t${str(meta.name)}\n`)
    w.write(LEVEL_0, `Namespace:\t${str(meta.namespace)}\n`)
    w.write(LEVEL_0, `Selector:\t${formatLabels(rc.spec?.selector)}\n`)
    printLabelsMultiline(w, 'Labels', meta.labels)
    printAnnotationsMultiline(w, 'Annotations', meta.annotations)
    w.write(LEVEL_0, `Replicas:\t${num(rc.status?.replicas)} current / ${num(rc.spec?.replicas)} desired\n`)
    w.write(LEVEL_0, `Pods Status:\t${podsStatus(counts)}\n`)
    describePodTemplate(rc.spec?.template, w)
    writeConditions(w, rc.status?.conditions)
    if (events) describeEvents(events, w, now)
  })
}

/** describeStatefulSet is StatefulSetDescriber. */
export async function describeStatefulSet(ctx: DescribeContext, namespace: string, name: string): Promise<string> {
  const ps = await getObject(ctx, apiPath('apps', 'v1', namespace, 'statefulsets', name))
  const selector = selectorString(ps.spec?.selector)
  const counts = await podStatusForController(ctx, namespace, selector, str(ps.metadata?.uid))
  const events = await eventsFor(ctx, ps, 'StatefulSet')
  const now = ctx.now()
  return tabbedString((w) => {
    const meta = ps.metadata ?? {}
    const spec = ps.spec ?? {}
    w.write(LEVEL_0, `Name:\t${str(meta.name)}\n`)
    w.write(LEVEL_0, `Namespace:\t${str(meta.namespace)}\n`)
    w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(meta.creationTimestamp)}\n`)
    w.write(LEVEL_0, `Selector:\t${selector}\n`)
    printLabelsMultiline(w, 'Labels', meta.labels)
    printAnnotationsMultiline(w, 'Annotations', meta.annotations)
    w.write(LEVEL_0, `Replicas:\t${num(spec.replicas)} desired | ${num(ps.status?.replicas)} total\n`)
    w.write(LEVEL_0, `Update Strategy:\t${str(spec.updateStrategy?.type)}\n`)
    const ru = spec.updateStrategy?.rollingUpdate
    if (ru && typeof ru.partition === 'number') {
      w.write(LEVEL_1, `Partition:\t${ru.partition}\n`)
      if (ru.maxUnavailable !== undefined && ru.maxUnavailable !== null) {
        w.write(LEVEL_1, `MaxUnavailable:\t${intOrString(ru.maxUnavailable)}\n`)
      }
    }
    w.write(LEVEL_0, `Pods Status:\t${podsStatus(counts)}\n`)
    describePodTemplate(spec.template, w)
    const templates: Obj[] = spec.volumeClaimTemplates ?? []
    if (templates.length === 0) w.write(LEVEL_0, 'Volume Claims:\t<none>\n')
    else {
      w.write(LEVEL_0, 'Volume Claims:\n')
      for (const pvc of templates) {
        w.write(LEVEL_1, `Name:\t${str(pvc.metadata?.name)}\n`)
        w.write(LEVEL_1, `StorageClass:\t${pvcClass(pvc)}\n`)
        printLabelsMultiline(w, 'Labels', pvc.metadata?.labels, '  ')
        printLabelsMultiline(w, 'Annotations', pvc.metadata?.annotations, '  ')
        const cap = pvc.spec?.resources?.requests?.storage
        w.write(LEVEL_1, `Capacity:\t${cap !== undefined ? quantityString(cap) : '<default>'}\n`)
        w.write(LEVEL_1, `Access Modes:\t${goList(pvc.spec?.accessModes)}\n`)
      }
    }
    if (events) describeEvents(events, w, now)
  })
}

/** describeDaemonSet is DaemonSetDescriber. */
export async function describeDaemonSet(ctx: DescribeContext, namespace: string, name: string): Promise<string> {
  const ds = await getObject(ctx, apiPath('apps', 'v1', namespace, 'daemonsets', name))
  const selector = selectorString(ds.spec?.selector)
  const counts = await podStatusForController(ctx, namespace, selector, str(ds.metadata?.uid))
  const events = await eventsFor(ctx, ds, 'DaemonSet')
  const now = ctx.now()
  return tabbedString((w) => {
    const meta = ds.metadata ?? {}
    const st = ds.status ?? {}
    w.write(LEVEL_0, `Name:\t${str(meta.name)}\n`)
    w.write(LEVEL_0, `Selector:\t${selector}\n`)
    w.write(LEVEL_0, `Node-Selector:\t${formatLabels(ds.spec?.template?.spec?.nodeSelector)}\n`)
    printLabelsMultiline(w, 'Labels', meta.labels)
    printAnnotationsMultiline(w, 'Annotations', meta.annotations)
    w.write(LEVEL_0, `Desired Number of Nodes Scheduled: ${num(st.desiredNumberScheduled)}\n`)
    w.write(LEVEL_0, `Current Number of Nodes Scheduled: ${num(st.currentNumberScheduled)}\n`)
    w.write(LEVEL_0, `Number of Nodes Scheduled with Up-to-date Pods: ${num(st.updatedNumberScheduled)}\n`)
    w.write(LEVEL_0, `Number of Nodes Scheduled with Available Pods: ${num(st.numberAvailable)}\n`)
    w.write(LEVEL_0, `Number of Nodes Misscheduled: ${num(st.numberMisscheduled)}\n`)
    w.write(LEVEL_0, `Pods Status:\t${podsStatus(counts)}\n`)
    describePodTemplate(ds.spec?.template, w)
    if (events) describeEvents(events, w, now)
  })
}

function capIndexes(indexes: string, softLimit: number): string {
  if (!indexes) return '<none>'
  let ix = softLimit
  for (; ix < indexes.length; ix++) if (indexes[ix] === ',') break
  if (ix >= indexes.length) return indexes
  return indexes.slice(0, ix + 1) + '...'
}

/** describeJob is JobDescriber. */
export async function describeJob(ctx: DescribeContext, namespace: string, name: string): Promise<string> {
  const job = await getObject(ctx, apiPath('batch', 'v1', namespace, 'jobs', name))
  const events = await eventsFor(ctx, job, 'Job')
  const now = ctx.now()
  return tabbedString((w) => {
    const meta = job.metadata ?? {}
    const spec = job.spec ?? {}
    const st = job.status ?? {}
    w.write(LEVEL_0, `Name:\t${str(meta.name)}\n`)
    w.write(LEVEL_0, `Namespace:\t${str(meta.namespace)}\n`)
    w.write(LEVEL_0, `Selector:\t${selectorString(spec.selector)}\n`)
    printLabelsMultiline(w, 'Labels', meta.labels)
    printAnnotationsMultiline(w, 'Annotations', meta.annotations)
    const by = controllerOf(job)
    if (by) w.write(LEVEL_0, `Controlled By:\t${by}\n`)
    if (typeof spec.parallelism === 'number') w.write(LEVEL_0, `Parallelism:\t${spec.parallelism}\n`)
    if (typeof spec.completions === 'number') w.write(LEVEL_0, `Completions:\t${spec.completions}\n`)
    else w.write(LEVEL_0, 'Completions:\t<unset>\n')
    if (spec.completionMode) w.write(LEVEL_0, `Completion Mode:\t${spec.completionMode}\n`)
    if (typeof spec.suspend === 'boolean') w.write(LEVEL_0, `Suspend:\t${spec.suspend}\n`)
    if (typeof spec.backoffLimit === 'number') w.write(LEVEL_0, `Backoff Limit:\t${spec.backoffLimit}\n`)
    if (typeof spec.ttlSecondsAfterFinished === 'number') {
      w.write(LEVEL_0, `TTL Seconds After Finished:\t${spec.ttlSecondsAfterFinished}\n`)
    }
    if (st.startTime) w.write(LEVEL_0, `Start Time:\t${rfc1123z(st.startTime)}\n`)
    if (st.completionTime) w.write(LEVEL_0, `Completed At:\t${rfc1123z(st.completionTime)}\n`)
    if (st.startTime && st.completionTime) {
      w.write(LEVEL_0, `Duration:\t${humanDuration(Date.parse(st.completionTime) - Date.parse(st.startTime))}\n`)
    }
    if (typeof spec.activeDeadlineSeconds === 'number') {
      w.write(LEVEL_0, `Active Deadline Seconds:\t${spec.activeDeadlineSeconds}s\n`)
    }
    if (typeof st.ready !== 'number') {
      w.write(
        LEVEL_0,
        `Pods Statuses:\t${num(st.active)} Active / ${num(st.succeeded)} Succeeded / ${num(st.failed)} Failed\n`,
      )
    } else {
      w.write(
        LEVEL_0,
        `Pods Statuses:\t${num(st.active)} Active (${st.ready} Ready) / ${num(st.succeeded)} Succeeded / ${num(st.failed)} Failed\n`,
      )
    }
    if (spec.completionMode === 'Indexed') {
      w.write(LEVEL_0, `Completed Indexes:\t${capIndexes(str(st.completedIndexes), 50)}\n`)
    }
    describePodTemplate(spec.template, w)
    if (events) describeEvents(events, w, now)
  })
}

/** describeCronJob is CronJobDescriber. */
export async function describeCronJob(ctx: DescribeContext, namespace: string, name: string): Promise<string> {
  const cj = await getObject(ctx, apiPath('batch', 'v1', namespace, 'cronjobs', name))
  const events = await eventsFor(ctx, cj, 'CronJob')
  const now = ctx.now()
  return tabbedString((w) => {
    const meta = cj.metadata ?? {}
    const spec = cj.spec ?? {}
    w.write(LEVEL_0, `Name:\t${str(meta.name)}\n`)
    w.write(LEVEL_0, `Namespace:\t${str(meta.namespace)}\n`)
    printLabelsMultiline(w, 'Labels', meta.labels)
    printAnnotationsMultiline(w, 'Annotations', meta.annotations)
    w.write(LEVEL_0, `Schedule:\t${str(spec.schedule)}\n`)
    w.write(LEVEL_0, `Concurrency Policy:\t${str(spec.concurrencyPolicy)}\n`)
    w.write(LEVEL_0, `Suspend:\t${printBoolPtr(spec.suspend)}\n`)
    const opt = (v: unknown, suffix = '') => (typeof v === 'number' ? `${v}${suffix}` : '<unset>')
    w.write(LEVEL_0, `Successful Job History Limit:\t${opt(spec.successfulJobsHistoryLimit)}\n`)
    w.write(LEVEL_0, `Failed Job History Limit:\t${opt(spec.failedJobsHistoryLimit)}\n`)
    w.write(LEVEL_0, `Starting Deadline Seconds:\t${opt(spec.startingDeadlineSeconds, 's')}\n`)
    const jt = spec.jobTemplate?.spec ?? {}
    w.write(LEVEL_0, `Selector:\t${jt.selector ? selectorString(jt.selector) : '<unset>'}\n`)
    w.write(LEVEL_0, `Parallelism:\t${opt(jt.parallelism)}\n`)
    w.write(LEVEL_0, `Completions:\t${opt(jt.completions)}\n`)
    if (typeof jt.activeDeadlineSeconds === 'number') {
      w.write(LEVEL_0, `Active Deadline Seconds:\t${jt.activeDeadlineSeconds}s\n`)
    }
    describePodTemplate(jt.template, w)
    const last = cj.status?.lastScheduleTime
    w.write(LEVEL_0, `Last Schedule Time:\t${last ? rfc1123z(last) : '<unset>'}\n`)
    w.write(LEVEL_0, 'Active Jobs:\t')
    const active: Obj[] = cj.status?.active ?? []
    if (active.length === 0) w.writeLine('<none>')
    else {
      active.forEach((j, i) => {
        if (i !== 0) w.write(LEVEL_0, ', ')
        w.write(LEVEL_0, str(j.name))
      })
      w.writeLine('')
    }
    if (events) describeEvents(events, w, now)
  })
}
