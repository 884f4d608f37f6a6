// hpa.ts is the horizontal pod autoscaler controller (autoscaling/v2, resource metrics only). Every 15 s of
// cluster time per HPA it reads the target's scale, measures its pods through the simulated metrics pipeline
// (src/daemon/metrics, the same numbers metrics.k8s.io serves), computes the replica count with a 0.1 tolerance,
// stabilises and rate-limits it (the legacy rules when spec.behavior is unset, the behavior's policies
// otherwise), writes the scale and the status (currentMetrics, conditions) and records kube-controller-manager's
// events. Follows pkg/controller/podautoscaler/horizontal.go and replica_calculator.go (Kubernetes 1.32).
import type {KubeObject} from '../../api/object.js'
import {labelSelectorFromObject, type LabelSelector, type Selector} from '../../api/labels.js'
import {Quantity} from '../../api/quantity.js'
import {metricsState, podUsages} from '../metrics/usage.js'
import type {ControllerContext, ControllerFactory, SyncResult} from './framework/types.js'
import {splitKey} from './framework/types.js'

/** SYNC_PERIOD_MS is --horizontal-pod-autoscaler-sync-period. */
export const SYNC_PERIOD_MS = 15_000
/** TOLERANCE is --horizontal-pod-autoscaler-tolerance. */
export const TOLERANCE = 0.1
/** DOWNSCALE_WINDOW_MS is --horizontal-pod-autoscaler-downscale-stabilization (5 min). */
export const DOWNSCALE_WINDOW_MS = 300_000
const CPU_INITIALIZATION_MS = 300_000
const INITIAL_READINESS_DELAY_MS = 30_000

const HPA = 'autoscaling/horizontalpodautoscalers'

/** TARGETS maps scaleTargetRef kinds (by group) to resource refs whose spec.replicas is the scale. */
const TARGETS: Record<string, string> = {
  'apps/Deployment': 'apps/deployments',
  'apps/ReplicaSet': 'apps/replicasets',
  'apps/StatefulSet': 'apps/statefulsets',
  '/ReplicationController': 'replicationcontrollers',
}

interface Policy {
  type: 'Pods' | 'Percent'
  value: number
  periodSeconds: number
}
interface Rules {
  stabilizationWindowSeconds?: number
  selectPolicy?: 'Max' | 'Min' | 'Disabled'
  policies?: Policy[]
}
interface MetricTarget {
  type: string
  averageUtilization?: number
  averageValue?: string
  value?: string
}
interface MetricSpec {
  type: string
  resource?: {name: string; target: MetricTarget}
}
interface Condition {
  type: string
  status: string
  lastTransitionTime?: string
  reason?: string
  message?: string
}
interface Hpa extends KubeObject {
  spec: {
    scaleTargetRef: {apiVersion?: string; kind: string; name: string}
    minReplicas?: number
    maxReplicas: number
    metrics?: MetricSpec[]
    behavior?: {scaleUp?: Rules; scaleDown?: Rules}
  }
  status?: {
    currentReplicas?: number
    desiredReplicas?: number
    lastScaleTime?: string
    currentMetrics?: unknown[] | null
    conditions?: Condition[]
  }
}

/** DEFAULT_SCALE_UP and DEFAULT_SCALE_DOWN are autoscaling/v2's behavior defaults (GenerateHPAScaleUpRules). */
export const DEFAULT_SCALE_UP: Required<Rules> = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    {type: 'Pods', value: 4, periodSeconds: 15},
    {type: 'Percent', value: 100, periodSeconds: 15},
  ],
}
export const DEFAULT_SCALE_DOWN: Required<Rules> = {
  stabilizationWindowSeconds: 300,
  selectPolicy: 'Max',
  policies: [{type: 'Percent', value: 100, periodSeconds: 15}],
}

function withDefaults(r: Rules | undefined, d: Required<Rules>): Required<Rules> {
  return {
    stabilizationWindowSeconds: r?.stabilizationWindowSeconds ?? d.stabilizationWindowSeconds,
    selectPolicy: r?.selectPolicy ?? d.selectPolicy,
    policies: r?.policies?.length ? r.policies : d.policies,
  }
}

