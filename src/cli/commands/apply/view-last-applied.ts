// view-last-applied.ts is `mkctl apply view-last-applied` (kubectl/pkg/cmd/apply/apply_view_last_applied.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {ViewLastAppliedOptions} from '../../options/apply.js'

/** ApplyViewLastApplied prints the last-applied-configuration annotations of resources. */
export default class ApplyViewLastApplied extends MkctlCommand {
  static override summary = 'View the latest last-applied-configuration annotations of a resource/object'
  static override examples = [
    '# View the last-applied-configuration annotations by type/name in YAML\nmkctl apply view-last-applied deployment/nginx',
    '# View the last-applied-configuration annotations by file in JSON\nmkctl apply view-last-applied -f deploy.yaml -o json',
  ]
  static override strict = false
  static override flags = {
    filename: Flags.string({
      char: 'f',
      multiple: true,
      summary: 'Filename, directory, or URL to files that contains the last-applied-configuration annotations',
    }),
    recursive: Flags.boolean({char: 'R', summary: 'Process the directory used in -f, --filename recursively.'}),
    selector: Flags.string({char: 'l', summary: 'Selector (label query) to filter on.'}),
    all: Flags.boolean({summary: 'Select all resources in the namespace of the specified resource types'}),
    output: Flags.string({char: 'o', default: 'yaml', summary: 'Output format. Must be one of (yaml, json)'}),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(ApplyViewLastApplied)
    const o = new ViewLastAppliedOptions(this.io)
    o.filenames = flags.filename ?? []
    o.recursive = flags.recursive
    o.selector = flags.selector
    o.all = flags.all
    o.output = flags.output
    o.args = argv as string[]
    o.validate()
    await o.complete(this.factory)
    await o.run()
  }
}
