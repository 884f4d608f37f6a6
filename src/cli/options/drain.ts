// drain.ts holds DrainOptions for `mkctl cordon`, `mkctl uncordon` and `mkctl drain`, one module as in kubectl
// (kubectl/pkg/cmd/drain/drain.go over kubectl/pkg/drain: cordon.go, drain.go, filters.go). Cordoning patches
// spec.unschedulable; draining lists the node's pods, sorts them through kubectl's filters (DaemonSet-managed,
// mirror, local storage, unreplicated), then evicts (or deletes) them and polls every second until they are gone.
import {isNotFound, StatusError} from '../../api/errors.js'
import {formatGoDuration} from '../../api/duration.js'
import {parseSelector} from '../../api/labels.js'
import type {KubeObject} from '../../api/object.js'
import type {Factory} from '../client/factory.js'
import {parseGoDuration} from '../client/factory.js'
import type {RestClient} from '../client/rest.js'
import {FlagParseError, RawError, standardErrorMessage, UsageError} from '../errors.js'
import type {IOStreams} from '../io.js'
import {formatName} from '../printers/index.js'
import {finalError, GoAggregate, newBuilder} from '../resource/builder.js'
import {dryRunStrategy, dryRunSuffix, type DryRun} from '../resource/openapi.js'

const DAEMONSET_FATAL = 'DaemonSet-managed Pods (use --ignore-daemonsets to ignore)'
const DAEMONSET_WARNING = 'ignoring DaemonSet-managed Pods'
const LOCAL_STORAGE_FATAL = 'Pods with local storage (use --delete-emptydir-data to override)'
const LOCAL_STORAGE_WARNING = 'deleting Pods with local storage'
const UNMANAGED_FATAL = 'cannot delete Pods that declare no controller (use --force to override)'
const UNMANAGED_WARNING = 'deleting Pods that declare no controller'
const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror'

/** Sleeper waits; tests may replace it. */
export type Sleeper = (ms: number) => Promise<void>

type Pod = KubeObject & {
  spec?: {volumes?: {emptyDir?: unknown}[]; nodeName?: string}
  status?: {phase?: string}
}

/** PodDeleteStatus is one pod's fate in a drain (filters.go PodDeleteStatus). */
interface PodDeleteStatus {
  delete: boolean
  reason: 'Okay' | 'Skip' | 'Warning' | 'Error'
  message?: string
}

/** DrainOptions cordons, uncordons or drains nodes. */
export class DrainOptions {
  args: string[] = []
  selector?: string
  dryRunFlag?: string
  force = false
  ignoreDaemonSets = false
  deleteEmptyDirData = false
  gracePeriod = -1
  timeoutFlag = '0s'
  podSelector = ''
  disableEviction = false
  skipWaitForDeleteTimeout = 0
  chunkSize = 500
  sleep: Sleeper = (ms) => new Promise((r) => setTimeout(r, ms))
  dryRun: DryRun = 'none'
  private timeoutMs = 0
  private nodes: KubeObject[] = []
  private rest?: RestClient

  constructor(
    readonly io: IOStreams,
    readonly commandPath: string,
    readonly use: string,
  ) {}

  /** complete follows DrainCmdOptions.Complete: checks, then resolves the nodes. */
  async complete(f: Factory, selectorGiven: boolean): Promise<void> {
    if (this.args.length === 0 && !selectorGiven) throw new UsageError(`USAGE: ${this.use} [flags]`, this.commandPath)
    if (this.args.length > 0 && this.selector)
      throw new UsageError('error: cannot specify both a node name and a --selector option', this.commandPath)
    this.dryRun = dryRunStrategy(this.dryRunFlag)
    const ms = parseGoDuration(this.timeoutFlag)
    if (ms === undefined)
      throw new FlagParseError(
        `invalid argument "${this.timeoutFlag}" for "--timeout" flag: time: invalid duration "${this.timeoutFlag}"`,
        this.commandPath,
      )
    this.timeoutMs = ms
    if (this.podSelector) {
      try {
        parseSelector(this.podSelector)
      } catch {
        throw new Error('--pod-selector=<pod_selector> must be a valid label selector')
      }
    }
    this.rest = await f.restClient()
    const args = this.args.map((a) => (a.includes('/') ? a : `nodes/${a}`))
    const b = await newBuilder(f, this.io.in, {
      args: this.selector ? ['nodes'] : args,
      labelSelector: this.selector || undefined,
    })
    const errs: Error[] = []
    for await (const item of b.visit()) {
      if ('error' in item) {
        errs.push(item.error)
        break
      }
      const info = item.info
      if (info.mapping.group !== '' || info.mapping.plural !== 'nodes') {
        const r = info.mapping.group
          ? `${info.mapping.group}/${info.mapping.version}, Resource=${info.mapping.plural}`
          : `/${info.mapping.version}, Resource=${info.mapping.plural}`
        throw new Error(`error: expected resource of type node, got "${r}"`)
      }
      if (this.selector) this.nodes.push({...info.object, apiVersion: 'v1', kind: 'Node'})
      else {
        try {
          this.nodes.push({
            ...(await this.rest.get<KubeObject>(`/api/v1/nodes/${encodeURIComponent(info.name)}`)),
            apiVersion: 'v1',
            kind: 'Node',
          })
        } catch (e) {
          errs.push(e as Error)
          break
        }
      }
    }
    const err = finalError(errs)
    if (err) throw err
  }

