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
    // Copies, as decorateTable edits cells; only cells and object are read from here on (a spread of every row of a
    // 10k-row list cost more than printing it).
    let rows: TableRow[] = (table.rows ?? []).map((r) => ({cells: r.cells ? r.cells.slice() : [], object: r.object}))
    const local = {...this.options}
    if (this.printedHeaders && (columns.length === 0 || sameColumns(columns, this.lastColumns))) local.noHeaders = true
    if (columns.length === 0) columns = this.lastColumns ?? []
    else if (!sameColumns(columns, this.lastColumns)) {
      this.lastColumns = columns
      this.printedHeaders = false
    }
    if (rows.length > 0) this.printedHeaders = true
    ;({columns, rows} = decorateTable(columns, rows, local))
    if (eventType) {
      columns = [{name: 'Event', type: 'string'}, ...columns]
      rows = rows.map((r) => ({...r, cells: [formattedEventType[eventType] ?? eventType, ...r.cells]}))
    }
    this.writer.write(renderRows(columns, rows, local))
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

// decorateTable adds NAMESPACE, -L and LABELS columns and the kind prefix of the name column
function decorateTable(
  columns: TableColumnDefinition[],
  rows: TableRow[],
  options: TablePrintOptions,
): {columns: TableColumnDefinition[]; rows: TableRow[]} {
  const columnLabels = options.columnLabels ?? []
  const width = columns.length + columnLabels.length + (options.withNamespace ? 1 : 0) + (options.showLabels ? 1 : 0)
  const kind = kindString(options.kind)
  let nameColumn = -1
  if (options.withKind && kind) nameColumn = columns.findIndex((c) => c.format === 'name' && c.type === 'string')
  let newColumns = columns
  if (width !== columns.length) {
    newColumns = []
    if (options.withNamespace) newColumns.push({name: 'Namespace', type: 'string'})
    newColumns.push(...columns)
    for (const label of formatLabelHeaders(columnLabels)) newColumns.push({name: label, type: 'string'})
    if (options.showLabels) newColumns.push({name: 'Labels', type: 'string'})
  }
  const includeLabels = columnLabels.length > 0 || Boolean(options.showLabels)
  if (includeLabels || options.withNamespace || nameColumn !== -1) {
    for (const row of rows) {
      if (nameColumn !== -1) row.cells[nameColumn] = `${kind}/${goSprint(row.cells[nameColumn])}`
      const meta = row.object && typeof row.object === 'object' ? (row.object.metadata ?? {}) : undefined
      if (!meta) {
        // no object: the added columns stay empty; like tableprinter.go the loop bound moves as cells are added,
        // so only about half the missing cells are added and the row ends early
        if (options.withNamespace) row.cells.unshift(null)
        for (let j = 0; j < width - row.cells.length; j++) row.cells.push(null)
        continue
      }
      // A new array rather than unshift: unshift moves every cell of every row (10k rows in a page set).
      if (options.withNamespace) row.cells = [meta.namespace ?? '', ...row.cells]
      if (includeLabels) {
        const labels = meta.labels ?? {}
        for (const key of columnLabels) row.cells.push(labels[key] ?? '')
        if (options.showLabels) row.cells.push(formatLabels(labels))
      }
    }
  }
  return {columns: newColumns, rows}
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

// printTable of tableprinter.go: headers unless noHeaders (and never for an empty table), priority>0 only if wide
function renderRows(columns: TableColumnDefinition[], rows: TableRow[], options: TablePrintOptions): string {
  const lines: string[] = []
  const visible = (c: TableColumnDefinition) => Boolean(options.wide) || !c.priority
  if (!options.noHeaders) {
    if (rows.length === 0) return ''
    lines.push(
      columns
        .filter(visible)
        .map((c) => c.name.toUpperCase())
        .join('\t') + '\n',
    )
  }
  for (const row of rows) {
    const cells: string[] = []
    for (let i = 0; i < row.cells.length && i < columns.length; i++) {
      if (visible(columns[i])) cells.push(formatCell(row.cells[i]))
    }
    lines.push(cells.join('\t') + '\n')
  }
  return lines.join('')
}
