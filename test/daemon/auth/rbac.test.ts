// rbac.test.ts: the RBAC authorizer, the request attributes and the Forbidden texts, without a daemon (the texts
// follow apiserver/pkg/endpoints/handlers/responsewriters/errors.go forbiddenMessage and apierrors.NewForbidden).
import assert from 'node:assert/strict'
import {
  authorize,
  forbiddenError,
  requestAttributes,
  ruleAllows,
  rulesFor,
  type RBACSource,
} from '../../../src/daemon/auth/index.js'
import {defaultClusterRoleBindings, defaultClusterRoles} from '../../../src/daemon/auth/policy.js'

const alice = {username: 'alice', groups: ['system:authenticated']}

function source(extra: {roleBindings?: any[]; roles?: any[]; clusterRoleBindings?: any[]} = {}): RBACSource {
  const crs = defaultClusterRoles() as any[]
  return {
    clusterRoleBindings: () => [...(defaultClusterRoleBindings() as any[]), ...(extra.clusterRoleBindings ?? [])],
    roleBindings: (ns) => (extra.roleBindings ?? []).filter((b) => b.metadata.namespace === ns),
    clusterRole: (name) => crs.find((c) => c.metadata.name === name),
    role: (ns, name) => (extra.roles ?? []).find((r) => r.metadata.namespace === ns && r.metadata.name === name),
  }
}

const binding = (ns: string, kind: string, role: string, subject: object) => ({
  metadata: {name: `b-${role}`, namespace: ns},
  roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind, name: role},
  subjects: [subject],
})

const attrs = (method: string, path: string) => {
  const u = new URL(path, 'https://x')
  return requestAttributes(alice, method, u.pathname, u.searchParams)
}

