// handlers.ts: the generic REST handlers. One code path serves get, list, watch, create, update, patch, delete
// and deletecollection for every resource; subresources (status, scale, binding, eviction, token) are the
// only special cases. The registry enforces the API's rules; this file only speaks HTTP.
import type {Request, Response} from 'express'
import {
  badRequest,
  fieldForbidden,
  fieldRequired,
  invalid,
  methodNotAllowed,
  notFound,
  statusError,
  type Status,
} from '../../api/errors.js'
import type {KubeObject} from '../../api/object.js'
import {groupVersion, type ResourceInfo} from '../../api/resources.js'
import {formatLabelSelector} from '../../api/labels.js'
import {builtinPatchSchema} from '../../api/patch/index.js'
import type {Clock} from '../clock.js'
import {rfc3339} from '../clock.js'
import type {Store} from '../storage/store.js'
import type {DeleteOptions, ListOptions, Registry, WriteOptions} from '../registry/generic.js'
import {
  applyWithOwnership,
  kindSchema,
  managerOrUserAgent,
  presetTracker,
  updateTracker,
  type FieldTracker,
} from '../registry/managedfields/index.js'
import {buildTable, type TableConvertor} from '../registry/tables/index.js'
import type {UserInfo} from '../registry/types.js'
import {bindPod, evictPod} from '../registry/pod-subresources.js'
import {EPHEMERAL_SUBRESOURCE} from '../registry/ephemeral.js'
import {decodeObject, mediaType, readRaw} from './body.js'
import {sendError} from './errors.js'
import {TypeMismatchError, decodeTyped, type SchemaResolver} from './fieldvalidation.js'
import {negotiate, type Negotiated} from './negotiate.js'
import {applyPatch, type PatchType} from './patch.js'
import type {RequestInfo} from './request.js'
import {serveWatch} from './watch.js'
import {writeCachedTableList, writeJsonList, writeTableList, writeTextJsonList} from './list-stream.js'

/** HandlerDeps are what the resource handlers need. */
export interface HandlerDeps {
  registry: Registry
  clock: Clock
  /** schemaFor finds the OpenAPI schema of a kind plus a resolver for its references. */
  schemaFor(r: ResourceInfo): {schema: Record<string, any>; resolve: SchemaResolver} | undefined
  /** tableConvertor gives the Table columns of a resource (custom resources: from their CRD). */
  tableConvertor(r: ResourceInfo): TableConvertor
  /** subresource handlers filled by later parts (log, exec, attach, portforward, proxy). */
  streaming?: (req: Request, res: Response, info: RequestInfo) => boolean
  /** reviews answers authorization/authentication review creates. */
  review?: (r: ResourceInfo, body: KubeObject, user: UserInfo) => KubeObject
  /** store is the registry's store, read directly by the cached Table list (list-stream.ts); without it that cache is skipped. */
  store?: Store
}

function q(req: Request, name: string): string | undefined {
  const v = req.query[name]
  if (Array.isArray(v)) return v.length ? String(v[v.length - 1]) : undefined
  return v === undefined ? undefined : String(v)
}

