// edit.ts holds EditOptions for `mkctl edit` (kubectl/pkg/cmd/edit/edit.go, pkg/cmd/util/editor/editoptions.go and
// editor.go): the objects are written (YAML with kubectl's header, or JSON) to a temp file, the user's editor
// ($KUBE_EDITOR, $EDITOR, else vi) is run on it, and each changed object is PATCHed with the two-way patch of
// before/after (strategic merge for built-in kinds, JSON merge otherwise). Invalid objects reopen the editor with the
// errors commented at the top; no change cancels the edit.
import {spawnSync} from 'node:child_process'
import {existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {StatusError} from '../../api/errors.js'
import type {KubeObject} from '../../api/object.js'
import {builtinPatchSchema, createMergePatch, createTwoWayMergePatch} from '../../api/patch/index.js'
import type {ResourceInfo} from '../../api/resources.js'
import type {Factory} from '../client/factory.js'
import type {RESTMapper} from '../client/mapper.js'
import type {RestClient} from '../client/rest.js'
import {RawError} from '../errors.js'
import type {IOStreams} from '../io.js'
import {toJson, toPrinter, toYaml, parseYamlDocuments} from '../printers/index.js'
import {newBuilder, resourcePath, splitDocuments, type Info} from '../resource/builder.js'
import {createApplyAnnotation} from '../resource/last-applied.js'
import {validationDirective} from '../resource/openapi.js'

/** EDIT_HEADER is the comment kubectl puts at the top of a YAML edit file (editHeader.writeTo). */
export const EDIT_HEADER = `# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
`

/** EditReason is one error block of the header: a head line and its causes. */
export interface EditReason {
  head: string
  other: string[]
}

/** hashOnLineBreak comments the continuation lines of a multi-line message (editoptions.go). */
export function hashOnLineBreak(s: string): string {
  let r = ''
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\n' && i + 1 < s.length && s[i + 1] !== '#') r += '\n# '
    else r += s[i]
  }
  return r
}

/** editHeader renders the header with the reasons of the last failed save. */
export function editHeader(reasons: EditReason[]): string {
  let out = EDIT_HEADER
  for (const r of reasons) {
    out += r.other.length > 0 ? `# ${hashOnLineBreak(r.head)}:\n` : `# ${hashOnLineBreak(r.head)}\n`
    for (const o of r.other) out += `# * ${hashOnLineBreak(o)}\n`
    out += '#\n'
  }
  return out
}

/** manualStrip drops comment lines (but not `#!`) from a file (cmdutil.ManualStrip). */
export function manualStrip(text: string): string {
  return text
    .split('\n')
    .filter((l) => {
      const t = l.trim()
      return !(t.startsWith('#') && !t.startsWith('#!'))
    })
    .join('\n')
}

/** stripComments is cmdutil.StripComments: the file as JSON when it parses, else without comment lines. */
export function stripComments(text: string): string {
  try {
    const docs = parseYamlDocuments(text)
    return JSON.stringify(docs[0] ?? null)
  } catch {
    return manualStrip(text)
  }
}

/**
 * validateEdited is the document check of the edit validator (kubectl/pkg/validation schema.go ValidateBytes on the
 * comment-stripped file): it returns the reason the first document is not an object with apiVersion and kind, or
 * undefined. Field checks are left to the server (fieldValidation=Strict).
 */
