// build.ts makes sure dist/ holds a current build for tests that spawn bin/mkctl.js. Under `npm test` the build has
// just run (package.json's test script starts with it), so nothing is done; a test file run on its own builds once
// per process.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {join} from 'node:path'

const ROOT = join(import.meta.dirname, '..', '..')
let built = false

/** ensureBuilt builds dist/ unless npm test already did (call it from a before hook with a long timeout). */
export function ensureBuilt(env = process.env): void {
  if (built || env.npm_lifecycle_event === 'test') return
  const b = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], {encoding: 'utf8'})
  assert.equal(b.status, 0, b.stderr)
  built = true
}
