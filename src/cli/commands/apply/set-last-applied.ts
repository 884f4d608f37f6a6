// set-last-applied.ts is `mkctl apply set-last-applied` (kubectl/pkg/cmd/apply/apply_set_last_applied.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {SetLastAppliedOptions} from '../../options/apply.js'
import {noOptDefaults} from '../../resource/openapi.js'

/** ApplySetLastApplied sets the last-applied-configuration annotation to match the contents of a file. */
export default class ApplySetLastApplied extends MkctlCommand {
  static override summary =
    'Set the last-applied-configuration annotation on a live object to match the contents of a file'
  static override examples = [
    '# Set the last-applied-configuration of a resource to match the contents of a file\nmkctl apply set-last-applied -f deploy.yaml',
  ]
  static override flags = {
    filename: Flags.string({
      char: 'f',
      multiple: true,
      summary: 'Filename, directory, or URL to files that contains the last-applied-configuration annotations',
    }),
    'create-annotation': Flags.boolean({
      summary: "Will create 'last-applied-configuration' annotations if current objects doesn't have one",
    }),
    output: Flags.string({
      char: 'o',
      summary: 'Output format. One of: (json, yaml, name, jsonpath, jsonpath-as-json, jsonpath-file).',
    }),
    'dry-run': Flags.string({summary: 'Must be "none", "server", or "client".', default: 'none'}),
  }

  async run(): Promise<void> {
    const argv = noOptDefaults(this.argv, {'--dry-run': 'unchanged'})
    const {flags} = await this.parse(ApplySetLastApplied, argv)
    const o = new SetLastAppliedOptions(this.io)
    o.filenames = flags.filename ?? []
    o.createAnnotation = flags['create-annotation']
    o.output = flags.output ?? ''
    o.dryRunFlag = flags['dry-run']
    o.validate()
    await o.complete(this.factory)
    await o.run()
  }
}
