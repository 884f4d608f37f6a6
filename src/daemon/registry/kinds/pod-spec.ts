// pod-spec.ts: PodSpec and PodTemplateSpec defaulting and validation, shared by Pods and every workload kind.
// Defaults follow pkg/apis/core/v1/defaults.go (SetDefaults_PodSpec, SetDefaults_Container, SetDefaults_Probe,
// the volume sources) and the generated zz_generated.defaults.go walk; validation follows the container, volume,
// resource and toleration checks of pkg/apis/core/validation/validation.go (v1.32), in the same order.
import {
  fieldDuplicate,
  fieldForbidden,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  type FieldError,
} from '../../../api/errors.js'
import {parseQuantity, type Quantity} from '../../../api/quantity.js'
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
  validateAnnotations,
  validateLabels,
} from '../../../api/validation.js'
import {canonicalResources, fieldNotFound, isObject, nonNegative} from './go-format.js'

const DEFAULT_MODE = 420

/** imagePullPolicyFor is SetDefaults_Container's choice: Always for `:latest` or no tag, else IfNotPresent. */
export function imagePullPolicyFor(image: string): string {
  // parsers.ParseImageName fails on names that are not valid references (upper case, empty); then tag is "".
  if (!image || /\s/.test(image)) return 'IfNotPresent'
  const at = image.indexOf('@')
  const named = at >= 0 ? image.slice(0, at) : image
  const slash = named.lastIndexOf('/')
  const colon = named.lastIndexOf(':')
  const repo = colon > slash ? named.slice(0, colon) : named
  if (repo !== repo.toLowerCase() && !/^[^/]+[.:][^/]*\//.test(repo)) return 'IfNotPresent'
  if (colon > slash) return named.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent'
  return at >= 0 ? 'IfNotPresent' : 'Always'
}

function defaultHTTPGet(h: any) {
  if (!isObject(h)) return
  if (!h.path) h.path = '/'
  if (!h.scheme) h.scheme = 'HTTP'
}

function defaultHandler(h: any) {
  if (!isObject(h)) return
  defaultHTTPGet(h.httpGet)
  if (isObject(h.grpc) && h.grpc.service === undefined) h.grpc.service = ''
}

function defaultProbe(p: any) {
  if (!isObject(p)) return
  p.timeoutSeconds ??= 1
  p.periodSeconds ??= 10
  p.successThreshold ??= 1
  p.failureThreshold ??= 3
  defaultHandler(p)
}

function defaultFieldRef(ref: any) {
  if (isObject(ref) && !ref.apiVersion) ref.apiVersion = 'v1'
}

function defaultResourceFieldRef(ref: any) {
  // Divisor is a non-pointer Quantity: it always serialises, as "0" when unset.
  if (isObject(ref) && ref.divisor === undefined) ref.divisor = '0'
}

function defaultDownwardItems(items: any) {
  for (const it of Array.isArray(items) ? items : []) {
    defaultFieldRef(it?.fieldRef)
    defaultResourceFieldRef(it?.resourceFieldRef)
  }
}

/** defaultContainer is SetDefaults_Container plus the nested defaults of ports, probes, env and resources. */
export function defaultContainer(c: any): void {
  if (!isObject(c)) return
  if (!c.imagePullPolicy) c.imagePullPolicy = imagePullPolicyFor(String(c.image ?? ''))
  if (!c.terminationMessagePath) c.terminationMessagePath = '/dev/termination-log'
  if (!c.terminationMessagePolicy) c.terminationMessagePolicy = 'File'
  // ResourceRequirements is a struct, not a pointer: it always serialises, as {} when empty.
  if (!isObject(c.resources)) c.resources = {}
  for (const p of Array.isArray(c.ports) ? c.ports : []) if (isObject(p) && !p.protocol) p.protocol = 'TCP'
  defaultProbe(c.livenessProbe)
  defaultProbe(c.readinessProbe)
  defaultProbe(c.startupProbe)
  if (isObject(c.lifecycle)) {
    defaultHandler(c.lifecycle.postStart)
    defaultHandler(c.lifecycle.preStop)
  }
  for (const e of Array.isArray(c.env) ? c.env : []) {
    defaultFieldRef(e?.valueFrom?.fieldRef)
    defaultResourceFieldRef(e?.valueFrom?.resourceFieldRef)
  }
}

/** defaultVolume is SetDefaults_Volume and the per-source defaults (modes 0644, hostPath type ""). */
export function defaultVolume(v: any): void {
  if (!isObject(v)) return
  const sources = Object.keys(v).filter((k) => k !== 'name')
  if (sources.length === 0) v.emptyDir = {}
  if (isObject(v.configMap)) v.configMap.defaultMode ??= DEFAULT_MODE
  if (isObject(v.secret)) v.secret.defaultMode ??= DEFAULT_MODE
  if (isObject(v.downwardAPI)) {
    v.downwardAPI.defaultMode ??= DEFAULT_MODE
    defaultDownwardItems(v.downwardAPI.items)
  }
  if (isObject(v.hostPath) && v.hostPath.type === undefined) v.hostPath.type = ''
  if (isObject(v.projected)) {
    v.projected.defaultMode ??= DEFAULT_MODE
    for (const s of Array.isArray(v.projected.sources) ? v.projected.sources : []) {
      if (isObject(s?.serviceAccountToken)) s.serviceAccountToken.expirationSeconds ??= 3600
      if (isObject(s?.downwardAPI)) defaultDownwardItems(s.downwardAPI.items)
    }
  }
  const claim = v.ephemeral?.volumeClaimTemplate
  if (isObject(claim)) {
    if (isObject(claim.spec)) claim.spec.volumeMode ??= 'Filesystem'
    if (isObject(claim.metadata)) claim.metadata.creationTimestamp ??= null
  }
}

/**
 * defaultPodSpec is SetDefaults_PodSpec with the generated walk over containers and volumes. forPod adds what
 * only SetDefaults_Pod does (enableServiceLinks, requests from limits, host-network ports), not templates.
 */
export function defaultPodSpec(spec: any, forPod: boolean): void {
  if (!isObject(spec)) return
  if (!spec.dnsPolicy) spec.dnsPolicy = 'ClusterFirst'
  if (!spec.restartPolicy) spec.restartPolicy = 'Always'
  if (!isObject(spec.securityContext)) spec.securityContext = {}
  spec.terminationGracePeriodSeconds ??= 30
  if (!spec.schedulerName) spec.schedulerName = 'default-scheduler'
  // v1 conversion mirrors the deprecated serviceAccount field.
  if (!spec.serviceAccountName && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName
  // A null item of a list of structs decodes to the zero struct in Go (encoding/json): validation then reports its
  // missing name and image, as the apiserver does, instead of code tripping over the null.
  for (const list of ['initContainers', 'containers', 'ephemeralContainers', 'volumes']) {
    if (Array.isArray(spec[list])) spec[list] = spec[list].map((item: unknown) => (item === null ? {} : item))
  }
  const all = [
    ...(Array.isArray(spec.initContainers) ? spec.initContainers : []),
    ...(Array.isArray(spec.containers) ? spec.containers : []),
  ]
  for (const c of all) defaultContainer(c)
  for (const c of Array.isArray(spec.ephemeralContainers) ? spec.ephemeralContainers : []) defaultContainer(c)
  for (const v of Array.isArray(spec.volumes) ? spec.volumes : []) defaultVolume(v)
  if (!forPod) return
  spec.enableServiceLinks ??= true
  for (const c of all) {
    if (!isObject(c) || !isObject(c.resources?.limits)) continue
    for (const [k, v] of Object.entries(c.resources.limits)) {
      c.resources.requests ??= {}
      if (c.resources.requests[k] === undefined) c.resources.requests[k] = v
    }
  }
  if (spec.hostNetwork) {
    for (const c of all)
      for (const p of Array.isArray(c?.ports) ? c.ports : [])
        if (isObject(p) && !p.hostPort) p.hostPort = p.containerPort
  }
}

/** defaultPodTemplate defaults a PodTemplateSpec: the spec, and the `creationTimestamp: null` 1.32 serialises. */
export function defaultPodTemplate(tpl: any): void {
  if (!isObject(tpl)) return
  if (!isObject(tpl.metadata)) tpl.metadata = {}
  if (tpl.metadata.creationTimestamp === undefined) tpl.metadata.creationTimestamp = null
  if (!isObject(tpl.spec)) tpl.spec = {}
  defaultPodSpec(tpl.spec, false)
}

/**
 * canonicalPodQuantities rewrites container resources and emptyDir size limits to canonical quantities; text
 * that is not a quantity fails decoding with a 400, as it does in the apiserver.
 */
export function canonicalPodQuantities(spec: any, kind: string, version: string): void {
  if (!isObject(spec)) return
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    for (const c of Array.isArray(spec[list]) ? spec[list] : []) {
      if (!isObject(c?.resources)) continue
      canonicalResources(c.resources, 'limits', kind, version)
      canonicalResources(c.resources, 'requests', kind, version)
    }
  }
  for (const v of Array.isArray(spec.volumes) ? spec.volumes : []) {
    if (isObject(v?.emptyDir) && v.emptyDir.sizeLimit !== undefined)
      canonicalResources(v.emptyDir, 'sizeLimit', kind, version)
  }
  canonicalResources(spec, 'overhead', kind, version)
}

function q(v: unknown): Quantity | undefined {
  try {
    return parseQuantity(String(v))
  } catch {
    return undefined
  }
}

/** podQOSClass follows pkg/apis/core/helper/qos GetPodQOS over containers and init containers. */
export function podQOSClass(spec: any): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const requests = new Map<string, Quantity>()
  const limits = new Map<string, Quantity>()
  let guaranteed = true
  const all = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]
  for (const c of all) {
    for (const [name, raw] of Object.entries(c?.resources?.requests ?? {})) {
      if (name !== 'cpu' && name !== 'memory') continue
      const v = q(raw)
      if (!v || v.sign() <= 0) continue
      requests.set(name, requests.has(name) ? requests.get(name)!.add(v) : v)
    }
    const got = new Set<string>()
    for (const [name, raw] of Object.entries(c?.resources?.limits ?? {})) {
      if (name !== 'cpu' && name !== 'memory') continue
      const v = q(raw)
      if (!v || v.sign() <= 0) continue
      got.add(name)
      limits.set(name, limits.has(name) ? limits.get(name)!.add(v) : v)
    }
    if (!got.has('cpu') || !got.has('memory')) guaranteed = false
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort'
  if (guaranteed) {
    for (const [name, r] of requests) if (!limits.get(name)?.equal(r)) guaranteed = false
  }
  return guaranteed && limits.size === requests.size ? 'Guaranteed' : 'Burstable'
}

