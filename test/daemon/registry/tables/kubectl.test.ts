// Rendering sanity check with the real kubectl: a tiny HTTP server answers /version, legacy discovery (built from
// src/api/resources.ts) and a few lists with our Tables; kubectl must accept the JSON and print the cells.
import {apiResourceList} from '../../../../src/daemon/apiserver/discovery.js'
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {accessSync, constants, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {BUILTIN} from '../../../../src/api/resources.js'
import {buildTable, convertorFor} from '../../../../src/daemon/registry/tables/index.js'
import {ago, H, M, meta, NOW, pod, running, S, terminated, waiting} from './fixtures.js'

function hasKubectl(): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => {
    try {
      accessSync(join(dir || '.', 'kubectl'), constants.X_OK)
      return true
    } catch {
      return false
    }
  })
}

const ip = (n: number) => ({podIPs: [{ip: `10.244.0.${n}`}]})
const PODS = [
  pod('web', {phase: 'Running', ...ip(5), containerStatuses: [running()]}, {}, {labels: {app: 'web'}}),
  pod('crash', {phase: 'Running', ...ip(6), containerStatuses: [waiting('CrashLoopBackOff', 'c', 4, ago(3 * M))]}),
  pod(
    'init',
    {phase: 'Pending', initContainerStatuses: [waiting('PodInitializing', 'i1')]},
    {initContainers: [{name: 'i1'}, {name: 'i2'}]},
  ),
  {
    ...pod('done', {phase: 'Succeeded', ...ip(8), containerStatuses: [terminated({exitCode: 0, reason: 'Completed'})]}),
    metadata: meta('done', {creationTimestamp: ago(3 * H + 5 * M)}),
  },
  pod('bye', {phase: 'Running', ...ip(9), containerStatuses: [running()]}, {}, {deletionTimestamp: ago(5 * S)}),
]
const DEPLOY = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: meta('web'),
  spec: {
    replicas: 3,
    selector: {matchLabels: {app: 'web'}},
    template: {spec: {containers: [{name: 'nginx', image: 'nginx'}]}},
  },
  status: {replicas: 3, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2},
}

function send(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, {'Content-Type': 'application/json'})
  res.end(JSON.stringify(body))
}

function resourceList(group: string, version: string): any {
  return apiResourceList(BUILTIN, group, version)
}

const seen: string[] = []

function handle(req: IncomingMessage, res: ServerResponse): void {
  seen.push(req.url ?? '')
  const url = new URL(req.url ?? '/', 'http://x')
  const path = url.pathname
  const wantsTable = (req.headers.accept ?? '').includes('as=Table')
  if (path === '/version')
    return send(res, 200, {major: '1', minor: '32', gitVersion: 'v1.32.0', platform: 'linux/amd64'})
  if (path === '/api')
    return send(res, 200, {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443'}],
    })
  if (path === '/apis') {
    const groups = BUILTIN.groupVersions()
      .filter((g) => g.group !== '')
      .map((g) => ({
        name: g.group,
        versions: g.versions.map((v) => ({groupVersion: `${g.group}/${v}`, version: v})),
        preferredVersion: {groupVersion: `${g.group}/${g.versions[0]}`, version: g.versions[0]},
      }))
    return send(res, 200, {kind: 'APIGroupList', apiVersion: 'v1', groups})
  }
  if (path === '/api/v1') return send(res, 200, resourceList('', 'v1'))
  const gv = /^\/apis\/([^/]+)\/([^/]+)$/.exec(path)
  if (gv) return send(res, 200, resourceList(gv[1], gv[2]))
  let objs: any[] | undefined
  let group = ''
  let kind = ''
  if (path === '/api/v1/namespaces/default/pods' || path === '/api/v1/pods') [objs, kind] = [PODS, 'Pod']
  if (path === '/apis/apps/v1/namespaces/default/deployments') [objs, group, kind] = [[DEPLOY], 'apps', 'Deployment']
  if (objs && url.searchParams.get('watch') === 'true') {
    // one MODIFIED event without column definitions, as a real server sends after the first event, then close
    res.writeHead(200, {'Content-Type': 'application/json'})
    const moved = pod('web', {phase: 'Running', ...ip(5), containerStatuses: [running('c', 1, ago(10 * S))]})
    const t = buildTable([moved], convertorFor('', 'Pod'), NOW, {noHeaders: true, listMeta: {resourceVersion: '12'}})
    res.end(JSON.stringify({type: 'MODIFIED', object: t}) + '\n')
    return
  }
  if (objs && wantsTable) {
    const includeObject = (url.searchParams.get('includeObject') ?? undefined) as 'Object' | undefined
    return send(
      res,
      200,
      buildTable(objs, convertorFor(group, kind), NOW, {includeObject, listMeta: {resourceVersion: '11'}}),
    )
  }
  if (objs)
    return send(res, 200, {kind: `${kind}List`, apiVersion: group ? `${group}/v1` : 'v1', metadata: {}, items: objs})
  send(res, 404, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'the server could not find the requested resource',
    reason: 'NotFound',
    code: 404,
  })
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{stdout: string; stderr: string; code: number}> {
  return new Promise((resolve) => {
    execFile('kubectl', args, {env, timeout: 30_000}, (err, stdout, stderr) => {
      resolve({stdout, stderr, code: err ? ((err as {code?: number}).code ?? 1) : 0})
    })
  })
}

