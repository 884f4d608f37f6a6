// index.ts: server-side Table conversion, what `kubectl get` asks for with `Accept: …;as=Table;v=v1;g=meta.k8s.io`.
// The daemon always produces the wide form (every column, priority 1 included) and kubectl hides what it does not
// show. Column sets and cells follow kubernetes pkg/printers/internalversion/printers.go (1.32); kinds without a
// printer there (Role, ClusterRole, LimitRange, CustomResourceDefinition, …) get the apiserver's default convertor
// (apiserver/pkg/registry/rest/table.go): Name | Created At. The Table envelope follows asTable in
// apiserver/pkg/endpoints/handlers/response.go.
import {
  configMapConvertor,
  endpointSliceConvertor,
  endpointsConvertor,
  eventConvertor,
  eventsV1Convertor,
  namespaceConvertor,
  nodeConvertor,
  persistentVolumeClaimConvertor,
  persistentVolumeConvertor,
  resourceQuotaConvertor,
  secretConvertor,
  serviceAccountConvertor,
  serviceConvertor,
} from './core.js'
import {
  csrConvertor,
  ingressClassConvertor,
  ingressConvertor,
  leaseConvertor,
  networkPolicyConvertor,
  priorityClassConvertor,
  roleBindingConvertor,
  storageClassConvertor,
} from './cluster.js'
import {col, parseTime} from './format.js'
import {podConvertor, podTemplateConvertor} from './pods.js'
import {convertor, type TableConvertor, type TableRowCondition} from './types.js'
import {
  controllerRevisionConvertor,
  cronJobConvertor,
  daemonSetConvertor,
  deploymentConvertor,
  hpaConvertor,
  jobConvertor,
  pdbConvertor,
  replicaSetConvertor,
  replicationControllerConvertor,
  statefulSetConvertor,
} from './workloads.js'

export type {TableColumnDefinition, TableConvertor, TableRowCondition, TableRowData} from './types.js'
export {podStatusCells} from './pods.js'

/** rfc3339 renders a timestamp as Go's time.RFC3339 in UTC (no fractional seconds); Go's zero time when unset. */
function rfc3339(t: unknown): string {
  const ms = parseTime(t)
  if (ms === undefined) return '0001-01-01T00:00:00Z'
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z')
}

/** defaultConvertor is the apiserver's default: Name | Created At (type date, an RFC 3339 cell). */
export const defaultConvertor: TableConvertor = convertor(
  [
    col('Name', 'Name must be unique within a namespace.', {format: 'name'}),
    col('Created At', 'Time the object was created.', {type: 'date'}),
  ],
  (obj) => [obj?.metadata?.name ?? '', rfc3339(obj?.metadata?.creationTimestamp)],
)

const BY_KIND = new Map<string, TableConvertor>([
  ['/Pod', podConvertor],
  ['/PodTemplate', podTemplateConvertor],
  ['/Node', nodeConvertor],
  ['/Namespace', namespaceConvertor],
  ['/Service', serviceConvertor],
  ['/Endpoints', endpointsConvertor],
  ['/ConfigMap', configMapConvertor],
  ['/Secret', secretConvertor],
  ['/ServiceAccount', serviceAccountConvertor],
  ['/Event', eventConvertor],
  ['/PersistentVolume', persistentVolumeConvertor],
  ['/PersistentVolumeClaim', persistentVolumeClaimConvertor],
  ['/ResourceQuota', resourceQuotaConvertor],
  ['/ReplicationController', replicationControllerConvertor],
  ['events.k8s.io/Event', eventsV1Convertor],
  ['discovery.k8s.io/EndpointSlice', endpointSliceConvertor],
  ['apps/Deployment', deploymentConvertor],
  ['apps/ReplicaSet', replicaSetConvertor],
  ['apps/StatefulSet', statefulSetConvertor],
  ['apps/DaemonSet', daemonSetConvertor],
  ['apps/ControllerRevision', controllerRevisionConvertor],
  ['batch/Job', jobConvertor],
  ['batch/CronJob', cronJobConvertor],
  ['autoscaling/HorizontalPodAutoscaler', hpaConvertor],
  ['policy/PodDisruptionBudget', pdbConvertor],
  ['networking.k8s.io/Ingress', ingressConvertor],
  ['networking.k8s.io/IngressClass', ingressClassConvertor],
  ['networking.k8s.io/NetworkPolicy', networkPolicyConvertor],
  ['storage.k8s.io/StorageClass', storageClassConvertor],
  ['scheduling.k8s.io/PriorityClass', priorityClassConvertor],
  ['coordination.k8s.io/Lease', leaseConvertor],
  ['rbac.authorization.k8s.io/RoleBinding', roleBindingConvertor],
  ['rbac.authorization.k8s.io/ClusterRoleBinding', roleBindingConvertor],
  ['certificates.k8s.io/CertificateSigningRequest', csrConvertor],
])

