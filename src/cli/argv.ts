// argv.ts reshapes argv before oclif sees it, so that mkctl accepts what kubectl (cobra + pflag) accepts:
// global flags before the verb (`mkctl -n kube-system get pods`), `-h` for help, `--bool=false`, a repeated flag
// (the last value wins), and cobra's `unknown command "x" for "mkctl"` with its "Did you mean this?" suggestions
// (follows spf13/cobra command.go findSuggestions/SuggestionsFor and args.go legacyArgs).

/** GlobalFlag describes one of kubectl's persistent flags that mkctl honours before the verb. */
export interface GlobalFlag {
  name: string
  char?: string
  /** true when the flag takes a value (pflag string/int/duration), false for a boolean. */
  value: boolean
}

/** GLOBAL_FLAGS are the persistent flags that MkctlCommand declares as baseFlags (options/global.ts globalFlags). */
export const GLOBAL_FLAGS: GlobalFlag[] = [
  {name: 'namespace', char: 'n', value: true},
  {name: 'context', value: true},
  {name: 'kubeconfig', value: true},
  {name: 'server', char: 's', value: true},
  {name: 'token', value: true},
  {name: 'v', char: 'v', value: true},
  {name: 'request-timeout', value: true},
  {name: 'insecure-skip-tls-verify', value: false},
  {name: 'cache-dir', value: true},
  {name: 'as', value: true},
  {name: 'as-group', value: true},
  {name: 'as-uid', value: true},
  {name: 'certificate-authority', value: true},
  {name: 'client-certificate', value: true},
  {name: 'client-key', value: true},
  {name: 'cluster', value: true},
  {name: 'disable-compression', value: false},
  {name: 'log-flush-frequency', value: true},
  {name: 'match-server-version', value: false},
  {name: 'password', value: true},
  {name: 'profile', value: true},
  {name: 'profile-output', value: true},
  {name: 'tls-server-name', value: true},
  {name: 'user', value: true},
  {name: 'username', value: true},
  {name: 'vmodule', value: true},
  {name: 'warnings-as-errors', value: false},
]

/**
 * COMMAND_ORDER is kubectl's registration order of top-level commands (as `kubectl --help` lists them); cobra offers
 * suggestions in this order. mkctl-only commands follow.
 */
export const COMMAND_ORDER = [
  'create', 'expose', 'run', 'set', 'explain', 'get', 'edit', 'delete', 'rollout', 'scale', 'autoscale',
  'certificate', 'cluster-info', 'top', 'cordon', 'uncordon', 'drain', 'taint', 'describe', 'logs', 'attach', 'exec',
  'port-forward', 'proxy', 'cp', 'auth', 'debug', 'events', 'diff', 'apply', 'patch', 'replace', 'wait', 'kustomize',
  'label', 'annotate', 'completion', 'api-resources', 'api-versions', 'config', 'plugin', 'version', 'cluster', 'lab',
] // prettier-ignore

/** PrepassResult is argv rewritten for oclif, plus what the pre-pass found. */
export interface PrepassResult {
  argv: string[]
  /** the command id found (`config:view`), if any. */
  id?: string
  /** the topic found when argv names a topic but no command (`config`), if any. */
  topic?: string
  /** an error to print instead of running anything (unknown command, bad leading flag). */
  error?: {message: string; exitCode: number}
}

function findGlobal(token: string): {flag: GlobalFlag; inline?: string} | undefined {
  if (token.startsWith('--')) {
    const eq = token.indexOf('=')
    const name = eq < 0 ? token.slice(2) : token.slice(2, eq)
    const flag = GLOBAL_FLAGS.find((f) => f.name === name)
    if (!flag) return undefined
    return eq < 0 ? {flag} : {flag, inline: token.slice(eq + 1)}
  }
  if (token.startsWith('-') && token.length >= 2) {
    const flag = GLOBAL_FLAGS.find((f) => f.char === token[1])
    if (!flag) return undefined
    if (token.length === 2) return {flag}
    // pflag: `-nfoo` and `-n=foo` both give "foo" for a shorthand that takes a value.
    if (flag.value) return {flag, inline: token[2] === '=' ? token.slice(3) : token.slice(2)}
    return undefined
  }
  return undefined
}

/**
 * prepass moves kubectl's global flags given before (or between the words of) the command id to just after it,
 * turns `-h` into `--help`, and detects unknown commands. ids are the command ids with `:` separators.
 */
