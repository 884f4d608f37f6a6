// labs.ts: grading a class. 100 sessions of 20 commands each (the rolling-update lab's reference solution plus the
// read-only commands a student types in between) are graded by the built CLI, `mkctl lab grade --jobs 2`, against
// the same sessions graded one by one (`--jobs 1`) in the same run. Both must give the same report.
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

const ROOT = join(import.meta.dirname, '..')
const MKCTL = join(ROOT, 'bin', 'mkctl.js')
const LAB = join(ROOT, 'labs', 'builtin', 'rolling-update')
const SESSIONS = 100
const COMMANDS = 20

/** LabFigures are what labsBench measured. */
export interface LabFigures {
  sessions: number
  commands: number
  parallelMs: number
  sequentialMs: number
}

/** labsBench grades the class twice and returns both wall times. */
export function labsBench(env: NodeJS.ProcessEnv): LabFigures {
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
    for (let i = 0; i < SESSIONS; i++) {
      const f = join(dir, `student-${String(i).padStart(3, '0')}.session`)
      writeFileSync(f, lines.join('\n') + '\n')
      files.push(f)
    }
    const grade = (jobs: number) => {
      const out = join(dir, `jobs-${jobs}`)
      const t0 = process.hrtime.bigint()
      const r = spawnSync(
        process.execPath,
        [MKCTL, 'lab', 'grade', LAB, '--session', ...files, '--jobs', String(jobs), '--format', 'json', '--out', out],
        {env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024},
      )
      const ms = Number(process.hrtime.bigint() - t0) / 1e6
      if (r.status !== 0) throw new Error(`lab grade --jobs ${jobs} exited ${r.status}: ${r.stderr}`)
      return {ms, report: readFileSync(join(out, 'report.json'), 'utf8')}
    }
    const par = grade(2)
    const seq = grade(1)
    if (par.report !== seq.report) throw new Error('lab grade gave different reports with --jobs 1 and --jobs 2')
    return {sessions: SESSIONS, commands: lines.length, parallelMs: par.ms, sequentialMs: seq.ms}
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}
