// garbage-collector.ts: the garbage collector (kubernetes pkg/controller/garbagecollector). It follows every
// resource that can carry ownerReferences and
// - deletes dependents whose owners are all gone (background cascade: the owner went at once),
// - for an owner deleted with propagationPolicy=Foreground (finalizer `foregroundDeletion`) deletes its
//   dependents first and removes the finalizer once no dependent with blockOwnerDeletion is left,
// - for an owner deleted with propagationPolicy=Orphan (finalizer `orphan`) removes the ownerReferences that
//   point at it from its dependents, then the finalizer.
// Upstream keeps a uid graph fed by informers; here each informer gets an index of owner uids, which answers
// "who depends on uid X" directly, and the caches are current as soon as a write returns. A vanished owner's
// dependents are handled in one sync and one store transaction, so a cascade over 1,000 pods is one commit.
import type {KubeObject} from '../../api/object.js'
import {BUILTIN, parseApiVersion, type ResourceInfo} from '../../api/resources.js'
import {StatusError} from '../../api/errors.js'
import {FOREGROUND_FINALIZER, ORPHAN_FINALIZER} from '../registry/generic.js'
import type {Informer} from './framework/informer.js'
import type {OwnerReference} from './framework/owner.js'
import type {
  Controller,
  ControllerContext,
  ControllerFactory,
  ResourceRef,
  SyncResult,
  WatchEventType,
  WatchSpec,
} from './framework/types.js'

/** RETRY_MS is when a sync with a failed write comes back (cluster time). */
const RETRY_MS = 1_000

/** GC_OWNER_INDEX files objects under the uid of every owner they reference. */
export const GC_OWNER_INDEX = 'gc-owner'

type OwnerState = 'solid' | 'dangling' | 'waiting' | 'unknown'

/** refOf is the ResourceRef of a table entry ("pods", "apps/replicasets"), by its storage group and plural. */
function refOf(r: ResourceInfo): ResourceRef {
  const g = r.storageOf?.group ?? r.group
  const p = r.storageOf?.plural ?? r.plural
  return g ? `${g}/${p}` : p
}

/**
 * gcResources lists the resources the collector follows: every built-in resource that can be listed, watched
 * and deleted, except Events (the real collector ignores them too: many writes, never owners).
 */
export function gcResources(): ResourceRef[] {
  const out: ResourceRef[] = []
  for (const r of BUILTIN.all) {
    if (r.storageOf || r.custom) continue
    if (!['list', 'watch', 'delete'].every((v) => r.verbs.includes(v))) continue
    if (r.group === '' && r.kind === 'Event') continue
    const ref = refOf(r)
    if (!out.includes(ref)) out.push(ref)
  }
  return out
}

function ownerRefs(o: KubeObject | undefined): OwnerReference[] {
  return (o?.metadata?.ownerReferences as OwnerReference[] | undefined) ?? []
}

function finalizersOf(o: KubeObject): string[] {
  return (o.metadata?.finalizers as string[] | undefined) ?? []
}

/** deletingDependents: the object waits for its dependents' deletion (foreground). */
function deletingDependents(o: KubeObject): boolean {
  return !!o.metadata?.deletionTimestamp && finalizersOf(o).includes(FOREGROUND_FINALIZER)
}

function guessPlural(kind: string): string {
  const l = kind.toLowerCase()
  if (l.endsWith('s')) return l + 'es'
  if (l.endsWith('y')) return l.slice(0, -1) + 'ies'
  return l + 's'
}

function objKey(ref: ResourceRef, ns: string | undefined, name: string): string {
  return `o|${ref}|${ns ?? ''}|${name}`
}

function isNotFound(e: unknown): boolean {
  return e instanceof StatusError && e.reason === 'NotFound'
}

/** GarbageCollector is the controller; see the file comment. */
export class GarbageCollector implements Controller {
  readonly name = 'garbage-collector'
  private readonly refs: ResourceRef[]
  private readonly infs = new Map<ResourceRef, Informer>()
  /** scanPending: start() asks for the one full scan, which the first sync runs (so failures are retried). */
  private scanPending = false
  private failed = false

  constructor(private readonly ctx: ControllerContext) {
    this.refs = gcResources()
    for (const ref of this.refs) {
      const inf = ctx.informers.for(ref)
      inf.addIndex(GC_OWNER_INDEX, (o) => ownerRefs(o).map((r) => r.uid))
      this.infs.set(ref, inf)
    }
  }

