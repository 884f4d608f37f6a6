// programs.ts runs an image's own simulated executables (src/daemon/runtime/profiles.ts: `nginx -v`, `redis-cli
// ping`, `pg_isready`) for exec, with their output captured instead of logged and with a copy of the process
// environment that cannot open listeners, claim memory or install signal handlers on the container's real process.
import {OomKill, ShellExit, type Gen, type Proc, type Program, type Sink} from '../runtime/shell/types.js'

/** ProgramResult is a finished program's output and exit code. */
export interface ProgramResult {
  stdout: string
  stderr: string
  exitCode: number
}

/** MAX_PROGRAM_STEPS bounds one program run (a server started by hand would otherwise run forever). */
export const MAX_PROGRAM_STEPS = 20_000

/** detachedProc is a copy of a process environment whose side effects on the running process are dropped. */
export function detachedProc(proc: Proc): Proc {
  let pid = 100
  return {
    ...proc,
    listen: () => {},

    useMemory: function* (): Gen<void> {},
    nextPid: () => pid++,
  }
}

/** runProgram runs prog to its end, a forever-sleep, or the step bound, capturing stdout and stderr. */
export function runProgram(
  prog: Program,
  argv: string[],
  env: Map<string, string>,
  proc: Proc,
  cwd: string,
  stdin = '',
): ProgramResult {
  const out: Sink = {k: 'buf', chunks: []}
  const err: Sink = {k: 'buf', chunks: []}
  const gen = (function* (): Gen<number> {
    try {
      return yield* prog({argv, env, io: {stdin, out, err}, proc, cwd})
    } catch (e) {
      if (e instanceof ShellExit) return e.code
      if (e instanceof OomKill) return 137
      throw e
    }
  })()
  let exitCode = 0
  for (let i = 0; i < MAX_PROGRAM_STEPS; i++) {
    const r = gen.next()
    if (r.done) {
      exitCode = r.value
      break
    }
    const s = r.value
    if (s.k === 'out') (s.fd === 1 ? out : err).chunks.push(s.text)
    // A program that settles into serving or sleeping forever is stopped where it is.
    if ((s.k === 'sleep' && s.ms === Infinity) || s.k === 'steady') break
  }
  const text = (s: Sink) => (s.k === 'buf' ? s.chunks.join('') : '')
  return {stdout: text(out), stderr: text(err), exitCode}
}
