// watch.ts streams watch events as newline-delimited JSON (kubectl-api.md §10). Headers go out at once, before
// any event (client-go cannot cancel a watch whose headers never came); a watch from a compacted revision gets
// an ERROR event carrying a 410 Expired Status, as the apiserver sends it; a client too slow to read is cut off
// rather than allowed to hold memory (kine broadcaster), and reconnects from its last resourceVersion.
import type {Request, Response} from 'express'
import {StatusError} from '../../api/errors.js'
import type {KubeObject} from '../../api/object.js'
import {groupVersion, type ResourceInfo} from '../../api/resources.js'
import type {ListOptions} from '../registry/generic.js'
import {buildTable} from '../registry/tables/index.js'
import {toStatusError} from './errors.js'
import type {HandlerDeps} from './handlers.js'
import type {Negotiated} from './negotiate.js'

/** MAX_BUFFERED is how many bytes a watcher may fall behind before it is disconnected. */
const MAX_BUFFERED = 32 * 1024 * 1024

/** BOOKMARK_EVERY_MS is how often an idle watch that allows bookmarks gets one. */
const BOOKMARK_EVERY_MS = 60_000

/** serveWatch runs one watch request until the client leaves, the timeout passes, or the daemon stops. */
export function serveWatch(req: Request, res: Response, r: ResourceInfo, ns: string | undefined, opts: ListOptions, deps: HandlerDeps, neg: Negotiated): void {
  const timeoutRaw = req.query.timeoutSeconds
  const timeoutSeconds = timeoutRaw === undefined ? undefined : Number(timeoutRaw)
  const bookmarks = req.query.allowWatchBookmarks === 'true'
  res.status(200)
  res.setHeader('Content-Type', 'application/json')
  res.setHeader('Cache-Control', 'no-cache, private')
  res.setHeader('Transfer-Encoding', 'chunked')
  res.flushHeaders()

  let firstTable = true
  let lastRV = opts.resourceVersion && opts.resourceVersion !== '0' ? opts.resourceVersion : String(deps.registry.currentRevision())
  let closed = false
  const timers: {cancel(): void}[] = []
  let stop: (() => void) | undefined

  const finish = () => {
    if (closed) return
    closed = true
    stop?.()
    for (const t of timers) t.cancel()
    res.end()
  }

  const write = (type: string, object: unknown) => {
    if (closed) return
    res.write(JSON.stringify({type, object}) + '\n')
    if (res.writableLength > MAX_BUFFERED) finish()
  }

  const encode = (o: KubeObject): unknown => {
    if (!neg.table) return o
    const t = buildTable([o], deps.tableConvertor(r), deps.clock.now(), {includeObject: neg.includeObject, noHeaders: !firstTable})
    firstTable = false
    return t
  }

  res.on('close', finish)
  try {
    stop = deps.registry.watch(r, ns, opts, (e) => {
      lastRV = String(e.object.metadata?.resourceVersion ?? lastRV)
      write(e.type, encode(e.object))
    })
  } catch (e) {
    const err = e instanceof StatusError ? e : toStatusError(e)
    write('ERROR', err.status)
    finish()
    return
  }
  if (timeoutSeconds !== undefined && Number.isFinite(timeoutSeconds) && timeoutSeconds > 0) {
    timers.push(deps.clock.setTimeout(finish, timeoutSeconds * 1000))
  }
  if (bookmarks) {
    timers.push(
      deps.clock.setInterval(() => {
        write('BOOKMARK', {kind: r.kind, apiVersion: groupVersion(r.group, r.version), metadata: {resourceVersion: lastRV}})
      }, BOOKMARK_EVERY_MS),
    )
  }
  const shutdown = (req.app.locals.watchers ??= new Set()) as Set<() => void>
  shutdown.add(finish)
  res.on('close', () => shutdown.delete(finish))
}
