// get-clusters.ts is `mkctl config get-clusters` (kubectl/pkg/cmd/config/get_clusters.go).
import {MkctlCommand} from '../../base-command.js'
import {getClusters} from '../../options/config.js'

/** ConfigGetClusters lists the clusters of the kubeconfig. */
export default class ConfigGetClusters extends MkctlCommand {
  static override summary = 'Display clusters defined in the kubeconfig.'
  static override examples = ['# List the clusters that mkctl knows about\nmkctl config get-clusters']

  async run(): Promise<void> {
    await this.parse(ConfigGetClusters)
    await getClusters(this.factory, this.io)
  }
}
