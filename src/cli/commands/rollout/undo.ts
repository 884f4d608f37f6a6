// undo.ts is `mkctl rollout undo` (kubectl/pkg/cmd/rollout/rollout_undo.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {UndoOptions} from '../../options/rollout/undo.js'
import {noOptDefaults} from '../../resource/openapi.js'
import {filenameFlags, parseInt64, printFlags, rejectKustomize, selectorFlag} from './flags.js'

/** RolloutUndo undoes a previous rollout. */
export default class RolloutUndo extends MkctlCommand {
  static override summary = 'Undo a previous rollout'
  static override description = 'Roll back to a previous rollout.'
  static override usage = 'rollout undo (TYPE NAME | TYPE/NAME) [flags]'
  static override examples = [
    '# Roll back to the previous deployment\nmkctl rollout undo deployment/abc',
    '# Roll back to daemonset revision 3\nmkctl rollout undo daemonset/abc --to-revision=3',
    '# Roll back to the previous deployment with dry-run\nmkctl rollout undo --dry-run=server deployment/abc',
  ]
  static override strict = false
  static override flags = {
    'to-revision': Flags.string({
      // help shows kubectl's Go default; the flag stays undefined when not given
      helpValue: '0',
      summary: 'The revision to rollback to. Default to 0 (last revision).',
    }),
    ...filenameFlags,
    'dry-run': Flags.string({
      default: 'none',
      summary:
        'Must be "none", "server", or "client". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource.',
    }),
    ...selectorFlag,
    ...printFlags,
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(RolloutUndo, noOptDefaults(this.argv, {'--dry-run': 'unchanged'}))
    rejectKustomize(flags.kustomize)
    const o = new UndoOptions(this.io)
    o.args = argv as string[]
    o.filenames = flags.filename ?? []
    o.recursive = flags.recursive
    o.selector = flags.selector
    o.toRevision = parseInt64(this.commandPath, 'to-revision', flags['to-revision'])
    o.dryRunFlag = flags['dry-run']
    o.output = flags.output ?? ''
    await o.complete(this.factory)
    await o.run()
  }
}
