// live.ts grades a running lab profile with the lab engine's own checks (src/lab/checks.ts): the checks read a
// ClusterView filled from the profile daemon's read-only /mkctl/v1/lab/view (objects and store revision history
// per resource type and namespace), the journal entries of the session the journal records (session.ts), and run
// `script` checks through mkctl in-process against the profile. A live cluster's clock is not the grader's to move:
// a `ready` check polls in real time instead, for at most waitMs over the whole check run.
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {formatGoDuration} from '../../api/duration.js'
import {parseSelector} from '../../api/labels.js'
import type {KubeObject} from '../../api/object.js'
import {storageKey, type ResourceInfo} from '../../api/resources.js'
import type {Journal, LabRecord, ViewAnswer, ViewRef} from './wire.js'
import {loadEngine, type LabEngine} from '../../lab/engine.js'
import type {ClusterView, HistoryEvent} from '../../lab/cluster-view.js'
import type {CheckEnv} from '../../lab/checks.js'
import type {ProbeAnswer} from '../../lab/reachable.js'
import type {TaskResult} from '../../lab/grader.js'
import type {Lab} from '../../lab/types.js'
import {call} from '../cluster/admin.js'
import {daemonInfo, profileDir, profileToken} from '../cluster/profiles.js'
import {bufferedIOStreams} from '../io.js'
import {sessionRecords, type SessionRecord} from './session.js'

export type {Journal}

/** POLL_MS is how often a live `ready` check looks again. */
const POLL_MS = 250

/** LabContext is a running lab profile with its lab loaded. */
export interface LabContext {
  profile: string
  env: NodeJS.ProcessEnv
  record: LabRecord
  lab: Lab
  engine: LabEngine
}

/** labContext reads the lab a running profile was started for. */
export async function labContext(profile: string, env: NodeJS.ProcessEnv = process.env): Promise<LabContext> {
  const record = (await call(profile, 'GET', '/lab', undefined, env)) as LabRecord
  const engine = await loadEngine()
  const loaded = engine.parseLab(record.lab, record.file, record.dir)
  if (!loaded.lab)
    throw new Error(
      `the lab of profile "${profile}" does not load: ${loaded.diagnostics.map(engine.formatDiagnostic).join('; ')}`,
    )
  return {profile, env, record, lab: loaded.lab, engine}
}

/** readJournal fetches a lab profile's journal. */
export async function readJournal(ctx: Pick<LabContext, 'profile' | 'env'>): Promise<Journal> {
  return (await call(ctx.profile, 'GET', '/lab/journal', undefined, ctx.env)) as Journal
}

/** CommandRunner runs one mkctl command line (argv without the tool word) against a cluster. */
export type CommandRunner = (argv: string[], stdin?: string) => Promise<{code: number; stdout: string; stderr: string}>

/**
 * profileRunner runs mkctl commands in-process against a running profile, through a private kubeconfig, with
 * auto-start and the journal off (the lab commands' own runs are not the student's). close() removes the kubeconfig.
 */
export function profileRunner(
  engine: LabEngine,
  profile: string,
  env: NodeJS.ProcessEnv = process.env,
): {run: CommandRunner; close(): void} {
  const info = daemonInfo(profile, env)
  if (!info)
    throw new Error(`the lab profile "${profile}" is not running: start it with "mkctl cluster start -p ${profile}"`)
  const dir = mkdtempSync(join(tmpdir(), 'mkctl-lab-run-'))
  const kubeconfig = join(dir, 'kubeconfig')
  const ca = Buffer.from(readFileSync(join(profileDir(profile, env), 'ca.crt'), 'utf8')).toString('base64')
  const cfg = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{name: profile, cluster: {server: info.url, 'certificate-authority-data': ca}}],
    users: [{name: profile, user: {token: profileToken(profile, env)}}],
    contexts: [{name: profile, context: {cluster: profile, user: profile, namespace: 'default'}}],
    'current-context': profile,
  }
  writeFileSync(kubeconfig, JSON.stringify(cfg), {mode: 0o600})
  const vars = {KUBECONFIG: kubeconfig, MKCTL_AUTOSTART: '0', MKCTL_JOURNAL: '0', MKCTL_HOME: dir}
  return {
    async run(argv, stdin = '') {
      const io = bufferedIOStreams(stdin)
      const saved: Record<string, string | undefined> = {}
      for (const [k, v] of Object.entries(vars)) {
        saved[k] = process.env[k]
        process.env[k] = v
      }
      try {
        const code = await engine.runInProcess(argv, io)
        return {code, stdout: io.outText(), stderr: io.errText()}
      } finally {
        for (const [k, v] of Object.entries(saved)) {
          if (v === undefined) delete process.env[k]
          else process.env[k] = v
        }
      }
    },
    close: () => rmSync(dir, {recursive: true, force: true}),
  }
}

/** viewRefs lists the resource types and namespaces a lab's checks read. */
export function viewRefs(ctx: LabContext): ViewRef[] {
  const seen = new Map<string, ViewRef>()
  for (const task of ctx.lab.tasks) {
    for (const raw of task.checks) {
      const c = ctx.engine.renderCheck(raw, ctx.record.params)
      const ref = c.exists ?? c.absent ?? c.field ?? c.ready ?? c.history
      if (!ref) continue
      const slash = ref.resource.indexOf('/')
      const type = slash < 0 ? ref.resource : ref.resource.slice(0, slash)
      const namespace = ref.namespace ?? 'default'
      seen.set(`${type}\n${namespace}`, {type, namespace})
    }
  }
  return [...seen.values()]
}

