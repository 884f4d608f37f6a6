// watch.ts reads a Kubernetes watch stream (newline-delimited JSON WatchEvents, kubectl-api.md §10) as an
// AsyncIterable, follows client-go/rest/watch StreamWatcher: one event per line, an ERROR event carries a Status,
// stopping the watch aborts the request.
import type {Readable} from 'node:stream'
import type {KubeObject, WatchEvent} from '../../api/object.js'
import type {Query, RestClient} from './rest.js'
import {decodeError} from './rest.js'

/** Watch is an open watch: iterate its events; stop() ends it. */
export interface Watch<T = KubeObject> extends AsyncIterable<WatchEvent<T>> {
  stop(): void
}

/** parseWatchStream turns a byte stream of NDJSON into WatchEvents (a partial last line waits for more data). */
export async function* parseWatchStream<T = KubeObject>(
  stream: AsyncIterable<Buffer | string>,
): AsyncGenerator<WatchEvent<T>> {
  let buf = ''
  for await (const chunk of stream) {
    buf += typeof chunk === 'string' ? chunk : chunk.toString('utf8')
    let nl: number
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim()
      buf = buf.slice(nl + 1)
      if (line) yield JSON.parse(line) as WatchEvent<T>
    }
  }
  const last = buf.trim()
  if (last) yield JSON.parse(last) as WatchEvent<T>
}

/**
 * watch opens `GET path?watch=true&...` and yields its events until the server ends the stream or stop() is called.
 * A non-2xx answer rejects the first iteration with the StatusError.
 */
export function watch<T = KubeObject>(
  client: RestClient,
  path: string,
  query: Query = {},
  signal?: AbortSignal,
): Watch<T> {
  const ctl = new AbortController()
  if (signal) {
    if (signal.aborted) ctl.abort()
    else signal.addEventListener('abort', () => ctl.abort(), {once: true})
  }
  let res: Readable | undefined
  return {
    stop() {
      ctl.abort()
      res?.destroy()
    },
    async *[Symbol.asyncIterator]() {
      let r
      try {
        r = await client.open('GET', path, {query: {...query, watch: true}, signal: ctl.signal})
      } catch (e) {
        if (ctl.signal.aborted) return
        throw e
      }
      res = r
      if ((r.statusCode ?? 0) < 200 || (r.statusCode ?? 0) > 299) {
        const chunks: Buffer[] = []
        for await (const c of r) chunks.push(c as Buffer)
        throw decodeError('GET', path, {
          status: r.statusCode ?? 0,
          statusText: r.statusMessage ?? '',
          headers: r.headers,
          body: Buffer.concat(chunks),
        })
      }
      try {
        for await (const ev of parseWatchStream<T>(r)) yield ev
      } catch (e) {
        if (ctl.signal.aborted) return
        throw e
      } finally {
        r.destroy()
      }
    },
  }
}
