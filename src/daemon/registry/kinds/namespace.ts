// namespace.ts: Namespace defaults (pkg/registry/core/namespace/strategy.go): phase Active, the "kubernetes"
// finalizer, and the immutable kubernetes.io/metadata.name label.
import type {KubeObject} from '../../../api/object.js'
import {isDNS1123Label} from '../../../api/validation.js'
import type {Strategy} from '../types.js'

function nameLabel(o: KubeObject) {
  const m = o.metadata as Record<string, any>
  m.labels = {...(m.labels ?? {}), 'kubernetes.io/metadata.name': m.name}
}

/** namespaceStrategy is the Namespace strategy. */
export const namespaceStrategy: Strategy = {
  nameValidator: isDNS1123Label,
  returnDeletedObject: true,
  prepareForCreate(o) {
    o.spec = {finalizers: ['kubernetes'], ...((o.spec as object) ?? {})}
    o.status = {phase: 'Active'}
    nameLabel(o)
  },
  prepareForUpdate(o, old) {
    o.spec = old.spec
    o.status = old.status
    nameLabel(o)
  },
}
