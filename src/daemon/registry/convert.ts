// convert.ts: version conversion between the version a client speaks and the version objects are stored in.
// Most resources have one version, so conversion only stamps apiVersion and kind. events.k8s.io/v1 Events are
// stored as core/v1 Events (as the apiserver does), with the field renames of pkg/apis/events/v1/conversion.go.
import type {KubeObject} from '../../api/object.js'
import {groupVersion, type ResourceInfo} from '../../api/resources.js'

function storageGV(r: ResourceInfo): {apiVersion: string; kind: string} {
  if (r.storageOf?.group === '' && r.storageOf.plural === 'events') return {apiVersion: 'v1', kind: 'Event'}
  if (r.storageOf?.plural === 'horizontalpodautoscalers') return {apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler'}
  return {apiVersion: groupVersion(r.group, r.version), kind: r.kind}
}

/** convertToStorage turns a client object of resource r into the stored version. */
export function convertToStorage(r: ResourceInfo, o: KubeObject): KubeObject {
  const gv = storageGV(r)
  if (r.group === 'events.k8s.io') o = eventsV1ToCore(o)
  o.apiVersion = gv.apiVersion
  o.kind = gv.kind
  return o
}

/** convertFromStorage turns a stored object into resource r's version. The input is not modified. */
export function convertFromStorage(r: ResourceInfo, o: KubeObject): KubeObject {
  let out = o
  if (r.group === 'events.k8s.io') out = coreToEventsV1(o)
  const apiVersion = groupVersion(r.group, r.version)
  if (out.apiVersion === apiVersion && out.kind === r.kind) return out
  // apiVersion and kind lead the object, as the apiserver encodes them.
  const {apiVersion: _a, kind: _k, ...rest} = out
  return {apiVersion, kind: r.kind, ...rest}
}

const RENAMES: [string, string][] = [
  ['regarding', 'involvedObject'],
  ['related', 'related'],
  ['note', 'message'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
]

function eventsV1ToCore(o: KubeObject): KubeObject {
  const out: KubeObject = {}
  for (const [k, v] of Object.entries(o)) {
    const ren = RENAMES.find(([a]) => a === k)
    out[ren ? ren[1] : k] = v
  }
  return out
}

function coreToEventsV1(o: KubeObject): KubeObject {
  const out: KubeObject = {}
  for (const [k, v] of Object.entries(o)) {
    const ren = RENAMES.find(([, b]) => b === k)
    out[ren ? ren[0] : k] = v
  }
  return out
}
