// fuzz-manifests.test.ts — property-based fuzzing of create and update bodies (issue 7 §1). Valid objects of eleven
// kinds are mutated at random (wrong types at any field, deleted fields, odd or huge names, unicode, labels and
// annotations at their limits, an unknown field under fieldValidation Strict, Warn, Ignore or garbage), sent as
// JSON, YAML or broken bytes with POST or PUT to an in-process daemon that runs the API alone (controllers off, so
// nothing else writes). Properties, for every case:
//   - the daemon never answers 5xx and never raises an unhandled rejection or uncaught exception;
//   - a failure is a Kubernetes Status (kind Status, apiVersion v1, code = HTTP status, a 4xx reason that goes
//     with the code) and leaves the store's revision where it was;
//   - a success returns an object of the kind sent; Strict refuses the unknown field, Warn names it in a Warning.
// Seed fixed (MKCTL_FUZZ_SEED replays another), run count scaled by MKCTL_FUZZ_SCALE.
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {stringify as toYaml} from 'yaml'
import {
  assertClientFailure,
  check,
  deletePath,
  describeRequest,
  objectPaths,
  oddString,
  oddValue,
  runs,
  seedFor,
  setPath,
  useFuzzDaemon,
  type FuzzRequest,
} from '../helpers/fuzz.js'

const SEED = seedFor(7001)
const RUNS = runs(1000)
const UNKNOWN = 'zzUnknownField'

interface KindCase {
  collection: string
  base: any
}

const ns = '/api/v1/namespaces/default'
const KINDS: KindCase[] = [
  {collection: `${ns}/configmaps`, base: {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'c'}, data: {k: 'v'}}},
  {
    collection: `${ns}/secrets`,
    base: {apiVersion: 'v1', kind: 'Secret', metadata: {name: 's'}, type: 'Opaque', data: {k: 'dg=='}},
  },
  {
    collection: `${ns}/services`,
    base: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {name: 'svc'},
      spec: {selector: {app: 'a'}, ports: [{port: 80, targetPort: 8080, protocol: 'TCP'}]},
    },
  },
  {collection: `${ns}/serviceaccounts`, base: {apiVersion: 'v1', kind: 'ServiceAccount', metadata: {name: 'sa'}}},
  {
    collection: `${ns}/pods`,
    base: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {name: 'p', labels: {app: 'a'}},
      spec: {containers: [{name: 'c', image: 'nginx', ports: [{containerPort: 80}], resources: {limits: {cpu: '1'}}}]},
    },
  },
  {
    collection: `${ns}/persistentvolumeclaims`,
    base: {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {name: 'pvc'},
      spec: {accessModes: ['ReadWriteOnce'], resources: {requests: {storage: '1Gi'}}},
    },
  },
  {collection: '/api/v1/namespaces', base: {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'n'}}},
  {
    collection: '/apis/apps/v1/namespaces/default/deployments',
    base: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {name: 'd'},
      spec: {
        replicas: 2,
        selector: {matchLabels: {app: 'a'}},
        template: {metadata: {labels: {app: 'a'}}, spec: {containers: [{name: 'c', image: 'nginx'}]}},
      },
    },
  },
  {
    collection: '/apis/batch/v1/namespaces/default/jobs',
    base: {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {name: 'j'},
      spec: {
        template: {spec: {restartPolicy: 'Never', containers: [{name: 'c', image: 'busybox', command: ['true']}]}},
      },
    },
  },
  {
    collection: '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles',
    base: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: {name: 'r'},
      rules: [{apiGroups: [''], resources: ['pods'], verbs: ['get']}],
    },
  },
  {
    collection: '/apis/networking.k8s.io/v1/namespaces/default/ingresses',
    base: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {name: 'i'},
      spec: {
        rules: [
          {
            host: 'a.example.com',
            http: {paths: [{path: '/', pathType: 'Prefix', backend: {service: {name: 'svc', port: {number: 80}}}}]},
          },
        ],
      },
    },
  },
]

