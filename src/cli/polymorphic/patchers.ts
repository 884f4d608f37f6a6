// patchers.ts is kubectl's object pauser, resumer and restarter (kubectl/pkg/polymorphichelpers/objectpauser.go,
// objectresumer.go, objectrestarter.go), expressed as the strategic merge patch kubectl ends up sending
// (set.CalculatePatches diffs the object before and after the change).
import type {Workload} from './common.js'

/** RESTARTED_AT_ANNOTATION is the pod template annotation `rollout restart` sets. */
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt'

/** ObjectPatcher returns the patch for obj ({} when nothing changes) or throws the reason it cannot. */
export type ObjectPatcher = (obj: Workload) => Record<string, unknown>

function isDeployment(obj: Workload): boolean {
  return obj.kind === 'Deployment' && /^(apps|extensions)\//.test(obj.apiVersion ?? '')
}

/** pauser sets spec.paused (deployments only). */
export const pauser: ObjectPatcher = (obj) => {
  if (!isDeployment(obj)) throw new Error('pausing is not supported')
  if (obj.spec?.paused) throw new Error('is already paused')
  return {spec: {paused: true}}
}

/** resumer clears spec.paused (deployments only). */
export const resumer: ObjectPatcher = (obj) => {
  if (!isDeployment(obj)) throw new Error('resuming is not supported')
  if (!obj.spec?.paused) throw new Error('is not paused')
  return {spec: {paused: null}}
}

/**
 * restarterAt returns the restarter for a moment: it sets the restartedAt annotation to now as Go's RFC 3339 in local
 * time (time.Now().Format(time.RFC3339)). kubectl reads no environment for this time; mkctl takes it from `now`.
 */
export function restarterAt(now: Date): ObjectPatcher {
  const stamp = rfc3339Local(now)
  return (obj) => {
    const ok =
      (isDeployment(obj) || obj.kind === 'DaemonSet' || obj.kind === 'StatefulSet') &&
      /^(apps|extensions)\//.test(obj.apiVersion ?? '') &&
      !(obj.kind === 'StatefulSet' && obj.apiVersion?.startsWith('extensions/'))
    if (!ok) throw new Error('restarting is not supported')
    if (isDeployment(obj) && obj.spec?.paused)
      throw new Error("can't restart paused deployment (run rollout resume first)")
    if (obj.spec?.template?.metadata?.annotations?.[RESTARTED_AT_ANNOTATION] === stamp) return {}
    return {spec: {template: {metadata: {annotations: {[RESTARTED_AT_ANNOTATION]: stamp}}}}}
  }
}

/** rfc3339Local formats a time as Go's time.RFC3339 in the local zone (`2024-05-01T10:00:00Z`, `...+02:00`). */
export function rfc3339Local(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  const off = -d.getTimezoneOffset()
  const zone =
    off === 0 ? 'Z' : `${off > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${zone}`
}
