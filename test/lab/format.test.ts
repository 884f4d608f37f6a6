import assert from 'node:assert/strict'
import {join} from 'node:path'
import {formatDiagnostic, loadLab, parseLab} from '../../src/lab/load.js'
import {drawParameters, generate, parsePattern} from '../../src/lab/params.js'
import {hash32, Prng} from '../../src/lab/prng.js'
import {parseSession, resolveFileArgs, tokenize} from '../../src/lab/session.js'
import {render, renderDeep, templateRefs} from '../../src/lab/template.js'

const EX = join(import.meta.dirname, '..', '..', 'labs', 'examples', 'scale-web')

/** diag parses lab text and returns its diagnostics as lines. */
const diag = (text: string) => parseLab(text, 'lab.yaml', EX).diagnostics.map(formatDiagnostic)

const HEAD = 'apiVersion: mkctl.dev/v1\nkind: Lab\nmetadata: {name: t}\n'

describe('lab/prng', () => {
  it('gives the same numbers for a seed on every run (golden values)', () => {
    const r = new Prng(42)
    assert.deepEqual([r.nextUint32(), r.nextUint32(), r.nextUint32()], [2581720956, 1925393290, 3661312704])
    assert.equal(hash32(''), 0x811c9dc5)
    assert.equal(hash32('a'), 0xe40c292c)
  })
  it('draws integers in range without going out of it', () => {
    const r = new Prng(7)
    const seen = new Set<number>()
    for (let i = 0; i < 500; i++) {
      const n = r.int(3, 5)
      assert.ok(n >= 3 && n <= 5)
      seen.add(n)
    }
    assert.deepEqual([...seen].sort(), [3, 4, 5])
    assert.throws(() => r.int(5, 3), RangeError)
  })
})