describe('tables: rendered by the real kubectl', function () {
  let server: Server
  let dir: string
  let base: string[]
  let env: NodeJS.ProcessEnv

  before(async function () {
    if (!hasKubectl()) this.skip()
    server = createServer(handle)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as AddressInfo).port
    dir = mkdtempSync(join(tmpdir(), 'mkctl-tables-'))
    const kubeconfig = join(dir, 'kubeconfig')
    writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        `- name: t\n  cluster:\n    server: http://127.0.0.1:${port}`,
        'users:',
        '- name: u\n  user: {}',
        'contexts:',
        '- name: t\n  context:\n    cluster: t\n    user: u\n    namespace: default',
        'current-context: t',
        '',
      ].join('\n'),
    )
    base = ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache')]
    env = {PATH: process.env.PATH, HOME: dir}
  })

  after(async function () {
    if (server) await new Promise((resolve) => server.close(resolve))
    if (dir) rmSync(dir, {recursive: true, force: true})
  })

  it('get pods prints the server cells', async () => {
    const r = await run([...base, 'get', 'pods'], env)
    assert.equal(r.code, 0, r.stderr)
    const lines = r.stdout.trimEnd().split('\n')
    assert.match(lines[0], /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/)
    assert.match(r.stdout, /^web\s+1\/1\s+Running\s+0\s+5m$/m)
    assert.match(r.stdout, /^crash\s+0\/1\s+CrashLoopBackOff\s+4 \(3m ago\)\s+5m$/m)
    assert.match(r.stdout, /^init\s+0\/1\s+Init:0\/2\s+0\s+5m$/m)
    assert.match(r.stdout, /^done\s+0\/1\s+Completed\s+0\s+3h5m$/m)
    assert.match(r.stdout, /^bye\s+1\/1\s+Terminating\s+0\s+5m$/m)
    assert.equal(lines.length, 6)
  })

  it('get pods -o wide adds the priority-1 columns', async () => {
    const r = await run([...base, 'get', 'pods', '-o', 'wide'], env)
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/m)
    assert.match(r.stdout, /^web\s+1\/1\s+Running\s+0\s+5m\s+10\.244\.0\.5\s+node-1\s+<none>\s+<none>$/m)
    assert.match(r.stdout, /^init\s+0\/1\s+Init:0\/2\s+0\s+5m\s+<none>\s+node-1\s+<none>\s+<none>$/m)
  })

  it('labels and namespaces come from the PartialObjectMetadata rows', async () => {
    const r = await run([...base, 'get', 'pods', '-A', '--show-labels'], env)
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+LABELS$/m)
    assert.match(r.stdout, /^default\s+web\s+1\/1\s+Running\s+0\s+5m\s+app=web$/m)
  })

  it('--sort-by works on includeObject=Object rows', async () => {
    const r = await run([...base, 'get', 'pods', '--sort-by=.metadata.name', '-o', 'name'], env)
    assert.equal(r.code, 0, r.stderr)
    assert.equal(r.stdout, 'pod/bye\npod/crash\npod/done\npod/init\npod/web\n')
    const r2 = await run([...base, 'get', 'pods', '--sort-by=.metadata.name'], env)
    assert.equal(r2.code, 0, r2.stderr)
    const names = r2.stdout
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((l) => l.split(/\s+/)[0])
    assert.deepEqual(names, ['bye', 'crash', 'done', 'init', 'web'])
    assert.ok(
      seen.some((u) => u.startsWith('/api/v1/namespaces/default/pods?includeObject=Object')),
      seen.join(' '),
    )
  })

  it('int64 cells in string columns print as numbers (deployments)', async () => {
    const r = await run([...base, 'get', 'deployments', '-o', 'wide'], env)
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR$/m)
    assert.match(r.stdout, /^web\s+2\/3\s+3\s+2\s+5m\s+nginx\s+nginx\s+app=web$/m)
  })

  it('get -w accepts header-less watch Tables and exits 0 when the stream ends', async () => {
    const r = await run([...base, 'get', 'pods', '-w'], env)
    assert.equal(r.code, 0, r.stderr)
    const lines = r.stdout.trimEnd().split('\n')
    assert.equal(lines.length, 7)
    assert.match(lines[6], /^web\s+1\/1\s+Running\s+1 \(10s ago\)\s+5m$/)
  })
})
