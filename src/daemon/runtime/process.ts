// process.ts: drives one simulated container process on cluster time. The program is a generator (see
// shell/types.ts); advance(t) runs it up to t and no further, so logs of an endless loop are produced lazily and
// only as far as somebody looks. Each simple command costs TICK_MS so a busy loop still moves time, and a catch-up
// over a very long gap is bounded: past a step budget the run skips ahead (a warp), since only the last lines are
// kept anyway.
import {mulberry32} from '../../api/names.js'
import type {Behavior} from './catalog-types.js'
import type {LogLine} from './types.js'
import {
  OomKill,
  ShellExit,
  type Gen,
  type Listener,
  type Proc,
  type Program,
  type ShellFlavor,
  type Sink,
  type TermHandler,
} from './shell/types.js'

/** TICK_MS is the cluster time one executed command costs (a busy loop writes ~100,000 lines a second). */
export const TICK_MS = 0.01
/** DRY_SOFT_STEPS and DRY_SOFT_MS: past both, a dry run stops and the process counts as running until killed. */
export const DRY_SOFT_STEPS = 2_000
export const DRY_SOFT_MS = 300_000
/** OOM_DELAY_MS is how long an allocation over the limit takes before the kernel kills the process. */
export const OOM_DELAY_MS = 300

/** ProcessSpec is everything a process starts with. */
export interface ProcessSpec {
  argv: string[]
  env: Map<string, string>
  cwd: string
  hostname: string
  podIP: string
  flavor: ShellFlavor | undefined
  files: Map<string, string>
  dirs: Set<string>
  lookup: (name: string) => Program | undefined
  memoryLimit?: number
  seed: number
  realistic: boolean
  version: string
  ports: number[]
  mounts: string[]
  behavior?: Behavior
  startedAt: number
  /** stdinOpen is the container's `stdin: true`: a shell run as its process waits for an attached terminal. */
  stdinOpen?: boolean
}

/** Ended says how a run ended by itself: elapsed ms, exit code, OOM. */
export interface Ended {
  atMs: number
  code: number
  oom: boolean
}

/** ExecResult is the outcome of a command run inside a running container (exec probes). */
export interface ExecResult {
  code: number
  output: string
  timedOut?: boolean
  notFound?: boolean
}

/** FileTree is a process's files and directories. */
export interface FileTree {
  readonly files: Map<string, string>
  readonly dirs: Set<string>
}

/**
 * LazyTree gives a file tree that is made (or read from its source) on first use, not when the container starts
 * (runtime.ts says why). A class with the getters on its prototype: getters on an object literal make it a
 * dictionary object, larger than what they save.
 */
export class LazyTree implements FileTree {
  private tree?: FileTree

  constructor(private readonly makeTree: () => FileTree) {}

  get files(): Map<string, string> {
    return (this.tree ??= this.makeTree()).files
  }

  get dirs(): Set<string> {
    return (this.tree ??= this.makeTree()).dirs
  }
}

/** SimProcess is one run of a container's main process. */
export class SimProcess {
  /** t is the elapsed ms of the run (how far it has been advanced). */
  t = 0
  ended?: Ended
  /** blocked is true once the process waits forever (a server, `sleep infinity`). */
  blocked = false
  readonly proc: Proc
  private wakeAt: number | undefined
  private readonly gen: Gen<number>
  private readonly partial: Record<1 | 2, {text: string; at: number}> = {1: {text: '', at: 0}, 2: {text: '', at: 0}}
  private memory = 0
  private oom = false
  private pid = 7

  constructor(
    readonly spec: ProcessSpec,
    private readonly onLine: (line: LogLine) => void = () => {},
  ) {
    const random = mulberry32(spec.seed)
    const listeners = new Map<number, Listener>()
    // The file tree is read through the spec when first used, and the spec may make it only then (runtime.ts).
    this.proc = Object.assign(new LazyTree(() => spec), {
      now: () => spec.startedAt + this.viewT + this.execOffset,
      elapsed: () => this.viewT + this.execOffset,
      hostname: spec.hostname,
      flavor: spec.flavor,
      lookup: spec.lookup,
      listen: (l: Listener) => listeners.set(l.port, l),
      listeners,
      useMemory: (bytes: number) => this.claim(bytes),
      memoryLimit: spec.memoryLimit,
      random,
      realistic: spec.realistic,
      version: spec.version,
      ports: spec.ports,
      mounts: spec.mounts,
      behavior: spec.behavior,
      podIP: spec.podIP,
      nextPid: () => this.pid++,
    })
    this.gen = this.main()
  }

  private execOffset = 0

  /** claim adds resident memory; over the limit the kernel kills the process shortly after. */
  private *claim(bytes: number): Gen<void> {
    this.memory += bytes
    if (this.spec.memoryLimit !== undefined && this.memory > this.spec.memoryLimit) {
      yield {k: 'sleep', ms: OOM_DELAY_MS}
      this.oom = true
      throw new OomKill()
    }
  }
  /** viewT is the elapsed time handlers see: the run's own time while stepping, the queried time after. */
  private viewT = 0

  private *main(): Gen<number> {
    const prog = this.spec.lookup(this.spec.argv[0])
    if (!prog) return 127
    // `kubectl run -it -- sh`: a shell on an open stdin reads commands until its terminal ends it (attach does:
    // streaming/exec.ts ends the run with the shell's exit code through Runtime.end).
    if (this.spec.stdinOpen && isBareShell(this.spec.argv)) {
      yield {k: 'sleep', ms: Infinity}
      return 0
    }
    try {
      return yield* prog({
        argv: this.spec.argv,
        env: this.spec.env,
        io: {stdin: '', out: {k: 'log', fd: 1}, err: {k: 'log', fd: 2}},
        proc: this.proc,
        cwd: this.spec.cwd,
      })
    } catch (e) {
      if (e instanceof ShellExit) return e.code
      if (e instanceof OomKill) return 137
      throw e
    }
  }

