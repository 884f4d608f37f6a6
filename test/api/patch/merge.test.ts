import assert from 'node:assert/strict'

import fc from 'fast-check'

import {PatchError} from '../../../src/api/patch/errors.js'
import {applyMergePatch, createMergePatch, createThreeWayMergePatch} from '../../../src/api/patch/merge.js'
import {deployment, service} from './fixtures.js'
import {hasKubectl, kubectlPatch} from './oracle.js'

type Obj = Record<string, unknown>

const cases: {name: string; obj: () => Obj; patch: unknown}[] = [
  {name: 'merges labels', obj: service, patch: {metadata: {labels: {x: 'y'}}}},
  {name: 'deletes with null', obj: service, patch: {metadata: {labels: {app: null}}}},
  {name: 'replaces a list whole', obj: service, patch: {spec: {ports: [{port: 1}]}}},
  {name: 'prunes nulls inside objects of a new list', obj: service, patch: {spec: {extra: [{a: null, b: 1}, null]}}},
  {
    name: 'prunes nulls inside a new map',
    obj: service,
    patch: {spec: {selector: null, extra: {a: null, b: {c: null}}}},
  },
  {name: 'replaces a scalar by a map', obj: service, patch: {spec: {externalIPs: {a: 1, b: null}}}},
  {name: 'replaces a map by a list', obj: service, patch: {spec: {selector: [1, null]}}},
  {
    name: 'replaces containers of a deployment',
    obj: deployment,
    patch: {spec: {template: {spec: {containers: [{name: 'x'}]}}}},
  },
  {name: 'accepts an empty patch', obj: service, patch: {}},
  {name: 'rejects a list as patch', obj: service, patch: [1]},
  {name: 'rejects a string as patch', obj: service, patch: 'x'},
  {name: 'rejects a null patch', obj: service, patch: null},
]

function run(obj: Obj, patch: unknown): {ok: true; object: unknown} | {ok: false; error: string} {
  try {
    return {ok: true, object: applyMergePatch(obj, patch)}
  } catch (error) {
    if (!(error instanceof PatchError)) throw error
    return {ok: false, error: error.message}
  }
}

function plain<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T
}

describe('JSON merge patch', () => {
  describe('against kubectl patch --local --type merge', function () {
    before(function () {
      if (!hasKubectl()) this.skip()
    })
    for (const c of cases) {
      it(c.name, () => {
        assert.deepEqual(run(c.obj(), c.patch), kubectlPatch(c.obj(), 'merge', c.patch))
      })
    }
  })

  it('does not modify its inputs', () => {
    const obj = service()
    const patch = {spec: {selector: {app: null}}}
    applyMergePatch(obj, patch)
    assert.deepEqual(obj, service())
    assert.deepEqual(patch, {spec: {selector: {app: null}}})
  })

  it('creates a patch that turns original into modified (property)', () => {
    const leaf = fc.oneof(
      fc.integer({min: 0, max: 3}),
      fc.constantFrom('a', 'b'),
      fc.array(fc.integer(), {maxLength: 2}),
    )
    const tree = fc.letrec((tie) => ({
      node: fc.dictionary(fc.constantFrom('k', 'l', 'm'), fc.oneof({depthSize: 'small'}, leaf, tie('node')), {
        maxKeys: 3,
      }),
    })).node as fc.Arbitrary<Obj>
    fc.assert(
      fc.property(tree, tree, (o0, m0) => {
        const [o, m] = plain([o0, m0])
        assert.deepEqual(applyMergePatch(o, createMergePatch(o, m)), m)
      }),
      {numRuns: 300, seed: 3},
    )
  })

  describe('createThreeWayMergePatch', () => {
    it('sends changes from live and deletions from last-applied', () => {
      const last = {spec: {a: 1, b: 2, list: [1, 2]}}
      const modified = {spec: {a: 1, list: [1], c: 3}}
      const current = {spec: {a: 5, b: 2, list: [1, 2], server: true}, status: {x: 1}}
      const patch = createThreeWayMergePatch(last, modified, current)
      assert.deepEqual(patch, {spec: {a: 1, b: null, list: [1], c: 3}})
      assert.deepEqual(applyMergePatch(current, patch), {
        spec: {a: 1, list: [1], c: 3, server: true},
        status: {x: 1},
      })
    })

    it('is empty when the manifest did not change', () => {
      const m = {spec: {a: 1}}
      assert.deepEqual(createThreeWayMergePatch(m, m, {spec: {a: 1, b: 2}}), {})
    })
  })
})
