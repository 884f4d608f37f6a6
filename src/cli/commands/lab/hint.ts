// hint.ts is `mkctl lab hint [-p PROFILE]` (docs/labs.md).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {LabHintOptions} from '../../options/lab/hint.js'

/** LabHint: show the next hint of the first unfinished task (recorded in the journal). */
export default class LabHint extends MkctlCommand {
  static override summary = 'Show the next hint of the first unfinished task (recorded in the journal)'
  static override examples = ['mkctl lab hint', 'mkctl lab hint -p lab-scale-web']
  static override flags = {
    profile: Flags.string({char: 'p', summary: 'The lab profile (default: the current context, else the only lab).'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(LabHint)
    const o = new LabHintOptions(this.io, this.commandPath)
    if (flags.profile !== undefined) o.profile = flags.profile
    await o.run()
  }
}
