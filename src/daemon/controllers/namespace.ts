// namespace.ts: the namespace controller (kubernetes pkg/controller/namespace and its deletion/
// namespaced_resources_deleter.go). A namespace with a deletionTimestamp is emptied through the API, so pods
// terminate gracefully and finalizers are honoured; its status conditions say what is left, as `kubectl get ns
// x -o yaml` shows them upstream; once nothing is left the `kubernetes` spec finalizer is removed (the finalize
// subresource) and the apiserver deletes the namespace.
import type {KubeObject} from '../../api/object.js'
import {BUILTIN, type ResourceInfo} from '../../api/resources.js'
import {StatusError} from '../../api/errors.js'
import {rfc3339} from '../clock.js'
import {refOf} from './framework/informer.js'
import type {
  Controller,
  ControllerContext,
  ControllerFactory,
  ResourceRef,
  SyncResult,
  WatchSpec,
} from './framework/types.js'

/** NAMESPACE_FINALIZER is the spec finalizer this controller owns (v1.FinalizerKubernetes). */
export const NAMESPACE_FINALIZER = 'kubernetes'

interface NamespaceCondition {
  type: string
  status: 'True' | 'False'
  reason: string
  message: string
  lastTransitionTime?: string
}

// The conditions the deleter maintains and their "all is well" forms (deletion/status_condition_utils.go).
const CONDITIONS: {type: string; okReason: string; okMessage: string}[] = [
  {
    type: 'NamespaceDeletionDiscoveryFailure',
    okReason: 'ResourcesDiscovered',
    okMessage: 'All resources successfully discovered',
  },
  {
    type: 'NamespaceDeletionGroupVersionParsingFailure',
    okReason: 'ParsedGroupVersions',
    okMessage: 'All legacy kube types successfully parsed',
  },
  {
    type: 'NamespaceDeletionContentFailure',
    okReason: 'ContentDeleted',
    okMessage: 'All content successfully deleted, may be waiting on finalization',
  },
  {type: 'NamespaceContentRemaining', okReason: 'ContentRemoved', okMessage: 'All content successfully removed'},
  {
    type: 'NamespaceFinalizersRemaining',
    okReason: 'ContentHasNoFinalizers',
    okMessage: 'All content-preserving finalizers finished',
  },
]

const CRDS = 'apiextensions.k8s.io/customresourcedefinitions'

/** builtinNamespacedResources lists the built-in namespaced resources that can be listed and deleted. */
function builtinNamespacedResources(): {ref: ResourceRef; res: ResourceInfo}[] {
  const out: {ref: ResourceRef; res: ResourceInfo}[] = []
  for (const r of BUILTIN.all) {
    if (!r.namespaced || r.storageOf) continue
    if (!r.verbs.includes('delete') || !r.verbs.includes('list')) continue
    const ref = refOf(r)
    if (!out.some((x) => x.ref === ref)) out.push({ref, res: r})
  }
  return out
}

/** NamespaceController is the controller; see the file comment. */
export class NamespaceController implements Controller {
  readonly name = 'namespace'
  private readonly builtins = builtinNamespacedResources()
  /** customRefs are the namespaced custom resources whose informers exist (made outside any sync). */
  private readonly customRefs = new Set<ResourceRef>()

  constructor(private readonly ctx: ControllerContext) {
    // Informers cannot start inside a sync (it runs in a store transaction), so every one is made here.
    ctx.informers.for('namespaces')
    ctx.informers.for(CRDS)
    // Events are many and only matter here when a namespace goes: they are read fresh then, not cached.
    for (const {ref} of this.builtins) if (ref !== 'events') ctx.informers.for(ref)
  }

