// quota.ts is `mkctl create quota` (kubectl/pkg/cmd/create).
import {Flags} from '@oclif/core'
import {GeneratorCommand} from '../../generators/command.js'
import {CreateQuotaOptions} from '../../generators/create.js'
import {type CommonFlagValues, createFlags} from '../../generators/options.js'

/** CreateQuota: create a quota with the specified name. */
export default class CreateQuota extends GeneratorCommand {
  static override summary = 'Create a quota with the specified name'
  static override description = 'Create a resource quota with the specified name, hard limits, and optional scopes.'
  static override examples = [
    '# Create a new resource quota named my-quota\nmkctl create quota my-quota --hard=cpu=1,memory=1G,pods=2,services=3,replicationcontrollers=2,resourcequotas=1,secrets=5,persistentvolumeclaims=10',
    '# Create a new resource quota named best-effort\nmkctl create quota best-effort --hard=pods=100 --scopes=BestEffort',
  ]
  static override flags = {
    ...createFlags,
    hard: Flags.string({summary: 'A comma-delimited set of resource=quantity pairs that define a hard limit.'}),
    scopes: Flags.string({
      summary: 'A comma-delimited set of quota scopes that must all match each object tracked by the quota.',
    }),
  }

  override get commandPath(): string {
    return 'mkctl create quota'
  }

  async run(): Promise<void> {
    const {flags, args} = await this.parseGenerator<CommonFlagValues & {hard?: string; scopes?: string}>(CreateQuota)
    const o = new CreateQuotaOptions(this.io, this.commandPath)
    o.setCommonFlags(flags)
    o.nameFromArgs(args)
    o.hard = flags.hard ?? ''
    o.scopes = flags.scopes ?? ''
    await o.complete(this.factory)
    o.validate()
    await o.run()
  }
}
