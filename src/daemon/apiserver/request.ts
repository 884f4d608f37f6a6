// request.ts parses a Kubernetes API path into its parts (apiserver's RequestInfoFactory), so one generic
// handler serves every resource in the table, built-in or custom.
import type {ResourceInfo, ResourceTable} from '../../api/resources.js'

/** RequestInfo is what a resource request is about. */
export interface RequestInfo {
  group: string
  version: string
  resource: ResourceInfo
  namespace?: string
  name?: string
  subresource?: string
}

/** ParsedPath is either a resource request, a group/version discovery request, or nothing known. */
export type ParsedPath =
  | {kind: 'resource'; info: RequestInfo}
  | {kind: 'groupVersion'; group: string; version: string}
  | {kind: 'group'; group: string}
  | {kind: 'unknown'}

/** parsePath maps "/apis/apps/v1/namespaces/default/deployments/web/scale" onto the resource table. */
export function parsePath(path: string, table: ResourceTable): ParsedPath {
  const segs = path.split('/').filter((s) => s !== '').map(decodeURIComponent)
  let group: string
  let version: string
  let rest: string[]
  if (segs[0] === 'api') {
    if (segs.length < 2) return {kind: 'unknown'}
    group = ''
    version = segs[1]!
    rest = segs.slice(2)
  } else if (segs[0] === 'apis') {
    if (segs.length === 2) return {kind: 'group', group: segs[1]!}
    if (segs.length < 3) return {kind: 'unknown'}
    group = segs[1]!
    version = segs[2]!
    rest = segs.slice(3)
  } else {
    return {kind: 'unknown'}
  }
  if (rest.length === 0) return {kind: 'groupVersion', group, version}
  let namespace: string | undefined
  // "namespaces/<ns>/<resource>..." is a namespaced request unless <resource> is a subresource of Namespace.
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const candidate = table.lookup(group, version, rest[2]!)
    if (candidate && candidate.namespaced) {
      namespace = rest[1]
      rest = rest.slice(2)
    }
  }
  const resource = table.lookup(group, version, rest[0]!)
  if (!resource || rest.length > 3) return {kind: 'unknown'}
  if (namespace === undefined && resource.namespaced && rest.length > 1) return {kind: 'unknown'}
  const info: RequestInfo = {group, version, resource}
  if (namespace !== undefined) info.namespace = namespace
  if (rest[1] !== undefined) info.name = rest[1]
  if (rest[2] !== undefined) {
    if (!resource.subresources.some((s) => s.name === rest[2])) return {kind: 'unknown'}
    info.subresource = rest[2]
  }
  return {kind: 'resource', info}
}
