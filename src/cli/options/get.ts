// get.ts holds GetOptions, the behaviour of `mkctl get` (kubectl/pkg/cmd/get/get.go): resolve the resource
// arguments, ask the server for Tables (human output) or objects (-o json|yaml|name|jsonpath|custom-columns),
// print them through the printer chain, and report what was not found, in kubectl's words and order.
import {StatusError} from '../../api/errors.js'
import {parseQuantity, type Quantity} from '../../api/quantity.js'
import type {ResourceInfo} from '../../api/resources.js'
import {enhanceListError} from './list-error.js'
import type {Factory} from '../client/factory.js'
import {ACCEPT_TABLE, decodeBody, decodeError, type RestClient} from '../client/rest.js'
import {parseWatchStream} from '../client/watch.js'
import {MultiError, RawError} from '../errors.js'
import {write, type IOStreams} from '../io.js'
import {relaxedJsonPathExpression} from '../printers/custom-columns.js'
import {goQuote} from '../../api/gofmt.js'
import {JsonPath} from '../printers/jsonpath.js'
import {toPrinter, type PrintFlags, type ResourcePrinter} from '../printers/index.js'
import {omitManagedFields, toJson} from '../printers/json.js'
import {newGetTabWriter} from '../printers/tabwriter.js'

/** GetFlags are `get`'s own flags. */
export interface GetFlags {
  output?: string
  selector?: string
  fieldSelector?: string
  allNamespaces?: boolean
  showLabels?: boolean
  labelColumns?: string[]
  noHeaders?: boolean
  showKind?: boolean
  watch?: boolean
  watchOnly?: boolean
  outputWatchEvents?: boolean
  chunkSize?: number
  ignoreNotFound?: boolean
  sortBy?: string
  template?: string
  /** allowMissingTemplateKeys is --allow-missing-template-keys (default true). */
  allowMissingTemplateKeys?: boolean
  showManagedFields?: boolean
}

/** Request is one resource type and the names asked for (none: list). */
interface Request {
  resource: ResourceInfo
  names: string[]
}

