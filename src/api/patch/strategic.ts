// strategic.ts is strategic merge patch: applying one (the apiserver's PATCH with
// application/strategic-merge-patch+json, `kubectl patch`) and computing two- and three-way patches (`kubectl
// edit`, `set`, client-side `apply`). It follows apimachinery pkg/util/strategicpatch/patch.go closely, including
// its ordering rules, because kubectl users see the resulting list order:
//   - a list with patch strategy "merge" and a merge key is merged element by element; new elements from the
//     patch come first, ahead of the elements only the server has, unless `$setElementOrder/<list>` says
//     otherwise (mergeSortedSlice);
//   - a list of scalars with strategy "merge" (finalizers) is merged as a set; `$deleteFromPrimitiveList/<list>`
//     removes values;
//   - other lists are replaced; maps are merged recursively; null deletes;
//   - `$patch: replace|delete` on a map or list element, `$retainKeys` for "retainKeys" fields.
// Values are decoded JSON (plain objects, arrays, scalars). Inputs are never modified: they are deep-copied first,
// because the upstream algorithm works by mutating its arguments.

import {
  badArgType,
  badPatchType,
  badRequestPatch,
  ERR_BAD_PRIMITIVE_LIST,
  ERR_BAD_RETAIN_KEYS,
  ERR_BAD_SET_ELEMENT_ORDER,
  noListOfLists,
  noMergeKey,
  PatchError,
} from './errors.js'
import {
  cloneJson,
  deepEqual,
  goKind,
  goSprint,
  goStringLess,
  isJsonMap,
  type GoKind,
  type JsonMap,
} from './go-format.js'
import {conflictError} from './merge.js'
import type {PatchSchema} from './schema.js'

const DIRECTIVE = '$patch'
const RETAIN_KEYS = '$retainKeys'
const DELETE_PRIMITIVE_PREFIX = '$deleteFromPrimitiveList'
const SET_ORDER_PREFIX = '$setElementOrder'

interface MergeOptions {
  /** mergeParallelList: apply $deleteFromPrimitiveList/$setElementOrder/$retainKeys (server side) or keep them. */
  mergeParallelList: boolean
  /** ignoreUnmatchedNulls: drop nulls that delete nothing (server side) or keep them in the result (patch merging). */
  ignoreUnmatchedNulls: boolean
}

interface DiffOptions {
  setElementOrder?: boolean
  ignoreChangesAndAdditions?: boolean
  ignoreDeletions?: boolean
  buildRetainKeysDirective?: boolean
}

interface Lookup {
  schema?: PatchSchema
  mergeKey: string
  retainKeys: boolean
  strategy: string
}

// lookup finds a field's patch facts; a field the schema does not know has none.
function lookup(schema: PatchSchema | undefined, key: string): Lookup {
  const f = schema?.field(key)
  const strategies = f?.meta.strategy ? f.meta.strategy.split(',') : []
  let retainKeys = false
  let strategy = ''
  if (strategies.length === 1) {
    if (strategies[0] === 'retainKeys') retainKeys = true
    else strategy = strategies[0]
  } else if (strategies.length === 2 && (strategies[0] === 'retainKeys' || strategies[1] === 'retainKeys')) {
    retainKeys = true
    strategy = strategies[0] === 'retainKeys' ? strategies[1] : strategies[0]
  } else if (strategies.length > 0) {
    throw new PatchError(`unexpected patch strategy: [${strategies.join(' ')}]`)
  }
  return {schema: f?.schema, mergeKey: f?.meta.mergeKey ?? '', retainKeys, strategy}
}

function schemaName(schema: PatchSchema | undefined): string {
  return schema?.name ?? 'struct'
}

function hasKey(m: JsonMap, k: string): boolean {
  return Object.hasOwn(m, k)
}

// goEq is Go's == on two interface{} values holding scalars; a missing map entry reads as nil.
function goEq(a: unknown, b: unknown): boolean {
  return (a ?? null) === (b ?? null)
}

// --- element kinds and ordering helpers ---

