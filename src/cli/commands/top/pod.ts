// pod.ts is `mkctl top pod` (kubectl/pkg/cmd/top/top_pod.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {TopPodOptions} from '../../options/top.js'

/** TopPod displays resource (CPU/memory) usage of pods. */
export default class TopPod extends MkctlCommand {
  static override summary = 'Display resource (CPU/memory) usage of pods'
  static override description =
    "Display resource (CPU/memory) usage of pods.\n\nThe 'top pod' command allows you to see the resource consumption of pods.\n\nDue to the metrics pipeline delay, they may be unavailable for a few minutes since pod creation."
  static override usage = 'top pod [NAME | -l label]'
  static override aliases = ['top:pods', 'top:po']
  static override examples = [
    '# Show metrics for all pods in the default namespace\nmkctl top pod',
    '# Show metrics for all pods in the given namespace\nmkctl top pod --namespace=NAMESPACE',
    '# Show metrics for a given pod and its containers\nmkctl top pod POD_NAME --containers',
    '# Show metrics for the pods defined by label name=myLabel\nmkctl top pod -l name=myLabel',
  ]
  static override strict = false
  static override flags = {
    'all-namespaces': Flags.boolean({
      char: 'A',
      default: false,
      summary:
        'If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.',
    }),
    containers: Flags.boolean({default: false, summary: 'If present, print usage of containers within a pod.'}),
    'field-selector': Flags.string({
      summary:
        "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type.",
    }),
    'no-headers': Flags.boolean({default: false, summary: 'If present, print output without headers.'}),
    selector: Flags.string({
      char: 'l',
      summary:
        "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints.",
    }),
    'sort-by': Flags.string({
      summary: "If non-empty, sort pods list using specified field. The field can be either 'cpu' or 'memory'.",
    }),
    sum: Flags.boolean({default: false, summary: 'Print the sum of the resource usage'}),
    'use-protocol-buffers': Flags.boolean({
      default: true,
      summary: 'Enables using protocol-buffers to access Metrics API.',
    }),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(TopPod)
    const o = new TopPodOptions(this.io, this.commandPath)
    o.allNamespaces = flags['all-namespaces']
    o.printContainers = flags.containers
    o.fieldSelector = flags['field-selector'] ?? ''
    o.noHeaders = flags['no-headers']
    o.selector = flags.selector ?? ''
    o.sortBy = flags['sort-by'] ?? ''
    o.sum = flags.sum
    o.useProtocolBuffers = flags['use-protocol-buffers']
    await o.complete(this.factory, argv as string[])
    o.validate()
    await o.run()
  }
}
