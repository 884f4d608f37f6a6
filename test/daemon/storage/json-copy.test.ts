import assert from 'node:assert/strict'
import {isDeepStrictEqual} from 'node:util'
import fc from 'fast-check'
import {jsonCopy, jsonEqual} from '../../../src/daemon/storage/json-copy.js'

describe('jsonCopy', () => {
  it('copies JSON-shaped values deeply, keeping key order and undefined-valued keys', () => {
    const src = {b: 1, a: [1, {x: 'y', u: undefined}], n: null, t: true, s: 's', o: {deep: {er: [[]]}}}
    const out = jsonCopy(src)
    assert.deepStrictEqual(out, structuredClone(src))
    assert.deepEqual(Object.keys(out), ['b', 'a', 'n', 't', 's', 'o'])
    assert.ok('u' in (out.a[1] as object))
    out.o.deep.er[0]!.push(1 as never)
    ;(out.a[1] as {x: string}).x = 'changed'
    assert.deepEqual(src.o.deep.er, [[]])
    assert.equal((src.a[1] as {x: string}).x, 'y')
  })

  it('copies a frozen object into a mutable one', () => {
    const out = jsonCopy(Object.freeze({a: Object.freeze({b: 1})})) as {a: {b: number}}
    out.a.b = 2
    assert.equal(out.a.b, 2)
  })

  it('leaves non-JSON values and an own __proto__ key to structuredClone', () => {
    const d = new Date(0)
    const out = jsonCopy({d, m: new Map([[1, 2]])})
    assert.ok(out.d instanceof Date && out.d !== d && out.d.getTime() === 0)
    assert.ok(out.m instanceof Map && out.m.get(1) === 2)
    const evil = JSON.parse('{"metadata": {"__proto__": {"polluted": true}}}')
    const copied = jsonCopy(evil)
    assert.equal(Object.getPrototypeOf(copied.metadata), Object.prototype)
    assert.equal(copied.metadata.polluted, undefined)
    assert.deepEqual(Object.keys(copied.metadata), ['__proto__'])
  })

  it('survives a cycle by handing the deep part to structuredClone', () => {
    const a: Record<string, unknown> = {}
    a.self = a
    const out = jsonCopy(a) as any
    let cur = out
    for (let i = 0; i < 100; i++) cur = cur.self
    assert.ok(cur && typeof cur === 'object')
  })
})

describe('jsonEqual', () => {
  // JSON values with the edges isDeepStrictEqual tells apart: undefined-valued keys, -0, NaN, nulls.
  const leaf = fc.oneof(
    fc.constantFrom(0, -0, NaN, 1, '', 'a', true, false, null, undefined),
    fc.integer(),
    fc.string(),
  )
  const value = fc.letrec((tie) => ({
    v: fc.oneof(
      {depthSize: 'small'},
      leaf,
      fc.array(tie('v'), {maxLength: 3}),
      fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('v'), {maxKeys: 3}),
    ),
  })).v

  it('answers as util.isDeepStrictEqual on JSON-shaped values', () => {
    fc.assert(
      fc.property(value, value, (a, b) => {
        assert.equal(jsonEqual(a, b), isDeepStrictEqual(a, b))
        assert.equal(jsonEqual(a, jsonCopy(a)), isDeepStrictEqual(a, jsonCopy(a)))
        assert.equal(jsonEqual(a, structuredClone(a)), isDeepStrictEqual(a, structuredClone(a)))
      }),
      {numRuns: 3000},
    )
  })

  it('ignores key order, minds undefined-valued keys, -0, array shape and prototypes', () => {
    assert.equal(jsonEqual({a: 1, b: [1, {c: 2}]}, {b: [1, {c: 2}], a: 1}), true)
    assert.equal(jsonEqual({a: undefined}, {}), false)
    assert.equal(jsonEqual({a: undefined}, {b: undefined}), false)
    assert.equal(jsonEqual(0, -0), false)
    assert.equal(jsonEqual(NaN, NaN), true)
    assert.equal(jsonEqual([], {}), false)
    assert.equal(jsonEqual([1, 2], [2, 1]), false)
    assert.equal(jsonEqual(new Date(0), new Date(0)), true)
    assert.equal(jsonEqual(new Date(0), new Date(1)), false)
    assert.equal(jsonEqual({d: new Date(0)}, {d: {}}), false)
  })
})
