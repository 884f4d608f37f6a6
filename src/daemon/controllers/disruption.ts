// disruption.ts: the disruption controller (pkg/controller/disruption/disruption.go). It keeps each
// PodDisruptionBudget's status: expectedPods (the pods' controllers' scale, or the pod count for an integer
// minAvailable), desiredHealthy, currentHealthy (ready pods not being deleted nor just evicted), disruptionsAllowed,
// disruptedPods (evictions not yet seen as deletions, forgotten after 2 minutes), observedGeneration and the
// DisruptionAllowed condition. The eviction subresource (registry/pod-subresources.ts) spends what it computes.
import type {KubeObject} from '../../api/object.js'
import {labelSelectorFromObject} from '../../api/labels.js'
import {isNotFound} from '../../api/errors.js'
import {rfc3339} from '../clock.js'
import {setDisruptionAllowedCondition} from '../registry/pod-subresources.js'
import type {EventRecorder} from './framework/events.js'
import type {Controller, ControllerContext, ControllerFactory, SyncResult, WatchSpec} from './framework/types.js'
import {keyOf} from './framework/types.js'

/** DELETION_TIMEOUT_MS is how long an eviction waits to be seen as a deletion (DeletionTimeout, 2 minutes). */
export const DELETION_TIMEOUT_MS = 2 * 60_000

const PDBS = 'policy/poddisruptionbudgets'

/** scaledValue follows intstr.GetScaledValueFromIntOrPercent with rounding up. */
export function scaledValue(v: number | string, total: number): number {
  if (typeof v === 'number') return v
  const m = /^(\d+)%$/.exec(v)
  if (!m) {
    const n = Number(v)
    if (Number.isInteger(n)) return n
    throw new Error(`invalid value for IntOrString: invalid value "${v}"`)
  }
  return Math.ceil((Number(m[1]) * total) / 100)
}

function isPodReady(pod: any): boolean {
  return (pod?.status?.conditions ?? []).some((c: any) => c?.type === 'Ready' && c?.status === 'True')
}

/** Disruption is the controller; keys are PDB keys (ns/name). */
export class Disruption implements Controller {
  readonly name = 'disruption'
  private readonly events: EventRecorder

  constructor(private readonly ctx: ControllerContext) {
    this.events = ctx.events.withSource({component: 'controllermanager'})
  }

  /** pdbsFor lists the keys of the namespace's budgets selecting a pod (any of the given states). */
  private pdbsFor(ns: string, ...labelSets: (Record<string, string> | undefined)[]): string[] {
    const out: string[] = []
    for (const pdb of this.ctx.informers.for(PDBS).list(ns)) {
      let sel
      try {
        sel = labelSelectorFromObject((pdb.spec as any)?.selector)
      } catch {
        continue
      }
      if (labelSets.some((l) => l && sel.matches(l))) out.push(keyOf(pdb))
    }
    return out
  }

  watches(): WatchSpec[] {
    const allInNs = (obj: KubeObject) => this.ctx.informers.for(PDBS).list(String(obj.metadata?.namespace)).map(keyOf)
    return [
      {resource: PDBS},
      {
        resource: 'pods',
        keys: (obj, _t, old) =>
          this.pdbsFor(
            String(obj.metadata?.namespace),
            obj.metadata?.labels as Record<string, string>,
            old?.metadata?.labels as Record<string, string> | undefined,
          ),
      },
      // A controller's scale moves expectedPods.
      {resource: 'apps/deployments', keys: allInNs},
      {resource: 'apps/replicasets', keys: allInNs},
      {resource: 'apps/statefulsets', keys: allInNs},
    ]
  }

  /** expectedScale sums the scale of the pods' controllers (getExpectedScale); throws with upstream's words. */
  private expectedScale(pdb: KubeObject, pods: KubeObject[]): number {
    const scales = new Map<string, number>()
    const inf = (r: string) => this.ctx.informers.for(r)
    for (const pod of pods) {
      const ref = (pod.metadata?.ownerReferences ?? []).find((r: any) => r.controller) as any
      const podName = String(pod.metadata?.name)
      if (!ref) {
        const msg = `found no controller ref for pod "${podName}"`
        this.events.warning(pdb, 'NoControllerRef', msg)
        throw new Error(msg)
      }
      if (scales.has(ref.uid)) continue
      const ns = String(pod.metadata?.namespace)
      let found: [string, number] | undefined
      if (ref.kind === 'ReplicaSet' && String(ref.apiVersion).startsWith('apps/')) {
        const rs: any = inf('apps/replicasets').get(ns, ref.name)
        if (rs && rs.metadata?.uid === ref.uid) {
          const dref = (rs.metadata?.ownerReferences ?? []).find((r: any) => r.controller && r.kind === 'Deployment')
          const d: any = dref ? inf('apps/deployments').get(ns, dref.name) : undefined
          found =
            d && d.metadata?.uid === dref.uid
              ? [d.metadata.uid, Number(d.spec?.replicas ?? 1)]
              : [rs.metadata.uid, Number(rs.spec?.replicas ?? 1)]
        }
      } else if (ref.kind === 'StatefulSet' && String(ref.apiVersion).startsWith('apps/')) {
        const ss: any = inf('apps/statefulsets').get(ns, ref.name)
        if (ss && ss.metadata?.uid === ref.uid) found = [ss.metadata.uid, Number(ss.spec?.replicas ?? 1)]
      } else if (ref.kind === 'ReplicationController' && ref.apiVersion === 'v1') {
        const rc: any = this.ctx.client.tryGet('replicationcontrollers', ns, ref.name)
        if (rc && rc.metadata?.uid === ref.uid) found = [rc.metadata.uid, Number(rc.spec?.replicas ?? 1)]
      }
      if (!found) {
        const msg = `found no controllers for pod "${podName}"`
        this.events.warning(pdb, 'NoControllers', msg)
        throw new Error(msg)
      }
      scales.set(found[0], found[1])
    }
    let n = 0
    for (const v of scales.values()) n += v
    return n
  }

