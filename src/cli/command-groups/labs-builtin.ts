// labs-builtin.ts lists the commands of one verb group; commands-index.ts merges every group into oclif's table.
import type {Command} from '@oclif/core'
import LabImportKillercoda from '../commands/lab/import/killercoda.js'
import LabList from '../commands/lab/list.js'

/** COMMANDS maps command ids (`:` separators) of this group to their classes. */
export const COMMANDS: Record<string, Command.Class> = {
  'lab:import:killercoda': LabImportKillercoda,
  'lab:list': LabList,
}
