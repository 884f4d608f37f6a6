// types.ts: what the shell interpreter, the simulated programs and the process driver share. A program is a
// generator: it yields output and sleeps, and returns its exit code, so a process can be run lazily up to any
// instant of cluster time (an endless loop is never materialized).

/**
 * Step is one thing a running program does: write output, pass time, do a unit of work (tick), or report that it
 * is in a steady loop (the same state at the top of two iterations, with time passing), i.e. it will not end.
 */
export type Step = {k: 'out'; fd: 1 | 2; text: string} | {k: 'sleep'; ms: number} | {k: 'tick'} | {k: 'steady'}

/** Gen is a running program (or shell construct) returning T. */
export type Gen<T = number> = Generator<Step, T, void>

/** Sink is where a file descriptor writes. */
export type Sink = {k: 'log'; fd: 1 | 2} | {k: 'buf'; chunks: string[]} | {k: 'null'} | {k: 'file'; path: string}

/** IO is a command's standard streams. */
export interface IO {
  stdin: string
  out: Sink
  err: Sink
}

/** ShellFlavor decides error wording: dash (Debian/Ubuntu sh), bash, or BusyBox ash. */
export type ShellFlavor = 'dash' | 'bash' | 'ash'

/** HttpRequest is a request a simulated server answers (probes, later the service proxy). */
export interface HttpRequest {
  method: string
  path: string
  host?: string
  headers?: Record<string, string>
  clientIP?: string
  body?: string
}

/** HttpResponse is a simulated server's answer. */
export interface HttpResponse {
  status: number
  headers?: Record<string, string>
  body: string
}

/** Listener is a port a process listens on. */
export interface Listener {
  port: number
  protocol: 'http' | 'tcp' | 'grpc'
  http?: (req: HttpRequest, now: number) => HttpResponse
  /** grpcServing answers the gRPC health service (true = SERVING). */
  grpcServing?: () => boolean
  /** accessLog formats an access-log line for a served request, when the server writes one. */
  accessLog?: (
    req: HttpRequest,
    res: HttpResponse,
    now: number,
  ) => {fd: 1 | 2; text: string} | {fd: 1 | 2; text: string}[] | undefined
}

/** TermHandler is how a process answers SIGTERM (PID 1 ignores it unless it installs a handler). */
export interface TermHandler {
  code: number
  afterMs: number
  /** lines are written on the way out (timestamps from now). */
  lines?: (now: number) => {fd: 1 | 2; text: string}[]
}

/** Program is a simulated executable. */
export type Program = (x: Exec) => Gen<number>

/** Exec is what a program is started with. */
export interface Exec {
  argv: string[]
  env: Map<string, string>
  io: IO
  proc: Proc
  cwd: string
}

/** Proc is the container's process environment shared by everything that runs in it. */
export interface Proc {
  /** now is the cluster time in ms at the current point of the run. */
  now(): number
  /** elapsed is ms since the container started. */
  elapsed(): number
  hostname: string
  flavor: ShellFlavor | undefined
  files: Map<string, string>
  dirs: Set<string>
  /** lookup finds an executable of the image by name or path. */
  lookup(name: string): Program | undefined
  listen(l: Listener): void
  listeners: Map<number, Listener>
  /** useMemory adds resident memory; over the limit the process is OOM-killed. */
  useMemory(bytes: number): Gen<void>
  memoryLimit?: number
  random(): number
  realistic: boolean
  onTerm?: TermHandler
  /** version is the image's software version ("1.29.3"). */
  version: string
  /** ports are the ports the image exposes (a server without its own default listens on the first). */
  ports: number[]
  /** mounts are the container's volume mount paths (a config file "exists" when a volume is mounted over it). */
  mounts: string[]
  /** behavior is the image's declared behaviour (lab images). */
  behavior?: import('../catalog-types.js').Behavior
  podIP: string
  /** pid hands out process ids for log lines (PID 1 is the container's process). */
  nextPid(): number
}

/** ShellExit is thrown by `exit` and by fatal shell errors. */
export class ShellExit {
  constructor(readonly code: number) {}
}

/** OomKill is thrown when the process goes over its memory limit. */
export class OomKill {}

/** write sends text to a sink. */
export function* write(proc: Proc, sink: Sink, text: string): Gen<void> {
  if (text === '') return
  switch (sink.k) {
    case 'log':
      yield {k: 'out', fd: sink.fd, text}
      return
    case 'buf':
      sink.chunks.push(text)
      return
    case 'file':
      proc.files.set(sink.path, (proc.files.get(sink.path) ?? '') + text)
      return
    case 'null':
      return
  }
}

/** out writes to stdout. */
export function out(x: Exec, text: string): Gen<void> {
  return write(x.proc, x.io.out, text)
}

/** err writes to stderr. */
export function err(x: Exec, text: string): Gen<void> {
  return write(x.proc, x.io.err, text)
}

/** sleep passes ms of time (Infinity blocks forever). */
export function* sleep(ms: number): Gen<void> {
  if (ms > 0) yield {k: 'sleep', ms}
}

/** resolvePath makes p absolute against cwd and folds `.`/`..`. */
export function resolvePath(cwd: string, p: string): string {
  const parts = (p.startsWith('/') ? p : `${cwd}/${p}`).split('/')
  const outParts: string[] = []
  for (const s of parts) {
    if (s === '' || s === '.') continue
    if (s === '..') outParts.pop()
    else outParts.push(s)
  }
  return '/' + outParts.join('/')
}
