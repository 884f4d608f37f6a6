// informer.ts: shared informers over the registry's watch (client-go's SharedIndexInformer, without the
// reflector: the watch hub delivers every committed write synchronously, so a cache is current as soon as the
// write that changed it returns). One informer per resource, shared by every controller; handlers only enqueue.
import type {KubeObject} from '../../../api/object.js'
import {labelSelectorFromObject, type LabelSelector, type Selector} from '../../../api/labels.js'
import type {ResourceInfo, ResourceTable} from '../../../api/resources.js'
import type {Registry} from '../../registry/generic.js'
import {keyOf, type ResourceRef, type WatchEventType} from './types.js'

/** InformerHandler hears every change after the cache holds it. */
export type InformerHandler = (type: WatchEventType, obj: KubeObject, old: KubeObject | undefined) => void

/** IndexFunc maps an object to the index values it is filed under. */
export type IndexFunc = (obj: KubeObject) => string[]

/** controllerUid is the uid of the object's controller ownerReference, if any. */
export function controllerUid(obj: KubeObject): string | undefined {
  const refs = obj.metadata?.ownerReferences
  return refs?.find((r) => r.controller)?.uid
}

/** deepFreeze makes a cached object read-only, so a controller that edits one without cloning fails loudly. */
function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o)
    for (const v of Object.values(o)) deepFreeze(v)
  }
  return o
}

const FREEZE = process.env.MKCTL_FREEZE_CACHE === '1'

/** resolveResource turns "group/plural" or "plural" into the table entry (the storage version). */
export function resolveResource(table: ResourceTable, ref: ResourceRef): ResourceInfo {
  const i = ref.lastIndexOf('/')
  const group = i < 0 ? '' : ref.slice(0, i)
  const plural = i < 0 ? ref : ref.slice(i + 1)
  const found = table.all.find((r) => r.group === group && r.plural === plural && !r.storageOf)
  if (!found) throw new Error(`no resource ${ref}`)
  return found
}

/** refOf is the ref of a resource, resolveResource's inverse: "pods", "apps/deployments". */
export function refOf(r: {group: string; plural: string}): ResourceRef {
  return r.group ? `${r.group}/${r.plural}` : r.plural
}

/** Informer is a read-only cache of one resource with indexes. Objects it returns must not be mutated. */
export class Informer {
  private readonly items = new Map<string, KubeObject>()
  private readonly indexers = new Map<string, IndexFunc>()
  private readonly indexes = new Map<string, Map<string, Set<string>>>()
  private readonly handlers: InformerHandler[] = []
  private stopWatch?: () => void

  constructor(
    readonly resource: ResourceInfo,
    private readonly registry: Registry,
  ) {
    this.addIndex('namespace', (o) => (o.metadata?.namespace ? [o.metadata.namespace] : []))
    this.addIndex('controller', (o) => {
      const uid = controllerUid(o)
      return uid ? [uid] : []
    })
  }

  /** addIndex files objects by fn; call before start. */
  addIndex(name: string, fn: IndexFunc): void {
    if (this.indexers.has(name)) return
    this.indexers.set(name, fn)
    const idx = new Map<string, Set<string>>()
    this.indexes.set(name, idx)
    for (const [k, o] of this.items) for (const v of fn(o)) this.fileUnder(idx, v, k)
  }

  /** onChange adds a handler; it hears every later change. */
  onChange(h: InformerHandler): void {
    this.handlers.push(h)
  }

  /** start lists the current state and follows the watch from that revision. */
  start(): void {
    if (this.stopWatch) return
    const list = this.registry.list(this.resource, undefined)
    for (const o of list.items) this.put(FREEZE ? deepFreeze(o) : o)
    this.stopWatch = this.registry.watch(
      this.resource,
      undefined,
      {resourceVersion: list.metadata.resourceVersion},
      (e) => {
        const obj = FREEZE ? deepFreeze(e.object) : e.object
        const key = keyOf(obj)
        const old = this.items.get(key)
        if (e.type === 'DELETED') this.remove(key)
        else this.put(obj)
        for (const h of this.handlers) h(e.type, obj, old)
      },
    )
  }

  stop(): void {
    this.stopWatch?.()
    this.stopWatch = undefined
  }

