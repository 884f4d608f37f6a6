// get-contexts.ts is `mkctl config get-contexts [NAME...]` (kubectl/pkg/cmd/config/get_contexts.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {GetContextsOptions} from '../../options/config.js'

/** ConfigGetContexts lists kubeconfig contexts. */
export default class ConfigGetContexts extends MkctlCommand {
  static override summary = 'Describe one or many contexts.'
  static override examples = ['# List all the contexts in your kubeconfig file\nmkctl config get-contexts']
  static override strict = false
  static override flags = {
    output: Flags.string({char: 'o', summary: 'Output format. One of: (name).'}),
    'no-headers': Flags.boolean({
      summary: "When using the default or custom-column output format, don't print headers (default print headers).",
    }),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(ConfigGetContexts)
    const o = new GetContextsOptions(this.io)
    o.output = flags.output ?? ''
    o.noHeaders = flags['no-headers']
    o.validate()
    await o.run(this.factory, argv as string[])
  }
}
