// common.ts holds what the rollout helpers share: kubectl's kind visitor (kubectl/pkg/apps/kind_visitor.go), the
// revision annotation (kubectl/pkg/util/deployment), controller ownership, the ReplicaSets and ControllerRevisions a
// workload owns (polymorphichelpers/history.go) and the `tabbedString` layout of kubectl's describe helpers.
import {labelSelectorFromObject, type LabelSelector} from '../../api/labels.js'
import type {KubeObject} from '../../api/object.js'
import type {RestClient} from '../client/rest.js'
import {newDescribeTabWriter} from '../printers/tabwriter.js'

/** REVISION_ANNOTATION is the deployment revision annotation (deploymentutil.RevisionAnnotation). */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision'
/** CHANGE_CAUSE_ANNOTATION is the change-cause annotation history prints (polymorphichelpers.ChangeCauseAnnotation). */
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause'
/** POD_TEMPLATE_HASH_LABEL is the label the deployment controller adds to its ReplicaSets' templates. */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash'

/** WorkloadKind is what kubectl's kind visitor distinguishes. */
export type WorkloadKind =
  'DaemonSet' | 'Deployment' | 'Job' | 'Pod' | 'ReplicaSet' | 'ReplicationController' | 'StatefulSet' | 'CronJob'

/** groupKindString renders a GroupKind as Go's GroupKind.String(): `Deployment.apps`, `Pod`. */
export function groupKindString(group: string, kind: string): string {
  return group ? `${kind}.${group}` : kind
}

/** visitKind follows GroupKindElement.Accept: the workload kind, or kubectl's `no visitor method` error. */
export function visitKind(group: string, kind: string): WorkloadKind {
  const inGroup = (...gs: string[]) => gs.includes(group)
  if (inGroup('apps', 'extensions') && kind === 'DaemonSet') return 'DaemonSet'
  if (inGroup('apps', 'extensions') && kind === 'Deployment') return 'Deployment'
  if (inGroup('batch') && kind === 'Job') return 'Job'
  if (inGroup('', 'core') && kind === 'Pod') return 'Pod'
  if (inGroup('apps', 'extensions') && kind === 'ReplicaSet') return 'ReplicaSet'
  if (inGroup('', 'core') && kind === 'ReplicationController') return 'ReplicationController'
  if (inGroup('apps') && kind === 'StatefulSet') return 'StatefulSet'
  if (inGroup('batch') && kind === 'CronJob') return 'CronJob'
  // Go prints the GroupKindElement struct with %v: `{apps Foo}`, `{ Service}`
  throw new Error(`no visitor method exists for {${group} ${kind}}`)
}

