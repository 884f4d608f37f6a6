// kinds/index.ts collects the per-kind strategies (defaults, validation, allocation). Kinds without an entry
// get only the generic rules of the registry.
import type {Strategy} from '../types.js'
import {cronJobStrategy, jobStrategy} from './batch.js'
import {
  clusterRoleBindingStrategy,
  clusterRoleStrategy,
  customResourceDefinitionStrategy,
  horizontalPodAutoscalerStrategy,
  limitRangeStrategy,
  podDisruptionBudgetStrategy,
  priorityClassStrategy,
  resourceQuotaStrategy,
  roleBindingStrategy,
  roleStrategy,
} from './cluster.js'
import {configMapStrategy, secretStrategy} from './config.js'
import {namespaceStrategy} from './namespace.js'
import {ingressClassStrategy, ingressStrategy, networkPolicyStrategy} from './networking.js'
import {podStrategy} from './pod.js'
import {endpointsStrategy, serviceStrategy} from './service.js'
import {persistentVolumeClaimStrategy, persistentVolumeStrategy, storageClassStrategy} from './storage.js'
import {
  daemonSetStrategy,
  deploymentStrategy,
  podTemplateStrategy,
  replicaSetStrategy,
  replicationControllerStrategy,
  statefulSetStrategy,
} from './workloads.js'

/** KIND_STRATEGIES maps "<group>/<plural>" to that resource's strategy. */
export const KIND_STRATEGIES: Record<string, Strategy> = {
  '/namespaces': namespaceStrategy,
  '/pods': podStrategy,
  '/podtemplates': podTemplateStrategy,
  '/replicationcontrollers': replicationControllerStrategy,
  '/services': serviceStrategy,
  '/endpoints': endpointsStrategy,
  '/configmaps': configMapStrategy,
  '/secrets': secretStrategy,
  '/persistentvolumeclaims': persistentVolumeClaimStrategy,
  '/persistentvolumes': persistentVolumeStrategy,
  '/limitranges': limitRangeStrategy,
  '/resourcequotas': resourceQuotaStrategy,
  'apps/deployments': deploymentStrategy,
  'apps/replicasets': replicaSetStrategy,
  'apps/statefulsets': statefulSetStrategy,
  'apps/daemonsets': daemonSetStrategy,
  'batch/jobs': jobStrategy,
  'batch/cronjobs': cronJobStrategy,
  'autoscaling/horizontalpodautoscalers': horizontalPodAutoscalerStrategy,
  'policy/poddisruptionbudgets': podDisruptionBudgetStrategy,
  'networking.k8s.io/ingresses': ingressStrategy,
  'networking.k8s.io/ingressclasses': ingressClassStrategy,
  'networking.k8s.io/networkpolicies': networkPolicyStrategy,
  'storage.k8s.io/storageclasses': storageClassStrategy,
  'scheduling.k8s.io/priorityclasses': priorityClassStrategy,
  'rbac.authorization.k8s.io/roles': roleStrategy,
  'rbac.authorization.k8s.io/clusterroles': clusterRoleStrategy,
  'rbac.authorization.k8s.io/rolebindings': roleBindingStrategy,
  'rbac.authorization.k8s.io/clusterrolebindings': clusterRoleBindingStrategy,
  'apiextensions.k8s.io/customresourcedefinitions': customResourceDefinitionStrategy,
}
