// pod-template.ts renders a pod template the way `kubectl rollout history --revision=N` and `rollout undo
// --dry-run=client` show it: kubectl/pkg/describe/describe.go DescribePodTemplate with its PrefixWriter (two spaces
// per level, raw tabs, no tabwriter). Only what a pod template holds is described (no container statuses).
import type {PodTemplate} from './common.js'

const MAX_ANNOTATION_LEN = 140
const SKIP_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration'])

type Json = Record<string, any>

class PrefixWriter {
  text = ''
  write(level: number, s: string): void {
    this.text += '  '.repeat(level) + s
  }
}

function labelsMultiline(w: PrefixWriter, title: string, labels: Record<string, string> | undefined): void {
  w.write(0, `${title}:\t`)
  const keys = Object.keys(labels ?? {}).sort()
  if (keys.length === 0) return w.write(0, '<none>\n')
  keys.forEach((k, i) => {
    if (i !== 0) w.write(0, '\t')
    w.write(0, `${k}=${labels![k]}\n`)
  })
}

function annotationsMultiline(w: PrefixWriter, title: string, annotations: Record<string, string>): void {
  w.write(0, `${title}:\t`)
  const keys = Object.keys(annotations)
    .filter((k) => !SKIP_ANNOTATIONS.has(k))
    .sort()
  if (keys.length === 0) return w.write(0, '<none>\n')
  keys.forEach((k, i) => {
    if (i !== 0) w.write(0, '\t')
    const value = annotations[k].replace(/\n$/, '')
    if (value.length + k.length + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(0, `${k}:\n`)
      for (const s of value.split('\n')) {
        const short = s.length > MAX_ANNOTATION_LEN - 2 ? s.slice(0, MAX_ANNOTATION_LEN - 2) + '...' : s
        w.write(0, `\t  ${short}\n`)
      }
    } else w.write(0, `${k}: ${value}\n`)
  })
}

function tolerationsMultiline(w: PrefixWriter, title: string, tolerations: Json[] | undefined): void {
  w.write(0, `${title}:\t`)
  const ts = [...(tolerations ?? [])].sort((a, b) => ((a.key ?? '') < (b.key ?? '') ? -1 : 0))
  if (ts.length === 0) return w.write(0, '<none>\n')
  ts.forEach((t, i) => {
    if (i !== 0) w.write(0, '\t')
    let s = t.key ?? ''
    if (t.value) s += `=${t.value}`
    if (t.effect) s += `:${t.effect}`
    if (t.operator === 'Exists' && !t.value) s += t.key || t.effect ? ' op=Exists' : 'op=Exists'
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) s += ` for ${t.tolerationSeconds}s`
    w.write(0, s + '\n')
  })
}

function ports(list: Json[] | undefined, field: 'containerPort' | 'hostPort'): string {
  return (list ?? []).map((p) => `${p[field] ?? 0}/${p.protocol ?? 'TCP'}`).join(', ')
}

function describeContainers(w: PrefixWriter, label: string, containers: Json[]): void {
  w.write(0, `  ${label}:${containers.length === 0 ? ' <none>' : ''}\n`)
  for (const c of containers) {
    w.write(1, ` ${c.name}:\n`)
    w.write(2, `Image:\t${c.image ?? ''}\n`)
    const p = ports(c.ports, 'containerPort')
    w.write(2, p.includes(',') ? `Ports:\t${p}\n` : `Port:\t${p || '<none>'}\n`)
    const hp = ports(c.ports, 'hostPort')
    w.write(2, hp.includes(',') ? `Host Ports:\t${hp}\n` : `Host Port:\t${hp || '<none>'}\n`)
    const sp = c.securityContext?.seccompProfile
    if (sp) {
      w.write(2, `SeccompProfile:\t${sp.type ?? ''}\n`)
      if (sp.type === 'Localhost') w.write(3, `LocalhostProfile:\t${sp.localhostProfile ?? ''}\n`)
    }
    for (const [key, title] of [
      ['command', 'Command'],
      ['args', 'Args'],
    ] as const) {
      if ((c[key] ?? []).length === 0) continue
      w.write(2, `${title}:\n`)
      for (const x of c[key] as string[]) for (const s of x.split('\n')) w.write(3, `${s}\n`)
    }
    for (const [key, title] of [
      ['limits', 'Limits'],
      ['requests', 'Requests'],
    ] as const) {
      const r = (c.resources?.[key] ?? {}) as Record<string, string>
      const names = Object.keys(r).sort()
      if (names.length > 0) w.write(2, `${title}:\n`)
      for (const n of names) w.write(3, `${n}:\t${r[n]}\n`)
    }
    for (const [key, title] of [
      ['livenessProbe', 'Liveness'],
      ['readinessProbe', 'Readiness'],
      ['startupProbe', 'Startup'],
    ] as const) {
      if (c[key]) w.write(2, `${title}:\t${describeProbe(c[key])}\n`)
    }
    if ((c.envFrom ?? []).length > 0) {
      w.write(2, 'Environment Variables from:\n')
      for (const e of c.envFrom as Json[]) {
        const ref = e.configMapRef ?? e.secretRef
        const kind = e.configMapRef ? 'ConfigMap' : 'Secret'
        const optional = ref?.optional === true
        const prefix = e.prefix ? ` with prefix '${e.prefix}'` : ''
        w.write(3, `${ref?.name ?? ''}\t${kind}${prefix}\tOptional: ${optional}\n`)
      }
    }
    const env = (c.env ?? []) as Json[]
    w.write(2, `Environment:${env.length === 0 ? '\t<none>' : ''}\n`)
    for (const e of env) {
      const vf = e.valueFrom
      if (!vf) {
        String(e.value ?? '')
          .split('\n')
          .forEach((s, i) => w.write(3, i === 0 ? `${e.name}:\t${s}\n` : `\t${s}\n`))
      } else if (vf.fieldRef)
        w.write(3, `${e.name}:\t (${vf.fieldRef.apiVersion ?? ''}:${vf.fieldRef.fieldPath ?? ''})\n`)
      else if (vf.resourceFieldRef) w.write(3, `${e.name}:\t (${vf.resourceFieldRef.resource ?? ''})\n`)
      else if (vf.secretKeyRef)
        w.write(
          3,
          `${e.name}:\t<set to the key '${vf.secretKeyRef.key}' in secret '${vf.secretKeyRef.name ?? ''}'>\tOptional: ${vf.secretKeyRef.optional === true}\n`,
        )
      else if (vf.configMapKeyRef)
        w.write(
          3,
          `${e.name}:\t<set to the key '${vf.configMapKeyRef.key}' of config map '${vf.configMapKeyRef.name ?? ''}'>\tOptional: ${vf.configMapKeyRef.optional === true}\n`,
        )
    }
    const mounts = [...((c.volumeMounts ?? []) as Json[])].sort((a, b) => (a.mountPath < b.mountPath ? -1 : 1))
    w.write(2, `Mounts:${mounts.length === 0 ? '\t<none>' : ''}\n`)
    for (const m of mounts) {
      const flags = [m.readOnly ? 'ro' : 'rw']
      if (m.subPath) flags.push(`path=${JSON.stringify(m.subPath)}`)
      w.write(3, `${m.mountPath} from ${m.name} (${flags.join(',')})\n`)
    }
  }
}

