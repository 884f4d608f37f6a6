// property-helpers.ts: what the property tests of the printers and of strategic merge share — one real kubectl run
// per batch of generated objects (a v1 List in one file; kubectl's offline verbs print every item), and the
// fast-check parameters (fixed seeds, printed on failure with the counterexample; no shrinking, since each
// shrink step would spawn kubectl again).
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Parameters} from 'fast-check'

/** BatchResult is what one kubectl run printed. */
export interface BatchResult {
  stdout: string
  stderr: string
  status: number | null
}

/** kubectlBatch writes items as one List and runs `kubectl <args...> -f list.json` offline (KUBECONFIG=/dev/null). */
export function kubectlBatch(items: unknown[], args: (file: string) => string[]): BatchResult {
  const dir = mkdtempSync(join(tmpdir(), 'mkctl-prop-'))
  try {
    const file = join(dir, 'list.json')
    writeFileSync(file, JSON.stringify({apiVersion: 'v1', kind: 'List', metadata: {resourceVersion: ''}, items}))
    const r = spawnSync('kubectl', args(file), {encoding: 'utf8', env: {...process.env, KUBECONFIG: '/dev/null'}})
    return {stdout: r.stdout, stderr: r.stderr.replaceAll(file, 'list.json'), status: r.status}
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

/** params are fast-check's run parameters: a fixed seed, few runs (each one spawns kubectl), verbose failures. */
export function params<T>(seed: number, numRuns: number): Parameters<T> {
  return {seed, numRuns, verbose: 1, endOnFailure: true}
}