// ---------------------------------------------------------------------------------------------------------------
// Validation

const PROTOCOLS = ['SCTP', 'TCP', 'UDP']
const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage'])

function validatePortNumOrName(port: unknown, path: string): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((m) => fieldInvalid(path, port, m))
  if (typeof port === 'string') {
    if (port === '') return [fieldRequired(path)]
    return isValidPortName(port).map((m) => fieldInvalid(path, port, m))
  }
  return [fieldRequired(path)]
}

function validateHandler(h: any, path: string): FieldError[] {
  const errs: FieldError[] = []
  const kinds = ['exec', 'httpGet', 'tcpSocket', 'grpc', 'sleep'].filter((k) => h?.[k] !== undefined && h?.[k] !== null)
  if (kinds.length === 0) return [fieldRequired(path, 'must specify a handler type')]
  if (kinds.length > 1) errs.push(fieldForbidden(`${path}.${kinds[1]}`, 'may not specify more than 1 handler type'))
  if (isObject(h.exec) && !(Array.isArray(h.exec.command) && h.exec.command.length > 0)) {
    errs.push(fieldRequired(`${path}.exec.command`))
  }
  if (isObject(h.httpGet)) {
    if (!h.httpGet.path) errs.push(fieldRequired(`${path}.httpGet.path`))
    errs.push(...validatePortNumOrName(h.httpGet.port, `${path}.httpGet.port`))
    if (h.httpGet.scheme && !['HTTP', 'HTTPS'].includes(h.httpGet.scheme)) {
      errs.push(fieldNotSupported(`${path}.httpGet.scheme`, h.httpGet.scheme, ['HTTP', 'HTTPS']))
    }
  }
  if (isObject(h.tcpSocket)) errs.push(...validatePortNumOrName(h.tcpSocket.port, `${path}.tcpSocket.port`))
  if (isObject(h.grpc)) {
    for (const m of isValidPortNum(Number(h.grpc.port))) errs.push(fieldInvalid(`${path}.grpc.port`, h.grpc.port, m))
  }
  return errs
}

