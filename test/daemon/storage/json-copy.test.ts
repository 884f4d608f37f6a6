import assert from 'node:assert/strict'
import {jsonCopy} from '../../../src/daemon/storage/json-copy.js'

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