interface ScaleEvent {
  replicaChange: number
  at: number
}

/** MetricSample is one pod's value (milli-units) at a scrape. */
interface MetricSample {
  value: number
  timestamp: number
  windowMs: number
}

class MetricsError extends Error {}

function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

function milli(v: unknown): number {
  return Quantity.parse(String(v)).milliValue()
}

/** scaleUpLimit is calculateScaleUpLimitWithScalingRules. */
export function scaleUpLimit(current: number, events: ScaleEvent[], rules: Required<Rules>, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current
  let result = rules.selectPolicy === 'Min' ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER
  for (const p of rules.policies) {
    const added = events.filter((e) => e.at > now - p.periodSeconds * 1000).reduce((s, e) => s + e.replicaChange, 0)
    const start = current - added
    const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100))
    result = rules.selectPolicy === 'Min' ? Math.min(result, proposed) : Math.max(result, proposed)
  }
  return result
}

/** scaleDownLimit is calculateScaleDownLimitWithBehaviors. */
export function scaleDownLimit(current: number, events: ScaleEvent[], rules: Required<Rules>, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current
  let result = rules.selectPolicy === 'Min' ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER
  for (const p of rules.policies) {
    const deleted = events.filter((e) => e.at > now - p.periodSeconds * 1000).reduce((s, e) => s + e.replicaChange, 0)
    const start = current + deleted
    const proposed = p.type === 'Pods' ? start - p.value : Math.floor(start * (1 - p.value / 100))
    result = rules.selectPolicy === 'Min' ? Math.max(result, proposed) : Math.min(result, proposed)
  }
  return result
}

