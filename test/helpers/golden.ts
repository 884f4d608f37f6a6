// golden.ts compares output with a golden file, as kubectl's `*-expected-*.txt` and kwok's testdata do; with
// UPDATE_GOLDEN=1 it rewrites the file instead (mocha has no custom argv, so an environment variable stands in for
// kwok's --update-testdata flag). A missing golden file is an error unless updating, so a typo cannot pass.
import assert from 'node:assert/strict'
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname} from 'node:path'

/** updatingGolden tells whether golden files are being rewritten (UPDATE_GOLDEN=1 or true). */
export function updatingGolden(env = process.env): boolean {
  return env.UPDATE_GOLDEN === '1' || env.UPDATE_GOLDEN === 'true'
}

/** expectGolden asserts that actual equals the file's text exactly, or writes it when updating. */
export function expectGolden(actual: string, path: string, env = process.env): void {
  if (updatingGolden(env)) {
    mkdirSync(dirname(path), {recursive: true})
    writeFileSync(path, actual)
    return
  }
  if (!existsSync(path)) assert.fail(`golden file ${path} is missing; run with UPDATE_GOLDEN=1 to create it`)
  assert.equal(actual, readFileSync(path, 'utf8'), `output differs from ${path} (UPDATE_GOLDEN=1 rewrites it)`)
}
