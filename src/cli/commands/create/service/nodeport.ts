// nodeport.ts is `mkctl create service nodeport` (kubectl/pkg/cmd/create).
import {Flags} from '@oclif/core'
import {GeneratorCommand} from '../../../generators/command.js'
import {CreateServiceOptions} from '../../../generators/create.js'
import {type CommonFlagValues, createFlags} from '../../../generators/options.js'
import {stringSlice as slice} from '../../../generators/flags.js'

/** CreateServiceNodePort: create a NodePort service. */
export default class CreateServiceNodePort extends GeneratorCommand {
  static override summary = 'Create a NodePort service'
  static override description = 'Create a NodePort service with the specified name.'
  static override examples = [
    '# Create a new NodePort service named my-ns\nmkctl create service nodeport my-ns --tcp=5678:8080',
  ]
  static override flags = {
    ...createFlags,
    'node-port': Flags.integer({default: 0, summary: 'Port used to expose the service on each node in a cluster.'}),
    tcp: Flags.string({multiple: true, summary: "Port pairs can be specified as '<port>:<targetPort>'."}),
  }

  override get commandPath(): string {
    return 'mkctl create service nodeport'
  }

  async run(): Promise<void> {
    const {flags, args} = await this.parseGenerator<CommonFlagValues & {tcp?: string[]; 'node-port': number}>(
      CreateServiceNodePort,
    )
    const o = new CreateServiceOptions(this.io, this.commandPath, 'NodePort')
    o.setCommonFlags(flags)
    o.nameFromArgs(args)
    o.tcp = slice(flags.tcp)
    o.nodePort = flags['node-port']
    await o.complete(this.factory)
    o.validate()
    await o.run()
  }
}
