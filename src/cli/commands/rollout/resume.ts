// resume.ts is `mkctl rollout resume` (kubectl/pkg/cmd/rollout/rollout_resume.go).
import {MkctlCommand} from '../../base-command.js'
import {RolloutPatchOptions} from '../../options/rollout/patch.js'
import {fieldManagerFlag, filenameFlags, printFlags, rejectKustomize, selectorFlag} from './flags.js'

/** RolloutResume: Resume a paused resource. */
export default class RolloutResume extends MkctlCommand {
  static override summary = 'Resume a paused resource'
  static override description =
    'Resume a paused resource.\n\nPaused resources will not be reconciled by a controller. By resuming a resource, we allow it to be reconciled again. Currently only deployments support being resumed.'
  static override usage = 'rollout resume RESOURCE'
  static override examples = ['# Resume an already paused deployment\nmkctl rollout resume deployment/nginx']
  static override strict = false
  static override flags = {...printFlags, ...filenameFlags, ...fieldManagerFlag, ...selectorFlag}

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(RolloutResume)
    rejectKustomize(flags.kustomize)
    const o = new RolloutPatchOptions(this.io, 'resume')
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
