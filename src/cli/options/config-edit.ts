// config-edit.ts holds the kubeconfig-editing `config` subcommands kubectl has beside those in config.ts:
// set-cluster, set-credentials, set, unset, rename-context, get-users, delete-cluster, delete-user (follows
// kubectl/pkg/cmd/config/{set_cluster,set_credentials,set,unset,rename_context,get_users,delete_cluster,
// delete_user}.go and navigation_step_parser.go). Each change is written to the one file clientcmd's ModifyConfig
// picks (destinationFor).
import {Help, type Interfaces} from '@oclif/core'
import {existsSync, readFileSync, statSync} from 'node:fs'
import {dirname, isAbsolute, relative, resolve} from 'node:path'
import {
  destinationFor,
  findCluster,
  findContext,
  findUser,
  emptyConfig,
  readKubeconfigFile,
  toJSONOrder,
  writeKubeconfigFile,
  upsertNamed,
  type AuthInfo,
  type Cluster,
  type KubeConfig,
} from '../client/kubeconfig.js'
import {UsageError} from '../errors.js'
import type {IOStreams} from '../io.js'
import type {ConfigSource} from './config.js'

/**
 * editKubeconfigFile is updateKubeconfigFile that, like clientcmd's ModifyConfig, leaves the file untouched when the
 * change makes no difference.
 */
export async function editKubeconfigFile(path: string, mutate: (cfg: KubeConfig) => void): Promise<void> {
  const cfg = (await readKubeconfigFile(path)) ?? emptyConfig()
  const before = JSON.stringify(toJSONOrder(cfg))
  mutate(cfg)
  if (JSON.stringify(toJSONOrder(cfg)) === before && existsSync(path)) return
  await writeKubeconfigFile(path, cfg)
}

/** HelpError is kubectl's helpErrorf: the command prints its help on stdout, then `error: <message>`. */
export class HelpError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'HelpError'
  }
}

const goArgs = (args: string[]) => `[${args.join(' ')}]`

/** parseGoBool follows strconv.ParseBool, which pflag's boolean flags and `config set` use. */
export function parseGoBool(s: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false
  return undefined
}

/** SetClusterOptions runs `config set-cluster NAME [--server] [--certificate-authority] [--embed-certs] ...`. */
export class SetClusterOptions {
  server?: string
  tlsServerName?: string
  insecureSkipTlsVerify?: boolean
  certificateAuthority?: string
  embedCerts = false
  proxyUrl?: string
  constructor(readonly io: IOStreams) {}

  async run(f: ConfigSource, args: string[]): Promise<void> {
    if (args.length !== 1) throw new HelpError(`Unexpected args: ${goArgs(args)}`)
    const name = args[0]
    if (!name) throw new Error('you must specify a non-empty cluster name')
    if (this.insecureSkipTlsVerify && this.certificateAuthority)
      throw new Error('you cannot specify a certificate authority and insecure mode at the same time')
    if (this.embedCerts) {
      if (!this.certificateAuthority) throw new Error('you must specify a --certificate-authority to embed')
      try {
        statSync(this.certificateAuthority)
      } catch {
        throw new Error(
          `could not stat certificate-authority file ${this.certificateAuthority}: stat ${this.certificateAuthority}: no such file or directory`,
        )
      }
    }
    const loaded = await f.rawConfig()
    const file = destinationFor(loaded, `clusters/${name}`)
    await editKubeconfigFile(file, (cfg) => {
      const c: Cluster = {...(findCluster(cfg, name) ?? {})}
      if (this.server !== undefined) {
        set(c, 'server', this.server)
        delete c['tls-server-name']
      }
      if (this.tlsServerName !== undefined) set(c, 'tls-server-name', this.tlsServerName)
      if (this.insecureSkipTlsVerify !== undefined) {
        set(c, 'insecure-skip-tls-verify', this.insecureSkipTlsVerify)
        if (this.insecureSkipTlsVerify) {
          delete c['certificate-authority']
          delete c['certificate-authority-data']
        }
      }
      if (this.certificateAuthority !== undefined) {
        if (this.embedCerts) {
          set(c, 'certificate-authority-data', readFileSync(this.certificateAuthority).toString('base64'))
          delete c['insecure-skip-tls-verify']
          delete c['certificate-authority']
        } else {
          const p = this.certificateAuthority ? resolve(this.certificateAuthority) : ''
          set(c, 'certificate-authority', relativeTo(file, p))
          if (p) {
            delete c['insecure-skip-tls-verify']
            delete c['certificate-authority-data']
          }
        }
      }
      if (this.proxyUrl !== undefined) set(c, 'proxy-url', this.proxyUrl)
      cfg.clusters = upsertNamed(cfg.clusters, {name, cluster: c})
    })
    this.io.out.write(`Cluster "${name}" set.\n`)
  }
}

