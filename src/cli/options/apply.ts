// apply.ts holds ApplyOptions for `mkctl apply -f` and its `view-last-applied` / `set-last-applied` subcommands
// (kubectl/pkg/cmd/apply/apply.go, patcher.go, prune.go, apply_view_last_applied.go, apply_set_last_applied.go).
// Client-side apply: GET the object; create it with the last-applied annotation when missing; otherwise send the
// three-way strategic merge patch of (last-applied, manifest, live) — a JSON merge patch for kinds without a
// strategic schema (custom resources) — or nothing at all when the patch is empty (`unchanged`).
import {isConflict, isNotFound, StatusError} from '../../api/errors.js'
import type {KubeObject} from '../../api/object.js'
import {createThreeWayJsonMergePatch, createThreeWayMergePatch, type PatchSchema} from '../../api/patch/index.js'
import type {ResourceInfo} from '../../api/resources.js'
import type {Factory} from '../client/factory.js'
import {klogHeader} from '../client/klog.js'
import type {RESTMapper} from '../client/mapper.js'
import type {RestClient} from '../client/rest.js'
import type {IOStreams} from '../io.js'
import {toPrinter, toYaml, type Sink} from '../printers/index.js'
import {toJson} from '../printers/json.js'
import {
  apiVersionOf,
  Builder,
  newBuilder,
  finalError,
  GoAggregate,
  resourcePath,
  type Info,
} from '../resource/builder.js'
import {ManifestOptions, addSourceToErr, writeQuery} from '../resource/common.js'
import {createApplyAnnotation, LAST_APPLIED, modifiedConfiguration} from '../resource/last-applied.js'
import {
  dryRunStrategy,
  dryRunSuffix,
  newValidator,
  OpenApiV3,
  validationDirective,
  type DryRun,
} from '../resource/openapi.js'

/** CONFLICT_HELP is what kubectl adds to a server-side apply conflict (apply.go). */
export const CONFLICT_HELP = `Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the \`--force-conflicts\` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their set).
  See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts`

/** PRUNE_RESOURCES are the kinds pruned by default (apply/prune.go defaultNamespacedPruneResources, then cluster ones). */
export const PRUNE_RESOURCES: {apiVersion: string; kind: string}[] = [
  {apiVersion: 'v1', kind: 'ConfigMap'},
  {apiVersion: 'v1', kind: 'Endpoints'},
  {apiVersion: 'v1', kind: 'PersistentVolumeClaim'},
  {apiVersion: 'v1', kind: 'Pod'},
  {apiVersion: 'v1', kind: 'ReplicationController'},
  {apiVersion: 'v1', kind: 'Secret'},
  {apiVersion: 'v1', kind: 'Service'},
  {apiVersion: 'batch/v1', kind: 'Job'},
  {apiVersion: 'batch/v1', kind: 'CronJob'},
  {apiVersion: 'networking.k8s.io/v1', kind: 'Ingress'},
  {apiVersion: 'apps/v1', kind: 'DaemonSet'},
  {apiVersion: 'apps/v1', kind: 'Deployment'},
  {apiVersion: 'apps/v1', kind: 'ReplicaSet'},
  {apiVersion: 'apps/v1', kind: 'StatefulSet'},
  {apiVersion: 'v1', kind: 'Namespace'},
  {apiVersion: 'v1', kind: 'PersistentVolume'},
]

/** objectName is Info.ObjectName(): `deployments/web`. */
function objectName(info: Info): string {
  return `${info.mapping.plural}/${info.name}`
}

/** infoString is Info.String(), used in kubectl's patch error text. */
function infoString(info: Info): string {
  const m = info.mapping
  return `Resource: "${m.group}/${m.version}, Resource=${m.plural}", GroupVersionKind: "${m.group}/${m.version}, Kind=${m.kind}"\nName: "${info.name}", Namespace: "${info.namespace}"`
}

/**
 * printList prints several applied objects as kubectl does: a typed corev1.List, so JSON keeps the struct's field
 * order (kind, apiVersion, metadata, items) while YAML, converted from JSON by sigs.k8s.io/yaml, sorts keys.
 */
