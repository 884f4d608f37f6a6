// reviews.ts answers the create-only review resources: SelfSubjectAccessReview (`auth can-i`),
// SelfSubjectRulesReview (`auth can-i --list`), SelfSubjectReview (`auth whoami`), SubjectAccessReview and
// TokenReview. Until RBAC is enforced, every authenticated user is a cluster admin (system:masters).
import {badRequest} from '../../api/errors.js'
import type {KubeObject} from '../../api/object.js'
import {groupVersion, type ResourceInfo} from '../../api/resources.js'
import type {UserInfo} from '../registry/types.js'

/** answerReview fills in the status of a review object. */
export function answerReview(r: ResourceInfo, body: KubeObject, user: UserInfo): KubeObject {
  if (body?.kind !== undefined && body.kind !== r.kind) {
    throw badRequest(`${body.kind} in version "${r.version}" cannot be handled as a ${r.kind}: the object provided is unrecognized (wrong kind)`)
  }
  const base = {
    kind: r.kind,
    apiVersion: groupVersion(r.group, r.version),
    metadata: {creationTimestamp: null, ...((body?.metadata as object) ?? {})} as Record<string, any>,
    spec: (body?.spec as object) ?? {},
  }
  switch (r.kind) {
    case 'SelfSubjectAccessReview':
    case 'SubjectAccessReview':
    case 'LocalSubjectAccessReview':
      return {...base, status: {allowed: true, reason: admits(user)}} as KubeObject
    case 'SelfSubjectRulesReview':
      return {
        ...base,
        status: {
          resourceRules: [
            {verbs: ['*'], apiGroups: ['*'], resources: ['*']},
            {verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']},
            {verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews']},
          ],
          nonResourceRules: [
            {verbs: ['*'], nonResourceURLs: ['*']},
            {verbs: ['get'], nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/']},
          ],
          incomplete: false,
        },
      } as KubeObject
    case 'SelfSubjectReview': {
      const {spec: _s, ...rest} = base
      return {...rest, status: {userInfo: {username: user.username, groups: user.groups}}} as KubeObject
    }
    case 'TokenReview':
      return {...base, status: {authenticated: false, error: 'token reviews are not supported'}} as KubeObject
  }
  throw badRequest(`unsupported review kind ${r.kind}`)
}

function admits(user: UserInfo): string {
  return user.groups.includes('system:masters') ? '' : 'allowed by the cluster administrator'
}
