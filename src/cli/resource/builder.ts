// builder.ts turns what a user names on the command line into the objects a command works on: manifests from
// `-f FILE|DIR|-` (with -R), resource arguments (`TYPE NAME...`, `TYPE/NAME`, `TYPE1,TYPE2`) and selectors
// (`-l`, `--field-selector`, `--all`). A simplified cli-runtime pkg/resource Builder (builder.go, visitor.go,
// mapper.go): documents are visited as a stream, so a command acts on the first documents of a file before it meets
// a syntax error further down, exactly as kubectl does; per-object errors do not stop the stream, per-file errors
// (syntax, validation) stop only that file and are reported last, as an aggregate, like EagerVisitorList.
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {extname, join} from 'node:path'
import type {Readable} from 'node:stream'
import {parseSelector} from '../../api/labels.js'
import type {KubeObject} from '../../api/object.js'
import type {ResourceInfo} from '../../api/resources.js'
import {MultiError} from '../errors.js'
import {enhanceListError} from '../options/list-error.js'
import {toJson} from '../printers/json.js'
import {parseYamlDocuments} from '../printers/yaml.js'
import type {RestClient} from '../client/rest.js'

/** Info is one object a command works on (cli-runtime resource.Info). */
export interface Info {
  /** source is the file the object came from (`STDIN` for -f -), '' for objects named by arguments. */
  source: string
  /** index counts the objects of the whole visit, from 0. */
  index: number
  /** object is the manifest (files), the listed object (selectors) or a stub with apiVersion/kind/name (names). */
  object: KubeObject
  mapping: ResourceInfo
  /** namespace is the object's namespace after defaulting; '' for cluster-scoped resources. */
  namespace: string
  name: string
}

/** VisitItem is what a visit yields: an object, an error about one object, or an error that ended a file. */
export type VisitItem = {info: Info} | {error: Error; fileError?: boolean}

