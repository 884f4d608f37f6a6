// harness.ts: a Registry on an in-memory store with the allocators wired, as main.ts wires them, plus the
// namespaces and objects a test needs. Used by the kinds tests.
import type {AdmissionPlugin} from '../../../../src/daemon/registry/types.js'
import {ADMISSION} from '../../../../src/daemon/controllers/index.js'
import {ResourceTable, RESOURCES, type ResourceInfo} from '../../../../src/api/resources.js'
import type {KubeObject} from '../../../../src/api/object.js'
import {StatusError} from '../../../../src/api/errors.js'
import {FakeClock} from '../../../../src/daemon/clock.js'
import {makeIds} from '../../../../src/daemon/ids.js'
import {allocationsOf, createAllocators} from '../../../../src/daemon/registry/allocators.js'
import {Registry} from '../../../../src/daemon/registry/generic.js'
import {openDatabase} from '../../../../src/daemon/storage/db.js'
import {Store} from '../../../../src/daemon/storage/store.js'

/** Harness is a registry plus helpers to create objects by kind. */
export interface Harness {
  registry: Registry
  table: ResourceTable
  r(group: string, kind: string): ResourceInfo
  create(obj: KubeObject, ns?: string): KubeObject
  update(obj: KubeObject, ns?: string): KubeObject
  /** createError returns the message of the StatusError a create throws. */
  createError(obj: KubeObject, ns?: string): string
  updateError(obj: KubeObject, ns?: string): string
  close(): void
}

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0]! : ''
}

/** makeHarness builds a registry with the default namespace and a default StorageClass. */
export function makeHarness(seed = 1): Harness {
  const table = new ResourceTable(RESOURCES)
  const store = new Store(openDatabase(':memory:'), {log: () => {}})
  const ids = makeIds(seed)
  const svcR = table.all.find((x) => x.kind === 'Service' && x.group === '')!
  // The allocators read the registry lazily, as main.ts wires them.
  const allocators = createAllocators({
    random: ids.random,
    existing: () => allocationsOf(registry.list(svcR, undefined).items),
  })
  // The admission plugins run as in the daemon (DefaultTolerationSeconds, LimitRanger, ResourceQuota, ...).
  const admission: AdmissionPlugin[] = []
  const clock = new FakeClock()
  const registry: Registry = new Registry({store, clock, ids, resources: () => table, allocators, admission})
  admission.push(...ADMISSION.map((make) => make({registry, resources: () => table, clock})))
  const r = (group: string, kind: string) =>
    table.all.find((x) => x.group === group && x.kind === kind && !x.storageOf)!
  const reg = registry
  reg.create(r('', 'Namespace'), undefined, {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'default'}})
  const of = (o: KubeObject) => r(groupOf(String(o.apiVersion)), String(o.kind))
  const create = (o: KubeObject, ns = 'default') =>
    reg.create(of(o), of(o).namespaced ? ns : undefined, structuredClone(o))
  const update = (o: KubeObject, ns = 'default') =>
    reg.update(of(o), of(o).namespaced ? ns : undefined, String(o.metadata?.name), structuredClone(o)).object
  const message = (fn: () => unknown) => {
    try {
      fn()
    } catch (e) {
      if (e instanceof StatusError) return e.message
      throw e
    }
    throw new Error('expected an error')
  }
  return {
    registry: reg,
    table,
    r,
    create,
    update,
    createError: (o, ns) => message(() => create(o, ns)),
    updateError: (o, ns) => message(() => update(o, ns)),
    close: () => store.close(),
  }
}

/** strip drops the fields every created object carries and that change per run. */
export function strip(o: KubeObject): KubeObject {
  const c = structuredClone(o)
  const m = c.metadata as Record<string, unknown>
  for (const f of ['uid', 'creationTimestamp', 'resourceVersion', 'managedFields']) delete m[f]
  return c
}
