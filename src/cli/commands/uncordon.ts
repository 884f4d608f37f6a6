// uncordon.ts is `mkctl uncordon` (kubectl/pkg/cmd/drain/drain.go NewCmdUncordon).
import {MkctlCommand} from '../base-command.js'
import {DrainOptions} from '../options/drain.js'
import {noOptDefaults} from '../resource/openapi.js'
import {nodeSelectorFlags, selectorGiven} from './drain.js'

/** Uncordon: Mark node as schedulable. */
export default class Uncordon extends MkctlCommand {
  static override summary = 'Mark node as schedulable'
  static override description = 'Mark node as schedulable.'
  static override usage = 'uncordon NODE'
  static override examples = ['# Mark node "foo" as schedulable\nmkctl uncordon foo']
  static override strict = false
  static override flags = {...nodeSelectorFlags}

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Uncordon, noOptDefaults(this.argv, {'--dry-run': 'unchanged'}))
    const o = new DrainOptions(this.io, this.commandPath, 'uncordon NODE')
    o.args = argv as string[]
    o.selector = flags.selector
    o.dryRunFlag = flags['dry-run']
    await o.complete(this.factory, selectorGiven(this.argv))
    await o.runCordonOrUncordon(false)
  }
}
