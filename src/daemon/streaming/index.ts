// streaming/ serves the pod subresources that are streams rather than objects: log (chunked HTTP), exec and
// attach (WebSocket, v5.channel.k8s.io). handlers.ts hands plain HTTP requests for these subresources here;
// main.ts hands the server's WebSocket upgrades to attachUpgrades.
import type {Server} from 'node:https'
import type {Request, Response} from 'express'
import type {Cluster} from '../cluster.js'
import type {RequestInfo} from '../apiserver/request.js'
import {serveLog} from './log.js'
import {attachUpgrades} from './exec.js'

/** StreamingDeps are what the stream handlers read: the cluster core (registry, runtime, clock, informers). */
export interface StreamingDeps {
  cluster: Cluster
  token: string
}

/** createStreaming returns handlers.ts's streaming hook: true when it took the request. */
export function createStreaming(deps: StreamingDeps): (req: Request, res: Response, info: RequestInfo) => boolean {
  return (req, res, info) => {
    if (info.resource.plural !== 'pods' || info.group !== '') return false
    if (info.subresource === 'log') {
      void serveLog(req, res, info, deps)
      return true
    }
    return false
  }
}

/** streamUpgrades routes the HTTPS server's upgrade requests (exec, attach, portforward) to their handlers. */
export function streamUpgrades(server: Server, deps: StreamingDeps): void {
  attachUpgrades(server, deps)
}
