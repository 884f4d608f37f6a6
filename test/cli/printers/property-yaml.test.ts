// property-yaml.test.ts: mkctl's `-o yaml` emitter against the real kubectl on generated Kubernetes-shaped objects
// (deep nesting, lists of maps, long and multi-line strings that go-yaml folds or blocks, keys that need quoting).
// One kubectl run (`annotate --local -f list.json nonexistent- -o yaml`) prints a whole batch, documents separated
// by `---`, as mkctl's YamlPrinter does.
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {YamlPrinter} from '../../../src/cli/printers/yaml.js'
import {hasKubectl} from './oracle.js'
import {kubectlBatch, params} from './property-helpers.js'

const word = fc.constantFrom('web', 'a', 'value', 'x-y', 'é', '日本', 'longer-word-here', '0', 'null', 'yes', 'on', '-')
const text = fc.oneof(
  {weight: 3, arbitrary: word},
  {
    weight: 2,
    arbitrary: fc
      .array(fc.oneof(word, fc.constantFrom(' ', '  ', '\n', '\t', ': ', ' #', "'", '"')), {maxLength: 30})
      .map((p) => p.join('')),
  },
  {weight: 1, arbitrary: fc.string({maxLength: 20})},
  {weight: 1, arbitrary: fc.array(word, {minLength: 15, maxLength: 40}).map((w) => w.join(' '))},
)
const key = fc.oneof(
  fc.constantFrom(
    'name',
    'image',
    'a',
    'b',
    'x y',
    'a:b',
    '1',
    '10',
    '2',
    'app.kubernetes.io/name',
    '',
    'Z',
    '-k',
    '@',
  ),
  fc.string({maxLength: 6}),
)
const leaf = fc.oneof(
  text,
  fc.integer({min: -1e9, max: 1e9}),
  fc.constantFrom(0.5, 1e21, 1e-7, -0, 3.0e10, 1234567.5),
  fc.boolean(),
  fc.constant(null),
)
const value = fc.letrec<{node: unknown}>((tie) => ({
  node: fc.oneof(
    {depthSize: 'small', withCrossShrink: true},
    leaf,
    fc.dictionary(key, tie('node'), {maxKeys: 4}),
    fc.array(tie('node'), {maxLength: 3}),
    fc.array(fc.dictionary(key, leaf, {minKeys: 1, maxKeys: 3}), {minLength: 1, maxLength: 2}),
  ),
})).node

describe('yaml printer vs kubectl (property)', function () {
  this.timeout(120_000)
  before(function () {
    if (!hasKubectl) this.skip()
  })

  // 12 runs x 12 objects = 144 cases
  const seed = 9090
  it(`prints generated objects like kubectl -o yaml (seed ${seed})`, () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(value, fc.dictionary(key, text, {maxKeys: 3})), {minLength: 12, maxLength: 12}),
        (data) => {
          const objs = data.map(([spec, labels], i) => ({
            apiVersion: 'example.com/v1',
            kind: 'Thing',
            metadata: {name: `o${i}`, annotations: labels},
            spec,
          }))
          const k = kubectlBatch(objs, (f) => ['annotate', '--local', '-f', f, 'nonexistent-', '-o', 'yaml'])
          // kubectl refuses some strings (invalid UTF-8 from lone surrogates, control characters go-yaml rejects):
          // those batches say nothing about the emitter
          fc.pre(k.status === 0)
          let m = ''
          const p = new YamlPrinter()
          for (const o of objs) p.print(o, {write: (s: string) => (m += s)})
          assert.equal(m, k.stdout)
        },
      ),
      params(seed, 12),
    )
  })
})
