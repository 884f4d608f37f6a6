// add.ts is `mkctl cluster node add` (minikube node add).
import {Args} from '@oclif/core'
import {MkctlCommand} from '../../../base-command.js'
import {nodeOperation} from '../../../cluster/admin.js'
import {profileFlag} from '../flags.js'

/** ClusterNodeAdd: Add a node to a local cluster. */
export default class ClusterNodeAdd extends MkctlCommand {
  static override summary = 'Add a node to a local cluster'
  static override description =
    'The new node is named after the profile and its number (mkctl-m02, mkctl-m03, ...), Ready at once.'
  static override examples = ['mkctl cluster node add']
  static override args = {name: Args.string({description: 'NAME'})}
  static override flags = {profile: profileFlag}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ClusterNodeAdd)
    await nodeOperation(flags.profile, 'add', args.name, this.io)
  }
}
