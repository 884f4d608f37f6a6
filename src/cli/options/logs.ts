// logs.ts holds LogsOptions for `mkctl logs` (kubectl/pkg/cmd/logs/logs.go): resolve POD or TYPE/NAME (or -l) to
// log requests through polymorphic.ts, then stream each `pods/{name}/log` answer to stdout, one after another, or
// all at once with -f and several sources (--max-log-requests), with `[pod/x/c] ` prefixes on request.
import type {IncomingMessage} from 'node:http'
import type {Pod} from 'kubernetes-types/core/v1.js'
import {isNotFound, StatusError} from '../../api/errors.js'
import type {KubeList, KubeObject} from '../../api/object.js'
import type {Factory} from '../client/factory.js'
import {parseGoDuration} from '../client/factory.js'
import {decodeError, type Query, type RestClient} from '../client/rest.js'
import {FlagParseError, UsageError} from '../errors.js'
import type {IOStreams} from '../io.js'
import {newBuilder} from '../resource/builder.js'
import {fetchObject, logsForObject, type LogTarget} from '../resource/polymorphic.js'

/** LOGS_USAGE is kubectl's usage string for logs. */
export const LOGS_USAGE = 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'

/** SELECTOR_TAIL is the default --tail with a selector (logs.go selectorTail). */
export const SELECTOR_TAIL = 10

/** parseRFC3339 is kubectl util.ParseRFC3339: RFC3339Nano, else RFC3339, with Go's parse error. */
export function parseRFC3339(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(s)
  const t = m ? Date.parse(s) : NaN
  if (!m || Number.isNaN(t)) {
    // time.Parse reports the first element that failed; the year is the usual culprit for free text.
    throw new Error(`parsing time "${s}" as "2006-01-02T15:04:05Z07:00": cannot parse "${s}" as "2006"`)
  }
  return Math.floor(t / 1000) * 1000
}

/** LogsOptions prints the logs of containers. */
export class LogsOptions {
  args: string[] = []
  container = ''
  /** containerSpecified is whether -c was given (flag Changed). */
  containerSpecified = false
  allContainers = false
  allPods = false
  follow = false
  previous = false
  timestamps = false
  ignoreErrors = false
  insecureSkipTLSVerifyBackend = false
  prefix = false
  limitBytes = '0'
  tail = '-1'
  tailSpecified = false
  sinceTime = ''
  since = '0s'
  selector = ''
  maxLogRequests = '5'
  podRunningTimeout = '20s'
  commandPath = 'mkctl logs'

  private namespace = ''
  private object?: KubeObject | KubeList<Pod>
  private tailN = -1
  private limitN = 0
  private sinceSec = 0
  private maxN = 5
  private timeoutMs = 20000
  private resourceArg = ''
  private rest?: RestClient

  constructor(private readonly io: IOStreams) {}

  /** parseFlags checks the typed flag values as pflag does while parsing (`invalid argument ... for "--tail" flag`). */
  parseFlags(): void {
    const int = (name: string, v: string): number => {
      if (!/^[+-]?\d+$/.test(v))
        throw new FlagParseError(
          `invalid argument "${v}" for "--${name}" flag: strconv.ParseInt: parsing "${v}": invalid syntax`,
          this.commandPath,
        )
      return Number(v)
    }
    this.tailN = int('tail', this.tail)
    this.limitN = int('limit-bytes', this.limitBytes)
    this.maxN = int('max-log-requests', this.maxLogRequests)
    const since = parseGoDuration(this.since)
    if (since === undefined)
      throw new FlagParseError(
        `invalid argument "${this.since}" for "--since" flag: time: invalid duration "${this.since}"`,
        this.commandPath,
      )
    // round to the nearest second (logs.go ToLogOptions)
    this.sinceSec = Math.sign(since) * Math.round(Math.abs(since) / 1000)
    const t = parseGoDuration(this.podRunningTimeout)
    if (t === undefined)
      throw new FlagParseError(
        `invalid argument "${this.podRunningTimeout}" for "--pod-running-timeout" flag: time: invalid duration "${this.podRunningTimeout}"`,
        this.commandPath,
      )
    this.timeoutMs = t
  }

  /** complete resolves the argument (or selector) to the object whose logs are read (logs.go Complete). */
  async complete(f: Factory): Promise<void> {
    const usage = `expected '${LOGS_USAGE}'.\nPOD or TYPE/NAME is a required argument for the logs command`
    switch (this.args.length) {
      case 0:
        if (!this.selector) throw new UsageError(usage, this.commandPath)
        break
      case 1:
        this.resourceArg = this.args[0]
        if (this.selector) throw new UsageError('only a selector (-l) or a POD name is allowed', this.commandPath)
        break
      case 2:
        this.resourceArg = this.args[0]
        this.container = this.args[1]
        break
      default:
        throw new UsageError(usage, this.commandPath)
    }
    if (this.allPods) this.prefix = true
    this.namespace = (await f.namespace()).namespace
    if (this.timeoutMs <= 0) throw new Error('--pod-running-timeout must be higher than zero')
    if (this.sinceTime) parseRFC3339(this.sinceTime)
    this.rest = await f.restClient()
    if (this.resourceArg) {
      const arg = this.resourceArg.includes('/') ? [this.resourceArg] : ['pods', this.resourceArg]
      const b = await newBuilder(f, this.io.in, {args: arg})
      let infoObj: KubeObject | undefined
      for await (const item of b.visit()) {
        if ('error' in item) throw item.error
        try {
          infoObj = await fetchObject(f, item.info)
        } catch (e) {
          if (isNotFound(e) && e instanceof StatusError)
            throw new Error(`error from server (NotFound): ${e.message} in namespace "${this.namespace}"`, {cause: e})
          throw e
        }
        break
      }
      if (!infoObj) throw new Error('expected a resource')
      this.object = infoObj
    } else {
      const list = await this.rest.get<KubeList<Pod>>(`/api/v1/namespaces/${this.namespace}/pods`, {
        query: {labelSelector: this.selector, limit: 500},
      })
      this.object = list
      if (list.items.length === 0) this.io.errOut.write(`No resources found in ${this.namespace} namespace.\n`)
    }
  }

