// tabwriter.ts: elastic tabstops, a port of Go's text/tabwriter with the RememberWidths flag of the
// github.com/liggitt/tabwriter fork that kubectl uses (cli-runtime pkg/printers/tabwriter.go).
//
// Design note: text is collected into cells (a cell is terminated by '\t', or by the end of its line); a
// "column block" is a run of consecutive lines that all have a cell in that column, and only those lines are aligned
// together (this is what `kubectl describe` relies on). A line without any tab ends all blocks and flushes. With
// RememberWidths the width of every column index is remembered across flushes and never shrinks, so `get -w`
// keeps its columns aligned. Widths count code points (Go counts runes), never display cells.

/** Sink is anything text can be written to (process.stdout, a string collector). */
export interface Sink {
  write(s: string): unknown
}

/** TabWriterFlags are the tabwriter flags mkctl needs (values as in Go). */
export const TabWriterFlags = {
  AlignRight: 1 << 2,
  DiscardEmptyColumns: 1 << 3,
  TabIndent: 1 << 4,
  RememberWidths: 1 << 6,
} as const

interface Cell {
  text: string
  width: number
  htab: boolean
}

/** TabWriter aligns tab-terminated cells into columns; call flush() when done. */
export class TabWriter {
  private lines: Cell[][] = [[]]
  private cellText = ''
  private widths: number[] = []
  private maxwidths: number[] = []
  private chunks: string[] = []

  constructor(
    private readonly out: Sink,
    private readonly minwidth: number,
    private readonly tabwidth: number,
    private readonly padding: number,
    private readonly padchar: string,
    private readonly flags: number,
  ) {
    if (padchar === '\t') this.flags &= ~TabWriterFlags.AlignRight
  }

  /** write adds text; a line with a single cell (no tab) flushes everything buffered so far. */
  write(text: string): void {
    let start = 0
    for (let i = 0; i < text.length; i++) {
      // '\t' 9, '\n' 10, '\v' 11, '\f' 12: one range test per character (a 10k-row page is ~1 MB of text)
      const ch = text.charCodeAt(i)
      if (ch < 9 || ch > 12) continue
      this.cellText = this.cellText.length === 0 ? text.slice(start, i) : this.cellText + text.slice(start, i)
      start = i + 1
      const ncells = this.terminateCell(ch === 9)
      if (ch === 10 || ch === 12) {
        this.lines.push([])
        if (ch === 12 || ncells === 1) this.flush()
      }
    }
    if (start < text.length) this.cellText += text.slice(start)
  }

  /** flush formats and writes all buffered lines; the last, unterminated line is written as is. */
  flush(): void {
    if (this.cellText.length > 0) this.terminateCell(false)
    this.format(0, this.lines.length)
    this.lines = [[]]
    this.cellText = ''
    this.widths = []
    if (this.chunks.length > 0) {
      this.out.write(this.chunks.join(''))
      this.chunks = []
    }
  }

  /** rememberedWidths returns the widths kept by RememberWidths (for tests and hand-over between writers). */
  rememberedWidths(): number[] {
    return [...this.maxwidths]
  }

  private terminateCell(htab: boolean): number {
    const line = this.lines.at(-1)!
    line.push({text: this.cellText, width: runeCount(this.cellText), htab})
    this.cellText = ''
    return line.length
  }

  // format follows tabwriter.format: a recursive walk that opens a new column block whenever a line has a cell
  // in the current column, sizes it over the consecutive lines that also have one, and recurses into the next column.
  private format(line0: number, line1: number): void {
    const column = this.widths.length
    for (let cur = line0; cur < line1; cur++) {
      if (column >= this.lines[cur].length - 1) continue
      this.writeLines(line0, cur)
      line0 = cur
      let width = this.minwidth
      let discardable = true
      for (; cur < line1; cur++) {
        const line = this.lines[cur]
        if (column >= line.length - 1) break
        const c = line[column]
        if (c.width + this.padding > width) width = c.width + this.padding
        if (c.width > 0 || c.htab) discardable = false
      }
      if (discardable && this.flags & TabWriterFlags.DiscardEmptyColumns) width = 0
      if (this.flags & TabWriterFlags.RememberWidths) {
        if (this.maxwidths.length < this.widths.length) this.maxwidths.push(...this.widths.slice(this.maxwidths.length))
        if (this.maxwidths.length === this.widths.length) this.maxwidths.push(width)
        else if (this.maxwidths[column] > width) width = this.maxwidths[column]
        else if (this.maxwidths[column] < width) this.maxwidths[column] = width
      }
      this.widths.push(width)
      this.format(line0, cur)
      this.widths.pop()
      line0 = cur
    }
    this.writeLines(line0, line1)
  }

  private writeLines(line0: number, line1: number): void {
    for (let i = line0; i < line1; i++) {
      const line = this.lines[i]
      let useTabs = (this.flags & TabWriterFlags.TabIndent) !== 0
      for (let j = 0; j < line.length; j++) {
        const c = line[j]
        if (c.text.length === 0) {
          if (j < this.widths.length) this.writePadding(c.width, this.widths[j], useTabs)
        } else {
          useTabs = false
          if (this.flags & TabWriterFlags.AlignRight) {
            if (j < this.widths.length) this.writePadding(c.width, this.widths[j], false)
            this.chunks.push(c.text)
          } else {
            this.chunks.push(c.text)
            if (j < this.widths.length) this.writePadding(c.width, this.widths[j], false)
          }
        }
      }
      // the buffer's last line is the unterminated one: it has no newline yet
      if (i + 1 < this.lines.length) this.chunks.push('\n')
    }
  }

  private writePadding(textw: number, cellw: number, useTabs: boolean): void {
    if (this.padchar === '\t' || useTabs) {
      if (this.tabwidth === 0) return
      cellw = Math.ceil(cellw / this.tabwidth) * this.tabwidth
      this.chunks.push('\t'.repeat(Math.ceil((cellw - textw) / this.tabwidth)))
      return
    }
    this.chunks.push(this.padchar === ' ' ? spaces(cellw - textw) : this.padchar.repeat(cellw - textw))
  }
}

const SPACES: string[] = []

/** spaces returns n spaces, made once per n: a 10k-row table pads ~90k cells with a few distinct widths. */
function spaces(n: number): string {
  return (SPACES[n] ??= ' '.repeat(n))
}

/** runeCount counts code points, as Go's utf8.RuneCountInString does for valid text. */
export function runeCount(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) i++
    }
    n++
  }
  return n
}

/** newGetTabWriter returns the writer `kubectl get` uses: minwidth 6, tabwidth 4, padding 3, RememberWidths. */
export function newGetTabWriter(out: Sink): TabWriter {
  return new TabWriter(out, 6, 4, 3, ' ', TabWriterFlags.RememberWidths)
}

/** newDescribeTabWriter returns the writer `kubectl describe` uses (tabbedString: 0, 8, 2, ' ', 0). */
export function newDescribeTabWriter(out: Sink): TabWriter {
  return new TabWriter(out, 0, 8, 2, ' ', 0)
}