  start(): void {
    this.scanPending = true
  }

  watches(): WatchSpec[] {
    // Namespaces come first with their own keys: the manager's initial resync of them starts the one full scan
    // (objects whose owners vanished while the daemon was down, owners left half-deleted).
    const specs: WatchSpec[] = [{resource: 'namespaces'}]
    for (const ref of this.refs) {
      if (ref !== 'namespaces') specs.push({resource: ref, keys: (o, t, old) => this.keysFor(ref, o, t, old)})
    }
    return specs
  }

  /** keysFor maps one change to the work it causes (processGraphChanges in graph_builder.go). */
  private keysFor(ref: ResourceRef, obj: KubeObject, type: WatchEventType, old: KubeObject | undefined): string[] {
    const out: string[] = []
    const m = obj.metadata ?? {}
    const ns = m.namespace
    if (type === 'DELETED') {
      if (this.hasDependents(String(m.uid))) out.push(`d|${m.uid}`)
      // An owner waiting in foreground deletion may now be free to go.
      for (const r of ownerRefs(obj)) {
        const k = this.ownerKey(r, ns)
        if (k) out.push(k)
      }
      return out
    }
    const self = objKey(ref, ns, String(m.name))
    if (m.deletionTimestamp) {
      const f = finalizersOf(obj)
      if (f.includes(ORPHAN_FINALIZER) || f.includes(FOREGROUND_FINALIZER)) out.push(self)
    }
    const refs = ownerRefs(obj)
    const oldRefs = ownerRefs(old)
    const changed = type === 'ADDED' || JSON.stringify(refs) !== JSON.stringify(oldRefs)
    if (refs.length && changed && refs.some((r) => this.cachedOwnerState(r, ns) !== 'solid')) out.push(self)
    if (changed) {
      // A dependent that dropped (or stopped blocking) an owner may unblock that owner's foreground deletion.
      for (const r of oldRefs) {
        const now = refs.find((x) => x.uid === r.uid)
        if (!now || (r.blockOwnerDeletion && !now.blockOwnerDeletion)) {
          const k = this.ownerKey(r, ns)
          if (k) out.push(k)
        }
      }
    }
    return out
  }

  private hasDependents(uid: string): boolean {
    for (const inf of this.infs.values()) if (inf.byIndex(GC_OWNER_INDEX, uid).length) return true
    return false
  }

  /** dependentsOf lists every followed object that references uid as an owner. */
  private dependentsOf(uid: string): {ref: ResourceRef; obj: KubeObject}[] {
    const out: {ref: ResourceRef; obj: KubeObject}[] = []
    for (const [ref, inf] of this.infs) for (const obj of inf.byIndex(GC_OWNER_INDEX, uid)) out.push({ref, obj})
    return out
  }

  /** resourceOf resolves an ownerReference's kind to its table entry (built-ins first, then served CRDs). */
  private resourceOf(r: OwnerReference): ResourceInfo | undefined {
    const {group, version} = parseApiVersion(String(r.apiVersion ?? ''))
    const found =
      BUILTIN.forKind(group, version, r.kind) ??
      BUILTIN.all.find((x) => x.group === group && x.kind === r.kind && !x.storageOf)
    if (found) return found
    if (!group) return undefined
    try {
      const res = this.ctx.informers.resource(`${group}/${guessPlural(r.kind)}`)
      return res.kind === r.kind ? res : undefined
    } catch {
      return undefined
    }
  }

  private ownerKey(r: OwnerReference, dependentNs: string | undefined): string | undefined {
    const res = this.resourceOf(r)
    if (!res) return undefined
    return objKey(refOf(res), res.namespaced ? dependentNs : undefined, r.name)
  }

  /** stateOf classifies an owner object against the reference (classifyReferences in garbagecollector.go). */
  private stateOf(owner: KubeObject | undefined, r: OwnerReference): OwnerState {
    if (!owner || owner.metadata?.uid !== r.uid) return 'dangling'
    return deletingDependents(owner) ? 'waiting' : 'solid'
  }

  /** cachedOwnerState looks the owner up in the caches only (for deciding what to enqueue). */
  private cachedOwnerState(r: OwnerReference, dependentNs: string | undefined): OwnerState {
    const res = this.resourceOf(r)
    if (!res) return 'unknown'
    if (res.namespaced && !dependentNs) return 'unknown'
    const inf = this.infs.get(refOf(res))
    if (!inf) return 'unknown'
    return this.stateOf(inf.get(res.namespaced ? dependentNs : undefined, r.name), r)
  }

