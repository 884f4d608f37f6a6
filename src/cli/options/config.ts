// config.ts holds the Options of `mkctl config ...` (view, current-context, use-context, get-contexts, get-clusters,
// set-context, delete-context), follows kubectl/pkg/cmd/config/*.go. They edit exactly one kubeconfig file, chosen
// as clientcmd's PathOptions does (--kubeconfig, else the KUBECONFIG entry holding the item, else the default).
import {RawError, UsageError, unexpectedArguments} from '../errors.js'
import type {IOStreams} from '../io.js'
import {
  destinationFor,
  findContext,
  minifyConfig,
  shortenConfig,
  toJSONOrder,
  updateKubeconfigFile,
  upsertNamed,
  type Context,
  type LoadedConfig,
} from '../client/kubeconfig.js'
import {JsonPathPrinter} from '../printers/jsonpath.js'
import {toYaml} from '../printers/yaml.js'
import {newGetTabWriter} from '../printers/tabwriter.js'

/** ConfigSource is what config Options need from the Factory. */
export interface ConfigSource {
  rawConfig(): Promise<LoadedConfig>
  readonly flags: {context?: string; kubeconfig?: string}
}

/** goJSON renders v as Go's json.MarshalIndent does for structs (field order kept, HTML characters escaped). */
export function goJSON(v: unknown, indent: string): string {
  return JSON.stringify(v, null, indent)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}

/** ViewOptions runs `config view` (--minify, --raw, --flatten, -o json|yaml). */
export class ViewOptions {
  output = 'yaml'
  minify = false
  raw = false
  flatten = false
  constructor(readonly io: IOStreams) {}

  validate(args: string[], commandPath: string): void {
    if (args.length > 0) throw unexpectedArguments(args, commandPath)
    if (this.output !== 'yaml' && this.output !== 'json' && !this.output.startsWith('jsonpath')) {
      throw new Error(
        `unable to match a printer suitable for the output format "${this.output}", allowed formats are: json,jsonpath,jsonpath-as-json,jsonpath-file,yaml`,
      )
    }
  }

  async run(f: ConfigSource): Promise<void> {
    let cfg = (await f.rawConfig()).config
    if (this.minify) {
      if (f.flags.context) cfg = {...cfg, 'current-context': f.flags.context}
      cfg = minifyConfig(cfg)
    }
    // --flatten inlines file data; mkctl's files already carry data, so it only implies --raw here.
    if (!this.raw && !this.flatten) cfg = shortenConfig(cfg)
    const ordered = toJSONOrder(cfg)
    if (this.output === 'json') this.io.out.write(goJSON(ordered, '    ') + '\n')
    else if (this.output === 'yaml') this.io.out.write(toYaml(ordered))
    else if (this.output.startsWith('jsonpath=')) {
      // config view prints through cli-runtime's JSONPath printer (missing keys allowed), on the typed Config
      new JsonPathPrinter(this.output.slice('jsonpath='.length)).print(ordered, this.io.out)
    } else {
      throw new Error(`output format "${this.output}" is not supported by mkctl config view yet`)
    }
  }
}

/** currentContext runs `config current-context`. */
export async function currentContext(f: ConfigSource, io: IOStreams): Promise<void> {
  const cfg = (await f.rawConfig()).config
  if (!cfg['current-context']) throw new Error('current-context is not set')
  io.out.write(cfg['current-context'] + '\n')
}

/** useContext runs `config use-context NAME`. */
export async function useContext(
  f: ConfigSource,
  io: IOStreams,
  name: string | undefined,
  commandPath: string,
): Promise<void> {
  if (!name) throw new UsageError('Unexpected args: []', commandPath)
  const loaded = await f.rawConfig()
  if (!findContext(loaded.config, name)) throw new Error(`no context exists with the name: "${name}"`)
  await updateKubeconfigFile(destinationFor(loaded, 'current-context'), (cfg) => {
    cfg['current-context'] = name
  })
  io.out.write(`Switched to context "${name}".\n`)
}

