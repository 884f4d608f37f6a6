// restore.ts is `mkctl cluster snapshot restore NAME`: the cluster's state becomes the snapshot's.
import {Args} from '@oclif/core'
import {MkctlCommand} from '../../../base-command.js'
import {restoreSnapshot} from '../../../cluster/snapshot.js'
import {profileFlag} from '../flags.js'

/** ClusterSnapshotRestore replaces the cluster's state with a snapshot and restarts the cluster on it. */
export default class ClusterSnapshotRestore extends MkctlCommand {
  static override summary = "Replace a local cluster's state with a snapshot"
  static override description =
    'Everything made since the snapshot is gone. The cluster restarts on the restored state; clients that were watching get "410 Gone" and list again.'
  static override examples = ['mkctl cluster snapshot restore baseline']
  static override args = {name: Args.string({description: 'NAME', required: true})}
  static override flags = {profile: profileFlag}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ClusterSnapshotRestore)
    await restoreSnapshot(flags.profile, args.name, this.io)
  }
}
