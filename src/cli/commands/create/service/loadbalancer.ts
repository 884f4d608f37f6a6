// loadbalancer.ts is `mkctl create service loadbalancer` (kubectl/pkg/cmd/create).
import {Flags} from '@oclif/core'
import {GeneratorCommand} from '../../../generators/command.js'
import {CreateServiceOptions} from '../../../generators/create.js'
import {type CommonFlagValues, createFlags} from '../../../generators/options.js'
import {stringSlice as slice} from '../../../generators/flags.js'

/** CreateServiceLoadBalancer: create a LoadBalancer service. */
export default class CreateServiceLoadBalancer extends GeneratorCommand {
  static override summary = 'Create a LoadBalancer service'
  static override description = 'Create a LoadBalancer service with the specified name.'
  static override examples = [
    '# Create a new LoadBalancer service named my-lbs\nmkctl create service loadbalancer my-lbs --tcp=5678:8080',
  ]
  static override flags = {
    ...createFlags,
    tcp: Flags.string({multiple: true, summary: "Port pairs can be specified as '<port>:<targetPort>'."}),
  }

  override get commandPath(): string {
    return 'mkctl create service loadbalancer'
  }

  async run(): Promise<void> {
    const {flags, args} = await this.parseGenerator<CommonFlagValues & {tcp?: string[]}>(CreateServiceLoadBalancer)
    const o = new CreateServiceOptions(this.io, this.commandPath, 'LoadBalancer')
    o.setCommonFlags(flags)
    o.nameFromArgs(args)
    o.tcp = slice(flags.tcp)
    await o.complete(this.factory)
    o.validate()
    await o.run()
  }
}
