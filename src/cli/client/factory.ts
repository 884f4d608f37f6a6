// factory.ts is the CLI's Factory: from the global flags it builds the kubeconfig view, the REST client, discovery
// and the REST mapper, and resolves the namespace, once per command (follows kubectl/pkg/cmd/util/factory.go and
// cli-runtime genericclioptions.ConfigFlags). Options get a Factory, never oclif flags.
import {randomUUID} from 'node:crypto'
import {parseGoDuration as parseGoDurationStrict} from '../../api/duration.js'
import {join} from 'node:path'
import {FlagParseError, RawError} from '../errors.js'
import {globalFlagError} from '../options/global.js'
import type {IOStreams} from '../io.js'
import {DiscoveryClient} from './discovery.js'
import {newKlog, type Klog} from './klog.js'
import {loadKubeconfig, mkctlHome, resolveContext, type LoadedConfig, type ResolvedContext} from './kubeconfig.js'
import {RESTMapper} from './mapper.js'
import {RestClient, type Impersonate} from './rest.js'

/** GlobalFlagValues are the parsed values of MkctlCommand's base flags. */
export interface GlobalFlagValues {
  namespace?: string
  context?: string
  kubeconfig?: string
  server?: string
  token?: string
  v?: string | number
  'request-timeout'?: string
  'insecure-skip-tls-verify'?: boolean
  'cache-dir'?: string
  /** as, as-group and as-uid impersonate another identity (client-go ImpersonationConfig). */
  as?: string
  'as-group'?: string[]
  'as-uid'?: string
  cluster?: string
  user?: string
  'certificate-authority'?: string
  'client-certificate'?: string
  'client-key'?: string
  'tls-server-name'?: string
  username?: string
  password?: string
  'disable-compression'?: boolean
  'log-flush-frequency'?: string
  'match-server-version'?: boolean
  profile?: string
  'profile-output'?: string
  vmodule?: string
  'warnings-as-errors'?: boolean
}

/** BeforeConnect runs before the first API request of a command (auto-start of a local profile hooks in here). */
export type BeforeConnect = (ctx: ResolvedContext, f: Factory) => Promise<void>

/** FactoryOptions build a Factory. */
export interface FactoryOptions {
  flags: GlobalFlagValues
  io: IOStreams
  env?: NodeJS.ProcessEnv
  /** commandPath (`mkctl get`) is sent as the Kubectl-Command header. */
  commandPath?: string
  klog?: Klog
  /**
   * shadowed names the command's own flags: a local flag named like a global one (`create rolebinding --user`,
   * `debug --profile`, `config set-context --cluster`) hides the global flag, as a cobra local flag does.
   */
  shadowed?: string[]
}

/** ORIGINAL_GLOBALS are the global flags a local flag of the same name never hid in mkctl (kept as they were). */
const ORIGINAL_GLOBALS = new Set([
  'namespace', 'context', 'kubeconfig', 'server', 'token', 'v', 'request-timeout', 'insecure-skip-tls-verify',
  'cache-dir', 'as', 'as-group', 'as-uid',
]) // prettier-ignore

/** parseRequestTimeout reads --request-timeout: `0`, a bare number of seconds, or Go durations like `1m30s`. */
export function parseRequestTimeout(v: string | undefined): number {
  if (v === undefined || v === '' || v === '0') return 0
  if (/^\d+$/.test(v)) return Number(v) * 1000
  const ms = parseGoDuration(v)
  if (ms === undefined) {
    throw new Error(
      'Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)',
    )
  }
  return ms
}

/** parseGoDuration parses Go's time.ParseDuration syntax into milliseconds, or undefined when it is not one. */
export function parseGoDuration(s: string): number | undefined {
  try {
    return parseGoDurationStrict(s)
  } catch {
    return undefined
  }
}

