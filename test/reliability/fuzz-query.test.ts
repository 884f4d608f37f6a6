// fuzz-query.test.ts — property-based fuzzing of query parameters and paths of reads (issue 7 §1): labelSelector,
// fieldSelector, limit, continue (garbage, base64 of odd JSON, tokens of other revisions), resourceVersion,
// resourceVersionMatch, watch, timeoutSeconds, sendInitialEvents and odd namespaces and resource names, on lists,
// gets and watches. Properties: no 5xx, no unhandled rejection, failures are 4xx Statuses, and reads never change the
// store. A watch that starts is cut after its headers (the fake clock never ends it).
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {assertClientFailure, check, oddString, runs, seedFor, useFuzzDaemon} from '../helpers/fuzz.js'

const SEED = seedFor(7003)
const RUNS = runs(1500)

const b64 = (s: string) => Buffer.from(s).toString('base64')

const selector = fc.oneof(
  fc.constantFrom(
    'a=b',
    'a!=b',
    'a in (x,y)',
    'a notin (x)',
    '!a',
    'a',
    'a==b,c',
    '(((',
    'a in (',
    'a=b=c',
    ',',
    'a in ()',
    '=',
    '!',
  ),
  fc.constantFrom(
    'metadata.name=x',
    'metadata.namespace!=y',
    'spec.nodeName=',
    'status.phase=Running',
    'bogus.field=1',
  ),
  oddString(),
)

const continueToken = fc.oneof(
  oddString(),
  fc.constantFrom('e30=', b64('{"v":"meta.k8s.io/v1","rv":1,"start":"a"}'), b64('{"v":"meta.k8s.io/v1","rv":-5}')),
  fc
    .record({v: fc.constantFrom('meta.k8s.io/v1', 'x'), rv: fc.oneof(fc.integer(), fc.string()), start: oddString()})
    .map((o) => b64(JSON.stringify(o))),
)

const number = fc.oneof(
  fc.constantFrom('0', '-1', '1', '500', '9999999999999999999999', '1e3', '0x10', 'abc', '', ' 1', '1.5', 'NaN'),
  fc.integer().map(String),
)

const PATHS = [
  '/api/v1/namespaces/default/configmaps',
  '/api/v1/pods',
  '/api/v1/namespaces/default/pods',
  '/api/v1/nodes',
  '/apis/apps/v1/namespaces/default/deployments',
  '/api/v1/namespaces/default/events',
  '/apis/batch/v1/jobs',
  '/api/v1/namespaces',
]

const caseArb = fc.record({
  path: fc.oneof(
    {weight: 5, arbitrary: fc.constantFrom(...PATHS)},
    fc.tuple(fc.constantFrom(...PATHS), oddString()).map(([p, n]) => `${p}/${encodeURIComponent(n)}`),
    fc
      .tuple(oddString(), oddString())
      .map(([a, b]) => `/api/v1/namespaces/${encodeURIComponent(a)}/${encodeURIComponent(b)}`),
    fc.constantFrom('/apis/nope/v1/things', '/api/v2/pods', '/apis', '/api', '/version', '/openapi/v3', '/healthz'),
  ),
  params: fc.dictionary(
    fc.constantFrom(
      'labelSelector',
      'fieldSelector',
      'limit',
      'continue',
      'resourceVersion',
      'resourceVersionMatch',
      'watch',
      'timeoutSeconds',
      'sendInitialEvents',
      'allowWatchBookmarks',
      'pretty',
      'includeObject',
      'bogus',
    ),
    fc.oneof(selector, continueToken, number, fc.constantFrom('true', 'false', '1', 'NotOlderThan', 'Exact', 'Frob')),
    {maxKeys: 5},
  ),
  method: fc.constantFrom('GET', 'GET', 'GET', 'HEAD'),
  accept: fc.constantFrom(
    undefined,
    'application/json;as=Table;v=v1;g=meta.k8s.io',
    'application/json;as=Table;v=v9;g=meta.k8s.io',
    'application/yaml',
    'text/html',
    'application/vnd.kubernetes.protobuf',
  ),
})

describe('fuzz: query parameters and paths of reads', function () {
  this.timeout(120_000)
  const fz = useFuzzDaemon(async (fz) => {
    for (let i = 0; i < 5; i++) {
      const r = await fz.client.send({
        method: 'POST',
        path: '/api/v1/namespaces/default/configmaps',
        body: JSON.stringify({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: `q${i}`, labels: {a: String(i)}}}),
      })
      assert.equal(r.status, 201)
    }
  })

  it(`${RUNS} random reads: 4xx Status or success, store untouched, no crash`, async () => {
    let failures = 0
    await check(
      'fuzz-query',
      fc.asyncProperty(caseArb, async (c) => {
        const qs = new URLSearchParams(c.params as Record<string, string>).toString()
        const path = `${c.path}${qs ? '?' + qs : ''}`
        const what = `${c.method} ${path} (Accept ${c.accept ?? 'json'})`
        const rev = fz.td.daemon.store.currentRevision()
        const r = await fz.client.send({method: c.method, path, headers: c.accept ? {Accept: c.accept} : {}})
        assert.ok(r.status < 500 || r.status === 504, `server error: ${what}\n→ ${r.status} ${r.text.slice(0, 600)}`)
        assert.equal(fz.td.daemon.store.currentRevision(), rev, `a read changed the store: ${what}`)
        if (r.status >= 400 && c.method === 'GET' && !c.accept?.includes('html')) {
          failures++
          assertClientFailure(r, what)
        }
      }),
      SEED,
      RUNS,
    )
    if (RUNS >= 200) assert.ok(failures > RUNS / 10, `failures ${failures} of ${RUNS}`)
    fz.trip.assertClean()
  })
})
