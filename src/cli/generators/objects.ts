// objects.ts builds the objects of kubectl's generator commands (`create <kind>`, `run`, `expose`) as kubectl's typed
// Go structs would serialise them: fields in struct order, empty optional fields left out, the non-optional ones
// kept (`creationTimestamp: null`, `resources: {}`, `status: {}`). Follows kubectl/pkg/cmd/create/create_*.go,
// pkg/generate/versioned/run.go and pkg/cmd/expose/expose.go; the parsing rules and messages are kubectl's.
import type {KubeObject} from '../../api/object.js'
import {parseToLabelSelector} from '../../api/labels.js'
import {randomString, NAME_ALPHABET} from '../../api/names.js'
import {canonicalQuantity} from '../../api/quantity.js'
import {isDNS1123Subdomain, isEnvVarName, isValidPortName, isValidPortNum} from '../../api/validation.js'
import {goMap, orderedMeta, toStructJson} from './gojson.js'

/** Obj is a loosely typed object under construction. */
export type Obj = Record<string, unknown>

/** MetaOptions are the ObjectMeta fields generators set. */
export interface MetaOptions {
  namespace?: string
  labels?: Record<string, string>
  annotations?: Record<string, string>
  ownerReferences?: Obj[]
}

function mapOrUndefined(m: Record<string, string> | undefined): Record<string, string> | undefined {
  return m && Object.keys(m).length > 0 ? goMap({...m}) : undefined
}

/** objectMeta is a generated object's metadata: name, namespace (when -n was given), `creationTimestamp: null`. */
export function objectMeta(name: string, o: MetaOptions = {}): Obj {
  return orderedMeta({
    name,
    namespace: o.namespace || undefined,
    creationTimestamp: null,
    labels: mapOrUndefined(o.labels),
    annotations: mapOrUndefined(o.annotations),
    ownerReferences: o.ownerReferences && o.ownerReferences.length > 0 ? o.ownerReferences : undefined,
  })
}

function top(apiVersion: string, kind: string, meta: Obj, rest: Obj): KubeObject {
  return {kind, apiVersion, metadata: meta, ...rest} as KubeObject
}

/** ContainerOptions are the Container fields the generators set. */
export interface ContainerOptions {
  name: string
  image: string
  command?: string[]
  args?: string[]
  ports?: Obj[]
  env?: {name: string; value: string}[]
  imagePullPolicy?: string
  privileged?: boolean
  stdin?: boolean
  stdinOnce?: boolean
  tty?: boolean
}

/** container builds a corev1.Container in struct order. */
export function container(c: ContainerOptions): Obj {
  return {
    name: c.name,
    image: c.image,
    command: c.command && c.command.length > 0 ? c.command : undefined,
    args: c.args && c.args.length > 0 ? c.args : undefined,
    ports: c.ports && c.ports.length > 0 ? c.ports : undefined,
    env: c.env && c.env.length > 0 ? c.env : undefined,
    resources: {},
    imagePullPolicy: c.imagePullPolicy || undefined,
    securityContext: c.privileged ? {privileged: true} : undefined,
    stdin: c.stdin || undefined,
    stdinOnce: c.stdinOnce || undefined,
    tty: c.tty || undefined,
  }
}

function templateMeta(labels?: Record<string, string>): Obj {
  return {creationTimestamp: null, labels: mapOrUndefined(labels)}
}

// ---------------------------------------------------------------------------------------------------------------
// deployment

/** DeploymentParams are `create deployment`'s inputs. */
export interface DeploymentParams {
  name: string
  namespace?: string
  images: string[]
  replicas: number
  port: number
  command: string[]
  random?: () => number
}