function sliceElementKind(...lists: unknown[][]): GoKind {
  let prev: GoKind | undefined
  for (const l of lists) {
    for (const v of l) {
      const k = goKind(v)
      if (prev === undefined) {
        prev = k
        if (k === 'slice') throw noListOfLists()
      } else if (prev !== k) {
        throw new PatchError(`list element types are not identical: ${goSprint(lists)}`)
      }
    }
  }
  if (prev === undefined) throw new PatchError('no elements in any of the given slices')
  return prev
}

function mergeKeyValue(item: unknown, mergeKey: string, kind: GoKind): unknown {
  if (kind !== 'map') return item
  return isJsonMap(item) ? (item[mergeKey] ?? null) : null
}

function indexIn(list: unknown[], v: unknown, mergeKey: string, kind: GoKind): number {
  const key = mergeKeyValue(v, mergeKey, kind)
  return list.findIndex((e) => goEq(mergeKeyValue(e, mergeKey, kind), key))
}

// insertionSort is Go's sort.SliceStable for short lists; the comparators used here are not always consistent
// ("less" when either side is absent from the order list), so the exact algorithm matters.
function insertionSort<T>(a: T[], less: (x: T, y: T) => boolean): T[] {
  for (let i = 1; i < a.length; i++) {
    for (let j = i; j > 0 && less(a[j], a[j - 1]); j--) {
      const t = a[j]
      a[j] = a[j - 1]
      a[j - 1] = t
    }
  }
  return a
}

function sortByString<T>(a: T[], str: (x: T) => string): T[] {
  return insertionSort(a, (x, y) => goStringLess(str(x), str(y)))
}

function sortScalars(a: unknown[]): unknown[] {
  return sortByString(a, goSprint)
}

function dedupeScalars(a: unknown[]): unknown[] {
  const out: unknown[] = []
  for (const v of a) if (!out.some((o) => goEq(o, v))) out.push(v)
  return out
}

function validateMergeKeyInLists(mergeKey: string, ...lists: unknown[][]): void {
  for (const l of lists) {
    for (const item of l) {
      if (!isJsonMap(item)) throw badArgType('map', item)
      if (!hasKey(item, mergeKey)) throw noMergeKey(item, mergeKey)
    }
  }
}

// normalizeSliceOrder sorts toSort by the order of `order`; deletion directives go last.
function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string, kind: GoKind): unknown[] {
  const keep: unknown[] = []
  const toDelete: unknown[] = []
  if (kind === 'map') validateMergeKeyInLists(mergeKey, toSort, order)
  for (const v of toSort) {
    if (kind === 'map' && (v as JsonMap)[DIRECTIVE] === 'delete') toDelete.push(v)
    else keep.push(v)
  }
  insertionSort(keep, (a, b) => {
    const ia = indexIn(order, a, mergeKey, kind)
    if (ia >= 0) {
      const ib = indexIn(order, b, mergeKey, kind)
      if (ib >= 0) return ia < ib
    }
    return true
  })
  return [...keep, ...toDelete]
}

// mergeSortedSlice interleaves the server-only items (left) into the patch items (right), keeping both relative
// orders; a left item goes first only when the live list has it ahead of the right item.
function mergeSortedSlice(
  left: unknown[],
  right: unknown[],
  serverOrder: unknown[],
  mergeKey: string,
  kind: GoKind,
): unknown[] {
  const out: unknown[] = []
  let i = 0
  let j = 0
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++])
    else if (j >= right.length) out.push(left[i++])
    else {
      const li = indexIn(serverOrder, left[i], mergeKey, kind)
      const ri = indexIn(serverOrder, right[j], mergeKey, kind)
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++])
      else out.push(right[j++])
    }
  }
  return out
}

function normalizeElementOrder(
  patch: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  mergeKey: string,
  kind: GoKind,
): unknown[] {
  const p = normalizeSliceOrder(patch, patchOrder, mergeKey, kind)
  const s = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind)
  return mergeSortedSlice(s, p, serverOrder, mergeKey, kind)
}

function findByKey(list: unknown[], key: string, value: unknown): number {
  for (let i = 0; i < list.length; i++) {
    const v = list[i]
    if (!isJsonMap(v)) throw new PatchError(`value for key ${i} is not a map`)
    if (hasKey(v, key) && goEq(v[key], value)) return i
  }
  return -1
}