/**
 * convertorFor returns the Table convertor of a kind (group '' for core). Kinds without a dedicated printer,
 * custom resources included, get the default Name | Created At convertor.
 */
export function convertorFor(group: string, kind: string): TableConvertor {
  return BY_KIND.get(`${group}/${kind}`) ?? defaultConvertor
}

/** TableOptions are the request's table options and the list metadata the Table copies. */
export interface TableOptions {
  /** includeObject query parameter; undefined means Metadata. The caller rejects other values with 400. */
  includeObject?: 'None' | 'Metadata' | 'Object'
  /** leave out columnDefinitions: the server does this for every watch event after the first. */
  noHeaders?: boolean
  /** the list's metadata (for a single object, its resourceVersion). */
  listMeta?: {resourceVersion?: string; continue?: string; remainingItemCount?: number}
}

/** TableRow is one row of a meta.k8s.io/v1 Table as sent on the wire. */
export interface TableRow {
  cells: unknown[]
  conditions?: TableRowCondition[]
  object: unknown
}

/** Table is a meta.k8s.io/v1 Table as sent on the wire. */
export interface Table {
  kind: 'Table'
  apiVersion: 'meta.k8s.io/v1'
  metadata: {resourceVersion?: string; continue?: string; remainingItemCount?: number}
  columnDefinitions?: TableColumnDefinitionWire[]
  rows: TableRow[]
}

type TableColumnDefinitionWire = TableConvertor['columns'][number]

/** partialObjectMetadata wraps an object's metadata as meta.k8s.io/v1 PartialObjectMetadata (managedFields dropped). */
export function partialObjectMetadata(obj: any): {kind: string; apiVersion: string; metadata: Record<string, unknown>} {
  const {managedFields: _managedFields, ...metadata} = (obj?.metadata ?? {}) as Record<string, unknown>
  return {kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata}
}

/**
 * buildTable converts objects into a whole meta.k8s.io/v1 Table: the list metadata, the column definitions
 * (unless noHeaders) and one row per object, each carrying PartialObjectMetadata (default), the full object
 * (includeObject=Object) or null (None).
 */
export function buildTable(objs: any[], conv: TableConvertor, now: number, opts: TableOptions = {}): Table {
  const metadata: Table['metadata'] = {}
  const lm = opts.listMeta ?? {}
  if (lm.resourceVersion) metadata.resourceVersion = lm.resourceVersion
  if (lm.continue) metadata.continue = lm.continue
  if (typeof lm.remainingItemCount === 'number') metadata.remainingItemCount = lm.remainingItemCount
  const rows: TableRow[] = []
  for (const obj of objs) {
    for (const r of conv.rows(obj, now)) {
      const object =
        opts.includeObject === 'None' ? null : opts.includeObject === 'Object' ? obj : partialObjectMetadata(obj)
      rows.push(r.conditions ? {cells: r.cells, conditions: r.conditions, object} : {cells: r.cells, object})
    }
  }
  const table: Table = {kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata, rows}
  if (!opts.noHeaders) table.columnDefinitions = conv.columns.map((c) => ({...c}))
  // keep the wire order of a real apiserver: kind, apiVersion, metadata, columnDefinitions, rows
  return opts.noHeaders
    ? table
    : {kind: table.kind, apiVersion: table.apiVersion, metadata, columnDefinitions: table.columnDefinitions, rows}
}
