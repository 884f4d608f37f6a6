// rollout.ts lists the commands of one verb group; commands-index.ts merges every group into oclif's table.
import type {Command} from '@oclif/core'
import RolloutHistory from '../commands/rollout/history.js'
import RolloutPause from '../commands/rollout/pause.js'
import RolloutRestart from '../commands/rollout/restart.js'
import RolloutResume from '../commands/rollout/resume.js'
import RolloutStatus from '../commands/rollout/status.js'
import RolloutUndo from '../commands/rollout/undo.js'
import Wait from '../commands/wait.js'
import Cordon from '../commands/cordon.js'
import Uncordon from '../commands/uncordon.js'
import Drain from '../commands/drain.js'
import Taint from '../commands/taint.js'

/** COMMANDS maps command ids (`:` separators) of this group to their classes. */
export const COMMANDS: Record<string, Command.Class> = {
  'rollout:status': RolloutStatus,
  'rollout:history': RolloutHistory,
  'rollout:undo': RolloutUndo,
  'rollout:restart': RolloutRestart,
  'rollout:pause': RolloutPause,
  'rollout:resume': RolloutResume,
  wait: Wait,
  cordon: Cordon,
  uncordon: Uncordon,
  drain: Drain,
  taint: Taint,
}