// set stores a field the way Go's omitempty serialises it: zero values disappear.
function set<T extends object>(o: T, key: keyof T & string, v: unknown): void {
  const rec = o as Record<string, unknown>
  if (v === '' || v === false || v === undefined || v === null) delete rec[key]
  else rec[key] = v
}

/** parsePairs follows cmdutil.ParsePairs: `k=v` adds, `k-` removes (when allowed). */
export function parsePairs(list: string[], flag: string): {add: [string, string][]; remove: string[]} {
  const add: [string, string][] = []
  const remove: string[] = []
  for (const p of list) {
    if (p.endsWith('-')) {
      remove.push(p.slice(0, -1))
      continue
    }
    const i = p.indexOf('=')
    if (i <= 0) throw new Error(`invalid ${flag}: ${p}`)
    add.push([p.slice(0, i), p.slice(i + 1)])
  }
  return {add, remove}
}

interface ExecConfig {
  command?: string
  args?: string[] | null
  env?: {name: string; value: string}[] | null
  apiVersion?: string
  installHint?: string
  provideClusterInfo?: boolean
  interactiveMode?: string
}

/**
 * relativeTo makes a local path relative to the kubeconfig file's folder, as clientcmd's ModifyConfig does for the
 * entries it writes (RelativizeClusterLocalPaths, RelativizeAuthInfoLocalPaths).
 */
export function relativeTo(kubeconfigFile: string, p: string): string {
  if (!p || !isAbsolute(p)) return p
  // RelativizePathWithNoBacksteps: a path that would need `..` stays absolute
  const rel = relative(dirname(resolve(kubeconfigFile)), p)
  return rel.startsWith('..') ? p : rel || '.'
}

/** SetCredentialsOptions runs `config set-credentials NAME [--token] [--username --password] [--client-*] ...`. */
export class SetCredentialsOptions {
  clientCertificate?: string
  clientKey?: string
  token?: string
  username?: string
  password?: string
  embedCerts = false
  authProvider?: string
  authProviderArgs: string[] = []
  execCommand?: string
  execApiVersion?: string
  execArgs: string[] = []
  execEnv: string[] = []
  execInteractiveMode?: string
  execProvideClusterInfo?: boolean
  constructor(readonly io: IOStreams) {}

  private validate(name: string): void {
    if (!name) throw new Error('you must specify a non-empty user name')
    const methods: string[] = []
    if (this.token) methods.push('--token')
    if (this.username || this.password) methods.push('--username/--password')
    if (methods.length > 1)
      throw new Error(`you cannot specify more than one authentication method at the same time: ${methods.join(', ')}`)
    if (this.embedCerts) {
      const cert = this.clientCertificate ?? ''
      const key = this.clientKey ?? ''
      if (!cert && !key) throw new Error('you must specify a --client-certificate or --client-key to embed')
      for (const [flag, p] of [
        ['client-certificate', cert],
        ['client-key', key],
      ]) {
        if (!p) continue
        try {
          readFileSync(p)
        } catch {
          throw new Error(`error reading ${flag} data from ${p}: open ${p}: no such file or directory`)
        }
      }
    }
    if (
      this.execInteractiveMode !== undefined &&
      !['Never', 'IfAvailable', 'Always'].includes(this.execInteractiveMode)
    ) {
      throw new Error('invalid interactive mode type, can be only IfAvailable, Never, Always')
    }
  }

