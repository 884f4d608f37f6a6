// auth/ is the daemon's authentication and authorization, in the apiserver's filter order
// (apiserver/pkg/server/config.go DefaultBuildHandlerChain): authenticate the bearer token (tokens.ts), apply
// Impersonate-* headers when the caller may impersonate (endpoints/filters/impersonation.go), then authorize the
// request with RBAC (rbac.ts). One Auth per cluster serves the express app and the stream upgrades alike.
import type {IncomingHttpHeaders} from 'node:http'
import {internalError, StatusError, unauthorized} from '../../api/errors.js'
import type {KubeObject} from '../../api/object.js'
import type {ResourceInfo, ResourceTable} from '../../api/resources.js'
import type {Registry} from '../registry/generic.js'
import type {UserInfo} from '../registry/types.js'
import {requestAttributes, STREAM_SUBRESOURCES} from './attributes.js'
import {
  authorize,
  forbiddenError,
  MASTERS,
  rulesFor,
  serviceAccountGroups,
  splitServiceAccountUser,
  type Attributes,
  type Decision,
  type RBACSource,
  type UserRules,
} from './rbac.js'
import {ADMIN_USER, AUTHENTICATED, bearerToken, Tokens, type StateStore} from './tokens.js'

export {ADMIN_USER, Tokens, type StateStore, type TokenUser} from './tokens.js'
export {authorize, forbiddenError, rulesFor, ruleAllows, type Attributes, type RBACSource} from './rbac.js'
export {requestAttributes} from './attributes.js'

/** AuthDeps are what Auth reads: the RBAC objects through the registry, daemon_state, the admin token, the time. */
export interface AuthDeps {
  registry: Registry
  resources: () => ResourceTable
  state: StateStore
  adminToken: string
  now: () => number
}

/** AuthResult is a request's identity, or the Status that refuses it (401, 403, 500). */
export type AuthResult = {user: UserInfo; error?: undefined} | {error: StatusError; user?: undefined}

/** Headers are a request's headers, each as all its values (IncomingMessage.headersDistinct). */
export type Headers = Record<string, string[] | undefined>

const RBAC = 'rbac.authorization.k8s.io'

/** registrySource reads the RBAC objects from the registry (the newest state, no cache: writes apply at once). */
function registrySource(registry: Registry, resources: () => ResourceTable): RBACSource {
  const R = (plural: string): ResourceInfo | undefined => resources().lookup(RBAC, 'v1', plural)
  const list = (plural: string, ns: string | undefined): KubeObject[] => {
    const r = R(plural)
    return r ? registry.list(r, ns).items : []
  }
  const one = (plural: string, ns: string | undefined, name: string): KubeObject | undefined => {
    const r = R(plural)
    return r ? registry.tryGet(r, ns, name) : undefined
  }
  return {
    clusterRoleBindings: () => list('clusterrolebindings', undefined),
    roleBindings: (ns) => list('rolebindings', ns),
    clusterRole: (name) => one('clusterroles', undefined, name),
    role: (ns, name) => one('roles', ns, name),
  }
}

function first(v: string[] | undefined): string | undefined {
  return v && v.length ? v[0] : undefined
}

/** Auth authenticates, impersonates and authorizes requests for one cluster. */
export class Auth {
  readonly tokens: Tokens
  readonly source: RBACSource

  constructor(deps: AuthDeps) {
    this.source = registrySource(deps.registry, deps.resources)
    const saR = () => deps.resources().lookup('', 'v1', 'serviceaccounts')!
    this.tokens = new Tokens(
      deps.state,
      deps.adminToken,
      (ns, name) => {
        const sa = deps.registry.tryGet(saR(), ns, name)
        return sa?.metadata?.uid as string | undefined
      },
      deps.now,
    )
  }

  /** authorize decides one request's Attributes. */
  authorize(a: Attributes): Decision {
    return authorize(this.source, a)
  }

  /** rulesFor lists user's rules in namespace (SelfSubjectRulesReview). */
  rulesFor(user: UserInfo, namespace: string): UserRules {
    return rulesFor(this.source, user, namespace)
  }

