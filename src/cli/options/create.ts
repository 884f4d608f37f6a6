// create.ts holds CreateOptions for `mkctl create -f` (kubectl/pkg/cmd/create/create.go RunCreate): every object of
// the manifests is POSTed as it is read; a failing object is reported and the next one is tried; the errors are
// printed together at the end and the exit code is 1.
import type {KubeObject} from '../../api/object.js'
import type {Factory} from '../client/factory.js'
import type {RestClient} from '../client/rest.js'
import type {IOStreams} from '../io.js'
import {toPrinter, type ResourcePrinter} from '../printers/index.js'
import {Builder, newBuilder, finalError, resourcePath} from '../resource/builder.js'
import {ManifestOptions, addSourceToErr, writeQuery} from '../resource/common.js'
import {createApplyAnnotation} from '../resource/last-applied.js'
import {
  dryRunStrategy,
  dryRunSuffix,
  newValidator,
  OpenApiV3,
  validationDirective,
  type DryRun,
} from '../resource/openapi.js'

/** CreateOptions creates the objects of manifest files. */
export class CreateOptions extends ManifestOptions {
  saveConfig = false
  fieldManager = 'kubectl-create'
  args: string[] = []

  dryRun: DryRun = 'none'
  directive = 'Strict'
  private builder?: Builder
  private printer?: ResourcePrinter
  private rest?: () => Promise<RestClient>

  constructor(readonly io: IOStreams) {
    super()
  }

  /** validate checks the flags that need no server (create.go Validate and the -f check of RunCreate). */
  validate(): void {
    if (this.kustomize) throw new Error('mkctl does not support -k (kustomize)')
    if (this.filenames.length === 0) throw new Error('must specify one of -f and -k')
    this.dryRun = dryRunStrategy(this.dryRunFlag)
    this.directive = validationDirective(this.validateFlag)
  }

  /** complete resolves the namespace, the builder and the printer. */
  async complete(f: Factory): Promise<void> {
    // Resolve the context first, so a kubeconfig error is reported before anything else.
    await f.namespace()
    this.rest = () => f.restClient()
    const openapi = new OpenApiV3(() => f.restClient())
    this.printer = toPrinter({output: this.output, operation: 'created' + dryRunSuffix(this.dryRun)}, this.io.out)
    this.builder = await newBuilder(f, this.io.in, {
      filenames: this.filenames,
      recursive: this.recursive,
      labelSelector: this.selector,
      validator: this.directive === 'Strict' ? newValidator(openapi) : undefined,
    })
  }

  /** run creates each object and prints it. */
  async run(): Promise<void> {
    const errs: Error[] = []
    let count = 0
    for await (const item of this.builder!.visit()) {
      if ('error' in item) {
        errs.push(item.error)
        continue
      }
      const info = item.info
      try {
        if (this.saveConfig) createApplyAnnotation(info.object)
        if (this.dryRun !== 'client') {
          const rest = await this.rest!()
          let created: KubeObject
          try {
            created = await rest.post<KubeObject>(resourcePath(info.mapping, info.namespace), info.object, {
              query: writeQuery({
                dryRun: this.dryRun,
                fieldManager: this.fieldManager,
                fieldValidation: this.directive,
              }),
            })
          } catch (e) {
            throw addSourceToErr('creating', info.source, e)
          }
          info.object = created
        }
        count++
        this.printer!.print(info.object)
      } catch (e) {
        errs.push(e as Error)
      }
    }
    const err = finalError(errs)
    if (err) throw err
    if (count === 0) throw new Error('no objects passed to create')
  }
}
