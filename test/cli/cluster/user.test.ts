// user.test.ts: `mkctl cluster user add|list|delete` on a profile started with the real CLI in a temporary
// MKCTL_HOME: the user kubeconfig (0600 in a 0700 folder) works with the real kubectl inside the user's namespace,
// gets the apiserver's Forbidden text outside it and for mkctl's lab API, and stops working once the user is deleted.
import assert from 'node:assert/strict'
import {mkdtempSync, rmSync, statSync, existsSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {ensureBuilt} from '../../helpers/build.js'
import {kubectlAvailable, run, type RunResult} from '../../helpers/daemon.js'

const ROOT = join(import.meta.dirname, '..', '..', '..')
const MKCTL = join(ROOT, 'bin', 'mkctl.js')

describe('mkctl cluster user', function () {
  this.timeout(120_000)
  let dir: string
  let env: Record<string, string>
  const mkctl = (args: string[], extra: Record<string, string> = {}): Promise<RunResult> =>
    run(process.execPath, [MKCTL, ...args], {env: {...env, ...extra}})
  const ok = (r: RunResult, what: string) => assert.equal(r.code, 0, `${what}: ${r.stderr}`)

  before(async function () {
    this.timeout(300_000)
    ensureBuilt()
    dir = mkdtempSync(join(tmpdir(), 'mkctl-user-'))
    env = {MKCTL_HOME: dir, HOME: dir, KUBECONFIG: '', MKCTL_AUTOSTART: '0', KUBECACHEDIR: join(dir, 'kube-cache')}
    ok(await mkctl(['cluster', 'start', '-p', 'class', '--timing', 'fast']), 'start')
  })
  after(async () => {
    if (!dir) return
    await mkctl(['cluster', 'delete', '-p', 'class'])
    rmSync(dir, {recursive: true, force: true})
  })

  it('adds a user with a private kubeconfig that kubectl can use only in its namespace', async function () {
    const add = await mkctl(['cluster', 'user', 'add', 'alice', '-p', 'class', '--namespace', 'team-a'])
    ok(add, 'user add')
    const path = join(dir, 'users', 'alice.kubeconfig')
    assert.equal(add.stdout, `${path}\n`)
    assert.equal(add.stderr, '* User "alice" may use namespace "team-a" as ClusterRole "edit".\n')
    assert.equal(statSync(path).mode & 0o777, 0o600)
    assert.equal(statSync(join(dir, 'users')).mode & 0o777, 0o700)
    const again = await mkctl(['cluster', 'user', 'add', 'alice', '-p', 'class'])
    assert.equal(again.code, 1)
    assert.equal(again.stderr, 'error: users.mkctl.dev "alice" already exists\n')

    const list = await mkctl(['cluster', 'user', 'list', '-p', 'class'])
    ok(list, 'user list')
    assert.match(list.stdout, /^NAME\s+NAMESPACE\s+ROLE\s+CREATED\nalice\s+team-a\s+ClusterRole\/edit\s+\S+Z\n$/)

    // mkctl itself with the user's kubeconfig: allowed at home, the apiserver's Forbidden elsewhere
    const own = await mkctl(['create', 'configmap', 'c', '--from-literal=a=b'], {KUBECONFIG: path})
    ok(own, 'create in own namespace')
    assert.equal(own.stdout, 'configmap/c created\n')
    const other = await mkctl(['get', 'pods', '-n', 'default'], {KUBECONFIG: path})
    assert.equal(other.code, 1)
    assert.equal(
      other.stderr,
      'Error from server (Forbidden): pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default"\n',
    )
    if (kubectlAvailable()) {
      const k = await run('kubectl', ['get', 'configmap', 'c', '-o', 'name'], {env: {...env, KUBECONFIG: path}})
      assert.equal(k.stdout, 'configmap/c\n', k.stderr)
      const kd = await run('kubectl', ['get', 'pods', '-n', 'default'], {env: {...env, KUBECONFIG: path}})
      assert.deepEqual({code: kd.code, err: kd.stderr}, {code: other.code, err: other.stderr})
      const lab = await run('kubectl', ['get', '--raw', '/mkctl/v1/lab/journal'], {env: {...env, KUBECONFIG: path}})
      assert.equal(lab.code, 1)
      assert.equal(
        lab.stderr,
        'Error from server (Forbidden): forbidden: User "alice" cannot get path "/mkctl/v1/lab/journal"\n',
      )
    }

    const del = await mkctl(['cluster', 'user', 'delete', 'alice', '-p', 'class'])
    ok(del, 'user delete')
    assert.equal(existsSync(path), false)
    const gone = await mkctl(['cluster', 'user', 'list', '-p', 'class'])
    assert.equal(gone.stdout, '')
  })
})
