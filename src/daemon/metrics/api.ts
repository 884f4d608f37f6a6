// api.ts serves metrics.k8s.io/v1beta1 (NodeMetrics, PodMetrics) the way metrics-server answers behind the
// aggregator: list and get, namespaced pods, label and field selectors, the same JSON (timestamp, window, usage
// with nanocore CPU and Ki memory). It answers only while the metrics-server addon is on; while its pod is not
// Ready yet the aggregator's "service unavailable" 503 comes back. Follows metrics-server pkg/api (node.go,
// pod.go) and kube-aggregator's proxy for an unavailable APIService.
import express, {type NextFunction, type Request, type Response} from 'express'
import {badRequest, methodNotAllowed, notFound} from '../../api/errors.js'
import {parseFieldSelector, type FieldSelector} from '../../api/fields.js'
import {parseSelector, type Selector} from '../../api/labels.js'
import type {KubeObject} from '../../api/object.js'
import {Quantity} from '../../api/quantity.js'
import type {Cluster} from '../cluster.js'
import {sendError} from '../apiserver/errors.js'
import {metricsState, nodeUsages, podUsages, type NodeUsage, type PodUsage} from './usage.js'

/** GROUP and VERSION of the Metrics API. */
export const GROUP = 'metrics.k8s.io'
export const VERSION = 'v1beta1'
const GV = `${GROUP}/${VERSION}`

/** goSeconds formats a duration of ms as Go's time.Duration String does for whole milliseconds ("10.06s", "15s"). */
export function goSeconds(ms: number): string {
  const s = Math.floor(ms / 1000)
  const frac = String(ms % 1000)
    .padStart(3, '0')
    .replace(/0+$/, '')
  return frac ? `${s}.${frac}s` : `${s}s`
}

/** rfc3339 formats ms as metav1.Time does (whole seconds, UTC). */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** cpuQuantity is nanocores as metrics-server's resource.NewScaledQuantity(n, Nano) prints them. */
export function cpuQuantity(nano: number): string {
  return Quantity.fromScaled(nano, -9).toString()
}

/** memoryQuantity is bytes as resource.NewQuantity(b, BinarySI) prints them ("12345Ki"). */
export function memoryQuantity(bytes: number): string {
  return Quantity.fromValue(bytes, 'BinarySI').toString()
}

function labelsOf(obj: KubeObject): Record<string, string> | undefined {
  const l = obj.metadata?.labels
  return l && Object.keys(l).length ? {...l} : undefined
}

/** nodeMetrics is one NodeMetrics object as metrics-server returns it. */
export function nodeMetrics(u: NodeUsage, now: number): KubeObject {
  const labels = labelsOf(u.node)
  return {
    metadata: {name: u.node.metadata!.name!, creationTimestamp: rfc3339(now), ...(labels ? {labels} : {})},
    timestamp: rfc3339(u.timestamp),
    window: goSeconds(u.windowMs),
    usage: {cpu: cpuQuantity(u.cpuNano), memory: memoryQuantity(u.memBytes)},
  } as KubeObject
}

/** podMetrics is one PodMetrics object as metrics-server returns it. */
export function podMetrics(u: PodUsage, now: number): KubeObject {
  const labels = labelsOf(u.pod)
  return {
    metadata: {
      name: u.pod.metadata!.name!,
      namespace: u.pod.metadata!.namespace!,
      creationTimestamp: rfc3339(now),
      ...(labels ? {labels} : {}),
    },
    timestamp: rfc3339(u.timestamp),
    window: goSeconds(u.windowMs),
    containers: u.containers.map((c) => ({
      name: c.name,
      usage: {cpu: cpuQuantity(c.cpuNano), memory: memoryQuantity(c.memBytes)},
    })),
  } as KubeObject
}

/** apiResourceList is GET /apis/metrics.k8s.io/v1beta1. */
export function metricsResourceList() {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: GV,
    resources: [
      {name: 'nodes', singularName: '', namespaced: false, kind: 'NodeMetrics', verbs: ['get', 'list']},
      {name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list']},
    ],
  }
}

/** metricsApiGroup is the legacy /apis entry (APIGroup) for metrics.k8s.io. */
export function metricsApiGroup() {
  const v = {groupVersion: GV, version: VERSION}
  return {name: GROUP, versions: [v], preferredVersion: v}
}

/** metricsAggregatedGroup is the aggregated-discovery (apidiscovery.k8s.io v2) entry for metrics.k8s.io. */
export function metricsAggregatedGroup() {
  const res = (resource: string, kind: string, scope: string) => ({
    resource,
    responseKind: {group: GROUP, version: VERSION, kind},
    scope,
    singularResource: '',
    verbs: ['get', 'list'],
  })
  return {
    metadata: {name: GROUP, creationTimestamp: null},
    versions: [
      {
        version: VERSION,
        resources: [res('nodes', 'NodeMetrics', 'Cluster'), res('pods', 'PodMetrics', 'Namespaced')],
        freshness: 'Current',
      },
    ],
  }
}

