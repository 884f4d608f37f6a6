// objects.test.ts pins the generator helpers that need no kubectl: typed field order, kubectl's parsers and errors.
import assert from 'node:assert/strict'
import {stringSlice} from '../../../src/cli/generators/flags.js'
import {goMap, toStructJson} from '../../../src/cli/generators/gojson.js'
import * as gen from '../../../src/cli/generators/objects.js'
import {saveConfigAnnotation, withoutNulls} from '../../../src/cli/generators/options.js'

describe('generators/objects', () => {
  it('encodes struct fields in order and Go maps sorted', () => {
    const o = {kind: 'X', apiVersion: 'v1', data: goMap({b: '1', a: '<&>', '10': 'x', '9': 'y'}), z: undefined}
    assert.equal(
      toStructJson(o, ''),
      '{"kind":"X","apiVersion":"v1","data":{"10":"x","9":"y","a":"\\u003c\\u0026\\u003e","b":"1"}}',
    )
  })

  it('builds a deployment like kubectl (struct order, empty structs kept)', () => {
    const d = gen.deployment({name: 'web', images: ['nginx'], replicas: 1, port: 80, command: []})
    assert.equal(
      toStructJson(d, ''),
      '{"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"web","creationTimestamp":null,"labels":{"app":"web"}},"spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"creationTimestamp":null,"labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx","image":"nginx","ports":[{"containerPort":80}],"resources":{}}]}},"strategy":{}},"status":{}}',
    )
  })

  it('names containers after images, sanitized and made unique', () => {
    assert.equal(gen.containerNameForImage('registry.k8s.io/pause:3.9'), 'pause')
    assert.equal(gen.containerNameForImage('busybox@sha256:abc'), 'busybox')
    assert.match(
      gen.containerNameForImage('my_app.v2', () => 0),
      /^my-app-v2-b{5}$/,
    )
  })

  it('parses --tcp with kubectl errors', () => {
    assert.deepEqual(gen.parseTcpPort('80:http'), {port: 80, targetPort: 'http'})
    assert.deepEqual(gen.parseTcpPort('443'), {port: 443, targetPort: 443})
    assert.throws(() => gen.parseTcpPort('abc'), /strconv.ParseUint: parsing "abc": invalid syntax/)
    assert.throws(() => gen.parseTcpPort('70000'), /value out of range/)
    assert.throws(() => gen.parseTcpPort('80:0'), /must be between 1 and 65535, inclusive/)
  })

  it('parses file and literal sources', () => {
    assert.deepEqual(gen.parseFileSource('dir/a.txt'), ['a.txt', 'dir/a.txt'])
    assert.deepEqual(gen.parseFileSource('k=dir/a.txt'), ['k', 'dir/a.txt'])
    assert.throws(() => gen.parseFileSource('=x'), /key name for file path x missing/)
    assert.throws(() => gen.parseFileSource('a=b=c'), /cannot contain '='/)
    assert.deepEqual(gen.parseLiteralSource('a=b=c'), ['a', 'b=c'])
    assert.throws(() => gen.parseLiteralSource('a'), /invalid literal source a, expected key=value/)
  })

  it('reads env file lines as bufio.Scanner and AddFromEnvFile do', () => {
    const lines = gen.splitLines(Buffer.from('\uFEFFA=1\r\n# c\n  B=x=y\nC'))
    const got = lines.map((l, i) => gen.parseEnvFileLine(l, 'f', i, (k) => (k === 'C' ? 'env' : undefined)))
    assert.deepEqual(got, [['A', '1'], undefined, ['B', 'x=y'], ['C', 'env']])
    assert.throws(
      () => gen.parseEnvFileLine(Buffer.from('1A=2'), 'f', 0, () => undefined),
      /"1A" is not a valid key name/,
    )
  })

  it('encodes the --append-hash suffix', () => {
    assert.equal(gen.encodeHash('0131ae9f00'), 'ghkhmt9fgg')
  })

  it('groups RBAC rules by API group, sorted', () => {
    const rules = gen.policyRules(
      ['get'],
      [
        {group: 'apps', resource: 'deployments'},
        {group: '', resource: 'pods'},
        {group: '', resource: 'pods'},
      ],
      [],
      ['/x'],
    )
    assert.deepEqual(rules, [
      {verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: undefined},
      {verbs: ['get'], apiGroups: ['apps'], resources: ['deployments'], resourceNames: undefined},
      {verbs: ['get'], nonResourceURLs: ['/x']},
    ])
    assert.deepEqual(gen.parseResources(['pods/status', 'rs.apps', '*']), [{resource: '*', group: '', subResource: ''}])
    assert.deepEqual(gen.uniqueVerbs(['get', 'list', 'get']), ['get', 'list'])
  })

  it('builds ingress rules and TLS entries', () => {
    assert.ok(gen.INGRESS_RULE_RE.test('foo.com/bar*=svc:80,tls=sec'))
    assert.ok(!gen.INGRESS_RULE_RE.test('bad'))
    const ing = gen.ingress({
      name: 'i',
      className: '',
      defaultBackend: '',
      annotations: [],
      rules: ['a.com/*=s:1,tls=x', 'b.com/*=s:http,tls=x'],
    })
    const spec = ing.spec as {tls: unknown; rules: {http: {paths: {pathType: string; backend: unknown}[]}}[]}
    assert.deepEqual(spec.tls, [{hosts: ['a.com', 'b.com'], secretName: 'x'}])
    assert.equal(spec.rules[0].http.paths[0].pathType, 'Prefix')
    assert.deepEqual(spec.rules[1].http.paths[0].backend, {service: {name: 's', port: {name: 'http'}}})
  })

  it('reads run flags with kubectl errors', () => {
    assert.throws(() => gen.parseEnvs(['B']), /invalid env: B/)
    assert.throws(() => gen.parsePairs(['a', 'b=c', '=d'], 'annotations'), /invalid annotations format: a, =d/)
    assert.throws(() => gen.parseLabelSpec('a'), /unexpected label spec: a/)
    const pod = gen.runPod({name: 'p', image: 'nginx', labels: '', annotations: [], env: [], args: ['a'], command: false, port: '', imagePullPolicy: '', restart: 'Never', privileged: true, stdin: true, leaveStdinOpen: false, tty: true}) // prettier-ignore
    assert.equal(
      toStructJson(pod.spec, ''),
      '{"containers":[{"name":"p","image":"nginx","args":["a"],"resources":{},"securityContext":{"privileged":true},"stdin":true,"stdinOnce":true,"tty":true}],"restartPolicy":"Never","dnsPolicy":"ClusterFirst"}',
    )
  })

  it('saves the typed configuration and drops nulls for the server', () => {
    const ns = gen.namespaceObject('n')
    saveConfigAnnotation(ns)
    assert.deepEqual(Object.keys(ns.metadata!), ['name', 'creationTimestamp', 'annotations'])
    assert.equal(
      ns.metadata!.annotations!['kubectl.kubernetes.io/last-applied-configuration'],
      '{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"n","creationTimestamp":null},"spec":{},"status":{}}\n',
    )
    assert.deepEqual(withoutNulls({a: null, b: [{c: null, d: 1}]}), {b: [{d: 1}]})
  })

  it('splits StringSlice values as CSV', () => {
    assert.deepEqual(stringSlice(['get,list', 'watch', '"a,b",c']), ['get', 'list', 'watch', 'a,b', 'c'])
  })
})
