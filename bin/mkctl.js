#!/usr/bin/env node
// mkctl's entry: load the single-file bundle (fast start, libraries.md §1; see load-bundle.js for the code cache)
// and run it. The bundle's main() does the kubectl-style argv pre-pass (global flags before the verb, -h, unknown
// commands) before handing over to oclif.
// CommonJS, as all of bin/ (bin/package.json): see load-bundle.js.
'use strict'
const {loadBundle} = require('./load-bundle.js')

const cli = loadBundle(require('node:path').join(__dirname, '..', 'dist', 'mkctl.cjs'))
if (!cli) {
  process.stderr.write('mkctl: not built; run npm install\n')
  process.exit(1)
}
cli.main(process.argv.slice(2))