/** containerNameForImage keeps an image's last path segment without tag or digest, made DNS-1123 safe. */
export function containerNameForImage(image: string, random: () => number = Math.random): string {
  let name = image.split('/').pop() ?? image
  if (name.includes(':')) name = name.split(':')[0]
  if (name.includes('@')) name = name.split('@')[0]
  // sanitizeAndUniquify: `.` and `_` become `-` and a random suffix keeps names unique
  if (/[_.]/.test(name)) name = `${name.replace(/[_.]/g, '-')}-${randomString(5, random)}`
  return name
}

/** deployment builds create deployment's object (create_deployment.go createDeployment). */
export function deployment(p: DeploymentParams): KubeObject {
  const labels = {app: p.name}
  const containers = p.images.map((image, i) =>
    container({
      name: containerNameForImage(image, p.random),
      image,
      command: p.command,
      ports: i === 0 && p.port >= 0 ? [{containerPort: p.port}] : undefined,
    }),
  )
  return top('apps/v1', 'Deployment', objectMeta(p.name, {namespace: p.namespace, labels}), {
    spec: {
      replicas: p.replicas,
      selector: {matchLabels: goMap({...labels})},
      template: {metadata: templateMeta(labels), spec: {containers}},
      strategy: {},
    },
    status: {},
  })
}

// ---------------------------------------------------------------------------------------------------------------
// services

/** parseGoUint16 is strconv.ParseUint(s, 10, 16) with Go's error text. */
function parseGoUint16(s: string): number {
  if (!/^[0-9]+$/.test(s)) throw new Error(`strconv.ParseUint: parsing ${JSON.stringify(s)}: invalid syntax`)
  const n = Number(s)
  if (n > 65535) throw new Error(`strconv.ParseUint: parsing ${JSON.stringify(s)}: value out of range`)
  return n
}

/** goAtoi is strconv.Atoi: an optional sign and decimal digits, else undefined. */
export function goAtoi(s: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined
  const n = Number(s)
  return Number.isSafeInteger(n) ? n : undefined
}

/** parseTcpPort reads one `--tcp` spec `port[:targetPort]` (create_service.go parsePorts). */
export function parseTcpPort(spec: string): {port: number; targetPort: number | string} {
  const parts = spec.split(':')
  const port = parseGoUint16(parts[0])
  if (parts.length === 1) return {port, targetPort: port}
  const n = goAtoi(parts[1])
  if (n === undefined) {
    const errs = isValidPortName(parts[1])
    if (errs.length > 0) throw new Error(errs.join(','))
    return {port, targetPort: parts[1]}
  }
  const errs = isValidPortNum(n)
  if (errs.length > 0) throw new Error(errs.join(','))
  return {port, targetPort: n}
}

/** ServiceParams are `create service <type>`'s inputs. */
export interface ServiceParams {
  name: string
  namespace?: string
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName'
  tcp: string[]
  clusterIP?: string
  nodePort?: number
  externalName?: string
}

/** validateServiceParams is create service's Validate. */
export function validateServiceParams(p: ServiceParams): void {
  if (p.clusterIP === 'None' && p.type !== 'ClusterIP')
    throw new Error('ClusterIP=None can only be used with ClusterIP service type')
  if (p.clusterIP !== 'None' && p.tcp.length === 0 && p.type !== 'ExternalName')
    throw new Error('at least one tcp port specifier must be provided')
  if (p.type === 'ExternalName' && isDNS1123Subdomain(p.externalName ?? '').length > 0)
    throw new Error(`invalid service external name ${p.externalName ?? ''}`)
}

/** service builds create service's object (create_service.go createService). */
export function service(p: ServiceParams): KubeObject {
  const ports = p.tcp.map((spec) => {
    const {port, targetPort} = parseTcpPort(spec)
    return {name: spec.replace(/:/g, '-'), protocol: 'TCP', port, targetPort, nodePort: p.nodePort || undefined}
  })
  return top('v1', 'Service', objectMeta(p.name, {namespace: p.namespace, labels: {app: p.name}}), {
    spec: {
      ports: ports.length > 0 ? ports : undefined,
      selector: goMap({app: p.name}),
      clusterIP: p.clusterIP || undefined,
      type: p.type,
      externalName: p.externalName || undefined,
    },
    status: {loadBalancer: {}},
  })
}

