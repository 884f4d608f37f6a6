// generic.ts: the generic registry. Every write, whether it comes over HTTP or from a controller inside the
// daemon, goes through these methods, so defaulting, validation, resourceVersion checks, namespace rules and
// finalizers are the same for everyone (apiserver's registry/generic/registry/store.go plays this role).
import {isDeepStrictEqual} from 'node:util'
import {
  StatusError,
  alreadyExists,
  badRequest,
  conflict,
  fieldRequired,
  forbidden,
  gone,
  invalid,
  notFound,
  statusError,
  type FieldError,
  type Status,
} from '../../api/errors.js'
import type {KubeList, KubeObject} from '../../api/object.js'
import {groupVersion, storageKey, storagePrefix, type ResourceInfo, type ResourceTable} from '../../api/resources.js'
import type {Clock} from '../clock.js'
import {rfc3339} from '../clock.js'
import type {Ids} from '../ids.js'
import {CompactedError, KeyExistsError, KeyNotFoundError, RevisionConflictError, type Store, type StoreEvent} from '../storage/store.js'
import {selectorFilter, type ObjectFilter} from './filter.js'
import {strategyFor} from './strategies.js'
import type {AdmissionAttributes, AdmissionPlugin, Allocators, StrategyContext, UserInfo} from './types.js'
import {validateMetadata} from './validate-meta.js'
import {convertFromStorage, convertToStorage} from './convert.js'
import type {FieldTracker} from './managedfields/index.js'

/** WriteOptions are the query parameters every write accepts. */
export interface WriteOptions {
  dryRun?: boolean
  fieldManager?: string
  user?: UserInfo
  /**
   * fields computes metadata.managedFields (field ownership, managedfields/). The HTTP handlers pass one; writes
   * without one (in-process controllers) keep managedFields as they are.
   */
  fields?: FieldTracker
}

/** ListOptions are the list and watch query parameters. */
export interface ListOptions {
  labelSelector?: string
  fieldSelector?: string
  limit?: number
  continue?: string
  resourceVersion?: string
  resourceVersionMatch?: string
}

/** DeleteOptions is meta/v1 DeleteOptions. */
export interface DeleteOptions extends WriteOptions {
  gracePeriodSeconds?: number
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground'
  preconditions?: {uid?: string; resourceVersion?: string}
}

/** WatchHandle stops a watch. */
export type StopFn = () => void

/** RegistryEvent is a watch event for one resource as a client sees it. */
export interface RegistryEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED'
  object: KubeObject
}

/** RegistryDeps are what the registry needs from the daemon. */
export interface RegistryDeps {
  store: Store
  clock: Clock
  ids: Ids
  resources: () => ResourceTable
  allocators?: Allocators
  /** onNamespaceDeleting is told when a namespace enters Terminating (the namespace finalizer runs there). */
  onNamespaceDeleting?: (name: string) => void
  /** admission plugins run on every create and update, in order (the list may grow after construction). */
  admission?: AdmissionPlugin[]
}

const SYSTEM_META = ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation'] as const

function meta(o: KubeObject): Record<string, any> {
  if (!o.metadata || typeof o.metadata !== 'object') o.metadata = {}
  return o.metadata as Record<string, any>
}

function clone<T>(o: T): T {
  return structuredClone(o)
}

/** withoutRV compares objects ignoring resourceVersion and managedFields. */
function comparable(o: KubeObject): KubeObject {
  const c = clone(o)
  const m = c.metadata as Record<string, unknown> | undefined
  if (m) {
    delete m.resourceVersion
    delete m.managedFields
  }
  return c
}

/** specChanged: anything outside metadata and status differs (what moves metadata.generation). */
function specChanged(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const {metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest} = o
    return rest
  }
  return !isDeepStrictEqual(strip(a), strip(b))
}

/** Registry is the generic store front for every resource. */
export class Registry {
  constructor(private readonly d: RegistryDeps) {}

  private ctx(r: ResourceInfo): StrategyContext {
    return {
      resource: r,
      clock: this.d.clock,
      ids: this.d.ids,
      allocators: this.d.allocators,
      lookup: (res, ns, name) => {
        const got = this.d.store.get(storageKey(res, ns, name))
        return got?.object
      },
      resourceFor: (group, kind) => this.d.resources().all.find((x) => x.group === group && x.kind === kind),
    }
  }

