// help.ts is `mkctl help [command]`: kubectl's help command (cobra's), rendered in kubectl's layout by
// help/render.ts. plugin-help cannot be bundled (libraries.md §1), so mkctl has its own.
import {MkctlCommand} from '../base-command.js'
import {HelpRenderer} from '../help/render.js'
import {write} from '../io.js'

/** HelpCommand prints help about any command. */
export default class HelpCommand extends MkctlCommand {
  static override summary = 'Help about any command'
  static override description = `Help provides help for any command in the application.
Simply type mkctl help [path to command] for full details.`
  static override usage = 'help [command]'
  static override strict = false

  async run(): Promise<void> {
    const {argv} = await this.parse(HelpCommand)
    const {COMMANDS} = await import('../commands-index.js')
    const r = new HelpRenderer(COMMANDS)
    const id = (argv as string[]).join(':')
    if (id && !r.has(id)) {
      // cobra: the unknown topic line, then the root usage
      await write(this.io.out, `Unknown help topic [\`${(argv as string[]).join(' ')}\`]\n${r.root()}`)
      return
    }
    await write(this.io.out, r.command(id))
  }
}