/** ExposeParams are the inputs of the service generator of `expose` and `run --expose`. */
export interface ExposeParams {
  name: string
  namespace?: string
  selector: Record<string, string>
  labels?: Record<string, string>
  /** ports are the ports, each with an optional protocol list from introspection. */
  ports: {port: number; name: string; protocol: string}[]
  targetPort?: string
  externalIP?: string
  type?: string
  loadBalancerIP?: string
  sessionAffinity?: string
  clusterIP?: string
}

/** exposedService builds the Service `expose` and `run --expose` create (expose.go createService). */
export function exposedService(p: ExposeParams): KubeObject {
  let targetPort: number | string | undefined
  if (p.targetPort) {
    const n = goAtoi(p.targetPort)
    targetPort = n === undefined ? p.targetPort : n
  }
  const ports = p.ports.map((x) => ({
    name: x.name || undefined,
    protocol: x.protocol,
    port: x.port,
    targetPort: targetPort ?? x.port,
  }))
  if (p.sessionAffinity && p.sessionAffinity !== 'None' && p.sessionAffinity !== 'ClientIP')
    throw new Error(`unknown session affinity: ${p.sessionAffinity}`)
  return top('v1', 'Service', objectMeta(p.name, {namespace: p.namespace, labels: p.labels}), {
    spec: {
      ports: ports.length > 0 ? ports : undefined,
      selector: goMap({...p.selector}),
      clusterIP: p.clusterIP || undefined,
      type: p.type || undefined,
      externalIPs: p.externalIP ? [p.externalIP] : undefined,
      sessionAffinity: p.sessionAffinity || undefined,
      loadBalancerIP: p.type === 'LoadBalancer' && p.loadBalancerIP ? p.loadBalancerIP : undefined,
    },
    status: {loadBalancer: {}},
  })
}

// ---------------------------------------------------------------------------------------------------------------
// configmaps and secrets

/** parseLiteralSource splits `key=value` (util.ParseLiteralSource). */
export function parseLiteralSource(source: string): [string, string] {
  const i = source.indexOf('=')
  if (i <= 0) throw new Error(`invalid literal source ${source}, expected key=value`)
  return [source.slice(0, i), source.slice(i + 1)]
}

/** parseFileSource splits `[key=]path` (util.ParseFileSource); the key defaults to the path's base name. */
export function parseFileSource(source: string): [string, string] {
  const n = source.split('=').length - 1
  if (n === 0) {
    const parts = source.replace(/\\/g, '/').split('/')
    let base = parts.pop() ?? ''
    while (base === '' && parts.length > 0) base = parts.pop() ?? ''
    return [base || (source.startsWith('/') ? '/' : '.'), source]
  }
  if (n === 1 && source.startsWith('=')) throw new Error(`key name for file path ${source.slice(1)} missing`)
  if (n === 1 && source.endsWith('=')) throw new Error(`file path for key name ${source.slice(0, -1)} missing`)
  if (n > 1) throw new Error("key names or file paths cannot contain '='")
  const [k, v] = source.split('=')
  return [k, v]
}

/** EnvFileLine is one key/value of an env file, or nothing for blank and comment lines. */
export function parseEnvFileLine(
  line: Buffer,
  path: string,
  index: number,
  getenv: (k: string) => string | undefined,
): [string, string] | undefined {
  const text = line.toString('utf8')
  if (Buffer.from(text, 'utf8').compare(line) !== 0) {
    throw new Error(`env file ${path} contains invalid utf8 bytes at line ${index + 1}: [${[...line].join(' ')}]`)
  }
  let s = index === 0 ? text.replace(/^\uFEFF/, '') : text
  s = s.replace(/^\s+/, '')
  if (s === '' || s.startsWith('#')) return undefined
  const eq = s.indexOf('=')
  const key = eq < 0 ? s : s.slice(0, eq)
  const errs = isEnvVarName(key)
  if (errs.length > 0) throw new Error(`${JSON.stringify(key)} is not a valid key name: ${errs.join(';')}`)
  return [key, eq < 0 ? (getenv(key) ?? '') : s.slice(eq + 1)]
}

