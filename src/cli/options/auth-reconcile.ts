// auth-reconcile.ts holds `mkctl auth reconcile` (kubectl/pkg/cmd/auth/reconcile.go with the rules of
// k8s.io/component-helpers/auth/rbac/reconciliation: reconcile_role.go, reconcile_rolebindings.go, namespace.go, and
// validation/policy_comparator.go's Covers). Roles and ClusterRoles gain the rules they miss (or are set to the file's
// rules with --remove-extra-permissions); bindings gain missing subjects (or are set with --remove-extra-subjects) and
// are recreated when their roleRef differs; missing objects are created, with their namespace if needed. Objects whose
// `rbac.authorization.kubernetes.io/autoupdate` annotation is "false" are left alone.
import {StatusError} from '../../api/errors.js'
import type {KubeObject} from '../../api/object.js'
import type {Factory} from '../client/factory.js'
import type {RestClient} from '../client/rest.js'
import type {IOStreams} from '../io.js'
import {toJson, toPrinter, type ResourcePrinter} from '../printers/index.js'
import {finalError, newBuilder, resourcePath, type Builder} from '../resource/builder.js'
import {dryRunStrategy, dryRunSuffix} from '../resource/openapi.js'
import {breakdownRule, type PolicyRule} from './auth.js'

/** AUTO_UPDATE is rbacv1.AutoUpdateAnnotationKey. */
export const AUTO_UPDATE = 'rbac.authorization.kubernetes.io/autoupdate'

/** Subject is an rbac/v1 Subject. */
export interface Subject {
  kind: string
  apiGroup?: string
  name: string
  namespace?: string
}

/** ReconcileOperation is what reconciling an object needs (reconciliation.ReconcileOperation). */
export type ReconcileOperation = 'create' | 'update' | 'recreate' | 'none'

const has = (set: string[] | undefined, s: string) => (set ?? []).includes(s)
const hasAll = (set: string[] | undefined, want: string[] | undefined) => (want ?? []).every((w) => has(set, w))

function resourceCoversAll(set: string[] | undefined, covers: string[] | undefined): boolean {
  if (has(set, '*') || hasAll(set, covers)) return true
  for (const path of covers ?? []) {
    if (has(set, path)) continue
    const slash = path.indexOf('/')
    if (slash < 0) return false
    if (!has(set, '*/' + path.slice(slash + 1))) return false
  }
  return true
}

function nonResourceURLCovers(owner: string, sub: string): boolean {
  return owner === sub || (owner.endsWith('*') && sub.startsWith(owner.replace(/\*+$/, '')))
}

/** ruleCovers tells whether ownerRule allows everything the broken-down subRule does (policy_comparator.go). */
function ruleCovers(owner: PolicyRule, sub: PolicyRule): boolean {
  const verbs = has(owner.verbs, '*') || hasAll(owner.verbs, sub.verbs)
  const groups = has(owner.apiGroups, '*') || hasAll(owner.apiGroups, sub.apiGroups)
  const resources = resourceCoversAll(owner.resources, sub.resources)
  const urls = (sub.nonResourceURLs ?? []).every((p) =>
    (owner.nonResourceURLs ?? []).some((o) => nonResourceURLCovers(o, p)),
  )
  const ownerNames = owner.resourceNames ?? []
  const names =
    (sub.resourceNames ?? []).length === 0
      ? ownerNames.length === 0
      : ownerNames.length === 0 || hasAll(ownerNames, sub.resourceNames)
  return verbs && groups && resources && names && urls
}

/** covers is validation.Covers: the broken-down servant rules that no owner rule covers. */
export function uncoveredRules(owner: PolicyRule[], servant: PolicyRule[]): PolicyRule[] {
  const out: PolicyRule[] = []
  for (const r of servant) for (const sub of breakdownRule(r)) if (!owner.some((o) => ruleCovers(o, sub))) out.push(sub)
  return out
}

const subjectKey = (s: Subject) => JSON.stringify([s.kind, s.apiGroup ?? '', s.name, s.namespace ?? ''])

