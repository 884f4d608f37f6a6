// disable.ts is `mkctl cluster addons disable NAME` (minikube addons disable).
import {Args} from '@oclif/core'
import {MkctlCommand} from '../../../base-command.js'
import {disableAddon} from '../../../cluster/addons.js'
import {profileFlag} from '../flags.js'

/** ClusterAddonsDisable turns an addon off. */
export default class ClusterAddonsDisable extends MkctlCommand {
  static override summary = 'Disables an addon on the local cluster'
  static override examples = ['mkctl cluster addons disable ingress']
  static override args = {name: Args.string({required: true, description: 'Name of the addon'})}
  static override flags = {profile: profileFlag}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ClusterAddonsDisable)
    await disableAddon(flags.profile, args.name, this.io)
  }
}
