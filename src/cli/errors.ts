// errors.ts classifies every failure of a CLI command once, at the boundary, into the text kubectl prints and the
// exit code it uses. Follows kubectl/pkg/cmd/util/helpers.go (checkErr, StandardErrorMessage, MultilineError) and
// pflag/cobra's parse-error wording for flag problems.
import {StatusError} from '../api/errors.js'

/** DEFAULT_ERROR_EXIT_CODE is kubectl's exit code for every error (cmdutil.DefaultErrorExitCode). */
export const DEFAULT_ERROR_EXIT_CODE = 1

/**
 * UsageError is a usage problem found by an Options' validate(); it prints as `error: <message>`, and, when
 * commandPath is set, kubectl's `See '<path> -h' for help and examples` line (cmdutil.UsageErrorf).
 */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly commandPath?: string,
  ) {
    super(commandPath ? `${message}\nSee '${commandPath} -h' for help and examples` : message)
    this.name = 'UsageError'
  }
}

/** unexpectedArguments is cobra.NoArgs' error for the words a command that takes none was given. */
export function unexpectedArguments(args: readonly string[], commandPath: string): UsageError {
  return new UsageError(`unexpected arguments: [${args.join(' ')}]`, commandPath)
}

/**
 * FlagParseError is a pflag/cobra parse failure (unknown flag, missing value, bad boolean); it prints as
 * `Error: <message>` followed by `See '<path> --help' for usage.`, as cobra's command.go does.
 */
export class FlagParseError extends Error {
  constructor(
    message: string,
    readonly commandPath: string,
  ) {
    super(message)
    this.name = 'FlagParseError'
  }
}

/**
 * RawError prints its message exactly as given (no `error: ` prefix) and exits with code. Commands use it for
 * kubectl texts that are not prefixed, e.g. `Error in configuration: ...`, or with an empty message to exit silently
 * (kubectl's ErrExit).
 */
export class RawError extends Error {
  constructor(
    message: string,
    readonly exitCode = DEFAULT_ERROR_EXIT_CODE,
  ) {
    super(message)
    this.name = 'RawError'
  }
}

/** NoResourceMatchError is a discovery miss: `the server doesn't have a resource type "foos"` (meta.NoResourceMatchError). */
export class NoResourceMatchError extends Error {
  constructor(
    readonly resource: string,
    readonly group = '',
    readonly version = '',
  ) {
    let msg = `the server doesn't have a resource type "${resource}"`
    if (group && version) msg += ` in group "${group}" and version "${version}"`
    else if (group) msg += ` in group "${group}"`
    else if (version) msg += ` in version "${version}"`
    super(msg)
    this.name = 'NoResourceMatchError'
  }
}

/**
 * ConnectionError is a transport failure reaching the API server (client-go's *url.Error): refused connections get
 * kubectl's "was refused - did you specify the right host or port?" text, anything else "Unable to connect".
 */
export class ConnectionError extends Error {
  constructor(
    readonly url: string,
    readonly method: string,
    override readonly cause: Error & {code?: string},
  ) {
    super(`${method} ${url}: ${cause.message}`)
    this.name = 'ConnectionError'
  }
  /** host is host:port of the url, as url.Parse(...).Host gives it. */
  get host(): string {
    try {
      return new URL(this.url).host
    } catch {
      return this.url
    }
  }
  get refused(): boolean {
    return this.cause.code === 'ECONNREFUSED' || /connection refused/.test(this.cause.message)
  }
}

/** AggregateError of several errors is printed one message per line (utilerrors.Aggregate → MultipleErrors). */
export class MultiError extends Error {
  constructor(readonly errors: Error[]) {
    super(errors.map((e) => e.message).join(', '))
    this.name = 'MultiError'
  }
}

/** standardErrorMessage mirrors StandardErrorMessage: Status errors and connection errors; undefined otherwise. */
export function standardErrorMessage(err: unknown): string | undefined {
  if (err instanceof StatusError) {
    const s = err.status
    if (s.reason === 'Unauthorized') return `error: You must be logged in to the server (${s.message ?? ''})`
    if (s.reason) return `Error from server (${s.reason}): ${err.message}`
    return `Error from server: ${err.message}`
  }
  if (err instanceof ConnectionError) {
    if (err.refused)
      return `The connection to the server ${err.host} was refused - did you specify the right host or port?`
    return `Unable to connect to the server: ${err.cause.message}`
  }
  return undefined
}

function messageForError(err: Error): string {
  return standardErrorMessage(err) ?? err.message
}

/** multilineError mirrors MultilineError: one cause inline, several as `* cause` lines after the prefix line. */
export function multilineError(prefix: string, errs: string[]): string {
  if (errs.length === 1) return `${prefix}${errs[0]}\n`
  if (errs.length === 0) return `${prefix}\n`
  return `${prefix}\n` + errs.map((e) => `* ${e}\n`).join('')
}

