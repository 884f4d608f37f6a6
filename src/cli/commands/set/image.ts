// image.ts is `mkctl set image` (kubectl/pkg/cmd/set/set_image.go).
import {MkctlCommand} from '../../base-command.js'
import {SetImageOptions} from '../../options/set/image.js'
import {noOptDefaults} from '../../resource/openapi.js'
import {
  allFlag,
  DRY_RUN_DEFAULTS,
  filenameFlags,
  localFlag,
  printFlags,
  recordFlag,
  selectorFlag,
  writeFlags,
} from './flags.js'

/** SetImage updates the image of a pod template. */
export default class SetImage extends MkctlCommand {
  static override summary = 'Update the image of a pod template'
  static override description = `Update existing container image(s) of resources.

Possible resources include (case insensitive):

  pod (po), replicationcontroller (rc), deployment (deploy), daemonset (ds), statefulset (sts), cronjob (cj), replicaset (rs)`
  static override examples = [
    "# Set a deployment's nginx container image to 'nginx:1.9.1', and its busybox container image to 'busybox'\nmkctl set image deployment/nginx busybox=busybox nginx=nginx:1.9.1",
    "# Update all deployments' and rc's nginx container's image to 'nginx:1.9.1'\nmkctl set image deployments,rc nginx=nginx:1.9.1 --all",
    "# Update image of all containers of daemonset abc to 'nginx:1.9.1'\nmkctl set image daemonset abc *=nginx:1.9.1",
    '# Print result (in yaml format) of updating nginx container image from local file, without hitting the server\nmkctl set image -f path/to/file.yaml nginx=nginx:1.9.1 --local -o yaml',
  ]
  static override usage =
    'set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N'
  static override strict = false
  static override flags = {
    ...printFlags,
    ...recordFlag,
    ...filenameFlags('identifying the resource to get from a server.'),
    ...allFlag,
    ...localFlag('image'),
    ...writeFlags,
    ...selectorFlag,
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(SetImage, noOptDefaults(this.argv, DRY_RUN_DEFAULTS))
    const o = new SetImageOptions(this.io)
    o.setFlags(flags)
    o.args = argv as string[]
    await o.complete(this.factory)
    o.validate()
    await o.run()
  }
}
