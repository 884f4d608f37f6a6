// apply.ts: server-side apply with field ownership (follows structured-merge-diff merge/update.go Updater.Apply and
// prune, and apimachinery pkg/util/managedfields/internal: structuredmerge.go, skipnonapplied.go,
// lastappliedmanager.go, lastappliedupdater.go, managedfieldsupdater.go, stripmeta.go).
//
// The applied configuration is merged into the live object; fields the manager applied last time and no longer
// applies are removed unless another manager owns them; a changed field owned by another manager is a conflict
// unless forced (then the applier takes it). The manager's Apply entry becomes exactly the applied fields.
import {isDeepStrictEqual} from 'node:util'
import {toJson} from '../../../api/gojson.js'
import {badRequest} from '../../../api/errors.js'
import type {KubeObject} from '../../../api/object.js'
import {FieldSet} from './fieldset.js'
import {
  STRIP_SET,
  conflictError,
  encodeManagedFields,
  managerId,
  tryDecodeManagedFields,
  type Managed,
  type ManagedFieldsEntry,
} from './managers.js'
import type {SsaType} from './schema.js'
import {compare, ensureNamedFieldsAreMembers, merge, removeItems, toFieldSet} from './typed.js'
import {ConflictsError, reconcile, recordUpdate, withoutManagedFields} from './update.js'

/** LAST_APPLIED is the client-side apply annotation. */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration'

/** ApplyOptions describe one apply request. */
export interface ApplyOptions {
  /** manager is the fieldManager parameter (required for apply). */
  manager: string
  /** force is the force parameter: take conflicting fields instead of failing. */
  force: boolean
  /** apiVersion is the request's group/version; the applied object must carry the same. */
  apiVersion: string
  /** now is the request's time, RFC 3339. */
  now: string
  type: SsaType
  /** zero is the empty object of the kind (see UpdateOptions.zero). */
  zero?: KubeObject
  subresource?: string
}

/** ApplyResult is the object to store and its managedFields; changed is false for a no-op apply. */
export interface ApplyResult {
  object: KubeObject
  managedFields: ManagedFieldsEntry[] | undefined
  changed: boolean
}

function clone<T>(v: T): T {
  return structuredClone(v)
}

function cloneManaged(m: Managed): Managed {
  return new Map([...m].map(([k, v]) => [k, {...v}]))
}

/**
 * prune removes from merged the fields the applier owned before (lastSet) that nobody owns now (Updater.prune,
 * addBackOwnedItems and addBackDanglingItems): fields never applied by this manager stay even when unowned.
 */
export function prune(merged: unknown, managed: Managed, lastSet: FieldSet | undefined, type: SsaType): unknown {
  if (!lastSet || lastSet.isEmpty()) return merged
  const ensure = (s: FieldSet) => ensureNamedFieldsAreMembers(s, type)
  const last = ensure(lastSet)
  let owned = new FieldSet()
  for (const m of managed.values()) owned = owned.union(m.set)
  owned = ensure(owned)
  const mergedSet = ensure(toFieldSet(merged, type))
  const pruned = removeItems(merged, last, type) ?? {}
  const prunedSet = ensure(toFieldSet(pruned, type))
  const addedBack = removeItems(merged, mergedSet.difference(prunedSet.union(owned)), type) ?? {}
  const addedBackSet = ensure(toFieldSet(addedBack, type))
  return removeItems(merged, mergedSet.difference(addedBackSet).intersection(last), type) ?? {}
}

/**
 * lastAppliedOwned is the part of the client-side apply annotation that still matches the live object: fields
 * kubectl may take over without a conflict when it moves an object to server-side apply (lastappliedmanager.go).
 */
export function lastAppliedOwned(live: KubeObject, apiVersion: string, type: SsaType): FieldSet | undefined {
  const raw = (live.metadata?.annotations as Record<string, string> | undefined)?.[LAST_APPLIED]
  if (!raw) return undefined
  let last: KubeObject
  try {
    last = JSON.parse(raw)
  } catch {
    return undefined
  }
  if (!last || typeof last !== 'object' || last.apiVersion !== apiVersion) return undefined
  const cmp = compare(last, withoutManagedFields(live), type)
  return toFieldSet(last, type).difference(cmp.modified).difference(cmp.added).difference(cmp.removed)
}

