// delete.ts is `mkctl cluster node delete` (minikube node delete).
import {Args} from '@oclif/core'
import {MkctlCommand} from '../../../base-command.js'
import {nodeOperation} from '../../../cluster/admin.js'
import {profileFlag} from '../flags.js'

/** ClusterNodeDelete: Delete a node from a local cluster. */
export default class ClusterNodeDelete extends MkctlCommand {
  static override summary = 'Delete a node from a local cluster'
  static override description =
    'The Node object is removed; pods bound to it are garbage-collected and recreated elsewhere by their controllers.'
  static override examples = ['mkctl cluster node delete mkctl-m02']
  static override args = {name: Args.string({description: 'NAME', required: true})}
  static override flags = {profile: profileFlag}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ClusterNodeDelete)
    await nodeOperation(flags.profile, 'delete', args.name, this.io)
  }
}
