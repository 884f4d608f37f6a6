// ingress.ts is the `ingress` addon, shaped as minikube's: the ingress-nginx namespace, the controller Deployment and
// its NodePort Service `ingress-nginx-controller`, the default IngressClass `nginx`. The controller pod's process is
// simulated by the runtime; its proxying is done here, as a network HTTP handler: a request reaching the controller
// pod on port 80 is routed by the Ingress rules to a backend Service (from the controller pod, so NetworkPolicies
// apply) and logged in the controller's access-log format. ingressStatusController fills status.loadBalancer.
import type {KubeObject} from '../../api/object.js'
import {clfTime} from '../runtime/logfmt.js'
import type {Cluster} from '../cluster.js'
import type {Controller, ControllerFactory} from '../controllers/framework/types.js'
import type {Connection, HttpHandler} from '../network/index.js'
import type {HttpRequest, HttpResponse} from '../runtime/shell/types.js'
import {ingressesFor, route} from './ingress-rules.js'

/** INGRESS_NAMESPACE is where the addon's objects live. */
export const INGRESS_NAMESPACE = 'ingress-nginx'
/** CONTROLLER_NAME names the controller's Deployment and Service. */
export const CONTROLLER_NAME = 'ingress-nginx-controller'
/** CONTROLLER_IMAGE is the controller image minikube's addon runs. */
export const CONTROLLER_IMAGE = 'registry.k8s.io/ingress-nginx/controller:v1.12.1'
/** CONTROLLER_LABELS select the controller's pods. */
export const CONTROLLER_LABELS = {
  'app.kubernetes.io/component': 'controller',
  'app.kubernetes.io/instance': 'ingress-nginx',
  'app.kubernetes.io/name': 'ingress-nginx',
}
/** INGRESS_CLASS is the addon's IngressClass. */
export const INGRESS_CLASS = 'nginx'
const CONTROLLER_CLASS = 'k8s.io/ingress-nginx'
const ADDON_LABELS = {...CONTROLLER_LABELS, 'app.kubernetes.io/part-of': 'ingress-nginx'}

/** ingressObjects are what enabling the addon creates, in order (refs as the registry resolves them). */
export function ingressObjects(): {ref: string; obj: KubeObject}[] {
  const labels = {'app.kubernetes.io/instance': 'ingress-nginx', 'app.kubernetes.io/name': 'ingress-nginx'}
  return [
    {ref: 'namespaces', obj: {apiVersion: 'v1', kind: 'Namespace', metadata: {name: INGRESS_NAMESPACE, labels}}},
    {
      ref: 'serviceaccounts',
      obj: {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: {name: 'ingress-nginx', namespace: INGRESS_NAMESPACE, labels: ADDON_LABELS},
      },
    },
    {
      ref: 'networking.k8s.io/ingressclasses',
      obj: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'IngressClass',
        metadata: {
          name: INGRESS_CLASS,
          labels: ADDON_LABELS,
          annotations: {'ingressclass.kubernetes.io/is-default-class': 'true'},
        },
        spec: {controller: CONTROLLER_CLASS},
      },
    },
    {
      ref: 'services',
      obj: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {name: CONTROLLER_NAME, namespace: INGRESS_NAMESPACE, labels: ADDON_LABELS},
        spec: {
          type: 'NodePort',
          ipFamilies: ['IPv4'],
          ipFamilyPolicy: 'SingleStack',
          selector: CONTROLLER_LABELS,
          ports: [
            {name: 'http', port: 80, protocol: 'TCP', targetPort: 'http', appProtocol: 'http'},
            {name: 'https', port: 443, protocol: 'TCP', targetPort: 'https', appProtocol: 'https'},
          ],
        },
      },
    },
    {
      ref: 'apps/deployments',
      obj: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {name: CONTROLLER_NAME, namespace: INGRESS_NAMESPACE, labels: ADDON_LABELS},
        spec: {
          replicas: 1,
          revisionHistoryLimit: 10,
          minReadySeconds: 0,
          selector: {matchLabels: CONTROLLER_LABELS},
          strategy: {type: 'RollingUpdate', rollingUpdate: {maxUnavailable: 1}},
          template: {
            metadata: {labels: {...ADDON_LABELS, 'gcp-auth-skip-secret': 'true'}},
            spec: {
              serviceAccountName: 'ingress-nginx',
              terminationGracePeriodSeconds: 0,
              dnsPolicy: 'ClusterFirst',
              nodeSelector: {'kubernetes.io/os': 'linux'},
              containers: [
                {
                  name: 'controller',
                  image: CONTROLLER_IMAGE,
                  imagePullPolicy: 'IfNotPresent',
                  args: [
                    '/nginx-ingress-controller',
                    '--election-id=ingress-nginx-leader',
                    `--controller-class=${CONTROLLER_CLASS}`,
                    '--watch-ingress-without-class=true',
                    `--configmap=$(POD_NAMESPACE)/ingress-nginx-controller`,
                    `--publish-status-address=localhost`,
                  ],
                  env: [
                    {name: 'POD_NAME', valueFrom: {fieldRef: {fieldPath: 'metadata.name'}}},
                    {name: 'POD_NAMESPACE', valueFrom: {fieldRef: {fieldPath: 'metadata.namespace'}}},
                  ],
                  ports: [
                    {name: 'http', containerPort: 80, hostPort: 80, protocol: 'TCP'},
                    {name: 'https', containerPort: 443, hostPort: 443, protocol: 'TCP'},
                  ],
                  readinessProbe: {httpGet: {path: '/healthz', port: 10254, scheme: 'HTTP'}, periodSeconds: 10},
                  livenessProbe: {httpGet: {path: '/healthz', port: 10254, scheme: 'HTTP'}, initialDelaySeconds: 10},
                  resources: {requests: {cpu: '100m', memory: '90Mi'}},
                },
              ],
            },
          },
        },
      },
    },
  ]
}

