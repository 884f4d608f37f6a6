// log.ts serves GET /api/v1/namespaces/{ns}/pods/{name}/log (kubelet's log endpoint behind the apiserver).
import type {Request, Response} from 'express'
import type {RequestInfo} from '../apiserver/request.js'
import type {StreamingDeps} from './index.js'

/** serveLog answers one log request. */
export async function serveLog(_req: Request, res: Response, _info: RequestInfo, _deps: StreamingDeps): Promise<void> {
  res
    .status(400)
    .json({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'the log subresource is not available yet in this cluster',
      reason: 'BadRequest',
      code: 400,
    })
}