export function prepass(argv: string[], ids: string[]): PrepassResult {
  const idSet = new Set(ids)
  const topics = new Set<string>()
  for (const id of ids) {
    const parts = id.split(':')
    for (let i = 1; i < parts.length; i++) topics.add(parts.slice(0, i).join(':'))
  }
  const moved: string[] = []
  const words: string[] = []
  let i = 0
  for (; i < argv.length; i++) {
    const t = argv[i]
    if (t === '--') break
    if (t.startsWith('-') && t !== '-') {
      const g = findGlobal(t)
      if (!g) {
        if (words.length > 0) break
        if (t === '-h' || t === '--help') break
        return {argv, error: parseErr(unknownFlag(t), 'mkctl')}
      }
      moved.push(t)
      if (g.flag.value && g.inline === undefined) {
        if (i + 1 >= argv.length) {
          const msg = t.startsWith('--') ? `flag needs an argument: ${t}` : `flag needs an argument: '${t[1]}' in ${t}`
          return {argv, error: parseErr(msg, ['mkctl', ...words].join(' '))}
        }
        moved.push(argv[++i])
      }
      continue
    }
    const candidate = [...words, t].join(':')
    if (idSet.has(candidate) || topics.has(candidate)) {
      words.push(t)
      continue
    }
    break
  }
  const rest = argv.slice(i).map((a, j, all) => (a === '-h' && !all.slice(0, j).includes('--') ? '--help' : a))
  const id = words.join(':')
  const out = [...words, ...moved, ...rest]
  if (words.length > 0 && idSet.has(id)) return {argv: out, id}
  const next = rest[0]
  const helpAsked = rest.includes('--help')
  if (words.length > 0) {
    // a topic: `mkctl config` shows its help; `mkctl config vew` is cobra's legacyArgs error for a sub-command.
    if (next !== undefined && !next.startsWith('-') && !helpAsked) {
      const path = ['mkctl', ...words].join(' ')
      // DefaultSubCommandRun's RequireNoArguments names every argument left after the flags, joined by spaces.
      const typed = positionals(rest).join(' ')
      return {
        argv: out,
        topic: id,
        error: {message: `error: unknown command "${typed}"\nSee '${path} -h' for help and examples\n`, exitCode: 1},
      }
    }
    return {argv: out, topic: id}
  }
  if (next !== undefined && !next.startsWith('-')) {
    // kubectl hands an unknown command to its plugin handler, which refuses flags before the plugin name.
    if (moved.length > 0)
      return {
        argv: out,
        error: {message: `Error: flags cannot be placed before plugin name: ${argv[0]}\n`, exitCode: 1},
      }
    const roots = [...new Set(ids.map((x) => x.split(':')[0]))]
    return {argv: out, error: {message: unknownCommandMessage(next, roots), exitCode: 1}}
  }
  return {argv: out}
}

/** positionals drops flags (and the values of global flags given as separate words) up to `--` from argv. */
function positionals(argv: string[]): string[] {
  const takesValue = new Set(
    GLOBAL_FLAGS.filter((f) => f.value).flatMap((f) => [`--${f.name}`, ...(f.char ? [`-${f.char}`] : [])]),
  )
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const t = argv[i]!
    if (t === '--') break
    if (t.startsWith('-')) {
      if (takesValue.has(t)) i++
      continue
    }
    out.push(t)
  }
  return out
}

function parseErr(message: string, path: string): {message: string; exitCode: number} {
  return {message: `Error: ${message}\nSee '${path} --help' for usage.\n`, exitCode: 1}
}

function unknownFlag(token: string): string {
  if (token.startsWith('--')) return `unknown flag: ${token.split('=')[0]}`
  return `unknown shorthand flag: '${token.charAt(1)}' in ${token}`
}

/** unknownCommandMessage is cobra's text for an unknown top-level command, with suggestions when some are close. */
export function unknownCommandMessage(typed: string, roots: string[]): string {
  const s = suggestionsFor(typed, roots)
  let msg = `Error: unknown command "${typed}" for "mkctl"\n`
  if (s.length > 0) msg += `\nDid you mean this?\n${s.map((x) => `\t${x}\n`).join('')}\n`
  return msg
}

/** suggestionsFor follows cobra's SuggestionsFor: Levenshtein distance ≤ 2 or a prefix match, case-insensitive. */
export function suggestionsFor(typed: string, roots: string[]): string[] {
  const lower = typed.toLowerCase()
  const rank = (c: string) => {
    const k = COMMAND_ORDER.indexOf(c)
    return k < 0 ? COMMAND_ORDER.length : k
  }
  const ordered = roots.filter((r) => r !== 'help').sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
  return ordered.filter((c) => levenshtein(lower, c.toLowerCase()) <= 2 || c.toLowerCase().startsWith(lower))
}

