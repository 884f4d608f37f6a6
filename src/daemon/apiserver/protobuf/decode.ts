// decode.ts turns a Kubernetes protobuf request body (`application/vnd.kubernetes.protobuf`, sent by kubectl 1.32's
// typed clients; kubectl-api.md §8) into the JSON object the apiserver would have decoded from the same Go value.
//
// Wire format (follows apimachinery/pkg/runtime/serializer/protobuf/protobuf.go): the magic "k8s\0", then a
// runtime.Unknown {1 typeMeta {1 apiVersion, 2 kind}, 2 raw, 3 contentEncoding, 4 contentType} whose raw bytes are
// the object's message. The messages are read with protobufjs' Reader against our own field table (table.ts).
//
// gogo-protobuf writes every non-pointer scalar, even when it is zero, so the decoder re-applies Go's JSON rules
// field by field: a zero scalar is dropped when the Go field has `omitempty` and is not a pointer; a non-pointer
// message that decodes empty is dropped (Go would print `{}` for it, as it does for a JSON body that leaves it out,
// so both inputs reach the registry in the same shape); a pointer message is kept even when empty (`emptyDir: {}`
// selects the volume type). Unset Times are dropped rather than printed as null. Unknown field numbers are skipped.
import protobuf from 'protobufjs/minimal.js'

import {badRequest, StatusError} from '../../../api/errors.js'
import {kindMessage} from './schema.js'
import type {FieldDesc, MessageDesc} from './schema.js'

const {Reader} = protobuf
type Reader = protobuf.Reader

/** PROTOBUF_MEDIA_TYPE is the content type of Kubernetes protobuf bodies. */
export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf'

/** PROTOBUF_MAGIC is the prefix of every Kubernetes protobuf body: "k8s" and a zero byte. */
export const PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00])

/** DecodedBody is a decoded protobuf body: the type from runtime.Unknown and the object with apiVersion and kind set. */
export interface DecodedBody {
  apiVersion: string
  kind: string
  object: Record<string, unknown>
}

/** isProtobufMediaType reports whether a Content-Type header names the Kubernetes protobuf encoding. */
export function isProtobufMediaType(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0].trim().toLowerCase() === PROTOBUF_MEDIA_TYPE
}

/**
 * decodeProtobufBody decodes a request body. It throws a 400 StatusError (BadRequest) for a body without the magic,
 * a malformed message or a kind the table does not know, with the apiserver's wording where it has one.
 */
export function decodeProtobufBody(buf: Uint8Array): DecodedBody {
  if (buf.length === 0) throw badRequest('empty data')
  if (buf.length < PROTOBUF_MAGIC.length || !PROTOBUF_MAGIC.equals(buf.subarray(0, PROTOBUF_MAGIC.length))) {
    throw badRequest('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]')
  }
  try {
    const unknown = readUnknown(buf.subarray(PROTOBUF_MAGIC.length))
    if (!unknown.kind) throw badRequest("Object 'Kind' is missing in protobuf body")
    if (!unknown.apiVersion) throw badRequest("Object 'apiVersion' is missing in protobuf body")
    if (unknown.contentEncoding) throw badRequest(`unsupported protobuf content encoding "${unknown.contentEncoding}"`)
    const desc = kindMessage(unknown.apiVersion, unknown.kind)
    if (!desc) throw badRequest(`no kind "${unknown.kind}" is registered for version "${unknown.apiVersion}"`)
    // kind before apiVersion, as metav1.TypeMeta orders them (and a real apiserver prints them)
    const object = {kind: unknown.kind, apiVersion: unknown.apiVersion, ...decodeMessage(desc, unknown.raw)}
    return {apiVersion: unknown.apiVersion, kind: unknown.kind, object}
  } catch (error) {
    if (error instanceof StatusError) throw error
    throw badRequest(`unable to decode protobuf body: ${(error as Error).message}`)
  }
}

interface Unknown {
  apiVersion: string
  kind: string
  raw: Uint8Array
  contentEncoding: string
}

// readUnknown reads the runtime.Unknown envelope (apimachinery/pkg/runtime/generated.proto).
function readUnknown(bytes: Uint8Array): Unknown {
  const out: Unknown = {apiVersion: '', kind: '', raw: new Uint8Array(), contentEncoding: ''}
  const r = Reader.create(bytes)
  while (r.pos < r.len) {
    const tag = r.uint32()
    const num = tag >>> 3
    const wire = tag & 7
    if (wire !== 2 || num < 1 || num > 4) {
      r.skipType(wire)
    } else if (num === 1) {
      const t = Reader.create(r.bytes())
      while (t.pos < t.len) {
        const tt = t.uint32()
        if ((tt & 7) === 2 && tt >>> 3 === 1) out.apiVersion = t.string()
        else if ((tt & 7) === 2 && tt >>> 3 === 2) out.kind = t.string()
        else t.skipType(tt & 7)
      }
    } else if (num === 2) out.raw = r.bytes()
    else if (num === 3) out.contentEncoding = r.string()
    else r.skipType(wire)
  }
  return out
}

