// fuzz-patches.test.ts — property-based fuzzing of PATCH (issue 7 §1): JSON patches (random op lists with odd
// pointers, ~0/~1 escapes, bad ops), merge patches (random objects with nulls and wrong types), strategic merge
// patches (with $patch, $setElementOrder, $retainKeys and $deleteFromPrimitiveList directives, good and bad) and
// server-side apply (JSON and YAML bodies, with and without fieldManager and force) against a ConfigMap, a
// Deployment and a Service that exist, and names that do not. Same properties as fuzz-manifests: no 5xx, no
// unhandled rejection, failures are 4xx Statuses, and a failed patch leaves the store's revision and the target's
// resourceVersion unchanged.
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {stringify as toYaml} from 'yaml'
import {
  assertClientFailure,
  check,
  describeRequest,
  oddString,
  oddValue,
  runs,
  seedFor,
  useFuzzDaemon,
  type FuzzRequest,
} from '../helpers/fuzz.js'

const SEED = seedFor(7002)
const RUNS = runs(600)

const TARGETS = [
  {
    path: '/api/v1/namespaces/default/configmaps/',
    name: 'pcm',
    body: {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'pcm', labels: {a: 'b'}}, data: {k: 'v', l: 'w'}},
  },
  {
    path: '/apis/apps/v1/namespaces/default/deployments/',
    name: 'pdep',
    body: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {name: 'pdep'},
      spec: {
        replicas: 1,
        selector: {matchLabels: {app: 'p'}},
        template: {
          metadata: {labels: {app: 'p'}},
          spec: {
            containers: [
              {name: 'a', image: 'nginx', env: [{name: 'X', value: '1'}], ports: [{containerPort: 80}]},
              {name: 'b', image: 'busybox', args: ['sleep', '1d']},
            ],
          },
        },
      },
    },
  },
  {
    path: '/api/v1/namespaces/default/services/',
    name: 'psvc',
    body: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {name: 'psvc'},
      spec: {selector: {app: 'p'}, ports: [{name: 'http', port: 80, targetPort: 80}]},
    },
  },
]

const pointer = fc.oneof(
  fc.constantFrom(
    '',
    '/',
    '/metadata/labels/a',
    '/metadata/labels/x~1y',
    '/metadata/name',
    '/metadata/resourceVersion',
    '/data/k',
    '/data/-',
    '/spec/replicas',
    '/spec/template/spec/containers/0/image',
    '/spec/template/spec/containers/-',
    '/spec/template/spec/containers/5',
    '/spec/template/spec/containers/-1',
    '/spec/template/spec/containers/01',
    '/spec/ports/0/port',
    '/spec/ports/~2',
    '/kind',
    '/apiVersion',
    '/status',
    'no-slash',
    '/a/b/c/d/e',
  ),
  fc.array(oddString(), {maxLength: 4}).map((parts) => '/' + parts.join('/')),
)

const jsonPatchOp = fc.record(
  {
    op: fc.constantFrom('add', 'remove', 'replace', 'move', 'copy', 'test', 'frob', '', 'ADD'),
    path: pointer,
    from: pointer,
    value: oddValue(),
  },
  {requiredKeys: ['op']},
)

const directive = fc.constantFrom<Record<string, unknown>>(
  {$patch: 'delete'},
  {$patch: 'replace'},
  {$patch: 'merge'},
  {$patch: 'frob'},
  {$retainKeys: ['spec']},
  {$retainKeys: 'x'},
  {'$setElementOrder/containers': [{name: 'b'}, {name: 'a'}]},
  {'$setElementOrder/containers': 'x'},
  {'$deleteFromPrimitiveList/args': ['sleep']},
  {'$deleteFromPrimitiveList/args': 5},
)

/** patchObject is a random merge/strategic patch shaped like the targets, with directives sprinkled in. */
const patchObject: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof(
    {depthSize: 'small', withCrossShrink: true},
    oddValue(),
    fc.dictionary(
      fc.oneof(
        fc.constantFrom(
          'metadata',
          'labels',
          'data',
          'spec',
          'template',
          'containers',
          'name',
          'image',
          'ports',
          'port',
        ),
        fc.constantFrom('replicas', 'selector', 'env', 'value', 'args', 'kind', 'apiVersion', 'status', '$patch'),
        fc.string({maxLength: 6}),
      ),
      tie('node'),
      {maxKeys: 4},
    ),
    fc.array(tie('node'), {maxLength: 3}),
    fc.tuple(directive, fc.dictionary(fc.string({maxLength: 5}), tie('node'), {maxKeys: 2})).map(([d, o]) => ({
      ...(o as object),
      ...d,
    })),
  ),
})).node