  async run(f: ConfigSource, args: string[]): Promise<void> {
    if (args.length !== 1) throw new HelpError(`unexpected args: ${goArgs(args)}`)
    const name = args[0]
    const providerArgs = parsePairs(this.authProviderArgs, 'auth-provider-arg')
    const env = parsePairs(this.execEnv, 'exec-env')
    this.validate(name)
    const loaded = await f.rawConfig()
    const file = destinationFor(loaded, `users/${name}`)
    await editKubeconfigFile(file, (cfg) => {
      const u: AuthInfo = {...(findUser(cfg, name) ?? {})}
      this.modify(u, providerArgs, env)
      for (const k of ['client-certificate', 'client-key', 'tokenFile'] as const) {
        if (u[k]) u[k] = relativeTo(file, u[k])
      }
      cfg.users = upsertNamed(cfg.users, {name, user: u})
    })
    this.io.out.write(`User "${name}" set.\n`)
  }

  private modify(
    u: AuthInfo,
    providerArgs: {add: [string, string][]; remove: string[]},
    env: {add: [string, string][]; remove: string[]},
  ): void {
    let setToken = false
    let setBasic = false
    if (this.clientCertificate !== undefined) {
      if (this.embedCerts) {
        set(u, 'client-certificate-data', readFileSync(this.clientCertificate).toString('base64'))
        delete u['client-certificate']
      } else {
        const p = this.clientCertificate ? resolve(this.clientCertificate) : resolve('')
        set(u, 'client-certificate', p)
        if (p) delete u['client-certificate-data']
      }
    }
    if (this.clientKey !== undefined) {
      if (this.embedCerts) {
        set(u, 'client-key-data', readFileSync(this.clientKey).toString('base64'))
        delete u['client-key']
      } else {
        const p = resolve(this.clientKey)
        set(u, 'client-key', p)
        if (p) delete u['client-key-data']
      }
    }
    if (this.token !== undefined) {
      set(u, 'token', this.token)
      setToken = this.token !== ''
    }
    if (this.username !== undefined) {
      set(u, 'username', this.username)
      setBasic = setBasic || this.username !== ''
    }
    if (this.password !== undefined) {
      set(u, 'password', this.password)
      setBasic = setBasic || this.password !== ''
    }
    type Provider = {name: string; config?: Record<string, string>}
    let provider = u['auth-provider'] as Provider | undefined
    if (this.authProvider !== undefined && (!provider || provider.name !== this.authProvider)) {
      provider = {name: this.authProvider}
    }
    if (provider) {
      const config = {...(provider.config ?? {})}
      for (const k of providerArgs.remove) delete config[k]
      for (const [k, v] of providerArgs.add) config[k] = v
      provider = {...provider, config}
      u['auth-provider'] = provider
    }
    let exec = u.exec as ExecConfig | undefined
    if (this.execCommand !== undefined) {
      if (!exec) exec = {command: this.execCommand}
      else exec = {...exec, command: this.execCommand, args: null}
    }
    if (exec) {
      exec = {...exec}
      if (this.execApiVersion !== undefined) exec.apiVersion = this.execApiVersion
      if (this.execArgs.length > 0) exec.args = this.execArgs
      if (this.execInteractiveMode !== undefined) exec.interactiveMode = this.execInteractiveMode
      if (this.execProvideClusterInfo !== undefined) exec.provideClusterInfo = this.execProvideClusterInfo
      if (env.remove.length > 0) exec.env = (exec.env ?? []).filter((e) => !env.remove.includes(e.name))
      if (env.add.length > 0) {
        const list = [...(exec.env ?? [])].map((e) => ({...e}))
        for (const [k, v] of env.add) {
          const hit = list.find((e) => e.name === k)
          if (hit) hit.value = v
          else list.push({name: k, value: v})
        }
        exec.env = list
      }
      u.exec = execInGoOrder(exec)
    }
    if (setToken || setBasic) {
      if (!setToken) delete u.token
      if (!setBasic) {
        delete u.username
        delete u.password
      }
    }
  }
}