/** splitLines splits a file as bufio.Scanner's ScanLines does (`\n`, an optional `\r` dropped, no empty last line). */
export function splitLines(data: Buffer): Buffer[] {
  const out: Buffer[] = []
  let start = 0
  for (let i = 0; i < data.length; i++) {
    if (data[i] === 0x0a) {
      let end = i
      if (end > start && data[end - 1] === 0x0d) end--
      out.push(data.subarray(start, end))
      start = i + 1
    }
  }
  if (start < data.length) {
    let end = data.length
    if (data[end - 1] === 0x0d) end--
    out.push(data.subarray(start, end))
  }
  return out
}

/** configMap assembles a ConfigMap from its data (create_configmap.go). */
export function configMap(
  name: string,
  namespace: string | undefined,
  data: Record<string, string>,
  binaryData: Record<string, Buffer>,
): KubeObject {
  const bin: Record<string, string> = {}
  for (const [k, v] of Object.entries(binaryData)) bin[k] = v.toString('base64')
  return top('v1', 'ConfigMap', objectMeta(name, {namespace}), {
    data: Object.keys(data).length > 0 ? goMap({...data}) : undefined,
    binaryData: Object.keys(bin).length > 0 ? goMap(bin) : undefined,
  })
}

/** secret assembles a Secret from its data (create_secret.go newSecretObj). */
export function secret(
  name: string,
  namespace: string | undefined,
  type: string,
  data: Record<string, Buffer>,
): KubeObject {
  const enc: Record<string, string> = {}
  for (const [k, v] of Object.entries(data)) enc[k] = v.toString('base64')
  return top('v1', 'Secret', objectMeta(name, {namespace}), {
    data: Object.keys(enc).length > 0 ? goMap(enc) : undefined,
    type: type || undefined,
  })
}

/** encodeHash turns a sha256 hex digest into the 10-character name suffix (kubectl/pkg/util/hash encodeHash). */
export function encodeHash(hex: string): string {
  const swap: Record<string, string> = {'0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't'}
  return [...hex.slice(0, 10)].map((c) => swap[c] ?? c).join('')
}

/** dockerConfigJson is the `.dockerconfigjson` content for one registry (create_secret_docker.go). */
export function dockerConfigJson(username: string, password: string, email: string, server: string): Buffer {
  const entry: Obj = {
    username: username || undefined,
    password: password || undefined,
    email: email || undefined,
    auth: Buffer.from(`${username}:${password}`).toString('base64') || undefined,
  }
  const auths = goMap({[server]: entry})
  return Buffer.from(toStructJson({auths}, ''))
}

// ---------------------------------------------------------------------------------------------------------------
// namespace, serviceaccount, job, cronjob

/** namespace builds create namespace's object. */
export function namespaceObject(name: string): KubeObject {
  return top('v1', 'Namespace', objectMeta(name), {spec: {}, status: {}})
}

/** serviceAccount builds create serviceaccount's object. */
export function serviceAccount(name: string, namespace?: string): KubeObject {
  return top('v1', 'ServiceAccount', objectMeta(name, {namespace}), {})
}

/** job builds create job's object from --image (create_job.go createJob). */
export function job(name: string, namespace: string | undefined, image: string, command: string[]): KubeObject {
  return top('batch/v1', 'Job', objectMeta(name, {namespace}), {
    spec: {
      template: {
        metadata: templateMeta(),
        spec: {containers: [container({name, image, command})], restartPolicy: 'Never'},
      },
    },
    status: {},
  })
}

/** jobFromCronJob builds create job --from=cronjob/x's object (create_job.go createJobFromCronJob). */
export function jobFromCronJob(name: string, namespace: string | undefined, cronJob: KubeObject): KubeObject {
  const spec = (cronJob.spec ?? {}) as {jobTemplate?: {metadata?: Obj; spec?: Obj}}
  const tmpl = spec.jobTemplate ?? {}
  const annotations: Record<string, string> = {'cronjob.kubernetes.io/instantiate': 'manual'}
  Object.assign(annotations, (tmpl.metadata?.annotations as Record<string, string> | undefined) ?? {})
  const owner = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    name: cronJob.metadata?.name ?? '',
    uid: cronJob.metadata?.uid ?? '',
    controller: true,
  }
  return top(
    'batch/v1',
    'Job',
    objectMeta(name, {
      namespace,
      annotations,
      labels: tmpl.metadata?.labels as Record<string, string> | undefined,
      ownerReferences: [owner],
    }),
    {spec: tmpl.spec ?? {template: {metadata: templateMeta(), spec: {containers: null}}}, status: {}},
  )
}