/** resourcePath builds the REST path of a resource (a collection when name is undefined). */
export function resourcePath(r: ResourceInfo, namespace: string | undefined, name?: string): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`
  const ns = r.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ''
  return `${base}${ns}/${r.plural}${name !== undefined ? '/' + encodeURIComponent(name) : ''}`
}

function gvString(r: ResourceInfo): string {
  return r.group ? `${r.group}/${r.version}` : r.version
}

/** GetOptions runs `get`. */
export class GetOptions {
  private requests: Request[] = []
  private namespace = 'default'
  private rest!: RestClient
  private singleItemImplied = false
  private multipleKinds = false

  constructor(
    readonly flags: GetFlags,
    readonly args: string[],
    readonly io: IOStreams,
    readonly commandName = 'mkctl',
  ) {}

  /** validate checks the flags that need no server. */
  validate(): void {
    if (this.args.length === 0) {
      throw new RawError(
        `You must specify the type of resource to get. Use "${this.commandName} api-resources" for a complete list of supported resources.\n\n` +
          `error: Required resource not specified.\nUse "${this.commandName} explain <resource>" for a detailed description of that resource (e.g. ${this.commandName} explain pods).\nSee '${this.commandName} get -h' for help and examples`,
      )
    }
    if (this.flags.watchOnly && this.flags.watch === undefined) this.flags.watch = true
    // A negative --chunk-size goes to the server as is (kubectl does not check it; the apiserver answers 400).
  }

  /** complete resolves namespace, client and the resource arguments. */
  async complete(f: Factory): Promise<void> {
    const ns = await f.namespace()
    this.namespace = ns.namespace
    this.rest = await f.restClient()
    const mapper = await f.mapper()
    const args = this.args
    if (args.some((a) => a.includes('/'))) {
      // TYPE/NAME form: every argument must use it, and all are checked before any is mapped, as
      // cli-runtime/pkg/resource/builder.go (hasCombinedTypeArgs, splitResourceTypeName) does.
      const tuples = args.map((a) => {
        if (!a.includes('/')) {
          throw new Error(
            `there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. '${this.commandName} get resource/<resource_name>' instead of '${this.commandName} get resource resource/<resource_name>'`,
          )
        }
        const seg = a.split('/')
        if (seg.length !== 2) throw new Error('arguments in resource/name form may not have more than one slash')
        const [type, name] = seg as [string, string]
        if (type === '' || name === '' || new Set(type.split(',')).size !== 1) {
          throw new Error('arguments in resource/name form must have a single resource and name')
        }
        return {type, name}
      })
      for (const {type, name} of tuples) {
        const resource = await mapper.resourceFor(type)
        const last = this.requests[this.requests.length - 1]
        if (last && last.resource === resource) last.names.push(name)
        else this.requests.push({resource, names: [name]})
      }
      this.singleItemImplied = args.length === 1
    } else {
      const types = args[0]!.split(',').filter((t) => t !== '')
      const names = args.slice(1)
      for (const t of types) {
        for (const resource of await mapper.expand(t)) {
          if (
            !this.requests.some((r) => r.resource.group === resource.group && r.resource.plural === resource.plural)
          ) {
            this.requests.push({resource, names: [...names]})
          }
        }
      }
      this.singleItemImplied = names.length === 1 && types.length === 1
    }
    if (this.flags.allNamespaces && this.requests.some((r) => r.resource.namespaced && r.names.length > 0)) {
      throw new Error('a resource cannot be retrieved by name across all namespaces')
    }
    // Watch prints one kind only; run() decides for lists once it knows what the server returned.
    this.multipleKinds = Boolean(this.flags.showKind)
  }

  private printFlags(r?: ResourceInfo): PrintFlags {
    const p: PrintFlags = {
      command: 'get',
      output: this.flags.output ?? '',
      noHeaders: Boolean(this.flags.noHeaders),
      // Cluster-scoped kinds never get a NAMESPACE column (get.go: RESTScopeNameRoot).
      withNamespace: Boolean(this.flags.allNamespaces) && (r?.namespaced ?? true),
      showLabels: Boolean(this.flags.showLabels),
      columnLabels: this.flags.labelColumns ?? [],
      withKind: this.multipleKinds,
      showManagedFields: Boolean(this.flags.showManagedFields),
    }
    if (this.flags.template !== undefined) p.template = this.flags.template
    if (this.flags.allowMissingTemplateKeys !== undefined)
      p.allowMissingTemplateKeys = this.flags.allowMissingTemplateKeys
    if (r) p.kind = {group: r.group, kind: r.kind}
    return p
  }

  private isHuman(): boolean {
    const o = this.flags.output ?? ''
    return (o === '' || o === 'wide') && !this.flags.template
  }

  private listQuery(limit?: number, cont?: string): Record<string, string | number> {
    const q: Record<string, string | number> = {}
    if (this.flags.selector) q.labelSelector = this.flags.selector
    if (this.flags.fieldSelector) q.fieldSelector = this.flags.fieldSelector
    if (limit) q.limit = limit
    if (cont) q.continue = cont
    return q
  }

  private ns(r: ResourceInfo): string | undefined {
    if (!r.namespaced) return undefined
    return this.flags.allNamespaces ? undefined : this.namespace
  }

  /**
   * fetch gets one request's objects (as a Table when human), following continue tokens. infos counts what
   * kubectl's builder calls infos: one per list (even an empty one) and one per name that was found. onPage, when
   * given, receives each list chunk as it arrives (its Table when human, else its items) instead of the result.
   */
  private async fetch(
    req: Request,
    errors: Error[],
    onPage?: (page: any) => void | Promise<void>,
  ): Promise<{items: any[]; tables: any[]; infos: number}> {
    const r = req.resource
    const human = this.isHuman()
    const accept = human ? ACCEPT_TABLE : 'application/json'
    const query: Record<string, string | number> = {}
    if (human && this.flags.sortBy) query.includeObject = 'Object'
    if (req.names.length > 0) {
      const out = {items: [] as any[], tables: [] as any[], infos: 0}
      for (const name of req.names) {
        try {
          const got = await this.rest.get<any>(
            resourcePath(r, this.ns(r) ?? (r.namespaced ? this.namespace : undefined), name),
            {accept, query},
          )
          out.infos++
          if (human) out.tables.push(got)
          else out.items.push(got)
        } catch (e) {
          if (e instanceof StatusError && e.reason === 'NotFound' && this.flags.ignoreNotFound) continue
          errors.push(e as Error)
        }
      }
      return out
    }
    const chunk = this.flags.sortBy ? 0 : (this.flags.chunkSize ?? 500)
    const out = {items: [] as any[], tables: [] as any[], infos: 1}
    const path = resourcePath(r, this.ns(r))
    const page = (cont: string | undefined) =>
      this.rest.requestBody('GET', path, {accept, query: {...this.listQuery(chunk || undefined, cont), ...query}})
    let pages = 0
    let pending: Promise<Buffer> | undefined = page(undefined)
    while (pending) {
      let body: Buffer
      try {
        body = await pending
      } catch (e) {
        const err = enhanceListError(e, r, this.flags.selector ?? '', this.flags.fieldSelector ?? '')
        // kubectl's builder hands each chunk on as it arrives (cli-runtime resource.Selector.Visit), so when a later
        // chunk fails (an expired continue token, 410) the earlier ones are printed and the error follows them.
        if (pages === 0) throw err
        errors.push(err as Error)
        break
      }
      pages++
      // The next page is asked for before this one is decoded and printed, so that the server builds it meanwhile
      // (its work and ours overlap on two cores). The token comes from the list metadata, which servers write
      // before the items; the decoded page has the last word (JSON.parse keeps a repeated key's last value).
      const early = peekContinue(body)
      if (early) {
        pending = page(early)
        // rejections are handled when the page is awaited; let the request reach the socket before decoding
        pending.catch(() => undefined)
        await new Promise((resolve) => setImmediate(resolve))
      } else pending = undefined
      const got: any = decodeBody(body)
      const cont: string | undefined = got.metadata?.continue || undefined
      if (cont !== early) pending = cont ? page(cont) : undefined
      if (human) {
        if (onPage) await onPage(got)
        else out.tables.push(got)
        continue
      }
      const items = (got.items ?? []).map((i: any) => ({apiVersion: gvString(r), kind: r.kind, ...i}))
      if (onPage) await onPage(items)
      else out.items.push(...items)
    }
    return out
  }

  /** run fetches and prints. */
  async run(): Promise<void> {
    if (this.flags.watch || this.flags.watchOnly) return this.runWatch()
    const errors: Error[] = []
    const human = this.isHuman()
    // Each mapping gets its own printer and tab writer (column widths are forgotten when it changes); a blank line
    // goes before the next output of a new mapping once something was written (separatorWriterWrapper).
    let writer = newGetTabWriter(this.io.out)
    let printer: ResourcePrinter | undefined
    let lastReq: Request | undefined
    let written = false
    let separatorReady = false
    const out = {
      write: (chunk: string) => {
        if (chunk.length === 0) return true
        if (separatorReady) {
          separatorReady = false
          this.io.out.write('\n')
        }
        written = true
        return this.io.out.write(chunk)
      },
    }
    // printed lists the request of every Table handed to the printer (for the "No resources found" wording).
    const printed: Request[] = []
    const printTable = (req: Request, table: any) => {
      printed.push(req)
      if (req !== lastReq) {
        writer.flush()
        writer = newGetTabWriter(out)
        if (lastReq && !this.flags.noHeaders && written) separatorReady = true
        printer = toPrinter(this.printFlags(req.resource), out, writer)
        lastReq = req
      }
      // A table whose rows all lack the sort field is not printed and its error is dropped, as kubectl's Run
      // ignores what SortingPrinter.PrintObj returns.
      const t = this.flags.sortBy ? sortTable(table, this.flags.sortBy) : table
      if (t && (t.rows?.length ?? 0) > 0) printer!.print(t)
    }
    // Everything is fetched before anything is printed, as kubectl's r.Infos() does: whether rows carry their kind
    // depends on how many infos of different kinds came back (multipleGVKsRequested in kubectl/pkg/cmd/get/get.go),
    // so `get cm/nope svc/web` prints `web`, while `get svc,cm` prints `service/web` even when no configmap exists.
    // With one resource type there is one kind whatever comes back, so its chunks are printed (into the tab writer,
    // which holds them until flushed) while the next one is on its way; --sort-by needs them all first.
    // So is a list printed as -o json, one item at a time: a whole List of 100k pods would not fit in one string.
    const single = !this.flags.sortBy && this.requests.length === 1
    const streaming = human && single
    if (streaming) this.multipleKinds = Boolean(this.flags.showKind)
    const jsonList =
      !human && single && (this.flags.output ?? '').toLowerCase() === 'json' && !this.flags.template
        ? new JsonListWriter(this.io.out, Boolean(this.flags.showManagedFields))
        : undefined
    const fetched: {req: Request; res: Awaited<ReturnType<GetOptions['fetch']>>}[] = []
    for (const req of this.requests) {
      const onPage = streaming
        ? (t: any) => printTable(req, t)
        : jsonList
          ? (items: any[]) => jsonList.add(items)
          : undefined
      try {
        fetched.push({req, res: await this.fetch(req, errors, onPage)})
      } catch (e) {
        errors.push(e as Error)
      }
    }
    const kindsFound = fetched
      .filter((x) => x.res.infos > 0)
      .map((x) => `${x.req.resource.group}/${x.req.resource.kind}`)
    const infoCount = fetched.reduce((n, x) => n + x.res.infos, 0)
    this.multipleKinds = Boolean(this.flags.showKind) || (infoCount > 1 && new Set(kindsFound).size > 1)
    if (jsonList && this.requests[0]!.names.length === 0) {
      await jsonList.finish(errors.length === 0)
      if (errors.length > 0) throw new MultiError(errors)
      return
    }
    if (!human) {
      const collected = fetched.flatMap((x) => x.res.items)
      if (collected.length > 0 || (!this.singleItemImplied && errors.length === 0)) await this.printObjects(collected)
      if (errors.length > 0) throw new MultiError(errors)
      return
    }
    // Human output walks the infos (one Table per list chunk or per name found) as kubectl's Run does.
    let infos = fetched.flatMap((x) => x.res.tables.map((table) => ({req: x.req, table})))
    if (this.flags.sortBy && infos.length > 1) {
      // RuntimeSorter sees several infos as plain objects (the builder decodes Tables as unstructured), so it sorts
      // the Tables themselves by the field and fails when no Table has it, e.g. `get cm,svc --sort-by=.metadata.name`.
      const sorted = sortObjects(
        infos.map((x) => x.table),
        this.flags.sortBy,
      )
      if (!sorted)
        throw new Error(
          `couldn't find any field with path ${goQuote(relaxedJsonPathExpression(this.flags.sortBy))} in the list of objects`,
        )
      infos = sorted.map((t) => infos.find((x) => x.table === t)!)
    }
    for (const {req, table} of infos) printTable(req, table)
    writer.flush()
    if (!written && !this.flags.ignoreNotFound && errors.length === 0) {
      const allNamespaced = !this.flags.allNamespaces && printed.every((req) => req.resource.namespaced)
      await write(
        this.io.errOut,
        allNamespaced ? `No resources found in ${this.namespace} namespace.\n` : 'No resources found\n',
      )
    }
    if (errors.length > 0) throw new MultiError(errors)
  }

  private async printObjects(items: any[]): Promise<void> {
    const out: string[] = []
    const sink = {write: (s: string) => void out.push(s)}
    const printer: ResourcePrinter = toPrinter(this.printFlags(), sink as any)
    const output = (this.flags.output ?? '').toLowerCase()
    const list = !(this.singleItemImplied && items.length === 1)
    if (this.flags.sortBy && list && items.length > 0) {
      const sorted = sortObjects(items, this.flags.sortBy)
      if (!sorted)
        throw new Error(
          `couldn't find any field with path ${goQuote(relaxedJsonPathExpression(this.flags.sortBy))} in the list of objects`,
        )
      items = sorted
    }
    if (
      output === 'json' ||
      output === 'yaml' ||
      output.startsWith('jsonpath') ||
      output.startsWith('go-template') ||
      output.startsWith('template') ||
      this.flags.template
    ) {
      // A template that fails mid-way has written part of its output (kubectl's error report included): print it.
      try {
        if (this.singleItemImplied && items.length === 1) printer.print(items[0])
        else printer.print({apiVersion: 'v1', items, kind: 'List', metadata: {resourceVersion: ''}})
      } catch (e) {
        await write(this.io.out, out.join(''))
        throw e
      }
    } else {
      for (const it of items) printer.print(it)
    }
    printer.flush()
    await write(this.io.out, out.join(''))
  }

  /** runWatch lists (unless --watch-only), then streams changes of the single requested type. */
  private async runWatch(): Promise<void> {
    if (this.requests.length !== 1) throw new Error('you may only specify a single resource type')
    const req = this.requests[0]!
    const r = req.resource
    const human = this.isHuman()
    const writer = newGetTabWriter(this.io.out)
    const printer = toPrinter(this.printFlags(r), this.io.out, writer)
    const events = Boolean(this.flags.outputWatchEvents)
    const query: Record<string, string | number> = this.listQuery()
    if (req.names.length === 1) query.fieldSelector = `metadata.name=${req.names[0]}`
    if (this.flags.sortBy) {
      const w = this.flags.watchOnly
        ? '--watch-only requested, --sort-by will be ignored'
        : '--watch requested, --sort-by will be ignored for watch events received'
      await write(this.io.errOut, `warning: ${w}\n`)
    }
    let first = await this.rest
      .get<any>(resourcePath(r, this.ns(r)), {
        accept: human ? ACCEPT_TABLE : 'application/json',
        query: human && this.flags.sortBy ? {...query, includeObject: 'Object'} : query,
      })
      .catch((e: unknown) => {
        // kubectl's first list goes through the resource builder, which words a failed list (EnhanceListError)
        throw req.names.length > 0
          ? e
          : enhanceListError(e, r, this.flags.selector ?? '', this.flags.fieldSelector ?? '')
      })
    if (!this.flags.watchOnly) {
      if (human) {
        if (this.flags.sortBy) {
          const sorted = sortTable(first, this.flags.sortBy)
          if (!sorted)
            throw new Error(
              `unable to output the provided object: couldn't find any field with path ${goQuote(relaxedJsonPathExpression(this.flags.sortBy))} in the list of objects`,
            )
          first = sorted
        }
        if ((first.rows?.length ?? 0) > 0) printer.print(first, events ? 'ADDED' : undefined)
        else
          await write(
            this.io.errOut,
            `No resources found${r.namespaced && !this.flags.allNamespaces ? ` in ${this.namespace} namespace` : ''}.\n`,
          )
      } else {
        for (const it of first.items ?? []) printer.print({apiVersion: gvString(r), kind: r.kind, ...it})
      }
      printer.flush()
      writer.flush()
    }
    // The watch asks for the same representation as the list: human output needs Table rows in each event, as
    // kubectl's transformRequests sets the Table Accept on both (client/watch.ts's watch() sends no Accept).
    const ctl = new AbortController()
    const res = await this.rest.open('GET', resourcePath(r, this.ns(r)), {
      query: {...query, resourceVersion: first.metadata?.resourceVersion ?? '0', watch: true},
      accept: human ? ACCEPT_TABLE : 'application/json',
      signal: ctl.signal,
    })
    if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) > 299) {
      const chunks: Buffer[] = []
      for await (const c of res) chunks.push(c as Buffer)
      throw decodeError('GET', resourcePath(r, this.ns(r)), {
        status: res.statusCode ?? 0,
        statusText: res.statusMessage ?? '',
        headers: res.headers,
        body: Buffer.concat(chunks),
      })
    }
    const stop = () => {
      ctl.abort()
      res.destroy()
    }
    process.once('SIGINT', stop)
    try {
      for await (const e of parseWatchStream<any>(res)) {
        if (e.type === 'ERROR') throw new StatusError(e.object)
        if (e.type === 'BOOKMARK') continue
        printer.print(e.object, events ? e.type : undefined)
        printer.flush()
        writer.flush()
      }
    } catch (e) {
      // Ctrl-C ends kubectl's watch silently with exit code 1 (kubectl/pkg/util/interrupt's default final handler).
      if (ctl.signal.aborted) throw new RawError('')
      throw e
    } finally {
      process.removeListener('SIGINT', stop)
    }
    if (ctl.signal.aborted) throw new RawError('')
  }
}

