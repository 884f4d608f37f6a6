// run.ts holds RunOptions for `mkctl run` (kubectl/pkg/cmd/run/run.go with the pod generator of
// pkg/generate/versioned/run.go): the checks in kubectl's order, the Pod (and with --expose the Service), the
// --overrides patch, and the create through the generic helper (fieldManager kubectl-run, no fieldValidation).
import type {KubeObject} from '../../api/object.js'
import {
  applyJsonPatch,
  applyMergePatch,
  applyStrategicMergePatch,
  builtinPatchSchema,
  decodeJsonPatch,
} from '../../api/patch/index.js'
import type {Pod} from 'kubernetes-types/core/v1.js'
import {notFound, StatusError} from '../../api/errors.js'
import type {Factory} from '../client/factory.js'
import {parseGoDuration} from '../client/factory.js'
import {ExitCodeError} from '../client/remotecommand.js'
import {watch} from '../client/watch.js'
import {RawError, UsageError} from '../errors.js'
import {isPodReady, WAIT_TIMEOUT_MESSAGE} from '../resource/polymorphic.js'
import {StreamSetup} from './exec.js'

import {orderedMeta} from '../generators/gojson.js'
import {GeneratorOptions, saveConfigAnnotation} from '../generators/options.js'
import * as gen from '../generators/objects.js'
import {writeQuery} from '../resource/common.js'

/** IMAGE_REFERENCE_RE is docker/distribution's reference.ReferenceRegexp (name[:tag][@digest]), anchored. */
export const IMAGE_REFERENCE_RE = (() => {
  const alnum = '[a-z0-9]+'
  const sep = '(?:[._]|__|[-]+)'
  const pathComponent = `${alnum}(?:${sep}${alnum})*`
  const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])'
  const domainName = `${domainComponent}(?:\\.${domainComponent})*`
  const ipv6 = '\\[(?:[a-fA-F0-9:]+)\\]'
  const host = `(?:${domainName}|${ipv6})`
  const domain = `${host}(?::[0-9]+)?`
  const name = `(?:${domain}/)?${pathComponent}(?:/${pathComponent})*`
  const tag = '[\\w][\\w.-]{0,127}'
  const digest = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}'
  return new RegExp(`^(${name})(?::(${tag}))?(?:@(${digest}))?$`)
})()

/** RunOptions is `mkctl run`. */
export class RunOptions extends GeneratorOptions {
  args: string[] = []
  argsLenAtDash = -1
  image = ''
  imageGiven = false
  port = ''
  env: string[] = []
  labels = ''
  annotations: string[] = []
  restart = 'Always'
  command = false
  expose = false
  privileged = false
  imagePullPolicy = ''
  overrides = ''
  overrideType = 'merge'
  stdin = false
  tty = false
  attach = false
  attachGiven = false
  leaveStdinOpen = false
  rm = false
  quiet = false
  podRunningTimeout = '1m0s'

  override fieldManager = 'kubectl-run'

  /** runChecks is the start of kubectl's Run: every check before anything is generated, in its order. */
  runChecks(): void {
    if (this.args.length === 0 || this.argsLenAtDash === 0)
      throw new UsageError('NAME is required for run', this.commandPath)
    if (this.imageGiven && this.image === '') throw new Error('--image is required')
    if (!IMAGE_REFERENCE_RE.test(this.image))
      throw new Error(`Invalid image name ${JSON.stringify(this.image)}: invalid reference format`)
    if (this.tty && !this.stdin)
      throw new UsageError('-i/--stdin is required for containers with -t/--tty=true', this.commandPath)
    if (this.expose && this.port === '')
      throw new UsageError('--port must be set when exposing a service', this.commandPath)
    if (this.restart === '') this.restart = this.stdin ? 'OnFailure' : 'Always'
    if (!['Always', 'OnFailure', 'Never'].includes(this.restart))
      throw new UsageError(`invalid restart policy: ${this.restart}`, this.commandPath)
    if (!this.attach && this.rm)
      throw new UsageError('--rm should only be used for attached containers', this.commandPath)
    if (this.attach && this.dryRun !== 'none')
      throw new UsageError(
        "--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)",
        this.commandPath,
      )
    if (!['', 'Always', 'IfNotPresent', 'Never'].includes(this.imagePullPolicy))
      throw new UsageError(`invalid image pull policy: ${this.imagePullPolicy}`, this.commandPath)
  }

  override async complete(f: Factory): Promise<void> {
    if (!this.attachGiven && this.stdin) this.attach = true
    await super.complete(f)
  }

