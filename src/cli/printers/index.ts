// index.ts: the `-o` dispatch chain. Follows cli-runtime genericclioptions/print_flags.go (mutating commands:
// json/yaml, name, templates) and kubectl get/get_flags.go (get: templates, json/yaml, human-readable table,
// custom-columns, name). Each candidate declines with NoCompatiblePrinterError; when all decline, the error lists
// the allowed formats sorted, as kubectl prints them.
import {readFileSync} from 'node:fs'

import {CustomColumnsPrinter, parseCustomColumnsSpec, parseCustomColumnsTemplate} from './custom-columns.js'
import {GoTemplatePrinter} from './gotemplate.js'
import {JsonPrinter, omitManagedFields} from './json.js'
import {JsonPathPrinter} from './jsonpath.js'
import {NamePrinter} from './name.js'
import {TablePrinter, type Table, type TablePrintOptions} from './table.js'
import {newGetTabWriter, type Sink, type TabWriter} from './tabwriter.js'
import {YamlPrinter} from './yaml.js'

/** NoCompatiblePrinterError says that no printer accepts the output format (print_flags.go). */
export class NoCompatiblePrinterError extends Error {
  override name = 'NoCompatiblePrinterError'
  constructor(
    readonly outputFormat: string,
    readonly allowedFormats: string[],
  ) {
    super(
      `unable to match a printer suitable for the output format ${JSON.stringify(outputFormat)}, allowed formats are: ${[
        ...allowedFormats,
      ]
        .sort()
        .join(',')}`,
    )
  }
}

/** PrintFlags are the printing flags of a command (-o, --template, --no-headers, --show-labels, ...). */
export interface PrintFlags extends TablePrintOptions {
  /** output is the -o value: json, yaml, name, wide, jsonpath=..., custom-columns=..., '' (default). */
  output?: string
  /** template is --template (used with -o jsonpath / jsonpath-file, or alone for go-template). */
  template?: string
  /** allowMissingTemplateKeys is --allow-missing-template-keys (default true). */
  allowMissingTemplateKeys?: boolean
  /** showManagedFields is --show-managed-fields. */
  showManagedFields?: boolean
  /** operation is the verb of the name printer ("created"); -o name drops it. */
  operation?: string
  /** command picks the format set: 'get' (tables, wide, custom-columns) or 'generic' (create, apply, ...). */
  command?: 'get' | 'generic'
  /** readFile reads -file templates (tests inject it). */
  readFile?: (path: string) => string
}

/** ResourcePrinter prints objects to the sink it was made for; call flush() at the end. */
export interface ResourcePrinter {
  /** kind is which printer the chain chose. */
  readonly kind: 'json' | 'yaml' | 'name' | 'jsonpath' | 'go-template' | 'custom-columns' | 'table'
  print(obj: unknown, eventType?: string): void
  flush(): void
}

const jsonYamlFormats = ['json', 'yaml']
const jsonPathFormats = ['jsonpath', 'jsonpath-as-json', 'jsonpath-file']
const goTemplateFormats = ['go-template', 'go-template-file', 'template', 'templatefile']
const customColumnsFormats = ['custom-columns', 'custom-columns-file']

/** allowedFormats lists the -o values a command accepts, sorted (the text of kubectl's -o help and errors). */
export function allowedFormats(command: 'get' | 'generic' = 'generic'): string[] {
  const f = [...jsonYamlFormats, 'name', ...goTemplateFormats, ...jsonPathFormats]
  if (command === 'get') f.push(...customColumnsFormats, 'wide')
  return f.sort()
}

/** toPrinter chooses the printer for flags.output, or throws (NoCompatiblePrinterError or a flag error). */
export function toPrinter(flags: PrintFlags, out: Sink, writer?: TabWriter): ResourcePrinter {
  const command = flags.command ?? 'generic'
  let output = flags.output ?? ''
  if (command === 'get' && flags.template && output === '') output = 'go-template'
  const chain =
    command === 'get'
      ? [templatePrinter, jsonYamlPrinter, humanPrinter, customColumnsPrinter, namePrinter]
      : [jsonYamlPrinter, namePrinter, templatePrinter]
  for (const candidate of chain) {
    const p = candidate(output, flags, out, writer)
    if (p) return p
  }
  throw new NoCompatiblePrinterError(output, allowedFormats(command))
}

