// fuzz-protobuf.test.ts — property-based fuzzing of protobuf request bodies (issue 7 §1). The seeds are the real
// kubectl 1.32 bodies of test/testdata/protobuf; cases flip, insert, delete and truncate their bytes, or build a
// runtime.Unknown envelope around random bytes. The decoder alone (decodeProtobufBody) must return an object or throw
// a 400 Status; the same bodies POSTed to an in-process daemon with Content-Type application/vnd.kubernetes.protobuf
// must give a 4xx Status (store unchanged) or a success, never a 5xx or an unhandled rejection.
import assert from 'node:assert/strict'
import {readFileSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import fc from 'fast-check'
import {StatusError} from '../../src/api/errors.js'
import {PROTOBUF_MAGIC, decodeProtobufBody} from '../../src/daemon/apiserver/protobuf/decode.js'
import {assertClientFailure, check, runs, seedFor, useFuzzDaemon} from '../helpers/fuzz.js'

const SEED = seedFor(7004)
const DECODE_RUNS = runs(3000)
const HTTP_RUNS = runs(400)
const DATA = join(import.meta.dirname, '..', 'testdata', 'protobuf')
const SEEDS = readdirSync(DATA)
  .filter((f) => f.endsWith('.bin'))
  .sort()
  .map((f) => readFileSync(join(DATA, f)))

/** Where each seed's kind is created (namespaced kinds in default). */
const COLLECTIONS = [
  '/api/v1/namespaces/default/configmaps',
  '/api/v1/namespaces/default/secrets',
  '/api/v1/namespaces/default/services',
  '/apis/apps/v1/namespaces/default/deployments',
  '/apis/batch/v1/namespaces/default/jobs',
  '/api/v1/namespaces',
]

function varint(n: number): number[] {
  const out: number[] = []
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80)
    n >>>= 7
  }
  out.push(n)
  return out
}
const field = (num: number, bytes: Uint8Array) => [...varint((num << 3) | 2), ...varint(bytes.length), ...bytes]

/** envelope wraps raw bytes as a runtime.Unknown with the given TypeMeta, as kubectl frames its bodies. */
function envelope(apiVersion: string, kind: string, raw: Uint8Array): Buffer {
  const typeMeta = [...field(1, Buffer.from(apiVersion)), ...field(2, Buffer.from(kind))]
  return Buffer.from([...PROTOBUF_MAGIC, ...field(1, Uint8Array.from(typeMeta)), ...field(2, raw)])
}

type Edit = {op: 'flip' | 'insert' | 'delete' | 'truncate'; at: number; byte: number}

const body: fc.Arbitrary<Buffer> = fc.oneof(
  fc
    .record({
      seed: fc.nat({max: SEEDS.length - 1}),
      edits: fc.array(
        fc.record({
          op: fc.constantFrom('flip', 'insert', 'delete', 'truncate'),
          at: fc.nat(),
          byte: fc.nat({max: 255}),
        }),
        {minLength: 1, maxLength: 6},
      ),
    })
    .map(({seed, edits}) => {
      let b = [...SEEDS[seed]]
      for (const e of edits as Edit[]) {
        const at = b.length ? e.at % b.length : 0
        if (e.op === 'flip') b[at] = e.byte
        else if (e.op === 'insert') b.splice(at, 0, e.byte)
        else if (e.op === 'delete') b.splice(at, 1)
        else b = b.slice(0, Math.max(PROTOBUF_MAGIC.length, at))
      }
      return Buffer.from(b)
    }),
  fc
    .record({
      tm: fc.constantFrom(
        ['v1', 'ConfigMap'],
        ['v1', 'Secret'],
        ['apps/v1', 'Deployment'],
        ['v1', 'Pod'],
        ['v9', 'Nope'],
        ['', ''],
      ),
      raw: fc.uint8Array({maxLength: 200}),
    })
    .map(({tm, raw}) => envelope(tm[0], tm[1], raw)),
  fc.uint8Array({maxLength: 100}).map((b) => Buffer.from([...PROTOBUF_MAGIC, ...b])),
  fc.uint8Array({maxLength: 40}).map((b) => Buffer.from(b)),
)

describe('fuzz: protobuf bodies', function () {
  this.timeout(120_000)
  const fz = useFuzzDaemon()

  it(`${DECODE_RUNS} mutated bodies: the decoder returns an object or throws a 400 Status`, async () => {
    await check(
      'fuzz-protobuf-decode',
      fc.property(body, (b) => {
        try {
          const d = decodeProtobufBody(b)
          assert.equal(typeof d.object, 'object')
          assert.equal(d.object.kind, d.kind)
        } catch (e) {
          assert.ok(e instanceof StatusError, `not a Status: ${(e as Error)?.stack} for ${b.toString('hex')}`)
          assert.equal(e.code, 400, `${e.message} for ${b.toString('hex')}`)
        }
      }),
      SEED,
      DECODE_RUNS,
    )
    fz.trip.assertClean()
  })

  it(`${HTTP_RUNS} mutated bodies over HTTP: 4xx Status or success, store unchanged on failure`, async () => {
    await check(
      'fuzz-protobuf-http',
      fc.asyncProperty(body, fc.nat({max: COLLECTIONS.length - 1}), async (b, c) => {
        const what = `POST ${COLLECTIONS[c]} protobuf ${b.toString('hex').slice(0, 400)}`
        const rev = fz.td.daemon.store.currentRevision()
        const r = await fz.client.send({
          method: 'POST',
          path: COLLECTIONS[c],
          body: b,
          contentType: 'application/vnd.kubernetes.protobuf',
        })
        assert.ok(r.status < 500, `server error: ${what}\n→ ${r.status} ${r.text.slice(0, 600)}`)
        if (r.status >= 400) {
          assertClientFailure(r, what)
          assert.equal(fz.td.daemon.store.currentRevision(), rev, `a failed request changed the store: ${what}`)
        }
      }),
      SEED,
      HTTP_RUNS,
    )
    fz.trip.assertClean()
  })
})
