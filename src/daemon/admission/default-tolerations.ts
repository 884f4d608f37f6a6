// default-tolerations.ts: the DefaultTolerationSeconds admission plugin (plugin/pkg/admission/
// defaulttolerationseconds): every new pod tolerates the not-ready and unreachable NoExecute taints for 300 s
// unless it already tolerates them, so a dead node's pods are evicted five minutes after it goes away.
import type {AdmissionPlugin} from '../registry/types.js'

/** DEFAULT_TOLERATION_SECONDS is --default-not-ready-toleration-seconds / --default-unreachable-toleration-seconds. */
export const DEFAULT_TOLERATION_SECONDS = 300

const KEYS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']

/** addDefaultTolerations adds the two tolerations a pod spec lacks; a toleration with no key or no effect counts. */
export function addDefaultTolerations(spec: any, seconds = DEFAULT_TOLERATION_SECONDS): void {
  const tols: any[] = Array.isArray(spec.tolerations) ? spec.tolerations : []
  const covers = (key: string) =>
    tols.some((t) => (!t?.key || t.key === key) && (!t?.effect || t.effect === 'NoExecute'))
  const add = KEYS.filter((k) => !covers(k)).map((key) => ({
    key,
    operator: 'Exists',
    effect: 'NoExecute',
    tolerationSeconds: seconds,
  }))
  if (add.length) spec.tolerations = [...tols, ...add]
}

/** defaultTolerationsAdmission builds the plugin; it mutates pods on CREATE only (not subresources). */
export const defaultTolerationsAdmission = (_d: unknown): AdmissionPlugin => ({
  name: 'DefaultTolerationSeconds',
  mutate(a) {
    if (a.operation !== 'CREATE' || a.subresource || a.resource.group !== '' || a.resource.plural !== 'pods') return
    const pod = a.object as any
    if (!pod.spec || typeof pod.spec !== 'object') return
    addDefaultTolerations(pod.spec)
  },
})
