// history.ts is `mkctl rollout history` (kubectl/pkg/cmd/rollout/rollout_history.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {RolloutHistoryOptions} from '../../options/rollout/history.js'
import {filenameFlags, parseInt64, printFlags, rejectKustomize, selectorFlag} from './flags.js'

/** RolloutHistory views rollout history. */
export default class RolloutHistory extends MkctlCommand {
  static override summary = 'View rollout history'
  static override description = 'View previous rollout revisions and configurations.'
  static override usage = 'rollout history (TYPE NAME | TYPE/NAME) [flags]'
  static override examples = [
    '# View the rollout history of a deployment\nmkctl rollout history deployment/abc',
    '# View the details of daemonset revision 3\nmkctl rollout history daemonset/abc --revision=3',
  ]
  static override strict = false
  static override flags = {
    revision: Flags.string({
      // help shows kubectl's Go default; the flag stays undefined when not given
      helpValue: '0',
      summary: 'See the details, including podTemplate of the revision specified',
    }),
    ...selectorFlag,
    ...filenameFlags,
    ...printFlags,
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(RolloutHistory)
    rejectKustomize(flags.kustomize)
    const o = new RolloutHistoryOptions(this.io)
    o.args = argv as string[]
    o.filenames = flags.filename ?? []
    o.recursive = flags.recursive
    o.selector = flags.selector
    o.revision = parseInt64(this.commandPath, 'revision', flags.revision)
    o.output = flags.output ?? ''
    await o.complete(this.factory)
    await o.run()
  }
}
