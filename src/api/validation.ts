// validation.ts: name, label and annotation checks with the apiserver's exact message texts. The string checks
// follow apimachinery/pkg/util/validation/validation.go; the ObjectMeta checks follow
// apimachinery/pkg/api/validation/{generic,objectmeta}.go and pkg/apis/meta/v1/validation/validation.go (v0.32).
// Lengths are counted in UTF-8 bytes, as Go's len() counts them.
import {fieldForbidden, fieldInvalid, fieldRequired, fieldTooLong} from './errors.js'
import type {FieldError} from './errors.js'

/** utf8Length is the number of bytes s takes in UTF-8 (Go's len(s)). */
export function utf8Length(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) n += 1
    else if (c < 0x800) n += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4
        i++
      } else n += 3
    } else n += 3
  }
  return n
}

/** maxLenError: `must be no more than N characters`. */
export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`
}

/**
 * regexError explains a failed pattern check. Upstream writes each example as `'x', ` and joins them with ` or `,
 * which yields the double space users see (`'MyValue',  or 'my_value',`); kept as is.
 */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`
  let out = msg + ' (e.g. '
  examples.forEach((e, i) => {
    if (i > 0) out += ' or '
    out += `'${e}', `
  })
  return out + `regex used for validation is '${fmt}')`
}

/** emptyError: `must be non-empty`. */
export function emptyError(): string {
  return 'must be non-empty'
}

