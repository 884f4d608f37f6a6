// advance.ts is `mkctl cluster time advance DURATION`: move the virtual clock on.
import {Args} from '@oclif/core'
import {MkctlCommand} from '../../../base-command.js'
import {advanceTime} from '../../../cluster/admin.js'
import {profileFlag} from '../flags.js'

/** ClusterTimeAdvance moves the cluster clock on; whatever falls due on the way happens, in order. */
export default class ClusterTimeAdvance extends MkctlCommand {
  static override summary = "Move the cluster's virtual clock forward"
  static override description =
    'Back-offs, CronJob schedules, probe thresholds, deadlines and TTLs fire as if the time had passed.'
  static override examples = ['mkctl cluster time advance 10m', 'mkctl cluster time advance 1h30m -p exam']
  static override args = {duration: Args.string({description: 'DURATION', required: true})}
  static override flags = {profile: profileFlag}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ClusterTimeAdvance)
    await advanceTime(flags.profile, args.duration, this.io)
  }
}
