import assert from 'node:assert/strict'
import {
  convertFieldLabel,
  convertFieldSelector,
  escapeFieldValue,
  fieldsEverything,
  FieldSelectorError,
  fieldSelectorFromSet,
  fieldsNothing,
  objectFields,
  oneTermEqualSelector,
  parseFieldSelector,
  supportedFieldLabels,
  unescapeFieldValue,
} from '../../src/api/fields.js'
import type {Fields} from '../../src/api/fields.js'

function errorOf(fn: () => unknown): string {
  try {
    fn()
  } catch (e) {
    assert.ok(e instanceof FieldSelectorError)
    return e.message
  }
  throw new Error('expected an error')
}

describe('escapeFieldValue / unescapeFieldValue', () => {
  // From fields/selector_test.go TestEscapeValue.
  const cases: [string, string][] = [
    ['', ''],
    ['a', 'a'],
    ['=', '\\='],
    [',', '\\,'],
    ['\\', '\\\\'],
    ['\\=\\,\\', '\\\\\\=\\\\\\,\\\\'],
  ]
  for (const [raw, escaped] of cases) {
    it(`round-trips ${JSON.stringify(raw)}`, () => {
      assert.equal(escapeFieldValue(raw), escaped)
      assert.equal(unescapeFieldValue(escaped), raw)
    })
  }
  it('rejects bad escapes and bare specials', () => {
    assert.equal(
      errorOf(() => unescapeFieldValue('\\')),
      'invalid field selector: invalid escape sequence: \\',
    )
    assert.equal(
      errorOf(() => unescapeFieldValue('\\\\\\')),
      'invalid field selector: invalid escape sequence: \\',
    )
    assert.equal(
      errorOf(() => unescapeFieldValue('\\a')),
      'invalid field selector: invalid escape sequence: \\a',
    )
    // the rune is printed as a number, as Go's %v prints a rune
    assert.equal(
      errorOf(() => unescapeFieldValue('a=b')),
      'invalid field selector: unescaped character in value: 61',
    )
  })
})

describe('parseFieldSelector', () => {
  // From TestSelectorParse: these print back unchanged.
  for (const s of ['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=a||y\\=b', 'x=a\\=\\=b']) {
    it(`round-trips ${JSON.stringify(s)}`, () => {
      assert.equal(parseFieldSelector(s).toString(), s)
    })
  }

  const printed: [string, string][] = [
    ['x=a,a=x', 'a=x,x=a'],
    ['b==v', 'b=v'],
    ['a=a,', 'a=a'],
    [',a=a', 'a=a'],
    ['k=\\,,k2=v2', 'k2=v2,k=\\,'],
    ['함=수,목=록', '목=록,함=수'],
    ['spec.nodeName=,status.phase!=Running', 'spec.nodeName=,status.phase!=Running'],
  ]
  for (const [input, want] of printed) {
    it(`prints ${JSON.stringify(input)} as ${JSON.stringify(want)}`, () => {
      assert.equal(parseFieldSelector(input).toString(), want)
    })
  }

  const bad: [string, string][] = [
    ['x=a||y=b', 'invalid field selector: unescaped character in value: 61'],
    ['x==a==b', 'invalid field selector: unescaped character in value: 61'],
    ['x=a,b', "invalid selector: 'x=a,b'; can't understand 'b'"],
    ['x in (a)', "invalid selector: 'x in (a)'; can't understand 'x in (a)'"],
    ['x', "invalid selector: 'x'; can't understand 'x'"],
    ['k=\\a', 'invalid field selector: invalid escape sequence: \\a'],
  ]
  for (const [input, want] of bad) {
    it(`rejects ${JSON.stringify(input)}`, () => {
      assert.equal(
        errorOf(() => parseFieldSelector(input)),
        want,
      )
    })
  }

  it('lists requirements with == folded into =', () => {
    assert.deepEqual(parseFieldSelector('b==1,a!=2').requirements(), [
      {field: 'a', operator: '!=', value: '2'},
      {field: 'b', operator: '=', value: '1'},
    ])
  })
})

