// taints.ts: taint and toleration matching, shared by the scheduler's filters and the taint eviction controller
// (follows k8s.io/api/core/v1 toleration.go ToleratesTaint and component-helpers/scheduling/corev1 taint helpers).

/** Taint is core/v1 Taint. */
export interface Taint {
  key: string
  value?: string
  effect: string
  timeAdded?: string
}

/** Toleration is core/v1 Toleration. */
export interface Toleration {
  key?: string
  operator?: string
  value?: string
  effect?: string
  tolerationSeconds?: number
}

/** TAINT_NOT_READY and friends are the well-known taint keys the node lifecycle controller manages. */
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready'
/** TAINT_UNREACHABLE marks a node whose kubelet stopped posting status. */
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable'
/** TAINT_UNSCHEDULABLE mirrors spec.unschedulable (cordon). */
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable'

/**
 * toleratesTaint: an empty effect matches every effect, an empty key with Exists every key; Equal (or no
 * operator) needs the same value.
 */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false
  if (t.key && t.key !== taint.key) return false
  switch (t.operator ?? '') {
    case '':
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '')
    case 'Exists':
      return true
    default:
      return false
  }
}

/** tolerationsTolerate says whether any toleration of the list tolerates the taint. */
export function tolerationsTolerate(tols: Toleration[] | undefined, taint: Taint): boolean {
  return (tols ?? []).some((t) => toleratesTaint(t, taint))
}

/**
 * findUntoleratedTaint returns the first taint (in the node's order) that passes filter and that no toleration
 * tolerates (FindMatchingUntoleratedTaint).
 */
export function findUntoleratedTaint(
  taints: Taint[] | undefined,
  tols: Toleration[] | undefined,
  filter: (t: Taint) => boolean,
): Taint | undefined {
  for (const taint of taints ?? []) if (filter(taint) && !tolerationsTolerate(tols, taint)) return taint
  return undefined
}

/** taintsOf reads a node's spec.taints. */
export function taintsOf(node: unknown): Taint[] {
  const t = (node as {spec?: {taints?: Taint[]}})?.spec?.taints
  return Array.isArray(t) ? t : []
}

/** tolerationsOf reads a pod's spec.tolerations. */
export function tolerationsOf(pod: unknown): Toleration[] {
  const t = (pod as {spec?: {tolerations?: Toleration[]}})?.spec?.tolerations
  return Array.isArray(t) ? t : []
}
