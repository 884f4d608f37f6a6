// differential.ts runs the same commands through the real kubectl and through mkctl against twin daemons: two
// in-process daemons started alike (same seed, same fake clock start, same options), one driven by each client.
// Because uids, names and timestamps come from the seed and the clock, both clusters stay identical as long as both
// clients send the same requests; stdout, stderr, exit code and the resulting objects can then be compared.
import assert from 'node:assert/strict'
import type {DaemonOptions} from '../../src/daemon/main.js'
import {kubectlAvailable, startTestDaemon, type RunResult, type TestDaemon} from './daemon.js'
import {scrub} from './scrub.js'

/** RunOpts are a command's stdin and extra environment. */
export interface RunOpts {
  input?: string
  env?: Record<string, string>
}

/** Twins are two identical daemons, one for each client. */
export interface Twins {
  /** k is the daemon the real kubectl talks to; m the one mkctl talks to. */
  k: TestDaemon
  m: TestDaemon
  /**
   * both runs args with kubectl on k and mkctl on m at the same time (each client has its own daemon, so neither can
   * see the other's requests), settles both, and returns the results.
   */
  both(args: string[], opts?: RunOpts): Promise<{kubectl: RunResult; mkctl: RunResult}>
  /**
   * same runs args both ways and asserts stdout, stderr and exit code are equal after normalising (kubectl's name
   * replaced by mkctl's, the daemon ports scrubbed); it returns mkctl's result.
   */
  same(args: string[], opts?: RunOpts): Promise<RunResult>
  /** setup runs args with kubectl on both daemons (state both sides need), asserting success. */
  setup(args: string[], opts?: RunOpts): Promise<void>
  /** advance moves both fake clocks on by ms and settles. */
  advance(ms: number): Promise<void>
  stop(): Promise<void>
}

/** normalize makes a kubectl result comparable with mkctl's. */
export function normalize(r: RunResult, bin: 'kubectl' | 'mkctl'): RunResult {
  const fix = (s: string) => scrub(bin === 'kubectl' ? s.replace(/\bkubectl\b(?!\.kubernetes\.io)/g, 'mkctl') : s)
  return {stdout: fix(r.stdout), stderr: fix(r.stderr), code: r.code}
}

/** startTwins starts the two daemons (call it in a `before` hook; it skips the suite without kubectl). */
export async function startTwins(ctx: Mocha.Context, opts: Partial<DaemonOptions> = {}): Promise<Twins> {
  if (!kubectlAvailable()) ctx.skip()
  const [k, m] = await Promise.all([startTestDaemon(opts), startTestDaemon(opts)])
  const settle = () => Promise.all([k.settle(), m.settle()])
  await settle()
  const twins: Twins = {
    k,
    m,
    async both(args, o = {}) {
      // Concurrently: the twins share nothing but this process's event loop, and the two spawns overlap on 2 cores.
      const [kubectl, mkctl] = await Promise.all([k.kubectl(args, o), m.mkctl(args, o)])
      await settle()
      return {kubectl, mkctl}
    },
    async same(args, o = {}) {
      const r = await twins.both(args, o)
      const want = normalize(r.kubectl, 'kubectl')
      const got = normalize(r.mkctl, 'mkctl')
      assert.deepEqual(got, want, `mkctl ${args.join(' ')}`)
      return got
    },
    async setup(args, o = {}) {
      for (const d of [k, m]) {
        const r = await d.kubectl(args, o)
        assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`)
      }
      await settle()
    },
    async advance(ms) {
      await Promise.all([k.advance(ms), m.advance(ms)])
      await settle()
    },
    async stop() {
      await Promise.all([k.stop(), m.stop()])
    },
  }
  return twins
}
