// merge.ts is JSON merge patch (RFC 7396): applying one, computing one from two documents, and the three-way
// variant kubectl apply uses for custom resources. Follows evanphx/json-patch v4 (MergePatch, CreateMergePatch) and
// apimachinery pkg/util/jsonmergepatch (CreateThreeWayJSONMergePatch), so results match kubectl and the apiserver
// where they differ from the RFC's letter: nulls are also pruned inside objects of a newly added list.

import YAML from 'yaml'

import {PatchError} from './errors.js'
import {cloneJson, deepEqual, goKind, isJsonMap, type JsonMap} from './go-format.js'

function pruneNulls(v: unknown): void {
  if (Array.isArray(v)) {
    for (const e of v) if (e !== null) pruneNulls(e)
  } else if (isJsonMap(v)) {
    for (const k of Object.keys(v)) {
      if (v[k] === null) delete v[k]
      else pruneNulls(v[k])
    }
  }
}

function mergeInto(doc: JsonMap, patch: JsonMap): void {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) {
      delete doc[k]
      continue
    }
    const cur = doc[k]
    if (cur === undefined || cur === null || !isJsonMap(cur)) {
      pruneNulls(v)
      doc[k] = v
    } else if (isJsonMap(v)) {
      mergeInto(cur, v)
    } else {
      doc[k] = v
    }
  }
}

/**
 * applyMergePatch applies a JSON merge patch to a document and returns the result; the inputs are not modified.
 * A patch that is not a JSON object fails (evanphx's "Invalid JSON Patch" for scalars).
 */
export function applyMergePatch(original: unknown, patch: unknown): JsonMap {
  // evanphx returns a list patch itself as the result (RFC 7396), which then fails to decode as an object; the
  // wording is the one `kubectl patch --local` shows.
  if (Array.isArray(patch)) {
    throw new PatchError('json: cannot unmarshal array into Go value of type unstructured.detector', 400)
  }
  if (!isJsonMap(patch)) throw new PatchError('Invalid JSON Patch', 400)
  const doc = isJsonMap(original) ? cloneJson(original) : {}
  mergeInto(doc, cloneJson(patch))
  return doc
}

function diffObjects(a: JsonMap, b: JsonMap): JsonMap {
  const out: JsonMap = {}
  for (const [k, bv] of Object.entries(b)) {
    if (!Object.hasOwn(a, k)) {
      out[k] = cloneJson(bv)
      continue
    }
    const av = a[k]
    if (isJsonMap(av) && isJsonMap(bv)) {
      const d = diffObjects(av, bv)
      if (Object.keys(d).length > 0) out[k] = d
    } else if (goKind(av) !== goKind(bv) || !deepEqual(av, bv)) {
      out[k] = cloneJson(bv)
    }
  }
  for (const k of Object.keys(a)) if (!Object.hasOwn(b, k)) out[k] = null
  return out
}

/** createMergePatch returns the JSON merge patch that turns original into modified (evanphx CreateMergePatch). */
export function createMergePatch(original: JsonMap, modified: JsonMap): JsonMap {
  return diffObjects(original, modified)
}

// keepOrDeleteNull keeps only the null leaves (keepNull) or only the non-null ones, dropping emptied maps
// (follows jsonmergepatch.keepOrDeleteNullInObj).
function keepOrDeleteNull(m: JsonMap, keepNull: boolean): JsonMap {
  const out: JsonMap = {}
  for (const [k, v] of Object.entries(m)) {
    if (v === null) {
      if (keepNull) out[k] = null
    } else if (isJsonMap(v)) {
      if (Object.keys(v).length === 0) {
        if (!keepNull) out[k] = v
        continue
      }
      const sub = keepOrDeleteNull(v, keepNull)
      if (Object.keys(sub).length > 0) out[k] = sub
    } else if (!keepNull) {
      out[k] = v
    }
  }
  return out
}

/** hasConflicts reports whether two patches set a common key differently (follows mergepatch.HasConflicts). */
export function hasConflicts(left: unknown, right: unknown): boolean {
  if (isJsonMap(left)) {
    if (!isJsonMap(right)) return true
    for (const [k, lv] of Object.entries(left)) {
      if (Object.hasOwn(right, k) && hasConflicts(lv, right[k])) return true
    }
    return false
  }
  if (Array.isArray(left)) {
    if (!Array.isArray(right) || left.length !== right.length) return true
    return left.some((l, i) => hasConflicts(l, right[i]))
  }
  return !(goKind(left) === goKind(right) && deepEqual(left, right))
}

/** conflictError is mergepatch.ErrConflict, with both patches printed as YAML. */
export function conflictError(patch: unknown, changed: unknown): PatchError {
  return new PatchError(
    `patch:\n${YAML.stringify(patch)}\nconflicts with changes made from original to current:\n${YAML.stringify(changed)}\n`,
    409,
  )
}

/**
 * createThreeWayMergePatch returns the JSON merge patch kubectl apply sends for a custom resource: the changes
 * from current (live) to modified (the new manifest) without deletions, plus the deletions from original (the
 * last-applied configuration) to modified. Follows jsonmergepatch.CreateThreeWayJSONMergePatch.
 */
export function createThreeWayMergePatch(
  original: JsonMap | undefined,
  modified: JsonMap | undefined,
  current: JsonMap | undefined,
): JsonMap {
  const addAndChange = keepOrDeleteNull(createMergePatch(current ?? {}, modified ?? {}), false)
  const deletions = keepOrDeleteNull(createMergePatch(original ?? {}, modified ?? {}), true)
  if (hasConflicts(addAndChange, deletions)) throw conflictError(addAndChange, deletions)
  // evanphx MergePatch applied to a patch: nulls of the second patch delete, the deletions' nulls stay.
  const out = cloneJson(deletions)
  mergeInto(out, cloneJson(addAndChange))
  return out
}
