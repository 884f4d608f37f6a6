// typed.ts: the operations of server-side apply on JSON values with an apply type (follows structured-merge-diff
// typed/tofieldset.go, compare.go, merge.go, remove.go and fieldpath.Set.EnsureNamedFieldsAreMembers): the field set
// of a value, the comparison of two values as added/modified/removed sets, the merge of an applied configuration
// into a live object, and the removal of a set of fields from a value.
import {isDeepStrictEqual} from 'node:util'
import {FieldSet, encodePE, fieldPE, keyPE, valuePE, type FieldPath, type PathElement} from './fieldset.js'
import {childType, isNamedField, resolveKind, type SsaType} from './schema.js'

type Obj = Record<string, unknown>

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

/**
 * itemPE is the path element of a list item: its key fields for a map-list (defaults filling missing keys), its
 * value for a set-list; undefined when the item cannot be keyed (upstream reports an error; we treat the list as a
 * leaf instead).
 */
export function itemPE(t: SsaType, item: unknown): PathElement | undefined {
  if (t.keys) {
    if (!isObj(item)) return undefined
    const fields: Array<[string, unknown]> = []
    for (const k of t.keys) {
      if (item[k] !== undefined) fields.push([k, item[k]])
      else if (t.keyDefaults?.[k] !== undefined) fields.push([k, t.keyDefaults[k]])
    }
    if (t.keys.length > 0 && fields.length === 0) return undefined
    return keyPE(fields)
  }
  if (item === null || typeof item === 'object') return undefined
  return valuePE(item)
}

// listPEs keys every item, or returns undefined when one cannot be keyed.
function listPEs(t: SsaType, list: unknown[]): PathElement[] | undefined {
  const out: PathElement[] = []
  for (const it of list) {
    const pe = itemPE(t, it)
    if (!pe) return undefined
    out.push(pe)
  }
  return out
}

// how tells how a value is walked; keyed lists whose items cannot be keyed become leaves.
function how(t: SsaType, v: unknown): 'leaf' | 'list' | 'map' {
  const k = resolveKind(t, v)
  if (k === 'list' && !listPEs(t, v as unknown[])) return 'leaf'
  return k
}

// nullAware: a null value takes the shape of its type (upstream deduceAtom leaves the type's atom alone for null,
// so a null list compares as an empty list, not as a leaf).
function nullAware(t: SsaType, v: unknown): 'leaf' | 'list' | 'map' {
  if (v !== null) return how(t, v)
  if (t.kind === 'list' && !t.atomic) return 'list'
  if (t.kind === 'map' && !t.atomic) return 'map'
  return 'leaf'
}

/** toFieldSet is every field a value sets (typed.TypedValue.ToFieldSet). */
export function toFieldSet(value: unknown, t: SsaType): FieldSet {
  const set = new FieldSet()
  walkSet(value, t, [], set)
  return set
}

function walkSet(v: unknown, t: SsaType, path: FieldPath, set: FieldSet): void {
  const k = how(t, v)
  if (k === 'leaf') {
    set.insert(path)
    return
  }
  if (k === 'list') {
    const list = v as unknown[]
    const pes = listPEs(t, list)!
    const seen = new Map<string, number>()
    for (const pe of pes) seen.set(encodePE(pe), (seen.get(encodePE(pe)) ?? 0) + 1)
    // Duplicated items are owned as a whole (upstream: "duplicates" set).
    list.forEach((item, i) => {
      const pe = pes[i]
      const p = [...path, pe]
      if ((seen.get(encodePE(pe)) ?? 0) > 1) {
        set.insert(p)
        return
      }
      walkSet(item, t.elem(), p, set)
      set.insert(p)
    })
    return
  }
  for (const [name, child] of Object.entries(v as Obj)) {
    const p = [...path, fieldPE(name)]
    walkSet(child, childType(t, name), p, set)
    if (child === null || (isObj(child) && Object.keys(child).length === 0) || !isNamedField(t, name)) set.insert(p)
  }
}

/** Comparison is the difference between two values as field sets (typed.Comparison). */
export interface Comparison {
  added: FieldSet
  modified: FieldSet
  removed: FieldSet
}

/** compare finds the fields added, modified and removed from lhs to rhs (typed.TypedValue.Compare). */
export function compare(lhs: unknown, rhs: unknown, t: SsaType): Comparison {
  const c: Comparison = {added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet()}
  walkCompare(lhs, rhs, t, [], c, false)
  return c
}

