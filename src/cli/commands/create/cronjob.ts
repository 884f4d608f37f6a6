// cronjob.ts is `mkctl create cronjob` (kubectl/pkg/cmd/create).
import {Flags} from '@oclif/core'
import {GeneratorCommand} from '../../generators/command.js'
import {CreateCronJobOptions} from '../../generators/create.js'
import {type CommonFlagValues, checkRequired, createFlags} from '../../generators/options.js'

/** CreateCronJob: create a cron job with the specified name. */
export default class CreateCronJob extends GeneratorCommand {
  static override summary = 'Create a cron job with the specified name'
  static override description = 'Create a cron job with the specified name.'
  static override examples = [
    '# Create a cron job\nmkctl create cronjob my-job --image=busybox --schedule="*/1 * * * *"',
    '# Create a cron job with a command\nmkctl create cronjob my-job --image=busybox --schedule="*/1 * * * *" -- date',
  ]
  static override flags = {
    ...createFlags,
    image: Flags.string({summary: 'Image name to run.'}),
    schedule: Flags.string({summary: 'A schedule in the Cron format the job should be run with.'}),
    restart: Flags.string({summary: "job's restart policy. supported values: OnFailure, Never"}),
  }

  override get commandPath(): string {
    return 'mkctl create cronjob'
  }

  async run(): Promise<void> {
    const {flags, args, afterDash} = await this.parseGenerator<
      CommonFlagValues & {image?: string; schedule?: string; restart?: string}
    >(CreateCronJob)
    checkRequired(flags, ['image', 'schedule'])
    const o = new CreateCronJobOptions(this.io, this.commandPath)
    o.setCommonFlags(flags)
    o.nameFromArgs(args)
    o.command = [...args.slice(1), ...(afterDash ?? [])]
    o.image = flags.image ?? ''
    o.schedule = flags.schedule ?? ''
    o.restart = flags.restart ?? ''
    await o.complete(this.factory)
    o.validate()
    await o.run()
  }
}
