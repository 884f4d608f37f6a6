// status.ts is `mkctl lab status [-p PROFILE]` (docs/labs.md).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {LabStatusOptions} from '../../options/lab/status.js'

/** LabStatus: show the tasks of the running lab, the points so far and the hints used. */
export default class LabStatus extends MkctlCommand {
  static override summary = 'Show the tasks of the running lab, the points so far and the hints used'
  static override examples = ['mkctl lab status', 'mkctl lab status -p lab-scale-web']
  static override flags = {
    profile: Flags.string({char: 'p', summary: 'The lab profile (default: the current context, else the only lab).'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(LabStatus)
    const o = new LabStatusOptions(this.io, this.commandPath)
    if (flags.profile !== undefined) o.profile = flags.profile
    await o.run()
  }
}