/** revisionOf reads the revision annotation (deploymentutil.Revision): 0 when absent, an error when not a number. */
export function revisionOf(obj: KubeObject): number {
  const v = obj.metadata?.annotations?.[REVISION_ANNOTATION]
  if (v === undefined) return 0
  if (!/^[+-]?\d+$/.test(v)) throw new Error(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`)
  return Number(v)
}

/** isControlledBy tells whether obj has a controller ownerReference to owner's uid (metav1.IsControlledBy). */
export function isControlledBy(obj: KubeObject, owner: KubeObject): boolean {
  const refs = (obj.metadata?.ownerReferences ?? []) as {controller?: boolean; uid?: string}[]
  const ref = refs.find((r) => r.controller === true)
  return ref !== undefined && ref.uid === owner.metadata?.uid
}

/** Workload is the part of a Deployment, DaemonSet or StatefulSet the helpers read. */
export interface Workload extends KubeObject {
  spec?: {
    replicas?: number
    paused?: boolean
    selector?: LabelSelector
    template?: PodTemplate
    updateStrategy?: {type?: string; rollingUpdate?: {partition?: number}}
    [k: string]: unknown
  }
  status?: Record<string, any>
}

/** PodTemplate is a pod template spec as JSON. */
export interface PodTemplate {
  metadata?: {labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown}
  spec?: Record<string, any>
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical)
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k]
      // Go's typed structs drop empty maps and nulls on the way in (omitempty), so they compare equal to absent
      if (x === null || x === undefined) continue
      if (typeof x === 'object' && !Array.isArray(x) && Object.keys(x).length === 0 && k !== 'emptyDir') continue
      out[k] = canonical(x)
    }
    return out
  }
  return v
}

/** deepEqualJson compares JSON values the way typed Go structs compare after decoding (empty and absent alike). */
export function deepEqualJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b))
}

/** equalIgnoreHash compares two pod templates ignoring the pod-template-hash label (deploymentutil.EqualIgnoreHash). */
export function equalIgnoreHash(a: PodTemplate | undefined, b: PodTemplate | undefined): boolean {
  const strip = (t: PodTemplate | undefined) => {
    const c = structuredClone(t ?? {})
    if (c.metadata?.labels) delete c.metadata.labels[POD_TEMPLATE_HASH_LABEL]
    return c
  }
  return deepEqualJson(strip(a), strip(b))
}

/** selectorString renders a workload's label selector for a list query (LabelSelectorAsSelector(...).String()). */
export function selectorString(w: Workload): string {
  return labelSelectorFromObject(w.spec?.selector).toString()
}

/** DeploymentReplicaSets are a deployment's old ReplicaSets and its new one (deploymentutil.GetAllReplicaSets). */
export interface DeploymentReplicaSets {
  old: Workload[]
  current?: Workload
}

/** deploymentReplicaSets lists the ReplicaSets a deployment controls, split into old ones and the new one. */
export async function deploymentReplicaSets(rest: RestClient, d: Workload): Promise<DeploymentReplicaSets> {
  const ns = d.metadata?.namespace ?? ''
  const list = await rest.get<{items?: Workload[]}>(`/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/replicasets`, {
    query: {labelSelector: selectorString(d)},
  })
  const owned = (list.items ?? []).filter((rs) => isControlledBy(rs, d))
  // FindNewReplicaSet: the oldest ReplicaSet whose template matches wins (sorted by creation time, then name)
  const sorted = [...owned].sort((a, b) => {
    const ta = a.metadata?.creationTimestamp ?? ''
    const tb = b.metadata?.creationTimestamp ?? ''
    if (ta !== tb) return ta < tb ? -1 : 1
    return (a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1
  })
  const current = sorted.find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template))
  return {old: owned.filter((rs) => rs !== current), current}
}

/** ControllerRevision is apps/v1 ControllerRevision as JSON. */
export interface ControllerRevision extends KubeObject {
  revision?: number
  data?: {spec?: {template?: PodTemplate & {$patch?: string}}; [k: string]: unknown}
}

/** controlledHistory lists the ControllerRevisions a DaemonSet or StatefulSet controls (history.go controlledHistory). */
export async function controlledHistory(rest: RestClient, w: Workload): Promise<ControllerRevision[]> {
  const ns = w.metadata?.namespace ?? ''
  const list = await rest.get<{items?: ControllerRevision[]}>(
    `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/controllerrevisions`,
    {query: {labelSelector: selectorString(w)}},
  )
  return (list.items ?? []).filter((h) => isControlledBy(h, w))
}

/** templateOfRevision applies a revision's patch to the workload's template (applyDaemonSetHistory, applyRevision). */
export function templateOfRevision(w: Workload, h: ControllerRevision): PodTemplate {
  const t = h.data?.spec?.template
  if (!t) return structuredClone(w.spec?.template ?? {})
  const {$patch: _replace, ...rest} = t
  return structuredClone(rest)
}

/** tabbedString lays rows out as kubectl's describe helpers do (tabwriter 0, 8, 2, ' ', 0). */
export function tabbedString(lines: string[]): string {
  let out = ''
  const w = newDescribeTabWriter({write: (s: string) => (out += s)})
  for (const l of lines) w.write(l)
  w.flush()
  return out
}