  /**
   * ownerState looks the owner up; an owner missing from the cache is confirmed with a fresh read before the
   * dependent is treated as orphaned, as upstream does (an unresolvable kind or a namespaced owner of a
   * cluster-scoped object is never collected: "unknown").
   */
  private ownerState(r: OwnerReference, dependentNs: string | undefined, memo: Map<string, OwnerState>): OwnerState {
    const res = this.resourceOf(r)
    if (!res) return 'unknown'
    if (res.namespaced && !dependentNs) return 'unknown'
    const ns = res.namespaced ? dependentNs : undefined
    const ref = refOf(res)
    const mk = `${ref}|${ns ?? ''}|${r.name}|${r.uid}`
    const seen = memo.get(mk)
    if (seen) return seen
    let state: OwnerState
    const inf = this.infs.get(ref)
    state = inf ? this.stateOf(inf.get(ns, r.name), r) : 'dangling'
    if (state === 'dangling') {
      try {
        state = this.stateOf(this.ctx.client.tryGet(ref, ns, r.name), r)
      } catch {
        state = 'unknown'
      }
    }
    memo.set(mk, state)
    return state
  }

  sync(key: string): SyncResult | void {
    this.failed = false
    if (this.scanPending) {
      this.scanPending = false
      this.scan()
    }
    if (key.startsWith('d|')) this.syncDependents(key.slice(2))
    else this.syncObject(key)
    // A failed item is retried soon; the sync itself succeeds so the others' writes are kept.
    if (this.failed) return {requeueAfterMs: RETRY_MS}
  }

  private syncObject(key: string): void {
    let ref: ResourceRef
    let ns: string | undefined
    let name: string
    if (key.startsWith('o|')) {
      const parts = key.split('|')
      ref = parts[1]!
      ns = parts[2] || undefined
      name = parts.slice(3).join('|')
    } else {
      // A namespace from the initial resync or a namespace change.
      ref = 'namespaces'
      ns = undefined
      name = key
    }
    const inf = this.infs.get(ref)
    const obj = inf ? inf.get(ns, name) : this.ctx.client.tryGet(ref, ns, name)
    if (!obj) return
    this.batch([() => this.process(ref, obj, new Map())])
  }

  /** scan looks at every followed object once (the graph builder's initial sync). */
  private scan(): void {
    const memo = new Map<string, OwnerState>()
    const work: {ref: ResourceRef; obj: KubeObject}[] = []
    for (const [ref, inf] of this.infs) {
      for (const obj of inf.list()) {
        const m = obj.metadata ?? {}
        const f = finalizersOf(obj)
        if (m.deletionTimestamp && (f.includes(ORPHAN_FINALIZER) || f.includes(FOREGROUND_FINALIZER)))
          work.push({ref, obj})
        else if (ownerRefs(obj).some((r) => this.cachedOwnerState(r, m.namespace) !== 'solid')) work.push({ref, obj})
      }
    }
    if (work.length) this.batch(work.map((w) => () => this.process(w.ref, w.obj, memo)))
  }

  /** syncDependents handles the dependents of an owner uid that just went away, in one transaction. */
  private syncDependents(uid: string): void {
    const memo = new Map<string, OwnerState>()
    const deps = this.dependentsOf(uid)
    this.batch(deps.map((d) => () => this.process(d.ref, d.obj, memo)))
  }

  /**
   * batch runs many writes in one store transaction; each item is its own savepoint, so one failure (a
   * conflict, an object deleted meanwhile) neither undoes the others nor stops them. A failure other than
   * NotFound is logged and the key comes back after RETRY_MS.
   */
  private batch(items: (() => void)[]): void {
    this.ctx.client.transaction(() => {
      for (const it of items) {
        try {
          this.ctx.client.transaction(it)
        } catch (e) {
          if (isNotFound(e)) continue
          this.failed = true
          this.ctx.log(`garbage-collector: ${e instanceof Error ? e.message : String(e)}`)
        }
      }
    })
  }

  /** process does whatever one object needs: orphaning, foreground deletion of its dependents, or collection. */
  private process(ref: ResourceRef, obj: KubeObject, memo: Map<string, OwnerState>): void {
    const m = obj.metadata ?? {}
    if (m.deletionTimestamp) {
      const f = finalizersOf(obj)
      if (f.includes(ORPHAN_FINALIZER)) return this.orphanDependents(ref, obj)
      if (f.includes(FOREGROUND_FINALIZER)) return this.deleteDependentsFirst(ref, obj, memo)
      // "Being deleted" is a one-way trip: its dependents are looked at once it is gone.
      return
    }
    this.attemptToDelete(ref, obj, memo)
  }

