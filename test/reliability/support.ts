// support.ts holds what the reliability suites share: a seeded PRNG (the kill points and the clients' choices are
// reproducible from one number), a keep-alive HTTPS client that reports transport failures apart from HTTP
// answers (a request cut by SIGKILL is "unacknowledged", an answered one is "acknowledged"), a daemon run as a
// child process on a profile folder, a streaming watch reader, and a small label-selector matcher written apart
// from src/api/labels.ts so that the watch tests have an independent oracle.
import {spawn, type ChildProcess} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import https from 'node:https'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

const ROOT = join(import.meta.dirname, '..', '..')

/** mulberry32 returns a seeded PRNG with values in [0, 1) (Tommy Ettinger's mulberry32). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Reply is an answered HTTP request. */
export interface Reply {
  status: number
  text: string
  json: any
}

/** Http is a keep-alive HTTPS client for one daemon; a transport failure rejects, an HTTP error status resolves. */
export class Http {
  readonly agent: https.Agent

  constructor(
    readonly url: string,
    readonly ca: string,
    readonly token: string | undefined,
    maxSockets = 4,
  ) {
    this.agent = new https.Agent({keepAlive: true, maxSockets, ca})
  }

  request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const u = new URL(path, this.url)
    const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body))
    const h: Record<string, string> = {Accept: 'application/json', ...headers}
    if (payload) {
      h['Content-Type'] ??= 'application/json'
      h['Content-Length'] = String(payload.length)
    }
    if (this.token) h.Authorization = `Bearer ${this.token}`
    return new Promise((resolve, reject) => {
      const req = https.request(
        {host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers: h, agent: this.agent},
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('error', reject)
          res.on('aborted', () => reject(new Error('response aborted')))
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8')
            let json: any
            try {
              json = JSON.parse(text)
            } catch {
              json = undefined
            }
            resolve({status: res.statusCode ?? 0, text, json})
          })
        },
      )
      req.on('error', reject)
      if (payload) req.write(payload)
      req.end()
    })
  }

  close(): void {
    this.agent.destroy()
  }
}

/** WatchEvent is one line of a watch stream. */
export interface WatchEvent {
  type: string
  object: any
}

/** WatchStream is an open watch: events arrive through onEvent until it ends or is closed. */
export interface WatchStream {
  /** status is the HTTP status of the watch response. */
  readonly status: Promise<number>
  /** ended resolves when the stream ends for any reason (daemon killed, closed here, server finished). */
  readonly ended: Promise<void>
  close(): void
}

/** openWatch opens a watch (path must carry watch=1) and hands every decoded line to onEvent. */
export function openWatch(http: Http, path: string, onEvent: (e: WatchEvent) => void): WatchStream {
  const u = new URL(path, http.url)
  const headers: Record<string, string> = {Accept: 'application/json'}
  if (http.token) headers.Authorization = `Bearer ${http.token}`
  let resolveStatus!: (n: number) => void
  let resolveEnded!: () => void
  const status = new Promise<number>((r) => (resolveStatus = r))
  const ended = new Promise<void>((r) => (resolveEnded = r))
  const done = () => {
    resolveStatus(0)
    resolveEnded()
  }
  // Its own agent: a watch holds its socket for as long as it lasts.
  const req = https.request(
    {host: u.hostname, port: u.port, path: u.pathname + u.search, method: 'GET', headers, ca: http.ca, agent: false},
    (res) => {
      resolveStatus(res.statusCode ?? 0)
      let buf = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => {
        buf += c
        let i
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i)
          buf = buf.slice(i + 1)
          if (line.trim()) onEvent(JSON.parse(line) as WatchEvent)
        }
      })
      // A line cut in half by a kill is dropped with the rest of the buffer: it was never delivered.
      res.on('end', done)
      res.on('close', done)
      res.on('error', done)
    },
  )
  req.on('error', done)
  req.on('close', done)
  req.end()
  return {status, ended, close: () => req.destroy()}
}

/** ProfileDir is a temporary profile folder the daemon entry can run on. */
export interface ProfileDir {
  dir: string
  token: string
  remove(): void
}

/** makeProfileDir writes config.json and a token into a new temporary folder (the rest is made by the daemon). */
export function makeProfileDir(name: string, cfg: Record<string, unknown>): ProfileDir {
  const dir = mkdtempSync(join(tmpdir(), `mkctl-${name}-`))
  const token = Array.from({length: 48}, (_, i) => '0123456789abcdef'[(i * 7 + name.length) % 16]).join('')
  writeFileSync(join(dir, 'config.json'), JSON.stringify({name, nodes: 1, cpus: 2, memoryMiB: 4096, ...cfg}), {
    mode: 0o600,
  })
  writeFileSync(join(dir, 'token'), token + '\n', {mode: 0o600})
  return {dir, token, remove: () => rmSync(dir, {recursive: true, force: true})}
}

/** ChildDaemon is a daemon running as a child process. */
export interface ChildDaemon {
  child: ChildProcess
  url: string
  /** exited resolves with the exit code (or the signal's name) once the process is gone and reaped. */
  exited: Promise<number | string>
  /** stderr is everything the daemon logged so far. */
  stderr(): string
}

/**
 * startChildDaemon runs bin/mkctld.js (the built bundle, as `mkctl cluster start` does) on a profile folder and
 * resolves once it logs the URL it listens on. The daemon.json of a killed predecessor is removed first.
 */
export async function startChildDaemon(dir: string, timeoutMs = 30_000): Promise<ChildDaemon> {
  rmSync(join(dir, 'daemon.json'), {force: true})
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'mkctld.js'), '--profile-dir', dir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let err = ''
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  )
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`daemon did not start in ${timeoutMs} ms:\n${err}`)), timeoutMs)
    child.stderr!.setEncoding('utf8')
    child.stderr!.on('data', (c: string) => {
      err += c
      const m = /listening on (https:\/\/\S+)/.exec(err)
      if (m) {
        clearTimeout(timer)
        resolve(m[1])
      }
    })
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`daemon exited (${code}) before listening:\n${err}`))
    })
  })
  return {child, url, exited, stderr: () => err}
}

/**
 * selectorMatches evaluates an equality- or set-based label selector (`a=b`, `a!=b`, `a in (x,y)`,
 * `a notin (x,y)`, `a`, `!a`, comma-joined) on labels: an oracle independent of the code under test.
 */
export function selectorMatches(selector: string, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {}
  if (!selector) return true
  // Split on commas outside parentheses.
  const parts: string[] = []
  let depth = 0
  let cur = ''
  for (const ch of selector) {
    if (ch === '(') depth++
    if (ch === ')') depth--
    if (ch === ',' && depth === 0) {
      parts.push(cur)
      cur = ''
    } else cur += ch
  }
  parts.push(cur)
  return parts.every((raw) => {
    const p = raw.trim()
    let m: RegExpExecArray | null
    if ((m = /^(\S+)\s+(in|notin)\s+\((.*)\)$/.exec(p))) {
      const vals = m[3].split(',').map((s) => s.trim())
      const has = m[1] in l && vals.includes(l[m[1]])
      return m[2] === 'in' ? has : !has
    }
    if ((m = /^([^!=\s]+)\s*!=\s*(\S*)$/.exec(p))) return l[m[1]] !== m[2]
    if ((m = /^([^!=\s]+)\s*==?\s*(\S*)$/.exec(p))) return m[1] in l && l[m[1]] === m[2]
    if ((m = /^!(\S+)$/.exec(p))) return !(m[1] in l)
    return p in l
  })
}
