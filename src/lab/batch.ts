// batch.ts grades many session files: one after the other in this thread (jobs 1), or spread over worker threads,
// one session per worker task (jobs > 1). The lab is loaded (parsed and validated) once, in this thread; workers get
// it with each task instead of loading it again (YAML and the schema validator cost ~0.3 s of a worker's first
// task), and are started before it is loaded, so their start overlaps it. Every session is graded alone in its own fresh cluster, and results are
// put back in the order the sessions were given, so the report does not depend on --jobs.
//
// Workers run this very module's code: from the single-file bundle (the bundle is the worker's script; worker.ts
// starts serving when it sees its workerData), or from the TypeScript sources under tsx (tests), through a small
// eval script that registers tsx in the worker first.
import {basename, dirname, join} from 'node:path'
import {createRequire} from 'node:module'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {Worker} from 'node:worker_threads'
import {
  gradeSession,
  maxPointsOf,
  sessionSeed,
  type GradeOptions,
  type LabSource,
  type SessionResult,
} from './grader.js'
import {loadLab} from './load.js'
import {buildReport, type Report} from './report.js'
import {readSession} from './session.js'
import {WORKER_FLAG, type WorkerReply, type WorkerTask} from './worker-protocol.js'

/** BatchOptions configure a batch. */
export interface BatchOptions extends GradeOptions {
  /** jobs is how many sessions are graded at once (worker threads when > 1). */
  jobs?: number
}

const labs = new Map<string, LabSource>()

/** gradeFile grades one session file against a lab file (the lab is loaded once per thread). */
export async function gradeFile(labPath: string, sessionPath: string, opts: GradeOptions = {}): Promise<SessionResult> {
  let src = labs.get(labPath)
  if (!src) {
    src = loadLab(labPath)
    labs.set(labPath, src)
  }
  return gradeSessionFile(src, sessionPath, opts)
}

/** gradeSessionFile grades one session file against a loaded lab. */
export async function gradeSessionFile(
  src: LabSource,
  sessionPath: string,
  opts: GradeOptions = {},
): Promise<SessionResult> {
  let session
  try {
    session = readSession(sessionPath)
  } catch (e) {
    const seed = sessionSeed(src.lab, {}, opts)
    return {
      session: basename(sessionPath),
      seed,
      score: 0,
      maxScore: src.lab.tasks.reduce((s, t) => s + maxPointsOf(t), 0),
      error:
        (e as NodeJS.ErrnoException).code === 'ENOENT'
          ? `session file not found: ${sessionPath}`
          : (e as Error).message,
      parameters: {},
      tasks: [],
      commands: [],
    }
  }
  return gradeSession(src, session, opts)
}

/** gradeFiles grades every session and builds the report. */
export async function gradeFiles(labPath: string, sessionPaths: string[], opts: BatchOptions = {}): Promise<Report> {
  const jobs = Math.max(1, Math.min(opts.jobs ?? 1, sessionPaths.length))
  // Workers start loading the code while this thread loads the lab.
  const workers = jobs > 1 ? Array.from({length: jobs}, () => startWorker()) : []
  let src: LabSource
  try {
    src = loadLab(labPath)
  } catch (e) {
    await Promise.all(workers.map((w) => w.terminate()))
    throw e
  }
  const grade: GradeOptions = opts.seed !== undefined ? {seed: opts.seed} : {}
  let results: SessionResult[]
  if (jobs === 1) {
    results = []
    for (const s of sessionPaths) results.push(await gradeSessionFile(src, s, grade))
  } else {
    results = await inWorkers(src, sessionPaths, grade, workers)
  }
  return buildReport(src.lab, results)
}

/** workerScript says how to start a worker running this code. */
function startWorker(): Worker {
  const self = fileURLToPath(import.meta.url)
  const workerData = {[WORKER_FLAG]: true}
  if (!self.endsWith('.ts')) return new Worker(self, {workerData})
  // From sources: register tsx inside the worker, then load worker.ts (a .ts entry cannot be loaded directly).
  // The `import` condition of tsx/esm/api, found from its package folder (require.resolve would give the CJS one).
  const tsxDir = dirname(createRequire(self).resolve('tsx/package.json'))
  const tsx = pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href
  const entry = new URL('./worker.ts', import.meta.url).href
  const code = `import(${JSON.stringify(tsx)}).then((api) => { (api.register ?? api.default.register)(); return import(${JSON.stringify(entry)}) })`
  return new Worker(code, {eval: true, workerData})
}

async function inWorkers(
  lab: LabSource,
  sessions: string[],
  opts: GradeOptions,
  workers: Worker[],
): Promise<SessionResult[]> {
  const results: SessionResult[] = new Array(sessions.length)
  let next = 0
  try {
    await Promise.all(
      workers.map(async (w) => {
        for (;;) {
          const i = next++
          if (i >= sessions.length) break
          const task: WorkerTask = {id: i, lab, sessionPath: sessions[i], opts}
          results[i] = await ask(w, task)
        }
      }),
    )
  } finally {
    await Promise.all(workers.map((w) => w.terminate()))
  }
  return results
}

function ask(w: Worker, task: WorkerTask): Promise<SessionResult> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: WorkerReply) => {
      if (m.id !== task.id) return
      cleanup()
      if (m.error !== undefined) reject(new Error(m.error))
      else resolve(m.result!)
    }
    const onError = (e: Error) => {
      cleanup()
      reject(e)
    }
    const onExit = (code: number) => {
      cleanup()
      reject(new Error(`grading worker exited with code ${code}`))
    }
    const cleanup = () => {
      w.off('message', onMessage)
      w.off('error', onError)
      w.off('exit', onExit)
    }
    w.on('message', onMessage)
    w.on('error', onError)
    w.on('exit', onExit)
    w.postMessage(task)
  })
}