// execInGoOrder lays an exec stanza out as clientcmd's v1 ExecConfig serialises it (command, args, env and
// provideClusterInfo always written; apiVersion, installHint and interactiveMode only when set).
function execInGoOrder(e: ExecConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {command: e.command ?? ''}
  out.args = e.args && e.args.length > 0 ? e.args : null
  out.env = e.env && e.env.length > 0 ? e.env : null
  if (e.apiVersion) out.apiVersion = e.apiVersion
  if (e.installHint) out.installHint = e.installHint
  out.provideClusterInfo = e.provideClusterInfo ?? false
  if (e.interactiveMode) out.interactiveMode = e.interactiveMode
  return out
}

/** renameContext runs `config rename-context OLD NEW`. */
export async function renameContext(f: ConfigSource, io: IOStreams, args: string[]): Promise<void> {
  if (args.length !== 2) throw new HelpError(`Unexpected args: ${goArgs(args)}`)
  const [from, to] = args
  if (!to) throw new Error('You must specify a new non-empty context name')
  const loaded = await f.rawConfig()
  const file = destinationFor(loaded, `contexts/${from}`)
  const ctx = findContext(loaded.config, from)
  if (!ctx) throw new Error(`cannot rename the context "${from}", it's not in ${file}`)
  if (findContext(loaded.config, to))
    throw new Error(`cannot rename the context "${from}", the context "${to}" already exists in ${file}`)
  await editKubeconfigFile(file, (cfg) => {
    const c = findContext(cfg, from) ?? ctx
    cfg.contexts = upsertNamed(cfg.contexts?.filter((x) => x.name !== from) ?? null, {name: to, context: c})
    if (cfg['current-context'] === from) cfg['current-context'] = to
  })
  io.out.write(`Context "${from}" renamed to "${to}".\n`)
}

/** getUsers runs `config get-users`. */
export async function getUsers(f: ConfigSource, io: IOStreams): Promise<void> {
  const cfg = (await f.rawConfig()).config
  const names = (cfg.users ?? []).map((u) => u.name).sort()
  io.out.write('NAME\n' + names.map((n) => n + '\n').join(''))
}

/** deleteCluster runs `config delete-cluster NAME`. */
export async function deleteCluster(f: ConfigSource, io: IOStreams, args: string[], commandPath: string) {
  if (args.length !== 1) throw new UsageError(`Unexpected args: ${goArgs(args)}`, commandPath)
  const name = args[0]
  const loaded = await f.rawConfig()
  const file = destinationFor(loaded, `clusters/${name}`)
  if (!findCluster(loaded.config, name)) throw new Error(`cannot delete cluster ${name}, not in ${file}`)
  await editKubeconfigFile(file, (cfg) => {
    cfg.clusters = cfg.clusters?.filter((c) => c.name !== name) ?? null
  })
  io.out.write(`deleted cluster ${name} from ${file}\n`)
}

/** deleteUser runs `config delete-user NAME`. */
export async function deleteUser(f: ConfigSource, io: IOStreams, args: string[], commandPath: string) {
  if (args.length === 0) throw new UsageError('user to delete is required', commandPath)
  const name = args[0]
  const loaded = await f.rawConfig()
  const file = destinationFor(loaded, `users/${name}`)
  if (!findUser(loaded.config, name)) throw new Error(`cannot delete user ${name}, not in ${file}`)
  await editKubeconfigFile(file, (cfg) => {
    cfg.users = cfg.users?.filter((u) => u.name !== name) ?? null
  })
  io.out.write(`deleted user ${name} from ${file}\n`)
}

