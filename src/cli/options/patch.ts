// patch.ts holds PatchOptions for `mkctl patch` (kubectl/pkg/cmd/patch/patch.go): the patch text (-p or
// --patch-file, YAML turned into JSON unless it starts with `{`) is sent as a strategic merge, JSON merge or JSON
// patch to every object named; `patched (no change)` when the answer equals the object read before. With --local
// or --dry-run=client the patch is applied here with src/api/patch. The operation word never carries a dry-run
// suffix: kubectl sets it after PrintFlagsWithDryRunStrategy has run.
import {readFileSync} from 'node:fs'
import {StatusError} from '../../api/errors.js'
import type {KubeObject} from '../../api/object.js'
import {
  applyJsonPatch,
  applyMergePatch,
  applyStrategicMergePatch,
  builtinPatchSchema,
  decodeJsonPatch,
} from '../../api/patch/index.js'
import {deepEqual} from '../../api/patch/go-format.js'
import {toJson} from '../../api/gojson.js'
import type {Factory} from '../client/factory.js'
import type {RestClient} from '../client/rest.js'
import type {IOStreams} from '../io.js'
import {toPrinter} from '../printers/index.js'
import {parseYamlDocuments} from '../printers/yaml.js'
import {Builder, finalError, newBuilder, resourcePath, type Info} from '../resource/builder.js'
import {dryRunStrategy, type DryRun} from '../resource/openapi.js'
import {fetchInfo, readLocalObjects, type LocalInfo} from './metadata-edit.js'

/** PATCH_TYPES maps --type to the request's content type (types.PatchType). */
export const PATCH_TYPES: Record<string, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
}