function printList(items: KubeObject[], output: string, out: Sink): void {
  if (output.toLowerCase() !== 'json') {
    toPrinter({output}, out).print({apiVersion: 'v1', items, kind: 'List', metadata: {}})
    return
  }
  const body = toJson(items).replace(/\n/g, '\n    ')
  out.write(`{\n    "kind": "List",\n    "apiVersion": "v1",\n    "metadata": {},\n    "items": ${body}\n}\n`)
}

/** ApplyOptions applies manifests to the cluster. */
export class ApplyOptions extends ManifestOptions {
  serverSide = false
  forceConflicts = false
  fieldManager?: string
  prune = false
  all = false
  overwrite = true
  /** cmdBaseName is the program name used in the missing-annotation warning. */
  cmdBaseName = 'mkctl'

  dryRun: DryRun = 'none'
  directive = 'Strict'
  private builder?: Builder
  private rest?: () => Promise<RestClient>
  private mapper?: () => Promise<RESTMapper>
  private openapi?: OpenApiV3
  private visitedUids = new Set<string>()
  private visitedNamespaces = new Set<string>()

  constructor(readonly io: IOStreams) {
    super()
  }

  /** validate checks flag combinations (apply.go Validate). */
  validate(): void {
    if (this.kustomize) throw new Error('mkctl does not support -k (kustomize)')
    if (this.filenames.length === 0) throw new Error('must specify one of -f and -k')
    this.dryRun = dryRunStrategy(this.dryRunFlag)
    this.directive = validationDirective(this.validateFlag)
    if (this.forceConflicts && !this.serverSide) throw new Error('--force-conflicts only works with --server-side')
    if (this.dryRun === 'client' && this.serverSide) {
      throw new Error("--dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)")
    }
    if (this.all && this.selector) throw new Error('cannot set --all and --selector at the same time')
    if (this.prune && !this.all && !this.selector) {
      throw new Error(
        'all resources selected for prune without explicitly passing --all. To prune all resources, pass the --all flag. If you did not mean to prune all resources, specify a label selector',
      )
    }
    if (this.output !== '' && !['json', 'yaml', 'name'].includes(this.output.toLowerCase())) {
      // let the printer chain word the error
      toPrinter({output: this.output}, this.io.out)
    }
  }

  /** complete resolves the namespace, clients and builder. */
  async complete(f: Factory): Promise<void> {
    // Resolve the context first, so a kubeconfig error is reported before anything else.
    await f.namespace()
    this.rest = () => f.restClient()
    this.mapper = () => f.mapper()
    this.openapi = new OpenApiV3(() => f.restClient())
    this.fieldManager ??= this.serverSide ? 'kubectl' : 'kubectl-client-side-apply'
    this.builder = await newBuilder(f, this.io.in, {
      filenames: this.filenames,
      recursive: this.recursive,
      labelSelector: this.selector,
      validator: this.directive === 'Strict' ? newValidator(this.openapi) : undefined,
    })
  }

  private shouldPrintObject(): boolean {
    return this.output !== '' && this.output !== 'name'
  }

  private print(obj: unknown, operation: string): void {
    toPrinter({output: this.output, operation: operation + dryRunSuffix(this.dryRun)}, this.io.out).print(obj)
  }

  /** run applies every object, then prints objects (-o json|yaml) and prunes (--prune). */
  async run(): Promise<void> {
    const errs: Error[] = []
    const {infos, error} = await this.builder!.infos()
    if (error) errs.push(error)
    if (infos.length === 0 && errs.length === 0) throw new Error('no objects passed to apply')
    for (const info of infos) {
      try {
        await this.applyOne(info)
      } catch (e) {
        errs.push(e as Error)
      }
    }
    const err = finalError(errs)
    if (err) throw err
    if (this.shouldPrintObject() && infos.length > 0) {
      if (infos.length === 1) toPrinter({output: this.output}, this.io.out).print(infos[0].object)
      else
        printList(
          infos.map((i) => i.object),
          this.output,
          this.io.out,
        )
    }
    if (this.prune) await this.runPrune()
  }

