#!/usr/bin/env node
// mkctld runs the cluster daemon in the foreground: mkctld --profile-dir DIR (mkctl cluster start starts it
// detached; mkctl cluster start --foreground runs it attached). The bundle starts the daemon when it is loaded.
import {loadBundle} from './load-bundle.js'

const {fileURLToPath} = process.getBuiltinModule('node:url')
if (!loadBundle(fileURLToPath(new URL('../dist/mkctld.cjs', import.meta.url)))) {
  process.stderr.write('mkctld: not built; run npm install\n')
  process.exit(1)
}