  /**
   * check runs one request through authentication, impersonation and authorization. The admin (system:masters)
   * without impersonation costs one constant-time comparison and nothing else.
   */
  check(method: string, url: string, headers: IncomingHttpHeaders, distinct: Headers): AuthResult {
    const token = bearerToken(headers.authorization)
    const requestor = token === undefined ? undefined : this.tokens.authenticate(token)
    if (!requestor) return {error: unauthorized()}
    let user = requestor
    if (
      headers['impersonate-user'] !== undefined ||
      headers['impersonate-group'] !== undefined ||
      headers['impersonate-uid'] !== undefined ||
      Object.keys(headers).some((h) => h.startsWith('impersonate-extra-'))
    ) {
      const imp = this.impersonate(requestor, distinct)
      if (imp instanceof StatusError) return {error: imp}
      user = imp
    }
    if (user.groups.includes(MASTERS)) return {user}
    // the raw path, not a normalized one: express routes `/mkctl/v1/x/../../apis` by its raw text, so RBAC must too
    const q = url.indexOf('?')
    const path = q < 0 ? url : url.slice(0, q)
    const a = requestAttributes(user, method, path, new URLSearchParams(q < 0 ? '' : url.slice(q + 1)))
    const denied = this.deny(a)
    if (denied) return {error: denied}
    // A stream upgraded from a GET needs `create` too (AuthorizePodWebsocketUpgradeCreatePermission, on in 1.32).
    if (
      a.resourceRequest &&
      a.verb === 'get' &&
      a.resource === 'pods' &&
      STREAM_SUBRESOURCES.has(a.subresource ?? '')
    ) {
      const again = this.deny({...a, verb: 'create'})
      if (again) return {error: again}
    }
    return {user}
  }

  private deny(a: Attributes): StatusError | undefined {
    const d = this.authorize(a)
    return d.allowed ? undefined : forbiddenError(a, d.reason)
  }

  /** impersonate applies Impersonate-User/-Group/-Uid/-Extra-*: each one must be allowed to requestor. */
  impersonate(requestor: UserInfo, h: Headers): UserInfo | StatusError {
    const username = first(h['impersonate-user']) ?? ''
    const groups = (h['impersonate-group'] ?? []).filter((g) => g !== '')
    const uid = first(h['impersonate-uid']) ?? ''
    const extras = Object.entries(h).filter(([k]) => k.startsWith('impersonate-extra-'))
    const checks: {attrs: Omit<Attributes, 'user' | 'verb' | 'resourceRequest'>; label: string}[] = []
    const sa = username ? splitServiceAccountUser(username) : undefined
    if (sa)
      checks.push({
        attrs: {apiGroup: '', resource: 'serviceaccounts', ...sa},
        label: `{ServiceAccount ${sa.namespace} ${sa.name}}`,
      })
    else if (username)
      checks.push({attrs: {apiGroup: '', resource: 'users', name: username}, label: `{User  ${username}}`})
    for (const g of groups) checks.push({attrs: {apiGroup: '', resource: 'groups', name: g}, label: `{Group  ${g}}`})
    for (const [k, vs] of extras) {
      const key = decodeURIComponent(k.slice('impersonate-extra-'.length))
      for (const v of vs ?? [])
        checks.push({
          attrs: {apiGroup: 'authentication.k8s.io', resource: 'userextras', subresource: key, name: v},
          label: `{UserExtra  ${v}}`,
        })
    }
    if (uid)
      checks.push({attrs: {apiGroup: 'authentication.k8s.io', resource: 'uids', name: uid}, label: `{UID  ${uid}}`})
    if (!username && checks.length > 0) {
      return internalError(`requested [${checks.map((c) => c.label).join(' ')}] without impersonating a user`)
    }
    for (const c of checks) {
      const denied = this.deny({user: requestor, verb: 'impersonate', resourceRequest: true, ...c.attrs})
      if (denied) return denied
    }
    const groupsSpecified = (h['impersonate-group'] ?? []).length > 0
    const out = groupsSpecified ? [...groups] : sa ? serviceAccountGroups(sa.namespace) : []
    if (
      !groupsSpecified &&
      username !== 'system:anonymous' &&
      !out.includes(AUTHENTICATED) &&
      !out.includes('system:unauthenticated')
    )
      out.push(AUTHENTICATED)
    return {username, groups: out, ...(uid ? {uid} : {})}
  }
}

const shared = new WeakMap<Registry, Auth>()

/** authFor returns the cluster's one Auth (made at the first call; the app and the stream upgrades share it). */
export function authFor(deps: AuthDeps): Auth {
  let a = shared.get(deps.registry)
  if (!a) {
    a = new Auth(deps)
    shared.set(deps.registry, a)
  }
  return a
}

/** memoryState is a StateStore in memory, for an API server made without a store (unit tests). */
export function memoryState(): StateStore {
  const m = new Map<string, string>()
  return {
    getState: (n) => m.get(n),
    setState: (n, v) => (v === undefined ? m.delete(n) : m.set(n, v), undefined),
  }
}

export {ADMIN_USER as ADMIN}