/** inclusiveRangeError: `must be between LO and HI, inclusive`. */
export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`
}

const qnameCharFmt = '[A-Za-z0-9]'
const qnameExtCharFmt = '[-A-Za-z0-9_.]'
const qualifiedNameFmt = '(' + qnameCharFmt + qnameExtCharFmt + '*)?' + qnameCharFmt
const qualifiedNameErrMsg =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
const qualifiedNameMaxLength = 63
const qualifiedNameRe = new RegExp('^' + qualifiedNameFmt + '$')

/** isQualifiedName checks a label or annotation key: an optional DNS subdomain prefix and '/', then a name. */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = []
  const parts = value.split('/')
  let name: string
  if (parts.length === 1) {
    name = parts[0]!
  } else if (parts.length === 2) {
    const prefix = parts[0]!
    name = parts[1]!
    if (prefix.length === 0) errs.push('prefix part ' + emptyError())
    else for (const m of isDNS1123Subdomain(prefix)) errs.push('prefix part ' + m)
  } else {
    return [
      'a qualified name ' +
        regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc') +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ]
  }
  if (name.length === 0) errs.push('name part ' + emptyError())
  else if (utf8Length(name) > qualifiedNameMaxLength) errs.push('name part ' + maxLenError(qualifiedNameMaxLength))
  if (!qualifiedNameRe.test(name)) {
    errs.push('name part ' + regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc'))
  }
  return errs
}

const labelValueFmt = '(' + qualifiedNameFmt + ')?'
const labelValueErrMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
/** LABEL_VALUE_MAX_LENGTH is a label value's maximum length. */
export const LABEL_VALUE_MAX_LENGTH = 63
const labelValueRe = new RegExp('^' + labelValueFmt + '$')

/** isValidLabelValue checks a label value (may be empty). */
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = []
  if (utf8Length(value) > LABEL_VALUE_MAX_LENGTH) errs.push(maxLenError(LABEL_VALUE_MAX_LENGTH))
  if (!labelValueRe.test(value)) errs.push(regexError(labelValueErrMsg, labelValueFmt, 'MyValue', 'my_value', '12345'))
  return errs
}

const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?'
const dns1123LabelErrMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
/** DNS1123_LABEL_MAX_LENGTH is a DNS label's maximum length. */
export const DNS1123_LABEL_MAX_LENGTH = 63
const dns1123LabelRe = new RegExp('^' + dns1123LabelFmt + '$')
const dns1123SubdomainFmt = dns1123LabelFmt + '(\\.' + dns1123LabelFmt + ')*'
const dns1123SubdomainErrMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
/** DNS1123_SUBDOMAIN_MAX_LENGTH is a DNS subdomain's maximum length. */
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253
const dns1123SubdomainRe = new RegExp('^' + dns1123SubdomainFmt + '$')

/** isDNS1123Label checks an RFC 1123 label (namespace names, most port and container names). */
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = []
  if (utf8Length(value) > DNS1123_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1123_LABEL_MAX_LENGTH))
  if (!dns1123LabelRe.test(value)) {
    // A valid subdomain that is not a valid label can only be wrong because of its dots.
    if (dns1123SubdomainRe.test(value)) errs.push('must not contain dots')
    else errs.push(regexError(dns1123LabelErrMsg, dns1123LabelFmt, 'my-name', '123-abc'))
  }
  return errs
}

/** isDNS1123Subdomain checks an RFC 1123 subdomain (most object names). */
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = []
  if (utf8Length(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH))
  if (!dns1123SubdomainRe.test(value)) errs.push(regexError(dns1123SubdomainErrMsg, dns1123SubdomainFmt, 'example.com'))
  return errs
}

const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?'
const dns1035LabelErrMsg =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character"
const dns1035LabelRe = new RegExp('^' + dns1035LabelFmt + '$')

/** isDNS1035Label checks an RFC 1035 label (Service names). */
export function isDNS1035Label(value: string): string[] {
  const errs: string[] = []
  if (utf8Length(value) > 63) errs.push(maxLenError(63))
  if (!dns1035LabelRe.test(value)) errs.push(regexError(dns1035LabelErrMsg, dns1035LabelFmt, 'my-name', 'abc-123'))
  return errs
}

const cIdentifierFmt = '[A-Za-z_][A-Za-z0-9_]*'
const cIdentifierRe = new RegExp('^' + cIdentifierFmt + '$')

/** isCIdentifier checks a C identifier. */
export function isCIdentifier(value: string): string[] {
  if (cIdentifierRe.test(value)) return []
  const msg =
    "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_'"
  return [regexError(msg, cIdentifierFmt, 'my_name', 'MY_NAME', 'MyName')]
}

/** isValidPortNum checks 1..65535. */
export function isValidPortNum(port: number): string[] {
  return port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)]
}

/** isInRange checks lo <= value <= hi. */
export function isInRange(value: number, lo: number, hi: number): string[] {
  return value >= lo && value <= hi ? [] : [inclusiveRangeError(lo, hi)]
}

/** isValidPortName checks an IANA_SVC_NAME (container port names). */
export function isValidPortName(port: string): string[] {
  const errs: string[] = []
  if (utf8Length(port) > 15) errs.push(maxLenError(15))
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)')
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)')
  if (port.includes('--')) errs.push('must not contain consecutive hyphens')
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errs.push('must not begin or end with a hyphen')
  return errs
}

function hasChDirPrefix(value: string): string[] {
  if (value === '.') return [`must not be '.'`]
  if (value === '..') return [`must not be '..'`]
  if (value.startsWith('..')) return [`must not start with '..'`]
  return []
}

/** isConfigMapKey checks a ConfigMap or Secret data key. */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = []
  if (utf8Length(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH))
  const fmt = '[-._a-zA-Z0-9]+'
  if (!new RegExp('^' + fmt + '$').test(value)) {
    const msg = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"
    errs.push(regexError(msg, fmt, 'key.name', 'KEY_NAME', 'key-name'))
  }
  return errs.concat(hasChDirPrefix(value))
}

/** isEnvVarName checks an environment variable name (the strict, pre-relaxed rule). */
export function isEnvVarName(value: string): string[] {
  const errs: string[] = []
  const fmt = '[-._a-zA-Z][-._a-zA-Z0-9]*'
  if (!new RegExp('^' + fmt + '$').test(value)) {
    const msg =
      "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit"
    errs.push(regexError(msg, fmt, 'my.env-name', 'MY_ENV.NAME', 'MyEnvName1'))
  }
  return errs.concat(hasChDirPrefix(value))
}

/**
 * ValidateNameFunc checks a resource's name; prefix is true when the value is a generateName that gets a
 * random suffix appended. Returns the failure descriptions (follows api/validation/generic.go).
 */
export type ValidateNameFunc = (name: string, prefix: boolean) => string[]

/**
 * maskTrailingDash lets a generateName end with '-'. Upstream drops the last two characters and appends 'a'
 * (name[:len-2] + "a"), not just the dash; kept so the same prefixes pass and fail.
 */
export function maskTrailingDash(name: string): string {
  if (name.length > 1 && name.endsWith('-')) return name.slice(0, name.length - 2) + 'a'
  return name
}

/** nameIsDNSSubdomain is the ValidateNameFunc of most kinds (Pod, Deployment, ConfigMap, ...). */
export const nameIsDNSSubdomain: ValidateNameFunc = (name, prefix) =>
  isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name)

/** nameIsDNSLabel is the ValidateNameFunc of Namespaces (and the namespace field). */
export const nameIsDNSLabel: ValidateNameFunc = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name)

/** nameIsDNS1035Label is the ValidateNameFunc of Services. */
export const nameIsDNS1035Label: ValidateNameFunc = (name, prefix) =>
  isDNS1035Label(prefix ? maskTrailingDash(name) : name)

/** TOTAL_ANNOTATION_SIZE_LIMIT_B is the limit on the summed size of annotation keys and values (256 KiB). */
export const TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * 1024

/** FIELD_IMMUTABLE_ERROR_MSG is the detail of an update that changes an immutable field. */
export const FIELD_IMMUTABLE_ERROR_MSG = 'field is immutable'

/** IS_NEGATIVE_ERROR_MSG is the detail of a negative value where one is not allowed. */
export const IS_NEGATIVE_ERROR_MSG = 'must be greater than or equal to 0'

/** goStringSlice prints a []string as Go's %#v does (`[]string{"a", "b"}`, `[]string(nil)` for null). */
export function goStringSlice(values: readonly string[] | null | undefined): string {
  if (values === null || values === undefined) return '[]string(nil)'
  return `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`
}

/**
 * fieldInvalidRendered is fieldInvalid for values that errors.ts's formatValue does not print as Go does
 * (string slices): the caller passes the rendered value.
 */
export function fieldInvalidRendered(field: string, rendered: string, detail: string): FieldError {
  return {type: 'FieldValueInvalid', field, message: `Invalid value: ${rendered}: ${detail}`}
}

/** validateLabelName checks one label key; errors are reported at fieldPath itself, as upstream does. */
export function validateLabelName(key: string, fieldPath: string): FieldError[] {
  return isQualifiedName(key).map((m) => fieldInvalid(fieldPath, key, m))
}

/** validateLabels checks label keys and values (metadata.labels, matchLabels, nodeSelector, ...). */
export function validateLabels(labels: Record<string, string> | null | undefined, fieldPath: string): FieldError[] {
  const errs: FieldError[] = []
  for (const [k, v] of Object.entries(labels ?? {})) {
    errs.push(...validateLabelName(k, fieldPath))
    for (const m of isValidLabelValue(v)) errs.push(fieldInvalid(fieldPath, v, m))
  }
  return errs
}

/** annotationsSize is the summed UTF-8 size of annotation keys and values. */
export function annotationsSize(annotations: Record<string, string> | null | undefined): number {
  let total = 0
  for (const [k, v] of Object.entries(annotations ?? {})) total += utf8Length(k) + utf8Length(v ?? '')
  return total
}

/**
 * validateAnnotations checks annotation keys (qualified names, case-insensitive) and the 256 KiB total, which
 * reads `metadata.annotations: Too long: may not be more than 262144 bytes` in 1.32.
 */
export function validateAnnotations(
  annotations: Record<string, string> | null | undefined,
  fieldPath: string,
): FieldError[] {
  const errs: FieldError[] = []
  for (const k of Object.keys(annotations ?? {})) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(fieldInvalid(fieldPath, k, m))
  }
  if (annotationsSize(annotations) > TOTAL_ANNOTATION_SIZE_LIMIT_B) {
    errs.push(fieldTooLong(fieldPath, TOTAL_ANNOTATION_SIZE_LIMIT_B))
  }
  return errs
}

/** ObjectMetaOptions says how validateObjectMeta treats a kind. */
export interface ObjectMetaOptions {
  /** true for namespaced kinds: namespace required; false: namespace forbidden. */
  namespaced: boolean
  /** name rule of the kind; default nameIsDNSSubdomain. */
  nameFn?: ValidateNameFunc
  /** path of the metadata; default `metadata`. */
  fieldPath?: string
}

/**
 * validateObjectMetaName checks generateName and name as ValidateObjectMetaAccessor does: every failure of the
 * name rule becomes one Invalid error; an empty name gives `Required value: name or generateName is required`.
 * Call it after the name was generated from generateName.
 */
export function validateObjectMetaName(
  name: string | undefined,
  generateName: string | undefined,
  opts: {nameFn?: ValidateNameFunc; fieldPath?: string} = {},
): FieldError[] {
  const nameFn = opts.nameFn ?? nameIsDNSSubdomain
  const p = opts.fieldPath ?? 'metadata'
  const errs: FieldError[] = []
  if (generateName) {
    for (const m of nameFn(generateName, true)) errs.push(fieldInvalid(`${p}.generateName`, generateName, m))
  }
  if (!name) errs.push(fieldRequired(`${p}.name`, 'name or generateName is required'))
  else for (const m of nameFn(name, false)) errs.push(fieldInvalid(`${p}.name`, name, m))
  return errs
}

/** ObjectMetaLike is the part of ObjectMeta that validation reads. */
export interface ObjectMetaLike {
  name?: string
  generateName?: string
  namespace?: string
  generation?: number
  labels?: Record<string, string>
  annotations?: Record<string, string>
  ownerReferences?: OwnerReferenceLike[]
  finalizers?: string[]
  resourceVersion?: string
  uid?: string
}

/** OwnerReferenceLike is the part of an OwnerReference that validation reads. */
export interface OwnerReferenceLike {
  apiVersion?: string
  kind?: string
  name?: string
  uid?: string
  controller?: boolean
}

/** validateOwnerReferences checks each reference and that at most one is the controller. */
export function validateOwnerReferences(
  refs: OwnerReferenceLike[] | null | undefined,
  fieldPath: string,
): FieldError[] {
  const errs: FieldError[] = []
  let firstController = ''
  for (const ref of refs ?? []) {
    const apiVersion = ref.apiVersion ?? ''
    const slash = apiVersion.lastIndexOf('/')
    const group = slash >= 0 ? apiVersion.slice(0, slash) : ''
    const version = slash >= 0 ? apiVersion.slice(slash + 1) : apiVersion
    if (!version) errs.push(fieldInvalid(`${fieldPath}.apiVersion`, apiVersion, 'version must not be empty'))
    if (!ref.kind) errs.push(fieldInvalid(`${fieldPath}.kind`, ref.kind ?? '', 'kind must not be empty'))
    if (!ref.name) errs.push(fieldInvalid(`${fieldPath}.name`, ref.name ?? '', 'name must not be empty'))
    if (!ref.uid) errs.push(fieldInvalid(`${fieldPath}.uid`, ref.uid ?? '', 'uid must not be empty'))
    if (group === '' && version === 'v1' && ref.kind === 'Event') {
      errs.push(fieldInvalid(fieldPath, ref, '/v1, Kind=Event is disallowed from being an owner'))
    }
    if (ref.controller) {
      const cur = `${ref.kind ?? ''}/${ref.name ?? ''}`
      if (firstController) {
        errs.push(
          fieldInvalid(
            fieldPath,
            refs,
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${cur}`,
          ),
        )
      } else firstController = cur
    }
  }
  return errs
}

