// metadata-edit.ts holds what `mkctl label` and `mkctl annotate` share (kubectl/pkg/cmd/label/label.go and
// annotate/annotate.go are near twins): splitting arguments into resources and KEY=VAL / KEY- pairs
// (cmdutil.GetResourcesAndPairs, ParsePairs), the resource walk (builder with Latest(): every object is fetched
// again before it is changed), the merge patch of the metadata change, `--list`, `--local -f` and the printing.
// It also holds the helpers other mutating verbs reuse: reading manifests without a server (`--local`), re-reading
// an object from the server (cli-runtime RetrieveLatest / RetrieveLazy) and IntoSingleItemImplied.
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {extname, join} from 'node:path'
import type {Readable} from 'node:stream'
import type {KubeObject} from '../../api/object.js'
import {createMergePatch} from '../../api/patch/index.js'
import {toJson} from '../../api/gojson.js'
import type {Factory} from '../client/factory.js'
import type {RestClient} from '../client/rest.js'
import type {IOStreams} from '../io.js'
import {toPrinter, type ResourcePrinter} from '../printers/index.js'
import {parseYamlDocuments} from '../printers/yaml.js'
import {
  Builder,
  FILE_EXTENSIONS,
  finalError,
  GoAggregate,
  newBuilder,
  resourcePath,
  splitDocuments,
  type Info,
} from '../resource/builder.js'
import {dryRunStrategy, dryRunSuffix, type DryRun} from '../resource/openapi.js'

/** getResourcesAndPairs splits args into resource arguments and the KEY=VAL / KEY- pairs after them. */
export function getResourcesAndPairs(args: string[], pairType: string): {resources: string[]; pairs: string[]} {
  const resources: string[] = []
  const pairs: string[] = []
  for (const s of args) {
    const isPair = (s.includes('=') && s[0] !== '=') || (s.endsWith('-') && s !== '-')
    if (isPair) pairs.push(s)
    else if (pairs.length === 0) resources.push(s)
    else throw new Error(`all resources must be specified before ${pairType} changes: ${s}`)
  }
  return {resources, pairs}
}

/** LABEL_VALUE_ERROR is apimachinery's IsValidLabelValue regex message. */
const LABEL_VALUE_ERROR =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"

// labelValueErrors follows validation.IsValidLabelValue: at most 63 characters of the label-value alphabet.
function labelValueErrors(v: string): string[] {
  const errs: string[] = []
  if (v.length > 63) errs.push('must be no more than 63 characters')
  if (!/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(v)) errs.push(LABEL_VALUE_ERROR)
  return errs
}

/** Pairs are the parsed metadata changes: keys to set, in argument order (the last value wins), and keys to drop. */
export interface Pairs {
  set: Map<string, string>
  remove: string[]
}

/** parseLabelPairs follows label.go parseLabels: one `=` only, valid values, no key both set and removed. */
export function parseLabelPairs(specs: string[]): Pairs {
  const set = new Map<string, string>()
  const remove: string[] = []
  for (const spec of specs) {
    if (spec.includes('=')) {
      const parts = spec.split('=')
      if (parts.length !== 2) throw new Error(`invalid label spec: ${spec}`)
      const errs = labelValueErrors(parts[1])
      if (errs.length > 0) throw new Error(`invalid label value: ${JSON.stringify(spec)}: ${errs.join(';')}`)
      set.set(parts[0], parts[1])
    } else if (spec.endsWith('-')) {
      remove.push(spec.slice(0, -1))
    } else {
      throw new Error(`unknown label spec: ${spec}`)
    }
  }
  if (remove.some((k) => set.has(k))) throw new Error('can not both modify and remove a label in the same command')
  return {set, remove}
}

/** parseAnnotationPairs follows cmdutil.ParsePairs(args, "annotation", true) and annotate.go validateAnnotations. */
export function parseAnnotationPairs(specs: string[]): Pairs {
  const set = new Map<string, string>()
  const remove: string[] = []
  const invalid: string[] = []
  for (const spec of specs) {
    if (spec.includes('=') && spec[0] !== '=') {
      const i = spec.indexOf('=')
      set.set(spec.slice(0, i), spec.slice(i + 1))
    } else if (spec.endsWith('-') && spec !== '-') {
      remove.push(spec.slice(0, -1))
    } else {
      invalid.push(spec)
    }
  }
  if (invalid.length > 0) throw new Error(`invalid annotation format: ${invalid.join(', ')}`)
  return {set, remove}
}