  private markVisited(info: Info): void {
    if (info.namespace) this.visitedNamespaces.add(info.namespace)
    this.visitedUids.add(info.object.metadata?.uid ?? '')
  }

  private async applyOne(info: Info): Promise<void> {
    if (info.namespace) this.visitedNamespaces.add(info.namespace)
    if (!info.name && info.object.metadata?.generateName) {
      throw new Error(`from ${info.object.metadata.generateName}: cannot use generate name with apply`)
    }
    const rest = await this.rest!()
    const itemPath = resourcePath(info.mapping, info.namespace, info.name)
    if (this.serverSide) {
      let obj: KubeObject
      try {
        obj = await rest.patch<KubeObject>(itemPath, toJson(info.object, '') + '\n', 'application/apply-patch+yaml', {
          query: writeQuery({
            dryRun: this.dryRun,
            fieldManager: this.fieldManager,
            fieldValidation: this.directive,
            force: this.forceConflicts,
          }),
        })
      } catch (e) {
        if (isConflict(e)) throw new Error(`${(e as Error).message}\n${CONFLICT_HELP}`, {cause: e})
        throw e
      }
      info.object = obj
      this.warnIfDeleting(obj)
      this.markVisited(info)
      if (!this.shouldPrintObject()) this.print(obj, 'serverside-applied')
      return
    }

    const modified = modifiedConfiguration(info.object, true)
    let live: KubeObject
    try {
      live = await rest.get<KubeObject>(itemPath)
    } catch (e) {
      if (!isNotFound(e)) {
        throw addSourceToErr(
          `retrieving current configuration of:\n${infoString(info)}\nfrom server for:`,
          info.source,
          e,
        )
      }
      createApplyAnnotation(info.object)
      if (this.dryRun !== 'client') {
        try {
          info.object = await rest.post<KubeObject>(resourcePath(info.mapping, info.namespace), info.object, {
            query: writeQuery({dryRun: this.dryRun, fieldManager: this.fieldManager, fieldValidation: this.directive}),
          })
        } catch (e2) {
          throw addSourceToErr('creating', info.source, e2)
        }
      }
      this.markVisited(info)
      if (!this.shouldPrintObject()) this.print(info.object, 'created')
      return
    }
    info.object = live
    this.markVisited(info)
    if (this.dryRun !== 'client') {
      if (!(LAST_APPLIED in (live.metadata?.annotations ?? {}))) {
        this.io.errOut.write(
          `Warning: resource ${objectName(info)} is missing the ${LAST_APPLIED} annotation which is required by ${this.cmdBaseName} apply. ${this.cmdBaseName} apply should only be used on resources created declaratively by either ${this.cmdBaseName} create --save-config or ${this.cmdBaseName} apply. The missing annotation will be patched automatically.\n`,
        )
      }
      const schema = await this.openapi!.patchSchema({
        group: info.mapping.group,
        version: info.mapping.version,
        kind: info.mapping.kind,
      })
      const {patch, object} = await this.patchWithRetry(rest, info, itemPath, modified, live, schema)
      info.object = object
      this.warnIfDeleting(object)
      if (Object.keys(patch).length === 0 && !this.shouldPrintObject()) {
        this.print(object, 'unchanged')
        return
      }
    }
    if (!this.shouldPrintObject()) this.print(info.object, 'configured')
  }