// The List `-o json` prints (kubectl's JSONPrinter over the builder's list: encoding/json.MarshalIndent, keys sorted),
// around its items, each indented two levels.
const LIST_HEAD = '{\n    "apiVersion": "v1",\n    "items": [\n'
const LIST_TAIL = '\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n'
const ITEM_INDENT = '        '

/**
 * JsonListWriter prints a list as `-o json` does, item by item as the chunks arrive, in pieces of a few MB: the
 * document of 100k pods (~800 MB) is longer than the longest string V8 makes.
 */
class JsonListWriter {
  private started = false
  private parts: string[] = []
  private size = 0

  constructor(
    private readonly out: IOStreams['out'],
    private readonly showManagedFields: boolean,
  ) {}

  /** add prints items (managedFields dropped unless --show-managed-fields). */
  async add(items: any[]): Promise<void> {
    for (const it of items) {
      const text = toJson(this.showManagedFields ? it : omitManagedFields(it)).replaceAll('\n', '\n' + ITEM_INDENT)
      this.push(this.started ? ',\n' + ITEM_INDENT + text : LIST_HEAD + ITEM_INDENT + text)
      this.started = true
    }
    if (this.size > 1 << 22) await this.drain()
  }

  /** finish closes the list; with no items an empty List is printed only when printEmpty. */
  async finish(printEmpty: boolean): Promise<void> {
    if (this.started) this.push('\n    ],' + LIST_TAIL)
    else if (printEmpty) this.push('{\n    "apiVersion": "v1",\n    "items": [],' + LIST_TAIL)
    await this.drain()
  }

