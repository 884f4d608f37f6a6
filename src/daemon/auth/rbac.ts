// rbac.ts is the RBAC authorizer (follows plugin/pkg/auth/authorizer/rbac/rbac.go and rule.go): it walks the
// ClusterRoleBindings, then the RoleBindings of the request's namespace, that name the user or one of its groups,
// and allows the request when one rule of the bound role covers it. The same walk lists a user's rules for
// SelfSubjectRulesReview. Members of system:masters are allowed everything before any walk (the apiserver's
// privileged-group authorizer), which keeps the admin's requests as cheap as before.
import {statusError, type StatusError} from '../../api/errors.js'
import type {KubeObject} from '../../api/object.js'
import type {UserInfo} from '../registry/types.js'
import type {PolicyRule} from './policy.js'

/** MASTERS is the group allowed everything (user.SystemPrivilegedGroup). */
export const MASTERS = 'system:masters'

/** Attributes describe one request to authorize (authorizer.AttributesRecord). */
export interface Attributes {
  user: UserInfo
  verb: string
  /** resourceRequest: an API object request; otherwise a request for path. */
  resourceRequest: boolean
  path?: string
  apiGroup?: string
  apiVersion?: string
  resource?: string
  subresource?: string
  namespace?: string
  name?: string
}

/** Decision is an authorizer's answer with its reason (empty when no rule matched and nothing failed). */
export interface Decision {
  allowed: boolean
  reason: string
}

/** RBACSource reads the RBAC objects (from the store in the daemon, from arrays in tests). */
export interface RBACSource {
  clusterRoleBindings(): KubeObject[]
  roleBindings(namespace: string): KubeObject[]
  clusterRole(name: string): KubeObject | undefined
  role(namespace: string, name: string): KubeObject | undefined
}

interface Subject {
  kind: string
  name: string
  namespace?: string
}

