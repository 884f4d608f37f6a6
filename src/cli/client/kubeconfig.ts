// kubeconfig.ts loads, merges, resolves and writes kubeconfig files with kubectl's rules (follows
// client-go/tools/clientcmd: loader.go ClientConfigLoadingRules, client_config.go DirectClientConfig, and
// api/helpers.go MinifyConfig/ShortenConfig). mkctl's default file is $MKCTL_HOME/kubeconfig, not ~/.kube/config;
// KUBECONFIG and --kubeconfig are honoured exactly as kubectl honours them.
import {chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {delimiter, dirname, isAbsolute, join, resolve} from 'node:path'
import {parseSimpleYaml} from './simple-yaml.js'
import {multilineError, RawError} from '../errors.js'
import {toYaml} from '../printers/yaml.js'

/** Cluster is a kubeconfig cluster entry (clientcmd/api/v1 Cluster; YAML/JSON keys verbatim). */
export interface Cluster {
  server?: string
  'tls-server-name'?: string
  'insecure-skip-tls-verify'?: boolean
  'certificate-authority'?: string
  'certificate-authority-data'?: string
  'proxy-url'?: string
  'disable-compression'?: boolean
  extensions?: unknown[]
}

/** AuthInfo is a kubeconfig user entry (clientcmd/api/v1 AuthInfo). */
export interface AuthInfo {
  'client-certificate'?: string
  'client-certificate-data'?: string
  'client-key'?: string
  'client-key-data'?: string
  token?: string
  tokenFile?: string
  as?: string
  'as-uid'?: string
  'as-groups'?: string[]
  'as-user-extra'?: Record<string, string[]>
  username?: string
  password?: string
  'auth-provider'?: unknown
  exec?: unknown
  extensions?: unknown[]
}

/** Context is a kubeconfig context entry (clientcmd/api/v1 Context). */
export interface Context {
  cluster: string
  user: string
  namespace?: string
  extensions?: unknown[]
}

/** KubeConfig is a whole kubeconfig; lists are kept sorted by name, as clientcmd writes them. */
export interface KubeConfig {
  kind?: string
  apiVersion?: string
  preferences: {colors?: boolean; extensions?: unknown[]}
  clusters: {name: string; cluster: Cluster}[] | null
  users: {name: string; user: AuthInfo}[] | null
  contexts: {name: string; context: Context}[] | null
  'current-context': string
  extensions?: unknown[]
}

/** KubeconfigFlags are the global flags that select and override kubeconfig values. */
export interface KubeconfigFlags {
  kubeconfig?: string
  context?: string
  server?: string
  token?: string
  namespace?: string
  'insecure-skip-tls-verify'?: boolean
  /** cluster and user replace the context's cluster and user names (clientcmd ConfigOverrides.Context). */
  cluster?: string
  user?: string
  'certificate-authority'?: string
  'tls-server-name'?: string
  'client-certificate'?: string
  'client-key'?: string
  username?: string
  password?: string
}

/** mkctlHome is $MKCTL_HOME, default ~/.mkctl (DESIGN.md §2). */
export function mkctlHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.MKCTL_HOME || join(homedir(), '.mkctl')
}

/** defaultKubeconfigPath is mkctl's own kubeconfig, $MKCTL_HOME/kubeconfig. */
export function defaultKubeconfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(mkctlHome(env), 'kubeconfig')
}

/** emptyConfig is what clientcmd prints for no file at all. */
export function emptyConfig(): KubeConfig {
  return {
    kind: 'Config',
    apiVersion: 'v1',
    preferences: {},
    clusters: null,
    users: null,
    contexts: null,
    'current-context': '',
  }
}

/** LoadedConfig is a merged kubeconfig plus the files it came from (for writing changes back). */
export interface LoadedConfig {
  config: KubeConfig
  /** precedence is the list of files in merge order (the explicit file alone, or KUBECONFIG's list, or the default). */
  precedence: string[]
  explicit: boolean
  /** origin maps "clusters/<name>", "users/<name>", "contexts/<name>" and "current-context" to the file that set it. */
  origin: Map<string, string>
}

/**
 * precedenceFor lists the kubeconfig files in the order clientcmd merges them: --kubeconfig alone, else KUBECONFIG
 * split on the path-list separator (empty entries and duplicates dropped), else $MKCTL_HOME/kubeconfig.
 */
