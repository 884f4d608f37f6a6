// replace.ts holds ReplaceOptions for `mkctl replace` (kubectl/pkg/cmd/replace/replace.go): every object of the
// manifests is PUT over the live one (its resourceVersion taken from the server when the manifest has none, as
// cli-runtime Helper.Replace does). With --force the objects are deleted first (printed as delete prints them),
// each is polled every second until it is gone, then they are created again.
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {isNotFound} from '../../api/errors.js'
import type {KubeObject} from '../../api/object.js'
import type {Factory} from '../client/factory.js'
import {decodeError, type RestClient} from '../client/rest.js'
import type {IOStreams} from '../io.js'
import {toPrinter, type ResourcePrinter} from '../printers/index.js'
import {finalError, newBuilder, resourcePath, type Info} from '../resource/builder.js'
import {addSourceToErr, writeQuery} from '../resource/common.js'
import {createApplyAnnotation, originalConfiguration} from '../resource/last-applied.js'
import {
  dryRunStrategy,
  dryRunSuffix,
  newValidator,
  OpenApiV3,
  validationDirective,
  type DryRun,
} from '../resource/openapi.js'
import {cascadingStrategy, DeleteOptions} from './delete.js'
import type {Sleep} from './scale.js'

/** ReplaceOptions replaces resources from manifests. */
export class ReplaceOptions {
  filenames: string[] = []
  recursive = false
  kustomize?: string
  output = ''
  template?: string
  showManagedFields = false
  dryRunFlag?: string
  validateFlag?: string
  saveConfig = false
  fieldManager = 'kubectl-replace'
  subresource = ''
  raw = ''
  force = false
  gracePeriod = -1
  cascadeFlag = 'background'
  timeoutMs = 0
  wait = false
  sleep: Sleep = (ms) => new Promise((r) => setTimeout(r, ms))
  now: () => number = () => Date.now()

  dryRun: DryRun = 'none'
  directive = 'Strict'
  cascade: 'Background' | 'Foreground' | 'Orphan' = 'Background'
  private printer?: ResourcePrinter
  private f?: Factory

  constructor(readonly io: IOStreams) {}

  /** complete follows ReplaceOptions.Complete (the delete flags are converted as replace does). */
  async complete(f: Factory): Promise<void> {
    if (this.kustomize) throw new Error('mkctl does not support -k (kustomize)')
    this.directive = validationDirective(this.validateFlag)
    this.dryRun = dryRunStrategy(this.dryRunFlag)
    this.printer = toPrinter(
      {
        output: this.output,
        template: this.template,
        showManagedFields: this.showManagedFields,
        operation: 'replaced' + dryRunSuffix(this.dryRun),
      },
      this.io.out,
    )
    this.cascade = cascadingStrategy(this.cascadeFlag, (s) => this.io.errOut.write(s))
    // --grace-period=0 becomes 1 and a wait for the deletion, to prevent accidental data loss
    if (this.gracePeriod === 0) {
      this.gracePeriod = 1
      this.wait = true
    }
    if (this.filenames.length === 0) throw new Error('must specify one of -f and -k')
    await f.namespace()
    this.f = f
  }

