// help.ts is `mkctl help [command]`: kubectl's help command (cobra's), shown through oclif's help renderer.
// plugin-help cannot be bundled (libraries.md §1), so mkctl has its own.
import {Help} from '@oclif/core'
import {MkctlCommand} from '../base-command.js'

/** HelpCommand prints help about any command. */
export default class HelpCommand extends MkctlCommand {
  static override summary = 'Help about any command'
  static override strict = false

  async run(): Promise<void> {
    const {argv} = await this.parse(HelpCommand)
    const help = new Help(this.config, {stripAnsi: !process.stdout.isTTY})
    await help.showHelp(argv as string[])
  }
}
