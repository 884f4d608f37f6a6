// api-versions.ts is `mkctl api-versions` (kubectl/pkg/cmd/apiresources/apiversions.go).
import {MkctlCommand} from '../base-command.js'
import {unexpectedArguments} from '../errors.js'
import {apiVersions} from '../options/api-resources.js'

/** ApiVersions prints the supported API versions on the server, in the form of "group/version". */
export default class ApiVersions extends MkctlCommand {
  static override summary = 'Print the supported API versions on the server, in the form of "group/version"'
  static override examples = ['# Print the supported API versions\nmkctl api-versions']
  // strict: a stray word must reach run() (cobra.NoArgs' message below), not become part of the command id
  static override strict = false

  async run(): Promise<void> {
    const {argv} = await this.parse(ApiVersions)
    if (argv.length > 0) throw unexpectedArguments(argv.map(String), this.commandPath)
    await apiVersions(await this.factory.discovery(), this.io)
  }
}
