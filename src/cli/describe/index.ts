// index.ts picks the describer for a REST mapping: kubectl's describer for the group and kind when there is one,
// the generic describer otherwise. Follows kubectl/pkg/describe/describe.go (describerMap, DescriberFor,
// GenericDescriberFor).
import type {ResourceInfo} from '../../api/resources.js'
import {
  describeConfigMap,
  describeLimitRange,
  describeNamespace,
  describeResourceQuota,
  describeSecret,
  describeServiceAccount,
} from './config.js'
import type {Describer} from './context.js'
import {genericDescriber} from './generic.js'
import {describeEndpointSlice, describeEndpoints, describeIngress, describeService} from './network.js'
import {describeNode} from './node.js'
import {describePod} from './pod.js'
import {describeHorizontalPodAutoscaler, describePodDisruptionBudget, describePriorityClass} from './policy.js'
import {describeClusterRole, describeClusterRoleBinding, describeRole, describeRoleBinding} from './rbac.js'
import {describePersistentVolume, describePersistentVolumeClaim, describeStorageClass} from './storage.js'
import {
  describeCronJob,
  describeDaemonSet,
  describeDeployment,
  describeJob,
  describeReplicaSet,
  describeReplicationController,
  describeStatefulSet,
} from './workloads.js'

export type {DescribeContext, Describer, DescriberSettings} from './context.js'

const DESCRIBERS: Record<string, Describer> = {
  '/Pod': describePod,
  '/ReplicationController': describeReplicationController,
  '/Secret': describeSecret,
  '/Service': describeService,
  '/ServiceAccount': describeServiceAccount,
  '/Node': describeNode,
  '/LimitRange': describeLimitRange,
  '/ResourceQuota': describeResourceQuota,
  '/PersistentVolume': describePersistentVolume,
  '/PersistentVolumeClaim': describePersistentVolumeClaim,
  '/Namespace': describeNamespace,
  '/Endpoints': describeEndpoints,
  '/ConfigMap': describeConfigMap,
  'discovery.k8s.io/EndpointSlice': describeEndpointSlice,
  'autoscaling/HorizontalPodAutoscaler': describeHorizontalPodAutoscaler,
  'networking.k8s.io/Ingress': describeIngress,
  'extensions/Ingress': describeIngress,
  'batch/Job': describeJob,
  'batch/CronJob': describeCronJob,
  'apps/StatefulSet': describeStatefulSet,
  'apps/Deployment': describeDeployment,
  'apps/DaemonSet': describeDaemonSet,
  'apps/ReplicaSet': describeReplicaSet,
  'storage.k8s.io/StorageClass': describeStorageClass,
  'policy/PodDisruptionBudget': describePodDisruptionBudget,
  'rbac.authorization.k8s.io/Role': describeRole,
  'rbac.authorization.k8s.io/ClusterRole': describeClusterRole,
  'rbac.authorization.k8s.io/RoleBinding': describeRoleBinding,
  'rbac.authorization.k8s.io/ClusterRoleBinding': describeClusterRoleBinding,
  'scheduling.k8s.io/PriorityClass': describePriorityClass,
}

/** describerFor returns the describer for a mapping: kubectl's dedicated one by group and kind, else the generic one. */
export function describerFor(m: ResourceInfo): Describer {
  return DESCRIBERS[`${m.group}/${m.kind}`] ?? genericDescriber(m)
}
