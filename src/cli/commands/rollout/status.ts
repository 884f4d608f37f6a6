// status.ts is `mkctl rollout status` (kubectl/pkg/cmd/rollout/rollout_status.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {RolloutStatusOptions} from '../../options/rollout/status.js'
import {filenameFlags, parseInt64, rejectKustomize, selectorFlag} from './flags.js'

/** RolloutStatus shows the status of the rollout. */
export default class RolloutStatus extends MkctlCommand {
  static override summary = 'Show the status of the rollout'
  static override description =
    "Show the status of the rollout.\n\nBy default 'rollout status' will watch the status of the latest rollout until it's done. If you don't want to wait for the rollout to finish then you can use --watch=false. Note that if a new rollout starts in-between, then 'rollout status' will continue watching the latest revision. If you want to pin to a specific revision and abort if it is rolled over by another revision, use --revision=N where N is the revision you need to watch for."
  static override usage = 'rollout status (TYPE NAME | TYPE/NAME) [flags]'
  static override examples = ['# Watch the rollout status of a deployment\nmkctl rollout status deployment/nginx']
  static override strict = false
  static override flags = {
    ...filenameFlags,
    watch: Flags.boolean({char: 'w', default: true, summary: "Watch the status of the rollout until it's done."}),
    revision: Flags.string({
      // help shows kubectl's Go default; the flag stays undefined when not given
      helpValue: '0',
      summary: 'Pin to a specific revision for showing its status. Defaults to 0 (last revision).',
    }),
    timeout: Flags.string({
      default: '0s',
      summary:
        'The length of time to wait before ending watch, zero means never. Any other values should contain a corresponding time unit (e.g. 1s, 2m, 3h).',
    }),
    ...selectorFlag,
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(RolloutStatus)
    rejectKustomize(flags.kustomize)
    const o = new RolloutStatusOptions(this.io)
    o.args = argv as string[]
    o.filenames = flags.filename ?? []
    o.recursive = flags.recursive
    o.selector = flags.selector
    o.watch = flags.watch
    o.revision = parseInt64(this.commandPath, 'revision', flags.revision)
    o.timeoutFlag = flags.timeout
    await o.complete(this.factory)
    await o.run()
  }
}
