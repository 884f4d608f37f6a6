// cluster.ts assembles a cluster without its HTTP front: the store, the registry, the bootstrap of a fresh
// store, and the controller manager with every controller, scheduler and kubelet. startDaemon() puts the API
// server in front of it; controller and end-to-end tests use it directly on ':memory:' with a FakeClock.
import {ResourceTable, RESOURCES, type ResourceInfo} from '../api/resources.js'
import {bootstrapCluster, type ClusterShape} from './bootstrap.js'
import {VirtualClock, type Clock} from './clock.js'
import {makeIds, type Ids} from './ids.js'
import {crdResources, watchCRDs} from './crds.js'
import {startNamespaceDefaults} from './controllers/namespace-defaults.js'
import {ControllerManager} from './controllers/framework/manager.js'
import {refOf} from './controllers/framework/informer.js'
import {serveRowsFrom} from './apiserver/list-stream.js'
import {ADMISSION, CONTROLLERS} from './controllers/index.js'
import {Registry} from './registry/generic.js'
import {ClusterNetwork} from './network/index.js'
import {createRuntime, type SimRuntime} from './runtime/index.js'
import {allocationsOf, createAllocators} from './registry/allocators.js'
import {openDatabase} from './storage/db.js'
import {Store} from './storage/store.js'
import type {OpenAPIService} from './apiserver/openapi.js'
import type {AdmissionPlugin} from './registry/types.js'

/** Timing is the kubelet and runtime delay profile. */
export type Timing = 'fast' | 'realistic'

/** ClusterOptions configure one cluster core. */
export interface ClusterOptions {
  /** dbPath is the SQLite file, or ':memory:'. */
  dbPath: string
  clock?: Clock
  seed?: number
  /** ids replaces the seeded source of uids and name suffixes (tests that need a given draw). */
  ids?: Ids
  /** cluster shapes the bootstrap of a fresh store (profile name, nodes, capacity). */
  cluster?: Partial<ClusterShape>
  /** timing: 'fast' (no artificial delay, the default) or 'realistic' (pulls and starts take about a second). */
  timing?: Timing
  /** controllers: false runs the API alone (no controllers, scheduler or kubelets). */
  controllers?: boolean
  /** caCert is published in every namespace's kube-root-ca.crt. */
  caCert?: string
  /** openapi receives the documents of CRDs as they are established. */
  openapi?: OpenAPIService
  log?: (msg: string) => void
}

/** Cluster is a running cluster core. */
export interface Cluster {
  store: Store
  registry: Registry
  resources: () => ResourceTable
  clock: Clock
  ids: Ids
  /** manager runs the controllers; settle() and advance() drive them in tests. */
  manager: ControllerManager
  /** runtime is the simulated container runtime (images, processes, logs) behind every kubelet. */
  runtime: SimRuntime
  timing: Timing
  /** network is the simulated cluster network (DNS, services, policies), made on first use. */
  readonly network: ClusterNetwork
  /** advance moves the virtual clock on (`mkctl cluster time advance`), in order, and remembers the offset. */
  advance(ms: number): Promise<void>
  stop(): Promise<void>
}

/** CLOCK_OFFSET_STATE is the daemon_state row keeping how far `cluster time advance` moved the clock. */
const CLOCK_OFFSET_STATE = 'clock_offset_ms'

/** createCluster opens the store and starts everything but the HTTP server. */
export function createCluster(opts: ClusterOptions): Cluster {
  const log = opts.log ?? (() => {})
  const clock = opts.clock ?? new VirtualClock()
  const ids = opts.ids ?? makeIds(opts.seed)
  const db = openDatabase(opts.dbPath, {log})
  const store = new Store(db, {log})
  // A resumed cluster keeps the virtual time it had been advanced to.
  const savedOffset = Number(store.getState(CLOCK_OFFSET_STATE) ?? 0)
  if (clock instanceof VirtualClock && savedOffset > clock.offsetMs) clock.advance(savedOffset - clock.offsetMs)

  let table = new ResourceTable(RESOURCES)
  const resources = () => table
  const setCustom = (custom: ResourceInfo[]) => {
    table = new ResourceTable([...RESOURCES, ...custom])
  }
  const admission: AdmissionPlugin[] = []
  const svcR = table.all.find((r) => r.group === '' && r.kind === 'Service')!
  const registry: Registry = new Registry({
    store,
    clock,
    ids,
    resources,
    // Cluster IPs and node ports are read from the stored Services on each allocation, so nothing leaks.
    allocators: createAllocators({
      random: ids.stream('service-allocation'),
      existing: () => allocationsOf(registry.list(svcR, undefined).items),
    }),
    // With controllers, the namespace controller empties a terminating namespace; without them the registry does.
    ...(opts.controllers === false
      ? {onNamespaceDeleting: (name: string) => setImmediate(() => registry.finalizeNamespace(name))}
      : {}),
    admission,
  })
  setCustom(crdResources(registry, resources))
  const stopCRDs = watchCRDs(registry, resources, setCustom, clock, (gv, doc) =>
    opts.openapi?.setCustomDocument(gv, doc),
  )

  // One transaction: a fresh cluster appears whole, and with one commit instead of ~40.
  store.transaction(() => bootstrapCluster(registry, resources(), clock, ids, opts.cluster ?? {}))
  const stopNamespaceDefaults = startNamespaceDefaults(registry, resources, opts.caCert ?? '')

  const timing = opts.timing ?? 'fast'
  const runtime = createRuntime({clock, ids, timing})
  const manager = new ControllerManager({registry, store, resources, clock, ids, log, timing, runtime})
  // Admission plugins read cluster state through the registry they guard (and the shared informers for a quick
  // "is there anything to check" look), so they are made after both.
  admission.push(...ADMISSION.map((make) => make({registry, resources, clock, informers: manager.informers})))
  manager.informers.start()
  // Table lists (get pods) read rows' objects from the informers, where they are already decoded.
  serveRowsFrom(store, (r, key) => manager.informers.existing(refOf(r))?.getByKey(key))
  if (opts.controllers !== false) {
    manager.add(...CONTROLLERS)
    manager.start()
  }

  let stopped = false
  let network: ClusterNetwork | undefined
  return {
    store,
    registry,
    resources,
    clock,
    ids,
    manager,
    runtime,
    timing,
    get network() {
      return (network ??= new ClusterNetwork({informers: manager.informers, runtime, clock}))
    },
    async advance(ms) {
      await manager.advance(ms)
      if (clock instanceof VirtualClock) store.setState(CLOCK_OFFSET_STATE, String(clock.offsetMs))
    },
    async stop() {
      if (stopped) return
      stopped = true
      await manager.stop()
      stopCRDs()
      stopNamespaceDefaults()
      if (clock instanceof VirtualClock) store.setState(CLOCK_OFFSET_STATE, String(clock.offsetMs))
      store.close()
    },
  }
}