type Candidate = (output: string, flags: PrintFlags, out: Sink, writer?: TabWriter) => ResourcePrinter | undefined

const jsonYamlPrinter: Candidate = (output, flags, out) => {
  const format = output.toLowerCase()
  if (format !== 'json' && format !== 'yaml') return undefined
  const p = format === 'json' ? new JsonPrinter() : new YamlPrinter()
  return {
    kind: format,
    print: (obj) => p.print(flags.showManagedFields ? obj : omitManagedFields(obj), out),
    flush() {},
  }
}

const namePrinter: Candidate = (output, flags, out) => {
  const format = output.toLowerCase()
  if (format !== 'name' && format !== '') return undefined
  const p = new NamePrinter({operation: flags.operation, shortOutput: format === 'name'})
  return {kind: 'name', print: (obj) => p.print(obj, out), flush() {}}
}

// splitFormat separates `jsonpath={.x}` into format and value (the --template flag wins when set)
function splitFormat(output: string, formats: string[], template: string | undefined): [string, string] {
  if (template) return [output, template]
  for (const f of formats) if (output.startsWith(f + '=')) return [f, output.slice(f.length + 1)]
  return [output, '']
}

function readTemplateFile(flags: PrintFlags, path: string, what: string): string {
  try {
    return (flags.readFile ?? ((p: string) => readFileSync(p, 'utf8')))(path)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    const reason =
      code === 'ENOENT' ? 'no such file or directory' : code === 'EISDIR' ? 'is a directory' : (e as Error).message
    throw new Error(`error reading ${what} ${path}, open ${path}: ${reason}`, {cause: e})
  }
}

const templatePrinter: Candidate = (output, flags, out) => {
  if (!flags.template && output === '') return undefined
  const [format, value] = splitFormat(output, jsonPathFormats, flags.template)
  if (jsonPathFormats.includes(format)) {
    if (!value) throw new Error('template format specified but no template given')
    const tpl = format === 'jsonpath-file' ? readTemplateFile(flags, value, '--template') : value
    const p = new JsonPathPrinter(tpl, {
      allowMissingKeys: flags.allowMissingTemplateKeys ?? true,
      outputJSON: format === 'jsonpath-as-json',
    })
    return {kind: 'jsonpath', print: (obj) => p.print(obj, out), flush() {}}
  }
  const [goFormat, goValue] = splitFormat(output, goTemplateFormats, flags.template)
  if (goTemplateFormats.includes(goFormat)) {
    if (!goValue) throw new Error('template format specified but no template given')
    const tpl =
      goFormat === 'go-template-file' || goFormat === 'templatefile'
        ? readTemplateFile(flags, goValue, '--template')
        : goValue
    const p = new GoTemplatePrinter(tpl, flags.allowMissingTemplateKeys ?? true)
    return {kind: 'go-template', print: (obj) => p.print(obj, out), flush() {}}
  }
  return undefined
}

const humanPrinter: Candidate = (output, flags, out, writer) => {
  if (output !== '' && output !== 'wide') return undefined
  const w = writer ?? newGetTabWriter(out)
  const p = new TablePrinter({...flags, wide: output === 'wide'}, w)
  return {kind: 'table', print: (obj, eventType) => p.print(obj as Table, eventType), flush: () => p.flush()}
}

const customColumnsPrinter: Candidate = (output, flags, out, writer) => {
  if (output === '') return undefined
  const [format, value] = splitFormat(output, customColumnsFormats, flags.template)
  if (!customColumnsFormats.includes(format)) return undefined
  if (!value) throw new Error('custom-columns format specified but no custom columns given')
  const columns =
    format === 'custom-columns-file'
      ? parseCustomColumnsTemplate(readTemplateFile(flags, value, 'template'))
      : parseCustomColumnsSpec(value)
  // the file variant ignores --no-headers, as NewCustomColumnsPrinterFromTemplate does
  const noHeaders = format === 'custom-columns' ? Boolean(flags.noHeaders) : false
  const p = new CustomColumnsPrinter(columns, noHeaders, writer ?? newGetTabWriter(out))
  return {kind: 'custom-columns', print: (obj) => p.print(obj), flush: () => p.flush()}
}

export {toJson} from './json.js'
export {toYaml, parseYamlDocuments} from './yaml.js'
export {formatName} from './name.js'
export {printTable} from './table.js'
export type {Sink} from './tabwriter.js'
