// cluster.ts: tables of the networking, storage, scheduling, coordination, RBAC and certificates kinds. Follows
// printIngress (formatHosts, formatPorts), printIngressClass, printNetworkPolicy, printStorageClass,
// printPriorityClass, printLease, printRoleBinding, printClusterRoleBinding and printCertificateSigningRequest in
// kubernetes pkg/printers/internalversion/printers.go (1.32).
import {humanDuration} from '../../../api/duration.js'
import {AGE_COLUMN, col, creationAge, formatLabelSelector, int64, NAME_COLUMN, wide} from './format.js'
import {convertor, type TableConvertor} from './types.js'

const name = (obj: any): string => obj.metadata?.name ?? ''

/** ingressHosts is formatHosts: up to three non-empty hosts, `*` if none, ` + N more...` beyond three rules. */
export function ingressHosts(rules: any[] | undefined): string {
  const rs = rules ?? []
  const list: string[] = []
  const max = 3
  let more = false
  for (const r of rs) {
    if (list.length === max) more = true
    if (!more && r.host) list.push(r.host)
  }
  if (list.length === 0) return '*'
  const ret = list.join(',')
  return more ? `${ret} + ${rs.length - max} more...` : ret
}

/** ingressConvertor prints Class | Hosts | Address | Ports. */
export const ingressConvertor: TableConvertor = convertor(
  [
    NAME_COLUMN,
    col('Class', 'The ingress class of the ingress.'),
    col('Hosts', 'Hosts the rules match.'),
    col('Address', 'Addresses of the load balancer.'),
    col('Ports', 'Ports the ingress listens on.'),
    AGE_COLUMN,
  ],
  (obj, now) => {
    const set = new Set<string>()
    for (const i of (obj.status?.loadBalancer?.ingress ?? []) as any[]) {
      if (i.ip) set.add(i.ip)
      else if (i.hostname) set.add(i.hostname)
    }
    return [
      name(obj),
      typeof obj.spec?.ingressClassName === 'string' ? obj.spec.ingressClassName : '<none>',
      ingressHosts(obj.spec?.rules),
      [...set].sort().join(','),
      (obj.spec?.tls ?? []).length > 0 ? '80, 443' : '80',
      creationAge(obj, now),
    ]
  },
)

/** ingressClassConvertor prints Controller | Parameters (`Kind.group/name`). */
export const ingressClassConvertor: TableConvertor = convertor(
  [
    NAME_COLUMN,
    col('Controller', 'The controller that implements this class.'),
    col('Parameters', 'The object holding extra parameters.'),
    AGE_COLUMN,
  ],
  (obj, now) => {
    const p = obj.spec?.parameters
    let parameters = '<none>'
    if (p) {
      parameters = (p.kind ?? '') + (typeof p.apiGroup === 'string' ? '.' + p.apiGroup : '') + '/' + (p.name ?? '')
    }
    return [name(obj), obj.spec?.controller ?? '', parameters, creationAge(obj, now)]
  },
)

/** networkPolicyConvertor prints Pod-Selector. */
export const networkPolicyConvertor: TableConvertor = convertor(
  [NAME_COLUMN, col('Pod-Selector', 'Pods the policy applies to.'), AGE_COLUMN],
  // podSelector is a required value in the internal type, so an absent one prints like an empty one.
  (obj, now) => [name(obj), formatLabelSelector(obj.spec?.podSelector ?? {}), creationAge(obj, now)],
)

function isDefaultClass(obj: any): boolean {
  const a = obj.metadata?.annotations ?? {}
  return (
    a['storageclass.kubernetes.io/is-default-class'] === 'true' ||
    a['storageclass.beta.kubernetes.io/is-default-class'] === 'true'
  )
}

/** storageClassConvertor marks the default class in the Name cell (`standard (default)`). */
export const storageClassConvertor: TableConvertor = convertor(
  [
    NAME_COLUMN,
    col('Provisioner', 'The volume plugin that provisions volumes.'),
    col('ReclaimPolicy', 'Reclaim policy of provisioned volumes.'),
    col('VolumeBindingMode', 'When volumes are bound and provisioned.'),
    col('AllowVolumeExpansion', 'Whether volumes can be expanded.'),
    AGE_COLUMN,
  ],
  (obj, now) => [
    isDefaultClass(obj) ? `${name(obj)} (default)` : name(obj),
    obj.provisioner ?? '',
    obj.reclaimPolicy ?? 'Delete',
    obj.volumeBindingMode ?? 'Immediate',
    obj.allowVolumeExpansion === true,
    creationAge(obj, now),
  ],
)

