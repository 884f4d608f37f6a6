// log.ts serves GET /api/v1/namespaces/{ns}/pods/{name}/log: the apiserver half (pkg/registry/core/pod/rest/log.go
// and strategy.go LogLocation: option validation, pod lookup, container choice) and the kubelet half
// (pkg/kubelet/server/server.go getContainerLogs, kubelet_pods.go validateContainerLogStatus, and the CRI log
// reader pkg/kubelet/kuberuntime/logs: tail, since, timestamps, limitBytes, follow) in one handler, since the
// simulated kubelets have no HTTP server of their own. Lines come from the simulated runtime; follow streams
// chunked text as the workload writes it and ends when the container stops or the client goes away.
import type {Request, Response} from 'express'
import type {Pod} from 'kubernetes-types/core/v1.js'
import {badRequest, fieldForbidden, fieldInvalid, invalid, methodNotAllowed, type FieldError} from '../../api/errors.js'
import type {RequestInfo} from '../apiserver/request.js'
import {sendError} from '../apiserver/errors.js'
import type {LogLine} from '../runtime/types.js'
import type {RuntimeContainer} from '../runtime/runtime.js'
import type {StreamingDeps} from './index.js'

/** FOLLOW_POLL_MS is how often (real time) an open follow stream asks the runtime for new lines. */
export const FOLLOW_POLL_MS = 50

/** PodLogOptions are the query parameters of the log subresource (core/v1 PodLogOptions). */
export interface PodLogOptions {
  container?: string
  follow: boolean
  previous: boolean
  timestamps: boolean
  sinceSeconds?: number
  /** sinceTime in ms since the epoch. */
  sinceTime?: number
  tailLines?: number
  limitBytes?: number
  insecureSkipTLSVerifyBackend: boolean
}

type Query = Record<string, unknown>

function first(q: Query, key: string): string | undefined {
  const v = q[key]
  if (v === undefined) return undefined
  if (Array.isArray(v)) return v.length ? String(v[0]) : undefined
  return String(v)
}

/** parseGoBool is strconv.ParseBool, as the query parameter codec decodes booleans. */
function parseGoBool(key: string, v: string | undefined): boolean {
  if (v === undefined || v === '') return false
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false
  throw badRequest(`couldn't decode parameter "${key}": strconv.ParseBool: parsing "${v}": invalid syntax`)
}

function parseGoInt(key: string, v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined
  if (!/^[+-]?\d+$/.test(v))
    throw badRequest(`couldn't decode parameter "${key}": strconv.ParseInt: parsing "${v}": invalid syntax`)
  return Number(v)
}

/** parseRFC3339 reads a metav1.Time query value (RFC 3339, seconds precision or finer). */
function parseRFC3339(key: string, v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined
  const ok = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v)
  const t = ok ? Date.parse(v) : NaN
  if (Number.isNaN(t))
    throw badRequest(
      `couldn't decode parameter "${key}": parsing time "${v}" as "2006-01-02T15:04:05Z07:00": cannot parse "${v}" as "2006"`,
    )
  // metav1.Time keeps seconds precision on the wire
  return Math.floor(t / 1000) * 1000
}

/** parseLogOptions decodes and validates the query (validation.ValidatePodLogOptions: 422 PodLogOptions invalid). */
export function parseLogOptions(q: Query, podName: string): PodLogOptions {
  const o: PodLogOptions = {
    container: first(q, 'container') || undefined,
    follow: parseGoBool('follow', first(q, 'follow')),
    previous: parseGoBool('previous', first(q, 'previous')),
    timestamps: parseGoBool('timestamps', first(q, 'timestamps')),
    sinceSeconds: parseGoInt('sinceSeconds', first(q, 'sinceSeconds')),
    sinceTime: parseRFC3339('sinceTime', first(q, 'sinceTime')),
    tailLines: parseGoInt('tailLines', first(q, 'tailLines')),
    limitBytes: parseGoInt('limitBytes', first(q, 'limitBytes')),
    insecureSkipTLSVerifyBackend: parseGoBool('insecureSkipTLSVerifyBackend', first(q, 'insecureSkipTLSVerifyBackend')),
  }
  const errs: FieldError[] = []
  if (o.tailLines !== undefined && o.tailLines < 0)
    errs.push(fieldInvalid('tailLines', o.tailLines, 'must be greater than or equal to 0'))
  if (o.limitBytes !== undefined && o.limitBytes < 1)
    errs.push(fieldInvalid('limitBytes', o.limitBytes, 'must be greater than 0'))
  if (o.sinceSeconds !== undefined && o.sinceTime !== undefined)
    errs.push(fieldForbidden('', 'at most one of `sinceTime` or `sinceSeconds` may be specified'))
  else if (o.sinceSeconds !== undefined && o.sinceSeconds < 1)
    errs.push(fieldInvalid('sinceSeconds', o.sinceSeconds, 'must be greater than 0'))
  if (errs.length) throw invalid('PodLogOptions', '', podName, errs)
  return o
}