function validateProbe(p: any, path: string, kind: 'liveness' | 'readiness' | 'startup'): FieldError[] {
  if (!isObject(p)) return []
  const errs = validateHandler(p, path)
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    errs.push(...nonNegative(p[f], `${path}.${f}`))
  }
  if (kind !== 'readiness' && p.successThreshold !== undefined && p.successThreshold !== 1) {
    errs.push(fieldInvalid(`${path}.successThreshold`, p.successThreshold, 'must be 1'))
  }
  if (kind === 'readiness' && p.terminationGracePeriodSeconds !== undefined) {
    errs.push(
      fieldInvalid(
        `${path}.terminationGracePeriodSeconds`,
        p.terminationGracePeriodSeconds,
        'must not be set for readinessProbes',
      ),
    )
  }
  return errs
}

function validatePorts(ports: any, path: string): FieldError[] {
  const errs: FieldError[] = []
  const names = new Set<string>()
  ;(Array.isArray(ports) ? ports : []).forEach((p: any, i: number) => {
    const ip = `${path}[${i}]`
    if (p?.name) {
      const msgs = isValidPortName(String(p.name))
      if (msgs.length > 0) for (const m of msgs) errs.push(fieldInvalid(`${ip}.name`, p.name, m))
      else if (names.has(p.name)) errs.push(fieldDuplicate(`${ip}.name`, p.name))
      else names.add(p.name)
    }
    if (!p?.containerPort) errs.push(fieldRequired(`${ip}.containerPort`))
    else
      for (const m of isValidPortNum(p.containerPort))
        errs.push(fieldInvalid(`${ip}.containerPort`, p.containerPort, m))
    if (p?.hostPort)
      for (const m of isValidPortNum(p.hostPort)) errs.push(fieldInvalid(`${ip}.hostPort`, p.hostPort, m))
    if (!p?.protocol) errs.push(fieldRequired(`${ip}.protocol`))
    else if (!PROTOCOLS.includes(p.protocol)) errs.push(fieldNotSupported(`${ip}.protocol`, p.protocol, PROTOCOLS))
  })
  return errs
}

