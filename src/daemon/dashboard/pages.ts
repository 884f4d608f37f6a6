// pages.ts renders the dashboard's pages on the server: nodes with their pods, workloads (deployments → replicasets →
// pods), services and ingresses with their endpoints, events, the request view, the YAML of any object, a
// container's logs and the lab view. Each page names, in <main data-live>, the kinds whose changes redraw it; the
// page script then fetches the same URL with `X-Fragment: 1` and gets only the inside of <main>.
import {stringify} from 'yaml'
import type {KubeObject} from '../../api/object.js'
import {resolveResource} from '../controllers/framework/informer.js'
import {formatLine} from '../streaming/log.js'
import type {DashboardDeps} from './index.js'
import {labPage} from './lab.js'
import {renderSVG, requestPath, type RequestTarget} from './request-view.js'
import {age, escapeHTML, eventRow, eventTime, list, logsHref, nsName, ownedBy, podSummary, yamlHref} from './views.js'

/** PageContext is one page request. */
export interface PageContext {
  deps: DashboardDeps
  url: URL
  /** fragment asks for the inside of <main> only (a live redraw). */
  fragment: boolean
}

/** PageOutput is a rendered answer. */
export interface PageOutput {
  status?: number
  type?: string
  body: string
}

const NAV: [string, string][] = [
  ['/', 'Nodes'],
  ['/workloads', 'Workloads'],
  ['/network', 'Services & Ingresses'],
  ['/events', 'Events'],
  ['/request', 'Request path'],
]

/** page wraps a page's content in the shell: header, navigation, the script and style. */
export function page(ctx: PageContext, title: string, live: string, content: string): string {
  if (ctx.fragment) return content
  const nav = [...NAV, ...(ctx.deps.lab?.lab() ? ([['/lab', 'Lab']] as [string, string][]) : [])]
    .map(
      ([href, name]) =>
        `<a href="${href}"${ctx.url.pathname === href ? ' aria-current="page"' : ''}>${escapeHTML(name)}</a>`,
    )
    .join('')
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    `<title>${escapeHTML(title)} · mkctl dashboard</title>` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<link rel="stylesheet" href="/assets/app.css"><script src="/assets/app.js" defer></script></head>' +
    `<body><header><span class="brand">mkctl</span><nav>${nav}</nav>` +
    '<span id="live" class="live" title="live updates">offline</span></header>' +
    `<main id="main" data-live="${escapeHTML(live)}">${content}</main></body></html>\n`
  )
}

function podRow(p: KubeObject, now: number, withNode = false): string {
  const s = podSummary(p)
  const containers = ((p.spec as any)?.containers ?? []) as {name: string}[]
  const logs = containers
    .map((c) => `<a class="logs" href="${escapeHTML(logsHref(p, c.name))}">${escapeHTML(c.name)}</a>`)
    .join(' ')
  return (
    `<tr class="pod ${s.tone}" data-pod="${escapeHTML(nsName(p))}">` +
    `<td>${escapeHTML(p.metadata?.namespace)}</td>` +
    `<td><a href="${escapeHTML(yamlHref('pods', p))}">${escapeHTML(p.metadata?.name)}</a></td>` +
    `<td>${s.ready}</td><td><span class="badge ${s.tone}">${escapeHTML(s.status)}</span></td>` +
    `<td class="restarts${s.restarts > 0 ? ' warn' : ''}">${s.restarts}</td>` +
    `<td>${escapeHTML(age(p.metadata?.creationTimestamp, now))}</td>` +
    `<td>${escapeHTML((p.status as any)?.podIP ?? '')}</td>` +
    (withNode ? `<td>${escapeHTML((p.spec as any)?.nodeName ?? '<none>')}</td>` : '') +
    `<td>${logs}</td></tr>`
  )
}

function podTable(pods: KubeObject[], now: number, withNode = false): string {
  if (pods.length === 0) return '<p class="empty">No pods.</p>'
  const head = ['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', ...(withNode ? ['NODE'] : []), 'LOGS']
  return (
    `<table class="pods"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>` +
    pods.map((p) => podRow(p, now, withNode)).join('') +
    '</tbody></table>'
  )
}

