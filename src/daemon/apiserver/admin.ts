// admin.ts: mkctl's own endpoints beside the Kubernetes API, under /mkctl/v1 and behind the same bearer token:
// the virtual clock (`mkctl cluster time`, `time advance`) and node operations (`mkctl cluster node add|stop|
// start|delete|list`, minikube's `node` commands). They answer JSON, and errors as Kubernetes Status objects.
import express, {type Router} from 'express'
import {badRequest} from '../../api/errors.js'
import {rfc3339} from '../clock.js'
import {jsonRoute} from './errors.js'

/** NodeInfo is one node as `mkctl cluster node list` shows it. */
export interface NodeInfo {
  name: string
  ip: string
  /** stopped: the node's kubelet is switched off (`node stop`). */
  stopped: boolean
  ready: boolean
}

/** AdminOps are the operations the admin endpoints expose. */
export interface AdminOps {
  now(): number
  /** offsetMs is how far the virtual clock runs ahead of real time. */
  offsetMs(): number
  /** advance moves the virtual clock on, letting everything due on the way happen in order. */
  advance(ms: number): Promise<void>
  /** addons are `mkctl cluster addons list|enable|disable`. */
  addons?: {
    list(): {name: string; enabled: boolean; maintainer: string; available: boolean}[]
    enable(name: string): Promise<{images: string[]; urls: {namespace: string; name: string; url: string}[]}>
    disable(name: string): Promise<void>
  }
  /** serviceURLs opens host listeners for a NodePort/LoadBalancer service (`mkctl cluster service NAME --url`). */
  serviceURLs?(namespace: string, name: string): Promise<{namespace: string; name: string; port: object; url: string}[]>
  /** tunnel is `mkctl cluster tunnel`: up assigns LoadBalancer addresses and opens listeners; down undoes it. */
  tunnel?: {up(): Promise<unknown>; down(): Promise<void>}
  /** trace sends one simulated request and reports its path (`mkctl cluster trace`). */
  trace?(req: unknown): unknown
  /** lab serves /mkctl/v1/lab (lab-admin.ts): the lab profile's lab, journal and live view. */
  lab?: Router
  /** labOps serves /mkctl/v1/lab/faults and /lab/probe (lab-ops.ts): a lab's faults, images and live probes. */
  labOps?: Router
  /** load serves /mkctl/v1/load (load-admin.ts): `mkctl cluster load` runs. */
  load?: Router
  /** snapshots serves /mkctl/v1/snapshots (snapshot-admin.ts): `mkctl cluster snapshot ...`. */
  snapshots?: Router
  /** users serves /mkctl/v1/users (users-admin.ts): `mkctl cluster user add|list|delete`. */
  users?: Router
  /** dashboard is `mkctl cluster dashboard` (src/daemon/dashboard): where it listens, and one-time login tickets. */
  dashboard?: {info(): object; ticket(): Promise<object>}
  nodes?: {
    list(): NodeInfo[]
    add(name?: string): Promise<string>
    stop(name: string): Promise<void>
    start(name: string): Promise<void>
    delete(name: string): Promise<void>
  }
}

/** MAX_ADVANCE_MS bounds one advance (30 days): more would mean hours of simulated work in one request. */
const MAX_ADVANCE_MS = 30 * 24 * 3600_000

/** adminRouter serves /mkctl/v1/... */
export function adminRouter(ops: AdminOps): Router {
  const r = express.Router()
  if (ops.lab) r.use('/lab', ops.lab)
  if (ops.labOps) r.use('/lab', ops.labOps)
  if (ops.load) r.use('/load', ops.load)
  if (ops.snapshots) r.use('/snapshots', ops.snapshots)
  if (ops.users) r.use('/users', ops.users)
  r.use(express.json({limit: '64kb'}))
  const time = () => ({now: rfc3339(ops.now()), offsetSeconds: Math.floor(ops.offsetMs() / 1000)})
  const wrap = jsonRoute
  r.get(
    '/time',
    wrap(() => time()),
  )
  r.post(
    '/time/advance',
    wrap(async (req) => {
      const ms = Number(req.body?.ms)
      if (!Number.isFinite(ms) || ms < 0) throw badRequest('ms must be a non-negative number of milliseconds')
      if (ms > MAX_ADVANCE_MS) throw badRequest('cannot advance the clock by more than 720h at once')
      await ops.advance(ms)
      return time()
    }),
  )
  const nodes = () => {
    if (!ops.nodes) throw badRequest('node operations are not available in this cluster')
    return ops.nodes
  }
  r.get(
    '/nodes',
    wrap(() => nodes().list()),
  )
  r.post(
    '/nodes',
    wrap(async (req) => ({name: await nodes().add(req.body?.name || undefined)})),
  )
  r.post(
    '/nodes/:name/stop',
    wrap(async (req) => (await nodes().stop(String(req.params.name)), {name: req.params.name})),
  )
  r.post(
    '/nodes/:name/start',
    wrap(async (req) => (await nodes().start(String(req.params.name)), {name: req.params.name})),
  )
  r.delete(
    '/nodes/:name',
    wrap(async (req) => (await nodes().delete(String(req.params.name)), {name: req.params.name})),
  )
  const addons = () => {
    if (!ops.addons) throw badRequest('addons are not available in this cluster')
    return ops.addons
  }
  r.get(
    '/addons',
    wrap(() => addons().list()),
  )
  r.post(
    '/addons/:name/enable',
    wrap((req) => addons().enable(String(req.params.name))),
  )
  r.post(
    '/addons/:name/disable',
    wrap(async (req) => (await addons().disable(String(req.params.name)), {name: req.params.name})),
  )
  const tunnel = () => {
    if (!ops.tunnel) throw badRequest('tunnels are not available in this cluster')
    return ops.tunnel
  }
  r.post(
    '/tunnel',
    wrap(() => tunnel().up()),
  )
  r.delete(
    '/tunnel',
    wrap(async () => (await tunnel().down(), {})),
  )
  if (ops.dashboard) {
    const d = ops.dashboard
    r.get(
      '/dashboard',
      wrap(() => d.info()),
    )
    r.post(
      '/dashboard/ticket',
      wrap(() => d.ticket()),
    )
  }
  r.post(
    '/trace',
    wrap((req) => {
      if (!ops.trace) throw badRequest('traces are not available in this cluster')
      return ops.trace(req.body ?? {})
    }),
  )
  r.get(
    '/services/:namespace/:name/urls',
    wrap(async (req) => {
      if (!ops.serviceURLs) throw badRequest('service URLs are not available in this cluster')
      return ops.serviceURLs(String(req.params.namespace), String(req.params.name))
    }),
  )
  return r
}
