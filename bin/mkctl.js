#!/usr/bin/env node
// mkctl's entry: load the single-file bundle (fast start, libraries.md §1; see load-bundle.js for the code cache)
// and run it. The bundle's main() does the kubectl-style argv pre-pass (global flags before the verb, -h, unknown
// commands) before handing over to oclif.
import {loadBundle} from './load-bundle.js'

const {fileURLToPath} = process.getBuiltinModule('node:url')
const cli = loadBundle(fileURLToPath(new URL('../dist/mkctl.cjs', import.meta.url)))
if (!cli) {
  process.stderr.write('mkctl: not built; run npm install\n')
  process.exit(1)
}
cli.main(process.argv.slice(2))
