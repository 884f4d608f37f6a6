// decode.test.ts pins decodeProtobufBody against real kubectl 1.32 bodies (testdata/protobuf, from capture.ts) and
// hand-built bodies for the wire details and zero-value rules.
import assert from 'node:assert/strict'
import {readdirSync, readFileSync} from 'node:fs'
import {join, resolve} from 'node:path'

import protobuf from 'protobufjs/minimal.js'

import {StatusError} from '../../../../src/api/errors.js'
import {
  decodeMessage,
  decodeProtobufBody,
  goDuration,
  isProtobufMediaType,
  PROTOBUF_MAGIC,
} from '../../../../src/daemon/apiserver/protobuf/decode.js'
import {compileSchema, schema} from '../../../../src/daemon/apiserver/protobuf/schema.js'

const {Writer} = protobuf
type Writer = protobuf.Writer

const FIXTURES = resolve(import.meta.dirname, '../../../testdata/protobuf')

// normalise removes what differs between kubectl's `--dry-run=client -o json` (Go's encoding/json of the object)
// and our decoding of the same object's protobuf, by design and on both sides alike: `null` (unset Times such as
// `creationTimestamp: null`, nil slices) and empty objects (non-pointer structs Go always prints, e.g. `status: {}`,
// `strategy: {}`, `resources: {}`, which the decoder drops as a JSON body would leave them out). Key order is
// ignored by deepEqual. Zero scalars ("", 0, false) are NOT removed: which of them survive is what is being tested.
function normalise(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalise)
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) {
      const n = normalise(x)
      if (n === null || (n && typeof n === 'object' && !Array.isArray(n) && Object.keys(n).length === 0)) continue
      out[k] = n
    }
    return out
  }
  return v
}

// ---- hand-made bodies ----

function message(build: (w: Writer) => void): Uint8Array {
  const w = Writer.create()
  build(w)
  return w.finish()
}

function body(apiVersion: string, kind: string, raw: Uint8Array): Buffer {
  const unknown = message((w) => {
    w.uint32(0x0a).fork().uint32(0x0a).string(apiVersion).uint32(0x12).string(kind).ldelim()
    w.uint32(0x12).bytes(raw)
    w.uint32(0x1a).string('').uint32(0x22).string('')
  })
  return Buffer.concat([PROTOBUF_MAGIC, unknown])
}

// field writes a length-delimited field (a string, bytes or a nested message).
function field(w: Writer, num: number, value: string | Uint8Array): Writer {
  w.uint32((num << 3) | 2)
  return typeof value === 'string' ? w.string(value) : w.bytes(value)
}

function varint(w: Writer, num: number, value: number): Writer {
  return w.uint32(num << 3).int64(value)
}

function meta(name: string, extra?: (w: Writer) => void): Uint8Array {
  return message((w) => {
    field(w, 1, name)
    field(w, 2, '') // generateName: gogo sends empty strings too
    varint(w, 7, 0) // generation 0
    field(w, 8, new Uint8Array()) // creationTimestamp: empty Time
    extra?.(w)
  })
}

function mapEntry(key: string, value: string | Uint8Array): Uint8Array {
  return message((w) => field(field(w, 1, key), 2, value))
}

function intOrString(v: number | string): Uint8Array {
  return message((w) =>
    typeof v === 'number'
      ? w.uint32(0x08).int64(0).uint32(0x10).int32(v).uint32(0x1a).string('')
      : w.uint32(0x08).int64(1).uint32(0x10).int32(0).uint32(0x1a).string(v),
  )
}

function decode(apiVersion: string, kind: string, raw: Uint8Array): Record<string, unknown> {
  return decodeProtobufBody(body(apiVersion, kind, raw)).object
}

function status400(pattern: RegExp): (e: unknown) => boolean {
  return (e) => e instanceof StatusError && e.status.code === 400 && pattern.test(e.status.message ?? '')
}

