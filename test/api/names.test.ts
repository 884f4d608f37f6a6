import assert from 'node:assert/strict'
import {
  fnv32a,
  generateNameSuffix,
  MAX_GENERATED_NAME_BASE_LENGTH,
  mulberry32,
  NAME_ALPHABET,
  randomString,
  safeEncodeString,
  simpleNameGenerator,
  uuidFromRandom,
} from '../../src/api/names.js'

// seq returns a Random that yields the given values in turn.
const seq = (...values: number[]) => {
  let i = 0
  return () => values[i++ % values.length]!
}

describe('names', () => {
  it('uses the apiserver alphabet', () => {
    assert.equal(NAME_ALPHABET, 'bcdfghjklmnpqrstvwxz2456789')
    assert.equal(NAME_ALPHABET.length, 27)
  })

  it('maps random numbers onto the alphabet', () => {
    assert.equal(randomString(3, seq(0, 0.5, 0.999999)), 'br9')
    assert.equal(generateNameSuffix(seq(0)), 'bbbbb')
    const s = generateNameSuffix(Math.random)
    assert.match(s, /^[bcdfghjklmnpqrstvwxz2456789]{5}$/)
  })

  it('cuts generateName to 58 characters before the suffix', () => {
    assert.equal(MAX_GENERATED_NAME_BASE_LENGTH, 58)
    assert.equal(simpleNameGenerator('web-', seq(0)), 'web-bbbbb')
    const long = simpleNameGenerator('a'.repeat(70), seq(0))
    assert.equal(long.length, 63)
    assert.equal(long, 'a'.repeat(58) + 'bbbbb')
  })

  it('safeEncodeString maps by code modulo 27 (rand.SafeEncodeString)', () => {
    assert.equal(safeEncodeString('1234'), '5678')
    assert.equal(safeEncodeString('0123456789'), '456789bcdf')
    assert.equal(safeEncodeString(''), '')
  })

  it('fnv32a matches the reference values', () => {
    assert.equal(fnv32a(''), 0x811c9dc5)
    assert.equal(fnv32a('a'), 0xe40c292c)
    assert.equal(fnv32a('foobar'), 0xbf9cf968)
  })

  it('mulberry32 is deterministic per seed and stays in [0, 1)', () => {
    const a = mulberry32(42)
    const b = mulberry32(42)
    const xs = Array.from({length: 1000}, () => a())
    assert.deepEqual(
      xs.slice(0, 5),
      Array.from({length: 5}, () => b()),
    )
    assert.ok(xs.every((x) => x >= 0 && x < 1))
    assert.notDeepEqual(mulberry32(43)(), mulberry32(42)())
    // a known first value pins the algorithm
    assert.equal(mulberry32(0)(), 0.26642920868471265)
  })

  it('uuidFromRandom makes v4 uids, reproducible from a seed', () => {
    const u = uuidFromRandom(mulberry32(7))
    assert.match(u, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    assert.equal(uuidFromRandom(mulberry32(7)), u)
    assert.notEqual(uuidFromRandom(mulberry32(8)), u)
    assert.equal(uuidFromRandom(seq(0)), '00000000-0000-4000-8000-000000000000')
  })
})
