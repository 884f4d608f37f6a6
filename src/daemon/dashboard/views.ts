// views.ts holds the dashboard's small shared pieces: HTML escaping, reading lists through the registry, a pod's
// STATUS / READY / RESTARTS as kubectl get pods prints them (printPod in kubectl's printers/internalversion), the
// colour class of a status, and an Event's table row (the page and the live stream render it the same way).
import {humanDuration} from '../../api/duration.js'
import type {KubeObject} from '../../api/object.js'
import type {Cluster} from '../cluster.js'
import {resolveResource} from '../controllers/framework/informer.js'

/** escapeHTML makes text safe inside HTML elements and quoted attributes. */
export function escapeHTML(s: unknown): string {
  return String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[c]!,
  )
}

/** list reads every object of a resource ("pods", "apps/deployments"), in one namespace when given. */
export function list(cluster: Cluster, ref: string, namespace?: string): KubeObject[] {
  const r = resolveResource(cluster.resources(), ref)
  return cluster.registry.list(r, r.namespaced ? namespace : undefined).items as KubeObject[]
}

/** nsName is "namespace/name". */
export function nsName(o: KubeObject | undefined): string {
  return `${o?.metadata?.namespace ?? ''}/${o?.metadata?.name ?? ''}`
}

/** PodSummary is a pod's row as kubectl get pods shows it. */
export interface PodSummary {
  ready: string
  status: string
  restarts: number
  /** tone is the status colour: ok, warn, bad or done. */
  tone: 'ok' | 'warn' | 'bad' | 'done'
}

const BAD = /BackOff|Err|Error|OOMKilled|Failed|Evicted|Invalid|ContainerCannotRun|DeadlineExceeded|Unknown|NodeLost/

/** podSummary follows printPod: the phase, overridden by init and container states, "Terminating" when deleted. */
export function podSummary(pod: KubeObject): PodSummary {
  const st = (pod.status ?? {}) as any
  const containers = ((pod.spec as any)?.containers ?? []) as unknown[]
  let reason: string = st.reason || st.phase || 'Pending'
  let restarts = 0
  let readyCount = 0
  let initializing = false
  const inits = (st.initContainerStatuses ?? []) as any[]
  inits.forEach((c, i) => {
    restarts += c.restartCount ?? 0
    if (c.state?.terminated?.exitCode === 0) return
    if (c.started && c.ready) return
    if (initializing) return
    initializing = true
    if (c.state?.terminated) reason = `Init:${c.state.terminated.reason || `ExitCode:${c.state.terminated.exitCode}`}`
    else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing')
      reason = `Init:${c.state.waiting.reason}`
    else reason = `Init:${i}/${inits.length}`
  })
  if (!initializing) {
    let running = false
    for (const c of [...((st.containerStatuses ?? []) as any[])].reverse()) {
      restarts += c.restartCount ?? 0
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason
      else if (c.state?.terminated?.reason) reason = c.state.terminated.reason
      else if (c.state?.terminated)
        reason = c.state.terminated.signal
          ? `Signal:${c.state.terminated.signal}`
          : `ExitCode:${c.state.terminated.exitCode}`
      else if (c.ready && c.state?.running) {
        running = true
        readyCount++
      }
    }
    if (reason === 'Completed' && running) reason = 'Running'
  } else for (const c of (st.containerStatuses ?? []) as any[]) restarts += c.restartCount ?? 0
  if (pod.metadata?.deletionTimestamp) reason = st.reason === 'NodeLost' ? 'Unknown' : 'Terminating'
  const ready = `${readyCount}/${containers.length}`
  const tone: PodSummary['tone'] =
    reason === 'Completed' || reason === 'Succeeded'
      ? 'done'
      : BAD.test(reason)
        ? 'bad'
        : reason === 'Running' && readyCount === containers.length
          ? 'ok'
          : 'warn'
  return {ready, status: reason, restarts, tone}
}

/** age is kubectl's AGE column for a timestamp, against the cluster clock. */
export function age(ts: string | undefined, now: number): string {
  if (!ts) return '<unknown>'
  const t = Date.parse(ts)
  return Number.isNaN(t) ? '<unknown>' : humanDuration(Math.max(0, now - t))
}

/** eventRow renders one core/v1 Event as a table row (the events page and the live stream share it). */
export function eventRow(e: any, now: number): string {
  const when = e.lastTimestamp || e.eventTime || e.firstTimestamp || e.metadata?.creationTimestamp
  const obj = e.involvedObject ?? {}
  const tone = e.type === 'Warning' ? 'bad' : 'ok'
  const object = `${String(obj.kind ?? '').toLowerCase()}/${obj.name ?? ''}`
  return (
    `<tr class="event" data-uid="${escapeHTML(e.metadata?.uid)}">` +
    `<td>${escapeHTML(age(when, now))}</td><td>${escapeHTML(e.metadata?.namespace)}</td>` +
    `<td><span class="badge ${tone}">${escapeHTML(e.type)}</span></td><td>${escapeHTML(e.reason)}</td>` +
    `<td>${escapeHTML(object)}</td><td>${escapeHTML(e.message)}</td><td>${escapeHTML(e.count ?? 1)}</td></tr>`
  )
}

/** eventTime orders events, newest first. */
export function eventTime(e: any): number {
  const when = e.lastTimestamp || e.eventTime || e.firstTimestamp || e.metadata?.creationTimestamp
  return Date.parse(when ?? '') || 0
}

/** ownedBy tells whether o's controller owner has the uid. */
export function ownedBy(o: KubeObject, uid: string | undefined): boolean {
  return (o.metadata?.ownerReferences ?? []).some((r) => r.controller && r.uid === uid)
}

/** yamlHref links to the YAML page of an object of a resource ("apps/deployments"). */
export function yamlHref(ref: string, o: KubeObject): string {
  const q = new URLSearchParams({r: ref, name: o.metadata?.name ?? ''})
  if (o.metadata?.namespace) q.set('ns', o.metadata.namespace)
  return `/yaml?${q}`
}

/** logsHref links to the logs page of a pod's container. */
export function logsHref(pod: KubeObject, container: string): string {
  return `/logs?${new URLSearchParams({ns: pod.metadata?.namespace ?? '', pod: pod.metadata?.name ?? '', container})}`
}
