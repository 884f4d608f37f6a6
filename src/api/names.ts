// names.ts: generated names, safe encoding and deterministic randomness. The alphabet and the encoding follow
// apimachinery/pkg/util/rand/rand.go, the truncation of generateName follows
// apiserver/pkg/storage/names/generate.go. Randomness is always injected so a seeded run is reproducible.

/** Random returns a float in [0, 1), like Math.random. */
export type Random = () => number

/** NAME_ALPHABET is the apiserver's alphabet for random suffixes: no vowels, no 0/1/3 (avoids words). */
export const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789'

/** MAX_NAME_LENGTH is the longest generated name (a DNS label). */
export const MAX_NAME_LENGTH = 63
/** RANDOM_SUFFIX_LENGTH is the length of the random part of a generated name. */
export const RANDOM_SUFFIX_LENGTH = 5
/** MAX_GENERATED_NAME_BASE_LENGTH is how much of generateName is kept (63 - 5). */
export const MAX_GENERATED_NAME_BASE_LENGTH = MAX_NAME_LENGTH - RANDOM_SUFFIX_LENGTH

/** randomString is n characters of NAME_ALPHABET drawn from random (rand.String). */
export function randomString(n: number, random: Random): string {
  let s = ''
  for (let i = 0; i < n; i++) s += NAME_ALPHABET[Math.floor(random() * NAME_ALPHABET.length) % NAME_ALPHABET.length]
  return s
}

/** generateNameSuffix is the 5-character random suffix of generated names (`web-` → `web-x7k2p`). */
export function generateNameSuffix(random: Random): string {
  return randomString(RANDOM_SUFFIX_LENGTH, random)
}

/**
 * simpleNameGenerator builds a name from generateName as the apiserver does: the base cut to 58 characters,
 * then 5 random characters.
 */
export function simpleNameGenerator(base: string, random: Random): string {
  const b = base.length > MAX_GENERATED_NAME_BASE_LENGTH ? base.slice(0, MAX_GENERATED_NAME_BASE_LENGTH) : base
  return b + generateNameSuffix(random)
}

/**
 * safeEncodeString maps each character to NAME_ALPHABET by its code modulo 27 (rand.SafeEncodeString), as
 * pod-template-hash does with a decimal hash (`"1234"` → `"5678"`).
 * Upstream indexes by code point; this matches it for ASCII input, which is all it is used on.
 */
export function safeEncodeString(s: string): string {
  let out = ''
  for (const c of s) out += NAME_ALPHABET[c.codePointAt(0)! % NAME_ALPHABET.length]
  return out
}

/** fnv32a is the 32-bit FNV-1a hash of the UTF-8 bytes of s, as the controllers' ComputeHash uses. */
export function fnv32a(s: string): number {
  let h = 0x811c9dc5
  const bytes = utf8Bytes(s)
  for (const b of bytes) {
    h ^= b
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h >>> 0
}

function utf8Bytes(s: string): number[] {
  const out: number[] = []
  for (const ch of s) {
    const c = ch.codePointAt(0)!
    if (c < 0x80) out.push(c)
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f))
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f))
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f))
  }
  return out
}

/** mulberry32 is a small seedable PRNG returning floats in [0, 1); the same seed gives the same sequence. */
export function mulberry32(seed: number): Random {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** uuidFromRandom makes an RFC 4122 version 4 uid (`xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx`) from random. */
export function uuidFromRandom(random: Random): string {
  const b: number[] = []
  for (let i = 0; i < 16; i++) b.push(Math.floor(random() * 256) & 0xff)
  b[6] = (b[6]! & 0x0f) | 0x40
  b[8] = (b[8]! & 0x3f) | 0x80
  const hex = b.map((x) => x.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
