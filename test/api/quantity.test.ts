import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {
  canonicalQuantity,
  normalizeResourceList,
  parseQuantity,
  Quantity,
  QUANTITY_FORMAT_ERROR,
  QUANTITY_SUFFIX_ERROR,
  QuantityError,
  Scale,
} from '../../src/api/quantity.js'
import type {QuantityFormat} from '../../src/api/quantity.js'

// [input, text the apiserver writes back, format]. Inputs from quantity_test.go (TestQuantityParse,
// TestQuantityString, TestQuantityParseEmit); outputs confirmed with kubectl 1.32 (see the last suite).
const CASES: [string, string, QuantityFormat][] = [
  ['0', '0', 'DecimalSI'],
  ['0m', '0', 'DecimalSI'],
  ['0Ki', '0', 'BinarySI'],
  ['1', '1', 'DecimalSI'],
  ['1Ki', '1Ki', 'BinarySI'],
  ['8Ki', '8Ki', 'BinarySI'],
  ['7Mi', '7Mi', 'BinarySI'],
  ['3Ei', '3Ei', 'BinarySI'],
  ['100Ti', '100Ti', 'BinarySI'],
  ['1024Mi', '1Gi', 'BinarySI'],
  ['1025Mi', '1025Mi', 'BinarySI'],
  ['1023', '1023', 'DecimalSI'],
  ['1536', '1536', 'DecimalSI'],
  ['5n', '5n', 'DecimalSI'],
  ['4u', '4u', 'DecimalSI'],
  ['3m', '3m', 'DecimalSI'],
  ['50k', '50k', 'DecimalSI'],
  ['40T', '40T', 'DecimalSI'],
  ['1E', '1E', 'DecimalSI'],
  ['12E', '12E', 'DecimalSI'],
  ['1000M', '1G', 'DecimalSI'],
  ['10000k', '10M', 'DecimalSI'],
  ['1E-3', '1E-3', 'DecimalExponent'],
  ['1e3', '1e3', 'DecimalExponent'],
  ['1e14', '100e12', 'DecimalExponent'],
  ['1.3E+6', '1300e3', 'DecimalExponent'],
  ['0.5e-2', '5e-3', 'DecimalExponent'],
  ['129e6', '129e6', 'DecimalExponent'],
  ['100.035k', '100.035k', 'DecimalSI'],
  ['0.001', '1m', 'DecimalSI'],
  ['0.0005k', '500m', 'DecimalSI'],
  ['0.50000', '500m', 'DecimalSI'],
  ['10.035M', '10.035M', 'DecimalSI'],
  ['6.987654321G', '6.987654321G', 'DecimalSI'],
  ['1.01E', '1010P', 'DecimalSI'],
  ['1.5', '1500m', 'DecimalSI'],
  ['1000m', '1', 'DecimalSI'],
  ['1.0', '1', 'DecimalSI'],
  ['100m', '100m', 'DecimalSI'],
  ['128974848', '128974848', 'DecimalSI'],
  ['123Mi', '123Mi', 'BinarySI'],
  // rounding up to nano
  ['3.001n', '4n', 'DecimalSI'],
  ['1.1E-9', '2e-9', 'DecimalExponent'],
  ['0.0000000001', '1n', 'DecimalSI'],
  ['0.00000012345', '124n', 'DecimalSI'],
  // binary fractions print in decimal
  ['100.035Ki', '102435840m', 'BinarySI'],
  ['0.5Mi', '512Ki', 'BinarySI'],
  ['0.1Gi', '107374182400m', 'BinarySI'],
  ['.001Ki', '1024m', 'BinarySI'],
  ['.000000000001Ki', '2n', 'DecimalSI'],
  // binary values saturate at max int64
  ['9Ei', '9223372036854775807', 'BinarySI'],
  ['9223372036854775807Ki', '9223372036854775807', 'BinarySI'],
  // odd spellings
  ['.0001k', '100m', 'DecimalSI'],
  ['1.', '1.', 'DecimalSI'],
  ['1.G', '1.G', 'DecimalSI'],
  ['-1.5', '-1500m', 'DecimalSI'],
  ['-0.5Gi', '-512Mi', 'BinarySI'],
  ['123456789012345678901', '123456789012345678901', 'DecimalSI'],
  // upstream keeps the text of a fast-path parse that looks canonical, quirks included
  ['1.500', '1.500', 'DecimalSI'],
  ['+1', '+1', 'DecimalSI'],
  ['10e3', '10e3', 'DecimalExponent'],
  // no DecimalSI suffix beyond E: the number prints bare
  ['1000E', '1', 'DecimalSI'],
]