function partitionPrimitives(list: unknown[], by: unknown[]): [unknown[], unknown[]] {
  const inPatch: unknown[] = []
  const serverOnly: unknown[] = []
  for (const v of list) (by.some((b) => goEq(b, v)) ? inPatch : serverOnly).push(v)
  return [inPatch, serverOnly]
}

function partitionMaps(list: unknown[], by: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const inPatch: unknown[] = []
  const serverOnly: unknown[] = []
  for (const v of list) {
    if (!isJsonMap(v)) throw badArgType('map', v)
    if (!hasKey(v, mergeKey)) throw noMergeKey(v, mergeKey)
    ;(findByKey(by, mergeKey, v[mergeKey]) >= 0 ? inPatch : serverOnly).push(v)
  }
  return [inPatch, serverOnly]
}

// removeDirectives drops every map carrying `$patch` (and list elements that are such maps); `keep` is false
// when the value itself is one.
function removeDirectives(v: unknown): {value: unknown; keep: boolean} {
  if (isJsonMap(v)) {
    if (hasKey(v, DIRECTIVE)) return {value: null, keep: false}
    for (const k of Object.keys(v)) {
      const r = removeDirectives(v[k])
      if (r.keep) v[k] = r.value
      else delete v[k]
    }
    return {value: v, keep: true}
  }
  if (Array.isArray(v)) {
    const out: unknown[] = []
    for (const e of v) {
      const r = removeDirectives(e)
      if (r.keep) out.push(r.value)
    }
    return {value: out, keep: true}
  }
  return {value: v, keep: true}
}

function discardNulls(v: unknown): void {
  if (isJsonMap(v)) {
    for (const k of Object.keys(v)) {
      if (v[k] === null) delete v[k]
      else discardNulls(v[k])
    }
  } else if (Array.isArray(v)) {
    for (const e of v) discardNulls(e)
  }
}

function extractKey(key: string, prefix: string): string {
  const i = key.indexOf('/')
  if (i < 0 || key.slice(0, i) !== prefix) {
    if (prefix === DELETE_PRIMITIVE_PREFIX) throw badRequestPatch(ERR_BAD_PRIMITIVE_LIST)
    throw badRequestPatch(ERR_BAD_SET_ELEMENT_ORDER)
  }
  return key.slice(i + 1)
}

// --- applying ---

function applyRetainKeys(original: JsonMap, patch: JsonMap, opts: MergeOptions): void {
  if (!hasKey(patch, RETAIN_KEYS)) return
  const retain = patch[RETAIN_KEYS]
  delete patch[RETAIN_KEYS]
  if (!opts.mergeParallelList) {
    // merging two patches: both must carry the same list
    if (hasKey(original, RETAIN_KEYS)) {
      if (!deepEqual(original[RETAIN_KEYS], retain)) {
        throw new PatchError(
          `${goSprint(original[RETAIN_KEYS])} and ${goSprint(retain)} are not deep equal: this may happen when calculating the 3-way diff patch`,
        )
      }
    } else {
      original[RETAIN_KEYS] = retain
    }
    return
  }
  if (!Array.isArray(retain)) throw badRequestPatch(ERR_BAD_RETAIN_KEYS)
  const inList = (k: string): boolean => retain.some((r) => goEq(r, k))
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_PRIMITIVE_PREFIX) || k.startsWith(SET_ORDER_PREFIX)) continue
    if (!inList(k)) throw badRequestPatch(ERR_BAD_RETAIN_KEYS)
  }
  for (const k of Object.keys(original)) if (!inList(k)) delete original[k]
}

