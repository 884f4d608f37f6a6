// params.ts draws a student's parameter values from a seed. Every parameter has its own PRNG stream (prng.ts), so
// values depend only on the seed and the parameter's name and definition. Parameters are drawn in the order the
// lab declares them; a `value` may refer to parameters declared before it.
import {Prng} from './prng.js'
import {render} from './template.js'
import type {ParamValues, ParameterSpec} from './types.js'

/** ParameterError is a parameter definition that cannot be drawn from. */
export class ParameterError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ParameterError'
  }
}

/** choices returns the list of a pick/choice/oneOf parameter, or undefined. */
export function choices(spec: ParameterSpec): (string | number | boolean)[] | undefined {
  if (spec === null || typeof spec !== 'object') return undefined
  return spec.pick ?? spec.choice ?? spec.oneOf
}

/** drawParameters draws every parameter for seed, in declaration order. */
export function drawParameters(specs: Record<string, ParameterSpec> | undefined, seed: number): ParamValues {
  const values: ParamValues = {}
  for (const [name, spec] of Object.entries(specs ?? {})) values[name] = drawOne(name, spec, seed, values)
  return values
}

function drawOne(name: string, spec: ParameterSpec, seed: number, before: ParamValues): string | number | boolean {
  if (spec === null || typeof spec !== 'object') return spec
  const rng = Prng.forStream(seed, name)
  const list = choices(spec)
  if (list) {
    if (list.length === 0) throw new ParameterError(`parameter "${name}": empty list to pick from`)
    return rng.pick(list)
  }
  if (spec.range) {
    const [min, max] = spec.range
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max < min) {
      throw new ParameterError(`parameter "${name}": range wants two integers [min, max] with min <= max`)
    }
    return rng.int(min, max)
  }
  if (spec.pattern !== undefined) return generate(spec.pattern, rng, name)
  if (spec.value !== undefined) return typeof spec.value === 'string' ? render(spec.value, before) : spec.value
  throw new ParameterError(`parameter "${name}": want one of value, pick, range, pattern`)
}

/** PatternPart is a set of characters repeated between min and max times. */
interface PatternPart {
  chars: string[]
  min: number
  max: number
}

/**
 * parsePattern reads the small pattern language of random names: literal characters, classes `[a-z0-9]` (ranges
 * and single characters), `\` escapes, and a repeat `{n}` or `{n,m}` after a literal or class. No alternation, no
 * anchors: a pattern describes one string, it is not a regular expression to match.
 */
export function parsePattern(pattern: string, name = 'pattern'): PatternPart[] {
  const parts: PatternPart[] = []
  const fail = (msg: string): never => {
    throw new ParameterError(`parameter "${name}": bad pattern ${JSON.stringify(pattern)}: ${msg}`)
  }
  let i = 0
  while (i < pattern.length) {
    const c = pattern[i]
    let chars: string[] = []
    if (c === '[') {
      const end = pattern.indexOf(']', i + 1)
      if (end < 0) fail('unclosed [')
      const body = pattern.slice(i + 1, end)
      if (body === '') fail('empty []')
      chars = []
      for (let j = 0; j < body.length; j++) {
        if (body[j + 1] === '-' && j + 2 < body.length) {
          const lo = body.codePointAt(j)!
          const hi = body.codePointAt(j + 2)!
          if (hi < lo) fail(`bad range ${body.slice(j, j + 3)}`)
          for (let cp = lo; cp <= hi; cp++) chars.push(String.fromCodePoint(cp))
          j += 2
        } else chars.push(body[j])
      }
      i = end + 1
    } else if (c === '\\') {
      if (i + 1 >= pattern.length) fail('trailing \\')
      chars = [pattern[i + 1]]
      i += 2
    } else if (c === '{' || c === '}' || c === ']') {
      fail(`unexpected ${c} at ${i}`)
    } else {
      chars = [c]
      i++
    }
    let min = 1
    let max = 1
    if (pattern[i] === '{') {
      const m = /^\{(\d+)(?:,(\d+))?\}/.exec(pattern.slice(i))
      if (!m) fail(`bad repeat at ${i}: want {n} or {n,m}`)
      min = Number(m![1])
      max = m![2] === undefined ? min : Number(m![2])
      if (max < min || max > 253) fail(`bad repeat ${m![0]}`)
      i += m![0].length
    }
    parts.push({chars: [...new Set(chars)], min, max})
  }
  return parts
}

/** generate draws one string from a pattern. */
export function generate(pattern: string, rng: Prng, name = 'pattern'): string {
  let out = ''
  for (const p of parsePattern(pattern, name)) {
    const n = p.min === p.max ? p.min : rng.int(p.min, p.max)
    for (let k = 0; k < n; k++) out += p.chars.length === 1 ? p.chars[0] : rng.pick(p.chars)
  }
  return out
}
