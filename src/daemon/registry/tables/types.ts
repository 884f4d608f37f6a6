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