/** impersonation is the REST config part for --as, --as-group and --as-uid (none when all are empty). */
function impersonation(f: GlobalFlagValues): {impersonate?: Impersonate} {
  const groups = (f['as-group'] ?? []).filter((g) => g !== '')
  if (!f.as && !groups.length && !f['as-uid']) return {}
  return {
    impersonate: {
      ...(f.as ? {user: f.as} : {}),
      ...(groups.length ? {groups} : {}),
      ...(f['as-uid'] ? {uid: f['as-uid']} : {}),
    },
  }
}

/** goInfo renders a version.Info as Go's %#v does (`version.Info{Major:"1", ...}`). */
function goInfo(v: Record<string, unknown>): string {
  const keys = [
    'major',
    'minor',
    'gitVersion',
    'gitCommit',
    'gitTreeState',
    'buildDate',
    'goVersion',
    'compiler',
    'platform',
  ]
  const field = (k: string) => `${k[0].toUpperCase()}${k.slice(1)}:${JSON.stringify(String(v[k] ?? ''))}`
  return `version.Info{${keys.map(field).join(', ')}}`
}

/**
 * matchServerVersion is --match-server-version (cmdutil MatchVersionFlags, discovery.MatchesServerVersion): the
 * server's /version must carry the client's gitVersion, gitCommit and gitTreeState.
 */
async function matchServerVersion(rest: RestClient): Promise<void> {
  let server: Record<string, unknown>
  try {
    server = await rest.request<Record<string, unknown>>('GET', '/version')
  } catch (e) {
    throw new RawError(`error: couldn't read version from server: ${(e as Error).message}`)
  }
  const {clientVersionInfo} = await import('../options/version.js')
  const client = clientVersionInfo() as unknown as Record<string, unknown>
  if (['gitVersion', 'gitCommit', 'gitTreeState'].some((k) => (server[k] ?? '') !== (client[k] ?? '')))
    throw new RawError(`error: server version (&${goInfo(server)}) differs from client version (${goInfo(client)})`)
}

/** Factory hands Options what they need to talk to the cluster, lazily and memoized. */
export class Factory {
  /** beforeConnect hooks run once before the first REST client is handed out (see BeforeConnect). */
  static beforeConnect: BeforeConnect[] = []

  readonly flags: GlobalFlagValues
  readonly io: IOStreams
  readonly env: NodeJS.ProcessEnv
  readonly klog: Klog
  readonly session = randomUUID()
  private loaded?: Promise<LoadedConfig>
  private resolved?: Promise<ResolvedContext>
  private rest?: Promise<RestClient>
  private disco?: Promise<DiscoveryClient>
  private restMapper?: Promise<RESTMapper>
  private loggedLoad = false

  constructor(readonly opts: FactoryOptions) {
    const hidden = (opts.shadowed ?? []).filter((k) => !ORIGINAL_GLOBALS.has(k))
    this.flags = Object.fromEntries(Object.entries(opts.flags).filter(([k]) => !hidden.includes(k))) as GlobalFlagValues
    this.io = opts.io
    this.env = opts.env ?? process.env
    const v = Number(opts.flags.v ?? 0)
    // errors (klog E-lines) show at every verbosity, as kubectl's do
    this.klog = opts.klog ?? newKlog(Number.isFinite(v) ? v : 0, opts.io.errOut)
    const bad = globalFlagError(this.flags)
    if (bad?.usage) throw new FlagParseError(bad.message, opts.commandPath ?? 'mkctl')
    // kubectl fails its PersistentPreRunE (profiling) through klog: `E... run.go:72] "command failed" err="..."`
    if (bad) {
      this.klog.error('run.go:72', `"command failed" err="${bad.message}"`)
      throw new RawError('')
    }
  }

  /** warningCount is how many server warnings this command printed (for --warnings-as-errors). */
  warningCount = 0

  /**
   * warningsError is kubectl's PersistentPostRunE with --warnings-as-errors: the text to print (exit code 1) when the
   * command succeeded but the server sent warnings, else undefined.
   */
  warningsError(): string | undefined {
    if (!this.flags['warnings-as-errors'] || this.warningCount === 0) return undefined
    const n = this.warningCount
    return `error: ${n} warning${n === 1 ? '' : 's'} received\n`
  }

