// history.ts: ControllerRevisions, the template history of StatefulSets and DaemonSets (follows
// kubernetes pkg/controller/history/controller_history.go, and getPatch in pkg/controller/statefulset and
// pkg/controller/daemon). A revision stores a strategic merge patch that replaces spec.template
// (`{"spec":{"template":{"$patch":"replace",...}}}`), so `kubectl rollout undo` can apply it as is and
// `kubectl rollout history` can show it. The patch is marshalled as Go's json.Marshal does (sorted keys), in the
// shape of kubectl's own typed round trip (`creationTimestamp: null`, `resources: {}`), so kubectl's byte
// comparison ("current template already matches revision N") finds the current revision.
import {isNotFound} from '../../api/errors.js'
import type {KubeObject} from '../../api/object.js'
import {toJson} from '../../api/gojson.js'
import type {Selector} from '../../api/labels.js'
import type {Client} from './framework/client.js'
import type {Informer} from './framework/informer.js'
import {controllerOf, controllerRef} from './framework/owner.js'

/** CONTROLLER_REVISION_HASH_LABEL is the label every revision carries with its hash (history.ControllerRevisionHashLabel). */
export const CONTROLLER_REVISION_HASH_LABEL = 'controller.kubernetes.io/hash'

/** POD_REVISION_LABEL is apps.ControllerRevisionHashLabelKey, set on the pods of StatefulSets and DaemonSets. */
export const POD_REVISION_LABEL = 'controller-revision-hash'

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789'

/** safeEncodeString maps every character to an alphanumeric that cannot form words (apimachinery util/rand). */
export function safeEncodeString(s: string): string {
  let out = ''
  for (const ch of s) out += ALPHANUMS[ch.codePointAt(0)! % ALPHANUMS.length]
  return out
}

/** fnv32 is Go's hash/fnv New32 (FNV-1, 32 bit) over the UTF-8 bytes of s. */
export function fnv32(s: string): number {
  let h = 0x811c9dc5
  for (const b of Buffer.from(s, 'utf8')) {
    h = Math.imul(h, 0x01000193) >>> 0
    h = (h ^ b) >>> 0
  }
  return h >>> 0
}

/** hashControllerRevision is history.HashControllerRevision: fnv32 of the raw data, then the collision count. */
export function hashControllerRevision(raw: string, probe?: number): string {
  const input = probe === undefined ? raw : raw + String(probe)
  return safeEncodeString(String(fnv32(input)))
}

/** controllerRevisionName is `<prefix>-<hash>`, the prefix cut to 223 characters (history.ControllerRevisionName). */
export function controllerRevisionName(prefix: string, hash: string): string {
  return `${prefix.length > 223 ? prefix.slice(0, 223) : prefix}-${hash}`
}

/**
 * goShape adds the fields Go's encoding/json writes for zero structs in a pod template (metadata.creationTimestamp
 * null, every container's resources {}), as a typed client round trip does.
 */
function goShape(template: any): any {
  const t = structuredClone(template ?? {})
  if (!t.metadata || typeof t.metadata !== 'object') t.metadata = {}
  if (!('creationTimestamp' in t.metadata)) t.metadata.creationTimestamp = null
  if (!t.spec || typeof t.spec !== 'object') t.spec = {}
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    for (const c of Array.isArray(t.spec[list]) ? t.spec[list] : [])
      if (c && c.resources === undefined) c.resources = {}
  }
  if (!Array.isArray(t.spec.containers)) t.spec.containers = null
  return t
}

/** templatePatch is getPatch: the compact JSON patch that replaces spec.template with obj's template. */
export function templatePatch(obj: KubeObject): string {
  const template = goShape((obj.spec as any)?.template)
  template.$patch = 'replace'
  return toJson({spec: {template}}, '')
}

const rawCache = new WeakMap<object, string>()

/** revisionRaw is a stored revision's data as compact sorted JSON (what Data.Raw holds upstream). */
export function revisionRaw(cr: KubeObject): string {
  const data = (cr as any).data
  if (data === undefined || data === null) return ''
  let s = rawCache.get(cr)
  if (s === undefined) {
    s = toJson(data, '')
    if (Object.isFrozen(cr)) rawCache.set(cr, s)
  }
  return s
}

/** revisionNumber is a revision's spec revision (0 when unset). */
export function revisionNumber(cr: KubeObject): number {
  return Number((cr as any).revision ?? 0)
}

