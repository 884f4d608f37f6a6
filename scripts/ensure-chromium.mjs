#!/usr/bin/env node
// ensure-chromium.mjs makes sure the browser the dashboard's tests drive is installed: Debian's chromium at
// /usr/bin/chromium (playwright-core ships no browser and mkctl downloads none). When it is missing and apt-get can
// run (as root), it runs `apt-get install -y chromium` (apt.mjs); otherwise it says why and exits 0, and the browser tests
// skip with the same reason. CHROMIUM_PATH names another binary. Usable as a mocha root hook or a pretest step.
import {existsSync} from 'node:fs'
import {aptInstall} from './apt.mjs'

/** chromiumPath is the browser the tests use. */
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

/** ensureChromium installs chromium when it can; it returns undefined when the browser is there, else the reason. */
export function ensureChromium(log = (line) => process.stderr.write(`${line}\n`)) {
  if (existsSync(chromiumPath)) return undefined
  if (process.env.CHROMIUM_PATH) return `CHROMIUM_PATH=${chromiumPath} does not exist`
  const why = aptInstall(['chromium'], log)
  if (why) return `${chromiumPath} is missing and ${why}`
  if (!existsSync(chromiumPath)) return `apt-get installed chromium but ${chromiumPath} is still missing`
  return undefined
}

/** mochaHooks lets mocha load this file with --require: it runs once before the whole suite. */
export const mochaHooks = {
  beforeAll() {
    const why = ensureChromium()
    if (why) process.stderr.write(`* dashboard browser tests will skip: ${why}\n`)
  },
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const why = ensureChromium()
  if (why) process.stderr.write(`* ${why}; the dashboard browser tests will skip\n`)
  else process.stdout.write(`${chromiumPath}\n`)
}
