// priorityclass.ts is `mkctl create priorityclass` (kubectl/pkg/cmd/create).
import {Flags} from '@oclif/core'
import {GeneratorCommand} from '../../generators/command.js'
import {CreatePriorityClassOptions} from '../../generators/create.js'
import {type CommonFlagValues, createFlags} from '../../generators/options.js'

/** CreatePriorityClass: create a priority class with the specified name. */
export default class CreatePriorityClass extends GeneratorCommand {
  static override summary = 'Create a priority class with the specified name'
  static override description = 'Create a priority class with the specified name, value, globalDefault and description.'
  static override examples = [
    '# Create a priority class named high-priority\nmkctl create priorityclass high-priority --value=1000 --description="high priority"',
    '# Create a priority class named default-priority that is considered as the global default priority\nmkctl create priorityclass default-priority --value=1000 --global-default=true --description="default priority"',
    '# Create a priority class named high-priority that cannot preempt pods with lower priority\nmkctl create priorityclass high-priority --value=1000 --description="high priority" --preemption-policy="Never"',
  ]
  static override flags = {
    ...createFlags,
    value: Flags.integer({default: 0, summary: 'the value of this priority class.'}),
    'global-default': Flags.boolean({
      summary: 'global-default specifies whether this PriorityClass should be considered as the default priority.',
    }),
    description: Flags.string({
      summary:
        'description is an arbitrary string that usually provides guidelines on when this priority class should be used.',
    }),
    'preemption-policy': Flags.string({
      default: 'PreemptLowerPriority',
      summary: 'preemption-policy is the policy for preempting pods with lower priority.',
    }),
  }

  override get commandPath(): string {
    return 'mkctl create priorityclass'
  }

  async run(): Promise<void> {
    const {flags, args} = await this.parseGenerator<
      CommonFlagValues & {value: number; 'global-default': boolean; description?: string; 'preemption-policy': string}
    >(CreatePriorityClass)
    const o = new CreatePriorityClassOptions(this.io, this.commandPath)
    o.setCommonFlags(flags)
    o.nameFromArgs(args)
    o.value = flags.value
    o.globalDefault = flags['global-default']
    o.description = flags.description ?? ''
    o.preemptionPolicy = flags['preemption-policy']
    await o.complete(this.factory)
    o.validate()
    await o.run()
  }
}
