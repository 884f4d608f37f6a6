// cluster-info.ts is `mkctl cluster-info` (kubectl/pkg/cmd/clusterinfo/clusterinfo.go).
import {MkctlCommand} from '../base-command.js'
import {clusterInfo} from '../options/cluster-info.js'

/** ClusterInfo displays the addresses of the control plane and services labelled kubernetes.io/cluster-service=true. */
export default class ClusterInfo extends MkctlCommand {
  static override summary = 'Display cluster information'
  // kubectl takes and ignores stray words here; strict would let oclif read them as a sub-command's name
  static override strict = false
  static override description =
    "Display addresses of the control plane and services with label kubernetes.io/cluster-service=true. To further debug and diagnose cluster problems, use 'mkctl cluster-info dump'."
  static override examples = ['# Print the address of the control plane and cluster services\nmkctl cluster-info']

  async run(): Promise<void> {
    await this.parse(ClusterInfo)
    const mapper = await this.factory.mapper()
    await clusterInfo(await this.factory.restClient(), this.io, () => mapper.resourceFor('services'))
  }
}
