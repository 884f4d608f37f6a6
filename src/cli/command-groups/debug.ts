// debug.ts lists the commands of one verb group; commands-index.ts merges every group into oclif's table.
import type {Command} from '@oclif/core'
import Cp from '../commands/cp.js'
import Debug from '../commands/debug.js'

/** COMMANDS maps command ids (`:` separators) of this group to their classes. */
export const COMMANDS: Record<string, Command.Class> = {cp: Cp, debug: Debug}
