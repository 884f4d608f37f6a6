// gotemplate.test.ts checks mkctl's Go text/template printer: unit cases with the outputs kubectl 1.32 gives, an
// oracle sweep against the real kubectl's offline printer (`annotate --local -o go-template=`), and differential
// `get -o go-template=...` runs on twin daemons.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {base64decode, GoTemplate, GoTemplatePrinter, sprintf} from '../../../src/cli/printers/gotemplate.js'
import {toPrinter} from '../../../src/cli/printers/index.js'
import {startTwins, type Twins} from '../../helpers/differential.js'
import {kubectlAvailable} from '../../helpers/daemon.js'

const POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {name: 'p', labels: {z: '1', a: 'x'}, annotations: {b64: 'aGVsbG8=', bad: 'aGVsbG8'}},
  spec: {
    priority: 1000000,
    n: 3,
    f: 1.5,
    big: 12345678.5,
    nul: null,
    t: true,
    empty: [],
    containers: [
      {name: 'a', image: 'x'},
      {name: 'b', image: 'y', ports: [{containerPort: 80}]},
    ],
  },
}

function render(tpl: string, obj: unknown = POD): {out: string; err: string} {
  let out = ''
  let err = ''
  try {
    new GoTemplatePrinter(tpl).print(obj, {write: (s: string) => ((out += s), true)})
  } catch (e) {
    err = `error: ${(e as Error).message}\n`
  }
  return {out, err}
}