/** SnapshotView is a ClusterView over what the profile's /lab/view answered. */
export class SnapshotView implements ClusterView {
  constructor(public answers: ViewAnswer[]) {}

  resolve(name: string): ResourceInfo | undefined {
    return this.answers.find((a) => a.type === name && a.resource)?.resource ?? undefined
  }

  private answer(r: ResourceInfo, ns: string | undefined): ViewAnswer | undefined {
    return this.answers.find(
      (a) => a.resource?.plural === r.plural && a.resource.group === r.group && (!r.namespaced || a.namespace === ns),
    )
  }

  get(r: ResourceInfo, ns: string | undefined, name: string): KubeObject | undefined {
    return this.answer(r, ns)?.objects.find((o) => o.metadata?.name === name)
  }

  list(r: ResourceInfo, ns: string | undefined, selector?: string): KubeObject[] {
    const objs = this.answer(r, ns)?.objects ?? []
    if (!selector) return objs
    const sel = parseSelector(selector)
    return objs.filter((o) => sel.matches((o.metadata?.labels ?? {}) as Record<string, string>))
  }

  history(r: ResourceInfo, ns: string | undefined, name?: string): HistoryEvent[] {
    const events = (this.answer(r, ns)?.history ?? []) as HistoryEvent[]
    if (name === undefined) return events
    const key = storageKey(r, r.namespaced ? ns : undefined, name)
    return events.filter((e) => e.key === key)
  }
}

/** LiveGrade is a live check of a lab profile. */
export interface LiveGrade {
  tasks: TaskResult[]
  score: number
  maxScore: number
  journal: Journal
  records: SessionRecord[]
  /** exam is set in exam mode: the deadline, the commands after it (not graded), the revision graded after it. */
  exam?: {deadline: number; late: number; atRevision?: number}
}

/** LATE is the annotation of journal events after an exam's deadline (src/daemon/journal/service.ts). */
const LATE = 'mkctl.dev/late'

/** examDeadline is the wall-clock deadline (ms) of a lab started in exam mode, or undefined. */
export function examDeadline(rec: LabRecord): number | undefined {
  return rec.timeLimitMs && rec.startedWall ? Date.parse(rec.startedWall) + rec.timeLimitMs : undefined
}

/** examLine says how much time is left, or that the time is up and what the grading ignores. */
export function examLine(g: Pick<LiveGrade, 'exam'>, now = Date.now()): string | undefined {
  if (!g.exam) return undefined
  const left = g.exam.deadline - now
  const at = new Date(g.exam.deadline).toISOString()
  if (left > 0) return `Time left: ${formatGoDuration(Math.ceil(left / 1000) * 1000)} (exam ends at ${at})`
  const n = g.exam.late
  return `Time is up (${at}): graded as the cluster was at the deadline${g.exam.atRevision !== undefined ? ` (revision ${g.exam.atRevision})` : ''}; ${n} ${n === 1 ? 'command' : 'commands'} after it ignored`
}

/** gradeLive grades the running profile now; `ready` checks may wait up to waitMs of real time in all. */
export async function gradeLive(ctx: LabContext, opts: {waitMs?: number} = {}): Promise<LiveGrade> {
  const journal = await readJournal(ctx)
  // Exam mode: what the student did after the deadline is journaled (as late) but not graded.
  const onTime = journal.events.filter((e) => e.annotations?.[LATE] !== 'true')
  const late = sessionRecords(journal.events).length - sessionRecords(onTime).length
  const records = sessionRecords(onTime)
  const refs = viewRefs(ctx)
  const fetchView = async () => (await call(ctx.profile, 'POST', '/lab/view', {refs}, ctx.env)) as ViewAnswer[]
  const view = new SnapshotView(await fetchView())
  const runner = profileRunner(ctx.engine, ctx.profile, ctx.env)
  const waitMs = opts.waitMs ?? 0
  let waited = 0
  const env: CheckEnv = {
    view,
    journal: records.map((r) => ({text: r.text, exitCode: r.exitCode})),
    run: (argv) => runner.run(argv),
    // `reachable` requests go through the profile's simulated network, as replay sends them (lab-ops.ts /probe).
    http: async (req) => (await call(ctx.profile, 'POST', '/lab/probe', req, ctx.env)) as ProbeAnswer,
    now: () => Date.now(),
    nextTimerAt: () => (waited < waitMs ? Date.now() + POLL_MS : undefined),
    async advance(ms) {
      const step = Math.min(Math.max(ms, 1), POLL_MS)
      await new Promise((r) => setTimeout(r, step))
      waited += step
      view.answers = await fetchView()
    },
  }
  try {
    const tasks = await ctx.engine.gradeTasks(ctx.lab, env, ctx.record.params)
    const maxScore = ctx.lab.tasks.reduce((s, t) => s + ctx.engine.maxPointsOf(t), 0)
    const atRevision = view.answers.find((a) => a.atRevision !== undefined)?.atRevision
    return {
      tasks,
      score: tasks.reduce((s, t) => s + t.points, 0),
      maxScore,
      journal,
      records,
      ...(examDeadline(ctx.record) !== undefined
        ? {exam: {deadline: examDeadline(ctx.record)!, late, atRevision}}
        : {}),
    }
  } finally {
    runner.close()
  }
}