function validatePatchWithSetOrderList(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return
  const nonDelete = mergeKey
    ? patchList.filter((v) => {
        if (!isJsonMap(v)) throw badArgType('map', v)
        return v[DIRECTIVE] !== 'delete'
      })
    : patchList
  let pi = 0
  let oi = 0
  while (pi < nonDelete.length && oi < order.length) {
    const p = nonDelete[pi]
    if (isJsonMap(p) && hasKey(p, DIRECTIVE)) {
      pi++
      continue
    }
    if (mergeKeyValueEqual(p, order[oi], mergeKey)) pi++
    oi++
  }
  if (pi < nonDelete.length && oi >= order.length) {
    throw new PatchError(
      `The order in patch list:\n${goSprint(patchList)}\n doesn't match ${SET_ORDER_PREFIX} list:\n${goSprint(order)}\n`,
    )
  }
}

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (!mergeKey) return goEq(left, right)
  if (!isJsonMap(left)) throw badArgType('map', left)
  if (!isJsonMap(right)) throw badArgType('map', right)
  if (!hasKey(left, mergeKey)) throw noMergeKey(left, mergeKey)
  if (!hasKey(right, mergeKey)) throw noMergeKey(right, mergeKey)
  return goEq(left[mergeKey], right[mergeKey])
}

// mergeSetElementOrder handles `$setElementOrder/<list>` together with its list: merge, then order the result
// by the directive, then by the patch, then by the live list (patch.go mergePatchIntoOriginal).
function mergeSetElementOrder(
  original: JsonMap,
  patch: JsonMap,
  schema: PatchSchema | undefined,
  opts: MergeOptions,
): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ORDER_PREFIX)) continue
    const order = patch[key]
    if (!opts.mergeParallelList) {
      if (hasKey(original, key)) {
        if (!deepEqual(original[key], order)) throw badRequestPatch(ERR_BAD_SET_ELEMENT_ORDER)
      } else {
        original[key] = order
      }
    }
    delete patch[key]
    if (!Array.isArray(order)) throw badArgType('slice', order)
    const listKey = extractKey(key, SET_ORDER_PREFIX)
    const foundOriginal = hasKey(original, listKey)
    const foundPatch = hasKey(patch, listKey)
    let originalList: unknown[] = []
    let patchList: unknown[] = []
    if (foundOriginal) {
      const v = original[listKey]
      if (!Array.isArray(v)) throw badArgType('slice', v)
      originalList = v
    }
    if (foundPatch) {
      const v = patch[listKey]
      if (!Array.isArray(v)) throw badArgType('slice', v)
      patchList = v
    }
    const meta = lookup(schema, listKey)
    validatePatchWithSetOrderList(patchList, order, meta.mergeKey)
    let merged: unknown[]
    if (foundOriginal && !foundPatch) merged = originalList
    else if (!foundOriginal && foundPatch) merged = removeDirectives(patchList).value as unknown[]
    else if (foundOriginal && foundPatch) {
      merged = mergeSliceHandler(originalList, patchList, meta.schema, meta.strategy, meta.mergeKey, false, opts)
    } else continue
    const [inOrder, serverOnly] = meta.mergeKey
      ? partitionMaps(merged, order, meta.mergeKey)
      : partitionPrimitives(merged, order)
    const kind = sliceElementKind(originalList, patchList)
    original[listKey] = normalizeElementOrder(inOrder, serverOnly, order, originalList, meta.mergeKey, kind)
    delete patch[listKey]
  }
}

function mergeMap(
  original: JsonMap | null,
  patch: JsonMap,
  schema: PatchSchema | undefined,
  opts: MergeOptions,
): JsonMap {
  if (hasKey(patch, DIRECTIVE)) {
    const d = patch[DIRECTIVE]
    if (d === 'replace') {
      delete patch[DIRECTIVE]
      return patch
    }
    if (d === 'delete') return {}
    throw badPatchType(d, patch)
  }
  const orig = original ?? {}
  applyRetainKeys(orig, patch, opts)
  mergeSetElementOrder(orig, patch, schema, opts)

  for (const rawKey of Object.keys(patch)) {
    const patchV = patch[rawKey]
    let k = rawKey
    let isDeleteList = false
    if (rawKey.startsWith(DELETE_PRIMITIVE_PREFIX)) {
      if (!opts.mergeParallelList) {
        orig[rawKey] = patchV
        continue
      }
      k = extractKey(rawKey, DELETE_PRIMITIVE_PREFIX)
      isDeleteList = true
    }
    if (patchV === null) {
      delete orig[k]
      if (opts.ignoreUnmatchedNulls) continue
    }
    if (!hasKey(orig, k) || goKind(orig[k]) !== goKind(patchV)) {
      if (!isDeleteList) {
        if (opts.ignoreUnmatchedNulls) discardNulls(patchV)
        const r = removeDirectives(patchV)
        if (r.keep) orig[k] = r.value
        else delete orig[k]
      }
      continue
    }
    const cur = orig[k]
    if (isJsonMap(cur)) {
      const m = lookup(schema, k)
      orig[k] = m.strategy === 'replace' ? patchV : mergeMap(cur, patchV as JsonMap, m.schema, opts)
    } else if (Array.isArray(cur)) {
      const m = lookup(schema, k)
      orig[k] = mergeSliceHandler(cur, patchV as unknown[], m.schema, m.strategy, m.mergeKey, isDeleteList, opts)
    } else {
      orig[k] = patchV
    }
  }
  return orig
}

