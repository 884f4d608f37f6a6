// main.ts wires the daemon together and is also its library entry: startDaemon() builds the cluster core
// (cluster.ts: store, registry, bootstrap, controllers) and puts the API server in front of it on 127.0.0.1
// (HTTPS, bearer token). Tests and the batch grader call it in-process with port 0, ':memory:' and a FakeClock.
import {randomBytes} from 'node:crypto'
import type http from 'node:http'
import https from 'node:https'
import type {AddressInfo} from 'node:net'
import type {ResourceTable} from '../api/resources.js'
import {closeWatches, createApiServer} from './apiserver/app.js'
import {loadOpenAPI} from './apiserver/openapi.js'
import {Addons} from './addons/index.js'
import {loadAdminRouter} from './apiserver/load-admin.js'
import {LoadGenerator} from './network/load.js'
import {metricsAggregatedGroup, metricsApi, metricsApiGroup, metricsServing} from './metrics/api.js'
import {HostGateway} from './network/host.js'
import {trace, type TraceRequest} from './network/trace.js'
import {createStreaming, streamUpgrades} from './streaming/index.js'
import {createCluster, type Cluster, type ClusterOptions} from './cluster.js'
import {VirtualClock, type Clock} from './clock.js'
import type {AdminOps, NodeInfo} from './apiserver/admin.js'
import {addNode, deleteNode, startNode, stopNode, stoppedStateKey} from './kubelet/index.js'
import type {Ids} from './ids.js'
import type {Registry} from './registry/generic.js'
import {startCompactor} from './storage/compactor.js'
import {startRowWarmer} from './apiserver/row-warmer.js'
import {convertorFor} from './registry/tables/index.js'
import type {Store} from './storage/store.js'
import type {TLSMaterial} from './tls.js'
import {dirname} from 'node:path'
import {LabService} from './journal/index.js'
import {labAdminRouter} from './apiserver/lab-admin.js'
import {labOpsRouter} from './apiserver/lab-ops.js'
import {snapshotAdminRouter} from './apiserver/snapshot-admin.js'
import {inspectSnapshot, restorePath} from './storage/snapshot.js'
import {Dashboard} from './dashboard/index.js'

/** DaemonOptions configure one daemon. */
export interface DaemonOptions extends Omit<ClusterOptions, 'caCert' | 'openapi'> {
  /** port 0 (the default) picks a free port. */
  port?: number
  /** token is the bearer token clients must send; random when absent. */
  token?: string
  /** tls is the serving certificate; one is made in memory when absent. */
  tls?: TLSMaterial
  /** compaction runs every intervalMs when set (off by default, as tests want). */
  compactEveryMs?: number
  /** warmRowsAfterMs: pods' Table rows are made once pods went this long unchanged (row-warmer.ts; off if unset). */
  warmRowsAfterMs?: number
}

/** Daemon is a running daemon. */
export interface Daemon {
  url: string
  port: number
  token: string
  caCert: string
  registry: Registry
  store: Store
  clock: Clock
  ids: Ids
  resources: () => ResourceTable
  /** cluster is the core behind the API (its manager settles and advances the simulation). */
  cluster: Cluster
  /**
   * serve also answers the API on another server (the lab grader's plain-HTTP listener for its in-process mkctl):
   * the same request handler and stream upgrades as the daemon's own HTTPS server.
   */
  serve(server: http.Server): void
  stop(): Promise<void>
}

