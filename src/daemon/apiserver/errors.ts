// errors.ts: the one place that turns failures into HTTP answers. Every error leaves as a Kubernetes Status
// whose HTTP code equals its `code` (kubectl-api.md §13.1); anything unexpected becomes a 500 InternalError.
import type {Response} from 'express'
import {StatusError, internalError, type Status} from '../../api/errors.js'

/** toStatusError classifies any thrown value. */
export function toStatusError(e: unknown): StatusError {
  if (e instanceof StatusError) return e
  const msg = e instanceof Error ? e.message : String(e)
  return internalError(msg)
}

/** sendStatus writes a Status object with its HTTP code. */
export function sendStatus(res: Response, s: Status): void {
  if (res.headersSent) {
    res.end()
    return
  }
  res.status(s.code || 500)
  res.setHeader('Content-Type', 'application/json')
  res.setHeader('Cache-Control', 'no-cache, private')
  res.end(JSON.stringify(s) + '\n')
}

/** sendError writes any error as a Status. */
export function sendError(res: Response, e: unknown): void {
  sendStatus(res, toStatusError(e).status)
}