function mergeSliceHandler(
  original: unknown[],
  patch: unknown[],
  schema: PatchSchema | undefined,
  strategy: string,
  mergeKey: string,
  isDeleteList: boolean,
  opts: MergeOptions,
): unknown[] {
  if (strategy === 'merge' || isDeleteList) return mergeSlice(original, patch, schema, mergeKey, opts, isDeleteList)
  return patch
}

function mergeSlice(
  original: unknown[],
  patch: unknown[],
  schema: PatchSchema | undefined,
  mergeKey: string,
  opts: MergeOptions,
  isDeleteList: boolean,
): unknown[] {
  if (original.length === 0 && patch.length === 0) return original
  const kind = sliceElementKind(original, patch)
  let merged: unknown[]
  let orig = original
  let items = patch
  if (kind !== 'map') {
    if (opts.mergeParallelList && isDeleteList) return original.filter((v) => !patch.some((p) => goEq(p, v)))
    merged = dedupeScalars([...original, ...patch])
  } else {
    if (!mergeKey) throw new PatchError(`cannot merge lists without merge key for ${schemaName(schema)}`)
    ;[orig, items] = mergeSpecialElements(original, patch, mergeKey)
    merged = [...orig]
    for (const v of items) {
      const pm = v as JsonMap
      if (!hasKey(pm, mergeKey)) throw noMergeKey(pm, mergeKey)
      const i = findByKey(merged, mergeKey, pm[mergeKey])
      if (i >= 0) merged[i] = mergeMap(merged[i] as JsonMap, pm, schema, opts)
      else merged.push(v)
    }
  }
  const [inPatch, serverOnly] = mergeKey ? partitionMaps(merged, items, mergeKey) : partitionPrimitives(merged, items)
  return normalizeElementOrder(inPatch, serverOnly, items, orig, mergeKey, kind)
}

// mergeSpecialElements applies the `$patch` elements of a merging list: deletions by merge key, and "replace",
// which makes the other patch elements the whole list.
function mergeSpecialElements(original: unknown[], patch: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const rest: unknown[] = []
  let orig = original
  let replace = false
  for (const v of patch) {
    const m = v as JsonMap
    if (!hasKey(m, DIRECTIVE)) {
      rest.push(v)
      continue
    }
    const d = m[DIRECTIVE]
    if (d === 'delete') {
      if (!hasKey(m, mergeKey)) throw noMergeKey(m, mergeKey)
      orig = orig.filter((o) => !(isJsonMap(o) && hasKey(o, mergeKey) && goEq(o[mergeKey], m[mergeKey])))
    } else if (d === 'replace') {
      replace = true
    } else if (d === 'merge') {
      throw new PatchError('merging lists cannot yet be specified in the patch')
    } else {
      throw badPatchType(d, m)
    }
  }
  return replace ? [rest, []] : [orig, rest]
}

/**
 * applyStrategicMergePatch applies a strategic merge patch to an object, as the apiserver does for
 * application/strategic-merge-patch+json (StrategicMergeMapPatch). With no schema (a custom resource) it has
 * JSON merge patch semantics. Throws PatchError with apimachinery's wording; the inputs are not modified.
 */
export function applyStrategicMergePatch(original: unknown, patch: unknown, schema?: PatchSchema): JsonMap {
  if (patch === null) patch = {}
  if (!isJsonMap(patch)) throw badRequestPatch('invalid JSON document')
  const orig = isJsonMap(original) ? cloneJson(original) : {}
  return mergeMap(orig, cloneJson(patch), schema, {mergeParallelList: true, ignoreUnmatchedNulls: true})
}

