// job.ts is `mkctl create job` (kubectl/pkg/cmd/create).
import {Flags} from '@oclif/core'
import {GeneratorCommand} from '../../generators/command.js'
import {CreateJobOptions} from '../../generators/create.js'
import {type CommonFlagValues, createFlags} from '../../generators/options.js'

/** CreateJob: create a job with the specified name. */
export default class CreateJob extends GeneratorCommand {
  static override summary = 'Create a job with the specified name'
  static override description = 'Create a job with the specified name.'
  static override examples = [
    '# Create a job\nmkctl create job my-job --image=busybox',
    '# Create a job with a command\nmkctl create job my-job --image=busybox -- date',
    '# Create a job from a cron job named "a-cronjob"\nmkctl create job test-job --from=cronjob/a-cronjob',
  ]
  static override flags = {
    ...createFlags,
    image: Flags.string({summary: 'Image name to run.'}),
    from: Flags.string({summary: 'The name of the resource to create a Job from (only cronjob is supported).'}),
  }

  override get commandPath(): string {
    return 'mkctl create job'
  }

  async run(): Promise<void> {
    const {flags, args, afterDash} = await this.parseGenerator<CommonFlagValues & {image?: string; from?: string}>(
      CreateJob,
    )
    const o = new CreateJobOptions(this.io, this.commandPath)
    o.setCommonFlags(flags)
    o.nameFromArgs(args)
    o.command = [...args.slice(1), ...(afterDash ?? [])]
    o.image = flags.image ?? ''
    o.from = flags.from ?? ''
    await o.complete(this.factory)
    o.validate()
    await o.run()
  }
}