/** cronJob builds create cronjob's object (create_cronjob.go createCronJob). */
export function cronJob(p: {
  name: string
  namespace?: string
  image: string
  schedule: string
  restart: string
  command: string[]
}): KubeObject {
  return top('batch/v1', 'CronJob', objectMeta(p.name, {namespace: p.namespace}), {
    spec: {
      schedule: p.schedule,
      jobTemplate: {
        metadata: {name: p.name, creationTimestamp: null},
        spec: {
          template: {
            metadata: templateMeta(),
            spec: {
              containers: [container({name: p.name, image: p.image, command: p.command})],
              restartPolicy: p.restart || undefined,
            },
          },
        },
      },
    },
    status: {},
  })
}

// ---------------------------------------------------------------------------------------------------------------
// RBAC

/** ResourceRef is one `--resource` value split into resource, group and subresource (create_role.go). */
export interface ResourceRef {
  resource: string
  group: string
  subResource: string
}

/** parseResources reads the --resource values; a bare `*` replaces everything else. */
export function parseResources(values: string[]): ResourceRef[] {
  const out: ResourceRef[] = []
  for (const r of values) {
    const slash = r.indexOf('/')
    const sections = slash < 0 ? [r] : [r.slice(0, slash), r.slice(slash + 1)]
    const dot = sections[0].indexOf('.')
    const parts = dot < 0 ? [sections[0]] : [sections[0].slice(0, dot), sections[0].slice(dot + 1)]
    const ref = {resource: parts[0], group: parts[1] ?? '', subResource: sections[1] ?? ''}
    if (ref.resource === '*' && parts.length === 1 && sections.length === 1) return [ref]
    out.push(ref)
  }
  return out
}

/** uniqueVerbs drops repeats; `*` alone replaces the list. */
export function uniqueVerbs(verbs: string[]): string[] {
  const out: string[] = []
  for (const v of verbs) {
    if (v === '*') return ['*']
    if (!out.includes(v)) out.push(v)
  }
  return out
}

/** unique drops repeated values, keeping the first. */
export function unique(values: string[]): string[] {
  return [...new Set(values)]
}

/**
 * policyRules groups resolved resources by API group (groups sorted), one rule per group, plus one rule for the
 * non-resource URLs (create_role.go generateResourcePolicyRules).
 */
export function policyRules(
  verbs: string[],
  resources: {group: string; resource: string}[],
  resourceNames: string[],
  nonResourceURLs: string[],
): Obj[] {
  const byGroup = new Map<string, string[]>()
  for (const r of resources) {
    const list = byGroup.get(r.group) ?? []
    if (!list.includes(r.resource)) list.push(r.resource)
    byGroup.set(r.group, list)
  }
  const rules: Obj[] = []
  for (const g of [...byGroup.keys()].sort()) {
    rules.push({
      verbs,
      apiGroups: [g],
      resources: byGroup.get(g),
      resourceNames: resourceNames.length > 0 ? resourceNames : undefined,
    })
  }
  if (nonResourceURLs.length > 0) rules.push({verbs, nonResourceURLs})
  return rules
}