describe('lab/params', () => {
  const specs = {
    ns: {pick: ['shop', 'blog', 'wiki']},
    replicas: {range: [3, 5] as [number, number]},
    app: {pattern: 'web-[a-z0-9]{5}'},
    svc: {value: '{{ .app }}-svc'},
    fixed: 'nginx:1.27',
  }
  it('draws values per seed, reproducibly, with each parameter on its own stream', () => {
    const a = drawParameters(specs, 42)
    assert.deepEqual(drawParameters(specs, 42), a)
    assert.deepEqual(a, {ns: 'shop', replicas: 3, app: 'web-glx5x', svc: 'web-glx5x-svc', fixed: 'nginx:1.27'})
    // adding a parameter does not move the others
    assert.deepEqual(drawParameters({extra: {range: [1, 9] as [number, number]}, ...specs}, 42).app, a.app)
    // two seeds give two students different values
    const values = new Set([1, 2, 3, 4, 5, 6].map((s) => JSON.stringify(drawParameters(specs, s))))
    assert.equal(values.size, 6)
  })
  it('reads the pattern language', () => {
    assert.equal(generate('abc', new Prng(1)), 'abc')
    assert.match(generate('x-[a-c]{2,4}\\[', new Prng(1)), /^x-[a-c]{2,4}\[$/)
    assert.throws(() => parsePattern('[a-'), /unclosed/)
    assert.throws(() => parsePattern('a{3'), /bad repeat/)
  })
})

describe('lab/template', () => {
  it('renders {{ .name }} with or without spaces, and literal braces', () => {
    assert.equal(render('ns {{ .ns }}/{{.ns}} {{ "{{" }}x{{ "}}" }}', {ns: 'shop'}), 'ns shop/shop {{x}}')
    assert.deepEqual(renderDeep({a: ['{{ .n }}', 3], b: {c: '{{ .n }}'}}, {n: 5}), {a: ['5', 3], b: {c: '5'}})
    assert.throws(() => render('{{ .nope }}', {}), /undefined parameter "nope"/)
    assert.deepEqual(templateRefs('{{ .a }} {{ b }}'), {names: ['a'], malformed: ['{{ b }}']})
  })
})

describe('lab/load', () => {
  it('loads the example lab', () => {
    const {lab} = loadLab(join(EX, 'lab.yaml'))
    assert.equal(lab.metadata.name, 'scale-web')
    assert.deepEqual(
      lab.tasks.map((t) => t.name),
      ['deploy', 'upgrade', 'config', 'cleanup'],
    )
  })
  it('reports schema errors with file:line:col', () => {
    assert.deepEqual(diag('apiVersion: v2\nkind: Lab\nmetadata: {name: t}\ntasks: []\n'), [
      'lab.yaml:1:13: apiVersion: must be "mkctl.dev/v1"',
      'lab.yaml:4:8: tasks: must NOT have fewer than 1 items',
    ])
    assert.deepEqual(diag(HEAD + 'tasks:\n  - name: a\n    checks:\n      - frob: {x: 1}\n'), [
      'lab.yaml:7:9: tasks[0].checks[0].frob: unknown check kind "frob" (want one of exists, absent, field, ready, reachable, command, history, script)',
    ])
    assert.deepEqual(diag(HEAD + 'tasks:\n  - name: a\n    checks:\n      - exists: {name: x}\n'), [
      'lab.yaml:7:17: tasks[0].checks[0].exists: missing field "resource"',
    ])
  })
  it('reports semantic errors: undefined parameters, duplicate tasks, bad regex and JSONPath, several kinds', () => {
    const text =
      HEAD +
      'parameters:\n  ns: {pick: [a, b]}\n' +
      'tasks:\n' +
      '  - name: a\n    title: "in {{ .nss }}"\n    checks:\n      - command: {matches: "("}\n' +
      '  - name: a\n    checks:\n      - field: {resource: pods, jsonpath: "{.items[", equals: "1"}\n' +
      '      - exists: {resource: pods}\n        absent: {resource: pods}\n'
    assert.deepEqual(diag(text), [
      'lab.yaml:8:12: tasks[0].title: undefined parameter "nss" in template',
      'lab.yaml:10:28: tasks[0].checks[0].command.matches: bad regular expression: Invalid regular expression: /(/: Unterminated group',
      'lab.yaml:11:11: tasks[1].name: duplicate task name "a" (first at tasks[0])',
      'lab.yaml:13:43: tasks[1].checks[0].field.jsonpath: bad JSONPath: unterminated array',
      'lab.yaml:14:9: tasks[1].checks[1]: check has several kinds: exists, absent',
    ])
  })
  it('checks partial-credit points and parameter order in values', () => {
    const text =
      HEAD +
      'parameters:\n  b: {value: "{{ .a }}"}\n  a: 1\n' +
      'tasks:\n  - name: a\n    points: 3\n    checks:\n      - exists: {resource: pods}\n        points: 1\n'
    assert.deepEqual(diag(text), [
      'lab.yaml:5:14: parameters.b.value: undefined parameter "a" in template',
      "lab.yaml:9:13: tasks[0].points: task points 3 differ from the sum of its checks' points 1",
    ])
  })
})

describe('lab/session', () => {
  it('parses plain text: quotes, comments, continuations, here-documents, seed, shell syntax', () => {
    const s = parseSession(
      [
        '# seed: 9',
        'kubectl get pods -l "app=web" # trailing comment',
        "kubectl label pod x 'a=b c' \\",
        '  --overwrite',
        'kubectl apply -f - <<EOF',
        'kind: X',
        'EOF',
        'kubectl get pods | grep web',
        '',
      ].join('\n'),
      's.txt',
      '/d',
    )
    assert.equal(s.seed, 9)
    assert.deepEqual(
      s.commands.map((c) => [c.line, c.argv, c.stdin ?? null, c.error ?? null]),
      [
        [2, ['kubectl', 'get', 'pods', '-l', 'app=web'], null, null],
        [3, ['kubectl', 'label', 'pod', 'x', 'a=b c', '--overwrite'], null, null],
        [5, ['kubectl', 'apply', '-f', '-'], 'kind: X\n', null],
        [8, ['kubectl', 'get', 'pods'], null, 'shell operator "|" is not replayed: write one kubectl command per line'],
      ],
    )
  })
  it('parses JSON lines with a header', () => {
    const s = parseSession(
      '{"kind":"SessionHeader","seed":3,"student":"ann"}\n{"argv":["mkctl","apply","-f","a.yaml"],"files":{"a.yaml":"kind: X"}}\n',
      's.jsonl',
      '/d',
    )
    assert.equal(s.seed, 3)
    assert.equal(s.student, 'ann')
    assert.deepEqual(s.commands[0].argv, ['mkctl', 'apply', '-f', 'a.yaml'])
    assert.equal(s.commands[0].text, 'mkctl apply -f a.yaml')
  })
  it('resolves -f files beside the session', () => {
    assert.deepEqual(resolveFileArgs(['apply', '-f', 'a.yaml', '--filename=/b.yaml', '-fc.yaml', '-f', '-'], '/d'), [
      'apply',
      '-f',
      '/d/a.yaml',
      '--filename=/b.yaml',
      '-f/d/c.yaml',
      '-f',
      '-',
    ])
    assert.equal(tokenize('echo "$HOME"').error, 'shell expansion ($) is not replayed')
  })
})
