// serviceaccount.ts is `mkctl create serviceaccount` (kubectl/pkg/cmd/create).
import {GeneratorCommand} from '../../generators/command.js'
import {CreateServiceAccountOptions} from '../../generators/create.js'
import {type CommonFlagValues, createFlags} from '../../generators/options.js'

/** CreateServiceAccount: create a service account with the specified name. */
export default class CreateServiceAccount extends GeneratorCommand {
  static override summary = 'Create a service account with the specified name'
  static override description = 'Create a service account with the specified name.'
  static override examples = [
    '# Create a new service account named my-service-account\nmkctl create serviceaccount my-service-account',
  ]
  static override flags = {
    ...createFlags,
  }

  override get commandPath(): string {
    return 'mkctl create serviceaccount'
  }

  async run(): Promise<void> {
    const {flags, args} = await this.parseGenerator<CommonFlagValues & {}>(CreateServiceAccount)
    const o = new CreateServiceAccountOptions(this.io, this.commandPath)
    o.setCommonFlags(flags)
    o.nameFromArgs(args)
    await o.complete(this.factory)
    o.validate()
    await o.run()
  }
}
