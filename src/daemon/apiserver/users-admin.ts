// users-admin.ts serves /mkctl/v1/users, behind admin.ts (and so reachable by system:masters only): the token
// users of `mkctl cluster user add|list|delete`. Adding a user stores its token hash (auth/tokens.ts) and binds
// it with a RoleBinding `mkctl-user-<name>` in its namespace to a ClusterRole (default `edit`) or a Role there;
// deleting it removes the token and every RoleBinding labelled with it.
import express, {type Router} from 'express'
import {alreadyExists, badRequest, notFound} from '../../api/errors.js'
import type {KubeObject} from '../../api/object.js'
import type {ResourceTable} from '../../api/resources.js'
import type {Auth} from '../auth/index.js'
import {rfc3339, type Clock} from '../clock.js'
import type {Registry} from '../registry/generic.js'
import {jsonRoute} from './errors.js'

/** USER_LABEL marks the RoleBindings made for a token user. */
export const USER_LABEL = 'mkctl.dev/user'

/** UserView is a token user as the endpoints answer it (never its token hash). */
export interface UserView {
  name: string
  namespace: string
  role: string
  roleKind: string
  created: string
  token?: string
}

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/
const USERS_GR = {group: 'mkctl.dev', plural: 'users'}

/** usersAdminRouter serves /mkctl/v1/users for the cluster's Auth. */
export function usersAdminRouter(auth: Auth, registry: Registry, resources: () => ResourceTable, clock: Clock): Router {
  const r = express.Router()
  r.use(express.json({limit: '16kb'}))
  const R = (group: string, plural: string) => resources().lookup(group, 'v1', plural)!
  const wrap = jsonRoute
  const view = (u: {name: string; namespace: string; role: string; roleKind: string; created: string}): UserView => ({
    name: u.name,
    namespace: u.namespace,
    role: u.role,
    roleKind: u.roleKind,
    created: u.created,
  })
  r.get(
    '/',
    wrap(() => auth.tokens.listUsers().map(view)),
  )
  r.post(
    '/',
    wrap((req) => {
      const b = req.body ?? {}
      const name = String(b.name ?? '')
      const namespace = String(b.namespace || 'default')
      const role = String(b.role || 'edit')
      if (!NAME.test(name) || name.length > 253)
        throw badRequest(
          `invalid user name "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
        )
      if (!NAME.test(namespace)) throw badRequest(`invalid namespace "${namespace}"`)
      if (auth.tokens.getUser(name)) throw alreadyExists(USERS_GR, name)
      const rbac = 'rbac.authorization.k8s.io'
      let roleKind: 'ClusterRole' | 'Role'
      if (registry.tryGet(R(rbac, 'clusterroles'), undefined, role)) roleKind = 'ClusterRole'
      else if (registry.tryGet(R(rbac, 'roles'), namespace, role)) roleKind = 'Role'
      else throw notFound({group: rbac, plural: 'clusterroles'}, role)
      const nsR = R('', 'namespaces')
      if (!registry.tryGet(nsR, undefined, namespace))
        registry.create(nsR, undefined, {apiVersion: 'v1', kind: 'Namespace', metadata: {name: namespace}})
      const rbR = R(rbac, 'rolebindings')
      const bindingName = `mkctl-user-${name}`
      if (registry.tryGet(rbR, namespace, bindingName)) registry.delete(rbR, namespace, bindingName, {})
      registry.create(rbR, namespace, {
        apiVersion: `${rbac}/v1`,
        kind: 'RoleBinding',
        metadata: {name: bindingName, labels: {[USER_LABEL]: name}},
        roleRef: {apiGroup: rbac, kind: roleKind, name: role},
        subjects: [{apiGroup: rbac, kind: 'User', name}],
      } as KubeObject)
      const u = {name, namespace, role, roleKind, created: rfc3339(clock.now())}
      const token = auth.tokens.addUser(u)
      return {...view(u), token}
    }),
  )
  r.delete(
    '/:name',
    wrap((req) => {
      const name = String(req.params.name)
      const u = auth.tokens.getUser(name)
      if (!u) throw notFound(USERS_GR, name)
      auth.tokens.deleteUser(name)
      const rbR = R('rbac.authorization.k8s.io', 'rolebindings')
      for (const rb of registry.list(rbR, undefined, {labelSelector: `${USER_LABEL}=${name}`}).items) {
        const m = rb.metadata as {name: string; namespace: string}
        registry.delete(rbR, m.namespace, m.name, {})
      }
      return view(u)
    }),
  )
  return r
}