/** diffSubjects returns the subjects only in a and only in b, without duplicates (diffSubjectLists). */
export function diffSubjects(a: Subject[], b: Subject[]): [Subject[], Subject[]] {
  const only = (x: Subject[], y: Subject[]) => {
    const ys = new Set(y.map(subjectKey))
    const out: Subject[] = []
    const seen = new Set<string>()
    for (const s of x) {
      const k = subjectKey(s)
      if (!ys.has(k) && !seen.has(k)) {
        seen.add(k)
        out.push(s)
      }
    }
    return out
  }
  return [only(a, b), only(b, a)]
}

const goList = (l: string[] | undefined) => `[${(l ?? []).join(' ')}]`

/** formatRule prints a PolicyRule as Go's %+v does. */
export function formatRule(r: PolicyRule): string {
  return `{Verbs:${goList(r.verbs)} APIGroups:${goList(r.apiGroups)} Resources:${goList(r.resources)} ResourceNames:${goList(r.resourceNames)} NonResourceURLs:${goList(r.nonResourceURLs)}}`
}

/** formatSubject prints a Subject as Go's %+v does. */
export function formatSubject(s: Subject): string {
  return `{Kind:${s.kind} APIGroup:${s.apiGroup ?? ''} Name:${s.name} Namespace:${s.namespace ?? ''}}`
}

/** MapMeta is the part of ObjectMeta reconciliation merges. */
type MapMeta = {annotations?: Record<string, string>; labels?: Record<string, string>}

/**
 * mergeMetadata adds expected's annotations and labels to meta (the reconciled copy of existing's metadata) and
 * says whether either map now differs from existing's, which makes the reconciliation an update.
 */
function mergeMetadata(meta: MapMeta, expected: {metadata?: MapMeta}, existing: {metadata?: MapMeta}): boolean {
  let changed = false
  for (const field of ['annotations', 'labels'] as const) {
    const merged = mergeMaps(expected.metadata?.[field], meta[field])
    if (merged) meta[field] = merged
    if (!sameMap(meta[field], existing.metadata?.[field])) changed = true
  }
  return changed
}

/** mergeMaps is reconciliation's merge: later maps win; undefined when every map is undefined. */
function mergeMaps(...maps: (Record<string, string> | undefined)[]): Record<string, string> | undefined {
  let out: Record<string, string> | undefined
  for (const m of maps) {
    if (m) out ??= {}
    for (const [k, v] of Object.entries(m ?? {})) out![k] = v
  }
  return out
}

// sameMap compares label or annotation maps as reflect.DeepEqual does (nil and empty differ).
const sameMap = (a: Record<string, string> | undefined, b: Record<string, string> | undefined) =>
  (a === undefined) === (b === undefined) && toJson(a ?? {}, '') === toJson(b ?? {}, '')

interface RoleLike extends KubeObject {
  rules?: PolicyRule[]
  aggregationRule?: {clusterRoleSelectors?: unknown[]}
}

interface BindingLike extends KubeObject {
  roleRef?: {apiGroup?: string; kind?: string; name?: string}
  subjects?: Subject[]
}

/** selectorsNotCovered is aggregationRuleCovers: the servant's selectors the owner lacks (compared as JSON). */
function selectorsNotCovered(owner: RoleLike['aggregationRule'], servant: RoleLike['aggregationRule']): unknown[] {
  if (!servant) return []
  if (!owner) return servant.clusterRoleSelectors ?? []
  const mine = (owner.clusterRoleSelectors ?? []).map((x) => toJson(x, ''))
  return (servant.clusterRoleSelectors ?? []).filter((x) => !mine.includes(toJson(x, '')))
}

/** RoleResult is ReconcileClusterRoleResult (the aggregation selectors are compared, not reported). */
export interface RoleResult {
  role: RoleLike
  missingRules: PolicyRule[]
  extraRules: PolicyRule[]
  operation: ReconcileOperation
  protected: boolean
}

