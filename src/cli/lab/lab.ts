// lab.ts holds the behaviour of the live lab commands (issue 6 part 3), kept apart from the oclif classes so tests
// can drive it with buffered streams: `lab start` (a fresh profile with the lab's seed, the setup applied through
// the engine, the lab registered with the daemon, the tasks printed), `lab reset` (the same again from scratch),
// `lab status`, `lab hint`, `lab check` (live grading, live.ts) and `lab export` (the journal as a session file).
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {resolve} from 'node:path'
import {parse as parseYaml} from 'yaml'
import type {LabRecord} from './wire.js'
import {loadEngine, type LabEngine} from '../../lab/engine.js'
import type {TaskResult} from '../../lab/grader.js'
import type {Lab, ParamValues} from '../../lab/types.js'
import {defaultKubeconfigPath} from '../client/kubeconfig.js'
import {call} from '../cluster/admin.js'
import {startCluster} from '../cluster/lifecycle.js'
import {
  deleteProfile,
  profileDir,
  profilesDir,
  readProfileConfig,
  validateProfileName,
  type ProfileConfig,
} from '../cluster/profiles.js'
import {RawError} from '../errors.js'
import {write, type IOStreams} from '../io.js'
import {examLine, gradeLive, labContext, profileRunner, readJournal} from './live.js'
import {sessionRecords, sessionText, type SessionHeader} from './session.js'

/** LIVE_WAIT_MS is how long `lab check` lets `ready` checks wait, in all, for a rollout in progress. */
export const LIVE_WAIT_MS = 20_000

/** StartLabOptions are `lab start`'s options. */
export interface StartLabOptions {
  lab: string
  profile?: string
  seed?: number
  student?: string
  timing?: ProfileConfig['timing']
}

/** isLabProfile tells whether a profile was started by `lab start`. */
export function isLabProfile(name: string, env: NodeJS.ProcessEnv = process.env): boolean {
  return existsSync(resolve(profileDir(name, env), 'lab.json'))
}

/** labProfile picks the lab profile a command is about: -p, else the current context's, else the only one. */
export function labProfile(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) {
    if (!isLabProfile(flag, env)) throw new RawError(`error: profile "${flag}" was not started by "mkctl lab start"`)
    return flag
  }
  const kc = defaultKubeconfigPath(env)
  if (existsSync(kc)) {
    const current = (parseYaml(readFileSync(kc, 'utf8')) as {'current-context'?: string} | null)?.['current-context']
    if (current && isLabProfile(current, env)) return current
  }
  const all = existsSync(profilesDir(env)) ? readdirSync(profilesDir(env)).filter((n) => isLabProfile(n, env)) : []
  if (all.length === 1) return all[0]
  if (all.length === 0) throw new RawError('error: no lab is running: start one with "mkctl lab start LAB"')
  throw new RawError(`error: several labs are running (${all.sort().join(', ')}): choose one with -p PROFILE`)
}

/** defaultLabProfile is the profile `lab start` uses for a lab: lab-<name>, cut to a valid profile name. */
export function defaultLabProfile(name: string): string {
  return `lab-${name}`.slice(0, 40).replace(/-+$/, '')
}

/** startLab runs `mkctl lab start LAB`. */
export async function startLab(o: StartLabOptions, io: IOStreams, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const engine = await loadEngine()
  let loaded
  try {
    loaded = engine.loadLab(o.lab)
  } catch (e) {
    if (e instanceof engine.LabLoadError) throw new RawError((e as Error).message)
    throw e
  }
  const profile = o.profile ?? defaultLabProfile(loaded.lab.metadata.name)
  validateProfileName(profile)
  if (readProfileConfig(profile, env)) {
    const why = isLabProfile(profile, env)
      ? `run "mkctl lab reset${o.profile ? ` -p ${profile}` : ''}" to start it over`
      : `it is not a lab profile: choose another name with -p`
    throw new RawError(
      `error: profile "${profile}" already exists: ${why}, or delete it with "mkctl cluster delete -p ${profile}"`,
    )
  }
  const seed = o.seed ?? loaded.lab.metadata.seed ?? 1
  await launch(
    engine,
    {
      source: readFileSync(loaded.file, 'utf8'),
      file: resolve(loaded.file),
      dir: loaded.dir,
      lab: loaded.lab,
      seed,
      ...(o.student !== undefined ? {student: o.student} : {}),
    },
    profile,
    o.timing,
    io,
    env,
  )
}