  /** verbosity is -v as a number. */
  get verbosity(): number {
    return this.klog.v
  }

  /** rawConfig is the merged kubeconfig (missing files read as empty), as `kubectl config` commands see it. */
  rawConfig(): Promise<LoadedConfig> {
    this.loaded ??= loadKubeconfig(this.flags, {env: this.env, strict: false}).then((l) => {
      this.logLoad(l)
      return l
    })
    return this.loaded
  }

  /** clientConfig resolves context, cluster, user and namespace for API commands (a missing --kubeconfig is an error). */
  clientConfig(): Promise<ResolvedContext> {
    this.resolved ??= (async () => {
      const strict = await loadKubeconfig(this.flags, {env: this.env, strict: true})
      this.loaded ??= Promise.resolve(strict)
      this.logLoad(strict)
      return resolveContext(strict, this.flags)
    })()
    return this.resolved
  }

  private logLoad(l: LoadedConfig): void {
    if (this.loggedLoad) return
    this.loggedLoad = true
    for (const p of l.precedence) this.klog.info(6, 'loader.go:402', `Config loaded from file:  ${p}`)
  }

  /** namespace is -n, else the context's namespace, else `default`; explicit tells whether -n was given. */
  async namespace(): Promise<{namespace: string; explicit: boolean}> {
    const c = await this.clientConfig()
    return {namespace: c.namespace, explicit: c.namespaceExplicit}
  }

  /** cacheDir is --cache-dir, else $MKCTL_HOME/cache (kubectl: ~/.kube/cache). */
  get cacheDir(): string {
    return this.flags['cache-dir'] || join(mkctlHome(this.env), 'cache')
  }

  /** restClient builds the REST client for the resolved context, after the beforeConnect hooks. */
  restClient(): Promise<RestClient> {
    this.rest ??= (async () => {
      let timeoutMs: number
      try {
        timeoutMs = parseRequestTimeout(this.flags['request-timeout'])
      } catch (e) {
        throw new RawError(`error: ${(e as Error).message}`)
      }
      let ctx = await this.clientConfig()
      if (Factory.beforeConnect.length > 0) {
        for (const hook of Factory.beforeConnect) await hook(ctx, this)
        // a hook may have (re)written the kubeconfig (a started profile gets a new port): read it again.
        this.loaded = undefined
        this.resolved = undefined
        ctx = await this.clientConfig()
      }
      const imp = impersonation(this.flags)
      // client-go's transport config refuses groups or a uid without a user to impersonate (transport/config.go)
      if (imp.impersonate && !imp.impersonate.user)
        throw new RawError(
          `error: requesting uid, groups or user-extra for ${ctx.userName} without impersonating a user`,
        )
      const headers: Record<string, string> = {'Kubectl-Session': this.session}
      if (this.opts.commandPath) headers['Kubectl-Command'] = this.opts.commandPath
      const rest = new RestClient({
        server: ctx.server,
        caData: ctx.caData,
        token: ctx.token,
        insecure: ctx.insecure,
        tlsServerName: ctx.tlsServerName,
        clientCert: ctx.clientCert,
        clientKey: ctx.clientKey,
        username: ctx.username,
        password: ctx.password,
        timeoutMs,
        headers,
        ...imp,
        klog: this.klog,
        onWarning: (text) => {
          this.warningCount++
          this.io.errOut.write(`Warning: ${text}\n`)
        },
      })
      if (this.flags['match-server-version']) await matchServerVersion(rest)
      return rest
    })()
    return this.rest
  }

  /** discovery is the cached discovery client for the context's server. */
  discovery(): Promise<DiscoveryClient> {
    this.disco ??= this.restClient().then(
      (rest) => new DiscoveryClient(rest, {cacheDir: this.cacheDir, klog: this.klog}),
    )
    return this.disco
  }

  /** mapper resolves resource names through discovery. */
  mapper(): Promise<RESTMapper> {
    this.restMapper ??= this.discovery().then((d) => new RESTMapper(d))
    return this.restMapper
  }
}
