// completion.ts lists the shell completion, options and kubectl-help commands; commands-index.ts merges every group into oclif's table.
import type {Command} from '@oclif/core'
import Complete, {CompleteNoDesc} from '../commands/__complete.js'
import Completion from '../commands/completion.js'
import Kustomize from '../commands/kustomize.js'
import Options from '../commands/options.js'

/** COMMANDS maps command ids (`:` separators) of this group to their classes. */
export const COMMANDS: Record<string, Command.Class> = {
  completion: Completion,
  options: Options,
  kustomize: Kustomize,
  __complete: Complete,
  __completeNoDesc: CompleteNoDesc,
}
