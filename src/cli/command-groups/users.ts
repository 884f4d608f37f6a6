// users.ts lists the RBAC user commands (cluster user add|list|delete); commands-index.ts merges every group into oclif's table.
import type {Command} from '@oclif/core'
import ClusterUserAdd from '../commands/cluster/user/add.js'
import ClusterUserDelete from '../commands/cluster/user/delete.js'
import ClusterUserList from '../commands/cluster/user/list.js'

/** COMMANDS maps command ids (`:` separators) of this group to their classes. */
export const COMMANDS: Record<string, Command.Class> = {
  'cluster:user:add': ClusterUserAdd,
  'cluster:user:list': ClusterUserList,
  'cluster:user:delete': ClusterUserDelete,
}
