// rename-context.ts is `mkctl config rename-context` (kubectl/pkg/cmd/config/rename_context.go).
import {MkctlCommand} from '../../base-command.js'
import {renameContext, withHelpOnError} from '../../options/config-edit.js'

/** ConfigRenameContext renames a context in the kubeconfig file. */
export default class ConfigRenameContext extends MkctlCommand {
  static override summary = 'Rename a context from the kubeconfig file'
  static override examples = [
    "# Rename the context 'old-name' to 'new-name' in your kubeconfig file\nmkctl config rename-context old-name new-name",
  ]
  static override strict = false

  async run(): Promise<void> {
    const {argv} = await this.parse(ConfigRenameContext)
    await withHelpOnError(this, () => renameContext(this.factory, this.io, argv as string[]))
  }
}