/** role builds create role's object. */
export function role(name: string, namespace: string | undefined, rules: Obj[]): KubeObject {
  return top('rbac.authorization.k8s.io/v1', 'Role', objectMeta(name, {namespace}), {rules})
}

/** clusterRole builds create clusterrole's object; rules is null with an aggregation rule. */
export function clusterRole(name: string, rules: Obj[] | null, aggregation?: Record<string, string>): KubeObject {
  return top('rbac.authorization.k8s.io/v1', 'ClusterRole', objectMeta(name), {
    rules,
    aggregationRule: aggregation ? {clusterRoleSelectors: [{matchLabels: goMap({...aggregation})}]} : undefined,
  })
}

/** subjects builds binding subjects from --user, --group and --serviceaccount (ns:name). */
export function subjects(users: string[], groups: string[], serviceAccounts: string[]): Obj[] {
  const out: Obj[] = []
  for (const u of users) out.push({kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: u})
  for (const g of groups) out.push({kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: g})
  for (const sa of serviceAccounts) {
    const t = sa.split(':')
    if (t.length !== 2 || t[0] === '' || t[1] === '') throw new Error('serviceaccount must be <namespace>:<name>')
    out.push({kind: 'ServiceAccount', name: t[1], namespace: t[0]})
  }
  return out
}

/** binding builds a RoleBinding or ClusterRoleBinding. */
export function binding(
  kind: 'RoleBinding' | 'ClusterRoleBinding',
  name: string,
  namespace: string | undefined,
  roleRef: {kind: string; name: string},
  subs: Obj[],
): KubeObject {
  return top('rbac.authorization.k8s.io/v1', kind, objectMeta(name, {namespace}), {
    subjects: subs.length > 0 ? subs : undefined,
    roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: roleRef.kind, name: roleRef.name},
  })
}

// ---------------------------------------------------------------------------------------------------------------
// quota, priorityclass, pdb

/** resourceList parses `cpu=1,memory=1Gi` (create_quota.go populateResourceListV1). */
export function resourceList(spec: string): Record<string, string> | undefined {
  if (spec === '') return undefined
  const out: Record<string, string> = {}
  for (const stmt of spec.split(',')) {
    const parts = stmt.split('=')
    if (parts.length !== 2) throw new Error(`Invalid argument syntax ${stmt}, expected <resource>=<value>`)
    out[parts[0]] = canonicalQuantity(parts[1])
  }
  return goMap(out)
}

/** quota builds create quota's object. */
export function quota(name: string, namespace: string | undefined, hard: string, scopes: string): KubeObject {
  const list = resourceList(hard)
  let scopeList: string[] | undefined
  if (scopes !== '') {
    scopeList = scopes.split(',')
    if (scopeList.includes('')) throw new Error('invalid resource quota scope ""')
  }
  return top('v1', 'ResourceQuota', objectMeta(name, {namespace}), {
    spec: {hard: list, scopes: scopeList},
    status: {},
  })
}

/** priorityClass builds create priorityclass's object. */
export function priorityClass(p: {
  name: string
  value: number
  globalDefault: boolean
  description: string
  preemptionPolicy: string
}): KubeObject {
  return top('scheduling.k8s.io/v1', 'PriorityClass', objectMeta(p.name), {
    value: p.value,
    globalDefault: p.globalDefault || undefined,
    description: p.description || undefined,
    preemptionPolicy: p.preemptionPolicy,
  })
}

/** intOrString is intstr.Parse: an int when strconv.Atoi accepts the text, else the text. */
export function intOrString(s: string): number | string {
  const n = goAtoi(s)
  return n === undefined ? s : n
}

