// lab-ops.ts serves the lab endpoints that act on the cluster itself, beside lab-admin.ts's under /mkctl/v1/lab
// (same prefix, so whatever guards /mkctl/v1/lab guards these too):
//   GET  /faults   the images and faults the lab's setup declared, and which faults fired
//   POST /faults   declare them once: {images: [ImageDef...], faults: [FaultSpec...]} (journal/faults.ts)
//   POST /probe    send one `reachable` check's request through the simulated network (src/lab/reachable.ts), so
//                  `lab check` on a live profile judges status and body exactly as replay does
// None of it is part of the Kubernetes API.
import express, {type Request, type Router} from 'express'
import {badRequest, conflict} from '../../api/errors.js'
import {networkProbe, type ProbeRequest} from '../../lab/reachable.js'
import type {Cluster} from '../cluster.js'
import {ImageFileError} from '../runtime/index.js'
import {FaultError, FaultInjector} from '../journal/faults.js'
import {rfc3339} from '../clock.js'
import {jsonRoute} from './errors.js'

/** labOpsRouter serves /mkctl/v1/lab/faults and /mkctl/v1/lab/probe for one cluster. */
export function labOpsRouter(cluster: Cluster): Router {
  const faults = new FaultInjector(cluster)
  const probe = networkProbe(cluster)
  const r = express.Router()
  r.use(express.json({limit: '1mb'}))
  // A fault that is already declared is a Conflict; a malformed fault or image a BadRequest.
  const wrap = (fn: (req: Request) => unknown) =>
    jsonRoute(fn, (e) =>
      e instanceof FaultError && e.message.includes('already')
        ? conflict({group: 'mkctl.dev', plural: 'faults'}, 'lab', e.message)
        : e instanceof FaultError || e instanceof ImageFileError
          ? badRequest(e.message)
          : e,
    )
  const show = () => {
    const st = faults.status()
    if (!st) return {declared: false, faults: [], images: []}
    return {
      declared: true,
      declaredAt: st.declaredAt,
      declaredTime: rfc3339(st.declaredAt),
      images: st.images.map((i) => i.name),
      faults: st.faults.map((f, i) => ({...f, dueAt: st.declaredAt + f.at, fired: st.fired[i]})),
    }
  }
  r.get(
    '/faults',
    wrap(() => show()),
  )
  r.post(
    '/faults',
    wrap(async (req) => {
      faults.declare(req.body ?? {})
      await cluster.manager.settle()
      return show()
    }),
  )
  r.post(
    '/probe',
    wrap((req) => {
      const b = (req.body ?? {}) as ProbeRequest
      if (!['service', 'ingress', 'nodePort'].includes(b.via))
        throw badRequest('"via" must be service, ingress or nodePort')
      return probe({...b, path: typeof b.path === 'string' && b.path ? b.path : '/'})
    }),
  )
  return r
}
