// render.ts prints help in kubectl's layout (kubectl/pkg/util/templates: templater.go, help_flags_printer.go, and
// kubectl/pkg/cmd/cmd.go's command groups) from the static fields of mkctl's oclif command classes: the root help with
// kubectl's grouped command list plus mkctl's own commands, `<verb> --help` (description, Examples:, Options:,
// Usage:, the `options` footer), topics (Available Commands:) and `mkctl options` (the global flags).
import type {Command} from '@oclif/core'
import {globalFlags} from '../base-command.js'
import {subcommands, TOPIC_SUMMARIES, commandTree} from './complete.js'
import {KUBECTL_USAGE} from './usage.js'

/** COMMAND_GROUPS are kubectl's root help groups, in kubectl's order (cmd.go NewKubectlCommand). */
export const COMMAND_GROUPS: {title: string; names: string[]}[] = [
  {title: 'Basic Commands (Beginner)', names: ['create', 'expose', 'run', 'set']},
  {title: 'Basic Commands (Intermediate)', names: ['explain', 'get', 'edit', 'delete']},
  {title: 'Deploy Commands', names: ['rollout', 'scale', 'autoscale']},
  {
    title: 'Cluster Management Commands',
    names: ['certificate', 'cluster-info', 'top', 'cordon', 'uncordon', 'drain', 'taint'],
  },
  {
    title: 'Troubleshooting and Debugging Commands',
    names: ['describe', 'logs', 'attach', 'exec', 'port-forward', 'proxy', 'cp', 'auth', 'debug', 'events'],
  },
  {title: 'Advanced Commands', names: ['diff', 'apply', 'patch', 'replace', 'wait', 'kustomize']},
  {title: 'Settings Commands', names: ['label', 'annotate', 'completion']},
]

/** OTHER_COMMANDS are kubectl's "Other Commands" (cobra's ungrouped commands, sorted). */
const OTHER_COMMANDS = ['api-resources', 'api-versions', 'config', 'plugin', 'version']

/** HIDDEN_FROM_ROOT are commands cobra leaves out of the root list (help, options) or that are internal. */
const HIDDEN_FROM_ROOT = new Set(['help', 'options'])

/** TOPIC_LONG are the long descriptions of command groups that have no command class. */
const TOPIC_LONG: Record<string, string> = {
  config: `Modify kubeconfig files using subcommands like "mkctl config set current-context my-context".

 The loading order follows these rules:

  1.  If the --kubeconfig flag is set, then only that file is loaded. The flag may only be set once and no merging takes place.
  2.  If $KUBECONFIG environment variable is set, then it is used as a list of paths (normal path delimiting rules for your system). These paths are merged. When a value is modified, it is modified in the file that defines the stanza. When a value is created, it is created in the first file that exists. If no files in the chain exist, then it creates the last file in the list.
  3.  Otherwise, \${MKCTL_HOME}/kubeconfig is used and no merging takes place.`,
  rollout: `Manage the rollout of one or many resources.

 Valid resource types include:

  *  deployments
  *  daemonsets
  *  statefulsets`,
  set: `Configure application resources.

 These commands help you make changes to existing application resources.`,
  top: `Display resource (CPU/memory) usage.

 The top command allows you to see the resource consumption for nodes or pods.

 This command requires Metrics Server to be correctly configured and working on the server.`,
  auth: 'Inspect authorization.',
  certificate: 'Modify certificate resources.',
  cluster:
    "Manage the local simulated clusters (profiles) that mkctl runs. These commands are mkctl's own; kubectl has no equivalent.",
  lab: "Run hands-on labs against a local cluster: start a lab, check and grade your work. These commands are mkctl's own; kubectl has no equivalent.",
}

/** TOPIC_USAGE are kubectl's Use lines of command groups. */
const TOPIC_USAGE: Record<string, string> = {config: 'config SUBCOMMAND'}

const FOOTER = 'Use "mkctl options" for a list of global command-line options (applies to all commands).\n'

type Cls = Command.Class & {
  summary?: string
  description?: string
  usage?: string | string[]
  examples?: (string | {description?: string; command?: string})[]
  flags?: Record<string, unknown>
  hidden?: boolean
}

interface RawFlag {
  type?: string
  char?: string
  summary?: string
  description?: string
  multiple?: boolean
  default?: unknown
  hidden?: boolean
  allowNo?: boolean
  /** helpValue, when set, is printed verbatim as the default (pflag's text where the parsed default differs). */
  helpValue?: string | string[]
}

/** HelpRenderer renders kubectl-style help from the command table. */
export class HelpRenderer {
  private readonly tree
  constructor(
    readonly commands: Record<string, Command.Class>,
    readonly bin = 'mkctl',
  ) {
    this.tree = commandTree(commands)
  }

  /** has tells whether id names a command or a topic. */
  has(id: string): boolean {
    return this.tree.has(id)
  }

