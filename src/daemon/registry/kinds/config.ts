// config.ts: ConfigMap and Secret. Secret decoding follows the v1 conversion (stringData merged into data, data
// values base64) and SetDefaults_Secret (type Opaque); validation follows ValidateConfigMap(Update) and
// ValidateSecret(Update) in pkg/apis/core/validation/validation.go.
import {isDeepStrictEqual} from 'node:util'
import {fieldForbidden, fieldInvalid, fieldRequired, fieldTooLong, type FieldError} from '../../../api/errors.js'
import type {KubeObject} from '../../../api/object.js'
import {isConfigMapKey, utf8Length} from '../../../api/validation.js'
import type {Strategy, StrategyContext} from '../types.js'
import {decodeError, isObject} from './go-format.js'

/** MAX_SECRET_SIZE is core.MaxSecretSize (1 MiB), the limit for Secrets and ConfigMaps. */
export const MAX_SECRET_SIZE = 1024 * 1024

const IMMUTABLE_MSG = 'field is immutable when `immutable` is set'

function validateImmutable(o: KubeObject, old: KubeObject, fields: string[]): FieldError[] {
  const errs: FieldError[] = []
  if ((old as any).immutable !== true) return errs
  if ((o as any).immutable !== true) errs.push(fieldForbidden('immutable', IMMUTABLE_MSG))
  for (const f of fields) if (!isDeepStrictEqual(o[f] ?? {}, old[f] ?? {})) errs.push(fieldForbidden(f, IMMUTABLE_MSG))
  return errs
}

function validateConfigMap(o: KubeObject): FieldError[] {
  const errs: FieldError[] = []
  const data = (isObject(o.data) ? o.data : {}) as Record<string, unknown>
  const binary = (isObject(o.binaryData) ? o.binaryData : {}) as Record<string, unknown>
  let total = 0
  for (const [k, v] of Object.entries(data)) {
    for (const m of isConfigMapKey(k)) errs.push(fieldInvalid(`data[${k}]`, k, m))
    if (k in binary) errs.push(fieldInvalid(`data[${k}]`, k, 'duplicate of key present in binaryData'))
    total += utf8Length(String(v ?? ''))
  }
  for (const [k, v] of Object.entries(binary)) {
    for (const m of isConfigMapKey(k)) errs.push(fieldInvalid(`binaryData[${k}]`, k, m))
    if (k in data) errs.push(fieldInvalid(`binaryData[${k}]`, k, 'duplicate of key present in data'))
    total += Buffer.from(String(v ?? ''), 'base64').length
  }
  if (total > MAX_SECRET_SIZE) errs.push(fieldTooLong('', MAX_SECRET_SIZE))
  return errs
}

function checkBase64(o: KubeObject, field: string, kind: string, ctx: StrategyContext) {
  const data = o[field]
  if (!isObject(data)) return
  for (const v of Object.values(data)) {
    if (v === null || v === undefined) continue
    const s = String(v).replace(/[\r\n]/g, '')
    const bad = s.search(/[^A-Za-z0-9+/=]/)
    if (bad >= 0) throw decodeError(kind, ctx.resource.version, `illegal base64 data at input byte ${bad}`)
    const pad = s.indexOf('=')
    if (s.length % 4 !== 0 || (pad >= 0 && pad < s.length - 2) || (pad >= 0 && /[^=]/.test(s.slice(pad)))) {
      const at = pad >= 0 && pad < s.length - 2 ? pad : s.length - (s.length % 4 || 4)
      throw decodeError(kind, ctx.resource.version, `illegal base64 data at input byte ${at}`)
    }
  }
}

/** configMapStrategy is the ConfigMap strategy. */
export const configMapStrategy: Strategy = {
  prepareForCreate(o, ctx) {
    checkBase64(o, 'binaryData', 'ConfigMap', ctx)
  },
  prepareForUpdate(o, _old, ctx) {
    checkBase64(o, 'binaryData', 'ConfigMap', ctx)
  },
  validate: validateConfigMap,
  validateUpdate(o, old) {
    return [...validateImmutable(o, old, ['data', 'binaryData']), ...validateConfigMap(o)]
  },
}

