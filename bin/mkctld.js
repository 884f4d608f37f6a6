#!/usr/bin/env node
// mkctld runs the cluster daemon in the foreground: mkctld --profile-dir DIR (mkctl cluster start starts it
// detached; mkctl cluster start --foreground runs it attached). The bundle starts the daemon when it is loaded.
// CommonJS, as all of bin/ (bin/package.json): see load-bundle.js.
'use strict'
const {loadBundle} = require('./load-bundle.js')

if (!loadBundle(require('node:path').join(__dirname, '..', 'dist', 'mkctld.cjs'))) {
  process.stderr.write('mkctld: not built; run npm install\n')
  process.exit(1)
}