/** podDisruptionBudget builds create poddisruptionbudget's object. */
export function podDisruptionBudget(p: {
  name: string
  namespace?: string
  selector: string
  minAvailable: string
  maxUnavailable: string
}): KubeObject {
  const sel = parseToLabelSelector(p.selector)
  const selector: Obj = {
    matchLabels: Object.keys(sel.matchLabels).length > 0 ? goMap(sel.matchLabels) : undefined,
    matchExpressions:
      sel.matchExpressions.length > 0
        ? sel.matchExpressions.map((e) => ({
            key: e.key,
            operator: e.operator,
            values: e.values?.length ? e.values : undefined,
          }))
        : undefined,
  }
  return top('policy/v1', 'PodDisruptionBudget', objectMeta(p.name, {namespace: p.namespace}), {
    spec: {
      minAvailable: p.minAvailable ? intOrString(p.minAvailable) : undefined,
      selector,
      maxUnavailable: !p.minAvailable && p.maxUnavailable ? intOrString(p.maxUnavailable) : undefined,
    },
    status: {disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0},
  })
}

// ---------------------------------------------------------------------------------------------------------------
// ingress

/** INGRESS_RULE_RE is kubectl's rule format: host/path=svc:port[,tls[=secret]] (create_ingress.go ruleRegex). */
export const INGRESS_RULE_RE = /^([\w*\-.]*)(\/.*)=([\w-]+):([\w-]+)(,(tls)=?([\w-]+)?)?/

function backend(svc: string): Obj {
  const [name, port] = svc.split(':')
  const p = intOrString(port)
  return {service: {name, port: typeof p === 'number' ? {number: p} : {name: p}}}
}

/** ingress builds create ingress's object (create_ingress.go createIngress). */
export function ingress(p: {
  name: string
  namespace?: string
  className: string
  rules: string[]
  defaultBackend: string
  annotations: string[]
}): KubeObject {
  const annotations: Record<string, string> = {}
  for (const a of p.annotations) {
    const i = a.indexOf('=')
    annotations[a.slice(0, i)] = a.slice(i + 1)
  }
  // TLS entries: one per secret, gathering hosts; a host appears once
  const tls: {hosts?: string[]; secretName?: string}[] = []
  const seenHosts = new Set<string>()
  for (const r of p.rules) {
    const parts = r.split(',')
    if (parts.length !== 2) continue
    const host = r.split('/')[0]
    const sn = parts[1].split('=')
    const secretName = sn.length > 1 ? sn[1] : ''
    const idx = tls.findIndex((t) => (t.secretName ?? '') === secretName)
    if (seenHosts.has(host)) continue
    if (idx > -1) {
      ;(tls[idx].hosts ??= []).push(host)
      seenHosts.add(host)
      continue
    }
    const entry: {hosts?: string[]; secretName?: string} = {}
    if (host !== '') entry.hosts = [host]
    if (secretName !== '') entry.secretName = secretName
    if (entry.secretName || entry.hosts) tls.push(entry)
    seenHosts.add(host)
  }
  const rules: {host?: string; http: {paths: Obj[]}}[] = []
  for (const r of p.rules) {
    const noTls = r.split(',')[0]
    const slash = noTls.indexOf('/')
    const host = noTls.slice(0, slash)
    const pathSvc = noTls.slice(slash + 1).split('=')
    let path = '/' + pathSvc[0]
    let pathType = 'Exact'
    if (path.endsWith('*')) {
      pathType = 'Prefix'
      path = path.slice(0, -1)
    }
    const ip = {path, pathType, backend: backend(pathSvc[1])}
    const existing = rules.find((x) => (x.host ?? '') === host)
    if (existing) {
      existing.http.paths.push(ip)
      continue
    }
    rules.push({host: host || undefined, http: {paths: [ip]}})
  }
  return top('networking.k8s.io/v1', 'Ingress', objectMeta(p.name, {namespace: p.namespace, annotations}), {
    spec: {
      ingressClassName: p.className || undefined,
      defaultBackend: p.defaultBackend ? backend(p.defaultBackend) : undefined,
      tls: tls.length > 0 ? tls : undefined,
      rules: rules.length > 0 ? rules : undefined,
    },
    status: {loadBalancer: {}},
  })
}

