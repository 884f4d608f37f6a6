// generic.ts: the generic registry. Every write, whether it comes over HTTP or from a controller inside the
// daemon, goes through these methods, so defaulting, validation, resourceVersion checks, namespace rules and
// finalizers are the same for everyone (apiserver's registry/generic/registry/store.go plays this role).
import {
  StatusError,
  alreadyExists,
  badRequest,
  conflict,
  fieldInvalid,
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
import {
  CompactedError,
  FutureRevisionError,
  KeyExistsError,
  KeyNotFoundError,
  RevisionConflictError,
  type Store,
  type StoreEvent,
} from '../storage/store.js'
import {selectorFilter, type ObjectFilter} from './filter.js'
import {strategyFor} from './strategies.js'
import type {AdmissionAttributes, AdmissionPlugin, Allocators, StrategyContext, UserInfo} from './types.js'
import {validateMetadata} from './validate-meta.js'
import {convertFromStorage, convertToStorage} from './convert.js'
import type {FieldTracker} from './managedfields/index.js'
import {podDeletionGracePeriod} from './kinds/pod.js'
import {EPHEMERAL_SUBRESOURCE, mergeEphemeralContainers, validateEphemeralContainersUpdate} from './ephemeral.js'
import {jsonCopy, jsonEqual} from '../storage/json-copy.js'

/** MAX_NAME_GENERATION_ATTEMPTS is the apiserver's maxNameGenerationCreateAttempts. */
const MAX_NAME_GENERATION_ATTEMPTS = 8
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

const SYSTEM_META = [
  'uid',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'generation',
] as const

function meta(o: KubeObject): Record<string, any> {
  if (!o.metadata || typeof o.metadata !== 'object') o.metadata = {}
  return o.metadata as Record<string, any>
}

function clone<T>(o: T): T {
  return jsonCopy(o)
}

/** comparable is o without metadata.resourceVersion and managedFields, for no-op detection (shallow: no clone). */
function comparable(o: KubeObject): KubeObject {
  const m = o.metadata as Record<string, unknown> | undefined
  if (!m) return o
  const {resourceVersion: _rv, managedFields: _mf, ...rest} = m
  return {...o, metadata: rest}
}

/** specChanged: anything outside metadata and status differs (what moves metadata.generation). */
function specChanged(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const {metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest} = o
    return rest
  }
  return !jsonEqual(strip(a), strip(b))
}

/** Registry is the generic store front for every resource. */
export class Registry {
  constructor(private readonly d: RegistryDeps) {}

