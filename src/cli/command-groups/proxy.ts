// proxy.ts lists the last kubectl verbs mkctl gained (kubectl proxy, apply edit-last-applied, auth reconcile);
// commands-index.ts merges every group into oclif's table.
import type {Command} from '@oclif/core'
import ApplyEditLastApplied from '../commands/apply/edit-last-applied.js'
import AuthReconcile from '../commands/auth/reconcile.js'
import ProxyCommand from '../commands/proxy.js'

/** COMMANDS maps command ids (`:` separators) of this group to their classes. */
export const COMMANDS: Record<string, Command.Class> = {
  proxy: ProxyCommand,
  'apply:edit-last-applied': ApplyEditLastApplied,
  'auth:reconcile': AuthReconcile,
}