  /** applyOverrides patches the generated object with --overrides (cmdutil.Overrider). */
  applyOverrides(obj: KubeObject, kind: 'Pod' | 'Service'): KubeObject {
    if (this.overrides === '') return obj
    let patch: unknown
    try {
      patch = JSON.parse(this.overrides)
    } catch (e) {
      throw new Error(`invalid JSON patch: ${(e as Error).message}`, {cause: e})
    }
    switch (this.overrideType || 'merge') {
      case 'json':
        return applyJsonPatch(obj, decodeJsonPatch(patch)) as KubeObject
      case 'merge':
        return applyMergePatch(obj, patch) as KubeObject
      case 'strategic':
        return applyStrategicMergePatch(obj, patch, builtinPatchSchema('', 'v1', kind)) as KubeObject
      default:
        throw new Error(`invalid override type: ${this.overrideType}`)
    }
  }

  /** createGenerated creates one generated object as createGeneratedObject does, or fills in -n on client dry-run. */
  private async createGenerated(obj: KubeObject, plural: 'pods' | 'services'): Promise<KubeObject> {
    // kubectl needs the REST mapping even for a client dry-run, so it fails without a cluster.
    await (await this.factory!.mapper()).resourceFor(plural)
    if (this.dryRun === 'client') {
      if (this.enforceNamespace)
        obj.metadata = orderedMeta({...obj.metadata, namespace: this.namespace}) as KubeObject['metadata']
      return obj
    }
    if (this.saveConfig) saveConfigAnnotation(obj)
    const rest = await this.factory!.restClient()
    return rest.post<KubeObject>(`/api/v1/namespaces/${encodeURIComponent(this.namespace)}/${plural}`, obj, {
      query: writeQuery({dryRun: this.dryRun, fieldManager: this.fieldManager}),
    })
  }

  /**
   * attachCreated is run.go's attach branch: wait for the pod to run, attach (or print its logs when it already
   * finished), then with --restart=Never/OnFailure wait for the pod to complete and pass on its exit code; --rm
   * deletes what was created afterwards (`pod "x" deleted`).
   */
  private async attachCreated(pod: Pod, errs: Error[]): Promise<void> {
    const f = this.factory!
    const ns = pod.metadata?.namespace ?? this.namespace
    const name = pod.metadata?.name ?? ''
    const timeoutMs = parseGoDuration(this.podRunningTimeout) ?? 60_000
    const a = new RunAttach(this.io)
    a.stdin = this.stdin
    a.tty = this.tty
    a.quiet = this.quiet
    try {
      if (errs.length > 0) throw errs[0]
      const started = await waitForPod(f, ns, name, timeoutMs, podRunningAndReady)
      if (started.completed) await this.printLogs(f, started.pod, a.name(started.pod))
      else
        try {
          await a.attach(f, started.pod)
        } catch (e) {
          if (e instanceof ExitCodeError) throw e
          this.io.errOut.write(
            `warning: couldn't attach to pod/${name}, falling back to streaming logs: ${(e as Error).message}\n`,
          )
          await this.printLogs(f, started.pod, a.name(started.pod))
        }
      const waitForExitCode = !this.leaveStdinOpen && (this.restart === 'Never' || this.restart === 'OnFailure')
      if (!waitForExitCode) return
      const done = await waitForPod(f, ns, name, timeoutMs, this.restart === 'OnFailure' ? podSucceeded : podCompleted)
      const p = done.pod
      if (p.status?.phase === 'Succeeded') return
      if (p.status?.phase === 'Failed') {
        const term = p.status.containerStatuses?.[0]?.state?.terminated
        if (!term || !term.exitCode)
          throw new Error(`pod ${p.metadata?.namespace}/${p.metadata?.name} failed with unknown exit code`)
        throw new RawError(
          `pod ${p.metadata?.namespace}/${p.metadata?.name} terminated (${term.reason ?? ''})\n${term.message ?? ''}`,
          term.exitCode,
        )
      }
      throw new Error(`pod ${p.metadata?.namespace}/${p.metadata?.name} left in phase ${p.status?.phase ?? ''}`)
    } finally {
      if (this.rm) await this.removeCreated(ns, name)
    }
  }

  /** printLogs is run.go logOpts: the container's whole log, when it ended before it could be attached to. */
  private async printLogs(f: Factory, pod: Pod, container: string): Promise<void> {
    const rest = await f.restClient()
    const ns = encodeURIComponent(pod.metadata?.namespace ?? '')
    const res = await rest.raw(
      'GET',
      `/api/v1/namespaces/${ns}/pods/${encodeURIComponent(pod.metadata?.name ?? '')}/log`,
      {
        query: {container},
      },
    )
    if (res.status >= 200 && res.status < 300) this.io.out.write(res.body)
  }

