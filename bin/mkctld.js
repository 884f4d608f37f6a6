#!/usr/bin/env node
// mkctld runs the cluster daemon in the foreground: mkctld --profile-dir DIR (mkctl cluster start starts it
// detached; mkctl cluster start --foreground runs it attached).
import {existsSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

const entry = fileURLToPath(new URL('../dist/mkctld.mjs', import.meta.url))
if (!existsSync(entry)) {
  process.stderr.write('mkctld: not built; run npm install\n')
  process.exit(1)
}
await import(entry)
