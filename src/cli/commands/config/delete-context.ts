// delete-context.ts is `mkctl config delete-context NAME` (kubectl/pkg/cmd/config/delete_context.go).
import {Args} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {deleteContext} from '../../options/config.js'

/** ConfigDeleteContext removes a context from the kubeconfig. */
export default class ConfigDeleteContext extends MkctlCommand {
  static override summary = 'Delete the specified context from the kubeconfig.'
  static override examples = ['# Delete the context for the minikube cluster\nmkctl config delete-context minikube']
  static override args = {name: Args.string({description: 'NAME'})}

  async run(): Promise<void> {
    const {args} = await this.parse(ConfigDeleteContext)
    await deleteContext(this.factory, this.io, args.name, this.commandPath)
  }
}