/**
 * mergeStrategicMergePatches merges patches into one whose application equals applying them in turn; nulls and
 * parallel lists are kept (MergeStrategicMergeMapPatchUsingLookupPatchMeta).
 */
export function mergeStrategicMergePatches(schema: PatchSchema | undefined, ...patches: JsonMap[]): JsonMap {
  let merged: JsonMap = {}
  for (const p of patches) {
    merged = mergeMap(merged, cloneJson(p), schema, {mergeParallelList: false, ignoreUnmatchedNulls: false})
  }
  return merged
}

// --- computing ---

function diffMaps(original: JsonMap, modified: JsonMap, schema: PatchSchema | undefined, opts: DiffOptions): JsonMap {
  const patch: JsonMap = {}
  const retainKeys: unknown[] = []
  for (const [key, mv] of Object.entries(modified)) {
    if (opts.buildRetainKeysDirective && mv !== null) retainKeys.push(key)
    if (!hasKey(original, key)) {
      if (!opts.ignoreChangesAndAdditions) patch[key] = mv
      continue
    }
    const ov = original[key]
    if (key === DIRECTIVE) {
      if (typeof ov !== 'string' || typeof mv !== 'string') {
        throw new PatchError(`invalid value for special key: ${DIRECTIVE}`)
      }
      if (ov !== mv) patch[DIRECTIVE] = mv
      continue
    }
    if (goKind(ov) !== goKind(mv)) {
      if (!opts.ignoreChangesAndAdditions) patch[key] = mv
      continue
    }
    if (isJsonMap(ov)) {
      const m = lookup(schema, key)
      if (m.strategy === 'replace') {
        if (!opts.ignoreChangesAndAdditions) patch[key] = mv
      } else {
        const sub = diffMaps(ov, mv as JsonMap, m.schema, {...opts, buildRetainKeysDirective: m.retainKeys})
        if (Object.keys(sub).length > 0) patch[key] = sub
      }
    } else if (Array.isArray(ov)) {
      const m = lookup(schema, key)
      if (m.strategy === 'merge') {
        const o = {...opts, buildRetainKeysDirective: m.retainKeys}
        const {add, del, order} = diffLists(ov, mv as unknown[], m.schema, m.mergeKey, o)
        if (add.length > 0) patch[key] = add
        if (del.length > 0) patch[`${DELETE_PRIMITIVE_PREFIX}/${key}`] = del
        if (order.length > 0) patch[`${SET_ORDER_PREFIX}/${key}`] = order
      } else if (!opts.ignoreChangesAndAdditions && !deepEqual(ov, mv)) {
        patch[key] = mv
      }
    } else if (!opts.ignoreChangesAndAdditions && !deepEqual(ov, mv)) {
      patch[key] = mv
    }
  }
  if (!opts.ignoreDeletions) {
    for (const key of Object.keys(original)) if (!hasKey(modified, key)) patch[key] = null
  }
  const additional = Object.entries(original).some(([k, v]) => v !== null && !hasKey(modified, k))
  if (retainKeys.length > 0 && (Object.keys(patch).length > 0 || additional)) {
    patch[RETAIN_KEYS] = sortScalars(retainKeys)
  }
  return patch
}

function mergeKeyString(item: unknown, mergeKey: string): string {
  if (!isJsonMap(item)) throw badArgType('map', item)
  if (!hasKey(item, mergeKey)) throw noMergeKey(item, mergeKey)
  return goSprint(item[mergeKey])
}

