// scale.ts holds ScaleOptions for `mkctl scale` (kubectl/pkg/cmd/scale/scale.go and kubectl/pkg/scale/scale.go):
// every object named is read, then its scale subresource is set with a JSON merge patch `{"spec":{"replicas":N}}`,
// or, with --current-replicas / --resource-version preconditions, read, checked and PUT back. Conflicts are retried
// every second for five minutes; --timeout waits until the status has caught up. It also holds the pflag number
// parsing and cobra's required-flag error that autoscale and replace share.
import {isConflict} from '../../api/errors.js'
import type {KubeObject} from '../../api/object.js'
import {parseGoDuration} from '../client/factory.js'
import type {Factory} from '../client/factory.js'
import {klogHeader} from '../client/klog.js'
import type {RestClient} from '../client/rest.js'
import {FlagParseError, RawError} from '../errors.js'
import type {IOStreams} from '../io.js'
import {toPrinter, type ResourcePrinter} from '../printers/index.js'
import {Builder, finalError, GoAggregate, newBuilder, resourcePath, type Info} from '../resource/builder.js'
import {dryRunStrategy, dryRunSuffix, type DryRun} from '../resource/openapi.js'
import {fetchInfo} from './metadata-edit.js'

/**
 * parseIntFlag reads an int flag as pflag does (strconv.ParseInt(s, 0, bits)); a bad value is cobra's parse error
 * `invalid argument "x" for "--replicas" flag: strconv.ParseInt: parsing "x": invalid syntax`.
 */
export function parseIntFlag(value: string, flag: string, commandPath: string, bits: 32 | 64 = 64): number {
  const fail = (why: string) =>
    new FlagParseError(
      `invalid argument ${JSON.stringify(value)} for "--${flag}" flag: strconv.ParseInt: parsing ${JSON.stringify(value)}: ${why}`,
      commandPath,
    )
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO]?[0-7_]+|[1-9][0-9_]*|0)$/.exec(value)
  if (!m) throw fail('invalid syntax')
  const digits = m[2].replace(/_/g, '')
  let n: bigint
  if (/^0[xXbBoO]/.test(digits)) n = BigInt(digits.toLowerCase().replace(/^0o/, '0o'))
  else if (digits.length > 1 && digits.startsWith('0')) n = BigInt('0o' + digits.slice(1))
  else n = BigInt(digits)
  if (m[1] === '-') n = -n
  const max = (1n << BigInt(bits - 1)) - 1n
  if (n > max || n < -max - 1n) throw fail('value out of range')
  return Number(n)
}

/** parseDurationFlag reads a pflag Duration flag (Go's time.ParseDuration) into milliseconds. */
export function parseDurationFlag(value: string, flag: string, commandPath: string): number {
  const ms = parseGoDuration(value)
  if (ms === undefined) {
    throw new FlagParseError(
      `invalid argument ${JSON.stringify(value)} for "--${flag}" flag: time: invalid duration ${JSON.stringify(value)}`,
      commandPath,
    )
  }
  return ms
}

/**
 * requiredFlagError is what kubectl prints when a cobra required flag is missing: the error leaves cobra's
 * Execute and is logged by kubectl's main as a klog error line (`E1126 ... run.go:72] "command failed" ...`).
 */
export function requiredFlagError(flag: string): RawError {
  const header = klogHeader('E', new Date(), process.pid, 'run.go:72')
  return new RawError(`${header}"command failed" err="required flag(s) \\"${flag}\\" not set"`)
}

/** Sleep waits ms milliseconds; tests inject one that does not wait. */
export type Sleep = (ms: number) => Promise<void>

const realSleep: Sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** ScaleOptions sets a new size for resources. */
export class ScaleOptions {
  args: string[] = []
  filenames: string[] = []
  recursive = false
  kustomize?: string
  selector?: string
  all = false
  replicas = 0
  currentReplicas = -1
  resourceVersion = ''
  timeoutMs = 0
  dryRunFlag?: string
  output = ''
  template?: string
  showManagedFields = false
  /** sleep and now drive the retry and wait loops (real time unless a test injects them). */
  sleep: Sleep = realSleep
  now: () => number = () => Date.now()

  dryRun: DryRun = 'none'
  private printer?: ResourcePrinter
  private builder?: Builder
  private rest?: () => Promise<RestClient>
  private f?: Factory

  constructor(readonly io: IOStreams) {}

  /** complete follows ScaleOptions.Complete: dry-run strategy, printer, namespace. */
  async complete(f: Factory): Promise<void> {
    if (this.kustomize) throw new Error('mkctl does not support -k (kustomize)')
    this.dryRun = dryRunStrategy(this.dryRunFlag)
    this.printer = toPrinter(
      {
        output: this.output,
        template: this.template,
        showManagedFields: this.showManagedFields,
        operation: 'scaled' + dryRunSuffix(this.dryRun),
      },
      this.io.out,
    )
    await f.namespace()
    this.f = f
    this.rest = () => f.restClient()
  }