export function validateEdited(text: string): string | undefined {
  let doc: unknown
  try {
    doc = parseYamlDocuments(manualStrip(text))[0] ?? null
  } catch (e) {
    return (e as Error).message.replace(/^error converting YAML to JSON: /, '')
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return 'invalid object to validate'
  const o = doc as {apiVersion?: unknown; kind?: unknown}
  const errs: string[] = []
  if (o.apiVersion === undefined || o.apiVersion === null) errs.push('apiVersion not set')
  else if (typeof o.apiVersion !== 'string') errs.push("apiVersion isn't string type")
  if (o.kind === undefined || o.kind === null) errs.push('kind not set')
  else if (typeof o.kind !== 'string') errs.push("kind isn't string type")
  return errs.length === 0 ? undefined : errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`
}

/** hasLines tells whether a file has a line that is neither blank nor a comment. */
export function hasLines(text: string): boolean {
  return text.split('\n').some((l) => {
    const t = l.trim()
    return t.length > 0 && t[0] !== '#'
  })
}

/** editorArgs resolves the editor command line as defaultEnvEditor does (editor.go). */
export function editorArgs(env: NodeJS.ProcessEnv): {args: string[]; shell: boolean} {
  let editor = ''
  for (const name of ['KUBE_EDITOR', 'EDITOR']) {
    editor = env[name] ?? ''
    if (editor) break
  }
  if (!editor) editor = 'vi'
  if (!editor.includes(' ')) return {args: [editor], shell: false}
  if (!/["'\\]/.test(editor)) return {args: editor.split(' '), shell: false}
  return {args: [env.SHELL || '/bin/bash', '-c', editor], shell: true}
}

interface Results {
  reasons: EditReason[]
  retryable: number
  notfound: number
  edit: number
  file: string
}

/** EditOptions edits objects on the server. */
export class EditOptions {
  filenames: string[] = []
  recursive = false
  kustomize?: string
  args: string[] = []
  output = ''
  outputPatch = false
  windowsLineEndings = false
  fieldManager = 'kubectl-edit'
  saveConfig = false
  subresource = ''
  validateFlag?: string
  env: NodeJS.ProcessEnv = process.env
  /** program is the base name used in temp file names and messages (kubectl uses os.Args[0]). */
  program = 'mkctl'

  private directive = 'Strict'
  private infos: Info[] = []
  private rest?: RestClient
  private mapper?: RESTMapper
  private namespace = 'default'
  private managedFields = new Map<string, unknown>()

  constructor(readonly io: IOStreams) {}

  /** complete resolves the objects (ResourceTypeOrNameArgs(true, ...).Latest()) and the clients. */
  async complete(f: Factory): Promise<void> {
    if (this.output && this.output !== 'json' && this.output !== 'yaml') {
      // the edit printer only knows json and yaml; let the -o chain word the error for anything else
      toPrinter({output: this.output}, this.io.out)
    }
    this.directive = validationDirective(this.validateFlag)
    const ns = await f.namespace()
    this.namespace = ns.namespace
    if (this.kustomize) throw new Error('mkctl does not support -k (kustomize)')
    const builder = await newBuilder(f, this.io.in, {
      filenames: this.filenames,
      recursive: this.recursive,
      // ResourceTypeOrNameArgs(true, ...): types without names select every object of the types
      selectAll: this.filenames.length === 0 && this.args.length === 1 && !this.args[0].includes('/'),
      args: this.args,
    })
    const {infos, error} = await builder.infos()
    if (error) throw error
    this.rest = await f.restClient()
    this.mapper = await f.mapper()
    for (const info of infos) {
      if (info.name) {
        info.object = await this.rest.get<KubeObject>(this.path(info.mapping, info.namespace, info.name))
      }
    }
    this.infos = infos
  }

  private path(m: ResourceInfo, namespace: string, name: string): string {
    return resourcePath(m, namespace, name) + (this.subresource ? `/${this.subresource}` : '')
  }

  /** run is the edit loop of EditOptions.Run (normal edit mode). */
  async run(): Promise<void> {
    if (this.infos.length === 0) throw new Error('edit cancelled, no objects found')
    const json = this.output === 'json'
    const ext = json ? '.json' : '.yaml'
    let results: Results = {reasons: [], retryable: 0, notfound: 0, edit: 0, file: ''}
    let original = ''
    let edited = ''
    let containsError = false
    for (;;) {
      let buf = json ? '' : editHeader(results.reasons)
      if (!containsError) {
        const shown = this.originalObject()
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
        throw this.preserved(e as Error, results.file)
      }
      if (containsError && stripComments(editedDiff) === stripComments(edited)) {
        throw this.preserved(new Error('Edit cancelled, no valid changes were saved.'), file)
      }
      if (results.file) rmSync(results.file, {force: true})
      const invalid = this.directive === 'Ignore' ? undefined : validateEdited(edited)
      if (invalid !== undefined) {
        // schema.ValidateBytes failed: reported as an Invalid error of the first object, and the file reopened
        results = {reasons: [], retryable: 0, notfound: 0, edit: 1, file}
        const info = this.infos[0]
        const m = info.mapping
        const resource = m.group ? `${m.plural}.${m.group}` : m.plural
        containsError = true
        results.reasons.push({
          head: `${resource} ${JSON.stringify(info.name)} was not valid`,
          other: [`<nil>: Invalid value: "The edited file failed validation": ${invalid}`],
        })
        this.io.errOut.write(`error: ${resource} ${JSON.stringify(info.name)} is invalid\n`)
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
      results = {reasons: [], retryable: 0, notfound: 0, edit: 0, file}
      let updated: {object: KubeObject; mapping: ResourceInfo}[]
      try {
        updated = await this.parseEdited(edited)
      } catch (e) {
        containsError = true
        results.reasons.push({head: `The edited file had a syntax error: ${(e as Error).message}`, other: []})
        continue
      }
      containsError = false
      try {
        for (const u of updated) {
          const meta = (u.object.metadata ??= {}) as Record<string, unknown>
          const mf = this.managedFields.get(String(meta.uid ?? ''))
          if (mf !== undefined) meta.managedFields = mf
          if (this.saveConfig) createApplyAnnotation(u.object)
        }
        await this.visitToPatch(updated, results)
      } catch (e) {
        throw this.preserved(e as Error, results.file)
      }
      if (results.retryable > 0) {
        this.io.errOut.write(`You can run \`${this.program} replace -f ${file}\` to try this update again.\n`)
        throw new RawError('')
      }
      if (results.notfound > 0) {
        this.io.errOut.write(`The edits you made on deleted resources have been saved to ${JSON.stringify(file)}\n`)
        throw new RawError('')
      }
      if (results.edit === 0) {
        rmSync(file, {force: true})
        return
      }
      if (results.reasons.length > 0) containsError = true
    }
  }

  // originalObject is what the editor shows: the object, or a v1 List of them, without managedFields (kept aside).
  private originalObject(): KubeObject {
    this.managedFields.clear()
    const strip = (o: KubeObject): KubeObject => {
      const c = structuredClone(o)
      const meta = c.metadata as Record<string, unknown> | undefined
      if (meta) {
        this.managedFields.set(String(meta.uid ?? ''), meta.managedFields)
        delete meta.managedFields
      }
      return c
    }
    if (this.infos.length === 1) return strip(this.infos[0].object)
    return {apiVersion: 'v1', items: this.infos.map((i) => strip(i.object)), kind: 'List', metadata: {}}
  }

  private preserved(err: Error, path: string): Error {
    return preservedCopy(this.io, err, path)
  }

  private launchTempFile(prefix: string, suffix: string, buf: string): {text: string; file: string} {
    return launchTempFile(this.env, prefix, suffix, buf)
  }

  // parseEdited decodes the saved file into objects (a List is flattened) and maps each one.
  private async parseEdited(text: string): Promise<{object: KubeObject; mapping: ResourceInfo}[]> {
    const docs: unknown[] = []
    for (const chunk of splitDocuments(text)) {
      try {
        docs.push(...(chunk.json ? [JSON.parse(chunk.text)] : parseYamlDocuments(chunk.text)))
      } catch (e) {
        throw new Error(`error parsing edited-file: ${(e as Error).message}`, {cause: e})
      }
    }
    const out: {object: KubeObject; mapping: ResourceInfo}[] = []
    const add = async (doc: unknown) => {
      if (!doc || typeof doc !== 'object') return
      const o = doc as KubeObject & {items?: unknown[]}
      if ((o.kind ?? '').endsWith('List') && Array.isArray(o.items)) {
        for (const item of o.items) await add(item)
        return
      }
      if (!o.kind) throw new Error(`unable to decode "edited-file": Object 'Kind' is missing in '${toJson(o, '')}'`)
      const mapping = await this.mapper!.kindFor(o.apiVersion ?? '', o.kind)
      out.push({object: o, mapping})
    }
    for (const d of docs) await add(d)
    return out
  }

  // visitToPatch patches each edited object that differs from its original (editoptions.go visitToPatch).
  private async visitToPatch(updated: {object: KubeObject; mapping: ResourceInfo}[], results: Results): Promise<void> {
    for (const u of updated) {
      const uid = String(u.object.metadata?.uid ?? '')
      const orig = this.infos.find((i) => String(i.object.metadata?.uid ?? '') === uid)
      if (!orig) throw new Error(`no original object found for ${toJson(u.object, '')}`)
      const before = orig.object as Record<string, unknown>
      const after = u.object as Record<string, unknown>
      const name = orig.name
      const printer = (op: string) => toPrinter({output: this.output, operation: op}, this.io.out)
      if (toJson(before, '') === toJson(after, '')) {
        printer('skipped').print(u.object)
        continue
      }
      const changed = (a: unknown, b: unknown) => toJson(a, '') !== toJson(b, '')
      if (
        changed(before.apiVersion, after.apiVersion) ||
        changed(before.kind, after.kind) ||
        changed((before.metadata as Record<string, unknown>)?.name, (after.metadata as Record<string, unknown>)?.name)
      ) {
        throw new Error('At least one of apiVersion, kind and name was changed')
      }
      const schema = builtinPatchSchema(orig.mapping.group, orig.mapping.version, orig.mapping.kind)
      const patch = schema ? createTwoWayMergePatch(before, after, schema) : createMergePatch(before, after)
      const body = toJson(patch, '')
      if (this.outputPatch) this.io.out.write(`Patch: ${body}\n`)
      let patched: KubeObject
      try {
        patched = await this.rest!.patch<KubeObject>(
          this.path(orig.mapping, orig.namespace, name),
          body,
          schema ? 'application/strategic-merge-patch+json' : 'application/merge-patch+json',
          {query: {fieldManager: this.fieldManager, fieldValidation: this.directive}},
        )
      } catch (e) {
        this.io.errOut.write(this.addError(e as Error, orig, results) + '\n')
        continue
      }
      printer('edited').print(patched)
    }
  }

  // addError records a failed patch as editResults.addError does and returns the line to print.
  private addError(err: Error, info: Info, results: Results): string {
    const m = info.mapping
    const resource = m.group ? `${m.plural}.${m.group}` : m.plural
    const status = err instanceof StatusError ? err.status : undefined
    if (status?.reason === 'Invalid') {
      results.edit++
      results.reasons.push({
        head: `${resource} ${JSON.stringify(info.name)} was not valid`,
        other: (status.details?.causes ?? []).map((c) => `${c.field ?? ''}: ${c.message ?? ''}`),
      })
      return `error: ${resource} ${JSON.stringify(info.name)} is invalid`
    }
    if (status?.reason === 'NotFound') {
      results.notfound++
      return `error: ${resource} ${JSON.stringify(info.name)} could not be found on the server`
    }
    results.retryable++
    return `error: ${resource} ${JSON.stringify(info.name)} could not be patched: ${err.message}`
  }
}

