// view.ts is `mkctl config view` (kubectl/pkg/cmd/config/view.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {ViewOptions} from '../../options/config.js'

/** ConfigView prints the merged kubeconfig, secrets redacted unless --raw. */
export default class ConfigView extends MkctlCommand {
  static override summary = 'Display merged kubeconfig settings or a specified kubeconfig file.'
  static override description =
    'Display merged kubeconfig settings or a specified kubeconfig file.\n\nYou can use --output jsonpath={...} to extract specific values using a jsonpath expression.'
  static override examples = [
    '# Show merged kubeconfig settings\nmkctl config view',
    '# Show merged kubeconfig settings, raw certificate data, and exposed secrets\nmkctl config view --raw',
  ]
  static override strict = false
  static override flags = {
    output: Flags.string({char: 'o', default: 'yaml', summary: 'Output format. One of: (json, yaml, jsonpath).'}),
    minify: Flags.boolean({summary: 'Remove all information not used by current-context from the output'}),
    raw: Flags.boolean({summary: 'Display raw byte data and sensitive data'}),
    flatten: Flags.boolean({summary: 'Flatten the resulting kubeconfig file into self-contained output'}),
    merge: Flags.boolean({default: true, allowNo: true, summary: 'Merge the full hierarchy of kubeconfig files'}),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(ConfigView)
    const o = new ViewOptions(this.io)
    o.output = flags.output
    o.minify = flags.minify
    o.raw = flags.raw
    o.flatten = flags.flatten
    o.validate(argv as string[], this.commandPath)
    await o.run(this.factory)
  }
}
