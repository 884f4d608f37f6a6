// expose.ts holds ExposeOptions for `mkctl expose` (kubectl/pkg/cmd/expose/expose.go with the polymorphic helpers
// canbeexposed.go, mapbasedselectorforobject.go, portsforobject.go and multiprotocolsforobject.go): each resource
// named by TYPE NAME or -f is turned into a Service that selects its pods, created with fieldManager kubectl-expose.
import type {KubeObject} from '../../api/object.js'
import type {Factory} from '../client/factory.js'
import {orderedMeta} from '../generators/gojson.js'
import {GeneratorOptions, saveConfigAnnotation} from '../generators/options.js'
import * as gen from '../generators/objects.js'
import type {Info} from '../resource/builder.js'
import {finalError, newBuilder, resourcePath} from '../resource/builder.js'
import {writeQuery} from '../resource/common.js'
import {RunOptions} from './run.js'

type Spec = {
  selector?: {matchLabels?: Record<string, string>; matchExpressions?: unknown[]} | Record<string, string>
  template?: {metadata?: {labels?: Record<string, string>}; spec?: PodSpec}
  ports?: {port?: number; protocol?: string}[]
  containers?: {ports?: {containerPort?: number; protocol?: string}[]}[]
}
type PodSpec = {containers?: {ports?: {containerPort?: number; protocol?: string}[]}[]}

const EXPOSABLE = new Set(['ReplicationController', 'Service', 'Pod', 'apps/Deployment', 'apps/ReplicaSet', 'extensions/Deployment', 'extensions/ReplicaSet']) // prettier-ignore

/** canBeExposed accepts the kinds kubectl can expose; others fail with `cannot expose a Kind.group`. */
export function canBeExposed(group: string, kind: string): void {
  if (!EXPOSABLE.has(group ? `${group}/${kind}` : kind))
    throw new Error(`cannot expose a ${kind}${group ? '.' + group : ''}`)
}

/** goStruct prints a matchExpressions list as Go's %+v does for []LabelSelectorRequirement. */
function goRequirements(exprs: unknown[]): string {
  const items = (exprs as {key?: string; operator?: string; values?: string[]}[]).map(
    (e) => `{Key:${e.key ?? ''} Operator:${e.operator ?? ''} Values:[${(e.values ?? []).join(' ')}]}`,
  )
  return `[${items.join(' ')}]`
}

/** selectorForObject is MapBasedSelectorForObject: the labels a Service must select for the object's pods. */
export function selectorForObject(obj: KubeObject): Record<string, string> {
  const kind = obj.kind ?? ''
  const spec = (obj.spec ?? {}) as Spec
  switch (kind) {
    case 'ReplicationController':
      return {...((spec.selector as Record<string, string> | undefined) ?? {})}
    case 'Pod': {
      const labels = obj.metadata?.labels ?? {}
      if (Object.keys(labels).length === 0) throw new Error('the pod has no labels and cannot be exposed')
      return {...labels}
    }
    case 'Service':
      if (!spec.selector) throw new Error('the service has no pod selector set')
      return {...(spec.selector as Record<string, string>)}
    case 'Deployment':
    case 'ReplicaSet': {
      const sel = spec.selector as {matchLabels?: Record<string, string>; matchExpressions?: unknown[]} | undefined
      const what = kind === 'Deployment' ? 'deployment' : 'replicaset'
      if (!sel || Object.keys(sel.matchLabels ?? {}).length === 0)
        throw new Error(`invalid ${what}: no selectors, therefore cannot be exposed`)
      if ((sel.matchExpressions ?? []).length > 0)
        throw new Error(
          `couldn't convert expressions - "${goRequirements(sel.matchExpressions!)}" to map-based selector format`,
        )
      return {...sel.matchLabels!}
    }
    default:
      throw new Error(`cannot extract pod selector from ${kind}`)
  }
}

function podSpecOf(obj: KubeObject): PodSpec {
  const spec = (obj.spec ?? {}) as Spec
  return obj.kind === 'Pod' ? (spec as PodSpec) : (spec.template?.spec ?? {})
}

/** portsForObject lists the object's distinct ports in order (PortsForObject) with their protocols (MultiProtocols). */
export function portsForObject(obj: KubeObject): {ports: string[]; protocols: Map<string, string[]>} {
  const ports: string[] = []
  const protocols = new Map<string, string[]>()
  const add = (port: number | undefined, protocol: string | undefined) => {
    const key = String(port ?? 0)
    if (!ports.includes(key)) ports.push(key)
    protocols.set(key, [...(protocols.get(key) ?? []), protocol || 'TCP'])
  }
  if (obj.kind === 'Service') {
    for (const p of ((obj.spec ?? {}) as Spec).ports ?? []) add(p.port, p.protocol)
  } else {
    for (const c of podSpecOf(obj).containers ?? []) for (const p of c.ports ?? []) add(p.containerPort, p.protocol)
  }
  return {ports, protocols}
}

