// worker.ts serves grading tasks in a worker thread (see batch.ts): it starts serving as soon as it is loaded in
// a thread whose workerData carries WORKER_FLAG, and does nothing anywhere else (so the bundle can import it).
import {isMainThread, parentPort, workerData} from 'node:worker_threads'
import {gradeSessionFile} from './batch.js'
import {WORKER_FLAG, type WorkerReply, type WorkerTask} from './worker-protocol.js'

/** serveGrading answers WorkerTasks on port, one at a time. */
export function serveGrading(port: NonNullable<typeof parentPort>): void {
  let chain = Promise.resolve()
  port.on('message', (task: WorkerTask) => {
    chain = chain.then(async () => {
      let reply: WorkerReply
      try {
        reply = {id: task.id, result: await gradeSessionFile(task.lab, task.sessionPath, task.opts)}
      } catch (e) {
        reply = {id: task.id, error: (e as Error).stack ?? String(e)}
      }
      port.postMessage(reply)
    })
  })
}

if (!isMainThread && parentPort && (workerData as Record<string, unknown> | null)?.[WORKER_FLAG])
  serveGrading(parentPort)
