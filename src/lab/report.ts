// report.ts turns session grades into a class report: per session and a summary (score distribution, pass rate
// per task, most-failed checks), as text, JSON, JUnit XML or CSV. Reports hold no times or paths of the grading
// machine, so grading the same sessions twice (or with any --jobs) gives byte-identical output.
import type {SessionResult} from './grader.js'
import type {Lab} from './types.js'

/** Summary is the class view of a report. */
export interface Summary {
  sessions: number
  maxScore: number
  mean: number
  median: number
  min: number
  max: number
  /** distribution counts sessions per score, lowest score first. */
  distribution: {score: number; sessions: number}[]
  tasks: {name: string; passed: number; sessions: number}[]
  /** mostFailed lists the checks failed by the most sessions (at most 10), then in lab order. */
  mostFailed: {task: string; check: string; failed: number}[]
  errors: number
}

/** Report is the whole grading result; `sessions[]` field names are stable (issue 6). */
export interface Report {
  lab: {name: string; title: string}
  sessions: SessionResult[]
  summary: Summary
}

/** REPORT_FORMATS are the values of --format. */
export const REPORT_FORMATS = ['text', 'json', 'junit', 'csv'] as const

/** ReportFormat is one of REPORT_FORMATS. */
export type ReportFormat = (typeof REPORT_FORMATS)[number]

const round2 = (n: number) => Math.round(n * 100) / 100

/** buildReport assembles the report of results (in the order given). */
export function buildReport(lab: Lab, sessions: SessionResult[]): Report {
  const scores = sessions.map((s) => s.score)
  const sorted = [...scores].sort((a, b) => a - b)
  const n = sorted.length
  const median = n === 0 ? 0 : n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
  const dist = new Map<number, number>()
  for (const s of sorted) dist.set(s, (dist.get(s) ?? 0) + 1)
  const failed: {task: string; check: string; failed: number; order: number}[] = []
  const index = new Map<string, number>()
  let order = 0
  for (const s of sessions) {
    for (const t of s.tasks) {
      for (const c of t.checks) {
        const key = `${t.name}\u0000${c.check}`
        let i = index.get(key)
        if (i === undefined) {
          i = failed.length
          index.set(key, i)
          failed.push({task: t.name, check: c.check, failed: 0, order: order++})
        }
        if (!c.passed && !c.skipped) failed[i].failed++
      }
    }
  }
  const mostFailed = failed
    .filter((f) => f.failed > 0)
    .sort((a, b) => b.failed - a.failed || a.order - b.order)
    .slice(0, 10)
    .map(({task, check, failed: f}) => ({task, check, failed: f}))
  return {
    lab: {name: lab.metadata.name, title: lab.metadata.title ?? lab.metadata.name},
    sessions,
    summary: {
      sessions: n,
      maxScore: sessions[0]?.maxScore ?? 0,
      mean: n === 0 ? 0 : round2(scores.reduce((a, b) => a + b, 0) / n),
      median: round2(median),
      min: sorted[0] ?? 0,
      max: sorted[n - 1] ?? 0,
      distribution: [...dist.entries()].map(([score, count]) => ({score, sessions: count})),
      tasks: lab.tasks.map((t) => ({
        name: t.name,
        passed: sessions.filter((s) => s.tasks.find((x) => x.name === t.name)?.passed).length,
        sessions: n,
      })),
      mostFailed,
      errors: sessions.filter((s) => s.error !== undefined).length,
    },
  }
}

/** formatReport renders a report in one of REPORT_FORMATS. */
export function formatReport(r: Report, format: ReportFormat): string {
  switch (format) {
    case 'json':
      return JSON.stringify(r, null, 2) + '\n'
    case 'junit':
      return junit(r)
    case 'csv':
      return csv(r)
    default:
      return text(r)
  }
}

function text(r: Report): string {
  const out: string[] = []
  for (const s of r.sessions) {
    out.push(`${s.session}: ${s.score}/${s.maxScore}${s.student ? ` (${s.student})` : ''}`)
    if (s.error) out.push(`  error: ${s.error}`)
    for (const t of s.tasks) {
      out.push(`  ${t.passed ? 'PASS' : 'FAIL'} ${t.name} ${t.points}/${t.maxPoints}`)
      for (const c of t.checks) if (!c.passed) out.push(`    ${c.skipped ? '~ skipped:' : '-'} ${c.message}`)
    }
    const failedCmds = s.commands.filter((c) => c.exitCode !== 0)
    if (failedCmds.length > 0) out.push(`  ${failedCmds.length} of ${s.commands.length} commands failed`)
  }
  const m = r.summary
  out.push('')
  out.push(
    `lab ${r.lab.name}: ${m.sessions} sessions, mean ${m.mean}/${m.maxScore}, median ${m.median}, min ${m.min}, max ${m.max}`,
  )
  out.push(`scores: ${m.distribution.map((d) => `${d.score}:${d.sessions}`).join(' ') || '-'}`)
  for (const t of m.tasks) out.push(`task ${t.name}: ${t.passed}/${t.sessions} passed`)
  if (m.mostFailed.length > 0) {
    out.push('most failed checks:')
    for (const f of m.mostFailed) out.push(`  ${f.failed}x ${f.task}: ${f.check}`)
  }
  if (m.errors > 0) out.push(`${m.errors} sessions could not be graded`)
  return out.join('\n') + '\n'
}

const xml = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // XML 1.0 cannot carry control characters other than tab, newline and carriage return.
    .split('')
    .filter((ch) => ch.charCodeAt(0) >= 0x20 || ch === '\t' || ch === '\n' || ch === '\r')
    .join('')

function junit(r: Report): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>']
  const tests = r.sessions.reduce((n, s) => n + s.tasks.length, 0)
  const failures = r.sessions.reduce((n, s) => n + s.tasks.filter((t) => !t.passed).length, 0)
  out.push(`<testsuites name="${xml(r.lab.name)}" tests="${tests}" failures="${failures}">`)
  for (const s of r.sessions) {
    const f = s.tasks.filter((t) => !t.passed).length
    out.push(
      `  <testsuite name="${xml(s.session)}" tests="${s.tasks.length}" failures="${f}" errors="${s.error ? 1 : 0}">`,
    )
    out.push(
      `    <properties><property name="score" value="${s.score}"/><property name="maxScore" value="${s.maxScore}"/></properties>`,
    )
    if (s.error) out.push(`    <error message="${xml(s.error)}"/>`)
    for (const t of s.tasks) {
      out.push(`    <testcase classname="${xml(r.lab.name)}" name="${xml(t.name)}">`)
      if (!t.passed) {
        const msgs = t.checks.filter((c) => !c.passed && !c.skipped).map((c) => c.message)
        out.push(`      <failure message="${xml(msgs[0] ?? '')}">${xml(msgs.join('\n'))}</failure>`)
      }
      out.push('    </testcase>')
    }
    out.push('  </testsuite>')
  }
  out.push('</testsuites>')
  return out.join('\n') + '\n'
}

const cell = (v: string | number) => {
  const s = String(v)
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

function csv(r: Report): string {
  const tasks = r.summary.tasks.map((t) => t.name)
  const rows = [['session', 'student', 'seed', 'score', 'maxScore', ...tasks, 'error']]
  for (const s of r.sessions) {
    rows.push([
      s.session,
      s.student ?? '',
      String(s.seed),
      String(s.score),
      String(s.maxScore),
      ...tasks.map((name) => String(s.tasks.find((t) => t.name === name)?.points ?? 0)),
      s.error ?? '',
    ])
  }
  return rows.map((row) => row.map(cell).join(',')).join('\n') + '\n'
}
