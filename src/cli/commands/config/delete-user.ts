// delete-user.ts is `mkctl config delete-user` (kubectl/pkg/cmd/config/delete_user.go).
import {MkctlCommand} from '../../base-command.js'
import {deleteUser} from '../../options/config-edit.js'

/** ConfigDeleteUser deletes a user entry from the kubeconfig. */
export default class ConfigDeleteUser extends MkctlCommand {
  static override summary = 'Delete the specified user from the kubeconfig'
  static override examples = ['# Delete the minikube user\nmkctl config delete-user minikube']
  static override strict = false

  async run(): Promise<void> {
    const {argv} = await this.parse(ConfigDeleteUser)
    await deleteUser(this.factory, this.io, argv as string[], this.commandPath)
  }
}
