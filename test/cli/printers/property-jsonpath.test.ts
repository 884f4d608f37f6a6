// property-jsonpath.test.ts: mkctl's `-o jsonpath=` printer against the real kubectl on generated objects and
// templates. One kubectl run (`annotate --local -f list.json nonexistent- -o jsonpath=TPL`) prints a template for a
// whole batch of objects; a marker after the template splits kubectl's output per object.
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {JsonPathPrinter} from '../../../src/cli/printers/jsonpath.js'
import {hasKubectl} from './oracle.js'
import {kubectlBatch, params} from './property-helpers.js'

const SEP = '@@SEP@@'
const KEYS = ['a', 'b', 'name', 'x-y', 'items']

// values: small trees whose keys come from a few names, so generated paths hit them often
const leaf = fc.oneof(
  fc.constantFrom('s', 'web', '', 'a b', 'q"x', 'é', '1', 'true'),
  fc.integer({min: -100, max: 100}),
  fc.constantFrom(0.5, 2.25, -1.5, 1e21, 1e-7, 123456789),
  fc.boolean(),
  fc.constant(null),
)
const value = fc.letrec<{node: unknown}>((tie) => ({
  node: fc.oneof(
    {depthSize: 'small', withCrossShrink: true},
    leaf,
    fc.dictionary(fc.constantFrom(...KEYS), tie('node'), {maxKeys: 4}),
    fc.array(tie('node'), {maxLength: 4}),
  ),
})).node

/** thing wraps generated data in an object kubectl will read (any kind: annotate --local keeps unknown fields). */
const thing = (data: unknown, i: number) => ({
  apiVersion: 'example.com/v1',
  kind: 'Thing',
  metadata: {name: `o${i}`},
  spec: data,
})

// templates: a path of segments under .spec, optionally inside range/end, with literal text around
const field = fc.constantFrom(...KEYS).map((k) => (k === 'x-y' ? "['x-y']" : `.${k}`))
const index = fc.oneof(
  fc.integer({min: -2, max: 3}).map((n) => `[${n}]`),
  fc.constant('[*]'),
  fc.constantFrom('[0:2]', '[1:]', '[:1]', '[::2]', '[-1:]'),
)
const filter = fc.oneof(
  fc.constantFrom(...KEYS).map((k) => `[?(@.${k})]`),
  fc
    .tuple(fc.constantFrom('a', 'name', 'b'), fc.constantFrom('==', '!='), fc.constantFrom('"s"', '"web"', '1'))
    .map(([k, op, v]) => `[?(@.${k}${op}${v})]`),
)
const segment = fc.oneof({weight: 4, arbitrary: field}, {weight: 2, arbitrary: index}, {weight: 1, arbitrary: filter})
// no `..x` and no `.*` on maps: kubectl walks Go maps there (reflect MapKeys), in an order that changes per run
const path = fc.array(segment, {minLength: 0, maxLength: 4}).map((segs) => `.spec${segs.join('')}`)
const template = fc.oneof(
  path.map((p) => `{${p}}`),
  fc.tuple(path, path).map(([a, b]) => `{${a}}|{${b}}`),
  fc.tuple(path, fc.constantFrom('{.a}', '{@}', '{.name}{"\\n"}')).map(([p, body]) => `{range ${p}[*]}${body}-{end}`),
  fc.constantFrom('{.spec}', '{.metadata.name}', '{.spec.items[*].name}', "{.spec['a','b']}"),
)

// mkctl's side: the printer on each object in turn, up to the first object it cannot print. kubectl goes on after
// such an object, but its parsed template keeps the range counters of the failed run (client-go jsonpath does not
// reset beginRange/inRange/endRange between Execute calls), so what it prints after a failure depends on that stale
// state; mkctl starts every object afresh. The comparison therefore stops at the first failing object.
function mkctlBatch(tpl: string, objs: unknown[]): {stdout: string; error?: string} {
  let stdout = ''
  let printer: JsonPathPrinter
  try {
    printer = new JsonPathPrinter(tpl + SEP)
  } catch (e) {
    return {stdout, error: (e as Error).message}
  }
  for (const o of objs) {
    try {
      printer.print(o, {write: (s: string) => (stdout += s)})
    } catch (e) {
      return {stdout, error: (e as Error).message}
    }
  }
  return {stdout}
}

describe('jsonpath printer vs kubectl (property)', function () {
  this.timeout(120_000)
  before(function () {
    if (!hasKubectl) this.skip()
  })

  // 12 runs x 12 objects = 144 (template, object) cases
  const seed = 4242
  it(`prints generated templates on generated objects like kubectl (seed ${seed})`, () => {
    fc.assert(
      fc.property(template, fc.array(value, {minLength: 12, maxLength: 12}), (tpl, data) => {
        const objs = data.map(thing)
        const k = kubectlBatch(objs, (f) => [
          'annotate',
          '--local',
          '-f',
          f,
          'nonexistent-',
          '-o',
          `jsonpath=${tpl}${SEP}`,
        ])
        const m = mkctlBatch(tpl, objs)
        assert.equal(m.error !== undefined, k.status !== 0, `template ${tpl}: kubectl ${k.stderr}, mkctl ${m.error}`)
        if (m.error === undefined) assert.equal(m.stdout, k.stdout, `template ${tpl}`)
        else {
          assert.equal(k.stdout.slice(0, m.stdout.length), m.stdout, `template ${tpl}`)
          // the first line of the error (the reason; the object dump follows) must be kubectl's first, unless the
          // stale state made kubectl panic on a later object before it reported the errors
          const first = k.stderr.replace(/^error: /, '').split('\n')[0]
          if (!first.startsWith('panic: ')) assert.equal(m.error.split('\n')[0], first, `template ${tpl}`)
        }
      }),
      params(seed, 12),
    )
  })
})
