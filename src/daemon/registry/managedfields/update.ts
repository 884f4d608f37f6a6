// update.ts: ownership for non-apply writes (create, update, patch) and the comparison step apply shares with them
// (follows structured-merge-diff merge/update.go Updater.update/Update and apimachinery
// pkg/util/managedfields/internal: fieldmanager.go decodeLiveOrNew, managedfieldsupdater.go, skipnonapplied.go,
// buildmanagerinfo.go; the manager name follows apiserver endpoints/handlers/create.go managerOrUserAgent).
// A writer's Update entry gains the fields its write added or changed; other managers lose those fields and the
// fields the write removed.
import type {KubeObject} from '../../../api/object.js'
import {FieldSet} from './fieldset.js'
import {
  STRIP_SET,
  capUpdateManagers,
  decodeManagedFields,
  encodeManagedFields,
  isResetManagedFields,
  managerId,
  tryDecodeManagedFields,
  type Conflict,
  type Managed,
  type ManagedFieldsEntry,
} from './managers.js'
import type {SsaType} from './schema.js'
import {compare, type Comparison} from './typed.js'

/** FIELD_MANAGER_MAX_LENGTH is the longest manager name the apiserver accepts (validation.FieldManagerMaxLength). */
export const FIELD_MANAGER_MAX_LENGTH = 128

/**
 * managerOrUserAgent is the manager of a write: the fieldManager parameter, else the User-Agent up to its first
 * "/" (kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07 → kubectl), without unprintable characters, at most 128
 * bytes; "unknown" when that leaves nothing (buildManagerInfo).
 */
export function managerOrUserAgent(fieldManager: string | undefined, userAgent: string | undefined): string {
  if (fieldManager) return fieldManager
  let out = ''
  let bytes = 0
  for (const ch of (userAgent ?? '').split('/')[0]) {
    if (!/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch)) continue
    const n = Buffer.byteLength(ch)
    if (bytes + n > FIELD_MANAGER_MAX_LENGTH) break
    out += ch
    bytes += n
  }
  return out || 'unknown'
}

/** ConflictsError carries the conflicts of a comparison that was not forced. */
export class ConflictsError extends Error {
  constructor(readonly conflicts: Conflict[]) {
    super(`${conflicts.length} conflicts`)
  }
}

/** withoutManagedFields is a copy of an object without metadata.managedFields (RemoveObjectManagedFields). */
export function withoutManagedFields(o: KubeObject | undefined): KubeObject | undefined {
  if (!o) return o
  const c = structuredClone(o)
  if (c.metadata) delete (c.metadata as Record<string, unknown>).managedFields
  return c
}

/**
 * reconcile compares live with next and takes the changed fields away from every manager but `self`; removed fields
 * are dropped from them too. Without force, a changed field owned by another manager is a conflict (Updater.update).
 */
export function reconcile(
  live: unknown,
  next: unknown,
  type: SsaType,
  managed: Managed,
  self: string,
  force: boolean,
): Comparison {
  const cmp = compare(live, next, type)
  const changed = cmp.modified.union(cmp.added)
  const taken = new Map<string, FieldSet>()
  const conflicts: Conflict[] = []
  for (const id of [...managed.keys()].sort()) {
    if (id === self) continue
    const cs = managed.get(id)!.set.intersection(changed)
    if (cs.isEmpty()) continue
    taken.set(id, cs)
    for (const path of cs.paths()) conflicts.push({manager: id, path})
  }
  if (!force && conflicts.length > 0) throw new ConflictsError(conflicts)
  for (const [id, m] of [...managed]) {
    if (id === self) continue
    let set = m.set
    const cs = taken.get(id)
    if (cs) set = set.difference(cs)
    if (!cmp.removed.isEmpty()) set = set.difference(cmp.removed)
    if (set.isEmpty()) managed.delete(id)
    else managed.set(id, {...m, set})
  }
  return cmp
}

