// reset.ts is `mkctl lab reset [-p PROFILE]` (docs/labs.md).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {LabResetOptions} from '../../options/lab/reset.js'

/** LabReset: start the running lab over: delete its cluster and start it again with the same seed. */
export default class LabReset extends MkctlCommand {
  static override summary = 'Start the running lab over: delete its cluster and start it again with the same seed'
  static override examples = ['mkctl lab reset', 'mkctl lab reset -p lab-scale-web']
  static override flags = {
    profile: Flags.string({char: 'p', summary: 'The lab profile (default: the current context, else the only lab).'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(LabReset)
    const o = new LabResetOptions(this.io, this.commandPath)
    if (flags.profile !== undefined) o.profile = flags.profile
    await o.run()
  }
}
