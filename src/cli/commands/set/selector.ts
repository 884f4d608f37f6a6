// selector.ts is `mkctl set selector` (kubectl/pkg/cmd/set/set_selector.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {SetSelectorOptions} from '../../options/set/selector.js'
import {noOptDefaults} from '../../resource/openapi.js'
import {allFlag, DRY_RUN_DEFAULTS, filenameFlags, printFlags, recordFlag, writeFlags} from './flags.js'

/** SetSelector sets the selector on a resource. */
export default class SetSelector extends MkctlCommand {
  static override summary = 'Set the selector on a resource'
  static override description = `Set the selector on a resource. Note that the new selector will overwrite the old selector if the resource had one prior to the invocation of 'set selector'.

A selector must begin with a letter or number, and may contain letters, numbers, hyphens, dots, and underscores, up to 63 characters. If --resource-version is specified, then updates will use this resource version, otherwise the existing resource-version will be used. Note: currently selectors can only be set on Service objects.`
  static override examples = [
    '# Set the labels and selector before creating a deployment/service pair\nmkctl create service clusterip my-svc --clusterip="None" -o yaml --dry-run=client | mkctl set selector --local -f - \'environment=qa\' -o yaml | mkctl create -f -\nmkctl create deployment my-dep -o yaml --dry-run=client | mkctl label --local -f - environment=qa -o yaml | mkctl create -f -',
  ]
  static override usage = 'set selector (-f FILENAME | TYPE NAME) EXPRESSIONS [--resource-version=version]'
  static override strict = false
  static override flags = {
    ...filenameFlags('identifying the resource.'),
    ...allFlag,
    local: Flags.boolean({summary: 'If true, annotation will NOT contact api-server but run locally.'}),
    ...printFlags,
    ...recordFlag,
    'resource-version': Flags.string({
      summary:
        'If non-empty, the selectors update will only succeed if this is the current resource-version for the object. Only valid when specifying a single resource.',
    }),
    ...writeFlags,
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(SetSelector, noOptDefaults(this.argv, DRY_RUN_DEFAULTS))
    const o = new SetSelectorOptions(this.io)
    o.setFlags(flags)
    o.args = argv as string[]
    o.resourceVersion = flags['resource-version'] ?? ''
    await o.complete(this.factory)
    o.validate()
    await o.run()
  }
}