function diffLists(
  original: unknown[],
  modified: unknown[],
  schema: PatchSchema | undefined,
  mergeKey: string,
  opts: DiffOptions,
): {add: unknown[]; del: unknown[]; order: unknown[]} {
  if (original.length === 0) {
    if (modified.length === 0 || opts.ignoreChangesAndAdditions) return {add: [], del: [], order: []}
    return {add: modified, del: [], order: []}
  }
  const kind = sliceElementKind(original, modified)
  if (kind === 'map') {
    const lists = diffListsOfMaps(original, modified, schema, mergeKey, opts)
    const add = [...normalizeSliceOrder(lists.add, modified, mergeKey, kind), ...lists.del]
    const orderSame =
      original.length === modified.length && modified.every((m, i) => mergeKeyValueEqual(original[i], m, mergeKey))
    let order: unknown[] = []
    if (
      opts.setElementOrder &&
      ((!opts.ignoreChangesAndAdditions && (add.length > 0 || !orderSame)) || (!opts.ignoreDeletions && add.length > 0))
    ) {
      order = modified.map((v) => ({[mergeKey]: (v as JsonMap)[mergeKey] ?? null}))
    }
    return {add, del: [], order}
  }
  // Upstream sorts the original list in place here and compares it with modified afterwards, so an unchanged but
  // unsorted list still yields a $setElementOrder directive; kept for parity.
  const {add: added, del} = diffListsOfScalars(original, modified, opts)
  const add = normalizeSliceOrder(added, modified, mergeKey, kind)
  let order: unknown[] = []
  if (
    opts.setElementOrder &&
    ((!opts.ignoreDeletions && del.length > 0) || (!opts.ignoreChangesAndAdditions && !deepEqual(original, modified)))
  ) {
    order = modified
  }
  return {add, del, order}
}

function diffListsOfScalars(
  original: unknown[],
  modified: unknown[],
  opts: DiffOptions,
): {add: unknown[]; del: unknown[]} {
  const o = sortScalars(original) // in place, as upstream
  const m = sortScalars([...modified])
  const add: unknown[] = []
  const del: unknown[] = []
  let oi = 0
  let mi = 0
  while (oi < o.length || mi < m.length) {
    const os = oi < o.length ? goSprint(o[oi]) : undefined
    const ms = mi < m.length ? goSprint(m[mi]) : undefined
    if (os !== undefined && ms !== undefined && os === ms) {
      oi++
      mi++
    } else if (os === undefined || (ms !== undefined && goStringLess(ms, os))) {
      if (!opts.ignoreChangesAndAdditions) add.push(m[mi])
      mi++
    } else {
      if (!opts.ignoreDeletions) del.push(o[oi])
      oi++
    }
  }
  return {add, del: dedupeScalars(del)}
}

function diffListsOfMaps(
  original: unknown[],
  modified: unknown[],
  schema: PatchSchema | undefined,
  mergeKey: string,
  opts: DiffOptions,
): {add: unknown[]; del: unknown[]} {
  const add: unknown[] = []
  const del: unknown[] = []
  const os = sortByString([...original], (v) => mergeKeyString(v, mergeKey))
  const ms = sortByString([...modified], (v) => mergeKeyString(v, mergeKey))
  let oi = 0
  let mi = 0
  while (oi < os.length || mi < ms.length) {
    const oe = oi < os.length ? (os[oi] as JsonMap) : undefined
    const me = mi < ms.length ? (ms[mi] as JsonMap) : undefined
    const oks = oe ? mergeKeyString(oe, mergeKey) : ''
    const mks = me ? mergeKeyString(me, mergeKey) : ''
    if (oe && me && oks === mks) {
      const sub = diffMaps(oe, me, schema, opts)
      if (Object.keys(sub).length > 0) {
        sub[mergeKey] = me[mergeKey]
        add.push(sub)
      }
      oi++
      mi++
    } else if (!oe || (me && goStringLess(mks, oks))) {
      if (!opts.ignoreChangesAndAdditions) add.push(me)
      mi++
    } else {
      if (!opts.ignoreDeletions) del.push({[mergeKey]: oe[mergeKey], [DIRECTIVE]: 'delete'})
      oi++
    }
  }
  return {add, del}
}

/**
 * createTwoWayMergePatch returns the strategic merge patch that turns original into modified, with
 * `$setElementOrder` directives for merging lists (CreateTwoWayMergeMapPatch; `kubectl edit`, `set image`).
 */
export function createTwoWayMergePatch(original: JsonMap, modified: JsonMap, schema?: PatchSchema): JsonMap {
  return diffMaps(cloneJson(original), cloneJson(modified), schema, {setElementOrder: true})
}

