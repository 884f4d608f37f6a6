// lab.ts lists the commands of one verb group; commands-index.ts merges every group into oclif's table.
import type {Command} from '@oclif/core'
import LabGrade from '../commands/lab/grade.js'
import LabValidate from '../commands/lab/validate.js'

/** COMMANDS maps command ids (`:` separators) of this group to their classes. */
export const COMMANDS: Record<string, Command.Class> = {
  'lab:grade': LabGrade,
  'lab:validate': LabValidate,
}
