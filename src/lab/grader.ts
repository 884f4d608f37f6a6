// grader.ts grades one session: draw the parameters from the seed, start a fresh in-process cluster with that
// seed, run the lab's setup, replay the session's commands one by one (settling after each), then run every
// task's checks in order and score them. Scoring (docs/labs.md): a task earns its points when all its checks pass;
// when its checks carry points, it earns the sum of the passing checks' points instead.
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {parse as parseYaml} from 'yaml'
import {parseGoDuration} from '../api/duration.js'
import {daemonView} from './cluster-view.js'
import {describeCheck, runCheck, type CheckEnv, type JournalEntry} from './checks.js'
import {drawParameters} from './params.js'
import {networkProbe} from './reachable.js'
import {startReplayer, type Replayer} from './replay.js'
import {resolveFileArgs, tokenize, type Session} from './session.js'
import {render, renderDeep} from './template.js'
import {checkKind, type CheckSpec, type FaultStep, type Lab, type ParamValues, type SetupStep} from './types.js'

/** CheckResult is one check of a graded task. */
export interface CheckResult {
  check: string
  kind: string
  passed: boolean
  message: string
  /** points and maxPoints are present on checks that carry points (partial credit). */
  points?: number
  maxPoints?: number
  unsupported?: boolean
  /** skipped checks (journal-based checks on a live cluster) count neither way: not in passed, not in points. */
  skipped?: boolean
}

/** TaskResult is one graded task. */
export interface TaskResult {
  name: string
  title: string
  passed: boolean
  points: number
  maxPoints: number
  checks: CheckResult[]
}

/** ReplayedCommand is how one session command went. */
export interface ReplayedCommand {
  line: number
  command: string
  exitCode: number
  /** error is the first line of the command's error output when it failed. */
  error?: string
}

/** SessionResult is the grade of one session; its JSON field names are stable (issue 6). */
export interface SessionResult {
  session: string
  student?: string
  seed: number
  score: number
  maxScore: number
  /** error is set when the session could not be graded (bad file, failing setup); then score is 0. */
  error?: string
  parameters: ParamValues
  tasks: TaskResult[]
  commands: ReplayedCommand[]
}

/** LabSource is a loaded lab and the folder its relative files live in. */
export interface LabSource {
  lab: Lab
  dir: string
}

/** GradeOptions tune grading. */
export interface GradeOptions {
  /** seed is used when the session does not carry its own. */
  seed?: number
}

/** LabSetupError is a lab whose setup fails: a lab bug, not the student's. */
export class LabSetupError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'LabSetupError'
  }
}

/** sessionSeed picks the seed of a session: its own, else --seed, else the lab's, else 1. */
export function sessionSeed(lab: Lab, session: Pick<Session, 'seed'>, opts: GradeOptions = {}): number {
  return session.seed ?? opts.seed ?? lab.metadata.seed ?? 1
}

/** renderCheck renders a check's templates, keeping its custom message for later (it may name `.actual`). */
export function renderCheck(c: CheckSpec, params: ParamValues): CheckSpec {
  const {message, ...rest} = c
  const out = renderDeep(rest, params) as CheckSpec
  return message === undefined ? out : {...out, message}
}

/** maxPointsOf is what a task is worth. */
export function maxPointsOf(task: Lab['tasks'][number]): number {
  const partial = task.checks.some((c) => c.points !== undefined)
  return partial ? task.checks.reduce((s, c) => s + (c.points ?? 0), 0) : (task.points ?? 1)
}

/** SetupRunner is what runSetup drives: mkctl commands, and requests to the cluster's /mkctl/v1 endpoints. */
export interface SetupRunner {
  run(argv: string[], stdin?: string): Promise<{code: number; stdout: string; stderr: string}>
  /** admin sends one request to /mkctl/v1 (path after it); images and faults need it. */
  admin?(method: string, path: string, body?: unknown): Promise<any>
}

/** SetupOutcome says what the setup scheduled. */
export interface SetupOutcome {
  /** faultsDueAt is the cluster time (ms) of the last declared fault, when there are faults. */
  faultsDueAt?: number
}

/**
 * runSetup applies the lab's setup steps through mkctl; a failing step throws LabSetupError. Images and faults are
 * declared first, whatever their place among the steps, so that `at` counts from the start of the setup and the
 * setup's own pods are already subject to them.
 */
