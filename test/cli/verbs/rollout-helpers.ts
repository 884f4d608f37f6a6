// rollout-helpers.ts starts a client in the background on a twin daemon, so a test can move the fake clock while a
// watching command (rollout status, wait, drain) runs; it resolves `started` once the command printed its first line.
import {spawn} from 'node:child_process'
import {join} from 'node:path'
import type {RunResult, TestDaemon} from '../../helpers/daemon.js'

const ROOT = join(import.meta.dirname, '..', '..', '..')

/** Background is a running command. */
export interface Background {
  /** started resolves when the command wrote its first output (its list is done, its watch is opening). */
  started: Promise<void>
  done: Promise<RunResult>
}

/**
 * background runs kubectl (bin 'kubectl') or mkctl against d without waiting for it; `started` resolves on the first
 * output, or, with readyWhen, once the output so far matches it (e.g. a -v=6 log line of the watch request).
 */
export function background(d: TestDaemon, bin: 'kubectl' | 'mkctl', args: string[], readyWhen?: RegExp): Background {
  const cache = join(d.home, 'cache')
  const env = {
    ...process.env,
    KUBECONFIG: d.kubeconfig,
    MKCTL_HOME: d.home,
    MKCTL_AUTOSTART: '0',
    KUBECACHEDIR: cache,
    HOME: d.home,
  }
  const child =
    bin === 'kubectl'
      ? spawn('kubectl', ['--kubeconfig', d.kubeconfig, '--cache-dir', cache, ...args], {env})
      : spawn(process.execPath, [join(ROOT, 'bin', 'mkctl.js'), ...args], {env, cwd: ROOT})
  let stdout = ''
  let stderr = ''
  let first: () => void = () => {}
  const started = new Promise<void>((r) => (first = r))
  const check = () => {
    if (!readyWhen || readyWhen.test(stdout + stderr)) first()
  }
  child.stdout.on('data', (b) => {
    stdout += b
    check()
  })
  child.stderr.on('data', (b) => {
    stderr += b
    check()
  })
  child.stdin.end()
  const done = new Promise<RunResult>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => {
      first()
      resolve({stdout, stderr, code: code ?? -1})
    })
  })
  return {started, done}
}
