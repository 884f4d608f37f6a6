import assert from 'node:assert/strict'

import fc from 'fast-check'

import {YamlPrinter, goYamlKeyLess, parseYamlDocuments, resolvePlain, toYaml} from '../../../src/cli/printers/yaml.js'
import {asList, hasKubectl, kubectlParse, kubectlPrint} from './oracle.js'
import {fixtures} from './testdata/fixtures.js'

function collect(): {text: string; write(s: string): void} {
  return {
    text: '',
    write(s: string) {
      this.text += s
    },
  }
}

describe('yaml printer', () => {
  const cases: {name: string; input: unknown; want: string}[] = [
    {
      name: 'sorts keys and indents sequences at the parent',
      input: {b: [1, 2], a: {c: 'x'}},
      want: 'a:\n  c: x\nb:\n- 1\n- 2\n',
    },
    {
      name: 'quotes strings that read as other types',
      input: {a: 'yes', b: '0777', c: '', d: '~', e: '1.0'},
      want: 'a: "yes"\nb: "0777"\nc: ""\nd: "~"\ne: "1.0"\n',
    },
    {
      name: 'single-quotes strings that need quoting for syntax',
      input: {a: 'a: b', b: '[a]', c: ' x'},
      want: "a: 'a: b'\nb: '[a]'\nc: ' x'\n",
    },
    {
      name: 'uses literal blocks with chomping indicators',
      input: {a: 'x\n', b: 'x', c: 'x\ny', d: 'x\n\n'},
      want: 'a: |\n  x\nb: x\nc: |-\n  x\n  y\nd: |+\n  x\n\n',
    },
    {
      name: 'double-quotes text with tabs or trailing spaces before a break',
      input: {a: 'a\tb', b: 'a \nb'},
      want: 'a: "a\\tb"\nb: "a \\nb"\n',
    },
    {name: 'prints empty collections in flow style', input: {a: {}, b: [], c: null}, want: 'a: {}\nb: []\nc: null\n'},
    {
      name: 'prints floats like Go',
      input: {a: 1.5, b: 1234567.5, c: 0.00001, d: 1e21},
      want: 'a: 1.5\nb: 1.2345675e+06\nc: 1e-05\nd: 1e+21\n',
    },
    {
      name: 'folds long plain text at the first space past column 80',
      input: {k: 'word '.repeat(20).trim()},
      want: 'k: ' + 'word '.repeat(15) + 'word\n  word word word word\n',
    },
  ]
  for (const c of cases) it(c.name, () => assert.equal(toYaml(c.input), c.want))

  it('orders keys like go-yaml (digit runs by value, non-letters first)', () => {
    const keys = ['b', 'a10', 'a9', 'A', '10', '9']
    assert.deepEqual(
      keys.sort((x, y) => (goYamlKeyLess(x, y) ? -1 : goYamlKeyLess(y, x) ? 1 : 0)),
      ['9', '10', 'A', 'a9', 'a10', 'b'],
    )
  })

  it('separates documents with ---', () => {
    const out = collect()
    const p = new YamlPrinter()
    p.print({a: 1}, out)
    p.print({b: 2}, out)
    assert.equal(out.text, 'a: 1\n---\nb: 2\n')
  })

  it('rejects the control characters go-yaml refuses', () => {
    assert.throws(() => toYaml({a: 'x\x7f'}), /yaml: control characters are not allowed/)
  })

  describe('against kubectl', function () {
    before(function () {
      if (!hasKubectl) this.skip()
    })

    it('prints every fixture byte for byte like kubectl -o yaml', () => {
      const r = kubectlPrint(asList(fixtures), 'yaml')
      assert.equal(r.status, 0, r.stderr)
      const out = collect()
      const p = new YamlPrinter()
      for (const f of fixtures) p.print(f, out)
      assert.equal(out.text, r.stdout)
    })

    it('matches kubectl on random JSON objects (property)', () => {
      const key = fc.oneof(
        fc.constantFrom('a', 'b', 'yes', 'on', '10', '9', 'a10', 'x y', 'a: b', '', '-', 'é', 'Z'),
        fc.string({maxLength: 8}),
      )
      const str = fc.oneof(
        fc.string({maxLength: 30}),
        fc.string({maxLength: 30, unit: 'grapheme'}),
        fc.constantFrom(
          'yes',
          'off',
          '0777',
          '1.0',
          '~',
          'null',
          '- x',
          '#x',
          '[a]',
          'a: b',
          ' a',
          'a ',
          '2024-01-02',
          '1:20',
          'a\nb\n',
          'a\n\n',
          '\n',
          ' x\ny',
          'x\t\ny',
        ),
        fc
          .array(fc.constantFrom('word', 'longerword', ' ', '  ', '\n', '\t', 'é', ':', '#', "'", '"'), {maxLength: 40})
          .map((a) => a.join('')),
      )
      const num = fc.oneof(
        fc.integer({min: -1e6, max: 1e6}),
        fc.double({noNaN: true, noDefaultInfinity: true}),
        fc.constantFrom(0, 1.5, 1e21, 1e-7, 123456.5),
      )
      const value = fc.letrec((tie) => ({
        node: fc.oneof(
          {depthSize: 'small', withCrossShrink: true},
          str,
          num,
          fc.boolean(),
          fc.constant(null),
          tie('map'),
          tie('list'),
        ),
        map: fc.dictionary(key, tie('node'), {maxKeys: 5}),
        list: fc.array(tie('node'), {maxLength: 4}),
      })).node
      const allowed = (s: string) => !/[\x7f-\x9f\ufffe\uffff\ud800-\udfff]/.test(s)
      fc.assert(
        fc.property(fc.array(value, {minLength: 1, maxLength: 10}), (values) => {
          const objs = values.map((v, i) => ({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: {name: `o${i}`, annotations: {a: 'b'}},
            spec: v,
          }))
          fc.pre(allowed(JSON.stringify(objs)))
          const r = kubectlPrint(asList(objs), 'yaml')
          assert.equal(r.status, 0, r.stderr)
          const out = collect()
          const p = new YamlPrinter()
          for (const o of objs) p.print(o, out)
          assert.equal(out.text, r.stdout)
        }),
        {numRuns: 25, seed: 20240501},
      )
    })
  })
})

