// apply-edit-last-applied.ts holds the options of `mkctl apply edit-last-applied` (kubectl/pkg/cmd/apply/
// apply_edit_last_applied.go, which runs pkg/cmd/util/editor/editoptions.go in ApplyEditMode): the last-applied-
// configuration annotations of the objects are opened in the user's editor (YAML with this mode's header, or JSON), and
// each edited configuration is written back into its object's annotation with a JSON merge patch. The editor plumbing
// (header, comments, validation, editor command line) is edit.ts's.
import {rmSync} from 'node:fs'
import type {KubeObject} from '../../api/object.js'
import type {ResourceInfo} from '../../api/resources.js'
import type {Factory} from '../client/factory.js'
import type {RESTMapper} from '../client/mapper.js'
import type {RestClient} from '../client/rest.js'
import type {IOStreams} from '../io.js'
import {parseYamlDocuments, toJson, toPrinter, toYaml} from '../printers/index.js'
import {newBuilder, resourcePath, splitDocuments} from '../resource/builder.js'
import {LAST_APPLIED} from '../resource/last-applied.js'
import {validationDirective} from '../resource/openapi.js'
import {
  hasLines,
  launchTempFile,
  preservedCopy,
  hashOnLineBreak,
  manualStrip,
  stripComments,
  validateEdited,
  type EditReason,
} from './edit.js'

/** APPLY_EDIT_HEADER is the comment at the top of the YAML file in ApplyEditMode (editHeader.writeTo). */
export const APPLY_EDIT_HEADER = `# Please edit the 'last-applied-configuration' annotations below.
# Lines beginning with a '#' will be ignored, and an empty file will abort the edit.
#
`

/** NO_ANNOTATION is the error when none of the objects carries the annotation. */
export const NO_ANNOTATION =
  'no last-applied-configuration annotation found on resources, to create the annotation, use command `mkctl apply set-last-applied --create-annotation`'

/** Edited is one configuration, as read from an annotation or from the edited file, with its type. */
interface Edited {
  object: KubeObject
  mapping: ResourceInfo
}

function header(reasons: EditReason[]): string {
  let h = APPLY_EDIT_HEADER
  for (const r of reasons) {
    h += r.other.length > 0 ? `# ${hashOnLineBreak(r.head)}:\n` : `# ${hashOnLineBreak(r.head)}\n`
    for (const o of r.other) h += `# * ${hashOnLineBreak(o)}\n`
    h += '#\n'
  }
  return h
}

/** EditLastAppliedOptions edits the last-applied-configuration annotations of objects. */
export class EditLastAppliedOptions {
  filenames: string[] = []
  recursive = false
  kustomize?: string
  args: string[] = []
  output = ''
  windowsLineEndings = false
  fieldManager = 'kubectl-client-side-apply'
  validateFlag?: string
  env: NodeJS.ProcessEnv = process.env
  /** program is the base name used in temp file names (kubectl uses os.Args[0]). */
  program = 'mkctl'

  private directive = 'Strict'
  private rest?: RestClient
  private mapper?: RESTMapper
  private namespace = 'default'
  private configs: Edited[] = []

  constructor(readonly io: IOStreams) {}

  /**
   * complete resolves the objects (ResourceTypeOrNameArgs(true, ...).Latest()) and reads each one's annotation as an
   * object of its own; objects without the annotation are left out.
   */
  async complete(f: Factory): Promise<void> {
    if (this.output && this.output !== 'json' && this.output !== 'yaml') toPrinter({output: this.output}, this.io.out)
    this.directive = validationDirective(this.validateFlag)
    this.namespace = (await f.namespace()).namespace
    if (this.kustomize) throw new Error('mkctl does not support -k (kustomize)')
    const builder = await newBuilder(f, this.io.in, {
      filenames: this.filenames,
      recursive: this.recursive,
      selectAll: this.filenames.length === 0 && this.args.length === 1 && !this.args[0]!.includes('/'),
      args: this.args,
    })
    const {infos, error} = await builder.infos()
    if (error) throw error
    this.rest = await f.restClient()
    this.mapper = await f.mapper()
    for (const info of infos) {
      const live = info.name
        ? await this.rest.get<KubeObject>(resourcePath(info.mapping, info.namespace, info.name))
        : info.object
      const data = live?.metadata?.annotations?.[LAST_APPLIED]
      if (data === undefined) continue
      const parsed = await this.parse(data)
      if (parsed[0]) this.configs.push(parsed[0])
    }
  }

