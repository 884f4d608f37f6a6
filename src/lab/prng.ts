// prng.ts is the lab's only source of randomness: a seeded generator that gives the same numbers on every machine
// and Node version (no Math.random, no platform RNG). Each parameter draws from its own stream, derived from the
// seed and the parameter's name, so adding a parameter to a lab does not change the values of the others.

/** hash32 is FNV-1a over the UTF-8 bytes of text: a stable 32-bit key for deriving streams. */
export function hash32(text: string): number {
  let h = 0x811c9dc5
  for (const b of Buffer.from(text, 'utf8')) {
    h ^= b
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h >>> 0
}

/** Prng is a deterministic generator (mulberry32: 32-bit state, full period, good enough for picking values). */
export class Prng {
  private state: number

  constructor(seed: number) {
    this.state = seed >>> 0
  }

  /** forStream derives the generator of one named stream (a parameter) of a seed. */
  static forStream(seed: number, stream: string): Prng {
    return new Prng(hash32(`${seed >>> 0}/${stream}`))
  }

  /** nextUint32 returns the next 32-bit unsigned integer. */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (t ^ (t >>> 14)) >>> 0
  }

  /** int returns an integer in [min, max] (both included), without modulo bias. */
  int(min: number, max: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max < min) {
      throw new RangeError(`bad integer range [${min}, ${max}]`)
    }
    const span = max - min + 1
    if (span > 2 ** 32) throw new RangeError(`integer range [${min}, ${max}] is too wide`)
    // Rejection sampling: drop the top sliver of the 32-bit space that does not divide evenly.
    const limit = 2 ** 32 - (2 ** 32 % span)
    for (;;) {
      const x = this.nextUint32()
      if (x < limit) return min + (x % span)
    }
  }

  /** pick returns one element of items. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list')
    return items[this.int(0, items.length - 1)]
  }
}
