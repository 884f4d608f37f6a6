import assert from 'node:assert/strict'

import {JsonPrinter, omitManagedFields, toJson} from '../../../src/cli/printers/json.js'
import {NamePrinter, formatName} from '../../../src/cli/printers/name.js'
import {asList, hasKubectl, kubectlPrint} from './oracle.js'
import {fixtures} from './testdata/fixtures.js'

function collect() {
  const c = {
    text: '',
    write(s: string) {
      c.text += s
    },
  }
  return c
}

describe('json printer', () => {
  it('indents with 4 spaces, sorts keys in byte order and escapes like Go', () => {
    assert.equal(
      toJson({b: [1, {}], a: '<&>', '10': [], '9': 'x\u2028'}),
      '{\n    "10": [],\n    "9": "x\\u2028",\n    "a": "\\u003c\\u0026\\u003e",\n    "b": [\n        1,\n        {}\n    ]\n}',
    )
  })

  it('has a compact form for jsonpath', () =>
    assert.equal(toJson({b: 1, a: [true, null]}, ''), '{"a":[true,null],"b":1}'))

  it('drops managedFields unless asked', () => {
    const o = {kind: 'List', items: [{metadata: {name: 'a', managedFields: [{}]}}]}
    assert.deepEqual(omitManagedFields(o), {kind: 'List', items: [{metadata: {name: 'a'}}]})
    assert.equal(o.items[0].metadata.managedFields.length, 1)
  })

  it('refuses objects without apiVersion and kind', () => {
    assert.throws(() => new JsonPrinter().print({metadata: {}}, collect()), /missing apiVersion or kind/)
  })

  it('prints the fixtures byte for byte like kubectl -o json', function () {
    if (!hasKubectl) this.skip()
    for (const f of fixtures) {
      const r = kubectlPrint(f, 'json')
      const out = collect()
      new JsonPrinter().print(f, out)
      assert.equal(out.text, r.stdout)
    }
  })
})

describe('name printer', () => {
  const cases = [
    {
      obj: {apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'web'}},
      op: 'created',
      want: 'deployment.apps/web created',
    },
    {obj: {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'x'}}, op: '', want: 'pod/x'},
    {obj: {apiVersion: 'v1', kind: 'Pod', metadata: {}}, op: '', want: 'pod/<unknown>'},
    {obj: {apiVersion: 'apps/v1', metadata: {name: 'y'}}, op: '', want: '<unknown>/y'},
  ]
  for (const c of cases) it(`prints ${c.want}`, () => assert.equal(formatName(c.obj, {operation: c.op}), c.want))

  it('prints lists item by item like kubectl -o name and the default output', function () {
    if (!hasKubectl) this.skip()
    const list = asList(fixtures)
    for (const [output, p] of [
      ['name', new NamePrinter({operation: 'annotated', shortOutput: true})],
      ['', new NamePrinter({operation: 'annotated'})],
    ] as const) {
      const r = output ? kubectlPrint(list, output) : kubectlPrint(list, 'name')
      const out = collect()
      p.print(list, out)
      if (output) assert.equal(out.text, r.stdout)
      else assert.equal(out.text, r.stdout.replaceAll('\n', ' annotated\n'))
    }
  })
})
