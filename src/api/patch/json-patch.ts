// json-patch.ts is JSON Patch (RFC 6902) as the apiserver and kubectl apply it: gopkg.in/evanphx/json-patch.v4.
// It is written here rather than on fast-json-patch because evanphx v4 differs from the RFC in ways kubectl users
// see (checked with `kubectl patch --local --type json`): "replace" of a missing object key adds it, "copy" from a
// missing key copies null, negative array indexes count from the end ("-1" appends for add), "01" is index 1,
// and its error texts ("add operation does not apply: doc is missing path: …: missing value") are printed by
// kubectl verbatim. Each operation's messages below follow evanphx's patch.go.

import {PatchError} from './errors.js'
import {cloneJson, deepEqual, isJsonMap, type JsonMap} from './go-format.js'

/** JsonPatchOperation is one RFC 6902 operation as decoded from the request. */
export interface JsonPatchOperation {
  op?: unknown
  path?: unknown
  from?: unknown
  value?: unknown
}

const MISSING = 'missing value'
const INVALID_INDEX = 'invalid index referenced'

type Container = {kind: 'map'; m: JsonMap} | {kind: 'list'; a: unknown[]; set: (a: unknown[]) => void}

function jsonTypeName(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  if (typeof v === 'object') return 'object'
  return typeof v === 'boolean' ? 'bool' : typeof v
}

/**
 * decodeJsonPatch checks the shape of a JSON patch body as Go's encoding/json would decode it into
 * jsonpatch.Patch; null is an empty patch.
 */
export function decodeJsonPatch(body: unknown): JsonPatchOperation[] {
  if (body === null) return []
  if (!Array.isArray(body)) {
    throw new PatchError(`json: cannot unmarshal ${jsonTypeName(body)} into Go value of type jsonpatch.Patch`, 400)
  }
  for (const op of body) {
    if (op !== null && !isJsonMap(op)) {
      throw new PatchError(`json: cannot unmarshal ${jsonTypeName(op)} into Go value of type jsonpatch.Operation`, 400)
    }
  }
  return body.map((op) => (op ?? {}) as JsonPatchOperation)
}

function decodeKey(part: string): string {
  return part.replace(/~1/g, '/').replace(/~0/g, '~')
}