/** resetLab runs `mkctl lab reset`: the profile deleted and started again for the same lab, seed and student. */
export async function resetLab(
  flag: string | undefined,
  io: IOStreams,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const profile = labProfile(flag, env)
  const rec = JSON.parse(readFileSync(resolve(profileDir(profile, env), 'lab.json'), 'utf8')) as LabRecord
  const timing = readProfileConfig(profile, env)?.timing
  const engine = await loadEngine()
  const loaded = engine.parseLab(rec.lab, rec.file, rec.dir)
  if (!loaded.lab) throw new RawError(`error: the lab of profile "${profile}" does not load any more`)
  await write(io.out, `* Resetting lab "${rec.name}": deleting profile "${profile}" ...\n`)
  await deleteProfile(profile, defaultKubeconfigPath(env), env)
  await launch(
    engine,
    {
      source: rec.lab,
      file: rec.file,
      dir: rec.dir,
      lab: loaded.lab,
      seed: rec.seed,
      ...(rec.student !== undefined ? {student: rec.student} : {}),
    },
    profile,
    timing,
    io,
    env,
  )
}

interface LabStart {
  source: string
  file: string
  dir: string
  lab: Lab
  seed: number
  student?: string
}

/** launch starts a fresh profile for a lab, applies its setup, registers it with the daemon and prints the tasks. */
async function launch(
  engine: LabEngine,
  s: LabStart,
  profile: string,
  timing: ProfileConfig['timing'] | undefined,
  io: IOStreams,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const params = engine.drawParameters(s.lab.parameters, s.seed)
  await startCluster({profile, seed: s.seed, ...(timing ? {timing} : {})}, io, env)
  // The setup is the lab's, not the student's: it runs before the lab is registered, so it is not journaled.
  const runner = profileRunner(engine, profile, env)
  try {
    const admin = (method: string, path: string, body?: unknown) => call(profile, method, path, body, env)
    await engine.runSetup({run: runner.run, admin}, s.lab.setup ?? [], s.dir, params)
  } catch (e) {
    throw new RawError(`error: the setup of lab "${s.lab.metadata.name}" failed: ${(e as Error).message}`)
  } finally {
    runner.close()
  }
  await call(
    profile,
    'POST',
    '/lab',
    {lab: s.source, file: s.file, dir: s.dir, name: s.lab.metadata.name, seed: s.seed, student: s.student, params},
    env,
  )
  await write(io.out, instructions(engine, s.lab, params, s, profile, env))
}

function instructions(
  engine: LabEngine,
  lab: Lab,
  params: ParamValues,
  s: LabStart,
  profile: string,
  env: NodeJS.ProcessEnv,
): string {
  const r = (t: string) => engine.render(t, params)
  const total = lab.tasks.reduce((sum, t) => sum + engine.maxPointsOf(t), 0)
  const who = [`seed ${s.seed}`, ...(s.student !== undefined ? [`student ${s.student}`] : [])].join(', ')
  const lines = [`\n# ${r(lab.metadata.title ?? lab.metadata.name)} (lab "${lab.metadata.name}", ${who})`, '']
  if (lab.instructions) lines.push(r(lab.instructions).trimEnd(), '')
  if (lab.timeLimit) lines.push(`Time limit: ${lab.timeLimit}`, '')
  lines.push(`Tasks (${total} points):`)
  lab.tasks.forEach((t, i) => {
    const pts = engine.maxPointsOf(t)
    lines.push(`  ${i + 1}. ${r(t.title ?? t.name)} [${t.name}, ${pts} ${pts === 1 ? 'point' : 'points'}]`)
    if (t.instructions) for (const l of r(t.instructions).trimEnd().split('\n')) lines.push(`     ${l}`)
  })
  lines.push(
    '',
    `Work with mkctl, or with kubectl: export KUBECONFIG=${defaultKubeconfigPath(env)} (context "${profile}").`,
    'Check your work with "mkctl lab check", get a hint with "mkctl lab hint", see your score with "mkctl lab status".',
    '',
  )
  return lines.join('\n')
}

/** hintsUsed counts the revealed hints of a task. */
function hintsUsed(rec: LabRecord, task: string): number {
  return rec.hints.filter((h) => h.task === task).length
}

/** statusLab runs `mkctl lab status`: the tasks, the points so far and the hints used. */
export async function statusLab(
  flag: string | undefined,
  io: IOStreams,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const ctx = await labContext(labProfile(flag, env), env)
  const g = await gradeLive(ctx)
  const {record: rec} = ctx
  const who = [`seed ${rec.seed}`, ...(rec.student !== undefined ? [`student ${rec.student}`] : [])].join(', ')
  const rows = [['TASK', 'POINTS', 'HINTS', 'STATUS']]
  for (const t of g.tasks) {
    const task = ctx.lab.tasks.find((x) => x.name === t.name)!
    rows.push([
      t.name,
      `${t.points}/${t.maxPoints}`,
      `${hintsUsed(rec, t.name)}/${task.hints?.length ?? 0}`,
      t.passed ? 'done' : 'open',
    ])
  }
  const hints = rec.hints.length
  const out = [
    `Lab "${rec.name}" on profile "${ctx.profile}" (${who}), started ${rec.started}`,
    `Score: ${g.score}/${g.maxScore}, ${hints} ${hints === 1 ? 'hint' : 'hints'} used, ${g.records.length} commands journaled`,
    ...(examLine(g) ? [examLine(g)!] : []),
    '',
    table(rows),
  ]
  await write(io.out, out.join('\n'))
  await journalProblems(g.journal, io)
}

