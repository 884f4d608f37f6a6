import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {
  everything,
  formatLabels,
  formatLabelSelector,
  LabelSelectorError,
  labelSelectorFromObject,
  newRequirement,
  nothing,
  parseSelector,
  parseToLabelSelector,
  selectorFromSet,
  Selector,
  validatedSelectorFromSet,
  validateLabelSelector,
} from '../../src/api/labels.js'
import type {Labels, LabelSelector} from '../../src/api/labels.js'

// Message pieces as the apiserver prints them (note upstream's double space between examples).
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"

function parseError(s: string): string {
  try {
    parseSelector(s)
  } catch (e) {
    assert.ok(e instanceof LabelSelectorError)
    return e.message
  }
  throw new Error(`expected ${JSON.stringify(s)} not to parse`)
}

describe('parseSelector', () => {
  // Good strings from selector_test.go TestSelectorParse: the canonical form is the input without blanks.
  for (const s of ['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=', 'x= ', 'x=,z= ', 'x= ,z= ', '!x', 'x>1', 'x>1,z<5']) {
    it(`round-trips ${JSON.stringify(s)}`, () => {
      assert.equal(parseSelector(s).toString(), s.replaceAll(' ', ''))
    })
  }

  // Canonical strings: sorted by key, set values sorted and de-duplicated, keywords allowed as values.
  const canonical: [string, string][] = [
    ['x=a,a=x', 'a=x,x=a'],
    ['\rx', 'x'],
    ['foo  in\t (abc)', 'foo in (abc)'],
    ['x notin\n (abc)', 'x notin (abc)'],
    ['x in (def,abc,def)', 'x in (abc,def)'],
    ['x in (abc,)', 'x in (,abc)'],
    ['x in ()', 'x in ()'],
    ['x notin ( )', 'x notin ()'],
    ['x notin (, a)', 'x notin (,a)'],
    ['x notin (abc,,def),bar,z in (),w', 'bar,w,x notin (,abc,def),z in ()'],
    ['a in (x,y,notin, z,in)', 'a in (in,notin,x,y,z)'],
    ['notin=in', 'notin=in'],
    ['x==a', 'x==a'],
    ['this-is-a-dns.domain.com/key-with-dash', 'this-is-a-dns.domain.com/key-with-dash'],
    ['0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)', '0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)'],
    ['a ', 'a'],
  ]
  for (const [input, want] of canonical) {
    it(`prints ${JSON.stringify(input)} as ${JSON.stringify(want)}`, () => {
      assert.equal(parseSelector(input).toString(), want)
    })
  }

  // Error texts, checked against kubectl 1.32 (`kubectl set selector --local` uses the same parser).
  const bad: [string, string][] = [
    ['x==a==b', "found '==', expected: ',' or 'end of string'"],
    ['!x=a', "found '=', expected: ',' or 'end of string'"],
    [
      'x<a',
      `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`,
    ],
    ['x,,y', "found ',', expected: identifier after ','"],
    [',x,y', "found ',', expected: !, identifier, or 'end of string'"],
    ['x nott in (y)', "unable to parse requirement: found 'nott', expected: in, notin, =, ==, !=, gt, lt"],
    ['a in (xyz),', "found '', expected: identifier after ','"],
    ['a in (xyz)b notin ()', "found 'b', expected: ',' or 'end of string'"],
    ['a in (xyz abc)', "unable to parse requirement: found 'abc', expected: ',' or ')'"],
    ['a notin(', "unable to parse requirement: found '', expected: ',', ')' or identifier"],
    ['a (', "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"],
    ['(', "found '(', expected: !, identifier, or 'end of string'"],
    ['x in (a', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['x in (a,', "unable to parse requirement: found '', expected: ',', or identifier"],
    ['x in a', "unable to parse requirement: found 'a' expected: '('"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    ['a>=1', "unable to parse requirement: found '=', expected: identifier"],
    ['x=a||y=b', `unable to parse requirement: values[0][x]: Invalid value: "a||y": ${LABEL_VALUE_MSG}`],
    ['-x', `unable to parse requirement: <nil>: Invalid value: "-x": ${NAME_PART_MSG}`],
    [
      'x in (-a,-b)',
      `unable to parse requirement: [values[0][x]: Invalid value: "-a": ${LABEL_VALUE_MSG}, values[1][x]: Invalid value: "-b": ${LABEL_VALUE_MSG}]`,
    ],
    [
      'k'.repeat(64),
      `unable to parse requirement: <nil>: Invalid value: "${'k'.repeat(64)}": name part must be no more than 63 characters`,
    ],
  ]
  for (const [input, want] of bad) {
    it(`rejects ${JSON.stringify(input)}`, () => {
      assert.equal(parseError(input), want)
    })
  }

  it('treats the empty selector as everything', () => {
    const s = parseSelector('  ')
    assert.ok(s.empty())
    assert.ok(s.matches({}))
    assert.equal(s.toString(), '')
  })
})

describe('Selector.matches', () => {
  // From selector_test.go TestSelectorMatches / TestRequirementSelectorMatching.
  const cases: [string, Labels, boolean][] = [
    ['', {x: 'y'}, true],
    ['x=y', {x: 'y'}, true],
    ['x=y,z=w', {x: 'y', z: 'w'}, true],
    ['x!=y,z!=w', {x: 'z', z: 'a'}, true],
    ['notin=in', {notin: 'in'}, true],
    ['x', {x: 'z'}, true],
    ['!x', {y: 'z'}, true],
    ['x>1', {x: '2'}, true],
    ['x<1', {x: '0'}, true],
    ['x=z', {}, false],
    ['x=y', {x: 'z'}, false],
    ['x=y,z=w', {x: 'w', z: 'w'}, false],
    ['x!=y,z!=w', {x: 'z', z: 'w'}, false],
    ['x', {y: 'z'}, false],
    ['!x', {x: 'z'}, false],
    ['x>1', {x: '0'}, false],
    ['x<1', {x: '2'}, false],
    ['x>1', {x: 'v2'}, false],
    ['x>1', {}, false],
    ['x in (foo),y notin (alpha)', {x: 'foo', y: 'baz'}, true],
    ['x in (foo),y in (alpha)', {x: 'foo', y: 'baz'}, false],
    ['x notin (),y', {y: ''}, true],
    ['!x,y', {y: ''}, true],
    ['x notin (),!y', {y: ''}, false],
    ['x in ()', {y: 'baz'}, false],
    ['x in ()', {x: ''}, true],
    ['x=', {x: ''}, true],
    ['x!=a', {}, true],
    ['x,y in (a)', {x: '1', y: 'a'}, true],
  ]
  for (const [sel, labels, want] of cases) {
    it(`${JSON.stringify(sel)} ${want ? 'matches' : 'does not match'} ${JSON.stringify(labels)}`, () => {
      assert.equal(parseSelector(sel).matches(labels), want)
    })
  }

  it('does not match inherited properties', () => {
    assert.equal(parseSelector('toString').matches({}), false)
  })

  it('everything matches all, nothing matches none', () => {
    assert.ok(everything().matches({a: 'b'}))
    assert.ok(everything().empty())
    assert.equal(nothing().matches({}), false)
    assert.equal(nothing().empty(), false)
    assert.equal(nothing().toString(), '')
  })
})

describe('Selector helpers', () => {
  it('add re-sorts by key and keeps equal keys in order', () => {
    const s = parseSelector('z=1').add(newRequirement('a', 'exists', []), newRequirement('z', '!=', ['2']))
    assert.equal(s.toString(), 'a,z=1,z!=2')
  })

  it('requiresExactMatch finds =, == and one-value in', () => {
    const s = parseSelector('a=1,b==2,c in (3),d in (4,5),e!=6')
    assert.equal(s.requiresExactMatch('a'), '1')
    assert.equal(s.requiresExactMatch('b'), '2')
    assert.equal(s.requiresExactMatch('c'), '3')
    assert.equal(s.requiresExactMatch('d'), undefined)
    assert.equal(s.requiresExactMatch('e'), undefined)
    assert.equal(s.requiresExactMatch('zz'), undefined)
  })

  it('selectorFromSet builds sorted equality terms', () => {
    assert.equal(selectorFromSet({b: '2', a: '1'}).toString(), 'a=1,b=2')
    assert.ok(selectorFromSet({}).empty())
    assert.throws(() => validatedSelectorFromSet({a: '-'}), LabelSelectorError)
  })

  it('prints sets without sorting the stored values (toString sorts a copy)', () => {
    const r = newRequirement('x', 'in', ['b', 'a'])
    assert.deepEqual(r.values, ['b', 'a'])
    assert.equal(Selector.of([r]).toString(), 'x in (a,b)')
  })
})

describe('newRequirement', () => {
  // From selector_test.go TestRequirementConstructor, with the messages the apiserver prints.
  const bad: [string, Parameters<typeof newRequirement>, string][] = [
    [
      'empty in',
      ['x1', 'in', null],
      `values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty`,
    ],
    [
      'empty notin',
      ['x2', 'notin', []],
      `values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty`,
    ],
    [
      'two for =',
      ['x', '=', ['a', 'b']],
      `values: Invalid value: []string{"a", "b"}: exact-match compatibility requires one single value`,
    ],
    [
      'values for exists',
      ['x', 'exists', ['a']],
      `values: Invalid value: []string{"a"}: values set must be empty for exists and does not exist`,
    ],
    [
      'two for gt',
      ['x', 'gt', ['1', '2']],
      `values: Invalid value: []string{"1", "2"}: for 'Gt', 'Lt' operators, exactly one value is required`,
    ],
    [
      'non-integer lt',
      ['x', 'lt', ['1.0']],
      `values[0]: Invalid value: "1.0": for 'Gt', 'Lt' operators, the value must be an integer`,
    ],
    ['bad key', ['x=', 'exists', []], `key: Invalid value: "x=": ${NAME_PART_MSG}`],
    ['bad value', ['x', 'in', ['a b']], `values[0][x]: Invalid value: "a b": ${LABEL_VALUE_MSG}`],
    [
      'bad operator',
      ['x', 'like' as never, ['a']],
      `operator: Unsupported value: "like": supported values: "in", "notin", "=", "==", "!=", "gt", "lt", "exists", "!"`,
    ],
  ]
  for (const [name, args, want] of bad) {
    it(`rejects ${name}`, () => {
      assert.throws(
        () => newRequirement(...args),
        (e: Error) => e instanceof LabelSelectorError && e.message === want,
      )
    })
  }

  it('accepts long prefixed keys and empty values', () => {
    assert.doesNotThrow(() => newRequirement('example.com/' + 'a'.repeat(63), 'in', ['']))
    assert.doesNotThrow(() => newRequirement('x', 'gt', ['9223372036854775807']))
    assert.throws(() => newRequirement('x', 'gt', ['9223372036854775808']), LabelSelectorError)
  })
})

describe('labelSelectorFromObject / formatLabelSelector', () => {
  const cases: [string, LabelSelector | null | undefined, string][] = [
    ['nil', null, '<none>'],
    ['empty', {}, '<none>'],
    ['matchLabels', {matchLabels: {tier: 'web', app: 'nginx'}}, 'app=nginx,tier=web'],
    [
      'expressions',
      {
        matchLabels: {app: 'nginx'},
        matchExpressions: [
          {key: 'tier', operator: 'In', values: ['b', 'a']},
          {key: 'x', operator: 'DoesNotExist'},
          {key: 'env', operator: 'NotIn', values: ['prod']},
          {key: 'gpu', operator: 'Exists'},
        ],
      },
      'app=nginx,env notin (prod),gpu,tier in (a,b),!x',
    ],
    ['bad operator', {matchExpressions: [{key: 'a', operator: 'Gt', values: ['1']}]}, '<error>'],
    ['empty In', {matchExpressions: [{key: 'a', operator: 'In', values: []}]}, '<error>'],
  ]
  for (const [name, ls, want] of cases) {
    it(`formats ${name} as ${want}`, () => {
      assert.equal(formatLabelSelector(ls), want)
    })
  }

  it('distinguishes nothing (nil) from everything (empty)', () => {
    assert.equal(labelSelectorFromObject(undefined).matches({a: 'b'}), false)
    assert.equal(labelSelectorFromObject({matchLabels: {}}).matches({a: 'b'}), true)
  })

  it('reports upstream errors', () => {
    assert.throws(
      () => labelSelectorFromObject({matchExpressions: [{key: 'a', operator: 'Gt'}]}),
      (e: Error) => e.message === '"Gt" is not a valid label selector operator',
    )
    assert.throws(
      () => labelSelectorFromObject({matchExpressions: [{key: 'a', operator: 'In', values: []}]}),
      (e: Error) =>
        e.message === `values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty`,
    )
  })
})

describe('formatLabels', () => {
  it('sorts k=v strings and prints <none> when empty', () => {
    assert.equal(formatLabels({b: '2', a: '1'}), 'a=1,b=2')
    // sorted as whole strings: "a.b=1" < "a=2" because '.' < '='
    assert.equal(formatLabels({a: '2', 'a.b': '1'}), 'a.b=1,a=2')
    assert.equal(formatLabels({}), '<none>')
    assert.equal(formatLabels(undefined), '<none>')
  })
})

describe('parseToLabelSelector', () => {
  it('splits equality into matchLabels and the rest into matchExpressions', () => {
    assert.deepEqual(parseToLabelSelector('app=web,tier in (b,a),!x,y'), {
      matchLabels: {app: 'web'},
      matchExpressions: [
        {key: 'tier', operator: 'In', values: ['a', 'b']},
        {key: 'x', operator: 'DoesNotExist', values: []},
        {key: 'y', operator: 'Exists', values: []},
      ],
    })
  })
  it('rejects gt and !=', () => {
    assert.throws(() => parseToLabelSelector('x>1'), /^LabelSelectorError: "gt" isn't supported in label selectors$/)
    assert.throws(() => parseToLabelSelector('x!=1'), {message: '"!=" is not a valid label selector operator'})
  })
})

describe('validateLabelSelector', () => {
  it('reports each problem at its path', () => {
    const errs = validateLabelSelector(
      {
        matchLabels: {'-a': 'b'},
        matchExpressions: [
          {key: 'k', operator: 'In', values: []},
          {key: 'k', operator: 'Exists', values: ['x']},
          {key: 'k', operator: 'Like'},
        ],
      },
      'spec.selector',
    )
    assert.deepEqual(
      errs.map((e) => `${e.field}: ${e.message}`),
      [
        `spec.selector.matchLabels: Invalid value: "-a": ${NAME_PART_MSG}`,
        "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
        "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        'spec.selector.matchExpressions[2].operator: Invalid value: "Like": not a valid selector operator',
      ],
    )
    assert.deepEqual(validateLabelSelector(null, 'x'), [])
  })
})

describe('label selector errors against the real kubectl', function () {
  // `kubectl set selector --local` parses with the same apimachinery parser and prints
  // `error: couldn't parse the selector string "<s>": <parse error>`.
  const inputs = [
    'x==a==b',
    'x<a',
    ',x,y',
    'a in (xyz abc)',
    'a notin(',
    'x in a',
    '-x',
    'x=a||y=b',
    'a/b/c',
    'Example.com/k',
  ]
  let dir = ''
  before(function () {
    if (spawnSync('kubectl', ['version', '--client'], {stdio: 'ignore'}).status !== 0) this.skip()
    dir = mkdtempSync(join(tmpdir(), 'mkctl-labels-'))
    writeFileSync(
      join(dir, 'svc.yaml'),
      'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {selector: {app: x}, ports: [{port: 80}]}\n',
    )
  })
  after(() => {
    if (dir) rmSync(dir, {recursive: true, force: true})
  })
  for (const s of inputs) {
    it(`matches kubectl for ${JSON.stringify(s)}`, () => {
      const r = spawnSync(
        'kubectl',
        ['set', 'selector', '--local', '-f', join(dir, 'svc.yaml'), '-o', 'name', '--', s],
        {
          env: {...process.env, KUBECONFIG: '/dev/null'},
          encoding: 'utf8',
        },
      )
      assert.equal(r.stderr.trim(), `error: couldn't parse the selector string "${s}": ${parseError(s)}`)
    })
  }
})