/** decodeMessage decodes the bytes of one message of the table into a JSON object (keys in Go struct order). */
export function decodeMessage(desc: MessageDesc, bytes: Uint8Array): Record<string, unknown> {
  const values = new Map<FieldDesc, unknown>()
  const r = Reader.create(bytes)
  while (r.pos < r.len) {
    const tag = r.uint32()
    const wire = tag & 7
    const f = desc.byNumber.get(tag >>> 3)
    if (!f) {
      r.skipType(wire)
      continue
    }
    if (f.map) {
      if (wire !== 2) {
        r.skipType(wire)
        continue
      }
      const entries = (values.get(f) as Map<string, unknown> | undefined) ?? new Map<string, unknown>()
      const [key, value] = readMapEntry(f, r.bytes())
      entries.set(key, value)
      values.set(f, entries)
    } else if (f.repeated) {
      const items = (values.get(f) as unknown[] | undefined) ?? []
      if (wire === 2 && f.kind === 'scalar' && packable(f)) {
        const end = r.uint32() + r.pos
        while (r.pos < end) items.push(readScalar(f, r))
      } else if (wire === wireType(f)) {
        items.push(readValue(f, r) ?? null)
      } else {
        r.skipType(wire)
        continue
      }
      values.set(f, items)
    } else if (wire === wireType(f)) {
      values.set(f, readValue(f, r))
    } else {
      r.skipType(wire)
    }
  }
  const out: Record<string, unknown> = {}
  for (const f of desc.fields) {
    if (!values.has(f)) continue
    const v = values.get(f)
    if (f.map) {
      const entries = v as Map<string, unknown>
      // encoding/json sorts map keys; so does gogo's marshaller, but a hand-made body may not.
      const obj: Record<string, unknown> = {}
      for (const k of [...entries.keys()].sort()) obj[k] = entries.get(k)
      out[f.name] = obj
    } else if (f.repeated) {
      out[f.name] = v
    } else if (f.inline) {
      Object.assign(out, v as Record<string, unknown>)
    } else if (keep(f, v)) {
      out[f.name] = v
    }
  }
  return out
}

// keep applies Go's JSON omission rules to one singular value (see the file header).
function keep(f: FieldDesc, v: unknown): boolean {
  if (v === undefined) return false
  if (f.kind === 'message') return f.pointer || Object.keys(v as object).length > 0
  if (f.pointer || f.keepZero) return true
  return v !== '' && v !== 0 && v !== false
}

function packable(f: FieldDesc): boolean {
  return f.scalar !== 's' && f.scalar !== 'y'
}

function wireType(f: FieldDesc): number {
  if (f.kind !== 'scalar' || f.scalar === 's' || f.scalar === 'y') return 2
  return f.scalar === 'd' ? 1 : 0
}

function readValue(f: FieldDesc, r: Reader): unknown {
  if (f.kind === 'scalar') return readScalar(f, r)
  const bytes = r.bytes()
  if (f.kind === 'message') return decodeMessage(f.message!, bytes)
  return readSpecial(f, bytes)
}

function readScalar(f: FieldDesc, r: Reader): unknown {
  switch (f.scalar) {
    case 's':
      return r.string()
    case 'i':
      return r.int32()
    case 'l':
      return int64(r)
    case 'b':
      return r.bool()
    case 'y':
      return Buffer.from(r.bytes()).toString('base64')
    default:
      return r.double()
  }
}

// int64 reads a varint int64 as a number (protobufjs returns a Long when the long package is present).
function int64(r: Reader): number {
  const v = r.int64() as unknown
  return typeof v === 'number' ? v : Number(String(v))
}

function readMapEntry(f: FieldDesc, bytes: Uint8Array): [string, unknown] {
  let key = ''
  let value: unknown
  const r = Reader.create(bytes)
  while (r.pos < r.len) {
    const tag = r.uint32()
    const wire = tag & 7
    if (tag >>> 3 === 1 && wire === 2) key = r.string()
    else if (tag >>> 3 === 2 && wire === wireType(f)) value = readValue(f, r)
    else r.skipType(wire)
  }
  // A missing value is the zero value of its type (gogo omits nothing, but other encoders may).
  if (value === undefined) value = f.kind === 'scalar' || f.kind === 'special' ? zeroOf(f) : {}
  return [key, value]
}

function zeroOf(f: FieldDesc): unknown {
  if (f.kind === 'special') return f.special === 'qty' ? '0' : f.special === 'strs' ? [] : null
  return f.scalar === 's' || f.scalar === 'y' ? '' : f.scalar === 'b' ? false : 0
}

// readSpecial maps the apimachinery types that have their own JSON form; undefined means "unset, drop it".
function readSpecial(f: FieldDesc, bytes: Uint8Array): unknown {
  switch (f.special) {
    case 'time':
    case 'mtime':
      return readTime(bytes, f.special === 'mtime')
    case 'dur':
      return readDuration(bytes, f.pointer)
    case 'qty': {
      // resource.Quantity {1 string}; gogo sends the canonical form, and a zero Quantity prints as "0".
      const s = readStringField(bytes, 1)
      return s || (f.pointer ? '0' : undefined)
    }
    case 'ios':
      return readIntOrString(bytes, f.pointer)
    case 'strs':
      return readStrings(bytes)
    default:
      // runtime.RawExtension {1 raw} and meta.v1.FieldsV1 {1 Raw} carry JSON (or a nested "k8s\0" object).
      return readRaw(bytes)
  }
}

