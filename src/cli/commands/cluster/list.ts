// list.ts is `mkctl cluster list` (minikube profile list).
import {MkctlCommand} from '../../base-command.js'
import {listClusters} from '../../cluster/lifecycle.js'

/** ClusterList lists every local cluster. */
export default class ClusterList extends MkctlCommand {
  static override summary = 'List local clusters'
  static override examples = ['mkctl cluster list']

  async run(): Promise<void> {
    await this.parse(ClusterList)
    await listClusters(this.io)
  }
}
