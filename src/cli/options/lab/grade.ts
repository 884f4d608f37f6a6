// grade.ts holds LabGradeOptions for `mkctl lab grade LAB --session FILE...`: every session replayed into a fresh
// in-process cluster, graded, and reported per student and for the class (src/lab: batch.ts, report.ts).
import {existsSync, mkdirSync, writeFileSync} from 'node:fs'
import {basename, join} from 'node:path'
import {RawError, UsageError} from '../../errors.js'
import {write, type IOStreams} from '../../io.js'
import {loadEngine} from '../../../lab/engine.js'
import type {Task} from '../../../lab/types.js'
import {labFile} from './validate.js'

/** GRADE_FORMATS are the values of --format. */
export const GRADE_FORMATS = ['text', 'json', 'junit', 'csv']

const EXT: Record<string, string> = {text: 'txt', json: 'json', junit: 'xml', csv: 'csv'}

/** maxPoints is what a task is worth (the sum of its checks' points when they carry points). */
export function maxPoints(task: Task): number {
  return task.checks.some((c) => c.points !== undefined)
    ? task.checks.reduce((s, c) => s + (c.points ?? 0), 0)
    : (task.points ?? 1)
}

/** LabGradeOptions grades recorded sessions. */
export class LabGradeOptions {
  lab = ''
  sessions: string[] = []
  jobs = 1
  format = 'text'
  out = ''
  seed?: number
  /** kubeconfig and context select a live cluster to grade instead of sessions (`--kubeconfig FILE --context C`). */
  kubeconfig = ''
  context = ''
  constructor(
    readonly io: IOStreams,
    readonly commandPath = 'mkctl lab grade',
  ) {}

  validate(args: string[]): void {
    if (args.length !== 1)
      throw new UsageError('give exactly one LAB (a lab file or a folder holding lab.yaml)', this.commandPath)
    this.lab = labFile(args[0])
    if (!existsSync(this.lab)) throw new Error(`lab file not found: ${this.lab}`)
    if (this.context && !this.kubeconfig)
      throw new UsageError('--context selects a context of --kubeconfig FILE: give both', this.commandPath)
    if (this.kubeconfig) {
      if (this.sessions.length > 0)
        throw new UsageError('give either --session FILE... or --kubeconfig FILE, not both', this.commandPath)
      if (!existsSync(this.kubeconfig)) throw new Error(`kubeconfig not found: ${this.kubeconfig}`)
    } else if (this.sessions.length === 0)
      throw new UsageError(
        'give at least one --session FILE, or --kubeconfig FILE to grade a live cluster',
        this.commandPath,
      )
    if (!GRADE_FORMATS.includes(this.format)) {
      throw new UsageError(
        `--format must be one of ${GRADE_FORMATS.join(', ')}, not "${this.format}"`,
        this.commandPath,
      )
    }
    if (!Number.isSafeInteger(this.jobs) || this.jobs < 1)
      throw new UsageError('--jobs must be a positive integer', this.commandPath)
    if (this.seed !== undefined && (!Number.isSafeInteger(this.seed) || this.seed < 0)) {
      throw new UsageError('--seed must be a non-negative integer', this.commandPath)
    }
  }

  async run(): Promise<void> {
    const engine = await loadEngine()
    let report
    try {
      if (this.kubeconfig) {
        // A live cluster: the lab's checks through the Kubernetes API (journal-based checks are skipped).
        const src = engine.loadLab(this.lab)
        const result = await engine.gradeLive(src, {
          kubeconfig: this.kubeconfig,
          ...(this.context ? {context: this.context} : {}),
          ...(this.seed !== undefined ? {seed: this.seed} : {}),
        })
        report = engine.buildReport(src.lab, [result])
      } else {
        report = await engine.gradeFiles(this.lab, this.sessions, {
          jobs: this.jobs,
          ...(this.seed !== undefined ? {seed: this.seed} : {}),
        })
      }
    } catch (e) {
      if (e instanceof engine.LabLoadError) throw new RawError((e as Error).message)
      throw e
    }
    const format = this.format as (typeof engine.REPORT_FORMATS)[number]
    if (this.out) {
      mkdirSync(this.out, {recursive: true})
      const ext = EXT[format]
      const seen = new Set<string>()
      for (const s of report.sessions) {
        let name = basename(s.session).replace(/\.[^.]*$/, '') || 'session'
        while (seen.has(name)) name += '_'
        seen.add(name)
        writeFileSync(
          join(this.out, `${name}.${ext}`),
          engine.formatReport(engine.buildReport(loadedLab(report), [s]), format),
        )
      }
      const file = join(this.out, `report.${ext}`)
      writeFileSync(file, engine.formatReport(report, format))
      await write(this.io.out, `graded ${report.sessions.length} sessions: ${file}\n`)
    } else {
      await write(this.io.out, engine.formatReport(report, format))
    }
    if (report.summary.errors > 0) throw new RawError('', 1)
  }
}

/** loadedLab rebuilds the lab header a one-session report needs from a class report. */
function loadedLab(r: {lab: {name: string; title: string}; summary: {tasks: {name: string}[]}}) {
  return {
    apiVersion: 'mkctl.dev/v1' as const,
    kind: 'Lab' as const,
    metadata: {name: r.lab.name, title: r.lab.title},
    tasks: r.summary.tasks.map((t) => ({name: t.name, checks: []})),
  }
}