/** ThreeWayOptions tunes createThreeWayMergePatch. */
export interface ThreeWayOptions {
  /** overwrite: when false, fail if the patch changes a field that also changed from original to current. */
  overwrite?: boolean
}

/**
 * createThreeWayMergePatch returns the patch client-side `kubectl apply` sends: the difference from current
 * (live) to modified (the new manifest) without deletions, plus the deletions from original (the last-applied
 * configuration) to modified (strategicpatch.CreateThreeWayMergePatch).
 */
export function createThreeWayMergePatch(
  original: JsonMap | undefined,
  modified: JsonMap | undefined,
  current: JsonMap | undefined,
  schema?: PatchSchema,
  options: ThreeWayOptions = {overwrite: true},
): JsonMap {
  const o = cloneJson(original ?? {})
  const m = cloneJson(modified ?? {})
  const c = cloneJson(current ?? {})
  const delta = diffMaps(c, m, schema, {ignoreDeletions: true, setElementOrder: true})
  const deletions = diffMaps(o, m, schema, {setElementOrder: true, ignoreChangesAndAdditions: true})
  const patch = mergeMap(deletions, delta, schema, {mergeParallelList: false, ignoreUnmatchedNulls: false})
  if (options.overwrite === false) {
    const changed = diffMaps(o, c, schema, {})
    if (mapsHaveConflicts(patch, changed, schema)) throw conflictError(patch, changed)
  }
  return patch
}

// --- conflicts (overwrite=false) ---

function fieldsHaveConflicts(
  left: unknown,
  right: unknown,
  schema: PatchSchema | undefined,
  strategy: string,
  mergeKey: string,
): boolean {
  if (isJsonMap(left)) {
    if (!isJsonMap(right)) return true
    const lm = hasKey(left, DIRECTIVE)
    const rm = hasKey(right, DIRECTIVE)
    if ((lm || rm) && (lm !== rm || left[DIRECTIVE] !== right[DIRECTIVE])) return true
    if (strategy === 'replace') return false
    return mapsHaveConflicts(left, right, schema)
  }
  if (Array.isArray(left)) {
    if (!Array.isArray(right)) return true
    return slicesHaveConflicts(left, right, schema, strategy, mergeKey)
  }
  return !(goKind(left) === goKind(right) && deepEqual(left, right))
}

function mapsHaveConflicts(left: JsonMap, right: JsonMap, schema: PatchSchema | undefined): boolean {
  for (const [k, lv] of Object.entries(left)) {
    if (k === DIRECTIVE || k === RETAIN_KEYS || !hasKey(right, k)) continue
    let sub: Lookup = {mergeKey: '', retainKeys: false, strategy: ''}
    if (Array.isArray(lv) || isJsonMap(lv)) sub = lookup(schema, k)
    if (fieldsHaveConflicts(lv, right[k], sub.schema, sub.strategy, sub.mergeKey)) return true
  }
  return false
}

function slicesHaveConflicts(
  left: unknown[],
  right: unknown[],
  schema: PatchSchema | undefined,
  strategy: string,
  mergeKey: string,
): boolean {
  const kind = sliceElementKind(left, right)
  if (strategy === 'merge') {
    if (kind !== 'map') return false
    const byKey = (l: unknown[]): Map<string, unknown> => {
      const out = new Map<string, unknown>()
      for (const v of l) {
        if (!isJsonMap(v)) throw new PatchError(`invalid element type in merging list:${goSprint(l)}`)
        if (!hasKey(v, mergeKey)) {
          throw new PatchError(`cannot find merge key \`${mergeKey}\` in merging list element:${goSprint(v)}`)
        }
        out.set(goSprint(v[mergeKey]), v)
      }
      return out
    }
    const lm = byKey(left)
    const rm = byKey(right)
    for (const [k, lv] of lm) if (rm.has(k) && fieldsHaveConflicts(lv, rm.get(k), schema, '', '')) return true
    return false
  }
  if (left.length !== right.length) return true
  const l = kind === 'map' ? left : sortScalars(dedupeScalars(left))
  const r = kind === 'map' ? right : sortScalars(dedupeScalars(right))
  return l.some((v, i) => fieldsHaveConflicts(v, r[i], schema, '', ''))
}
