// cluster.ts: a cluster core without HTTP for controller tests. fixture() seeds objects, starts only the
// controllers under test, and lets a test run one sync and compare the client's recorded actions (the
// sample-controller fixture style, STYLE §2.6), or run them all to a quiet state with settle()/advance().
import type {KubeObject} from '../../src/api/object.js'
import {FakeClock} from '../../src/daemon/clock.js'
import {createCluster, type Cluster, type ClusterOptions} from '../../src/daemon/cluster.js'
import type {ClientAction} from '../../src/daemon/controllers/framework/client.js'
import {resolveResource} from '../../src/daemon/controllers/framework/informer.js'
import type {Controller, ControllerContext} from '../../src/daemon/controllers/framework/types.js'

/** Fixture is a cluster core with a chosen set of controllers. */
export interface Fixture {
  cluster: Cluster
  clock: FakeClock
  ctx: ControllerContext
  /** seed creates objects through the registry (validation and defaulting apply); returns the stored objects. */
  seed(resource: string, ...objs: KubeObject[]): KubeObject[]
  /** get reads a stored object or undefined. */
  get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined
  /** list reads stored objects of a resource (in a namespace). */
  list(resource: string, namespace?: string): KubeObject[]
  /** start starts the informers and the given controllers in the manager's loop. */
  start(...controllers: Controller[]): void
  /** syncOnce runs one sync of c for key with the client recording, and returns the actions. */
  syncOnce(c: Controller, key: string): Promise<ClientAction[]>
  /**
   * transactions records, per outermost store transaction until stop(), the names of the client actions pick selects
   * (the client records meanwhile): which writes shared one commit.
   */
  transactions(pick: (a: ClientAction) => boolean): {batches: string[][]; stop(): void}
  settle(): Promise<void>
  advance(ms: number): Promise<void>
  stop(): Promise<void>
}

/** fixture builds a cluster core (1 node unless opts.cluster says otherwise) with no controllers running. */
export function fixture(opts: Partial<ClusterOptions> = {}): Fixture {
  const clock = new FakeClock()
  const cluster = createCluster({dbPath: ':memory:', clock, seed: 1, ...opts, controllers: false})
  const m = cluster.manager
  const ctx = m.context()
  const res = (ref: string) => resolveResource(cluster.resources(), ref)
  let informersStarted = false
  const startInformers = () => {
    if (!informersStarted) m.informers.start()
    informersStarted = true
  }
  return {
    cluster,
    clock,
    ctx,
    seed: (resource, ...objs) => objs.map((o) => cluster.registry.create(res(resource), o.metadata?.namespace, o)),
    get: (resource, ns, name) => cluster.registry.tryGet(res(resource), ns, name),
    list: (resource, ns) => cluster.registry.list(res(resource), ns).items,
    start(...controllers) {
      m.add(...controllers)
      startInformers()
      m.start()
    },
    async syncOnce(c, key) {
      for (const w of c.watches()) m.informers.for(w.resource)
      startInformers()
      m.client.actions.length = 0
      m.client.record = true
      try {
        await c.sync(key)
      } finally {
        m.client.record = false
      }
      m.events.flush()
      return [...m.client.actions]
    },
    transactions(pick) {
      const store = cluster.store
      const transaction = store.transaction.bind(store)
      const batches: string[][] = []
      let depth = 0
      store.transaction = <T>(fn: () => T): T => {
        const from = m.client.actions.length
        try {
          depth++
          return transaction(fn)
        } finally {
          if (--depth === 0) {
            const names = m.client.actions
              .slice(from)
              .filter(pick)
              .map((a) => a.name)
            if (names.length > 0) batches.push(names)
          }
        }
      }
      m.client.record = true
      return {
        batches,
        stop() {
          m.client.record = false
          store.transaction = transaction
        },
      }
    },
    settle: () => m.settle(),
    advance: (ms) => m.advance(ms),
    stop: () => cluster.stop(),
  }
}