  /** memoryBytes is the resident memory the process claimed. */
  get memoryBytes(): number {
    return this.memory
  }

  /** termHandler is how the process answers SIGTERM (undefined: it ignores it, as a shell or sleep as PID 1). */
  get termHandler(): TermHandler | undefined {
    return this.proc.onTerm
  }

  /**
   * advance runs the process up to elapsed ms `to`. It returns false when budget steps did not reach `to` and
   * warp is off (the caller then treats the process as running on).
   */
  advance(to: number, budget = 50_000, warp = true): boolean {
    const done = this.step(to, budget, warp)
    this.viewT = this.ended
      ? Math.min(this.ended.atMs, Math.max(to, this.t))
      : Math.max(this.t, to === Infinity ? this.t : to)
    return done
  }

  private step(to: number, budget: number, warp: boolean): boolean {
    let steps = 0
    let t0 = this.t
    let warped = false
    while (!this.ended) {
      if (this.wakeAt !== undefined) {
        if (this.wakeAt > to || this.wakeAt === Infinity) return true
        this.t = this.wakeAt
        this.wakeAt = undefined
      }
      if (this.t > to) return true
      // A dry run that has done a lot of work over minutes of cluster time calls the process long-running.
      if (!warp && steps > DRY_SOFT_STEPS && this.t > DRY_SOFT_MS) return false
      if (++steps > budget) {
        if (!warp) return false
        if (warped) {
          // Second budget spent: give up producing output for this gap.
          this.t = to
          return true
        }
        const covered = this.t - t0
        if (to - this.t > covered) this.t = to - covered
        warped = true
        steps = 0
        t0 = this.t
      }
      this.viewT = this.t
      const r = this.gen.next()
      if (r.done) {
        this.finish(r.value)
        return true
      }
      const step = r.value
      switch (step.k) {
        case 'out':
          this.emit(step.fd, step.text)
          break
        case 'sleep':
          if (step.ms === Infinity) this.blocked = true
          this.wakeAt = this.t + step.ms
          break
        case 'tick':
          this.t = Math.round((this.t + TICK_MS) * 1000) / 1000
          break
        case 'steady':
          // A dry run (warp off) only needs to know the process never ends by itself.
          if (!warp) {
            this.blocked = true
            return true
          }
          break
      }
    }
    return true
  }

  private finish(code: number) {
    for (const fd of [1, 2] as const) {
      if (this.partial[fd].text) this.line(fd, this.partial[fd].text, this.partial[fd].at)
      this.partial[fd].text = ''
    }
    this.ended = {atMs: this.t, code: this.oom ? 137 : code, oom: this.oom}
  }

  private emit(fd: 1 | 2, text: string) {
    const p = this.partial[fd]
    if (p.text === '') p.at = this.t
    const parts = (p.text + text).split('\n')
    p.text = parts.pop()!
    for (const l of parts) {
      this.line(fd, l, p.at)
      p.at = this.t
    }
  }

  private line(fd: 1 | 2, text: string, at: number) {
    this.onLine({at: this.spec.startedAt + at, stream: fd === 1 ? 'stdout' : 'stderr', text})
  }

  /** writeLine adds a line to the process's log at elapsed ms (access logs, shutdown messages). */
  writeLine(fd: 1 | 2, text: string) {
    for (const l of text.split('\n')) this.line(fd, l, this.t)
  }

  /**
   * exec runs a command inside the container (as `kubectl exec` or an exec probe would) against its current
   * files and listeners, with a timeout in ms of cluster time. Its output is returned, not logged.
   */
  exec(argv: string[], timeoutMs: number, env?: Map<string, string>): ExecResult {
    const prog = this.spec.lookup(argv[0] ?? '')
    if (!prog) return {code: 127, output: '', notFound: true}
    const buf: Sink = {k: 'buf', chunks: []}
    const gen = (function* (self: SimProcess): Gen<number> {
      try {
        return yield* prog({
          argv,
          env: env ?? self.spec.env,
          io: {stdin: '', out: buf, err: buf},
          proc: self.proc,
          cwd: self.spec.cwd,
        })
      } catch (e) {
        if (e instanceof ShellExit) return e.code
        if (e instanceof OomKill) return 137
        throw e
      }
    })(this)
    let spent = 0
    let code: number | undefined
    try {
      for (let i = 0; i < 20_000; i++) {
        const r = gen.next()
        if (r.done) {
          code = r.value
          break
        }
        const s = r.value
        if (s.k === 'out') buf.chunks.push(s.text)
        else if (s.k !== 'steady') spent += s.k === 'sleep' ? s.ms : TICK_MS
        this.execOffset = spent
        if (spent > timeoutMs) break
      }
    } finally {
      this.execOffset = 0
    }
    const output = buf.chunks.join('')
    if (code === undefined) return {code: -1, output, timedOut: true}
    return {code, output}
  }
}

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh'])

/** isBareShell says whether argv starts a shell that reads its commands from stdin (`sh`, `bash -i`, `sh -l`). */
export function isBareShell(argv: string[]): boolean {
  if (!SHELLS.has((argv[0] ?? '').split('/').pop() ?? '')) return false
  return argv.slice(1).every((a) => /^-[ilsx]+$/.test(a) || a === '--login')
}
