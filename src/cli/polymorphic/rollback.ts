// rollback.ts is kubectl's rollbackers (kubectl/pkg/polymorphichelpers/rollback.go): `rollout undo` finds the
// revision to go back to and patches the workload's template back to it. Deployments get a JSON patch of their
// template and annotations from the old ReplicaSet; DaemonSets and StatefulSets get the ControllerRevision's data as
// a strategic merge patch.
import type {ResourceInfo} from '../../api/resources.js'
import type {RestClient} from '../client/rest.js'
import type {DryRun} from '../resource/openapi.js'
import {
  deepEqualJson,
  deploymentReplicaSets,
  equalIgnoreHash,
  groupKindString,
  POD_TEMPLATE_HASH_LABEL,
  revisionOf,
  templateOfRevision,
  visitKind,
  type ControllerRevision,
  type Workload,
} from './common.js'
import {workloadHistory} from './history.js'
import {describePodTemplate} from './pod-template.js'

/** Rollbacker rolls one workload back and returns the operation word kubectl prints (`rolled back`, ...). */
export type Rollbacker = (obj: Workload, toRevision: number, dryRun: DryRun) => Promise<string>

// annotationsToSkip are the deployment annotations an undo keeps from the deployment instead of the ReplicaSet.
const ANNOTATIONS_TO_SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
])

const revisionNotFound = (r: number) => new Error(`unable to find specified revision ${r} in history`)

/** rollbackerFor follows RollbackerFor: deployments, daemon sets and stateful sets can be rolled back. */
export function rollbackerFor(rest: RestClient, m: ResourceInfo): Rollbacker {
  const gk = groupKindString(m.group, m.kind)
  let kind
  try {
    kind = visitKind(m.group, m.kind)
  } catch (e) {
    throw new Error(`error retrieving rollbacker for ${JSON.stringify(gk)}, ${(e as Error).message}`, {cause: e})
  }
  if (kind === 'Deployment') return (obj, to, dryRun) => rollbackDeployment(rest, obj, to, dryRun)
  if (kind === 'DaemonSet' || kind === 'StatefulSet')
    return (obj, to, dryRun) => rollbackWithHistory(rest, m, kind, obj, to, dryRun)
  throw new Error(`no rollbacker has been implemented for ${JSON.stringify(gk)}`)
}

async function rollbackDeployment(
  rest: RestClient,
  obj: Workload,
  toRevision: number,
  dryRun: DryRun,
): Promise<string> {
  if (toRevision < 0) throw revisionNotFound(toRevision)
  const ns = obj.metadata?.namespace ?? ''
  const name = obj.metadata?.name ?? ''
  const path = `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/deployments/${encodeURIComponent(name)}`
  let d: Workload
  try {
    d = await rest.get<Workload>(path)
  } catch (e) {
    throw new Error(`failed to retrieve Deployment ${name}: ${(e as Error).message}`, {cause: e})
  }
  const rs = await deploymentRevision(rest, d, toRevision)
  if (dryRun === 'client') return describePodTemplate(rs.spec?.template)
  if (d.spec?.paused) {
    throw new Error(
      "you cannot rollback a paused deployment; resume it first with 'mkctl rollout resume' and try again",
    )
  }
  if (equalIgnoreHash(rs.spec?.template, d.spec?.template)) {
    return `skipped rollback (current template already matches revision ${toRevision})`
  }
  const template = structuredClone(rs.spec?.template ?? {})
  if (template.metadata?.labels) delete template.metadata.labels[POD_TEMPLATE_HASH_LABEL]
  const annotations: Record<string, string> = {}
  for (const k of ANNOTATIONS_TO_SKIP) {
    const v = d.metadata?.annotations?.[k]
    if (v !== undefined) annotations[k] = v
  }
  for (const [k, v] of Object.entries(rs.metadata?.annotations ?? {}))
    if (!ANNOTATIONS_TO_SKIP.has(k)) annotations[k] = v
  const patch = [
    {op: 'replace', path: '/spec/template', value: template},
    {op: 'replace', path: '/metadata/annotations', value: annotations},
  ]
  try {
    await rest.patch(path, patch, 'application/json-patch+json', {
      query: {dryRun: dryRun === 'server' ? 'All' : undefined},
    })
  } catch (e) {
    throw new Error(`failed restoring revision ${toRevision}: ${(e as Error).message}`, {cause: e})
  }
  return 'rolled back'
}

// deploymentRevision picks the ReplicaSet of toRevision, or the second newest one for 0.
async function deploymentRevision(rest: RestClient, d: Workload, toRevision: number): Promise<Workload> {
  let sets
  try {
    sets = await deploymentReplicaSets(rest, d)
  } catch (e) {
    throw new Error(
      `failed to retrieve replica sets from deployment ${d.metadata?.name ?? ''}: ${(e as Error).message}`,
      {cause: e},
    )
  }
  const all = sets.current ? [...sets.old, sets.current] : sets.old
  let latest: Workload | undefined
  let latestRev = -1
  let previous: Workload | undefined
  let previousRev = -1
  for (const rs of all) {
    let v: number
    try {
      v = revisionOf(rs)
    } catch {
      continue
    }
    if (toRevision === 0) {
      if (latestRev < v) {
        previousRev = latestRev
        previous = latest
        latestRev = v
        latest = rs
      } else if (previousRev < v) {
        previousRev = v
        previous = rs
      }
    } else if (toRevision === v) return rs
  }
  if (toRevision > 0) throw revisionNotFound(toRevision)
  if (!previous) throw new Error(`no rollout history found for deployment ${JSON.stringify(d.metadata?.name ?? '')}`)
  return previous
}

async function rollbackWithHistory(
  rest: RestClient,
  m: ResourceInfo,
  kind: 'DaemonSet' | 'StatefulSet',
  obj: Workload,
  toRevision: number,
  dryRun: DryRun,
): Promise<string> {
  if (toRevision < 0) throw revisionNotFound(toRevision)
  const ns = obj.metadata?.namespace ?? ''
  const name = obj.metadata?.name ?? ''
  const {workload, history} = await workloadHistory(rest, m, kind, ns, name)
  if (toRevision === 0 && history.length <= 1) throw new Error('no last revision to roll back to')
  const to = findHistory(toRevision, history)
  if (!to) throw revisionNotFound(toRevision)
  if (dryRun === 'client') return `will roll back to ${describePodTemplate(templateOfRevision(workload, to))}`
  // kubectl compares the revision's bytes with the workload's template wrapped the same way
  if (deepEqualJson(to.data, {spec: {template: {...workload.spec?.template, $patch: 'replace'}}})) {
    return `skipped rollback (current template already matches revision ${toRevision})`
  }
  try {
    await rest.patch(
      `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/${m.plural}/${encodeURIComponent(name)}`,
      to.data,
      'application/strategic-merge-patch+json',
      {
        query: {dryRun: dryRun === 'server' ? 'All' : undefined},
      },
    )
  } catch (e) {
    throw new Error(`failed restoring revision ${toRevision}: ${(e as Error).message}`, {cause: e})
  }
  return 'rolled back'
}

function findHistory(toRevision: number, all: ControllerRevision[]): ControllerRevision | undefined {
  if (toRevision === 0 && all.length <= 1) return undefined
  if (toRevision === 0) return [...all].sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0))[all.length - 2]
  return all.find((h) => h.revision === toRevision)
}
