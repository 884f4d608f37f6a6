// complete.ts answers `mkctl __complete <args> <toComplete>`, the callback of the shell completion scripts. It
// follows cobra's protocol (spf13/cobra completions.go: one candidate per line, `name\tdescription` unless
// __completeNoDesc, then `:<directive>`; the directive's name on stderr) and kubectl's completion functions
// (kubectl/pkg/util/completion/completion.go: resource types from discovery, names from a live list, pods, containers,
// contexts). It never starts the local cluster: without a reachable daemon only the static candidates remain.
import type {Command} from '@oclif/core'
import {GLOBAL_FLAGS} from '../argv.js'

/** DIRECTIVE are cobra's ShellCompDirective bits. */
export const DIRECTIVE = {
  default: 0,
  error: 1,
  noSpace: 2,
  noFileComp: 4,
  filterFileExt: 8,
  filterDirs: 16,
  keepOrder: 32,
} as const

const DIRECTIVE_NAMES: [number, string][] = [
  [DIRECTIVE.error, 'ShellCompDirectiveError'],
  [DIRECTIVE.noSpace, 'ShellCompDirectiveNoSpace'],
  [DIRECTIVE.noFileComp, 'ShellCompDirectiveNoFileComp'],
  [DIRECTIVE.filterFileExt, 'ShellCompDirectiveFilterFileExt'],
  [DIRECTIVE.filterDirs, 'ShellCompDirectiveFilterDirs'],
  [DIRECTIVE.keepOrder, 'ShellCompDirectiveKeepOrder'],
]

/** directiveName is how cobra names a directive in its `Completion ended with directive:` line. */
export function directiveName(d: number): string {
  if (d === 0) return 'ShellCompDirectiveDefault'
  return DIRECTIVE_NAMES.filter(([bit]) => (d & bit) !== 0)
    .map(([, n]) => n)
    .join(', ')
}

/** FlagInfo is what completion needs of one flag. */
export interface FlagInfo {
  name: string
  char?: string
  summary: string
  /** true when the flag takes a value. */
  value: boolean
  multiple: boolean
  required: boolean
  hidden: boolean
}

/** CommandInfo is what completion needs of one command or topic. */
export interface CommandInfo {
  id: string
  summary: string
  hidden: boolean
  /** the command's own flags (not the global ones); empty for a topic without a command. */
  flags: FlagInfo[]
}

/** Live answers questions only a running cluster (or the kubeconfig) can; every method may return [] on failure. */
export interface Live {
  /** resourceTypes lists `plural[.group]` of every resource that supports get, as `api-resources -o name` does. */
  resourceTypes(): Promise<string[]>
  /** names lists the names of objects of a resource type in the namespace. */
  names(type: string, namespace: string | undefined): Promise<string[]>
  /** containers lists the init and regular container names of a pod. */
  containers(pod: string, namespace: string | undefined): Promise<string[]>
  /** contexts, clusters and users list the kubeconfig's entries. */
  contexts(): Promise<string[]>
  clusters(): Promise<string[]>
  users(): Promise<string[]>
}

/** GlobalValues are the values of global flags seen on the command line (they shape live lookups). */
export type GlobalValues = Record<string, string>

/** CompletionResult is the answer of one __complete call. */
export interface CompletionResult {
  candidates: string[]
  directive: number
  /** a cobra-style debug line for stderr (unknown flags), if any. */
  debug?: string
}

/** TOPIC_SUMMARIES are the one-line descriptions of command groups that have no command of their own (kubectl's Short). */
export const TOPIC_SUMMARIES: Record<string, string> = {
  auth: 'Inspect authorization',
  certificate: 'Modify certificate resources',
  config: 'Modify kubeconfig files',
  rollout: 'Manage the rollout of a resource',
  set: 'Set specific features on objects',
  top: 'Display resource (CPU/memory) usage',
  cluster: 'Manage local mkctl clusters (mkctl only)',
  lab: 'Run hands-on labs against the local cluster (mkctl only)',
}

