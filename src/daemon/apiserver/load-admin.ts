// load-admin.ts serves `mkctl cluster load` under /mkctl/v1/load, behind the profile's token (network/load.ts):
//   POST /             start a run {url | service {namespace, name, port?}, from?, method?, path?, rps, durationMs};
//                      answers its status (with the id), 400 for a bad spec, 404 for an unknown Service or pod
//   GET  /             every run still known
//   GET  /:id          one run's progress, and its summary once done
//   POST /:id/stop     stop a run early (Ctrl-C in the CLI); answers its final status
// None of it is part of the Kubernetes API. The router parses its own JSON bodies, so it may be mounted before or
// after the admin router's body parser.
import express, {type Router} from 'express'
import {badRequest} from '../../api/errors.js'
import type {LoadGenerator, LoadSpec} from '../network/load.js'
import {jsonRoute} from './errors.js'

function str(v: unknown, what: string): string | undefined {
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string' || v === '') throw badRequest(`"${what}" must be a non-empty string`)
  return v
}

/** specOf checks a posted body and turns it into a LoadSpec (numbers are checked by the generator). */
export function specOf(b: Record<string, any>): LoadSpec {
  const spec: LoadSpec = {rps: Number(b.rps), durationMs: Number(b.durationMs)}
  const url = str(b.url, 'url')
  if (url) spec.url = url
  if (b.service !== undefined) {
    const s = b.service ?? {}
    const namespace = str(s.namespace, 'service.namespace') ?? 'default'
    const name = str(s.name, 'service.name')
    if (!name) throw badRequest('"service.name" is required')
    if (s.port !== undefined && !Number.isInteger(s.port)) throw badRequest('"service.port" must be an integer')
    spec.service = {namespace, name, ...(s.port !== undefined ? {port: s.port} : {})}
  }
  if (spec.url && spec.service) throw badRequest('give a URL or a service, not both')
  if (b.from !== undefined) {
    const pod = str(b.from?.pod, 'from.pod')
    if (!pod) throw badRequest('"from.pod" is required')
    spec.from = {namespace: str(b.from?.namespace, 'from.namespace') ?? 'default', pod}
  }
  const method = str(b.method, 'method')
  if (method) spec.method = method.toUpperCase()
  const path = str(b.path, 'path')
  if (path) {
    if (!path.startsWith('/')) throw badRequest('"path" must start with /')
    spec.path = path
  }
  return spec
}

/** loadAdminRouter serves /mkctl/v1/load/... for one daemon's load generator. */
export function loadAdminRouter(loads: LoadGenerator): Router {
  const r = express.Router()
  r.use(express.json({limit: '16kb'}))
  const wrap = jsonRoute
  r.post(
    '/',
    wrap((req) => loads.start(specOf((req.body ?? {}) as Record<string, any>))),
  )
  r.get(
    '/',
    wrap(() => loads.list()),
  )
  r.get(
    '/:id',
    wrap((req) => loads.status(String(req.params.id))),
  )
  r.post(
    '/:id/stop',
    wrap((req) => loads.stop(String(req.params.id))),
  )
  return r
}
