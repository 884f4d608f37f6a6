// autoscale.ts holds AutoscaleOptions for `mkctl autoscale` (kubectl/pkg/cmd/autoscale/autoscale.go): each object
// named must have a scale subresource in discovery; an autoscaling/v1 HorizontalPodAutoscaler pointing at it is
// created in the command's namespace (kubectl 1.32 still uses the v1 typed client, not v2).
import type {KubeObject} from '../../api/object.js'
import type {Factory} from '../client/factory.js'
import type {RestClient} from '../client/rest.js'
import type {IOStreams} from '../io.js'
import {toPrinter} from '../printers/index.js'
import {apiVersionOf, finalError, newBuilder, type Builder} from '../resource/builder.js'
import {LAST_APPLIED} from '../resource/last-applied.js'
import {dryRunStrategy, dryRunSuffix, type DryRun} from '../resource/openapi.js'
import {fetchInfo} from './metadata-edit.js'
import {OBJECT_META_ORDER} from '../generators/gojson.js'

/**
 * hpaV1Typed orders an autoscaling/v1 HorizontalPodAutoscaler as the Go struct does, with the fields that are
 * never omitted (creationTimestamp, status counts): kubectl prints typed objects, so `-o json` follows this order.
 */
export function hpaV1Typed(obj: KubeObject): Record<string, unknown> {
  const o = obj as Record<string, any>
  const m = (o.metadata ?? {}) as Record<string, unknown>
  const metadata: Record<string, unknown> = {}
  for (const k of OBJECT_META_ORDER) {
    if (k === 'creationTimestamp') metadata[k] = m[k] ?? null
    else if (m[k] !== undefined && m[k] !== '' && m[k] !== 0) metadata[k] = m[k]
  }
  const spec = (o.spec ?? {}) as Record<string, any>
  const ref = (spec.scaleTargetRef ?? {}) as Record<string, unknown>
  const status = (o.status ?? {}) as Record<string, unknown>
  // pick copies keys in order; the `always` ones are Go fields without omitempty (zero when absent)
  const pick = (src: Record<string, unknown>, keys: string[], always: string[] = []) => {
    const out: Record<string, unknown> = {}
    for (const k of keys) {
      if (src[k] !== undefined) out[k] = src[k]
      else if (always.includes(k)) out[k] = 0
    }
    return out
  }
  return {
    kind: o.kind,
    apiVersion: o.apiVersion,
    metadata,
    spec: {
      scaleTargetRef: pick(ref, ['kind', 'name', 'apiVersion']),

      ...pick(spec, ['minReplicas', 'maxReplicas', 'targetCPUUtilizationPercentage'], ['maxReplicas']),
    },
    status: pick(
      status,
      ['observedGeneration', 'lastScaleTime', 'currentReplicas', 'desiredReplicas', 'currentCPUUtilizationPercentage'],
      ['currentReplicas', 'desiredReplicas'],
    ),
  }
}

/** AutoscaleOptions creates HorizontalPodAutoscalers. */
export class AutoscaleOptions {
  args: string[] = []
  filenames: string[] = []
  recursive = false
  kustomize?: string
  name = ''
  min = -1
  max = -1
  cpuPercent = -1
  saveConfig = false
  dryRunFlag?: string
  output = ''
  template?: string
  showManagedFields = false
  fieldManager = 'kubectl-autoscale'

  dryRun: DryRun = 'none'
  private namespace = 'default'
  private builder?: Builder
  private rest?: () => Promise<RestClient>
  private f?: Factory

  constructor(readonly io: IOStreams) {}

  /** complete follows AutoscaleOptions.Complete. */
  async complete(f: Factory): Promise<void> {
    if (this.kustomize) throw new Error('mkctl does not support -k (kustomize)')
    this.dryRun = dryRunStrategy(this.dryRunFlag)
    this.namespace = (await f.namespace()).namespace
    this.f = f
    this.rest = () => f.restClient()
  }