/** computeReconciledRole is reconcile_role.go's computeReconciledRole. */
export function computeReconciledRole(existing: RoleLike, expected: RoleLike, removeExtra: boolean): RoleResult {
  const result: RoleResult = {
    role: structuredClone(existing),
    missingRules: [],
    extraRules: [],
    operation: 'none',
    protected: existing.metadata?.annotations?.[AUTO_UPDATE] === 'false',
  }
  if (mergeMetadata((result.role.metadata ??= {}), expected, existing)) result.operation = 'update'
  if (!expected.aggregationRule || !existing.aggregationRule)
    result.extraRules = uncoveredRules(expected.rules ?? [], existing.rules ?? [])
  result.missingRules = uncoveredRules(existing.rules ?? [], expected.rules ?? [])
  if (!removeExtra && result.missingRules.length > 0) {
    result.role.rules = [...(result.role.rules ?? []), ...result.missingRules]
    result.operation = 'update'
  } else if (removeExtra && (result.missingRules.length > 0 || result.extraRules.length > 0)) {
    result.role.rules = expected.rules
    result.operation = 'update'
  }
  const extraSel = selectorsNotCovered(expected.aggregationRule, existing.aggregationRule)
  const missingSel = selectorsNotCovered(existing.aggregationRule, expected.aggregationRule)
  if (!expected.aggregationRule && existing.aggregationRule) {
    delete result.role.aggregationRule
    result.operation = 'update'
  } else if (!removeExtra && missingSel.length > 0) {
    result.role.aggregationRule = {
      ...result.role.aggregationRule,
      clusterRoleSelectors: [...(result.role.aggregationRule?.clusterRoleSelectors ?? []), ...missingSel],
    }
    result.operation = 'update'
  } else if (removeExtra && (missingSel.length > 0 || extraSel.length > 0)) {
    result.role.aggregationRule = expected.aggregationRule
    result.operation = 'update'
  }
  return result
}

/** BindingResult is ReconcileClusterRoleBindingResult. */
export interface BindingResult {
  binding: BindingLike
  missingSubjects: Subject[]
  extraSubjects: Subject[]
  operation: ReconcileOperation
  protected: boolean
}

/** computeReconciledRoleBinding is reconcile_rolebindings.go's computeReconciledRoleBinding. */
export function computeReconciledRoleBinding(
  existing: BindingLike,
  expected: BindingLike,
  removeExtra: boolean,
): BindingResult {
  const prot = existing.metadata?.annotations?.[AUTO_UPDATE] === 'false'
  const ref = (b: BindingLike) =>
    JSON.stringify([b.roleRef?.apiGroup ?? '', b.roleRef?.kind ?? '', b.roleRef?.name ?? ''])
  if (ref(expected) !== ref(existing))
    return {binding: expected, missingSubjects: [], extraSubjects: [], operation: 'recreate', protected: prot}
  const result: BindingResult = {
    binding: structuredClone(existing),
    missingSubjects: [],
    extraSubjects: [],
    operation: 'none',
    protected: prot,
  }
  if (mergeMetadata((result.binding.metadata ??= {}), expected, existing)) result.operation = 'update'
  ;[result.missingSubjects, result.extraSubjects] = diffSubjects(expected.subjects ?? [], existing.subjects ?? [])
  if (!removeExtra && result.missingSubjects.length > 0) {
    result.binding.subjects = [...(result.binding.subjects ?? []), ...result.missingSubjects]
    result.operation = 'update'
  } else if (removeExtra && (result.missingSubjects.length > 0 || result.extraSubjects.length > 0)) {
    result.binding.subjects = expected.subjects
    result.operation = 'update'
  }
  return result
}

const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'])

/** ReconcileOptions are kubectl's ReconcileOptions. */
export class ReconcileOptions {
  filenames: string[] = []
  recursive = false
  kustomize?: string
  args: string[] = []
  output = ''
  template?: string
  allowMissingTemplateKeys = true
  showManagedFields = false
  dryRunFlag?: string
  removeExtraPermissions = false
  removeExtraSubjects = false
  private dryRun = false
  private builder?: Builder
  private rest?: RestClient
  private printer?: ResourcePrinter

  constructor(readonly io: IOStreams) {}