  private print(obj: KubeObject, operation: string): void {
    this.io.out.write(formatName(obj, {operation: operation + dryRunSuffix(this.dryRun)}) + '\n')
  }

  /** runCordonOrUncordon follows RunCordonOrUncordon: patch spec.unschedulable where it differs. */
  async runCordonOrUncordon(desired: boolean): Promise<void> {
    const verb = desired ? 'cordon' : 'uncordon'
    for (const node of this.nodes) {
      const current = Boolean((node as {spec?: {unschedulable?: boolean}}).spec?.unschedulable)
      if (current === desired) {
        this.print(node, `already ${verb}ed`)
        continue
      }
      if (this.dryRun !== 'client') {
        try {
          await this.rest!.patch(
            `/api/v1/nodes/${encodeURIComponent(node.metadata?.name ?? '')}`,
            {spec: {unschedulable: desired ? true : null}},
            'application/strategic-merge-patch+json',
            {query: {dryRun: this.dryRun === 'server' ? 'All' : undefined}},
          )
        } catch (e) {
          this.io.errOut.write(
            `error: unable to ${verb} node ${JSON.stringify(node.metadata?.name ?? '')}: ${(e as Error).message}\n`,
          )
          continue
        }
      }
      this.print(node, `${verb}ed`)
    }
  }

  /** runDrain follows RunDrain: cordon, then evict or delete each node's pods. */
  async runDrain(): Promise<void> {
    await this.runCordonOrUncordon(true)
    const fatal: Error[] = []
    const remaining: string[] = []
    for (const node of this.nodes) {
      const name = node.metadata?.name ?? ''
      try {
        await this.drainNode(name)
        this.print(node, 'drained')
      } catch (e) {
        this.io.errOut.write(
          `error: unable to drain node ${JSON.stringify(name)} due to error: ${(e as Error).message}, continuing command...\n`,
        )
        fatal.push(e as Error)
        remaining.push(name)
      }
    }
    if (remaining.length > 0) {
      this.io.errOut.write('There are pending nodes to be drained:\n' + remaining.map((n) => ` ${n}\n`).join(''))
    }
    // kubectl returns an aggregate of aggregates; checkErr unwraps one level and prints the rest one per line
    if (fatal.length === 0) return
    const lines = fatal.length === 1 && fatal[0] instanceof GoAggregate ? fatal[0].errors : fatal
    throw new RawError(lines.map((e) => standardErrorMessage(e) ?? e.message).join('\n'))
  }

  // drainNode is deleteOrEvictPodsSimple.
  private async drainNode(node: string): Promise<void> {
    const {pods, warnings, errors} = await this.podsForDeletion(node)
    if (errors.length > 0) throw new GoAggregate(errors)
    if (warnings) this.io.errOut.write(`Warning: ${warnings}\n`)
    if (this.dryRun === 'client') {
      for (const p of pods) this.io.out.write(`evicting pod ${p.metadata?.namespace}/${p.metadata?.name} (dry run)\n`)
      return
    }
    try {
      await this.deleteOrEvict(pods)
    } catch (e) {
      const err = e instanceof GoAggregate ? e : new GoAggregate([e as Error])
      const pending = await this.podsForDeletion(node).catch(() => undefined)
      if (pending && pending.pods.length > 0) {
        this.io.errOut.write(
          `There are pending pods in node ${JSON.stringify(node)} when an error occurred: ${err.message}\n` +
            pending.pods.map((p) => `pod/${p.metadata?.name}\n`).join(''),
        )
      }
      if (pending && pending.errors.length > 0) {
        const agg = pending.errors.length === 1 ? pending.errors[0] : new GoAggregate(pending.errors)
        this.io.errOut.write(`Following errors occurred while getting the list of pods to delete:\n${agg.message}`)
      }
      throw err
    }
  }