/** sortRevisions orders revisions by revision number, then creation time, then name (SortControllerRevisions). */
export function sortRevisions(revs: KubeObject[]): KubeObject[] {
  return revs.sort(
    (a, b) =>
      revisionNumber(a) - revisionNumber(b) ||
      String(a.metadata?.creationTimestamp ?? '').localeCompare(String(b.metadata?.creationTimestamp ?? '')) ||
      String(a.metadata?.name).localeCompare(String(b.metadata?.name)),
  )
}

/** nextRevision is one more than the highest revision in sorted revs, or 1. */
export function nextRevision(sorted: KubeObject[]): number {
  return sorted.length === 0 ? 1 : revisionNumber(sorted[sorted.length - 1]!) + 1
}

/**
 * equalRevision compares the data of two revisions (history.EqualRevision; its hash-label shortcut only applies
 * to numeric labels, which safe-encoded hashes never are, so upstream compares the data too).
 */
export function equalRevision(a: KubeObject, b: KubeObject): boolean {
  return revisionRaw(a) === revisionRaw(b)
}

/**
 * newControllerRevision is history.NewControllerRevision: a revision of parent holding raw, labelled with the
 * template's labels and its hash, named `<parent>-<hash>`, controlled by parent.
 */
export function newControllerRevision(
  parent: KubeObject,
  templateLabels: Record<string, string> | undefined,
  raw: string,
  revision: number,
  collisionCount: number | undefined,
): KubeObject {
  const hash = hashControllerRevision(raw, collisionCount)
  const annotations = parent.metadata?.annotations
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: controllerRevisionName(String(parent.metadata?.name), hash),
      namespace: parent.metadata?.namespace,
      labels: {...templateLabels, [CONTROLLER_REVISION_HASH_LABEL]: hash},
      ...(annotations && Object.keys(annotations).length > 0 ? {annotations: {...annotations}} : {}),
      ownerReferences: [controllerRef(parent)],
    },
    data: JSON.parse(raw),
    revision,
  }
}

/** applyRevision returns a copy of obj with the template stored in revision (ApplyRevision). */
export function applyRevision(obj: KubeObject, revision: KubeObject): KubeObject {
  const out = structuredClone(obj) as any
  const tpl = structuredClone((revision as any).data?.spec?.template)
  if (tpl) {
    delete tpl.$patch
    out.spec = {...out.spec, template: tpl}
  }
  return out
}

/**
 * ControllerHistory reads and writes the revisions of one kind of parent (history.realHistory), reading from the
 * shared ControllerRevision informer.
 */
export class ControllerHistory {
  constructor(
    private readonly client: Client,
    private readonly revisions: Informer,
  ) {}

  /**
   * list returns parent's revisions: those it controls, after adopting orphans that match selector (the
   * sts/ds controllers' adoptOrphanRevisions / controlledHistories); those controlled by others are left alone.
   */
  list(parent: KubeObject, selector: Selector): KubeObject[] {
    const uid = String(parent.metadata?.uid)
    const ns = String(parent.metadata?.namespace)
    const out = [...this.revisions.ownedBy(uid)].filter((r) => r.metadata?.namespace === ns)
    if (parent.metadata?.deletionTimestamp) return out
    for (const cr of this.revisions.list(ns, selector)) {
      if (controllerOf(cr)) continue
      try {
        out.push(
          this.client.mutate('apps/controllerrevisions', ns, String(cr.metadata?.name), (cur) => {
            if (controllerOf(cur)) return undefined
            cur.metadata = {
              ...cur.metadata,
              ownerReferences: [...(cur.metadata?.ownerReferences ?? []), controllerRef(parent)],
            }
            return cur
          }),
        )
      } catch {
        // Gone meanwhile: nothing to adopt.
      }
    }
    return out
  }

  /**
   * create stores revision, and on a name collision with different data raises collisionCount.value and tries the
   * next name (CreateControllerRevision). An existing revision with the same data is returned as is.
   */
  create(parent: KubeObject, revision: KubeObject, collisionCount: {value: number}): KubeObject {
    const raw = revisionRaw(revision)
    for (;;) {
      const hash = hashControllerRevision(raw, collisionCount.value)
      const clone = structuredClone(revision)
      clone.metadata!.name = controllerRevisionName(String(parent.metadata?.name), hash)
      clone.metadata!.labels = {...clone.metadata!.labels, [CONTROLLER_REVISION_HASH_LABEL]: hash}
      const existing = this.client.tryGet('apps/controllerrevisions', parent.metadata?.namespace, clone.metadata!.name!)
      if (!existing) return this.client.create('apps/controllerrevisions', clone)
      if (revisionRaw(existing) === raw) return existing
      collisionCount.value++
    }
  }

