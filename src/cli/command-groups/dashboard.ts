// dashboard.ts lists the dashboard command; commands-index.ts merges every group into oclif's table.
import type {Command} from '@oclif/core'
import ClusterDashboard from '../commands/cluster/dashboard.js'

/** COMMANDS maps command ids (`:` separators) of this group to their classes. */
export const COMMANDS: Record<string, Command.Class> = {
  'cluster:dashboard': ClusterDashboard,
}