/**
 * singleItemImplied is cli-runtime's IntoSingleItemImplied: one file path (not a directory, not stdin), or exactly
 * one name or TYPE/NAME argument.
 */
export function singleItemImplied(args: string[], filenames: string[], selecting: boolean): boolean {
  if (filenames.length > 0) {
    if (filenames.length !== 1 || filenames[0] === '-') return false
    try {
      return !statSync(filenames[0]).isDirectory()
    } catch {
      return false
    }
  }
  if (selecting && !args.some((a) => a.includes('/'))) return false
  if (args.some((a) => a.includes('/'))) return args.length === 1
  if (args.length < 2) return false
  const types = args[0].split(',').filter(Boolean)
  return new Set(types).size * (args.length - 1) === 1
}

/** LocalInfo is an object read from a file without a server (`--local`). */
export interface LocalInfo {
  source: string
  object: KubeObject
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)))
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * readLocalObjects reads the objects of `-f` files without contacting a server, as the builder does with
 * LocalParam(true): no REST mapping, so no namespace defaulting; Lists are flattened.
 */
export async function readLocalObjects(
  filenames: string[],
  recursive: boolean,
  stdin: Readable,
): Promise<{infos: LocalInfo[]; error?: Error}> {
  const sources: {source: string; read: () => Promise<string>}[] = []
  const errs: Error[] = []
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name)
      if (statSync(p).isDirectory()) {
        if (recursive) walk(p)
      } else if (FILE_EXTENSIONS.includes(extname(p))) {
        sources.push({source: p, read: async () => readFileSync(p, 'utf8')})
      }
    }
  }
  for (const f of filenames) {
    if (f === '-') {
      sources.push({source: 'STDIN', read: () => readAll(stdin)})
      continue
    }
    let st
    try {
      st = statSync(f)
    } catch {
      errs.push(new Error(`the path "${f}" does not exist`))
      continue
    }
    if (st.isDirectory()) walk(f)
    else sources.push({source: f, read: async () => readFileSync(f, 'utf8')})
  }
  if (errs.length > 0) throw finalError([new GoAggregate(errs)])
  const infos: LocalInfo[] = []
  const fileErrs: Error[] = []
  const add = (doc: unknown, source: string) => {
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return
    const o = doc as KubeObject & {items?: unknown[]}
    if (typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items)) {
      for (const item of o.items) add(item, source)
      return
    }
    if (!o.kind) {
      fileErrs.push(new Error(`unable to decode "${source}": Object 'Kind' is missing in '${toJson(doc, '')}'`))
      return
    }
    infos.push({source, object: o})
  }
  for (const s of sources) {
    try {
      const text = await s.read()
      for (const chunk of splitDocuments(text)) {
        const docs = chunk.json ? [JSON.parse(chunk.text)] : parseYamlDocuments(chunk.text)
        for (const d of docs) add(d, s.source)
      }
    } catch (e) {
      fileErrs.push(new Error(`error parsing ${s.source}: ${(e as Error).message}`))
    }
  }
  return {infos, error: fileErrs.length > 0 ? finalError([new GoAggregate(fileErrs)]) : undefined}
}

/**
 * fetchInfo GETs an Info's object from the server (cli-runtime Info.Get, as RetrieveLatest and RetrieveLazy use it),
 * from the subresource when one is given; the fetched object replaces info.object.
 */
export async function fetchInfo(rest: RestClient, info: Info, subresource = ''): Promise<KubeObject> {
  if (!info.name) return info.object
  if (info.mapping.namespaced && !info.namespace) {
    throw new Error(`no namespace set on resource ${info.mapping.plural}.${info.mapping.group} "${info.name}"`)
  }
  const path = resourcePath(info.mapping, info.namespace, info.name) + (subresource ? `/${subresource}` : '')
  info.object = await rest.get<KubeObject>(path)
  return info.object
}

