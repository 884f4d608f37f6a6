// validate-meta.ts: ObjectMeta validation shared by every resource (apimachinery/pkg/api/validation
// ValidateObjectMeta and ValidateObjectMetaUpdate): the name, labels, annotations and immutable fields.
import {fieldInvalid, type FieldError} from '../../api/errors.js'
import type {KubeObject} from '../../api/object.js'
import type {ResourceInfo} from '../../api/resources.js'
import {isDNS1123Subdomain, validateAnnotations, validateLabels} from '../../api/validation.js'

/** validateMetadata checks metadata on create (old undefined) or update. */
export function validateMetadata(
  obj: KubeObject,
  _r: ResourceInfo,
  nameValidator: ((name: string) => string[]) | undefined,
  old: KubeObject | undefined,
): FieldError[] {
  const m = (obj.metadata ?? {}) as Record<string, any>
  const errs: FieldError[] = []
  const name = String(m.name ?? '')
  if (!old) {
    for (const msg of (nameValidator ?? isDNS1123Subdomain)(name)) errs.push(fieldInvalid('metadata.name', name, msg))
  }
  if (m.labels !== undefined) errs.push(...validateLabels(m.labels, 'metadata.labels'))
  if (m.annotations !== undefined) errs.push(...validateAnnotations(m.annotations, 'metadata.annotations'))
  if (old) {
    const om = (old.metadata ?? {}) as Record<string, any>
    if (m.name !== om.name) errs.push(fieldInvalid('metadata.name', m.name, 'field is immutable'))
    if (m.uid !== om.uid) errs.push(fieldInvalid('metadata.uid', m.uid, 'field is immutable'))
  }
  return errs
}