  /** validate follows ScaleOptions.Validate. */
  validate(): void {
    if (this.replicas < 0) {
      throw new Error('The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0')
    }
    if (this.currentReplicas < -1) throw new Error('The --current-replicas must specify an integer of -1 or greater')
  }

  /** run scales every object found, then returns the errors met while finding them. */
  async run(): Promise<void> {
    const selecting = this.selector !== undefined || (this.all && this.args.length === 1)
    this.builder = await newBuilder(this.f!, this.io.in, {
      filenames: this.filenames,
      recursive: this.recursive,
      labelSelector: this.selector ?? (selecting ? '' : undefined),
      args: this.args,
    })
    await this.builder.resolve()
    const rest = await this.rest!()
    // r.Infos(): every object is read first (RetrieveLazy GETs those named by argument)
    const infos: Info[] = []
    const errs: Error[] = []
    for await (const item of this.builder.visit()) {
      if ('error' in item) {
        errs.push(item.error)
        continue
      }
      try {
        if (!item.info.source && !item.info.object.metadata?.uid) {
          await fetchInfo(rest, item.info)
        }
        infos.push(item.info)
      } catch (e) {
        errs.push(e as Error)
      }
    }
    const infoErr = errs.length === 0 ? undefined : errs.length === 1 ? errs[0] : new GoAggregate(errs)
    if (this.resourceVersion && infos.length > 1)
      throw new Error('cannot use --resource-version with multiple resources')
    if (infos.length === 0) {
      throw new Error(infoErr ? `no objects passed to scale ${infoErr.message}` : 'no objects passed to scale')
    }
    const precondition = this.currentReplicas !== -1 || this.resourceVersion !== ''
    for (const info of infos) {
      if (this.dryRun !== 'client') {
        await this.scale(rest, info, precondition)
        if (this.timeoutMs !== 0 && this.dryRun === 'none') await this.waitForReplicas(rest, info)
      }
      this.printer!.print(info.object)
    }
    const err = finalError(errs)
    if (err) throw err
  }

  private scalePath(info: Info): string {
    return resourcePath(info.mapping, info.namespace, info.name) + '/scale'
  }

  // genericScaler.Scale: ScaleSimple, retried on conflicts every second for five minutes
  private async scale(rest: RestClient, info: Info, precondition: boolean): Promise<void> {
    const deadline = this.now() + 5 * 60_000
    for (;;) {
      try {
        await this.scaleSimple(rest, info, precondition)
        return
      } catch (e) {
        if (!isConflict(e) || this.now() + 1000 > deadline) throw e
      }
      await this.sleep(1000)
    }
  }

  private async scaleSimple(rest: RestClient, info: Info, precondition: boolean): Promise<void> {
    const dryRun = this.dryRun === 'server' ? 'All' : undefined
    if (precondition) {
      const scale = await rest.get<KubeObject & {spec?: {replicas?: number}}>(this.scalePath(info))
      const current = scale.spec?.replicas ?? 0
      if (this.currentReplicas !== -1 && current !== this.currentReplicas) {
        throw new Error(`Expected replicas to be ${this.currentReplicas}, was ${current}`)
      }
      const rv = scale.metadata?.resourceVersion ?? ''
      if (this.resourceVersion && rv !== this.resourceVersion) {
        throw new Error(`Expected resource version to be ${this.resourceVersion}, was ${rv}`)
      }
      scale.spec = {...(scale.spec ?? {}), replicas: this.replicas}
      await rest.put(this.scalePath(info), scale, {query: {dryRun}})
      return
    }
    await rest.patch(
      this.scalePath(info),
      JSON.stringify({spec: {replicas: this.replicas}}),
      'application/merge-patch+json',
      {
        query: {dryRun},
      },
    )
  }

  // WaitForScaleHasDesiredReplicas: poll the scale every second until spec and status agree
  private async waitForReplicas(rest: RestClient, info: Info): Promise<void> {
    const deadline = this.now() + this.timeoutMs
    for (;;) {
      const s = await rest.get<{spec?: {replicas?: number}; status?: {replicas?: number}}>(this.scalePath(info))
      const spec = s.spec?.replicas ?? 0
      const status = s.status?.replicas ?? 0
      if (spec !== this.replicas || (spec === status && status === this.replicas)) return
      if (this.now() + 1000 > deadline)
        throw new Error(`timed out waiting for ${JSON.stringify(info.name)} to be synced`)
      await this.sleep(1000)
    }
  }
}
