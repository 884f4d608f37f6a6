// generic.ts is the describer for kinds kubectl has no describer for (custom resources and the rest): name,
// namespace, labels, annotations, then every other field of the object with "smart" labels, then events. Follows
// kubectl/pkg/describe/describe.go (genericDescriber, printUnstructuredContent, smartLabelFor) and
// github.com/fatih/camelcase (Split).
import {goSprint} from '../../api/gofmt.js'
import type {ResourceInfo} from '../../api/resources.js'
import {apiPath, getObject, type DescribeContext, type Describer} from './context.js'
import {describeEvents, searchEvents, refFor} from './events.js'
import {goSortStrings, printAnnotationsMultiline, printLabelsMultiline, str, type Obj} from './format.js'
import {LEVEL_0, tabbedString, type PrefixWriter} from './prefix-writer.js'

type CharClass = 'lower' | 'upper' | 'digit' | 'other'

function classOf(ch: string): CharClass {
  if (/\p{Ll}/u.test(ch)) return 'lower'
  if (/\p{Lu}/u.test(ch)) return 'upper'
  if (/\p{Nd}/u.test(ch)) return 'digit'
  return 'other'
}

/** camelSplit splits a word at case and class changes, keeping acronyms whole (`HTTPServer` → HTTP, Server). */
export function camelSplit(s: string): string[] {
  const runs: string[][] = []
  let last: CharClass | undefined
  for (const ch of s) {
    const c = classOf(ch)
    if (c === last) runs[runs.length - 1]!.push(ch)
    else runs.push([ch])
    last = c
  }
  for (let i = 0; i < runs.length - 1; i++) {
    if (classOf(runs[i]![0]!) === 'upper' && classOf(runs[i + 1]![0]!) === 'lower') {
      runs[i + 1] = [runs[i]![runs[i]!.length - 1]!, ...runs[i + 1]!]
      runs[i] = runs[i]!.slice(0, -1)
    }
  }
  return runs.filter((r) => r.length > 0).map((r) => r.join(''))
}

const ACRONYMS = new Set(['API', 'URL', 'UID', 'OSB', 'GUID'])

/** smartLabelFor turns a field name into a label: `apiVersion` → `API Version`; other names stay as they are. */
export function smartLabelFor(field: string): string {
  if ([...field].some((ch) => ch !== '-' && !/\p{L}/u.test(ch))) return field
  return camelSplit(field)
    .filter((p) => p !== '_')
    .map((p) =>
      ACRONYMS.has(p.toUpperCase())
        ? p.toUpperCase()
        : p.replace(/(^|[^\p{L}])(\p{L})/gu, (_, a, b) => a + b.toUpperCase()),
    )
    .join(' ')
}

function printUnstructured(w: PrefixWriter, level: number, content: Obj, prefix: string, skip: string[]): void {
  for (const field of goSortStrings(Object.keys(content))) {
    const value = content[field]
    const expr = `${prefix}.${field}`
    if (skip.includes(expr)) continue
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      w.write(level, `${smartLabelFor(field)}:\n`)
      printUnstructured(w, level + 1, value, expr, skip)
    } else if (Array.isArray(value)) {
      w.write(level, `${smartLabelFor(field)}:\n`)
      for (const child of value) {
        if (child && typeof child === 'object' && !Array.isArray(child))
          printUnstructured(w, level + 1, child, expr, skip)
        else w.write(level + 1, `${goSprint(child)}\n`)
      }
    } else {
      w.write(level, `${smartLabelFor(field)}:\t${goSprint(value)}\n`)
    }
  }
}

/** genericDescriber returns the describer for a mapping kubectl has no dedicated describer for. */
export function genericDescriber(m: ResourceInfo): Describer {
  return async (ctx: DescribeContext, namespace: string, name: string) => {
    const obj = await getObject(ctx, apiPath(m.group, m.version, m.namespaced ? namespace : undefined, m.plural, name))
    const events = ctx.settings.showEvents ? ((await searchEvents(ctx, refFor(obj))) ?? []) : undefined
    const now = ctx.now()
    return tabbedString((w) => {
      const meta = obj.metadata ?? {}
      w.write(LEVEL_0, `Name:\t${str(meta.name)}\n`)
      w.write(LEVEL_0, `Namespace:\t${str(meta.namespace)}\n`)
      printLabelsMultiline(w, 'Labels', meta.labels)
      printAnnotationsMultiline(w, 'Annotations', meta.annotations)
      printUnstructured(w, LEVEL_0, obj, '', [
        '.metadata.managedFields',
        '.metadata.name',
        '.metadata.namespace',
        '.metadata.labels',
        '.metadata.annotations',
      ])
      if (events) describeEvents(events, w, now)
    })
  }
}
