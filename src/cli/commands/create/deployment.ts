// deployment.ts is `mkctl create deployment` (kubectl/pkg/cmd/create/create_deployment.go).
import {Flags} from '@oclif/core'
import {GeneratorCommand} from '../../generators/command.js'
import {CreateDeploymentOptions} from '../../generators/create.js'
import {checkRequired, createFlags, type CommonFlagValues} from '../../generators/options.js'

/** CreateDeployment creates a deployment with the specified name. */
export default class CreateDeployment extends GeneratorCommand {
  static override summary = 'Create a deployment with the specified name'
  static override description = 'Create a deployment with the specified name.'
  static override usage = 'create deployment NAME --image=image -- [COMMAND] [args...]'
  static override examples = [
    '# Create a deployment named my-dep that runs the busybox image\nmkctl create deployment my-dep --image=busybox',
    '# Create a deployment with a command\nmkctl create deployment my-dep --image=busybox -- date',
    '# Create a deployment named my-dep that runs the nginx image with 3 replicas\nmkctl create deployment my-dep --image=nginx --replicas=3',
    '# Create a deployment named my-dep that runs the busybox image and expose port 5701\nmkctl create deployment my-dep --image=busybox --port=5701',
    '# Create a deployment named my-dep that runs multiple containers\nmkctl create deployment my-dep --image=busybox:latest --image=ubuntu:latest --image=nginx',
  ]
  static override flags = {
    ...createFlags,
    image: Flags.string({
      multiple: true,
      summary: 'Image names to run. A deployment can have multiple images set for multi-container pod.',
    }),
    port: Flags.integer({default: -1, summary: 'The containerPort that this deployment exposes.'}),
    replicas: Flags.integer({char: 'r', default: 1, summary: 'Number of replicas to create. Default is 1.'}),
  }

  override get commandPath(): string {
    return 'mkctl create deployment'
  }

  async run(): Promise<void> {
    const {flags, args, afterDash} = await this.parseGenerator<
      CommonFlagValues & {image?: string[]; port: number; replicas: number}
    >(CreateDeployment)
    checkRequired(flags, ['image'])
    const o = new CreateDeploymentOptions(this.io, this.commandPath)
    o.setCommonFlags(flags)
    o.nameFromArgs(args)
    o.command = [...args.slice(1), ...(afterDash ?? [])]
    // --image is a StringSlice: each value may hold several comma-separated images
    o.images = (flags.image ?? []).flatMap((v) => v.split(','))
    o.port = flags.port
    o.replicas = flags.replicas
    await o.complete(this.factory)
    o.validate()
    await o.run()
  }
}
