// ingress-rules.test.ts: which backend ingress-nginx would choose for a host and path.
import assert from 'node:assert/strict'
import type {KubeObject} from '../../../src/api/object.js'
import {hostMatches, ingressesFor, pathMatches, route} from '../../../src/daemon/addons/ingress-rules.js'

const ing = (
  name: string,
  spec: object,
  created = '2026-01-01T00:00:00Z',
  annotations?: Record<string, string>,
): KubeObject => ({
  metadata: {name, namespace: 'default', creationTimestamp: created, ...(annotations ? {annotations} : {})},
  spec,
})
const path = (p: string, type: string, service: string, port: number | string = 80) => ({
  path: p,
  pathType: type,
  backend: {service: {name: service, port: typeof port === 'number' ? {number: port} : {name: port}}},
})

describe('ingress rules', () => {
  it('matches hosts exactly or by a one-label wildcard', () => {
    assert.equal(hostMatches('app.local', 'app.local'), true)
    assert.equal(hostMatches('app.local', 'APP.local'), true)
    assert.equal(hostMatches('*.local', 'app.local'), true)
    assert.equal(hostMatches('*.local', 'a.b.local'), false)
    assert.equal(hostMatches('*.local', 'local'), false)
    assert.equal(hostMatches(undefined, 'anything'), true)
  })

  it('matches paths by type', () => {
    assert.equal(pathMatches('Prefix', '/api', '/api'), true)
    assert.equal(pathMatches('Prefix', '/api', '/api/v1?x=1'), true)
    assert.equal(pathMatches('Prefix', '/api/', '/api'), true)
    assert.equal(pathMatches('Prefix', '/api', '/apis'), false)
    assert.equal(pathMatches('Prefix', '/', '/anything'), true)
    assert.equal(pathMatches('Exact', '/api', '/api/'), false)
    assert.equal(pathMatches('ImplementationSpecific', '/api', '/apis'), true)
  })

  it('picks the longest path, Exact before Prefix, a named host before a catch-all, then the default backend', () => {
    const a = ing('a', {
      rules: [
        {
          host: 'app.local',
          http: {
            paths: [
              path('/', 'Prefix', 'web'),
              path('/api', 'Prefix', 'api', 'http'),
              path('/api', 'Exact', 'api-exact'),
            ],
          },
        },
        {http: {paths: [path('/', 'Prefix', 'catch-all')]}},
      ],
    })
    const d = ing('d', {defaultBackend: {service: {name: 'fallback', port: {number: 8080}}}}, '2026-01-02T00:00:00Z')
    assert.equal(route([a], 'app.local', '/')?.backend.service, 'web')
    assert.deepEqual(route([a], 'app.local:31080', '/api/users')?.backend, {service: 'api', port: 'http'})
    assert.equal(route([a], 'app.local', '/api')?.backend.service, 'api-exact')
    assert.equal(route([a], 'other.local', '/x')?.backend.service, 'catch-all')
    assert.equal(route([d], 'x', '/')?.rule, 'default backend')
    assert.equal(route([], 'x', '/'), undefined)
  })

  it('serves the ingresses of its class, and classless ones when it is the default', () => {
    const all = [
      ing('mine', {ingressClassName: 'nginx'}),
      ing('other', {ingressClassName: 'traefik'}),
      ing('none', {}),
      ing('legacy', {}, undefined, {'kubernetes.io/ingress.class': 'nginx'}),
    ]
    assert.deepEqual(
      ingressesFor(all, 'nginx', true).map((i) => i.metadata?.name),
      ['mine', 'none', 'legacy'],
    )
    assert.deepEqual(
      ingressesFor(all, 'nginx', false).map((i) => i.metadata?.name),
      ['mine', 'legacy'],
    )
  })
})
