// strategies.ts picks the strategy for a resource: the kind's own (kinds/) on top of generic rules that
// depend only on the resource table (which kinds keep a generation, which names are DNS labels).
import type {ResourceInfo} from '../../api/resources.js'
import {isDNS1035Label, isDNS1123Label} from '../../api/validation.js'
import {customResourceStrategy} from './custom.js'
import {KIND_STRATEGIES} from './kinds/index.js'
import type {Strategy} from './types.js'

// Kinds whose strategies set metadata.generation (PrepareForCreate sets 1, PrepareForUpdate bumps on spec change).
const GENERATION = new Set([
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'ReplicationController',
  'Job',
  'CronJob',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'Ingress',
  'NetworkPolicy',
  'CustomResourceDefinition',
  'PersistentVolumeClaim',
])

/** pathSegmentName validates names that only need to be a URL path segment (RBAC objects). */
export function pathSegmentName(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`]
  for (const bad of ['/', '%']) if (name.includes(bad)) return [`may not contain '${bad}'`]
  return []
}

const NAME_RULES: Record<string, (name: string) => string[]> = {
  Namespace: isDNS1123Label,
  Service: isDNS1035Label,
  Role: pathSegmentName,
  ClusterRole: pathSegmentName,
  RoleBinding: pathSegmentName,
  ClusterRoleBinding: pathSegmentName,
}

const cache = new Map<ResourceInfo, Strategy>()

/** strategyFor returns the strategy of resource r. */
export function strategyFor(r: ResourceInfo): Strategy {
  let s = cache.get(r)
  if (s) return s
  const own = r.custom ? customResourceStrategy : KIND_STRATEGIES[`${r.storageOf?.group ?? r.group}/${r.storageOf?.plural ?? r.plural}`] ?? {}
  s = {
    setsGeneration: GENERATION.has(r.kind) || r.custom === true,
    nameValidator: NAME_RULES[r.kind],
    returnDeletedObject: r.kind === 'Pod',
    ...own,
  }
  cache.set(r, s)
  return s
}
