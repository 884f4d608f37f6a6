// users.ts lists the RBAC user commands (cluster user add|list|delete); commands-index.ts merges every group into oclif's table.
import type {Command} from '@oclif/core'

/** COMMANDS maps command ids (`:` separators) of this group to their classes. */
export const COMMANDS: Record<string, Command.Class> = {}
