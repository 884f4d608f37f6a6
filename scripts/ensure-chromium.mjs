#!/usr/bin/env node
// ensure-chromium.mjs makes sure the browser the dashboard's tests drive is installed: Debian's chromium at
// /usr/bin/chromium (playwright-core ships no browser and mkctl downloads none). When it is missing and apt-get can
// run (as root), it runs `apt-get install -y chromium`; otherwise it says why and exits 0, and the browser tests
// skip with the same reason. CHROMIUM_PATH names another binary. Usable as a mocha root hook or a pretest step.
import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'

/** chromiumPath is the browser the tests use. */
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

/** ensureChromium installs chromium when it can; it returns undefined when the browser is there, else the reason. */
export function ensureChromium(log = (line) => process.stderr.write(`${line}\n`)) {
  if (existsSync(chromiumPath)) return undefined
  if (process.env.CHROMIUM_PATH) return `CHROMIUM_PATH=${chromiumPath} does not exist`
  if (process.platform !== 'linux')
    return `${chromiumPath} is missing and this is not Linux: install Chromium and set CHROMIUM_PATH`
  if (spawnSync('apt-get', ['--version'], {stdio: 'ignore'}).status !== 0)
    return `${chromiumPath} is missing and apt-get is not available: install Chromium and set CHROMIUM_PATH`
  if (typeof process.getuid === 'function' && process.getuid() !== 0)
    return `${chromiumPath} is missing and apt-get needs root: run "sudo apt-get install -y chromium"`
  log('* Installing chromium for the dashboard browser tests (apt-get install -y chromium) ...')
  const env = {...process.env, DEBIAN_FRONTEND: 'noninteractive'}
  let r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {stdio: 'inherit', env})
  if (r.status !== 0) {
    // A fresh image has no package lists yet.
    spawnSync('apt-get', ['update'], {stdio: 'inherit', env})
    r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {stdio: 'inherit', env})
  }
  if (r.status !== 0 || !existsSync(chromiumPath)) return `apt-get install -y chromium failed (exit ${r.status})`
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
