// types.ts: the controller contract (STYLE §2.6, after controller-runtime's Reconciler and sample-controller's
// syncHandler). A controller names what it watches and how a change maps to keys; framework/manager.ts owns the
// loop, the queue and the retries, and calls sync(key) one key at a time.
import type {KubeObject} from '../../../api/object.js'
import type {Clock} from '../../clock.js'
import type {Ids} from '../../ids.js'
import type {Runtime} from '../../runtime/types.js'
import type {Client} from './client.js'
import type {EventRecorder} from './events.js'
import type {Informers} from './informer.js'

/**
 * ResourceRef names a resource as "plural" for the core group or "group/plural" ("apps/deployments",
 * "batch/jobs", "coordination.k8s.io/leases"). The version is the resource's storage version.
 */
export type ResourceRef = string

/** SyncResult tells the loop what to do after a successful sync. */
export interface SyncResult {
  /** requeueAfterMs adds the key again after this many ms of cluster (clock) time. */
  requeueAfterMs?: number
  /**
   * retryError: the sync failed part-way, but what it wrote stands (each upstream write is its own API call): the
   * writes commit and the key is retried with back-off, as after a throw, which would roll them back.
   */
  retryError?: unknown
}

/** TerminalError is logged and dropped: retrying cannot help (controller-runtime's TerminalError). */
export class TerminalError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'TerminalError'
  }
}

/** WatchEventType is the kind of change an informer saw. */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED'

/**
 * WatchSpec wires one informer to the controller's queue. keys maps a changed object to the keys to sync;
 * the default is the object's own key ("ns/name", or "name" when cluster-scoped). `old` is the previous state
 * on MODIFIED (owner changes must enqueue both owners, as the replicaset controller's updatePod does).
 */
export interface WatchSpec {
  resource: ResourceRef
  keys?: (obj: KubeObject, type: WatchEventType, old: KubeObject | undefined) => string | string[] | undefined
}

/** ControllerContext is what every controller is built with. */
export interface ControllerContext {
  client: Client
  informers: Informers
  clock: Clock
  ids: Ids
  events: EventRecorder
  log: (msg: string) => void
  /** timing is the kubelet/runtime delay profile (`--timing`). */
  timing: 'fast' | 'realistic'
  /** state keeps small daemon settings across restarts (which nodes are stopped); not Kubernetes objects. */
  state: {get(name: string): string | undefined; set(name: string, value: string | undefined): void}
  /** runtime is the simulated container runtime the kubelets drive (absent in tests that do not need it). */
  runtime?: Runtime
}

/** ControllerQueue is what a controller may do to its own queue: add a key, or retry one with back-off. */
export interface ControllerQueue {
  add(key: string): void
  addRateLimited(key: string): void
}

/** Controller is one level-based reconciler. */
export interface Controller {
  /** name appears in logs ("deployment", "replicaset", "scheduler", "kubelet/mkctl-m02"). */
  readonly name: string
  /** watches lists the informers whose changes enqueue keys; the first is the primary resource. */
  watches(): WatchSpec[]
  /**
   * sync reconciles one key. Throw to retry with back-off, throw TerminalError to give up on this change,
   * return {requeueAfterMs} to be called again later. Reads come from the informers; writes go through the
   * client.
   */
  sync(key: string): Promise<SyncResult | void> | SyncResult | void
  /** start runs once the informers hold the current state, before the first sync (timers, leases). */
  start?(): void
  /**
   * attach hands the controller its own queue, for work that finishes outside a sync (the scheduler's bindings) and
   * must be retried as a failed sync is.
   */
  attach?(queue: ControllerQueue): void
  /**
   * drain runs when the worker has no key left to sync, or is about to let the event loop turn, in the same turn as
   * the syncs before it: work gathered over many syncs is written here in one go (the scheduler's Bindings).
   */
  drain?(): void
  /** stop releases timers. */
  stop?(): void
}

/** ControllerFactory builds a controller from the shared context. */
export type ControllerFactory = (ctx: ControllerContext) => Controller | Controller[]

/** splitKey splits "ns/name" or "name" into namespace and name. */
export function splitKey(key: string): {namespace: string | undefined; name: string} {
  const i = key.indexOf('/')
  return i < 0 ? {namespace: undefined, name: key} : {namespace: key.slice(0, i), name: key.slice(i + 1)}
}

/** keyOf is the queue key of an object: "ns/name", or "name" when it has no namespace. */
export function keyOf(obj: KubeObject): string {
  const m = obj.metadata ?? {}
  return m.namespace ? `${m.namespace}/${m.name}` : String(m.name)
}