  private push(s: string): void {
    this.parts.push(s)
    this.size += s.length
  }

  private async drain(): Promise<void> {
    const text = this.parts.join('')
    this.parts = []
    this.size = 0
    await write(this.out, text)
  }
}

/**
 * peekContinue reads the continue token of a JSON list answer from its metadata, found among the top-level keys
 * before any large value is skipped (Go's encoder and mkctld write metadata before items and rows); undefined when
 * the body does not start that way. Only a hint: the caller checks it against the decoded page.
 */
export function peekContinue(body: Buffer): string | undefined {
  const n = body.length
  let i = 0
  const ws = () => {
    while (i < n && (body[i] === 32 || body[i] === 10 || body[i] === 13 || body[i] === 9)) i++
  }
  ws()
  if (body[i++] !== 123) return undefined
  // at most a few scalar fields (kind, apiVersion) come before metadata
  for (let field = 0; field < 4; field++) {
    ws()
    const key = stringAt(body, i)
    if (!key) return undefined
    i = key.end
    ws()
    if (body[i++] !== 58) return undefined
    ws()
    if (key.text === 'metadata') {
      const end = objectEnd(body, i)
      if (end < 0) return undefined
      try {
        const c = JSON.parse(body.toString('utf8', i, end))?.continue
        return typeof c === 'string' && c !== '' ? c : undefined
      } catch {
        return undefined
      }
    }
    const v = stringAt(body, i)
    if (!v) return undefined
    i = v.end
    ws()
    if (body[i++] !== 44) return undefined
  }
  return undefined
}

