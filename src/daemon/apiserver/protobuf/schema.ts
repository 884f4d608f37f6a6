// schema.ts compiles the compact notation of table.ts into message descriptors the decoder walks. Compiling checks
// the whole table (every type resolves, no field number repeats), so a typo fails the first decode and the tests.
import {KINDS, MESSAGES, PACKAGES} from './table.js'
import type {MessageSpec} from './table.js'

/** ScalarType is a protobuf scalar: string, int32, int64, bool, bytes, double. */
export type ScalarType = 's' | 'i' | 'l' | 'b' | 'y' | 'd'

/** SpecialType is an apimachinery type with its own JSON form (see table.ts). */
export type SpecialType = 'time' | 'mtime' | 'dur' | 'fields' | 'qty' | 'ios' | 'raw' | 'strs'

/** FieldDesc describes one field of a message. */
export interface FieldDesc {
  num: number
  name: string
  /** kind tells how to read a value: a scalar, a special apimachinery type, or a nested message. */
  kind: 'scalar' | 'special' | 'message'
  scalar?: ScalarType
  special?: SpecialType
  message?: MessageDesc
  repeated: boolean
  map: boolean
  pointer: boolean
  keepZero: boolean
  inline: boolean
}

/** MessageDesc describes one message: its fields in table (Go struct) order and an index by field number. */
export interface MessageDesc {
  /** name is "<package alias>.<message>", e.g. "apps.Deployment". */
  name: string
  fields: FieldDesc[]
  byNumber: Map<number, FieldDesc>
}

const SCALARS = new Set<string>(['s', 'i', 'l', 'b', 'y', 'd'])
const SPECIALS = new Set<string>(['time', 'mtime', 'dur', 'fields', 'qty', 'ios', 'raw', 'strs'])
const FIELD = /^(\d+) ([A-Za-z_][A-Za-z0-9_]*)([*!^]*)(?: (\[\]|\{\})?([A-Za-z][A-Za-z0-9_.]*))?$/

/** compileSchema turns a field table into descriptors keyed by "<package>.<message>"; it throws on a bad table. */
export function compileSchema(table: Record<string, Record<string, MessageSpec>> = MESSAGES): Map<string, MessageDesc> {
  const out = new Map<string, MessageDesc>()
  const pending: {field: FieldDesc; ref: string; owner: string}[] = []
  for (const [pkg, messages] of Object.entries(table)) {
    for (const [name, spec] of Object.entries(messages)) {
      const desc: MessageDesc = {name: `${pkg}.${name}`, fields: [], byNumber: new Map()}
      const text = Array.isArray(spec) ? spec.join('; ') : spec
      for (const part of text.split(';')) {
        const m = FIELD.exec(part.trim())
        if (!m) throw new Error(`protobuf table: bad field "${part.trim()}" in ${desc.name}`)
        const [, num, fieldName, flags, container, typeToken = 's'] = m
        const field: FieldDesc = {
          num: Number(num),
          name: fieldName,
          kind: 'scalar',
          repeated: container === '[]',
          map: container === '{}',
          pointer: flags.includes('*'),
          keepZero: flags.includes('!'),
          inline: flags.includes('^'),
        }
        if (SCALARS.has(typeToken)) field.scalar = typeToken as ScalarType
        else if (SPECIALS.has(typeToken)) {
          field.kind = 'special'
          field.special = typeToken as SpecialType
        } else {
          field.kind = 'message'
          pending.push({field, ref: typeToken.includes('.') ? typeToken : `${pkg}.${typeToken}`, owner: desc.name})
        }
        if (desc.byNumber.has(field.num)) throw new Error(`protobuf table: field ${field.num} repeats in ${desc.name}`)
        desc.fields.push(field)
        desc.byNumber.set(field.num, field)
      }
      out.set(desc.name, desc)
    }
  }
  for (const {field, ref, owner} of pending) {
    const target = out.get(ref)
    if (!target) throw new Error(`protobuf table: ${owner}.${field.name} refers to unknown message ${ref}`)
    field.message = target
  }
  return out
}

let compiled: Map<string, MessageDesc> | undefined

/** schema returns the compiled built-in table, compiling it on first use. */
export function schema(): Map<string, MessageDesc> {
  compiled ??= compileSchema()
  return compiled
}

/** kindMessage finds the message of a top-level kind ("apps/v1", "Deployment"), or undefined when not in the table. */
export function kindMessage(apiVersion: string, kind: string): MessageDesc | undefined {
  // metav1.AddToGroupVersion registers DeleteOptions in every group version: typed clients (kubectl auth reconcile)
  // send it in their own group's version.
  if (kind === 'DeleteOptions' && (PACKAGES[apiVersion] || apiVersion === 'meta.k8s.io/v1')) {
    return schema().get('meta.DeleteOptions')
  }
  const pkg = PACKAGES[apiVersion]
  if (!pkg || !KINDS[pkg]?.includes(kind)) return undefined
  return schema().get(`${pkg}.${kind}`)
}