function isEmptyCollection(v: unknown): boolean {
  if (v === undefined || v === null) return true
  if (Array.isArray(v)) return v.length === 0
  if (isObj(v)) return Object.keys(v).length === 0
  return false
}

function walkCompare(lhs: unknown, rhs: unknown, t: SsaType, path: FieldPath, c: Comparison, inLeaf: boolean): void {
  const leaf = () => {
    if (inLeaf) return
    inLeaf = true
    if (lhs === undefined) c.added.insert(path)
    else if (rhs === undefined) c.removed.insert(path)
    else if (!isDeepStrictEqual(lhs, rhs)) c.modified.insert(path)
  }
  const kl = lhs === undefined ? undefined : nullAware(t, lhs)
  const kr = rhs === undefined ? undefined : nullAware(t, rhs)
  const k = kr ?? kl
  if (kl !== undefined && kr !== undefined && kl !== kr) {
    // The value changed shape: walk both sides (upstream handles each atom), which amounts to a leaf change.
    leaf()
  } else if (k === 'leaf' || k === undefined) {
    leaf()
  } else if (k === 'list') {
    const l = (lhs as unknown[] | undefined) ?? []
    const r = (rhs as unknown[] | undefined) ?? []
    if (l.length === 0 && r.length === 0) leaf()
    else compareLists(t, l, r, path, c)
  } else {
    const l = (lhs as Obj | undefined) ?? {}
    const r = (rhs as Obj | undefined) ?? {}
    if (isEmptyCollection(l) && isEmptyCollection(r)) leaf()
    else {
      const names = new Set([...Object.keys(l), ...Object.keys(r)])
      for (const name of names) {
        walkCompare(l[name], r[name], childType(t, name), [...path, fieldPE(name)], c, false)
      }
    }
  }
  if (!inLeaf) {
    if (lhs === undefined) c.added.insert(path)
    else if (rhs === undefined) c.removed.insert(path)
  }
}

function compareLists(t: SsaType, l: unknown[], r: unknown[], path: FieldPath, c: Comparison): void {
  const lp = listPEs(t, l)!
  const rp = listPEs(t, r)!
  const lv = new Map<string, unknown[]>()
  const rv = new Map<string, unknown[]>()
  const order: Array<{k: string; pe: PathElement}> = []
  lp.forEach((pe, i) => {
    const k = encodePE(pe)
    if (!lv.has(k)) {
      lv.set(k, [])
      order.push({k, pe})
    }
    lv.get(k)!.push(l[i])
  })
  rp.forEach((pe, i) => {
    const k = encodePE(pe)
    if (!rv.has(k)) {
      rv.set(k, [])
      if (!lv.has(k)) order.push({k, pe})
    }
    rv.get(k)!.push(r[i])
  })
  for (const {k, pe} of order) {
    const ll = lv.get(k) ?? []
    const rl = rv.get(k) ?? []
    const p = [...path, pe]
    if (ll.length <= 1 && rl.length <= 1) walkCompare(ll[0], rl[0], t.elem(), p, c, false)
    else if (ll.length >= 2 && rl.length >= 2) {
      if (!isDeepStrictEqual(ll, rl)) c.modified.insert(p)
    } else if (ll.length >= 2) {
      if (rl.length > 0) walkCompare(undefined, rl[0], t.elem(), p, c, false)
      c.removed.insert(p)
    } else {
      if (ll.length > 0) walkCompare(ll[0], undefined, t.elem(), p, c, false)
      c.added.insert(p)
    }
  }
}

/**
 * merge merges an applied configuration (rhs) into a live value (lhs) (typed.TypedValue.Merge): leaves and atomic
 * values come from rhs, granular maps merge key by key, map-lists and set-lists merge item by item, keeping the
 * order of rhs for shared items and lhs-only items where they were.
 */