  sync(key: string): SyncResult | void {
    const pdb = this.ctx.informers.for(PDBS).getByKey(key)
    if (!pdb) return
    const spec = (pdb.spec ?? {}) as any
    const ns = String(pdb.metadata?.namespace)
    let pods: KubeObject[]
    try {
      pods = this.ctx.informers.for('pods').list(ns, labelSelectorFromObject(spec.selector))
    } catch (e) {
      return this.failSafe(pdb, e)
    }
    if (pods.length === 0) this.events.normal(pdb, 'NoPods', 'No matching pods found')
    let expected = 0
    let desired = 0
    try {
      if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
        expected = this.expectedScale(pdb, pods)
        desired = Math.max(0, expected - scaledValue(spec.maxUnavailable, expected))
      } else if (spec.minAvailable !== undefined && spec.minAvailable !== null) {
        if (typeof spec.minAvailable === 'number') {
          desired = spec.minAvailable
          expected = pods.length
        } else {
          expected = this.expectedScale(pdb, pods)
          desired = scaledValue(spec.minAvailable, expected)
        }
      }
    } catch (e) {
      return this.failSafe(pdb, e)
    }
    const now = this.ctx.clock.now()
    // buildDisruptedPodMap: keep evictions not yet seen as deletions, for at most DeletionTimeout.
    const old = ((pdb.status as any)?.disruptedPods ?? {}) as Record<string, string>
    const disrupted: Record<string, string> = {}
    let recheck = Infinity
    for (const pod of pods) {
      const name = String(pod.metadata?.name)
      if (pod.metadata?.deletionTimestamp || old[name] === undefined) continue
      const expires = Date.parse(old[name]!) + DELETION_TIMEOUT_MS
      if (expires < now) {
        this.events.warning(
          pod,
          'NotDeleted',
          `Pod was expected by PDB ${ns}/${pdb.metadata?.name} to be deleted but it wasn't`,
        )
      } else {
        disrupted[name] = old[name]!
        recheck = Math.min(recheck, expires)
      }
    }
    let healthy = 0
    for (const pod of pods) {
      if (pod.metadata?.deletionTimestamp) continue
      if (disrupted[String(pod.metadata?.name)] !== undefined) continue
      if (isPodReady(pod)) healthy++
    }
    let allowed = healthy - desired
    if (expected <= 0 || allowed <= 0) allowed = 0
    const generation = Number(pdb.metadata?.generation ?? 0)
    const stamp = rfc3339(now)
    try {
      this.ctx.client.mutate(
        PDBS,
        ns,
        String(pdb.metadata?.name),
        (p: any) => {
          const st = p.status ?? {}
          const status: any = {
            currentHealthy: healthy,
            desiredHealthy: desired,
            disruptionsAllowed: allowed,
            expectedPods: expected,
            observedGeneration: generation,
          }
          if (Object.keys(disrupted).length) status.disruptedPods = disrupted
          status.conditions = st.conditions ?? []
          const before = JSON.stringify(st)
          p.status = status
          setDisruptionAllowedCondition(p, stamp)
          return JSON.stringify(p.status) === before ? undefined : p
        },
        {subresource: 'status'},
      )
    } catch (e) {
      if (!isNotFound(e)) throw e
    }
    return recheck === Infinity ? undefined : {requeueAfterMs: Math.max(1, recheck - now + 1)}
  }

  /** failSafe allows no disruption and says why (DisruptionAllowed=False, reason SyncFailed). */
  private failSafe(pdb: KubeObject, e: unknown): void {
    const message = e instanceof Error ? e.message : String(e)
    const stamp = rfc3339(this.ctx.clock.now())
    try {
      this.ctx.client.mutate(
        PDBS,
        pdb.metadata?.namespace,
        String(pdb.metadata?.name),
        (p: any) => {
          p.status ??= {}
          const before = JSON.stringify(p.status)
          p.status.disruptionsAllowed = 0
          const conds: any[] = Array.isArray(p.status.conditions) ? p.status.conditions : []
          const old = conds.find((c) => c?.type === 'DisruptionAllowed')
          const cond = {
            lastTransitionTime: old && old.status === 'False' ? old.lastTransitionTime : stamp,
            message,
            observedGeneration: Number(p.status.observedGeneration ?? 0),
            reason: 'SyncFailed',
            status: 'False',
            type: 'DisruptionAllowed',
          }
          p.status.conditions = [...conds.filter((c) => c?.type !== 'DisruptionAllowed'), cond]
          return JSON.stringify(p.status) === before ? undefined : p
        },
        {subresource: 'status'},
      )
    } catch (err) {
      if (!isNotFound(err)) throw err
    }
  }
}

/** disruptionController builds the disruption controller. */
export const disruptionController: ControllerFactory = (ctx) => new Disruption(ctx)