  /** store is the store the registry writes to (the cached Table list reads it directly: list-stream.ts). */
  get store(): Store {
    return this.d.store
  }

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
      lookupFact: (res, ns, name, fact, derive) => this.d.store.memo(storageKey(res, ns, name), fact, derive),
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
    const l = this.listLazy(r, ns, opts)
    return {...l, items: [...l.items]}
  }

  /**
   * listLazy is list with items read as they are consumed: without a limit it walks the store in keyset batches
   * (Store.scan), so the apiserver can write a 100k-item list in chunks while holding one batch of objects. With a
   * limit the page is read at once (its continue token belongs in the metadata, written before the items).
   * Selector-free pages are read by the store's own keyset page (limit+1 rows; the count of what remains is made
   * once on the first page and carried in the token, follows apiserver/pkg/storage/etcd3/store.go GetList).
   */
  listLazy(
    r: ResourceInfo,
    ns: string | undefined,
    opts: ListOptions = {},
  ): Omit<KubeList, 'items'> & {items: Iterable<KubeObject>} {
    const filter = this.filter(r, opts)
    const selective = Boolean(opts.labelSelector || opts.fieldSelector)
    const prefix = storagePrefix(r, r.namespaced ? ns : undefined)
    let revision: number | undefined
    let startAfter: string | undefined
    let rem: number | undefined
    if (opts.continue) {
      const tok = decodeContinue(opts.continue)
      revision = tok.rv
      startAfter = tok.start
      rem = tok.rem
    } else if (opts.resourceVersion && opts.resourceVersion !== '0' && opts.resourceVersionMatch === 'Exact') {
      revision = parseRV(opts.resourceVersion)
    }
    const limit = opts.limit && opts.limit > 0 ? opts.limit : undefined
    const head = (rv: number, meta: Partial<KubeList['metadata']> = {}) => ({
      apiVersion: groupVersion(r.group, r.version),
      kind: r.listKind,
      metadata: {resourceVersion: String(rv), ...meta},
    })
    try {
      if (limit !== undefined && !selective) {
        const page = this.d.store.list(prefix, {
          ...(revision === undefined ? {} : {revision}),
          limit,
          ...(startAfter === undefined ? {} : {startAfterKey: startAfter, remaining: rem}),
        })
        const items = page.items.map((it) => this.out(r, it.object))
        if (page.remainingItemCount === undefined || page.items.length === 0) return {...head(page.revision), items}
        const last = page.items[page.items.length - 1].key
        return {
          ...head(page.revision, {
            continue: encodeContinue(page.revision, last, page.remainingItemCount),
            remainingItemCount: page.remainingItemCount,
          }),
          items,
        }
      }
      const scan = this.d.store.scan(prefix, {
        ...(revision === undefined ? {} : {revision}),
        ...(startAfter === undefined ? {} : {startAfterKey: startAfter}),
        batch: limit === undefined ? 1000 : Math.min(5000, Math.max(limit + 1, 500)),
      })
      if (limit === undefined) {
        const out = (o: KubeObject) => this.out(r, o)
        const lazy = function* () {
          for (const it of scan.items) if (filter(it.object)) yield out(it.object)
        }
        return {...head(scan.revision), items: lazy()}
      }
      // A selector and a limit: keep reading until the page is full and one more match shows there is a next page.
      const items: KubeObject[] = []
      let lastKey: string | undefined
      let more = false
      for (const it of scan.items) {
        if (!filter(it.object)) continue
        if (items.length >= limit) {
          more = true
          break
        }
        items.push(this.out(r, it.object))
        lastKey = it.key
      }
      if (!more || lastKey === undefined) return {...head(scan.revision), items}
      return {...head(scan.revision, {continue: encodeContinue(scan.revision, lastKey)}), items}
    } catch (e) {
      if (e instanceof CompactedError) {
        if (opts.continue) {
          throw statusError(
            410,
            'Expired',
            'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
          )
        }
        throw gone(revision ?? 0, e.compactRevision)
      }
      if (e instanceof FutureRevisionError) {
        // storage.NewTooLargeResourceVersionError: what the apiserver answers for a list (or a continue token, found
        // by fuzzing) at a revision it has not reached, after waiting for it.
        throw statusError(
          504,
          'Timeout',
          `Timeout: Too large resource version: ${e.requested}, current: ${e.currentRevision}`,
          {causes: [{reason: 'ResourceVersionTooLarge', message: 'Too large resource version'}], retryAfterSeconds: 1},
        )
      }
      throw e
    }
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
    // Without selectors every change is a MODIFIED and the previous state need not be read.
    const selective = Boolean(opts.labelSelector || opts.fieldSelector)
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
      if (!selective) {
        listener({type: 'MODIFIED', object: this.out(r, e.object)})
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
    // Every namespaced create asks this of a namespace that rarely changes: the store keeps the answer until the
    // namespace is written (an event per pod start made the namespace read 3% of a scale-out).
    const state = this.d.store.memo(storageKey(nsRes, undefined, ns!), 'namespace-state', (o: any) =>
      !o ? 'missing' : o.metadata?.deletionTimestamp || o.status?.phase === 'Terminating' ? 'terminating' : 'active',
    )
    if (state === 'missing') throw notFound({group: '', plural: 'namespaces'}, ns!)
    if (state === 'terminating') {
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

  private validateAll(r: ResourceInfo, obj: KubeObject, old: KubeObject | undefined, subresource?: string): void {
    const s = strategyFor(r)
    const ctx = this.ctx(r)
    const errs: FieldError[] = validateMetadata(obj, r, s.nameValidator, old)
    // pods/ephemeralcontainers has its own update validation (ValidatePodEphemeralContainersUpdate, ephemeral.ts).
    if (old && subresource === EPHEMERAL_SUBRESOURCE) errs.push(...validateEphemeralContainersUpdate(obj, old))
    else if (old) errs.push(...(s.validateUpdate ? s.validateUpdate(obj, old, ctx) : (s.validate?.(obj, ctx) ?? [])))
    else errs.push(...(s.validate?.(obj, ctx) ?? []))
    if (errs.length) throw invalid(r.kind, r.group, String(meta(obj).name ?? ''), errs)
  }

  private checkBodyKind(r: ResourceInfo, obj: KubeObject) {
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      throw badRequest(`Object '${'Kind'}' is missing in '${JSON.stringify(obj)}'`)
    }
    if (obj.kind !== undefined && obj.kind !== r.kind) {
      throw badRequest(
        `${obj.kind} in version "${r.version}" cannot be handled as a ${r.kind}: the object provided is unrecognized (wrong kind)`,
      )
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
    const generated = !m.name && Boolean(m.generateName)
    if (generated) m.name = String(m.generateName) + this.d.ids.nameSuffix()
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
    const attrs: AdmissionAttributes = {
      operation: 'CREATE',
      resource: r,
      namespace: m.namespace,
      object: obj,
      dryRun: opts.dryRun,
      user: opts.user,
    }
    this.admit('mutate', attrs)
    // managedFields hook: ownership of a create is computed on the defaulted object.
    opts.fields?.track(undefined, obj, m.managedFields)
    this.validateAll(r, obj, undefined)
    this.admit('validate', attrs)
    if (opts.dryRun) return this.out(r, obj)
    // RetryGenerateName (GA in 1.32, registry/generic/registry/store.go): a generated name that is taken is drawn
    // again, up to 8 attempts in all, before the create fails with AlreadyExists.
    for (let attempt = 1; ; attempt++) {
      try {
        return this.out(r, this.d.store.create(this.key(r, m.namespace, m.name), obj).object)
      } catch (e) {
        if (!(e instanceof KeyExistsError)) throw e
        if (generated && attempt < MAX_NAME_GENERATION_ATTEMPTS) {
          m.name = String(m.generateName) + this.d.ids.nameSuffix()
          continue
        }
        if (s.afterDelete) s.afterDelete(obj, ctx)
        throw alreadyExists(this.gr(r), m.name)
      }
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
    } else if (subresource === EPHEMERAL_SUBRESOURCE && r.kind === 'Pod') {
      // pods/ephemeralcontainers changes spec.ephemeralContainers only (dropNonEphemeralContainerUpdates).
      next = mergeEphemeralContainers(old, incoming)
    } else if (subresource === 'approval') {
      // CertificateSigningRequest approval (registry/certificates/certificates/strategy.go approvalStrategy): only the
      // Approved/Denied conditions change, and the two exclude each other.
      next = clone(old)
      const conditions = ((incoming.status as {conditions?: {type?: string}[]} | undefined)?.conditions ?? []) as {
        type?: string
      }[]
      const types = conditions.map((c) => c.type)
      if (types.includes('Approved') && types.includes('Denied')) {
        const i = types.lastIndexOf(types.indexOf('Approved') < types.indexOf('Denied') ? 'Denied' : 'Approved')
        throw invalid(r.kind, r.group, String(meta(old).name), [
          fieldInvalid(
            `status.conditions[${i}].type`,
            types[i],
            'Approved and Denied conditions are mutually exclusive',
          ),
        ])
      }
      next.status = {...((old.status ?? {}) as object), conditions}
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
    const attrs: AdmissionAttributes = {
      operation: 'UPDATE',
      resource: r,
      subresource: opts.subresource,
      namespace: nm.namespace,
      object: next,
      old,
      dryRun: opts.dryRun,
      user: opts.user,
    }
    this.admit('mutate', attrs)
    this.validateAll(r, next, old, opts.subresource)
    this.admit('validate', attrs)
    nm.resourceVersion = String(rev)
    // With a field tracker, a write that only changes ownership (managedFields) is a real write too.
    const sameOwners = !opts.fields || jsonEqual(nm.managedFields, meta(old).managedFields)
    if (sameOwners && jsonEqual(comparable(next), comparable(old))) {
      return {object: this.out(r, old), created: false}
    }
    if (opts.dryRun) return {object: this.out(r, next), created: false}
    // A terminating object whose last finalizer was just removed is deleted now, unless a graceful deletion is
    // still running (store.go ShouldDeleteDuringUpdate; namespaces also wait for their spec finalizers).
    const specFinalizers = r.kind === 'Namespace' ? ((next.spec as any)?.finalizers ?? []) : []
    const om = meta(old)
    const oldGrace = om.deletionGracePeriodSeconds
    if (
      om.deletionTimestamp &&
      (oldGrace === undefined || oldGrace === null || Number(oldGrace) === 0) &&
      (!nm.finalizers || nm.finalizers.length === 0) &&
      specFinalizers.length === 0
    ) {
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
        const out = this.commitUpdate(r, key, current.object, next, current.rev, opts)
        // The written object shares values with what mutate returned, which its caller may still hold and
        // change: hand back a copy of its own.
        return {object: clone(out.object), created: out.created}
      } catch (e) {
        if (e instanceof StatusError && e.reason === 'Conflict' && attempt < 5) continue
        throw e
      }
    }
  }

  /**
   * delete removes an object, or marks it terminating (apiserver's registry/generic/registry/store.go Delete with
   * rest.BeforeDelete): a pod with a grace period gets deletionTimestamp = now + grace and stays until its kubelet
   * (or a grace-0 DELETE) removes it; objects with finalizers, including the garbage collector's `orphan` and
   * `foregroundDeletion` that the propagation policy adds, stay until those are removed.
   */
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
      throw conflict(
        this.gr(r),
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${m.uid}`,
      )
    }
    if (pre?.resourceVersion && pre.resourceVersion !== String(current.rev)) {
      throw conflict(
        this.gr(r),
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.rev}`,
      )
    }
    if (r.kind === 'Namespace' && r.group === '') return this.deleteNamespace(r, key, obj, current.rev, opts)
    const s = strategyFor(r)
    const next = clone(obj)
    const nm = meta(next)
    const before = beforeDelete(r, next, opts, this.d.clock.now())
    // A graceful deletion already under way answers with the object; finalizers cannot change meanwhile.
    if (before.pending) return {object: this.out(r, obj)}
    const fin = propagationFinalizers(r, m, opts)
    const hadFinalizers = Array.isArray(m.finalizers) && m.finalizers.length > 0
    return this.d.store.transaction(() => {
      let rev = current.rev
      let last = obj
      if (before.graceful || hadFinalizers || fin.changed) {
        if (fin.changed) {
          if (fin.finalizers.length) nm.finalizers = fin.finalizers
          else delete nm.finalizers
        }
        const pendingFinalizers = Array.isArray(nm.finalizers) && nm.finalizers.length > 0
        let write = true
        if (!before.graceful) {
          if (pendingFinalizers) markAsDeleting(nm, this.d.clock.now())
          else write = false
        }
        if (write) {
          if (!jsonEqual(comparable(next), comparable(obj))) {
            if (opts.dryRun) last = next
            else {
              try {
                const w = this.d.store.update(key, next, rev)
                rev = w.rev
                last = w.object
              } catch (e) {
                throw this.mapWriteError(r, name, e)
              }
            }
          }
          if (pendingFinalizers || (before.graceful && Number(nm.deletionGracePeriodSeconds) > 0)) {
            return {object: this.out(r, last)}
          }
        }
      }
      if (opts.dryRun)
        return s.returnDeletedObject ? {object: this.out(r, last)} : {status: this.successStatus(r, name, m.uid)}
      try {
        const gone = this.d.store.delete(key, rev)
        s.afterDelete?.(gone.object, this.ctx(r))
        return s.returnDeletedObject ? {object: this.out(r, gone.object)} : {status: this.successStatus(r, name, m.uid)}
      } catch (e) {
        throw this.mapWriteError(r, name, e)
      }
    })
  }

  private successStatus(r: ResourceInfo, name: string, uid: string): Status {
    const details: Record<string, string> = {name}
    if (r.group) details.group = r.group
    details.kind = r.plural
    details.uid = uid
    return {kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details, code: 200} as Status
  }

  /**
   * deleteNamespace follows pkg/registry/core/namespace/storage Delete: the first DELETE sets deletionTimestamp
   * and phase Terminating (the orphan / foregroundDeletion finalizers follow the propagation policy); the namespace
   * controller then empties it and removes the `kubernetes` spec finalizer. A later DELETE while spec finalizers
   * remain is a Conflict.
   */
  private deleteNamespace(
    r: ResourceInfo,
    key: string,
    obj: KubeObject,
    rev: number,
    opts: DeleteOptions,
  ): {object?: KubeObject; status?: Status} {
    const m = meta(obj)
    const name = String(m.name)
    if (!m.deletionTimestamp) {
      const next = clone(obj)
      const nm = meta(next)
      nm.deletionTimestamp = rfc3339(this.d.clock.now())
      next.status = {...((next.status as object) ?? {}), phase: 'Terminating'}
      const fins = ((nm.finalizers ?? []) as string[]).filter(
        (f) => f !== ORPHAN_FINALIZER && f !== FOREGROUND_FINALIZER,
      )
      const had = (f: string) => ((m.finalizers ?? []) as string[]).includes(f)
      const policy = opts.propagationPolicy
      if (policy === 'Orphan' || (policy === undefined && had(ORPHAN_FINALIZER))) fins.push(ORPHAN_FINALIZER)
      if (policy === 'Foreground' || (policy === undefined && had(FOREGROUND_FINALIZER)))
        fins.push(FOREGROUND_FINALIZER)
      if (fins.length) nm.finalizers = fins
      else delete nm.finalizers
      if (opts.dryRun) return {object: this.out(r, next)}
      let written: KubeObject
      try {
        written = this.d.store.update(key, next, rev).object
      } catch (e) {
        throw this.mapWriteError(r, name, e)
      }
      this.d.onNamespaceDeleting?.(name)
      return {object: this.out(r, written)}
    }
    if (((obj.spec as any)?.finalizers ?? []).length > 0) {
      throw conflict(
        this.gr(r),
        name,
        'The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.',
      )
    }
    if (((m.finalizers ?? []) as string[]).length > 0) return {object: this.out(r, obj)}
    if (opts.dryRun) return {object: this.out(r, obj)}
    try {
      const gone = this.d.store.delete(key, rev)
      return {object: this.out(r, gone.object)}
    } catch (e) {
      throw this.mapWriteError(r, name, e)
    }
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

  /**
   * finalizeNamespace is a one-pass namespace deletion for a daemon without the namespace controller: it deletes
   * what a terminating namespace holds through delete() (graceful pod deletion and finalizers apply, as the
   * controller's deletes do) and, when nothing is left, removes the `kubernetes` spec finalizer so the namespace
   * goes. The namespace controller (controllers/namespace.ts) does the same work, repeatedly, until it is empty.
   */
  finalizeNamespace(name: string): void {
    const nsRes = this.d.resources().lookup('', 'v1', 'namespaces')!
    const cur = this.d.store.get(storageKey(nsRes, undefined, name))
    if (!cur || !(cur.object as any).metadata?.deletionTimestamp) return
    let remaining = 0
    const seen = new Set<string>()
    for (const r of this.d.resources().all) {
      if (!r.namespaced || r.storageOf || !r.verbs.includes('delete') || !r.verbs.includes('list')) continue
      const prefixKey = storagePrefix(r, name)
      if (seen.has(prefixKey)) continue
      seen.add(prefixKey)
      for (const it of this.d.store.list(prefixKey).items) {
        const itemName = String((it.object as any).metadata?.name)
        try {
          this.delete(r, name, itemName, {propagationPolicy: 'Background'})
        } catch {
          // Raced with another writer; what is left is counted below.
        }
      }
      remaining += this.d.store.list(prefixKey).items.length
    }
    if (remaining > 0) return
    try {
      this.guaranteedUpdate(
        nsRes,
        undefined,
        name,
        (ns: any) => {
          const fins: string[] = ns.spec?.finalizers ?? []
          if (!fins.includes('kubernetes')) return undefined
          ns.spec.finalizers = fins.filter((f) => f !== 'kubernetes')
          return ns
        },
        {subresource: 'finalize'},
      )
    } catch {
      // Deleted meanwhile.
    }
  }
}

/** ORPHAN_FINALIZER makes the garbage collector orphan an object's dependents before it goes (metav1.FinalizerOrphanDependents). */
export const ORPHAN_FINALIZER = 'orphan'
/** FOREGROUND_FINALIZER makes the garbage collector delete an object's dependents first (metav1.FinalizerDeleteDependents). */
export const FOREGROUND_FINALIZER = 'foregroundDeletion'

/**
 * defaultGCPolicy is a resource's DefaultGarbageCollectionPolicy: batch/v1 Jobs orphan their pods when the
 * request names no policy (pkg/registry/batch/job/strategy.go, kept for backward compatibility), Events have
 * no dependents (Unsupported), everything else deletes dependents in the background.
 */
function defaultGCPolicy(r: ResourceInfo): 'Orphan' | 'Background' | 'Unsupported' {
  if (r.group === 'batch' && r.version === 'v1' && r.kind === 'Job') return 'Orphan'
  if (r.kind === 'Event' && (r.group === '' || r.group === 'events.k8s.io')) return 'Unsupported'
  return 'Background'
}

/**
 * propagationFinalizers computes the finalizers a DELETE leaves on the object (store.go
 * deletionFinalizersForGarbageCollection): the propagation policy, else an existing orphan/foregroundDeletion
 * finalizer, else the resource's default decides between `orphan`, `foregroundDeletion` and neither.
 */
function propagationFinalizers(
  r: ResourceInfo,
  m: Record<string, any>,
  opts: DeleteOptions,
): {changed: boolean; finalizers: string[]} {
  const existing: string[] = Array.isArray(m.finalizers) ? m.finalizers : []
  const policy = defaultGCPolicy(r)
  if (policy === 'Unsupported') return {changed: false, finalizers: existing}
  let orphan: boolean
  let foreground: boolean
  if (opts.propagationPolicy) {
    orphan = opts.propagationPolicy === 'Orphan'
    foreground = opts.propagationPolicy === 'Foreground'
  } else if (existing.includes(ORPHAN_FINALIZER) || existing.includes(FOREGROUND_FINALIZER)) {
    orphan = existing.includes(ORPHAN_FINALIZER)
    foreground = !orphan && existing.includes(FOREGROUND_FINALIZER)
  } else {
    orphan = policy === 'Orphan'
    foreground = false
  }
  const out = existing.filter((f) => f !== ORPHAN_FINALIZER && f !== FOREGROUND_FINALIZER)
  if (orphan) out.push(ORPHAN_FINALIZER)
  if (foreground) out.push(FOREGROUND_FINALIZER)
  const same =
    out.length === existing.length && out.every((f) => existing.includes(f)) && existing.every((f) => out.includes(f))
  return {changed: !same, finalizers: same ? existing : out}
}

/**
 * beforeDelete is rest.BeforeDelete for the one kind with graceful deletion, Pods: on the first DELETE it sets
 * deletionTimestamp = now + grace and deletionGracePeriodSeconds (graceful); a later DELETE may only shorten the
 * grace period (the timestamp moves back by the difference), otherwise the deletion is pending and nothing
 * changes. A pod already marked with grace 0 (or none) is deleted at once. Other kinds are never graceful.
 */
function beforeDelete(
  r: ResourceInfo,
  next: KubeObject,
  opts: DeleteOptions,
  now: number,
): {graceful: boolean; pending: boolean} {
  if (!(r.kind === 'Pod' && r.group === '')) return {graceful: false, pending: false}
  const nm = meta(next)
  let requested = opts.gracePeriodSeconds
  if (requested !== undefined && requested < 0) requested = 1
  if (typeof nm.deletionGracePeriodSeconds === 'number' && nm.deletionGracePeriodSeconds < 0)
    nm.deletionGracePeriodSeconds = 1
  if (nm.deletionTimestamp) {
    const current = nm.deletionGracePeriodSeconds
    if (current === undefined || current === null || current === 0) return {graceful: false, pending: false}
    if (requested === undefined || requested >= current) return {graceful: false, pending: true}
    const at = Date.parse(String(nm.deletionTimestamp)) - current * 1000 + requested * 1000
    nm.deletionTimestamp = rfc3339(at)
    nm.deletionGracePeriodSeconds = requested
    return {graceful: true, pending: false}
  }
  const period = podDeletionGracePeriod(next, requested)
  nm.deletionTimestamp = rfc3339(now + period * 1000)
  nm.deletionGracePeriodSeconds = period
  if (Number(nm.generation) > 0) nm.generation = Number(nm.generation) + 1
  return {graceful: true, pending: false}
}

/**
 * markAsDeleting marks an object that has no graceful deletion but keeps finalizers (store.go markAsDeleting):
 * deletionTimestamp now (unless an earlier one is set), deletionGracePeriodSeconds 0, generation bumped once.
 */
function markAsDeleting(nm: Record<string, any>, now: number): void {
  if (!nm.deletionTimestamp && Number(nm.generation) > 0) nm.generation = Number(nm.generation) + 1
  if (!nm.deletionTimestamp || Date.parse(String(nm.deletionTimestamp)) > now) nm.deletionTimestamp = rfc3339(now)
  nm.deletionGracePeriodSeconds = 0
}

function parseRV(rv: string): number {
  const n = Number(rv)
  if (!Number.isInteger(n) || n < 0) throw badRequest(`invalid resource version: ${rv}`)
  return n
}

/**
 * encodeContinue makes a list's continue token: apiserver/pkg/storage/continue.go's {v, rv, start} with the full start
 * key, plus rem (mkctl's addition), the number of keys after start at rv; base64url.
 */
export function encodeContinue(rv: number, start: string, rem?: number): string {
  return Buffer.from(
    JSON.stringify(rem === undefined ? {v: 'meta.k8s.io/v1', rv, start} : {v: 'meta.k8s.io/v1', rv, start, rem}),
  ).toString('base64url')
}

/** decodeContinue reads a continue token; a malformed one is the apiserver's 400. */
export function decodeContinue(tok: string): {rv: number; start: string; rem?: number} {
  try {
    const o = JSON.parse(Buffer.from(tok, 'base64url').toString('utf8'))
    if (typeof o.rv === 'number' && typeof o.start === 'string')
      return {rv: o.rv, start: o.start, rem: Number.isSafeInteger(o.rem) && o.rem >= 0 ? o.rem : undefined}
  } catch {
    // fall through
  }
  throw badRequest('continue key is not valid: ' + tok)
}
