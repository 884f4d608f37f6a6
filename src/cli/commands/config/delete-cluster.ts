// delete-cluster.ts is `mkctl config delete-cluster` (kubectl/pkg/cmd/config/delete_cluster.go).
import {MkctlCommand} from '../../base-command.js'
import {deleteCluster} from '../../options/config-edit.js'

/** ConfigDeleteCluster deletes a cluster entry from the kubeconfig. */
export default class ConfigDeleteCluster extends MkctlCommand {
  static override summary = 'Delete the specified cluster from the kubeconfig'
  static override examples = ['# Delete the minikube cluster\nmkctl config delete-cluster minikube']
  static override strict = false

  async run(): Promise<void> {
    const {argv} = await this.parse(ConfigDeleteCluster)
    await deleteCluster(this.factory, this.io, argv as string[], this.commandPath)
  }
}