  /** run is EditOptions.Run's edit loop in ApplyEditMode. */
  async run(): Promise<void> {
    if (this.configs.length === 0) throw new Error(NO_ANNOTATION)
    const json = this.output === 'json'
    const ext = json ? '.json' : '.yaml'
    let reasons: EditReason[] = []
    let resultsFile = ''
    let original = ''
    let edited = ''
    let containsError = false
    for (;;) {
      let buf = json ? '' : header(reasons)
      if (!containsError) {
        const shown =
          this.configs.length === 1
            ? this.configs[0]!.object
            : {apiVersion: 'v1', items: this.configs.map((c) => c.object), kind: 'List', metadata: {}}
        buf += json ? toJson(shown) + '\n' : toYaml(shown)
        original = buf
      } else {
        buf += manualStrip(edited)
      }
      if (this.windowsLineEndings) buf = buf.replace(/\n/g, '\r\n')
      const editedDiff = edited
      let file: string
      try {
        ;({text: edited, file} = this.launchTempFile(`${this.program}-edit-`, ext, buf))
      } catch (e) {
        throw this.preserved(e as Error, resultsFile)
      }
      if (containsError && stripComments(editedDiff) === stripComments(edited))
        throw this.preserved(new Error('Edit cancelled, no valid changes were saved.'), file)
      if (resultsFile) rmSync(resultsFile, {force: true})
      const invalid = this.directive === 'Ignore' ? undefined : validateEdited(edited)
      if (invalid !== undefined) {
        // schema.ValidateBytes failed: an Invalid error of the first object, and the file reopened
        resultsFile = file
        const c = this.configs[0]!
        const resource = c.mapping.group ? `${c.mapping.plural}.${c.mapping.group}` : c.mapping.plural
        const name = String(c.object.metadata?.name ?? '')
        containsError = true
        reasons = [
          {
            head: `${resource} ${JSON.stringify(name)} was not valid`,
            other: [`<nil>: Invalid value: "The edited file failed validation": ${invalid}`],
          },
        ]
        this.io.errOut.write(`error: ${resource} ${JSON.stringify(name)} is invalid\n`)
        continue
      }
      if (stripComments(original) === stripComments(edited)) {
        rmSync(file, {force: true})
        this.io.errOut.write('Edit cancelled, no changes made.\n')
        return
      }
      if (!hasLines(edited)) {
        rmSync(file, {force: true})
        this.io.errOut.write('Edit cancelled, saved file was empty.\n')
        return
      }
      resultsFile = file
      reasons = []
      let updated: Edited[]
      try {
        updated = await this.parse(edited)
      } catch (e) {
        containsError = true
        reasons.push({head: `The edited file had a syntax error: ${(e as Error).message}`, other: []})
        continue
      }
      try {
        for (const u of updated) this.requireNamespace(u)
        for (const u of updated) await this.patchAnnotation(u)
      } catch (e) {
        throw this.preserved(e as Error, resultsFile)
      }
      // edit mode never collects results here: the loop ends once the annotations are written
      rmSync(file, {force: true})
      return
    }
  }

  // parse decodes configuration text (the annotation, or the edited file) into objects, flattening Lists, as the
  // builder's Stream(...).Flatten() does.
  private async parse(text: string): Promise<Edited[]> {
    const docs: unknown[] = []
    for (const chunk of splitDocuments(text)) {
      try {
        docs.push(...(chunk.json ? [JSON.parse(chunk.text)] : parseYamlDocuments(chunk.text)))
      } catch (e) {
        throw new Error(`error parsing edited-file: ${(e as Error).message}`, {cause: e})
      }
    }
    const out: Edited[] = []
    const add = async (doc: unknown) => {
      if (!doc || typeof doc !== 'object') return
      const o = doc as KubeObject & {items?: unknown[]}
      if ((o.kind ?? '').endsWith('List') && Array.isArray(o.items)) {
        for (const item of o.items) await add(item)
        return
      }
      if (!o.kind) throw new Error(`unable to decode "edited-file": Object 'Kind' is missing in '${toJson(o, '')}'`)
      out.push({object: o, mapping: await this.mapper!.kindFor(o.apiVersion ?? '', o.kind)})
    }
    for (const d of docs) await add(d)
    return out
  }

  // requireNamespace is resource.RequireNamespace(cmdNamespace): a namespaced object gets the command's namespace,
  // and may not name another one.
  private requireNamespace(u: Edited): void {
    if (!u.mapping.namespaced) return
    const meta = (u.object.metadata ??= {})
    const ns = meta.namespace ?? ''
    if (ns === '') {
      meta.namespace = this.namespace
      return
    }
    if (ns !== this.namespace)
      throw new Error(
        `the namespace from the provided object "${ns}" does not match the namespace "${this.namespace}". You must pass '--namespace=${ns}' to perform this operation.`,
      )
  }

  // patchAnnotation is visitToApplyEditPatch for one object: unchanged configurations are "skipped"; others are stored
  // as the annotation (compact JSON and a newline) with a JSON merge patch (GetApplyPatch), then printed "edited".
  private async patchAnnotation(u: Edited): Promise<void> {
    const uid = String(u.object.metadata?.uid ?? '')
    const orig = this.configs.find((c) => String(c.object.metadata?.uid ?? '') === uid)
    if (!orig) throw new Error(`no original object found for ${toJson(u.object, '')}`)
    const printer = (op: string) => toPrinter({output: this.output, operation: op}, this.io.out)
    if (toJson(orig.object, '') === toJson(u.object, '')) {
      printer('skipped').print(u.object)
      return
    }
    const patch = {metadata: {annotations: {[LAST_APPLIED]: toJson(u.object, '') + '\n'}}}
    const name = String(u.object.metadata?.name ?? '')
    await this.rest!.patch<KubeObject>(
      resourcePath(u.mapping, this.namespace, name),
      toJson(patch, ''),
      'application/merge-patch+json',
      {query: {fieldManager: this.fieldManager, fieldValidation: this.directive}},
    )
    printer('edited').print(u.object)
  }

  private preserved(err: Error, path: string): Error {
    return preservedCopy(this.io, err, path)
  }

  private launchTempFile(prefix: string, suffix: string, buf: string): {text: string; file: string} {
    return launchTempFile(this.env, prefix, suffix, buf)
  }
}
