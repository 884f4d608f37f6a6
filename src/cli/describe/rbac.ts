// rbac.ts describes Roles, ClusterRoles, RoleBindings and ClusterRoleBindings. Follows kubectl/pkg/describe/describe.go
// (RoleDescriber, CombineResourceGroup, RoleBindingDescriber) and kubectl/pkg/util/rbac (BreakdownRule,
// CompactRules, SortableRuleSlice ordered by the rule's generated String()).
import {compareCodePoints} from '../../api/gofmt.js'
import {apiPath, getObject, type DescribeContext} from './context.js'
import {goList, printAnnotationsMultiline, printLabelsMultiline, str, type Obj} from './format.js'
import {LEVEL_0, LEVEL_1, tabbedString} from './prefix-writer.js'

interface Rule {
  verbs: string[]
  apiGroups: string[]
  resources: string[]
  resourceNames: string[]
  nonResourceURLs: string[]
}

function breakdownRule(r: Obj): Rule[] {
  const out: Rule[] = []
  const verbs: string[] = r.verbs ?? []
  const names: string[] = r.resourceNames ?? []
  for (const g of r.apiGroups ?? []) {
    for (const res of r.resources ?? []) {
      for (const v of verbs) {
        if (names.length > 0) {
          for (const n of names)
            out.push({verbs: [v], apiGroups: [g], resources: [res], resourceNames: [n], nonResourceURLs: []})
        } else out.push({verbs: [v], apiGroups: [g], resources: [res], resourceNames: [], nonResourceURLs: []})
      }
    }
  }
  for (const u of r.nonResourceURLs ?? []) {
    for (const v of verbs) out.push({verbs: [v], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: [u]})
  }
  return out
}

// compactRules merges rules for one group/resource(/name) that differ only by verb; merged rules follow the others.
function compactRules(rules: Rule[]): Rule[] {
  const compacted: Rule[] = []
  const simple = new Map<string, Rule>()
  for (const r of rules) {
    const isSimple =
      r.resourceNames.length <= 1 &&
      r.nonResourceURLs.length === 0 &&
      r.apiGroups.length === 1 &&
      r.resources.length === 1
    if (!isSimple) {
      compacted.push(r)
      continue
    }
    const key = JSON.stringify([r.apiGroups[0], r.resources[0], r.resourceNames[0] ?? null])
    const existing = simple.get(key)
    if (existing) {
      for (const v of r.verbs) if (!existing.verbs.includes(v)) existing.verbs.push(v)
    } else simple.set(key, {...r, verbs: [...r.verbs]})
  }
  return [...compacted, ...simple.values()]
}

function ruleString(r: Rule): string {
  return `&PolicyRule{Verbs:${goList(r.verbs)},APIGroups:${goList(r.apiGroups)},Resources:${goList(r.resources)},ResourceNames:${goList(r.resourceNames)},NonResourceURLs:${goList(r.nonResourceURLs)},}`
}

/** combineResourceGroup is CombineResourceGroup: `pods`, `deployments.apps`, `pods/log`. */
export function combineResourceGroup(resources: string[], groups: string[]): string {
  if (resources.length === 0) return ''
  const parts = resources[0]!.split('/')
  let s = parts[0]!
  if (groups.length > 0 && groups[0] !== '') s += '.' + groups[0]
  if (parts.length >= 2) s += '/' + parts.slice(1).join('/')
  return s
}

async function describeRoleObject(role: Obj): Promise<string> {
  const rules = compactRules((role.rules ?? []).flatMap(breakdownRule))
  // sort.Stable by the generated String() of each rule
  const sorted = rules
    .map((r, i) => ({r, i, s: ruleString(r)}))
    .sort((a, b) => compareCodePoints(a.s, b.s) || a.i - b.i)
    .map((x) => x.r)
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${str(role.metadata?.name)}\n`)
    printLabelsMultiline(w, 'Labels', role.metadata?.labels)
    printAnnotationsMultiline(w, 'Annotations', role.metadata?.annotations)
    w.write(LEVEL_0, 'PolicyRule:\n')
    w.write(LEVEL_1, 'Resources\tNon-Resource URLs\tResource Names\tVerbs\n')
    w.write(LEVEL_1, '---------\t-----------------\t--------------\t-----\n')
    for (const r of sorted) {
      w.write(
        LEVEL_1,
        `${combineResourceGroup(r.resources, r.apiGroups)}\t${goList(r.nonResourceURLs)}\t${goList(r.resourceNames)}\t${goList(r.verbs)}\n`,
      )
    }
  })
}

/** describeRole is RoleDescriber. */
export async function describeRole(ctx: DescribeContext, namespace: string, name: string): Promise<string> {
  return describeRoleObject(await getObject(ctx, apiPath('rbac.authorization.k8s.io', 'v1', namespace, 'roles', name)))
}

/** describeClusterRole is ClusterRoleDescriber. */
export async function describeClusterRole(ctx: DescribeContext, _ns: string, name: string): Promise<string> {
  return describeRoleObject(
    await getObject(ctx, apiPath('rbac.authorization.k8s.io', 'v1', undefined, 'clusterroles', name)),
  )
}

function describeBindingObject(b: Obj): Promise<string> {
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${str(b.metadata?.name)}\n`)
    printLabelsMultiline(w, 'Labels', b.metadata?.labels)
    printAnnotationsMultiline(w, 'Annotations', b.metadata?.annotations)
    w.write(LEVEL_0, 'Role:\n')
    w.write(LEVEL_1, `Kind:\t${str(b.roleRef?.kind)}\n`)
    w.write(LEVEL_1, `Name:\t${str(b.roleRef?.name)}\n`)
    w.write(LEVEL_0, 'Subjects:\n')
    w.write(LEVEL_1, 'Kind\tName\tNamespace\n')
    w.write(LEVEL_1, '----\t----\t---------\n')
    for (const s of b.subjects ?? []) w.write(LEVEL_1, `${str(s.kind)}\t${str(s.name)}\t${str(s.namespace)}\n`)
  })
}

/** describeRoleBinding is RoleBindingDescriber. */
export async function describeRoleBinding(ctx: DescribeContext, namespace: string, name: string): Promise<string> {
  return describeBindingObject(
    await getObject(ctx, apiPath('rbac.authorization.k8s.io', 'v1', namespace, 'rolebindings', name)),
  )
}

/** describeClusterRoleBinding is ClusterRoleBindingDescriber. */
export async function describeClusterRoleBinding(ctx: DescribeContext, _ns: string, name: string): Promise<string> {
  return describeBindingObject(
    await getObject(ctx, apiPath('rbac.authorization.k8s.io', 'v1', undefined, 'clusterrolebindings', name)),
  )
}
