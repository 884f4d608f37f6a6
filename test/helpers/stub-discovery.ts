// stub-discovery.ts is a tiny API server for tests that drive the real kubectl without the daemon: /version,
// legacy discovery built from src/api/resources.ts (shapes in shared reference kubectl-api.md §4.3) and whatever
// the test serves under /openapi. It also writes a kubeconfig (plain http, no credentials) pointing at itself.
import {apiResourceList as daemonResourceList} from '../../src/daemon/apiserver/discovery.js'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {BUILTIN, type ResourceTable} from '../../src/api/resources.js'

/** StubReply is what a test's extra handler answers; undefined falls through to 404. */
export interface StubReply {
  status: number
  headers?: Record<string, string>
  body: Buffer | string
}

/** StubServer is a running stub with its URL, a kubeconfig file for it and the request log. */
export interface StubServer {
  url: string
  kubeconfig: string
  requests: string[]
  close(): Promise<void>
}

/** apiResourceList renders the legacy APIResourceList of one group-version (the daemon's own code). */
export function apiResourceList(table: ResourceTable, group: string, version: string): object {
  return (
    daemonResourceList(table, group, version) ?? {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: group ? `${group}/${version}` : version,
      resources: [],
    }
  )
}

/** StubHandler answers what discovery does not; body is the whole request body, already read. */
export type StubHandler = (url: string, req: IncomingMessage, body: Buffer) => StubReply | undefined

/** startStubDiscovery listens on 127.0.0.1:0; extra answers any request discovery does not (e.g. /openapi/v3). */
export async function startStubDiscovery(extra: StubHandler, table: ResourceTable = BUILTIN): Promise<StubServer> {
  const requests: string[] = []
  const gvs = table.groupVersions()
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const b = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body)
    res.writeHead(status, {'Content-Type': 'application/json', ...headers})
    res.end(b)
  }
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => handle(req, res, Buffer.concat(chunks)))
  })
  const handle = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const url = req.url ?? '/'
    requests.push(`${req.method} ${url}`)
    const path = url.split('?')[0]
    if (path === '/version') {
      return send(res, 200, {major: '1', minor: '32', gitVersion: 'v1.32.0', platform: 'linux/amd64'})
    }
    if (path === '/api') {
      return send(res, 200, {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDR: [{clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1'}],
      })
    }
    if (path === '/apis') {
      const groups = gvs
        .filter((g) => g.group !== '')
        .map((g) => {
          const versions = g.versions.map((v) => ({groupVersion: `${g.group}/${v}`, version: v}))
          return {name: g.group, versions, preferredVersion: versions[0]}
        })
      return send(res, 200, {kind: 'APIGroupList', apiVersion: 'v1', groups})
    }
    const m = /^\/api\/(v1)$|^\/apis\/([^/]+)\/([^/]+)$/.exec(path)
    if (m) {
      const group = m[1] ? '' : m[2]
      const version = m[1] ?? m[3]
      if (table.inGroupVersion(group, version).length) return send(res, 200, apiResourceList(table, group, version))
    }
    const r = extra(url, req, body)
    if (r) {
      res.writeHead(r.status, r.headers ?? {})
      return res.end(r.body)
    }
    send(res, 404, {kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404})
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const dir = mkdtempSync(join(tmpdir(), 'mkctl-stub-'))
  const kubeconfig = join(dir, 'kubeconfig')
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: stub`,
      `  cluster: {server: "${url}"}`,
      'contexts:',
      '- name: stub',
      '  context: {cluster: stub, user: stub, namespace: default}',
      'current-context: stub',
      'users:',
      '- name: stub',
      '  user: {}',
      '',
    ].join('\n'),
  )
  return {
    url,
    kubeconfig,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
