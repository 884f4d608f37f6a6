// list.ts is `mkctl cluster addons list` (minikube addons list).
import {MkctlCommand} from '../../../base-command.js'
import {listAddons} from '../../../cluster/addons.js'
import {profileFlag} from '../flags.js'

/** ClusterAddonsList lists the addons and their status. */
export default class ClusterAddonsList extends MkctlCommand {
  static override summary = 'List all available addons and their status'
  static override examples = ['mkctl cluster addons list']
  static override flags = {profile: profileFlag}

  async run(): Promise<void> {
    const {flags} = await this.parse(ClusterAddonsList)
    await listAddons(flags.profile, this.io)
  }
}