// readTime follows meta/v1/time_proto.go: an empty message is the zero time; Time keeps whole seconds and prints
// RFC 3339, MicroTime keeps microseconds and prints them always (RFC3339Micro).
function readTime(bytes: Uint8Array, micro: boolean): string | undefined {
  if (bytes.length === 0) return undefined
  let seconds = 0
  let nanos = 0
  const r = Reader.create(bytes)
  while (r.pos < r.len) {
    const tag = r.uint32()
    if (tag === 0x08) seconds = int64(r)
    else if (tag === 0x10) nanos = r.int32()
    else r.skipType(tag & 7)
  }
  const iso = new Date(seconds * 1000).toISOString().slice(0, 19)
  if (!micro) return iso + 'Z'
  return `${iso}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`
}

// readDuration reads meta.v1.Duration {1 duration int64 nanoseconds} and prints it as Go's time.Duration.String.
function readDuration(bytes: Uint8Array, pointer: boolean): string | undefined {
  let ns = 0n
  const r = Reader.create(bytes)
  while (r.pos < r.len) {
    const tag = r.uint32()
    if (tag === 0x08) ns = BigInt(String(r.int64()))
    else r.skipType(tag & 7)
  }
  if (ns === 0n && !pointer) return undefined
  return goDuration(ns)
}

/** goDuration formats nanoseconds as Go's time.Duration.String does ("1h0m0s", "1.5s", "300ms", "0s"). */
export function goDuration(ns: bigint): string {
  if (ns === 0n) return '0s'
  const sign = ns < 0n ? '-' : ''
  const u = ns < 0n ? -ns : ns
  if (u < 1000n) return `${sign}${u}ns`
  if (u < 1_000_000n) return `${sign}${fraction(u, 3)}µs`
  if (u < 1_000_000_000n) return `${sign}${fraction(u, 6)}ms`
  const hours = u / 3_600_000_000_000n
  const minutes = (u / 60_000_000_000n) % 60n
  const seconds = fraction(u % 60_000_000_000n, 9)
  if (hours > 0n) return `${sign}${hours}h${minutes}m${seconds}s`
  if (minutes > 0n) return `${sign}${minutes}m${seconds}s`
  return `${sign}${seconds}s`
}

// fraction prints v / 10^digits with the trailing zeros of the fraction removed.
function fraction(v: bigint, digits: number): string {
  const scale = 10n ** BigInt(digits)
  const frac = (v % scale).toString().padStart(digits, '0').replace(/0+$/, '')
  return frac ? `${v / scale}.${frac}` : `${v / scale}`
}

// readIntOrString follows util/intstr: {1 type (0 int, 1 string), 2 intVal, 3 strVal}. A non-pointer int 0 is how
// Go represents "unset" (defaulting treats it so, e.g. a Service's targetPort), so it is dropped.
function readIntOrString(bytes: Uint8Array, pointer: boolean): number | string | undefined {
  let type = 0
  let intVal = 0
  let strVal = ''
  const r = Reader.create(bytes)
  while (r.pos < r.len) {
    const tag = r.uint32()
    if (tag === 0x08) type = int64(r)
    else if (tag === 0x10) intVal = r.int32()
    else if (tag === 0x1a) strVal = r.string()
    else r.skipType(tag & 7)
  }
  if (type === 1) return strVal
  return intVal === 0 && !pointer ? undefined : intVal
}

function readStrings(bytes: Uint8Array): string[] {
  const out: string[] = []
  const r = Reader.create(bytes)
  while (r.pos < r.len) {
    const tag = r.uint32()
    if (tag === 0x0a) out.push(r.string())
    else r.skipType(tag & 7)
  }
  return out
}

function readStringField(bytes: Uint8Array, num: number): string {
  let s = ''
  const r = Reader.create(bytes)
  while (r.pos < r.len) {
    const tag = r.uint32()
    if (tag === ((num << 3) | 2)) s = r.string()
    else r.skipType(tag & 7)
  }
  return s
}

function readRaw(bytes: Uint8Array): unknown {
  let raw: Uint8Array | undefined
  const r = Reader.create(bytes)
  while (r.pos < r.len) {
    const tag = r.uint32()
    if (tag === 0x0a) raw = r.bytes()
    else r.skipType(tag & 7)
  }
  if (!raw || raw.length === 0) return undefined
  const buf = Buffer.from(raw)
  if (buf.subarray(0, PROTOBUF_MAGIC.length).equals(PROTOBUF_MAGIC)) return decodeProtobufBody(buf).object
  try {
    return JSON.parse(buf.toString('utf8')) as unknown
  } catch {
    throw new Error('embedded raw object is neither JSON nor a Kubernetes protobuf message')
  }
}
