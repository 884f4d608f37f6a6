// use-context.ts is `mkctl config use-context NAME` (kubectl/pkg/cmd/config/use_context.go).
import {Args} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {useContext} from '../../options/config.js'

/** ConfigUseContext sets the current-context in a kubeconfig file. */
export default class ConfigUseContext extends MkctlCommand {
  static override summary = 'Set the current-context in a kubeconfig file.'
  static override aliases = ['config:use']
  static override examples = ['# Use the context for the mkctl cluster\nmkctl config use-context mkctl']
  static override args = {name: Args.string({description: 'CONTEXT_NAME'})}

  async run(): Promise<void> {
    const {args} = await this.parse(ConfigUseContext)
    await useContext(this.factory, this.io, args.name, this.commandPath)
  }
}