function relaxedEnvVarName(name: string): string[] {
  // IsRelaxedEnvVarName (RelaxedEnvironmentVariableValidation is beta and on in 1.32).
  const errs: string[] = []
  if (name.length === 0) errs.push('environment variable name must be non-empty')
  for (const ch of name) {
    const c = ch.codePointAt(0)!
    if (c > 0x7e || c < 0x20 || ch === '=') {
      errs.push("a valid environment variable name must consist only of printable ASCII characters other than '='")
      break
    }
  }
  return errs
}

function validateEnv(env: any, path: string): FieldError[] {
  const errs: FieldError[] = []
  ;(Array.isArray(env) ? env : []).forEach((e: any, i: number) => {
    const ip = `${path}[${i}]`
    const name = String(e?.name ?? '')
    if (!name) errs.push(fieldRequired(`${ip}.name`))
    for (const m of relaxedEnvVarName(name)) errs.push(fieldInvalid(`${ip}.name`, name, m))
    const vf = e?.valueFrom
    if (!isObject(vf)) return
    const vp = `${ip}.valueFrom`
    const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'].filter((k) => isObject(vf[k]))
    if (sources.length === 0) {
      errs.push(
        fieldInvalid(
          vp,
          '',
          'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
        ),
      )
    } else if (e.value) {
      errs.push(fieldInvalid(vp, '', 'may not be specified when `value` is not empty'))
    } else if (sources.length > 1) {
      errs.push(fieldInvalid(vp, '', 'may not have more than one field specified at a time'))
    }
    for (const k of ['configMapKeyRef', 'secretKeyRef']) {
      if (isObject(vf[k]) && !vf[k].key) errs.push(fieldRequired(`${vp}.${k}.key`))
    }
    if (isObject(vf.fieldRef) && !vf.fieldRef.fieldPath) errs.push(fieldRequired(`${vp}.fieldRef.fieldPath`))
    if (isObject(vf.resourceFieldRef) && !vf.resourceFieldRef.resource)
      errs.push(fieldRequired(`${vp}.resourceFieldRef.resource`))
  })
  return errs
}