/** validateFinalizers checks finalizer names and that orphan and foregroundDeletion are not both set. */
export function validateFinalizers(finalizers: string[] | null | undefined, fieldPath: string): FieldError[] {
  const errs: FieldError[] = []
  for (const f of finalizers ?? []) for (const m of isQualifiedName(f)) errs.push(fieldInvalid(fieldPath, f, m))
  const list = finalizers ?? []
  if (list.includes('orphan') && list.includes('foregroundDeletion')) {
    errs.push(
      fieldInvalidRendered(
        fieldPath,
        goStringSlice(list),
        'finalizer orphan and foregroundDeletion cannot be both set',
      ),
    )
  }
  return errs
}

/**
 * validateObjectMeta checks metadata on create, in upstream's order: generateName, name, namespace, generation,
 * labels, annotations, ownerReferences, finalizers.
 */
export function validateObjectMeta(meta: ObjectMetaLike | undefined, opts: ObjectMetaOptions): FieldError[] {
  const m = meta ?? {}
  const p = opts.fieldPath ?? 'metadata'
  const nameOpts: {nameFn?: ValidateNameFunc; fieldPath: string} = {fieldPath: p}
  if (opts.nameFn) nameOpts.nameFn = opts.nameFn
  const errs = validateObjectMetaName(m.name, m.generateName, nameOpts)
  if (opts.namespaced) {
    if (!m.namespace) errs.push(fieldRequired(`${p}.namespace`))
    else
      for (const msg of nameIsDNSLabel(m.namespace, false)) errs.push(fieldInvalid(`${p}.namespace`, m.namespace, msg))
  } else if (m.namespace) {
    errs.push(fieldForbidden(`${p}.namespace`, 'not allowed on this type'))
  }
  if (typeof m.generation === 'number' && m.generation < 0) {
    errs.push(fieldInvalid(`${p}.generation`, m.generation, IS_NEGATIVE_ERROR_MSG))
  }
  errs.push(...validateLabels(m.labels, `${p}.labels`))
  errs.push(...validateAnnotations(m.annotations, `${p}.annotations`))
  errs.push(...validateOwnerReferences(m.ownerReferences, `${p}.ownerReferences`))
  errs.push(...validateFinalizers(m.finalizers, `${p}.finalizers`))
  return errs
}

