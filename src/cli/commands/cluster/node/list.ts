// list.ts is `mkctl cluster node list` (minikube node list): name and IP of every node.
import {MkctlCommand} from '../../../base-command.js'
import {listNodes} from '../../../cluster/admin.js'
import {profileFlag} from '../flags.js'

/** ClusterNodeList lists a cluster's nodes. */
export default class ClusterNodeList extends MkctlCommand {
  static override summary = 'List the nodes of a local cluster'
  static override examples = ['mkctl cluster node list']
  static override flags = {profile: profileFlag}

  async run(): Promise<void> {
    const {flags} = await this.parse(ClusterNodeList)
    await listNodes(flags.profile, this.io)
  }
}