// stringAt reads the JSON string at b[i] when it has no escapes (keys and kinds never do).
function stringAt(b: Buffer, i: number): {text: string; end: number} | undefined {
  if (b[i] !== 34) return undefined
  const close = b.indexOf(34, i + 1)
  if (close < 0 || close - i > 64) return undefined
  for (let j = i + 1; j < close; j++) if (b[j] === 92) return undefined
  return {text: b.toString('latin1', i + 1, close), end: close + 1}
}

// objectEnd finds the end of the (small) object at b[i]: the list metadata, a few short strings and a number.
function objectEnd(b: Buffer, i: number): number {
  if (b[i] !== 123) return -1
  let depth = 0
  for (let j = i; j < b.length && j < i + 4096; j++) {
    const c = b[j]
    if (c === 34) {
      for (j++; j < b.length && b[j] !== 34; j++) if (b[j] === 92) j++
    } else if (c === 123 || c === 91) depth++
    else if (c === 125 || c === 93) {
      if (--depth === 0) return j + 1
    }
  }
  return -1
}

/** enhanceListError is list-error.ts's (re-exported for get's callers). */
export {enhanceListError}

// Sorting follows kubectl/pkg/cmd/get/sorter.go: the field is a relaxed JSONPath evaluated with missing keys
// allowed; only the first result counts; an object without it sorts first; numbers compare as numbers, strings as
// quantities when both parse as one and byte-wise otherwise (isLess); and a field found in no object is an error.