  // podsForDeletion is Helper.GetPodsForDeletion with kubectl's default filters.
  private async podsForDeletion(node: string): Promise<{pods: Pod[]; warnings: string; errors: Error[]}> {
    const all: Pod[] = []
    let cont: string | undefined
    do {
      const list = await this.rest!.get<{items?: Pod[]; metadata?: {continue?: string}}>('/api/v1/pods', {
        query: {
          continue: cont,
          fieldSelector: `spec.nodeName=${node}`,
          labelSelector: this.podSelector ? parseSelector(this.podSelector).toString() : undefined,
          limit: this.chunkSize > 0 ? this.chunkSize : undefined,
        },
      })
      all.push(...(list.items ?? []))
      cont = list.metadata?.continue || undefined
    } while (cont)
    const items: {pod: Pod; status: PodDeleteStatus}[] = []
    for (const pod of all) {
      let status: PodDeleteStatus = {delete: true, reason: 'Okay'}
      const filters: ((p: Pod) => PodDeleteStatus | Promise<PodDeleteStatus>)[] = [
        (p) => this.daemonSetFilter(p),
        mirrorFilter,
        (p) => this.localStorageFilter(p),
        (p) => this.unreplicatedFilter(p),
      ]
      for (const filter of filters) {
        status = await filter(pod)
        if (!status.delete) break
      }
      items.push({pod: {...pod, apiVersion: 'v1', kind: 'Pod'}, status})
    }
    const group = (reason: string) => {
      const m = new Map<string, string[]>()
      for (const i of items)
        if (i.status.reason === reason) {
          const msg = i.status.message || 'unexpected error'
          m.set(msg, [...(m.get(msg) ?? []), `${i.pod.metadata?.namespace}/${i.pod.metadata?.name}`])
        }
      return m
    }
    const warnings = [...group('Warning')].map(([k, ps]) => `${k}: ${ps.join(', ')}`).join('; ')
    const errors = [...group('Error')].map(([k, ps]) => new Error(`cannot delete ${k}: ${ps.join(', ')}`))
    return {pods: items.filter((i) => i.status.delete).map((i) => i.pod), warnings, errors}
  }

  private async daemonSetFilter(pod: Pod): Promise<PodDeleteStatus> {
    const ref = controllerOf(pod)
    if (!ref || ref.kind !== 'DaemonSet') return {delete: true, reason: 'Okay'}
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return {delete: true, reason: 'Okay'}
    try {
      await this.rest!.get(`/apis/apps/v1/namespaces/${pod.metadata?.namespace}/daemonsets/${ref.name}`)
    } catch (e) {
      if (isNotFound(e) && this.force) return {delete: true, reason: 'Warning', message: (e as Error).message}
      return {delete: false, reason: 'Error', message: (e as Error).message}
    }
    if (!this.ignoreDaemonSets) return {delete: false, reason: 'Error', message: DAEMONSET_FATAL}
    return {delete: false, reason: 'Warning', message: DAEMONSET_WARNING}
  }

  private localStorageFilter(pod: Pod): PodDeleteStatus {
    if (!(pod.spec?.volumes ?? []).some((v) => v.emptyDir)) return {delete: true, reason: 'Okay'}
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return {delete: true, reason: 'Okay'}
    if (!this.deleteEmptyDirData) return {delete: false, reason: 'Error', message: LOCAL_STORAGE_FATAL}
    return {delete: true, reason: 'Warning', message: LOCAL_STORAGE_WARNING}
  }

  private unreplicatedFilter(pod: Pod): PodDeleteStatus {
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return {delete: true, reason: 'Okay'}
    if (controllerOf(pod)) return {delete: true, reason: 'Okay'}
    if (this.force) return {delete: true, reason: 'Warning', message: UNMANAGED_WARNING}
    return {delete: false, reason: 'Error', message: UNMANAGED_FATAL}
  }

  // deleteOrEvict is Helper.DeleteOrEvictPods: eviction when the server offers pods/eviction, else DELETE.
  private async deleteOrEvict(pods: Pod[]): Promise<void> {
    if (pods.length === 0) return
    if (!this.disableEviction && (await this.evictionSupported())) return this.evictPods(pods)
    return this.deletePods(pods)
  }

  private async evictionSupported(): Promise<boolean> {
    const groups = await this.rest!.get<{groups?: {name?: string}[]}>('/apis')
    if (!(groups.groups ?? []).some((g) => g.name === 'policy')) return false
    const v1 = await this.rest!.get<{resources?: {name?: string; kind?: string}[]}>('/api/v1')
    return (v1.resources ?? []).some((r) => r.name === 'pods/eviction' && r.kind === 'Eviction')
  }

  private deleteOptions(): Record<string, unknown> | undefined {
    const o: Record<string, unknown> = {}
    if (this.gracePeriod >= 0) o.gracePeriodSeconds = this.gracePeriod
    if (this.dryRun === 'server') o.dryRun = ['All']
    return Object.keys(o).length > 0 ? o : undefined
  }

  private podPath(p: Pod): string {
    return `/api/v1/namespaces/${encodeURIComponent(p.metadata?.namespace ?? '')}/pods/${encodeURIComponent(p.metadata?.name ?? '')}`
  }

