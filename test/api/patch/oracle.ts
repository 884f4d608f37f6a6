// oracle.ts runs the real kubectl offline (`kubectl patch --local`) so the patch tests can compare against it, and
// loads the upstream OpenAPI documents kept beside the repository (../shared/openapi) when they are there.

import {execFileSync, spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import type {OpenApiDocument} from '../../../src/api/patch/schema.js'

/** hasKubectl reports whether the real kubectl is on PATH. */
export function hasKubectl(): boolean {
  try {
    execFileSync('kubectl', ['version', '--client'], {stdio: 'ignore', env: {...process.env, KUBECONFIG: '/dev/null'}})
    return true
  } catch {
    return false
  }
}

/** OracleResult is kubectl's answer: the patched object, or the error text without "error: ". */
export type OracleResult = {ok: true; object: unknown} | {ok: false; error: string}

let tmp: string | undefined

/** kubectlPatch runs `kubectl patch --local -f <obj> --type <type> -p <patch> -o json`. */
export function kubectlPatch(obj: unknown, type: 'strategic' | 'merge' | 'json', patch: unknown): OracleResult {
  tmp ??= fs.mkdtempSync(path.join(os.tmpdir(), 'mkctl-patch-'))
  const file = path.join(tmp, 'obj.json')
  fs.writeFileSync(file, JSON.stringify(obj))
  const r = spawnSync(
    'kubectl',
    ['patch', '--local', '-f', file, '--type', type, '-p', JSON.stringify(patch), '-o', 'json'],
    {encoding: 'utf8', env: {...process.env, KUBECONFIG: '/dev/null'}},
  )
  if (r.status === 0) return {ok: true, object: JSON.parse(r.stdout)}
  return {ok: false, error: r.stderr.replace(/^error: /, '').replace(/\n$/, '')}
}

/** upstreamOpenApi loads ../shared/openapi/<file> relative to the repository root, or undefined when absent. */
export function upstreamOpenApi(file: string): OpenApiDocument | undefined {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
  const p = path.join(root, '..', 'shared', 'openapi', file)
  if (!fs.existsSync(p)) return undefined
  return JSON.parse(fs.readFileSync(p, 'utf8')) as OpenApiDocument
}