/** visitContainerNames lists init, regular and ephemeral container names (podutil.VisitContainers order). */
function visitContainerNames(pod: Pod): string[] {
  return [
    ...(pod.spec?.initContainers ?? []).map((c) => c.name),
    ...(pod.spec?.containers ?? []).map((c) => c.name),
    ...(pod.spec?.ephemeralContainers ?? []).map((c) => c.name),
  ]
}

/** validateContainer is strategy.go validateContainer: the container the request means, or a 400. */
export function validateContainer(container: string | undefined, pod: Pod): string {
  const name = pod.metadata?.name ?? ''
  if (!container) {
    const cs = pod.spec?.containers ?? []
    if (cs.length === 1) return cs[0].name
    if (cs.length === 0) throw badRequest(`a container name must be specified for pod ${name}`)
    throw badRequest(
      `a container name must be specified for pod ${name}, choose one of: [${visitContainerNames(pod).join(' ')}]`,
    )
  }
  if (!visitContainerNames(pod).includes(container))
    throw badRequest(`container ${container} is not valid for pod ${name}`)
  return container
}

/**
 * validateContainerLogStatus is kubelet_pods.go validateContainerLogStatus: the container ID whose log to read,
 * from the pod's status, or the kubelet's error (which the apiserver hands on as a 400).
 */
export function validateContainerLogStatus(pod: Pod, container: string, previous: boolean): string {
  const podName = pod.metadata?.name ?? ''
  const st = pod.status ?? {}
  const cs =
    (st.containerStatuses ?? []).find((c) => c.name === container) ??
    (st.initContainerStatuses ?? []).find((c) => c.name === container) ??
    (st.ephemeralContainerStatuses ?? []).find((c) => c.name === container)
  const q = JSON.stringify
  if (!cs) throw badRequest(`container ${q(container)} in pod ${q(podName)} is not available`)
  const last = cs.lastState?.terminated
  const {waiting, running, terminated} = cs.state ?? {}
  if (previous) {
    if (!last?.containerID)
      throw badRequest(`previous terminated container ${q(container)} in pod ${q(podName)} not found`)
    return last.containerID
  }
  if (running) return cs.containerID ?? ''
  if (terminated) {
    if (terminated.containerID) return terminated.containerID
    if (last?.containerID) return last.containerID
    throw badRequest(`container ${q(container)} in pod ${q(podName)} is terminated`)
  }
  if (last) {
    if (!last.containerID) throw badRequest(`container ${q(container)} in pod ${q(podName)} is terminated`)
    return last.containerID
  }
  if (waiting) {
    const prefix = `container ${q(container)} in pod ${q(podName)} is waiting to start`
    if (waiting.reason === 'ErrImagePull') throw badRequest(`${prefix}: image can't be pulled`)
    if (waiting.reason === 'ImagePullBackOff') throw badRequest(`${prefix}: trying and failing to pull image`)
    throw badRequest(`${prefix}: ${waiting.reason ?? ''}`)
  }
  throw badRequest(`container ${q(container)} in pod ${q(podName)} is waiting to start - no logs yet`)
}

/** rfc3339Nano formats ms as Go's time.RFC3339Nano in UTC: the fraction without trailing zeros, none when zero. */
export function rfc3339Nano(ms: number): string {
  const iso = new Date(ms).toISOString() // 2026-01-01T00:00:00.120Z
  return iso.replace(/\.(\d{3})Z$/, (_, frac: string) => {
    const f = frac.replace(/0+$/, '')
    return f ? `.${f}Z` : 'Z'
  })
}

/** formatLine renders one log line as the kubelet writes it (`<RFC3339Nano> ` prefix with timestamps). */
export function formatLine(l: LogLine, timestamps: boolean): string {
  return (timestamps ? `${rfc3339Nano(l.at)} ` : '') + l.text + '\n'
}

/**
 * selectLines applies the kubelet's reader options to a snapshot: tailLines first (the last N lines of the file),
 * then since (lines older than the cut are skipped).
 */
export function selectLines(lines: LogLine[], o: PodLogOptions, now: number): LogLine[] {
  let out = lines
  if (o.tailLines !== undefined) out = o.tailLines === 0 ? [] : out.slice(-o.tailLines)
  const since = sinceOf(o, now)
  if (since !== undefined) out = out.filter((l) => l.at >= since)
  return out
}