describe('Quantity.parse / toString', () => {
  for (const [input, want, format] of CASES) {
    it(`${JSON.stringify(input)} → ${want} (${format})`, () => {
      const q = parseQuantity(input)
      assert.equal(q.toString(), want)
      assert.equal(q.format, format)
      assert.equal(JSON.stringify({cpu: q}), `{"cpu":${JSON.stringify(want)}}`)
    })
  }

  it('parses a negative of every case to the negated value', () => {
    for (const [input] of CASES) {
      const signed = input.startsWith('+') || input.startsWith('-') ? input.slice(1) : input
      const q = parseQuantity(signed)
      assert.equal(parseQuantity('-' + signed).cmp(q.neg()), 0, input)
    }
  })

  // Invalid strings from TestQuantityParse, messages checked against kubectl.
  const bad: [string, string][] = [
    ['', QUANTITY_FORMAT_ERROR],
    ['1.1.M', QUANTITY_FORMAT_ERROR],
    ['1+1.0M', QUANTITY_FORMAT_ERROR],
    ['0.1mi', QUANTITY_SUFFIX_ERROR],
    ['0.1am', QUANTITY_FORMAT_ERROR],
    ['aoeu', QUANTITY_FORMAT_ERROR],
    ['.5i', QUANTITY_SUFFIX_ERROR],
    ['1i', QUANTITY_SUFFIX_ERROR],
    ['-3.01i', QUANTITY_SUFFIX_ERROR],
    ['-3.01e-', QUANTITY_SUFFIX_ERROR],
    [' 1', QUANTITY_FORMAT_ERROR],
    ['1 ', QUANTITY_FORMAT_ERROR],
    ['1e', QUANTITY_SUFFIX_ERROR],
    ['1e99999999999999999999', QUANTITY_SUFFIX_ERROR],
    ['1KiB', QUANTITY_FORMAT_ERROR],
    ['1k1', QUANTITY_SUFFIX_ERROR],
  ]
  for (const [input, want] of bad) {
    it(`rejects ${JSON.stringify(input)}`, () => {
      assert.throws(
        () => parseQuantity(input),
        (e: Error) => e instanceof QuantityError && e.message === want,
      )
    })
  }

  it('states the regular expression in the format error', () => {
    assert.equal(
      QUANTITY_FORMAT_ERROR,
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    )
  })

  it('reads JSON strings (trimmed) and numbers', () => {
    assert.equal(Quantity.fromJSON(' 2Gi ').toString(), '2Gi')
    assert.equal(Quantity.fromJSON(0.5).toString(), '500m')
    assert.equal(Quantity.fromJSON(3).toString(), '3')
    assert.throws(() => Quantity.fromJSON(null), QuantityError)
  })

  it('stays cheap with huge exponents', () => {
    assert.equal(parseQuantity('1e-2000000000').toString(), '1e-9')
    assert.equal(parseQuantity('1e2000000000').cmp(parseQuantity('1')), 1)
  })
})

describe('Quantity arithmetic', () => {
  it('compares exactly (TestQuantityCmp)', () => {
    const cases: [string, string, number][] = [
      ['0', '0', 0],
      ['100m', '50m', 1],
      ['50m', '100m', -1],
      ['10000T', '100Gi', 1],
      ['1Ki', '1024', 0],
      ['1.5', '1500m', 0],
      ['-1', '1', -1],
      ['-2', '-1', -1],
      ['1e3', '1k', 0],
      ['0.5Gi', '512Mi', 0],
    ]
    for (const [a, b, want] of cases) assert.equal(parseQuantity(a).cmp(parseQuantity(b)), want, `${a} vs ${b}`)
    assert.ok(parseQuantity('1k').equal(parseQuantity('1000')))
    assert.equal(parseQuantity('100m').cmpInt64(1), -1)
  })

  it('adds and subtracts, a zero receiver taking the other format', () => {
    assert.equal(parseQuantity('100m').add(parseQuantity('1.9')).toString(), '2')
    assert.equal(parseQuantity('1Gi').add(parseQuantity('512Mi')).toString(), '1536Mi')
    assert.equal(parseQuantity('0').add(parseQuantity('1Ki')).toString(), '1Ki')
    assert.equal(parseQuantity('1Ki').add(parseQuantity('0')).toString(), '1Ki')
    assert.equal(parseQuantity('1').sub(parseQuantity('250m')).toString(), '750m')
    assert.equal(parseQuantity('0').sub(parseQuantity('1Mi')).toString(), '-1Mi')
    assert.equal(parseQuantity('2Gi').mul(3).toString(), '6Gi')
  })

  it('forgets the parsed text after arithmetic', () => {
    assert.equal(parseQuantity('1.500').add(parseQuantity('0')).toString(), '1500m')
    assert.equal(parseQuantity('+1').neg().neg().toString(), '1')
  })

  it('rounds up to a scale (TestQuantityRoundUp)', () => {
    const cases: [string, number, string, boolean][] = [
      ['9.01', -3, '9010m', true],
      ['9.01', -2, '9010m', true],
      ['9.01', -1, '9100m', false],
      ['9.01', 0, '10', false],
      ['9.01', 1, '10', false],
      ['9.01', 2, '100', false],
      ['-9.01', -1, '-9100m', false],
      ['-9.01', 0, '-10', false],
      ['-9.01', 2, '-100', false],
      ['1.500', -3, '1.500', true],
      ['1n', -3, '1m', false],
    ]
    for (const [input, scale, want, exact] of cases) {
      const r = parseQuantity(input).roundUp(scale)
      assert.equal(r.quantity.toString(), want, `${input} at ${scale}`)
      assert.equal(r.exact, exact, `${input} at ${scale}`)
    }
  })

  it('gives integer views rounded up (TestScaledValue)', () => {
    const scales = [Scale.Nano, Scale.Micro, Scale.Milli, 0]
    const want = [
      [1, 1, 1, 1],
      [1000, 1, 1, 1],
      [1e6, 1000, 1, 1],
      [1e9, 1e6, 1000, 1],
    ]
    scales.forEach((from, i) => {
      scales.forEach((to, j) =>
        assert.equal(Quantity.fromScaled(1, from).scaledValue(to), want[i]![j], `${from}→${to}`),
      )
    })
    assert.equal(Quantity.fromScaled(1, 2).scaledValue(-2), 10000)
    assert.equal(parseQuantity('1.5').value(), 2)
    assert.equal(parseQuantity('1.5').milliValue(), 1500)
    assert.equal(parseQuantity('100m').value(), 1)
    assert.equal(parseQuantity('2Gi').value(), 2147483648)
    assert.equal(parseQuantity('-1.5').value(), -2)
    assert.equal(Quantity.fromMilli(250).toString(), '250m')
    assert.equal(Quantity.fromValue(2048, 'BinarySI').toString(), '2Ki')
    assert.equal(parseQuantity('1.5Gi').asApproximateFloat64(), 1610612736)
  })
})

