// affinity.ts: node selectors and pod affinity terms (component-helpers/scheduling/corev1/nodeaffinity and
// pkg/scheduler/framework/types.go AffinityTerm).
import type {KubeObject} from '../../api/object.js'
import {labelSelectorFromObject, type Selector} from '../../api/labels.js'

/** NamespaceLabels reads a namespace's labels (for namespaceSelector). */
export type NamespaceLabels = (namespace: string) => Record<string, string> | undefined

/** AffinityTerm is a compiled PodAffinityTerm. */
export interface AffinityTerm {
  namespaces: Set<string>
  namespaceSelector: Selector | undefined
  selector: Selector
  topologyKey: string
  weight: number
}

function selectorOf(ls: unknown): Selector {
  try {
    return labelSelectorFromObject(ls as any)
  } catch {
    return labelSelectorFromObject(null)
  }
}

/**
 * compileTerm compiles a PodAffinityTerm of `owner`: no namespaces and no namespaceSelector means the owner's
 * namespace; a null labelSelector matches no pod.
 */
export function compileTerm(term: any, owner: KubeObject, weight = 1): AffinityTerm {
  const namespaces = new Set<string>(Array.isArray(term?.namespaces) ? term.namespaces : [])
  const hasNsSel = term?.namespaceSelector !== undefined && term?.namespaceSelector !== null
  if (namespaces.size === 0 && !hasNsSel) namespaces.add(String(owner.metadata?.namespace ?? ''))
  return {
    namespaces,
    namespaceSelector: hasNsSel ? selectorOf(term.namespaceSelector) : undefined,
    selector: selectorOf(term?.labelSelector),
    topologyKey: String(term?.topologyKey ?? ''),
    weight,
  }
}

/** compileTerms compiles a list of required PodAffinityTerms. */
export function compileTerms(terms: any[], owner: KubeObject, _nsLabels: NamespaceLabels): AffinityTerm[] {
  return terms.map((t) => compileTerm(t, owner))
}

/** termMatches says whether a pod falls under the term (its namespace and labels). */
export function termMatches(t: AffinityTerm, pod: KubeObject, nsLabels: NamespaceLabels): boolean {
  const ns = String(pod.metadata?.namespace ?? '')
  if (!t.namespaces.has(ns)) {
    if (!t.namespaceSelector) return false
    if (!t.namespaceSelector.matches(nsLabels(ns) ?? {})) return false
  }
  return t.selector.matches((pod.metadata?.labels ?? {}) as Record<string, string>)
}

function requirementMatches(req: any, value: string | undefined): boolean {
  const values: string[] = Array.isArray(req?.values) ? req.values.map(String) : []
  switch (req?.operator) {
    case 'In':
      return value !== undefined && values.includes(value)
    case 'NotIn':
      return value === undefined || !values.includes(value)
    case 'Exists':
      return value !== undefined
    case 'DoesNotExist':
      return value === undefined
    case 'Gt':
    case 'Lt': {
      if (value === undefined || values.length !== 1) return false
      const a = Number.parseInt(value, 10)
      const b = Number.parseInt(values[0]!, 10)
      if (!Number.isFinite(a) || !Number.isFinite(b)) return false
      return req.operator === 'Gt' ? a > b : a < b
    }
    default:
      return false
  }
}

/** nodeSelectorTermMatches: all expressions and fields hold; an empty term matches nothing. */
export function nodeSelectorTermMatches(term: any, node: KubeObject): boolean {
  const exprs: any[] = Array.isArray(term?.matchExpressions) ? term.matchExpressions : []
  const fields: any[] = Array.isArray(term?.matchFields) ? term.matchFields : []
  if (exprs.length === 0 && fields.length === 0) return false
  const labels = (node.metadata?.labels ?? {}) as Record<string, string>
  for (const e of exprs)
    if (!requirementMatches(e, Object.hasOwn(labels, e?.key) ? labels[e.key] : undefined)) return false
  for (const f of fields) {
    if (f?.key !== 'metadata.name') return false
    if (!requirementMatches(f, String(node.metadata?.name))) return false
  }
  return true
}

/** podMatchesNodeSelectorAndAffinity is the NodeAffinity filter's test: nodeSelector and required terms (ORed). */
export function podMatchesNodeSelectorAndAffinity(spec: any, node: KubeObject): boolean {
  const labels = (node.metadata?.labels ?? {}) as Record<string, string>
  const selector = spec?.nodeSelector as Record<string, string> | undefined
  // for-in, not Object.entries: the scheduler asks this of hundreds of nodes per pod, most without a selector.
  if (selector) for (const k in selector) if (labels[k] !== selector[k]) return false
  const terms = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms
  if (Array.isArray(terms)) return terms.some((t) => nodeSelectorTermMatches(t, node))
  return true
}