/** flagInfos turns an oclif flag table into FlagInfo entries. */
export function flagInfos(flags: Record<string, unknown> | undefined): FlagInfo[] {
  return Object.entries(flags ?? {}).map(([name, raw]) => {
    const f = raw as {type?: string; char?: string; summary?: string; description?: string; multiple?: boolean}
    const g = raw as {required?: boolean; hidden?: boolean}
    return {
      name,
      ...(f.char ? {char: f.char} : {}),
      summary: f.summary ?? f.description ?? '',
      value: f.type !== 'boolean',
      multiple: Boolean(f.multiple),
      required: Boolean(g.required),
      hidden: Boolean(g.hidden),
    }
  })
}

/** commandTree builds the CommandInfo table (commands and topics) from oclif's explicit command table. */
export function commandTree(commands: Record<string, Command.Class>): Map<string, CommandInfo> {
  const tree = new Map<string, CommandInfo>()
  const add = (id: string, cls: Command.Class) => {
    const c = cls as unknown as {
      summary?: string
      description?: string
      hidden?: boolean
      flags?: Record<string, unknown>
    }
    tree.set(id, {
      id,
      summary: c.summary ?? (c.description ?? '').split('\n')[0],
      hidden: Boolean(c.hidden),
      flags: flagInfos(c.flags),
    })
  }
  for (const [id, cls] of Object.entries(commands)) {
    add(id, cls)
    for (const alias of (cls as {aliases?: string[]}).aliases ?? [])
      if (!tree.has(alias)) tree.set(alias, {...tree.get(id)!, id: alias, hidden: true})
  }
  for (const id of [...tree.keys()]) {
    const parts = id.split(':')
    for (let i = 1; i < parts.length; i++) {
      const topic = parts.slice(0, i).join(':')
      if (!tree.has(topic))
        tree.set(topic, {id: topic, summary: TOPIC_SUMMARIES[topic] ?? '', hidden: false, flags: []})
    }
  }
  return tree
}

/** GLOBAL_FLAG_INFOS are the global flags as completion lists them (summaries from base-command's globalFlags). */
export function globalFlagInfos(summaries: Record<string, string>): FlagInfo[] {
  return GLOBAL_FLAGS.map((g) => ({
    name: g.name,
    ...(g.char ? {char: g.char} : {}),
    summary: summaries[g.name] ?? '',
    value: g.value,
    multiple: false,
    required: false,
    hidden: false,
  }))
}

type ArgsCompleter = (args: string[], toComplete: string, ctx: Ctx) => Promise<CompletionResult>

interface Ctx {
  live: Live
  ns: string | undefined
}

const NO_FILE = DIRECTIVE.noFileComp
const prefixed = (list: string[], p: string) => list.filter((x) => x.startsWith(p))

/** resourceTypeAndName follows kubectl's resourceTypeAndNameCompletionFunc (types, `type name…`, `type/name`). */
function resourceTypeAndName(allowed: string[] | undefined, repeat: boolean): ArgsCompleter {
  return async (args, toComplete, {live, ns}) => {
    let directive: number = NO_FILE
    let out: string[] = []
    if (args.length > 0 && !args[0].includes('/')) {
      if (repeat || args.length === 1) {
        out = await namesOf(live, args[0], ns, toComplete)
        if (args.length > 1) out = out.filter((x) => !args.slice(1).includes(x))
      }
      return {candidates: out, directive}
    }
    const slash = toComplete.indexOf('/')
    if (slash < 0) {
      if (args.length === 0) out = allowed ? prefixed(allowed, toComplete) : await typeList(live, toComplete)
      else if (repeat) {
        directive |= DIRECTIVE.noSpace
        const types = allowed ? prefixed(allowed, toComplete) : await typeList(live, toComplete)
        out = types.map((t) => `${t}/`)
      }
      return {candidates: out, directive}
    }
    if (repeat || args.length === 0) {
      const type = toComplete.slice(0, slash)
      out = (await namesOf(live, type, ns, toComplete.slice(slash + 1))).map((n) => `${type}/${n}`)
      out = out.filter((x) => !args.includes(x))
    }
    return {candidates: out, directive}
  }
}