describe('parseYamlDocuments', () => {
  it('resolves YAML 1.1 scalars as go-yaml does', () => {
    const [doc] = parseYamlDocuments(
      'a: yes\noff: 1\nc: 0777\nd: 1:20\ne: 2024-01-02\nf: "yes"\ng: 1_000\nh: ~\ni: 0x1F\nj: 1.0\n',
    )
    assert.deepEqual(doc, {
      a: true,
      false: 1,
      c: 511,
      d: '1:20',
      e: '2024-01-02',
      f: 'yes',
      g: 1000,
      h: null,
      i: 31,
      j: 1,
    })
  })

  it('splits documents and skips empty ones', () => {
    assert.deepEqual(parseYamlDocuments('a: 1\n---\n# only a comment\n---\nb: 2\n'), [{a: 1}, {b: 2}])
  })

  it('words syntax errors like go-yaml', () => {
    assert.throws(() => parseYamlDocuments('a: b\nc: d: e\n'), {
      message: 'error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this context',
    })
  })

  it('resolvePlain follows resolve.go', () => {
    const cases: [string, unknown][] = [
      ['123', 123],
      ['-0b101', -5],
      ['0o17', 15],
      ['08', 8],
      ['.5', 0.5],
      ['1e400', '1e400'],
      ['+.inf', Infinity],
      ['Yes', true],
      ['NO', false],
      ['<<', '<<'],
    ]
    for (const [s, want] of cases) assert.deepEqual(resolvePlain(s), want, s)
  })

  describe('against kubectl', function () {
    before(function () {
      if (!hasKubectl) this.skip()
    })
    const manifests = [
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations: {a: b}\ndata:\n  a: yes\n  b: 0777\n  c: 1:20\n  d: 2024-01-02\n  off: x\n  e: 1e3\n  f: 08\n  g: .5\n  h: +12\n  i: 0x1F\n  j: 1_000\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations: {a: b}\nlist:\n- &a {x: 1}\n- *a\n- <<: *a\n  y: 2\nblock: |\n  text\nfolded: >\n  a\n  b\n',
    ]
    const broken = [
      'a: b\nc: d: e\n',
      'a:\n  b: 1\n c: 2\n',
      'a:\n\tb: 1\n',
      'a: [1, 2\n',
      'a: "unterminated\n',
      '- a\nb: c\n',
      'a: b\n- c\n',
      'a: {b: 1\n',
      'key: value\n  bad: indent\n',
      'a: &x 1\nb: *y\n',
      'a: @x\n',
      "a: 'x\n",
    ]
    for (const m of broken) {
      it(`words the error for ${JSON.stringify(m)} as kubectl does`, () => {
        const r = kubectlParse(m)
        assert.equal(r.status, 1)
        assert.throws(() => parseYamlDocuments(m), {
          message: r.stderr.trim().replace('error: error parsing x.yaml: ', ''),
        })
      })
    }
    for (const [i, m] of manifests.entries()) {
      it(`reads manifest ${i} as kubectl does`, () => {
        const r = kubectlParse(m)
        assert.equal(r.status, 0, r.stderr)
        const [doc] = parseYamlDocuments(m) as Record<string, unknown>[]
        assert.deepEqual(doc, JSON.parse(r.stdout))
      })
    }
  })
})
