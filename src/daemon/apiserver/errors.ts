// errors.ts: the one place that turns failures into HTTP answers. Every error leaves as a Kubernetes Status
// whose HTTP code equals its `code` (kubectl-api.md §13.1); anything unexpected becomes a 500 InternalError.
import type {Request, Response} from 'express'
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

/**
 * jsonRoute makes an express handler of fn for mkctl's /mkctl/v1 endpoints: its result (awaited) as a 200 JSON body,
 * a throw as a Status; mapError turns an endpoint's own errors into Status errors first.
 */
export function jsonRoute(fn: (req: Request) => unknown, mapError: (e: unknown) => unknown = (e) => e) {
  return async (req: Request, res: Response): Promise<void> => {
    try {
      const body = await fn(req)
      res.status(200).setHeader('Content-Type', 'application/json')
      res.end(JSON.stringify(body) + '\n')
    } catch (e) {
      sendError(res, mapError(e))
    }
  }
}

/** sendError writes any error as a Status. */
export function sendError(res: Response, e: unknown): void {
  sendStatus(res, toStatusError(e).status)
}