const byNsName = (a: KubeObject, b: KubeObject) => (nsName(a) < nsName(b) ? -1 : nsName(a) > nsName(b) ? 1 : 0)

function nodesPage(ctx: PageContext): string {
  const {cluster} = ctx.deps
  const now = cluster.clock.now()
  const nodes = list(cluster, 'nodes')
  const pods = list(cluster, 'pods').sort(byNsName)
  const rows = nodes.map((n) => {
    const ready = ((n.status as any)?.conditions ?? []).find((c: any) => c.type === 'Ready')?.status === 'True'
    const unsched = (n.spec as any)?.unschedulable === true
    const status = `${ready ? 'Ready' : 'NotReady'}${unsched ? ',SchedulingDisabled' : ''}`
    const roles =
      Object.keys(n.metadata?.labels ?? {})
        .filter((l) => l.startsWith('node-role.kubernetes.io/'))
        .map((l) => l.slice('node-role.kubernetes.io/'.length))
        .join(',') || '<none>'
    const ip = ((n.status as any)?.addresses ?? []).find((a: any) => a.type === 'InternalIP')?.address ?? ''
    const count = pods.filter((p) => (p.spec as any)?.nodeName === n.metadata?.name).length
    return (
      `<tr data-node="${escapeHTML(n.metadata?.name)}"><td><a href="${escapeHTML(yamlHref('nodes', n))}">${escapeHTML(n.metadata?.name)}</a></td>` +
      `<td><span class="badge ${ready ? (unsched ? 'warn' : 'ok') : 'bad'}">${status}</span></td><td>${escapeHTML(roles)}</td>` +
      `<td>${escapeHTML(ip)}</td><td>${count}</td><td>${escapeHTML(age(n.metadata?.creationTimestamp, now))}</td></tr>`
    )
  })
  const sections = nodes.map((n) => {
    const mine = pods.filter((p) => (p.spec as any)?.nodeName === n.metadata?.name)
    return `<section class="node" data-node="${escapeHTML(n.metadata?.name)}"><h2>Pods on ${escapeHTML(n.metadata?.name)}</h2>${podTable(mine, now)}</section>`
  })
  const pending = pods.filter((p) => !(p.spec as any)?.nodeName)
  if (pending.length)
    sections.push(`<section class="node" data-node=""><h2>Not scheduled</h2>${podTable(pending, now)}</section>`)
  return page(
    ctx,
    'Nodes',
    'nodes,pods',
    '<h1>Nodes</h1><table id="nodes" class="nodes"><thead><tr><th>NAME</th><th>STATUS</th><th>ROLES</th><th>INTERNAL-IP</th><th>PODS</th><th>AGE</th></tr></thead>' +
      `<tbody>${rows.join('')}</tbody></table>${sections.join('')}`,
  )
}