function sinceOf(o: PodLogOptions, now: number): number | undefined {
  if (o.sinceSeconds !== undefined) return now - o.sinceSeconds * 1000
  return o.sinceTime
}

/** LimitedWriter is the kubelet's limitBytes cut: writes stop (mid-line) once the budget is spent. */
class LimitedWriter {
  private left: number
  constructor(
    private readonly res: Response,
    limit: number | undefined,
  ) {
    this.left = limit ?? Infinity
  }
  get done(): boolean {
    return this.left <= 0
  }
  write(s: string): void {
    if (this.left <= 0 || s === '') return
    let b = Buffer.from(s, 'utf8')
    if (b.length > this.left) b = b.subarray(0, this.left)
    this.left -= b.length
    this.res.write(b)
  }
}

/** serveLog answers one log request. */
export async function serveLog(req: Request, res: Response, info: RequestInfo, deps: StreamingDeps): Promise<void> {
  try {
    if (req.method !== 'GET') throw methodNotAllowed()
    const name = info.name ?? ''
    const ns = info.namespace ?? ''
    const o = parseLogOptions(req.query as Query, name)
    const cluster = deps.cluster
    const pod = cluster.registry.get(info.resource, ns, name) as Pod
    const container = validateContainer(o.container, pod)
    res.status(200)
    res.setHeader('Content-Type', 'text/plain')
    res.setHeader('Cache-Control', 'no-cache, private')
    if (!pod.spec?.nodeName) {
      // LogLocation gives no location for an unscheduled pod: an empty answer.
      res.end()
      return
    }
    const cid = validateContainerLogStatus(pod, container, o.previous)
    const uid = pod.metadata?.uid ?? ''
    const rt = cluster.runtime
    const cur = rt.instance(uid, container, false)
    const prev = rt.instance(uid, container, true)
    const inst = cur?.id === cid ? cur : prev?.id === cid ? prev : o.previous ? prev : cur
    const previous = inst !== undefined && inst === prev && inst !== cur
    const now = cluster.clock.now()
    const snapshot = inst ? (rt.logs(uid, container, {previous, now}) ?? []) : []
    const out = new LimitedWriter(res, o.limitBytes)
    for (const l of selectLines(snapshot, o, now)) out.write(formatLine(l, o.timestamps))
    if (!o.follow || !inst || out.done || !stillRunning(inst, now)) {
      res.end()
      return
    }
    res.flushHeaders()
    follow(req, res, out, inst, snapshot[snapshot.length - 1], o, deps)
  } catch (e) {
    sendError(res, e)
  }
}

function stillRunning(inst: RuntimeContainer, now: number): boolean {
  const f = inst.finishedAt
  return f === undefined || f > now
}

/** newLinesAfter returns the instance's lines written after `last` and up to now. */
function newLinesAfter(inst: RuntimeContainer, last: LogLine | undefined, now: number): LogLine[] {
  inst.advanceTo(now)
  const lines = inst.lines
  let start = 0
  if (last) {
    const i = lines.lastIndexOf(last)
    start = i >= 0 ? i + 1 : lines.findIndex((l) => l.at > last.at)
    if (start < 0) return []
  }
  const out: LogLine[] = []
  for (let i = start; i < lines.length && lines[i].at <= now; i++) out.push(lines[i])
  return out
}

/**
 * follow keeps the response open and writes what the instance writes, polling the runtime on a short real-time
 * interval (the runtime computes lines lazily up to the cluster's now). It ends when the instance stops, is
 * replaced or forgotten (pod deleted), the byte limit is spent, or the client disconnects.
 */
function follow(
  req: Request,
  res: Response,
  out: LimitedWriter,
  inst: RuntimeContainer,
  lastSent: LogLine | undefined,
  o: PodLogOptions,
  deps: StreamingDeps,
): void {
  const {runtime, clock} = deps.cluster
  let last = lastSent
  let closed = false
  const stop = (): void => {
    if (closed) return
    closed = true
    clearInterval(timer)
    if (!res.writableEnded) res.end()
  }
  const tick = (): void => {
    if (closed) return
    const now = clock.now()
    const since = sinceOf(o, now)
    for (const l of newLinesAfter(inst, last, now)) {
      last = l
      if (since !== undefined && l.at < since) continue
      out.write(formatLine(l, o.timestamps))
    }
    const known = runtime.instance(inst.podUid, inst.container, false) === inst
    const wasPrevious = runtime.instance(inst.podUid, inst.container, true) === inst
    if (out.done || (!known && !wasPrevious) || !stillRunning(inst, now)) stop()
  }
  const timer = setInterval(tick, FOLLOW_POLL_MS)
  req.on('close', stop)
  res.on('close', stop)
}