type FieldKind = 'string' | 'bool' | 'bytes'
const CLUSTER_FIELDS: Record<string, FieldKind> = {
  server: 'string',
  'tls-server-name': 'string',
  'insecure-skip-tls-verify': 'bool',
  'certificate-authority': 'string',
  'certificate-authority-data': 'bytes',
  'proxy-url': 'string',
  'disable-compression': 'bool',
}
const USER_FIELDS: Record<string, FieldKind> = {
  'client-certificate': 'string',
  'client-certificate-data': 'bytes',
  'client-key': 'string',
  'client-key-data': 'bytes',
  token: 'string',
  tokenFile: 'string',
  as: 'string',
  'as-uid': 'string',
  username: 'string',
  password: 'string',
}
const CONTEXT_FIELDS: Record<string, FieldKind> = {cluster: 'string', user: 'string', namespace: 'string'}

type Section = 'clusters' | 'users' | 'contexts'
const SECTION_TYPE: Record<Section, string> = {
  clusters: 'api.Cluster',
  users: 'api.AuthInfo',
  contexts: 'api.Context',
}
const SECTION_FIELDS: Record<Section, Record<string, FieldKind>> = {
  clusters: CLUSTER_FIELDS,
  users: USER_FIELDS,
  contexts: CONTEXT_FIELDS,
}

/** PropertyPath is a parsed PROPERTY_NAME of `config set|unset`. */
export type PropertyPath =
  | {kind: 'current-context'}
  | {kind: 'colors'}
  | {kind: 'entry'; section: Section; name: string}
  | {kind: 'field'; section: Section; name: string; field: string; type: FieldKind}

/**
 * parsePropertyPath walks PROPERTY_NAME through the kubeconfig's shape as navigation_step_parser.go does: struct
 * fields by their JSON names, map keys for the named lists. Extensions and nested structs (exec, auth-provider) are
 * not navigable in mkctl.
 */
export function parsePropertyPath(name: string): PropertyPath {
  const tokens = name.split('.')
  const fail = (rest: string, after: string[], at: string) =>
    new Error(`unable to parse ${rest} after ${goArgs(after)} at ${at}`)
  const head = tokens[0]
  if (head === 'current-context' && tokens.length === 1) return {kind: 'current-context'}
  if (head === 'preferences' && tokens.length === 2 && tokens[1] === 'colors') return {kind: 'colors'}
  if (head === 'clusters' || head === 'users' || head === 'contexts') {
    if (tokens.length < 2) throw fail(name, [], 'api.Config')
    const entry = tokens[1]
    if (tokens.length === 2) return {kind: 'entry', section: head, name: entry}
    const field = tokens.slice(2).join('.')
    const type = SECTION_FIELDS[head][field]
    if (!type) throw fail(field, [head, entry], SECTION_TYPE[head])
    return {kind: 'field', section: head, name: entry, field, type}
  }
  throw fail(name, [], 'api.Config')
}

function entryList(cfg: KubeConfig, section: Section): {name: string; [k: string]: unknown}[] {
  return ((cfg as unknown as Record<string, unknown>)[section] as {name: string}[] | null) ?? []
}

const ENTRY_KEY: Record<Section, string> = {clusters: 'cluster', users: 'user', contexts: 'context'}

/** SetOptions runs `config set PROPERTY_NAME PROPERTY_VALUE [--set-raw-bytes]`. */
export class SetOptions {
  setRawBytes = false
  constructor(readonly io: IOStreams) {}