function isController(pod: KubeObject): boolean {
  const l = pod.metadata?.labels ?? {}
  return Object.entries(CONTROLLER_LABELS).every(([k, v]) => l[k] === v)
}

const nginxPage = (status: number, title: string) =>
  `<html>\r\n<head><title>${status} ${title}</title></head>\r\n<body>\r\n<center><h1>${status} ${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`

/** ingressHandler proxies requests that reach a controller pod's port 80 (or 443 once TLS is terminated). */
export function ingressHandler(cluster: Cluster): HttpHandler {
  const inf = cluster.manager.informers
  const ingresses = inf.for('networking.k8s.io/ingresses')
  const classes = inf.for('networking.k8s.io/ingressclasses')
  const services = inf.for('services')
  let seq = 0
  return (c: Connection, req: HttpRequest): HttpResponse | undefined => {
    if (!isController(c.pod) || (c.port !== 80 && c.port !== 443)) return undefined
    const started = cluster.clock.now()
    const id = (++seq).toString(16).padStart(32, '0')
    const cls = classes.get(undefined, INGRESS_CLASS)
    const isDefault = cls?.metadata?.annotations?.['ingressclass.kubernetes.io/is-default-class'] === 'true'
    const host = req.host ?? req.headers?.host ?? ''
    const m = route(ingressesFor(ingresses.list(), INGRESS_CLASS, isDefault), host, req.path)
    let res: HttpResponse
    let upstream = '-'
    let upstreamName = 'upstream-default-backend'
    let upstreamStatus = '-'
    if (!m) {
      res = {status: 404, headers: {'Content-Type': 'text/html'}, body: nginxPage(404, 'Not Found')}
      cluster.network.note({
        step: 'ingress',
        detail: `no Ingress rule matches host ${host || '<none>'} path ${req.path}: the controller's default backend answers 404`,
      })
    } else {
      const ns = m.ingress.metadata?.namespace ?? 'default'
      const svc = services.get(ns, m.backend.service)
      const sp = ((svc?.spec as {ports?: {name?: string; port: number}[]})?.ports ?? []).find((p) =>
        typeof m.backend.port === 'number' ? p.port === m.backend.port : p.name === m.backend.port,
      )
      upstreamName = `${ns}-${m.backend.service}-${m.backend.port}`
      cluster.network.note({
        step: 'ingress',
        detail: `ingress ${ns}/${m.ingress.metadata?.name} rule ${m.rule} → service ${m.backend.service} port ${m.backend.port}`,
      })
      if (!svc || !sp) {
        res = {
          status: 503,
          headers: {'Content-Type': 'text/html'},
          body: nginxPage(503, 'Service Temporarily Unavailable'),
        }
      } else {
        const headers: Record<string, string> = {
          ...(req.headers ?? {}),
          'x-request-id': id,
          'x-real-ip': req.clientIP ?? '',
          'x-forwarded-for': req.clientIP ?? '',
          'x-forwarded-host': host,
          'x-forwarded-port': String(c.port),
          'x-forwarded-proto': c.port === 443 ? 'https' : 'http',
          'x-scheme': c.port === 443 ? 'https' : 'http',
        }
        const out = cluster.network.http({pod: c.pod}, `${m.backend.service}.${ns}.svc.cluster.local`, sp.port, {
          method: req.method,
          path: req.path,
          host,
          headers,
          ...(req.body !== undefined ? {body: req.body} : {}),
        })
        if (out.ok) {
          res = out.response
          upstream = `${out.connection.ip}:${out.connection.port}`
          upstreamStatus = String(res.status)
        } else if (out.error === 'timeout') {
          res = {status: 504, headers: {'Content-Type': 'text/html'}, body: nginxPage(504, 'Gateway Time-out')}
        } else if (out.error === 'refused' && out.hops.some((h) => h.detail.includes('no ready endpoints'))) {
          res = {
            status: 503,
            headers: {'Content-Type': 'text/html'},
            body: nginxPage(503, 'Service Temporarily Unavailable'),
          }
        } else {
          res = {status: 502, headers: {'Content-Type': 'text/html'}, body: nginxPage(502, 'Bad Gateway')}
        }
      }
    }
    // ingress-nginx's upstreaminfo log format.
    const h = (name: string) => Object.entries(req.headers ?? {}).find(([k]) => k.toLowerCase() === name)?.[1]
    const bytes = Buffer.byteLength(res.body)
    const reqLength =
      `${req.method} ${req.path} HTTP/1.1\r\n`.length +
      Object.entries(req.headers ?? {}).reduce((n, [k, v]) => n + k.length + v.length + 4, 2)
    const secs = ((cluster.clock.now() - started) / 1000).toFixed(3)
    const line =
      `${req.clientIP ?? '-'} - - [${clfTime(started)}] "${req.method} ${req.path} HTTP/1.1" ${res.status} ${bytes} ` +
      `"${h('referer') ?? '-'}" "${h('user-agent') ?? '-'}" ${reqLength} ${secs} [${upstreamName}] [] ${upstream} ` +
      `${upstream === '-' ? '-' : bytes} ${upstream === '-' ? '-' : secs} ${upstreamStatus} ${id}`
    cluster.runtime.appendLog(c.pod.metadata?.uid ?? '', 'controller', {at: started, stream: 'stdout', text: line})
    return res
  }
}