  /** updateRevision gives an existing revision a new revision number (a rollback reuses a revision). */
  updateRevision(cr: KubeObject, revision: number): KubeObject {
    if (revisionNumber(cr) === revision) return cr
    return this.client.mutate('apps/controllerrevisions', cr.metadata?.namespace, String(cr.metadata?.name), (cur) => {
      if (revisionNumber(cur) === revision) return undefined
      ;(cur as any).revision = revision
      return cur
    })
  }

  /** delete removes a revision; one already gone is fine. */
  delete(cr: KubeObject): void {
    try {
      this.client.delete('apps/controllerrevisions', cr.metadata?.namespace, String(cr.metadata?.name))
    } catch (e) {
      if (!isNotFound(e)) throw e
    }
  }
}

// --- Pods, shared by the StatefulSet and DaemonSet controllers ------------------------------------------------------

/** ORPHAN_INDEX files objects without a controller ownerReference under their namespace (adoption candidates). */
export const ORPHAN_INDEX = 'orphan'

/** addOrphanIndex adds ORPHAN_INDEX to an informer, so adoption never scans a whole namespace. */
export function addOrphanIndex(inf: Informer): void {
  inf.addIndex(ORPHAN_INDEX, (o) => (controllerOf(o) || !o.metadata?.namespace ? [] : [o.metadata.namespace]))
}

/** readyCondition returns a pod's Ready condition. */
function readyCondition(pod: KubeObject): {status?: string; lastTransitionTime?: string} | undefined {
  const conds = (pod.status as any)?.conditions as
    {type: string; status?: string; lastTransitionTime?: string}[] | undefined
  return conds?.find((c) => c.type === 'Ready')
}

/** isPodReady is podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: KubeObject): boolean {
  return readyCondition(pod)?.status === 'True'
}

/**
 * availableAfterMs follows podutil.IsPodAvailable: 0 when the pod has been Ready for more than minReadySeconds,
 * the ms still to wait when it is Ready but not yet for long enough, and undefined when it is not Ready.
 */
export function availableAfterMs(
  pod: KubeObject,
  minReadySeconds: number | undefined,
  now: number,
): number | undefined {
  const c = readyCondition(pod)
  if (c?.status !== 'True') return undefined
  if (!minReadySeconds) return 0
  const since = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN
  if (Number.isNaN(since)) return minReadySeconds * 1000
  // IsPodAvailable wants lastTransitionTime + minReadySeconds strictly before now.
  const left = since + minReadySeconds * 1000 - now
  return left < 0 ? 0 : left + 1
}

/**
 * claimPods is the PodControllerRefManager's ClaimPods (pkg/controller/controller_ref_manager.go): parent keeps
 * the pods it controls that still match selector and filter, releases the others, and adopts orphans that match
 * (unless it is being deleted). Returns the pods parent now controls.
 */
export function claimPods(
  client: Client,
  pods: Informer,
  parent: KubeObject,
  selector: Selector,
  filter: (pod: KubeObject) => boolean = () => true,
): KubeObject[] {
  const uid = String(parent.metadata?.uid)
  const ns = String(parent.metadata?.namespace)
  const out: KubeObject[] = []
  for (const p of pods.ownedBy(uid)) {
    if (p.metadata?.namespace !== ns) continue
    if (selector.matches(p.metadata?.labels ?? {}) && filter(p)) {
      out.push(p)
      continue
    }
    if (p.metadata?.deletionTimestamp) continue
    try {
      client.mutate('pods', ns, String(p.metadata?.name), (cur) => {
        const refs = cur.metadata?.ownerReferences ?? []
        if (!refs.some((r) => r.uid === uid)) return undefined
        cur.metadata!.ownerReferences = refs.filter((r) => r.uid !== uid)
        return cur
      })
    } catch (e) {
      if (!isNotFound(e)) throw e
    }
  }
  if (parent.metadata?.deletionTimestamp) return out
  for (const p of pods.byIndex(ORPHAN_INDEX, ns)) {
    if (p.metadata?.deletionTimestamp || !selector.matches(p.metadata?.labels ?? {}) || !filter(p)) continue
    try {
      const adopted = client.mutate('pods', ns, String(p.metadata?.name), (cur) => {
        if (controllerOf(cur) || cur.metadata?.uid !== p.metadata?.uid) return undefined
        cur.metadata = {
          ...cur.metadata,
          ownerReferences: [...(cur.metadata?.ownerReferences ?? []), controllerRef(parent)],
        }
        return cur
      })
      if (controllerOf(adopted)?.uid === uid) out.push(adopted)
    } catch (e) {
      if (!isNotFound(e)) throw e
    }
  }
  return out
}
