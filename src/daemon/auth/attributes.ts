// attributes.ts turns an HTTP request into authorization Attributes the way the apiserver's RequestInfoFactory
// does (apiserver/pkg/endpoints/request/requestinfo.go), from the path alone: /api and /apis paths with a resource
// are resource requests (verb from the method, list/watch/deletecollection when no name, the namespace of
// /namespaces/NS/..., a Namespace's own name as its namespace); everything else is a path with a lower-case verb.
import type {UserInfo} from '../registry/types.js'
import type {Attributes} from './rbac.js'

/** NAMESPACE_SUBRESOURCES are the subresources of a Namespace itself (not resources inside it). */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize'])

const METHOD_VERBS: Record<string, string> = {
  GET: 'get',
  HEAD: 'get',
  POST: 'create',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
}

/** requestAttributes parses method, path and query into Attributes for user. */
export function requestAttributes(user: UserInfo, method: string, path: string, query: URLSearchParams): Attributes {
  const nonResource = (): Attributes => ({user, verb: method.toLowerCase(), resourceRequest: false, path})
  const segs = path.split('/').filter((s) => s !== '')
  let parts: string[]
  let apiGroup = ''
  let apiVersion: string
  if (segs[0] === 'api' && segs.length >= 3) {
    apiVersion = segs[1]!
    parts = segs.slice(2)
  } else if (segs[0] === 'apis' && segs.length >= 4) {
    apiGroup = segs[1]!
    apiVersion = segs[2]!
    parts = segs.slice(3)
  } else {
    return nonResource()
  }
  let decoded: string[]
  try {
    decoded = parts.map(decodeURIComponent)
  } catch {
    return nonResource()
  }
  let verb = METHOD_VERBS[method.toUpperCase()]
  if (!verb) return nonResource()
  let cur = decoded
  // the deprecated /watch/ prefix
  if (cur[0] === 'watch') {
    verb = 'watch'
    cur = cur.slice(1)
  }
  let namespace: string | undefined
  if (cur[0] === 'namespaces' && cur.length > 1) {
    namespace = cur[1]
    if (cur.length > 2 && !NAMESPACE_SUBRESOURCES.has(cur[2]!)) cur = cur.slice(2)
  }
  if (cur.length === 0) return nonResource()
  const a: Attributes = {user, verb, resourceRequest: true, apiGroup, apiVersion, resource: cur[0]!}
  if (namespace !== undefined) a.namespace = namespace
  if (cur.length >= 2) a.name = cur[1]!
  if (cur.length >= 3) a.subresource = cur[2]!
  if (cur.length > 3) return nonResource()
  if (!a.name) {
    if (verb === 'get') {
      const w = query.get('watch')
      a.verb = w === 'true' || w === '1' ? 'watch' : 'list'
    } else if (verb === 'delete') a.verb = 'deletecollection'
    if (a.verb === 'list' || a.verb === 'watch') {
      // a list or watch of one object by field selector is authorized as that object (resourceNames rules)
      const m = /(?:^|,)metadata\.name==?([^,]+)(?:,|$)/.exec(query.get('fieldSelector') ?? '')
      if (m) a.name = m[1]!
    }
  }
  return a
}

/** STREAM_SUBRESOURCES need `create` even when upgraded from a GET (AuthorizePodWebsocketUpgradeCreatePermission). */
export const STREAM_SUBRESOURCES = new Set(['exec', 'attach', 'portforward'])
