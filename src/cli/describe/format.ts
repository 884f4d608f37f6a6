// format.ts holds the small formatting helpers the describers share: Go's RFC1123Z time layout in the local zone,
// ages, quantities, label/annotation/taint/toleration blocks and the like. Follows kubectl/pkg/describe/describe.go
// (printLabelsMultilineWithIndent, printAnnotationsMultiline, printTaintsMultilineWithIndent,
// printTolerationsMultilineWithIndent, translateTimestampSince) and kubectl/pkg/util/storage/storage.go.
import {humanDuration} from '../../api/duration.js'
import {compareCodePoints} from '../../api/gofmt.js'
import {labelSelectorFromObject, type LabelSelector} from '../../api/labels.js'
import {Quantity} from '../../api/quantity.js'
import {goSort} from './gosort.js'
import {LEVEL_0, type PrefixWriter} from './prefix-writer.js'

/** Obj is a decoded API object as describers read it. */
export type Obj = Record<string, any>

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const pad2 = (n: number) => String(n).padStart(2, '0')

/** ZERO_TIME_RFC1123Z is Go's zero time.Time in RFC1123Z, what kubectl prints for an unset timestamp. */
export const ZERO_TIME_RFC1123Z = 'Mon, 01 Jan 0001 00:00:00 +0000'

/**
 * rfc1123z formats an API timestamp as Go's time.RFC1123Z in the local zone (metav1.Time decodes into time.Local);
 * an unset timestamp is Go's zero time, printed in UTC.
 */
export function rfc1123z(ts: string | undefined | null): string {
  if (!ts) return ZERO_TIME_RFC1123Z
  const d = new Date(ts)
  if (Number.isNaN(d.getTime())) return ZERO_TIME_RFC1123Z
  const off = -d.getTimezoneOffset()
  const sign = off < 0 ? '-' : '+'
  const abs = Math.abs(off)
  return (
    `${DAYS[d.getDay()]}, ${pad2(d.getDate())} ${MONTHS[d.getMonth()]} ${String(d.getFullYear()).padStart(4, '0')} ` +
    `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())} ${sign}${pad2(Math.floor(abs / 60))}${pad2(abs % 60)}`
  )
}

/** timestampSince is translateTimestampSince: the HumanDuration from ts to now, `<unknown>` when unset. */
export function timestampSince(ts: string | undefined | null, now: number): string {
  if (!ts) return '<unknown>'
  const t = Date.parse(ts)
  if (Number.isNaN(t)) return '<unknown>'
  return humanDuration(now - t)
}

/** goSortStrings sorts as Go's sort.Strings (byte order). */
export function goSortStrings(xs: string[]): string[] {
  return [...xs].sort(compareCodePoints)
}

/** quantity parses a quantity; undefined or unparsable values are the zero quantity. */
export function quantity(v: unknown): Quantity {
  if (v === undefined || v === null || v === '') return Quantity.fromValue(0)
  try {
    return Quantity.fromJSON(v)
  } catch {
    return Quantity.fromValue(0)
  }
}

/** quantityString is resource.Quantity.String(): the canonical text, `0` for an unset quantity. */
export function quantityString(v: unknown): string {
  return quantity(v).canonical()
}

/** sortedResourceNames lists a ResourceList's names in byte order (SortedResourceNames). */
export function sortedResourceNames(list: Obj | undefined | null): string[] {
  return goSortStrings(Object.keys(list ?? {}))
}

/** goList prints a string slice as Go's %v does: `[a b]`. */
export function goList(xs: unknown[] | undefined | null): string {
  return '[' + (xs ?? []).map((x) => String(x)).join(' ') + ']'
}

/** printBool is `True`/`False`. */
export function printBool(v: unknown): string {
  return v ? 'True' : 'False'
}

/** printBoolPtr is printBool, or `<unset>` when the pointer is nil. */
export function printBoolPtr(v: unknown): string {
  return v === undefined || v === null ? '<unset>' : printBool(v)
}

/** stringOrNone is the string, or `<none>` when empty. */
export function stringOrNone(s: string | undefined | null): string {
  return s ? s : '<none>'
}

/** str is a Go string field: '' when unset. */
export function str(v: unknown): string {
  return v === undefined || v === null ? '' : String(v)
}

/** num is a Go integer field: 0 when unset. */
export function num(v: unknown): number {
  return typeof v === 'number' ? v : 0
}

/** intOrString prints an IntOrString as its String() does. */
export function intOrString(v: unknown): string {
  return v === undefined || v === null ? '' : String(v)
}

/** selectorString is metav1.LabelSelectorAsSelector(sel).String(); an unset selector is Nothing (''). */
export function selectorString(sel: LabelSelector | null | undefined): string {
  if (!sel) return ''
  try {
    return labelSelectorFromObject(sel).toString()
  } catch {
    return ''
  }
}

/** controllerOf prints `Kind/Name` of the controller owner reference, '' when none (printController). */
export function controllerOf(obj: Obj): string {
  const ref = (obj.metadata?.ownerReferences ?? []).find((r: Obj) => r.controller === true)
  return ref ? `${ref.kind}/${ref.name}` : ''
}

