// resources.ts is `mkctl set resources` (kubectl/pkg/cmd/set/set_resources.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {SetResourcesOptions} from '../../options/set/resources.js'
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

/** SetResources updates resource requests/limits on objects with pod templates. */
export default class SetResources extends MkctlCommand {
  static override summary = 'Update resource requests/limits on objects with pod templates'
  static override description = `Specify compute resource requirements (CPU, memory) for any resource that defines a pod template.  If a pod is successfully scheduled, it is guaranteed the amount of resource requested, but may burst up to its specified limits.

For each compute resource, if a limit is specified and a request is omitted, the request will default to the limit.

Possible resources include (case insensitive): Use "mkctl api-resources" for a complete list of supported resources..`
  static override examples = [
    '# Set a deployments nginx container cpu limits to "200m" and memory to "512Mi"\nmkctl set resources deployment nginx -c=nginx --limits=cpu=200m,memory=512Mi',
    '# Set the resource request and limits for all containers in nginx\nmkctl set resources deployment nginx --limits=cpu=200m,memory=512Mi --requests=cpu=100m,memory=256Mi',
    '# Remove the resource requests for resources on containers in nginx\nmkctl set resources deployment nginx --limits=cpu=0,memory=0 --requests=cpu=0,memory=0',
    '# Print the result (in yaml format) of updating nginx container limits from a local, without hitting the server\nmkctl set resources -f path/to/file.yaml --limits=cpu=200m,memory=512Mi --local -o yaml',
  ]
  static override usage = 'set resources (-f FILENAME | TYPE NAME)  ([--limits=LIMITS & --requests=REQUESTS]'
  static override strict = false
  static override flags = {
    ...printFlags,
    ...recordFlag,
    ...filenameFlags('identifying the resource to get from a server.'),
    ...allFlag,
    ...selectorFlag,
    containers: Flags.string({
      char: 'c',
      default: '*',
      summary:
        'The names of containers in the selected pod templates to change, all containers are selected by default - may use wildcards',
    }),
    ...localFlag('resources'),
    limits: Flags.string({
      summary:
        "The resource requirement requests for this container.  For example, 'cpu=100m,memory=256Mi'.  Note that server side components may assign requests depending on the server configuration, such as limit ranges.",
    }),
    requests: Flags.string({
      summary:
        "The resource requirement requests for this container.  For example, 'cpu=100m,memory=256Mi'.  Note that server side components may assign requests depending on the server configuration, such as limit ranges.",
    }),
    ...writeFlags,
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(SetResources, noOptDefaults(this.argv, DRY_RUN_DEFAULTS))
    const o = new SetResourcesOptions(this.io)
    o.setFlags(flags)
    o.args = argv as string[]
    o.containerSelector = flags.containers
    o.limits = flags.limits ?? ''
    o.requests = flags.requests ?? ''
    await o.complete(this.factory)
    o.validate()
    await o.run()
  }
}