  /** complete is ReconcileOptions.Complete: -f is required, no arguments, no server dry run. */
  async complete(f: Factory): Promise<void> {
    if (this.filenames.length === 0 && !this.kustomize) throw new Error('must specify one of -f and -k')
    if (this.args.length > 0) throw new Error('no arguments are allowed')
    let d
    try {
      d = dryRunStrategy(this.dryRunFlag)
    } catch (e) {
      throw new Error(`error accessing --dry-run flag for command reconcile: ${(e as Error).message}`, {cause: e})
    }
    if (d === 'server') throw new Error('--dry-run=server for command reconcile is not supported yet')
    this.dryRun = d === 'client'
    if (this.kustomize) throw new Error('mkctl does not support -k (kustomize)')
    const ns = await f.namespace()
    this.builder = await newBuilder(f, this.io.in, {filenames: this.filenames, recursive: this.recursive})
    void ns
    this.rest = await f.restClient()
    this.printer = toPrinter(
      {
        output: this.output,
        template: this.template,
        allowMissingTemplateKeys: this.allowMissingTemplateKeys,
        showManagedFields: this.showManagedFields,
        operation: 'reconciled' + dryRunSuffix(d),
      },
      this.io.out,
    )
  }

  /** run reconciles each RBAC object of the files, going on past errors and reporting them at the end. */
  async run(): Promise<void> {
    const errs: Error[] = []
    for await (const item of this.builder!.visit()) {
      if ('error' in item) {
        errs.push(item.error)
        if (item.fileError) break
        continue
      }
      const {object, mapping} = item.info
      if (mapping.group !== 'rbac.authorization.k8s.io' || !RBAC_KINDS.has(mapping.kind)) continue
      if (mapping.version !== 'v1') {
        errs.push(new Error(`only rbac.authorization.k8s.io/v1 is supported: not *${mapping.version}.${mapping.kind}`))
        continue
      }
      const obj = {...structuredClone(object), apiVersion: 'rbac.authorization.k8s.io/v1', kind: mapping.kind}
      if (mapping.namespaced) (obj.metadata ??= {}).namespace = item.info.namespace
      try {
        if (mapping.kind.endsWith('Binding'))
          await this.reconcileBinding(obj as BindingLike, mapping.plural, mapping.namespaced)
        else await this.reconcileRole(obj as RoleLike, mapping.plural, mapping.namespaced)
      } catch (e) {
        errs.push(e as Error)
      }
    }
    this.printer!.flush?.()
    const err = finalError(errs)
    if (err) throw err
  }

  private path(plural: string, namespaced: boolean, namespace: string, name?: string): string {
    const base = `/apis/rbac.authorization.k8s.io/v1${namespaced ? `/namespaces/${namespace}` : ''}/${plural}`
    return name === undefined ? base : `${base}/${name}`
  }

  private async getExisting<T>(path: string): Promise<T | undefined> {
    try {
      return await this.rest!.get<T>(path)
    } catch (e) {
      if (e instanceof StatusError && e.reason === 'NotFound') return undefined
      throw e
    }
  }

  // ensureNamespace is tryEnsureNamespace: get or create the namespace, ignoring NotFound/Forbidden, AlreadyExists.
  private async ensureNamespace(ns: string): Promise<void> {
    const path = resourcePath({group: '', version: 'v1', plural: 'namespaces', namespaced: false} as never, '', ns)
    try {
      await this.rest!.get(path)
      return
    } catch (e) {
      if (!(e instanceof StatusError) || (e.reason !== 'NotFound' && e.reason !== 'Forbidden')) throw e
    }
    try {
      await this.rest!.post('/api/v1/namespaces', {apiVersion: 'v1', kind: 'Namespace', metadata: {name: ns}})
    } catch (e) {
      if (!(e instanceof StatusError) || (e.reason !== 'AlreadyExists' && e.reason !== 'Forbidden')) throw e
    }
  }

