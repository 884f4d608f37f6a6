// manager.ts: the controller manager (kube-controller-manager's role, and controller-runtime's Manager): it
// owns the shared informers, the client and the event recorder, gives each controller a work queue and one
// worker, and runs the loop of STYLE §2.6: a thrown error is a rate-limited retry, TerminalError is logged and
// dropped, {requeueAfterMs} is a delayed add on the cluster clock. Each sync runs in one store transaction. settle() and advance() let tests and
// `mkctl cluster time advance` run the cluster to a quiet state without sleeping.
import type {ResourceTable} from '../../../api/resources.js'
import type {Clock} from '../../clock.js'
import {VirtualClock} from '../../clock.js'
import type {Ids} from '../../ids.js'
import type {Runtime} from '../../runtime/types.js'
import type {Registry} from '../../registry/generic.js'
import type {Store} from '../../storage/store.js'
import {Client} from './client.js'
import {EventRecorder} from './events.js'
import {Informers} from './informer.js'
import {WorkQueue} from './queue.js'
import {
  TerminalError,
  keyOf,
  type Controller,
  type ControllerContext,
  type ControllerFactory,
  type SyncResult,
} from './types.js'

/** ManagerDeps are what the manager needs from the daemon. */
export interface ManagerDeps {
  registry: Registry
  store: Store
  resources: () => ResourceTable
  clock: Clock
  ids: Ids
  log?: (msg: string) => void
  timing?: 'fast' | 'realistic'
  runtime?: Runtime
}

interface Running {
  controller: Controller
  queue: WorkQueue
  done: Promise<void>
}

/**
 * SYNCS_PER_TURN is how many syncs the controllers run in one turn of the event loop before they let it turn. A
 * worker wakes in a microtask (queue.ts), so a burst whose syncs keep feeding each other's queues (a scale-out:
 * ReplicaSet → scheduler → kubelet) would run to its end before the daemon read another request: at 100,000 pods
 * the API answered nothing for ten minutes. A count, not a time, so small workloads (tests' twin clusters) run
 * exactly as before.
 */
export const SYNCS_PER_TURN = 500

/** ControllerManager runs controllers. */
export class ControllerManager {
  readonly informers: Informers
  readonly client: Client
  readonly events: EventRecorder
  private readonly running: Running[] = []
  private readonly pendingStart: Controller[] = []
  private started = false
  private syncSeq = 0
  /** turnSyncs counts syncs since the event loop last turned; pause is the wait for its next turn. */
  private turnSyncs = 0
  private pause: Promise<void> | undefined
  private readonly log: (msg: string) => void

  constructor(private readonly d: ManagerDeps) {
    this.log = d.log ?? (() => {})
    this.informers = new Informers(d.registry, d.resources)
    this.client = new Client({registry: d.registry, store: d.store, resources: d.resources})
    this.events = new EventRecorder(this.client, d.clock, {component: 'kube-controller-manager'}, this.log)
  }

  /** context is what controller factories receive. */
  context(): ControllerContext {
    return {
      client: this.client,
      informers: this.informers,
      clock: this.d.clock,
      ids: this.d.ids,
      events: this.events,
      log: this.log,
      timing: this.d.timing ?? 'fast',
      state: {get: (n) => this.d.store.getState(n), set: (n, v) => this.d.store.setState(n, v)},
      ...(this.d.runtime ? {runtime: this.d.runtime} : {}),
    }
  }

  /** add registers controllers (built by factories); after start() they start at once. */
  add(...items: (Controller | ControllerFactory)[]): void {
    for (const item of items) {
      const made = typeof item === 'function' ? item(this.context()) : item
      for (const c of Array.isArray(made) ? made : [made]) {
        if (this.started) this.run(c)
        else this.pendingStart.push(c)
      }
    }
  }

  /** remove stops one controller by name (a kubelet of a deleted or stopped node). */
  remove(name: string): void {
    const i = this.running.findIndex((r) => r.controller.name === name)
    if (i < 0) return
    const [r] = this.running.splice(i, 1)
    r!.queue.shutDown()
    r!.controller.stop?.()
  }

  /** has says whether a controller of that name runs. */
  has(name: string): boolean {
    return this.running.some((r) => r.controller.name === name)
  }

  /** enqueue adds a key to a running controller's queue (tests and node operations poke it). */
  enqueue(name: string, key: string): void {
    this.running.find((r) => r.controller.name === name)?.queue.add(key)
  }

  /** start fills the informers and starts every controller. */
  start(): void {
    if (this.started) return
    this.started = true
    // Informers for every watched resource exist before the first list, so all caches start at one revision.
    for (const c of this.pendingStart) for (const w of c.watches()) this.informers.for(w.resource)
    this.informers.start()
    for (const c of this.pendingStart.splice(0)) this.run(c)
  }