/** MetadataField says which map of metadata a MetadataEditOptions changes. */
export type MetadataField = 'labels' | 'annotations'

/** CHANGE_CAUSE is the annotation `--record` writes; annotate may always overwrite it. */
const CHANGE_CAUSE = 'kubernetes.io/change-cause'

/**
 * MetadataEditOptions is the behaviour label and annotate share; subclasses supply argument parsing, validation
 * order and wording (LabelOptions, AnnotateOptions).
 */
export abstract class MetadataEditOptions {
  args: string[] = []
  filenames: string[] = []
  recursive = false
  kustomize?: string
  selector?: string
  fieldSelector?: string
  all = false
  allNamespaces = false
  overwrite = false
  list = false
  local = false
  resourceVersion = ''
  dryRunFlag?: string
  output = ''
  template?: string
  showManagedFields = false
  fieldManager = ''

  dryRun: DryRun = 'none'
  resources: string[] = []
  pairs: Pairs = {set: new Map(), remove: []}
  protected namespace = 'default'
  protected builder?: Builder
  protected rest?: () => Promise<RestClient>
  protected f?: Factory

  constructor(readonly io: IOStreams) {}

  /** field is the metadata map changed: labels or annotations. */
  abstract readonly field: MetadataField
  /** noun is the word of kubectl's messages: label or annotation. */
  abstract readonly noun: string

  /** complete parses arguments and flags, checks them in kubectl's order, and resolves the namespace. */
  abstract complete(f: Factory): Promise<void>

  /** update changes obj's map as the command asks; it throws when --overwrite is needed. */
  protected abstract update(obj: KubeObject): void

  /** operation is the word printed after the object (`labeled`, `not labeled`, `annotated`). */
  protected abstract operation(oldJson: string, newJson: string): string

  /** printsServerObject tells whether the printed object is the server's answer (annotate) or the local one (label). */
  protected abstract readonly printsServerObject: boolean

  /** clearsVersionBeforeLocal tells whether --resource-version is cleared before local changes too (label). */
  protected abstract readonly clearsVersionAlways: boolean

  protected async resolveNamespace(f: Factory): Promise<void> {
    this.f = f
    try {
      this.namespace = (await f.namespace()).namespace
    } catch (e) {
      // kubectl tolerates an empty kubeconfig with --local (clientcmd.IsEmptyConfig)
      if (!this.local) throw e
    }
    this.rest = () => f.restClient()
  }

  protected parseDryRun(): void {
    this.dryRun = dryRunStrategy(this.dryRunFlag)
  }

  protected printer(operation: string): ResourcePrinter {
    return toPrinter(
      {
        output: this.output,
        template: this.template,
        showManagedFields: this.showManagedFields,
        operation: operation + dryRunSuffix(this.dryRun),
      },
      this.io.out,
    )
  }

  /** setMap applies the pairs to the object's map (labelFunc / updateAnnotations), keeping Go's empty-map result. */
  protected applyPairs(obj: KubeObject): void {
    const meta = (obj.metadata ??= {}) as Record<string, unknown>
    const current = {...((meta[this.field] as Record<string, string> | undefined) ?? {})}
    for (const [k, v] of this.pairs.set) current[k] = v
    for (const k of this.pairs.remove) delete current[k]
    meta[this.field] = current
    if (this.resourceVersion) meta.resourceVersion = this.resourceVersion
  }

  /** overwriteConflicts lists the keys that would change a different existing value. */
  protected overwriteConflicts(obj: KubeObject): {key: string; value: string}[] {
    const existing = ((obj.metadata as Record<string, unknown> | undefined)?.[this.field] ?? {}) as Record<
      string,
      string
    >
    const out: {key: string; value: string}[] = []
    for (const [k, v] of this.pairs.set) {
      if (this.field === 'annotations' && k === CHANGE_CAUSE) continue
      if (Object.hasOwn(existing, k) && existing[k] !== v) out.push({key: k, value: existing[k]})
    }
    return out
  }

  private single = false