/** levenshtein is the edit distance between two strings (cobra's ld with ignoreCase already applied). */
export function levenshtein(a: string, b: string): number {
  let prev = Array.from({length: b.length + 1}, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    prev = cur
  }
  return prev[b.length]
}

/** FlagShape is what normalizeFlags needs to know about one of a command's flags. */
export interface FlagShape {
  name: string
  char?: string
  type: 'boolean' | 'option'
  multiple?: boolean
}

/** NormalizedArgv is a command's argv made palatable to oclif's parser, plus boolean values it set aside. */
export interface NormalizedArgv {
  argv: string[]
  /** booleans given as `--name=true|false` (pflag strconv.ParseBool), to apply after oclif's parse. */
  booleans: Record<string, boolean>
}

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True'])
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False'])

/**
 * normalizeFlags rewrites a command's argv (after the command id) where pflag and oclif disagree: `--bool=value`
 * (oclif would take the value as an argument) and repeated single-value flags (pflag keeps the last one; oclif fails).
 * An invalid boolean throws pflag's `invalid argument` message.
 */
export function normalizeFlags(argv: string[], flags: FlagShape[]): NormalizedArgv {
  const booleans: Record<string, boolean> = {}
  const out: string[] = []
  const lastIndex = new Map<string, {start: number; len: number}>()
  const byLong = new Map(flags.map((f) => [f.name, f]))
  const byChar = new Map(flags.filter((f) => f.char).map((f) => [f.char!, f]))
  for (let i = 0; i < argv.length; i++) {
    const t = argv[i]
    if (t === '--') {
      out.push(...argv.slice(i))
      break
    }
    let flag: FlagShape | undefined
    let inline: string | undefined
    if (t.startsWith('--')) {
      const eq = t.indexOf('=')
      flag = byLong.get(eq < 0 ? t.slice(2) : t.slice(2, eq))
      if (eq >= 0) inline = t.slice(eq + 1)
    } else if (t.startsWith('-') && t.length >= 2) {
      flag = byChar.get(t[1])
      if (flag && t.length > 2) inline = flag.type === 'option' ? t.slice(t[2] === '=' ? 3 : 2) : undefined
      if (flag && flag.type === 'boolean' && t.length > 2) flag = undefined // a shorthand group: leave to oclif
    }
    if (!flag) {
      out.push(t)
      continue
    }
    if (flag.type === 'boolean') {
      if (inline === undefined) {
        out.push(t)
        continue
      }
      if (TRUE.has(inline)) booleans[flag.name] = true
      else if (FALSE.has(inline)) booleans[flag.name] = false
      else {
        const shown = t.startsWith('--') ? `--${flag.name}` : `-${flag.char}, --${flag.name}`
        throw new Error(
          `invalid argument "${inline}" for "${shown}" flag: strconv.ParseBool: parsing "${inline}": invalid syntax`,
        )
      }
      continue
    }
    // an option flag: keep the token and its value together so that a repeat can drop the earlier pair.
    const pair = inline === undefined && i + 1 < argv.length ? [t, argv[++i]] : [t]
    if (!flag.multiple) {
      const prev = lastIndex.get(flag.name)
      if (prev !== undefined) out.fill('\u0000', prev.start, prev.start + prev.len)
      lastIndex.set(flag.name, {start: out.length, len: pair.length})
    }
    out.push(...pair)
  }
  return {argv: out.filter((x) => x !== '\u0000'), booleans}
}

/**
 * KUSTOMIZE_COMMANDS are the kubectl commands (and command groups) that accept -k/--kustomize; mkctl refuses it in
 * the pre-pass with one message for all of them (commands/kustomize.ts explains why).
 */
export const KUSTOMIZE_COMMANDS = [
  'apply', 'create', 'delete', 'describe', 'diff', 'edit', 'get', 'label', 'annotate', 'patch', 'replace', 'scale',
  'autoscale', 'expose', 'run', 'rollout', 'set', 'certificate',
] // prettier-ignore

/** kustomizeDir returns the directory given to -k/--kustomize in a command's argv (before `--`), if any. */
export function kustomizeDir(id: string | undefined, argv: string[]): string | undefined {
  if (!id || !KUSTOMIZE_COMMANDS.includes(id.split(':')[0])) return undefined
  for (let i = 0; i < argv.length; i++) {
    const t = argv[i]
    if (t === '--') return undefined
    if (t === '-k' || t === '--kustomize') return argv[i + 1] ?? ''
    if (t.startsWith('--kustomize=')) return t.slice('--kustomize='.length)
    if (/^-k./.test(t)) return t.slice(t[2] === '=' ? 3 : 2)
  }
  return undefined
}