/** printLabelsMultiline prints `Title:<tab>k=v` lines, sorted, `<none>` when empty (printLabelsMultilineWithIndent). */
export function printLabelsMultiline(
  w: PrefixWriter,
  title: string,
  labels: Record<string, string> | undefined | null,
  initialIndent = '',
  innerIndent = '\t',
): void {
  w.write(LEVEL_0, `${initialIndent}${title}:${innerIndent}`)
  const keys = goSortStrings(Object.keys(labels ?? {}))
  if (keys.length === 0) {
    w.writeLine('<none>')
    return
  }
  keys.forEach((k, i) => {
    if (i !== 0) w.write(LEVEL_0, initialIndent + innerIndent)
    w.write(LEVEL_0, `${k}=${labels![k]}\n`)
  })
}

const MAX_ANNOTATION_LEN = 140
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration'

function byteLen(s: string): number {
  return Buffer.byteLength(s, 'utf8')
}

function shorten(s: string, max: number): string {
  const b = Buffer.from(s, 'utf8')
  return b.length > max ? b.subarray(0, max).toString('utf8') + '...' : s
}

/**
 * printAnnotationsMultiline prints annotations sorted, without the last-applied one; values longer than 140 bytes
 * or with newlines go on their own lines, each cut at 138 bytes.
 */
export function printAnnotationsMultiline(
  w: PrefixWriter,
  title: string,
  annotations: Record<string, string> | undefined | null,
): void {
  w.write(LEVEL_0, `${title}:\t`)
  const keys = goSortStrings(Object.keys(annotations ?? {}).filter((k) => k !== LAST_APPLIED))
  if (keys.length === 0) {
    w.writeLine('<none>')
    return
  }
  const indent = '\t'
  keys.forEach((k, i) => {
    if (i !== 0) w.write(LEVEL_0, indent)
    const value = annotations![k]!.replace(/\n$/, '')
    if (byteLen(value) + byteLen(k) + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(LEVEL_0, `${k}:\n`)
      for (const s of value.split('\n')) w.write(LEVEL_0, `${indent}  ${shorten(s, MAX_ANNOTATION_LEN - 2)}\n`)
    } else {
      w.write(LEVEL_0, `${k}: ${value}\n`)
    }
  })
}

/** taintString is Taint.ToString(): `key=value:Effect`, `key:Effect`. */
export function taintString(t: Obj): string {
  return t.value ? `${t.key}=${t.value}:${t.effect}` : `${t.key}:${t.effect}`
}

/** printTaintsMultiline prints taints sorted by effect then key (printTaintsMultilineWithIndent). */
export function printTaintsMultiline(w: PrefixWriter, title: string, taints: Obj[] | undefined | null): void {
  w.write(LEVEL_0, `${title}:\t`)
  if (!taints || taints.length === 0) {
    w.writeLine('<none>')
    return
  }
  const key = (t: Obj) => `${str(t.effect)},${str(t.key)}`
  const sorted = goSort(taints, (a, b) => compareCodePoints(key(a), key(b)) < 0)
  sorted.forEach((t, i) => {
    if (i !== 0) w.write(LEVEL_0, '\t')
    w.write(LEVEL_0, `${taintString(t)}\n`)
  })
}

/** printTolerationsMultiline prints tolerations sorted by key (printTolerationsMultilineWithIndent). */
export function printTolerationsMultiline(
  w: PrefixWriter,
  title: string,
  tolerations: Obj[] | undefined | null,
  initialIndent = '',
): void {
  w.write(LEVEL_0, `${initialIndent}${title}:\t`)
  if (!tolerations || tolerations.length === 0) {
    w.writeLine('<none>')
    return
  }
  const sorted = goSort(tolerations, (a, b) => compareCodePoints(str(a.key), str(b.key)) < 0)
  sorted.forEach((t, i) => {
    if (i !== 0) w.write(LEVEL_0, initialIndent + '\t')
    let s = str(t.key)
    if (t.value) s += `=${t.value}`
    if (t.effect) s += `:${t.effect}`
    if (t.operator === 'Exists' && !t.value) s += t.key || t.effect ? ' op=Exists' : 'op=Exists'
    if (typeof t.tolerationSeconds === 'number') s += ` for ${t.tolerationSeconds}s`
    w.write(LEVEL_0, s + '\n')
  })
}

/** accessModesString is GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order, de-duplicated. */
export function accessModesString(modes: string[] | undefined | null): string {
  const m = new Set(modes ?? [])
  const out: string[] = []
  if (m.has('ReadWriteOnce')) out.push('RWO')
  if (m.has('ReadOnlyMany')) out.push('ROX')
  if (m.has('ReadWriteMany')) out.push('RWX')
  if (m.has('ReadWriteOncePod')) out.push('RWOP')
  return out.join(',')
}

/** pvcClass is GetPersistentVolumeClaimClass: the beta annotation first, then spec.storageClassName. */
export function pvcClass(pvc: Obj): string {
  const ann = pvc.metadata?.annotations ?? {}
  if ('volume.beta.kubernetes.io/storage-class' in ann) return ann['volume.beta.kubernetes.io/storage-class']
  return str(pvc.spec?.storageClassName)
}

/** pvClass is GetPersistentVolumeClass. */
export function pvClass(pv: Obj): string {
  const ann = pv.metadata?.annotations ?? {}
  if ('volume.beta.kubernetes.io/storage-class' in ann) return ann['volume.beta.kubernetes.io/storage-class']
  return str(pv.spec?.storageClassName)
}