  // evictPods evicts every pod (kubectl runs one goroutine per pod; mkctl keeps the list order) and waits.
  private async evictPods(pods: Pod[]): Promise<void> {
    const deadline = this.timeoutMs > 0 ? Date.now() + this.timeoutMs : Infinity
    const global = formatGoDuration(this.timeoutMs > 0 ? this.timeoutMs : 9223372036854)
    const one = async (pod: Pod): Promise<void> => {
      const ns = pod.metadata?.namespace ?? ''
      const name = pod.metadata?.name ?? ''
      let refresh = false
      for (;;) {
        this.io.out.write(`evicting pod ${ns}/${name}${this.dryRun === 'server' ? ' (server dry run)' : ''}\n`)
        if (Date.now() >= deadline)
          throw new Error(
            `error when evicting pods/${JSON.stringify(name)} -n ${JSON.stringify(ns)}: global timeout reached: ${global}`,
          )
        let active = pod
        if (refresh) {
          active = await this.rest!.get<Pod>(this.podPath(pod)).catch(() => pod)
          refresh = false
        }
        const eviction: Record<string, unknown> = {
          apiVersion: 'policy/v1',
          kind: 'Eviction',
          metadata: {name, namespace: ns, creationTimestamp: null},
        }
        const del = this.deleteOptions()
        if (del) eviction.deleteOptions = del
        try {
          await this.rest!.post(`${this.podPath(active)}/eviction`, eviction)
          break
        } catch (e) {
          if (isNotFound(e)) return
          const st = e instanceof StatusError ? e.status : undefined
          if (st?.code === 429) {
            this.io.errOut.write(
              `error when evicting pods/${JSON.stringify(name)} -n ${JSON.stringify(ns)} (will retry after 5s): ${(e as Error).message}\n`,
            )
            await this.sleep(5000)
            continue
          }
          const terminating =
            st?.reason === 'Forbidden' && (st.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating')
          if (terminating && active.metadata?.deletionTimestamp) break
          if (terminating) {
            this.io.errOut.write(
              `error when evicting pod ${JSON.stringify(name)} from terminating namespace ${JSON.stringify(ns)} (will retry after 5s): ${(e as Error).message}\n`,
            )
            await this.sleep(5000)
            continue
          }
          throw new Error(
            `error when evicting pods/${JSON.stringify(name)} -n ${JSON.stringify(ns)}: ${(e as Error).message}`,
            {cause: e},
          )
        }
      }
      if (this.dryRun === 'server') return
      try {
        await this.waitForDelete([pod], true, deadline)
      } catch (e) {
        throw new Error(
          `error when waiting for pod ${JSON.stringify(name)} in namespace ${JSON.stringify(ns)} to terminate: ${(e as Error).message}`,
          {cause: e},
        )
      }
    }
    const results = await Promise.allSettled(pods.map(one))
    const errs = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as Error)
    if (errs.length > 0) throw new GoAggregate(errs)
  }

  private async deletePods(pods: Pod[]): Promise<void> {
    for (const pod of pods) {
      try {
        await this.rest!.delete(this.podPath(pod), {body: this.deleteOptions() ?? {}})
      } catch (e) {
        if (!isNotFound(e)) throw e
      }
    }
    await this.waitForDelete(pods, false, this.timeoutMs > 0 ? Date.now() + this.timeoutMs : Infinity)
  }

  // waitForDelete polls every second until each pod is gone or replaced, printing `pod/x evicted|deleted`.
  private async waitForDelete(pods: Pod[], eviction: boolean, deadline: number): Promise<void> {
    let pending = pods
    for (;;) {
      const still: Pod[] = []
      for (const pod of pending) {
        let p: Pod | undefined
        try {
          p = await this.rest!.get<Pod>(this.podPath(pod))
        } catch (e) {
          if (!isNotFound(e)) {
            this.print(pod, eviction ? 'eviction failed' : 'deletion failed')
            throw e
          }
        }
        if (!p || p.metadata?.uid !== pod.metadata?.uid) {
          this.print(pod, eviction ? 'evicted' : 'deleted')
          continue
        }
        still.push(pod)
      }
      pending = still
      if (pending.length === 0) return
      if (Date.now() + 1000 > deadline) throw new Error('context deadline exceeded')
      await this.sleep(1000)
    }
  }
}

function controllerOf(pod: Pod): {kind?: string; name?: string} | undefined {
  return ((pod.metadata?.ownerReferences ?? []) as {controller?: boolean; kind?: string; name?: string}[]).find(
    (r) => r.controller === true,
  )
}

function mirrorFilter(pod: Pod): PodDeleteStatus {
  if (pod.metadata?.annotations?.[MIRROR_ANNOTATION] !== undefined) return {delete: false, reason: 'Skip'}
  return {delete: true, reason: 'Okay'}
}