/** preservedCopy tells where the edited file was kept (when it still exists) and returns err, as kubectl's edit does. */
export function preservedCopy(io: IOStreams, err: Error, path: string): Error {
  if (path && existsSync(path)) io.errOut.write(`A copy of your changes has been stored to ${JSON.stringify(path)}\n`)
  return err
}

/** launchTempFile writes buf to a new temp file, runs the editor on it and reads it back (Editor.LaunchTempFile). */
export function launchTempFile(
  env: NodeJS.ProcessEnv,
  prefix: string,
  suffix: string,
  buf: string,
): {text: string; file: string} {
  let file: string
  for (let i = 0; ; i++) {
    file = join(tmpdir(), `${prefix}${randomDigits()}${suffix}`)
    try {
      writeFileSync(file, buf, {flag: 'wx', mode: 0o600})
      break
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || i > 100) throw e
    }
  }
  const {args, shell} = editorArgs(env)
  const abs = resolve(file)
  const argv = shell ? [...args.slice(0, -1), `${args[args.length - 1]} ${JSON.stringify(abs)}`] : [...args, abs]
  const r = spawnSync(argv[0]!, argv.slice(1), {stdio: 'inherit', env})
  const shown = (shell ? [args[args.length - 1]] : args).join(' ')
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error(`unable to launch the editor ${JSON.stringify(shown)}`)
  }
  if (r.error || r.status !== 0) throw new Error(`there was a problem with the editor ${JSON.stringify(shown)}`)
  return {text: readFileSync(file, 'utf8').replace(/\r\n/g, '\n'), file}
}

// randomDigits gives the digits os.CreateTemp puts in place of `*`.
function randomDigits(): string {
  return String(Math.floor(Math.random() * 4294967295))
}
