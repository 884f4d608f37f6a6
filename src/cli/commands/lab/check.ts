// check.ts is `mkctl lab check [-p PROFILE]` (docs/labs.md).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {LabCheckOptions} from '../../options/lab/check.js'

/** LabCheck: grade the running lab now: pass or fail per check, the score and what to do next. */
export default class LabCheck extends MkctlCommand {
  static override summary = 'Grade the running lab now: pass or fail per check, the score and what to do next'
  static override examples = ['mkctl lab check', 'mkctl lab check -p lab-scale-web']
  static override flags = {
    profile: Flags.string({char: 'p', summary: 'The lab profile (default: the current context, else the only lab).'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(LabCheck)
    const o = new LabCheckOptions(this.io, this.commandPath)
    if (flags.profile !== undefined) o.profile = flags.profile
    await o.run()
  }
}