  private key(r: ResourceInfo, ns: string | undefined, name: string): string {
    return storageKey(r, r.namespaced ? ns : undefined, name)
  }

  private gr(r: ResourceInfo) {
    return {group: r.group, plural: r.plural}
  }

  /** out converts a stored object to the version the client asked for. */
  private out(r: ResourceInfo, o: KubeObject): KubeObject {
    return convertFromStorage(r, o)
  }

  /** get reads one object. */
  get(r: ResourceInfo, ns: string | undefined, name: string): KubeObject {
    const got = this.d.store.get(this.key(r, ns, name))
    if (!got) throw notFound(this.gr(r), name)
    return this.out(r, got.object)
  }

  /** tryGet reads one object, or undefined. */
  tryGet(r: ResourceInfo, ns: string | undefined, name: string): KubeObject | undefined {
    const got = this.d.store.get(this.key(r, ns, name))
    return got ? this.out(r, got.object) : undefined
  }

  private filter(r: ResourceInfo, opts: ListOptions): ObjectFilter {
    return selectorFilter(r, opts.labelSelector, opts.fieldSelector)
  }

  /** list reads a collection at one revision, filtered and paged. */
  list(r: ResourceInfo, ns: string | undefined, opts: ListOptions = {}): KubeList {
    const filter = this.filter(r, opts)
    const prefix = storagePrefix(r, r.namespaced ? ns : undefined)
    let revision: number | undefined
    let startAfter: string | undefined
    if (opts.continue) {
      const tok = decodeContinue(opts.continue)
      revision = tok.rv
      startAfter = tok.start
    } else if (opts.resourceVersion && opts.resourceVersion !== '0' && opts.resourceVersionMatch === 'Exact') {
      revision = parseRV(opts.resourceVersion)
    }
    let res
    try {
      res = this.d.store.list(prefix, revision === undefined ? {} : {revision})
    } catch (e) {
      if (e instanceof CompactedError) {
        if (opts.continue) {
          throw statusError(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.')
        }
        throw gone(revision ?? 0, e.compactRevision)
      }
      throw e
    }
    const items: KubeObject[] = []
    let lastKey: string | undefined
    let more = false
    let remaining = 0
    const limit = opts.limit && opts.limit > 0 ? opts.limit : undefined
    for (const it of res.items) {
      if (startAfter !== undefined && it.key <= startAfter) continue
      if (!filter(it.object)) continue
      if (limit !== undefined && items.length >= limit) {
        more = true
        remaining++
        continue
      }
      items.push(this.out(r, it.object))
      lastKey = it.key
    }
    const metadata: KubeList['metadata'] = {resourceVersion: String(res.revision)}
    if (more && lastKey !== undefined) {
      metadata.continue = encodeContinue(res.revision, lastKey)
      if (!opts.labelSelector && !opts.fieldSelector) metadata.remainingItemCount = remaining
    }
    return {apiVersion: groupVersion(r.group, r.version), kind: r.listKind, metadata, items}
  }

  /** currentRevision is the store's newest revision. */
  currentRevision(): number {
    return this.d.store.currentRevision()
  }

  /**
   * watch streams changes after opts.resourceVersion. Without one (or "0") it first replays the current state as
   * ADDED events, as the apiserver does. Objects that stop matching a selector are sent as DELETED.
   */
  watch(r: ResourceInfo, ns: string | undefined, opts: ListOptions, listener: (e: RegistryEvent) => void): StopFn {
    const filter = this.filter(r, opts)
    const prefix = storagePrefix(r, r.namespaced ? ns : undefined)
    let from: number
    if (!opts.resourceVersion || opts.resourceVersion === '0') {
      const snapshot = this.d.store.list(prefix)
      for (const it of snapshot.items) if (filter(it.object)) listener({type: 'ADDED', object: this.out(r, it.object)})
      from = snapshot.revision
    } else {
      from = parseRV(opts.resourceVersion)
    }
    const onEvent = (e: StoreEvent) => {
      const now = filter(e.object)
      if (e.type === 'ADDED') {
        if (now) listener({type: 'ADDED', object: this.out(r, e.object)})
        return
      }
      if (e.type === 'DELETED') {
        if (now) listener({type: 'DELETED', object: this.out(r, e.object)})
        return
      }
      const before = e.prev ? filter(e.prev) : now
      if (now && before) listener({type: 'MODIFIED', object: this.out(r, e.object)})
      else if (now) listener({type: 'ADDED', object: this.out(r, e.object)})
      else if (before) listener({type: 'DELETED', object: this.out(r, e.object)})
    }
    try {
      return this.d.store.watch(prefix, from, onEvent)
    } catch (e) {
      if (e instanceof CompactedError) throw gone(from, e.compactRevision)
      throw e
    }
  }

  private checkNamespace(r: ResourceInfo, ns: string | undefined, name: string) {
    if (!r.namespaced) return
    const nsRes = this.d.resources().lookup('', 'v1', 'namespaces')!
    const got = this.d.store.get(storageKey(nsRes, undefined, ns!))
    if (!got) throw notFound({group: '', plural: 'namespaces'}, ns!)
    const nsObj = got.object as any
    if (nsObj.metadata?.deletionTimestamp || nsObj.status?.phase === 'Terminating') {
      const err = forbidden(
        this.gr(r),
        name,
        `unable to create new content in namespace ${ns} because it is being terminated`,
      )
      err.status.details!.causes = [
        {reason: 'NamespaceTerminating', message: `namespace ${ns} is being terminated`, field: 'metadata.namespace'},
      ]
      err.status.message = `${r.group ? `${r.plural}.${r.group}` : r.plural} "${name}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`
      throw err
    }
  }

  private validateAll(r: ResourceInfo, obj: KubeObject, old: KubeObject | undefined): void {
    const s = strategyFor(r)
    const ctx = this.ctx(r)
    const errs: FieldError[] = validateMetadata(obj, r, s.nameValidator, old)
    if (old) errs.push(...(s.validateUpdate ? s.validateUpdate(obj, old, ctx) : (s.validate?.(obj, ctx) ?? [])))
    else errs.push(...(s.validate?.(obj, ctx) ?? []))
    if (errs.length) throw invalid(r.kind, r.group, String(meta(obj).name ?? ''), errs)
  }

  private checkBodyKind(r: ResourceInfo, obj: KubeObject) {
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      throw badRequest(`Object '${'Kind'}' is missing in '${JSON.stringify(obj)}'`)
    }
    if (obj.kind !== undefined && obj.kind !== r.kind) {
      throw badRequest(`${obj.kind} in version "${r.version}" cannot be handled as a ${r.kind}: the object provided is unrecognized (wrong kind)`)
    }
  }