function workloadsPage(ctx: PageContext): string {
  const {cluster} = ctx.deps
  const now = cluster.clock.now()
  const ns = ctx.url.searchParams.get('namespace') || undefined
  const deployments = list(cluster, 'apps/deployments', ns).sort(byNsName)
  const replicasets = list(cluster, 'apps/replicasets', ns)
  const pods = list(cluster, 'pods', ns).sort(byNsName)
  const revision = (rs: KubeObject) => Number(rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0)
  const sections = deployments.map((d) => {
    const st = (d.status ?? {}) as any
    const spec = (d.spec ?? {}) as any
    const mine = replicasets.filter((rs) => ownedBy(rs, d.metadata?.uid)).sort((a, b) => revision(b) - revision(a))
    const rsHTML = mine
      .map((rs) => {
        const rst = (rs.status ?? {}) as any
        const rsPods = pods.filter((p) => ownedBy(p, rs.metadata?.uid))
        return (
          `<div class="replicaset" data-name="${escapeHTML(nsName(rs))}"><h3>replicaset <a href="${escapeHTML(yamlHref('apps/replicasets', rs))}">${escapeHTML(rs.metadata?.name)}</a>` +
          ` <small>revision ${revision(rs)} · ${rst.readyReplicas ?? 0}/${(rs.spec as any)?.replicas ?? 0} ready</small></h3>` +
          `${rsPods.length ? podTable(rsPods, now, true) : ''}</div>`
        )
      })
      .join('')
    const ready = st.readyReplicas ?? 0
    const want = spec.replicas ?? 1
    return (
      `<section class="deployment" data-name="${escapeHTML(nsName(d))}"><h2>deployment <a href="${escapeHTML(yamlHref('apps/deployments', d))}">${escapeHTML(nsName(d))}</a>` +
      ` <span class="badge ${ready >= want ? 'ok' : 'warn'}">${ready}/${want} ready</span>` +
      ` <small>up-to-date ${st.updatedReplicas ?? 0} · available ${st.availableReplicas ?? 0} · ${escapeHTML(age(d.metadata?.creationTimestamp, now))}</small></h2>${rsHTML}</section>`
    )
  })
  return page(
    ctx,
    'Workloads',
    'deployments,replicasets,pods',
    `<h1>Workloads</h1>${sections.join('') || '<p class="empty">No deployments.</p>'}`,
  )
}