/** typeList is compGetResourceList: `api-resources -o name` filtered by the last element of a comma list. */
async function typeList(live: Live, toComplete: string): Promise<string[]> {
  const comma = toComplete.lastIndexOf(',')
  const head = comma < 0 ? '' : toComplete.slice(0, comma + 1)
  const tail = comma < 0 ? toComplete : toComplete.slice(comma + 1)
  return prefixed(await live.resourceTypes(), tail).map((t) => head + t)
}

/** namesOf is CompGetResource: names of every type of a comma list, filtered by prefix. */
async function namesOf(live: Live, types: string, ns: string | undefined, toComplete: string): Promise<string[]> {
  const out: string[] = []
  for (const t of types.split(',').filter(Boolean)) out.push(...(await live.names(t, ns)))
  return prefixed(out, toComplete)
}

const POD_HOLDERS = [
  'daemonsets',
  'deployments',
  'pods',
  'jobs',
  'replicasets',
  'replicationcontrollers',
  'services',
  'statefulsets',
]

/** podResource is doPodResourceCompletion: pod names, then `<type>/` for types that hold pods. */
async function podResource(toComplete: string, {live, ns}: Ctx): Promise<CompletionResult> {
  const slash = toComplete.indexOf('/')
  let directive: number = NO_FILE
  if (slash >= 0) {
    const type = toComplete.slice(0, slash)
    const names = await namesOf(live, type, ns, toComplete.slice(slash + 1))
    return {candidates: names.map((n) => `${type}/${n}`), directive}
  }
  const out = await namesOf(live, 'pod', ns, toComplete)
  if (out.length === 0) directive |= DIRECTIVE.noSpace
  out.push(...prefixed(POD_HOLDERS, toComplete).map((t) => `${t}/`))
  return {candidates: out, directive}
}

const firstArgOnly =
  (fn: (toComplete: string, ctx: Ctx) => Promise<CompletionResult>): ArgsCompleter =>
  async (args, toComplete, ctx) =>
    args.length === 0 ? fn(toComplete, ctx) : {candidates: [], directive: NO_FILE}

const namesOfType = (type: string): ArgsCompleter =>
  firstArgOnly(async (toComplete, {live, ns}) => ({
    candidates: await namesOf(live, type, ns, toComplete),
    directive: NO_FILE,
  }))

const kubeconfigEntries = (pick: (live: Live) => Promise<string[]>): ArgsCompleter =>
  firstArgOnly(async (toComplete, {live}) => ({candidates: prefixed(await pick(live), toComplete), directive: NO_FILE}))

const SCALABLE = ['deployment', 'replicaset', 'replicationcontroller', 'statefulset']
const ROLLOUTABLE = ['deployment', 'daemonset', 'statefulset']

/**
 * ARGS maps command ids to kubectl's ValidArgsFunction for them (each kubectl command file registers one; this is the
 * same table in one place, since mkctl's command classes carry no completion metadata).
 */
const ARGS: Record<string, ArgsCompleter> = {
  get: resourceTypeAndName(undefined, true),
  describe: resourceTypeAndName(undefined, true),
  delete: resourceTypeAndName(undefined, true),
  edit: resourceTypeAndName(undefined, true),
  label: resourceTypeAndName(undefined, true),
  annotate: resourceTypeAndName(undefined, true),
  patch: resourceTypeAndName(undefined, true),
  scale: resourceTypeAndName(SCALABLE, true),
  autoscale: resourceTypeAndName(SCALABLE, false),
  expose: resourceTypeAndName(['pod', 'service', 'replicationcontroller', 'deployment', 'replicaset'], false),
  'rollout:history': resourceTypeAndName(ROLLOUTABLE, true),
  'rollout:restart': resourceTypeAndName(ROLLOUTABLE, true),
  'rollout:status': resourceTypeAndName(ROLLOUTABLE, true),
  'rollout:undo': resourceTypeAndName(ROLLOUTABLE, true),
  'rollout:pause': resourceTypeAndName(['deployment'], true),
  'rollout:resume': resourceTypeAndName(['deployment'], true),
  'set:image': resourceTypeAndName(
    ['daemonsets', 'deployments', 'pods', 'cronjobs', 'replicasets', 'replicationcontrollers', 'statefulsets'],
    true,
  ),
  taint: resourceTypeAndName(['node'], true),
  logs: firstArgOnly(podResource),
  exec: firstArgOnly(podResource),
  attach: firstArgOnly(podResource),
  'port-forward': firstArgOnly(podResource),
  cordon: namesOfType('node'),
  uncordon: namesOfType('node'),
  drain: namesOfType('node'),
  'top:pod': namesOfType('pod'),
  'top:node': namesOfType('node'),
  'config:use-context': kubeconfigEntries((l) => l.contexts()),
  'config:delete-context': kubeconfigEntries((l) => l.contexts()),
  'config:rename-context': kubeconfigEntries((l) => l.contexts()),
  'config:delete-cluster': kubeconfigEntries((l) => l.clusters()),
  'config:delete-user': kubeconfigEntries((l) => l.users()),
  'config:set-context': kubeconfigEntries((l) => l.contexts()),
  'config:set-cluster': kubeconfigEntries((l) => l.clusters()),
  'config:set-credentials': kubeconfigEntries((l) => l.users()),
}

