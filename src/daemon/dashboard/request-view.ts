// request-view.ts draws the path a request takes — ingress rule → service → endpoints → pod on node → container —
// as SVG. It asks the same code `mkctl cluster trace` goes through (network/trace.ts → ClusterNetwork and the
// ingress addon's rules): the rule from ingress-rules.ts `route`, the ready endpoints from ClusterNetwork.endpoints,
// the listening container from the runtime. Unlike a trace it sends nothing (no access log line, no round-robin
// step), so the page can redraw at every change, and it shows every endpoint, not the one a request would take.
import type {KubeObject} from '../../api/object.js'
import {CONTROLLER_NAME, INGRESS_CLASS, INGRESS_NAMESPACE} from '../addons/ingress.js'
import {ingressesFor, route} from '../addons/ingress-rules.js'
import type {Cluster} from '../cluster.js'
import {resolveResource} from '../controllers/framework/informer.js'
import {escapeHTML, list, logsHref, nsName, podSummary, yamlHref} from './views.js'

/** PathNode is one box of the drawing. */
export interface PathNode {
  step: 'client' | 'ingress' | 'service' | 'endpoint' | 'pod' | 'container' | 'error'
  label: string
  detail: string
  tone: 'ok' | 'warn' | 'bad'
  /** name identifies the object for tests and links ("default/web"). */
  name?: string
  href?: string
}

/** RequestPath is a chain of boxes up to the service, then one branch per endpoint. */
export interface RequestPath {
  title: string
  prefix: PathNode[]
  branches: PathNode[][]
}

/** RequestTarget is what the page was asked to draw. */
export type RequestTarget = {host: string; path: string} | {service: {namespace: string; name: string; port?: string}}

interface ServicePort {
  name?: string
  port: number
  targetPort?: number | string
}

/** requestPath computes the path of a request to an ingress host/path or to a service. */
export function requestPath(cluster: Cluster, target: RequestTarget): RequestPath {
  const get = (ref: string, ns: string | undefined, name: string) =>
    cluster.registry.tryGet(resolveResource(cluster.resources(), ref), ns, name)
  const prefix: PathNode[] = []
  const fail = (label: string, detail: string): RequestPath => ({
    title,
    prefix: [...prefix, {step: 'error', label, detail, tone: 'bad'}],
    branches: [],
  })
  let title: string
  let svcRef: {namespace: string; name: string; port?: string | number}
  if ('host' in target) {
    title = `GET http://${target.host}${target.path}`
    prefix.push({step: 'client', label: 'from the host', detail: title, tone: 'ok'})
    if (!get('services', INGRESS_NAMESPACE, CONTROLLER_NAME))
      return fail('no ingress controller', 'enable it: mkctl cluster addons enable ingress')
    const cls = get('networking.k8s.io/ingressclasses', undefined, INGRESS_CLASS)
    const isDefault = cls?.metadata?.annotations?.['ingressclass.kubernetes.io/is-default-class'] === 'true'
    const m = route(
      ingressesFor(list(cluster, 'networking.k8s.io/ingresses'), INGRESS_CLASS, isDefault),
      target.host,
      target.path,
    )
    if (!m) return fail('no rule matches', `host ${target.host} path ${target.path}: the default backend answers 404`)
    const ing = nsName(m.ingress)
    prefix.push({
      step: 'ingress',
      label: `ingress ${ing}`,
      detail: m.rule,
      tone: 'ok',
      name: ing,
      href: yamlHref('networking.k8s.io/ingresses', m.ingress),
    })
    svcRef = {namespace: m.ingress.metadata?.namespace ?? 'default', name: m.backend.service, port: m.backend.port}
  } else {
    svcRef = target.service
    title = `to service ${svcRef.namespace}/${svcRef.name}${svcRef.port ? `:${svcRef.port}` : ''}`
    prefix.push({step: 'client', label: 'from a node', detail: title, tone: 'ok'})
  }
  const svc = get('services', svcRef.namespace, svcRef.name)
  const key = `${svcRef.namespace}/${svcRef.name}`
  if (!svc) return fail('no such service', `service ${key} does not exist`)
  const ports = ((svc.spec as {ports?: ServicePort[]})?.ports ?? []) as ServicePort[]
  const want = svcRef.port
  const svcPort =
    want === undefined || want === ''
      ? ports[0]
      : ports.find((p) => String(p.port) === String(want) || (p.name !== undefined && p.name === String(want)))
  if (!svcPort) return fail('no such port', `service ${key} has no port ${want ?? ''}`)
  const eps = cluster.network.endpoints(svc, svcPort)
  prefix.push({
    step: 'service',
    label: `service ${key}`,
    detail: `port ${svcPort.name ? `${svcPort.name} ` : ''}${svcPort.port} → ${eps.length} ready endpoint${eps.length === 1 ? '' : 's'}`,
    tone: eps.length ? 'ok' : 'bad',
    name: key,
    href: yamlHref('services', svc),
  })
  if (eps.length === 0) return fail('no ready endpoints', 'kube-proxy rejects the connection (refused)')
  const now = cluster.clock.now()
  const branches = eps.map((ep) => {
    const out: PathNode[] = [{step: 'endpoint', label: `${ep.ip}:${ep.port}`, detail: 'endpoint', tone: 'ok'}]
    const pod = (ep.pod ?? cluster.network.podByIP(ep.ip)) as KubeObject | undefined
    if (!pod) {
      out.push({step: 'error', label: 'no pod', detail: `no pod owns ${ep.ip}`, tone: 'bad'})
      return out
    }
    const s = podSummary(pod)
    const pn = nsName(pod)
    out.push({
      step: 'pod',
      label: `pod ${pod.metadata?.name}`,
      detail: `on node ${(pod.spec as {nodeName?: string})?.nodeName ?? '<none>'} · ${s.status}`,
      tone: s.tone === 'bad' ? 'bad' : s.tone === 'ok' ? 'ok' : 'warn',
      name: pn,
      href: yamlHref('pods', pod),
    })
    const container = listeningContainer(cluster, pod, ep.port, now)
    out.push(
      container
        ? {
            step: 'container',
            label: `container ${container}`,
            detail: `listening on ${ep.port}`,
            tone: 'ok',
            name: `${pn}/${container}`,
            href: logsHref(pod, container),
          }
        : {step: 'error', label: 'refused', detail: `nothing listens on port ${ep.port}`, tone: 'bad'},
    )
    return out
  })
  return {title, prefix, branches}
}