/** Mutation is one edit of the base object; paths are chosen by index among the object's fields at run time. */
type Mutation =
  | {op: 'set'; at: number; value: unknown}
  | {op: 'delete'; at: number}
  | {op: 'name'; value: unknown}
  | {op: 'label'; key: string; value: unknown}
  | {op: 'annotation'; key: string; size: number}
  | {op: 'unknown'}
  | {op: 'boundary'; which: number}

/** BOUNDARIES are edits at the apiserver's limits (each one byte either side where it has one). */
const BOUNDARIES: ((o: any) => any)[] = [
  (o) => setPath(o, ['metadata', 'name'], 'a'.repeat(253)),
  (o) => setPath(o, ['metadata', 'name'], 'a'.repeat(254)),
  (o) => setPath(o, ['metadata', 'name'], 'a'.repeat(63)),
  (o) => setPath(o, ['metadata', 'name'], 'a'.repeat(64)),
  (o) => setPath(o, ['metadata', 'labels'], {k: 'v'.repeat(63)}),
  (o) => setPath(o, ['metadata', 'labels'], {k: 'v'.repeat(64)}),
  (o) => setPath(o, ['metadata', 'labels'], {['p'.repeat(253) + '/' + 'n'.repeat(63)]: 'v'}),
  (o) => setPath(o, ['metadata', 'labels'], {['p'.repeat(254) + '/n']: 'v'}),
  (o) => setPath(o, ['metadata', 'annotations'], {a: 'x'.repeat(262144 - 1)}),
  (o) => setPath(o, ['metadata', 'annotations'], {a: 'x'.repeat(262144)}),
  (o) => setPath(o, ['metadata', 'generateName'], 'g-'),
  (o) => setPath(o, ['metadata', 'resourceVersion'], '999999999'),
  (o) => setPath(o, ['metadata', 'namespace'], 'other'),
  (o) => setPath(o, ['kind'], 'Pod'),
  (o) => setPath(o, ['apiVersion'], 'v9'),
]

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {weight: 4, arbitrary: fc.record({op: fc.constant('set' as const), at: fc.nat(), value: oddValue()})},
  {weight: 2, arbitrary: fc.record({op: fc.constant('delete' as const), at: fc.nat()})},
  {weight: 2, arbitrary: fc.record({op: fc.constant('name' as const), value: fc.oneof(oddString(), oddValue())})},
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('label' as const),
      key: oddString(),
      value: fc.oneof(oddString(), oddValue()),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('annotation' as const),
      key: oddString(),
      size: fc.oneof(fc.nat({max: 100}), fc.integer({min: 262100, max: 262200})),
    }),
  },
  {weight: 2, arbitrary: fc.constant({op: 'unknown' as const})},
  {
    weight: 2,
    arbitrary: fc.record({op: fc.constant('boundary' as const), which: fc.nat({max: BOUNDARIES.length - 1})}),
  },
)

function applyMutation(o: any, m: Mutation): any {
  switch (m.op) {
    case 'set': {
      const paths = objectPaths(o)
      return paths.length ? setPath(o, paths[m.at % paths.length], m.value) : o
    }
    case 'delete': {
      const paths = objectPaths(o)
      return paths.length ? deletePath(o, paths[m.at % paths.length]) : o
    }
    case 'name':
      return setPath(o, ['metadata', 'name'], m.value)
    case 'label':
      return setPath(o, ['metadata', 'labels'], {...(o?.metadata?.labels ?? {}), [m.key]: m.value})
    case 'annotation':
      return setPath(o, ['metadata', 'annotations'], {[m.key]: 'y'.repeat(m.size)})
    case 'unknown':
      return o && typeof o === 'object' && !Array.isArray(o) ? {...o, [UNKNOWN]: 1} : o
    case 'boundary':
      return BOUNDARIES[m.which](o)
  }
}

