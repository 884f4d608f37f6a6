// config-edit.test.ts compares the kubeconfig-editing `mkctl config` subcommands (set-cluster, set-credentials,
// set, unset, rename-context, get-users, delete-cluster, delete-user) with kubectl 1.32's, offline: each command
// runs on its own copy of one kubeconfig, and output, exit code and the resulting file must be equal.
import assert from 'node:assert/strict'
import {copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {kubectlAvailable, run} from '../../helpers/daemon.js'

const BIN = join(import.meta.dirname, '..', '..', '..', 'bin', 'mkctl.js')

const BASE = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: QUJD
    server: https://127.0.0.1:6443
  name: c1
- cluster:
    server: https://10.0.0.1
  name: c2
contexts:
- context:
    cluster: c1
    namespace: default
    user: u1
  name: ctx1
- context:
    cluster: c2
    user: u2
  name: ctx2
current-context: ctx1
kind: Config
preferences: {}
users:
- name: u1
  user:
    token: secret
- name: u2
  user:
    username: bob
    password: pw
`

describe('mkctl config editing subcommands (against kubectl)', function () {
  this.timeout(60000)
  let dir: string
  before(function () {
    if (!kubectlAvailable()) this.skip()
    dir = mkdtempSync(join(tmpdir(), 'config-edit-'))
    writeFileSync(join(dir, 'base'), BASE)
    writeFileSync(join(dir, 'ca.crt'), 'not really a certificate\n')
  })
  after(() => dir && rmSync(dir, {recursive: true, force: true}))

  // both runs args on a fresh copy of BASE; helpShown drops stdout where kubectl prints cobra's help
  async function both(args: string[], helpShown = false) {
    const k = join(dir, 'k.kc')
    const m = join(dir, 'm.kc')
    copyFileSync(join(dir, 'base'), k)
    copyFileSync(join(dir, 'base'), m)
    const kr = await run('kubectl', args, {env: {KUBECONFIG: k}, cwd: dir})
    const mr = await run('node', [BIN, ...args], {env: {KUBECONFIG: m}, cwd: dir})
    const norm = (s: string, file: string) => s.replaceAll(file, 'KC').replace(/\bkubectl\b/g, 'mkctl')
    assert.equal(mr.code, kr.code, `exit code of ${args.join(' ')}: ${mr.stderr}`)
    assert.equal(norm(mr.stderr, m), norm(kr.stderr, k))
    if (!helpShown) assert.equal(norm(mr.stdout, m), norm(kr.stdout, k))
    assert.equal(readFileSync(m, 'utf8'), readFileSync(k, 'utf8'), `kubeconfig after ${args.join(' ')}`)
    return mr
  }

  const ok = [
    ['set-cluster', 'c3', '--server=https://1.2.3.4'],
    ['set-cluster', 'c1', '--server=https://1.2.3.4'],
    ['set-cluster', 'c1', '--server=https://127.0.0.1:6443'],
    ['set-cluster', 'c1', '--insecure-skip-tls-verify=true'],
    ['set-cluster', 'c1', '--tls-server-name=foo', '--proxy-url=http://p:8080'],
    ['set-cluster', 'c1', '--certificate-authority=ca.crt'],
    ['set-cluster', 'c1', '--certificate-authority=/etc/hosts'],
    ['set-cluster', 'c1', '--certificate-authority=ca.crt', '--embed-certs'],
    ['set-credentials', 'u1', '--username=a', '--password=b'],
    ['set-credentials', 'u2', '--token=xyz'],
    ['set-credentials', 'u3', '--client-certificate=ca.crt', '--client-key=ca.crt', '--embed-certs'],
    ['set-credentials', 'u3', '--client-certificate=ca.crt'],
    ['set-credentials', 'u3', '--exec-command=foo', '--exec-api-version=client.authentication.k8s.io/v1', '--exec-arg=a,b', '--exec-env=K=V'],
    ['set-credentials', 'u3', '--exec-command=foo', '--exec-interactive-mode=Never', '--exec-provide-cluster-info'],
    ['set-credentials', 'u3', '--auth-provider=oidc', '--auth-provider-arg=client-id=x,foo=bar'],
    ['rename-context', 'ctx1', 'new'],
    ['get-users'],
    ['delete-cluster', 'c2'],
    ['delete-user', 'u1'],
    ['set', 'clusters.c1.server', 'https://5.6.7.8'],
    ['set', 'clusters.new.server', 'https://5.6.7.8'],
    ['set', 'users.u1.token', 'abc'],
    ['set', 'contexts.ctx2.namespace', 'kube-system'],
    ['set', 'current-context', 'ctx2'],
    ['set', 'clusters.c1.insecure-skip-tls-verify', 'true'],
    ['set', 'clusters.c1.certificate-authority-data', 'QUJDRA=='],
    ['set', 'users.u1.client-key-data', 'hello', '--set-raw-bytes=true'],
    ['set', 'preferences.colors', 'true'],
    ['unset', 'users.u1.token'],
    ['unset', 'current-context'],
    ['unset', 'clusters.c2'],
    ['unset', 'contexts.ctx1.namespace'],
  ] // prettier-ignore
  for (const args of ok) {
    it(`config ${args.join(' ')}`, async () => {
      assert.equal((await both(['config', ...args])).code, 0)
    })
  }

  const errors: [string[], boolean][] = [
    [['set-cluster', 'c1', '--certificate-authority=nope', '--embed-certs=true'], false],
    [['set-cluster', 'c1', '--embed-certs'], false],
    [['set-cluster', 'c1', '--certificate-authority=ca.crt', '--insecure-skip-tls-verify'], false],
    [['set-cluster'], true],
    [['set-credentials', 'u1', '--token=a', '--username=b'], false],
    [['set-credentials', 'u3', '--exec-command=foo', '--exec-interactive-mode=Bad'], false],
    [['rename-context', 'ctx1', 'ctx2'], false],
    [['rename-context', 'nope', 'x'], false],
    [['rename-context', 'a'], true],
    [['delete-cluster', 'zz'], false],
    [['delete-user', 'zz'], false],
    [['delete-user'], false],
    [['set', 'users.u1.token'], true],
    [['set', 'nope.x', '1'], false],
    [['unset', 'nope.x'], false],
    [['unset', 'clusters.zz.server'], false],
  ]
  for (const [args, help] of errors) {
    it(`config ${args.join(' ')} fails as kubectl does`, async () => {
      assert.equal((await both(['config', ...args], help)).code, 1)
    })
  }
})
