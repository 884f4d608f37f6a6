// reviews.ts answers the create-only review resources from the same authorizer that guards every request
// (auth/): SelfSubjectAccessReview (`auth can-i`), SelfSubjectRulesReview (`auth can-i --list`),
// SubjectAccessReview and LocalSubjectAccessReview (for another user), SelfSubjectReview (`auth whoami`) and
// TokenReview. Follows pkg/registry/authorization/*/rest.go and pkg/registry/authentication.
import {badRequest} from '../../api/errors.js'
import type {KubeObject} from '../../api/object.js'
import {groupVersion, type ResourceInfo} from '../../api/resources.js'
import type {Auth} from '../auth/index.js'
import type {Attributes} from '../auth/rbac.js'
import type {UserInfo} from '../registry/types.js'

/** attributesOf reads a review's spec.resourceAttributes / spec.nonResourceAttributes for user. */
function attributesOf(spec: any, user: UserInfo): Attributes {
  const nra = spec?.nonResourceAttributes
  if (nra) return {user, verb: String(nra.verb ?? ''), resourceRequest: false, path: String(nra.path ?? '')}
  const ra = spec?.resourceAttributes ?? {}
  const a: Attributes = {
    user,
    verb: String(ra.verb ?? ''),
    resourceRequest: true,
    apiGroup: String(ra.group ?? ''),
    apiVersion: String(ra.version ?? ''),
    resource: String(ra.resource ?? ''),
  }
  if (ra.subresource) a.subresource = String(ra.subresource)
  if (ra.namespace) a.namespace = String(ra.namespace)
  if (ra.name) a.name = String(ra.name)
  return a
}

/** answerReview fills in the status of a review object; auth decides (everything is allowed without it). */
export function answerReview(r: ResourceInfo, body: KubeObject, user: UserInfo, auth?: Auth): KubeObject {
  if (body?.kind !== undefined && body.kind !== r.kind) {
    throw badRequest(
      `${body.kind} in version "${r.version}" cannot be handled as a ${r.kind}: the object provided is unrecognized (wrong kind)`,
    )
  }
  const spec = (body?.spec as any) ?? {}
  const base = {
    kind: r.kind,
    apiVersion: groupVersion(r.group, r.version),
    metadata: {creationTimestamp: null, ...((body?.metadata as object) ?? {})} as Record<string, any>,
    spec,
  }
  switch (r.kind) {
    case 'SelfSubjectAccessReview':
    case 'SubjectAccessReview':
    case 'LocalSubjectAccessReview': {
      if (!spec.resourceAttributes && !spec.nonResourceAttributes)
        throw badRequest(
          `${r.kind}.${r.group} "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified`,
        )
      const who: UserInfo =
        r.kind === 'SelfSubjectAccessReview'
          ? user
          : {
              username: String(spec.user ?? ''),
              groups: Array.isArray(spec.groups) ? spec.groups.map(String) : [],
              ...(spec.uid ? {uid: String(spec.uid)} : {}),
            }
      const d = auth ? auth.authorize(attributesOf(spec, who)) : {allowed: true, reason: ''}
      const status: Record<string, unknown> = {allowed: d.allowed}
      if (d.reason) status.reason = d.reason
      return {...base, status} as KubeObject
    }
    case 'SelfSubjectRulesReview': {
      const ns = String(spec.namespace ?? '')
      const rules = auth
        ? auth.rulesFor(user, ns)
        : {
            resourceRules: [{verbs: ['*'], apiGroups: ['*'], resources: ['*']}],
            nonResourceRules: [{verbs: ['*'], nonResourceURLs: ['*']}],
            incomplete: false,
          }
      return {...base, status: rules} as KubeObject
    }
    case 'SelfSubjectReview': {
      const {spec: _s, ...rest} = base
      const userInfo: Record<string, unknown> = {username: user.username}
      if (user.uid) userInfo.uid = user.uid
      userInfo.groups = user.groups
      return {...rest, status: {userInfo}} as KubeObject
    }
    case 'TokenReview': {
      const token = String(spec.token ?? '')
      const found = auth && token ? auth.tokens.authenticate(token) : undefined
      if (!found) return {...base, status: {user: {}}} as KubeObject
      const u: Record<string, unknown> = {username: found.username}
      if (found.uid) u.uid = found.uid
      u.groups = found.groups
      return {...base, status: {authenticated: true, user: u, audiences: spec.audiences ?? []}} as KubeObject
    }
  }
  throw badRequest(`unsupported review kind ${r.kind}`)
}
