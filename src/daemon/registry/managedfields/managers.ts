// managers.ts: metadata.managedFields as the apiserver reads and writes it (follows apimachinery
// pkg/util/managedfields/internal/managedfields.go, conflict.go, stripmeta.go, capmanagers.go): one entry per
// manager identifier (manager + operation + subresource, plus apiVersion for updates), entries sorted by
// operation, time, manager, apiVersion and subresource, apply conflicts as a 409 whose wording and causes match
// the apiserver's.
import {statusError, type StatusCause, type StatusError} from '../../../api/errors.js'
import {FieldSet, fieldPE, pathString, type FieldPath} from './fieldset.js'

/** ManagedFieldsEntry is meta/v1 ManagedFieldsEntry, keys in the Go struct's order. */
export interface ManagedFieldsEntry {
  manager?: string
  operation?: 'Apply' | 'Update' | string
  apiVersion?: string
  time?: string
  fieldsType?: string
  fieldsV1?: Record<string, unknown>
  subresource?: string
}

/** ManagerSet is one decoded entry: who, how, and the fields it owns. */
export interface ManagerSet {
  manager: string
  operation: 'Apply' | 'Update'
  apiVersion: string
  subresource?: string
  time?: string
  set: FieldSet
}

/** Managed maps manager identifiers to their sets (fieldpath.ManagedFields plus times). */
export type Managed = Map<string, ManagerSet>

/**
 * managerId is the identifier upstream keys managers by (BuildManagerIdentifier): the entry's JSON without time,
 * fieldsType and fieldsV1, and without apiVersion for appliers, so an applier keeps one entry across versions.
 */
export function managerId(m: {manager: string; operation: string; apiVersion?: string; subresource?: string}): string {
  const o: Record<string, string> = {manager: m.manager, operation: m.operation}
  if (m.operation !== 'Apply' && m.apiVersion) o.apiVersion = m.apiVersion
  if (m.subresource) o.subresource = m.subresource
  return JSON.stringify(o)
}

/** decodeManagedFields reads metadata.managedFields; it throws on an invalid entry (upstream DecodeManagedFields). */
export function decodeManagedFields(entries: unknown): Managed {
  const out: Managed = new Map()
  if (!Array.isArray(entries)) return out
  entries.forEach((e: ManagedFieldsEntry, i) => {
    if (e.operation !== 'Apply' && e.operation !== 'Update') throw new Error('operation must be `Apply` or `Update`')
    if (!e.apiVersion) throw new Error('apiVersion must not be empty')
    if (e.fieldsType !== 'FieldsV1') {
      throw new Error(
        e.fieldsType
          ? `invalid fieldsType "${e.fieldsType}" in managed fields entry ${i}`
          : `missing fieldsType in managed fields entry ${i}`,
      )
    }
    const m: ManagerSet = {
      manager: e.manager ?? '',
      operation: e.operation,
      apiVersion: e.apiVersion,
      set: FieldSet.fromFieldsV1(e.fieldsV1 ?? {}),
    }
    if (e.subresource) m.subresource = e.subresource
    if (e.time) m.time = e.time
    out.set(managerId(m), m)
  })
  return out
}

/** tryDecodeManagedFields is decodeManagedFields that gives an empty set of managers on error. */
export function tryDecodeManagedFields(entries: unknown): Managed {
  try {
    return decodeManagedFields(entries)
  } catch {
    return new Map()
  }
}

function seconds(t: string | undefined): number {
  if (!t) return 0
  const ms = Date.parse(t)
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000)
}

/** encodeManagedFields writes managers back as sorted entries; undefined when there are none. */
export function encodeManagedFields(managed: Managed): ManagedFieldsEntry[] | undefined {
  const list = [...managed.values()].filter((m) => !m.set.isEmpty())
  if (list.length === 0) return undefined
  list.sort((p, q) => {
    if (p.operation !== q.operation) return p.operation < q.operation ? -1 : 1
    const ps = seconds(p.time)
    const qs = seconds(q.time)
    if (ps !== qs) return ps < qs ? -1 : 1
    if (p.manager !== q.manager) return p.manager < q.manager ? -1 : 1
    if (p.apiVersion !== q.apiVersion) return p.apiVersion < q.apiVersion ? -1 : 1
    const pr = p.subresource ?? ''
    const qr = q.subresource ?? ''
    return pr === qr ? 0 : pr < qr ? -1 : 1
  })
  return list.map((m) => {
    const e: ManagedFieldsEntry = {manager: m.manager, operation: m.operation, apiVersion: m.apiVersion}
    if (m.time) e.time = m.time
    e.fieldsType = 'FieldsV1'
    e.fieldsV1 = m.set.toFieldsV1()
    if (m.subresource) e.subresource = m.subresource
    return e
  })
}

