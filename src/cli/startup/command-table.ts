// command-table.ts reads the command table of src/cli/commands-index.ts (and the command-groups it spreads) as text,
// so that scripts/build.mjs can give the CLI bundle a table whose command modules evaluate only when their command
// runs (lazy-commands.ts). The index and groups keep a fixed shape: `import X from './commands/x.js'` lines and
// `'id': X,` / `...GROUP,` entries in `export const COMMANDS ... = {...}`. Anything else makes commandTable() return
// an error, and the build then keeps the eager table: a start-up cost, never a wrong command.
// test/cli/startup/command-table.test.ts checks the result against the real table (ids, order, classes, aliases).
import {existsSync, readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'

/** CommandEntry is one id of the table: the module file and export holding its class, and the class's aliases. */
export interface CommandEntry {
  id: string
  file: string
  exportName: string
  aliases: string[]
}

interface Binding {
  file: string
  exportName: string
}

/** parseImports maps each name a module imports (values only, not `import type`) to its file and export. */
function parseImports(text: string, dir: string): Map<string, Binding> {
  const out = new Map<string, Binding>()
  const re = /^import\s+(?!type\b)([\s\S]*?)\s+from\s+'([^']+)'/gm
  for (const m of text.matchAll(re)) {
    const [, clause, spec] = m as unknown as [string, string, string]
    if (!spec.startsWith('.')) continue
    const file = join(dir, spec.replace(/\.js$/, '.ts'))
    const named = /\{([\s\S]*)\}/.exec(clause)
    const def = clause
      .replace(/\{[\s\S]*\}/, '')
      .replace(/,/g, '')
      .trim()
    if (def) out.set(def, {file, exportName: 'default'})
    for (const part of named?.[1]?.split(',') ?? []) {
      const p = part.trim()
      if (!p || p.startsWith('type ')) continue
      const [imported, local] = p.split(/\s+as\s+/) as [string, string | undefined]
      out.set((local ?? imported).trim(), {file, exportName: imported.trim()})
    }
  }
  return out
}

/** tableEntries returns the entries between the braces of `export const COMMANDS ... = {...}` (one line or many). */
function tableEntries(text: string): string[] | undefined {
  const m = /^export const COMMANDS\b[^=]*=\s*\{([^{}]*)\}/m.exec(text)
  if (!m) return undefined
  return m[1]!
    .replace(/\/\/.*$/gm, '')
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean)
}

/** aliasesOf reads `static override aliases = [...]` of the one class a command module declares. */
function aliasesOf(file: string): string[] | string {
  const text = readFileSync(file, 'utf8')
  const found = [...text.matchAll(/static\s+(?:override\s+)?aliases\s*(?::[^=]+)?=\s*\[([^\]]*)\]/g)]
  if (found.length === 0) return []
  if (found.length > 1 || [...text.matchAll(/^(?:export\s+)?(?:default\s+)?class\s/gm)].length !== 1)
    return `${file}: aliases of more than one class`
  const list = found[0]![1]!.trim()
  if (!list) return []
  const items = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  if (!items.every((s) => /^'[^'\\]*'$/.test(s))) return `${file}: aliases are not plain strings`
  return items.map((s) => s.slice(1, -1))
}

/** readTable adds the entries of one table file (the index or a group) to out, in source order. */
function readTable(file: string, out: Map<string, CommandEntry>, files: Set<string>): string | undefined {
  files.add(file)
  const text = readFileSync(file, 'utf8')
  const lines = tableEntries(text)
  if (lines === undefined) return `${file}: no 'export const COMMANDS = {...}' table`
  const imports = parseImports(text, dirname(file))
  for (const line of lines) {
    const spread = /^\.\.\.(\w+)$/.exec(line)
    if (spread) {
      const b = imports.get(spread[1]!)
      if (!b || b.exportName !== 'COMMANDS' || !existsSync(b.file)) return `${file}: cannot follow ...${spread[1]}`
      const err = readTable(b.file, out, files)
      if (err) return err
      continue
    }
    const entry = /^(?:'([^'\\]+)'|([A-Za-z_$][\w$]*)):\s*([A-Za-z_$][\w$]*)$/.exec(line)
    if (!entry) return `${file}: cannot read table line: ${line}`
    const id = entry[1] ?? entry[2]!
    const b = imports.get(entry[3]!)
    if (!b || !existsSync(b.file)) return `${file}: ${entry[3]} is not imported from a module file`
    const aliases = aliasesOf(b.file)
    if (typeof aliases === 'string') return aliases
    // a later entry for the same id replaces the class but keeps the id's place, as in an object literal
    out.set(id, {id, ...b, aliases})
  }
  return undefined
}

/**
 * commandTable reads the command table rooted at indexFile (src/cli/commands-index.ts): its entries in the order
 * Object.keys gives on the real table, and every file it read (for the build's watch list); or an error saying what
 * it could not read.
 */
export function commandTable(indexFile: string): {entries: CommandEntry[]; files: string[]} | {error: string} {
  const out = new Map<string, CommandEntry>()
  const files = new Set<string>()
  try {
    const error = readTable(indexFile, out, files)
    if (error) return {error}
  } catch (e) {
    return {error: (e as Error).message}
  }
  return {entries: [...out.values()], files: [...files]}
}

/**
 * lazyModuleSource is the text of the module that replaces lazy-commands.ts in the CLI bundle: the same exports, with
 * COMMANDS holding a getter per id that requires the command's module on first access (esbuild keeps each bundled
 * module in a closure that runs on its first require).
 */
export function lazyModuleSource(entries: CommandEntry[]): string {
  const lines = [
    '// generated by scripts/build.mjs from src/cli/commands-index.ts (src/cli/startup/command-table.ts)',
    'const table = {}',
    'function def(id, load) {',
    '  Object.defineProperty(table, id, {',
    '    enumerable: true,',
    '    configurable: true,',
    '    get() {',
    '      const value = load()',
    '      Object.defineProperty(table, id, {value, enumerable: true, configurable: true, writable: true})',
    '      return value',
    '    },',
    '  })',
    '}',
  ]
  for (const e of entries) {
    lines.push(
      `def(${JSON.stringify(e.id)}, () => require(${JSON.stringify(e.file)})[${JSON.stringify(e.exportName)}])`,
    )
  }
  const aliases = Object.fromEntries(entries.filter((e) => e.aliases.length > 0).map((e) => [e.id, e.aliases]))
  lines.push('export const COMMANDS = table')
  lines.push(`export const ALIASES = ${JSON.stringify(aliases)}`)
  lines.push('export const LAZY = true')
  return lines.join('\n') + '\n'
}
