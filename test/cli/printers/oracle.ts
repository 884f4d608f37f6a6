// oracle.ts: runs the real kubectl offline (`annotate --local -f obj nonexistent- -o FORMAT`), which prints
// objects through kubectl's own printers. Tests skip when kubectl is not on PATH.
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

/** hasKubectl reports whether the oracle can run. */
export const hasKubectl = spawnSync('kubectl', ['version', '--client'], {encoding: 'utf8'}).status === 0

/** OracleResult is what kubectl printed. */
export interface OracleResult {
  stdout: string
  stderr: string
  status: number | null
}

/** kubectlPrint writes obj (JSON) to a temporary file and prints it with `kubectl annotate --local -o output`. */
export function kubectlPrint(obj: unknown, output: string): OracleResult {
  const dir = mkdtempSync(join(tmpdir(), 'mkctl-printers-'))
  try {
    const file = join(dir, 'obj.json')
    writeFileSync(file, JSON.stringify(obj))
    const r = spawnSync('kubectl', ['annotate', '--local', '-f', file, 'nonexistent-', '-o', output], {
      encoding: 'utf8',
      env: {...process.env, KUBECONFIG: '/dev/null'},
    })
    return {stdout: r.stdout, stderr: r.stderr, status: r.status}
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

/** kubectlParse lets kubectl read a YAML manifest and print it back as JSON (or its error). */
export function kubectlParse(yamlText: string): OracleResult {
  const dir = mkdtempSync(join(tmpdir(), 'mkctl-printers-'))
  try {
    const file = join(dir, 'x.yaml')
    writeFileSync(file, yamlText)
    const r = spawnSync('kubectl', ['annotate', '--local', '-f', file, 'nonexistent-', '-o', 'json'], {
      encoding: 'utf8',
      env: {...process.env, KUBECONFIG: '/dev/null'},
    })
    return {stdout: r.stdout, stderr: r.stderr.replaceAll(file, 'x.yaml'), status: r.status}
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

/** asList wraps objects in a v1 List so one kubectl run prints them all (annotate flattens lists). */
export function asList(items: unknown[]): unknown {
  return {apiVersion: 'v1', kind: 'List', metadata: {resourceVersion: ''}, items}
}
