// command.ts is the oclif side shared by the generator commands: argv is split at `--` as cobra's ArgsLenAtDash
// does (what follows is the container command, never parsed as flags), bare `--dry-run`/`--validate` get pflag's
// NoOptDefVal, and the parsed flags and positional arguments come back together.
import type {Command, Interfaces} from '@oclif/core'
import {MkctlCommand} from '../base-command.js'
import {noOptDefaults} from '../resource/openapi.js'
import {NO_OPT_DEFAULTS, splitAtDash} from './options.js'

/** ParsedGenerator is a generator command line: flags, arguments before `--`, and those after it (if any). */
export interface ParsedGenerator<F> {
  flags: F
  args: string[]
  afterDash: string[] | undefined
}

/** GeneratorCommand is the base of create <kind>, run and expose. */
export abstract class GeneratorCommand extends MkctlCommand {
  static override strict = false

  /** parseGenerator parses the part of argv before `--`. */
  protected async parseGenerator<F extends object>(
    cmd: Command.Class,
    extraNoOpt: Record<string, string> = {},
  ): Promise<ParsedGenerator<F>> {
    const {before, after} = splitAtDash(this.argv)
    const argv = noOptDefaults(before, {...NO_OPT_DEFAULTS, ...extraNoOpt})
    // oclif spreads the options object, which drops inherited statics: pass strict explicitly.
    const c = cmd as unknown as {flags?: object; baseFlags?: object; args?: object}
    const input = {flags: c.flags, baseFlags: c.baseFlags, args: c.args ?? {}, strict: false}
    const out = await this.parse(
      input as unknown as Interfaces.Input<F, Record<string, unknown>, Record<string, unknown>>,
      argv,
    )
    return {flags: out.flags as F, args: (out.argv as string[]).map(String), afterDash: after}
  }
}
