// ids.ts: uids, generated-name suffixes and other random choices, all from one injectable source so a
// `--seed` makes a whole cluster reproducible (DESIGN §2, seeds).
import {randomBytes} from 'node:crypto'
import {generateNameSuffix, mulberry32, uuidFromRandom} from '../api/names.js'

/** Ids hands out uids and random numbers; seeded for tests and `cluster start --seed`. */
export interface Ids {
  uid(): string
  /** random returns a float in [0, 1). */
  random(): number
  /** nameSuffix returns the 5 characters the apiserver appends to generateName. */
  nameSuffix(): string
}

/** makeIds returns a seeded generator when seed is a number, else one backed by crypto randomness. */
export function makeIds(seed?: number): Ids {
  const random =
    seed === undefined ? () => randomBytes(4).readUInt32BE(0) / 2 ** 32 : mulberry32(seed)
  return {
    random,
    uid: () => uuidFromRandom(random),
    nameSuffix: () => generateNameSuffix(random),
  }
}
