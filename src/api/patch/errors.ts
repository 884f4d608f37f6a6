// errors.ts holds the error type of the patch algorithms. Messages are worded as apimachinery's mergepatch and
// strategicpatch packages and evanphx/json-patch word them, because kubectl prints them verbatim; `code` is the
// HTTP status the apiserver answers with (follows apiserver/pkg/endpoints/handlers/patch.go,
// interpretStrategicMergePatchError: a few sentinel errors are 400 or 422, anything else from the algorithm 500).

import {goSprint, goSprintS, goTypeName} from './go-format.js'

/** PatchError is an error raised while applying or computing a patch. */
export class PatchError extends Error {
  /** code is the HTTP status code the apiserver would answer with. */
  readonly code: number
  constructor(message: string, code = 500) {
    super(message)
    this.name = 'PatchError'
    this.code = code
  }
}

/** ERR_BAD_JSON_DOC is mergepatch.ErrBadJSONDoc. */
export const ERR_BAD_JSON_DOC = 'invalid JSON document'
/** ERR_NO_LIST_OF_LISTS is mergepatch.ErrNoListOfLists. */
export const ERR_NO_LIST_OF_LISTS = 'lists of lists are not supported'
/** ERR_BAD_PRIMITIVE_LIST is mergepatch.ErrBadPatchFormatForPrimitiveList. */
export const ERR_BAD_PRIMITIVE_LIST = 'invalid patch format of primitive list'
/** ERR_BAD_RETAIN_KEYS is mergepatch.ErrBadPatchFormatForRetainKeys. */
export const ERR_BAD_RETAIN_KEYS = 'invalid patch format of retainKeys'
/** ERR_BAD_SET_ELEMENT_ORDER is mergepatch.ErrBadPatchFormatForSetElementOrderList. */
export const ERR_BAD_SET_ELEMENT_ORDER = 'invalid patch format of setElementOrder list'

/** badRequestPatch returns one of the sentinel errors the apiserver answers with 400. */
export function badRequestPatch(message: string): PatchError {
  return new PatchError(message, 400)
}

/** noListOfLists is mergepatch.ErrNoListOfLists, answered with 422. */
export function noListOfLists(): PatchError {
  return new PatchError(ERR_NO_LIST_OF_LISTS, 422)
}

/** noMergeKey is mergepatch.ErrNoMergeKey. */
export function noMergeKey(m: unknown, key: string): PatchError {
  return new PatchError(`map: ${goSprint(m)} does not contain declared merge key: ${key}`)
}

/** badArgType is mergepatch.ErrBadArgType; expected is the Go type name the code asserted. */
export function badArgType(expected: 'map' | 'slice', actual: unknown): PatchError {
  const e = expected === 'map' ? 'map[string]interface {}' : '[]interface {}'
  return new PatchError(`expected a ${e}, but received a ${goTypeName(actual)}`)
}

/** badPatchType is mergepatch.ErrBadPatchType (an unknown `$patch` directive). */
export function badPatchType(directive: unknown, m: unknown): PatchError {
  return new PatchError(`unknown patch type: ${goSprintS(directive)} in map: ${goSprint(m)}`)
}