describe('normalizeResourceList / canonicalQuantity', () => {
  it('rounds resource values up to milli as the apiserver does on decode', () => {
    assert.deepEqual(normalizeResourceList({cpu: '0.0001', memory: '128Mi', gpu: 1, eph: '1.5Gi'}), {
      cpu: '1m',
      memory: '128Mi',
      gpu: '1',
      eph: '1536Mi',
    })
    assert.equal(canonicalQuantity('1.5'), '1500m')
    assert.throws(() => normalizeResourceList({cpu: 'x'}), QuantityError)
  })
})

describe('quantities against the real kubectl', function () {
  // `kubectl set resources --local` decodes the pod into typed objects and encodes it again, so every
  // container's limits come back in the apiserver's text.
  let dir = ''
  before(function () {
    if (spawnSync('kubectl', ['version', '--client'], {stdio: 'ignore'}).status !== 0) this.skip()
    dir = mkdtempSync(join(tmpdir(), 'mkctl-quantity-'))
    writeFileSync(
      join(dir, 'simple.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: x}]}\n',
    )
  })
  after(() => {
    if (dir) rmSync(dir, {recursive: true, force: true})
  })

  it('prints every case as kubectl does', () => {
    const inputs = CASES.map((c) => c[0])
    const containers = inputs
      .map((v, i) => `  - name: c${i}\n    image: x\n    resources: {limits: {cpu: ${JSON.stringify(v)}}}`)
      .join('\n')
    const file = join(dir, 'pod.yaml')
    writeFileSync(file, `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n${containers}\n`)
    const r = spawnSync(
      'kubectl',
      [
        'set',
        'resources',
        '--local',
        '-f',
        file,
        '-c',
        'c0',
        '--requests=memory=1',
        '-o',
        'jsonpath={range .spec.containers[*]}{.resources.limits.cpu}{"\\n"}{end}',
      ],
      {env: {...process.env, KUBECONFIG: '/dev/null'}, encoding: 'utf8'},
    )
    assert.equal(r.status, 0, r.stderr)
    const got = r.stdout.split('\n').slice(0, inputs.length)
    assert.deepEqual(
      inputs.map((v) => parseQuantity(v).toString()),
      got,
    )
  })

  it('rejects as kubectl does', () => {
    for (const v of ['aoeu', '1i']) {
      const r = spawnSync(
        'kubectl',
        ['set', 'resources', '--local', '-f', join(dir, 'simple.yaml'), `--limits=cpu=${v}`],
        {
          env: {...process.env, KUBECONFIG: '/dev/null'},
          encoding: 'utf8',
        },
      )
      let mine = ''
      try {
        parseQuantity(v)
      } catch (e) {
        mine = (e as Error).message
      }
      assert.equal(r.stderr.trim(), `error: ${mine}`)
    }
  })
})