/** patchToJson is apimachinery yaml.ToJSON: text starting with `{` is taken as JSON, anything else as YAML. */
export function patchToJson(text: string, shown: string): string {
  if (/^\s*\{/.test(text)) return text
  let docs: unknown[]
  try {
    docs = parseYamlDocuments(text)
  } catch (e) {
    const msg = (e as Error).message.replace(/^error converting YAML to JSON: /, '')
    throw new Error(`unable to parse ${JSON.stringify(shown)}: ${msg}`, {cause: e})
  }
  return toJson(docs.length === 0 ? null : docs[0], '')
}

/** gvkString is schema.GroupVersionKind.String(): `apps/v1, Kind=Deployment`, `/v1, Kind=Pod`. */
export function gvkString(apiVersion: string, kind: string): string {
  const i = apiVersion.indexOf('/')
  const gv = i < 0 ? `/${apiVersion}` : apiVersion
  return `${gv}, Kind=${kind}`
}

/** goJsonError words a JSON syntax error as Go's encoding/json does, for the common cases. */
export function goJsonError(text: string, err: Error): Error {
  if (/end of JSON input|Unterminated/.test(err.message)) return new Error('unexpected end of JSON input')
  const m = /position (\d+)/.exec(err.message)
  if (m) {
    const pos = Number(m[1])
    try {
      JSON.parse(text.slice(0, pos))
      return new Error(`invalid character '${text[pos]}' after top-level value`)
    } catch {
      return new Error(`invalid character '${text[pos]}' looking for beginning of value`)
    }
  }
  return new Error(err.message)
}

/** PatchOptions patches resources. */
export class PatchOptions {
  args: string[] = []
  filenames: string[] = []
  recursive = false
  kustomize?: string
  patch = ''
  patchFile = ''
  patchType = 'strategic'
  subresource = ''
  local = false
  dryRunFlag?: string
  output = ''
  template?: string
  showManagedFields = false
  fieldManager = 'kubectl-patch'

  dryRun: DryRun = 'none'
  private builder?: Builder
  private rest?: () => Promise<RestClient>
  private f?: Factory

  constructor(readonly io: IOStreams) {}

  /** complete follows PatchOptions.Complete: dry-run strategy, namespace. */
  async complete(f: Factory): Promise<void> {
    this.dryRun = dryRunStrategy(this.dryRunFlag)
    this.f = f
    try {
      await f.namespace()
    } catch (e) {
      if (!this.local) throw e
    }
    this.rest = () => f.restClient()
  }

  /** validate follows PatchOptions.Validate. */
  validate(): void {
    if (this.kustomize) throw new Error('mkctl does not support -k (kustomize)')
    if (this.patch && this.patchFile) throw new Error('cannot specify --patch and --patch-file together')
    if (!this.patch && !this.patchFile) {
      throw new Error('must specify --patch or --patch-file containing the contents of the patch')
    }
    if (this.local && this.args.length !== 0) throw new Error('cannot specify --local and server resources')
    if (this.local && this.dryRun === 'server') {
      throw new Error('cannot specify --local and --dry-run=server - did you mean --dry-run=client?')
    }
    if (this.patchType && !(this.patchType.toLowerCase() in PATCH_TYPES)) {
      throw new Error(`--type must be one of [json merge strategic], not ${JSON.stringify(this.patchType)}`)
    }
  }

  private printPatched(obj: unknown, didPatch: boolean): void {
    const p = toPrinter(
      {
        output: this.output,
        template: this.template,
        showManagedFields: this.showManagedFields,
        operation: didPatch ? 'patched' : 'patched (no change)',
      },
      this.io.out,
    )
    p.print(obj)
  }

  /** run patches every object and prints it. */
  async run(): Promise<void> {
    const contentType = PATCH_TYPES[(this.patchType || 'strategic').toLowerCase()]
    let text = this.patch
    if (this.patchFile) {
      try {
        text = readFileSync(this.patchFile, 'utf8')
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code
        const why =
          code === 'ENOENT' ? 'no such file or directory' : code === 'EISDIR' ? 'is a directory' : (e as Error).message
        throw new Error(`unable to read patch file: open ${this.patchFile}: ${why}`, {cause: e})
      }
    }
    const body = patchToJson(text, this.patch)
    const errs: Error[] = []
    let count = 0
    if (this.local) {
      const {infos, error} = await readLocalObjects(this.filenames, this.recursive, this.io.in)
      for (const l of infos) {
        count++
        try {
          this.patchLocally(l, contentType, body)
        } catch (e) {
          errs.push(e as Error)
        }
      }
      if (error) errs.push(error)
    } else {
      this.builder = await newBuilder(this.f!, this.io.in, {
        filenames: this.filenames,
        recursive: this.recursive,
        args: this.args,
      })
      await this.builder.resolve()
      const rest = await this.rest!()
      for await (const item of this.builder.visit()) {
        if ('error' in item) {
          errs.push(item.error)
          continue
        }
        try {
          // RetrieveLazy: objects named on the command line are read first (from the subresource, if any)
          if (!item.info.source) await fetchInfo(rest, item.info, this.subresource)
          count++
          if (this.dryRun === 'client')
            this.patchLocally({source: item.info.source, object: item.info.object}, contentType, body)
          else await this.patchRemote(rest, item.info, contentType, body)
        } catch (e) {
          errs.push(e as Error)
        }
      }
    }
    const err = finalError(errs)
    if (err) throw err
    if (count === 0) throw new Error('no objects passed to patch')
  }

  private async patchRemote(rest: RestClient, info: Info, contentType: string, body: string): Promise<void> {
    const path =
      resourcePath(info.mapping, info.namespace, info.name) + (this.subresource ? `/${this.subresource}` : '')
    let patched: KubeObject
    try {
      patched = await rest.patch<KubeObject>(path, body, contentType, {
        query: {dryRun: this.dryRun === 'server' ? 'All' : undefined, fieldManager: this.fieldManager || undefined},
      })
    } catch (e) {
      if (e instanceof StatusError && e.reason === 'UnsupportedMediaType') {
        const m = info.mapping
        const gv = m.group ? `${m.group}/${m.version}` : m.version
        throw new Error(`${contentType} is not supported by ${gvkString(gv, m.kind)}: ${(e as Error).message}`, {
          cause: e,
        })
      }
      throw e
    }
    this.printPatched(patched, !deepEqual(info.object, patched))
  }

  // getPatchedJSON: the patch applied to the object here, as --local and --dry-run=client do
  private patchLocally(l: LocalInfo, contentType: string, body: string): void {
    const original = l.object
    // a body that is not JSON reaches the patch functions as a non-object, which fail with kubectl's words
    let parsed: unknown
    let parseError: Error | undefined
    try {
      parsed = JSON.parse(body)
    } catch (e) {
      parseError = goJsonError(body, e as Error)
    }
    let result: unknown
    switch (contentType) {
      case PATCH_TYPES.json: {
        if (parseError) throw parseError
        const ops = decodeJsonPatch(parsed)
        try {
          result = applyJsonPatch(structuredClone(original), ops)
        } catch (e) {
          const msg = (e as Error).message
          const i = msg.indexOf('doc is missing key')
          if (i >= 0) {
            throw new Error(`Object to be patched is missing field (${msg.slice(msg.indexOf('key:') + 5)})`, {cause: e})
          }
          throw e
        }
        break
      }
      case PATCH_TYPES.merge:
        result = applyMergePatch(structuredClone(original), parseError ? undefined : parsed)
        break
      default: {
        const av = String(original.apiVersion ?? '')
        const i = av.indexOf('/')
        const schema = builtinPatchSchema(
          i < 0 ? '' : av.slice(0, i),
          i < 0 ? av : av.slice(i + 1),
          String(original.kind ?? ''),
        )
        if (!schema) {
          throw new Error(
            `strategic merge patch is not supported for ${gvkString(av, String(original.kind ?? ''))} locally, try --type merge`,
          )
        }
        result = applyStrategicMergePatch(structuredClone(original), parseError ? undefined : parsed, schema)
      }
    }
    this.printPatched(result, !deepEqual(original, result))
  }
}
