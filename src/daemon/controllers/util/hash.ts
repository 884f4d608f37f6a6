// hash.ts: the pod-template-hash of a Deployment's ReplicaSets, after kubernetes pkg/controller/controller_utils.go
// ComputeHash: FNV-32a over the pod template, then over the collision count (4 bytes little-endian padded to 8),
// and the decimal of the 32-bit sum rendered with apimachinery's rand.SafeEncodeString. Upstream hashes the Go
// struct as printed by spew (hashutil.DeepHashObject), which cannot be reproduced from JSON; hashing the canonical
// JSON of the template is just as stable and gives names of the same alphabet and length ("web-7d4b9c6f5").

/** SAFE_ALPHABET is apimachinery rand's alphanums: no vowels and no look-alike characters. */
export const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789'

/** canonicalJSON prints a JSON value with object keys sorted, so equal templates give equal text. */
export function canonicalJSON(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null'
  if (Array.isArray(v)) return `[${v.map(canonicalJSON).join(',')}]`
  const o = v as Record<string, unknown>
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJSON(o[k])}`).join(',')}}`
}

/** fnv32a folds bytes into a 32-bit FNV-1a state (hash/fnv New32a). */
export function fnv32a(bytes: Uint8Array, state = 0x811c9dc5): number {
  let h = state >>> 0
  for (const b of bytes) {
    h ^= b
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h >>> 0
}

/** safeEncodeString maps every character of s onto SAFE_ALPHABET by its code (rand.SafeEncodeString). */
export function safeEncodeString(s: string): string {
  let out = ''
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHABET[s.charCodeAt(i) % SAFE_ALPHABET.length]
  return out
}

/** computeHash is the pod-template-hash of a template and the Deployment's status.collisionCount. */
export function computeHash(template: unknown, collisionCount?: number): string {
  let h = fnv32a(new TextEncoder().encode(canonicalJSON(template ?? {})))
  if (collisionCount !== undefined && collisionCount !== null) {
    const b = new Uint8Array(8)
    new DataView(b.buffer).setUint32(0, collisionCount >>> 0, true)
    h = fnv32a(b, h)
  }
  return safeEncodeString(String(h))
}
