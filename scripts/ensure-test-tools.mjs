#!/usr/bin/env node
// ensure-test-tools.mjs is `npm test`'s pretest step: it installs what the suite drives besides Node and kubectl,
// when missing and when apt-get can (apt.mjs): Debian's chromium for the dashboard's browser tests
// (ensure-chromium.mjs), and zsh and fish, whose completion scripts test/cli/completion.test.ts runs as it runs
// bash's. It never fails the run: a tool it cannot install makes its tests skip with the reason printed here.
import {spawnSync} from 'node:child_process'
import {aptInstall} from './apt.mjs'
import {chromiumPath, ensureChromium} from './ensure-chromium.mjs'

/** SHELLS are the completion shells the tests drive, by program and Debian package (PowerShell is not in Debian). */
const SHELLS = [
  {program: 'zsh', pkg: 'zsh'},
  {program: 'fish', pkg: 'fish'},
]

const has = (program) => spawnSync('sh', ['-c', `command -v ${program}`], {stdio: 'ignore'}).status === 0

const chromium = ensureChromium()
process.stdout.write(chromium ? `* ${chromium}; the dashboard browser tests will skip\n` : `${chromiumPath}\n`)
const missing = SHELLS.filter((s) => !has(s.program))
if (missing.length > 0) {
  const why = aptInstall(missing.map((s) => s.pkg))
  if (why) process.stdout.write(`* ${why}; their completion tests will skip\n`)
}
for (const s of SHELLS) if (has(s.program)) process.stdout.write(`${s.program}\n`)