const caseArb = fc.record({
  target: fc.nat({max: TARGETS.length - 1}),
  missing: fc.boolean(),
  type: fc.constantFrom('json', 'merge', 'strategic', 'apply', 'apply-json', 'bogus'),
  jsonOps: fc.oneof(fc.array(jsonPatchOp, {maxLength: 4}), oddValue()),
  patch: patchObject,
  wrapInTarget: fc.boolean(),
  fieldManager: fc.constantFrom(undefined, 'fuzz', '', 'x'.repeat(200)),
  force: fc.constantFrom(undefined, 'true', 'false', 'maybe'),
  rawBody: fc.option(fc.string({maxLength: 40}), {freq: 8}),
  fieldValidation: fc.constantFrom(undefined, 'Strict', 'Warn'),
})

const CONTENT_TYPES: Record<string, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
  'apply-json': 'application/apply-patch+yaml',
  bogus: 'application/x-patch',
}

describe('fuzz: patches (json, merge, strategic, apply)', function () {
  this.timeout(120_000)
  const fz = useFuzzDaemon()

  it(`${RUNS} random patches: 4xx Status or success, target unchanged on failure, no crash`, async () => {
    let failures = 0
    await check(
      'fuzz-patches',
      fc.asyncProperty(caseArb, async (c) => {
        const t = TARGETS[c.target]
        // Recreate the target when an earlier case deleted it (a merge patch cannot, but apply can change it).
        const existing = await fz.client.send({method: 'GET', path: t.path + t.name})
        if (existing.status === 404) {
          const created = await fz.client.send({
            method: 'POST',
            path: t.path.slice(0, -1),
            body: JSON.stringify(t.body),
          })
          assert.equal(created.status, 201, created.text)
        }
        const name = c.missing ? 'no-such-object' : t.name
        let patch: unknown = c.type === 'json' ? c.jsonOps : c.patch
        if (c.type.startsWith('apply') && c.wrapInTarget) {
          patch = {apiVersion: t.body.apiVersion, kind: t.body.kind, metadata: {name}, ...(patch as object)}
        }
        let body = c.rawBody ?? (c.type === 'apply' ? toYaml(patch) : (JSON.stringify(patch) ?? 'null'))
        if (body === '') body = ' '
        const q = new URLSearchParams()
        if (c.fieldManager !== undefined) q.set('fieldManager', c.fieldManager)
        if (c.force !== undefined) q.set('force', c.force)
        if (c.fieldValidation) q.set('fieldValidation', c.fieldValidation)
        const qs = q.toString()
        const req: FuzzRequest = {
          method: 'PATCH',
          path: `${t.path}${name}${qs ? '?' + qs : ''}`,
          body,
          contentType: CONTENT_TYPES[c.type],
        }
        const what = describeRequest(req)
        const rev = fz.td.daemon.store.currentRevision()
        const before = await fz.client.send({method: 'GET', path: t.path + t.name})
        const r = await fz.client.send(req)
        // The apiserver's own 500: a strategic-merge error it does not classify (an unknown $patch directive)
        // becomes a Status with no reason (ErrorToAPIStatus of a plain error), not a crash (those say InternalError).
        const upstream500 =
          r.status === 500 && c.type === 'strategic' && r.json?.kind === 'Status' && r.json.reason === ''
        assert.ok(r.status < 500 || upstream500, `server error: ${what}\n→ ${r.status} ${r.text.slice(0, 600)}`)
        if (r.status >= 400) {
          failures++
          if (!upstream500) assertClientFailure(r, what)
          assert.equal(fz.td.daemon.store.currentRevision(), rev, `a failed patch changed the store: ${what}`)
          const after = await fz.client.send({method: 'GET', path: t.path + t.name})
          assert.equal(after.json?.metadata?.resourceVersion, before.json?.metadata?.resourceVersion, what)
          return
        }
        assert.ok(r.status === 200 || r.status === 201, `${what}\n→ ${r.status}`)
        assert.equal(r.json?.kind, t.body.kind, `${what}\n→ ${r.text.slice(0, 300)}`)
      }),
      SEED,
      RUNS,
    )
    if (RUNS >= 200) assert.ok(failures > RUNS / 10 && failures < RUNS, `failures ${failures} of ${RUNS}`)
    fz.trip.assertClean()
  })
})
