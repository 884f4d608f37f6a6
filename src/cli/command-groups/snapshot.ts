// snapshot.ts lists the cluster snapshot commands; commands-index.ts merges every group into oclif's table.
import type {Command} from '@oclif/core'
import ClusterSnapshotDelete from '../commands/cluster/snapshot/delete.js'
import ClusterSnapshotList from '../commands/cluster/snapshot/list.js'
import ClusterSnapshotRestore from '../commands/cluster/snapshot/restore.js'
import ClusterSnapshotSave from '../commands/cluster/snapshot/save.js'

/** COMMANDS maps command ids (`:` separators) of this group to their classes. */
export const COMMANDS: Record<string, Command.Class> = {
  'cluster:snapshot:save': ClusterSnapshotSave,
  'cluster:snapshot:restore': ClusterSnapshotRestore,
  'cluster:snapshot:list': ClusterSnapshotList,
  'cluster:snapshot:delete': ClusterSnapshotDelete,
}
