// property-strategic.test.ts: mkctl's strategic merge patch (src/api/patch/strategic.ts) and JSON printer against
// `kubectl patch --local -f list.json --type strategic -p PATCH -o json` on generated Pods and patches: one kubectl
// run applies one generated patch to a batch of generated Pods and prints each result.
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {applyStrategicMergePatch} from '../../../src/api/patch/strategic.js'
import {builtinPatchSchema} from '../../../src/api/patch/schema.js'
import {toJson} from '../../../src/cli/printers/json.js'
import {hasKubectl} from './oracle.js'
import {kubectlBatch, params} from './property-helpers.js'

type Obj = Record<string, unknown>
const schema = builtinPatchSchema('', 'v1', 'Pod')

const cname = fc.constantFrom('a', 'b', 'c')
const env = fc.uniqueArray(fc.record({name: fc.constantFrom('E1', 'E2', 'E3'), value: fc.constantFrom('1', '2')}), {
  selector: (e) => e.name,
  maxLength: 3,
})
const ports = fc.uniqueArray(
  fc.record(
    {containerPort: fc.constantFrom(80, 443, 8080), name: fc.constantFrom('http', 'https')},
    {
      requiredKeys: ['containerPort'],
    },
  ),
  {selector: (p) => p.containerPort, maxLength: 2},
)
const args = fc.array(fc.constantFrom('-v', '--x', 'y'), {maxLength: 3})
const container = fc.record(
  {name: cname, image: fc.constantFrom('nginx', 'busybox'), env, ports, args},
  {requiredKeys: ['name']},
)
const containers = fc.uniqueArray(container, {selector: (c) => c.name, minLength: 1, maxLength: 3})
const labels = fc.dictionary(fc.constantFrom('app', 'tier', 'x'), fc.constantFrom('web', 'db'), {maxKeys: 3})
const finalizers = fc.uniqueArray(fc.constantFrom('f1', 'f2', 'f3'), {maxLength: 3})
const tolerations = fc.array(fc.record({key: fc.constantFrom('k1', 'k2'), operator: fc.constant('Exists')}), {
  maxLength: 2,
})
const volumes = fc.uniqueArray(
  fc.oneof(
    fc.record({name: fc.constantFrom('v1', 'v2'), emptyDir: fc.constant({})}),
    fc.record({name: fc.constantFrom('v1', 'v2'), hostPath: fc.record({path: fc.constantFrom('/a', '/b')})}),
  ),
  {selector: (v) => v.name, maxLength: 2},
)

const pod = fc
  .record({labels, finalizers, containers, tolerations, volumes, nodeSelector: labels})
  .map((p, i = 0): Obj => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name: `p${i}`, labels: p.labels, finalizers: p.finalizers},
    spec: {containers: p.containers, tolerations: p.tolerations, volumes: p.volumes, nodeSelector: p.nodeSelector},
  }))

// patches: random partial specs with the strategic directives kubectl understands
const nullable = <T>(a: fc.Arbitrary<T>) =>
  fc.oneof({weight: 4, arbitrary: a}, {weight: 1, arbitrary: fc.constant(null)})
const containerPatch = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record(
      {name: cname, image: nullable(fc.constantFrom('nginx:2', 'redis')), env, ports, args},
      {requiredKeys: ['name']},
    ),
  },
  {weight: 1, arbitrary: cname.map((name) => ({name, $patch: 'delete'}))},
)
const containersPatch = fc.oneof(
  {weight: 4, arbitrary: fc.uniqueArray(containerPatch, {selector: (c) => c.name, maxLength: 2})},
  {
    weight: 1,
    arbitrary: fc
      .uniqueArray(container, {selector: (c) => c.name, maxLength: 2})
      .map((cs) => [...cs, {$patch: 'replace'}]),
  },
)
const specPatch = fc.record(
  {
    containers: containersPatch,
    '$setElementOrder/containers': fc
      .uniqueArray(cname, {minLength: 1, maxLength: 3})
      .map((ns) => ns.map((name) => ({name}))),
    tolerations: nullable(tolerations),
    volumes: volumes,
    nodeSelector: fc.oneof(
      fc.dictionary(fc.constantFrom('app', 'tier', 'x'), nullable(fc.constantFrom('web', 'db')), {maxKeys: 3}),
      fc.constant({$patch: 'replace', fresh: 'yes'}),
      fc.constant(null),
    ),
  },
  {requiredKeys: []},
)
const metaPatch = fc.record(
  {
    labels: fc.dictionary(fc.constantFrom('app', 'tier', 'x'), nullable(fc.constantFrom('web', 'db')), {maxKeys: 3}),
    // disjoint sets: upstream's mergeMap walks the patch (a Go map) in random order, so adding and deleting the same
    // finalizer in one patch gives either answer
    finalizers: fc.uniqueArray(fc.constantFrom('f1', 'f4'), {maxLength: 2}),
    '$deleteFromPrimitiveList/finalizers': fc.uniqueArray(fc.constantFrom('f2', 'f3'), {maxLength: 2}),
  },
  {requiredKeys: []},
)
const patch = fc.record({metadata: metaPatch, spec: specPatch}, {requiredKeys: []})

// mkctl's side: each Pod patched and printed in turn, up to the first error (kubectl's whole-batch output is
// compared up to that point)
function mkctlBatch(p: unknown, objs: Obj[]): {stdout: string; error?: string} {
  let stdout = ''
  for (const o of objs) {
    try {
      stdout += toJson(applyStrategicMergePatch(o, p, schema)) + '\n'
    } catch (e) {
      return {stdout, error: (e as Error).message}
    }
  }
  return {stdout}
}

describe('strategic merge patch vs kubectl patch --local (property)', function () {
  this.timeout(120_000)
  before(function () {
    if (!hasKubectl) this.skip()
  })

  // 12 runs x 12 Pods = 144 (patch, object) cases
  const seed = 7171
  it(`patches generated Pods with generated patches like kubectl (seed ${seed})`, () => {
    fc.assert(
      fc.property(patch, fc.array(pod, {minLength: 12, maxLength: 12}), (p, pods) => {
        const objs = pods.map((o, i) => ({...o, metadata: {...(o.metadata as Obj), name: `p${i}`}}))
        const k = kubectlBatch(objs, (f) => [
          'patch',
          '--local',
          '-f',
          f,
          '--type',
          'strategic',
          '-p',
          JSON.stringify(p),
          '-o',
          'json',
        ])
        const m = mkctlBatch(p, objs)
        const ctx = `patch ${JSON.stringify(p)}: kubectl ${k.stderr} mkctl ${m.error ?? 'ok'}`
        assert.equal(m.error !== undefined, k.status !== 0, ctx)
        if (m.error === undefined) assert.equal(m.stdout, k.stdout, ctx)
        else {
          assert.equal(k.stdout.slice(0, m.stdout.length), m.stdout, ctx)
          assert.ok(k.stderr.includes(m.error), ctx)
        }
      }),
      params(seed, 12),
    )
  })
})
