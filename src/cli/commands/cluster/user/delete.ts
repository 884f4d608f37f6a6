// delete.ts is `mkctl cluster user delete NAME`: the token stops working at once, the user's RoleBindings and its
// kubeconfig file go.
import {rmSync} from 'node:fs'
import {Args} from '@oclif/core'
import {MkctlCommand} from '../../../base-command.js'
import {call} from '../../../cluster/admin.js'
import {profileFlag} from '../flags.js'
import {userKubeconfigPath} from './add.js'

/** ClusterUserDelete: Delete a user made by `mkctl cluster user add`. */
export default class ClusterUserDelete extends MkctlCommand {
  static override summary = 'Delete a user of a local cluster'
  static override examples = ['mkctl cluster user delete alice']
  static override args = {name: Args.string({description: 'NAME', required: true})}
  static override flags = {profile: profileFlag}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ClusterUserDelete)
    await call(flags.profile, 'DELETE', `/users/${encodeURIComponent(args.name)}`)
    rmSync(userKubeconfigPath(args.name), {force: true})
    this.io.out.write(`* Deleted user "${args.name}".\n`)
  }
}
