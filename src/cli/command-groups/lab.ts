// lab.ts lists the commands of one verb group; commands-index.ts merges every group into oclif's table.
import type {Command} from '@oclif/core'
import LabCheck from '../commands/lab/check.js'
import LabExport from '../commands/lab/export.js'
import LabGrade from '../commands/lab/grade.js'
import LabHint from '../commands/lab/hint.js'
import LabReset from '../commands/lab/reset.js'
import LabStart from '../commands/lab/start.js'
import LabStatus from '../commands/lab/status.js'
import LabValidate from '../commands/lab/validate.js'

/** COMMANDS maps command ids (`:` separators) of this group to their classes. */
export const COMMANDS: Record<string, Command.Class> = {
  'lab:check': LabCheck,
  'lab:export': LabExport,
  'lab:grade': LabGrade,
  'lab:hint': LabHint,
  'lab:reset': LabReset,
  'lab:start': LabStart,
  'lab:status': LabStatus,
  'lab:validate': LabValidate,
}
