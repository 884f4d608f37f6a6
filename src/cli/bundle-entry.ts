// bundle-entry.ts is the entry of the single-file CLI bundle dist/mkctl.cjs (scripts/build.mjs). It exports COMMANDS
// for oclif's explicit command discovery (the target is this very bundle, already loaded, so discovery costs
// nothing) and main(), which bin/mkctl.js calls: the argv pre-pass, then oclif. See libraries.md §1.
//
// Start-up: the command table (startup/lazy-commands.ts) evaluates a command's module only when it is looked up, and
// main() hands oclif a table holding only the command that runs, so neither the bundle's evaluation nor oclif's
// Config.load (which caches every command's flags) pays for the ~150 commands that do not run.
import {run, flush, handle, type Command, type Interfaces} from '@oclif/core'
import {basename, dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import pjson from '../../package.json' with {type: 'json'}
import {prepass} from './argv.js'
import {Factory} from './client/factory.js'
import {autoStart} from './cluster/autostart.js'
import {handleEarly, isCompletionRequest} from './help/entry.js'
import {ALIASES, COMMANDS as TABLE} from './startup/lazy-commands.js'

export {LAZY} from './startup/lazy-commands.js'

/**
 * COMMANDS is the table oclif's explicit discovery reads (package.json oclif.commands). main() fills it just before
 * oclif starts: with the one command argv names, or with every command when argv names none.
 */
export const COMMANDS: Record<string, Command.Class> = {}

// Every command that talks to the API starts the local cluster first when it is not running (DESIGN §2).
if (!Factory.beforeConnect.includes(autoStart)) Factory.beforeConnect.push(autoStart)

/** commandIds lists every command id and alias, for the pre-pass. */
export function commandIds(): string[] {
  const ids = Object.keys(TABLE)
  for (const id of Object.keys(TABLE)) ids.push(...(ALIASES[id] ?? []))
  return ids
}

/** canonicalId is the id of the command that id names: id itself, or the command it is an alias of. */
export function canonicalId(id: string): string | undefined {
  if (Object.hasOwn(TABLE, id)) return id
  return Object.keys(ALIASES).find((c) => ALIASES[c]!.includes(id))
}

/** oclifCommands is the table oclif gets for a run of id (undefined: argv names no command, oclif sees them all). */
export function oclifCommands(id: string | undefined): Record<string, Command.Class> {
  const c = id === undefined ? undefined : canonicalId(id)
  return c === undefined ? {...TABLE} : {[c]: TABLE[c]!}
}

/**
 * loadOptions hand oclif's Config.load what it would otherwise look for on disk at every start: the package root and
 * package.json (built into the bundle), and no user- or dev-linked oclif plugins (mkctl has none; looking for them
 * costs a file read).
 */
export function loadOptions(): Interfaces.LoadOptions {
  const here = dirname(fileURLToPath(import.meta.url))
  // dist/mkctl.cjs in the bundle, src/cli/bundle-entry.ts when run from source
  const root = basename(here) === 'dist' ? dirname(here) : join(here, '..', '..')
  return {root, pjson: structuredClone(pjson) as unknown as Interfaces.PJSON, userPlugins: false, devPlugins: false}
}

/**
 * checkNodeVersion is oclif's start-up engine check (core/lib/index.js, compiled out of the bundle by
 * scripts/build.mjs because it loads semver and reads package.json again) for the `>=x.y.z` range package.json uses.
 */
export function checkNodeVersion(range: string = pjson.engines.node, version: string = process.versions.node): void {
  const off = process.env.OCLIF_DISABLE_ENGINE_WARNING
  if (off && ['1', 'true', 'y', 'yes'].includes(off.toLowerCase())) return
  const want = /^>=\s*(\d+)\.(\d+)\.(\d+)$/.exec(range.trim())
  if (!want) return
  const have = version.split('.').map(Number)
  for (let i = 0; i < 3; i++) {
    const w = Number(want[i + 1])
    if ((have[i] ?? 0) > w) return
    if ((have[i] ?? 0) < w) {
      process.emitWarning(`Node version must be ${range} to use this CLI. Current node version: ${version}`)
      return
    }
  }
}

/** main runs mkctl with argv (without node and script); the exit code is left in process.exitCode. */
export async function main(argv: string[]): Promise<void> {
  checkNodeVersion()
  // shell completion requests take argv verbatim, before the pre-pass (help/entry.ts)
  if (isCompletionRequest(argv)) {
    process.exitCode = await handleEarly(argv, undefined, TABLE)
    return
  }
  const pre = prepass(argv, commandIds())
  if (pre.error) {
    process.stderr.write(pre.error.message)
    process.exitCode = pre.error.exitCode
    return
  }
  // help (kubectl's layout) and -k are answered without starting oclif
  const early = await handleEarly(argv, pre, TABLE)
  if (early !== undefined) {
    process.exitCode = early
    return
  }
  for (const id of Object.keys(COMMANDS)) delete COMMANDS[id]
  Object.assign(COMMANDS, oclifCommands(pre.id))
  try {
    await run(pre.argv, loadOptions())
    flush()
  } catch (e) {
    await handle(e as Error)
  }
}
