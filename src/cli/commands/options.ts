// options.ts is `mkctl options`: the list of global command-line flags (kubectl/pkg/cmd/options).
import {MkctlCommand} from '../base-command.js'
import {HelpRenderer} from '../help/render.js'
import {write} from '../io.js'

/** Options prints the flags inherited by all commands. */
export default class Options extends MkctlCommand {
  static override summary = 'Print the list of flags inherited by all commands'
  // kubectl takes and ignores stray words here; strict would let oclif read them as a sub-command's name
  static override strict = false
  static override description = 'Print the list of flags inherited by all commands'
  static override usage = 'options'
  static override examples = ['# Print flags inherited by all commands\nmkctl options']

  async run(): Promise<void> {
    await this.parse(Options)
    await write(this.io.out, new HelpRenderer({}).options())
  }
}