/**
 * applyWithOwnership applies `applied` to `live` (undefined: the object does not exist yet) for opts.manager. It
 * throws the apiserver's 409 (reason Conflict, causes FieldManagerConflict) on conflicts, and 400 for an applied
 * object carrying managedFields or another apiVersion.
 */
export function applyWithOwnership(live: KubeObject | undefined, applied: KubeObject, opts: ApplyOptions): ApplyResult {
  if (applied.metadata && (applied.metadata as Record<string, unknown>).managedFields !== undefined) {
    throw badRequest('metadata.managedFields must be nil')
  }
  if (applied.apiVersion !== opts.apiVersion) {
    throw badRequest(
      `Incorrect version specified in apply patch. Specified patch version: ${applied.apiVersion ?? ''}, expected: ${opts.apiVersion}`,
    )
  }
  const type = opts.type
  const id = managerId({manager: opts.manager, operation: 'Apply', subresource: opts.subresource})
  const managed = tryDecodeManagedFields(live?.metadata?.managedFields)
  const liveV = withoutManagedFields(live)
  // Objects nobody tracks yet: their current fields go to "before-first-apply" (skipnonapplied.go).
  if (liveV && managed.size === 0) {
    recordUpdate(managed, opts.zero ?? {}, liveV, {
      manager: 'before-first-apply',
      apiVersion: opts.apiVersion,
      subresource: opts.subresource,
      now: opts.now,
      type,
    })
  }

  const run = (force: boolean) => {
    const m = cloneManaged(managed)
    const prev = m.get(id)
    const set = toFieldSet(applied, type)
    const entry = {
      manager: opts.manager,
      operation: 'Apply' as const,
      apiVersion: opts.apiVersion,
      subresource: opts.subresource,
    }
    m.set(id, {...entry, time: prev?.time, set})
    // A new object is the applied configuration itself; an existing one is the merge, pruned.
    const merged = liveV ? merge(liveV, applied, type) : clone(applied)
    const object = (liveV ? prune(merged, m, prev?.set, type) : merged) as KubeObject
    if (liveV) reconcile(liveV, object, type, m, id, force)
    const changed = !liveV || !isDeepStrictEqual(liveV, object)
    const stripped = set.difference(STRIP_SET)
    if (stripped.isEmpty()) m.delete(id)
    else {
      const e = {...entry, set: stripped, time: changed ? opts.now : prev?.time}
      if (!e.subresource) delete e.subresource
      if (!e.time) delete e.time
      m.set(id, e)
    }
    return {object, managed: m, changed}
  }

  let out: ReturnType<typeof run>
  try {
    out = run(opts.force)
  } catch (e) {
    if (!(e instanceof ConflictsError)) throw e
    // kubectl's own applies may take over what its client-side apply annotation still describes.
    const allowed = opts.manager === 'kubectl' && live ? lastAppliedOwned(live, opts.apiVersion, type) : undefined
    if (!allowed) throw conflictError(e.conflicts)
    const remaining = e.conflicts.filter((c) => !allowed.has(c.path))
    if (remaining.length > 0) throw conflictError(remaining)
    out = run(true)
  }

  // kubectl keeps the client-side apply annotation in step with what it applied (lastappliedupdater.go).
  const annotations = out.object.metadata?.annotations as Record<string, string> | undefined
  if (opts.manager === 'kubectl' && annotations?.[LAST_APPLIED]) {
    const cfg = clone(applied)
    const ca = cfg.metadata?.annotations as Record<string, string> | undefined
    if (ca) delete ca[LAST_APPLIED]
    const value = toJson(cfg, '') + '\n'
    if (annotations[LAST_APPLIED] !== value) {
      annotations[LAST_APPLIED] = value
      out.changed = true
    }
  }
  return {object: out.object, managedFields: encodeManagedFields(out.managed), changed: out.changed}
}