function validateVolumeMounts(mounts: any, volumes: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = []
  const seen = new Set<string>()
  ;(Array.isArray(mounts) ? mounts : []).forEach((m: any, i: number) => {
    const ip = `${path}[${i}]`
    const name = String(m?.name ?? '')
    if (!name) errs.push(fieldRequired(`${ip}.name`))
    if (!volumes.has(name)) errs.push(fieldNotFound(`${ip}.name`, name))
    const mp = String(m?.mountPath ?? '')
    if (!mp) errs.push(fieldRequired(`${ip}.mountPath`))
    if (seen.has(mp)) errs.push(fieldInvalid(`${ip}.mountPath`, mp, 'must be unique'))
    seen.add(mp)
  })
  return errs
}

function validateResourceName(name: string, path: string): FieldError[] {
  const errs = isQualifiedName(name).map((m) => fieldInvalid(path, name, m))
  if (errs.length) return errs
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !name.startsWith('hugepages-')) {
      return [fieldInvalid(path, name, 'must be a standard resource for containers')]
    }
  } else if (!name.includes('kubernetes.io/') && name.startsWith('requests.')) {
    return [fieldInvalid(path, name, "doesn't follow extended resource name standard")]
  }
  return []
}

/** validateResources is ValidateResourceRequirements: names, non-negative values, requests within limits. */
export function validateResources(res: any, path: string): FieldError[] {
  const errs: FieldError[] = []
  const limits: Record<string, unknown> = isObject(res?.limits) ? res.limits : {}
  const requests: Record<string, unknown> = isObject(res?.requests) ? res.requests : {}
  const check = (list: Record<string, unknown>, p: string) => {
    for (const [name, raw] of Object.entries(list)) {
      const kp = `${p}[${name}]`
      errs.push(...validateResourceName(name, kp))
      const v = q(raw)
      if (v && v.sign() < 0) errs.push(fieldInvalid(kp, v.toString(), 'must be greater than or equal to 0'))
      else if (
        v &&
        name !== 'cpu' &&
        name !== 'memory' &&
        name !== 'ephemeral-storage' &&
        !name.startsWith('hugepages-')
      ) {
        if (v.milliValue() % 1000 !== 0) errs.push(fieldInvalid(kp, v.toString(), 'must be an integer'))
      }
    }
  }
  check(limits, `${path}.limits`)
  check(requests, `${path}.requests`)
  for (const [name, raw] of Object.entries(requests)) {
    if (limits[name] === undefined) continue
    const r = q(raw)
    const l = q(limits[name])
    if (!r || !l) continue
    const overcommit =
      name === 'cpu' ||
      name === 'memory' ||
      name === 'ephemeral-storage' ||
      !name.includes('/') ||
      name.includes('kubernetes.io/')
    if (!overcommit && r.cmp(l) !== 0) {
      errs.push(fieldInvalid(`${path}.requests`, r.toString(), `must be equal to ${name} limit of ${l.toString()}`))
    } else if (r.cmp(l) > 0) {
      errs.push(
        fieldInvalid(
          `${path}.requests`,
          r.toString(),
          `must be less than or equal to ${name} limit of ${l.toString()}`,
        ),
      )
    }
  }
  return errs
}

function validateContainer(c: any, volumes: Set<string>, path: string, isPod: boolean): FieldError[] {
  const errs: FieldError[] = []
  const name = String(c?.name ?? '')
  if (!name) errs.push(fieldRequired(`${path}.name`))
  else for (const m of isDNS1123Label(name)) errs.push(fieldInvalid(`${path}.name`, name, m))
  const image = String(c?.image ?? '')
  if (!image) errs.push(fieldRequired(`${path}.image`))
  else if (isPod && image.trim() !== image) {
    errs.push(fieldInvalid(`${path}.image`, image, 'must not have leading or trailing whitespace'))
  }
  const tmp = c?.terminationMessagePolicy
  if (!tmp) errs.push(fieldRequired(`${path}.terminationMessagePolicy`))
  else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError') {
    errs.push(fieldNotSupported(`${path}.terminationMessagePolicy`, tmp, ['File', 'FallbackToLogsOnError']))
  }
  errs.push(...validatePorts(c?.ports, `${path}.ports`))
  errs.push(...validateEnv(c?.env, `${path}.env`))
  errs.push(...validateVolumeMounts(c?.volumeMounts, volumes, `${path}.volumeMounts`))
  const pp = c?.imagePullPolicy
  if (!pp) errs.push(fieldRequired(`${path}.imagePullPolicy`))
  else if (!['Always', 'IfNotPresent', 'Never'].includes(pp)) {
    errs.push(fieldNotSupported(`${path}.imagePullPolicy`, pp, ['Always', 'IfNotPresent', 'Never']))
  }
  errs.push(...validateResources(c?.resources, `${path}.resources`))
  return errs
}