  // patchWithRetry is Patcher.Patch: compute and send the patch, re-reading the object after a conflict (5 tries).
  private async patchWithRetry(
    rest: RestClient,
    info: Info,
    itemPath: string,
    modifiedText: string,
    live: KubeObject,
    schema: PatchSchema | undefined,
  ): Promise<{patch: Record<string, unknown>; object: KubeObject}> {
    let current = live
    for (let attempt = 1; ; attempt++) {
      const originalText = current.metadata?.annotations?.[LAST_APPLIED]
      const original = originalText ? (JSON.parse(originalText) as Record<string, unknown>) : undefined
      const modified = JSON.parse(modifiedText) as Record<string, unknown>
      const patch = schema
        ? createThreeWayMergePatch(original, modified, current as Record<string, unknown>, schema, {
            overwrite: this.overwrite,
          })
        : createThreeWayJsonMergePatch(original, modified, current as Record<string, unknown>)
      if (Object.keys(patch).length === 0) return {patch, object: current}
      try {
        const object = await rest.patch<KubeObject>(
          itemPath,
          toJson(patch, ''),
          schema ? 'application/strategic-merge-patch+json' : 'application/merge-patch+json',
          {query: writeQuery({dryRun: this.dryRun, fieldManager: this.fieldManager, fieldValidation: this.directive})},
        )
        return {patch, object}
      } catch (e) {
        if (isConflict(e) && attempt < 5) {
          current = await rest.get<KubeObject>(itemPath)
          continue
        }
        const patching = addSourceToErr('patching', info.source, e)
        throw addSourceToErr(
          `applying patch:\n${toJson(patch, '')}\nto:\n${infoString(info)}\nfor:`,
          info.source,
          patching,
        )
      }
    }
  }

  private warnIfDeleting(obj: KubeObject): void {
    if (obj.metadata?.deletionTimestamp) {
      this.io.errOut.write(
        `Warning: Detected changes to resource ${obj.metadata.name ?? ''} which is currently being deleted.\n`,
      )
    }
  }

  // runPrune deletes objects of the prunable kinds that carry the last-applied annotation, match the selector and
  // were not part of this apply (apply/prune.go).
  private async runPrune(): Promise<void> {
    const mapper = await this.mapper!()
    const rest = await this.rest!()
    const mappings: ResourceInfo[] = []
    for (const r of PRUNE_RESOURCES) {
      try {
        mappings.push(await mapper.kindFor(r.apiVersion, r.kind))
      } catch {
        // a kind the server does not serve is skipped
      }
    }
    // prune.GetRESTMappings warns whenever the default allowlist is used with a namespace (always, in practice)
    this.io.errOut.write(
      klogHeader('W', new Date(), process.pid, 'prune.go:71') +
        `Deprecated: ${this.cmdBaseName} apply will no longer prune non-namespaced resources by default when used with the --namespace flag in a future release. To preserve the current behaviour, list the resources you want to target explicitly in the --prune-allowlist flag.\n`,
    )
    const prune = async (m: ResourceInfo, namespace: string) => {
      const list = await rest.get<{items?: KubeObject[]}>(resourcePath(m, namespace), {
        query: {labelSelector: this.selector || undefined},
      })
      for (const item of list.items ?? []) {
        const obj: KubeObject = {...item, apiVersion: apiVersionOf(m), kind: m.kind}
        if (this.visitedUids.has(obj.metadata?.uid ?? '')) continue
        if (!(LAST_APPLIED in (obj.metadata?.annotations ?? {}))) continue
        if (this.dryRun !== 'client') {
          await rest.delete(resourcePath(m, obj.metadata?.namespace ?? '', obj.metadata?.name ?? ''), {
            body: {propagationPolicy: 'Background', ...(this.dryRun === 'server' ? {dryRun: ['All']} : {})},
            query: {dryRun: this.dryRun === 'server' ? 'All' : undefined},
          })
        }
        this.print(obj, 'pruned')
      }
    }
    for (const ns of [...this.visitedNamespaces].sort()) {
      for (const m of mappings.filter((x) => x.namespaced)) await prune(m, ns)
    }
    for (const m of mappings.filter((x) => !x.namespaced)) await prune(m, '')
  }
}

/** ViewLastAppliedOptions prints the last-applied configuration of objects (`apply view-last-applied`). */
export class ViewLastAppliedOptions {
  filenames: string[] = []
  recursive = false
  selector?: string
  all = false
  output = 'yaml'
  args: string[] = []
  private builder?: Builder
  private rest?: () => Promise<RestClient>