  /** create stores a new object after defaulting and validation. */
  create(r: ResourceInfo, ns: string | undefined, body: KubeObject, opts: WriteOptions = {}): KubeObject {
    this.checkBodyKind(r, body)
    const obj = convertToStorage(r, clone(body))
    const m = meta(obj)
    if (r.namespaced) {
      if (m.namespace && ns && m.namespace !== ns) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request')
      }
      m.namespace = ns ?? m.namespace
    } else {
      delete m.namespace
    }
    if (!m.name && m.generateName) m.name = String(m.generateName) + this.d.ids.nameSuffix()
    if (!m.name) {
      throw invalid(r.kind, r.group, '', [fieldRequired('metadata.name', 'name or generateName is required')])
    }
    const s = strategyFor(r)
    if (r.kind !== 'Namespace') this.checkNamespace(r, m.namespace, m.name)
    for (const f of SYSTEM_META) delete m[f]
    delete m.resourceVersion
    delete m.selfLink
    m.uid = this.d.ids.uid()
    m.creationTimestamp = rfc3339(this.d.clock.now())
    if (s.setsGeneration) m.generation = 1
    if (r.subresources.some((x) => x.name === 'status')) delete obj.status
    const ctx = this.ctx(r)
    s.prepareForCreate?.(obj, ctx)
    const attrs: AdmissionAttributes = {operation: 'CREATE', resource: r, namespace: m.namespace, object: obj, dryRun: opts.dryRun, user: opts.user}
    this.admit('mutate', attrs)
    // managedFields hook: ownership of a create is computed on the defaulted object.
    opts.fields?.track(undefined, obj, m.managedFields)
    this.validateAll(r, obj, undefined)
    this.admit('validate', attrs)
    if (opts.dryRun) return this.out(r, obj)
    try {
      return this.out(r, this.d.store.create(this.key(r, m.namespace, m.name), obj).object)
    } catch (e) {
      if (e instanceof KeyExistsError) {
        if (s.afterDelete) s.afterDelete(obj, ctx)
        throw alreadyExists(this.gr(r), m.name)
      }
      throw e
    }
  }

  /**
   * update replaces an object (PUT), or its status when subresource is "status". A resourceVersion in the body
   * must match the stored one; a write that changes nothing keeps the resourceVersion.
   */
  update(
    r: ResourceInfo,
    ns: string | undefined,
    name: string,
    body: KubeObject,
    opts: WriteOptions & {subresource?: string} = {},
  ): {object: KubeObject; created: boolean} {
    this.checkBodyKind(r, body)
    const key = this.key(r, ns, name)
    const current = this.d.store.get(key)
    const incoming = convertToStorage(r, clone(body))
    const im = meta(incoming)
    if (im.name !== undefined && im.name !== name) {
      throw badRequest(`the name of the object (${im.name}) does not match the name on the URL (${name})`)
    }
    if (r.namespaced && im.namespace && ns && im.namespace !== ns) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request')
    }
    if (!current) {
      const s = strategyFor(r)
      if (s.allowCreateOnUpdate && !opts.subresource) {
        im.name = name
        return {object: this.create(r, ns, incoming, opts), created: true}
      }
      throw notFound(this.gr(r), name)
    }
    if (im.resourceVersion !== undefined && im.resourceVersion !== '' && im.resourceVersion !== String(current.rev)) {
      throw conflict(this.gr(r), name)
    }
    const old = current.object as KubeObject
    const sentManagedFields = im.managedFields
    const next = this.mergeForUpdate(r, old, incoming, opts.subresource)
    // managedFields hook: mergeForUpdate keeps the stored entries, the tracker also sees what the client sent.
    opts.fields?.track(old, next, opts.subresource ? undefined : sentManagedFields)
    return this.commitUpdate(r, key, old, next, current.rev, opts)
  }

  private admit(phase: 'mutate' | 'validate', a: AdmissionAttributes) {
    for (const p of this.d.admission ?? []) p[phase]?.(a)
  }

  private mergeForUpdate(r: ResourceInfo, old: KubeObject, incoming: KubeObject, subresource?: string): KubeObject {
    let next: KubeObject
    if (subresource === 'status') {
      next = clone(old)
      next.status = incoming.status
    } else if (subresource === 'finalize') {
      next = clone(old)
      next.spec = incoming.spec
    } else {
      next = incoming
      const m = meta(next)
      const om = meta(old)
      m.name = om.name
      if (r.namespaced) m.namespace = om.namespace
      else delete m.namespace
      for (const f of SYSTEM_META) {
        if (om[f] === undefined) delete m[f]
        else m[f] = clone(om[f])
      }
      if (om.managedFields) m.managedFields = om.managedFields
      if (r.subresources.some((x) => x.name === 'status')) {
        if (old.status === undefined) delete next.status
        else next.status = clone(old.status)
      }
      const s = strategyFor(r)
      s.prepareForUpdate?.(next, old, this.ctx(r))
      if (s.setsGeneration && specChanged(next, old)) m.generation = (Number(om.generation) || 0) + 1
    }
    if (!next.apiVersion) next.apiVersion = old.apiVersion
    if (!next.kind) next.kind = old.kind
    return next
  }

  private commitUpdate(
    r: ResourceInfo,
    key: string,
    old: KubeObject,
    next: KubeObject,
    rev: number,
    opts: WriteOptions & {subresource?: string},
  ): {object: KubeObject; created: boolean} {
    const nm = meta(next)
    const attrs: AdmissionAttributes = {operation: 'UPDATE', resource: r, subresource: opts.subresource, namespace: nm.namespace, object: next, old, dryRun: opts.dryRun, user: opts.user}
    this.admit('mutate', attrs)
    this.validateAll(r, next, old)
    this.admit('validate', attrs)
    nm.resourceVersion = String(rev)
    // With a field tracker, a write that only changes ownership (managedFields) is a real write too.
    const sameOwners = !opts.fields || isDeepStrictEqual(nm.managedFields, meta(old).managedFields)
    if (sameOwners && isDeepStrictEqual(comparable(next), comparable(old))) {
      return {object: this.out(r, old), created: false}
    }
    if (opts.dryRun) return {object: this.out(r, next), created: false}
    // A terminating object whose last finalizer was just removed is deleted now.
    const specFinalizers = r.kind === 'Namespace' ? ((next.spec as any)?.finalizers ?? []) : []
    if (nm.deletionTimestamp && (!nm.finalizers || nm.finalizers.length === 0) && specFinalizers.length === 0) {
      try {
        const gone = this.d.store.delete(key, rev)
        strategyFor(r).afterDelete?.(gone.object, this.ctx(r))
        return {object: this.out(r, next), created: false}
      } catch (e) {
        throw this.mapWriteError(r, String(nm.name), e)
      }
    }
    try {
      return {object: this.out(r, this.d.store.update(key, next, rev).object), created: false}
    } catch (e) {
      throw this.mapWriteError(r, String(nm.name), e)
    }
  }

  private mapWriteError(r: ResourceInfo, name: string, e: unknown): unknown {
    if (e instanceof RevisionConflictError) return conflict(this.gr(r), name)
    if (e instanceof KeyNotFoundError) return notFound(this.gr(r), name)
    return e
  }

  /**
   * guaranteedUpdate reads the newest object, applies mutate and writes, retrying on conflicts (apiserver's
   * GuaranteedUpdate). mutate may return undefined to leave the object alone.
   */
  guaranteedUpdate(
    r: ResourceInfo,
    ns: string | undefined,
    name: string,
    mutate: (current: KubeObject) => KubeObject | undefined,
    opts: WriteOptions & {subresource?: string; createIfMissing?: boolean} = {},
  ): {object: KubeObject; created: boolean} {
    const key = this.key(r, ns, name)
    for (let attempt = 0; ; attempt++) {
      const current = this.d.store.get(key)
      if (!current) {
        if (opts.createIfMissing) {
          const made = mutate({} as KubeObject)
          if (!made) throw notFound(this.gr(r), name)
          meta(made).name = name
          return {object: this.create(r, ns, made, opts), created: true}
        }
        throw notFound(this.gr(r), name)
      }
      const old = this.out(r, current.object)
      const wanted = mutate(clone(old))
      if (!wanted) return {object: old, created: false}
      const incoming = convertToStorage(r, wanted)
      const next = this.mergeForUpdate(r, current.object, incoming, opts.subresource)
      try {
        return this.commitUpdate(r, key, current.object, next, current.rev, opts)
      } catch (e) {
        if (e instanceof StatusError && e.reason === 'Conflict' && attempt < 5) continue
        throw e
      }
    }
  }

  /** delete removes an object, or marks it terminating while finalizers remain. */
  delete(
    r: ResourceInfo,
    ns: string | undefined,
    name: string,
    opts: DeleteOptions = {},
  ): {object?: KubeObject; status?: Status} {
    const key = this.key(r, ns, name)
    const current = this.d.store.get(key)
    if (!current) throw notFound(this.gr(r), name)
    const obj = current.object as KubeObject
    const m = meta(obj)
    const pre = opts.preconditions
    if (pre?.uid && pre.uid !== m.uid) {
      throw conflict(this.gr(r), name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${m.uid}`)
    }
    if (pre?.resourceVersion && pre.resourceVersion !== String(current.rev)) {
      throw conflict(
        this.gr(r),
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.rev}`,
      )
    }
    const s = strategyFor(r)
    if (r.kind === 'Namespace' && r.group === '') return {object: this.out(r, this.terminateNamespace(key, obj, current.rev, opts))}
    const finalizers: string[] = Array.isArray(m.finalizers) ? m.finalizers : []
    if (finalizers.length > 0) {
      if (m.deletionTimestamp) return {object: this.out(r, obj)}
      const next = clone(obj)
      const nm = meta(next)
      nm.deletionTimestamp = rfc3339(this.d.clock.now())
      nm.deletionGracePeriodSeconds = 0
      if (opts.dryRun) return {object: this.out(r, next)}
      try {
        return {object: this.out(r, this.d.store.update(key, next, current.rev).object)}
      } catch (e) {
        throw this.mapWriteError(r, name, e)
      }
    }
    if (opts.dryRun) return s.returnDeletedObject ? {object: this.out(r, obj)} : {status: this.successStatus(r, name, m.uid)}
    try {
      const gone = this.d.store.delete(key, current.rev)
      s.afterDelete?.(gone.object, this.ctx(r))
      return s.returnDeletedObject ? {object: this.out(r, gone.object)} : {status: this.successStatus(r, name, m.uid)}
    } catch (e) {
      throw this.mapWriteError(r, name, e)
    }
  }

  private successStatus(r: ResourceInfo, name: string, uid: string): Status {
    const details: Record<string, string> = {name}
    if (r.group) details.group = r.group
    details.kind = r.plural
    details.uid = uid
    return {kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details, code: 200} as Status
  }

  private terminateNamespace(key: string, obj: KubeObject, rev: number, opts: DeleteOptions): KubeObject {
    const m = meta(obj)
    if (m.deletionTimestamp) return obj
    const next = clone(obj)
    meta(next).deletionTimestamp = rfc3339(this.d.clock.now())
    next.status = {...((next.status as object) ?? {}), phase: 'Terminating'}
    if (opts.dryRun) return next
    const written = this.d.store.update(key, next, rev).object
    this.d.onNamespaceDeleting?.(String(m.name))
    return written
  }

  /** deleteCollection deletes every object a list would return. */
  deleteCollection(r: ResourceInfo, ns: string | undefined, listOpts: ListOptions, opts: DeleteOptions = {}): KubeList {
    const l = this.list(r, ns, {...listOpts, limit: undefined, continue: undefined})
    for (const it of l.items) {
      try {
        this.delete(r, ns, String(it.metadata?.name), opts)
      } catch (e) {
        if (!(e instanceof StatusError && e.reason === 'NotFound')) throw e
      }
    }
    return l
  }

  /** finalizeNamespace removes everything in a terminating namespace, then the namespace itself. */
  finalizeNamespace(name: string): void {
    const nsRes = this.d.resources().lookup('', 'v1', 'namespaces')!
    const cur = this.d.store.get(storageKey(nsRes, undefined, name))
    if (!cur || !(cur.object as any).metadata?.deletionTimestamp) return
    const seen = new Set<string>()
    for (const r of this.d.resources().all) {
      if (!r.namespaced || r.storageOf || !r.verbs.includes('delete')) continue
      const prefixKey = storagePrefix(r, name)
      if (seen.has(prefixKey)) continue
      seen.add(prefixKey)
      for (const it of this.d.store.list(prefixKey).items) {
        try {
          this.d.store.delete(it.key, it.rev)
          strategyFor(r).afterDelete?.(it.object, this.ctx(r))
        } catch {
          // Raced with another writer; the next pass picks it up.
        }
      }
    }
    // The namespace controller's work ends by removing the "kubernetes" finalizer from spec.finalizers; the
    // namespace goes once metadata.finalizers are empty too.
    try {
      this.guaranteedUpdate(nsRes, undefined, name, (ns: any) => {
        const fins: string[] = ns.spec?.finalizers ?? []
        if (!fins.includes('kubernetes')) return undefined
        ns.spec.finalizers = fins.filter((f) => f !== 'kubernetes')
        return ns
      }, {subresource: 'finalize'})
      const latest = this.d.store.get(storageKey(nsRes, undefined, name))
      const m = (latest?.object as any)?.metadata
      if (latest && !(m?.finalizers?.length > 0) && !((latest.object as any).spec?.finalizers?.length > 0)) {
        this.d.store.delete(storageKey(nsRes, undefined, name), latest.rev)
      }
    } catch {
      // Deleted meanwhile.
    }
  }
}

function parseRV(rv: string): number {
  const n = Number(rv)
  if (!Number.isInteger(n) || n < 0) throw badRequest(`invalid resource version: ${rv}`)
  return n
}

function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({v: 'meta.k8s.io/v1', rv, start})).toString('base64url')
}

function decodeContinue(tok: string): {rv: number; start: string} {
  try {
    const o = JSON.parse(Buffer.from(tok, 'base64url').toString('utf8'))
    if (typeof o.rv === 'number' && typeof o.start === 'string') return {rv: o.rv, start: o.start}
  } catch {
    // fall through
  }
  throw badRequest('continue key is not valid: ' + tok)
}

