// node.ts is `mkctl top node` (kubectl/pkg/cmd/top/top_node.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {TopNodeOptions} from '../../options/top.js'

/** TopNode displays resource (CPU/memory) usage of nodes. */
export default class TopNode extends MkctlCommand {
  static override summary = 'Display resource (CPU/memory) usage of nodes'
  static override description =
    'Display resource (CPU/memory) usage of nodes.\n\nThe top-node command allows you to see the resource consumption of nodes.'
  static override usage = 'top node [NAME | -l label]'
  static override aliases = ['top:nodes', 'top:no']
  static override examples = [
    '# Show metrics for all nodes\nmkctl top node',
    '# Show metrics for a given node\nmkctl top node NODE_NAME',
  ]
  static override strict = false
  static override flags = {
    selector: Flags.string({
      char: 'l',
      summary:
        "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints.",
    }),
    'sort-by': Flags.string({
      summary: "If non-empty, sort nodes list using specified field. The field can be either 'cpu' or 'memory'.",
    }),
    'no-headers': Flags.boolean({default: false, summary: 'If present, print output without headers'}),
    'use-protocol-buffers': Flags.boolean({
      default: true,
      summary: 'Enables using protocol-buffers to access Metrics API.',
    }),
    'show-capacity': Flags.boolean({
      default: false,
      summary: 'Print node resources based on Capacity instead of Allocatable(default) of the nodes.',
    }),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(TopNode)
    const o = new TopNodeOptions(this.io, this.commandPath)
    o.selector = flags.selector ?? ''
    o.sortBy = flags['sort-by'] ?? ''
    o.noHeaders = flags['no-headers']
    o.useProtocolBuffers = flags['use-protocol-buffers']
    o.showCapacity = flags['show-capacity']
    await o.complete(this.factory, argv as string[])
    o.validate()
    await o.run()
  }
}
