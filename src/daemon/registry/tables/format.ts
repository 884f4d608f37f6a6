// format.ts: the small formatting helpers the printers share: ages, label maps and selectors, container lists,
// access modes and quantities. Follows kubernetes pkg/printers/internalversion/printers.go (1.32) and
// apimachinery's labels.FormatLabels / metav1.FormatLabelSelector.
import {humanDuration} from '../../../api/duration.js'
import {canonicalQuantity} from '../../../api/quantity.js'
import type {TableColumnDefinition} from './types.js'

/** parseTime reads an RFC 3339 timestamp (metav1.Time or MicroTime); undefined for a missing or zero time. */
export function parseTime(t: unknown): number | undefined {
  if (typeof t !== 'string' || t === '') return undefined
  const ms = Date.parse(t)
  if (Number.isNaN(ms)) return undefined
  // Go's zero time (0001-01-01T00:00:00Z) counts as unset, as metav1.Time.IsZero does.
  if (ms <= -62135596800000) return undefined
  return ms
}

/** age is translateTimestampSince: HumanDuration(now - t), or `<unknown>` when t is unset. */
export function age(t: unknown, now: number): string {
  const ms = parseTime(t)
  return ms === undefined ? '<unknown>' : humanDuration(now - ms)
}

/** creationAge is the Age cell of an object. */
export function creationAge(obj: any, now: number): string {
  return age(obj?.metadata?.creationTimestamp, now)
}

/** formatLabels renders `k=v` pairs sorted by key and joined with `,`, or `<none>` (labels.FormatLabels). */
export function formatLabels(m: Record<string, string> | undefined | null): string {
  const keys = Object.keys(m ?? {}).sort()
  if (keys.length === 0) return '<none>'
  return keys.map((k) => `${k}=${m![k]}`).join(',')
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/**
 * selectorString renders a metav1.LabelSelector as labels.Selector.String() does after LabelSelectorAsSelector:
 * requirements sorted by key, `k=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`. Returns '' for a nil or empty
 * selector and undefined for an invalid operator.
 */
export function selectorString(sel: any): string | undefined {
  if (!sel) return ''
  const reqs: {key: string; text: string}[] = []
  for (const [k, v] of Object.entries((sel.matchLabels ?? {}) as Record<string, string>)) {
    reqs.push({key: k, text: `${k}=${v}`})
  }
  for (const e of (sel.matchExpressions ?? []) as any[]) {
    const vals = [...((e.values ?? []) as string[])].sort(byString).join(',')
    switch (e.operator) {
      case 'In':
        reqs.push({key: e.key, text: `${e.key} in (${vals})`})
        break
      case 'NotIn':
        reqs.push({key: e.key, text: `${e.key} notin (${vals})`})
        break
      case 'Exists':
        reqs.push({key: e.key, text: e.key})
        break
      case 'DoesNotExist':
        reqs.push({key: e.key, text: `!${e.key}`})
        break
      default:
        return undefined
    }
  }
  reqs.sort((a, b) => byString(a.key, b.key))
  return reqs.map((r) => r.text).join(',')
}

/** formatLabelSelector is metav1.FormatLabelSelector: the selector string, `<none>` when empty, `<error>` if invalid. */
export function formatLabelSelector(sel: any): string {
  const s = selectorString(sel)
  if (s === undefined) return '<error>'
  return s === '' ? '<none>' : s
}

/** containerCells is layoutContainerCells: container names and images, each joined with `,`. */
export function containerCells(containers: any[] | undefined): [string, string] {
  const cs = containers ?? []
  return [cs.map((c) => c.name ?? '').join(','), cs.map((c) => c.image ?? '').join(',')]
}

/** accessModes abbreviates PV access modes in the fixed order RWO, ROX, RWX, RWOP (GetAccessModesAsString). */
export function accessModes(modes: string[] | undefined): string {
  const has = new Set(modes ?? [])
  const out: string[] = []
  if (has.has('ReadWriteOnce')) out.push('RWO')
  if (has.has('ReadOnlyMany')) out.push('ROX')
  if (has.has('ReadWriteMany')) out.push('RWX')
  if (has.has('ReadWriteOncePod')) out.push('RWOP')
  return out.join(',')
}

/**
 * quantity renders a resource.Quantity as its String() does (canonical form: `0.5` → `500m`, `1024Mi` → `1Gi`);
 * a missing one is `0`, and text that does not parse is shown as it is.
 */
export function quantity(q: unknown): string {
  if (q === undefined || q === null || q === '') return '0'
  try {
    return canonicalQuantity(String(q))
  } catch {
    return String(q)
  }
}

/** intOrString renders an IntOrString as its String() does. */
export function intOrString(v: unknown): string {
  return typeof v === 'number' ? String(Math.trunc(v)) : String(v)
}

/** int64 turns an optional count into the JSON number an int64 cell carries (0 when unset). */
export function int64(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : 0
}

/** listWithMore joins the first `max` items with `,` and adds ` + N more...` (listWithMoreString). */
export function listWithMore(list: string[], more: boolean, count: number, max: number, empty: string): string {
  const ret = list.join(',')
  if (more) return `${ret} + ${count - max} more...`
  return ret === '' ? empty : ret
}

/** col builds a column definition; priority 1 columns are shown only with `-o wide`. */
export function col(
  name: string,
  description: string,
  opts: {type?: string; format?: string; priority?: number} = {},
): TableColumnDefinition {
  return {name, type: opts.type ?? 'string', format: opts.format ?? '', description, priority: opts.priority ?? 0}
}

/** NAME_COLUMN is the first column of nearly every kind. */
export const NAME_COLUMN = col('Name', 'Name must be unique within a namespace.', {format: 'name'})

/** AGE_COLUMN is the Age column: time since creationTimestamp. */
export const AGE_COLUMN = col('Age', 'Time since the object was created.')

/** wide marks a column as priority 1. */
export function wide(c: TableColumnDefinition): TableColumnDefinition {
  return {...c, priority: 1}
}

/** CONTAINERS_COLUMN and IMAGES_COLUMN are the wide template columns of the workload kinds. */
export const CONTAINERS_COLUMN = wide(col('Containers', 'Names of each container in the template.'))
/** IMAGES_COLUMN lists the images of the pod template. */
export const IMAGES_COLUMN = wide(col('Images', 'Images referenced by each container in the template.'))
/** SELECTOR_COLUMN is the label selector of a workload. */
export const SELECTOR_COLUMN = wide(col('Selector', 'Label selector for the pods this object manages.'))