/** priorityClassConvertor prints Value | Global-Default | Age | PreemptionPolicy. */
export const priorityClassConvertor: TableConvertor = convertor(
  [
    NAME_COLUMN,
    col('Value', 'The priority value.', {type: 'integer'}),
    col('Global-Default', 'Whether this is the default priority class.', {type: 'boolean'}),
    AGE_COLUMN,
    col('PreemptionPolicy', 'Whether pods of this class may preempt others.'),
  ],
  // v1 defaulting sets preemptionPolicy to PreemptLowerPriority, so an unset one prints that.
  (obj, now) => [
    name(obj),
    int64(obj.value),
    obj.globalDefault === true,
    creationAge(obj, now),
    obj.preemptionPolicy ?? 'PreemptLowerPriority',
  ],
)

/** leaseConvertor prints Holder. */
export const leaseConvertor: TableConvertor = convertor(
  [NAME_COLUMN, col('Holder', 'The current holder of the lease.'), AGE_COLUMN],
  (obj, now) => [name(obj), obj.spec?.holderIdentity ?? '', creationAge(obj, now)],
)

/** subjectsStrings splits RBAC subjects into users, groups and `namespace/name` service accounts. */
export function subjectsStrings(subjects: any[] | undefined): [string[], string[], string[]] {
  const users: string[] = []
  const groups: string[] = []
  const sas: string[] = []
  for (const s of subjects ?? []) {
    if (s.kind === 'ServiceAccount') sas.push(`${s.namespace ?? ''}/${s.name}`)
    else if (s.kind === 'User') users.push(s.name)
    else if (s.kind === 'Group') groups.push(s.name)
  }
  return [users, groups, sas]
}

const bindingColumns = [
  NAME_COLUMN,
  col('Role', 'The role the binding grants.'),
  AGE_COLUMN,
  wide(col('Users', 'Users in the binding.')),
  wide(col('Groups', 'Groups in the binding.')),
  wide(col('ServiceAccounts', 'Service accounts in the binding.')),
]

/** roleBindingConvertor prints Role = `Kind/name` and, wide, the subjects. Also used for ClusterRoleBindings. */
export const roleBindingConvertor: TableConvertor = convertor(bindingColumns, (obj, now) => {
  const [users, groups, sas] = subjectsStrings(obj.subjects)
  return [
    name(obj),
    `${obj.roleRef?.kind ?? ''}/${obj.roleRef?.name ?? ''}`,
    creationAge(obj, now),
    users.join(', '),
    groups.join(', '),
    sas.join(', '),
  ]
})

/** csrStatus is extractCSRStatus: Denied, Approved or Pending, then `,Failed` and `,Issued`. */
export function csrStatus(obj: any): string {
  const types = new Set(((obj.status?.conditions ?? []) as any[]).map((c) => c.type))
  let s = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending'
  if (types.has('Failed')) s += ',Failed'
  if (obj.status?.certificate) s += ',Issued'
  return s
}

/** csrConvertor prints Age | SignerName | Requestor | RequestedDuration | Condition. */
export const csrConvertor: TableConvertor = convertor(
  [
    NAME_COLUMN,
    AGE_COLUMN,
    col('SignerName', 'The signer asked to sign the certificate.'),
    col('Requestor', 'The user who created the request.'),
    col('RequestedDuration', 'The requested validity of the certificate.'),
    col('Condition', 'Approval state of the request.'),
  ],
  (obj, now) => [
    name(obj),
    creationAge(obj, now),
    obj.spec?.signerName || '<none>',
    obj.spec?.username ?? '',
    typeof obj.spec?.expirationSeconds === 'number' ? humanDuration(obj.spec.expirationSeconds * 1000) : '<none>',
    csrStatus(obj),
  ],
)