/** decodeSecret merges stringData into base64 data and defaults the type, as decoding a v1 Secret does. */
function decodeSecret(o: KubeObject, ctx: StrategyContext) {
  checkBase64(o, 'data', 'Secret', ctx)
  if (isObject(o.data)) {
    for (const [k, v] of Object.entries(o.data)) if (v === null || v === undefined) (o.data as any)[k] = ''
  }
  if (isObject(o.stringData)) {
    const data = (isObject(o.data) ? o.data : {}) as Record<string, string>
    for (const [k, v] of Object.entries(o.stringData)) data[k] = Buffer.from(String(v ?? ''), 'utf8').toString('base64')
    o.data = data
  }
  delete o.stringData
  if (!o.type) o.type = 'Opaque'
}

function jsonError(bytes: Buffer): string | undefined {
  const text = bytes.toString('utf8')
  try {
    JSON.parse(text)
    return undefined
  } catch {
    const trimmed = text.trim()
    if (trimmed === '') return 'unexpected end of JSON input'
    const first = trimmed[0]!
    if (!'{["-0123456789tfn'.includes(first)) return `invalid character '${first}' looking for beginning of value`
    return 'unexpected end of JSON input'
  }
}

function validateSecret(o: KubeObject): FieldError[] {
  const errs: FieldError[] = []
  const data = (isObject(o.data) ? o.data : {}) as Record<string, string>
  const bytes = (k: string) => Buffer.from(String(data[k] ?? ''), 'base64')
  let total = 0
  for (const k of Object.keys(data)) {
    for (const m of isConfigMapKey(k)) errs.push(fieldInvalid(`data[${k}]`, k, m))
    total += bytes(k).length
  }
  if (total > MAX_SECRET_SIZE) errs.push(fieldTooLong('data', MAX_SECRET_SIZE))
  const has = (k: string) => Object.prototype.hasOwnProperty.call(data, k)
  switch (o.type) {
    case 'kubernetes.io/service-account-token':
      if (!o.metadata?.annotations?.['kubernetes.io/service-account.name']) {
        errs.push(fieldRequired('metadata.annotations[kubernetes.io/service-account.name]'))
      }
      break
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const key = o.type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson'
      if (!has(key)) {
        errs.push(fieldRequired(`data[${key}]`))
        break
      }
      const err = jsonError(bytes(key))
      if (err) errs.push(fieldInvalid(`data[${key}]`, '<secret contents redacted>', err))
      break
    }
    case 'kubernetes.io/basic-auth':
      if (!has('username') && !has('password')) {
        errs.push(fieldRequired('data[username]'), fieldRequired('data[password]'))
      }
      break
    case 'kubernetes.io/ssh-auth':
      if (bytes('ssh-privatekey').length === 0) errs.push(fieldRequired('data[ssh-privatekey]'))
      break
    case 'kubernetes.io/tls':
      if (!has('tls.crt')) errs.push(fieldRequired('data[tls.crt]'))
      if (!has('tls.key')) errs.push(fieldRequired('data[tls.key]'))
      break
    default:
  }
  return errs
}

/** secretStrategy is the Secret strategy. */
export const secretStrategy: Strategy = {
  prepareForCreate: decodeSecret,
  prepareForUpdate(o, _old, ctx) {
    decodeSecret(o, ctx)
  },
  validate: validateSecret,
  validateUpdate(o, old) {
    const errs: FieldError[] = []
    if (o.type !== old.type) errs.push(fieldInvalid('type', o.type ?? '', 'field is immutable'))
    errs.push(...validateImmutable(o, old, ['data']))
    return [...errs, ...validateSecret(o)]
  },
}
