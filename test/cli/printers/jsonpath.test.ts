import assert from 'node:assert/strict'

import {JsonPath, JsonPathPrinter} from '../../../src/cli/printers/jsonpath.js'
import {hasKubectl, kubectlPrint} from './oracle.js'
import {fixtures} from './testdata/fixtures.js'

const obj = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {name: 'p', annotations: {a: 'b', 'app.kubernetes.io/name': 'web'}, labels: {app: 'web'}},
  spec: {
    list: [1, 2.5, 's', true, null, {x: 'q"\n'}],
    containers: [
      {name: 'nginx', image: 'nginx:1.25', ready: true, restarts: 3},
      {name: 'sidecar', image: 'busybox', ready: false, restarts: 0},
    ],
    replicas: 2,
    empty: [],
  },
  other: [
    {metadata: {name: 'web-1'}, status: {phase: 'Running'}},
    {metadata: {name: 'db-1'}, status: {phase: 'Pending'}},
  ],
}

function run(template: string, data: unknown = obj): string {
  let text = ''
  new JsonPathPrinter(template).print(data, {write: (s: string) => (text += s)})
  return text
}

describe('jsonpath', () => {
  const cases: {tpl: string; want: string}[] = [
    {tpl: '{.metadata.name}', want: 'p'},
    {tpl: '{.spec.containers[*].name}', want: 'nginx sidecar'},
    {tpl: "{.spec.containers[*]['name','image']}", want: 'nginx sidecar nginx:1.25 busybox'},
    {tpl: '{.spec.list[-1]}', want: '{"x":"q\\"\\n"}'},
    {tpl: '{.spec.list[1:3]}', want: '2.5 s'},
    {tpl: '{.spec.list[::2]}', want: '1 s null'},
    {tpl: '{range .spec.list[*]}[{@}]{end}', want: '[1][2.5][s][true][<no value>][{"x":"q\\"\\n"}]'},
    {
      tpl: '{range .other[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end}',
      want: 'web-1\tRunning\ndb-1\tPending\n',
    },
    {tpl: '{.other[?(@.status.phase=="Running")].metadata.name}', want: 'web-1'},
    {tpl: '{.spec.containers[?(@.restarts>1)].name}', want: 'nginx'},
    {tpl: '{.spec.containers[?(@.ready)].name}', want: 'nginx sidecar'},
    {tpl: '{.metadata.annotations.app\\.kubernetes\\.io/name}', want: 'web'},
    {tpl: '{.metadata.labels}', want: '{"app":"web"}'},
    {tpl: '{.nope}', want: ''},
    {tpl: '{..name}', want: 'p web-1 db-1 nginx sidecar'},
    {tpl: '{.kind.*}', want: '80 111 100'},
    {tpl: '{1}{2.0}{true}', want: '12true'},
    {tpl: 'text {.kind} more', want: 'text Pod more'},
  ]
  for (const c of cases) it(`evaluates ${c.tpl}`, () => assert.equal(run(c.tpl), c.want))

  const errors: {tpl: string; want: string}[] = [
    {tpl: '{.spec.list[9]}', want: 'array index out of bounds: index 9, length 6'},
    {tpl: '{.spec.list[5:2]}', want: 'starting index 5 is greater than ending index 2'},
    {tpl: '{.spec.list[::0]}', want: 'step must be > 0'},
    {tpl: '{.spec[0]}', want: 'map[string]interface {} is not array or slice'},
    {tpl: '{.spec.list[?(@>1)]}', want: 'incompatible types for comparison'},
    {tpl: '{end}', want: 'not in range, nothing to end'},
    {tpl: '{foo}', want: 'unrecognized identifier foo'},
  ]
  for (const c of errors) {
    it(`fails on ${c.tpl}`, () => assert.throws(() => new JsonPath(c.tpl).execute(obj), {message: c.want}))
  }

  it('reports missing keys when allowMissingKeys is off', () => {
    assert.throws(() => new JsonPath('{.nope}').execute(obj), {message: 'nope is not found'})
  })

  const parseErrors: {tpl: string; want: string}[] = [
    {tpl: '{.a && .b}', want: "unrecognized character in action: U+0026 '&'"},
    {tpl: '{.x', want: 'unclosed action'},
    {tpl: '{.spec.list[a]}', want: 'invalid array index a'},
    {tpl: '{....a}', want: 'invalid multiple recursive descent'},
  ]
  for (const c of parseErrors) {
    it(`rejects ${c.tpl}`, () => assert.throws(() => new JsonPath(c.tpl), {message: c.want}))
  }

  it('prints jsonpath-as-json results as an indented array', () => {
    let text = ''
    new JsonPathPrinter('{.spec.containers[*].name}', {outputJSON: true}).print(obj, {
      write: (s: string) => (text += s),
    })
    assert.equal(text, '[\n    "nginx",\n    "sidecar"\n]\n')
  })

  describe('against kubectl', function () {
    before(function () {
      if (!hasKubectl) this.skip()
    })

    // maps with several keys under `*` or `..` are left out: Go visits them in random order
    const templates = [
      ...cases.map((c) => c.tpl).filter((t) => !t.startsWith('{..')),
      ...errors.map((c) => c.tpl),
      ...parseErrors.map((c) => c.tpl),
      '{.spec.list[0:0]}',
      '{.spec.list[-9]}',
      '{.spec.list[0:9]}',
      "{.metadata['name','annotations']}",
      '{range .spec.containers[*]}{range .ports[*]}x{end}{.name},{end}',
      '{.spec.containers[?(@.name=="nginx")].image}',
      '{.spec.containers[?(@.restarts<=0)].name}',
      '{.spec.containers[?(@.restarts!=3)].name}',
      '{.spec.empty[*]}',
      '{.spec.replicas}{"\\n"}',
      '{"a\\x41"}',
      '{$.kind}',
      '{.spec.list[?(@.x)]}',
    ]
    for (const tpl of templates) {
      it(`matches kubectl on ${tpl}`, () => {
        const r = kubectlPrint(obj, `jsonpath=${tpl}`)
        let mine = ''
        let err = ''
        try {
          mine = run(tpl)
        } catch (e) {
          err = 'error: ' + (e as Error).message
          if (!err.endsWith('\n')) err += '\n'
        }
        assert.equal(mine, r.stdout)
        assert.equal(err, r.stderr)
      })
    }

    it('matches kubectl on the fixtures', () => {
      for (const f of fixtures) {
        const tpl = '{.metadata.name}{"|"}{.spec.containers[*].image}{"|"}{.data}{"|"}{.metadata.labels}{"\\n"}'
        const r = kubectlPrint(f, `jsonpath=${tpl}`)
        assert.equal(run(tpl, f), r.stdout)
      }
    })
  })
})