  /** get returns the cached object or undefined. */
  get(namespace: string | undefined, name: string): KubeObject | undefined {
    return this.items.get(namespace ? `${namespace}/${name}` : name)
  }

  /** getByKey returns the cached object for a queue key. */
  getByKey(key: string): KubeObject | undefined {
    return this.items.get(key)
  }

  /** list returns every cached object, or those in one namespace, optionally matching a label selector. */
  list(namespace?: string, selector?: Selector): KubeObject[] {
    const out: KubeObject[] = []
    const pick = (o: KubeObject) => {
      if (!selector || selector.matches(o.metadata?.labels ?? {})) out.push(o)
    }
    if (namespace === undefined) for (const o of this.items.values()) pick(o)
    else for (const o of this.byIndex('namespace', namespace)) pick(o)
    return out
  }

  /** select lists a namespace's objects matching a metav1.LabelSelector (an empty selector matches nothing). */
  select(namespace: string, selector: LabelSelector | undefined): KubeObject[] {
    if (!selector || (!selector.matchLabels && !selector.matchExpressions)) return []
    return this.list(namespace, labelSelectorFromObject(selector))
  }

  /** byIndex returns the objects filed under value in the named index. */
  byIndex(index: string, value: string): KubeObject[] {
    const keys = this.indexes.get(index)?.get(value)
    if (!keys) return []
    const out: KubeObject[] = []
    for (const k of keys) {
      const o = this.items.get(k)
      if (o) out.push(o)
    }
    return out
  }

  /** ownedBy returns the objects whose controller ownerReference has this uid. */
  ownedBy(uid: string): KubeObject[] {
    return this.byIndex('controller', uid)
  }

  /** size is the number of cached objects. */
  get size(): number {
    return this.items.size
  }

  private fileUnder(idx: Map<string, Set<string>>, value: string, key: string) {
    let s = idx.get(value)
    if (!s) idx.set(value, (s = new Set()))
    s.add(key)
  }

  private put(obj: KubeObject) {
    const key = keyOf(obj)
    const old = this.items.get(key)
    if (old) this.unindex(key, old)
    this.items.set(key, obj)
    for (const [name, fn] of this.indexers) {
      const idx = this.indexes.get(name)!
      for (const v of fn(obj)) this.fileUnder(idx, v, key)
    }
  }

  private unindex(key: string, obj: KubeObject) {
    for (const [name, fn] of this.indexers) {
      const idx = this.indexes.get(name)!
      for (const v of fn(obj)) {
        const s = idx.get(v)
        s?.delete(key)
        if (s && s.size === 0) idx.delete(v)
      }
    }
  }

  private remove(key: string) {
    const old = this.items.get(key)
    if (!old) return
    this.unindex(key, old)
    this.items.delete(key)
  }
}

/** Informers hands out one shared Informer per resource. */
export class Informers {
  private readonly byRef = new Map<string, Informer>()
  private started = false

  constructor(
    private readonly registry: Registry,
    private readonly resources: () => ResourceTable,
  ) {}

  /** for returns the informer of a resource ("pods", "apps/deployments"); it starts at once if the others have. */
  for(ref: ResourceRef): Informer {
    let inf = this.byRef.get(ref)
    if (!inf) {
      inf = new Informer(resolveResource(this.resources(), ref), this.registry)
      // Pods are looked up by node by the scheduler, the kubelets and the node lifecycle controller.
      if (ref === 'pods')
        inf.addIndex('node', (o) =>
          (o.spec as {nodeName?: string} | undefined)?.nodeName
            ? [String((o.spec as {nodeName: string}).nodeName)]
            : [],
        )
      this.byRef.set(ref, inf)
      if (this.started) inf.start()
    }
    return inf
  }

  /** existing returns the informer of a resource if one was made (it never starts one). */
  existing(ref: ResourceRef): Informer | undefined {
    return this.byRef.get(ref)
  }

  /** resource resolves a ref to its table entry. */
  resource(ref: ResourceRef): ResourceInfo {
    return resolveResource(this.resources(), ref)
  }

  start(): void {
    this.started = true
    for (const inf of this.byRef.values()) inf.start()
  }

  stop(): void {
    for (const inf of this.byRef.values()) inf.stop()
  }
}
