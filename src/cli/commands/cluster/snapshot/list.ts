// list.ts is `mkctl cluster snapshot list`: the profile's snapshots.
import {MkctlCommand} from '../../../base-command.js'
import {listSnapshots} from '../../../cluster/snapshot.js'
import {profileFlag} from '../flags.js'

/** ClusterSnapshotList lists a cluster's snapshots. */
export default class ClusterSnapshotList extends MkctlCommand {
  static override summary = 'List the snapshots of a local cluster'
  static override examples = ['mkctl cluster snapshot list']
  static override flags = {profile: profileFlag}

  async run(): Promise<void> {
    const {flags} = await this.parse(ClusterSnapshotList)
    await listSnapshots(flags.profile, this.io)
  }
}
