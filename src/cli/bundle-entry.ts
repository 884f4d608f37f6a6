// bundle-entry.ts is the entry of the single-file CLI bundle dist/mkctl.cjs (scripts/build.mjs). It re-exports
// COMMANDS for oclif's explicit command discovery (the target is this very bundle, already loaded, so discovery
// costs nothing) and exports main(), which bin/mkctl.js calls: the argv pre-pass, then oclif. See libraries.md §1.
import {run, flush, handle} from '@oclif/core'
import {prepass} from './argv.js'
import {COMMANDS} from './commands-index.js'

export {COMMANDS} from './commands-index.js'

/** commandIds lists every command id and alias, for the pre-pass. */
export function commandIds(): string[] {
  const ids = Object.keys(COMMANDS)
  for (const c of Object.values(COMMANDS)) ids.push(...((c as {aliases?: string[]}).aliases ?? []))
  return ids
}

/** main runs mkctl with argv (without node and script); the exit code is left in process.exitCode. */
export async function main(argv: string[]): Promise<void> {
  const pre = prepass(argv, commandIds())
  if (pre.error) {
    process.stderr.write(pre.error.message)
    process.exitCode = pre.error.exitCode
    return
  }
  try {
    await run(pre.argv, import.meta.url)
    flush()
  } catch (e) {
    await handle(e as Error)
  }
}
