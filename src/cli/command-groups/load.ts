// load.ts lists `mkctl cluster load`, the simulated load generator (issue 8, part 2).
import type {Command} from '@oclif/core'
import ClusterLoad from '../commands/cluster/load.js'

/** COMMANDS maps command ids (`:` separators) of this group to their classes. */
export const COMMANDS: Record<string, Command.Class> = {
  'cluster:load': ClusterLoad,
}