/**
 * ingressStatusController publishes the address of the ingresses the addon's controller serves, once a controller
 * pod is ready (ingress-nginx's status sync; minikube shows the node's address).
 */
export const ingressStatusController: ControllerFactory = (ctx): Controller => {
  const ingresses = ctx.informers.for('networking.k8s.io/ingresses')
  const classes = ctx.informers.for('networking.k8s.io/ingressclasses')
  const pods = ctx.informers.for('pods')
  const nodes = ctx.informers.for('nodes')
  const events = ctx.events.withSource({component: 'nginx-ingress-controller'})
  const allIngresses = () => ingresses.list().map((i) => `${i.metadata?.namespace}/${i.metadata?.name}`)
  return {
    name: 'ingress-status',
    watches: () => [
      {resource: 'networking.k8s.io/ingresses'},
      {resource: 'networking.k8s.io/ingressclasses', keys: () => allIngresses()},
      {resource: 'pods', keys: (p) => (isController(p) ? allIngresses() : [])},
    ],
    sync(key) {
      const [ns, name] = key.split('/')
      const ing = ingresses.get(ns, name!)
      if (!ing) return
      const cls = classes.get(undefined, INGRESS_CLASS)
      if (!cls) return
      const isDefault = cls.metadata?.annotations?.['ingressclass.kubernetes.io/is-default-class'] === 'true'
      if (ingressesFor([ing], INGRESS_CLASS, isDefault).length === 0) return
      const ready = pods
        .list(INGRESS_NAMESPACE)
        .find(
          (p) =>
            isController(p) &&
            (p.status as {conditions?: {type: string; status: string}[]})?.conditions?.some(
              (c) => c.type === 'Ready' && c.status === 'True',
            ),
        )
      if (!ready) return
      const node = nodes.get(undefined, (ready.spec as {nodeName?: string}).nodeName ?? '')
      const ip =
        (node?.status as {addresses?: {type: string; address: string}[]})?.addresses?.find(
          (a) => a.type === 'InternalIP',
        )?.address ?? '192.168.49.2'
      const current = (ing.status as {loadBalancer?: {ingress?: {ip?: string}[]}})?.loadBalancer?.ingress
      if (current?.length === 1 && current[0]?.ip === ip) return
      ctx.client.mutate(
        'networking.k8s.io/ingresses',
        ns,
        name!,
        (o) => ({...o, status: {loadBalancer: {ingress: [{ip}]}}}),
        {subresource: 'status'},
      )
      events.normal(ing, 'Sync', 'Scheduled for sync')
    },
  }
}
