// logfmt.ts: the timestamp and access-log formats of the simulated servers, so their logs read like the real
// ones (nginx error_log/access_log, Apache, Redis, PostgreSQL, MySQL, Go's log package, klog).
import {reasonPhrase, strftime} from './shell/utils.js'
import type {HttpRequest, HttpResponse} from './shell/types.js'

/** goTime is Go's log package prefix and nginx's error_log time: 2026/01/01 00:00:00. */
export const goTime = (ms: number) => strftime('%Y/%m/%d %H:%M:%S', ms)
/** redisTime is Redis's log time: 01 Jan 2026 00:00:00.000. */
export const redisTime = (ms: number) =>
  `${strftime('%d %b %Y %H:%M:%S', ms)}.${String(Math.floor(ms) % 1000).padStart(3, '0')}`
/** pgTime is PostgreSQL's log_line_prefix time: 2026-01-01 00:00:00.000 UTC. */
export const pgTime = (ms: number) =>
  `${strftime('%Y-%m-%d %H:%M:%S', ms)}.${String(Math.floor(ms) % 1000).padStart(3, '0')} UTC`
/** micros is the microsecond fraction of ms (6 digits). */
export const micros = (ms: number) => String(Math.floor(ms * 1000) % 1_000_000).padStart(6, '0')
/** isoMicro is 2026-01-01T00:00:00.000000Z (mysqld, many Go servers). */
export const isoMicro = (ms: number) => `${strftime('%Y-%m-%dT%H:%M:%S', ms)}.${micros(ms)}Z`
/** isoNano is 2026-01-01T00:00:00.000000000Z. */
export const isoNano = (ms: number) => `${strftime('%Y-%m-%dT%H:%M:%S', ms)}.${micros(ms)}000Z`
/** isoMilli is 2026-01-01T00:00:00.000Z. */
export const isoMilli = (ms: number) => new Date(Math.floor(ms)).toISOString()
/** apacheTime is Apache's error_log time: Thu Jan 01 00:00:00.000000 2026. */
export const apacheTime = (ms: number) => `${strftime('%a %b %d %H:%M:%S', ms)}.${micros(ms)} ${strftime('%Y', ms)}`
/** clfTime is the access-log time: 01/Jan/2026:00:00:00 +0000. */
export const clfTime = (ms: number) => strftime('%d/%b/%Y:%H:%M:%S +0000', ms)
/** klogTime is klog's header time: I0101 00:00:00.000000. */
export const klogHeader = (ms: number, level = 'I') => `${level}${strftime('%m%d %H:%M:%S', ms)}.${micros(ms)}`

/** AccessLogFormat names a server's access-log format. */
export type AccessLogFormat = 'nginx' | 'combined' | 'common' | 'http-echo'

/**
 * accessLogLine formats one served request as the server logs it: nginx's `main` format (with
 * $http_x_forwarded_for), Apache's combined and common formats, or http-echo's line.
 */
export function accessLogLine(format: AccessLogFormat, req: HttpRequest, res: HttpResponse, at: number): string {
  const client = req.clientIP ?? '-'
  const h = (name: string) => {
    for (const [k, v] of Object.entries(req.headers ?? {})) if (k.toLowerCase() === name) return v
    return undefined
  }
  const request = `${req.method} ${req.path} HTTP/1.1`
  const bytes = Buffer.byteLength(res.body)
  const ua = h('user-agent') ?? '-'
  switch (format) {
    case 'nginx':
      return `${client} - - [${clfTime(at)}] "${request}" ${res.status} ${bytes} "${h('referer') ?? '-'}" "${ua}" "${h('x-forwarded-for') ?? '-'}"`
    case 'combined':
      return `${client} - - [${clfTime(at)}] "${request}" ${res.status} ${bytes} "${h('referer') ?? '-'}" "${ua}"`
    case 'common':
      return `${client} - - [${clfTime(at)}] "${request}" ${res.status} ${bytes === 0 ? '-' : bytes}`
    case 'http-echo':
      return `${goTime(at)} ${req.host ?? ''} ${client}:${40000 + (Math.floor(at) % 20000)} "${request}" ${res.status} ${bytes} "${ua}" 31.2µs`
  }
}

/** statusLine is "404 Not Found". */
export const statusLine = (status: number) => `${status} ${reasonPhrase(status)}`.trim()
