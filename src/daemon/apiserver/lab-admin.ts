// lab-admin.ts serves a lab profile's own endpoints under /mkctl/v1/lab, behind the profile's token (DESIGN §7):
//   GET  /            the lab the profile runs (lab file, seed, student, parameters, hints used), 404 when none
//   POST /            register the lab (`mkctl lab start`), 409 when one is registered already
//   GET  /journal     the journal's events and whether its hash chain holds
//   POST /journal     one mkctl command, posted by the CLI after it ran (base-command)
//   POST /hints       reveal a hint {task, index}; answers the hints used
//   POST /view        read-only objects and revision history per {type, namespace}, for `lab check`
// None of it is part of the Kubernetes API. The router parses its own JSON bodies (commands carry manifests), so it
// must be mounted before the admin router's 64 kB body parser.
import express, {type Request, type Router} from 'express'
import {badRequest, conflict, notFound} from '../../api/errors.js'
import {LabConflict, type LabService} from '../journal/service.js'
import type {CommandRecord, ViewRef} from '../../api/journal.js'
import {jsonRoute} from './errors.js'

/** LAB_BODY_LIMIT bounds a posted command (its manifests included). */
const LAB_BODY_LIMIT = '8mb'

/** labAdminRouter serves /mkctl/v1/lab/... for one daemon's lab service. */
export function labAdminRouter(lab: LabService): Router {
  const r = express.Router()
  r.use(express.json({limit: LAB_BODY_LIMIT}))
  const wrap = (fn: (req: Request) => unknown) =>
    jsonRoute(fn, (e) =>
      e instanceof LabConflict ? conflict({group: 'mkctl.dev', plural: 'labs'}, 'lab', e.message) : e,
    )
  const running = () => {
    const rec = lab.lab()
    if (!rec) throw notFound({group: 'mkctl.dev', plural: 'labs'}, 'lab')
    return rec
  }
  r.get(
    '/',
    wrap(() => running()),
  )
  r.post(
    '/',
    wrap((req) => {
      const b = req.body ?? {}
      for (const k of ['lab', 'file', 'dir', 'name'])
        if (typeof b[k] !== 'string' || b[k] === '') throw badRequest(`"${k}" must be a non-empty string`)
      if (!Number.isSafeInteger(b.seed)) throw badRequest('"seed" must be an integer')
      return lab.start({
        lab: b.lab,
        file: b.file,
        dir: b.dir,
        name: b.name,
        seed: b.seed,
        ...(typeof b.student === 'string' ? {student: b.student} : {}),
        params: b.params && typeof b.params === 'object' ? b.params : {},
      })
    }),
  )
  r.get(
    '/journal',
    wrap(() => (running(), lab.read())),
  )
  r.post(
    '/journal',
    wrap((req) => {
      running()
      const b = req.body as CommandRecord
      if (!Array.isArray(b?.argv) || !b.argv.every((a) => typeof a === 'string'))
        throw badRequest('"argv" must be a list of strings')
      if (!Number.isInteger(b.exitCode)) throw badRequest('"exitCode" must be an integer')
      const rec: CommandRecord = {
        argv: b.argv,
        exitCode: b.exitCode,
        start: String(b.start ?? ''),
        end: String(b.end ?? ''),
      }
      if (Array.isArray(b.replayArgv)) rec.replayArgv = b.replayArgv.map(String)
      if (b.files && typeof b.files === 'object') rec.files = b.files
      if (typeof b.stdin === 'string') rec.stdin = b.stdin
      if (typeof b.session === 'string') rec.session = b.session
      lab.recordCommand(rec, req.headers['user-agent'])
      return {recorded: true}
    }),
  )
  r.post(
    '/hints',
    wrap((req) => {
      running()
      const {task, index} = req.body ?? {}
      if (typeof task !== 'string' || !Number.isInteger(index) || index < 0)
        throw badRequest('a hint is {"task": name, "index": n}')
      return {hints: lab.revealHint(task, index)}
    }),
  )
  r.post(
    '/view',
    wrap((req) => {
      const refs = (req.body?.refs ?? []) as ViewRef[]
      if (!Array.isArray(refs) || !refs.every((x) => typeof x?.type === 'string'))
        throw badRequest('"refs" must be a list of {"type", "namespace"}')
      return lab.view(refs)
    }),
  )
  return r
}
