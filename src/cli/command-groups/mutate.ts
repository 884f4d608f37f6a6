// mutate.ts lists the commands of one verb group; commands-index.ts merges every group into oclif's table.
import type {Command} from '@oclif/core'
import Annotate from '../commands/annotate.js'
import Autoscale from '../commands/autoscale.js'
import Label from '../commands/label.js'
import Patch from '../commands/patch.js'
import Replace from '../commands/replace.js'
import Scale from '../commands/scale.js'

/** COMMANDS maps command ids (`:` separators) of this group to their classes. */
export const COMMANDS: Record<string, Command.Class> = {
  scale: Scale,
  autoscale: Autoscale,
  patch: Patch,
  replace: Replace,
  label: Label,
  annotate: Annotate,
}
