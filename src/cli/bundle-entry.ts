// bundle-entry.ts is the entry of the single-file CLI bundle dist/mkctl.cjs (scripts/build.mjs). It re-exports
// COMMANDS for oclif's explicit command discovery (the target is this very bundle, already loaded, so discovery
// costs nothing) and exports main(), which bin/mkctl.js calls: the argv pre-pass, then oclif. See libraries.md §1.
import {run, flush, handle, type Interfaces} from '@oclif/core'
import {basename, dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import pjson from '../../package.json' with {type: 'json'}
import {prepass} from './argv.js'
import {COMMANDS} from './commands-index.js'
import {handleEarly, isCompletionRequest} from './help/entry.js'

export {COMMANDS} from './commands-index.js'

/** commandIds lists every command id and alias, for the pre-pass. */
export function commandIds(): string[] {
  const ids = Object.keys(COMMANDS)
  for (const c of Object.values(COMMANDS)) ids.push(...((c as {aliases?: string[]}).aliases ?? []))
  return ids
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
    process.exitCode = await handleEarly(argv, undefined, COMMANDS)
    return
  }
  const pre = prepass(argv, commandIds())
  if (pre.error) {
    process.stderr.write(pre.error.message)
    process.exitCode = pre.error.exitCode
    return
  }
  // help (kubectl's layout) and -k are answered without starting oclif
  const early = await handleEarly(argv, pre, COMMANDS)
  if (early !== undefined) {
    process.exitCode = early
    return
  }
  try {
    await run(pre.argv, loadOptions())
    flush()
  } catch (e) {
    await handle(e as Error)
  }
}