  /** root is `mkctl --help`. */
  root(): string {
    const roots = new Set(subcommands(this.tree, '').map((s) => s.name))
    const summary = (name: string) => this.tree.get(name)?.summary ?? ''
    const shown = new Set<string>()
    const blocks: {title: string; names: string[]}[] = []
    for (const g of COMMAND_GROUPS) {
      const names = g.names.filter((n) => roots.has(n))
      names.forEach((n) => shown.add(n))
      blocks.push({title: g.title, names})
    }
    const other = OTHER_COMMANDS.filter((n) => roots.has(n))
    other.forEach((n) => shown.add(n))
    HIDDEN_FROM_ROOT.forEach((n) => shown.add(n))
    const own = [...roots].filter((n) => !shown.has(n)).sort()
    blocks.push({title: 'Other Commands', names: other})
    blocks.push({title: 'mkctl Commands (not in kubectl)', names: own})
    const width = Math.max(...blocks.flatMap((b) => b.names.map((n) => n.length))) + 3
    let s = `${this.bin} controls the Kubernetes cluster manager; here, a local simulated cluster it starts on demand.

 Find more information at: https://kubernetes.io/docs/reference/kubectl/ (mkctl follows kubectl's commands and flags)

`
    for (const b of blocks) {
      if (b.names.length === 0) continue
      s += `${b.title}:\n`
      for (const n of b.names) s += `  ${n.padEnd(width)}${summary(n)}\n`
      s += '\n'
    }
    s += `Usage:\n  ${this.bin} [flags] [options]\n\n`
    s += `Use "${this.bin} <command> --help" for more information about a given command.\n${FOOTER}`
    return s
  }

  /** command renders the help of a command or topic id (`:` separators). */
  command(id: string): string {
    if (id === '') return this.root()
    const cls = this.commands[id] as Cls | undefined
    const words = id.split(':').join(' ')
    const subs = subcommands(this.tree, id)
    let s = ''
    const long = cls?.description ?? TOPIC_LONG[id] ?? (cls?.summary ?? TOPIC_SUMMARIES[id] ?? '').replace(/\.?$/, '.')
    s += `${long.trimEnd()}\n\n`
    const examples = this.examples(cls, words)
    if (examples) s += `Examples:\n${examples}\n\n`
    if (subs.length > 0) {
      // cobra pads names to max(minNamePadding = 11, the longest sibling) and kubectl's template adds 3 spaces;
      // kubectl's short descriptions never end in a period
      const width = Math.max(11, ...subs.map((x) => x.name.length)) + 3
      s += 'Available Commands:\n'
      for (const x of subs) s += `  ${x.name.padEnd(width)}${x.summary.replace(/\.$/, '')}\n`
      s += '\n'
    }
    const local = cls ? this.flagBlock(cls.flags ?? {}) : ''
    if (local) s += `Options:\n${local}`
    s += `Usage:\n  ${this.usageLine(cls, id, words, subs.length > 0, local !== '')}\n\n`
    if (subs.length > 0)
      s += `Use "${this.bin} ${words} <command> --help" for more information about a given command.\n`
    s += FOOTER
    return s
  }

  /** options is `mkctl options`: the global flags. */
  options(): string {
    return `The following options can be passed to any command:\n\n${this.flagBlock(globalFlags)}`
  }

  private usageLine(cls: Cls | undefined, id: string, words: string, hasSubs: boolean, hasFlags: boolean): string {
    const u = KUBECTL_USAGE[id] ?? cls?.usage ?? TOPIC_USAGE[id]
    const first = Array.isArray(u) ? u[0] : u
    // kubectl's templater appends ` [options]` unless the line already has it (templater.go usageLine)
    if (first) {
      const line = `${this.bin} ${first.replace(/<%= config\.bin %>\s*/g, '')}`
      return line.includes('[options]') ? line : `${line} [options]`
    }
    if (hasSubs && !cls) return `${this.bin} ${words} [flags] [options]`
    return `${this.bin} ${words}${hasFlags && hasSubs ? ' [flags]' : ''} [options]`
  }

  private examples(cls: Cls | undefined, words: string): string {
    const list = cls?.examples ?? []
    const texts = list.map((e) => {
      const t =
        typeof e === 'string'
          ? e
          : [e.description ? `# ${e.description}` : '', e.command ?? ''].filter(Boolean).join('\n')
      return t
        .replace(/<%= config\.bin %>/g, this.bin)
        .replace(/<%= command\.id %>/g, words)
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n')
    })
    return texts.join('\n  \n')
  }

  /** flagBlock renders flags as kubectl's flag printer: `    -f, --name=default:` then the usage after a tab. */
  private flagBlock(flags: Record<string, unknown>): string {
    const entries = Object.entries(flags)
      .map(([name, raw]) => [name, raw as RawFlag] as const)
      .filter(([, f]) => !f.hidden)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    let s = ''
    for (const [name, f] of entries) {
      const short = f.char ? `-${f.char}, ` : ''
      s += `    ${short}--${name}=${defaultText(f)}:\n\t${(f.summary ?? f.description ?? '').replace(/\n/g, '\n\t')}\n\n`
    }
    return s
  }
}

/** defaultText renders a flag's default the way pflag's help does: false/true, 0, 0s, '' quoted strings, []. */
export function defaultText(f: {type?: string; default?: unknown; multiple?: boolean; helpValue?: unknown}): string {
  if (typeof f.helpValue === 'string') return f.helpValue
  if (f.type === 'boolean') return f.default === true ? 'true' : 'false'
  const d = typeof f.default === 'function' ? undefined : f.default
  if (f.multiple) return Array.isArray(d) && d.length > 0 ? `[${d.join(',')}]` : '[]'
  if (d === undefined || d === null) return "''"
  if (typeof d === 'number') return String(d)
  const text = String(d)
  // numbers and Go durations are not quoted by pflag (int, duration flags)
  if (/^-?\d+(\.\d+)?$/.test(text) || /^(\d+(\.\d+)?(ns|us|\u00b5s|ms|s|m|h))+$/.test(text)) return text
  return `'${text}'`
}