/** sortKeys evaluates the sort field on each object; undefined when no object has it. */
function sortKeys(objs: unknown[], expr: string): {has: boolean; v: unknown}[] | undefined {
  const jp = new JsonPath(relaxedJsonPathExpression(expr), {allowMissingKeys: true})
  const keys = objs.map((o) => {
    const r = jp.findResults(o)
    return r.length > 0 && r[0]!.length > 0 ? {has: true, v: r[0]![0]} : {has: false, v: undefined}
  })
  return keys.some((k) => k.has) ? keys : undefined
}

function quantityOf(s: string): Quantity | undefined {
  try {
    return parseQuantity(s)
  } catch {
    return undefined
  }
}

/** goLess is isLess for the values unstructured objects hold; unsortable pairs (maps, bools) are never less. */
function goLess(a: unknown, b: unknown): boolean {
  if (a === null || b === null) return a === null && b !== null
  if (typeof a === 'number' && typeof b === 'number') return a < b
  if (typeof a === 'string' && typeof b === 'string') {
    const qa = quantityOf(a)
    const qb = qa && quantityOf(b)
    if (qa && qb) return qa.cmp(qb) < 0
    return Buffer.compare(Buffer.from(a), Buffer.from(b)) < 0
  }
  return false
}

/**
 * goSortOrder returns the order in which Go's sort.Sort leaves n items: for up to 12 items pdqsort is an insertion
 * sort, reproduced exactly (ties and missing keys included); beyond that a stable sort with the same less.
 */