export function merge(lhs: unknown, rhs: unknown, t: SsaType): unknown {
  if (rhs === undefined) return structuredClone(lhs)
  if (lhs === undefined || lhs === null || rhs === null) return structuredClone(rhs)
  const kl = how(t, lhs)
  const kr = how(t, rhs)
  if (kl !== kr || kr === 'leaf') return structuredClone(rhs)
  if (kr === 'map') {
    const l = lhs as Obj
    const r = rhs as Obj
    const out: Obj = {}
    for (const [name, v] of Object.entries(l))
      out[name] = name in r ? merge(v, r[name], childType(t, name)) : structuredClone(v)
    for (const [name, v] of Object.entries(r)) if (!(name in l)) out[name] = merge(undefined, v, childType(t, name))
    return out
  }
  return mergeLists(t, lhs as unknown[], rhs as unknown[])
}

function mergeLists(t: SsaType, l: unknown[], r: unknown[]): unknown[] {
  const lp = listPEs(t, l)!.map(encodePE)
  const rp = listPEs(t, r)!.map(encodePE)
  const lByKey = new Map<string, unknown>()
  lp.forEach((k, i) => {
    if (!lByKey.has(k)) lByKey.set(k, l[i])
  })
  const rByKey = new Map<string, unknown>()
  rp.forEach((k, i) => {
    if (!rByKey.has(k)) rByKey.set(k, r[i])
  })
  // Shared items follow rhs order; lhs-only items stay where they were relative to them.
  const queue = rp.filter((k) => lByKey.has(k))
  let nextShared = queue.shift()
  const merged = new Set<string>()
  const out: unknown[] = []
  const emit = (k: string) => {
    merged.add(k)
    out.push(merge(lByKey.get(k), rByKey.get(k), t.elem()))
  }
  let li = 0
  let ri = 0
  while (li < lp.length || ri < rp.length) {
    if (li < lp.length && ri < rp.length) {
      const k = lp[li]
      if (k === rp[ri]) {
        emit(k)
        li++
        ri++
        nextShared = queue.shift()
        continue
      }
      if (rByKey.has(k) && nextShared !== undefined && nextShared !== k) {
        li++
        continue
      }
    }
    if (li < lp.length) {
      const k = lp[li]
      if (!rByKey.has(k)) {
        out.push(structuredClone(l[li]))
        li++
        continue
      } else if (merged.has(k)) {
        li++
      }
    }
    if (ri < rp.length) {
      const k = rp[ri]
      emit(k)
      ri++
      if (nextShared === k) nextShared = queue.shift()
    }
  }
  return out
}

/**
 * removeItems removes the fields of set from a value (typed.TypedValue.RemoveItems): a member removes the field or
 * item with everything below it; a child descends. Maps and lists left empty become undefined.
 */
export function removeItems(value: unknown, set: FieldSet, t: SsaType): unknown {
  const k = how(t, value)
  if (k === 'leaf') return value
  if (k === 'list') {
    const list = value as unknown[]
    if (list.length === 0) return value
    const pes = listPEs(t, list)!
    const out: unknown[] = []
    list.forEach((item, i) => {
      const pe = pes[i]
      if (set.hasMember(pe)) return
      const sub = set.withPrefix(pe)
      out.push(sub.isEmpty() ? item : removeItems(item, sub, t.elem()))
    })
    return out.length > 0 ? out : undefined
  }
  const m = value as Obj
  if (Object.keys(m).length === 0) return value
  const out: Obj = {}
  for (const [name, v] of Object.entries(m)) {
    const pe = fieldPE(name)
    if (set.hasMember(pe)) continue
    const sub = set.withPrefix(pe)
    const nv = sub.isEmpty() ? v : removeItems(v, sub, childType(t, name))
    if (nv !== undefined) out[name] = nv
  }
  return Object.keys(out).length > 0 ? out : undefined
}

/**
 * ensureNamedFieldsAreMembers adds to a set every declared struct field that has owned fields below it, so that
 * removing the set removes those fields whole (fieldpath.Set.EnsureNamedFieldsAreMembers). Needs the type of each
 * level, found by walking the set along the type.
 */
export function ensureNamedFieldsAreMembers(set: FieldSet, t: SsaType): FieldSet {
  const typeAt = (path: FieldPath): SsaType | undefined => {
    let cur: SsaType = t
    for (const pe of path) {
      if ('field' in pe) cur = childType(cur, pe.field)
      else if (cur.kind === 'list') cur = cur.elem()
      else return undefined
    }
    return cur
  }
  return set.withExtraMembers((prefix, child) => {
    if (!('field' in child)) return false
    const at = typeAt(prefix)
    return !!at && isNamedField(at, child.field)
  })
}