  /** validate follows AutoscaleOptions.Validate. */
  validate(): void {
    if (this.max < 1) throw new Error(`--max=MAXPODS is required and must be at least 1, max: ${this.max}`)
    if (this.max < this.min) {
      throw new Error(`--max=MAXPODS must be larger or equal to --min=MINPODS, max: ${this.max}, min: ${this.min}`)
    }
  }

  // createHorizontalPodAutoscaler, in the Go struct's field order
  private hpa(info: {name: string; mapping: {group: string; version: string; kind: string}}): KubeObject {
    const spec: Record<string, unknown> = {
      scaleTargetRef: {kind: info.mapping.kind, name: info.name, apiVersion: apiVersionOf(info.mapping as never)},
    }
    if (this.min > 0) spec.minReplicas = this.min
    spec.maxReplicas = this.max
    if (this.cpuPercent >= 0) spec.targetCPUUtilizationPercentage = this.cpuPercent
    return {
      kind: 'HorizontalPodAutoscaler',
      apiVersion: 'autoscaling/v1',
      metadata: {name: this.name || info.name, creationTimestamp: null} as never,
      spec,
      status: {currentReplicas: 0, desiredReplicas: 0},
    } as KubeObject
  }

  private print(obj: KubeObject, operation: string): void {
    const typed = hpaV1Typed(obj)
    if (this.output.toLowerCase() === 'json') {
      // a typed object: Go's struct order, not the sorted keys of unstructured objects
      const {managedFields: _m, ...metadata} = typed.metadata as Record<string, unknown>
      const shown = this.showManagedFields ? typed : {...typed, metadata}
      this.io.out.write(JSON.stringify(shown, null, 4) + '\n')
      return
    }
    toPrinter(
      {
        output: this.output,
        template: this.template,
        showManagedFields: this.showManagedFields,
        operation: operation + dryRunSuffix(this.dryRun),
      },
      this.io.out,
    ).print(typed)
  }

  /** run creates an autoscaler for every object named. */
  async run(): Promise<void> {
    this.builder = await newBuilder(this.f!, this.io.in, {
      filenames: this.filenames,
      recursive: this.recursive,
      args: this.args,
    })
    await this.builder.resolve()
    const rest = await this.rest!()
    const errs: Error[] = []
    let count = 0
    for await (const item of this.builder.visit()) {
      if ('error' in item) {
        errs.push(item.error)
        continue
      }
      const info = item.info
      try {
        if (!info.source) await fetchInfo(rest, info)
        const m = info.mapping
        if (!m.subresources.some((s) => s.name === 'scale')) {
          const gvr = `${m.group}/${m.version}, Resource=${m.plural}`
          throw new Error(
            `cannot autoscale a ${m.kind}: could not find scale subresource for ${gvr} in discovery information`,
          )
        }
        const hpa = this.hpa(info)
        if (this.dryRun === 'client') {
          count++
          this.print(hpa, 'created')
          continue
        }
        // CreateOrUpdateAnnotation: --save-config records the object as it is sent
        if (this.saveConfig) {
          // the typed encoder: struct order, and the emptied annotations map is omitted
          const config = JSON.stringify(hpa) + '\n'
          hpa.metadata = {...hpa.metadata, annotations: {[LAST_APPLIED]: config}}
        }
        const created = await rest.post<KubeObject>(
          `/apis/autoscaling/v1/namespaces/${encodeURIComponent(this.namespace)}/horizontalpodautoscalers`,
          hpa,
          {query: {dryRun: this.dryRun === 'server' ? 'All' : undefined, fieldManager: this.fieldManager || undefined}},
        )
        count++
        this.print(created, 'autoscaled')
      } catch (e) {
        errs.push(e as Error)
      }
    }
    const err = finalError(errs)
    if (err) throw err
    if (count === 0) throw new Error('no objects passed to autoscale')
  }
}
