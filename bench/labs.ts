// labs.ts: grading a class. 100 sessions of 20 commands each (the rolling-update lab's reference solution plus the
// read-only commands a student types in between) are graded by the built CLI, `mkctl lab grade --jobs 2`, against
// the same sessions graded one by one (`--jobs 1`) in the same run. Both must give the same report.
// Run on its own (`node --import tsx bench/labs.ts [SESSIONS] [ROOT...]`) it grades a smaller class with each given
// build (a tree with bin/ and dist/, default this one), one after the other, to compare builds in the same window.
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

const ROOT = join(import.meta.dirname, '..')
const LAB = join(ROOT, 'labs', 'builtin', 'rolling-update')
const SESSIONS = 100
const COMMANDS = 20

/** LabFigures are what labsBench measured. */
export interface LabFigures {
  sessions: number
  commands: number
  parallelMs: number
  sequentialMs: number
  /** parallelCpuMs and sequentialCpuMs are the grader's CPU time (user + system), when /usr/bin/time is there. */
  parallelCpuMs?: number
  sequentialCpuMs?: number
}

const TIME = '/usr/bin/time'

/** labsBench grades the class twice and returns both wall times; root is the build to run (default this tree). */
export function labsBench(env: NodeJS.ProcessEnv, sessions = SESSIONS, root = ROOT): LabFigures {
  const MKCTL = join(root, 'bin', 'mkctl.js')
  const dir = mkdtempSync(join(tmpdir(), 'mkctl-bench-labs-'))
  try {
    const reference = readFileSync(join(LAB, 'reference.session'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'))
    const filler = [
      'kubectl get pods',
      'kubectl get deployment web',
      'kubectl describe deployment web',
      'kubectl get rs',
    ]
    const lines = [...reference]
    for (let i = 0; lines.length < COMMANDS; i++) lines.splice(1 + (i % lines.length), 0, filler[i % filler.length]!)
    const files: string[] = []
    for (let i = 0; i < sessions; i++) {
      const f = join(dir, `student-${String(i).padStart(3, '0')}.session`)
      writeFileSync(f, lines.join('\n') + '\n')
      files.push(f)
    }
    const grade = (jobs: number) => {
      const out = join(dir, `jobs-${jobs}`)
      const t0 = process.hrtime.bigint()
      const argv = [MKCTL, 'lab', 'grade', LAB, '--session', ...files, '--jobs', String(jobs), '--format', 'json']
      // On a shared machine wall time is noisy: the CPU time the grader used is reported too.
      const timed = existsSync(TIME)
      const [cmd, args] = timed
        ? [TIME, ['-f', 'cpu %U %S', process.execPath, ...argv, '--out', out]]
        : [process.execPath, [...argv, '--out', out]]
      const r = spawnSync(cmd, args, {env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024})
      const ms = Number(process.hrtime.bigint() - t0) / 1e6
      if (r.status !== 0) throw new Error(`lab grade --jobs ${jobs} exited ${r.status}: ${r.stderr}`)
      const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr)
      const cpuMs = cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : undefined
      return {ms, cpuMs, report: readFileSync(join(out, 'report.json'), 'utf8')}
    }
    const par = grade(2)
    const seq = grade(1)
    if (par.report !== seq.report) throw new Error('lab grade gave different reports with --jobs 1 and --jobs 2')
    return {
      sessions,
      commands: lines.length,
      parallelMs: par.ms,
      sequentialMs: seq.ms,
      ...(par.cpuMs !== undefined ? {parallelCpuMs: par.cpuMs} : {}),
      ...(seq.cpuMs !== undefined ? {sequentialCpuMs: seq.cpuMs} : {}),
    }
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const [n = '20', ...roots] = process.argv.slice(2)
  for (const root of roots.length > 0 ? roots : [ROOT]) {
    const f = labsBench(process.env, Number(n), root)
    const s = (ms: number) => (ms / 1000).toFixed(1)
    const cpu = (ms?: number) => (ms === undefined ? '' : ` (cpu ${s(ms)} s)`)
    console.log(
      `${root}: ${f.sessions} sessions x ${f.commands} commands: --jobs 2 ${s(f.parallelMs)} s${cpu(f.parallelCpuMs)},` +
        ` --jobs 1 ${s(f.sequentialMs)} s${cpu(f.sequentialCpuMs)}`,
    )
  }
}