function atoi(key: string): number {
  if (!/^[+-]?\d+$/.test(key)) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`)
  return parseInt(key, 10)
}

function invalidIndex(idx: number): Error {
  return new Error(`Unable to access invalid index: ${idx}: ${INVALID_INDEX}`)
}

function wrap(context: string, err: unknown): PatchError {
  return new PatchError(`${context}: ${(err as Error).message}`, 422)
}

// findObject walks every path segment but the last and returns the container and the last (decoded) key.
function findObject(root: {v: unknown}, path: string): {con: Container; key: string} | undefined {
  const parts = path.split('/')
  if (parts.length < 2) return undefined
  let con = asContainer(root, 'v')
  if (!con) return undefined
  for (const part of parts.slice(1, -1)) {
    let next: {holder: JsonMap | unknown[]; k: string | number} | undefined
    try {
      next = childRef(con, decodeKey(part))
    } catch {
      return undefined
    }
    if (!next) return undefined
    con = asContainer(next.holder, next.k)
    if (!con) return undefined
  }
  return {con, key: decodeKey(parts[parts.length - 1])}
}

function asContainer(holder: unknown, k: string | number): Container | undefined {
  const v = (holder as Record<string | number, unknown>)[k]
  if (isJsonMap(v)) return {kind: 'map', m: v}
  if (Array.isArray(v)) {
    return {kind: 'list', a: v, set: (a) => ((holder as Record<string | number, unknown>)[k] = a)}
  }
  return undefined
}

function childRef(con: Container, key: string): {holder: JsonMap | unknown[]; k: string | number} | undefined {
  if (con.kind === 'map') return con.m[key] === undefined || con.m[key] === null ? undefined : {holder: con.m, k: key}
  const idx = listIndex(con.a, key)
  return con.a[idx] === null ? undefined : {holder: con.a, k: idx}
}

// listIndex resolves an index for get/replace/remove: negative counts from the end.
function listIndex(a: unknown[], key: string): number {
  let idx = atoi(key)
  if (idx < 0) {
    if (idx < -a.length) throw invalidIndex(idx)
    idx += a.length
  }
  if (idx >= a.length) throw invalidIndex(idx)
  return idx
}

function conGet(con: Container, key: string): unknown {
  if (con.kind === 'map') return con.m[key]
  return con.a[listIndex(con.a, key)]
}

function conAdd(con: Container, key: string, value: unknown): void {
  if (con.kind === 'map') {
    con.m[key] = value
    return
  }
  if (key === '-') {
    con.set([...con.a, value])
    return
  }
  let idx: number
  try {
    idx = atoi(key)
  } catch (e) {
    throw new Error(`value was not a proper array index: '${key}': ${(e as Error).message}`, {cause: e})
  }
  if (idx > con.a.length) throw invalidIndex(idx)
  if (idx < 0) {
    if (idx < -con.a.length - 1) throw invalidIndex(idx)
    idx += con.a.length + 1
  }
  const next = [...con.a]
  next.splice(idx, 0, value)
  con.set(next)
}

function conSet(con: Container, key: string, value: unknown): void {
  if (con.kind === 'map') con.m[key] = value
  else con.a[listIndex(con.a, key)] = value
}

function conRemove(con: Container, key: string): void {
  if (con.kind === 'map') {
    if (!Object.hasOwn(con.m, key)) throw new Error(`Unable to remove nonexistent key: ${key}: ${MISSING}`)
    delete con.m[key]
    return
  }
  const idx = listIndex(con.a, key)
  const next = [...con.a]
  next.splice(idx, 1)
  con.set(next)
}

function stringField(op: JsonPatchOperation, field: 'path' | 'from'): string | undefined {
  const v = op[field]
  return typeof v === 'string' ? v : undefined
}

/**
 * applyJsonPatch applies RFC 6902 operations to a document with evanphx/json-patch v4 semantics and wording; the
 * input is not modified. Errors are PatchErrors with code 422, as the apiserver answers a patch that fails.
 */
export function applyJsonPatch(doc: unknown, ops: JsonPatchOperation[]): unknown {
  const root = {v: cloneJson(doc)}
  for (const op of ops) {
    const kind = typeof op.op === 'string' ? op.op : 'unknown'
    const needs = (field: 'path' | 'from'): string => {
      const p = stringField(op, field)
      if (p === undefined) {
        throw new PatchError(
          field === 'path'
            ? `${kind} operation failed to decode path: ${MISSING}`
            : `${kind} operation failed to decode from: operation, missing from field: ${MISSING}`,
          422,
        )
      }
      return p
    }
    const value = op.value === undefined ? null : cloneJson(op.value)
    switch (kind) {
      case 'add': {
        const path = needs('path')
        const f = findObject(root, path)
        if (!f) throw new PatchError(`add operation does not apply: doc is missing path: "${path}": ${MISSING}`, 422)
        try {
          conAdd(f.con, f.key, value)
        } catch (e) {
          throw wrap(`error in add for path: '${path}'`, e)
        }
        break
      }
      case 'remove': {
        const path = needs('path')
        const f = findObject(root, path)
        if (!f) throw new PatchError(`remove operation does not apply: doc is missing path: "${path}": ${MISSING}`, 422)
        try {
          conRemove(f.con, f.key)
        } catch (e) {
          throw wrap(`error in remove for path: '${path}'`, e)
        }
        break
      }
      case 'replace': {
        const path = needs('path')
        const f = findObject(root, path)
        if (!f) throw new PatchError(`replace operation does not apply: doc is missing path: ${path}: ${MISSING}`, 422)
        if (f.con.kind === 'list') {
          try {
            conGet(f.con, f.key)
          } catch {
            throw new PatchError(`Object to be patched is missing field (${path}: ${MISSING})`, 422)
          }
        }
        try {
          conSet(f.con, f.key, value)
        } catch (e) {
          throw wrap(`error in replace for path: '${path}'`, e)
        }
        break
      }
      case 'move': {
        const from = needs('from')
        const src = findObject(root, from)
        if (!src) {
          throw new PatchError(`move operation does not apply: doc is missing from path: ${from}: ${MISSING}`, 422)
        }
        let val: unknown
        try {
          val = conGet(src.con, src.key)
          conRemove(src.con, src.key)
        } catch (e) {
          throw wrap(`error in move for path: '${src.key}'`, e)
        }
        const path = needs('path')
        const dst = findObject(root, path)
        if (!dst) {
          throw new PatchError(
            `move operation does not apply: doc is missing destination path: ${path}: ${MISSING}`,
            422,
          )
        }
        try {
          conAdd(dst.con, dst.key, val ?? null)
        } catch (e) {
          throw wrap(`error in move for path: '${dst.key}'`, e)
        }
        break
      }
      case 'copy': {
        const from = needs('from')
        const src = findObject(root, from)
        if (!src) {
          throw new PatchError(`copy operation does not apply: doc is missing from path: ${from}: ${MISSING}`, 422)
        }
        let val: unknown
        try {
          val = conGet(src.con, src.key)
        } catch (e) {
          throw wrap(`error in copy for from: '${from}'`, e)
        }
        const path = needs('path')
        const dst = findObject(root, path)
        if (!dst) {
          throw new PatchError(
            `copy operation does not apply: doc is missing destination path: ${path}: ${MISSING}`,
            422,
          )
        }
        try {
          conAdd(dst.con, dst.key, cloneJson(val ?? null))
        } catch (e) {
          throw wrap('error while adding value during copy', e)
        }
        break
      }
      case 'test': {
        const path = needs('path')
        const f = findObject(root, path)
        if (!f) throw new PatchError(`test operation does not apply: is missing path: ${path}: ${MISSING}`, 422)
        let val: unknown
        try {
          val = conGet(f.con, f.key)
        } catch (e) {
          throw wrap(`error in test for path: '${path}'`, e)
        }
        const ok = val === undefined || val === null ? op.value === null : deepEqual(val, op.value)
        if (!ok) throw new PatchError(`testing value ${path} failed: test failed`, 422)
        break
      }
      default:
        throw new PatchError(`Unexpected kind: ${kind}`, 422)
    }
  }
  return root.v
}