describe('go-template printer', () => {
  it('prints fields, maps, slices and numbers as Go does', () => {
    assert.equal(
      render('{{.metadata.name}} {{.metadata.labels}} {{.spec.priority}} {{.spec.big}} {{.spec.nul}} {{.nope}}').out,
      'p map[a:x z:1] 1000000 1.23456785e+07 <no value> <no value>',
    )
    assert.equal(
      render('{{.spec.containers}}').out,
      '[map[image:x name:a] map[image:y name:b ports:[map[containerPort:80]]]]',
    )
  })

  it('runs range, if/else, with, variables, pipelines and trimming', () => {
    assert.equal(render('{{range $i, $c := .spec.containers}}{{$i}}:{{$c.name}} {{end}}').out, '0:a 1:b ')
    assert.equal(render('{{range .spec.empty}}x{{else}}none{{end}}').out, 'none')
    assert.equal(render('{{if eq .spec.n 3}}three{{else if eq .spec.n 4}}four{{end}}').out, 'three')
    assert.equal(render('{{with .metadata}}{{.name}}{{end}}{{$n := .kind}}{{$n = "q"}}{{$n}}').out, 'pq')
    assert.equal(render('{{.metadata.name | printf "%s!" | printf "<%s>"}}').out, '<p!>')
    assert.equal(render('  {{- .metadata.name -}}  \n  x{{/* c */}}').out, 'px')
    assert.equal(render('{{range .spec.containers}}{{if eq .name "b"}}{{break}}{{end}}{{.name}}{{end}}').out, 'a')
    assert.equal(render('{{define "x"}}[{{.}}]{{end}}{{template "x" .kind}}').out, '[Pod]')
  })

  it('has index, len, printf, print and base64decode', () => {
    assert.equal(
      render('{{index .metadata.labels "z"}} {{len .spec.containers}} {{base64decode .metadata.annotations.b64}}').out,
      '1 2 hello',
    )
    assert.equal(
      sprintf('%s=%d %5.2f|%-4s|%05d %q %v', ['a', 3n, 1.5, 'b', 42n, 'p', true]),
      'a=3  1.50|b   |00042 "p" true',
    )
    assert.equal(sprintf('%d %s', [1.5]), '%!d(float64=1.5) %!s(MISSING)')
    assert.equal(render('{{print 1 2 "a" 3 .nope}}').out, '1 2a3 <nil>')
    assert.equal(base64decode('aGk='), 'hi')
    assert.throws(() => base64decode('aGVsbG8'), /illegal base64 data at input byte 4/)
  })

  it('reports parse errors as kubectl does', () => {
    assert.equal(
      render('{{.metadata.name').err,
      'error: error parsing template {{.metadata.name, template: output:1: unclosed action\n',
    )
    assert.equal(
      render('{{foo .x}}').err,
      'error: error parsing template {{foo .x}}, template: output:1: function "foo" not defined\n',
    )
    assert.equal(
      render('{{.a}').err,
      "error: error parsing template {{.a}, template: output:1: bad character U+007D '}'\n",
    )
    assert.equal(
      render('{{$x}}').err,
      'error: error parsing template {{$x}}, template: output:1: undefined variable "$x"\n',
    )
    assert.throws(() => new GoTemplate('{{end}}'), /template: output:1: unexpected \{\{end\}\}/)
  })

  it('reports execution errors with the debugging report on the output', () => {
    const r = render('{{.metadata.name.x}}', {kind: 'A', metadata: {name: 'n'}})
    assert.equal(
      r.out,
      'Error executing template: template: output:1:11: executing "output" at <.metadata.name.x>: can\'t evaluate field x in type interface {}. Printing more information for debugging the template:\n' +
        '\ttemplate was:\n\t\t{{.metadata.name.x}}\n' +
        '\traw data was:\n\t\t{"kind":"A","metadata":{"name":"n"}}\n' +
        '\tobject given to template engine was:\n\t\tmap[kind:A metadata:map[name:n]]\n\n',
    )
    assert.equal(
      r.err,
      'error: error executing template "{{.metadata.name.x}}": template: output:1:11: executing "output" at <.metadata.name.x>: can\'t evaluate field x in type interface {}\n',
    )
    assert.match(render('{{len .spec.n}}').err, /error calling len: len of type int64\n$/)
    assert.match(render('{{.spec.nul.x}}').err, /nil pointer evaluating interface \{\}\.x\n$/)
  })

  it('honours --allow-missing-template-keys=false', () => {
    const p = new GoTemplatePrinter('{{.nope}}', false)
    assert.throws(() => p.print(POD, {write: () => true}), /map has no entry for key "nope"/)
  })

  it('is reached through toPrinter for go-template, go-template-file and template', () => {
    let out = ''
    const sink = {write: (s: string) => ((out += s), true)}
    toPrinter({output: 'go-template={{.kind}}'}, sink).print(POD)
    toPrinter({output: 'template', template: '{{.metadata.name}}'}, sink).print(POD)
    toPrinter({output: 'go-template-file=/x', readFile: () => '{{.spec.n}}'}, sink).print(POD)
    assert.equal(out, 'Podp3')
    assert.throws(() => toPrinter({output: 'go-template'}, sink), /template format specified but no template given/)
  })

  // Every template below is run by the real kubectl's printer and by mkctl's; output and error must be equal.
  const ORACLE = [
    '{{.metadata.name}}',
    '{{.spec}}',
    '{{.spec.big}} {{.spec.f}} {{.spec.nul}} {{.spec.t}} {{.spec.empty}}',
    '{{range .spec.containers}}{{.name}}{{"\\n"}}{{end}}',
    '{{range $k, $v := .metadata.labels}}{{$k}}={{$v}},{{end}}',
    '{{if .spec.empty}}y{{else}}n{{end}} {{if .spec.t}}T{{end}} {{with .metadata}}{{.name}}{{end}}',
    '{{index .metadata.labels "z"}} {{index .spec.containers 1 | printf "%v"}} {{(index .spec.containers 0).name}}',
    '{{len .spec.containers}} {{len .metadata.name}} {{printf "%s=%d %5.2f|%-5s|%05d %q %v %t" .kind .spec.n .spec.f "ab" 42 .metadata.name .spec.t .spec.t}}',
    '{{base64decode .metadata.annotations.b64}}',
    '{{base64decode .metadata.annotations.bad}}',
    '{{printf "%d" .spec.f}}',
    '{{printf "%s" 1 2}}',
    '{{println .kind 3}}',
    '{{.nope.deeper}}',
    '{{if .x}}',
    '{{end}}',
    '{{range .spec.n}}{{.}}{{end}}',
    '{{not .spec.t}} {{and .spec.t .spec.n}} {{or .spec.empty .kind}} {{and}}',
    '{{lt .spec.n 5}} {{gt .spec.f 1.0}} {{le 1 2}} {{ne .kind "Pod"}}',
    '{{eq .spec.f 1}}',
    '{{eq .spec.containers .spec.containers}}',
    '{{index .spec.containers 9}}',
    '{{index .metadata.labels 3}}',
    '{{len .nope}}',
    '{{exists . "spec" "n"}} {{exists . "spec" "zz"}}',
    '{{$.kind}} {{range .spec.containers}}{{$.metadata.name}}/{{.name}} {{end}}',
    '{{.kind 1}}',
    '{{html "<a&b>"}} {{js "it\'s"}} {{urlquery "a b&c"}}',
    '{{slice .metadata.name 0 1}} {{slice .spec.containers 1}}',
    "{{'a'}} {{0x10}} {{1e3}} {{-5}}",
    '{{printf "%v %x %T" .spec.containers 255 .spec.f}}',
    'line1\n{{.metadata.name}}\n  {{.x.y.z}} {{.metadata.name.q}}',
    '{{.metadata.name}}}',
    '{{if .x}}a{{else}}b{{else}}c{{end}}',
    '{{"abc}}',
    '{{.a | }}',
    '{{(.a}}',
    '{{$x := 1}}{{$y}}',
    '{{1 2}}',
    '{{nil}}',
    '{{3.5}} {{1.0}} {{1e21}} {{0.000001}}',
    '{{index . "spec" "containers" 0 "name"}}',
    '{{.spec.containers.name}}',
    '{{template "x"}}',
    '{{define "x"}}{{.nope.q}}{{end}}{{template "x" 1}}',
    '{{block "b" .kind}}<{{.}}>{{end}}',
    '{{@}}',
    'a {{- 3 -}} b',
    '{{if and (eq .kind "Pod") (gt .spec.n 2)}}ok{{end}}',
    '{{print .spec.f .spec.n}} {{print "a" "b"}} {{print 1 "a" 2}}',
  ]

  it('matches the real kubectl printer on every template of the oracle list', function () {
    if (!kubectlAvailable()) this.skip()
    this.timeout(120_000)
    const dir = mkdtempSync(join(tmpdir(), 'gotpl-'))
    const file = join(dir, 'pod.json')
    writeFileSync(file, JSON.stringify(POD))
    for (const tpl of ORACLE) {
      const r = spawnSync('kubectl', ['annotate', '--local', '-f', file, 'x-', '-o', `go-template=${tpl}`], {
        env: {...process.env, KUBECONFIG: '/dev/null'},
        encoding: 'utf8',
      })
      // annotate --local adds an empty annotations map only when there was none; POD has one, so data is equal
      assert.deepEqual(render(tpl), {out: r.stdout, err: r.stderr}, tpl)
    }
  })
})

