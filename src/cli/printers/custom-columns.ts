// custom-columns.ts: `-o custom-columns=HEADER:path,...` and `-o custom-columns-file=FILE`
// (kubectl pkg/cmd/get/customcolumn.go). Each column is a relaxed JSONPath; a column without results prints
// `<none>`, several results are joined with `,`, and rows go through kubectl get's tab writer.
import {goSprint} from '../../api/gofmt.js'
import {JsonPath} from './jsonpath.js'
import {escapeTerminal} from './table.js'
import {newGetTabWriter, type Sink, type TabWriter} from './tabwriter.js'

/** Column is one custom column: its header and its `{.path}` template. */
export interface Column {
  header: string
  fieldSpec: string
}

/** relaxedJsonPathExpression turns `a.b`, `.a.b`, `{a.b}` or `{.a.b}` into `{.a.b}` (RelaxedJSONPathExpression). */
export function relaxedJsonPathExpression(pathExpression: string): string {
  if (pathExpression.length === 0) return pathExpression
  const m = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/.exec(pathExpression)
  if (!m) {
    throw new Error(
      "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'",
    )
  }
  return `{.${m[1] ?? m[2]}}`
}

/** parseCustomColumnsSpec parses `NAME:.metadata.name,IMG:.spec.containers[*].image`. */
export function parseCustomColumnsSpec(spec: string): Column[] {
  if (spec.length === 0) throw new Error('custom-columns format specified but no custom columns given')
  return spec.split(',').map((part) => {
    const colon = part.indexOf(':')
    if (colon < 0) throw new Error(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`)
    return {header: part.slice(0, colon), fieldSpec: relaxedJsonPathExpression(part.slice(colon + 1))}
  })
}

const missingLineHelp =
  'Expected format is one line of space separated headers, one line of space separated column specs.'

/** parseCustomColumnsTemplate parses a custom-columns file: a line of headers, then a line of paths. */
export function parseCustomColumnsTemplate(text: string): Column[] {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''))
  // bufio.Scanner drops a final empty line
  if (lines.at(-1) === '') lines.pop()
  if (lines.length < 1) throw new Error(`invalid template, missing header line. ${missingLineHelp}`)
  if (lines.length < 2) throw new Error(`invalid template, missing spec line. ${missingLineHelp}`)
  const words = (l: string) => l.split(/[\t\n\v\f\r \u0085\u00a0]+/).filter(Boolean)
  const headers = words(lines[0])
  const specs = words(lines[1])
  if (headers.length !== specs.length) {
    throw new Error(`number of headers (${headers.length}) and field specifications (${specs.length}) don't match`)
  }
  return headers.map((header, i) => ({header, fieldSpec: relaxedJsonPathExpression(specs[i])}))
}

/**
 * CustomColumnsPrinter prints one row per object (per item for a list) under one header line. Rows go to a tab
 * writer that the caller flushes (or use printCustomColumns for one-shot output).
 */
export class CustomColumnsPrinter {
  private printedHeader = false
  private readonly parsers: JsonPath[]

  constructor(
    private readonly columns: Column[],
    private readonly noHeaders: boolean,
    readonly writer: TabWriter,
  ) {
    this.parsers = columns.map((c) => new JsonPath(c.fieldSpec, {allowMissingKeys: true}))
  }

  /** print writes the header (once) and the object's row, or one row per item of a list. */
  print(obj: unknown): void {
    if (!this.noHeaders && !this.printedHeader) {
      this.writer.write(this.columns.map((c) => c.header).join('\t') + '\n')
      this.printedHeader = true
    }
    const items = (obj as {items?: unknown} | null)?.items
    if (Array.isArray(items)) for (const item of items) this.printOne(item)
    else this.printOne(obj)
  }

  /** flush writes out the buffered rows. */
  flush(): void {
    this.writer.flush()
  }

  private printOne(obj: unknown): void {
    const cells = this.parsers.map((p) => {
      const values = p.findResults(obj)
      const strs: string[] = []
      if (values.length === 0 || values[0].length === 0) strs.push('<none>')
      for (const vs of values) for (const v of vs) strs.push(escapeTerminal(goSprint(v)))
      return strs.join(',')
    })
    this.writer.write(cells.join('\t') + '\n')
  }
}

/** printCustomColumns prints objects with the given columns through kubectl get's tab writer and flushes. */
export function printCustomColumns(objs: unknown[], columns: Column[], noHeaders: boolean, out: Sink): void {
  const p = new CustomColumnsPrinter(columns, noHeaders, newGetTabWriter(out))
  for (const o of objs) p.print(o)
  p.flush()
}