export function precedenceFor(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  if (explicit) return [explicit]
  if (env.KUBECONFIG !== undefined && env.KUBECONFIG !== '') {
    return [...new Set(env.KUBECONFIG.split(delimiter).filter((p) => p !== ''))]
  }
  return [defaultKubeconfigPath(env)]
}

async function parseYaml(text: string): Promise<unknown> {
  // Kubeconfigs are nearly always plain block YAML: parse those without the YAML library (start-up time).
  const simple = parseSimpleYaml(text)
  if (simple !== undefined) return simple
  const YAML = await import('yaml')
  return YAML.parse(text, {version: '1.1', logLevel: 'error'}) as unknown
}

/** readKubeconfigFile parses one file; a missing file gives undefined; errors are worded as clientcmd words them. */
export async function readKubeconfigFile(path: string): Promise<KubeConfig | undefined> {
  let text: string
  try {
    if (statSync(path).isDirectory())
      throw new RawError(`error: error loading config file "${path}": read ${path}: is a directory`)
    text = readFileSync(path, 'utf8')
  } catch (e) {
    if (e instanceof RawError) throw e
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new RawError(`error: error loading config file "${path}": ${(e as Error).message}`)
  }
  let raw: unknown
  try {
    raw = await parseYaml(text)
  } catch (e) {
    const first = String((e as Error).message).split('\n')[0]
    throw new RawError(`error: error loading config file "${path}": yaml: ${first}`)
  }
  const bad = typeError(raw)
  if (bad) throw new RawError(`error: error loading config file "${path}": ${bad}`)
  return normalize(raw)
}

/** BOOL_KEYS are the kubeconfig fields of Go type bool; every other known scalar field is a string. */
const BOOL_KEYS = new Set(['insecure-skip-tls-verify', 'disable-compression'])
const SCALAR_KEYS = new Set([
  ...CLUSTER_KEYS_SCALAR(),
  'token',
  'tokenFile',
  'as',
  'as-uid',
  'username',
  'password',
  'client-certificate',
  'client-certificate-data',
  'client-key',
  'client-key-data',
  'cluster',
  'user',
  'namespace',
])

function CLUSTER_KEYS_SCALAR(): string[] {
  return [
    'server',
    'tls-server-name',
    'insecure-skip-tls-verify',
    'certificate-authority',
    'certificate-authority-data',
    'proxy-url',
    'disable-compression',
  ]
}

/**
 * typeError finds a known field whose value has the wrong JSON type (a string field holding a number or one of YAML
 * 1.1's booleans such as `y`/`on`, a bool field holding anything but a bool), which clientcmd's decoder refuses. The
 * message follows encoding/json's, and so does the choice among several: sigs.k8s.io/yaml turns the YAML into JSON
 * with sorted keys, and encoding/json reports the first mismatch in that order (found by fuzzing: such files reached
 * resolveContext and failed there with a TypeError).
 */
function typeError(raw: unknown): string | undefined {
  const o = obj(raw)
  const sections: Record<string, [string, string]> = {
    clusters: ['cluster', 'Cluster'],
    users: ['user', 'AuthInfo'],
    contexts: ['context', 'Context'],
  }
  const mismatch = (v: unknown, field: string, want: string) =>
    `json: cannot unmarshal ${jsonType(v)} into Go struct field ${field} of type ${want}`
  for (const top of Object.keys(o).sort()) {
    const value = o[top]
    if (value === undefined || value === null) continue
    if (top === 'apiVersion' || top === 'kind' || top === 'current-context') {
      if (typeof value !== 'string') return mismatch(value, `Config.${top}`, 'string')
      continue
    }
    if (top === 'preferences') {
      const colors = obj(value).colors
      if (colors !== undefined && colors !== null && typeof colors !== 'boolean')
        return mismatch(colors, 'Preferences.preferences.colors', 'bool')
      continue
    }
    const section = sections[top]
    if (!section) continue
    const [key, struct] = section
    if (!Array.isArray(value)) return mismatch(value, `Config.${top}`, `[]v1.Named${struct}`)
    for (const item of value as unknown[]) {
      const named = obj(item)
      for (const k of Object.keys(named).sort()) {
        const v = named[k]
        if (v === undefined || v === null) continue
        if (k === 'name' && typeof v !== 'string') return mismatch(v, `Named${struct}.${top}.name`, 'string')
        if (k !== key) continue
        if (typeof v !== 'object' || Array.isArray(v))
          return mismatch(v, `Named${struct}.${top}.${key}`, `v1.${struct}`)
        const inner = v as Record<string, unknown>
        for (const f of Object.keys(inner).sort()) {
          const fv = inner[f]
          if (fv === null || fv === undefined || !SCALAR_KEYS.has(f)) continue
          const want = BOOL_KEYS.has(f) ? 'bool' : 'string'
          if (want === 'bool' ? typeof fv !== 'boolean' : typeof fv !== 'string')
            return mismatch(fv, `${struct}.${top}.${key}.${f}`, want)
        }
      }
    }
  }
  return undefined
}

