// status.ts is `mkctl cluster status` (minikube status): exit 0 when running, 7 when stopped.
import {MkctlCommand} from '../../base-command.js'
import {statusCluster} from '../../cluster/lifecycle.js'
import {profileFlag} from './flags.js'

/** ClusterStatus prints the state of a cluster's components. */
export default class ClusterStatus extends MkctlCommand {
  static override summary = 'Show the status of a local cluster'
  static override examples = ['mkctl cluster status']
  static override flags = {profile: profileFlag}

  async run(): Promise<void> {
    const {flags} = await this.parse(ClusterStatus)
    process.exitCode = await statusCluster(flags.profile, this.io)
  }
}
