// table.ts: renders a server-side `meta.k8s.io/v1` Table as kubectl's human-readable printer does
// (cli-runtime pkg/printers/tableprinter.go: PrintObj, decorateTable, printTable).
import {formatNumber, goSprint, sortedKeys} from '../../api/gofmt.js'
import {newGetTabWriter, type Sink, type TabWriter} from './tabwriter.js'

/** TableColumnDefinition is one column of a meta.k8s.io/v1 Table. */
export interface TableColumnDefinition {
  name: string
  type: string
  format?: string
  description?: string
  priority?: number
}

/** TableRow is one row: cells (JSON values) and the object (PartialObjectMetadata or full) it describes. */
export interface TableRow {
  cells: unknown[]
  object?: {metadata?: {namespace?: string; labels?: Record<string, string>}} | null
}

/** Table is a meta.k8s.io/v1 Table as the apiserver returns it. */
export interface Table {
  kind?: string
  apiVersion?: string
  metadata?: Record<string, unknown>
  columnDefinitions?: TableColumnDefinition[] | null
  rows?: TableRow[] | null
}

/** TablePrintOptions are cli-runtime's PrintOptions. */
export interface TablePrintOptions {
  noHeaders?: boolean
  wide?: boolean
  /** withNamespace adds the NAMESPACE column first (get -A). */
  withNamespace?: boolean
  /** showLabels adds the LABELS column last. */
  showLabels?: boolean
  /** columnLabels are the -L keys, one column each. */
  columnLabels?: string[]
  /** withKind prefixes the name column with `kind.group/` (several kinds printed, or --show-kind). */
  withKind?: boolean
  /** kind is the printed kind as {group, kind} or the GroupKind string (`Deployment.apps`). */
  kind?: {group: string; kind: string} | string
}

/** Watch event types kubectl prints in the EVENT column (--output-watch-events). */
const formattedEventType: Record<string, string> = {
  ADDED: 'ADDED   ',
  MODIFIED: 'MODIFIED',
  DELETED: 'DELETED ',
  ERROR: 'ERROR   ',
}

/**
 * TablePrinter renders Tables one after another, as kubectl's HumanReadablePrinter: headers are printed once while
 * the column definitions stay the same (watch output), and a table without rows prints nothing. Output goes to a
 * TabWriter that the caller flushes; share one TabWriter between printers to keep RememberWidths across kinds, as
 * `kubectl get` does.
 */
export class TablePrinter {
  private lastColumns: TableColumnDefinition[] | undefined
  private printedHeaders = false

  constructor(
    private readonly options: TablePrintOptions,
    readonly writer: TabWriter,
  ) {}

  /** print writes one Table (or the Table of a watch event, with eventType set) to the tab writer. */
  print(table: Table, eventType?: string): void {
    let columns = table.columnDefinitions ?? []
    const rows: TableRow[] = table.rows ?? []
    const local = {...this.options}
    if (this.printedHeaders && (columns.length === 0 || sameColumns(columns, this.lastColumns))) local.noHeaders = true
    if (columns.length === 0) columns = this.lastColumns ?? []
    else if (!sameColumns(columns, this.lastColumns)) {
      this.lastColumns = columns
      this.printedHeaders = false
    }
    if (rows.length > 0) this.printedHeaders = true
    this.writer.write(renderTable(columns, rows, local, eventType))
  }

  /** flush writes out everything buffered in the tab writer. */
  flush(): void {
    this.writer.flush()
  }
}

/** printTable renders one Table with kubectl get's tab writer settings and flushes. */
export function printTable(table: Table, opts: TablePrintOptions, out: Sink): void {
  const p = new TablePrinter(opts, newGetTabWriter(out))
  p.print(table)
  p.flush()
}