/** GetContextsOptions runs `config get-contexts [NAME...]` (-o name, --no-headers). */
export class GetContextsOptions {
  output = ''
  noHeaders = false
  constructor(readonly io: IOStreams) {}

  validate(): void {
    if (this.output !== '' && this.output !== 'name')
      throw new Error(`output must be one of '' or 'name': ${this.output}`)
  }

  async run(f: ConfigSource, names: string[]): Promise<void> {
    const cfg = (await f.rawConfig()).config
    const all = cfg.contexts ?? []
    const selected = names.length === 0 ? all : all.filter((c) => names.includes(c.name))
    const missing = names.filter((n) => !all.some((c) => c.name === n))
    if (this.output === 'name') {
      for (const c of selected) this.io.out.write(c.name + '\n')
    } else {
      const w = newGetTabWriter(this.io.out)
      if (!this.noHeaders) w.write('CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE\n')
      for (const c of selected) {
        const cur = c.name === cfg['current-context'] ? '*' : ''
        w.write(`${cur}\t${c.name}\t${c.context.cluster}\t${c.context.user}\t${c.context.namespace ?? ''}\n`)
      }
      w.flush()
    }
    if (missing.length > 0) throw new Error(missing.map((n) => `context ${n} not found`).join('\nerror: '))
  }
}

/** getClusters runs `config get-clusters`. */
export async function getClusters(f: ConfigSource, io: IOStreams): Promise<void> {
  const cfg = (await f.rawConfig()).config
  io.out.write('NAME\n' + (cfg.clusters ?? []).map((c) => c.name + '\n').join(''))
}

/** SetContextOptions runs `config set-context [NAME | --current] [--cluster] [--user] [--namespace]`. */
export class SetContextOptions {
  current = false
  cluster?: string
  user?: string
  namespace?: string
  constructor(readonly io: IOStreams) {}

  async run(f: ConfigSource, name: string | undefined): Promise<void> {
    const loaded = await f.rawConfig()
    if (this.current && name) throw new Error('you cannot specify both a context name and --current')
    let target = name ?? ''
    if (this.current) {
      target = loaded.config['current-context']
      if (!target) throw new Error('no current context is set')
    }
    if (!target) throw new Error('you must specify a non-empty context name or --current')
    const exists = Boolean(findContext(loaded.config, target))
    await updateKubeconfigFile(destinationFor(loaded, `contexts/${target}`), (cfg) => {
      const prev = findContext(cfg, target)
      const ctx: Context = prev ? {...prev} : {cluster: '', user: ''}
      if (this.cluster !== undefined) ctx.cluster = this.cluster
      if (this.user !== undefined) ctx.user = this.user
      if (this.namespace !== undefined) {
        if (this.namespace) ctx.namespace = this.namespace
        else delete ctx.namespace
      }
      cfg.contexts = upsertNamed(cfg.contexts, {name: target, context: ctx})
    })
    this.io.out.write(`Context "${target}" ${exists ? 'modified' : 'created'}.\n`)
  }
}

/** deleteContext runs `config delete-context NAME`. */
export async function deleteContext(
  f: ConfigSource,
  io: IOStreams,
  name: string | undefined,
  commandPath: string,
): Promise<void> {
  if (!name) throw new UsageError('Unexpected args: []', commandPath)
  const loaded = await f.rawConfig()
  const file = destinationFor(loaded, `contexts/${name}`)
  if (!findContext(loaded.config, name)) throw new Error(`cannot delete context ${name}, not in ${file}`)
  if (loaded.config['current-context'] === name) {
    io.errOut.write(
      'warning: this removed your active context, use "mkctl config use-context" to select a different one\n',
    )
  }
  await updateKubeconfigFile(file, (cfg) => {
    cfg.contexts = cfg.contexts?.filter((c) => c.name !== name) ?? null
  })
  io.out.write(`deleted context ${name} from ${file}\n`)
}

/** unsupported is raised for kubeconfig features mkctl does not implement. */
export function unsupported(what: string): RawError {
  return new RawError(`error: ${what} is not supported by mkctl`)
}