/** serviceAccountUser is the username of a ServiceAccount: system:serviceaccount:NS:NAME. */
export function serviceAccountUser(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`
}

/** splitServiceAccountUser reverses serviceAccountUser, undefined for other names. */
export function splitServiceAccountUser(username: string): {namespace: string; name: string} | undefined {
  const m = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(username)
  return m ? {namespace: m[1]!, name: m[2]!} : undefined
}

/** serviceAccountGroups are the groups of a ServiceAccount's identity (serviceaccount.MakeGroupNames). */
export function serviceAccountGroups(namespace: string): string[] {
  return ['system:serviceaccounts', `system:serviceaccounts:${namespace}`]
}

function appliesTo(user: UserInfo, s: Subject, bindingNamespace: string): boolean {
  switch (s.kind) {
    case 'User':
      return s.name === user.username
    case 'Group':
      return user.groups.includes(s.name)
    case 'ServiceAccount': {
      const ns = s.namespace || bindingNamespace
      return ns !== '' && serviceAccountUser(ns, s.name) === user.username
    }
  }
  return false
}

function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') return `${s.kind} "${s.name}/${s.namespace || bindingNamespace}"`
  return `${s.kind} "${s.name}"`
}

const has = (list: string[] | undefined, v: string) => !!list && (list.includes('*') || list.includes(v))

/** ruleAllows is rbac's RuleAllows: verbs, API groups, resources (including the star-slash-subresource form), names, or URLs. */
export function ruleAllows(a: Attributes, r: PolicyRule): boolean {
  if (!has(r.verbs, a.verb)) return false
  if (!a.resourceRequest) {
    const path = a.path ?? ''
    return (r.nonResourceURLs ?? []).some(
      (u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.slice(0, -1))),
    )
  }
  if (!has(r.apiGroups, a.apiGroup ?? '')) return false
  const sub = a.subresource ?? ''
  const combined = sub ? `${a.resource}/${sub}` : (a.resource ?? '')
  const resOk = (r.resources ?? []).some((x) => x === '*' || x === combined || (sub !== '' && x === `*/${sub}`))
  if (!resOk) return false
  return !r.resourceNames?.length || r.resourceNames.includes(a.name ?? '')
}

/** Visit is called per rule of every role bound to the user; returning false stops the walk. */
type Visit = (source: () => string, rule: PolicyRule | undefined, err: string | undefined) => boolean

function rulesOf(role: KubeObject | undefined): PolicyRule[] {
  return Array.isArray((role as any)?.rules) ? ((role as any).rules as PolicyRule[]) : []
}

/** visitRulesFor walks the rules bound to user for namespace (rbac's DefaultRuleResolver.VisitRulesFor). */
export function visitRulesFor(src: RBACSource, user: UserInfo, namespace: string, visit: Visit): void {
  for (const b of src.clusterRoleBindings() as any[]) {
    const subjects = (b.subjects ?? []) as Subject[]
    const s = subjects.find((x) => appliesTo(user, x, ''))
    if (!s) continue
    const ref = b.roleRef ?? {}
    const role = ref.kind === 'ClusterRole' ? src.clusterRole(ref.name) : undefined
    const source = () =>
      `ClusterRoleBinding "${b.metadata?.name}" of ${ref.kind} "${ref.name}" to ${describeSubject(s, '')}`
    if (!role) {
      if (!visit(source, undefined, `clusterrole.rbac.authorization.k8s.io "${ref.name}" not found`)) return
      continue
    }
    for (const r of rulesOf(role)) if (!visit(source, r, undefined)) return
  }
  if (!namespace) return
  for (const b of src.roleBindings(namespace) as any[]) {
    const subjects = (b.subjects ?? []) as Subject[]
    const s = subjects.find((x) => appliesTo(user, x, namespace))
    if (!s) continue
    const ref = b.roleRef ?? {}
    const role = ref.kind === 'Role' ? src.role(namespace, ref.name) : src.clusterRole(ref.name)
    const source = () =>
      `RoleBinding "${b.metadata?.name}/${namespace}" of ${ref.kind} "${ref.name}" to ${describeSubject(s, namespace)}`
    if (!role) {
      const what = ref.kind === 'Role' ? 'role' : 'clusterrole'
      if (!visit(source, undefined, `${what}.rbac.authorization.k8s.io "${ref.name}" not found`)) return
      continue
    }
    for (const r of rulesOf(role)) if (!visit(source, r, undefined)) return
  }
}

function aggregate(errs: string[]): string {
  return errs.length === 1 ? errs[0]! : `[${errs.join(', ')}]`
}

/** authorize decides one request: system:masters first, then the RBAC walk. */
export function authorize(src: RBACSource, a: Attributes): Decision {
  if (a.user.groups.includes(MASTERS)) return {allowed: true, reason: ''}
  const errors: string[] = []
  let reason = ''
  visitRulesFor(src, a.user, a.namespace ?? '', (source, rule, err) => {
    if (err) errors.push(err)
    if (rule && ruleAllows(a, rule)) {
      reason = `RBAC: allowed by ${source()}`
      return false
    }
    return true
  })
  if (reason) return {allowed: true, reason}
  return {allowed: false, reason: errors.length ? `RBAC: ${aggregate(errors)}` : ''}
}

/** UserRules are a user's rules in a namespace, as SelfSubjectRulesReview reports them. */
export interface UserRules {
  resourceRules: {verbs: string[]; apiGroups: string[]; resources: string[]; resourceNames?: string[]}[]
  nonResourceRules: {verbs: string[]; nonResourceURLs: string[]}[]
  incomplete: boolean
  evaluationError?: string
}

/** rulesFor lists the rules bound to user in namespace (rbac's RulesFor, split into resource and URL rules). */
export function rulesFor(src: RBACSource, user: UserInfo, namespace: string): UserRules {
  const out: UserRules = {resourceRules: [], nonResourceRules: [], incomplete: false}
  const errors: string[] = []
  visitRulesFor(src, user, namespace, (_source, rule, err) => {
    if (err) errors.push(err)
    if (!rule) return true
    if (rule.resources?.length) {
      out.resourceRules.push({
        verbs: rule.verbs,
        apiGroups: rule.apiGroups ?? [],
        resources: rule.resources,
        ...(rule.resourceNames?.length ? {resourceNames: rule.resourceNames} : {}),
      })
    }
    if (rule.nonResourceURLs?.length)
      out.nonResourceRules.push({verbs: rule.verbs, nonResourceURLs: rule.nonResourceURLs})
    return true
  })
  if (errors.length) {
    out.incomplete = true
    out.evaluationError = aggregate(errors)
  }
  return out
}

/**
 * forbiddenError is the apiserver's answer to a denied request (endpoints/handlers/responsewriters/errors.go
 * forbiddenMessage + apierrors.NewForbidden): `pods is forbidden: User "alice" cannot list resource "pods" in API
 * group "" in the namespace "default"`, `... at the cluster scope`, or `forbidden: User "alice" cannot get path "/x"`.
 */
export function forbiddenError(a: Attributes, reason: string): StatusError {
  const who = `User ${JSON.stringify(a.user.username)}`
  let why: string
  if (!a.resourceRequest) {
    why = `${who} cannot ${a.verb} path ${JSON.stringify(a.path ?? '')}`
  } else {
    const res = a.subresource ? `${a.resource}/${a.subresource}` : (a.resource ?? '')
    const scope = a.namespace ? `in the namespace ${JSON.stringify(a.namespace)}` : 'at the cluster scope'
    why = `${who} cannot ${a.verb} resource ${JSON.stringify(res)} in API group ${JSON.stringify(a.apiGroup ?? '')} ${scope}`
  }
  if (reason) why = `${why}: ${reason}`
  if (!a.resourceRequest || !a.resource) return statusError(403, 'Forbidden', `forbidden: ${why}`, {})
  const gr = a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource
  const subject = a.name ? `${gr} ${JSON.stringify(a.name)}` : gr
  const details: Record<string, string> = {}
  if (a.name) details.name = a.name
  if (a.apiGroup) details.group = a.apiGroup
  details.kind = a.resource
  return statusError(403, 'Forbidden', `${subject} is forbidden: ${why}`, details)
}
