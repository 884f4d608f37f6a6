// remotecommand.ts is mkctl's exec/attach client: the WebSocket `v5.channel.k8s.io` protocol of client-go's
// tools/remotecommand (websocket.go, v5.go, errorDecoderV4): binary messages whose first byte is the channel
// (0 stdin, 1 stdout, 2 stderr, 3 status, 4 resize, 255 close-stdin), the final Status on channel 3 decoded into
// success, an exit code (reason NonZeroExitCode, cause ExitCode) or an error message.
import type {Readable, Writable} from 'node:stream'
import {StatusError, type Status} from '../../api/errors.js'
import {RawError} from '../errors.js'
import {impersonationHeaders, type Query, type RestClient} from './rest.js'

/** PROTOCOL is the subprotocol mkctl asks for (kubectl 1.30+ asks for the same one first). */
export const PROTOCOL = 'v5.channel.k8s.io'

/** TerminalSize is a terminal's size for the resize channel. */
export interface TerminalSize {
  width: number
  height: number
}

/** StreamOptions are the local ends of a remote command. */
export interface StreamOptions {
  stdin?: Readable
  stdout: Writable
  stderr?: Writable
  tty: boolean
  /** size is the terminal's size, sent first; onResize registers for later changes (returns an unsubscribe). */
  size?: () => TerminalSize | undefined
  onResize?: (cb: () => void) => () => void
}

/** ExitCodeError is a remote command that ended with a non-zero code: kubectl prints `command terminated with exit code N`. */
export class ExitCodeError extends RawError {
  constructor(readonly code: number) {
    super(`command terminated with exit code ${code}`, code)
    this.name = 'ExitCodeError'
  }
}

/** decodeStatus turns the channel-3 Status into nothing (success) or the error kubectl reports (errorDecoderV4). */
export function decodeStatus(text: string): Error | undefined {
  let s: {
    status?: string
    reason?: string
    message?: string
    details?: {causes?: {reason?: string; message?: string}[]}
  }
  try {
    s = JSON.parse(text)
  } catch (e) {
    return new Error(`error stream protocol error: ${(e as Error).message} in ${JSON.stringify(text)}`)
  }
  if (s.status === 'Success') return undefined
  if (s.status !== 'Failure') return new Error('error stream protocol error: unknown error')
  if (s.reason === 'NonZeroExitCode') {
    for (const c of s.details?.causes ?? []) {
      if (c.reason !== 'ExitCode') continue
      const rc = Number.parseInt(c.message ?? '', 10)
      if (!Number.isInteger(rc))
        return new Error(`error stream protocol error: invalid exit code value ${JSON.stringify(c.message)}`)
      return new ExitCodeError(rc)
    }
    return new Error(`error stream protocol error: no exit code in status ${JSON.stringify(text)}`)
  }
  return new Error(s.message ?? '')
}

function wsUrl(rest: RestClient, path: string, query: Query): string {
  return rest.url(path, query).replace(/^http/, 'ws')
}

/** upgradeError is what kubectl reports for a refused upgrade: the Status it carried, or the body's text. */
function upgradeError(status: number, body: string): Error {
  try {
    const s = JSON.parse(body) as Status
    if (s && s.kind === 'Status') return new StatusError({...s, code: s.code ?? status})
  } catch {
    // not a Status
  }
  return new Error(`unable to upgrade connection: ${body.trim()}`)
}

/**
 * streamRemoteCommand runs an exec/attach request and resolves when the remote side finished successfully; it
 * rejects with ExitCodeError, a StatusError (refused upgrade) or an Error carrying the server's message.
 */
export async function streamRemoteCommand(
  rest: RestClient,
  path: string,
  query: Query,
  o: StreamOptions,
): Promise<void> {
  // ws loads here, not at start-up: only exec/attach/run -i need it, and every CLI start would pay for it.
  const {default: WebSocket} = await import('ws')
  const cfg = rest.config
  const headers: Record<string, string | string[]> = {...(cfg.headers ?? {}), ...impersonationHeaders(cfg.impersonate)}
  if (cfg.token) headers.Authorization = `Bearer ${cfg.token}`
  else if (cfg.username)
    headers.Authorization = 'Basic ' + Buffer.from(`${cfg.username}:${cfg.password ?? ''}`).toString('base64')
  const ws = new WebSocket(wsUrl(rest, path, query), [PROTOCOL], {
    headers,
    ca: cfg.caData,
    cert: cfg.clientCert,
    key: cfg.clientKey,
    rejectUnauthorized: !cfg.insecure,
    ...(cfg.tlsServerName ? {servername: cfg.tlsServerName} : {}),
  })
  return new Promise<void>((resolve, reject) => {
    let result: Error | undefined
    let gotStatus = false
    let settled = false
    const cleanups: (() => void)[] = []
    const done = (err?: Error) => {
      if (settled) return
      settled = true
      for (const c of cleanups) c()
      if (err) reject(err)
      else resolve()
    }
    const send = (ch: number, data: Buffer | string) => {
      if (ws.readyState !== ws.OPEN) return
      ws.send(Buffer.concat([Buffer.from([ch]), Buffer.from(data)]))
    }
    ws.on('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => done(upgradeError(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'))))
      res.on('error', (e) => done(e))
    })
    ws.on('error', (e) => done(new Error(`error dialing backend: ${e.message}`)))
    ws.on('open', () => {
      const sendSize = () => {
        const s = o.size?.()
        if (s) send(4, JSON.stringify({Width: s.width, Height: s.height}))
      }
      if (o.tty) {
        sendSize()
        if (o.onResize) cleanups.push(o.onResize(sendSize))
      }
      const stdin = o.stdin
      if (stdin) {
        const onData = (d: Buffer | string) => send(0, typeof d === 'string' ? Buffer.from(d) : d)
        const onEnd = () => send(255, Buffer.from([0]))
        stdin.on('data', onData)
        stdin.on('end', onEnd)
        cleanups.push(() => {
          stdin.off('data', onData)
          stdin.off('end', onEnd)
          stdin.pause()
        })
        stdin.resume()
      }
    })
    ws.on('message', (data: Buffer) => {
      if (data.length === 0) return
      const ch = data[0]
      const payload = data.subarray(1)
      if (ch === 1) o.stdout.write(payload)
      else if (ch === 2) (o.stderr ?? o.stdout).write(payload)
      else if (ch === 3) {
        gotStatus = true
        result = decodeStatus(payload.toString('utf8'))
      }
    })
    ws.on('close', () => {
      // A normal close without a status counts as success, as client-go's EOF does.
      void gotStatus
      done(result)
    })
  })
}