function sameColumns(a: TableColumnDefinition[], b: TableColumnDefinition[] | undefined): boolean {
  if (!b || a.length !== b.length) return false
  return a.every(
    (c, i) =>
      c.name === b[i].name &&
      c.type === b[i].type &&
      (c.format ?? '') === (b[i].format ?? '') &&
      (c.description ?? '') === (b[i].description ?? '') &&
      (c.priority ?? 0) === (b[i].priority ?? 0),
  )
}

/** kindString is GroupKind.String() lower-cased: `deployment.apps`, `pod`. */
function kindString(kind: TablePrintOptions['kind']): string {
  if (!kind) return ''
  if (typeof kind === 'string') return kind.toLowerCase()
  return (kind.group ? `${kind.kind}.${kind.group}` : kind.kind).toLowerCase()
}

/** formatLabelHeaders follows tableprinter.go: the -L key's last `/` segment, upper-cased. */
export function formatLabelHeaders(columnLabels: string[]): string[] {
  return columnLabels.map((l) => l.split('/').at(-1)!.toUpperCase())
}

/** formatLabels follows labels.FormatLabels: sorted `k=v` pairs joined by `,`, or `<none>`. */
export function formatLabels(labels: Record<string, string> | undefined | null): string {
  const keys = labels ? sortedKeys(labels) : []
  if (keys.length === 0) return '<none>'
  return keys.map((k) => `${k}=${labels![k]}`).join(',')
}

// decorateColumns is decorateTable's column half (tableprinter.go): NAMESPACE first, then -L columns and LABELS.
function decorateColumns(columns: TableColumnDefinition[], options: TablePrintOptions): TableColumnDefinition[] {
  const columnLabels = options.columnLabels ?? []
  if (!options.withNamespace && columnLabels.length === 0 && !options.showLabels) return columns
  const out: TableColumnDefinition[] = []
  if (options.withNamespace) out.push({name: 'Namespace', type: 'string'})
  out.push(...columns)
  for (const label of formatLabelHeaders(columnLabels)) out.push({name: label, type: 'string'})
  if (options.showLabels) out.push({name: 'Labels', type: 'string'})
  return out
}

// decorateRow is decorateTable's row half for one row: a copy of its cells with the kind prefix on the name column,
// the namespace first and the label cells last.
function decorateRow(
  row: TableRow,
  width: number,
  nameColumn: number,
  kind: string,
  options: TablePrintOptions,
): unknown[] {
  const cells = row.cells ? row.cells.slice() : []
  const columnLabels = options.columnLabels ?? []
  const includeLabels = columnLabels.length > 0 || Boolean(options.showLabels)
  if (!includeLabels && !options.withNamespace && nameColumn === -1) return cells
  if (nameColumn !== -1) cells[nameColumn] = `${kind}/${goSprint(cells[nameColumn])}`
  const meta = row.object && typeof row.object === 'object' ? (row.object.metadata ?? {}) : undefined
  if (!meta) {
    // no object: the added columns stay empty; like tableprinter.go the loop bound moves as cells are added,
    // so only about half the missing cells are added and the row ends early
    if (options.withNamespace) cells.unshift(null)
    for (let j = 0; j < width - cells.length; j++) cells.push(null)
    return cells
  }
  const out = options.withNamespace ? [meta.namespace ?? '', ...cells] : cells
  if (includeLabels) {
    const labels = meta.labels ?? {}
    for (const key of columnLabels) out.push(labels[key] ?? '')
    if (options.showLabels) out.push(formatLabels(labels))
  }
  return out
}

/** formatCell prints one cell as printTable does: nil empty, strings cut at the first line break plus `...`. */
export function formatCell(cell: unknown): string {
  if (cell === null || cell === undefined) return ''
  if (typeof cell === 'string') {
    // Most cells have nothing to cut or escape: one scan instead of three.
    if (!SPECIAL.test(cell)) return cell
    const cut = cell.search(/[\f\n\r]/)
    return cut >= 0 ? escapeTerminal(cell.slice(0, cut)) + '...' : escapeTerminal(cell)
  }
  if (typeof cell === 'number') return formatNumber(cell)
  return escapeTerminal(goSprint(cell))
}

