// externalname.ts is `mkctl create service externalname` (kubectl/pkg/cmd/create).
import {Flags} from '@oclif/core'
import {GeneratorCommand} from '../../../generators/command.js'
import {CreateServiceOptions} from '../../../generators/create.js'
import {type CommonFlagValues, checkRequired, createFlags} from '../../../generators/options.js'
import {stringSlice as slice} from '../../../generators/flags.js'

/** CreateServiceExternalName: create an ExternalName service. */
export default class CreateServiceExternalName extends GeneratorCommand {
  static override summary = 'Create an ExternalName service'
  static override description =
    'Create an ExternalName service with the specified name.\n\nExternalName service references to an external DNS address instead of only pods, which will allow application authors to reference services that exist off platform, on other clusters, or locally.'
  static override examples = [
    '# Create a new ExternalName service named my-ns\nmkctl create service externalname my-ns --external-name bar.com',
  ]
  static override flags = {
    ...createFlags,
    tcp: Flags.string({multiple: true, summary: "Port pairs can be specified as '<port>:<targetPort>'."}),
    'external-name': Flags.string({summary: 'External name of service'}),
  }

  override get commandPath(): string {
    return 'mkctl create service externalname'
  }

  async run(): Promise<void> {
    const {flags, args} = await this.parseGenerator<CommonFlagValues & {tcp?: string[]; 'external-name'?: string}>(
      CreateServiceExternalName,
    )
    checkRequired(flags, ['external-name'])
    const o = new CreateServiceOptions(this.io, this.commandPath, 'ExternalName')
    o.setCommonFlags(flags)
    o.nameFromArgs(args)
    o.tcp = slice(flags.tcp)
    o.externalName = flags['external-name'] ?? ''
    await o.complete(this.factory)
    o.validate()
    await o.run()
  }
}
