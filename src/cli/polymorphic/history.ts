// history.ts is kubectl's history viewers (kubectl/pkg/polymorphichelpers/history.go): the REVISION/CHANGE-CAUSE
// table, one revision's pod template, and the objects behind the revisions for `-o`. Deployments keep their history
// in ReplicaSets; DaemonSets and StatefulSets in ControllerRevisions.
import type {KubeObject} from '../../api/object.js'
import type {ResourceInfo} from '../../api/resources.js'
import type {RestClient} from '../client/rest.js'
import {
  CHANGE_CAUSE_ANNOTATION,
  controlledHistory,
  deploymentReplicaSets,
  groupKindString,
  revisionOf,
  tabbedString,
  templateOfRevision,
  visitKind,
  type ControllerRevision,
  type PodTemplate,
  type Workload,
} from './common.js'
import {describePodTemplate} from './pod-template.js'

/** HistoryViewer shows a workload's rollout history. */
export interface HistoryViewer {
  /** viewHistory is the table (revision 0) or one revision's template text. */
  viewHistory(namespace: string, name: string, revision: number): Promise<string>
  /** getHistory maps each revision to the object that holds it (ReplicaSet, or the workload at that revision). */
  getHistory(namespace: string, name: string): Promise<Map<number, KubeObject>>
}

/** historyViewerFor follows HistoryViewerFor: deployments, daemon sets and stateful sets have one. */
export function historyViewerFor(rest: RestClient, m: ResourceInfo): HistoryViewer {
  const gk = groupKindString(m.group, m.kind)
  let kind
  try {
    kind = visitKind(m.group, m.kind)
  } catch (e) {
    throw new Error(`error retrieving history for ${JSON.stringify(gk)}, ${(e as Error).message}`, {cause: e})
  }
  if (kind === 'Deployment') return deploymentHistory(rest)
  if (kind === 'DaemonSet' || kind === 'StatefulSet') return revisionHistory(rest, m, kind)
  throw new Error(`no history viewer has been implemented for ${JSON.stringify(gk)}`)
}

async function getWorkload(rest: RestClient, m: ResourceInfo, ns: string, name: string): Promise<Workload> {
  return rest.get<Workload>(
    `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/${m.plural}/${encodeURIComponent(name)}`,
  )
}

/** historyTable prints revisions and change causes (printHistory / the deployment viewer). */
function historyTable(entries: Map<number, string>): string {
  if (entries.size === 0) return 'No rollout history found.'
  const revs = [...entries.keys()].sort((a, b) => a - b)
  return tabbedString(['REVISION\tCHANGE-CAUSE\n', ...revs.map((r) => `${r}\t${entries.get(r) || '<none>'}\n`)])
}

/** deploymentRevisionSets lists a deployment's ReplicaSets, old first, then the new one (getDeploymentReplicaSets). */
export async function deploymentRevisionSets(rest: RestClient, ns: string, name: string): Promise<Workload[]> {
  let d: Workload
  try {
    d = await rest.get<Workload>(
      `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/deployments/${encodeURIComponent(name)}`,
    )
  } catch (e) {
    throw new Error(`failed to retrieve deployment ${name}: ${(e as Error).message}`, {cause: e})
  }
  let sets
  try {
    sets = await deploymentReplicaSets(rest, d)
  } catch (e) {
    throw new Error(`failed to retrieve replica sets from deployment ${name}: ${(e as Error).message}`, {cause: e})
  }
  return sets.current ? [...sets.old, sets.current] : sets.old
}

function deploymentHistory(rest: RestClient): HistoryViewer {
  const byRevision = async (ns: string, name: string) => {
    const out = new Map<number, Workload>()
    for (const rs of await deploymentRevisionSets(rest, ns, name)) {
      try {
        out.set(revisionOf(rs), rs)
      } catch {
        // kubectl logs a warning and skips the ReplicaSet
      }
    }
    return out
  }
  return {
    async viewHistory(ns, name, revision) {
      const sets = await byRevision(ns, name)
      const templates = new Map<number, PodTemplate>()
      for (const [rev, rs] of sets) {
        const t = structuredClone(rs.spec?.template ?? {})
        const cause = rs.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION]
        if (cause) ((t.metadata ??= {}).annotations ??= {})[CHANGE_CAUSE_ANNOTATION] = cause
        templates.set(rev, t)
      }
      if (templates.size === 0) return 'No rollout history found.'
      if (revision > 0) {
        const t = templates.get(revision)
        if (!t) throw new Error('unable to find the specified revision')
        return describePodTemplate(t)
      }
      const causes = new Map<number, string>()
      for (const [rev, t] of templates) causes.set(rev, t.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION] ?? '')
      return historyTable(causes)
    },
    async getHistory(ns, name) {
      return byRevision(ns, name)
    },
  }
}

/** workloadHistory returns a DaemonSet's or StatefulSet's object and its revisions (daemonSetHistory, statefulSetHistory). */
export async function workloadHistory(
  rest: RestClient,
  m: ResourceInfo,
  kind: 'DaemonSet' | 'StatefulSet',
  ns: string,
  name: string,
): Promise<{workload: Workload; history: ControllerRevision[]}> {
  let workload: Workload
  try {
    workload = await getWorkload(rest, m, ns, name)
  } catch (e) {
    const what = kind === 'DaemonSet' ? 'DaemonSet' : 'Statefulset'
    throw new Error(`failed to retrieve ${what} ${name}: ${(e as Error).message}`, {cause: e})
  }
  try {
    return {workload, history: await controlledHistory(rest, workload)}
  } catch (e) {
    throw new Error(`unable to find history controlled by ${kind} ${name}: ${(e as Error).message}`, {cause: e})
  }
}

function revisionHistory(rest: RestClient, m: ResourceInfo, kind: 'DaemonSet' | 'StatefulSet'): HistoryViewer {
  return {
    async viewHistory(ns, name, revision) {
      const {workload, history} = await workloadHistory(rest, m, kind, ns, name)
      const byRev = new Map<number, ControllerRevision>()
      for (const h of history) byRev.set(h.revision ?? 0, h)
      if (byRev.size === 0) return 'No rollout history found.'
      if (revision > 0) {
        const h = byRev.get(revision)
        if (!h) throw new Error('unable to find the specified revision')
        return describePodTemplate(templateOfRevision(workload, h))
      }
      const causes = new Map<number, string>()
      for (const [rev, h] of byRev) causes.set(rev, h.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION] ?? '')
      return historyTable(causes)
    },
    async getHistory(ns, name) {
      const {workload, history} = await workloadHistory(rest, m, kind, ns, name)
      const out = new Map<number, KubeObject>()
      for (const h of history) {
        const applied = structuredClone(workload)
        applied.spec = {...applied.spec, template: templateOfRevision(workload, h)}
        out.set(h.revision ?? 0, applied)
      }
      return out
    },
  }
}