/** hintLab runs `mkctl lab hint`: the next hint of the first unfinished task, recorded in the journal. */
export async function hintLab(
  flag: string | undefined,
  io: IOStreams,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const ctx = await labContext(labProfile(flag, env), env)
  const g = await gradeLive(ctx)
  const open = g.tasks.find((t) => !t.passed)
  if (!open) {
    await write(io.out, 'All tasks are done: no hint needed.\n')
    return
  }
  const task = ctx.lab.tasks.find((t) => t.name === open.name)!
  const hints = (task.hints ?? []).map((h) => ctx.engine.render(h, ctx.record.params))
  const used = hintsUsed(ctx.record, task.name)
  if (hints.length === 0) {
    await write(io.out, `Task "${task.name}" has no hints.\n`)
    return
  }
  if (used >= hints.length) {
    const all = hints.map((h, i) => `  ${i + 1}. ${h}\n`).join('')
    await write(io.out, `No more hints for task "${task.name}"; the ${hints.length} you have seen:\n${all}`)
    return
  }
  await call(ctx.profile, 'POST', '/lab/hints', {task: task.name, index: used}, env)
  await write(io.out, `Hint ${used + 1}/${hints.length} for task "${task.name}": ${hints[used]}\n`)
}

/** checkLab runs `mkctl lab check`: live grading with pass/fail per check, the score and where to go next. */
export async function checkLab(
  flag: string | undefined,
  io: IOStreams,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const ctx = await labContext(labProfile(flag, env), env)
  const g = await gradeLive(ctx, {waitMs: LIVE_WAIT_MS})
  const lines: string[] = []
  for (const t of g.tasks) lines.push(...taskLines(t))
  lines.push('', `Score: ${g.score}/${g.maxScore}`)
  const exam = examLine(g)
  if (exam) lines.push(exam)
  const open = g.tasks.find((t) => !t.passed)
  if (open) {
    const task = ctx.lab.tasks.find((t) => t.name === open.name)!
    const left = (task.hints?.length ?? 0) - hintsUsed(ctx.record, task.name)
    lines.push(
      left > 0
        ? `Next: task "${task.name}"; "mkctl lab hint" shows its next hint (${left} left).`
        : `Next: task "${task.name}".`,
    )
  } else lines.push('All tasks are done.')
  await write(io.out, lines.join('\n') + '\n')
  await journalProblems(g.journal, io)
}

function taskLines(t: TaskResult): string[] {
  const out = [`${t.passed ? 'PASS' : 'FAIL'}  ${t.name} (${t.points}/${t.maxPoints}): ${t.title}`]
  for (const c of t.checks) out.push(`      [${c.passed ? 'pass' : 'fail'}] ${c.check}: ${c.message}`)
  return out
}

/** exportLab runs `mkctl lab export`: the journal as one JSON-lines session file for `lab grade --session`. */
export async function exportLab(
  flag: string | undefined,
  out: string | undefined,
  io: IOStreams,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const profile = labProfile(flag, env)
  const rec = (await call(profile, 'GET', '/lab', undefined, env)) as LabRecord
  const journal = await readJournal({profile, env})
  const records = sessionRecords(journal.events)
  // Exam mode: the commands after the deadline (always the last ones) are exported marked late.
  const onTime = sessionRecords(journal.events.filter((e) => e.annotations?.['mkctl.dev/late'] !== 'true')).length
  for (const r of records.slice(onTime)) r.late = true
  const header: SessionHeader = {
    kind: 'SessionHeader',
    seed: rec.seed,
    ...(rec.student !== undefined ? {student: rec.student} : {}),
    lab: rec.name,
    params: rec.params,
    hints: rec.hints,
    journal: {lines: journal.lines, head: journal.head, ok: journal.ok, problems: journal.problems},
  }
  const file = out || `${rec.name}${rec.student !== undefined ? `-${rec.student}` : ''}.session.jsonl`
  writeFileSync(file, sessionText(header, records))
  await write(io.out, `* Wrote ${records.length} commands of lab "${rec.name}" to ${file}\n`)
  await journalProblems(journal, io)
}

/** journalProblems reports a broken hash chain on stderr and fails the command (exit 1). */
async function journalProblems(j: {ok: boolean; problems: string[]}, _io: IOStreams): Promise<void> {
  if (j.ok) return
  throw new RawError(`error: the lab journal was altered:\n${j.problems.map((p) => `  ${p}`).join('\n')}`)
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)))
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] + 3))).join('') + '\n').join('')
}
