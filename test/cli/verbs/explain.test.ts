// explain.test.ts compares `mkctl explain` with kubectl 1.32's on twin daemons: the plaintext template's output
// (descriptions, types, enums, required marks, --recursive), --api-version, -o, and every error.
import assert from 'node:assert/strict'
import {indent, wordWrap} from '../../../src/cli/explain/render.js'
import {startTwins, type Twins} from '../../helpers/differential.js'

describe('mkctl explain (differential)', function () {
  this.timeout(120000)
  let t: Twins
  before(async function () {
    t = await startTwins(this)
  })
  after(async () => t?.stop())

  const cases = [
    ['pods'],
    ['pods', '--recursive'],
    ['po.spec.containers'],
    ['pods.spec.containers.ports', '--recursive'],
    ['pods.metadata.labels'],
    ['deployments.apps.spec.replicas'],
    ['deploy.spec', '--recursive'],
    ['deploy.spec.strategy'],
    ['svc.spec.type'],
    ['nodes.status'],
    ['crd.spec.versions.schema.openAPIV3Schema'],
    ['cronjobs.batch.spec'],
    ['hpa', '--api-version=autoscaling/v1'],
    ['Deployment.'],
  ]
  for (const args of cases) {
    it(`explain ${args.join(' ')}`, async () => {
      await t.same(['explain', ...args])
    })
  }

  const errors = [
    [],
    ['pods', 'svc'],
    ['podz'],
    ['pods.spec.foo'],
    ['pods.spec.containers.foo'],
    ['pods[0]'],
    ['deploy', '--api-version=apps/v2'],
    ['deploy', '--api-version=v1'],
    ['deploy', '--api-version=a/b/c'],
    ['pods', '-o', 'foo'],
    ['pods', '-o', 'plaintext-openapiv2'],
    ['pods', '--bogus'],
  ]
  for (const args of errors) {
    it(`explain ${args.join(' ')} fails as kubectl does`, async () => {
      const r = await t.same(['explain', ...args])
      assert.equal(r.code, 1)
    })
  }
})

describe('explain word wrapping (go-wordwrap)', () => {
  it('wraps at the limit, keeps newlines and long words', () => {
    assert.equal(wordWrap('aaa bbb ccc', 7), 'aaa bbb\nccc')
    assert.equal(wordWrap('a\nb c', 3), 'a\nb c')
    assert.equal(wordWrap('https://example.com/very/long x', 10), 'https://example.com/very/long\nx')
    assert.equal(indent(2, 'a\nb'), '  a\n  b')
  })
})