function servicePorts(svc: KubeObject): string {
  return (((svc.spec as any)?.ports ?? []) as any[])
    .map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`)
    .join(',')
}

function networkPage(ctx: PageContext): string {
  const {cluster} = ctx.deps
  const services = list(cluster, 'services').sort(byNsName)
  const svcRows = services.map((svc) => {
    const spec = (svc.spec ?? {}) as any
    const eps = cluster.network.endpoints(svc)
    const epText = eps.map((e) => `${e.ip}:${e.port}`).join(', ')
    const q = new URLSearchParams({service: nsName(svc)})
    return (
      `<tr class="service" data-name="${escapeHTML(nsName(svc))}"><td>${escapeHTML(svc.metadata?.namespace)}</td>` +
      `<td><a href="${escapeHTML(yamlHref('services', svc))}">${escapeHTML(svc.metadata?.name)}</a></td>` +
      `<td>${escapeHTML(spec.type ?? 'ClusterIP')}</td><td>${escapeHTML(spec.clusterIP ?? '')}</td><td>${escapeHTML(servicePorts(svc))}</td>` +
      `<td class="endpoints ${eps.length ? '' : 'bad'}">${escapeHTML(epText || '<none>')}</td>` +
      `<td><a href="/request?${escapeHTML(q.toString())}">path</a></td></tr>`
    )
  })
  const ingresses = list(cluster, 'networking.k8s.io/ingresses').sort(byNsName)
  const ingRows = ingresses.flatMap((ing) =>
    ingressRules(ing).map((r) => {
      const svc = cluster.registry.tryGet(
        resolveResource(cluster.resources(), 'services'),
        ing.metadata?.namespace,
        r.service,
      )
      const eps = svc ? cluster.network.endpoints(svc) : []
      const q = new URLSearchParams({host: r.host === '*' ? '' : r.host, path: r.path})
      return (
        `<tr class="ingress" data-name="${escapeHTML(nsName(ing))}"><td>${escapeHTML(ing.metadata?.namespace)}</td>` +
        `<td><a href="${escapeHTML(yamlHref('networking.k8s.io/ingresses', ing))}">${escapeHTML(ing.metadata?.name)}</a></td>` +
        `<td>${escapeHTML((ing.spec as any)?.ingressClassName ?? '<none>')}</td><td>${escapeHTML(r.host)}</td><td>${escapeHTML(r.path)}</td>` +
        `<td>${escapeHTML(`${r.service}:${r.port}`)}</td>` +
        `<td class="endpoints ${eps.length ? '' : 'bad'}">${escapeHTML(eps.map((e) => `${e.ip}:${e.port}`).join(', ') || '<none>')}</td>` +
        `<td><a href="/request?${escapeHTML(q.toString())}">path</a></td></tr>`
      )
    }),
  )
  return page(
    ctx,
    'Services & Ingresses',
    'services,endpointslices,ingresses,pods',
    '<h1>Services</h1><table id="services"><thead><tr><th>NAMESPACE</th><th>NAME</th><th>TYPE</th><th>CLUSTER-IP</th><th>PORT(S)</th><th>READY ENDPOINTS</th><th></th></tr></thead>' +
      `<tbody>${svcRows.join('')}</tbody></table>` +
      '<h1>Ingresses</h1>' +
      (ingRows.length
        ? '<table id="ingresses"><thead><tr><th>NAMESPACE</th><th>NAME</th><th>CLASS</th><th>HOST</th><th>PATH</th><th>BACKEND</th><th>READY ENDPOINTS</th><th></th></tr></thead>' +
          `<tbody>${ingRows.join('')}</tbody></table>`
        : '<p class="empty">No ingresses.</p>'),
  )
}

/** ingressRules flattens an ingress's rules into host, path and backend rows ("*" for a rule without host). */
function ingressRules(ing: KubeObject): {host: string; path: string; service: string; port: string}[] {
  const out: {host: string; path: string; service: string; port: string}[] = []
  for (const r of ((ing.spec as any)?.rules ?? []) as any[])
    for (const p of (r.http?.paths ?? []) as any[]) {
      const s = p.backend?.service
      if (s)
        out.push({
          host: r.host ?? '*',
          path: p.path ?? '/',
          service: s.name,
          port: String(s.port?.number ?? s.port?.name ?? ''),
        })
    }
  return out
}

function eventsPage(ctx: PageContext): string {
  const {cluster} = ctx.deps
  const now = cluster.clock.now()
  const events = list(cluster, 'events')
    .sort((a, b) => eventTime(b) - eventTime(a))
    .slice(0, 200)
  return page(
    ctx,
    'Events',
    '',
    '<h1>Events <small>(live)</small></h1><table id="events"><thead><tr><th>LAST SEEN</th><th>NAMESPACE</th><th>TYPE</th><th>REASON</th><th>OBJECT</th><th>MESSAGE</th><th>COUNT</th></tr></thead>' +
      `<tbody>${events.map((e) => eventRow(e, now)).join('')}</tbody></table>`,
  )
}

function requestPage(ctx: PageContext): string {
  const {cluster} = ctx.deps
  const q = ctx.url.searchParams
  const targets: {label: string; href: string; target: RequestTarget}[] = []
  for (const ing of list(cluster, 'networking.k8s.io/ingresses').sort(byNsName))
    for (const r of ingressRules(ing)) {
      const host = r.host === '*' ? '' : r.host
      targets.push({
        label: `ingress ${r.host}${r.path}`,
        href: `/request?${new URLSearchParams({host, path: r.path})}`,
        target: {host, path: r.path},
      })
    }
  for (const svc of list(cluster, 'services').sort(byNsName)) {
    if (svc.metadata?.namespace === 'kube-system' || nsName(svc) === 'default/kubernetes') continue
    targets.push({
      label: `service ${nsName(svc)}`,
      href: `/request?${new URLSearchParams({service: nsName(svc)})}`,
      target: {service: {namespace: svc.metadata?.namespace ?? '', name: svc.metadata?.name ?? ''}},
    })
  }
  let target: RequestTarget | undefined
  if (q.has('service')) {
    const [namespace, name] = (q.get('service') ?? '').split('/')
    target = {service: {namespace: namespace ?? '', name: name ?? '', ...(q.get('port') ? {port: q.get('port')!} : {})}}
  } else if (q.has('host') || q.has('path')) target = {host: q.get('host') ?? '', path: q.get('path') || '/'}
  else target = targets[0]?.target
  const current = ctx.url.search
  const links = targets
    .map(
      (t) =>
        `<li><a href="${escapeHTML(t.href)}"${t.href === `/request${current}` ? ' aria-current="true"' : ''}>${escapeHTML(t.label)}</a></li>`,
    )
    .join('')
  let drawing = '<p class="empty">Create a service or an ingress to see the path of a request.</p>'
  if (target) {
    const p = requestPath(cluster, target)
    drawing = `<h2 id="request-title">${escapeHTML(p.title)}</h2><div class="drawing">${renderSVG(p)}</div>`
  }
  return page(
    ctx,
    'Request path',
    'pods,services,endpointslices,ingresses',
    `<h1>Request path</h1><div class="request"><ul class="targets">${links}</ul><div>${drawing}</div></div>`,
  )
}

function yamlPage(ctx: PageContext): string {
  const {cluster} = ctx.deps
  const q = ctx.url.searchParams
  const ref = q.get('r') ?? ''
  let r
  try {
    r = resolveResource(cluster.resources(), ref)
  } catch {
    return page(ctx, 'YAML', '', `<p class="bad">Unknown resource ${escapeHTML(ref)}.</p>`)
  }
  const ns = r.namespaced ? (q.get('ns') ?? 'default') : undefined
  const obj = structuredClone(cluster.registry.get(r, ns, q.get('name') ?? '')) as any
  if (obj.metadata) delete obj.metadata.managedFields
  // Secrets stay in the API: the page shows their keys, never their values.
  if (obj.kind === 'Secret')
    for (const k of ['data', 'stringData'])
      if (obj[k]) obj[k] = Object.fromEntries(Object.keys(obj[k]).map((key) => [key, '<redacted>']))
  const title = `${r.kind} ${ns ? `${ns}/` : ''}${obj.metadata?.name}`
  return page(
    ctx,
    title,
    '',
    `<h1>${escapeHTML(title)}</h1><pre id="yaml" class="yaml">${escapeHTML(stringify(obj))}</pre>`,
  )
}

function logsPage(ctx: PageContext): string {
  const {cluster} = ctx.deps
  const q = ctx.url.searchParams
  const ns = q.get('ns') ?? 'default'
  const name = q.get('pod') ?? ''
  const pod = cluster.registry.get(resolveResource(cluster.resources(), 'pods'), ns, name)
  const names = [
    ...(((pod.spec as any)?.initContainers ?? []) as {name: string}[]),
    ...(((pod.spec as any)?.containers ?? []) as {name: string}[]),
  ].map((c) => c.name)
  const container = q.get('container') || names[names.length - 1] || ''
  const previous = q.get('previous') === '1'
  const now = cluster.clock.now()
  const lines = cluster.runtime.logs(pod.metadata?.uid ?? '', container, {previous, now}) ?? []
  const text = lines.map((l) => formatLine(l, false)).join('')
  const tabs = names
    .map(
      (c) =>
        `<a href="${escapeHTML(logsHref(pod, c))}"${c === container ? ' aria-current="true"' : ''}>${escapeHTML(c)}</a>`,
    )
    .join(' ')
  return page(
    ctx,
    `Logs ${ns}/${name}`,
    '',
    `<h1>Logs of ${escapeHTML(`${ns}/${name}`)}</h1><p class="tabs">${tabs} · <a href="${escapeHTML(logsHref(pod, container))}&amp;previous=1">previous</a></p>` +
      `<pre id="logs" class="logs">${escapeHTML(text) || '<span class="empty">(no output)</span>'}</pre>`,
  )
}

/** renderPage routes a GET to its page; undefined when no page has that path. */
export async function renderPage(ctx: PageContext): Promise<PageOutput | undefined> {
  switch (ctx.url.pathname) {
    case '/':
      return {body: nodesPage(ctx)}
    case '/workloads':
      return {body: workloadsPage(ctx)}
    case '/network':
      return {body: networkPage(ctx)}
    case '/events':
      return {body: eventsPage(ctx)}
    case '/request':
      return {body: requestPage(ctx)}
    case '/yaml':
      return {body: yamlPage(ctx)}
    case '/logs':
      return {body: logsPage(ctx)}
    case '/lab': {
      const out = await labPage(ctx.deps)
      return {status: out.status, body: page(ctx, 'Lab', out.live, out.html)}
    }
  }
  return undefined
}
