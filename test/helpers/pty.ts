// pty.ts runs interactive command lines for the differential tests: under util-linux `script` (a pty), typing each
// input once the output shows its prompt; and `ticking`, which moves twin daemons' fake clocks on while a client
// waits for pods to start (kubectl run/debug wait by watch, which on a fake clock only ends when time passes).
import {spawn, spawnSync} from 'node:child_process'
import type {Twins} from './differential.js'

/** hasScript tells whether util-linux `script` is there to give a command a pty. */
export function hasScript(): boolean {
  return spawnSync('script', ['--version'], {stdio: 'ignore'}).status === 0
}

/** PtyStep types `type` once the output since the previous step matches `after`. */
export interface PtyStep {
  after: RegExp
  type: string
}

/** ptyRun runs a command line under `script` (a pty), typing each input once the output matches its prompt. */
export async function ptyRun(
  cmd: string,
  env: Record<string, string>,
  steps: PtyStep[],
): Promise<{out: string; code: number | null}> {
  const child = spawn('script', ['-qec', cmd, '/dev/null'], {env: {...process.env, ...env}})
  let out = ''
  child.stdout.on('data', (b: Buffer) => (out += b.toString()))
  child.stderr.on('data', (b: Buffer) => (out += b.toString()))
  const closed = new Promise<number | null>((r) => child.on('close', r))
  let from = 0
  for (const s of steps) {
    const deadline = Date.now() + 20_000
    while (!s.after.test(out.slice(from))) {
      if (Date.now() > deadline) {
        child.kill()
        throw new Error(`timed out waiting for ${s.after}: ${JSON.stringify(out)}`)
      }
      await new Promise((r) => setTimeout(r, 20))
    }
    from = out.length
    child.stdin.write(s.type)
  }
  const code = await closed
  return {out, code}
}

/**
 * ticking runs fn while both fake clocks move on by a second every 100 ms of wall time: kubectl's run and debug wait
 * (by watch) for the pod to start and to finish, which on a fake clock only happens when time passes.
 */
export async function ticking<T>(t: Twins, fn: () => Promise<T>): Promise<T> {
  let stop = false
  const loop = (async () => {
    while (!stop) {
      await Promise.all([t.k.advance(1000), t.m.advance(1000)])
      await new Promise((r) => setTimeout(r, 100))
    }
  })()
  try {
    return await fn()
  } finally {
    stop = true
    await loop
  }
}
