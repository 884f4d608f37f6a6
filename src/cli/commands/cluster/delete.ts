// delete.ts is `mkctl cluster delete` (minikube delete): stop the cluster and remove all its state.
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {deleteCluster} from '../../cluster/lifecycle.js'
import {profileFlag} from './flags.js'

/** ClusterDelete removes a cluster, its state and its kubeconfig entries. */
export default class ClusterDelete extends MkctlCommand {
  static override summary = 'Delete a local cluster and all its state'
  static override examples = ['mkctl cluster delete', 'mkctl cluster delete --all']
  static override flags = {
    profile: profileFlag,
    all: Flags.boolean({summary: 'Delete every cluster.'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(ClusterDelete)
    await deleteCluster(flags.profile, flags.all, this.io)
  }
}