  /** attemptToDelete is attemptToDeleteItem: collect obj if none of its owners is solid. */
  private attemptToDelete(ref: ResourceRef, obj: KubeObject, memo: Map<string, OwnerState>): void {
    const m = obj.metadata ?? {}
    const refs = ownerRefs(obj)
    if (!refs.length) return
    const states = refs.map((r) => this.ownerState(r, m.namespace, memo))
    if (states.includes('unknown')) return
    const solid = states.filter((s) => s === 'solid').length
    const gone = refs.filter((_, i) => states[i] !== 'solid').map((r) => r.uid)
    if (solid > 0) {
      if (!gone.length) return
      // Other owners keep it: only the references to vanished or foreground-deleting owners go.
      this.ctx.client.mutate(ref, m.namespace, String(m.name), (cur) => {
        if (cur.metadata?.uid !== m.uid) return undefined
        const keep = ownerRefs(cur).filter((r) => !gone.includes(r.uid))
        if (keep.length === ownerRefs(cur).length) return undefined
        if (keep.length) cur.metadata!.ownerReferences = keep
        else delete cur.metadata!.ownerReferences
        return cur
      })
      return
    }
    let policy: 'Orphan' | 'Foreground' | 'Background'
    const f = finalizersOf(obj)
    if (states.includes('waiting') && this.hasDependents(String(m.uid))) policy = 'Foreground'
    else if (f.includes(ORPHAN_FINALIZER)) policy = 'Orphan'
    else if (f.includes(FOREGROUND_FINALIZER)) policy = 'Foreground'
    else policy = 'Background'
    this.ctx.client.delete(ref, m.namespace, String(m.name), {
      propagationPolicy: policy,
      preconditions: {uid: String(m.uid)},
    })
  }

  /** deleteDependentsFirst is processDeletingDependentsItem: the owner goes once no blocking dependent is left. */
  private deleteDependentsFirst(ref: ResourceRef, owner: KubeObject, memo: Map<string, OwnerState>): void {
    const uid = String(owner.metadata?.uid)
    const deps = this.dependentsOf(uid)
    const blocking = deps.filter((d) => ownerRefs(d.obj).some((r) => r.uid === uid && r.blockOwnerDeletion))
    if (!blocking.length) {
      this.removeFinalizer(ref, owner, FOREGROUND_FINALIZER)
      return
    }
    const todo = deps.filter((d) => !d.obj.metadata?.deletionTimestamp || deletingDependents(d.obj))
    if (todo.length) this.batch(todo.map((d) => () => this.process(d.ref, d.obj, memo)))
  }

  /** orphanDependents removes the ownerReferences to owner from its dependents, then the `orphan` finalizer. */
  private orphanDependents(ref: ResourceRef, owner: KubeObject): void {
    const uid = String(owner.metadata?.uid)
    const deps = this.dependentsOf(uid)
    this.batch(
      deps.map((d) => () => {
        const dm = d.obj.metadata ?? {}
        this.ctx.client.mutate(d.ref, dm.namespace, String(dm.name), (cur) => {
          const refs = ownerRefs(cur)
          const keep = refs.filter((r) => r.uid !== uid)
          if (keep.length === refs.length) return undefined
          if (keep.length) cur.metadata!.ownerReferences = keep
          else delete cur.metadata!.ownerReferences
          return cur
        })
      }),
    )
    this.removeFinalizer(ref, owner, ORPHAN_FINALIZER)
  }

  private removeFinalizer(ref: ResourceRef, obj: KubeObject, finalizer: string): void {
    const m = obj.metadata ?? {}
    try {
      this.ctx.client.mutate(ref, m.namespace, String(m.name), (cur) => {
        if (cur.metadata?.uid !== m.uid) return undefined
        const f = finalizersOf(cur)
        if (!f.includes(finalizer)) return undefined
        const keep = f.filter((x) => x !== finalizer)
        if (keep.length) cur.metadata!.finalizers = keep
        else delete cur.metadata!.finalizers
        return cur
      })
    } catch (e) {
      if (!isNotFound(e)) throw e
    }
  }
}

/** garbageCollectorController builds the garbage collector. */
export const garbageCollectorController: ControllerFactory = (ctx) => new GarbageCollector(ctx)
