// cordon.ts is `mkctl cordon` (kubectl/pkg/cmd/drain/drain.go NewCmdCordon).
import {MkctlCommand} from '../base-command.js'
import {DrainOptions} from '../options/drain.js'
import {noOptDefaults} from '../resource/openapi.js'
import {nodeSelectorFlags, selectorGiven} from './drain.js'

/** Cordon: Mark node as unschedulable. */
export default class Cordon extends MkctlCommand {
  static override summary = 'Mark node as unschedulable'
  static override description = 'Mark node as unschedulable.'
  static override usage = 'cordon NODE'
  static override examples = ['# Mark node "foo" as unschedulable\nmkctl cordon foo']
  static override strict = false
  static override flags = {...nodeSelectorFlags}

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Cordon, noOptDefaults(this.argv, {'--dry-run': 'unchanged'}))
    const o = new DrainOptions(this.io, this.commandPath, 'cordon NODE')
    o.args = argv as string[]
    o.selector = flags.selector
    o.dryRunFlag = flags['dry-run']
    await o.complete(this.factory, selectorGiven(this.argv))
    await o.runCordonOrUncordon(true)
  }
}
