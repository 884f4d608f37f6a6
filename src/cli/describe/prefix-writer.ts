// prefix-writer.ts is what every describer writes through: kubectl's PrefixWriter (two spaces per level) over the
// tabwriter that `kubectl describe` uses (tabbedString: minwidth 0, tabwidth 8, padding 2, ' ', no flags), with the
// terminal escaping of cli-runtime's WriteEscaped. Follows kubectl/pkg/describe/describe.go (prefixWriter,
// nestedPrefixWriter, tabbedString) and cli-runtime/pkg/printers/terminal.go.
import {newDescribeTabWriter, type TabWriter} from '../printers/tabwriter.js'

/** LEVEL_0..LEVEL_4 are the indentation levels describers write at (two spaces each). */
export const LEVEL_0 = 0
export const LEVEL_1 = 1
export const LEVEL_2 = 2
export const LEVEL_3 = 3
export const LEVEL_4 = 4

/** escapeTerminal replaces the characters that could drive a terminal: ESC becomes `^[`, CR becomes `\r`. */
export function escapeTerminal(s: string): string {
  return s.replaceAll('\u001b', '^[').replaceAll('\r', '\\r')
}

/** PrefixWriter writes text at an indentation level (kubectl's PrefixWriter interface). */
export interface PrefixWriter {
  /** write writes text indented by level × two spaces; text is already formatted (no printf here). */
  write(level: number, text: string): void
  /** writeLine writes text and a newline with no indentation (fmt.Sprintln of one string). */
  writeLine(text?: string): void
  /** flush aligns and emits what is buffered, so later columns do not widen earlier ones (DescribeEvents uses it). */
  flush(): void
}

/** TabbedPrefixWriter is the PrefixWriter over a describe tabwriter. */
export class TabbedPrefixWriter implements PrefixWriter {
  constructor(private readonly tw: TabWriter) {}

  write(level: number, text: string): void {
    this.tw.write(escapeTerminal('  '.repeat(level) + text))
  }

  writeLine(text = ''): void {
    this.tw.write(escapeTerminal(text + '\n'))
  }

  flush(): void {
    this.tw.flush()
  }
}

/** NestedPrefixWriter adds indent levels to everything written through it (nestedPrefixWriter). */
export class NestedPrefixWriter implements PrefixWriter {
  constructor(
    private readonly inner: PrefixWriter,
    private readonly indent: number,
  ) {}

  write(level: number, text: string): void {
    this.inner.write(level + this.indent, text)
  }

  writeLine(text = ''): void {
    this.inner.write(this.indent, text + '\n')
  }

  flush(): void {
    this.inner.flush()
  }
}

/** tabbedString runs fn with a PrefixWriter over a fresh describe tabwriter and returns the aligned text. */
export async function tabbedString(fn: (w: PrefixWriter) => void | Promise<void>): Promise<string> {
  const chunks: string[] = []
  const tw = newDescribeTabWriter({write: (s: string) => chunks.push(s)})
  await fn(new TabbedPrefixWriter(tw))
  tw.flush()
  return chunks.join('')
}

/** tabbedStringSync is tabbedString for describers that need no I/O while writing. */
export function tabbedStringSync(fn: (w: PrefixWriter) => void): string {
  const chunks: string[] = []
  const tw = newDescribeTabWriter({write: (s: string) => chunks.push(s)})
  fn(new TabbedPrefixWriter(tw))
  tw.flush()
  return chunks.join('')
}
