// metrics.ts lists the commands of one verb group; commands-index.ts merges every group into oclif's table.
import type {Command} from '@oclif/core'
import TopNode from '../commands/top/node.js'
import TopPod from '../commands/top/pod.js'

/** COMMANDS maps command ids (`:` separators) of this group to their classes. */
export const COMMANDS: Record<string, Command.Class> = {
  'top:node': TopNode,
  'top:pod': TopPod,
}
