// restart.ts is `mkctl rollout restart` (kubectl/pkg/cmd/rollout/rollout_restart.go).
import {MkctlCommand} from '../../base-command.js'
import {RolloutPatchOptions} from '../../options/rollout/patch.js'
import {fieldManagerFlag, filenameFlags, printFlags, rejectKustomize, selectorFlag} from './flags.js'

/** RolloutRestart: Restart a resource. */
export default class RolloutRestart extends MkctlCommand {
  static override summary = 'Restart a resource'
  static override description = 'Restart a resource.\n\n        Resource rollout will be restarted.'
  static override usage = 'rollout restart RESOURCE'
  static override examples = [
    '# Restart all deployments in the test-namespace namespace\nmkctl rollout restart deployment -n test-namespace',
    '# Restart a deployment\nmkctl rollout restart deployment/nginx',
    '# Restart a daemon set\nmkctl rollout restart daemonset/abc',
    '# Restart deployments with the app=nginx label\nmkctl rollout restart deployment --selector=app=nginx',
  ]
  static override strict = false
  static override flags = {...printFlags, ...filenameFlags, ...fieldManagerFlag, ...selectorFlag}

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(RolloutRestart)
    rejectKustomize(flags.kustomize)
    const o = new RolloutPatchOptions(this.io, 'restart')
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