function validateVolumes(volumes: any, path: string): {names: Set<string>; errs: FieldError[]} {
  const names = new Set<string>()
  const errs: FieldError[] = []
  ;(Array.isArray(volumes) ? volumes : []).forEach((v: any, i: number) => {
    const ip = `${path}[${i}]`
    const sources = Object.keys(v ?? {}).filter((k) => k !== 'name' && v[k] !== null && v[k] !== undefined)
    if (sources.length === 0) errs.push(fieldRequired(ip, 'must specify a volume type'))
    else if (sources.length > 1)
      errs.push(fieldForbidden(`${ip}.${sources[1]}`, 'may not specify more than 1 volume type'))
    const required: Record<string, string> = {
      configMap: 'name',
      secret: 'secretName',
      persistentVolumeClaim: 'claimName',
      hostPath: 'path',
      nfs: 'server',
    }
    for (const [src, f] of Object.entries(required)) {
      if (isObject(v?.[src]) && !v[src][f]) errs.push(fieldRequired(`${ip}.${src}.${f}`))
    }
    for (const src of ['configMap', 'secret', 'downwardAPI', 'projected']) {
      const mode = v?.[src]?.defaultMode
      if (typeof mode === 'number' && (mode < 0 || mode > 0o777)) {
        errs.push(
          fieldInvalid(`${ip}.${src}.defaultMode`, mode, 'must be a number between 0 and 0777 (octal), both inclusive'),
        )
      }
    }
    const name = String(v?.name ?? '')
    if (!name) errs.push(fieldRequired(`${ip}.name`))
    else for (const m of isDNS1123Label(name)) errs.push(fieldInvalid(`${ip}.name`, name, m))
    if (names.has(name)) errs.push(fieldDuplicate(`${ip}.name`, name))
    names.add(name)
  })
  return {names, errs}
}

