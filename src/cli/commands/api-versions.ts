// api-versions.ts is `mkctl api-versions` (kubectl/pkg/cmd/apiresources/apiversions.go).
import {MkctlCommand} from '../base-command.js'
import {apiVersions} from '../options/api-resources.js'

/** ApiVersions prints the supported API versions on the server, in the form of "group/version". */
export default class ApiVersions extends MkctlCommand {
  static override summary = 'Print the supported API versions on the server, in the form of "group/version"'
  static override examples = ['# Print the supported API versions\nmkctl api-versions']

  async run(): Promise<void> {
    await this.parse(ApiVersions)
    await apiVersions(await this.factory.discovery(), this.io)
  }
}
