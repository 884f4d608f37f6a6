// index.ts is `mkctl cluster time`: the cluster's virtual clock.
import {MkctlCommand} from '../../../base-command.js'
import {showTime} from '../../../cluster/admin.js'
import {profileFlag} from '../flags.js'

/** ClusterTime prints the cluster clock (RFC 3339). */
export default class ClusterTime extends MkctlCommand {
  static override summary = "Show the cluster's virtual clock"
  static override description =
    'Everything in the cluster (ages, back-offs, CronJobs, probes, TTLs) runs on this clock. "mkctl cluster time advance" moves it on.'
  static override examples = ['mkctl cluster time']
  static override flags = {profile: profileFlag}

  async run(): Promise<void> {
    const {flags} = await this.parse(ClusterTime)
    await showTime(flags.profile, this.io)
  }
}
