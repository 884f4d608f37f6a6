// role.ts is `mkctl create role` (kubectl/pkg/cmd/create).
import {Flags} from '@oclif/core'
import {GeneratorCommand} from '../../generators/command.js'
import {CreateRoleOptions} from '../../generators/create.js'
import {type CommonFlagValues, createFlags} from '../../generators/options.js'
import {stringSlice as slice} from '../../generators/flags.js'

/** CreateRole: create a role with single rule. */
export default class CreateRole extends GeneratorCommand {
  static override summary = 'Create a role with single rule'
  static override description = 'Create a role with single rule.'
  static override examples = [
    '# Create a role named "pod-reader" that allows user to perform "get", "watch" and "list" on pods\nmkctl create role pod-reader --verb=get --verb=list --verb=watch --resource=pods',
    '# Create a role named "pod-reader" with ResourceName specified\nmkctl create role pod-reader --verb=get --resource=pods --resource-name=readablepod --resource-name=anotherpod',
    '# Create a role named "foo" with API Group specified\nmkctl create role foo --verb=get,list,watch --resource=rs.apps',
    '# Create a role named "foo" with SubResource specified\nmkctl create role foo --verb=get,list,watch --resource=pods,pods/status',
  ]
  static override flags = {
    ...createFlags,
    verb: Flags.string({multiple: true, summary: 'Verb that applies to the resources contained in the rule'}),
    resource: Flags.string({multiple: true, summary: 'Resource that the rule applies to'}),
    'resource-name': Flags.string({
      multiple: true,
      summary: 'Resource in the white list that the rule applies to, repeat this flag for multiple items',
    }),
  }

  override get commandPath(): string {
    return 'mkctl create role'
  }

  async run(): Promise<void> {
    const {flags, args} = await this.parseGenerator<
      CommonFlagValues & {verb?: string[]; resource?: string[]; 'resource-name'?: string[]}
    >(CreateRole)
    const o = new CreateRoleOptions(this.io, this.commandPath)
    o.setCommonFlags(flags)
    o.nameFromArgs(args)
    o.verbs = slice(flags.verb)
    o.resourceArgs = slice(flags.resource)
    o.resourceNames = flags['resource-name'] ?? []
    o.setInputs()
    await o.complete(this.factory)
    await o.validate()
    await o.run()
  }
}