function listOptions(req: Request): ListOptions {
  const o: ListOptions = {}
  const ls = q(req, 'labelSelector')
  if (ls) o.labelSelector = ls
  const fs = q(req, 'fieldSelector')
  if (fs) o.fieldSelector = fs
  const lim = q(req, 'limit')
  if (lim !== undefined && lim !== '') {
    // limit is an int64: past its range the parameter codec's strconv.ParseInt fails (400), while a value above 2^53
    // that still fits is as good as no limit here
    if (/^\d+$/.test(lim) && BigInt(lim) > 9223372036854775807n) {
      throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(lim)}: value out of range`)
    }
    const n = Number(lim)
    if (!Number.isInteger(n) || n < 0) throw badRequest(`limit must be a non-negative integer`)
    o.limit = Math.min(n, Number.MAX_SAFE_INTEGER)
  }
  const c = q(req, 'continue')
  if (c) o.continue = c
  const rv = q(req, 'resourceVersion')
  if (rv !== undefined) o.resourceVersion = rv
  const rvm = q(req, 'resourceVersionMatch')
  if (rvm) o.resourceVersionMatch = rvm
  return o
}

function writeOptions(req: Request): WriteOptions & {fieldValidation: 'Strict' | 'Warn' | 'Ignore'} {
  const dry = q(req, 'dryRun')
  if (dry !== undefined && dry !== '' && dry !== 'All') {
    throw badRequest(`Invalid dryRun value: ${dry}. Valid values are: All`)
  }
  const fv = q(req, 'fieldValidation') ?? 'Warn'
  const fvNorm = fv === '' ? 'Warn' : fv
  if (!['Strict', 'Warn', 'Ignore'].includes(fvNorm)) {
    throw badRequest(`fieldValidation must be one of "Ignore", "Warn", "Strict", got "${fv}"`)
  }
  const o: WriteOptions & {fieldValidation: 'Strict' | 'Warn' | 'Ignore'} = {fieldValidation: fvNorm as 'Strict'}
  if (dry === 'All') o.dryRun = true
  const fm = q(req, 'fieldManager')
  if (fm) o.fieldManager = fm
  return o
}

/** sendObject answers with one object, as JSON or as a one-row Table. */
function sendObject(
  res: Response,
  deps: HandlerDeps,
  r: ResourceInfo,
  obj: KubeObject | Status,
  code: number,
  neg: Negotiated,
) {
  res.status(code)
  res.setHeader('Content-Type', 'application/json')
  if (neg.table && (obj as KubeObject).kind !== 'Status') {
    const t = buildTable([obj], deps.tableConvertor(r), deps.clock.now(), {includeObject: neg.includeObject})
    res.end(JSON.stringify(t))
    return
  }
  res.end(JSON.stringify(obj))
}

function warn(res: Response, messages: string[]) {
  if (messages.length === 0) return
  res.setHeader(
    'Warning',
    messages.map((m) => `299 - ${JSON.stringify(m)}`),
  )
}

/**
 * checkFields decodes an object as the apiserver's typed decoder would (unknown fields and empty optional maps
 * dropped, in place) and applies fieldValidation: Strict rejects unknown fields, Warn reports them.
 */
function checkFields(deps: HandlerDeps, r: ResourceInfo, body: unknown, mode: string, res: Response) {
  const s = deps.schemaFor(r)
  if (!s) return
  let unknown: string[]
  try {
    unknown = decodeTyped(body, s.schema, s.resolve, '', undefined, '', !r.custom)
  } catch (e) {
    if (e instanceof TypeMismatchError)
      throw badRequest(`${r.kind} in version "${r.version}" cannot be handled as a ${r.kind}: ${e.message}`)
    throw e
  }
  if (unknown.length === 0 || mode === 'Ignore') return
  const msgs = unknown.map((f) => `unknown field "${f}"`)
  if (mode === 'Strict') {
    throw badRequest(
      `${r.kind} in version "${r.version}" cannot be handled as a ${r.kind}: strict decoding error: ${msgs.join(', ')}`,
    )
  }
  warn(res, msgs)
}

/**
 * fieldTracker records ownership (metadata.managedFields) for a non-apply write: an Update entry for the
 * fieldManager parameter, else the User-Agent's product ("kubectl"), as the apiserver's fieldmanager does.
 */
function fieldTracker(
  req: Request,
  deps: HandlerDeps,
  r: ResourceInfo,
  opts: WriteOptions,
  subresource: string | undefined,
): FieldTracker {
  const s = deps.schemaFor(r)
  return updateTracker({
    manager: managerOrUserAgent(opts.fieldManager, req.headers['user-agent']),
    apiVersion: groupVersion(r.group, r.version),
    subresource: subresource ?? '',
    now: () => rfc3339(deps.clock.now()),
    ...kindSchema(s?.schema, s?.resolve ?? (() => undefined), r.custom === true),
  })
}

function requireVerb(r: ResourceInfo, verb: string) {
  if (!r.verbs.includes(verb)) throw methodNotAllowed()
}

function deleteOptions(req: Request, body: any): DeleteOptions {
  const o: DeleteOptions = {}
  const src = body && typeof body === 'object' ? body : {}
  const gp = q(req, 'gracePeriodSeconds') ?? src.gracePeriodSeconds
  if (gp !== undefined) o.gracePeriodSeconds = Number(gp)
  const pp = q(req, 'propagationPolicy') ?? src.propagationPolicy
  if (pp !== undefined) {
    if (!['Orphan', 'Background', 'Foreground'].includes(pp)) {
      throw badRequest(
        `propagationPolicy: Unsupported value: "${pp}": supported values: "Foreground", "Background", "Orphan"`,
      )
    }
    o.propagationPolicy = pp
  }
  if (src.orphanDependents === true && !o.propagationPolicy) o.propagationPolicy = 'Orphan'
  if (src.preconditions) o.preconditions = src.preconditions
  const dry = q(req, 'dryRun') ?? (Array.isArray(src.dryRun) ? src.dryRun[0] : undefined)
  if (dry === 'All') o.dryRun = true
  return o
}

/**
 * writeSubresource is the registry option of a PUT or PATCH to a subresource that writes part of the object:
 * status, pods/ephemeralcontainers (registry/ephemeral.ts: only spec.ephemeralContainers changes) and
 * certificatesigningrequests/approval (only the Approved/Denied conditions change).
 */
function writeSubresource(r: ResourceInfo, sub: string | undefined): {subresource?: string} {
  if (sub === 'status') return {subresource: 'status'}
  if (sub === EPHEMERAL_SUBRESOURCE && r.kind === 'Pod') return {subresource: EPHEMERAL_SUBRESOURCE}
  if (sub === 'approval' && r.kind === 'CertificateSigningRequest') return {subresource: 'approval'}
  return {}
}

/** scaleOf renders a workload's autoscaling/v1 Scale. */
function scaleOf(obj: any): KubeObject {
  const m = obj.metadata ?? {}
  const sel = obj.spec?.selector
  const selector =
    obj.kind === 'ReplicationController'
      ? Object.entries(sel ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(',')
      : sel
        ? formatLabelSelector(sel)
        : ''
  const meta: Record<string, unknown> = {
    name: m.name,
    namespace: m.namespace,
    uid: m.uid,
    resourceVersion: m.resourceVersion,
    creationTimestamp: m.creationTimestamp,
  }
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: meta,
    spec: {replicas: obj.spec?.replicas ?? 0},
    status: {replicas: obj.status?.replicas ?? 0, ...(selector && selector !== '<none>' ? {selector} : {})},
  } as KubeObject
}

/** handleResource serves one resource request. */
export async function handleResource(
  req: Request,
  res: Response,
  info: RequestInfo,
  deps: HandlerDeps,
  user: UserInfo,
): Promise<void> {
  try {
    await dispatch(req, res, info, deps, user)
  } catch (e) {
    sendError(res, e)
  }
}

async function dispatch(
  req: Request,
  res: Response,
  info: RequestInfo,
  deps: HandlerDeps,
  user: UserInfo,
): Promise<void> {
  const r = info.resource
  const reg = deps.registry
  const ns = info.namespace
  const sub = info.subresource
  const method = req.method

  if (sub && ['log', 'exec', 'attach', 'portforward', 'proxy'].includes(sub)) {
    if (deps.streaming?.(req, res, info)) return
    throw statusError(400, 'BadRequest', `the ${sub} subresource is not available yet in this cluster`)
  }

  // Create-only virtual resources: access reviews, self subject reviews.
  if (r.verbs.length === 1 && r.verbs[0] === 'create' && !info.name) {
    if (method !== 'POST') throw methodNotAllowed()
    const body = decodeObject(await readRaw(req), mediaType(req))
    if (!deps.review) throw notFound({group: r.group, plural: r.plural}, '')
    const out = deps.review(r, body, user)
    sendObject(res, deps, r, out, 201, {table: false, includeObject: 'Object'})
    return
  }

  if (method === 'GET' || method === 'HEAD') {
    const neg = negotiate(req.headers.accept, q(req, 'includeObject'))
    if (!info.name) {
      const watch = q(req, 'watch')
      if (watch === 'true' || watch === '1') {
        requireVerb(r, 'watch')
        serveWatch(req, res, r, ns, listOptions(req), deps, neg)
        return
      }
      requireVerb(r, 'list')
      const lo = listOptions(req)
      if (neg.table) {
        // Tables of unchanged objects come from the row cache (list-stream.ts); anything it does not handle, and
        // every error, takes the general path below.
        const store = deps.store
        const conv = deps.tableConvertor(r)
        if (store && conv.prepare) {
          res.status(200).setHeader('Content-Type', 'application/json')
          if (await writeCachedTableList(res, store, r, ns, lo, conv, deps.clock.now(), neg.includeObject)) return
        }
      } else if (deps.store) {
        // JSON lists are written from the stored texts (list-stream.ts); selectors and errors take the general path.
        res.status(200).setHeader('Content-Type', 'application/json')
        if (await writeTextJsonList(res, deps.store, r, ns, lo)) return
      }
      const list = reg.listLazy(r, ns, lo)
      res.status(200).setHeader('Content-Type', 'application/json')
      if (neg.table) {
        await writeTableList(res, list, deps.tableConvertor(r), deps.clock.now(), {includeObject: neg.includeObject})
      } else {
        await writeJsonList(res, list)
      }
      return
    }
    requireVerb(r, 'get')
    const obj = reg.get(r, ns, info.name)
    if (sub === 'scale') return sendObject(res, deps, r, scaleOf(obj), 200, {table: false, includeObject: 'Object'})
    return sendObject(res, deps, r, obj, 200, neg)
  }

  const neg = negotiate(req.headers.accept, q(req, 'includeObject'))

  if (method === 'POST') {
    const raw = await readRaw(req)
    const type = mediaType(req)
    if (info.name && sub) return postSubresource(req, res, info, deps, decodeObject(raw, type))
    if (info.name) throw methodNotAllowed()
    requireVerb(r, 'create')
    if (r.namespaced && ns === undefined) throw methodNotAllowed()
    const opts = writeOptions(req)
    const body = decodeObject(raw, type)
    checkFields(deps, r, body, opts.fieldValidation, res)
    const out = reg.create(r, ns, body, {...opts, user, fields: fieldTracker(req, deps, r, opts, undefined)})
    return sendObject(res, deps, r, out, 201, neg)
  }

  if (method === 'PUT') {
    if (!info.name) throw methodNotAllowed()
    requireVerb(r, 'update')
    const opts = writeOptions(req)
    const body = decodeObject(await readRaw(req), mediaType(req))
    if (sub === 'scale') {
      const fields = fieldTracker(req, deps, r, opts, 'scale')
      const scaled = updateScale(reg, r, ns, info.name, body, {...opts, fields})
      return sendObject(res, deps, r, scaled, 200, neg)
    }
    checkFields(deps, r, body, opts.fieldValidation, res)
    const subOpt = writeSubresource(r, sub)
    const fields = fieldTracker(req, deps, r, opts, sub)
    const out = reg.update(r, ns, info.name, body, {...opts, ...subOpt, user, fields})
    return sendObject(res, deps, r, out.object, out.created ? 201 : 200, neg)
  }

  if (method === 'PATCH') {
    if (!info.name) throw methodNotAllowed()
    requireVerb(r, 'patch')
    const opts = writeOptions(req)
    const type = mediaType(req) as PatchType
    const raw = await readRaw(req)
    const name = info.name
    const force = q(req, 'force')
    if (force !== undefined && type !== 'application/apply-patch+yaml') {
      const forbidden = fieldForbidden('force', 'may not be specified for non-apply patch')
      throw invalid('PatchOptions', 'meta.k8s.io', '', [forbidden])
    }
    if (sub === 'scale') {
      const current = reg.get(r, ns, name)
      const patched = applyPatch(type, scaleOf(current), raw, undefined)
      const fields = fieldTracker(req, deps, r, opts, 'scale')
      const scaled = updateScale(reg, r, ns, name, patched, {...opts, fields})
      return sendObject(res, deps, r, scaled, 200, neg)
    }
    const schema = r.custom ? undefined : builtinPatchSchema(r.group, r.version, r.kind)
    if (type === 'application/apply-patch+yaml') {
      // Server-side apply with field ownership (registry/managedfields): merge, prune, conflicts, Apply entry.
      if (!opts.fieldManager) {
        throw invalid('PatchOptions', 'meta.k8s.io', '', [fieldRequired('fieldManager', 'is required for apply patch')])
      }
      // The apiserver unmarshals an apply body into a map: null or an empty document is an empty map, any other
      // non-object is a decode error (found by fuzzing: they reached applyWithOwnership and failed with a 500).
      const decoded = decodeObject(raw, type)
      if (decoded !== null && decoded !== undefined && (typeof decoded !== 'object' || Array.isArray(decoded))) {
        const t = Array.isArray(decoded) ? 'array' : typeof decoded === 'boolean' ? 'bool' : typeof decoded
        throw badRequest(
          `error decoding YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${t} into Go value of type map[string]interface {}`,
        )
      }
      const applied = decoded ?? {}
      checkFields(deps, r, applied, opts.fieldValidation, res)
      const existing = reg.tryGet(r, ns, name)
      const s = deps.schemaFor(r)
      const result = applyWithOwnership(existing, applied, {
        manager: opts.fieldManager,
        force: force === 'true' || force === '1',
        apiVersion: groupVersion(r.group, r.version),
        now: rfc3339(deps.clock.now()),
        ...kindSchema(s?.schema, s?.resolve ?? (() => undefined), r.custom === true),
        ...(sub ? {subresource: sub} : {}),
      })
      const fields = presetTracker(result.managedFields)
      if (!existing) {
        const obj = {...result.object, metadata: {...(result.object.metadata ?? {}), name}}
        const out = reg.create(r, ns, obj, {...opts, user, fields})
        return sendObject(res, deps, r, out, 201, neg)
      }
      checkFields(deps, r, result.object, 'Ignore', res)
      const subOpt = writeSubresource(r, sub)
      const out = reg.update(r, ns, name, result.object, {...opts, ...subOpt, user, fields})
      return sendObject(res, deps, r, out.object, 200, neg)
    }
    const current = reg.get(r, ns, name)
    const patched = applyPatch(type, current, raw, schema, r.custom === true)
    // The patched object is decoded as a whole: what the patch added is checked, its directives are dropped.
    checkFields(deps, r, patched, opts.fieldValidation, res)
    const fields = fieldTracker(req, deps, r, opts, sub)
    const subOpt = writeSubresource(r, sub)
    const out = reg.update(r, ns, name, patched, {...opts, ...subOpt, user, fields})
    return sendObject(res, deps, r, out.object, 200, neg)
  }

  if (method === 'DELETE') {
    const raw = await readRaw(req)
    // DeleteOptions come as JSON from kubectl's generic client and as protobuf from typed clients (auth reconcile)
    const body = raw.length ? decodeObject(raw, mediaType(req)) : undefined
    const opts = deleteOptions(req, body)
    if (!info.name) {
      requireVerb(r, 'deletecollection')
      const list = reg.deleteCollection(r, ns, listOptions(req), opts)
      res.status(200).setHeader('Content-Type', 'application/json')
      res.end(JSON.stringify(list))
      return
    }
    requireVerb(r, 'delete')
    const out = reg.delete(r, ns, info.name, opts)
    return sendObject(res, deps, r, (out.object ?? out.status)!, 200, neg)
  }

  throw methodNotAllowed()
}

function updateScale(
  reg: Registry,
  r: ResourceInfo,
  ns: string | undefined,
  name: string,
  scale: any,
  opts: WriteOptions,
): KubeObject {
  const replicas = scale?.spec?.replicas
  if (replicas !== undefined && (!Number.isInteger(replicas) || replicas < 0)) {
    throw statusError(
      422,
      'Invalid',
      `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${replicas}: must be greater than or equal to 0`,
      {
        name,
        group: 'autoscaling',
        kind: 'Scale',
        causes: [
          {
            reason: 'FieldValueInvalid',
            message: `Invalid value: ${replicas}: must be greater than or equal to 0`,
            field: 'spec.replicas',
          },
        ],
      },
    )
  }
  const rv = scale?.metadata?.resourceVersion
  const current = reg.get(r, ns, name) as any
  const next = structuredClone(current)
  next.spec = {...(next.spec ?? {}), replicas: replicas ?? 0}
  if (rv) next.metadata.resourceVersion = rv
  const out = reg.update(r, ns, name, next, opts)
  return scaleOf(out.object)
}

async function postSubresource(
  req: Request,
  res: Response,
  info: RequestInfo,
  deps: HandlerDeps,
  body: any,
): Promise<void> {
  const r = info.resource
  const reg = deps.registry
  const ns = info.namespace
  const name = info.name!
  const sub = info.subresource!
  if (r.kind === 'Pod' && (sub === 'binding' || sub === 'eviction')) {
    // registry/pod-subresources.ts holds both: binding sets nodeName and PodScheduled, eviction checks budgets.
    const d = {registry: reg, now: () => deps.clock.now()}
    const opts = writeOptions(req)
    if (sub === 'binding') bindPod(d, ns, name, body, opts)
    else evictPod(d, ns, name, body, deleteOptions(req, body?.deleteOptions), opts)
    const status: Status = {kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201}
    res.status(201).setHeader('Content-Type', 'application/json')
    res.end(JSON.stringify(status))
    return
  }
  // serviceaccounts/NAME/token is answered before the generic handlers (app.ts → token-request.ts: signed tokens).
  throw methodNotAllowed()
}
