#!/usr/bin/env node
// mkctl's entry: load the single-file bundle (fast start, libraries.md §1) and run it. The bundle's main() does
// the kubectl-style argv pre-pass (global flags before the verb, -h, unknown commands) before handing over to oclif.
import {existsSync} from 'node:fs'
import {createRequire} from 'node:module'
import process from 'node:process'
import {URL, fileURLToPath} from 'node:url'

const bundle = fileURLToPath(new URL('../dist/mkctl.cjs', import.meta.url))
if (!existsSync(bundle)) {
  process.stderr.write('mkctl: not built; run npm install\n')
  process.exit(1)
}
const require = createRequire(import.meta.url)
require(bundle).main(process.argv.slice(2))