/**
 * validateObjectMetaUpdate checks metadata on update: resourceVersion present, generation not decremented,
 * name/namespace/uid unchanged, then labels, annotations and ownerReferences. (Timestamps and the no-new-finalizers
 * rule during deletion are left to the registry.)
 */
export function validateObjectMetaUpdate(
  newMeta: ObjectMetaLike | undefined,
  oldMeta: ObjectMetaLike | undefined,
  fieldPath = 'metadata',
): FieldError[] {
  const n = newMeta ?? {}
  const o = oldMeta ?? {}
  const p = fieldPath
  const errs: FieldError[] = []
  if (!n.resourceVersion) {
    errs.push(fieldInvalid(`${p}.resourceVersion`, n.resourceVersion ?? '', 'must be specified for an update'))
  }
  if ((n.generation ?? 0) < (o.generation ?? 0)) {
    errs.push(fieldInvalid(`${p}.generation`, n.generation ?? 0, 'must not be decremented'))
  }
  for (const f of ['name', 'namespace', 'uid'] as const) {
    if ((n[f] ?? '') !== (o[f] ?? '')) errs.push(fieldInvalid(`${p}.${f}`, n[f] ?? '', FIELD_IMMUTABLE_ERROR_MSG))
  }
  errs.push(...validateLabels(n.labels, `${p}.labels`))
  errs.push(...validateAnnotations(n.annotations, `${p}.annotations`))
  errs.push(...validateOwnerReferences(n.ownerReferences, `${p}.ownerReferences`))
  return errs
}

/** formatFieldError renders one error as field.Error.Error() does: `<field>: <message>`. */
export function formatFieldError(e: FieldError): string {
  return `${e.field}: ${e.message}`
}

/**
 * aggregateMessage renders a list as utilerrors.Aggregate does: duplicates dropped, one message bare, several
 * as `[a, b]`.
 */
export function aggregateMessage(messages: readonly string[]): string {
  const seen: string[] = []
  for (const m of messages) if (!seen.includes(m)) seen.push(m)
  if (seen.length === 1) return seen[0]!
  return `[${seen.join(', ')}]`
}
