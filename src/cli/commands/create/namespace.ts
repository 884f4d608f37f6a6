// namespace.ts is `mkctl create namespace` (kubectl/pkg/cmd/create).
import {GeneratorCommand} from '../../generators/command.js'
import {CreateNamespaceOptions} from '../../generators/create.js'
import {type CommonFlagValues, createFlags} from '../../generators/options.js'

/** CreateNamespace: create a namespace with the specified name. */
export default class CreateNamespace extends GeneratorCommand {
  static override summary = 'Create a namespace with the specified name'
  static override description = 'Create a namespace with the specified name.'
  static override examples = ['# Create a new namespace named my-namespace\nmkctl create namespace my-namespace']
  static override flags = {
    ...createFlags,
  }

  override get commandPath(): string {
    return 'mkctl create namespace'
  }

  async run(): Promise<void> {
    const {flags, args} = await this.parseGenerator<CommonFlagValues & {}>(CreateNamespace)
    const o = new CreateNamespaceOptions(this.io, this.commandPath)
    o.setCommonFlags(flags)
    o.nameFromArgs(args)
    await o.complete(this.factory)
    o.validate()
    await o.run()
  }
}
