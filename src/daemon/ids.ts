// ids.ts: uids, generated-name suffixes and other random choices, all from one injectable source so a
// `--seed` makes a whole cluster reproducible (DESIGN §2, seeds).
import {randomFillSync} from 'node:crypto'
import {generateNameSuffix, mulberry32, uuidFromRandom} from '../api/names.js'

/** Ids hands out uids and random numbers; seeded for tests and `cluster start --seed`. */
export interface Ids {
  uid(): string
  /** random returns a float in [0, 1). */
  random(): number
  /** nameSuffix returns the 5 characters the apiserver appends to generateName. */
  nameSuffix(): string
  /**
   * stream returns a generator of its own for one purpose (seeded from the seed and the name): what it draws then
   * depends only on the order of that purpose's requests, not on how controllers' work interleaved with them. Twin
   * clusters driven by two clients get the same service IPs however their requests and syncs interleave.
   */
  stream(name: string): () => number
}

/** makeIds returns a seeded generator when seed is a number, else one backed by crypto randomness. */
export function makeIds(seed?: number): Ids {
  const random = seed === undefined ? cryptoRandom() : mulberry32(seed)
  return {
    random,
    uid: () => uuidFromRandom(random),
    nameSuffix: () => generateNameSuffix(random),
    stream: (name) => (seed === undefined ? cryptoRandom() : mulberry32((seed ^ fnv1a(name)) >>> 0)),
  }
}

/**
 * cryptoRandom returns floats from the system's CSPRNG, drawn 4 KiB at a time: one randomBytes(4) call per float
 * (a uid takes 16, a container id 64) was a seventh of the daemon's CPU when a Deployment scaled out.
 */
function cryptoRandom(): () => number {
  const pool = new Uint32Array(1024)
  let next = pool.length
  return () => {
    if (next === pool.length) {
      randomFillSync(pool)
      next = 0
    }
    return pool[next++]! / 2 ** 32
  }
}

/** fnv1a is the 32-bit FNV-1a hash of s (a stream's name to a seed offset). */
function fnv1a(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return h >>> 0
}