describe('get -o go-template (differential)', function () {
  let t: Twins
  before(async function () {
    this.timeout(60_000)
    t = await startTwins(this)
    await t.setup(['create', 'deployment', 'web', '--image=nginx', '--replicas=2'])
    await t.setup(['create', 'configmap', 'cfg', '--from-literal=a=1', '--from-literal=b=two', '--field-manager=setup'])
    await t.setup(['create', 'secret', 'generic', 's', '--from-literal=pw=hunter2'])
  })
  after(async () => t?.stop())

  it('prints lists and single objects', async () => {
    await t.same([
      'get',
      'deploy',
      '-o',
      'go-template={{range .items}}{{.metadata.name}} {{.spec.replicas}}{{"\\n"}}{{end}}',
    ])
    await t.same(['get', 'cm', 'cfg', '-o', 'go-template={{.data.a}}-{{.data.b}} {{len .data}}'])
    await t.same(['get', 'secret', 's', '-o', 'go-template={{.data.pw | base64decode}}'])
    await t.same(['get', 'cm', 'cfg', '--template={{.kind}}'])
    await t.same(['get', 'cm', 'cfg', '-o', 'template', '--template={{.metadata.name}}'])
    await t.same(['get', 'pods', '-l', 'app=web', '-o', 'go-template={{range .items}}{{.status.phase}} {{end}}'])
  })

  it('reports template errors as kubectl does', async () => {
    await t.same(['get', 'cm', 'cfg', '-o', 'go-template={{.data.a'])
    await t.same(['get', 'cm', 'cfg', '-o', 'go-template'])
    await t.same(['get', 'cm', 'cfg', '-o', 'go-template-file=/nonexistent/tpl'])
  })

  // Needs get.ts's printObjects to write what the printer wrote before it threw (kubectl's debugging report).
  it('keeps the debugging report on stdout when execution fails', async () => {
    await t.same(['get', 'cm', 'cfg', '-o', 'go-template={{.data.a.b}}'])
    await t.same(['get', 'cm', 'cfg', '-o', 'go-template={{.nope}}', '--allow-missing-template-keys=false'])
  })
})
