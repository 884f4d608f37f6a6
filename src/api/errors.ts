// errors.ts holds the Kubernetes Status error and its constructors, worded as apimachinery's
// pkg/api/errors/errors.go words them. The daemon answers every failure with one of these; the CLI parses the
// Status body back into the same class.

/** StatusCause is one field-level reason inside a Status. */
export interface StatusCause {
  reason?: string
  message?: string
  field?: string
}

/** StatusDetails carries the object a Status is about. */
export interface StatusDetails {
  name?: string
  group?: string
  kind?: string
  uid?: string
  causes?: StatusCause[]
  retryAfterSeconds?: number
}

/** Status is meta/v1 Status. */
export interface Status {
  kind: 'Status'
  apiVersion: 'v1'
  metadata: {resourceVersion?: string}
  status: 'Success' | 'Failure'
  message?: string
  reason?: string
  details?: StatusDetails
  code: number
}

/** StatusError is a failure that carries a Kubernetes Status. */
export class StatusError extends Error {
  constructor(readonly status: Status) {
    super(status.message ?? status.reason ?? 'unknown error')
    this.name = 'StatusError'
  }
  get code(): number {
    return this.status.code
  }
  get reason(): string {
    return this.status.reason ?? ''
  }
}

/** statusError builds a failure Status. */
export function statusError(code: number, reason: string, message: string, details?: StatusDetails): StatusError {
  const s: Status = {kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code}
  if (details && Object.keys(details).length > 0) s.details = details
  return new StatusError(s)
}

/** GR names a resource the way errors do: plural plus group. */
export interface GR {
  group: string
  plural: string
}

function grString(gr: GR): string {
  return gr.group ? `${gr.plural}.${gr.group}` : gr.plural
}

function grDetails(gr: GR, name: string): StatusDetails {
  const d: StatusDetails = {name}
  if (gr.group) d.group = gr.group
  d.kind = gr.plural
  return d
}

/** notFound: `deployments.apps "web" not found` (404). */
export function notFound(gr: GR, name: string): StatusError {
  return statusError(404, 'NotFound', `${grString(gr)} "${name}" not found`, grDetails(gr, name))
}

/** alreadyExists: `pods "web" already exists` (409). */
export function alreadyExists(gr: GR, name: string): StatusError {
  return statusError(409, 'AlreadyExists', `${grString(gr)} "${name}" already exists`, grDetails(gr, name))
}

/** conflict: the stale-resourceVersion error (409). */
export function conflict(gr: GR, name: string, detail?: string): StatusError {
  const why = detail ?? 'the object has been modified; please apply your changes to the latest version and try again'
  return statusError(409, 'Conflict', `Operation cannot be fulfilled on ${grString(gr)} "${name}": ${why}`, grDetails(gr, name))
}

/** FieldError is one validation failure, as field.Error renders it. */
export interface FieldError {
  /** FieldValueRequired, FieldValueInvalid, FieldValueNotSupported, FieldValueForbidden, FieldValueDuplicate, ... */
  type: 'FieldValueRequired' | 'FieldValueNotFound' | 'FieldValueInvalid' | 'FieldValueNotSupported' | 'FieldValueForbidden' | 'FieldValueDuplicate' | 'FieldValueTooLong' | 'FieldValueTooMany' | 'FieldValueTypeInvalid' | 'InternalError'
  field: string
  /** the already formatted message after "<field>: ", e.g. `Invalid value: "Web": a lowercase RFC 1123 ...`. */
  message: string
}

/** fieldInvalid: `Invalid value: <value>: <detail>`. */
export function fieldInvalid(field: string, value: unknown, detail: string): FieldError {
  return {type: 'FieldValueInvalid', field, message: `Invalid value: ${formatValue(value)}: ${detail}`}
}

/** fieldRequired: `Required value[: detail]`. */
export function fieldRequired(field: string, detail = ''): FieldError {
  return {type: 'FieldValueRequired', field, message: detail ? `Required value: ${detail}` : 'Required value'}
}

