// types.ts: the shapes of the server-side Table conversion (meta.k8s.io/v1 Table), kept apart from index.ts so
// the per-kind printer files can import them without a cycle.

/** TableColumnDefinition is one column of a meta.k8s.io/v1 Table. */
export interface TableColumnDefinition {
  name: string
  type: string
  format: string
  description: string
  priority: number
}

/** TableRowCondition is an optional row condition (pods: Completed). */
export interface TableRowCondition {
  type: string
  status: string
  reason?: string
  message?: string
}

/** TableRowData is what a convertor produces for one object: its cells and optional row conditions. */
export interface TableRowData {
  cells: unknown[]
  conditions?: TableRowCondition[]
}

/** TableConvertor turns objects of one kind into Table rows; the server always produces every (wide) cell. */
export interface TableConvertor {
  columns: TableColumnDefinition[]
  rows(obj: any, now: number): TableRowData[]
  /**
   * prepare, when present, does once the part of a row that does not depend on the time: rows(obj, now) equals
   * prepare(obj)(now) for every now. The list handler keeps what it returns per stored revision, so listing 100k
   * unchanged pods again neither reads nor parses them (the closure must not keep obj itself alive).
   */
  prepare?(obj: any): (now: number) => TableRowData[]
}

/** convertor builds a TableConvertor from columns and a one-row printer. */
export function convertor(
  columns: TableColumnDefinition[],
  row: (obj: any, now: number) => TableRowData | unknown[],
): TableConvertor {
  return {
    columns,
    rows(obj, now) {
      const r = row(obj, now)
      return [Array.isArray(r) ? {cells: r} : r]
    },
  }
}

/**
 * preparedConvertor builds a TableConvertor whose rows are made in two steps: prepareRow(obj) reads the object once,
 * and the function it returns makes the row at a time (an age). rows and prepare share that code, so a cached row
 * is the row.
 */
export function preparedConvertor(
  columns: TableColumnDefinition[],
  prepareRow: (obj: any) => (now: number) => TableRowData | unknown[],
): TableConvertor {
  const norm = (r: TableRowData | unknown[]): TableRowData[] => [Array.isArray(r) ? {cells: r} : r]
  return {
    columns,
    rows: (obj, now) => norm(prepareRow(obj)(now)),
    prepare(obj) {
      const at = prepareRow(obj)
      return (now) => norm(at(now))
    },
  }
}