  /** validate follows ReplaceOptions.Validate. */
  validate(): void {
    if (this.gracePeriod >= 0 && !this.force) throw new Error('--grace-period must have --force specified')
    if (this.timeoutMs !== 0 && !this.force) throw new Error('--timeout must have --force specified')
    if (this.force && this.dryRun !== 'none') throw new Error('--dry-run can not be used when --force is set')
    if (this.raw) {
      if (this.filenames.length !== 1) throw new Error('--raw can only use a single local file or stdin')
      if (/^https?:\/\//.test(this.filenames[0])) throw new Error('--raw cannot read from a url')
      if (this.recursive) throw new Error('--raw and --recursive are mutually exclusive')
      if (this.output) throw new Error('--raw and --output are mutually exclusive')
      if (!this.raw.startsWith('/')) {
        throw new Error(`--raw must be a valid URL path: parse ${JSON.stringify(this.raw)}: invalid URI for request`)
      }
    }
  }

  private builder(validate: boolean) {
    const openapi = new OpenApiV3(() => this.f!.restClient())
    return newBuilder(this.f!, this.io.in, {
      filenames: this.filenames,
      recursive: this.recursive,
      validator: validate && this.directive === 'Strict' ? newValidator(openapi) : undefined,
    })
  }

  // CreateOrUpdateAnnotation: --save-config sets the annotation; otherwise an existing one is kept up to date
  private annotate(obj: KubeObject): void {
    if (this.saveConfig || originalConfiguration(obj) !== undefined) createApplyAnnotation(obj)
  }

  private path(info: Info): string {
    return resourcePath(info.mapping, info.namespace, info.name) + (this.subresource ? `/${this.subresource}` : '')
  }

  /** run replaces the objects (or force-replaces, or PUTs --raw). */
  async run(): Promise<void> {
    const rest = await this.f!.restClient()
    if (this.raw) return this.rawPut(rest)
    if (this.force) return this.forceReplace(rest)
    const b = await this.builder(true)
    await b.resolve()
    const errs: Error[] = []
    for await (const item of b.visit()) {
      if ('error' in item) {
        errs.push(item.error)
        continue
      }
      const info = item.info
      try {
        this.annotate(info.object)
        if (this.dryRun === 'client') {
          this.printer!.print(info.object)
          continue
        }
        let replaced: KubeObject
        try {
          replaced = await this.put(rest, info)
        } catch (e) {
          throw addSourceToErr('replacing', info.source, e)
        }
        this.printer!.print(replaced)
      } catch (e) {
        errs.push(e as Error)
      }
    }
    const err = finalError(errs)
    if (err) throw err
  }

  // Helper.Replace(overwrite=true): without a resourceVersion, the server's is used (when the object exists)
  private async put(rest: RestClient, info: Info): Promise<KubeObject> {
    const meta = (info.object.metadata ??= {}) as Record<string, unknown>
    if (!meta.resourceVersion) {
      try {
        const live = await rest.get<KubeObject>(this.path(info))
        if (live.metadata?.resourceVersion) meta.resourceVersion = live.metadata.resourceVersion
      } catch {
        // the object does not exist: the PUT below says so
      }
    }
    return rest.put<KubeObject>(this.path(info), info.object, {
      query: writeQuery({dryRun: this.dryRun, fieldManager: this.fieldManager, fieldValidation: this.directive}),
    })
  }

  // rawhttp.RawPut: the file's bytes PUT to the raw path, the answer copied to stdout
  private async rawPut(rest: RestClient): Promise<void> {
    const f = this.filenames[0]
    const body = f === '-' ? await readStream(this.io.in) : readFileSync(f)
    const res = await rest.raw('PUT', this.raw, {body})
    if (res.status < 200 || res.status > 299) throw decodeError('PUT', this.raw, res)
    this.io.out.write(res.body)
  }

  private async forceReplace(rest: RestClient): Promise<void> {
    let tempDir: string | undefined
    try {
      // stdin is read twice (delete, then create): keep it in a file, as kubectl does
      if (this.filenames.includes('-')) {
        tempDir = mkdtempSync(join(tmpdir(), 'kubectl_replace_'))
        const tmp = join(tempDir, 'resource.stdin')
        writeFileSync(tmp, await readStream(this.io.in))
        this.filenames = this.filenames.map((n) => (n === '-' ? tmp : n))
      }
      const d = new DeleteOptions(this.io)
      d.filenames = this.filenames
      d.recursive = this.recursive
      d.ignoreNotFound = true
      d.gracePeriod = this.gracePeriod
      d.cascade = this.cascade
      d.wait = this.wait
      d.timeoutMs = this.timeoutMs
      d.output = this.output
      await d.complete(this.f!)
      await d.run()
      await this.waitGone(rest)
      await this.createAll(rest)
    } finally {
      if (tempDir) rmSync(tempDir, {recursive: true, force: true})
    }
  }

  // every object is polled every second until the server answers NotFound (5 minutes unless --timeout)
  private async waitGone(rest: RestClient): Promise<void> {
    const b = await this.builder(false)
    const timeout = this.timeoutMs === 0 ? 5 * 60_000 : this.timeoutMs
    const errs: Error[] = []
    for await (const item of b.visit()) {
      if ('error' in item) {
        errs.push(item.error)
        continue
      }
      const deadline = this.now() + timeout
      try {
        for (;;) {
          try {
            await rest.get(resourcePath(item.info.mapping, item.info.namespace, item.info.name))
          } catch (e) {
            if (isNotFound(e)) break
            throw e
          }
          if (this.now() + 1000 > deadline) throw new Error('context deadline exceeded')
          await this.sleep(1000)
        }
      } catch (e) {
        errs.push(e as Error)
      }
    }
    const err = finalError(errs)
    if (err) throw err
  }

  private async createAll(rest: RestClient): Promise<void> {
    const b = await this.builder(true)
    const errs: Error[] = []
    let count = 0
    for await (const item of b.visit()) {
      if ('error' in item) {
        errs.push(item.error)
        continue
      }
      const info = item.info
      try {
        this.annotate(info.object)
        // Helper.Create(modify=true) drops the resourceVersion
        const meta = (info.object.metadata ??= {}) as Record<string, unknown>
        if (meta.resourceVersion) delete meta.resourceVersion
        const created = await rest.post<KubeObject>(resourcePath(info.mapping, info.namespace), info.object, {
          query: writeQuery({dryRun: 'none', fieldManager: this.fieldManager, fieldValidation: this.directive}),
        })
        count++
        this.printer!.print(created)
      } catch (e) {
        errs.push(e as Error)
      }
    }
    const err = finalError(errs)
    if (err) throw err
    if (count === 0) throw new Error('no objects passed to replace')
  }
}

async function readStream(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)))
  return Buffer.concat(chunks)
}
