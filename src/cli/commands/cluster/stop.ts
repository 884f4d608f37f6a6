// stop.ts is `mkctl cluster stop` (minikube stop): stop the daemon, keep the state.
import {MkctlCommand} from '../../base-command.js'
import {stopCluster} from '../../cluster/lifecycle.js'
import {profileFlag} from './flags.js'

/** ClusterStop stops a running cluster; `cluster start` resumes it with its state. */
export default class ClusterStop extends MkctlCommand {
  static override summary = 'Stop a running local cluster, keeping its state'
  static override examples = ['mkctl cluster stop', 'mkctl cluster stop -p exam']
  static override flags = {profile: profileFlag}

  async run(): Promise<void> {
    const {flags} = await this.parse(ClusterStop)
    await stopCluster(flags.profile, this.io)
  }
}
