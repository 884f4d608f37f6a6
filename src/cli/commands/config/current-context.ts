// current-context.ts is `mkctl config current-context` (kubectl/pkg/cmd/config/current_context.go).
import {MkctlCommand} from '../../base-command.js'
import {currentContext} from '../../options/config.js'

/** ConfigCurrentContext prints the current-context. */
export default class ConfigCurrentContext extends MkctlCommand {
  static override summary = 'Display the current-context.'
  static override examples = ['# Display the current-context\nmkctl config current-context']
  static override strict = false

  async run(): Promise<void> {
    await this.parse(ConfigCurrentContext)
    await currentContext(this.factory, this.io)
  }
}