  /** noteCRD starts the informer of a namespaced custom resource once its CRD is served. */
  private noteCRD(crd: KubeObject): undefined {
    const spec = (crd.spec ?? {}) as {group?: string; scope?: string; names?: {plural?: string}}
    if (spec.scope !== 'Namespaced' || !spec.group || !spec.names?.plural) return undefined
    const ref = refOf({group: spec.group, plural: spec.names.plural})
    if (this.customRefs.has(ref)) return undefined
    try {
      this.ctx.informers.resource(ref)
    } catch {
      return undefined // not served yet; a later change of the CRD (Established) brings it back here
    }
    this.ctx.informers.for(ref)
    this.customRefs.add(ref)
    return undefined
  }

  watches(): WatchSpec[] {
    // Content leaving a terminating namespace wakes its sync, so it is finalized as soon as the last object is
    // gone (upstream polls with an estimate; the estimate is kept below as a fallback).
    const nudge = (o: KubeObject, type: string) => {
      if (type !== 'DELETED') return undefined
      const ns = o.metadata?.namespace
      if (!ns) return undefined
      return this.ctx.informers.for('namespaces').get(undefined, ns)?.metadata?.deletionTimestamp ? ns : undefined
    }
    const specs: WatchSpec[] = [{resource: 'namespaces'}]
    for (const {ref} of this.builtins) if (ref !== 'events') specs.push({resource: ref, keys: nudge})
    specs.push({resource: CRDS, keys: (crd, type) => (type === 'DELETED' ? undefined : this.noteCRD(crd))})
    return specs
  }

  /** contentResources lists the built-in namespaced resources and the served namespaced custom ones. */
  private contentResources(): ResourceRef[] {
    const refs = this.builtins.map((b) => b.ref)
    for (const ref of this.customRefs) {
      try {
        this.ctx.informers.resource(ref)
        refs.push(ref)
      } catch {
        // Its CRD is gone.
      }
    }
    return refs
  }

  sync(key: string): SyncResult | void {
    const ns = this.ctx.informers.for('namespaces').get(undefined, key)
    if (!ns || !ns.metadata?.deletionTimestamp) return
    const specFinalizers = ((ns.spec as {finalizers?: string[]} | undefined)?.finalizers ?? []) as string[]
    if (!specFinalizers.includes(NAMESPACE_FINALIZER)) return
    const left = this.deleteAllContent(key)
    this.updateConditions(key, left)
    if (left.total > 0) {
      // Pods need their grace period (ResourcesRemainingError: the controller waits estimate/2 + 1 s).
      if (left.estimateSeconds > 0) return {requeueAfterMs: (Math.floor(left.estimateSeconds / 2) + 1) * 1000}
      return {requeueAfterMs: 5_000}
    }
    try {
      this.ctx.client.mutate(
        'namespaces',
        undefined,
        key,
        (cur) => {
          if (cur.metadata?.uid !== ns.metadata?.uid) return undefined
          const fins = ((cur.spec as {finalizers?: string[]} | undefined)?.finalizers ?? []) as string[]
          if (!fins.includes(NAMESPACE_FINALIZER)) return undefined
          ;(cur.spec as {finalizers?: string[]}).finalizers = fins.filter((f) => f !== NAMESPACE_FINALIZER)
          return cur
        },
        {subresource: 'finalize'},
      )
    } catch (e) {
      if (!(e instanceof StatusError && e.reason === 'NotFound')) throw e
    }
  }