describe('FieldSelector.matches', () => {
  // From TestSelectorMatches.
  const fieldset: Fields = {foo: 'bar', baz: 'blah', complex: '=value\\,\\'}
  const cases: [string, Fields, boolean][] = [
    ['', {x: 'y'}, true],
    ['x=y', {x: 'y'}, true],
    ['x=y,z=w', {x: 'y', z: 'w'}, true],
    ['x!=y,z!=w', {x: 'z', z: 'a'}, true],
    ['notin=in', {notin: 'in'}, true],
    ['x=y', {x: 'z'}, false],
    ['x=y,z=w', {x: 'w', z: 'w'}, false],
    ['x!=y,z!=w', {x: 'z', z: 'w'}, false],
    ['foo=bar,baz=blah', fieldset, true],
    ['foo=bar,baz=blah,complex=\\=value\\\\\\,\\\\', fieldset, true],
    ['foo=blah', fieldset, false],
    ['foo=bar,foobar=bar,baz=blah', fieldset, false],
    // a missing field reads as ''
    ['missing=', {}, true],
    ['missing!=x', {}, true],
  ]
  for (const [sel, fields, want] of cases) {
    it(`${JSON.stringify(sel)} ${want ? 'matches' : 'does not match'} ${JSON.stringify(fields)}`, () => {
      assert.equal(parseFieldSelector(sel).matches(fields), want)
    })
  }

  it('has everything, nothing, one-term and set forms', () => {
    assert.ok(fieldsEverything().matches({x: 'y'}))
    assert.ok(fieldsEverything().empty())
    assert.equal(fieldsNothing().matches({}), false)
    assert.ok(oneTermEqualSelector('x', 'y').matches({x: 'y'}))
    assert.equal(oneTermEqualSelector('x', 'y').matches({x: 'z'}), false)
    assert.ok(fieldSelectorFromSet({foo: 'bar'}).matches({foo: 'bar', baz: 'blah'}))
    assert.equal(parseFieldSelector('a=1,b!=2').requiresExactMatch('a'), '1')
    assert.equal(parseFieldSelector('a=1,b!=2').requiresExactMatch('b'), undefined)
  })
})

describe('convertFieldLabel', () => {
  it('accepts each kind its own labels', () => {
    assert.equal(convertFieldLabel('', 'Pod', 'spec.nodeName'), 'spec.nodeName')
    assert.equal(convertFieldLabel('', 'Pod', 'spec.host'), 'spec.nodeName')
    assert.equal(convertFieldLabel('', 'Event', 'involvedObject.uid'), 'involvedObject.uid')
    assert.equal(convertFieldLabel('events.k8s.io', 'Event', 'regarding.name'), 'involvedObject.name')
    assert.equal(convertFieldLabel('apps', 'Deployment', 'metadata.namespace'), 'metadata.namespace')
  })

  const bad: [string, string, string, string][] = [
    ['', 'Pod', 'foo', 'field label not supported: foo'],
    ['', 'Node', 'metadata.namespace', 'field label not supported: metadata.namespace'],
    ['', 'Namespace', 'metadata.namespace', 'field label not supported: metadata.namespace'],
    ['batch', 'Job', 'status.active', 'field label "status.active" not supported for batchv1.Job'],
    [
      'apps',
      'Deployment',
      'spec.replicas',
      '"spec.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"',
    ],
    // apps/v1 registers no conversion, so ReplicaSet's status.replicas is refused though it is selectable
    [
      'apps',
      'ReplicaSet',
      'status.replicas',
      '"status.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"',
    ],
    ['', 'ConfigMap', 'data', '"data" is not a known field selector: only "metadata.name", "metadata.namespace"'],
  ]
  for (const [group, kind, label, want] of bad) {
    it(`refuses ${label} on ${group || 'core'}/${kind}`, () => {
      assert.equal(
        errorOf(() => convertFieldLabel(group, kind, label)),
        want,
      )
    })
  }

  it('converts a whole selector, failing on the first bad term in sorted order', () => {
    assert.equal(convertFieldSelector('', 'Pod', parseFieldSelector('spec.host=n1')).toString(), 'spec.nodeName=n1')
    assert.equal(
      errorOf(() => convertFieldSelector('', 'Pod', parseFieldSelector('zzz=1,foo=bar'))),
      'field label not supported: foo',
    )
  })

  it('lists supported labels', () => {
    assert.deepEqual(supportedFieldLabels('', 'Secret'), ['type', 'metadata.name', 'metadata.namespace'])
    assert.deepEqual(supportedFieldLabels('apps', 'Deployment'), ['metadata.name', 'metadata.namespace'])
    assert.ok(!supportedFieldLabels('', 'Pod').includes('spec.host'))
    assert.ok(supportedFieldLabels('events.k8s.io', 'Event').includes('regarding.kind'))
  })
})

