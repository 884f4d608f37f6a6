// main.ts wires the daemon together and is also its library entry: startDaemon() opens the store, builds the
// registry and API server, bootstraps a fresh cluster, and listens on 127.0.0.1 (HTTPS, bearer token).
// Tests and the batch grader call it in-process with port 0, ':memory:' and a FakeClock (DESIGN §2).
import {randomBytes} from 'node:crypto'
import https from 'node:https'
import type {AddressInfo} from 'node:net'
import {ResourceTable, RESOURCES, type ResourceInfo} from '../api/resources.js'
import {closeWatches, createApiServer} from './apiserver/app.js'
import {loadOpenAPI} from './apiserver/openapi.js'
import {bootstrapCluster, type ClusterShape} from './bootstrap.js'
import {VirtualClock, type Clock} from './clock.js'
import {makeIds, type Ids} from './ids.js'
import {crdResources, watchCRDs} from './crds.js'
import {startNamespaceDefaults} from './controllers/namespace-defaults.js'
import {Registry} from './registry/generic.js'
import {allocationsOf, createAllocators} from './registry/allocators.js'
import {openDatabase} from './storage/db.js'
import {startCompactor} from './storage/compactor.js'
import {Store} from './storage/store.js'
import type {TLSMaterial} from './tls.js'

/** DaemonOptions configure one daemon. */
export interface DaemonOptions {
  /** dbPath is the SQLite file, or ':memory:'. */
  dbPath: string
  clock?: Clock
  seed?: number
  /** port 0 (the default) picks a free port. */
  port?: number
  /** token is the bearer token clients must send; random when absent. */
  token?: string
  /** tls is the serving certificate; one is made in memory when absent. */
  tls?: TLSMaterial
  /** cluster shapes the bootstrap of a fresh store (profile name, nodes, capacity). */
  cluster?: Partial<ClusterShape>
  /** compaction runs every intervalMs when set (off by default, as tests want). */
  compactEveryMs?: number
  log?: (msg: string) => void
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
  stop(): Promise<void>
}

/** startDaemon starts a daemon and resolves once it listens. */
export async function startDaemon(opts: DaemonOptions): Promise<Daemon> {
  const log = opts.log ?? (() => {})
  const clock = opts.clock ?? new VirtualClock()
  const ids = makeIds(opts.seed)
  const token = opts.token ?? randomBytes(24).toString('hex')
  // The certificate library is loaded only when a certificate must be made (not on a resumed profile).
  const tls = opts.tls ?? (await (await import('./tls.js')).generateTLS())
  const db = openDatabase(opts.dbPath)
  const store = new Store(db, {log})

  let table = new ResourceTable(RESOURCES)
  const resources = () => table
  const setCustom = (custom: ResourceInfo[]) => {
    table = new ResourceTable([...RESOURCES, ...custom])
  }

  const svcR = table.all.find((r) => r.group === '' && r.kind === 'Service')!
  const registry: Registry = new Registry({
    store,
    clock,
    ids,
    resources,
    // Cluster IPs and node ports are read from the stored Services on each allocation, so nothing leaks.
    allocators: createAllocators({random: ids.random, existing: () => allocationsOf(registry.list(svcR, undefined).items)}),
    onNamespaceDeleting: (name) => setImmediate(() => registry.finalizeNamespace(name)),
  })
  const openapi = loadOpenAPI()

  setCustom(crdResources(registry, resources))
  const stopCRDs = watchCRDs(registry, resources, setCustom, clock, (gv, doc) => openapi.setCustomDocument(gv, doc))

  // One transaction: a fresh cluster appears whole, and with one commit instead of ~40.
  store.transaction(() => bootstrapCluster(registry, resources(), clock, ids, opts.cluster ?? {}))
  const stopNamespaceDefaults = startNamespaceDefaults(registry, resources, tls.caCert)

  const compactor = opts.compactEveryMs ? startCompactor(store, {intervalMs: opts.compactEveryMs}) : undefined

  let address = '127.0.0.1:0'
  const app = createApiServer({registry, clock, token, resources, openapi, serverAddress: () => address})
  const server = https.createServer({cert: tls.cert, key: tls.key}, app)
  server.keepAliveTimeout = 65_000
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(opts.port ?? 0, '127.0.0.1', () => resolve())
    })
  } catch (e) {
    // Nothing listens: release the database (and its lock) so the caller may try another port.
    compactor?.stop()
    stopCRDs()
    stopNamespaceDefaults()
    store.close()
    throw e
  }
  const port = (server.address() as AddressInfo).port
  address = `127.0.0.1:${port}`
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
    async stop() {
      if (stopped) return
      stopped = true
      compactor?.stop()
      stopCRDs()
      stopNamespaceDefaults()
      closeWatches(app)
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      store.close()
    },
  }
}