// eslint-disable-next-line no-control-regex -- ESC is what terminalEscaper rewrites
const SPECIAL = /[\f\n\r\x1b]/

/** escapeTerminal follows cli-runtime's terminalEscaper: ESC as ^[ and CR as \r. */
export function escapeTerminal(s: string): string {
  return s.replaceAll('\x1b', '^[').replaceAll('\r', '\\r')
}

// renderTable is decorateTable followed by printTable of tableprinter.go: headers unless noHeaders (and never for
// an empty table), priority>0 columns only if wide, the Event column first for watch events. The common row (an
// object with metadata, as many cells as columns) is written straight from its cells: a 100k-row list would
// otherwise copy every row twice before printing it.
function renderTable(
  columns: TableColumnDefinition[],
  rows: TableRow[],
  options: TablePrintOptions,
  eventType: string | undefined,
): string {
  let decorated = decorateColumns(columns, options)
  const width = decorated.length
  const kind = kindString(options.kind)
  const nameColumn =
    options.withKind && kind ? columns.findIndex((c) => c.format === 'name' && c.type === 'string') : -1
  const event = eventType === undefined ? undefined : (formattedEventType[eventType] ?? eventType)
  if (event !== undefined) decorated = [{name: 'Event', type: 'string'}, ...decorated]
  const visible = decorated.map((c) => Boolean(options.wide) || !c.priority)
  let text = ''
  if (!options.noHeaders) {
    if (rows.length === 0) return ''
    text =
      decorated
        .filter((_, i) => visible[i])
        .map((c) => c.name.toUpperCase())
        .join('\t') + '\n'
  }
  const columnLabels = options.columnLabels ?? []
  const includeLabels = columnLabels.length > 0 || Boolean(options.showLabels)
  // visibility of the table's own columns, of the namespace column and of the label columns (-L, LABELS)
  const shift = event !== undefined ? 1 : 0
  const nsVisible = options.withNamespace ? visible[shift]! : false
  const own = shift + (options.withNamespace ? 1 : 0)
  const ownVisible = visible.slice(own, own + columns.length)
  const labelsVisible = visible.slice(own + columns.length)
  for (const row of rows) {
    const cells = row.cells
    const meta = row.object && typeof row.object === 'object' ? row.object.metadata : undefined
    if (!cells || cells.length !== columns.length || ((options.withNamespace || includeLabels) && !meta)) {
      let d = decorateRow(row, width, nameColumn, kind, options)
      if (event !== undefined) d = [event, ...d]
      const line: string[] = []
      for (let i = 0; i < d.length && i < decorated.length; i++) if (visible[i]) line.push(formatCell(d[i]))
      text += line.join('\t') + '\n'
      continue
    }
    let line = ''
    let first = true
    if (event !== undefined) {
      line = formatCell(event)
      first = false
    }
    if (nsVisible) {
      line = first ? formatCell(meta!.namespace ?? '') : line + '\t' + formatCell(meta!.namespace ?? '')
      first = false
    }
    for (let i = 0; i < cells.length; i++) {
      if (!ownVisible[i]) continue
      const cell = formatCell(i === nameColumn ? `${kind}/${goSprint(cells[i])}` : cells[i])
      line = first ? cell : line + '\t' + cell
      first = false
    }
    if (includeLabels) {
      const labels = meta!.labels ?? {}
      let j = 0
      for (const key of columnLabels) {
        if (labelsVisible[j++]) {
          const cell = formatCell(labels[key] ?? '')
          line = first ? cell : line + '\t' + cell
          first = false
        }
      }
      if (options.showLabels && labelsVisible[j]) {
        const cell = formatCell(formatLabels(labels))
        line = first ? cell : line + '\t' + cell
      }
    }
    text += line + '\n'
  }
  return text
}