/** hpaController builds the horizontal-pod-autoscaler controller. */
export const hpaController: ControllerFactory = (ctx: ControllerContext) => {
  const recorder = ctx.events.withSource({component: 'horizontal-pod-autoscaler'})
  const nextAt = new Map<string, number>()
  const recommendations = new Map<string, {replicas: number; at: number}[]>()
  const upEvents = new Map<string, ScaleEvent[]>()
  const downEvents = new Map<string, ScaleEvent[]>()

  const podsOf = (ns: string, sel: Selector) => ctx.informers.for('pods').list(ns, sel)

  /** podMetrics is the metrics client's GetResourceMetric: per pod, the sum of its containers (milli). */
  const podMetrics = (ns: string, sel: Selector, resource: string, now: number): Map<string, MetricSample> => {
    const state = metricsState((n) => ctx.state.get(n), ctx.informers)
    if (state === 'disabled')
      throw new MetricsError(
        'unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)',
      )
    if (state === 'unavailable')
      throw new MetricsError(
        'unable to fetch metrics from resource metrics API: the server is currently unable to handle the request (get pods.metrics.k8s.io)',
      )
    const out = new Map<string, MetricSample>()
    for (const u of podUsages({informers: ctx.informers, runtime: ctx.runtime}, now, ns, sel)) {
      let sum = 0
      for (const c of u.containers)
        sum +=
          resource === 'cpu'
            ? Quantity.fromScaled(c.cpuNano, -9).milliValue()
            : resource === 'memory'
              ? c.memBytes * 1000
              : 0
      out.set(u.pod.metadata!.name!, {value: sum, timestamp: u.timestamp, windowMs: u.windowMs})
    }
    if (out.size === 0) throw new MetricsError('no metrics returned from resource metrics API')
    return out
  }

  /** groupPods is replica_calculator.go groupPods. */
  const groupPods = (pods: KubeObject[], metrics: Map<string, MetricSample>, resource: string) => {
    let ready = 0
    const unready = new Set<string>()
    const missing = new Set<string>()
    const ignored = new Set<string>()
    for (const pod of pods) {
      const p = pod as KubeObject & {status?: {phase?: string; startTime?: string; conditions?: Condition[]}}
      const name = pod.metadata!.name!
      if (pod.metadata?.deletionTimestamp || p.status?.phase === 'Failed') {
        ignored.add(name)
        continue
      }
      if (p.status?.phase === 'Pending') {
        unready.add(name)
        continue
      }
      const m = metrics.get(name)
      if (!m) {
        missing.add(name)
        continue
      }
      if (resource === 'cpu') {
        const cond = p.status?.conditions?.find((c) => c.type === 'Ready')
        if (!cond || !p.status?.startTime) {
          unready.add(name)
          continue
        }
        const start = Date.parse(p.status.startTime)
        const transition = Date.parse(cond.lastTransitionTime ?? '') || 0
        const isReady = cond.status === 'True'
        let isUnready: boolean
        if (start + CPU_INITIALIZATION_MS > m.timestamp) isUnready = !isReady || m.timestamp < transition + m.windowMs
        else isUnready = !isReady && start + INITIAL_READINESS_DELAY_MS > transition
        if (isUnready) {
          unready.add(name)
          continue
        }
      }
      ready++
    }
    return {ready, unready, missing, ignored}
  }

  const requestsOf = (pods: KubeObject[], resource: string): Map<string, number> => {
    const out = new Map<string, number>()
    for (const pod of pods) {
      let sum = 0
      for (const c of (
        pod as {spec?: {containers?: {name: string; resources?: {requests?: Record<string, unknown>}}[]}}
      ).spec?.containers ?? []) {
        const r = c.resources?.requests?.[resource]
        if (r === undefined)
          throw new MetricsError(`missing request for ${resource} in container ${c.name} of Pod ${pod.metadata?.name}`)
        sum += milli(r)
      }
      out.set(pod.metadata!.name!, sum)
    }
    return out
  }

  /** replicas is GetResourceReplicas (utilization) and GetRawResourceReplicas (average value) in one. */
  const replicas = (
    current: number,
    ns: string,
    sel: Selector,
    resource: string,
    target: {utilization?: number; averageMilli?: number},
    now: number,
  ): {replicas: number; utilization?: number; raw: number; timestamp: number} => {
    let metrics: Map<string, MetricSample>
    try {
      metrics = podMetrics(ns, sel, resource, now)
    } catch (e) {
      throw new MetricsError(`unable to get metrics for resource ${resource}: ${(e as Error).message}`)
    }
    const timestamp = [...metrics.values()][0]?.timestamp ?? now
    const pods = podsOf(ns, sel)
    if (pods.length === 0) throw new MetricsError('no pods returned by selector while calculating replica count')
    const g = groupPods(pods, metrics, resource)
    for (const n of [...g.ignored, ...g.unready]) metrics.delete(n)
    if (metrics.size === 0) throw new MetricsError('did not receive metrics for targeted pods (pods might be unready)')
    const requests = target.utilization !== undefined ? requestsOf(pods, resource) : new Map<string, number>()
    const ratioOf = (m: Map<string, MetricSample>) => {
      if (target.utilization !== undefined) {
        let used = 0
        let req = 0
        for (const [name, s] of m) {
          if (!requests.has(name)) continue
          used += s.value
          req += requests.get(name)!
        }
        if (req === 0) throw new MetricsError('no metrics returned matched known pods')
        const utilization = Math.trunc((used * 100) / req)
        return {ratio: utilization / target.utilization, utilization, raw: Math.trunc(used / m.size)}
      }
      let used = 0
      for (const s of m.values()) used += s.value
      const avg = Math.trunc(used / m.size)
      return {ratio: used / (target.averageMilli! * m.size), utilization: undefined, raw: avg}
    }
    const first = ratioOf(metrics)
    const base = {utilization: first.utilization, raw: first.raw, timestamp}
    const scaleUpWithUnready = g.unready.size > 0 && first.ratio > 1
    if (!scaleUpWithUnready && g.missing.size === 0) {
      if (Math.abs(1 - first.ratio) <= TOLERANCE) return {replicas: current, ...base}
      return {replicas: Math.ceil(first.ratio * g.ready), ...base}
    }
    if (g.missing.size > 0) {
      for (const n of g.missing) {
        let value = 0
        if (first.ratio < 1)
          value =
            target.utilization !== undefined
              ? Math.trunc(((requests.get(n) ?? 0) * Math.max(100, target.utilization)) / 100)
              : target.averageMilli!
        if (first.ratio !== 1) metrics.set(n, {value, timestamp, windowMs: 0})
      }
    }
    if (scaleUpWithUnready) for (const n of g.unready) metrics.set(n, {value: 0, timestamp, windowMs: 0})
    const next = ratioOf(metrics)
    if (
      Math.abs(1 - next.ratio) <= TOLERANCE ||
      (first.ratio < 1 && next.ratio > 1) ||
      (first.ratio > 1 && next.ratio < 1)
    )
      return {replicas: current, ...base}
    const n = Math.ceil(next.ratio * metrics.size)
    if ((next.ratio < 1 && n > current) || (next.ratio > 1 && n < current)) return {replicas: current, ...base}
    return {replicas: n, ...base}
  }

  return {
    name: 'horizontal-pod-autoscaler',
    watches: () => [{resource: HPA}],
    sync(key: string): SyncResult | void {
      const now = ctx.clock.now()
      const cached = ctx.informers.for(HPA).getByKey(key) as Hpa | undefined
      if (!cached) {
        nextAt.delete(key)
        recommendations.delete(key)
        upEvents.delete(key)
        downEvents.delete(key)
        return
      }
      // The upstream queue adds every key rate-limited by the sync period: nothing runs before it is due.
      const due = nextAt.get(key) ?? now + SYNC_PERIOD_MS
      if (!nextAt.has(key)) nextAt.set(key, due)
      if (now < due) return {requeueAfterMs: due - now}
      nextAt.set(key, now + SYNC_PERIOD_MS)
      reconcile(key, cached, now)
      return {requeueAfterMs: SYNC_PERIOD_MS}
    },
  }

  function reconcile(key: string, cached: Hpa, now: number): void {
    const hpa = structuredClone(cached) as Hpa
    const {namespace} = splitKey(key)
    const ns = namespace!
    const conditions: Condition[] = structuredClone(hpa.status?.conditions ?? [])
    const setCondition = (type: string, status: string, reason: string, message: string) => {
      const c = conditions.find((x) => x.type === type)
      if (!c) {
        conditions.push({type, status, lastTransitionTime: rfc3339(now), reason, message})
        return
      }
      if (c.status !== status) c.lastTransitionTime = rfc3339(now)
      c.status = status
      c.reason = reason
      c.message = message
    }
    const ref = hpa.spec.scaleTargetRef
    const group = (ref.apiVersion ?? '').includes('/') ? ref.apiVersion!.split('/')[0] : ''
    const targetRef = TARGETS[`${group}/${ref.kind}`]
    const minReplicas = hpa.spec.minReplicas ?? 1
    let currentReplicas = hpa.status?.currentReplicas ?? 0
    const writeStatus = (desired: number, metrics: unknown[] | null, scaled: boolean) => {
      const status: Hpa['status'] = {
        ...(scaled
          ? {lastScaleTime: rfc3339(now)}
          : hpa.status?.lastScaleTime
            ? {lastScaleTime: hpa.status.lastScaleTime}
            : {}),
        currentReplicas,
        desiredReplicas: desired,
        ...(metrics && metrics.length ? {currentMetrics: metrics} : {}),
        conditions,
      }
      if (JSON.stringify(status) === JSON.stringify(cached.status ?? {})) return
      ctx.client.mutate(
        HPA,
        ns,
        hpa.metadata!.name!,
        (o) => {
          ;(o as Hpa).status = status
          return o
        },
        {subresource: 'status'},
      )
    }

    const target = targetRef ? ctx.informers.for(targetRef).get(ns, ref.name) : undefined
    if (!target) {
      const err = targetRef
        ? `${targetRef.includes('/') ? targetRef.split('/')[1] + '.' + group : targetRef} "${ref.name}" not found`
        : `unable to determine resource for scale target reference: no matches for kind "${ref.kind}" in group "${group}"`
      recorder.warning(hpa, 'FailedGetScale', err)
      setCondition(
        'AbleToScale',
        'False',
        'FailedGetScale',
        `the HPA controller was unable to get the target's current scale: ${err}`,
      )
      writeStatus(hpa.status?.desiredReplicas ?? 0, hpa.status?.currentMetrics ?? null, false)
      return
    }
    setCondition(
      'AbleToScale',
      'True',
      'SucceededGetScale',
      "the HPA controller was able to get the target's current scale",
    )
    // The scale subresource: spec.replicas is what is asked, status.replicas what runs (currentReplicas).
    const specReplicas = (target as {spec?: {replicas?: number}}).spec?.replicas ?? 1
    currentReplicas = (target as {status?: {replicas?: number}}).status?.replicas ?? 0
    const selector = labelSelectorFromObject((target as {spec?: {selector?: LabelSelector}}).spec?.selector)

    let desired = 0
    let rescaleReason = ''
    let metricStatuses: unknown[] | null = hpa.status?.currentMetrics ?? null
    if (specReplicas === 0 && minReplicas !== 0) {
      setCondition(
        'ScalingActive',
        'False',
        'ScalingDisabled',
        'scaling is disabled since the replica count of the target is zero',
      )
      desired = 0
    } else if (currentReplicas > hpa.spec.maxReplicas) {
      rescaleReason = 'Current number of replicas above Spec.MaxReplicas'
      desired = hpa.spec.maxReplicas
    } else if (currentReplicas < minReplicas) {
      rescaleReason = 'Current number of replicas below Spec.MinReplicas'
      desired = minReplicas
    } else {
      // computeReplicasForMetrics
      const specs = hpa.spec.metrics?.length
        ? hpa.spec.metrics
        : [{type: 'Resource', resource: {name: 'cpu', target: {type: 'Utilization', averageUtilization: 80}}}]
      let best = -1
      let metricName = ''
      let invalid = 0
      let firstError: string | undefined
      let invalidCondition: [string, string, string, string] | undefined
      const statuses: unknown[] = []
      for (const m of specs) {
        if (m.type !== 'Resource' || !m.resource) {
          invalid++
          const err = `invalid metric source type: ${m.type}`
          firstError ??= err
          recorder.warning(hpa, 'InvalidMetricSourceType', 'unknown metric source type ' + JSON.stringify(m.type))
          invalidCondition ??= [
            'ScalingActive',
            'False',
            'InvalidMetricSourceType',
            `the HPA was unable to compute the replica count: ${err}`,
          ]
          statuses.push({type: ''})
          continue
        }
        const res = m.resource.name
        const t = m.resource.target
        try {
          if (t.averageValue !== undefined) {
            const r = replicas(specReplicas, ns, selector, res, {averageMilli: milli(t.averageValue)}, now)
            statuses.push({
              type: 'Resource',
              resource: {name: res, current: {averageValue: Quantity.fromMilli(r.raw).toString()}},
            })
            if (r.replicas > best) {
              best = r.replicas
              metricName = `${res} resource`
            }
          } else if (t.averageUtilization !== undefined) {
            const r = replicas(specReplicas, ns, selector, res, {utilization: t.averageUtilization}, now)
            statuses.push({
              type: 'Resource',
              resource: {
                name: res,
                current: {averageUtilization: r.utilization, averageValue: Quantity.fromMilli(r.raw).toString()},
              },
            })
            if (r.replicas > best) {
              best = r.replicas
              metricName = `${res} resource utilization (percentage of request)`
            }
          } else {
            throw new MetricsError(
              'invalid resource metric source: neither an average utilization target nor an average value (usage) target was set',
            )
          }
        } catch (e) {
          if (!(e instanceof MetricsError)) throw e
          invalid++
          const what = t.averageValue !== undefined ? 'usage' : 'utilization'
          const err = `failed to get ${res} ${what}: ${e.message}`
          recorder.warning(hpa, 'FailedGetResourceMetric', err)
          const cond: [string, string, string, string] = [
            'ScalingActive',
            'False',
            'FailedGetResourceMetric',
            `the HPA was unable to compute the replica count: ${err}`,
          ]
          invalidCondition ??= cond
          firstError ??= `failed to get ${res} resource metric value: ${err}`
          statuses.push({type: ''})
        }
      }
      if (invalid >= specs.length || (invalid > 0 && best < specReplicas)) {
        setCondition(...invalidCondition!)
        const err = `invalid metrics (${invalid} invalid out of ${specs.length}), first error is: ${firstError}`
        recorder.warning(hpa, 'FailedComputeMetricsReplicas', err)
        writeStatus(
          hpa.status?.desiredReplicas ?? 0,
          statuses.filter((s) => (s as {type: string}).type !== ''),
          false,
        )
        return
      }
      setCondition(
        'ScalingActive',
        'True',
        'ValidMetricFound',
        `the HPA was able to successfully calculate a replica count from ${metricName}`,
      )
      metricStatuses = statuses.filter((s) => (s as {type: string}).type !== '')
      desired = 0
      let rescaleMetric = ''
      if (best > desired) {
        desired = best
        rescaleMetric = metricName
      }
      if (desired > currentReplicas) rescaleReason = `${rescaleMetric} above target`
      if (desired < currentReplicas) rescaleReason = 'All metrics below target'
      desired = hpa.spec.behavior
        ? normalizeWithBehaviors(key, hpa, currentReplicas, desired, minReplicas, now, setCondition)
        : normalize(key, hpa, currentReplicas, desired, minReplicas, now, setCondition)
    }
    const rescale = desired !== currentReplicas && !(specReplicas === 0 && minReplicas !== 0)
    if (rescale) {
      try {
        ctx.client.mutate(targetRef!, ns, ref.name, (o) => {
          ;(o as {spec: {replicas?: number}}).spec.replicas = desired
          return o
        })
      } catch (e) {
        const msg = (e as Error).message
        recorder.warning(hpa, 'FailedRescale', `New size: ${desired}; reason: ${rescaleReason}; error: ${msg}`)
        setCondition(
          'AbleToScale',
          'False',
          'FailedUpdateScale',
          `the HPA controller was unable to update the target scale: ${msg}`,
        )
        writeStatus(desired, metricStatuses, false)
        return
      }
      setCondition(
        'AbleToScale',
        'True',
        'SucceededRescale',
        'the HPA controller was able to update the target scale to ' + desired,
      )
      recorder.normal(hpa, 'SuccessfulRescale', `New size: ${desired}; reason: ${rescaleReason}`)
      if (hpa.spec.behavior) {
        const change = desired - currentReplicas
        const map = change > 0 ? upEvents : downEvents
        const rules = change > 0 ? hpa.spec.behavior.scaleUp : hpa.spec.behavior.scaleDown
        const longest = Math.max(
          ...withDefaults(rules, change > 0 ? DEFAULT_SCALE_UP : DEFAULT_SCALE_DOWN).policies.map(
            (p) => p.periodSeconds,
          ),
        )
        const evs = (map.get(key) ?? []).filter((e) => e.at > now - longest * 1000)
        evs.push({replicaChange: Math.abs(change), at: now})
        map.set(key, evs)
      }
    }
    writeStatus(desired, metricStatuses, rescale)
  }

  /** stabilize keeps the recommendation history (stabilizeRecommendation / WithBehaviors' bookkeeping). */
  function history(key: string, replicas: number, now: number, windowMs: number) {
    const recs = (recommendations.get(key) ?? []).filter((r) => r.at > now - Math.max(windowMs, DOWNSCALE_WINDOW_MS))
    const out = [...recs]
    recs.push({replicas, at: now})
    recommendations.set(key, recs)
    return out
  }

  function normalize(
    key: string,
    hpa: Hpa,
    current: number,
    pre: number,
    min: number,
    now: number,
    setCondition: (t: string, s: string, r: string, m: string) => void,
  ): number {
    let stabilized = pre
    for (const r of history(key, pre, now, DOWNSCALE_WINDOW_MS))
      if (r.at > now - DOWNSCALE_WINDOW_MS && r.replicas > stabilized) stabilized = r.replicas
    if (stabilized !== pre)
      setCondition(
        'AbleToScale',
        'True',
        'ScaleDownStabilized',
        'recent recommendations were higher than current one, applying the highest recent recommendation',
      )
    else setCondition('AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size')
    // convertDesiredReplicasWithRules
    const upLimit = Math.max(2 * current, 4)
    let maxAllowed: number
    let limitCond: string
    let limitMsg: string
    if (hpa.spec.maxReplicas > upLimit) {
      maxAllowed = upLimit
      limitCond = 'ScaleUpLimit'
      limitMsg = 'the desired replica count is increasing faster than the maximum scale rate'
    } else {
      maxAllowed = hpa.spec.maxReplicas
      limitCond = 'TooManyReplicas'
      limitMsg = 'the desired replica count is more than the maximum replica count'
    }
    const minAllowed = min === 0 ? 1 : min
    let desired = stabilized
    let cond = 'DesiredWithinRange'
    let msg = 'the desired count is within the acceptable range'
    if (stabilized < minAllowed) {
      desired = minAllowed
      cond = 'TooFewReplicas'
      msg = 'the desired replica count is less than the minimum replica count'
    } else if (stabilized > maxAllowed) {
      desired = maxAllowed
      cond = limitCond
      msg = limitMsg
    }
    setCondition('ScalingLimited', desired === stabilized ? 'False' : 'True', cond, msg)
    return desired
  }

  function normalizeWithBehaviors(
    key: string,
    hpa: Hpa,
    current: number,
    pre: number,
    min: number,
    now: number,
    setCondition: (t: string, s: string, r: string, m: string) => void,
  ): number {
    const up = withDefaults(hpa.spec.behavior?.scaleUp, DEFAULT_SCALE_UP)
    const down = withDefaults(hpa.spec.behavior?.scaleDown, DEFAULT_SCALE_DOWN)
    const upWin = up.stabilizationWindowSeconds * 1000
    const downWin = down.stabilizationWindowSeconds * 1000
    let upRec = pre
    let downRec = pre
    for (const r of history(key, pre, now, Math.max(upWin, downWin))) {
      if (r.at > now - upWin) upRec = Math.min(upRec, r.replicas)
      if (r.at > now - downWin) downRec = Math.max(downRec, r.replicas)
    }
    let stabilized = current
    let reason = 'ReadyForNewScale'
    let message = 'recommended size matches current size'
    if (stabilized < upRec) stabilized = upRec
    if (stabilized > downRec) stabilized = downRec
    if (stabilized !== pre) {
      if (stabilized < pre) {
        reason = 'ScaleUpStabilized'
        message = 'recent recommendations were lower than current one, applying the lowest recent recommendation'
      } else {
        reason = 'ScaleDownStabilized'
        message = 'recent recommendations were higher than current one, applying the highest recent recommendation'
      }
    }
    setCondition('AbleToScale', 'True', reason, message)
    // convertDesiredReplicasWithBehaviorRate
    let desired = stabilized
    let cond = 'DesiredWithinRange'
    let msg = 'the desired count is within the acceptable range'
    if (stabilized > current) {
      let limit = scaleUpLimit(current, upEvents.get(key) ?? [], up, now)
      if (limit < current) limit = current
      let maxAllowed = hpa.spec.maxReplicas
      let r = 'TooManyReplicas'
      let m = 'the desired replica count is more than the maximum replica count'
      if (maxAllowed > limit) {
        maxAllowed = limit
        r = 'ScaleUpLimit'
        m = 'the desired replica count is increasing faster than the maximum scale rate'
      }
      if (stabilized > maxAllowed) [desired, cond, msg] = [maxAllowed, r, m]
    } else if (stabilized < current) {
      let limit = scaleDownLimit(current, downEvents.get(key) ?? [], down, now)
      if (limit > current) limit = current
      let minAllowed = min
      let r = 'TooFewReplicas'
      let m = 'the desired replica count is less than the minimum replica count'
      if (minAllowed < limit) {
        minAllowed = limit
        r = 'ScaleDownLimit'
        m = 'the desired replica count is decreasing faster than the maximum scale rate'
      }
      if (stabilized < minAllowed) [desired, cond, msg] = [minAllowed, r, m]
    }
    setCondition('ScalingLimited', desired === stabilized ? 'False' : 'True', cond, msg)
    return desired
  }
}
