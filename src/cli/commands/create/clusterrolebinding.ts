// clusterrolebinding.ts is `mkctl create clusterrolebinding` (kubectl/pkg/cmd/create).
import {Flags} from '@oclif/core'
import {GeneratorCommand} from '../../generators/command.js'
import {CreateClusterRoleBindingOptions} from '../../generators/create.js'
import {type CommonFlagValues, checkRequired, createFlags} from '../../generators/options.js'

/** CreateClusterRoleBinding: create a cluster role binding for a particular cluster role. */
export default class CreateClusterRoleBinding extends GeneratorCommand {
  static override summary = 'Create a cluster role binding for a particular cluster role'
  static override description = 'Create a cluster role binding for a particular cluster role.'
  static override examples = [
    '# Create a cluster role binding for user1, user2, and group1 using the cluster-admin cluster role\nmkctl create clusterrolebinding cluster-admin --clusterrole=cluster-admin --user=user1 --user=user2 --group=group1',
  ]
  static override flags = {
    ...createFlags,
    clusterrole: Flags.string({summary: 'ClusterRole this ClusterRoleBinding should reference'}),
    user: Flags.string({
      multiple: true,
      summary: 'Usernames to bind to the clusterrole. The flag can be repeated to add multiple users.',
    }),
    group: Flags.string({
      multiple: true,
      summary: 'Groups to bind to the clusterrole. The flag can be repeated to add multiple groups.',
    }),
    serviceaccount: Flags.string({
      multiple: true,
      summary:
        'Service accounts to bind to the clusterrole, in the format <namespace>:<name>. The flag can be repeated to add multiple service accounts.',
    }),
  }

  override get commandPath(): string {
    return 'mkctl create clusterrolebinding'
  }

  async run(): Promise<void> {
    const {flags, args} = await this.parseGenerator<
      CommonFlagValues & {clusterrole?: string; user?: string[]; group?: string[]; serviceaccount?: string[]}
    >(CreateClusterRoleBinding)
    checkRequired(flags, ['clusterrole'])
    const o = new CreateClusterRoleBindingOptions(this.io, this.commandPath)
    o.setCommonFlags(flags)
    o.nameFromArgs(args)
    o.clusterRole = flags.clusterrole ?? ''
    o.users = flags.user ?? []
    o.groups = flags.group ?? []
    o.serviceAccounts = flags.serviceaccount ?? []
    await o.complete(this.factory)
    o.validate()
    await o.run()
  }
}
