// list-error.ts words a failed list the way cli-runtime's resource builder does (resource/helper.go EnhanceListError),
// for `get` and for every command that selects objects with -l/--field-selector through the resource builder.
import {StatusError} from '../../api/errors.js'
import {goQuote} from '../../api/gofmt.js'
import type {ResourceInfo} from '../../api/resources.js'

/**
 * enhanceListError adds the list's context to a BadRequest or NotFound Status, keeping it a StatusError (`Unable to
 * find "/v1, Resource=configmaps" that match label selector "a in", field selector "": ...`).
 */
export function enhanceListError(e: unknown, r: ResourceInfo, labelSelector: string, fieldSelector: string): unknown {
  if (!(e instanceof StatusError) || (e.reason !== 'BadRequest' && e.reason !== 'NotFound')) return e
  const gvr = goQuote(`${r.group}/${r.version}, Resource=${r.plural}`)
  const message =
    labelSelector === '' && fieldSelector === ''
      ? `Unable to list ${gvr}: ${e.message}`
      : `Unable to find ${gvr} that match label selector ${goQuote(labelSelector)}, field selector ${goQuote(fieldSelector)}: ${e.message}`
  return new StatusError({...e.status, message})
}
