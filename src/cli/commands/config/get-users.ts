// get-users.ts is `mkctl config get-users` (kubectl/pkg/cmd/config/get_users.go).
import {MkctlCommand} from '../../base-command.js'
import {getUsers} from '../../options/config-edit.js'

/** ConfigGetUsers lists the users defined in the kubeconfig. */
export default class ConfigGetUsers extends MkctlCommand {
  static override summary = 'Display users defined in the kubeconfig'
  static override examples = ['# List the users that kubectl knows about\nmkctl config get-users']
  static override strict = false

  async run(): Promise<void> {
    const {argv} = await this.parse(ConfigGetUsers)
    void argv
    await getUsers(this.factory, this.io)
  }
}
