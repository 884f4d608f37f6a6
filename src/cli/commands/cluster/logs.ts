// logs.ts is `mkctl cluster logs` (minikube logs): the daemon's own log.
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {clusterLogs} from '../../cluster/lifecycle.js'
import {profileFlag} from './flags.js'

/** ClusterLogs prints the cluster daemon's log. */
export default class ClusterLogs extends MkctlCommand {
  static override summary = "Print the cluster daemon's log"
  static override examples = ['mkctl cluster logs --tail 20']
  static override flags = {
    profile: profileFlag,
    tail: Flags.integer({summary: 'Lines of the most recent log to show (default all).'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(ClusterLogs)
    clusterLogs(flags.profile, flags.tail, this.io)
  }
}
