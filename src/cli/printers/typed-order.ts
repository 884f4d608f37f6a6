// typed-order.ts rebuilds an object as kubectl prints a *typed* object: kubectl's generator commands (`create <kind>`,
// `run`, `expose`) and `cluster-info dump` hold the server's answer as a Go struct, and encoding/json writes a
// struct's fields in declaration order (zero fields without omitempty included, empty omitempty fields left out), a
// Go map's keys sorted, and a resource.Quantity in canonical form. The facts per API type come from
// src/api/field-order.ts (generated from k8s.io/api by scripts/gen-field-order.mjs). Objects of a kind the table
// does not know are left as they are.
import {FIELD_ORDER, GROUP_VERSION_PACKAGES} from '../../api/field-order.js'
import {sortedKeys} from '../../api/gofmt.js'
import {canonicalQuantity} from '../../api/quantity.js'
import {goMap} from '../generators/gojson.js'

// Field is one parsed table entry. zero is the JSON of the value encoding/json writes when the field is unset ('{}':
// the zero value of the struct type); without it the field is omitempty: a pointer (nilOnly) is left out when nil,
// a value when it is empty (false, 0, "", an empty slice or map).
interface Field {
  name: string
  type: string
  zero?: string
  nilOnly: boolean
}

let parsed: Map<string, readonly Field[]> | undefined

// fieldsOf reads one type's entry of the table (`name[=type][~zero|?]`), parsing it on first use.
function fieldsOf(type: string): readonly Field[] | undefined {
  parsed ??= new Map()
  let fields = parsed.get(type)
  if (fields) return fields
  const raw = FIELD_ORDER[type]
  if (!raw) return undefined
  fields = raw.map((f): Field => {
    const z = f.indexOf('~')
    const zero = z < 0 ? undefined : f.slice(z + 1)
    let head = z < 0 ? f : f.slice(0, z)
    const nilOnly = head.endsWith('?')
    if (nilOnly) head = head.slice(0, -1)
    const i = head.indexOf('=')
    return {name: i < 0 ? head : head.slice(0, i), type: i < 0 ? '' : head.slice(i + 1), zero, nilOnly}
  })
  parsed.set(type, fields)
  return fields
}

/** typeOfObject names the table type of an object from its apiVersion and kind, or undefined when unknown. */
export function typeOfObject(obj: unknown): string | undefined {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return undefined
  const {apiVersion, kind} = obj as {apiVersion?: unknown; kind?: unknown}
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return undefined
  const pkg = GROUP_VERSION_PACKAGES[apiVersion]
  const type = pkg && `${pkg}.${kind}`
  return type && FIELD_ORDER[type] ? type : undefined
}

// isEmpty is encoding/json's isEmptyValue for what a decoded value can be: false, 0, "", an empty slice or map, nil.
function isEmpty(v: unknown): boolean {
  if (v === null || v === false || v === 0 || v === '') return true
  if (Array.isArray(v)) return v.length === 0
  return typeof v === 'object' && Object.keys(v).length === 0
}

// canonical writes a quantity as resource.Quantity's MarshalJSON does after decoding: canonical (4194304Ki → 4Gi).
function canonical(value: unknown): unknown {
  if (typeof value !== 'string' && typeof value !== 'number') return value
  try {
    return canonicalQuantity(String(value))
  } catch {
    return value
  }
}

/**
 * orderAs rebuilds value as kubectl's decode into the Go type `type` and encode with encoding/json writes it (table
 * notation: a struct type, `[]T`, `map`, `map:T`, `quantity`, `raw`, or '' for a value printed as it is). Known
 * struct fields come first in declaration order; fields the server left out but Go writes anyway get their zero
 * value (`rules: null`, `creationTimestamp: null`, `status: {}`) and empty omitempty fields are left out
 * (`finalizers: []`); keys the type does not declare follow, sorted. Go maps are marked so they print sorted.
 */
export function orderAs(value: unknown, type: string): unknown {
  if (type === 'quantity') return canonical(value)
  if (type === '' || type === 'raw' || value === null || typeof value !== 'object') return value
  if (type.startsWith('[]')) return Array.isArray(value) ? value.map((v) => orderAs(v, type.slice(2))) : value
  if (Array.isArray(value)) return value
  const o = value as Record<string, unknown>
  if (type === 'map' || type.startsWith('map:')) {
    const elem = type.startsWith('map:') ? type.slice(4) : ''
    const out: Record<string, unknown> = {}
    for (const k of sortedKeys(o)) out[k] = orderAs(o[k], elem)
    return goMap(out)
  }
  const fields = fieldsOf(type)
  if (!fields) return value
  const out: Record<string, unknown> = {}
  for (const {name, type: t, zero, nilOnly} of fields) {
    const v = Object.hasOwn(o, name) ? o[name] : undefined
    if (v === undefined || (zero === undefined && (nilOnly ? v === null : isEmpty(v)))) {
      if (zero === '{}') out[name] = orderAs({}, t)
      else if (zero !== undefined) out[name] = JSON.parse(zero) as unknown
    } else out[name] = orderAs(v, t)
  }
  for (const k of sortedKeys(o)) if (!fields.some((f) => f.name === k) && o[k] !== undefined) out[k] = o[k]
  return out
}

/** typedOrder rebuilds an object (or a typed list) as the Go type its apiVersion and kind name; others unchanged. */
export function typedOrder<T>(obj: T): T {
  const type = typeOfObject(obj)
  return type === undefined ? obj : (orderAs(obj, type) as T)
}