/** VALID_ARGS are cobra ValidArgs (static first-argument words). */
const VALID_ARGS: Record<string, string[]> = {completion: ['bash', 'zsh', 'fish', 'powershell']}

/** CONTAINER_FLAG_COMMANDS register ContainerCompletionFunc on -c/--container. */
const CONTAINER_FLAG_COMMANDS = new Set(['exec', 'attach'])

/** outputFormats reads the formats a command's -o accepts from its summary (`One of: (json, yaml, …)`). */
export function outputFormats(summary: string): string[] {
  const m = /One of: \(?([^)]*?)\)?\.?$/m.exec(summary) ?? /One of: \(([^)]*)\)/.exec(summary)
  if (!m) return []
  return m[1]
    .split(/[,|]/)
    .map((s) => s.trim())
    .filter((s) => /^[a-z][a-z-]*$/.test(s))
}

/** Parsed is argv of a __complete call split the way cobra's Find and ParseFlags would. */
interface Parsed {
  path: string
  args: string[]
  changed: Set<string>
  globals: GlobalValues
  /** the flag whose value is being completed, and the value typed so far. */
  flagValue?: {flag: FlagInfo; toComplete: string}
  unknownFlag?: string
}

function lookupFlag(flags: FlagInfo[], token: string): {flag?: FlagInfo; inline?: string} {
  if (token.startsWith('--')) {
    const eq = token.indexOf('=')
    const name = eq < 0 ? token.slice(2) : token.slice(2, eq)
    const flag = flags.find((f) => f.name === name)
    return eq < 0 ? {flag} : {flag, inline: token.slice(eq + 1)}
  }
  const flag = flags.find((f) => f.char === token[1])
  if (!flag) return {}
  if (token.length === 2) return {flag}
  if (flag.value) return {flag, inline: token[2] === '=' ? token.slice(3) : token.slice(2)}
  return {flag}
}