  /** validate is logs.go Validate. */
  validate(): void {
    if (this.sinceTime && this.sinceSec !== 0)
      throw new Error('at most one of `sinceTime` or `sinceSeconds` may be specified')
    if (this.allContainers && this.container)
      throw new Error(`--all-containers=true should not be specified with container name ${this.container}`)
    if (this.containerSpecified && this.args.length === 2)
      throw new Error('only one of -c or an inline [CONTAINER] arg is allowed')
    if (this.limitN < 0) throw new Error('--limit-bytes must be greater than 0')
    if (this.sinceSec < 0) throw new Error('--since must be greater than 0')
    const tail = this.tailLines()
    if (tail !== undefined && tail < -1) throw new Error('--tail must be greater than or equal to -1')
  }

  private tailLines(): number | undefined {
    if (this.selector && this.tailN === -1 && !this.tailSpecified) return SELECTOR_TAIL
    if (this.tailN !== -1) return this.tailN
    return undefined
  }

  private query(container: string): Query {
    const q: Query = {container}
    if (this.follow) q.follow = true
    if (this.insecureSkipTLSVerifyBackend) q.insecureSkipTLSVerifyBackend = true
    if (this.limitN !== 0) q.limitBytes = this.limitN
    if (this.previous) q.previous = true
    if (this.sinceSec !== 0) q.sinceSeconds = this.sinceSec
    if (this.sinceTime) q.sinceTime = new Date(parseRFC3339(this.sinceTime)).toISOString().replace('.000Z', 'Z')
    const tail = this.tailLines()
    if (tail !== undefined) q.tailLines = tail
    if (this.timestamps) q.timestamps = true
    return q
  }

  /** run reads the logs (logs.go RunLogs). */
  async run(f: Factory): Promise<void> {
    const targets = await logsForObject(f, this.object!, {
      container: this.container || undefined,
      allContainers: this.allContainers,
      allPods: this.allPods,
      timeoutMs: this.timeoutMs,
      errOut: this.io.errOut,
    })
    if (this.follow && targets.length > 1) {
      if (targets.length > this.maxN)
        throw new Error(
          `you are attempting to follow ${targets.length} log streams, but maximum allowed concurrency is ${this.maxN}, use --max-log-requests to increase the limit`,
        )
      await this.parallel(targets)
      return
    }
    for (const t of targets) {
      try {
        await this.consume(t)
      } catch (e) {
        if (!this.ignoreErrors) throw e
        this.io.out.write(`error: ${(e as Error).message}\n`)
      }
    }
  }

  private async parallel(targets: LogTarget[]): Promise<void> {
    let failure: Error | undefined
    await Promise.all(
      targets.map(async (t) => {
        try {
          await this.consume(t)
        } catch (e) {
          if (!this.ignoreErrors) {
            failure ??= e as Error
            return
          }
          this.io.out.write(`error: ${(e as Error).message}\n`)
        }
      }),
    )
    if (failure) throw failure
  }

  /** consume streams one log request to stdout, line by line (DefaultConsumeRequest), with the prefix if asked. */
  private async consume(t: LogTarget): Promise<void> {
    const ns = t.pod.metadata?.namespace ?? this.namespace
    const path = `/api/v1/namespaces/${ns}/pods/${t.pod.metadata?.name ?? ''}/log`
    const res: IncomingMessage = await this.rest!.open('GET', path, {query: this.query(t.container)})
    const status = res.statusCode ?? 0
    if (status < 200 || status > 299) {
      const chunks: Buffer[] = []
      for await (const c of res) chunks.push(c as Buffer)
      throw decodeError('GET', path, {
        status,
        statusText: res.statusMessage ?? '',
        headers: res.headers,
        body: Buffer.concat(chunks),
      })
    }
    const prefix = this.prefix ? `[pod/${t.pod.metadata?.name ?? ''}/${t.container}] ` : ''
    let buf = Buffer.alloc(0)
    const out = this.io.out
    for await (const c of res) {
      buf = Buffer.concat([buf, c as Buffer])
      let nl: number
      while ((nl = buf.indexOf(10)) >= 0) {
        out.write(prefix + buf.subarray(0, nl + 1).toString('utf8'))
        buf = buf.subarray(nl + 1)
      }
    }
    if (buf.length > 0) out.write(prefix + buf.toString('utf8'))
  }
}
