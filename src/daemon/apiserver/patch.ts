// patch.ts applies the four PATCH body types to an object (kubectl-api.md §7.2). The algorithms live in
// src/api/patch (shared with the CLI); this file maps media types and errors to the apiserver's answers.
import {StatusError, badRequest, statusError} from '../../api/errors.js'
import type {KubeObject} from '../../api/object.js'
import {
  PatchError,
  applyJsonPatch,
  applyMergePatch,
  applyStrategicMergePatch,
  type PatchSchema,
} from '../../api/patch/index.js'
import {parseJsonBody} from './body.js'

/** PatchType is a PATCH Content-Type. */
export type PatchType =
  | 'application/json-patch+json'
  | 'application/merge-patch+json'
  | 'application/strategic-merge-patch+json'
  | 'application/apply-patch+yaml'

/** applyPatch returns a patched copy of current. */
export function applyPatch(
  type: PatchType,
  current: KubeObject,
  raw: Buffer,
  schema: PatchSchema | undefined,
  custom = false,
): KubeObject {
  const body = parseJsonBody(raw)
  try {
    switch (type) {
      case 'application/json-patch+json':
        if (!Array.isArray(body))
          throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch')
        return applyJsonPatch(current, body) as KubeObject
      case 'application/merge-patch+json':
        return applyMergePatch(current, body) as KubeObject
      case 'application/strategic-merge-patch+json':
        if (custom) {
          throw statusError(
            415,
            'UnsupportedMediaType',
            'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
          )
        }
        return applyStrategicMergePatch(current, body, schema) as KubeObject
      default:
        throw statusError(
          415,
          'UnsupportedMediaType',
          `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
        )
    }
  } catch (e) {
    if (e instanceof StatusError) throw e
    if (e instanceof PatchError && type === 'application/json-patch+json' && e.code === 422) {
      // The apiserver wraps JSON patch failures in NewGenericServerResponse(422): a generic message, the
      // jsonpatch text as the one cause (apiserver/pkg/endpoints/handlers/patch.go).
      throw statusError(422, 'Invalid', 'the server rejected our request due to an error in our request', {
        causes: [{reason: 'UnexpectedServerResponse', message: e.message}],
      })
    }
    if (e instanceof PatchError) {
      if (e.code === 400) throw badRequest(e.message)
      if (e.code === 422) throw statusError(422, 'Invalid', e.message)
      // interpretStrategicMergePatchError passes the other strategicpatch errors on as plain errors (an unknown
      // $patch directive, a missing merge key), which ErrorToAPIStatus answers with a 500 without a reason
      throw statusError(500, '', e.message)
    }
    throw badRequest((e as Error).message)
  }
}
