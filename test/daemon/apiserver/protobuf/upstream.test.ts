// upstream.test.ts checks the field table against the round-trip fixtures of k8s.io/api (testdata/HEAD/*.pb and
// *.json: every field set to a non-zero value, so every field number, type and special type is exercised). Those
// files are not copied into mkctl; point K8S_API_TESTDATA at a checkout's folder to run it, e.g.
//   K8S_API_TESTDATA=/tmp/k8s/api/testdata/HEAD npx mocha test/daemon/apiserver/protobuf/upstream.test.ts
import assert from 'node:assert/strict'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {decodeProtobufBody} from '../../../../src/daemon/apiserver/protobuf/decode.js'
import {KINDS, PACKAGES} from '../../../../src/daemon/apiserver/protobuf/table.js'

const dir = process.env.K8S_API_TESTDATA ?? ''

// fixtureName is the file stem upstream uses: "<group or core>.<version>.<Kind>".
function fixtureName(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['core', apiVersion]
  return `${group}.${version}.${kind}`
}

// upstreamShape drops what our decoder leaves out by design: null (unset Times, nil slices). The fixtures set every
// field to a non-zero value, so nothing else differs.
function upstreamShape(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(upstreamShape)
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = upstreamShape(x)
    return out
  }
  return v
}

describe('protobuf decode against k8s.io/api round-trip fixtures', () => {
  const cases = Object.entries(PACKAGES).flatMap(([apiVersion, pkg]) =>
    KINDS[pkg].map((kind) => ({apiVersion, kind, stem: fixtureName(apiVersion, kind)})),
  )
  for (const c of cases) {
    it(`decodes ${c.stem}`, function () {
      if (!dir || !existsSync(join(dir, `${c.stem}.pb`))) this.skip()
      const got = decodeProtobufBody(readFileSync(join(dir, `${c.stem}.pb`)))
      const want = JSON.parse(readFileSync(join(dir, `${c.stem}.json`), 'utf8')) as unknown
      assert.deepEqual(upstreamShape(got.object), upstreamShape(want))
    })
  }
})
