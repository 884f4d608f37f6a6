// explain.ts is `mkctl explain` (kubectl/pkg/cmd/explain/explain.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../base-command.js'
import {ExplainOptions, PLAINTEXT} from '../options/explain.js'

/** Explain prints the documentation of a resource or one of its fields, from the server's OpenAPI documents. */
export default class Explain extends MkctlCommand {
  static override summary = 'Get documentation for a resource'
  static override description = `Describe fields and structure of various resources.

 This command describes the fields associated with each supported API resource. Fields are identified via a simple JSONPath identifier:

        <type>.<fieldName>[.<fieldName>]

 Information about each field is retrieved from the server in OpenAPI format.

Use "mkctl api-resources" for a complete list of supported resources.`
  static override examples = [
    '# Get the documentation of the resource and its fields\nmkctl explain pods',
    '# Get all the fields in the resource\nmkctl explain pods --recursive',
    '# Get the explanation for deployment in supported api versions\nmkctl explain deployments --api-version=apps/v1',
    '# Get the documentation of a specific field of a resource\nmkctl explain pods.spec.containers',
    '# Get the documentation of resources in different format\nmkctl explain deployment --output=plaintext-openapiv2',
  ]
  static override strict = false
  static override flags = {
    recursive: Flags.boolean({
      summary:
        'When true, print the name of all the fields recursively. Otherwise, print the available fields with their description.',
    }),
    'api-version': Flags.string({summary: 'Use given api-version (group/version) of the resource.'}),
    output: Flags.string({
      char: 'o',
      default: PLAINTEXT,
      summary: 'Format in which to render the schema. Valid values are: (plaintext, plaintext-openapiv2).',
    }),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Explain)
    const o = new ExplainOptions(this.io)
    o.args = argv as string[]
    o.recursive = flags.recursive
    o.apiVersion = flags['api-version'] ?? ''
    o.output = flags.output
    o.validate()
    await o.run(this.factory)
  }
}