describe('auth/rbac', () => {
  it('parses requests as the apiserver RequestInfoFactory does', () => {
    const cases: [string, string, object][] = [
      ['GET', '/api/v1/namespaces/default/pods', {verb: 'list', resource: 'pods', namespace: 'default'}],
      ['GET', '/api/v1/namespaces/default/pods?watch=true', {verb: 'watch', resource: 'pods'}],
      ['GET', '/api/v1/pods', {verb: 'list', resource: 'pods', namespace: undefined}],
      ['GET', '/api/v1/namespaces/default/pods/web/log', {verb: 'get', name: 'web', subresource: 'log'}],
      ['DELETE', '/apis/apps/v1/namespaces/x/deployments', {verb: 'deletecollection', apiGroup: 'apps'}],
      ['GET', '/api/v1/namespaces/team-a', {verb: 'get', resource: 'namespaces', name: 'team-a', namespace: 'team-a'}],
      ['PUT', '/api/v1/namespaces/team-a/status', {verb: 'update', resource: 'namespaces', subresource: 'status'}],
      ['GET', '/api/v1/namespaces/d/pods?fieldSelector=metadata.name%3Dweb', {verb: 'list', name: 'web'}],
      ['GET', '/apis/apps/v1', {resourceRequest: false, verb: 'get', path: '/apis/apps/v1'}],
      ['POST', '/mkctl/v1/lab/journal', {resourceRequest: false, verb: 'post', path: '/mkctl/v1/lab/journal'}],
    ]
    for (const [m, p, want] of cases) {
      const got = attrs(m, p) as any
      for (const [k, v] of Object.entries(want)) assert.equal(got[k], v, `${m} ${p}: ${k}`)
    }
  })

  it('matches rules: verbs, groups, subresources, */sub, resourceNames and URL prefixes', () => {
    const a = (o: object) => ({user: alice, resourceRequest: true, apiGroup: '', resource: 'pods', verb: 'get', ...o})
    assert.equal(ruleAllows(a({}), {verbs: ['get'], apiGroups: [''], resources: ['pods']}), true)
    assert.equal(ruleAllows(a({subresource: 'log'}), {verbs: ['get'], apiGroups: [''], resources: ['pods']}), false)
    assert.equal(ruleAllows(a({subresource: 'log'}), {verbs: ['get'], apiGroups: [''], resources: ['pods/log']}), true)
    assert.equal(ruleAllows(a({subresource: 'log'}), {verbs: ['*'], apiGroups: ['*'], resources: ['*/log']}), true)
    assert.equal(ruleAllows(a({apiGroup: 'apps'}), {verbs: ['get'], apiGroups: [''], resources: ['pods']}), false)
    assert.equal(
      ruleAllows(a({name: 'x'}), {verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['y']}),
      false,
    )
    assert.equal(
      ruleAllows(a({name: 'y'}), {verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['y']}),
      true,
    )
    const url = (path: string) => ({user: alice, resourceRequest: false, verb: 'get', path})
    assert.equal(ruleAllows(url('/apis/apps'), {verbs: ['get'], nonResourceURLs: ['/apis/*']}), true)
    assert.equal(ruleAllows(url('/mkctl/v1/lab'), {verbs: ['get'], nonResourceURLs: ['/apis/*']}), false)
  })

  it('allows system:masters everything and a bound user only in its namespace', () => {
    const src = source({roleBindings: [binding('team-a', 'ClusterRole', 'edit', {kind: 'User', name: 'alice'})]})
    const admin = {username: 'kubernetes-admin', groups: ['system:masters']}
    assert.equal(authorize(src, {...attrs('GET', '/mkctl/v1/lab'), user: admin}).allowed, true)
    const own = authorize(src, attrs('GET', '/api/v1/namespaces/team-a/pods'))
    assert.deepEqual(own, {
      allowed: true,
      reason: 'RBAC: allowed by RoleBinding "b-edit/team-a" of ClusterRole "edit" to User "alice"',
    })
    assert.equal(authorize(src, attrs('GET', '/api/v1/namespaces/default/pods')).allowed, false)
    assert.equal(authorize(src, attrs('GET', '/api/v1/namespaces/team-a/secrets')).allowed, true)
    assert.equal(
      authorize(src, attrs('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/roles')).allowed,
      false,
    )
    assert.equal(authorize(src, attrs('GET', '/apis')).allowed, true, 'discovery')
    assert.equal(authorize(src, attrs('GET', '/mkctl/v1/lab')).allowed, false)
    assert.equal(authorize(src, attrs('GET', '/mkctl/v1/lab/journal')).allowed, false)
    assert.equal(authorize(src, attrs('POST', '/mkctl/v1/lab/journal')).allowed, true, 'the recorder may append')
  })

  it('reports a missing role in the reason and as an incomplete rules review', () => {
    const src = source({roleBindings: [binding('d', 'Role', 'gone', {kind: 'User', name: 'alice'})]})
    const d = authorize(src, attrs('GET', '/api/v1/namespaces/d/pods'))
    assert.deepEqual(d, {allowed: false, reason: 'RBAC: role.rbac.authorization.k8s.io "gone" not found'})
    const rules = rulesFor(src, alice, 'd')
    assert.equal(rules.incomplete, true)
    assert.equal(rules.evaluationError, 'role.rbac.authorization.k8s.io "gone" not found')
  })

  it('matches ServiceAccount subjects with the binding namespace as default', () => {
    const sa = {username: 'system:serviceaccount:ci:bot', groups: ['system:serviceaccounts', 'system:authenticated']}
    const src = source({roleBindings: [binding('ci', 'ClusterRole', 'view', {kind: 'ServiceAccount', name: 'bot'})]})
    const u = new URL('https://x/api/v1/namespaces/ci/pods')
    assert.equal(authorize(src, requestAttributes(sa, 'GET', u.pathname, u.searchParams)).allowed, true)
  })

  it('words Forbidden as the apiserver does', () => {
    const msg = (m: string, p: string) => forbiddenError(attrs(m, p), '').status.message
    assert.equal(
      msg('GET', '/api/v1/namespaces/default/pods'),
      'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default"',
    )
    assert.equal(
      msg('GET', '/api/v1/nodes/n1'),
      'nodes "n1" is forbidden: User "alice" cannot get resource "nodes" in API group "" at the cluster scope',
    )
    assert.equal(
      msg('GET', '/api/v1/namespaces/x/pods/web/log'),
      'pods "web" is forbidden: User "alice" cannot get resource "pods/log" in API group "" in the namespace "x"',
    )
    assert.equal(
      msg('PATCH', '/apis/apps/v1/namespaces/x/deployments/web'),
      'deployments.apps "web" is forbidden: User "alice" cannot patch resource "deployments" in API group "apps" in the namespace "x"',
    )
    assert.equal(msg('GET', '/mkctl/v1/lab'), 'forbidden: User "alice" cannot get path "/mkctl/v1/lab"')
    const e = forbiddenError(attrs('GET', '/api/v1/namespaces/x/pods/web'), '').status
    assert.equal(e.code, 403)
    assert.deepEqual(e.details, {name: 'web', kind: 'pods'})
  })
})