function describeProbe(p: Json): string {
  const attrs = `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 1}s period=${p.periodSeconds ?? 10}s #success=${p.successThreshold ?? 1} #failure=${p.failureThreshold ?? 3}`
  if (p.exec) return `exec [${(p.exec.command ?? []).join(' ')}] ${attrs}`
  if (p.httpGet) {
    const g = p.httpGet
    const host = g.host ?? ''
    return `http-get ${(g.scheme ?? 'HTTP').toLowerCase()}://${host}:${g.port}${g.path ?? ''} ${attrs}`
  }
  if (p.tcpSocket) return `tcp-socket ${p.tcpSocket.host ?? ''}:${p.tcpSocket.port} ${attrs}`
  if (p.grpc) return `grpc <pod>:${p.grpc.port} ${p.grpc.service ?? ''} ${attrs}`
  return `unknown ${attrs}`
}

function describeVolumes(w: PrefixWriter, volumes: Json[]): void {
  if (volumes.length === 0) return w.write(0, '  Volumes:\t<none>\n')
  w.write(0, '  Volumes:\n')
  for (const v of volumes) {
    w.write(1, ` ${v.name}:\n`)
    if (v.hostPath)
      w.write(
        2,
        `Type:\tHostPath (bare host directory volume)\n    Path:\t${v.hostPath.path}\n    HostPathType:\t${v.hostPath.type ?? '<none>'}\n`,
      )
    else if (v.emptyDir)
      w.write(
        2,
        `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${v.emptyDir.medium ?? ''}\n    SizeLimit:\t${v.emptyDir.sizeLimit ?? '<unset>'}\n`,
      )
    else if (v.secret)
      w.write(
        2,
        `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${v.secret.secretName ?? ''}\n    Optional:\t${v.secret.optional === true}\n`,
      )
    else if (v.configMap)
      w.write(
        2,
        `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${v.configMap.name ?? ''}\n    Optional:\t${v.configMap.optional === true}\n`,
      )
    else if (v.persistentVolumeClaim)
      w.write(
        2,
        `Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${v.persistentVolumeClaim.claimName}\n    ReadOnly:\t${v.persistentVolumeClaim.readOnly === true}\n`,
      )
    else w.write(1, '<unknown>\n')
  }
}

/** describePodTemplate renders a pod template as describe.DescribePodTemplate does. */
export function describePodTemplate(template: PodTemplate | undefined): string {
  const w = new PrefixWriter()
  w.write(0, 'Pod Template:\n')
  if (!template) {
    w.write(1, '<unset>')
    return w.text
  }
  const spec = (template.spec ?? {}) as Json
  labelsMultiline(w, '  Labels', template.metadata?.labels)
  const annotations = template.metadata?.annotations ?? {}
  if (Object.keys(annotations).length > 0) annotationsMultiline(w, '  Annotations', annotations)
  if (spec.serviceAccountName) w.write(1, `Service Account:\t${spec.serviceAccountName}\n`)
  if ((spec.initContainers ?? []).length > 0) describeContainers(w, 'Init Containers', spec.initContainers)
  describeContainers(w, 'Containers', spec.containers ?? [])
  describeVolumes(w, spec.volumes ?? [])
  const tsc = (spec.topologySpreadConstraints ?? []) as Json[]
  if (tsc.length > 0) {
    w.write(0, '  Topology Spread Constraints:\t')
    tsc.forEach((c, i) => {
      if (i !== 0) w.write(0, '\t')
      w.write(
        0,
        `${c.topologyKey}:${c.whenUnsatisfiable} when max skew ${c.maxSkew} is exceeded for selector ${formatSelector(c.labelSelector)}\n`,
      )
    })
  }
  if (spec.priorityClassName) w.write(1, `Priority Class Name:\t${spec.priorityClassName}\n`)
  labelsMultiline(w, '  Node-Selectors', spec.nodeSelector)
  tolerationsMultiline(w, '  Tolerations', spec.tolerations)
  return w.text
}

function formatSelector(s: Json | undefined): string {
  const parts = Object.entries((s?.matchLabels ?? {}) as Record<string, string>)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
  return parts.length > 0 ? parts.join(',') : '<none>'
}
