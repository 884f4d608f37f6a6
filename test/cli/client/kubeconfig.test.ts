import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {delimiter, join} from 'node:path'
import {
  loadKubeconfig,
  minifyConfig,
  precedenceFor,
  resolveContext,
  shortenConfig,
  upsertProfile,
} from '../../../src/cli/client/kubeconfig.js'

const A = `apiVersion: v1
kind: Config
clusters:
- name: a
  cluster: {server: "https://127.0.0.1:6443", certificate-authority-data: Y2VydA==}
users:
- name: a
  user: {token: tok-a}
contexts:
- name: a
  context: {cluster: a, user: a, namespace: kube-system}
current-context: a
`
const B = `clusters:
- name: a
  cluster: {server: "https://shadowed:1"}
- name: b
  cluster: {server: "http://127.0.0.1:8080"}
contexts:
- name: b
  context: {cluster: b, user: nobody}
current-context: b
`

describe('kubeconfig', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mkctl-kc-'))
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('defaults to $MKCTL_HOME/kubeconfig, not ~/.kube/config', () => {
    assert.deepEqual(precedenceFor(undefined, {MKCTL_HOME: dir}), [join(dir, 'kubeconfig')])
    assert.deepEqual(precedenceFor('/x', {MKCTL_HOME: dir, KUBECONFIG: '/y'}), ['/x'])
    assert.deepEqual(precedenceFor(undefined, {KUBECONFIG: ['/y', '', '/z', '/y'].join(delimiter)}), ['/y', '/z'])
  })

  it('merges KUBECONFIG files: the first to set a key or current-context wins', async () => {
    writeFileSync(join(dir, 'a'), A)
    writeFileSync(join(dir, 'b'), B)
    const env = {KUBECONFIG: [join(dir, 'missing'), join(dir, 'a'), join(dir, 'b')].join(delimiter)}
    const l = await loadKubeconfig({}, {env})
    assert.equal(l.config['current-context'], 'a')
    assert.deepEqual(
      l.config.clusters?.map((c) => [c.name, c.cluster.server]),
      [
        ['a', 'https://127.0.0.1:6443'],
        ['b', 'http://127.0.0.1:8080'],
      ],
    )
    assert.equal(l.origin.get('contexts/b'), join(dir, 'b'))
  })

  it('fails on a missing --kubeconfig only for server commands', async () => {
    const f = join(dir, 'none')
    assert.equal((await loadKubeconfig({kubeconfig: f}, {env: {}})).config.clusters, null)
    await assert.rejects(loadKubeconfig({kubeconfig: f}, {env: {}, strict: true}), {
      message: `error: stat ${f}: no such file or directory`,
    })
  })

  it('words YAML errors as clientcmd does', async () => {
    writeFileSync(join(dir, 'bad'), 'foo: [\n')
    await assert.rejects(loadKubeconfig({kubeconfig: join(dir, 'bad')}, {env: {}}), {
      message: /^error: error loading config file ".*bad": yaml: /,
    })
  })

  it('resolves context, server, CA, token and namespace with flag overrides', async () => {
    writeFileSync(join(dir, 'a'), A)
    const l = await loadKubeconfig({}, {env: {KUBECONFIG: join(dir, 'a')}})
    const r = resolveContext(l, {})
    assert.equal(r.server, 'https://127.0.0.1:6443')
    assert.equal(r.caData?.toString(), 'cert')
    assert.equal(r.token, 'tok-a')
    assert.equal(r.namespace, 'kube-system')
    assert.equal(r.namespaceExplicit, false)
    const o = resolveContext(l, {namespace: 'x', server: 'http://h:1', token: 't2'})
    assert.deepEqual([o.server, o.namespace, o.namespaceExplicit, o.token], ['http://h:1', 'x', true, 't2'])
  })

  it('falls back to localhost:8080 and the default namespace with no config', async () => {
    const l = await loadKubeconfig({}, {env: {KUBECONFIG: '/dev/null'}})
    const r = resolveContext(l, {})
    assert.equal(r.server, 'http://localhost:8080')
    assert.equal(r.namespace, 'default')
  })

  it('rejects an unknown --context as a configuration error', async () => {
    writeFileSync(join(dir, 'a'), A)
    const l = await loadKubeconfig({}, {env: {KUBECONFIG: join(dir, 'a')}})
    assert.throws(() => resolveContext(l, {context: 'nope'}), {
      message: 'Error in configuration: context was not found for specified context: nope',
    })
  })

  it('minifies and redacts like config view', async () => {
    writeFileSync(join(dir, 'a'), A)
    writeFileSync(join(dir, 'b'), B)
    const l = await loadKubeconfig({}, {env: {KUBECONFIG: [join(dir, 'a'), join(dir, 'b')].join(delimiter)}})
    const m = minifyConfig(l.config)
    assert.deepEqual(
      m.contexts?.map((c) => c.name),
      ['a'],
    )
    const s = shortenConfig(m)
    assert.equal(s.clusters?.[0].cluster['certificate-authority-data'], 'DATA+OMITTED')
    assert.equal(s.users?.[0].user.token, 'REDACTED')
    assert.throws(() => minifyConfig({...l.config, 'current-context': 'b'}), {message: 'cannot locate user nobody'})
  })

  it('upserts a profile with 0600 file and 0700 folder, as current context', async () => {
    const path = join(dir, 'home', 'kubeconfig')
    await upsertProfile(path, {name: 'mkctl', server: 'https://127.0.0.1:4443', caData: 'PEM', token: 'secret'})
    await upsertProfile(path, {name: 'lab', server: 'https://127.0.0.1:5443', token: 't'})
    assert.equal(statSync(path).mode & 0o777, 0o600)
    assert.equal(statSync(join(dir, 'home')).mode & 0o777, 0o700)
    const l = await loadKubeconfig({kubeconfig: path}, {env: {}})
    assert.equal(l.config['current-context'], 'lab')
    assert.deepEqual(
      l.config.contexts?.map((c) => c.name),
      ['lab', 'mkctl'],
    )
    const r = resolveContext(l, {context: 'mkctl'})
    assert.deepEqual(
      [r.server, r.caData?.toString(), r.token, r.clusterName, r.userName],
      ['https://127.0.0.1:4443', 'PEM', 'secret', 'mkctl', 'mkctl'],
    )
    assert.match(readFileSync(path, 'utf8'), /^apiVersion: v1\nclusters:\n- cluster:\n/)
  })
})
