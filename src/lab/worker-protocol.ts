// worker-protocol.ts is the message contract between batch.ts and its grading workers.
import type {GradeOptions, LabSource, SessionResult} from './grader.js'

/** WORKER_FLAG is the workerData key that makes a thread loading the lab code serve grading tasks. */
export const WORKER_FLAG = 'mkctlLabGrader'

/** WorkerTask asks a worker to grade one session file. */
export interface WorkerTask {
  id: number
  /** lab is the lab as the main thread loaded and validated it (not loaded again in the worker). */
  lab: LabSource
  sessionPath: string
  opts: GradeOptions
}

/** WorkerReply is a worker's answer to one task. */
export interface WorkerReply {
  id: number
  result?: SessionResult
  error?: string
}