function parse(words: string[], toComplete: string, tree: Map<string, CommandInfo>, globals: FlagInfo[]): Parsed {
  const flagsOf = (p: string) => [...globals, ...(tree.get(p)?.flags ?? [])]
  // first pass (cobra's Find/stripFlags): the command path, skipping flags and the values of known value flags
  let path = ''
  for (let i = 0; i < words.length; i++) {
    const w = words[i]
    if (w === '--') break
    if (w.startsWith('-') && w !== '-') {
      const {flag, inline} = lookupFlag(flagsOf(path), w)
      if (flag?.value && inline === undefined) i++
      continue
    }
    const next = path ? `${path}:${w}` : w
    if (!tree.has(next)) break
    path = next
  }
  // second pass (ParseFlags): flags against the found command, positional arguments after the path
  const depth = path === '' ? 0 : path.split(':').length
  const args: string[] = []
  const changed = new Set<string>()
  const values: GlobalValues = {}
  const flags = flagsOf(path)
  let pathWords = 0
  let pendingFlag: FlagInfo | undefined
  let dashdash = false
  for (const w of words) {
    if (pendingFlag) {
      changed.add(pendingFlag.name)
      values[pendingFlag.name] = w
      pendingFlag = undefined
    } else if (dashdash) args.push(w)
    else if (w === '--') dashdash = true
    else if (w.startsWith('-') && w !== '-') {
      const {flag, inline} = lookupFlag(flags, w)
      if (!flag) return {path, args, changed, globals: values, unknownFlag: w}
      if (flag.value && inline === undefined) pendingFlag = flag
      else {
        changed.add(flag.name)
        values[flag.name] = inline ?? 'true'
      }
    } else if (pathWords < depth) pathWords++
    else args.push(w)
  }
  const parsed: Parsed = {path, args, changed, globals: values}
  if (pendingFlag) parsed.flagValue = {flag: pendingFlag, toComplete}
  else if (!dashdash && toComplete.startsWith('-') && toComplete !== '-') {
    // --flag=value, -n=value and pflag's -nvalue forms
    const {flag, inline} = lookupFlag(flags, toComplete)
    if (flag && flag.value && inline !== undefined) parsed.flagValue = {flag, toComplete: inline}
  }
  return parsed
}

function flagNameCompletions(f: FlagInfo, toComplete: string): string[] {
  const out: string[] = []
  if (`--${f.name}`.startsWith(toComplete)) out.push(`--${f.name}\t${f.summary}`)
  if (f.char && `-${f.char}`.startsWith(toComplete)) out.push(`-${f.char}\t${f.summary}`)
  return out
}

function requiredFlags(cmd: CommandInfo | undefined, changed: Set<string>, toComplete: string): string[] {
  if (!cmd) return []
  return cmd.flags
    .filter((f) => f.required && !f.hidden && !changed.has(f.name))
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((f) => flagNameCompletions(f, toComplete))
}

/** REQUIRED_FLAGS names flags kubectl marks required (cobra MarkFlagRequired) where mkctl's flag is not `required`. */
const REQUIRED_FLAGS: Record<string, string[]> = {
  scale: ['replicas'],
  autoscale: ['max'],
  run: ['image'],
  'create:deployment': ['image'],
}

/** CompleteDeps are what complete() needs besides argv. */
export interface CompleteDeps {
  tree: Map<string, CommandInfo>
  globals: FlagInfo[]
  /** live builds the live lookups once the global flags on the command line are known. */
  live: (globals: GlobalValues) => Live
}

/** complete computes the candidates and directive for args (the words after the binary; the last is being typed). */
export async function complete(argv: string[], deps: CompleteDeps): Promise<CompletionResult> {
  const words = argv.slice(0, -1)
  const toComplete = argv.length > 0 ? argv[argv.length - 1] : ''
  const tree = new Map(deps.tree)
  for (const [id, names] of Object.entries(REQUIRED_FLAGS)) {
    const c = tree.get(id)
    if (c) tree.set(id, {...c, flags: c.flags.map((f) => (names.includes(f.name) ? {...f, required: true} : f))})
  }
  const p = parse(words, toComplete, tree, deps.globals)
  if (p.unknownFlag) {
    return {
      candidates: [],
      directive: DIRECTIVE.default,
      debug: `[Debug] [Error] unknown flag: ${p.unknownFlag.split('=')[0]}`,
    }
  }
  const cmd = tree.get(p.path)
  const live = deps.live(p.globals)
  const ctx: Ctx = {live, ns: p.globals.namespace}

  if (p.flagValue) return completeFlagValue(p, cmd, ctx)

  if (toComplete.startsWith('-') && !toComplete.includes('=')) {
    let out = requiredFlags(cmd, p.changed, toComplete)
    if (out.length === 0) {
      const visit = (list: FlagInfo[]) =>
        [...list]
          .filter((f) => !f.hidden && (!p.changed.has(f.name) || f.multiple))
          .sort((a, b) => (a.name < b.name ? -1 : 1))
          .flatMap((f) => flagNameCompletions(f, toComplete))
      out = p.path === '' ? visit(deps.globals) : [...visit(deps.globals), ...visit(cmd?.flags ?? [])]
    }
    const directive = out.length === 1 && out[0].split('\t')[0].endsWith('=') ? DIRECTIVE.noSpace : NO_FILE
    return {candidates: out, directive}
  }

  const out: string[] = []
  let directive: number = DIRECTIVE.default
  const localChanged = (cmd?.flags ?? []).some((f) => p.changed.has(f.name))
  if (p.args.length === 0 && !localChanged) {
    for (const sub of subcommands(tree, p.path)) {
      if (sub.name.startsWith(toComplete)) out.push(`${sub.name}\t${sub.summary}`)
      directive = NO_FILE
    }
  }
  out.push(...requiredFlags(cmd, p.changed, toComplete))
  const valid = VALID_ARGS[p.path]
  if (valid && p.args.length === 0) {
    out.push(...prefixed(valid, toComplete))
    if (out.length > 0) directive = NO_FILE
  }
  let fn = ARGS[p.path]
  if (p.path === 'help') fn = helpArgs(tree)
  if (fn) {
    const r = await fn(p.args, toComplete, ctx)
    out.push(...r.candidates)
    directive = r.directive
  }
  return {candidates: out, directive}
}