function validateTolerations(tols: any, path: string): FieldError[] {
  const errs: FieldError[] = []
  ;(Array.isArray(tols) ? tols : []).forEach((t: any, i: number) => {
    const ip = `${path}[${i}]`
    const key = String(t?.key ?? '')
    const op = String(t?.operator ?? '')
    const effect = String(t?.effect ?? '')
    if (key) for (const m of isQualifiedName(key)) errs.push(fieldInvalid(`${ip}.key`, key, m))
    if (!key && op !== 'Exists') {
      errs.push(
        fieldInvalid(
          `${ip}.operator`,
          op,
          'operator must be Exists when `key` is empty, which means "match all values and all keys"',
        ),
      )
    }
    if (t?.tolerationSeconds !== undefined && t?.tolerationSeconds !== null && effect !== 'NoExecute') {
      errs.push(fieldInvalid(`${ip}.effect`, effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"))
    }
    if (op === 'Equal' || op === '') {
      const msgs = isValidLabelValue(String(t?.value ?? ''))
      if (msgs.length) errs.push(fieldInvalid(`${ip}.operator`, String(t?.value ?? ''), msgs.join(';')))
    } else if (op === 'Exists') {
      if (t?.value) errs.push(fieldInvalid(`${ip}.operator`, t, "value must be empty when `operator` is 'Exists'"))
    } else {
      errs.push(fieldNotSupported(`${ip}.operator`, op, ['Equal', 'Exists']))
    }
    if (effect && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(effect)) {
      errs.push(fieldNotSupported(`${ip}.effect`, effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute']))
    }
  })
  return errs
}

/** validatePodSpec is ValidatePodSpec for the checks users meet; path is `spec` or `spec.template.spec`. */
export function validatePodSpec(spec: any, path: string, isPod: boolean): FieldError[] {
  const s = isObject(spec) ? spec : {}
  const {names, errs} = validateVolumes(s.volumes, `${path}.volumes`)
  const containers = Array.isArray(s.containers) ? s.containers : []
  if (containers.length === 0) errs.push(fieldRequired(`${path}.containers`))
  const seen = new Set<string>()
  containers.forEach((c: any, i: number) => {
    const p = `${path}.containers[${i}]`
    errs.push(...validateContainer(c, names, p, isPod))
    if (seen.has(c?.name)) errs.push(fieldDuplicate(`${p}.name`, c?.name))
    else seen.add(c?.name)
    if (c?.restartPolicy !== undefined)
      errs.push(fieldForbidden(`${p}.restartPolicy`, 'may not be set for non-init containers'))
    errs.push(...validateProbe(c?.livenessProbe, `${p}.livenessProbe`, 'liveness'))
    errs.push(...validateProbe(c?.readinessProbe, `${p}.readinessProbe`, 'readiness'))
    errs.push(...validateProbe(c?.startupProbe, `${p}.startupProbe`, 'startup'))
  })
  const initSeen = new Set<string>()
  ;(Array.isArray(s.initContainers) ? s.initContainers : []).forEach((c: any, i: number) => {
    const p = `${path}.initContainers[${i}]`
    errs.push(...validateContainer(c, names, p, isPod))
    if (seen.has(c?.name) || initSeen.has(c?.name)) errs.push(fieldDuplicate(`${p}.name`, c?.name))
    initSeen.add(c?.name)
    if (c?.restartPolicy !== undefined && c.restartPolicy !== 'Always') {
      errs.push(fieldNotSupported(`${p}.restartPolicy`, c.restartPolicy, ['Always']))
    }
  })
  const rp = s.restartPolicy
  if (!rp) errs.push(fieldRequired(`${path}.restartPolicy`))
  else if (!['Always', 'OnFailure', 'Never'].includes(rp)) {
    errs.push(fieldNotSupported(`${path}.restartPolicy`, rp, ['Always', 'OnFailure', 'Never']))
  }
  const dp = s.dnsPolicy
  if (!dp) errs.push(fieldRequired(`${path}.dnsPolicy`))
  else if (!['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'].includes(dp)) {
    errs.push(
      fieldNotSupported(`${path}.dnsPolicy`, dp, ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None']),
    )
  }
  errs.push(...validateLabels(s.nodeSelector, `${path}.nodeSelector`))
  if (s.serviceAccountName) {
    for (const m of isDNS1123Subdomain(s.serviceAccountName))
      errs.push(fieldInvalid(`${path}.serviceAccountName`, s.serviceAccountName, m))
  }
  if (s.nodeName)
    for (const m of isDNS1123Subdomain(s.nodeName)) errs.push(fieldInvalid(`${path}.nodeName`, s.nodeName, m))
  if (
    typeof s.activeDeadlineSeconds === 'number' &&
    (s.activeDeadlineSeconds < 1 || s.activeDeadlineSeconds > 2147483647)
  ) {
    errs.push(
      fieldInvalid(
        `${path}.activeDeadlineSeconds`,
        s.activeDeadlineSeconds,
        'must be between 1 and 2147483647, inclusive',
      ),
    )
  }
  if (s.hostname) for (const m of isDNS1123Label(s.hostname)) errs.push(fieldInvalid(`${path}.hostname`, s.hostname, m))
  if (s.subdomain)
    for (const m of isDNS1123Label(s.subdomain)) errs.push(fieldInvalid(`${path}.subdomain`, s.subdomain, m))
  errs.push(...validateTolerations(s.tolerations, `${path}.tolerations`))
  errs.push(...nonNegative(s.terminationGracePeriodSeconds, `${path}.terminationGracePeriodSeconds`))
  return errs
}

/** validatePodTemplate is ValidatePodTemplateSpec: template metadata labels and annotations, then the spec. */
export function validatePodTemplate(tpl: any, path: string): FieldError[] {
  if (!isObject(tpl)) return [fieldRequired(path)]
  const errs: FieldError[] = []
  const m = isObject(tpl.metadata) ? tpl.metadata : {}
  errs.push(...validateLabels(m.labels, `${path}.metadata.labels`))
  errs.push(...validateAnnotations(m.annotations, `${path}.metadata.annotations`))
  errs.push(...validatePodSpec(tpl.spec, `${path}.spec`, false))
  return errs
}
