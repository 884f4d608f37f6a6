// version.ts is `mkctl version` (kubectl/pkg/cmd/version/version.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../base-command.js'
import {VersionOptions} from '../options/version.js'

/** Version prints the client and server version information. */
export default class Version extends MkctlCommand {
  static override summary = 'Print the client and server version information'
  static override description = 'Print the client and server version information for the current context.'
  static override examples = ['# Print the client and server versions for the current context\nmkctl version']
  static override strict = false
  static override flags = {
    client: Flags.boolean({summary: 'If true, shows client version only (no server required).'}),
    output: Flags.string({char: 'o', summary: "One of 'yaml' or 'json'."}),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Version)
    const o = new VersionOptions(this.io)
    o.client = flags.client
    o.output = flags.output ?? ''
    o.validate(argv as string[])
    await o.run(() => this.factory.discovery())
  }
}
