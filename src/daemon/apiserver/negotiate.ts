// negotiate.ts reads what the client accepts: a meta.k8s.io Table (kubectl get's human output) or plain JSON.
// Protobuf responses are never needed: kubectl always lists application/json too (kubectl-api.md §2.1).
import {badRequest, notAcceptable} from '../../api/errors.js'

/** Negotiated says how to encode a response. */
export interface Negotiated {
  table: boolean
  includeObject: 'None' | 'Metadata' | 'Object'
}

/** negotiate parses Accept and includeObject. */
export function negotiate(accept: string | undefined, includeObject: unknown): Negotiated {
  let table = false
  let json = !accept
  for (const part of (accept ?? '').split(',')) {
    const params = part.split(';').map((p) => p.trim())
    const type = params[0]!.toLowerCase()
    if (params.includes('as=Table') && params.includes('g=meta.k8s.io') && (params.includes('v=v1') || params.includes('v=v1beta1'))) {
      if (type === 'application/json') {
        table = true
        break
      }
      continue
    }
    if (params.some((p) => p.startsWith('as='))) continue
    if (type === 'application/json' || type === '*/*' || type === 'application/*' || type === 'application/yaml') json = true
  }
  // Protobuf-only clients still get JSON: kubectl always lists application/json too (kubectl-api.md §2.1).
  if (!table && !json && !(accept ?? '').includes('application/vnd.kubernetes.protobuf')) {
    throw notAcceptable('only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf')
  }
  const inc = includeObject === undefined ? 'Metadata' : String(includeObject)
  if (inc !== 'None' && inc !== 'Metadata' && inc !== 'Object') {
    throw badRequest(`includeObject must be one of None, Metadata, Object`)
  }
  return {table, includeObject: inc}
}