/** UpdateOptions describe one non-apply write. */
export interface UpdateOptions {
  /** manager is the writer's name (managerOrUserAgent). */
  manager: string
  /** apiVersion is the request's group/version ("apps/v1"). */
  apiVersion: string
  /** subresource is "status", "scale" or empty for the main resource. */
  subresource?: string
  /** now is the write's time, RFC 3339. */
  now: string
  type: SsaType
  /** zero is the empty object of the kind, the "live" object of a create (non-pointer structs present). */
  zero?: KubeObject
}

/**
 * updateManagedFields computes metadata.managedFields for a create (live undefined) or an update. sent is what the
 * client put in metadata.managedFields (ignored for subresources): an empty list resets ownership, a valid
 * non-empty list replaces the stored entries, anything else keeps them. Objects that are not tracked (no entries)
 * stay untracked on update, as the apiserver's skipNonApplied manager does.
 */
export function updateManagedFields(
  live: KubeObject | undefined,
  next: KubeObject,
  sent: unknown,
  opts: UpdateOptions,
): ManagedFieldsEntry[] | undefined {
  let managed: Managed
  const stored = live?.metadata?.managedFields
  if (opts.subresource) managed = tryDecodeManagedFields(stored)
  else if (isResetManagedFields(sent)) managed = new Map()
  else {
    let fromSent: Managed | undefined
    try {
      fromSent = decodeManagedFields(sent)
    } catch {
      fromSent = undefined
    }
    managed = fromSent && fromSent.size > 0 ? fromSent : tryDecodeManagedFields(stored)
  }
  if (live && managed.size === 0) return undefined
  recordUpdate(managed, withoutManagedFields(live) ?? opts.zero ?? {}, withoutManagedFields(next), opts)
  capUpdateManagers(managed)
  return encodeManagedFields(managed)
}

/** recordUpdate runs one Update operation of opts.manager from live to next on managed (managedFieldsUpdater). */
export function recordUpdate(managed: Managed, live: unknown, next: unknown, opts: UpdateOptions): void {
  const self = '\u0000current-operation'
  const cmp = reconcile(live, next, opts.type, managed, self, true)
  const set = cmp.modified.union(cmp.added).difference(STRIP_SET)
  if (set.isEmpty()) return
  const entry = {
    manager: opts.manager,
    operation: 'Update' as const,
    apiVersion: opts.apiVersion,
    subresource: opts.subresource || undefined,
  }
  const id = managerId(entry)
  const prev = managed.get(id)
  const m = {...entry, time: opts.now, set: prev ? set.union(prev.set) : set}
  if (!m.subresource) delete m.subresource
  managed.set(id, m)
}

/**
 * FieldTracker computes metadata.managedFields for a registry write. The HTTP handlers give one to create and
 * update; writes without one (in-process controllers) keep managedFields as they are.
 */
export interface FieldTracker {
  /** track sets (or removes) next.metadata.managedFields; live is undefined on create, sent is the client's. */
  track(live: KubeObject | undefined, next: KubeObject, sent: unknown): void
}

/** updateTracker records an Update entry for opts.manager. */
export function updateTracker(opts: Omit<UpdateOptions, 'now'> & {now: () => string}): FieldTracker {
  return {
    track(live, next, sent) {
      const mf = updateManagedFields(live, next, sent, {...opts, now: opts.now()})
      setManagedFields(next, mf)
    },
  }
}

/** presetTracker stores managedFields computed beforehand (server-side apply). */
export function presetTracker(entries: ManagedFieldsEntry[] | undefined): FieldTracker {
  return {
    track(_live, next) {
      setManagedFields(next, entries)
    },
  }
}

/** setManagedFields sets or removes metadata.managedFields. */
export function setManagedFields(obj: KubeObject, entries: ManagedFieldsEntry[] | undefined): void {
  const m = (obj.metadata ??= {}) as Record<string, unknown>
  if (entries && entries.length > 0) m.managedFields = entries
  else delete m.managedFields
}

export {FieldSet}