  constructor(readonly io: IOStreams) {}

  /** validate checks -o (apply_view_last_applied.go Validate). */
  validate(): void {
    if (this.output !== 'json' && this.output !== 'yaml') {
      throw new Error(`unexpected -o output mode: ${this.output}, the flag 'output' must be one of yaml|json`)
    }
  }

  /** complete builds the resource builder. */
  async complete(f: Factory): Promise<void> {
    // Resolve the context first, so a kubeconfig error is reported before anything else.
    await f.namespace()
    this.rest = () => f.restClient()
    this.builder = await newBuilder(f, this.io.in, {
      filenames: this.filenames,
      recursive: this.recursive,
      labelSelector: this.selector,
      selectAll: this.all,
      args: this.args,
    })
  }

  /** run fetches each object and prints its annotation as YAML or indented JSON. */
  async run(): Promise<void> {
    const rest = await this.rest!()
    const configs: string[] = []
    for await (const item of this.builder!.visit()) {
      if ('error' in item) throw item.error instanceof GoAggregate ? finalError([item.error])! : item.error
      const info = item.info
      const live = await rest.get<KubeObject>(resourcePath(info.mapping, info.namespace, info.name))
      const config = live.metadata?.annotations?.[LAST_APPLIED]
      if (config === undefined) {
        if (info.source) {
          throw new Error(
            `error when no last-applied-configuration annotation found on resource: ${info.name}\n "${info.source}": <nil>`,
          )
        }
        continue
      }
      configs.push(config)
    }
    for (const c of configs) {
      const parsed = JSON.parse(c) as unknown
      this.io.out.write(this.output === 'json' ? toJson(parsed, '  ') + '\n' : toYaml(parsed))
    }
  }
}

/** SetLastAppliedOptions sets the last-applied annotation to the contents of files (`apply set-last-applied`). */
export class SetLastAppliedOptions {
  filenames: string[] = []
  output = ''
  dryRunFlag?: string
  createAnnotation = false
  dryRun: DryRun = 'none'
  private builder?: Builder
  private rest?: () => Promise<RestClient>

  constructor(readonly io: IOStreams) {}

  /** validate parses --dry-run and checks -f. */
  validate(): void {
    if (this.filenames.length === 0) throw new Error('must specify one of -f and -k')
    this.dryRun = dryRunStrategy(this.dryRunFlag)
  }

  /** complete builds the resource builder. */
  async complete(f: Factory): Promise<void> {
    // Resolve the context first, so a kubeconfig error is reported before anything else.
    await f.namespace()
    this.rest = () => f.restClient()
    this.builder = await newBuilder(f, this.io.in, {
      filenames: this.filenames,
    })
  }

  /** run patches each object's annotation and prints `configured`. */
  async run(): Promise<void> {
    const {infos, error} = await this.builder!.infos()
    if (error) throw finalError([error])
    const rest = await this.rest!()
    for (const info of infos) {
      const path = resourcePath(info.mapping, info.namespace, info.name)
      let live: KubeObject
      try {
        live = await rest.get<KubeObject>(path)
      } catch (e) {
        throw e instanceof StatusError ? e : addSourceToErr('getting', info.source, e)
      }
      if (!(LAST_APPLIED in (live.metadata?.annotations ?? {})) && !this.createAnnotation) {
        throw new Error(
          `no last-applied-configuration annotation found on resource: ${info.name}, to create the annotation, run the command with --create-annotation`,
        )
      }
      // editor.GetApplyPatch: the file's object as JSON, without the encoder's newline and without `annotations: {}`
      const modified = toJson(info.object, '')
      if (this.dryRun !== 'client') {
        await rest.patch(path, {metadata: {annotations: {[LAST_APPLIED]: modified}}}, 'application/merge-patch+json', {
          query: {dryRun: this.dryRun === 'server' ? 'All' : undefined},
        })
      }
      toPrinter({output: this.output, operation: 'configured' + dryRunSuffix(this.dryRun)}, this.io.out).print(
        info.object,
      )
    }
  }
}