export async function runSetup(
  r: SetupRunner,
  steps: SetupStep[],
  dir: string,
  params: ParamValues,
): Promise<SetupOutcome> {
  const out: SetupOutcome = {}
  const images: unknown[] = []
  const faults: object[] = []
  for (const [i, step] of steps.entries()) {
    try {
      if ('images' in step) {
        const imgs = step.images
        if (Array.isArray(imgs)) images.push(...(renderDeep(imgs, params) as unknown[]))
        else {
          const data = parseYaml(render(readFileSync(resolve(dir, render(imgs.file, params)), 'utf8'), params))
          const list = Array.isArray(data) ? data : (data as {images?: unknown[]} | null)?.images
          if (!Array.isArray(list)) throw new Error(`${imgs.file}: expected a list of images`)
          images.push(...list)
        }
      } else if ('fault' in step) faults.push(faultBody(renderDeep(step.fault, params) as FaultStep))
    } catch (e) {
      throw new LabSetupError(`setup[${i}] ${'images' in step ? 'images' : 'fault'} failed: ${(e as Error).message}`)
    }
  }
  if (images.length > 0 || faults.length > 0) {
    if (!r.admin) throw new LabSetupError('setup declares images or faults, which this cluster cannot take')
    let res: {faults?: {dueAt: number}[]}
    try {
      res = await r.admin('POST', '/lab/faults', {images, faults})
    } catch (e) {
      throw new LabSetupError(`setup: declaring images and faults failed: ${(e as Error).message}`)
    }
    if (res.faults?.length) out.faultsDueAt = Math.max(...res.faults.map((f) => f.dueAt))
  }
  for (const [i, step] of steps.entries()) {
    let res
    let what: string
    if ('apply' in step) {
      const text =
        typeof step.apply === 'string'
          ? render(step.apply, params)
          : render(readFileSync(resolve(dir, render(step.apply.file, params)), 'utf8'), params)
      what = typeof step.apply === 'string' ? 'apply (inline)' : `apply ${step.apply.file}`
      res = await r.run(['apply', '-f', '-'], text)
    } else if ('run' in step) {
      const line = render(step.run, params)
      what = line
      const tok = tokenize(line)
      if (tok.error) throw new LabSetupError(`setup[${i}] ${line}: ${tok.error}`)
      res = await r.run(resolveFileArgs(tok.words.slice(1), dir))
    } else continue
    if (res.code !== 0) throw new LabSetupError(`setup[${i}] ${what} failed: ${res.stderr.trim()}`)
  }
  return out
}

/** faultBody turns a lab's fault step into the daemon's FaultSpec (durations in ms). */
function faultBody(f: FaultStep): object {
  const {at, registryFailure, ...rest} = f
  return {
    at: at === undefined ? 0 : parseGoDuration(at),
    ...rest,
    ...(registryFailure
      ? {
          registryFailure: {
            ...registryFailure,
            ...(registryFailure.until !== undefined ? {until: parseGoDuration(registryFailure.until)} : {}),
          },
        }
      : {}),
  }
}

/** gradeSession grades one parsed session against a lab. */
export async function gradeSession(src: LabSource, session: Session, opts: GradeOptions = {}): Promise<SessionResult> {
  const {lab} = src
  const seed = sessionSeed(lab, session, opts)
  const params = drawParameters(lab.parameters, seed)
  const result: SessionResult = {
    session: session.name,
    ...(session.student !== undefined ? {student: session.student} : {}),
    seed,
    score: 0,
    maxScore: lab.tasks.reduce((s, t) => s + maxPointsOf(t), 0),
    parameters: params,
    tasks: [],
    commands: [],
  }
  const r = await startReplayer({seed})
  try {
    const setup = await runSetup(r, lab.setup ?? [], src.dir, params)
    const journal = await replay(r, session, result.commands)
    // Every declared fault has happened by the time the work is judged, however short the session was.
    if (setup.faultsDueAt !== undefined && r.clock.now() < setup.faultsDueAt)
      await r.advance(setup.faultsDueAt - r.clock.now())
    const env: CheckEnv = {
      view: daemonView(r.daemon),
      journal,
      run: (argv) => r.run(argv),
      now: () => r.clock.now(),
      advance: (ms) => r.advance(ms),
      nextTimerAt: () => r.clock.nextTimerAt(),
      http: networkProbe(r.daemon.cluster),
    }
    for (const task of lab.tasks) result.tasks.push(await gradeTask(task, env, params))
    result.score = result.tasks.reduce((s, t) => s + t.points, 0)
  } catch (e) {
    result.error = e instanceof LabSetupError ? e.message : `grading failed: ${(e as Error).message}`
    result.score = 0
  } finally {
    await r.stop()
  }
  return result
}

