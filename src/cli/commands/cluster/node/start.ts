// start.ts is `mkctl cluster node start` (minikube node start).
import {Args} from '@oclif/core'
import {MkctlCommand} from '../../../base-command.js'
import {nodeOperation} from '../../../cluster/admin.js'
import {profileFlag} from '../flags.js'

/** ClusterNodeStart: Start a stopped node again. */
export default class ClusterNodeStart extends MkctlCommand {
  static override summary = 'Start a stopped node again'
  static override description =
    'The kubelet reports Ready again; the containers of its pods restart, as after a reboot.'
  static override examples = ['mkctl cluster node start mkctl-m02']
  static override args = {name: Args.string({description: 'NAME', required: true})}
  static override flags = {profile: profileFlag}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ClusterNodeStart)
    await nodeOperation(flags.profile, 'start', args.name, this.io)
  }
}