const caseArb = fc.record({
  kind: fc.nat({max: KINDS.length - 1}),
  mutations: fc.array(mutation, {minLength: 1, maxLength: 4}),
  fieldValidation: fc.constantFrom(undefined, 'Strict', 'Warn', 'Ignore', 'strict', 'garbage'),
  encoding: fc.constantFrom('json', 'json', 'yaml', 'truncated', 'garbage', 'empty', 'wrongtype'),
  method: fc.constantFrom('POST', 'POST', 'PUT'),
  garbage: fc.uint8Array({maxLength: 64}),
  cut: fc.nat(),
})

describe('fuzz: manifests (create and update bodies)', function () {
  this.timeout(120_000)
  const fz = useFuzzDaemon()

  it(`${RUNS} mutated objects: 4xx Status or success, store unchanged on failure, no crash`, async () => {
    let failures = 0
    await check(
      'fuzz-manifests',
      fc.asyncProperty(caseArb, async (c) => {
        const k = KINDS[c.kind]
        let obj = structuredClone(k.base)
        let unknownAdded = false
        for (const m of c.mutations) {
          obj = applyMutation(obj, m)
          if (m.op === 'unknown') unknownAdded = true
        }
        // The unknown field counts only if it survived the later mutations at the top level of an object.
        unknownAdded = unknownAdded && obj && typeof obj === 'object' && !Array.isArray(obj) && UNKNOWN in obj
        let body: string | Buffer
        let contentType = 'application/json'
        const json = JSON.stringify(obj) ?? 'null'
        switch (c.encoding) {
          case 'yaml':
            body = toYaml(obj)
            contentType = 'application/yaml'
            break
          case 'truncated':
            body = json.slice(0, c.cut % Math.max(1, json.length))
            break
          case 'garbage':
            body = Buffer.from(c.garbage)
            break
          case 'empty':
            body = ''
            break
          case 'wrongtype':
            body = json
            contentType = c.cut % 2 ? 'text/plain' : 'application/xml'
            break
          default:
            body = json
        }
        const name = typeof obj?.metadata?.name === 'string' && obj.metadata.name ? obj.metadata.name : 'x'
        const q = c.fieldValidation === undefined ? '' : `?fieldValidation=${encodeURIComponent(c.fieldValidation)}`
        const path = c.method === 'PUT' ? `${k.collection}/${encodeURIComponent(name)}${q}` : `${k.collection}${q}`
        const req: FuzzRequest = {method: c.method, path, body, contentType}
        const what = describeRequest(req)
        const before = fz.td.daemon.store.currentRevision()
        const r = await fz.client.send(req)
        assert.ok(r.status < 500, `server error: ${what}\n→ ${r.status} ${r.text.slice(0, 600)}`)
        if (r.status >= 400) {
          failures++
          assertClientFailure(r, what)
          assert.equal(fz.td.daemon.store.currentRevision(), before, `a failed request changed the store: ${what}`)
          return
        }
        assert.ok(r.status === 200 || r.status === 201, `${what}\n→ ${r.status}`)
        assert.equal(r.json?.kind, k.base.kind, `${what}\n→ ${r.text.slice(0, 300)}`)
        if (unknownAdded && c.encoding !== 'wrongtype') {
          assert.notEqual(c.fieldValidation, 'Strict', `Strict accepted an unknown field: ${what}`)
          if (c.fieldValidation === 'Warn' || c.fieldValidation === undefined) {
            assert.match(
              String(r.headers.warning ?? ''),
              new RegExp(UNKNOWN),
              `no Warning for the unknown field: ${what}`,
            )
          }
        }
      }),
      SEED,
      RUNS,
    )
    // The generator must reach both sides of validation, or the properties prove little.
    if (RUNS >= 200) assert.ok(failures > RUNS / 10 && failures < RUNS, `failures ${failures} of ${RUNS}`)
    fz.trip.assertClean()
  })
})
