// delete.ts is `mkctl cluster snapshot delete NAME`.
import {Args} from '@oclif/core'
import {MkctlCommand} from '../../../base-command.js'
import {deleteSnapshot} from '../../../cluster/snapshot.js'
import {profileFlag} from '../flags.js'

/** ClusterSnapshotDelete removes a snapshot. */
export default class ClusterSnapshotDelete extends MkctlCommand {
  static override summary = 'Delete a snapshot of a local cluster'
  static override examples = ['mkctl cluster snapshot delete baseline']
  static override args = {name: Args.string({description: 'NAME', required: true})}
  static override flags = {profile: profileFlag}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ClusterSnapshotDelete)
    await deleteSnapshot(flags.profile, args.name, this.io)
  }
}