/** subcommands lists the visible direct children of a command path, sorted by name (cobra sorts commands). */
export function subcommands(tree: Map<string, CommandInfo>, path: string): {name: string; summary: string}[] {
  const depth = path === '' ? 1 : path.split(':').length + 1
  const out: {name: string; summary: string}[] = []
  for (const c of tree.values()) {
    const parts = c.id.split(':')
    if (parts.length !== depth || c.hidden) continue
    if (path !== '' && !c.id.startsWith(path + ':')) continue
    out.push({name: parts[parts.length - 1], summary: c.summary})
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

/** helpArgs completes `help <command path>` with sub-command names (cobra's help command). */
function helpArgs(tree: Map<string, CommandInfo>): ArgsCompleter {
  return async (args, toComplete) => {
    const path = args.join(':')
    if (path && !tree.has(path)) return {candidates: [], directive: NO_FILE}
    const subs = subcommands(tree, path).filter((s) => s.name !== 'help' || path !== '')
    return {
      candidates: subs.filter((s) => s.name.startsWith(toComplete)).map((s) => `${s.name}\t${s.summary}`),
      directive: NO_FILE,
    }
  }
}

async function completeFlagValue(p: Parsed, cmd: CommandInfo | undefined, ctx: Ctx): Promise<CompletionResult> {
  const {flag, toComplete} = p.flagValue!
  const {live} = ctx
  switch (flag.name) {
    case 'namespace':
      return {candidates: prefixed(await live.names('namespace', undefined), toComplete), directive: NO_FILE}
    case 'context':
      return {candidates: prefixed(await live.contexts(), toComplete), directive: NO_FILE}
    case 'cluster':
      return {candidates: prefixed(await live.clusters(), toComplete), directive: NO_FILE}
    case 'user':
      return {candidates: prefixed(await live.users(), toComplete), directive: NO_FILE}
    case 'output': {
      const formats = outputFormats(flag.summary)
      if (formats.length > 0) return {candidates: prefixed(formats, toComplete), directive: NO_FILE}
      break
    }
    case 'container':
      if (cmd && CONTAINER_FLAG_COMMANDS.has(cmd.id)) {
        const pod = p.args[0]
        if (!pod || pod.includes('/')) return {candidates: [], directive: NO_FILE}
        return {candidates: prefixed(await live.containers(pod, ctx.ns), toComplete), directive: NO_FILE}
      }
      break
  }
  return {candidates: [], directive: DIRECTIVE.default}
}

/** formatResult renders candidates the way cobra's __complete prints them (descriptions kept to their first line). */
export function formatResult(r: CompletionResult, withDescriptions: boolean): string {
  const lines = r.candidates.map((c) => {
    let line = c.split('\n')[0]
    if (!withDescriptions) line = line.split('\t')[0]
    else if (line.endsWith('\t')) line = line.slice(0, -1)
    return line + '\n'
  })
  return lines.join('') + `:${r.directive}\n`
}