function goSortOrder(keys: {has: boolean; v: unknown}[]): number[] {
  const less = (i: number, j: number) => (!keys[i]!.has ? true : !keys[j]!.has ? false : goLess(keys[i]!.v, keys[j]!.v))
  const idx = keys.map((_, i) => i)
  if (idx.length <= 12) {
    for (let i = 1; i < idx.length; i++) {
      for (let j = i; j > 0 && less(idx[j]!, idx[j - 1]!); j--) [idx[j], idx[j - 1]] = [idx[j - 1]!, idx[j]!]
    }
    return idx
  }
  return idx.sort((x, y) => (less(x, y) ? -1 : less(y, x) ? 1 : 0))
}

/** sortObjects orders objects by a --sort-by field; undefined when no object has the field. */
export function sortObjects(items: any[], expr: string): any[] | undefined {
  const keys = sortKeys(items, expr)
  return keys && goSortOrder(keys).map((i) => items[i])
}

/** sortTable orders a Table's rows by their objects (TableSorter); undefined when no row has the field. */
function sortTable(t: any, expr: string): any | undefined {
  const rows: any[] = t.rows ?? []
  // SortingPrinter leaves tables of 0 or 1 row alone.
  if (rows.length <= 1) return t
  const keys = sortKeys(
    rows.map((r) => r.object),
    expr,
  )
  return keys && {...t, rows: goSortOrder(keys).map((i) => rows[i])}
}