/** startDaemon starts a daemon and resolves once it listens. */
export async function startDaemon(opts: DaemonOptions): Promise<Daemon> {
  const log = opts.log ?? (() => {})
  const token = opts.token ?? randomBytes(24).toString('hex')
  // The certificate library is loaded only when a certificate must be made (not on a resumed profile).
  const tls = opts.tls ?? (await (await import('./tls.js')).generateTLS())
  const openapi = loadOpenAPI()
  const cluster = createCluster({...opts, caCert: tls.caCert, openapi})
  const {registry, store, clock, ids, resources} = cluster

  const compactor = opts.compactEveryMs
    ? startCompactor(store, {intervalMs: opts.compactEveryMs, keepInterval: true})
    : undefined

  const podInformer = cluster.manager.informers.existing('pods')
  const pods = resources().lookup('', 'v1', 'pods')
  const warmer =
    opts.warmRowsAfterMs && podInformer && pods
      ? startRowWarmer(store, pods, podInformer, convertorFor('', 'Pod'), {quietMs: opts.warmRowsAfterMs})
      : undefined

  let address = '127.0.0.1:0'
  const gateway = new HostGateway(cluster)
  const addons = new Addons(cluster, gateway)
  const loads = new LoadGenerator(cluster, gateway)
  const lab = new LabService({
    dir: opts.dbPath === ':memory:' ? undefined : dirname(opts.dbPath),
    store,
    registry,
    resources,
    clock,
  })
  // The dashboard's listener opens at its first ticket (`mkctl cluster dashboard`), its pages load at first use.
  const dashboard = new Dashboard({cluster, gateway, lab})
  const admin: AdminOps = {
    addons,
    serviceURLs: (ns, name) => gateway.serviceURLs(ns, name),
    trace: (req) => trace(cluster, gateway, req as TraceRequest),
    tunnel: {up: () => gateway.tunnelUp(), down: () => gateway.tunnelDown()},
    now: () => clock.now(),
    offsetMs: () => (clock instanceof VirtualClock ? clock.offsetMs : 0),
    advance: (ms) => cluster.advance(ms),
    nodes: nodeOps(cluster),
    lab: labAdminRouter(lab),
    labOps: labOpsRouter(cluster),
    load: loadAdminRouter(loads),
    snapshots: snapshotAdminRouter({
      ...(opts.dbPath === ':memory:' ? {} : {dir: dirname(opts.dbPath), dbPath: opts.dbPath}),
      save: (path) => store.backup(path),
      inspect: inspectSnapshot,
      stagePath: restorePath,
    }),
    dashboard,
  }
  const streamDeps = {cluster, token}
  const app = createApiServer({
    registry,
    clock,
    token,
    state: store,
    resources,
    openapi,
    admin,
    streaming: createStreaming(streamDeps),
    onRequest: (req, res) => lab.onRequest(req, res),
    metrics: metricsApi(cluster),
    metricsServing: () => metricsServing(cluster),
    metricsGroups: {aggregated: metricsAggregatedGroup, legacy: metricsApiGroup},
    serverAddress: () => address,
  })
  const server = https.createServer({cert: tls.cert, key: tls.key}, app)
  streamUpgrades(server, streamDeps)
  server.keepAliveTimeout = 65_000
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(opts.port ?? 0, '127.0.0.1', () => resolve())
    })
  } catch (e) {
    // Nothing listens: release the database (and its lock) so the caller may try another port.
    compactor?.stop()
    warmer?.stop()
    await cluster.stop()
    throw e
  }
  const port = (server.address() as AddressInfo).port
  address = `127.0.0.1:${port}`
  await addons.resume()
  log(`listening on https://${address}`)

  let stopped = false
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    token,
    caCert: tls.caCert,
    registry,
    store,
    clock,
    ids,
    resources,
    cluster,
    serve(other) {
      other.on('request', app)
      // streamUpgrades only listens to 'upgrade', which both kinds of server emit alike.
      streamUpgrades(other as unknown as https.Server, streamDeps)
    },
    async stop() {
      if (stopped) return
      stopped = true
      compactor?.stop()
      warmer?.stop()
      closeWatches(app)
      loads.stopAll()
      await dashboard.close()
      await gateway.close()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      await cluster.stop()
    },
  }
}

/** nodeOps are `mkctl cluster node ...` on a running cluster: the kubelets' node operations, then a settle. */
function nodeOps(cluster: Cluster): AdminOps['nodes'] {
  const ctx = cluster.manager.context()
  const nodesR = () => cluster.resources().lookup('', 'v1', 'nodes')!
  const settled = async <T>(fn: () => T): Promise<T> => {
    const out = fn()
    await cluster.manager.settle()
    return out
  }
  return {
    list: (): NodeInfo[] =>
      cluster.registry.list(nodesR(), undefined).items.map((n: any) => ({
        name: n.metadata.name,
        ip: (n.status?.addresses ?? []).find((a: any) => a.type === 'InternalIP')?.address ?? '',
        stopped: Boolean(cluster.store.getState(stoppedStateKey(n.metadata.name))),
        ready: (n.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True'),
      })),
    add: (name) => settled(() => String(addNode(ctx, name).metadata?.name)),
    stop: (name) => settled(() => stopNode(ctx, name)),
    start: (name) => settled(() => startNode(ctx, name)),
    delete: (name) => settled(() => deleteNode(ctx, name)),
  }
}
