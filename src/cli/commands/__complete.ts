// __complete.ts registers the hidden `mkctl __complete` command of the completion scripts (cobra's
// ShellCompRequestCmd). bundle-entry.ts answers it before oclif starts; this class serves a run through oclif
// (from source, or `mkctl help`-style tooling) with the same code.
import {MkctlCommand} from '../base-command.js'
import {runComplete} from '../help/run-complete.js'

/** Complete prints completion candidates for the words after it (the last one is being typed). */
export default class Complete extends MkctlCommand {
  static override hidden = true
  static override summary = 'Request shell completion choices for the specified command-line'
  static override strict = false

  async run(): Promise<void> {
    const {COMMANDS} = await import('../commands-index.js')
    await runComplete([this.id ?? '__complete', ...this.argv], COMMANDS, this.io)
  }
}

/** CompleteNoDesc is `__completeNoDesc`: the same without descriptions. */
export class CompleteNoDesc extends Complete {
  static override summary = 'Request shell completion choices for the specified command-line, without descriptions'
}
