// base-command.ts holds MkctlCommand, the only subclass of oclif's Command. It declares kubectl's global flags,
// smooths argv where oclif's parser differs from pflag, builds the Factory and IOStreams, and funnels every error
// through checkErr so that stderr and the exit code are kubectl's (the SfCommand pattern of salesforcecli
// sf-plugins-core, with kubectl/pkg/cmd/util/helpers.go wording).
import {Command, type Interfaces} from '@oclif/core'
import {globalFlags} from './options/global.js'
import {normalizeFlags, type FlagShape} from './argv.js'
import {Factory, type GlobalFlagValues} from './client/factory.js'
import {checkErr, FlagParseError, rewriteParseError, type FlagSpec} from './errors.js'
import {systemIOStreams, type IOStreams} from './io.js'
import {startCommandJournal, type CommandJournal} from './lab/recorder.js'

// FlagOutput and ArgOutput restate oclif's parser output types, which its package exports do not expose.
type FlagOutput = {[name: string]: any}
type ArgOutput = {[name: string]: any}

/** globalFlags are kubectl's persistent flags (options/global.ts), shared by every command. */
export {globalFlags}

/** flagShapes lists a command's flags for normalizeFlags and parse-error rewriting. */
export function flagShapes(flags: Record<string, {type: string; char?: string; multiple?: boolean}>): FlagShape[] {
  return Object.entries(flags).map(([name, f]) => ({
    name,
    type: f.type === 'boolean' ? 'boolean' : 'option',
    ...(f.char ? {char: f.char} : {}),
    ...(f.multiple ? {multiple: true} : {}),
  }))
}

/** MkctlCommand is the base of every mkctl command: global flags, Factory, IOStreams, kubectl error output. */
export abstract class MkctlCommand extends Command {
  static override baseFlags = globalFlags

  /** io are the streams the command's Options write to. */
  protected io: IOStreams = systemIOStreams()
  private _factory?: Factory
  private journal?: CommandJournal

  /** init starts journaling the command (it is posted only when it ran against a lab profile). */
  override async init(): Promise<void> {
    await super.init()
    this.journal = startCommandJournal(this.id, this.argv, this.io)
    if (this.journal) this.io = this.journal.io
  }

  /** finally posts the command to its lab profile's journal, with the exit code catch() left. */
  override async finally(err: Error | undefined): Promise<void> {
    // --warnings-as-errors fails a command that succeeded with server warnings (kubectl cmd.go PersistentPostRunE)
    const warned = err ? undefined : this._factory?.warningsError()
    if (warned && !process.exitCode) await new Promise<void>((r) => this.io.errOut.write(warned, () => r()))
    if (warned && !process.exitCode) process.exitCode = 1
    await this.journal?.finish(this._factory, Number(process.exitCode ?? 0))
    return super.finally(err)
  }

  /** factory is built by parse(); Options use it for kubeconfig, REST, discovery and namespace. */
  protected get factory(): Factory {
    if (!this._factory) throw new Error('MkctlCommand: factory used before parse()')
    return this._factory
  }

  /** commandPath is how kubectl names the command in messages: `mkctl config view`. */
  get commandPath(): string {
    return ['mkctl', ...(this.id ?? '').split(':').filter(Boolean)].join(' ')
  }

  private allFlags(): Record<string, {type: string; char?: string; multiple?: boolean}> {
    const ctor = this.ctor as unknown as {flags?: object; baseFlags?: object}
    return {...(ctor.baseFlags ?? {}), ...(ctor.flags ?? {})} as Record<
      string,
      {type: string; char?: string; multiple?: boolean}
    >
  }

  /**
   * parse runs oclif's parser on argv normalized for pflag compatibility (`--bool=false`, repeated flags), then builds
   * the Factory from the global flags.
   */
  protected override async parse<F extends FlagOutput, B extends FlagOutput, A extends ArgOutput>(
    options?: Interfaces.Input<F, B, A>,
    argv: string[] = this.argv,
  ): Promise<Interfaces.ParserOutput<F, B, A>> {
    let norm
    try {
      norm = normalizeFlags(argv, flagShapes(this.allFlags()))
    } catch (e) {
      throw new FlagParseError((e as Error).message, this.commandPath)
    }
    const out = await super.parse<F, B, A>(options, norm.argv)
    Object.assign(out.flags as Record<string, unknown>, norm.booleans)
    const shadowed = Object.keys((this.ctor as {flags?: object}).flags ?? {})
    this._factory = new Factory({
      flags: out.flags as GlobalFlagValues,
      io: this.io,
      commandPath: this.commandPath,
      shadowed,
    })
    return out
  }

  /** catch prints kubectl's error text on stderr and sets exit code 1; oclif's error box never shows. */
  override async catch(err: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<void> {
    // oclif's own exit() (used by --help, --version) is not an error
    if (err.constructor?.name === 'ExitError' && err.oclif?.exit === 0) return
    const specs: FlagSpec[] = flagShapes(this.allFlags()).map((f) => ({
      name: f.name,
      ...(f.char ? {char: f.char} : {}),
    }))
    const rewritten = rewriteParseError(err, this.argv, specs, this.commandPath) ?? err
    const report = checkErr(rewritten)
    if (report.message) await new Promise<void>((resolve) => this.io.errOut.write(report.message, () => resolve()))
    process.exitCode = report.exitCode
  }
}