/** ErrorReport is what checkErr decided: the exact stderr text (ending in a newline, or empty) and the exit code. */
export interface ErrorReport {
  message: string
  exitCode: number
}

/** checkErr classifies err as kubectl's checkErr does and returns the text to print on stderr and the exit code. */
export function checkErr(err: unknown): ErrorReport {
  const done = (msg: string, exitCode = DEFAULT_ERROR_EXIT_CODE): ErrorReport => ({
    message: msg === '' || msg.endsWith('\n') ? msg : msg + '\n',
    exitCode,
  })
  if (err instanceof MultiError && err.errors.length === 1) err = err.errors[0]
  if (err instanceof StatusError && err.reason === 'Invalid') {
    // helpers.go checkErr: without details the server's message is appended; with details, kind and name name the
    // object when either is set, else the request is "the request".
    const d = err.status.details
    if (!d) return done(err.status.message ? `The request is invalid: ${err.status.message}` : 'The request is invalid')
    const s = d.kind || d.name ? `The ${d.kind ?? ''} "${d.name ?? ''}" is invalid` : 'The request is invalid'
    const causes = d.causes ?? []
    if (causes.length === 0) return done(s)
    const seen = new Set<string>()
    for (const c of causes) seen.add(`${c.field ?? ''}: ${c.message ?? ''}`)
    return done(multilineError(s + ': ', [...seen]))
  }
  if (err instanceof RawError) return done(err.message, err.exitCode)
  if (err instanceof FlagParseError) return done(`Error: ${err.message}\nSee '${err.commandPath} --help' for usage.`)
  if (err instanceof MultiError) return done(err.errors.map((e) => messageForError(e) + '\n').join(''))
  const std = standardErrorMessage(err)
  if (std !== undefined) return done(std)
  const msg = err instanceof Error ? err.message : String(err)
  return done(msg.startsWith('error: ') ? msg : `error: ${msg}`)
}

/** oclifLike is the part of an oclif CLIError/parse error that parse-error rewriting reads. */
interface OclifParseLike {
  message: string
  flags?: string[]
  args?: unknown[]
  oclif?: {exit?: number}
}

/** FlagSpec is the little rewriteParseError needs to know about a flag: its long name and shorthand. */
export interface FlagSpec {
  name: string
  char?: string
}

/**
 * rewriteParseError turns an oclif parser error into kubectl's (pflag's) wording, or returns undefined when err is not
 * a parse error. argv is the command's own argv (after the command id); commandPath is `mkctl config view`.
 */
export function rewriteParseError(
  err: unknown,
  argv: string[],
  flags: FlagSpec[],
  commandPath: string,
): Error | undefined {
  if (!(err instanceof Error)) return undefined
  const e = err as Error & OclifParseLike
  const name = e.constructor?.name ?? ''
  if (name === 'NonExistentFlagsError' && e.flags && e.flags.length > 0) {
    return new FlagParseError(unknownFlagMessage(e.flags[0]), commandPath)
  }
  let m = /^Flag --([\w-]+) expects (?:a value|one of these values)/.exec(e.message)
  if (m) {
    const spec = flags.find((f) => f.name === m![1])
    // pflag names the flag the way it was typed: `'n' in -n` for the shorthand, `--namespace` for the long form.
    const typedShort =
      spec?.char &&
      argv.some((a) => a === `-${spec.char}` || (a.startsWith('-') && !a.startsWith('--') && a.endsWith(spec.char!)))
    const typedLong = argv.includes(`--${m[1]}`)
    const msg =
      typedShort && !typedLong
        ? `flag needs an argument: '${spec!.char}' in -${spec!.char}`
        : `flag needs an argument: --${m[1]}`
    return new FlagParseError(msg, commandPath)
  }
  // oclif's integer flag parser; pflag's text names the flag with its shorthand when it has one (flag.go set()).
  m = /^Parsing --([\w-]+)\s*\n\s*Expected an integer but received: (.*)/.exec(e.message)
  if (m) {
    const spec = flags.find((f) => f.name === m![1])
    const flagName = spec?.char ? `-${spec.char}, --${m[1]}` : `--${m[1]}`
    return new FlagParseError(
      `invalid argument "${m[2]}" for "${flagName}" flag: strconv.ParseInt: parsing "${m[2]}": invalid syntax`,
      commandPath,
    )
  }
  m = /^Flag --([\w-]+) can only be specified once/.exec(e.message)
  if (m) return new FlagParseError(`flag --${m[1]} given more than once`, commandPath)
  if (name === 'UnexpectedArgsError') {
    return unexpectedArguments((e.args ?? []).map(String), commandPath)
  }
  if (name === 'RequiredArgsError') return new UsageError('Unexpected args: []', commandPath)
  return undefined
}

/** unknownFlagMessage words an unknown flag token as pflag does. */
export function unknownFlagMessage(token: string): string {
  if (token.startsWith('--')) return `unknown flag: ${token.split('=')[0]}`
  return `unknown shorthand flag: '${token.charAt(1)}' in ${token}`
}