function jsonType(v: unknown): string {
  return Array.isArray(v) ? 'array' : typeof v === 'boolean' ? 'bool' : typeof v === 'object' ? 'object' : typeof v
}

function obj(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {}
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined
}

function pick<T>(src: Record<string, unknown>, keys: string[]): T {
  const out: Record<string, unknown> = {}
  for (const k of keys) if (src[k] !== undefined && src[k] !== null && src[k] !== '') out[k] = src[k]
  return out as T
}

const CLUSTER_KEYS = [
  'server',
  'tls-server-name',
  'insecure-skip-tls-verify',
  'certificate-authority',
  'certificate-authority-data',
  'proxy-url',
  'disable-compression',
  'extensions',
]
const USER_KEYS = [
  'client-certificate',
  'client-certificate-data',
  'client-key',
  'client-key-data',
  'token',
  'tokenFile',
  'as',
  'as-uid',
  'as-groups',
  'as-user-extra',
  'username',
  'password',
  'auth-provider',
  'exec',
  'extensions',
]

function named<T>(
  list: unknown,
  key: string,
  shape: (v: Record<string, unknown>) => T,
): {name: string; [k: string]: T | string}[] | null {
  if (!Array.isArray(list)) return null
  const seen = new Map<string, {name: string; [k: string]: T | string}>()
  for (const item of list) {
    const o = obj(item)
    const name = str(o.name) ?? ''
    // clientcmd decodes the list into a map, so a later duplicate replaces an earlier one.
    seen.set(name, {name, [key]: shape(obj(o[key]))})
  }
  return [...seen.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

/** normalize turns parsed YAML into a KubeConfig with only the fields clientcmd knows, lists sorted by name. */
export function normalize(raw: unknown): KubeConfig {
  const o = obj(raw)
  const cfg = emptyConfig()
  if (o.preferences && typeof o.preferences === 'object')
    cfg.preferences = pick(obj(o.preferences), ['colors', 'extensions'])
  cfg.clusters = named(o.clusters, 'cluster', (c) => pick<Cluster>(c, CLUSTER_KEYS)) as KubeConfig['clusters']
  cfg.users = named(o.users, 'user', (u) => pick<AuthInfo>(u, USER_KEYS)) as KubeConfig['users']
  cfg.contexts = named(o.contexts, 'context', (c) => ({
    cluster: str(c.cluster) ?? '',
    user: str(c.user) ?? '',
    ...(str(c.namespace) ? {namespace: str(c.namespace)!} : {}),
    ...(Array.isArray(c.extensions) ? {extensions: c.extensions} : {}),
  })) as KubeConfig['contexts']
  cfg['current-context'] = str(o['current-context']) ?? ''
  if (Array.isArray(o.extensions)) cfg.extensions = o.extensions
  return cfg
}

/**
 * loadKubeconfig loads and merges the files of precedenceFor(). With strict (server commands), a missing
 * --kubeconfig file is an error (`stat F: no such file or directory`); config commands start from an empty config.
 */
export async function loadKubeconfig(
  flags: KubeconfigFlags,
  opts: {env?: NodeJS.ProcessEnv; strict?: boolean} = {},
): Promise<LoadedConfig> {
  const env = opts.env ?? process.env
  const precedence = precedenceFor(flags.kubeconfig, env)
  const explicit = Boolean(flags.kubeconfig)
  const merged = emptyConfig()
  const origin = new Map<string, string>()
  for (const path of precedence) {
    const file = await readKubeconfigFile(path)
    if (!file) {
      if (explicit && opts.strict) throw new RawError(`error: stat ${path}: no such file or directory`)
      continue
    }
    // The first file to set a map key or a value wins (clientcmd loader.go "Merging").
    for (const kind of ['clusters', 'users', 'contexts'] as const) {
      const list = file[kind] as {name: string}[] | null
      if (!list) continue
      const target = (merged[kind] ?? []) as {name: string}[]
      for (const item of list) {
        if (origin.has(`${kind}/${item.name}`)) continue
        origin.set(`${kind}/${item.name}`, path)
        target.push(item)
      }
      target.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      ;(merged as unknown as Record<string, unknown>)[kind] = target
    }
    if (file['current-context'] && !merged['current-context']) {
      merged['current-context'] = file['current-context']
      origin.set('current-context', path)
    }
    if (Object.keys(file.preferences).length > 0 && Object.keys(merged.preferences).length === 0)
      merged.preferences = file.preferences
  }
  return {config: merged, precedence, explicit, origin}
}

/** findCluster, findUser, findContext look an entry up by name. */
export function findCluster(c: KubeConfig, name: string): Cluster | undefined {
  return c.clusters?.find((x) => x.name === name)?.cluster
}
export function findUser(c: KubeConfig, name: string): AuthInfo | undefined {
  return c.users?.find((x) => x.name === name)?.user
}
export function findContext(c: KubeConfig, name: string): Context | undefined {
  return c.contexts?.find((x) => x.name === name)?.context
}

/** ResolvedContext is everything a REST client needs, after flags have overridden the kubeconfig. */
export interface ResolvedContext {
  server: string
  caData?: Buffer
  token?: string
  insecure?: boolean
  tlsServerName?: string
  clientCert?: Buffer
  clientKey?: Buffer
  username?: string
  password?: string
  namespace: string
  /** namespaceExplicit is true when -n was given (kubectl's enforceNamespace). */
  namespaceExplicit: boolean
  contextName: string
  clusterName: string
  userName: string
  /** configFile is the file the cluster came from, when known (auto-start reads it to find the profile). */
  configFile?: string
}

/** DEFAULT_SERVER is where clientcmd points when nothing names a server. */
export const DEFAULT_SERVER = 'http://localhost:8080'

function readData(
  data: string | undefined,
  file: string | undefined,
  what: string,
  owner: string,
  base?: string,
): Buffer | undefined {
  if (data) return Buffer.from(data, 'base64')
  if (!file) return undefined
  const p = base && !isAbsolute(file) ? resolve(dirname(base), file) : file
  try {
    return readFileSync(p)
  } catch (e) {
    const why =
      (e as NodeJS.ErrnoException).code === 'ENOENT' ? `open ${p}: no such file or directory` : (e as Error).message
    throw new RawError(`error: unable to read ${what} ${p} for ${owner} due to ${why}`)
  }
}

function readError(p: string, e: unknown): string {
  return (e as NodeJS.ErrnoException).code === 'ENOENT' ? `open ${p}: no such file or directory` : (e as Error).message
}

function fileReadable(p: string): string | undefined {
  try {
    readFileSync(p)
    return undefined
  } catch (e) {
    return readError(p, e)
  }
}

/**
 * validateUser lists what clientcmd's validateAuthInfo refuses in a user after flag overrides: a client certificate
 * without a key, unreadable certificate or key files, and more than one of token and basic auth.
 */
function validateUser(name: string, u: AuthInfo, base?: string): string[] {
  const errs: string[] = []
  const methods: string[] = []
  if (u.token || u.tokenFile) methods.push('token')
  if (u.username || u.password) methods.push('basicAuth')
  if (u['client-certificate'] || u['client-certificate-data']) {
    if (!u['client-key'] && !u['client-key-data'])
      errs.push(
        `client-key-data or client-key must be specified for ${name} to use the clientCert authentication method.`,
      )
    for (const [key, what] of [
      ['client-certificate', 'client-cert'],
      ['client-key', 'client-key'],
    ] as const) {
      const f = u[key]
      if (!f) continue
      const p = base && !isAbsolute(f) ? resolve(dirname(base), f) : f
      const why = fileReadable(p)
      if (why) errs.push(`unable to read ${what} ${p} for ${name} due to ${why}`)
    }
  }
  if (methods.length > 1)
    errs.push(
      `more than one authentication method found for ${name}; found [${methods.join(' ')}], only one is allowed`,
    )
  return errs
}

/**
 * resolveContext picks the context (--context, else current-context), its cluster (--cluster) and user (--user),
 * applies the flag overrides (--server, --certificate-authority, --insecure-skip-tls-verify, --tls-server-name,
 * --token, --username, --password, --client-certificate, --client-key, -n) as clientcmd's DirectClientConfig merges
 * them, validates the result (ConfirmUsable) and reads CA and client certificate files. Namespace: the flag, else the
 * context's, else `default`. Errors are worded as kubectl prints them; kubectl checks usability first when -n is not
 * given (it asks for the namespace, which validates), and looks the named cluster and user up first when it is.
 */
export function resolveContext(loaded: LoadedConfig, flags: KubeconfigFlags): ResolvedContext {
  const cfg = loaded.config
  const contextName = flags.context || cfg['current-context']
  const ctx = contextName ? findContext(cfg, contextName) : undefined
  if (contextName && !ctx) {
    throw new RawError(`Error in configuration: context was not found for specified context: ${contextName}`)
  }
  const clusterName = flags.cluster || ctx?.cluster || ''
  const userName = flags.user || ctx?.user || ''
  const foundCluster = clusterName ? findCluster(cfg, clusterName) : undefined
  const foundUser = userName ? findUser(cfg, userName) : undefined
  const clusterFile = loaded.origin.get(`clusters/${clusterName}`)
  const userFile = loaded.origin.get(`users/${userName}`)
  const cluster: Cluster = {...(foundCluster ?? {})}
  if (flags.server) {
    cluster.server = flags.server
    delete cluster['tls-server-name']
  }
  if (flags['tls-server-name']) cluster['tls-server-name'] = flags['tls-server-name']
  // an override of --insecure-skip-tls-verify or --certificate-authority replaces all three TLS settings
  // (client_config.go getCluster), so a kubeconfig CA does not clash with the flag and vice versa.
  const caFlag = flags['certificate-authority']
  if (flags['insecure-skip-tls-verify'] || caFlag) {
    cluster['insecure-skip-tls-verify'] = Boolean(flags['insecure-skip-tls-verify'])
    delete cluster['certificate-authority-data']
    delete cluster['certificate-authority']
    if (caFlag) cluster['certificate-authority'] = caFlag
  }
  const user: AuthInfo = {...(foundUser ?? {})}
  if (flags.token) {
    user.token = flags.token
    delete user.tokenFile
  }
  if (flags.username) user.username = flags.username
  if (flags.password) user.password = flags.password
  if (flags['client-certificate']) {
    user['client-certificate'] = flags['client-certificate']
    delete user['client-certificate-data']
  }
  if (flags['client-key']) {
    user['client-key'] = flags['client-key']
    delete user['client-key-data']
  }
  const missing = (): void => {
    if (flags.user && !foundUser) throw new RawError(`error: auth info "${userName}" does not exist`)
    if (flags.cluster && !foundCluster) throw new RawError(`error: cluster "${clusterName}" does not exist`)
  }
  const usable = (): void => {
    // a --user that names no entry is validated as an empty user (getAuthInfo's result), so missing() reports it
    const errs =
      flags.user && !foundUser ? [] : validateUser(userName, user, flags['client-certificate'] ? undefined : userFile)
    if (flags.cluster && !foundCluster) errs.push(`no server found for cluster "${clusterName}"`)
    else if (foundCluster || flags.server) {
      const ca = cluster['certificate-authority']
      if (ca) {
        const p = clusterFile && !caFlag && !isAbsolute(ca) ? resolve(dirname(clusterFile), ca) : ca
        const why = fileReadable(p)
        if (why) errs.push(`unable to read certificate-authority ${p} for ${clusterName} due to ${why}`)
      }
    }
    if (errs.length === 0) return
    // asked for the namespace, kubectl prints one problem as a plain error; otherwise as a configuration error
    if (errs.length === 1 && !flags.namespace) throw new RawError(`error: ${errs[0]}`)
    throw new RawError(multilineError('Error in configuration: ', errs).replace(/\n$/, ''))
  }
  if (flags.namespace) {
    missing()
    usable()
  } else {
    usable()
    missing()
  }
  const insecure = cluster['insecure-skip-tls-verify'] || false
  if (insecure && (cluster['certificate-authority'] || cluster['certificate-authority-data']))
    throw new RawError('error: specifying a root certificates file with the insecure flag is not allowed')
  let server = cluster.server || DEFAULT_SERVER
  if (!/^[a-z]+:\/\//i.test(server))
    server =
      (cluster['certificate-authority-data'] || cluster['certificate-authority'] ? 'https://' : 'http://') + server
  const out: ResolvedContext = {
    server: server.replace(/\/+$/, ''),
    namespace: flags.namespace || ctx?.namespace || 'default',
    namespaceExplicit: Boolean(flags.namespace),
    contextName: contextName ?? '',
    clusterName,
    userName,
  }
  if (insecure) out.insecure = true
  const ca = readData(
    cluster['certificate-authority-data'],
    cluster['certificate-authority'],
    'certificate-authority',
    clusterName,
    caFlag ? undefined : clusterFile,
  )
  if (ca) out.caData = ca
  if (cluster['tls-server-name']) out.tlsServerName = cluster['tls-server-name']
  const token =
    user.token ||
    (user.tokenFile
      ? readData(undefined, user.tokenFile, 'tokenFile', userName, userFile)?.toString('utf8').trim()
      : undefined)
  if (token) out.token = token
  const cert = readData(
    user['client-certificate-data'],
    user['client-certificate'],
    'client-cert',
    userName,
    flags['client-certificate'] ? undefined : userFile,
  )
  // a key without a certificate is never loaded (client-go only builds a key pair from both)
  const key = !cert
    ? undefined
    : readData(
        user['client-key-data'],
        user['client-key'],
        'client-key',
        userName,
        flags['client-key'] ? undefined : userFile,
      )
  if (cert) out.clientCert = cert
  if (key) out.clientKey = key
  if (user.username) out.username = user.username
  if (user.password) out.password = user.password
  if (clusterFile) out.configFile = clusterFile
  return out
}

/** minifyConfig keeps only the current context, its cluster and user (clientcmd/api MinifyConfig). */
export function minifyConfig(cfg: KubeConfig): KubeConfig {
  const name = cfg['current-context']
  if (!name) throw new Error('current-context must exist in order to minify')
  const ctx = findContext(cfg, name)
  if (!ctx) throw new Error(`cannot locate context ${name}`)
  const cluster = findCluster(cfg, ctx.cluster)
  if (!cluster) throw new Error(`cannot locate cluster ${ctx.cluster}`)
  const user = findUser(cfg, ctx.user)
  if (!user) throw new Error(`cannot locate user ${ctx.user}`)
  return {
    ...cfg,
    clusters: [{name: ctx.cluster, cluster}],
    users: [{name: ctx.user, user}],
    contexts: [{name, context: ctx}],
  }
}

/** DATA_OMITTED and REDACTED are the placeholders `kubectl config view` prints without --raw. */
export const DATA_OMITTED = 'DATA+OMITTED'
export const REDACTED = 'REDACTED'

/** shortenConfig redacts secrets for display (clientcmd/api ShortenConfig): data fields and tokens/passwords. */
export function shortenConfig(cfg: KubeConfig): KubeConfig {
  return {
    ...cfg,
    clusters:
      cfg.clusters?.map((c) => ({
        name: c.name,
        cluster: c.cluster['certificate-authority-data']
          ? {...c.cluster, 'certificate-authority-data': DATA_OMITTED}
          : c.cluster,
      })) ?? null,
    users:
      cfg.users?.map((u) => {
        const user = {...u.user}
        if (user['client-certificate-data']) user['client-certificate-data'] = DATA_OMITTED
        if (user['client-key-data']) user['client-key-data'] = DATA_OMITTED
        if (user.token) user.token = REDACTED
        if (user.password) user.password = REDACTED
        return {name: u.name, user}
      }) ?? null,
  }
}

const CLUSTER_ORDER = CLUSTER_KEYS
const USER_ORDER = USER_KEYS

function ordered<T extends object>(o: T, keys: string[]): T {
  const src = o as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const k of keys) if (src[k] !== undefined) out[k] = src[k]
  return out as T
}

/** toJSONOrder returns cfg with keys in Go struct order, as `kubectl config view -o json` prints it. */
export function toJSONOrder(cfg: KubeConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (cfg.kind) out.kind = cfg.kind
  if (cfg.apiVersion) out.apiVersion = cfg.apiVersion
  out.preferences = cfg.preferences
  // Go converts an empty map to a nil slice, printed as null.
  const list = <T>(l: T[] | null) => (l && l.length > 0 ? l : null)
  out.clusters = list(cfg.clusters)?.map((c) => ({name: c.name, cluster: ordered(c.cluster, CLUSTER_ORDER)})) ?? null
  out.users = list(cfg.users)?.map((u) => ({name: u.name, user: ordered(u.user, USER_ORDER)})) ?? null
  out.contexts =
    list(cfg.contexts)?.map((c) => ({
      name: c.name,
      context: ordered(c.context, ['cluster', 'user', 'namespace', 'extensions']),
    })) ?? null
  out['current-context'] = cfg['current-context']
  if (cfg.extensions) out.extensions = cfg.extensions
  return out
}

/** stringifyKubeconfig renders cfg as kubectl writes kubeconfig YAML (sigs.k8s.io/yaml: keys sorted). */
export async function stringifyKubeconfig(cfg: KubeConfig): Promise<string> {
  return toYaml(toJSONOrder(cfg))
}

/** writeKubeconfigFile writes cfg to path atomically with mode 0600, creating its folder with mode 0700. */
export async function writeKubeconfigFile(path: string, cfg: KubeConfig): Promise<void> {
  const dir = dirname(path)
  if (!existsSync(dir)) mkdirSync(dir, {recursive: true, mode: 0o700})
  const tmp = `${path}.tmp-${process.pid}`
  writeFileSync(tmp, await stringifyKubeconfig(cfg), {mode: 0o600})
  chmodSync(tmp, 0o600)
  renameSync(tmp, path)
}

/**
 * destinationFor names the file a change to key ("contexts/<name>", "current-context", ...) is written to, as
 * clientcmd's ModifyConfig does: the file that already holds it, else the first file of the precedence list.
 */
export function destinationFor(loaded: LoadedConfig, key: string): string {
  if (loaded.explicit) return loaded.precedence[0]
  return loaded.origin.get(key) ?? loaded.precedence.find((p) => existsSync(p)) ?? loaded.precedence[0]
}

/**
 * updateKubeconfigFile reads one file (or an empty config), lets mutate change it, and writes it back. Used by the
 * `config` commands, which always edit exactly one file.
 */
export async function updateKubeconfigFile(path: string, mutate: (cfg: KubeConfig) => void): Promise<KubeConfig> {
  const cfg = (await readKubeconfigFile(path)) ?? emptyConfig()
  mutate(cfg)
  await writeKubeconfigFile(path, cfg)
  return cfg
}

/** upsertNamed replaces or adds an entry of a name-sorted list. */
export function upsertNamed<T extends {name: string}>(list: T[] | null, item: T): T[] {
  const out = (list ?? []).filter((x) => x.name !== item.name)
  out.push(item)
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

/** Profile is what `mkctl cluster start` records for one profile. */
export interface Profile {
  name: string
  server: string
  /** caData is the PEM of the profile's CA (stored base64-encoded as certificate-authority-data). */
  caData?: string | Buffer
  token?: string
  namespace?: string
}

/**
 * upsertProfile writes a cluster, a user and a context all named after the profile into path and makes it the
 * current context (DESIGN.md §2 kubeconfig). An existing context keeps its namespace unless one is given.
 */
export async function upsertProfile(path: string, p: Profile): Promise<void> {
  await updateKubeconfigFile(path, (cfg) => {
    const cluster: Cluster = {server: p.server}
    if (p.caData) cluster['certificate-authority-data'] = Buffer.from(p.caData).toString('base64')
    const user: AuthInfo = {}
    if (p.token) user.token = p.token
    const prev = findContext(cfg, p.name)
    const context: Context = {cluster: p.name, user: p.name}
    const ns = p.namespace ?? prev?.namespace
    if (ns) context.namespace = ns
    cfg.clusters = upsertNamed(cfg.clusters, {name: p.name, cluster})
    cfg.users = upsertNamed(cfg.users, {name: p.name, user})
    cfg.contexts = upsertNamed(cfg.contexts, {name: p.name, context})
    cfg['current-context'] = p.name
  })
}

/** removeProfile deletes the profile's cluster, user and context; clears current-context if it pointed there. */
export async function removeProfile(path: string, name: string): Promise<void> {
  if (!existsSync(path)) return
  await updateKubeconfigFile(path, (cfg) => {
    cfg.clusters = cfg.clusters?.filter((x) => x.name !== name) ?? null
    cfg.users = cfg.users?.filter((x) => x.name !== name) ?? null
    cfg.contexts = cfg.contexts?.filter((x) => x.name !== name) ?? null
    if (cfg['current-context'] === name) cfg['current-context'] = ''
  })
}
