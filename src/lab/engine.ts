// engine.ts loads the lab engine for the CLI. The engine needs the daemon (SQLite, the simulation), which does not
// belong in the CLI's start-up bundle: from dist/mkctl.cjs it is required from its own bundle dist/mkctl-lab.cjs
// (entry src/lab/index.ts, better-sqlite3 and just-bash external, as the daemon's bundle); from the TypeScript
// sources (tests under tsx) it is imported directly. Only `lab grade` pays for loading it.
import {existsSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

/** LabEngine is the lab engine's module (src/lab/index.ts). */
export type LabEngine = typeof import('./index.js')

/** LAB_BUNDLE is the engine bundle's file name, beside the CLI bundle. */
export const LAB_BUNDLE = 'mkctl-lab.cjs'

/** loadEngine returns the lab engine, loading it on first use. */
export async function loadEngine(): Promise<LabEngine> {
  const self = fileURLToPath(import.meta.url)
  if (self.endsWith('.ts')) {
    // A computed specifier: the CLI bundler must not pull the engine into dist/mkctl.cjs.
    const spec = './index.js'
    return (await import(spec)) as LabEngine
  }
  const bundle = join(dirname(self), LAB_BUNDLE)
  if (!existsSync(bundle))
    throw new Error(`the lab grading engine is not built (${bundle} is missing): run npm run build`)
  return createRequire(self)(bundle) as LabEngine
}