/** fieldNotSupported: `Unsupported value: "x": supported values: "a", "b"`. */
export function fieldNotSupported(field: string, value: unknown, valid: string[]): FieldError {
  const list = valid.map((v) => JSON.stringify(v)).join(', ')
  return {type: 'FieldValueNotSupported', field, message: `Unsupported value: ${formatValue(value)}: supported values: ${list}`}
}

/** fieldForbidden: `Forbidden: detail`. */
export function fieldForbidden(field: string, detail: string): FieldError {
  return {type: 'FieldValueForbidden', field, message: `Forbidden: ${detail}`}
}

/** fieldDuplicate: `Duplicate value: <value>`. */
export function fieldDuplicate(field: string, value: unknown): FieldError {
  return {type: 'FieldValueDuplicate', field, message: `Duplicate value: ${formatValue(value)}`}
}

/** fieldTooLong: `Too long: may not be more than N bytes`. */
export function fieldTooLong(field: string, max: number): FieldError {
  return {type: 'FieldValueTooLong', field, message: `Too long: may not be more than ${max} bytes`}
}

/** formatValue prints a value as field.Error does: strings quoted, numbers bare, objects as Go would show them. */
export function formatValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v)
  if (v === null || v === undefined) return 'null'
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v)
  return JSON.stringify(v)
}

/**
 * invalid: the 422 for a failed validation. kind is the Kind ("Deployment"), group its API group.
 * Message: `Deployment.apps "web" is invalid: [a: b, c: d]` (brackets only for several causes).
 */
export function invalid(kind: string, group: string, name: string, errs: FieldError[]): StatusError {
  const qualified = group ? `${kind}.${group}` : kind
  const parts = errs.map((e) => `${e.field}: ${e.message}`)
  const agg = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`
  const details: StatusDetails = {name, kind, causes: errs.map((e) => ({reason: e.type, message: e.message, field: e.field}))}
  if (group) details.group = group
  return statusError(422, 'Invalid', `${qualified} "${name}" is invalid: ${agg}`, details)
}

/** badRequest (400). */
export function badRequest(message: string): StatusError {
  return statusError(400, 'BadRequest', message)
}

/** gone: `too old resource version: X (Y)` (410 Expired). */
export function gone(requested: number | string, compact: number | string): StatusError {
  return statusError(410, 'Expired', `too old resource version: ${requested} (${compact})`)
}

/** methodNotAllowed (405). */
export function methodNotAllowed(): StatusError {
  return statusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource')
}

/** notFoundPath: the 404 for an unknown URL. */
export function notFoundPath(): StatusError {
  return statusError(404, 'NotFound', 'the server could not find the requested resource')
}

/** unauthorized (401). */
export function unauthorized(): StatusError {
  return statusError(401, 'Unauthorized', 'Unauthorized')
}

/** forbidden: `<gr> "<name>" is forbidden: <why>` (403). */
export function forbidden(gr: GR, name: string, why: string): StatusError {
  const subject = name ? `${grString(gr)} "${name}"` : grString(gr)
  return statusError(403, 'Forbidden', `${subject} is forbidden: ${why}`, grDetails(gr, name))
}

/** unsupportedMediaType (415). */
export function unsupportedMediaType(contentType: string): StatusError {
  return statusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (got ${contentType})`,
  )
}

/** notAcceptable (406). */
export function notAcceptable(message: string): StatusError {
  return statusError(406, 'NotAcceptable', message)
}

/** internalError (500): `Internal error occurred: <msg>`. */
export function internalError(message: string): StatusError {
  return statusError(500, 'InternalError', `Internal error occurred: ${message}`, {causes: [{message}]})
}

/** tooLarge (413). */
export function tooLarge(message = 'Request entity too large: limit is 3145728'): StatusError {
  return statusError(413, 'RequestEntityTooLarge', message)
}

/** isNotFound, isConflict, isAlreadyExists: reason tests that work on any thrown value. */
export function isNotFound(e: unknown): boolean {
  return e instanceof StatusError && e.reason === 'NotFound'
}
export function isConflict(e: unknown): boolean {
  return e instanceof StatusError && e.reason === 'Conflict'
}
export function isAlreadyExists(e: unknown): boolean {
  return e instanceof StatusError && e.reason === 'AlreadyExists'
}
