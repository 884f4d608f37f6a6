// stub-server.ts is a tiny fake API server for CLI tests: /version, legacy or aggregated discovery built from
// src/api/resources.ts, and a kube-system services list. It records every request so tests can assert on them.
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import {BUILTIN, groupVersion, type ResourceInfo} from '../../../src/api/resources.js'

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

function legacyResource(r: ResourceInfo): Record<string, unknown>[] {
  const main: Record<string, unknown> = {
    name: r.plural,
    singularName: r.singular,
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: r.verbs,
  }
  if (r.shortNames.length > 0) main.shortNames = r.shortNames
  if (r.categories.length > 0) main.categories = r.categories
  const subs = r.subresources.map((s) => {
    const o: Record<string, unknown> = {
      name: `${r.plural}/${s.name}`,
      singularName: '',
      namespaced: r.namespaced,
      kind: s.kind,
      verbs: s.verbs,
    }
    if (s.group !== undefined) o.group = s.group
    if (s.version !== undefined) o.version = s.version
    return o
  })
  return [main, ...subs]
}

function aggregatedGroup(group: string, versions: string[]): Record<string, unknown> {
  return {
    metadata: group ? {name: group, creationTimestamp: null} : {creationTimestamp: null},
    versions: versions.map((v) => ({
      version: v,
      freshness: 'Current',
      resources: BUILTIN.inGroupVersion(group, v).map((r) => ({
        resource: r.plural,
        responseKind: {group, version: v, kind: r.kind},
        scope: r.namespaced ? 'Namespaced' : 'Cluster',
        singularResource: r.singular,
        verbs: r.verbs,
        ...(r.shortNames.length ? {shortNames: r.shortNames} : {}),
        ...(r.categories.length ? {categories: r.categories} : {}),
        ...(r.subresources.length
          ? {
              subresources: r.subresources.map((s) => ({
                subresource: s.name,
                responseKind: {group: s.group ?? group, version: s.version ?? v, kind: s.kind},
                verbs: s.verbs,
              })),
            }
          : {}),
      })),
    })),
  }
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
  const gvs = BUILTIN.groupVersions()
  const server = http.createServer((req, res) => {
    requests.push({method: req.method ?? '', url: req.url ?? '', headers: req.headers})
    const path = (req.url ?? '').split('?')[0]
    const custom = opts.routes?.[path]
    if (custom) return custom(req, res)
    const agg = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList'
    if (path === '/version') return json(res, opts.version ?? DEFAULT_VERSION)
    if (path === '/api') {
      if (opts.aggregated)
        return json(
          res,
          {
            kind: 'APIGroupDiscoveryList',
            apiVersion: 'apidiscovery.k8s.io/v2',
            metadata: {},
            items: [aggregatedGroup('', ['v1'])],
          },
          200,
          agg,
        )
      return json(res, {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443'}],
      })
    }
    if (path === '/apis') {
      const groups = gvs.filter((g) => g.group !== '')
      if (opts.aggregated) {
        return json(
          res,
          {
            kind: 'APIGroupDiscoveryList',
            apiVersion: 'apidiscovery.k8s.io/v2',
            metadata: {},
            items: groups.map((g) => aggregatedGroup(g.group, g.versions)),
          },
          200,
          agg,
        )
      }
      return json(res, {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: groups.map((g) => ({
          name: g.group,
          versions: g.versions.map((v) => ({groupVersion: groupVersion(g.group, v), version: v})),
          preferredVersion: {groupVersion: groupVersion(g.group, g.versions[0]), version: g.versions[0]},
        })),
      })
    }
    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path)
    if (m) {
      const group = m[2] ?? ''
      const version = m[1] ?? m[3]
      const list = BUILTIN.inGroupVersion(group, version)
      if (list.length === 0)
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
      return json(res, {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: groupVersion(group, version),
        resources: list.flatMap(legacyResource),
      })
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
