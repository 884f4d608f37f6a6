// clusterip.ts is `mkctl create service clusterip` (kubectl/pkg/cmd/create).
import {Flags} from '@oclif/core'
import {GeneratorCommand} from '../../../generators/command.js'
import {CreateServiceOptions} from '../../../generators/create.js'
import {type CommonFlagValues, createFlags} from '../../../generators/options.js'
import {stringSlice as slice} from '../../../generators/flags.js'

/** CreateServiceClusterIP: create a ClusterIP service. */
export default class CreateServiceClusterIP extends GeneratorCommand {
  static override summary = 'Create a ClusterIP service'
  static override description = 'Create a ClusterIP service with the specified name.'
  static override examples = [
    '# Create a new ClusterIP service named my-cs\nmkctl create service clusterip my-cs --tcp=5678:8080',
    '# Create a new ClusterIP service named my-cs (in headless mode)\nmkctl create service clusterip my-cs --clusterip="None"',
  ]
  static override flags = {
    ...createFlags,
    tcp: Flags.string({multiple: true, summary: "Port pairs can be specified as '<port>:<targetPort>'."}),
    clusterip: Flags.string({
      summary: "Assign your own ClusterIP or set to 'None' for a 'headless' service (no loadbalancing).",
    }),
  }

  override get commandPath(): string {
    return 'mkctl create service clusterip'
  }

  async run(): Promise<void> {
    const {flags, args} = await this.parseGenerator<CommonFlagValues & {tcp?: string[]; clusterip?: string}>(
      CreateServiceClusterIP,
    )
    const o = new CreateServiceOptions(this.io, this.commandPath, 'ClusterIP')
    o.setCommonFlags(flags)
    o.nameFromArgs(args)
    o.tcp = slice(flags.tcp)
    o.clusterIP = flags.clusterip ?? ''
    await o.complete(this.factory)
    o.validate()
    await o.run()
  }
}