/** isResetManagedFields: an empty list, or one empty entry, asks the server to drop all ownership. */
export function isResetManagedFields(entries: unknown): boolean {
  if (!Array.isArray(entries)) return false
  if (entries.length === 0) return true
  return (
    entries.length === 1 &&
    entries[0] !== null &&
    typeof entries[0] === 'object' &&
    Object.keys(entries[0]).length === 0
  )
}

/** STRIP_SET are the fields no manager owns (stripmeta.go). */
export const STRIP_SET: FieldSet = FieldSet.of(
  [fieldPE('apiVersion')],
  [fieldPE('kind')],
  [fieldPE('metadata')],
  ...[
    'name',
    'namespace',
    'creationTimestamp',
    'selfLink',
    'uid',
    'clusterName',
    'generation',
    'managedFields',
    'resourceVersion',
  ].map((f): FieldPath => [fieldPE('metadata'), fieldPE(f)]),
)

/** Conflict is one field an applier would take from another manager. */
export interface Conflict {
  /** manager is the other manager's identifier. */
  manager: string
  path: FieldPath
}

// printManager renders a manager identifier as conflict.go does: `"name"`, plus ` with subresource "s"` and, for
// updaters, ` using apps/v1` (identifiers carry no time, so the "at <time>" form never shows).
function printManager(id: string): string {
  let m: ManagedFieldsEntry
  try {
    m = JSON.parse(id)
  } catch {
    return JSON.stringify(id)
  }
  let s = JSON.stringify(m.manager ?? '')
  if (m.subresource) s += ` with subresource ${JSON.stringify(m.subresource)}`
  if (m.operation === 'Update') s += ` using ${m.apiVersion ?? ''}`
  return s
}

/** conflictError is the 409 the apiserver answers an apply with (internal.NewConflictError). */
export function conflictError(conflicts: Conflict[]): StatusError {
  const causes: StatusCause[] = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(c.manager)}`,
    field: pathString(c.path),
  }))
  let message: string
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0].manager)}: ${pathString(conflicts[0].path)}`
  } else {
    const byManager = new Map<string, FieldPath[]>()
    for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), c.path])
    const lines: string[] = []
    for (const m of [...byManager.keys()].sort()) {
      lines.push(`conflicts with ${printManager(m)}:`)
      for (const p of byManager.get(m)!) lines.push(`- ${pathString(p)}`)
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`
  }
  return statusError(409, 'Conflict', message, {causes})
}

/** MAX_UPDATE_MANAGERS is how many Update entries an object keeps before the oldest merge (capmanagers.go). */
export const MAX_UPDATE_MANAGERS = 10

/**
 * capUpdateManagers merges the oldest Update entries into "ancient-changes" entries (one per apiVersion) until at
 * most MAX_UPDATE_MANAGERS Update entries remain.
 */
export function capUpdateManagers(managed: Managed): void {
  const updaters = [...managed.entries()].filter(([, m]) => m.operation === 'Update')
  if (updaters.length <= MAX_UPDATE_MANAGERS) return
  updaters.sort(([ia, a], [ib, b]) => seconds(a.time) - seconds(b.time) || (ia < ib ? -1 : ia > ib ? 1 : 0))
  const firstOfVersion = new Map<string, string>()
  let length = updaters.length
  for (let i = 0; i < updaters.length && length > MAX_UPDATE_MANAGERS; i++) {
    const [id, m] = updaters[i]
    const bucket = managerId({manager: 'ancient-changes', operation: 'Update', apiVersion: m.apiVersion})
    const first = firstOfVersion.get(m.apiVersion)
    if (first === undefined) {
      firstOfVersion.set(m.apiVersion, id)
      continue
    }
    if (!managed.has(bucket)) {
      const f = managed.get(first)!
      managed.delete(first)
      managed.set(bucket, {
        manager: 'ancient-changes',
        operation: 'Update',
        apiVersion: m.apiVersion,
        time: f.time,
        set: f.set,
      })
    }
    const b = managed.get(bucket)!
    managed.set(bucket, {...b, set: b.set.union(m.set), time: m.time})
    managed.delete(id)
    length--
  }
}
