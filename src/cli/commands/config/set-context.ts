// set-context.ts is `mkctl config set-context [NAME | --current]` (kubectl/pkg/cmd/config/create_context.go).
import {Args, Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {SetContextOptions} from '../../options/config.js'

/** ConfigSetContext creates or modifies a context entry. */
export default class ConfigSetContext extends MkctlCommand {
  static override summary = 'Set a context entry in kubeconfig.'
  static override examples = [
    '# Set the user field on the gce context entry without touching other values\nmkctl config set-context gce --user=cluster-admin',
    '# Switch the namespace of the current context\nmkctl config set-context --current --namespace=kube-system',
  ]
  static override args = {name: Args.string({description: 'NAME'})}
  static override flags = {
    current: Flags.boolean({summary: 'Modify the current context'}),
    cluster: Flags.string({summary: 'cluster for the context entry in kubeconfig'}),
    user: Flags.string({summary: 'user for the context entry in kubeconfig'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ConfigSetContext)
    const o = new SetContextOptions(this.io)
    o.current = flags.current
    o.cluster = flags.cluster
    o.user = flags.user
    // --namespace is the global -n flag, as in kubectl, where set-context reads the same flag name.
    o.namespace = flags.namespace
    await o.run(this.factory, args.name)
  }
}
