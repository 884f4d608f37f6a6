// apt.mjs installs Debian packages the test suite drives (chromium for the dashboard, zsh and fish for completion)
// when they are missing: `apt-get install -y --no-install-recommends`, after `apt-get update` when a fresh image has
// no package lists yet. Only where that can work (Linux, apt-get present, root); otherwise it says why, and the tests
// that need the program skip with that reason.
import {spawnSync} from 'node:child_process'

/** aptInstall installs packages; it returns undefined on success, else the reason it could not. */
export function aptInstall(packages, log = (line) => process.stderr.write(`${line}\n`)) {
  const what = packages.join(' ')
  if (process.platform !== 'linux') return `this is not Linux: install ${what} yourself`
  if (spawnSync('apt-get', ['--version'], {stdio: 'ignore'}).status !== 0)
    return `apt-get is not available: install ${what} yourself`
  if (typeof process.getuid === 'function' && process.getuid() !== 0)
    return `apt-get needs root: run "sudo apt-get install -y ${what}"`
  log(`* Installing ${what} for the tests (apt-get install -y ${what}) ...`)
  const env = {...process.env, DEBIAN_FRONTEND: 'noninteractive'}
  const install = () =>
    spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], {stdio: 'inherit', env})
  let r = install()
  if (r.status !== 0) {
    spawnSync('apt-get', ['update'], {stdio: 'inherit', env})
    r = install()
  }
  return r.status === 0 ? undefined : `apt-get install -y ${what} failed (exit ${r.status})`
}
