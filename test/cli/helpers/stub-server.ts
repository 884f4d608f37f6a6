// stub-server.ts is a tiny fake API server for CLI tests: /version, legacy or aggregated discovery built from
// the daemon's discovery code, and a kube-system services list. It records every request so tests can assert on them.
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import {BUILTIN} from '../../../src/api/resources.js'
// Discovery answers come from the daemon's own code, so the stub and the daemon cannot drift apart.
import {aggregated, apiGroupList, apiResourceList, apiVersions} from '../../../src/daemon/apiserver/discovery.js'

/** StubRequest is one request the stub saw. */
export interface StubRequest {
  method: string
  url: string
  headers: http.IncomingHttpHeaders
}

/** StubOptions tune the stub's answers. */
export interface StubOptions {
  aggregated?: boolean
  version?: Record<string, string>
  services?: unknown[]
  /** routes override or add answers by path (without query). */
  routes?: Record<string, (req: http.IncomingMessage, res: http.ServerResponse) => void>
}

/** Stub is a running stub server. */
export interface Stub {
  url: string
  requests: StubRequest[]
  close(): Promise<void>
}

/** DEFAULT_VERSION is a 1.32 `/version` answer. */
export const DEFAULT_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0',
  gitCommit: '70d3cc986aa8221cd1dfb1121852688902d3bf53',
  gitTreeState: 'clean',
  buildDate: '2024-12-11T17:59:15Z',
  goVersion: 'go1.23.3',
  compiler: 'gc',
  platform: 'linux/amd64',
}

/** startStub starts the stub on 127.0.0.1, port 0. */
export async function startStub(opts: StubOptions = {}): Promise<Stub> {
  const requests: StubRequest[] = []
  const json = (res: http.ServerResponse, body: unknown, status = 200, ct = 'application/json') => {
    res.writeHead(status, {'Content-Type': ct})
    res.end(JSON.stringify(body))
  }
  const server = http.createServer((req, res) => {
    requests.push({method: req.method ?? '', url: req.url ?? '', headers: req.headers})
    const path = (req.url ?? '').split('?')[0]
    const custom = opts.routes?.[path]
    if (custom) return custom(req, res)
    const agg = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList'
    if (path === '/version') return json(res, opts.version ?? DEFAULT_VERSION)
    if (path === '/api') {
      if (opts.aggregated) return json(res, aggregated(BUILTIN, true, 'v2'), 200, agg)
      return json(res, apiVersions('127.0.0.1:6443'))
    }
    if (path === '/apis') {
      if (opts.aggregated) return json(res, aggregated(BUILTIN, false, 'v2'), 200, agg)
      return json(res, apiGroupList(BUILTIN))
    }
    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path)
    if (m) {
      const group = m[2] ?? ''
      const version = m[1] ?? m[3]
      const list = apiResourceList(BUILTIN, group, version)
      if (!list)
        return json(
          res,
          {
            kind: 'Status',
            apiVersion: 'v1',
            metadata: {},
            status: 'Failure',
            message: 'the server could not find the requested resource',
            reason: 'NotFound',
            details: {},
            code: 404,
          },
          404,
        )
      return json(res, list)
    }
    if (path === '/api/v1/namespaces/kube-system/services') {
      return json(res, {
        kind: 'ServiceList',
        apiVersion: 'v1',
        metadata: {resourceVersion: '1'},
        items: opts.services ?? [],
      })
    }
    json(
      res,
      {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'the server could not find the requested resource',
        reason: 'NotFound',
        details: {},
        code: 404,
      },
      404,
    )
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}
