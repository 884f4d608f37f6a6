// stop.ts is `mkctl cluster node stop` (minikube node stop).
import {Args} from '@oclif/core'
import {MkctlCommand} from '../../../base-command.js'
import {nodeOperation} from '../../../cluster/admin.js'
import {profileFlag} from '../flags.js'

/** ClusterNodeStop: Stop a node: its kubelet stops reporting, as if the machine were switched off. */
export default class ClusterNodeStop extends MkctlCommand {
  static override summary = 'Stop a node: its kubelet stops reporting, as if the machine were switched off'
  static override description =
    'After 40 s of cluster time the node turns NotReady and is tainted unreachable; its pods are evicted 5 minutes later and their controllers recreate them elsewhere.'
  static override examples = ['mkctl cluster node stop mkctl-m02']
  static override args = {name: Args.string({description: 'NAME', required: true})}
  static override flags = {profile: profileFlag}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ClusterNodeStop)
    await nodeOperation(flags.profile, 'stop', args.name, this.io)
  }
}
