// snapshot.test.ts covers `mkctl cluster snapshot save|list|restore|delete` through the real binary against a
// started profile (build first: ensureBuilt): what a restore brings back and throws away, the files' mode, the
// errors for unknown and badly named snapshots, and the time a save and a restore take on a small cluster.
import assert from 'node:assert/strict'
import {existsSync, mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {ensureBuilt} from '../../helpers/build.js'
import {run, type RunResult} from '../../helpers/daemon.js'

const ROOT = join(import.meta.dirname, '..', '..', '..')
const MKCTL = join(ROOT, 'bin', 'mkctl.js')

describe('mkctl cluster snapshot', function () {
  this.timeout(120_000)
  let dir: string
  let env: Record<string, string>
  const mkctl = (args: string[]) => run(process.execPath, [MKCTL, ...args], {env})
  const snap = (args: string[]) => mkctl(['cluster', 'snapshot', ...args, '-p', 'snap'])
  const ok = (r: RunResult, what: string) =>
    assert.equal(r.code, 0, `${what} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`)
  const profile = () => join(dir, 'profiles', 'snap')

  before(async function () {
    this.timeout(300_000)
    ensureBuilt()
    dir = mkdtempSync(join(tmpdir(), 'mkctl-snap-'))
    env = {MKCTL_HOME: dir, HOME: dir, KUBECONFIG: '', MKCTL_AUTOSTART: '', KUBECACHEDIR: join(dir, 'kube-cache')}
    ok(await mkctl(['cluster', 'start', '-p', 'snap', '--timing', 'fast']), 'cluster start')
  })
  after(async () => {
    if (!dir) return
    await mkctl(['cluster', 'stop', '-p', 'snap'])
    const f = join(profile(), 'daemon.json')
    if (existsSync(f)) {
      try {
        process.kill(JSON.parse(readFileSync(f, 'utf8')).pid as number, 'SIGKILL')
      } catch {
        // already gone
      }
    }
    rmSync(dir, {recursive: true, force: true})
  })

  it('saves, lists, restores (dropping later changes) and deletes a snapshot', async () => {
    ok(await mkctl(['create', 'configmap', 'base', '--from-literal=v=1']), 'create base')
    const saved = await snap(['save', 'baseline'])
    ok(saved, 'save')
    assert.match(saved.stdout, /^\* Saved snapshot "baseline" of cluster "snap": \d+ objects at revision \d+, .* in \d+ ms\.\n$/)
    const file = join(profile(), 'snapshots', 'baseline.db')
    assert.equal(statSync(file).mode & 0o777, 0o600)
    assert.equal(statSync(join(profile(), 'snapshots')).mode & 0o777, 0o700)

    const again = await snap(['save', 'baseline'])
    assert.equal(again.code, 1)
    assert.match(again.stderr, /snapshot "baseline" already exists \(use --force to replace it\)/)

    const list = await snap(['list'])
    ok(list, 'list')
    assert.match(list.stdout, /\| baseline +\| \d{4}-\d\d-\d\dT[\d:]+Z +\| \d+ +\| \d+ +\| [\d.]+ (KiB|MiB) +\|/)

    ok(await mkctl(['create', 'configmap', 'later']), 'create later')
    ok(await mkctl(['delete', 'configmap', 'base']), 'delete base')
    const restored = await snap(['restore', 'baseline'])
    ok(restored, 'restore')
    assert.match(restored.stdout, /^\* Restored cluster "snap" from snapshot "baseline" \(\d+ objects at revision \d+\) in \d+ ms\.\n$/)
    const cms = await mkctl(['get', 'configmaps', '-o', 'name'])
    ok(cms, 'get configmaps')
    assert.deepEqual(cms.stdout.trim().split('\n').sort(), ['configmap/base', 'configmap/kube-root-ca.crt'])
    // The cluster runs on: nodes Ready, new objects get new revisions.
    ok(await mkctl(['wait', '--for=condition=Ready', 'node', '--all', '--timeout=20s']), 'nodes ready')
    ok(await mkctl(['create', 'configmap', 'after-restore']), 'create after restore')

    ok(await snap(['delete', 'baseline']), 'delete')
    assert.ok(!existsSync(file))
    const empty = await snap(['list'])
    ok(empty, 'list empty')
    assert.equal(empty.stdout, '')
    assert.match(empty.stderr, /No snapshots of cluster "snap" yet/)
  })

  it('answers an unknown or badly named snapshot with an error', async () => {
    const missing = await snap(['restore', 'nope'])
    assert.equal(missing.code, 1)
    assert.match(missing.stderr, /snapshots\.mkctl\.dev "nope" not found/)
    const bad = await snap(['save', 'Bad/Name'])
    assert.equal(bad.code, 1)
    assert.match(bad.stderr, /invalid snapshot name "Bad\/Name"/)
  })
})