/** ExposeOptions is `mkctl expose`. */
export class ExposeOptions extends GeneratorOptions {
  args: string[] = []
  filenames: string[] = []
  recursive = false
  kustomize?: string
  protocol = ''
  port = ''
  type = ''
  loadBalancerIP = ''
  selector = ''
  labels = ''
  targetPort = ''
  externalIP = ''
  serviceName = ''
  sessionAffinity = ''
  clusterIP = ''
  overrides = ''
  overrideType = 'merge'

  override fieldManager = 'kubectl-expose'
  override operation = 'exposed'

  override async complete(f: Factory): Promise<void> {
    await super.complete(f)
  }

  /** serviceFor builds the Service for one object, updating the carried-over flags as kubectl's loop does. */
  serviceFor(info: Info, obj: KubeObject): KubeObject {
    canBeExposed(info.mapping.group, info.mapping.kind)
    const defaultName = info.name.slice(0, 63)
    if (this.selector === '') {
      try {
        this.selector = gen.mapLabels(selectorForObject(obj))
      } catch (e) {
        throw new Error(`couldn't retrieve selectors via --selector flag or introspection: ${(e as Error).message}`, {
          cause: e,
        })
      }
    }
    const headless = this.clusterIP === 'None'
    let ports = this.port
    const found = portsForObject(obj)
    if (ports === '') {
      if (found.ports.length === 0 && !headless) throw new Error("couldn't find port via --port flag or introspection")
      if (found.ports.length === 1) this.port = found.ports[0]
      ports = found.ports.join(',')
    }
    if (this.labels === '') this.labels = gen.mapLabels(obj.metadata?.labels ?? {})
    if (this.selector === '') throw new Error('selector must be specified')
    const selector = gen.parseLabelSpec(this.selector)
    const labels = this.labels ? gen.parseLabelSpec(this.labels) : undefined
    const name = this.serviceName || defaultName
    if (!name) throw new Error('name must be specified')
    const list: {port: number; name: string; protocol: string}[] = []
    const split = ports === '' ? [] : ports.split(',')
    split.forEach((p, i) => {
      const n = gen.goAtoi(p)
      if (n === undefined) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(p)}: invalid syntax`)
      const portName = split.length > 1 ? `port-${i + 1}` : ''
      let protocol = this.protocol
      const known = found.protocols
      if (protocol === '' && known.size === 0) protocol = 'TCP'
      else if (protocol === '' && known.size > 0) {
        protocol = 'TCP'
        const ps = known.get(p)
        if (ps && ps.length === 1) protocol = ps[0]
        else if (ps && ps.length > 1) {
          for (const x of ps) list.push({port: n, name: `port-${i + 1}-${x.toLowerCase()}`, protocol: x})
          return
        }
      }
      list.push({port: n, name: portName, protocol})
    })
    return gen.exposedService({
      name,
      selector,
      labels,
      ports: list,
      targetPort: this.targetPort,
      externalIP: this.externalIP,
      type: this.type,
      loadBalancerIP: this.loadBalancerIP,
      sessionAffinity: this.sessionAffinity,
      clusterIP: this.clusterIP,
    })
  }

  async run(): Promise<void> {
    const f = this.factory!
    const builder = await newBuilder(f, this.io.in, {
      filenames: this.filenames,
      recursive: this.recursive,
      args: this.args,
    })
    const errs: Error[] = []
    const overrider = new RunOptions(this.io, this.commandPath)
    overrider.overrides = this.overrides
    overrider.overrideType = this.overrideType
    for await (const item of builder.visit()) {
      if ('error' in item) {
        errs.push(item.error)
        continue
      }
      try {
        const info = item.info
        const obj = info.source
          ? info.object
          : await (await f.restClient()).get<KubeObject>(resourcePath(info.mapping, info.namespace, info.name))
        let svc = overrider.applyOverrides(this.serviceFor(info, obj), 'Service')
        if (this.dryRun === 'client') {
          if (this.enforceNamespace)
            svc = {
              ...svc,
              metadata: orderedMeta({...svc.metadata, namespace: this.namespace}) as KubeObject['metadata'],
            }
          this.print(svc)
          continue
        }
        if (this.saveConfig) saveConfigAnnotation(svc)
        const rest = await f.restClient()
        const created = await rest.post<KubeObject>(
          `/api/v1/namespaces/${encodeURIComponent(this.namespace)}/services`,
          svc,
          {query: writeQuery({dryRun: this.dryRun, fieldManager: this.fieldManager})},
        )
        this.print(created)
      } catch (e) {
        errs.push(e as Error)
      }
    }
    const err = finalError(errs)
    if (err) throw err
  }
}