  /** removeCreated is run.go removeCreatedObjects for the pod (and the service of --expose). */
  private async removeCreated(ns: string, name: string): Promise<void> {
    const rest = await this.factory!.restClient()
    const plurals: ('pods' | 'services')[] = this.expose ? ['pods', 'services'] : ['pods']
    for (const plural of plurals) {
      await rest.delete(`/api/v1/namespaces/${encodeURIComponent(ns)}/${plural}/${encodeURIComponent(name)}`, {
        body: {kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: this.cascadePolicy()},
      })
      this.io.out.write(`${plural === 'pods' ? 'pod' : 'service'} "${name}" deleted\n`)
    }
  }

  private cascadePolicy(): string {
    return 'Background'
  }

  async run(): Promise<void> {
    this.runChecks()
    const name = this.args[0]
    const pod = gen.runPod({
      name,
      image: this.image,
      labels: this.labels,
      annotations: this.annotations,
      env: this.env,
      args: this.args.slice(1),
      command: this.command,
      port: this.port,
      imagePullPolicy: this.imagePullPolicy,
      restart: this.restart,
      privileged: this.privileged,
      stdin: this.stdin,
      leaveStdinOpen: this.leaveStdinOpen,
      tty: this.tty,
    })
    const created = await this.createGenerated(this.applyOverrides(pod, 'Pod'), 'pods')
    const errs: Error[] = []
    if (this.expose) {
      try {
        const labels = this.labels ? gen.parseLabelSpec(this.labels) : undefined
        const svc = gen.exposedService({
          name,
          selector: labels ?? {run: name},
          labels,
          ports: [{port: portNumber(this.port), name: '', protocol: 'TCP'}],
        })
        this.print(await this.createGenerated(svc, 'services'))
        if (this.output === 'yaml') this.io.out.write('---\n')
      } catch (e) {
        errs.push(e as Error)
      }
    }
    if (this.attach) return this.attachCreated(created as Pod, errs)
    this.print(created)
    if (errs.length === 1) throw errs[0]
    if (errs.length > 1) throw new Error(`[${errs.map((e) => e.message).join(', ')}]`)
  }
}

/** RunAttach is the part of attach that `run --attach` uses (run.go handleAttachPod with attach.AttachOptions). */
class RunAttach extends StreamSetup {
  override commandPath = 'mkctl attach'

  /** attach streams the container's output (and stdin) as attach.go Run does. */
  async attach(f: Factory, pod: Pod): Promise<void> {
    const container = this.containerName(pod)
    if (!this.quiet) this.io.errOut.write("If you don't see a command prompt, try pressing enter.\n")
    await this.attachStream(f, pod, container)
  }

  /** name is the container attach would pick (GetContainerName). */
  name(pod: Pod): string {
    return this.containerName(pod)
  }
}

/** podCondition is run.go's podRunningAndReady / podCompleted / podSucceeded, as a check on one state of the pod. */
type PodCondition = (p: Pod) => {done: boolean; completed?: boolean}

const podRunningAndReady: PodCondition = (p) => {
  const phase = p.status?.phase
  if (phase === 'Failed' || phase === 'Succeeded') return {done: true, completed: true}
  if (phase === 'Running') return {done: isPodReady(p)}
  return {done: false}
}
const podCompleted: PodCondition = (p) => ({done: p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded'})
const podSucceeded: PodCondition = (p) => ({done: p.status?.phase === 'Succeeded'})

/** waitForPod watches one pod until cond holds (run.go waitForPod); a deleted pod is kubectl's NotFound error. */
async function waitForPod(
  f: Factory,
  ns: string,
  name: string,
  timeoutMs: number,
  cond: PodCondition,
): Promise<{pod: Pod; completed: boolean}> {
  const rest = await f.restClient()
  const path = `/api/v1/namespaces/${encodeURIComponent(ns)}/pods`
  const ctl = new AbortController()
  const timer = setTimeout(() => ctl.abort(), timeoutMs)
  try {
    const first = await rest.get<Pod & {metadata: {resourceVersion?: string}}>(`${path}/${encodeURIComponent(name)}`)
    const c0 = cond(first)
    if (c0.done) return {pod: first, completed: Boolean(c0.completed)}
    const w = watch<Pod>(
      rest,
      path,
      {fieldSelector: `metadata.name=${name}`, resourceVersion: first.metadata?.resourceVersion ?? ''},
      ctl.signal,
    )
    for await (const e of w) {
      if (e.type === 'DELETED') throw new StatusError(notFound({group: '', plural: 'pods'}, name).status)
      if (e.type !== 'ADDED' && e.type !== 'MODIFIED') continue
      const c = cond(e.object)
      if (c.done) {
        w.stop()
        return {pod: e.object, completed: Boolean(c.completed)}
      }
    }
    throw new Error(WAIT_TIMEOUT_MESSAGE)
  } finally {
    clearTimeout(timer)
  }
}

function portNumber(s: string): number {
  const n = gen.goAtoi(s)
  if (n === undefined) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`)
  return n
}
