// rolebinding.ts is `mkctl create rolebinding` (kubectl/pkg/cmd/create).
import {Flags} from '@oclif/core'
import {GeneratorCommand} from '../../generators/command.js'
import {CreateRoleBindingOptions} from '../../generators/create.js'
import {type CommonFlagValues, createFlags} from '../../generators/options.js'

/** CreateRoleBinding: create a role binding for a particular role or cluster role. */
export default class CreateRoleBinding extends GeneratorCommand {
  static override summary = 'Create a role binding for a particular role or cluster role'
  static override description = 'Create a role binding for a particular role or cluster role.'
  static override examples = [
    '# Create a role binding for user1, user2, and group1 using the admin cluster role\nmkctl create rolebinding admin --clusterrole=admin --user=user1 --user=user2 --group=group1',
    '# Create a role binding for service account monitoring:sa-dev using the admin role\nmkctl create rolebinding admin-binding --role=admin --serviceaccount=monitoring:sa-dev',
  ]
  static override flags = {
    ...createFlags,
    clusterrole: Flags.string({summary: 'ClusterRole this RoleBinding should reference'}),
    role: Flags.string({summary: 'Role this RoleBinding should reference'}),
    user: Flags.string({
      multiple: true,
      summary: 'Usernames to bind to the role. The flag can be repeated to add multiple users.',
    }),
    group: Flags.string({
      multiple: true,
      summary: 'Groups to bind to the role. The flag can be repeated to add multiple groups.',
    }),
    serviceaccount: Flags.string({
      multiple: true,
      summary:
        'Service accounts to bind to the role, in the format <namespace>:<name>. The flag can be repeated to add multiple service accounts.',
    }),
  }

  override get commandPath(): string {
    return 'mkctl create rolebinding'
  }

  async run(): Promise<void> {
    const {flags, args} = await this.parseGenerator<
      CommonFlagValues & {
        clusterrole?: string
        role?: string
        user?: string[]
        group?: string[]
        serviceaccount?: string[]
      }
    >(CreateRoleBinding)
    const o = new CreateRoleBindingOptions(this.io, this.commandPath)
    o.setCommonFlags(flags)
    o.nameFromArgs(args)
    o.clusterRole = flags.clusterrole ?? ''
    o.role = flags.role ?? ''
    o.users = flags.user ?? []
    o.groups = flags.group ?? []
    o.serviceAccounts = flags.serviceaccount ?? []
    await o.complete(this.factory)
    o.validate()
    await o.run()
  }
}