/** GoAggregate is utilerrors.Aggregate: its message is the one error's, or `[a, b]` (duplicates dropped). */
export class GoAggregate extends Error {
  constructor(readonly errors: Error[]) {
    const msgs = [...new Set(errors.map((e) => e.message))]
    super(errors.length === 1 ? errors[0].message : msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`)
    this.name = 'GoAggregate'
  }
}

/**
 * finalError is what a command returns after collecting errs, as kubectl's checkErr sees it: nothing, the one error
 * (an aggregate of one unwrapped), or a MultiError printing one line per error.
 */
export function finalError(errs: Error[]): Error | undefined {
  if (errs.length === 0) return undefined
  if (errs.length === 1) {
    const e = errs[0]
    if (e instanceof GoAggregate) return e.errors.length === 1 ? e.errors[0] : new MultiError(e.errors)
    return e
  }
  return new MultiError(errs)
}

/** MISSING_RESOURCE_MESSAGE is cli-runtime's missingResourceError text. */
export const MISSING_RESOURCE_MESSAGE = `You must provide one or more resources by argument or filename.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'
   '<resource> <name>'
   '<resource>'`

/** FILE_EXTENSIONS are the files read from a directory (resource.FileExtensions). */
export const FILE_EXTENSIONS = ['.json', '.yaml', '.yml']

/** resourcePath is the REST path of a resource collection, or of one object when name is given. */
export function resourcePath(m: ResourceInfo, namespace: string, name?: string): string {
  const base = m.group ? `/apis/${m.group}/${m.version}` : `/api/${m.version}`
  const ns = m.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ''
  return `${base}${ns}/${m.plural}${name !== undefined ? '/' + encodeURIComponent(name) : ''}`
}

/** apiVersionOf renders a mapping's group/version as an apiVersion. */
export function apiVersionOf(m: ResourceInfo): string {
  return m.group ? `${m.group}/${m.version}` : m.version
}

/** kindString is `deployment.apps` or `pod`: how delete and errors name a kind. */
export function kindString(m: ResourceInfo): string {
  return m.group ? `${m.kind.toLowerCase()}.${m.group}` : m.kind.toLowerCase()
}

/** MapperLike is what the builder needs from the REST mapper. */
export interface MapperLike {
  kindFor(apiVersion: string, kind: string): Promise<ResourceInfo>
  expand(arg: string): Promise<ResourceInfo[]>
  resourceFor(arg: string): Promise<ResourceInfo>
}

/** Validator checks one decoded document before it is mapped; it throws with the reason (see openapi.ts). */
export type Validator = (doc: unknown) => Promise<void>

/** BuilderOptions configure a Builder. */
export interface BuilderOptions {
  mapper: () => Promise<MapperLike>
  /** namespace is the command's namespace (-n or the context's); enforceNamespace is true when -n was given. */
  namespace: string
  enforceNamespace: boolean
  /** allNamespaces lists across namespaces (-A). */
  allNamespaces?: boolean
  filenames?: string[]
  recursive?: boolean
  /** labelSelector filters file objects and selects listed objects; fieldSelector only the latter. */
  labelSelector?: string
  fieldSelector?: string
  /** selectAll is --all: every object of the resource types. */
  selectAll?: boolean
  /** args are the resource arguments (`pods web`, `deploy/web`). */
  args?: string[]
  stdin?: Readable
  validator?: Validator
  /** rest lists objects for selectors (required when args select by label or --all). */
  rest?: () => Promise<RestClient>
  /** latest makes file objects be fetched from the server (kubectl's `Latest()`, unused here). */
  readFile?: (path: string) => string
}

interface FileSource {
  source: string
  read: () => Promise<string>
}

type Plan =
  | {kind: 'files'; files: FileSource[]}
  | {kind: 'selector'; types: string[]}
  | {kind: 'tuples'; tuples: {resource: string; name: string}[]}
  | {kind: 'names'; type: string; names: string[]}

function splitResourceArgument(arg: string): string[] {
  const out: string[] = []
  for (const s of arg.split(',')) if (s && !out.includes(s)) out.push(s)
  return out
}

/** BuilderFactory is the part of the CLI's Factory a Builder needs. */
export interface BuilderFactory {
  namespace(): Promise<{namespace: string; explicit: boolean}>
  mapper(): Promise<MapperLike>
  restClient(): Promise<RestClient>
}

/** FactoryWiredOptions are the Builder options newBuilder takes from the Factory and the command's stdin. */
type FactoryWiredOptions = 'mapper' | 'namespace' | 'enforceNamespace' | 'stdin' | 'rest'

/**
 * newBuilder returns a prepared Builder wired to a Factory (its mapper, REST client and namespace, enforced when -n
 * was given) and to stdin for `-f -`; prepare() throws kubectl's early errors.
 */
export async function newBuilder(
  f: BuilderFactory,
  stdin: Readable,
  opts: Omit<BuilderOptions, FactoryWiredOptions>,
): Promise<Builder> {
  const {namespace, explicit} = await f.namespace()
  const b = new Builder({
    ...opts,
    mapper: () => f.mapper(),
    namespace,
    enforceNamespace: explicit,
    stdin,
    rest: () => f.restClient(),
  })
  b.prepare()
  return b
}

/** Builder resolves files, arguments and selectors to Infos (cli-runtime resource.Builder). */
export class Builder {
  private plan?: Plan
  private errs: Error[] = []
  private index = 0

  constructor(readonly opts: BuilderOptions) {}

  /**
   * prepare checks the request as Builder.Do() does and throws what kubectl's `r.Err()` returns: missing paths,
   * malformed arguments, `You must provide one or more resources...`.
   */
  prepare(): void {
    const o = this.opts
    const filenames = o.filenames ?? []
    const files: FileSource[] = []
    for (const f of filenames) {
      if (f === '-') {
        files.push({source: 'STDIN', read: () => readAll(o.stdin)})
        continue
      }
      if (/^https?:\/\//.test(f)) {
        this.errs.push(new Error(`error reading "${f}": reading manifests from URLs is not supported by mkctl`))
        continue
      }
      let st
      try {
        st = statSync(f)
      } catch {
        this.errs.push(new Error(`the path "${f}" does not exist`))
        continue
      }
      if (st.isDirectory()) files.push(...expandDir(f, Boolean(o.recursive), o.readFile))
      else files.push({source: f, read: async () => (o.readFile ?? ((p) => readFileSync(p, 'utf8')))(f)})
    }
    // SelectAllParam
    if (o.selectAll && (o.labelSelector !== undefined || o.fieldSelector !== undefined)) {
      this.errs.push(new Error("setting 'all' parameter but found a non empty selector. "))
    }
    // ResourceTypeOrNameArgs
    let args = [...(o.args ?? [])]
    const tuples: {resource: string; name: string}[] = []
    let types: string[] = []
    let names: string[] = []
    if (args.length >= 2) {
      const rs = splitResourceArgument(args[0])
      if (rs.length > 1) args = rs.flatMap((r) => args.slice(1).map((n) => `${r}/${n}`))
    }
    const slashed = args.filter((a) => a.includes('/')).length
    if (slashed > 0 && slashed !== args.length) {
      this.errs.push(
        new Error(
          "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'mkctl get resource/<resource_name>' instead of 'mkctl get resource resource/<resource_name>'",
        ),
      )
    } else if (slashed > 0) {
      for (const a of args) {
        const seg = a.split('/')
        if (seg.length !== 2) {
          this.errs.push(new Error('arguments in resource/name form may not have more than one slash'))
          break
        }
        if (!seg[0] || !seg[1] || splitResourceArgument(seg[0]).length !== 1) {
          this.errs.push(new Error('arguments in resource/name form must have a single resource and name'))
          break
        }
        tuples.push({resource: seg[0], name: seg[1]})
      }
    } else if (args.length > 0) {
      types = splitResourceArgument(args[0])
      names = args.slice(1)
    }
    if (this.errs.length > 0) throw finalError([new GoAggregate(this.errs)])
    const selecting = o.selectAll || o.labelSelector !== undefined || o.fieldSelector !== undefined
    if (filenames.length > 0) {
      if (types.length > 0)
        throw new Error(
          'when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well',
        )
      if (tuples.length > 0) throw new Error('resource/name arguments cannot be provided when a path is specified')
      this.plan = {kind: 'files', files}
      return
    }
    if (selecting) {
      if (names.length > 0) throw new Error('name cannot be provided when a selector is specified')
      if (tuples.length > 0)
        throw new Error('selectors and the all flag cannot be used when passing resource/name arguments')
      if (types.length === 0) throw new Error('at least one resource must be specified to use a selector')
      this.plan = {kind: 'selector', types}
      return
    }
    if (tuples.length > 0) {
      this.plan = {kind: 'tuples', tuples}
      return
    }
    if (names.length > 0) {
      if (types.length > 1) throw new Error('you must specify only one resource')
      this.plan = {kind: 'names', type: types[0], names}
      return
    }
    if (types.length > 0) {
      this.plan = {kind: 'selector', types: []}
      this.pendingTypes = types
      return
    }
    throw new Error(MISSING_RESOURCE_MESSAGE)
  }

  private pendingTypes?: string[]

  /** resolve finishes what prepare() could not check offline (resource types given without names). */
  async resolve(): Promise<void> {
    if (!this.plan) this.prepare()
    if (this.pendingTypes) {
      const m = await this.opts.mapper()
      for (const t of this.pendingTypes) await m.expand(t)
      throw new Error('resource(s) were provided, but no name was specified')
    }
  }

  /** visit yields the objects in order, with errors about single objects or whole files in between. */
  async *visit(): AsyncGenerator<VisitItem> {
    await this.resolve()
    const plan = this.plan!
    switch (plan.kind) {
      case 'files': {
        const fileErrs: Error[] = []
        for (const f of plan.files) {
          for await (const item of this.visitFile(f)) {
            if ('error' in item && item.fileError) fileErrs.push(item.error)
            else yield item
          }
        }
        if (fileErrs.length > 0) yield {error: new GoAggregate(fileErrs), fileError: true}
        return
      }
      case 'names': {
        const mapper = await this.opts.mapper()
        const m = await mapper.resourceFor(plan.type)
        const ns = this.namespaceFor(m)
        for (const name of plan.names) yield {info: this.stub(m, ns, name)}
        return
      }
      case 'tuples': {
        const mapper = await this.opts.mapper()
        for (const t of plan.tuples) {
          const m = await mapper.resourceFor(t.resource)
          yield {info: this.stub(m, this.namespaceFor(m), t.name)}
        }
        return
      }
      case 'selector': {
        const mapper = await this.opts.mapper()
        const mappings: ResourceInfo[] = []
        for (const t of plan.types) {
          for (const m of await mapper.expand(t)) {
            if (!mappings.some((x) => x.group === m.group && x.plural === m.plural)) mappings.push(m)
          }
        }
        const rest = await this.opts.rest!()
        const listErrs: Error[] = []
        for (const m of mappings) {
          const ns = m.namespaced && !this.opts.allNamespaces ? this.opts.namespace : ''
          let list: {items?: KubeObject[]}
          try {
            list = await rest.get(resourcePath(m, ns), {
              query: {
                labelSelector: this.opts.labelSelector || undefined,
                fieldSelector: this.opts.fieldSelector || undefined,
              },
            })
          } catch (e) {
            listErrs.push(enhanceListError(e, m, this.opts.labelSelector ?? '', this.opts.fieldSelector ?? '') as Error)
            continue
          }
          for (const item of list.items ?? []) {
            const obj: KubeObject = {apiVersion: apiVersionOf(m), kind: m.kind, ...item}
            const info: Info = {
              source: '',
              index: this.index++,
              object: obj,
              mapping: m,
              namespace: m.namespaced ? (obj.metadata?.namespace ?? '') : '',
              name: obj.metadata?.name ?? '',
            }
            yield {info}
          }
        }
        if (listErrs.length > 0) yield {error: new GoAggregate(listErrs), fileError: true}
        return
      }
    }
  }

  /** infos collects a whole visit (Result.Infos): the objects, and the errors as one error (or undefined). */
  async infos(): Promise<{infos: Info[]; error?: Error}> {
    const infos: Info[] = []
    const errs: Error[] = []
    for await (const item of this.visit()) {
      if ('info' in item) infos.push(item.info)
      else errs.push(item.error)
    }
    return {infos, error: errs.length === 0 ? undefined : errs.length === 1 ? errs[0] : new GoAggregate(errs)}
  }

  private namespaceFor(m: ResourceInfo): string {
    if (!m.namespaced) return ''
    if (!this.opts.namespace) {
      throw new Error(
        this.opts.allNamespaces
          ? 'a resource cannot be retrieved by name across all namespaces'
          : 'namespace may not be empty when retrieving a resource by name',
      )
    }
    return this.opts.namespace
  }

  private stub(m: ResourceInfo, namespace: string, name: string): Info {
    const metadata: Record<string, string> = {name}
    if (namespace) metadata.namespace = namespace
    return {
      source: '',
      index: this.index++,
      object: {apiVersion: apiVersionOf(m), kind: m.kind, metadata},
      mapping: m,
      namespace,
      name,
    }
  }

  private async *visitFile(f: FileSource): AsyncGenerator<VisitItem> {
    let text: string
    try {
      text = await f.read()
    } catch (e) {
      yield {error: new Error(`error reading "${f.source}": ${(e as Error).message}`), fileError: true}
      return
    }
    const selector = this.opts.labelSelector ? parseSelector(this.opts.labelSelector) : undefined
    for (const chunk of splitDocuments(text)) {
      let docs: unknown[]
      try {
        docs = chunk.json ? parseJsonStream(chunk.text) : parseYamlDocuments(chunk.text)
      } catch (e) {
        yield {error: new Error(`error parsing ${f.source}: ${(e as Error).message}`), fileError: true}
        return
      }
      for (const doc of docs) {
        if (doc === null || doc === undefined) continue
        if (this.opts.validator) {
          try {
            await this.opts.validator(doc)
          } catch (e) {
            yield {error: new Error(`error validating "${f.source}": ${(e as Error).message}`), fileError: true}
            return
          }
        }
        for (const item of await this.decode(doc, f.source)) {
          if ('info' in item && selector && !selector.matches(item.info.object.metadata?.labels ?? {})) continue
          if ('info' in item) {
            const err = this.decorate(item.info)
            if (err) {
              yield {error: err}
              continue
            }
          }
          yield item
        }
      }
    }
  }

  // decode maps one document to Infos (a List becomes its items: FlattenListVisitor), as mapper.infoForData does.
  private async decode(doc: unknown, source: string): Promise<VisitItem[]> {
    if (!isObject(doc)) {
      return [
        {
          error: new Error(
            `unable to decode "${source}": json: cannot unmarshal ${goType(doc)} into Go value of type map[string]interface {}`,
          ),
        },
      ]
    }
    const kind = typeof doc.kind === 'string' ? doc.kind : ''
    if (!kind)
      return [{error: new Error(`unable to decode "${source}": Object 'Kind' is missing in '${toJson(doc, '')}'`)}]
    const meta = isObject(doc.metadata) ? doc.metadata : {}
    for (const field of ['name', 'namespace'] as const) {
      if (meta[field] !== undefined && meta[field] !== null && typeof meta[field] !== 'string') {
        return [
          {
            error: new Error(
              `unable to decode "${source}": json: cannot unmarshal ${goType(meta[field])} into Go struct field ObjectMeta.metadata.${field} of type string`,
            ),
          },
        ]
      }
    }
    if (kind.endsWith('List') && Array.isArray(doc.items)) {
      const out: VisitItem[] = []
      for (const item of doc.items) out.push(...(await this.decode(item, source)))
      return out
    }
    const apiVersion = typeof doc.apiVersion === 'string' ? doc.apiVersion : ''
    const name = typeof meta.name === 'string' ? meta.name : ''
    const namespace = typeof meta.namespace === 'string' ? meta.namespace : ''
    let mapping: ResourceInfo
    try {
      mapping = await (await this.opts.mapper()).kindFor(apiVersion, kind)
    } catch (e) {
      return [
        {
          error: new Error(
            `resource mapping not found for name: ${JSON.stringify(name)} namespace: ${JSON.stringify(namespace)} from ${JSON.stringify(source)}: ${(e as Error).message}\nensure CRDs are installed first`,
          ),
        },
      ]
    }
    const object = doc as KubeObject
    return [{info: {source, index: this.index++, object, mapping, namespace, name}}]
  }

  // decorate applies SetNamespace, RequireNamespace and FilterNamespace (builder.go Do()).
  private decorate(info: Info): Error | undefined {
    const meta = (info.object.metadata ??= {})
    if (!info.mapping.namespaced) {
      info.namespace = ''
      if (meta.namespace !== undefined) delete meta.namespace
      return undefined
    }
    if (!info.namespace) {
      info.namespace = this.opts.namespace
      meta.namespace = this.opts.namespace
      return undefined
    }
    if (this.opts.enforceNamespace && info.namespace !== this.opts.namespace) {
      return new Error(
        `the namespace from the provided object "${info.namespace}" does not match the namespace "${this.opts.namespace}". You must pass '--namespace=${info.namespace}' to perform this operation.`,
      )
    }
    return undefined
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function goType(v: unknown): string {
  if (typeof v === 'boolean') return 'bool'
  if (typeof v === 'number') return 'number'
  if (typeof v === 'string') return 'string'
  if (Array.isArray(v)) return 'array'
  return 'object'
}

async function readAll(stream: Readable | undefined): Promise<string> {
  if (!stream) return ''
  const chunks: Buffer[] = []
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)))
  return Buffer.concat(chunks).toString('utf8')
}

// expandDir lists the manifest files under dir in lexical order, descending only with -R (ExpandPathsToFileVisitors).
function expandDir(dir: string, recursive: boolean, readFile?: (p: string) => string): FileSource[] {
  const out: FileSource[] = []
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name)
      let st
      try {
        st = statSync(p)
      } catch {
        continue
      }
      if (st.isDirectory()) {
        if (recursive) walk(p)
        continue
      }
      if (!FILE_EXTENSIONS.includes(extname(p))) continue
      out.push({source: p, read: async () => (readFile ?? ((x) => readFileSync(x, 'utf8')))(p)})
    }
  }
  walk(dir)
  return out
}

/**
 * splitDocuments cuts a manifest into documents as YAMLOrJSONDecoder does: a stream starting with `{` is JSON;
 * otherwise YAML documents separated by `---` lines, each parsed on its own (so error lines count from the
 * document's start, as kubectl reports them).
 */
export function splitDocuments(text: string): {text: string; json: boolean}[] {
  if (/^\s*\{/.test(text)) return [{text, json: true}]
  const out: {text: string; json: boolean}[] = []
  let cur: string[] = []
  for (const line of text.split('\n')) {
    if (line.startsWith('---') && /^---\s*(#.*)?\r?$/.test(line)) {
      if (cur.length > 0) out.push({text: cur.join('\n'), json: false})
      cur = []
      continue
    }
    cur.push(line)
  }
  if (cur.length > 0) out.push({text: cur.join('\n'), json: false})
  return out
}

// parseJsonStream reads one or more concatenated JSON values.
function parseJsonStream(text: string): unknown[] {
  try {
    return [JSON.parse(text)]
  } catch {
    // several values one after another: fall back to YAML, which reads JSON too
    return parseYamlDocuments(text)
  }
}