/** gradeTasks runs every task's checks against env (a replayed or a live cluster) and scores them, in order. */
export async function gradeTasks(lab: Lab, env: CheckEnv, params: ParamValues): Promise<TaskResult[]> {
  const out: TaskResult[] = []
  for (const task of lab.tasks) out.push(await gradeTask(task, env, params))
  return out
}

async function gradeTask(task: Lab['tasks'][number], env: CheckEnv, params: ParamValues): Promise<TaskResult> {
  const partial = task.checks.some((c) => c.points !== undefined)
  const checks: CheckResult[] = []
  for (const raw of task.checks) {
    const c = renderCheck(raw, params)
    const out = await runCheck(c, env, params)
    const cr: CheckResult = {check: describeCheck(c), kind: checkKind(c), passed: out.passed, message: out.message}
    if (partial) {
      cr.points = out.passed ? (c.points ?? 0) : 0
      cr.maxPoints = c.points ?? 0
    }
    if (out.unsupported) cr.unsupported = true
    if (out.skipped) {
      cr.skipped = true
      if (partial) cr.maxPoints = 0
    }
    checks.push(cr)
  }
  // Skipped checks count neither way; a task whose checks are all skipped is worth nothing here.
  const graded = checks.filter((c) => !c.skipped)
  const passed = graded.every((c) => c.passed)
  let maxPoints = maxPointsOf(task)
  if (graded.length < checks.length)
    maxPoints = partial ? graded.reduce((s, c) => s + (c.maxPoints ?? 0), 0) : graded.length > 0 ? maxPoints : 0
  const points = partial ? checks.reduce((s, c) => s + (c.points ?? 0), 0) : passed ? maxPoints : 0
  return {name: task.name, title: render(task.title ?? task.name, params), passed, points, maxPoints, checks}
}

const TOOLS = new Set(['kubectl', 'mkctl'])

/** replay runs the session's commands and returns the journal the checks see. */
async function replay(r: Replayer, session: Session, log: ReplayedCommand[]): Promise<JournalEntry[]> {
  const journal: JournalEntry[] = []
  let filesDir: string | undefined
  for (const [i, cmd] of session.commands.entries()) {
    let exitCode: number
    let error: string | undefined
    if (cmd.late) {
      // Exam mode: the state is judged as it was at the deadline, so what came after is not replayed.
      log.push({line: cmd.line, command: cmd.text, exitCode: -1, error: 'after the time limit: not graded'})
      continue
    } else if (cmd.recorded) {
      // A read of another client (the real kubectl in a live lab): nothing to replay, its exit code as recorded.
      exitCode = cmd.recorded.exitCode
    } else if (cmd.error) {
      exitCode = 2
      error = cmd.error
    } else if (!TOOLS.has(cmd.argv[0])) {
      exitCode = 127
      error = `${cmd.argv[0]}: only kubectl and mkctl commands are replayed`
    } else {
      // Recorded files (JSON-lines sessions) are written out, and the command's paths pointed at them.
      let map: ((p: string) => string | undefined) | undefined
      if (cmd.files && Object.keys(cmd.files).length > 0) {
        filesDir ??= join(r.home, 'files')
        const dir = join(filesDir, String(i))
        const written = new Map<string, string>()
        for (const [p, content] of Object.entries(cmd.files)) {
          const target = join(dir, p.replace(/^(\.\.\/|\/)+/g, '').replace(/\.\.\//g, ''))
          mkdirSync(dirname(target), {recursive: true})
          writeFileSync(target, content)
          written.set(p, target)
        }
        map = (p) => written.get(p)
      }
      const argv = resolveFileArgs(cmd.argv.slice(1), session.dir, map)
      const res = await r.run(argv, cmd.stdin ?? '')
      exitCode = res.code
      if (res.code !== 0) error = res.stderr.split('\n').find((l) => l.trim() !== '')
    }
    journal.push({text: cmd.text, exitCode})
    log.push({line: cmd.line, command: cmd.text, exitCode, ...(error !== undefined ? {error} : {})})
  }
  return journal
}
