// enable.ts is `mkctl cluster addons enable NAME` (minikube addons enable).
import {Args} from '@oclif/core'
import {MkctlCommand} from '../../../base-command.js'
import {enableAddon} from '../../../cluster/addons.js'
import {profileFlag} from '../flags.js'

/** ClusterAddonsEnable turns an addon on. */
export default class ClusterAddonsEnable extends MkctlCommand {
  static override summary = 'Enables an addon on the local cluster'
  static override examples = ['mkctl cluster addons enable ingress']
  static override args = {name: Args.string({required: true, description: 'Name of the addon'})}
  static override flags = {profile: profileFlag}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ClusterAddonsEnable)
    await enableAddon(flags.profile, args.name, this.io)
  }
}
