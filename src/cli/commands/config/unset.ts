// unset.ts is `mkctl config unset` (kubectl/pkg/cmd/config/unset.go).
import {MkctlCommand} from '../../base-command.js'
import {unsetProperty, withHelpOnError} from '../../options/config-edit.js'

/** ConfigUnset unsets one property of the kubeconfig. */
export default class ConfigUnset extends MkctlCommand {
  static override summary = 'Unset an individual value in a kubeconfig file'
  static override examples = [
    '# Unset the current-context\nmkctl config unset current-context',
    '# Unset namespace in foo context\nmkctl config unset contexts.foo.namespace',
  ]
  static override strict = false

  async run(): Promise<void> {
    const {argv} = await this.parse(ConfigUnset)
    await withHelpOnError(this, () => unsetProperty(this.factory, this.io, argv as string[]))
  }
}
