// pause.ts is `mkctl rollout pause` (kubectl/pkg/cmd/rollout/rollout_pause.go).
import {MkctlCommand} from '../../base-command.js'
import {RolloutPatchOptions} from '../../options/rollout/patch.js'
import {fieldManagerFlag, filenameFlags, printFlags, rejectKustomize, selectorFlag} from './flags.js'

/** RolloutPause: Mark the provided resource as paused. */
export default class RolloutPause extends MkctlCommand {
  static override summary = 'Mark the provided resource as paused'
  static override description =
    'Mark the provided resource as paused.\n\nPaused resources will not be reconciled by a controller. Use "mkctl rollout resume" to resume a paused resource. Currently only deployments support being paused.'
  static override usage = 'rollout pause RESOURCE'
  static override examples = [
    '# Mark the nginx deployment as paused\n# Any current state of the deployment will continue its function; new updates\n# to the deployment will not have an effect as long as the deployment is paused\nmkctl rollout pause deployment/nginx',
  ]
  static override strict = false
  static override flags = {...printFlags, ...filenameFlags, ...fieldManagerFlag, ...selectorFlag}

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(RolloutPause)
    rejectKustomize(flags.kustomize)
    const o = new RolloutPatchOptions(this.io, 'pause')
    o.args = argv as string[]
    o.filenames = flags.filename ?? []
    o.recursive = flags.recursive
    o.selector = flags.selector
    o.output = flags.output ?? ''
    o.fieldManager = flags['field-manager']
    await o.complete(this.factory)
    await o.run()
  }
}
