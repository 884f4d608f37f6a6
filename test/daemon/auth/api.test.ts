// api.test.ts: authentication, RBAC and impersonation on a running in-process daemon, driven by raw HTTPS and by the
// real kubectl with a user's kubeconfig: the exact Forbidden text and exit code outside the user's namespace, access
// inside it, `kubectl auth can-i` agreeing with the API for a table of requests, no /mkctl/v1 for users, watches
// and stream upgrades refused elsewhere, signed ServiceAccount tokens, and impersonation (admin may, users may not).
import assert from 'node:assert/strict'
import https from 'node:https'
import {join} from 'node:path'
import {writeFileSync} from 'node:fs'
import {ApiClient} from '../../helpers/http.js'
import {kubeconfigYaml, kubectlAvailable, startTestDaemon, type TestDaemon} from '../../helpers/daemon.js'

const FORBIDDEN_DEFAULT =
  'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default"'

/** upgrade sends a WebSocket upgrade request and resolves with the answer's code and body. */
function upgrade(d: TestDaemon, token: string, path: string): Promise<{status: number; body: string}> {
  const u = new URL(path, d.daemon.url)
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: u.hostname,
      port: u.port,
      path: u.pathname + u.search,
      method: 'GET',
      ca: d.daemon.caCert,
      agent: false,
      headers: {
        Authorization: `Bearer ${token}`,
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
        'Sec-WebSocket-Protocol': 'v5.channel.k8s.io',
      },
    })
    req.on('upgrade', (res, socket) => (socket.destroy(), resolve({status: res.statusCode ?? 0, body: ''})))
    req.on('response', (res) => {
      let body = ''
      res.on('data', (c) => (body += c))
      res.on('end', () => resolve({status: res.statusCode ?? 0, body}))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('auth: users, RBAC and impersonation on the API', function () {
  this.timeout(60_000)
  let d: TestDaemon
  let admin: ApiClient
  let alice: ApiClient
  let aliceToken: string
  let aliceKubeconfig: string

  before(async () => {
    d = await startTestDaemon()
    admin = new ApiClient(d.daemon.url, d.daemon.caCert, d.daemon.token)
    const added = await admin.request('POST', '/mkctl/v1/users', {name: 'alice', namespace: 'team-a'})
    assert.equal(added.status, 200, added.text)
    assert.deepEqual(
      {...added.json, created: undefined, token: undefined},
      {
        name: 'alice',
        namespace: 'team-a',
        role: 'edit',
        roleKind: 'ClusterRole',
        created: undefined,
        token: undefined,
      },
    )
    aliceToken = added.json.token
    alice = new ApiClient(d.daemon.url, d.daemon.caCert, aliceToken)
    aliceKubeconfig = join(d.home, 'alice.kubeconfig')
    writeFileSync(
      aliceKubeconfig,
      kubeconfigYaml('alice', d.daemon.url, d.daemon.caCert, aliceToken).replace(
        'namespace: default',
        'namespace: team-a',
      ),
    )
  })
  after(() => d?.stop())

  it('keeps the admin all-powerful and the default roles in place', async () => {
    for (const p of ['/api/v1/pods', '/mkctl/v1/time', '/apis/rbac.authorization.k8s.io/v1/clusterroles/edit']) {
      assert.equal((await admin.request('GET', p)).status, 200, p)
    }
    const names = (await admin.request('GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles')).json.items.map(
      (i: any) => i.metadata.name,
    )
    for (const n of ['cluster-admin', 'admin', 'edit', 'view', 'system:discovery', 'system:basic-user'])
      assert.ok(names.includes(n), n)
  })

  it('refuses unknown tokens with 401 and stores only hashes', async () => {
    const bad = new ApiClient(
      d.daemon.url,
      d.daemon.caCert,
      aliceToken.replace(/.$/, (c) => (c === '0' ? '1' : '0')),
    )
    assert.equal((await bad.request('GET', '/api/v1/namespaces/team-a/pods')).status, 401)
    const state = d.daemon.store.getState('auth.users') ?? ''
    assert.ok(state.includes('alice') && !state.includes(aliceToken))
  })

  it('answers a user outside its namespace with the exact Forbidden Status, inside with the objects', async () => {
    const denied = await alice.request('GET', '/api/v1/namespaces/default/pods')
    assert.equal(denied.status, 403)
    assert.deepEqual(denied.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: FORBIDDEN_DEFAULT,
      reason: 'Forbidden',
      details: {kind: 'pods'},
      code: 403,
    })
    assert.equal((await alice.request('GET', '/api/v1/namespaces/team-a/pods')).status, 200)
    const cm = {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'c'}, data: {a: 'b'}}
    assert.equal((await alice.request('POST', '/api/v1/namespaces/team-a/configmaps', cm)).status, 201)
    assert.equal((await alice.request('POST', '/api/v1/namespaces/default/configmaps', cm)).status, 403)
    assert.equal((await alice.request('GET', '/api/v1/nodes')).status, 403)
    assert.equal((await alice.request('GET', '/apis')).status, 200, 'discovery')
  })

  it('keeps users out of mkctl admin API: lab journal, checks, time, users', async () => {
    for (const [m, p] of [
      ['GET', '/mkctl/v1/lab'],
      ['GET', '/mkctl/v1/lab/journal'],
      ['POST', '/mkctl/v1/lab/view'],
      ['GET', '/mkctl/v1/time'],
      ['POST', '/mkctl/v1/time/advance'],
      ['GET', '/mkctl/v1/addons'],
      ['POST', '/mkctl/v1/users'],
    ] as const) {
      const r = await alice.request(m, p, m === 'POST' ? {} : undefined)
      assert.equal(r.status, 403, `${m} ${p}`)
      assert.equal(r.json.message, `forbidden: User "alice" cannot ${m.toLowerCase()} path "${p}"`)
    }
  })

  it('refuses a watch and a stream upgrade in another namespace, allows a watch in its own', async () => {
    const other = await alice.request('GET', '/api/v1/namespaces/default/pods?watch=true')
    assert.equal(other.status, 403)
    assert.equal(other.json.message, FORBIDDEN_DEFAULT.replace('cannot list', 'cannot watch'))
    const own = await alice.watch(
      '/api/v1/namespaces/team-a/configmaps?watch=true',
      (e) => e.object?.metadata?.name === 'c',
    )
    assert.equal(own.status, 200)
    const exec = await upgrade(d, aliceToken, '/api/v1/namespaces/default/pods/web/exec?command=ls&stdout=true')
    assert.equal(exec.status, 403)
    assert.equal(
      JSON.parse(exec.body).message,
      'pods "web" is forbidden: User "alice" cannot get resource "pods/exec" in API group "" in the namespace "default"',
    )
    const pf = await upgrade(d, aliceToken, '/api/v1/namespaces/default/pods/web/portforward?ports=80')
    assert.equal(pf.status, 403)
    const log = await alice.request('GET', '/api/v1/namespaces/default/pods/web/log')
    assert.equal(
      log.json.message,
      'pods "web" is forbidden: User "alice" cannot get resource "pods/log" in API group "" in the namespace "default"',
    )
  })

  it('authenticates signed ServiceAccount tokens until they expire, and refuses forged ones', async () => {
    await admin.request('POST', '/api/v1/namespaces/team-a/serviceaccounts', {metadata: {name: 'bot'}})
    const rb = {
      metadata: {name: 'bot-view'},
      roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view'},
      subjects: [{kind: 'ServiceAccount', name: 'bot'}],
    }
    assert.equal(
      (await admin.request('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/rolebindings', rb)).status,
      201,
    )
    const tr = await admin.request('POST', '/api/v1/namespaces/team-a/serviceaccounts/bot/token', {
      spec: {expirationSeconds: 600},
    })
    assert.equal(tr.status, 201, tr.text)
    const token = tr.json.status.token as string
    const bot = new ApiClient(d.daemon.url, d.daemon.caCert, token)
    assert.equal((await bot.request('GET', '/api/v1/namespaces/team-a/pods')).status, 200)
    const who = await bot.request('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {})
    assert.equal(who.json.status.userInfo.username, 'system:serviceaccount:team-a:bot')
    assert.deepEqual(who.json.status.userInfo.groups, [
      'system:serviceaccounts',
      'system:serviceaccounts:team-a',
      'system:authenticated',
    ])
    const denied = await bot.request('DELETE', '/api/v1/namespaces/team-a/pods/x')
    assert.equal(
      denied.json.message,
      'pods "x" is forbidden: User "system:serviceaccount:team-a:bot" cannot delete resource "pods" in API group "" in the namespace "team-a"',
    )
    // a changed claim breaks the signature
    const [p, payload, sig] = token.split('.')
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString())
    claims.sub = 'system:serviceaccount:kube-system:admin'
    const forged = `${p}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${sig}`
    assert.equal(
      (await new ApiClient(d.daemon.url, d.daemon.caCert, forged).request('GET', '/api/v1/pods')).status,
      401,
    )
    d.clock.advance(601_000)
    assert.equal((await bot.request('GET', '/api/v1/namespaces/team-a/pods')).status, 401, 'expired')
  })

  it('impersonates for the admin only, with the apiserver texts', async () => {
    const as = await admin.request('GET', '/api/v1/namespaces/default/pods', undefined, {'Impersonate-User': 'alice'})
    assert.equal(as.status, 403)
    assert.equal(as.json.message, FORBIDDEN_DEFAULT)
    const grp = await admin.request(
      'POST',
      '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      {},
      {'Impersonate-User': 'x', 'Impersonate-Group': 'system:authenticated', 'Impersonate-Uid': 'u1'},
    )
    assert.deepEqual(grp.json.status.userInfo, {username: 'x', uid: 'u1', groups: ['system:authenticated']})
    // groups given are the whole list: without system:authenticated even the self review is refused, as upstream
    const bare = await admin.request(
      'POST',
      '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      {},
      {'Impersonate-User': 'x', 'Impersonate-Group': 'devs'},
    )
    assert.equal(
      bare.json.message,
      'selfsubjectreviews.authentication.k8s.io is forbidden: User "x" cannot create resource "selfsubjectreviews" in API group "authentication.k8s.io" at the cluster scope',
    )
    const no = await alice.request('GET', '/api/v1/namespaces/team-a/pods', undefined, {'Impersonate-User': 'bob'})
    assert.equal(no.status, 403)
    assert.equal(
      no.json.message,
      'users "bob" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope',
    )
  })

  it('kubectl with the user kubeconfig: exact Forbidden text and exit code, allowed in its namespace', async function () {
    if (!kubectlAvailable()) this.skip()
    const env = {KUBECONFIG: aliceKubeconfig}
    const kc = (args: string[]) => d.kubectl(['--kubeconfig', aliceKubeconfig, ...args], {env})
    const other = await kc(['get', 'pods', '-n', 'default'])
    assert.equal(other.code, 1)
    assert.equal(other.stderr, `Error from server (Forbidden): ${FORBIDDEN_DEFAULT}\n`)
    const own = await kc(['get', 'configmaps', 'c'])
    assert.equal(own.code, 0, own.stderr)
    assert.match(own.stdout, /^NAME\s+DATA\s+AGE\nc\s+1\s+/)
  })

  it('kubectl auth can-i agrees with the API for a table of requests', async function () {
    if (!kubectlAvailable()) this.skip()
    const table: [string[], string, string][] = [
      [['list', 'pods', '-n', 'team-a'], 'GET', '/api/v1/namespaces/team-a/pods'],
      [['list', 'pods', '-n', 'default'], 'GET', '/api/v1/namespaces/default/pods'],
      [['create', 'deployments.apps', '-n', 'team-a'], 'POST', '/apis/apps/v1/namespaces/team-a/deployments'],
      [['delete', 'secrets', '-n', 'team-a'], 'DELETE', '/api/v1/namespaces/team-a/secrets/s'],
      [
        ['create', 'roles.rbac.authorization.k8s.io', '-n', 'team-a'],
        'POST',
        '/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/roles',
      ],
      [['get', 'pods', '--subresource=log', '-n', 'team-a'], 'GET', '/api/v1/namespaces/team-a/pods/p/log'],
      [['list', 'nodes'], 'GET', '/api/v1/nodes'],
      [['watch', 'configmaps', '-n', 'kube-system'], 'GET', '/api/v1/namespaces/kube-system/configmaps?watch=true'],
      [['get', '/mkctl/v1/lab'], 'GET', '/mkctl/v1/lab'],
      [['get', '/apis'], 'GET', '/apis'],
    ]
    for (const [args, method, path] of table) {
      const ci = await d.kubectl(['--kubeconfig', aliceKubeconfig, 'auth', 'can-i', ...args], {
        env: {KUBECONFIG: aliceKubeconfig},
      })
      const api = await alice.request(method, path, method === 'POST' ? {} : undefined)
      const allowed = api.status !== 403 && api.status !== 401
      assert.equal(ci.stdout.trim(), allowed ? 'yes' : 'no', `${args.join(' ')} (API ${api.status})`)
      assert.equal(ci.code, allowed ? 0 : 1)
    }
    const list = await d.kubectl(['--kubeconfig', aliceKubeconfig, 'auth', 'can-i', '--list'], {
      env: {KUBECONFIG: aliceKubeconfig},
    })
    assert.equal(list.code, 0, list.stderr)
    assert.match(list.stdout, /^pods\s+\[\]\s+\[\]\s+\[get list watch create delete deletecollection patch update\]$/m)
    assert.match(list.stdout, /^\s+\[\/mkctl\/v1\/lab\/journal\]\s+\[\]\s+\[post\]$/m)
    assert.doesNotMatch(list.stdout, /\*\.\*/)
  })

  it('admin --as alice: kubectl and mkctl print the same', async function () {
    if (!kubectlAvailable()) this.skip()
    const {ensureBuilt} = await import('../../helpers/build.js')
    this.timeout(300_000)
    ensureBuilt()
    for (const args of [
      ['--as', 'alice', 'get', 'pods', '-n', 'default'],
      ['get', 'configmaps', '-n', 'team-a', '--as=alice'],
      ['auth', 'whoami', '--as', 'alice', '--as-group', 'devs', '--as-group', 'ops'],
      ['--as', 'alice', 'auth', 'can-i', 'create', 'pods', '-n', 'team-a'],
      ['--as-group', 'devs', 'get', 'pods'],
    ]) {
      const k = await d.kubectl(args)
      const m = await d.mkctl(args)
      assert.deepEqual(
        {out: m.stdout, err: m.stderr, code: m.code},
        {out: k.stdout, err: k.stderr, code: k.code},
        args.join(' '),
      )
    }
  })
})