/** metricsServing tells whether the Metrics API is served now (the addon is on and its pod Ready). */
export function metricsServing(cluster: Cluster): boolean {
  return metricsState((n) => cluster.store.getState(n), cluster.manager.informers) === 'ready'
}

function send(res: Response, body: unknown) {
  res.status(200).setHeader('Content-Type', 'application/json')
  res.end(JSON.stringify(body))
}

function selectors(req: Request): {labels?: Selector; fields?: FieldSelector} {
  const q = req.query
  const out: {labels?: Selector; fields?: FieldSelector} = {}
  try {
    if (typeof q.labelSelector === 'string' && q.labelSelector) out.labels = parseSelector(q.labelSelector)
  } catch (e) {
    throw badRequest(`unable to parse requirement: ${(e as Error).message}`)
  }
  try {
    if (typeof q.fieldSelector === 'string' && q.fieldSelector) out.fields = parseFieldSelector(q.fieldSelector)
  } catch (e) {
    throw badRequest((e as Error).message)
  }
  return out
}

function fieldsMatch(sel: FieldSelector | undefined, obj: KubeObject): boolean {
  if (!sel) return true
  return sel.matches({'metadata.name': obj.metadata?.name ?? '', 'metadata.namespace': obj.metadata?.namespace ?? ''})
}

/**
 * metricsApi is the express router of /apis/metrics.k8s.io; it passes every request on (next) while the addon is
 * off, so the API server's 404 answers as for any unknown group.
 */
export function metricsApi(cluster: Cluster): express.Router {
  const r = express.Router()
  const deps = () => ({informers: cluster.manager.informers, runtime: cluster.runtime})
  const guard = (req: Request, res: Response, next: NextFunction) => {
    const state = metricsState((n) => cluster.store.getState(n), cluster.manager.informers)
    if (state === 'disabled') return next('router')
    if (state === 'unavailable') {
      // kube-aggregator's answer for an APIService without a ready endpoint (client-go turns it into
      // "the server is currently unable to handle the request").
      res.status(503).setHeader('Content-Type', 'text/plain; charset=utf-8')
      res.setHeader('X-Content-Type-Options', 'nosniff')
      res.end('service unavailable\n')
      return
    }
    if (req.method !== 'GET') return sendError(res, methodNotAllowed())
    next()
  }
  r.use(`/apis/${GROUP}`, guard)
  r.get(`/apis/${GROUP}`, (_req, res) => send(res, {kind: 'APIGroup', apiVersion: 'v1', ...metricsApiGroup()}))
  r.get(`/apis/${GV}`, (_req, res) => send(res, metricsResourceList()))
  r.get(`/apis/${GV}/nodes`, (req, res) => {
    try {
      const {labels, fields} = selectors(req)
      const now = cluster.clock.now()
      const items = nodeUsages(deps(), now, labels)
        .filter((u) => fieldsMatch(fields, u.node))
        .sort((a, b) => (a.node.metadata!.name! < b.node.metadata!.name! ? -1 : 1))
        .map((u) => nodeMetrics(u, now))
      send(res, {kind: 'NodeMetricsList', apiVersion: GV, metadata: {}, items})
    } catch (e) {
      sendError(res, e)
    }
  })
  r.get(`/apis/${GV}/nodes/:name`, (req, res) => {
    const now = cluster.clock.now()
    const name = String(req.params.name)
    const u = nodeUsages(deps(), now).find((x) => x.node.metadata?.name === name)
    if (!u) return sendError(res, notFound({group: GROUP, plural: 'nodemetrics'}, name))
    send(res, {kind: 'NodeMetrics', apiVersion: GV, ...nodeMetrics(u, now)})
  })
  const listPods = (ns: string | undefined) => (req: Request, res: Response) => {
    try {
      const {labels, fields} = selectors(req)
      const now = cluster.clock.now()
      const items = podUsages(deps(), now, ns, labels)
        .filter((u) => fieldsMatch(fields, u.pod))
        .sort((a, b) => {
          const ka = `${a.pod.metadata!.namespace}/${a.pod.metadata!.name}`
          const kb = `${b.pod.metadata!.namespace}/${b.pod.metadata!.name}`
          return ka < kb ? -1 : ka > kb ? 1 : 0
        })
        .map((u) => podMetrics(u, now))
      send(res, {kind: 'PodMetricsList', apiVersion: GV, metadata: {}, items})
    } catch (e) {
      sendError(res, e)
    }
  }
  r.get(`/apis/${GV}/pods`, listPods(undefined))
  r.get(`/apis/${GV}/namespaces/:ns/pods`, (req, res) => listPods(String(req.params.ns))(req, res))
  r.get(`/apis/${GV}/namespaces/:ns/pods/:name`, (req, res) => {
    const now = cluster.clock.now()
    const ns = String(req.params.ns)
    const name = String(req.params.name)
    const u = podUsages(deps(), now, ns).find((x) => x.pod.metadata?.name === name)
    if (!u) return sendError(res, notFound({group: GROUP, plural: 'podmetrics'}, name))
    send(res, {kind: 'PodMetrics', apiVersion: GV, ...podMetrics(u, now)})
  })
  return r
}
