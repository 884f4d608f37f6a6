import assert from 'node:assert/strict'

import {
  parseCustomColumnsSpec,
  parseCustomColumnsTemplate,
  printCustomColumns,
  relaxedJsonPathExpression,
} from '../../../src/cli/printers/custom-columns.js'
import {allowedFormats, NoCompatiblePrinterError, toPrinter, type PrintFlags} from '../../../src/cli/printers/index.js'
import {hasKubectl, kubectlPrint} from './oracle.js'

function collect() {
  const c = {
    text: '',
    write(s: string) {
      c.text += s
    },
  }
  return c
}

const podA = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {name: 'web-1', labels: {app: 'web'}, annotations: {a: 'b'}},
  spec: {
    containers: [
      {name: 'nginx', image: 'nginx:1.25'},
      {name: 'side', image: 'busybox'},
    ],
  },
}
const podB = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {name: 'db'},
  spec: {containers: [{name: 'pg', image: 'postgres:16'}]},
}

describe('custom-columns', () => {
  it('relaxes paths to {.path}', () => {
    for (const p of ['a.b', '.a.b', '{a.b}', '{.a.b}']) assert.equal(relaxedJsonPathExpression(p), '{.a.b}')
    assert.throws(() => relaxedJsonPathExpression('{a}{b}'), /unexpected path string/)
  })

  it('parses a spec and rejects a column without a path', () => {
    assert.deepEqual(parseCustomColumnsSpec('NAME:.metadata.name,IMG:spec.containers[*].image'), [
      {header: 'NAME', fieldSpec: '{.metadata.name}'},
      {header: 'IMG', fieldSpec: '{.spec.containers[*].image}'},
    ])
    assert.throws(() => parseCustomColumnsSpec('NAME'), {
      message: 'unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>',
    })
    assert.throws(() => parseCustomColumnsSpec(''), {
      message: 'custom-columns format specified but no custom columns given',
    })
  })

  it('parses a template file and checks the counts', () => {
    assert.deepEqual(parseCustomColumnsTemplate('NAME   IMAGE\n.metadata.name  {.spec.containers[0].image}\n'), [
      {header: 'NAME', fieldSpec: '{.metadata.name}'},
      {header: 'IMAGE', fieldSpec: '{.spec.containers[0].image}'},
    ])
    assert.throws(() => parseCustomColumnsTemplate('A B\n.a\n'), {
      message: "number of headers (2) and field specifications (1) don't match",
    })
  })

  it('prints a header, joins several values with commas and shows <none> for missing ones', () => {
    const out = collect()
    const cols = parseCustomColumnsSpec(
      'NAME:.metadata.name,IMAGES:.spec.containers[*].image,APP:.metadata.labels.app,L:.metadata.labels',
    )
    printCustomColumns([{kind: 'List', items: [podA, podB]}], cols, false, out)
    assert.equal(
      out.text,
      'NAME    IMAGES               APP      L\n' +
        'web-1   nginx:1.25,busybox   web      map[app:web]\n' +
        'db      postgres:16          <none>   <none>\n',
    )
  })
})

describe('printer dispatch', () => {
  function print(flags: PrintFlags, objs: unknown[]): string {
    const out = collect()
    const p = toPrinter(flags, out)
    for (const o of objs) p.print(o)
    p.flush()
    return out.text
  }

  it('lists the allowed formats as kubectl does', () => {
    assert.throws(() => toPrinter({output: 'xyz', command: 'get'}, collect()), {
      message:
        'unable to match a printer suitable for the output format "xyz", allowed formats are: ' +
        'custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml',
    })
    assert.throws(() => toPrinter({output: 'wide'}, collect()), NoCompatiblePrinterError)
    assert.deepEqual(allowedFormats(), [
      'go-template',
      'go-template-file',
      'json',
      'jsonpath',
      'jsonpath-as-json',
      'jsonpath-file',
      'name',
      'template',
      'templatefile',
      'yaml',
    ])
  })

  it('chooses printers in kubectl order', () => {
    assert.equal(toPrinter({output: 'JSON'}, collect()).kind, 'json')
    assert.equal(toPrinter({output: ''}, collect()).kind, 'name')
    assert.equal(toPrinter({output: '', command: 'get'}, collect()).kind, 'table')
    assert.equal(toPrinter({output: 'wide', command: 'get'}, collect()).kind, 'table')
    assert.equal(toPrinter({output: 'jsonpath={.a}'}, collect()).kind, 'jsonpath')
    assert.equal(toPrinter({output: 'jsonpath', template: '{.a}'}, collect()).kind, 'jsonpath')
    assert.equal(toPrinter({output: 'custom-columns=A:.a', command: 'get'}, collect()).kind, 'custom-columns')
    assert.throws(() => toPrinter({output: 'jsonpath'}, collect()), {
      message: 'template format specified but no template given',
    })
    assert.throws(() => toPrinter({output: 'custom-columns=', command: 'get'}, collect()), {
      message: 'custom-columns format specified but no custom columns given',
    })
  })

  it('prints names with the operation, and without it for -o name', () => {
    assert.equal(print({operation: 'created'}, [podA]), 'pod/web-1 created\n')
    assert.equal(print({output: 'name', operation: 'created'}, [podA]), 'pod/web-1\n')
  })

  it('reads -file variants through readFile', () => {
    const files: Record<string, string> = {'/t.jsonpath': '{.metadata.name}', '/c.cols': 'N\n.metadata.name\n'}
    const readFile = (p: string) => files[p]
    assert.equal(print({output: 'jsonpath-file=/t.jsonpath', readFile}, [podA]), 'web-1')
    assert.equal(print({output: 'custom-columns-file=/c.cols', command: 'get', readFile}, [podA]), 'N\nweb-1\n')
    assert.throws(() => toPrinter({output: 'jsonpath-file=/nope/x'}, collect()), {
      message: 'error reading --template /nope/x, open /nope/x: no such file or directory',
    })
  })

  it('prints yaml documents and drops managedFields', () => {
    const withMF = {...podB, metadata: {...podB.metadata, managedFields: [{manager: 'kubectl'}]}}
    const text = print({output: 'yaml'}, [withMF, podB])
    assert.ok(!text.includes('managedFields'))
    assert.equal(text.split('---\n').length, 2)
  })

  it('matches kubectl for json, yaml, name and jsonpath outputs', function () {
    if (!hasKubectl) this.skip()
    for (const output of ['json', 'yaml', 'name', 'jsonpath={.spec.containers[*].image}']) {
      const r = kubectlPrint(podA, output)
      assert.equal(print({output}, [podA]), r.stdout, output)
    }
  })
})
