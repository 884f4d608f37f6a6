import assert from 'node:assert/strict'
import type {FieldError} from '../../src/api/errors.js'
import {invalid} from '../../src/api/errors.js'
import {
  aggregateMessage,
  isCIdentifier,
  isConfigMapKey,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isEnvVarName,
  isInRange,
  isQualifiedName,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
  maskTrailingDash,
  nameIsDNS1035Label,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
  regexError,
  utf8Length,
  validateAnnotations,
  validateLabels,
  validateObjectMeta,
  validateObjectMetaName,
  validateObjectMetaUpdate,
  validateOwnerReferences,
} from '../../src/api/validation.js'

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"

const render = (errs: FieldError[]): string[] => errs.map((e) => `${e.field}: ${e.message}`)

// goodBad runs a validator over values that must pass and values that must fail (validation_test.go tables).
function goodBad(name: string, fn: (v: string) => string[], good: string[], bad: string[]): void {
  describe(name, () => {
    it('accepts the good values', () => {
      for (const v of good) assert.deepEqual(fn(v), [], JSON.stringify(v))
    })
    it('rejects the bad values', () => {
      for (const v of bad) assert.notDeepEqual(fn(v), [], JSON.stringify(v))
    })
  })
}

const blanks = [' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2']
const underscores = ['_', 'a_', '_a', 'a_b', '1_', '_1', '1_2']
const dashes = ['-', 'a-', '-a', '1-', '-1']
const upper = ['', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A']

goodBad(
  'isDNS1123Label',
  isDNS1123Label,
  ['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', '0', '01', '012', '1a', '1-a', '1--a--b--2', 'a'.repeat(63)],
  [...upper, ...dashes, ...underscores, '.', 'a.', '.a', 'a.b', '1.', '.1', '1.2', ...blanks, 'a'.repeat(64)],
)
goodBad(
  'isDNS1123Subdomain',
  isDNS1123Subdomain,
  [
    'a',
    'a--1--2--b',
    '0',
    '1--a--b--2',
    'a.a',
    'a-1.a',
    'a.1',
    '0.a',
    '0.1',
    'a.b.c.d.e',
    '1.2.3.4.5',
    'a'.repeat(253),
  ],
  [
    ...upper,
    ...dashes,
    ...underscores,
    '.',
    'a.',
    '.a',
    'a..b',
    '1.',
    '.1',
    '1..2',
    ...blanks,
    'A.a',
    'ab.A',
    'a.B.c.d.e',
    'a@b',
    'a,b',
    'a;b',
    'a:b',
    'a%b',
    'a?b',
    'a$b',
    'a'.repeat(254),
  ],
)
goodBad(
  'isDNS1035Label',
  isDNS1035Label,
  ['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', 'a'.repeat(63)],
  ['0', '01', '1a', '1-a', ...upper, ...dashes, ...underscores, '.', 'a.b', ...blanks, 'a'.repeat(64)],
)
goodBad(
  'isQualifiedName',
  isQualifiedName,
  [
    'simple',
    'now-with-dashes',
    '1-starts-with-num',
    '1234',
    'simple/simple',
    'now.with.dots/simple',
    '1-num.2-num/3-num',
    '1.2.3.4/5678',
    'Uppercase_Is_OK_123',
    'example.com/Uppercase_Is_OK_123',
    'requests.storage-foo',
    'a'.repeat(63),
    'a'.repeat(253) + '/' + 'b'.repeat(63),
  ],
  [
    'nospecialchars%^=@',
    'cantendwithadash-',
    '-cantstartwithadash-',
    'only/one/slash',
    'Example.com/abc',
    'example_com/abc',
    'example.com/',
    '/simple',
    'a'.repeat(64),
    'a'.repeat(254) + '/abc',
  ],
)
goodBad(
  'isValidLabelValue',
  isValidLabelValue,
  ['simple', 'now-with-dashes', '1-starts-with-num', 'end-with-num-1', '1234', 'a'.repeat(63), ''],
  [
    'nospecialchars%^=@',
    'Tama-nui-te-rā.is.Māori.sun',
    '\\backslashes\\are\\bad',
    '-starts-with-dash',
    'ends-with-dash-',
    '.starts.with.dot',
    'ends.with.dot.',
    'a'.repeat(64),
  ],
)
goodBad(
  'isCIdentifier',
  isCIdentifier,
  ['a', '_a', 'a_1', '__abc_123', 'A', 'A__1__2__B'],
  ['', '1', '1a', '-', 'a-', 'a.b', 'a b', '#a#'],
)
goodBad(
  'isValidPortName',
  isValidPortName,
  ['telnet', 're-mail-ck', 'pop3', 'a', 'a-1', '1-a', 'a-1-b-2-c', '1-a-2-b-3'],
  ['longerthan15characters', '', 'a'.repeat(16), '12345', '1-2-3-4', '-begin', 'end-', 'two--hyphens', 'whois++'],
)
goodBad(
  'isConfigMapKey',
  isConfigMapKey,
  ['a', 'good', 'good-good', 'still.good', '.so.is.this', 'THIS_IS_GOOD', 'so_is_this_17'],
  ['.', '..', '..bad', 'b*d', 'bad!&bad'],
)
goodBad('isEnvVarName', isEnvVarName, ['A', 'my.env-name', 'MY_ENV.NAME', '_x'], ['1A', 'a b', '..', 'a=b'])

describe('message texts', () => {
  it('isDNS1123Subdomain says the regex and the length', () => {
    assert.deepEqual(isDNS1123Subdomain('Web'), [SUBDOMAIN_MSG])
    assert.deepEqual(isDNS1123Subdomain('a'.repeat(254)), ['must be no more than 253 characters'])
    assert.deepEqual(isDNS1123Subdomain('A'.repeat(254)), ['must be no more than 253 characters', SUBDOMAIN_MSG])
  })
  it('isDNS1123Label says "must not contain dots" for a valid subdomain', () => {
    assert.deepEqual(isDNS1123Label('a.b'), ['must not contain dots'])
    assert.deepEqual(isDNS1123Label('A'), [LABEL_MSG])
  })
  it('isDNS1035Label', () => {
    assert.deepEqual(isDNS1035Label('1abc'), [DNS1035_MSG])
  })
  it('isQualifiedName names the part that failed', () => {
    assert.deepEqual(isQualifiedName('-a'), [NAME_PART_MSG])
    assert.deepEqual(isQualifiedName('/a'), ['prefix part must be non-empty'])
    assert.deepEqual(isQualifiedName('a/'), ['name part must be non-empty', NAME_PART_MSG])
    assert.deepEqual(isQualifiedName('a'.repeat(64)), ['name part must be no more than 63 characters'])
    assert.deepEqual(isQualifiedName('A_b/c'), [
      "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ])
  })
  it('isValidLabelValue', () => {
    assert.deepEqual(isValidLabelValue('-x'), [LABEL_VALUE_MSG])
    assert.deepEqual(isValidLabelValue('a'.repeat(64)), ['must be no more than 63 characters'])
  })
  it('regexError without examples', () => {
    assert.equal(regexError('bad', 'x+'), "bad (regex used for validation is 'x+')")
  })
  it('ranges', () => {
    assert.deepEqual(isValidPortNum(0), ['must be between 1 and 65535, inclusive'])
    assert.deepEqual(isValidPortNum(65535), [])
    assert.deepEqual(isInRange(5, 1, 4), ['must be between 1 and 4, inclusive'])
  })
  it('counts lengths in UTF-8 bytes', () => {
    assert.equal(utf8Length('aā😀'), 1 + 2 + 4)
    assert.deepEqual(isValidLabelValue('ā'.repeat(32)).includes('must be no more than 63 characters'), true)
  })
})

describe('name functions', () => {
  it('maskTrailingDash drops two characters as upstream does', () => {
    assert.equal(maskTrailingDash('web-'), 'wea')
    assert.equal(maskTrailingDash('-'), '-')
    assert.equal(maskTrailingDash('ab'), 'ab')
  })
  it('a generateName may end in a dash, a name may not', () => {
    assert.deepEqual(nameIsDNSSubdomain('web-', true), [])
    assert.notDeepEqual(nameIsDNSSubdomain('web-', false), [])
    assert.deepEqual(nameIsDNSLabel('ns-', true), [])
    assert.deepEqual(nameIsDNS1035Label('svc-', true), [])
    assert.notDeepEqual(nameIsDNS1035Label('1svc', false), [])
  })
})

describe('validateObjectMetaName', () => {
  it('requires a name or generateName', () => {
    assert.deepEqual(render(validateObjectMetaName('', undefined)), [
      'metadata.name: Required value: name or generateName is required',
    ])
  })
  it('reports an invalid name with the subdomain message', () => {
    const errs = validateObjectMetaName('Web', undefined)
    assert.deepEqual(render(errs), [`metadata.name: Invalid value: "Web": ${SUBDOMAIN_MSG}`])
    assert.equal(
      invalid('Pod', '', 'Web', errs).message,
      `Pod "Web" is invalid: metadata.name: Invalid value: "Web": ${SUBDOMAIN_MSG}`,
    )
  })
  it('checks generateName as a prefix and uses the kind name rule', () => {
    assert.deepEqual(render(validateObjectMetaName('', 'Web-', {nameFn: nameIsDNS1035Label})), [
      `metadata.generateName: Invalid value: "Web-": ${DNS1035_MSG}`,
      'metadata.name: Required value: name or generateName is required',
    ])
    assert.deepEqual(validateObjectMetaName('web-x7k2p', 'web-'), [])
  })
})

describe('validateObjectMeta', () => {
  it('requires a namespace on namespaced kinds and forbids it elsewhere', () => {
    assert.deepEqual(render(validateObjectMeta({name: 'a'}, {namespaced: true})), [
      'metadata.namespace: Required value',
    ])
    assert.deepEqual(render(validateObjectMeta({name: 'a', namespace: 'Bad'}, {namespaced: true})), [
      `metadata.namespace: Invalid value: "Bad": ${LABEL_MSG}`,
    ])
    assert.deepEqual(render(validateObjectMeta({name: 'a', namespace: 'x'}, {namespaced: false})), [
      'metadata.namespace: Forbidden: not allowed on this type',
    ])
  })
  it('walks labels, annotations, owner references and finalizers in order', () => {
    const errs = validateObjectMeta(
      {
        name: 'a',
        namespace: 'default',
        generation: -1,
        labels: {'-k': 'v', k: '-v'},
        annotations: {'Example.com/A': 'ok', 'a/b/c': 'x'},
        ownerReferences: [{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: ''}],
        finalizers: ['orphan', 'foregroundDeletion'],
      },
      {namespaced: true},
    )
    assert.deepEqual(render(errs), [
      'metadata.generation: Invalid value: -1: must be greater than or equal to 0',
      `metadata.labels: Invalid value: "-k": ${NAME_PART_MSG}`,
      `metadata.labels: Invalid value: "-v": ${LABEL_VALUE_MSG}`,
      `metadata.annotations: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
      'metadata.ownerReferences.uid: Invalid value: "": uid must not be empty',
      'metadata.finalizers: Invalid value: []string{"orphan", "foregroundDeletion"}: finalizer orphan and foregroundDeletion cannot be both set',
    ])
  })
})

describe('validateLabels / validateAnnotations', () => {
  it('reports at the map path, not the key', () => {
    assert.deepEqual(render(validateLabels({ok: 'fine', 'a b': 'x'}, 'spec.selector')), [
      `spec.selector: Invalid value: "a b": ${NAME_PART_MSG}`,
    ])
  })
  it('limits annotations to 256 KiB in total', () => {
    const big = {a: 'x'.repeat(262143)}
    assert.deepEqual(validateAnnotations(big, 'metadata.annotations'), [])
    assert.deepEqual(render(validateAnnotations({a: 'x'.repeat(262144)}, 'metadata.annotations')), [
      'metadata.annotations: Too long: may not be more than 262144 bytes',
    ])
  })
  it('checks annotation keys case-insensitively', () => {
    assert.deepEqual(validateAnnotations({'Example.COM/Key': 'v'}, 'metadata.annotations'), [])
  })
})

describe('validateOwnerReferences', () => {
  it('allows one controller only and no Event owners', () => {
    const refs = [
      {apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: '1', controller: true},
      {apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'b', uid: '2', controller: true},
      {apiVersion: '', kind: '', name: '', uid: '3'},
    ]
    const msgs = render(validateOwnerReferences(refs, 'metadata.ownerReferences'))
    assert.equal(msgs.length, 4)
    assert.match(
      msgs[0]!,
      /Only one reference can have Controller set to true\. Found "true" in references for ReplicaSet\/a and ReplicaSet\/b$/,
    )
    assert.deepEqual(msgs.slice(1), [
      'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
      'metadata.ownerReferences.kind: Invalid value: "": kind must not be empty',
      'metadata.ownerReferences.name: Invalid value: "": name must not be empty',
    ])
    const ev = render(validateOwnerReferences([{apiVersion: 'v1', kind: 'Event', name: 'e', uid: 'u'}], 'o'))
    assert.equal(ev.length, 1)
    assert.match(ev[0]!, /: \/v1, Kind=Event is disallowed from being an owner$/)
  })
})

describe('validateObjectMetaUpdate', () => {
  it('needs a resourceVersion and keeps name, namespace and uid', () => {
    const old = {name: 'a', namespace: 'default', uid: 'u1', generation: 2}
    assert.deepEqual(
      render(validateObjectMetaUpdate({name: 'b', namespace: 'default', uid: 'u1', generation: 1}, old)),
      [
        'metadata.resourceVersion: Invalid value: "": must be specified for an update',
        'metadata.generation: Invalid value: 1: must not be decremented',
        'metadata.name: Invalid value: "b": field is immutable',
      ],
    )
    assert.deepEqual(validateObjectMetaUpdate({...old, resourceVersion: '5'}, old), [])
  })
})

describe('aggregateMessage', () => {
  it('drops duplicates and brackets several', () => {
    assert.equal(aggregateMessage(['a']), 'a')
    assert.equal(aggregateMessage(['a', 'a']), 'a')
    assert.equal(aggregateMessage(['a', 'b', 'a']), '[a, b]')
  })
})
