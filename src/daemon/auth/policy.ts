// policy.ts is the default RBAC policy a fresh cluster carries, after kube-apiserver's bootstrap policy
// (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go): the user-facing ClusterRoles cluster-admin, admin,
// edit and view, and the discovery roles every authenticated user is bound to. Upstream builds admin/edit/view by
// aggregation; a simulated cluster has no aggregation controller, so each carries its aggregated rules itself
// (and the aggregation labels, so `kubectl describe` looks familiar).
import type {KubeObject} from '../../api/object.js'

/** PolicyRule is rbac/v1 PolicyRule. */
export interface PolicyRule {
  verbs: string[]
  apiGroups?: string[]
  resources?: string[]
  resourceNames?: string[]
  nonResourceURLs?: string[]
}

const READ = ['get', 'list', 'watch']
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update']
const RBAC_API = 'rbac.authorization.k8s.io/v1'

const rule = (verbs: string[], apiGroups: string[], resources: string[]): PolicyRule => ({verbs, apiGroups, resources})

/** viewRules are `view`: read access to most namespaced objects, no Secrets, no RBAC. */
const viewRules: PolicyRule[] = [
  rule(
    READ,
    [''],
    [
      'configmaps',
      'endpoints',
      'persistentvolumeclaims',
      'persistentvolumeclaims/status',
      'pods',
      'replicationcontrollers',
      'replicationcontrollers/scale',
      'serviceaccounts',
      'services',
      'services/status',
    ],
  ),
  rule(
    READ,
    [''],
    [
      'bindings',
      'events',
      'limitranges',
      'namespaces/status',
      'pods/log',
      'pods/status',
      'replicationcontrollers/status',
      'resourcequotas',
      'resourcequotas/status',
    ],
  ),
  rule(READ, [''], ['namespaces']),
  rule(READ, ['discovery.k8s.io'], ['endpointslices']),
  rule(
    READ,
    ['apps'],
    [
      'controllerrevisions',
      'daemonsets',
      'daemonsets/status',
      'deployments',
      'deployments/scale',
      'deployments/status',
      'replicasets',
      'replicasets/scale',
      'replicasets/status',
      'statefulsets',
      'statefulsets/scale',
      'statefulsets/status',
    ],
  ),
  rule(READ, ['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
  rule(READ, ['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status']),
  rule(READ, ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
  rule(READ, ['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies']),
]

/** editRules are what `edit` adds to view: writes of workloads, Secrets, exec and port-forward; no RBAC. */
const editRules: PolicyRule[] = [
  rule(READ, [''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy']),
  rule(['impersonate'], [''], ['serviceaccounts']),
  rule(WRITE, [''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy']),
  rule(['create'], [''], ['pods/eviction']),
  rule(
    WRITE,
    [''],
    [
      'configmaps',
      'events',
      'persistentvolumeclaims',
      'replicationcontrollers',
      'replicationcontrollers/scale',
      'secrets',
      'serviceaccounts',
      'services',
      'services/proxy',
    ],
  ),
  rule(['create'], [''], ['serviceaccounts/token']),
  rule(
    WRITE,
    ['apps'],
    [
      'daemonsets',
      'deployments',
      'deployments/rollback',
      'deployments/scale',
      'replicasets',
      'replicasets/scale',
      'statefulsets',
      'statefulsets/scale',
    ],
  ),
  rule(WRITE, ['autoscaling'], ['horizontalpodautoscalers']),
  rule(WRITE, ['batch'], ['cronjobs', 'jobs']),
  rule(WRITE, ['policy'], ['poddisruptionbudgets']),
  rule(WRITE, ['networking.k8s.io'], ['ingresses', 'networkpolicies']),
  rule([...READ, ...WRITE], ['coordination.k8s.io'], ['leases']),
]

/** adminRules are what `admin` adds to edit: Roles and RoleBindings of the namespace, local access reviews. */
const adminRules: PolicyRule[] = [
  rule(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']),
  rule([...READ, ...WRITE], ['rbac.authorization.k8s.io'], ['rolebindings', 'roles']),
]

/** DISCOVERY_URLS are the non-resource paths system:discovery grants. */
const DISCOVERY_URLS = [
  '/api',
  '/api/*',
  '/apis',
  '/apis/*',
  '/healthz',
  '/livez',
  '/openapi',
  '/openapi/*',
  '/readyz',
  '/version',
  '/version/',
]

function clusterRole(name: string, rules: PolicyRule[], labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: RBAC_API,
    kind: 'ClusterRole',
    metadata: {
      name,
      labels: {'kubernetes.io/bootstrapping': 'rbac-defaults', ...labels},
      annotations: {'rbac.authorization.kubernetes.io/autoupdate': 'true'},
    },
    rules,
  } as KubeObject
}

function clusterRoleBinding(name: string, role: string, groups: string[]): KubeObject {
  return {
    apiVersion: RBAC_API,
    kind: 'ClusterRoleBinding',
    metadata: {
      name,
      labels: {'kubernetes.io/bootstrapping': 'rbac-defaults'},
      annotations: {'rbac.authorization.kubernetes.io/autoupdate': 'true'},
    },
    roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role},
    subjects: groups.map((g) => ({apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: g})),
  } as KubeObject
}

/** JOURNAL_WRITER is the ClusterRole that lets mkctl post a user's own commands to a lab's journal (never read it). */
export const JOURNAL_WRITER = 'mkctl:lab-journal-writer'

/** defaultClusterRoles are the ClusterRoles of a fresh cluster, in creation order. */
export function defaultClusterRoles(): KubeObject[] {
  const agg = (...names: string[]) =>
    Object.fromEntries(names.map((n) => [`rbac.authorization.k8s.io/aggregate-to-${n}`, 'true']))
  return [
    clusterRole('cluster-admin', [
      {verbs: ['*'], apiGroups: ['*'], resources: ['*']},
      {verbs: ['*'], nonResourceURLs: ['*']},
    ]),
    clusterRole('admin', [...viewRules, ...editRules, ...adminRules]),
    clusterRole('edit', [...viewRules, ...editRules], agg('admin')),
    clusterRole('view', viewRules, agg('admin', 'edit')),
    clusterRole('system:discovery', [{verbs: ['get'], nonResourceURLs: DISCOVERY_URLS}]),
    clusterRole('system:basic-user', [
      rule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews']),
      rule(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']),
    ]),
    clusterRole('system:public-info-viewer', [
      {verbs: ['get'], nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/']},
    ]),
    clusterRole(JOURNAL_WRITER, [{verbs: ['post'], nonResourceURLs: ['/mkctl/v1/lab/journal']}]),
  ]
}

/** defaultClusterRoleBindings bind cluster-admin to system:masters and the discovery roles to every user. */
export function defaultClusterRoleBindings(): KubeObject[] {
  return [
    clusterRoleBinding('cluster-admin', 'cluster-admin', ['system:masters']),
    clusterRoleBinding('system:basic-user', 'system:basic-user', ['system:authenticated']),
    clusterRoleBinding('system:discovery', 'system:discovery', ['system:authenticated']),
    clusterRoleBinding('system:public-info-viewer', 'system:public-info-viewer', [
      'system:authenticated',
      'system:unauthenticated',
    ]),
    clusterRoleBinding(JOURNAL_WRITER, JOURNAL_WRITER, ['system:authenticated']),
  ]
}