describe('objectFields', () => {
  it('computes Pod fields with defaults', () => {
    const pod = {
      metadata: {name: 'web', namespace: 'default'},
      spec: {
        nodeName: 'mkctl',
        restartPolicy: 'Always',
        schedulerName: 'default-scheduler',
        serviceAccountName: 'default',
      },
      status: {phase: 'Running', podIP: '10.244.0.5', podIPs: [{ip: '10.244.0.5'}, {ip: 'fd00::5'}]},
    }
    assert.deepEqual(objectFields('Pod', pod), {
      'metadata.name': 'web',
      'metadata.namespace': 'default',
      'spec.nodeName': 'mkctl',
      'spec.restartPolicy': 'Always',
      'spec.schedulerName': 'default-scheduler',
      'spec.serviceAccountName': 'default',
      'spec.hostNetwork': 'false',
      'status.phase': 'Running',
      'status.podIP': '10.244.0.5',
      'status.nominatedNodeName': '',
    })
    assert.equal(
      objectFields('Pod', {spec: {hostNetwork: true}, status: {podIP: '1.2.3.4'}})['status.podIP'],
      '1.2.3.4',
    )
    assert.equal(objectFields('Pod', {spec: {hostNetwork: true}})['spec.hostNetwork'], 'true')
  })

  it('computes Event fields for core and events.k8s.io shapes', () => {
    const core = {
      metadata: {name: 'e1', namespace: 'ns'},
      involvedObject: {
        kind: 'Pod',
        name: 'web',
        namespace: 'ns',
        uid: 'u',
        apiVersion: 'v1',
        fieldPath: 'spec.containers{c}',
      },
      reason: 'Pulled',
      source: {component: 'kubelet'},
      reportingComponent: 'kubelet',
      type: 'Normal',
    }
    const f = objectFields('Event', core)
    assert.equal(f['involvedObject.kind'], 'Pod')
    assert.equal(f['involvedObject.resourceVersion'], '')
    assert.equal(f['involvedObject.fieldPath'], 'spec.containers{c}')
    assert.equal(f['source'], 'kubelet')
    assert.equal(f['reportingComponent'], 'kubelet')
    const sel = convertFieldSelector('events.k8s.io', 'Event', parseFieldSelector('regarding.name=web,type=Normal'))
    const ev = {regarding: {name: 'web'}, type: 'Normal', reportingController: 'kubelet'}
    assert.ok(sel.matches(objectFields('Event', ev, 'events.k8s.io')))
  })

  it('computes the other kinds', () => {
    assert.equal(objectFields('Secret', {type: 'Opaque'})['type'], 'Opaque')
    assert.equal(objectFields('Node', {spec: {unschedulable: true}})['spec.unschedulable'], 'true')
    assert.equal(objectFields('Node', {})['spec.unschedulable'], 'false')
    assert.equal(objectFields('Namespace', {status: {phase: 'Active'}})['status.phase'], 'Active')
    assert.equal(objectFields('ReplicaSet', {status: {replicas: 3}})['status.replicas'], '3')
    assert.equal(objectFields('ReplicationController', {})['status.replicas'], '0')
    assert.equal(objectFields('Job', {status: {succeeded: 1}})['status.successful'], '1')
    assert.deepEqual(objectFields('Service', {spec: {clusterIP: '10.96.0.1', type: 'ClusterIP'}}), {
      'metadata.name': '',
      'metadata.namespace': '',
      'spec.clusterIP': '10.96.0.1',
      'spec.type': 'ClusterIP',
    })
    assert.deepEqual(objectFields('ConfigMap', {metadata: {name: 'c'}}), {
      'metadata.name': 'c',
      'metadata.namespace': '',
    })
  })

  it('works end to end: describe lists events by involvedObject', () => {
    const sel = convertFieldSelector(
      '',
      'Event',
      parseFieldSelector('involvedObject.name=web,involvedObject.namespace=default,involvedObject.kind=Pod'),
    )
    const hit = {involvedObject: {name: 'web', namespace: 'default', kind: 'Pod'}}
    const miss = {involvedObject: {name: 'web', namespace: 'default', kind: 'Deployment'}}
    assert.ok(sel.matches(objectFields('Event', hit)))
    assert.equal(sel.matches(objectFields('Event', miss)), false)
  })
})