// ---------------------------------------------------------------------------------------------------------------
// run

/** parseLabelSpec reads `k=v,k2=v2` as the generators do (generate.ParseLabels, expose parseLabels). */
export function parseLabelSpec(spec: string): Record<string, string> {
  if (spec === '') throw new Error('no label spec passed')
  const out: Record<string, string> = {}
  for (const item of spec.split(',')) {
    const kv = item.split('=')
    if (kv.length !== 2) throw new Error(`unexpected label spec: ${item}`)
    if (kv[0] === '') throw new Error('unexpected empty label key')
    out[kv[0]] = kv[1]
  }
  return out
}

/** parseEnvs reads run's --env values (versioned/run.go parseEnvs). */
export function parseEnvs(values: string[]): {name: string; value: string}[] {
  return values.map((env) => {
    const pos = env.indexOf('=')
    if (pos <= 0) throw new Error(`invalid env: ${env}`)
    const name = env.slice(0, pos)
    if (isEnvVarName(name).length > 0) throw new Error(`invalid env: ${env}`)
    return {name, value: env.slice(pos + 1)}
  })
}

/** parsePairs reads `key=value` arguments (cmdutil.ParsePairs without removals). */
export function parsePairs(values: string[], pairType: string): Record<string, string> {
  const out: Record<string, string> = {}
  const invalid: string[] = []
  for (const v of values) {
    if (v.includes('=') && !v.startsWith('=')) {
      const i = v.indexOf('=')
      out[v.slice(0, i)] = v.slice(i + 1)
    } else invalid.push(v)
  }
  if (invalid.length > 0) throw new Error(`invalid ${pairType} format: ${invalid.join(', ')}`)
  return out
}

/** RunPodParams are run's inputs to the pod generator. */
export interface RunPodParams {
  name: string
  image: string
  labels: string
  annotations: string[]
  env: string[]
  args: string[]
  command: boolean
  port: string
  imagePullPolicy: string
  restart: string
  privileged: boolean
  stdin: boolean
  leaveStdinOpen: boolean
  tty: boolean
}

/** runPod builds run's Pod (versioned/run.go BasicPod.Generate). */
export function runPod(p: RunPodParams): KubeObject {
  const env = parseEnvs(p.env)
  const annotations = parsePairs(p.annotations, 'annotations')
  const labels = p.labels ? parseLabelSpec(p.labels) : {run: p.name}
  let ports: Obj[] | undefined
  if (p.port !== '') {
    const n = goAtoi(p.port)
    if (n === undefined) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(p.port)}: invalid syntax`)
    ports = [{containerPort: n}]
  }
  const c = container({
    name: p.name,
    image: p.image,
    command: p.args.length > 0 && p.command ? p.args : undefined,
    args: p.args.length > 0 && !p.command ? p.args : undefined,
    ports,
    env,
    imagePullPolicy: p.imagePullPolicy,
    privileged: p.privileged,
    stdin: p.stdin,
    stdinOnce: !p.leaveStdinOpen && p.stdin,
    tty: p.tty,
  })
  return top('v1', 'Pod', objectMeta(p.name, {labels, annotations}), {
    spec: {containers: [c], restartPolicy: p.restart || 'Always', dnsPolicy: 'ClusterFirst'},
    status: {},
  })
}

/** NAME_SUFFIX_ALPHABET is utilrand's alphabet, re-exported for tests. */
export const NAME_SUFFIX_ALPHABET = NAME_ALPHABET

/** mapLabels renders a label map as `k=v,k2=v2` (polymorphichelpers.MakeLabels). */
export function mapLabels(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')
}