describe('protobuf decodeProtobufBody', () => {
  describe('real kubectl 1.32 bodies (test/testdata/protobuf, recorded by capture.ts)', () => {
    const names = readdirSync(FIXTURES)
      .filter((f) => f.endsWith('.bin'))
      .map((f) => f.slice(0, -4))
      .sort()
    it('has the recorded fixtures', () => {
      assert.ok(names.length >= 30, `only ${names.length} fixtures`)
    })
    for (const name of names) {
      it(`decodes ${name} like kubectl's JSON of the same object`, () => {
        const got = decodeProtobufBody(readFileSync(join(FIXTURES, `${name}.bin`)))
        const want = JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as Record<string, unknown>
        assert.equal(got.apiVersion, want.apiVersion)
        assert.equal(got.kind, want.kind)
        assert.deepEqual(normalise(got.object), normalise(want))
      })
    }

    it('keeps zeros of pointer fields and drops gogo zeros of omitempty ones', () => {
      const dep = decodeProtobufBody(readFileSync(join(FIXTURES, 'deployment-zero.bin'))).object
      const spec = dep.spec as Record<string, unknown>
      assert.equal(spec.replicas, 0)
      assert.equal('paused' in spec, false)
      assert.equal('minReadySeconds' in spec, false)
      assert.equal('status' in dep, false)
      assert.equal('strategy' in spec, false)
      assert.equal('generateName' in (dep.metadata as object), false)
      assert.equal('creationTimestamp' in (dep.metadata as object), false)
      const pdb = decodeProtobufBody(readFileSync(join(FIXTURES, 'pdb-min-zero.bin'))).object
      assert.equal((pdb.spec as Record<string, unknown>).minAvailable, 0)
      const pc = decodeProtobufBody(readFileSync(join(FIXTURES, 'priorityclass-zero.bin'))).object
      assert.equal(pc.value, 0)
      assert.equal(pc.globalDefault, true)
    })

    it('returns keys in Go struct order', () => {
      const dep = decodeProtobufBody(readFileSync(join(FIXTURES, 'deployment.bin'))).object
      assert.deepEqual(Object.keys(dep), ['kind', 'apiVersion', 'metadata', 'spec'])
      assert.deepEqual(Object.keys(dep.spec as object), ['replicas', 'selector', 'template'])
    })
  })

  describe('errors (400 Status)', () => {
    it('rejects a body without the magic', () => {
      assert.throws(
        () => decodeProtobufBody(Buffer.from('{"kind":"Pod"}')),
        status400(/expected prefix \[107 56 115 0\]/),
      )
    })
    it('rejects an empty body', () => {
      assert.throws(() => decodeProtobufBody(Buffer.alloc(0)), status400(/^empty data$/))
    })
    it('rejects a truncated body', () => {
      const whole = body(
        'v1',
        'Namespace',
        message((w) => field(w, 1, meta('dev'))),
      )
      assert.throws(
        () => decodeProtobufBody(whole.subarray(0, whole.length - 3)),
        status400(/unable to decode protobuf body/),
      )
    })
    it('rejects a kind the table does not know', () => {
      assert.throws(
        () => decode('v1', 'Frobnicator', new Uint8Array()),
        status400(/no kind "Frobnicator" is registered for version "v1"/),
      )
      assert.throws(() => decode('apps/v1beta1', 'Deployment', new Uint8Array()), status400(/version "apps\/v1beta1"/))
    })
    it('rejects an envelope without a kind', () => {
      const raw = Buffer.concat([PROTOBUF_MAGIC, message((w) => field(w, 2, new Uint8Array()))])
      assert.throws(() => decodeProtobufBody(raw), status400(/Kind/))
    })
  })

  describe('wire details', () => {
    it('skips unknown field numbers of every wire type, at any depth', () => {
      const raw = message((w) => {
        field(
          w,
          1,
          meta('dev', (m) => {
            varint(m, 99, 7)
            field(m, 98, 'future')
          }),
        )
        w.uint32((97 << 3) | 1).fixed64(1) // 64-bit
        w.uint32((96 << 3) | 5).fixed32(1) // 32-bit
        field(
          w,
          95,
          message((x) => field(x, 1, 'nested')),
        )
        field(
          w,
          2,
          message((s) => field(s, 1, 'kubernetes')),
        ) // spec.finalizers
      })
      assert.deepEqual(decode('v1', 'Namespace', raw), {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {name: 'dev'},
        spec: {finalizers: ['kubernetes']},
      })
    })

    it('skips a known field sent with the wrong wire type', () => {
      const raw = message((w) => {
        field(w, 1, meta('x'))
        varint(w, 2, 5) // spec should be length-delimited
      })
      assert.deepEqual(decode('v1', 'Namespace', raw), {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'x'}})
    })

    it('reads negative int32 and int64 values', () => {
      const podSpec = message((w) => {
        varint(w, 4, -5) // terminationGracePeriodSeconds *int64
        varint(w, 25, -1) // priority *int32, a 10-byte varint on the wire
      })
      const raw = message((w) => {
        field(w, 1, meta('neg'))
        field(
          w,
          2,
          message((s) => {
            field(
              s,
              3,
              message((t) => field(t, 2, podSpec)),
            )
            varint(s, 5, -3) // minReadySeconds int32
          }),
        )
      })
      const spec = decode('apps/v1', 'Deployment', raw).spec as Record<string, Record<string, Record<string, unknown>>>
      assert.equal(spec.minReadySeconds, -3)
      assert.deepEqual(spec.template.spec, {terminationGracePeriodSeconds: -5, priority: -1})
    })

    it('reads repeated ints packed and unpacked', () => {
      const packed = message((w) =>
        w
          .uint32((4 << 3) | 2)
          .fork()
          .int64(1000)
          .int64(2000)
          .int64(-1)
          .ldelim(),
      )
      const unpacked = message((w) => {
        varint(w, 4, 1000)
        varint(w, 4, 2000)
        varint(w, 4, -1)
      })
      for (const sc of [packed, unpacked]) {
        const raw = message((w) => {
          field(w, 1, meta('p'))
          field(
            w,
            2,
            message((s) => field(s, 14, sc)),
          )
        })
        const spec = decode('v1', 'Pod', raw).spec as Record<string, unknown>
        assert.deepEqual(spec.securityContext, {supplementalGroups: [1000, 2000, -1]})
      }
    })

    it('turns map fields into objects: sorted keys, empty values kept, bytes in base64, quantities as strings', () => {
      const raw = message((w) => {
        field(
          w,
          1,
          meta('s', (m) => {
            field(m, 11, mapEntry('zeta', 'last'))
            field(m, 11, mapEntry('app', ''))
          }),
        )
        field(w, 2, mapEntry('bin', new Uint8Array([0, 255, 1])))
        field(w, 2, mapEntry('empty', new Uint8Array()))
        field(w, 4, mapEntry('plain', 'text'))
        field(w, 3, 'Opaque')
      })
      const secret = decode('v1', 'Secret', raw)
      assert.deepEqual(secret, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {name: 's', labels: {app: '', zeta: 'last'}},
        data: {bin: 'AP8B', empty: ''},
        stringData: {plain: 'text'},
        type: 'Opaque',
      })
      assert.deepEqual(Object.keys((secret.metadata as {labels: object}).labels), ['app', 'zeta'])
      const quota = message((w) => {
        field(w, 1, meta('q'))
        field(
          w,
          2,
          message((s) => {
            field(
              s,
              1,
              mapEntry(
                'cpu',
                message((q) => field(q, 1, '500m')),
              ),
            )
            field(s, 1, mapEntry('pods', new Uint8Array())) // a value-less entry is the zero Quantity
          }),
        )
      })
      assert.deepEqual(decode('v1', 'ResourceQuota', quota).spec, {hard: {cpu: '500m', pods: '0'}})
    })

    it('maps IntOrString: Service targetPort number or name, an unset one dropped', () => {
      const port = (p: number, target?: number | string) =>
        message((w) => {
          field(w, 1, '')
          field(w, 2, 'TCP')
          varint(w, 3, p)
          if (target !== undefined) field(w, 4, intOrString(target))
          varint(w, 5, 0) // nodePort 0
        })
      const raw = message((w) => {
        field(w, 1, meta('web'))
        field(
          w,
          2,
          message((s) => {
            field(s, 1, port(80, 8080))
            field(s, 1, port(443, 'https'))
            field(s, 1, port(53, 0))
          }),
        )
      })
      assert.deepEqual((decode('v1', 'Service', raw).spec as Record<string, unknown>).ports, [
        {protocol: 'TCP', port: 80, targetPort: 8080},
        {protocol: 'TCP', port: 443, targetPort: 'https'},
        {protocol: 'TCP', port: 53},
      ])
    })

    it('maps a Deployment rollingUpdate maxSurge "25%" and keeps a pointer maxUnavailable of 0', () => {
      const raw = message((w) => {
        field(w, 1, meta('web'))
        field(
          w,
          2,
          message((s) => {
            field(
              s,
              4,
              message((st) => {
                field(st, 1, 'RollingUpdate')
                field(
                  st,
                  2,
                  message((ru) => {
                    field(ru, 1, intOrString(0))
                    field(ru, 2, intOrString('25%'))
                  }),
                )
              }),
            )
          }),
        )
      })
      assert.deepEqual((decode('apps/v1', 'Deployment', raw).spec as Record<string, unknown>).strategy, {
        type: 'RollingUpdate',
        rollingUpdate: {maxUnavailable: 0, maxSurge: '25%'},
      })
    })

    it('keeps empty pointer messages (emptyDir: {}) and merges inline ones (volume sources)', () => {
      const raw = message((w) => {
        field(w, 1, meta('p'))
        field(
          w,
          2,
          message((s) => {
            field(
              s,
              1,
              message((v) => {
                field(v, 1, 'scratch')
                field(
                  v,
                  2,
                  message((src) => field(src, 2, new Uint8Array())),
                ) // emptyDir
              }),
            )
            field(
              s,
              1,
              message((v) => {
                field(v, 1, 'cfg')
                field(
                  v,
                  2,
                  message((src) =>
                    field(
                      src,
                      19,
                      message((cm) =>
                        field(
                          cm,
                          1,
                          message((ref) => field(ref, 1, 'app-config')),
                        ),
                      ),
                    ),
                  ),
                )
              }),
            )
            field(
              s,
              2,
              message((c) => {
                field(c, 1, 'app')
                field(c, 8, new Uint8Array()) // resources: a non-pointer struct, dropped when empty
              }),
            )
          }),
        )
      })
      assert.deepEqual(decode('v1', 'Pod', raw).spec, {
        volumes: [
          {name: 'scratch', emptyDir: {}},
          {name: 'cfg', configMap: {name: 'app-config'}},
        ],
        containers: [{name: 'app'}],
      })
    })

    it('applies the zero-value rules: pointer false kept, plain false dropped, non-omitempty zero kept', () => {
      const podSpec = message((w) => {
        field(
          w,
          2,
          message((c) => {
            field(c, 1, 'app')
            field(
              c,
              15,
              message((sc) => {
                sc.uint32(2 << 3).bool(false) // privileged *bool
                sc.uint32(5 << 3).bool(true) // runAsNonRoot *bool
                sc.uint32(6 << 3).bool(false) // readOnlyRootFilesystem *bool
              }),
            )
            c.uint32(16 << 3).bool(false) // stdin bool
            c.uint32(18 << 3).bool(false) // tty bool
          }),
        )
        w.uint32(11 << 3).bool(false) // hostNetwork bool
        w.uint32(21 << 3).bool(false) // automountServiceAccountToken *bool
        varint(w, 5, 0) // activeDeadlineSeconds *int64
      })
      const raw = message((w) => {
        field(w, 1, meta('p'))
        field(w, 2, podSpec)
      })
      assert.deepEqual(decode('v1', 'Pod', raw).spec, {
        containers: [
          {name: 'app', securityContext: {privileged: false, runAsNonRoot: true, readOnlyRootFilesystem: false}},
        ],
        activeDeadlineSeconds: 0,
        automountServiceAccountToken: false,
      })
      const ss = message((w) =>
        field(
          w,
          2,
          message((s) =>
            field(
              s,
              1,
              message((ra) => field(field(ra, 2, 'get'), 3, 'apps')),
            ),
          ),
        ),
      )
      assert.deepEqual(decode('authorization.k8s.io/v1', 'SelfSubjectAccessReview', ss), {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: {resourceAttributes: {verb: 'get', group: 'apps'}},
      })
      const status = message((w) =>
        field(
          w,
          3,
          message((st) => st.uint32(1 << 3).bool(false)),
        ),
      )
      assert.deepEqual(decode('authorization.k8s.io/v1', 'SelfSubjectAccessReview', status).status, {allowed: false})
    })

    it('keeps an empty item of a repeated message', () => {
      const raw = message((w) => {
        field(w, 1, meta('r'))
        field(w, 2, new Uint8Array())
      })
      assert.deepEqual(decode('rbac.authorization.k8s.io/v1', 'Role', raw).rules, [{}])
    })

    it('prints Time as RFC 3339 seconds and drops an unset one', () => {
      const raw = message((w) => {
        field(
          w,
          1,
          meta('t', (m) =>
            field(
              m,
              9,
              message((t) => varint(t, 1, 1_700_000_000).uint32(0x10).int32(999_999_999)),
            ),
          ),
        )
      })
      assert.deepEqual(decode('v1', 'Namespace', raw).metadata, {name: 't', deletionTimestamp: '2023-11-14T22:13:20Z'})
    })

    it('maps MicroTime, Duration, RawExtension and ExtraValue-style string lists', () => {
      const table = compileSchema({
        t: {M: '1 at mtime; 2 every dur; 3 obj raw; 4 extra {}strs; 5 gone time; 6 never* dur'},
      })
      const bytes = message((w) => {
        field(
          w,
          1,
          message((t) => varint(t, 1, 1_700_000_000).uint32(0x10).int32(123_456_789)),
        )
        field(
          w,
          2,
          message((d) => varint(d, 1, 5_400_000_000_000)),
        )
        field(
          w,
          3,
          message((r) => field(r, 1, '{"kind":"Pod","spec":{"x":1}}')),
        )
        field(
          w,
          4,
          mapEntry(
            'scopes',
            message((l) => field(field(l, 1, 'a'), 1, 'b')),
          ),
        )
        field(w, 5, new Uint8Array())
        field(w, 6, new Uint8Array())
      })
      assert.deepEqual(decodeMessage(table.get('t.M')!, bytes), {
        at: '2023-11-14T22:13:20.123456Z',
        every: '1h30m0s',
        obj: {kind: 'Pod', spec: {x: 1}},
        extra: {scopes: ['a', 'b']},
        never: '0s',
      })
    })
  })

  describe('goDuration', () => {
    const cases: [bigint, string][] = [
      [0n, '0s'],
      [1n, '1ns'],
      [1_500n, '1.5µs'],
      [300_000_000n, '300ms'],
      [1_500_000_000n, '1.5s'],
      [60_000_000_000n, '1m0s'],
      [3_600_000_000_000n, '1h0m0s'],
      [-90_000_000_000n, '-1m30s'],
    ]
    for (const [ns, want] of cases) it(`formats ${ns}ns as ${want}`, () => assert.equal(goDuration(ns), want))
  })

  describe('schema', () => {
    it('compiles the built-in table with every reference resolved', () => {
      const s = schema()
      assert.ok(s.size > 250)
      for (const m of s.values())
        for (const f of m.fields) if (f.kind === 'message') assert.ok(f.message, `${m.name}.${f.name}`)
    })
    it('rejects a bad table', () => {
      assert.throws(() => compileSchema({p: {A: '1 x Missing'}}), /unknown message p.Missing/)
      assert.throws(() => compileSchema({p: {A: '1 x; 1 y'}}), /field 1 repeats/)
      assert.throws(() => compileSchema({p: {A: 'x 1'}}), /bad field/)
    })
  })

  it('recognises the protobuf media type', () => {
    assert.equal(isProtobufMediaType('application/vnd.kubernetes.protobuf'), true)
    assert.equal(isProtobufMediaType('application/vnd.kubernetes.protobuf; charset=binary'), true)
    assert.equal(isProtobufMediaType('application/json'), false)
    assert.equal(isProtobufMediaType(undefined), false)
  })
})