  private async *objects(): AsyncGenerator<{info?: Info; local?: LocalInfo; error?: Error}> {
    if (this.local) {
      const {infos, error} = await readLocalObjects(this.filenames, this.recursive, this.io.in)
      for (const l of infos) yield {local: l}
      if (error) yield {error}
      return
    }
    const rest = await this.rest!()
    for await (const item of this.builder!.visit()) {
      if ('error' in item) {
        yield {error: item.error}
        continue
      }
      try {
        await fetchInfo(rest, item.info)
      } catch (e) {
        yield {error: e as Error}
        continue
      }
      yield {info: item.info}
    }
  }

  /** prepareBuilder builds the resource builder and throws its early errors (Builder.Do().Err()). */
  protected async prepareBuilder(): Promise<void> {
    const selecting =
      Boolean(this.selector) ||
      Boolean(this.fieldSelector) ||
      (this.all && this.resources.length === 1 && !this.resources[0].includes('/'))
    this.single = singleItemImplied(this.resources, this.filenames, selecting)
    if (this.local) return
    this.builder = await newBuilder(this.f!, this.io.in, {
      allNamespaces: this.allNamespaces,
      filenames: this.filenames,
      recursive: this.recursive,
      labelSelector: this.selector || (selecting && this.all ? '' : undefined),
      fieldSelector: this.fieldSelector || undefined,
      args: this.resources,
    })
    await this.builder.resolve()
  }

  /** run changes every object: locally (client dry run, --local, --list) or with a merge patch. */
  async run(): Promise<void> {
    await this.prepareBuilder()
    if (!this.single && this.resourceVersion) {
      throw new Error('--resource-version may only be used with a single resource')
    }
    const errs: Error[] = []
    for await (const item of this.objects()) {
      if (item.error) {
        errs.push(item.error)
        continue
      }
      try {
        await this.visit(item.info, item.local)
      } catch (e) {
        errs.push(e as Error)
      }
    }
    const err = finalError(errs)
    if (err) throw err
  }

  private async visit(info: Info | undefined, local: LocalInfo | undefined): Promise<void> {
    const obj = (info?.object ?? local!.object) as KubeObject
    const meta = (obj.metadata ??= {}) as Record<string, unknown>
    if (this.resourceVersion && this.clearsVersionAlways) delete meta.resourceVersion
    let outputObj: KubeObject
    let operation: string
    if (this.dryRun === 'client' || this.local || this.list) {
      const oldJson = toJson(obj, '')
      this.update(obj)
      operation = this.operation(oldJson, toJson(obj, ''))
      outputObj = obj
    } else {
      if (this.resourceVersion) delete meta.resourceVersion
      if (this.field === 'labels') {
        const existing = (meta.labels ?? {}) as Record<string, string>
        for (const k of this.pairs.remove) {
          if (!Object.hasOwn(existing, k)) this.io.out.write(`label ${JSON.stringify(k)} not found.\n`)
        }
      }
      const before = structuredClone(obj)
      const oldJson = toJson(obj, '')
      this.update(obj)
      const newJson = toJson(obj, '')
      operation = this.operation(oldJson, newJson)
      const patch = createMergePatch(before as never, structuredClone(obj) as never)
      const rest = await this.rest!()
      outputObj = await rest.patch<KubeObject>(
        resourcePath(info!.mapping, info!.namespace, info!.name),
        toJson(patch, ''),
        'application/merge-patch+json',
        {
          query: {dryRun: this.dryRun === 'server' ? 'All' : undefined, fieldManager: this.fieldManager || undefined},
        },
      )
    }
    if (this.list) {
      const m = ((outputObj.metadata as Record<string, unknown> | undefined)?.[this.field] ?? {}) as Record<
        string,
        string
      >
      let indent = ''
      if (!this.single) {
        indent = ' '
        const av = String(obj.apiVersion ?? '')
        const group = av.includes('/') ? av.slice(0, av.indexOf('/')) : ''
        const what = this.field === 'labels' ? 'labels' : 'annotations'
        this.io.out.write(`Listing ${what} for ${obj.kind}.${group}/${meta.name ?? ''}:\n`)
      }
      for (const [k, v] of Object.entries(m)) this.io.out.write(`${indent}${k}=${v}\n`)
      return
    }
    this.printer(operation).print(this.printsServerObject ? outputObj : obj)
  }
}