/** listeningContainer is the container whose simulated process listens on port now (sidecars included). */
function listeningContainer(cluster: Cluster, pod: KubeObject, port: number, now: number): string | undefined {
  const spec = (pod.spec ?? {}) as {
    containers?: {name: string}[]
    initContainers?: {name: string; restartPolicy?: string}[]
  }
  const names = [
    ...(spec.containers ?? []),
    ...(spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'),
  ].map((c) => c.name)
  return names.find((n) => cluster.runtime.instance(pod.metadata?.uid ?? '', n)?.listening(port, now))
}

const BOX_W = 230
const BOX_H = 52
const GAP_X = 44
const ROW_H = 68
const PAD = 12

/** renderSVG draws a RequestPath: the prefix on the middle row, the branches stacked on its right. */
export function renderSVG(p: RequestPath): string {
  const rows = Math.max(1, p.branches.length)
  const height = PAD * 2 + rows * ROW_H - (ROW_H - BOX_H)
  const branchLen = Math.max(0, ...p.branches.map((b) => b.length))
  const cols = p.prefix.length + branchLen
  const width = PAD * 2 + cols * BOX_W + (cols - 1) * GAP_X
  const x = (col: number) => PAD + col * (BOX_W + GAP_X)
  const y = (row: number) => PAD + row * ROW_H
  const midY = (height - BOX_H) / 2
  const parts: string[] = []
  const edge = (x1: number, y1: number, x2: number, y2: number) =>
    parts.push(
      `<path class="edge" d="M${x1} ${y1} C${x1 + GAP_X / 2} ${y1} ${x2 - GAP_X / 2} ${y2} ${x2} ${y2}" marker-end="url(#arrow)"/>`,
    )
  p.prefix.forEach((n, i) => {
    if (i > 0) edge(x(i - 1) + BOX_W, midY + BOX_H / 2, x(i), midY + BOX_H / 2)
  })
  const last = p.prefix.length - 1
  p.branches.forEach((b, r) => {
    const by = p.branches.length === 1 ? midY : y(r)
    b.forEach((_n, j) => {
      const col = p.prefix.length + j
      if (j === 0) edge(x(last) + BOX_W, midY + BOX_H / 2, x(col), by + BOX_H / 2)
      else edge(x(col - 1) + BOX_W, by + BOX_H / 2, x(col), by + BOX_H / 2)
    })
  })
  p.prefix.forEach((n, i) => parts.push(box(n, x(i), midY)))
  p.branches.forEach((b, r) => {
    const by = p.branches.length === 1 ? midY : y(r)
    b.forEach((n, j) => parts.push(box(n, x(p.prefix.length + j), by)))
  })
  return (
    `<svg class="request-path" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHTML(p.title)}">` +
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" class="arrowhead"/></marker></defs>` +
    parts.join('') +
    '</svg>'
  )
}

function clip(s: string, n = 25): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s
}

function box(n: PathNode, x: number, y: number): string {
  const inner =
    `<rect x="${x}" y="${y}" width="${BOX_W}" height="${BOX_H}" rx="6" class="box ${n.tone}"/>` +
    `<text x="${x + 10}" y="${y + 21}" class="label">${escapeHTML(clip(n.label))}</text>` +
    `<text x="${x + 10}" y="${y + 40}" class="detail">${escapeHTML(clip(n.detail, 32))}</text>` +
    `<title>${escapeHTML(`${n.label}\n${n.detail}`)}</title>`
  const g = `<g class="hop" data-step="${n.step}"${n.name ? ` data-name="${escapeHTML(n.name)}"` : ''}>${inner}</g>`
  return n.href ? `<a href="${escapeHTML(n.href)}">${g}</a>` : g
}