  async run(f: ConfigSource, args: string[]): Promise<void> {
    if (args.length !== 2) throw new HelpError(`Unexpected args: ${goArgs(args)}`)
    const [prop, value] = args
    const path = parsePropertyPath(prop)
    const loaded = await f.rawConfig()
    const key = path.kind === 'field' || path.kind === 'entry' ? `${path.section}/${path.name}` : 'current-context'
    await editKubeconfigFile(destinationFor(loaded, key), (cfg) => {
      switch (path.kind) {
        case 'current-context':
          cfg['current-context'] = value
          return
        case 'colors': {
          const b = parseGoBool(value)
          if (b === undefined) throw new Error(`strconv.ParseBool: parsing "${value}": invalid syntax`)
          cfg.preferences = {...cfg.preferences, colors: b}
          return
        }
        case 'entry':
          throw new Error(`unable to locate path ${prop}`)
        case 'field': {
          let v: unknown = value
          if (path.type === 'bool') {
            v = parseGoBool(value)
            if (v === undefined) throw new Error(`strconv.ParseBool: parsing "${value}": invalid syntax`)
          } else if (path.type === 'bytes') {
            v = this.setRawBytes ? Buffer.from(value).toString('base64') : value
          }
          const list = entryList(cfg, path.section)
          const prev = list.find((e) => e.name === path.name)
          const body = {...((prev?.[ENTRY_KEY[path.section]] as object) ?? {})} as Record<string, unknown>
          set(body as object, path.field as never, v)
          const entry = {name: path.name, [ENTRY_KEY[path.section]]: body}
          ;(cfg as unknown as Record<string, unknown>)[path.section] = upsertNamed(list, entry)
        }
      }
    })
    this.io.out.write(`Property "${prop}" set.\n`)
  }
}

/** unsetProperty runs `config unset PROPERTY_NAME`. */
export async function unsetProperty(f: ConfigSource, io: IOStreams, args: string[]): Promise<void> {
  if (args.length !== 1) throw new HelpError(`Unexpected args: ${goArgs(args)}`)
  const prop = args[0]
  const path = parsePropertyPath(prop)
  const loaded = await f.rawConfig()
  const key = path.kind === 'field' || path.kind === 'entry' ? `${path.section}/${path.name}` : 'current-context'
  await editKubeconfigFile(destinationFor(loaded, key), (cfg) => {
    switch (path.kind) {
      case 'current-context':
        cfg['current-context'] = ''
        return
      case 'colors': {
        const p = {...cfg.preferences}
        delete p.colors
        cfg.preferences = p
        return
      }
      case 'entry':
      case 'field': {
        const list = entryList(cfg, path.section)
        const prev = list.find((e) => e.name === path.name)
        if (!prev) throw new Error(`current map key \`${path.name}\` is invalid`)
        const rec = cfg as unknown as Record<string, unknown>
        if (path.kind === 'entry') {
          rec[path.section] = list.filter((e) => e.name !== path.name)
          return
        }
        const body = {...(prev[ENTRY_KEY[path.section]] as object)} as Record<string, unknown>
        delete body[path.field]
        rec[path.section] = upsertNamed(list, {name: path.name, [ENTRY_KEY[path.section]]: body})
      }
    }
  })
  io.out.write(`Property "${prop}" unset.\n`)
}

/** HelpShower is the part of an oclif command withHelpOnError needs. */
export interface HelpShower {
  readonly id: string | undefined
  readonly config: Interfaces.Config
}

/**
 * withHelpOnError runs fn; a HelpError prints the command's help on stdout first, as kubectl's helpErrorf does, and
 * is then reported like any error (`error: <message>`, exit 1).
 */
export async function withHelpOnError(cmd: HelpShower, fn: () => Promise<void>): Promise<void> {
  try {
    await fn()
  } catch (e) {
    if (!(e instanceof HelpError)) throw e
    const help = new Help(cmd.config, {stripAnsi: !process.stdout.isTTY})
    await help.showHelp([...(cmd.id ?? '').split(':')])
    throw new Error(e.message, {cause: e})
  }
}