  /**
   * deleteAllContent deletes what the namespace holds (background propagation, as upstream's DeleteCollection
   * calls) and reports what is still there: per resource, per finalizer, and how long pods may take.
   */
  private deleteAllContent(ns: string): {
    total: number
    byResource: Map<string, number>
    byFinalizer: Map<string, number>
    estimateSeconds: number
  } {
    const refs = this.contentResources()
    const byResource = new Map<string, number>()
    const byFinalizer = new Map<string, number>()
    let total = 0
    let estimateSeconds = 0
    let failure: unknown
    this.ctx.client.transaction(() => {
      for (const ref of refs) {
        let left = 0
        const objs = ref === 'events' ? this.ctx.client.list(ref, ns) : this.ctx.informers.for(ref).list(ns)
        for (const obj of objs) {
          const name = String(obj.metadata?.name)
          if (!obj.metadata?.deletionTimestamp) {
            try {
              this.ctx.client.transaction(() =>
                this.ctx.client.delete(ref, ns, name, {propagationPolicy: 'Background'}),
              )
            } catch (e) {
              if (!(e instanceof StatusError && (e.reason === 'NotFound' || e.reason === 'Conflict'))) failure ??= e
            }
          }
          // The caches hear of this sync's deletes only when it commits: what is left is read fresh.
          const still = this.ctx.client.tryGet(ref, ns, name)
          if (!still) continue
          left++
          for (const f of (still.metadata?.finalizers ?? []) as string[])
            byFinalizer.set(f, (byFinalizer.get(f) ?? 0) + 1)
          if (ref === 'pods') {
            const phase = (still.status as {phase?: string} | undefined)?.phase
            const grace = (still.spec as {terminationGracePeriodSeconds?: number} | undefined)
              ?.terminationGracePeriodSeconds
            if (phase !== 'Succeeded' && phase !== 'Failed' && typeof grace === 'number' && grace > estimateSeconds)
              estimateSeconds = grace
          }
        }
        if (left) {
          const res = this.ctx.informers.resource(ref)
          byResource.set(`${res.plural}.${res.group}`, left)
          total += left
        }
      }
    })
    if (failure) throw failure
    return {total, byResource, byFinalizer, estimateSeconds}
  }

  /** updateConditions writes the deletion conditions when they changed (namespaceConditionUpdater.Update). */
  private updateConditions(
    ns: string,
    left: {byResource: Map<string, number>; byFinalizer: Map<string, number>},
  ): void {
    const now = rfc3339(this.ctx.clock.now())
    const wanted = new Map<string, NamespaceCondition>()
    if (left.byResource.size) {
      const parts = [...left.byResource].map(([gr, n]) => `${gr} has ${n} resource instances`).sort()
      wanted.set('NamespaceContentRemaining', {
        type: 'NamespaceContentRemaining',
        status: 'True',
        reason: 'SomeResourcesRemain',
        message: `Some resources are remaining: ${parts.join(', ')}`,
      })
    }
    if (left.byFinalizer.size) {
      const parts = [...left.byFinalizer].map(([f, n]) => `${f} in ${n} resource instances`).sort()
      wanted.set('NamespaceFinalizersRemaining', {
        type: 'NamespaceFinalizersRemaining',
        status: 'True',
        reason: 'SomeFinalizersRemain',
        message: `Some content in the namespace has finalizers remaining: ${parts.join(', ')}`,
      })
    }
    try {
      this.ctx.client.mutate(
        'namespaces',
        undefined,
        ns,
        (cur) => {
          const status = (cur.status ?? {}) as {conditions?: NamespaceCondition[]; phase?: string}
          const old = status.conditions ?? []
          const next: NamespaceCondition[] = CONDITIONS.map((c) => {
            const want = wanted.get(c.type) ?? {type: c.type, status: 'False', reason: c.okReason, message: c.okMessage}
            const had = old.find((o) => o.type === c.type)
            if (had && had.status === want.status && had.reason === want.reason && had.message === want.message)
              return had
            return {
              type: want.type,
              status: want.status,
              lastTransitionTime: now,
              reason: want.reason,
              message: want.message,
            }
          })
          const others = old.filter((o) => !CONDITIONS.some((c) => c.type === o.type))
          const merged = [...next, ...others]
          if (JSON.stringify(merged) === JSON.stringify(old)) return undefined
          status.conditions = merged
          cur.status = status
          return cur
        },
        {subresource: 'status'},
      )
    } catch (e) {
      if (!(e instanceof StatusError && e.reason === 'NotFound')) throw e
    }
  }
}

/** namespaceController builds the namespace controller. */
export const namespaceController: ControllerFactory = (ctx) => new NamespaceController(ctx)
