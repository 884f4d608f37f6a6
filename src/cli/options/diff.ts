// diff.ts holds DiffOptions for `mkctl diff` (kubectl/pkg/cmd/diff/diff.go): for every object of the manifests the
// live object and the object as it would be after `apply` (a server-side dry run of the client-side apply patch, a
// dry-run create for new objects, or a dry-run server-side apply with --server-side) are written as YAML into two
// temp directories, LIVE-* and MERGED-*, which are compared with $KUBECTL_EXTERNAL_DIFF or `diff -u -N`. Exit code 0
// means no differences, 1 differences, and errors exit with 2 (cmdutil.CheckDiffErr adds one to the usual code).
import {spawnSync} from 'node:child_process'
import {mkdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {isConflict, isNotFound} from '../../api/errors.js'
import type {KubeObject} from '../../api/object.js'
import {createThreeWayJsonMergePatch, createThreeWayMergePatch} from '../../api/patch/index.js'
import type {Factory} from '../client/factory.js'
import type {RestClient} from '../client/rest.js'
import {checkErr, RawError} from '../errors.js'
import type {IOStreams} from '../io.js'
import {toJson, toYaml} from '../printers/index.js'
import {newBuilder, resourcePath, type Builder, type Info} from '../resource/builder.js'
import {LAST_APPLIED, modifiedConfiguration} from '../resource/last-applied.js'
import {OpenApiV3} from '../resource/openapi.js'

const MAX_RETRIES = 4

/** SENSITIVE masks are the values diff prints instead of Secret data (diff.go sensitiveMask*). */
export const SENSITIVE = {default: '***', before: '*** (before)', after: '*** (after)'}

/** maskSecretData hides Secret data as the Masker does: equal keys `***`, changed ones `*** (before)`/`(after)`. */
export function maskSecretData(from: KubeObject | undefined, to: KubeObject | undefined): void {
  const f = (from as {data?: Record<string, unknown>} | undefined)?.data
  const t = (to as {data?: Record<string, unknown>} | undefined)?.data
  for (const k of Object.keys(f ?? {})) {
    if (t && k in t) {
      if (f![k] !== t[k]) {
        f![k] = SENSITIVE.before
        t[k] = SENSITIVE.after
        continue
      }
      t[k] = SENSITIVE.default
    }
    f![k] = SENSITIVE.default
  }
  for (const k of Object.keys(t ?? {})) if (!f || !(k in f)) t![k] = SENSITIVE.default
}

/** diffFileName is InfoObject.Name(): `apps.v1.Deployment.default.web` (group omitted for the core group). */
export function diffFileName(info: Info): string {
  const m = info.mapping
  return `${m.group ? m.group + '.' : ''}${m.version}.${m.kind}.${info.namespace}.${info.name}`
}

/**
 * diffCommand is DiffProgram.getCommand: $KUBECTL_EXTERNAL_DIFF split on spaces (extra arguments kept only when made
 * of letters, digits, `-` and `=`), else `diff -u -N`.
 */
export function diffCommand(env: NodeJS.ProcessEnv, from: string, to: string): {cmd: string; args: string[]} {
  const ext = env.KUBECTL_EXTERNAL_DIFF ?? ''
  if (ext) {
    const parts = ext.split(' ')
    const extra = parts.slice(1).filter((p) => /^[a-zA-Z0-9-=]+$/.test(p))
    return {cmd: parts[0], args: [from, to, ...extra]}
  }
  return {cmd: 'diff', args: ['-u', '-N', from, to]}
}

/** DiffError carries an error to be reported with diff's exit codes (the usual code plus one). */
export function diffExit(err: unknown): RawError {
  const r = checkErr(err)
  return new RawError(r.message, r.exitCode + 1)
}

/** DiffOptions diffs manifests against the live objects. */
export class DiffOptions {
  filenames: string[] = []
  recursive = false
  kustomize?: string
  selector?: string
  args: string[] = []
  serverSide = false
  forceConflicts = false
  fieldManager?: string
  showManagedFields = false
  env: NodeJS.ProcessEnv = process.env

  private builder?: Builder
  private rest?: RestClient
  private openapi?: OpenApiV3

  constructor(readonly io: IOStreams) {}

  /** complete checks the arguments and builds the clients (diff.go Complete). */
  async complete(f: Factory): Promise<void> {
    if (this.args.length !== 0) {
      throw new RawError(
        `error: Unexpected args: [${this.args.join(' ')}]\nSee 'mkctl diff -h' for help and examples`,
        2,
      )
    }
    if (this.kustomize) throw diffExit(new Error('mkctl does not support -k (kustomize)'))
    if (this.filenames.length === 0) throw diffExit(new Error('must specify one of -f and -k'))
    this.fieldManager ??= this.serverSide ? 'kubectl' : 'kubectl-client-side-apply'
    if (this.forceConflicts && !this.serverSide) {
      throw diffExit(new Error('--force-conflicts only works with --server-side'))
    }
    try {
      this.builder = await newBuilder(f, this.io.in, {
        filenames: this.filenames,
        recursive: this.recursive,
        labelSelector: this.selector,
      })
      this.rest = await f.restClient()
    } catch (e) {
      throw diffExit(e)
    }
    this.openapi = new OpenApiV3(() => f.restClient())
  }

  /** run writes the LIVE and MERGED trees and runs the diff program. */
  async run(): Promise<void> {
    const live = makeTempDir('LIVE-')
    const merged = makeTempDir('MERGED-')
    try {
      for await (const item of this.builder!.visit()) {
        if ('error' in item) throw diffExit(item.error)
        try {
          await this.diffOne(item.info, live, merged)
        } catch (e) {
          throw diffExit(e)
        }
      }
      const {cmd, args} = diffCommand(this.env, live, merged)
      const r = spawnSync(cmd, args, {env: this.env, maxBuffer: 1 << 30})
      if (r.stdout) this.io.out.write(r.stdout)
      if (r.stderr) this.io.errOut.write(r.stderr)
      if (r.error) {
        const reason =
          (r.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'executable file not found in $PATH' : r.error.message
        throw diffExit(new Error(`failed to run ${JSON.stringify(cmd)}: ${reason}`))
      }
      if (r.status === 1) throw new RawError('', 1)
      if (r.status !== 0) {
        throw diffExit(new Error(`failed to run ${JSON.stringify(cmd)}: exit status ${r.status ?? 1}`))
      }
    } finally {
      rmSync(live, {recursive: true, force: true})
      rmSync(merged, {recursive: true, force: true})
    }
  }

  private async diffOne(info: Info, liveDir: string, mergedDir: string): Promise<void> {
    const rest = this.rest!
    const local = structuredClone(info.object)
    const path = resourcePath(info.mapping, info.namespace, info.name)
    let liveObj: KubeObject | undefined
    let mergedObj: KubeObject | undefined
    for (let i = 1; i <= MAX_RETRIES; i++) {
      try {
        liveObj = await rest.get<KubeObject>(path)
      } catch (e) {
        if (!isNotFound(e)) throw e
        liveObj = undefined
      }
      try {
        mergedObj = await this.merged(info, local, liveObj, i === MAX_RETRIES)
        break
      } catch (e) {
        if (!isConflict(e) || i === MAX_RETRIES) throw e
      }
    }
    const from = liveObj ? structuredClone(liveObj) : undefined
    const to = mergedObj ? structuredClone(mergedObj) : undefined
    if (!this.showManagedFields) {
      for (const o of [from, to]) if (o?.metadata) delete (o.metadata as Record<string, unknown>).managedFields
    }
    if (to?.apiVersion === 'v1' && to.kind === 'Secret') maskSecretData(from, to)
    const name = diffFileName(info)
    writeFileSync(join(liveDir, name), from ? toYaml(from) : '', {mode: 0o700})
    writeFileSync(join(mergedDir, name), to ? toYaml(to) : '', {mode: 0o700})
    if (liveObj?.metadata?.deletionTimestamp) {
      this.io.errOut.write(
        `Warning: Detected changes to resource ${liveObj.metadata.name ?? ''} which is currently being deleted.\n`,
      )
    }
  }

  // merged is InfoObject.Merged: what the server would store, asked with dryRun=All.
  private async merged(
    info: Info,
    local: KubeObject,
    live: KubeObject | undefined,
    force: boolean,
  ): Promise<KubeObject> {
    const rest = this.rest!
    const query = {dryRun: 'All', fieldManager: this.fieldManager}
    const path = resourcePath(info.mapping, info.namespace, info.name)
    if (this.serverSide) {
      return rest.patch<KubeObject>(path, toJson(local, '') + '\n', 'application/apply-patch+yaml', {
        query: {...query, force: String(this.forceConflicts)},
      })
    }
    if (!live) {
      return rest.post<KubeObject>(resourcePath(info.mapping, info.namespace), local, {query})
    }
    const modified = JSON.parse(modifiedConfiguration(local, false)) as Record<string, unknown>
    const originalText = live.metadata?.annotations?.[LAST_APPLIED]
    const original = originalText ? (JSON.parse(originalText) as Record<string, unknown>) : undefined
    const m = info.mapping
    const schema = await this.openapi!.patchSchema({group: m.group, version: m.version, kind: m.kind})
    const patch = schema
      ? createThreeWayMergePatch(original, modified, live as Record<string, unknown>, schema, {overwrite: true})
      : createThreeWayJsonMergePatch(original, modified, live as Record<string, unknown>)
    if (Object.keys(patch).length === 0) return live
    if (!force) {
      const meta = ((patch as Record<string, any>).metadata ??= {}) as Record<string, unknown>
      meta.resourceVersion = live.metadata?.resourceVersion ?? ''
    }
    return rest.patch<KubeObject>(
      path,
      toJson(patch, ''),
      schema ? 'application/strategic-merge-patch+json' : 'application/merge-patch+json',
      {query},
    )
  }
}

// makeTempDir creates `<tmp>/<prefix><digits>` as os.MkdirTemp does.
function makeTempDir(prefix: string): string {
  for (let i = 0; ; i++) {
    const dir = join(tmpdir(), `${prefix}${Math.floor(Math.random() * 4294967295)}`)
    try {
      mkdirSync(dir, {mode: 0o700})
      return dir
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || i > 100) throw e
    }
  }
}
