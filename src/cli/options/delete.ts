// delete.ts holds DeleteOptions for `mkctl delete` (kubectl/pkg/cmd/delete/delete.go, delete_flags.go): one DELETE
// per object, as the builder yields them, each printed as `<kind> "<name>" deleted`; NotFound is ignored with
// --ignore-not-found (the default with --all, -l and --field-selector); then, unless --wait=false, wait until every
// deleted object is gone (kubectl/pkg/cmd/wait IsDeleted: GET, then list+watch by metadata.name).
import {isNotFound, StatusError} from '../../api/errors.js'
import type {KubeObject} from '../../api/object.js'
import type {Factory} from '../client/factory.js'
import {parseGoDuration} from '../client/factory.js'
import type {RestClient} from '../client/rest.js'
import {watch} from '../client/watch.js'
import type {IOStreams} from '../io.js'
import {Builder, newBuilder, finalError, kindString, resourcePath, type Info} from '../resource/builder.js'
import {addSourceToErr} from '../resource/common.js'
import {dryRunStrategy, type DryRun} from '../resource/openapi.js'

/** FORCE_WARNING is what kubectl prints before an immediate deletion. */
export const FORCE_WARNING =
  'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n'

/** cascadingStrategy parses --cascade (delete_flags.go parseCascadingFlag); warnings go to warn. */
export function cascadingStrategy(flag: string, warn: (s: string) => void): 'Background' | 'Foreground' | 'Orphan' {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(flag)) {
    warn(`warning: --cascade=${flag} is deprecated (boolean value) and can be replaced with --cascade=background.\n`)
    return 'Background'
  }
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(flag)) {
    warn(`warning: --cascade=${flag} is deprecated (boolean value) and can be replaced with --cascade=orphan.\n`)
    return 'Orphan'
  }
  switch (flag) {
    case 'background':
      return 'Background'
    case 'foreground':
      return 'Foreground'
    case 'orphan':
      return 'Orphan'
    default:
      throw new Error(`invalid cascade value (${flag}). Must be "background", "foreground", or "orphan"`)
  }
}

/** DeleteOptions deletes resources by name, file or selector. */
export class DeleteOptions {
  args: string[] = []
  filenames: string[] = []
  recursive = false
  kustomize?: string
  selector?: string
  fieldSelector?: string
  all = false
  allNamespaces = false
  ignoreNotFound?: boolean
  gracePeriod = -1
  force = false
  now = false
  cascadeFlag = 'background'
  wait = true
  timeoutFlag = '0s'
  dryRunFlag?: string
  output = ''

  dryRun: DryRun = 'none'
  cascade: 'Background' | 'Foreground' | 'Orphan' = 'Background'
  timeoutMs = 0
  private warnClusterScope = false
  private builder?: Builder
  private rest?: () => Promise<RestClient>

  constructor(readonly io: IOStreams) {}

  /** validate applies delete's flag rules (DeleteFlags.ToOptions, Complete and Validate) that need no server. */
  validate(): void {
    if (this.kustomize) throw new Error('mkctl does not support -k (kustomize)')
    this.cascade = cascadingStrategy(this.cascadeFlag, (s) => this.io.errOut.write(s))
    if (this.all || this.selector || this.fieldSelector) this.ignoreNotFound ??= true
    if (this.now) {
      if (this.gracePeriod !== -1) throw new Error('--now and --grace-period cannot be specified together')
      this.gracePeriod = 1
    }
    if (this.gracePeriod === 0 && !this.force) this.gracePeriod = 1
    if (this.force && this.gracePeriod < 0) this.gracePeriod = 0
    this.dryRun = dryRunStrategy(this.dryRunFlag)
    const ms = /^\d+$/.test(this.timeoutFlag) ? Number(this.timeoutFlag) * 1000 : parseGoDuration(this.timeoutFlag)
    if (ms === undefined)
      throw new Error(
        `invalid argument "${this.timeoutFlag}" for "--timeout" flag: time: invalid duration "${this.timeoutFlag}"`,
      )
    this.timeoutMs = ms
    if (this.output !== '' && this.output !== 'name') {
      throw new Error(`unexpected -o output mode: ${this.output}. We only support '-o name'`)
    }
    if (this.gracePeriod === 0 && this.force) this.io.errOut.write(FORCE_WARNING)
    else if (this.gracePeriod > 0 && this.force) {
      throw new Error('--force and --grace-period greater than 0 cannot be specified together')
    }
  }

  /** complete resolves the namespace and builds the resource builder. */
  async complete(f: Factory): Promise<void> {
    const {explicit} = await f.namespace()
    this.warnClusterScope = explicit && !this.allNamespaces
    this.rest = () => f.restClient()
    this.builder = await newBuilder(f, this.io.in, {
      allNamespaces: this.allNamespaces,
      filenames: this.filenames,
      recursive: this.recursive,
      labelSelector: this.selector,
      fieldSelector: this.fieldSelector,
      selectAll: this.all,
      args: this.args,
    })
    await this.builder.resolve()
  }

