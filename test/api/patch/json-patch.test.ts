import assert from 'node:assert/strict'

import {PatchError} from '../../../src/api/patch/errors.js'
import {applyJsonPatch, decodeJsonPatch} from '../../../src/api/patch/json-patch.js'
import {deployment} from './fixtures.js'
import {hasKubectl, kubectlPatch} from './oracle.js'

const C = '/spec/template/spec/containers'

// Each case is run through kubectl patch --local --type json; result or error text must equal its.
const cases: {name: string; patch: unknown}[] = [
  {name: 'replaces replicas', patch: [{op: 'replace', path: '/spec/replicas', value: 3}]},
  {name: 'adds a label', patch: [{op: 'add', path: '/metadata/labels/new', value: 'x'}]},
  {name: 'adds with an escaped key', patch: [{op: 'add', path: '/metadata/labels/a~1b~0c', value: 'x'}]},
  {name: 'appends with -', patch: [{op: 'add', path: `${C}/-`, value: {name: 'z'}}]},
  {name: 'inserts at an index', patch: [{op: 'add', path: `${C}/1`, value: {name: 'z'}}]},
  {name: 'inserts at the end index', patch: [{op: 'add', path: `${C}/2`, value: {name: 'z'}}]},
  {name: 'inserts at a negative index', patch: [{op: 'add', path: `${C}/-2`, value: {name: 'z'}}]},
  {name: 'appends at -1', patch: [{op: 'add', path: `${C}/-1`, value: {name: 'z'}}]},
  {name: 'reads 01 as index 1', patch: [{op: 'add', path: `${C}/01`, value: {name: 'z'}}]},
  {name: 'removes a list element', patch: [{op: 'remove', path: `${C}/0`}]},
  {name: 'removes the last element with -1', patch: [{op: 'remove', path: `${C}/-1`}]},
  {name: 'replaces a missing key by adding it', patch: [{op: 'replace', path: '/spec/paused', value: true}]},
  {name: 'replaces with a missing value as null', patch: [{op: 'replace', path: '/spec/replicas'}]},
  {name: 'copies a missing key as null', patch: [{op: 'copy', from: '/spec/nope', path: '/spec/x'}]},
  {name: 'copies a container', patch: [{op: 'copy', from: `${C}/0`, path: `${C}/-`}]},
  {name: 'moves a value', patch: [{op: 'move', from: '/spec/replicas', path: '/metadata/labels/r'}]},
  {
    name: 'passes a test',
    patch: [
      {op: 'test', path: '/spec/replicas', value: 2},
      {op: 'remove', path: '/spec/replicas'},
    ],
  },
  {name: 'passes a test of a missing key against null', patch: [{op: 'test', path: '/spec/nope', value: null}]},
  {name: 'accepts an empty patch', patch: []},
  {name: 'accepts a null patch', patch: null},
  {name: 'fails add under a missing parent', patch: [{op: 'add', path: '/spec/nope/x', value: 1}]},
  {name: 'fails add at an empty path', patch: [{op: 'add', path: '', value: {}}]},
  {name: 'fails add past the end', patch: [{op: 'add', path: `${C}/5`, value: {}}]},
  {name: 'fails add at a too negative index', patch: [{op: 'add', path: `${C}/-4`, value: 1}]},
  {name: 'fails add at a non-numeric index', patch: [{op: 'add', path: `${C}/x`, value: 1}]},
  {name: 'fails remove of a missing key', patch: [{op: 'remove', path: '/spec/paused'}]},
  {name: 'fails remove past the end', patch: [{op: 'remove', path: `${C}/7`}]},
  {name: 'fails remove at a non-numeric index', patch: [{op: 'remove', path: `${C}/x`}]},
  {name: 'fails remove under a scalar', patch: [{op: 'remove', path: '/metadata/name/x/y'}]},
  {name: 'fails replace under a missing parent', patch: [{op: 'replace', path: '/spec/nope/x', value: 1}]},
  {name: 'fails replace past the end', patch: [{op: 'replace', path: `${C}/7`, value: 1}]},
  {name: 'fails a test', patch: [{op: 'test', path: '/spec/replicas', value: 3}]},
  {name: 'fails a test of a missing key', patch: [{op: 'test', path: '/spec/nope', value: 3}]},
  {name: 'fails a test under a missing parent', patch: [{op: 'test', path: '/spec/replicas/x', value: 1}]},
  {name: 'fails a test past the end', patch: [{op: 'test', path: `${C}/5`, value: 1}]},
  {name: 'fails move from a missing key', patch: [{op: 'move', from: '/spec/nope', path: '/spec/x'}]},
  {name: 'fails move from past the end', patch: [{op: 'move', from: `${C}/9`, path: '/spec/x'}]},
  {name: 'fails move into itself', patch: [{op: 'move', from: '/spec/replicas', path: '/spec/replicas/x'}]},
  {name: 'fails copy to a missing parent', patch: [{op: 'copy', from: '/spec/replicas', path: '/spec/nope/x'}]},
  {name: 'fails copy past the end', patch: [{op: 'copy', from: '/spec/replicas', path: `${C}/5`}]},
  {name: 'fails copy from past the end', patch: [{op: 'copy', from: `${C}/9`, path: '/spec/x'}]},
  {name: 'fails copy without from', patch: [{op: 'copy', path: '/spec/x'}]},
  {name: 'fails add without path', patch: [{op: 'add', value: 1}]},
  {name: 'fails an unknown op', patch: [{op: 'bogus', path: '/spec/x'}]},
  {name: 'fails a missing op', patch: [{path: '/spec/x'}]},
  {name: 'fails an object body', patch: {op: 'add'}},
  {name: 'fails a number operation', patch: [1]},
  {
    name: 'stops at the first failing operation',
    patch: [
      {op: 'remove', path: C},
      {op: 'test', path: '/spec/replicas', value: '1'},
    ],
  },
]

function run(patch: unknown): {ok: true; object: unknown} | {ok: false; error: string} {
  try {
    return {ok: true, object: applyJsonPatch(deployment(), decodeJsonPatch(patch))}
  } catch (error) {
    if (!(error instanceof PatchError)) throw error
    return {ok: false, error: error.message}
  }
}

describe('JSON patch', () => {
  describe('against kubectl patch --local --type json', function () {
    before(function () {
      if (!hasKubectl()) this.skip()
    })
    for (const c of cases) {
      it(c.name, () => {
        assert.deepEqual(run(c.patch), kubectlPatch(deployment(), 'json', c.patch))
      })
    }
  })

  it('does not modify its input', () => {
    const d = deployment()
    applyJsonPatch(d, [{op: 'remove', path: `${C}/0`}])
    assert.deepEqual(d, deployment())
  })

  it('answers failures with 422', () => {
    assert.throws(
      () => applyJsonPatch({}, [{op: 'remove', path: '/a'}]),
      (e: unknown) => e instanceof PatchError && e.code === 422,
    )
  })
})
