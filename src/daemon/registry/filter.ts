// filter.ts turns labelSelector and fieldSelector query parameters into one predicate over stored objects,
// rejecting field labels the resource does not support with the apiserver's error.
import {badRequest} from '../../api/errors.js'
import {convertFieldSelector, objectFields, parseFieldSelector} from '../../api/fields.js'
import {parseSelector} from '../../api/labels.js'
import type {KubeObject} from '../../api/object.js'
import type {ResourceInfo} from '../../api/resources.js'

/** ObjectFilter tells whether an object is selected. */
export type ObjectFilter = (o: KubeObject) => boolean

/** selectorFilter builds the predicate for a list or watch; it throws 400 on a bad selector. */
export function selectorFilter(r: ResourceInfo, labelSelector?: string, fieldSelector?: string): ObjectFilter {
  let labels: ReturnType<typeof parseSelector> | undefined
  let fields: ReturnType<typeof parseFieldSelector> | undefined
  if (labelSelector) {
    try {
      labels = parseSelector(labelSelector)
    } catch (e) {
      throw badRequest((e as Error).message)
    }
  }
  if (fieldSelector) {
    // The storage kind decides the supported labels (events.k8s.io Events are stored as core Events).
    const group = r.storageOf && r.group === 'events.k8s.io' ? 'events.k8s.io' : r.group
    try {
      fields = convertFieldSelector(group, r.kind, parseFieldSelector(fieldSelector))
    } catch (e) {
      throw badRequest((e as Error).message)
    }
  }
  if (!labels && !fields) return () => true
  return (o) => {
    if (labels && !labels.matches((o.metadata?.labels ?? {}) as Record<string, string>)) return false
    if (fields && !fields.matches(objectFields(r.kind, o, r.group))) return false
    return true
  }
}
