// typed-order.test.ts checks the typed re-encoding of objects (src/cli/printers/typed-order.ts) on its own, and
// against the real kubectl offline: kubectl's `--dry-run=client -o json` is a typed object; with every key sorted
// (as an unstructured copy would have them), typedOrder must give back kubectl's bytes. Only commands that need no
// discovery run offline; role, run, expose and real creates are in test/cli/verbs/typed-order.test.ts.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {FIELD_ORDER} from '../../../src/api/field-order.js'
import {toStructJson} from '../../../src/cli/generators/gojson.js'
import {orderAs, typedOrder, typeOfObject} from '../../../src/cli/printers/typed-order.js'

// sortDeep copies a JSON value with every object's keys sorted, as an unstructured object prints
function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep)
  if (v === null || typeof v !== 'object') return v
  const o = v as Record<string, unknown>
  return Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, sortDeep(o[k])]),
  )
}

const typedJson = (o: unknown) => toStructJson(typedOrder(o)) + '\n'

describe('typedOrder', () => {
  it('every type the table refers to is in the table', () => {
    for (const [type, fields] of Object.entries(FIELD_ORDER)) {
      for (const f of fields) {
        const ref = /=([^~?]*)/.exec(f)?.[1]?.replace(/^\[\]|^map:/, '')
        if (!ref || ['map', 'raw', 'quantity'].includes(ref)) continue
        assert.ok(FIELD_ORDER[ref], `${type}.${f}: ${ref}`)
      }
    }
  })

  it('writes struct fields in Go order, kind before apiVersion, maps sorted, unknown keys last', () => {
    const out = typedJson({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      zzz: 1,
      data: {b: '2', '10': 'x', '9': 'y', a: '1'},
      metadata: {resourceVersion: '5', name: 'c', labels: {z: '1', a: '2'}},
      aaa: 2,
    })
    assert.equal(
      out,
      '{\n    "kind": "ConfigMap",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": "c",\n' +
        '        "resourceVersion": "5",\n        "creationTimestamp": null,\n        "labels": {\n' +
        '            "a": "2",\n            "z": "1"\n        }\n    },\n    "data": {\n        "10": "x",\n' +
        '        "9": "y",\n        "a": "1",\n        "b": "2"\n    },\n    "aaa": 2,\n    "zzz": 1\n}\n',
    )
  })

  it('fills the zero fields Go writes, drops empty omitempty values, keeps zero pointers', () => {
    const d = typedOrder({
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: {name: 'd', finalizers: [], labels: {}},
      spec: {replicas: 0, paused: false, template: {spec: {containers: [{name: 'c', image: 'i', ports: []}]}}},
    }) as Record<string, unknown>
    assert.deepEqual(d, {
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: {name: 'd', creationTimestamp: null},
      spec: {
        replicas: 0,
        selector: null,
        template: {metadata: {creationTimestamp: null}, spec: {containers: [{name: 'c', image: 'i', resources: {}}]}},
        strategy: {},
      },
      status: {},
    })
    const cr = typedOrder({kind: 'ClusterRole', apiVersion: 'rbac.authorization.k8s.io/v1', metadata: {name: 'a'}})
    assert.deepEqual(Object.keys(cr), ['kind', 'apiVersion', 'metadata', 'rules'])
    assert.equal((cr as unknown as {rules: unknown}).rules, null)
  })

  it('writes quantities in canonical form', () => {
    const q = orderAs({hard: {memory: '4194304Ki', cpu: '1000m', pods: 10}}, 'core/v1.ResourceQuotaSpec')
    assert.deepEqual(q, {hard: {cpu: '1', memory: '4Gi', pods: '10'}})
  })

  it('leaves unknown kinds alone', () => {
    const o = {kind: 'Widget', apiVersion: 'example.com/v1', b: 1, a: 2}
    assert.equal(typedOrder(o), o)
    assert.equal(typeOfObject({kind: 'Pod', apiVersion: 'v1'}), 'core/v1.Pod')
    assert.equal(typeOfObject({kind: 'Pod'}), undefined)
  })

  describe('matches kubectl --dry-run=client -o json from sorted keys (offline oracle)', function () {
    this.timeout(60000)
    before(function () {
      const r = spawnSync('kubectl', ['version', '--client'], {env: {...process.env, KUBECONFIG: '/dev/null'}})
      if (r.status !== 0) this.skip()
    })
    const cases: string[][] = [
      ['create', 'deployment', 'x', '--image=nginx', '--port=80', '--replicas=3'],
      ['create', 'service', 'nodeport', 's', '--tcp=80:8080', '--node-port=30000'],
      ['create', 'job', 'j', '--image=busybox', '--', 'echo', 'hi'],
      ['create', 'cronjob', 'cj', '--image=busybox', '--schedule=* * * * *', '--restart=OnFailure'],
      ['create', 'ingress', 'i', '--class=c', '--rule=a.com/p*=s:80,tls=t', '--default-backend=d:http'],
      ['create', 'clusterrole', 'agg', '--aggregation-rule=a=b'],
      ['create', 'rolebinding', 'rb', '--clusterrole=view', '--user=u', '--group=g', '--serviceaccount=ns:sa'],
      ['create', 'quota', 'q', '--hard=cpu=1,memory=1Gi', '--scopes=BestEffort'],
      ['create', 'pdb', 'p', '--selector=app=a', '--max-unavailable=1'],
      ['create', 'priorityclass', 'pc', '--value=5', '--preemption-policy=Never'],
      ['create', 'secret', 'generic', 's', '--from-literal=b=2', '--from-literal=a=1', '--type=Opaque'],
      ['create', 'configmap', 'c', '--from-literal=b=2', '--from-literal=10=1'],
      ['create', 'namespace', 'n'],
      ['create', 'serviceaccount', 'sa'],
    ]
    for (const args of cases) {
      it(args.slice(0, 3).join(' '), () => {
        const r = spawnSync('kubectl', [...args.slice(0, 3), '--dry-run=client', '-o', 'json', ...args.slice(3)], {
          encoding: 'utf8',
          env: {...process.env, KUBECONFIG: '/dev/null'},
        })
        assert.equal(r.status, 0, r.stderr)
        assert.equal(typedJson(sortDeep(JSON.parse(r.stdout))), r.stdout)
      })
    }
  })
})
