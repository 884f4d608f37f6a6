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
import type {Factory} from '../client/factory.js'
import {UsageError} from '../errors.js'
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
    if (this.attach)
      throw new Error(
        `mkctl run cannot attach yet: pod/${name} was created; use 'mkctl attach ${name}' or 'mkctl logs ${name}'`,
      )
    this.print(created)
    if (errs.length === 1) throw errs[0]
    if (errs.length > 1) throw new Error(`[${errs.map((e) => e.message).join(', ')}]`)
  }
}

function portNumber(s: string): number {
  const n = gen.goAtoi(s)
  if (n === undefined) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`)
  return n
}