  private printObj(info: Info): void {
    let operation = this.gracePeriod === 0 ? 'force deleted' : 'deleted'
    if (this.dryRun === 'client') operation += ' (dry run)'
    else if (this.dryRun === 'server') operation += ' (server dry run)'
    const kind = kindString(info.mapping)
    if (this.output === 'name') this.io.out.write(`${kind}/${info.name}\n`)
    else this.io.out.write(`${kind} "${info.name}" ${operation}\n`)
  }

  /** run deletes every object, then waits for them to be gone. */
  async run(): Promise<void> {
    const errs: Error[] = []
    const deleted: {info: Info; uid?: string}[] = []
    let found = 0
    let warnClusterScope = this.warnClusterScope
    const keep = (e: Error) => !(this.ignoreNotFound && isNotFound(e))
    for await (const item of this.builder!.visit()) {
      if ('error' in item) {
        const e = item.error as Error & {errors?: Error[]}
        if (e.errors) {
          const rest = e.errors.filter(keep)
          if (rest.length > 0) errs.push(rest.length === e.errors.length ? e : finalError(rest)!)
        } else if (keep(e)) errs.push(e)
        continue
      }
      const info = item.info
      found++
      if (warnClusterScope && !info.mapping.namespaced) {
        this.io.errOut.write('warning: deleting cluster-scoped resources, not scoped to the provided namespace\n')
        warnClusterScope = false
      }
      if (this.dryRun === 'client') {
        this.printObj(info)
        continue
      }
      const body: Record<string, unknown> = {}
      if (this.gracePeriod >= 0) body.gracePeriodSeconds = this.gracePeriod
      body.propagationPolicy = this.cascade
      if (this.dryRun === 'server') body.dryRun = ['All']
      let response: KubeObject & {details?: {uid?: string}}
      try {
        const rest = await this.rest!()
        response = await rest.delete(resourcePath(info.mapping, info.namespace, info.name), {
          body,
          query: {dryRun: this.dryRun === 'server' ? 'All' : undefined},
        })
      } catch (e) {
        const err = addSourceToErr('deleting', info.source, e)
        if (keep(err)) errs.push(err)
        continue
      }
      this.printObj(info)
      deleted.push({info, uid: response?.kind === 'Status' ? response.details?.uid : response?.metadata?.uid})
    }
    const err = finalError(errs)
    if (err) throw err
    if (found === 0) {
      this.io.out.write('No resources found\n')
      return
    }
    if (!this.wait || this.dryRun !== 'none') return
    const deadline = Date.now() + (this.timeoutMs === 0 ? 168 * 3600_000 : this.timeoutMs)
    for (const d of deleted) await this.waitDeleted(d.info, d.uid, deadline)
  }

  // waitDeleted follows wait.IsDeleted: GET; gone or replaced (another uid) → done; else watch by name until DELETED.
  private async waitDeleted(info: Info, uid: string | undefined, deadline: number): Promise<void> {
    const rest = await this.rest!()
    const path = resourcePath(info.mapping, info.namespace, info.name)
    let obj: KubeObject
    try {
      obj = await rest.get<KubeObject>(path)
    } catch (e) {
      if (isNotFound(e)) return
      throw e
    }
    if (uid && obj.metadata?.uid !== uid) return
    const timeoutErr = () => new Error(`timed out waiting for the condition on ${info.mapping.plural}/${info.name}`)
    const collection = resourcePath(info.mapping, info.namespace)
    const fieldSelector = `metadata.name=${info.name}`
    for (;;) {
      if (Date.now() >= deadline) throw timeoutErr()
      const list = await rest.get<{metadata?: {resourceVersion?: string}; items?: KubeObject[]}>(collection, {
        query: {fieldSelector, limit: 500, resourceVersion: '0'},
      })
      if ((list.items ?? []).length === 0) return
      const ctl = new AbortController()
      const timer = setTimeout(() => ctl.abort(), deadline - Date.now())
      const w = watch(
        rest,
        collection,
        {fieldSelector, resourceVersion: list.metadata?.resourceVersion, allowWatchBookmarks: 'true'},
        ctl.signal,
      )
      try {
        for await (const ev of w) {
          if (ev.type === 'DELETED') return
          if (ev.type === 'ERROR') throw new StatusError(ev.object as never)
        }
      } finally {
        clearTimeout(timer)
        w.stop()
      }
      if (ctl.signal.aborted) throw timeoutErr()
      // the server closed the watch: list again
    }
  }
}
