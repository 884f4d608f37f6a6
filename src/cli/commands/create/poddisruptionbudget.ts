// poddisruptionbudget.ts is `mkctl create poddisruptionbudget` (kubectl/pkg/cmd/create).
import {Flags} from '@oclif/core'
import {GeneratorCommand} from '../../generators/command.js'
import {CreatePodDisruptionBudgetOptions} from '../../generators/create.js'
import {type CommonFlagValues, createFlags} from '../../generators/options.js'

/** CreatePodDisruptionBudget: create a pod disruption budget with the specified name. */
export default class CreatePodDisruptionBudget extends GeneratorCommand {
  static override summary = 'Create a pod disruption budget with the specified name'
  static override description =
    'Create a pod disruption budget with the specified name, selector, and desired minimum available pods.'
  static override examples = [
    '# Create a pod disruption budget named my-pdb that will select all pods with the app=rails label\n# and require at least one of them being available at any point in time\nmkctl create poddisruptionbudget my-pdb --selector=app=rails --min-available=1',
    '# Create a pod disruption budget named my-pdb that will select all pods with the app=nginx label\n# and require at least half of the pods selected to be available at any point in time\nmkctl create pdb my-pdb --selector=app=nginx --min-available=50%',
  ]
  static override flags = {
    ...createFlags,
    'min-available': Flags.string({
      summary: 'The minimum number or percentage of available pods this budget requires.',
    }),
    'max-unavailable': Flags.string({
      summary: 'The maximum number or percentage of unavailable pods this budget requires.',
    }),
    selector: Flags.string({
      summary: 'A label selector to use for this budget. Only equality-based selector requirements are supported.',
    }),
  }

  override get commandPath(): string {
    return 'mkctl create poddisruptionbudget'
  }

  async run(): Promise<void> {
    const {flags, args} = await this.parseGenerator<
      CommonFlagValues & {'min-available'?: string; 'max-unavailable'?: string; selector?: string}
    >(CreatePodDisruptionBudget)
    const o = new CreatePodDisruptionBudgetOptions(this.io, this.commandPath)
    o.setCommonFlags(flags)
    o.nameFromArgs(args)
    o.minAvailable = flags['min-available'] ?? ''
    o.maxUnavailable = flags['max-unavailable'] ?? ''
    o.selector = flags.selector ?? ''
    await o.complete(this.factory)
    o.validate()
    await o.run()
  }
}
