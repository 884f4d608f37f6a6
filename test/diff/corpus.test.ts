// corpus.test.ts runs the differential corpus (test/diff/sessions/*.yaml, see README.md): each session becomes a
// describe, each command an it comparing mkctl's stdout, stderr and exit code with the real kubectl's on twin
// daemons. The sessions run ahead of the its, two lanes at a time (each lane its own twin pair, sessions of a lane
// one after the other in their own namespaces); an it waits for its command's result.
import assert from 'node:assert/strict'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {ensureBuilt} from '../helpers/build.js'
import {kubectlAvailable} from '../helpers/daemon.js'
import {startTwins, type Twins} from '../helpers/differential.js'
import {loadCorpus, prepareSides, runCommand, runSetup, type CommandResult, type Session} from './session.js'

/** LANES is how many sessions run at once (the machine has 2 cores; each command spawns two clients). */
const LANES = 2
/** MIN_COMMANDS / MIN_ERRORS keep the corpus from shrinking silently. */
const MIN_COMMANDS = 300
const MIN_ERRORS = 60

// DIFF_SESSIONS=a,b runs only those sessions (when adding a case); the count check below then does not apply
const only = process.env.DIFF_SESSIONS?.split(',')
const corpus = loadCorpus().filter((s) => !only || only.includes(s.name))

interface Deferred {
  promise: Promise<CommandResult>
  resolve(r: CommandResult): void
  reject(e: unknown): void
}

function deferred(): Deferred {
  let resolve!: (r: CommandResult) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<CommandResult>((a, b) => ((resolve = a), (reject = b)))
  // a session that fails before anyone awaits must not be an unhandled rejection
  promise.catch(() => {})
  return {promise, resolve, reject}
}

const results = new Map<Session, Deferred[]>(corpus.map((s) => [s, s.commands.map(deferred)]))

describe('differential corpus (mkctl vs kubectl)', function () {
  this.timeout(600_000)
  let tmp: string
  let lanes: Promise<void>[] = []
  let ctx: Mocha.Context

  before(function () {
    if (!kubectlAvailable()) this.skip()
    ensureBuilt()
    // the lanes start twins later, outside any hook: startTwins only needs the context to skip without kubectl
    ctx = {skip: () => this.skip()} as Mocha.Context
    tmp = mkdtempSync(join(tmpdir(), 'mkctl-corpus-'))
    // lanes: sessions dealt round-robin by name, so a lane's order (and its shared state) is stable
    const byLane: Session[][] = Array.from({length: LANES}, () => [])
    corpus.forEach((s, i) => byLane[i % LANES].push(s))
    lanes = byLane.map((sessions) => runLane(sessions))
  })
  after(async () => {
    await Promise.allSettled(lanes)
    if (tmp) rmSync(tmp, {recursive: true, force: true})
  })

  async function runLane(sessions: Session[]): Promise<void> {
    let shared: Twins | undefined
    try {
      for (const s of sessions) {
        const own = s.lane === 'own'
        let t: Twins
        if (own) t = await startTwins(ctx, s.nodes ? ({cluster: {nodes: s.nodes}} as never) : {})
        else t = shared ??= await startTwins(ctx)
        const pending = results.get(s)!
        try {
          const sides = prepareSides(t, s, tmp)
          await runSetup(t, sides, s)
          for (const [i, step] of s.commands.entries()) pending[i].resolve(await runCommand(t, sides, s, step))
        } catch (e) {
          for (const d of pending) d.reject(e)
        } finally {
          if (own) await t.stop()
        }
      }
    } finally {
      await shared?.stop()
    }
  }

  for (const s of corpus) {
    describe(`${s.name}: ${s.description}`, () => {
      s.commands.forEach((step, i) => {
        const title = step.advance ? `(advance ${step.advance} ms)` : `mkctl ${step.args.join(' ')}`
        it(`${i + 1}. ${title}${step.error ? ' [error]' : ''}`, async () => {
          const r = await results.get(s)![i].promise
          if (step.error) assert.notEqual(r.kubectl.code, 0, `kubectl ${step.args.join(' ')} should fail`)
          if (step.compare === 'code') assert.equal(r.mkctl.code, r.kubectl.code)
          else assert.deepEqual(r.mkctl, r.kubectl)
        })
      })
    })
  }

  it(`has at least ${MIN_COMMANDS} commands and ${MIN_ERRORS} error cases`, function () {
    if (only) this.skip()
    const commands = corpus.flatMap((s) => s.commands).filter((c) => !c.advance)
    const errors = commands.filter((c) => c.error)
    console.log(`      corpus: ${corpus.length} sessions, ${commands.length} commands, ${errors.length} error cases`)
    assert.ok(commands.length >= MIN_COMMANDS, `${commands.length} commands`)
    assert.ok(errors.length >= MIN_ERRORS, `${errors.length} error cases`)
  })
})