  private async reconcileRole(expected: RoleLike, plural: string, namespaced: boolean, attempts = 0): Promise<void> {
    if (attempts > 2) throw new Error('exceeded maximum attempts')
    const ns = expected.metadata?.namespace ?? ''
    const name = expected.metadata?.name ?? ''
    const existing = await this.getExisting<RoleLike>(this.path(plural, namespaced, ns, name))
    const result: RoleResult = existing
      ? computeReconciledRole(existing, expected, this.removeExtraPermissions)
      : {role: expected, missingRules: expected.rules ?? [], extraRules: [], operation: 'create', protected: false}
    if (!result.protected && !this.dryRun) {
      try {
        if (result.operation === 'create') {
          if (namespaced) await this.ensureNamespace(ns)
          result.role = await this.rest!.post<RoleLike>(this.path(plural, namespaced, ns), result.role)
        } else if (result.operation === 'update') {
          result.role = await this.rest!.put<RoleLike>(this.path(plural, namespaced, ns, name), result.role)
        }
      } catch (e) {
        const retry =
          e instanceof StatusError &&
          (result.operation === 'create' ? e.reason === 'AlreadyExists' : e.reason === 'NotFound')
        if (retry) return this.reconcileRole(expected, plural, namespaced, attempts + 1)
        throw e
      }
    }
    this.print(result.role, result.operation, result.protected, [], [], result.missingRules, result.extraRules)
  }

  private async reconcileBinding(
    expected: BindingLike,
    plural: string,
    namespaced: boolean,
    attempts = 0,
  ): Promise<void> {
    if (attempts > 3) throw new Error('exceeded maximum attempts')
    const ns = expected.metadata?.namespace ?? ''
    const name = expected.metadata?.name ?? ''
    const existing = await this.getExisting<BindingLike>(this.path(plural, namespaced, ns, name))
    const result: BindingResult = existing
      ? computeReconciledRoleBinding(existing, expected, this.removeExtraSubjects)
      : {
          binding: expected,
          missingSubjects: expected.subjects ?? [],
          extraSubjects: [],
          operation: 'create',
          protected: false,
        }
    if (!result.protected && !this.dryRun) {
      let op = result.operation
      try {
        if (op === 'recreate') {
          try {
            await this.rest!.delete(this.path(plural, namespaced, ns, name), {
              body: {kind: 'DeleteOptions', apiVersion: 'v1', preconditions: {uid: existing?.metadata?.uid}},
            })
          } catch (e) {
            if (e instanceof StatusError && e.reason === 'Conflict')
              return this.reconcileBinding(expected, plural, namespaced, attempts + 1)
            if (!(e instanceof StatusError && e.reason === 'NotFound')) throw e
          }
          op = 'create'
        }
        if (op === 'create') {
          if (namespaced) await this.ensureNamespace(ns)
          result.binding = await this.rest!.post<BindingLike>(this.path(plural, namespaced, ns), result.binding)
        } else if (op === 'update') {
          result.binding = await this.rest!.put<BindingLike>(this.path(plural, namespaced, ns, name), result.binding)
        }
      } catch (e) {
        const retry =
          e instanceof StatusError && (op === 'create' ? e.reason === 'AlreadyExists' : e.reason === 'NotFound')
        if (retry) return this.reconcileBinding(expected, plural, namespaced, attempts + 1)
        throw e
      }
    }
    this.print(result.binding, result.operation, result.protected, result.missingSubjects, result.extraSubjects, [], [])
  }

  // print is printResults: the object on stdout, what reconciling needed on stderr.
  private print(
    obj: KubeObject,
    operation: ReconcileOperation,
    prot: boolean,
    missingSubjects: Subject[],
    extraSubjects: Subject[],
    missingRules: PolicyRule[],
    extraRules: PolicyRule[],
  ): void {
    this.printer!.print(obj)
    if (operation === 'none') return
    const caveat = prot ? ', but object opted out (rbac.authorization.kubernetes.io/autoupdate: false)' : ''
    let text = `\treconciliation required ${operation}${caveat}\n`
    if (missingSubjects.length > 0)
      text += '\tmissing subjects added:\n' + missingSubjects.map((s) => `\t\t${formatSubject(s)}\n`).join('')
    if (this.removeExtraSubjects && extraSubjects.length > 0)
      text += '\textra subjects removed:\n' + extraSubjects.map((s) => `\t\t${formatSubject(s)}\n`).join('')
    if (missingRules.length > 0)
      text += '\tmissing rules added:\n' + missingRules.map((r) => `\t\t${formatRule(r)}\n`).join('')
    if (this.removeExtraPermissions && extraRules.length > 0)
      text += '\textra rules removed:\n' + extraRules.map((r) => `\t\t${formatRule(r)}\n`).join('')
    this.io.errOut.write(text)
  }
}