  private run(c: Controller): void {
    const queue = new WorkQueue(this.d.clock)
    const watches = c.watches()
    for (const w of watches) {
      const inf = this.informers.for(w.resource)
      inf.onChange((type, obj, old) => {
        if (queue === undefined) return
        const keys = w.keys ? w.keys(obj, type, old) : keyOf(obj)
        if (keys === undefined) return
        for (const k of Array.isArray(keys) ? keys : [keys]) queue.add(k)
      })
    }
    c.attach?.(queue)
    c.start?.()
    // The initial resync: every object of the primary resource is synced once (through its keys mapping).
    const primary = watches[0]
    if (primary) {
      for (const o of this.informers.for(primary.resource).list()) {
        const keys = primary.keys ? primary.keys(o, 'ADDED', undefined) : keyOf(o)
        if (keys !== undefined) for (const k of Array.isArray(keys) ? keys : [keys]) queue.add(k)
      }
    }
    const done = this.loop(c, queue)
    this.running.push({controller: c, queue, done})
  }

  private async loop(c: Controller, queue: WorkQueue): Promise<void> {
    for (;;) {
      // Before the worker sleeps or yields, still in the turn of its last sync (a later turn would let requests in
      // between, and twin clusters' seeded draws would come out in different orders).
      if (c.drain && (queue.len === 0 || this.turnSyncs >= SYNCS_PER_TURN)) this.drain(c)
      if (this.turnSyncs >= SYNCS_PER_TURN) await this.nextTurn()
      const key = await queue.get()
      if (key === undefined) return
      // The first sync of a turn notes when the loop next turns (its check phase), and the count starts over.
      if (this.turnSyncs++ === 0) setImmediate(() => (this.turnSyncs = 0))
      const id = ++this.syncSeq
      try {
        // A sync's writes commit together: one commit instead of one per write, and a sync that throws leaves
        // nothing half-done. (The part of an async sync after its first await runs outside the transaction.)
        // better-sqlite3 refuses a transaction function that returns a promise, so the result is passed out.
        let out: unknown
        this.d.store.transaction(() => {
          out = c.sync(key)
        })
        const res = (out instanceof Promise ? await out : out) as SyncResult | undefined
        if (res && res.retryError !== undefined) throw res.retryError
        queue.forget(key)
        if (res && res.requeueAfterMs !== undefined) queue.addAfter(key, res.requeueAfterMs)
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e)
        if (e instanceof TerminalError) {
          this.log(`${c.name} sync#${id} ${key}: giving up: ${msg}`)
          queue.forget(key)
        } else {
          if (queue.failuresOf(key) >= 3) this.log(`${c.name} sync#${id} ${key}: ${msg}`)
          queue.addRateLimited(key)
        }
      } finally {
        queue.done(key)
      }
    }
  }

  /** drain runs the controller's drain hook; what it throws is logged (it retries its own work). */
  private drain(c: Controller): void {
    try {
      c.drain!()
    } catch (e) {
      this.log(`${c.name} drain: ${e instanceof Error ? e.message : String(e)}`)
    }
  }

  /** nextTurn resolves in the event loop's next check phase, after the I/O (requests) that waited; one for all loops. */
  private nextTurn(): Promise<void> {
    this.pause ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        this.pause = undefined
        this.turnSyncs = 0
        resolve()
      }),
    )
    return this.pause
  }

  /** busy: some queue has work or events wait to be written. */
  get busy(): boolean {
    return this.events.busy || this.running.some((r) => r.queue.busy)
  }

  /**
   * settle resolves once every controller is idle: no key waits or is being synced and no event is unwritten.
   * It waits through a few quiet turns of the event loop, since a sync may schedule work with setImmediate.
   */
  async settle(maxTurns = 1_000_000): Promise<void> {
    let quiet = 0
    for (let turn = 0; turn < maxTurns; turn++) {
      await new Promise<void>((r) => setImmediate(r))
      if (this.busy) quiet = 0
      else if (++quiet >= 3) return
    }
    throw new Error('controllers did not settle')
  }

  /**
   * advance moves a VirtualClock on by ms, stopping at every timer on the way and settling after it, so work that
   * a timer starts (a restart after back-off, a CronJob's next run) happens at its own time.
   */
  async advance(ms: number): Promise<void> {
    const clock = this.d.clock
    if (!(clock instanceof VirtualClock)) throw new Error('this clock cannot be advanced')
    await this.settle()
    const target = clock.now() + ms
    // The clock's lead over real time grows by exactly ms, however long the steps take in real time.
    const targetOffset = clock.offsetMs + ms
    for (;;) {
      const next = clock.nextTimerAt()
      if (next === undefined || next > target) break
      clock.advance(Math.max(0, Math.min(next - clock.now(), targetOffset - clock.offsetMs)))
      await this.settle()
    }
    clock.advance(Math.max(0, targetOffset - clock.offsetMs))
    await this.settle()
  }

  /** stop shuts every queue and informer down. */
  async stop(): Promise<void> {
    this.events.flush()
    for (const r of this.running) {
      r.queue.shutDown()
      r.controller.stop?.()
    }
    // What the controllers wrote as they stopped (the scheduler's last Bindings, the kubelets' last statuses)
    // may have recorded events too.
    this.events.flush()
    await Promise.all(this.running.map((r) => r.done))
    this.running.length = 0
    this.informers.stop()
  }
}
