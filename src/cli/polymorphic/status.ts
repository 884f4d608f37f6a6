// status.ts is kubectl's status viewers (kubectl/pkg/polymorphichelpers/rollout_status.go, statusviewer.go): from a
// workload's spec and status, the line `rollout status` prints and whether the rollout is done.
import type {ResourceInfo} from '../../api/resources.js'
import {groupKindString, revisionOf, type Workload} from './common.js'

/** RolloutStatus is one status line (ending in a newline) and whether the rollout finished. */
export interface RolloutStatus {
  message: string
  done: boolean
}

/** StatusViewer computes the status of one object; revision 0 means the latest. Errors are thrown. */
export type StatusViewer = (obj: Workload, revision: number) => RolloutStatus

/** statusViewerFor returns the viewer for a mapping's kind, or kubectl's `no status viewer` error. */
export function statusViewerFor(m: ResourceInfo): StatusViewer {
  const g = m.group
  if ((g === 'apps' || g === 'extensions') && m.kind === 'Deployment') return deploymentStatus
  if ((g === 'apps' || g === 'extensions') && m.kind === 'DaemonSet') return daemonSetStatus
  if (g === 'apps' && m.kind === 'StatefulSet') return statefulSetStatus
  throw new Error(`no status viewer has been implemented for ${groupKindString(g, m.kind)}`)
}

/** StatusError marks a viewer error that ends the watch at once (the viewers' `done, err` results). */
export class ViewerError extends Error {}

const num = (v: unknown) => (typeof v === 'number' ? v : 0)

/** deploymentStatus follows DeploymentStatusViewer.Status. */
export function deploymentStatus(d: Workload, revision: number): RolloutStatus {
  const name = d.metadata?.name ?? ''
  const st = d.status ?? {}
  if (revision > 0) {
    let rev: number
    try {
      rev = revisionOf(d)
    } catch (e) {
      throw new Error(`cannot get the revision of deployment ${JSON.stringify(name)}: ${(e as Error).message}`, {
        cause: e,
      })
    }
    if (revision !== rev)
      throw new Error(`desired revision (${revision}) is different from the running revision (${rev})`)
  }
  if (num(d.metadata?.generation) <= num(st.observedGeneration)) {
    const cond = ((st.conditions ?? []) as {type?: string; reason?: string}[]).find((c) => c.type === 'Progressing')
    if (cond?.reason === 'ProgressDeadlineExceeded')
      throw new Error(`deployment ${JSON.stringify(name)} exceeded its progress deadline`)
    const replicas = d.spec?.replicas
    const updated = num(st.updatedReplicas)
    const wait = (s: string) => ({
      message: `Waiting for deployment ${JSON.stringify(name)} rollout to finish: ${s}...\n`,
      done: false,
    })
    if (replicas !== undefined && updated < replicas)
      return wait(`${updated} out of ${replicas} new replicas have been updated`)
    if (num(st.replicas) > updated) return wait(`${num(st.replicas) - updated} old replicas are pending termination`)
    if (num(st.availableReplicas) < updated)
      return wait(`${num(st.availableReplicas)} of ${updated} updated replicas are available`)
    return {message: `deployment ${JSON.stringify(name)} successfully rolled out\n`, done: true}
  }
  return {message: 'Waiting for deployment spec update to be observed...\n', done: false}
}

/** daemonSetStatus follows DaemonSetStatusViewer.Status. */
export function daemonSetStatus(ds: Workload): RolloutStatus {
  const name = JSON.stringify(ds.metadata?.name ?? '')
  const st = ds.status ?? {}
  if (ds.spec?.updateStrategy?.type !== 'RollingUpdate') {
    throw new ViewerError('rollout status is only available for RollingUpdate strategy type')
  }
  if (num(ds.metadata?.generation) <= num(st.observedGeneration)) {
    const desired = num(st.desiredNumberScheduled)
    if (num(st.updatedNumberScheduled) < desired)
      return {
        message: `Waiting for daemon set ${name} rollout to finish: ${num(st.updatedNumberScheduled)} out of ${desired} new pods have been updated...\n`,
        done: false,
      }
    if (num(st.numberAvailable) < desired)
      return {
        message: `Waiting for daemon set ${name} rollout to finish: ${num(st.numberAvailable)} of ${desired} updated pods are available...\n`,
        done: false,
      }
    return {message: `daemon set ${name} successfully rolled out\n`, done: true}
  }
  return {message: 'Waiting for daemon set spec update to be observed...\n', done: false}
}

/** statefulSetStatus follows StatefulSetStatusViewer.Status. */
export function statefulSetStatus(sts: Workload): RolloutStatus {
  const st = sts.status ?? {}
  const strategy = sts.spec?.updateStrategy
  if (strategy?.type !== 'RollingUpdate') {
    throw new ViewerError('rollout status is only available for RollingUpdate strategy type')
  }
  if (num(st.observedGeneration) === 0 || num(sts.metadata?.generation) > num(st.observedGeneration)) {
    return {message: 'Waiting for statefulset spec update to be observed...\n', done: false}
  }
  const replicas = sts.spec?.replicas
  if (replicas !== undefined && num(st.readyReplicas) < replicas) {
    return {message: `Waiting for ${replicas - num(st.readyReplicas)} pods to be ready...\n`, done: false}
  }
  if (strategy.rollingUpdate) {
    const partition = strategy.rollingUpdate.partition
    if (replicas !== undefined && partition !== undefined && partition !== null) {
      if (num(st.updatedReplicas) < replicas - partition) {
        return {
          message: `Waiting for partitioned roll out to finish: ${num(st.updatedReplicas)} out of ${replicas - partition} new pods have been updated...\n`,
          done: false,
        }
      }
    }
    return {
      message: `partitioned roll out complete: ${num(st.updatedReplicas)} new pods have been updated...\n`,
      done: true,
    }
  }
  if (st.updateRevision !== st.currentRevision) {
    return {
      message: `waiting for statefulset rolling update to complete ${num(st.updatedReplicas)} pods at revision ${st.updateRevision ?? ''}...\n`,
      done: false,
    }
  }
  return {
    message: `statefulset rolling update complete ${num(st.currentReplicas)} pods at revision ${st.currentRevision ?? ''}...\n`,
    done: true,
  }
}
