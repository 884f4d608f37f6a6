// template.ts resolves `{{ .param }}` references in a lab's text fields. Only Go-template-style field references
// are supported (`{{ .name }}`, spaces optional): enough for names, counts and images, and easy to check ahead of
// time (lab validate reports references to undefined parameters). `{{ "{{" }}` writes literal braces.
import type {ParamValues} from './types.js'

const REF = /\{\{\s*(?:\.([A-Za-z_][A-Za-z0-9_]*)|"(\{\{|\}\})")\s*\}\}/g

/** TemplateError is a reference to an undefined parameter or a malformed `{{ ... }}`. */
export class TemplateError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'TemplateError'
  }
}

/** templateRefs lists the parameter names a text refers to, and the malformed `{{ ... }}` it holds. */
export function templateRefs(text: string): {names: string[]; malformed: string[]} {
  const names: string[] = []
  for (const m of text.matchAll(REF)) if (m[1]) names.push(m[1])
  const rest = text.replace(REF, '')
  const malformed = [...rest.matchAll(/\{\{.*?(\}\}|$)/g)].map((m) => m[0])
  return {names, malformed}
}

/** render replaces every `{{ .name }}` in text with its value; an unknown name or bad syntax throws TemplateError. */
export function render(text: string, values: ParamValues): string {
  const {malformed} = templateRefs(text)
  if (malformed.length > 0) throw new TemplateError(`bad template ${JSON.stringify(malformed[0])}: want {{ .name }}`)
  return text.replace(REF, (_all, name: string | undefined, literal: string | undefined) => {
    if (literal) return literal
    if (!Object.hasOwn(values, name!))
      throw new TemplateError(`undefined parameter "${name}" in ${JSON.stringify(text)}`)
    return String(values[name!])
  })
}

/** renderDeep renders every string inside value (objects and arrays are copied, other values kept). */
export function renderDeep<T>(value: T, values: ParamValues): T {
  if (typeof value === 'string') return render(value, values) as T
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, values)) as T
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = renderDeep(v, values)
    return out as T
  }
  return value
}
