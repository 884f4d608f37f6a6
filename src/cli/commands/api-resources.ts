// api-resources.ts is `mkctl api-resources` (kubectl/pkg/cmd/apiresources/apiresources.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../base-command.js'
import {unexpectedArguments} from '../errors.js'
import {APIResourcesOptions} from '../options/api-resources.js'

/** ApiResources prints the supported API resources on the server. */
export default class ApiResources extends MkctlCommand {
  static override summary = 'Print the supported API resources on the server'
  static override examples = [
    '# Print the supported API resources\nmkctl api-resources',
    '# Print the supported API resources with more information\nmkctl api-resources -o wide',
    '# Print the supported namespaced resources\nmkctl api-resources --namespaced=true',
    '# Print the supported API resources with a specific APIGroup\nmkctl api-resources --api-group=rbac.authorization.k8s.io',
  ]
  // strict: a stray word must reach run() (cobra.NoArgs' message below), not become part of the command id
  static override strict = false
  static override flags = {
    output: Flags.string({char: 'o', summary: 'Output format. One of: (wide, name).'}),
    'api-group': Flags.string({summary: 'Limit to resources in the specified API group.'}),
    namespaced: Flags.boolean({
      default: true,
      allowNo: true,
      summary:
        'If false, non-namespaced resources will be returned, otherwise returning namespaced resources by default.',
    }),
    verbs: Flags.string({
      multiple: true,
      delimiter: ',',
      summary: 'Limit to resources that support the specified verbs.',
    }),
    categories: Flags.string({
      multiple: true,
      delimiter: ',',
      summary: 'Limit to resources that belong to the specified categories.',
    }),
    'sort-by': Flags.string({
      summary: "If non-empty, sort list of resources using specified field. The field can be either 'name' or 'kind'.",
    }),
    'no-headers': Flags.boolean({
      summary: "When using the default or custom-column output format, don't print headers (default print headers).",
    }),
    cached: Flags.boolean({summary: 'Use the cached list of resources if available.'}),
  }

  async run(): Promise<void> {
    // read before parse(), which may consume the argv it normalizes
    const namespacedGiven = this.argv.some((a) => /^--(no-)?namespaced(=|$)/.test(a))
    const {flags, argv} = await this.parse(ApiResources)
    if (argv.length > 0) throw unexpectedArguments(argv.map(String), this.commandPath)
    const o = new APIResourcesOptions(this.io)
    o.output = flags.output ?? ''
    o.apiGroup = flags['api-group']
    // kubectl filters on scope only when the flag was given (apiresources.go NamespacedChanged): the default true
    // lists both scopes, --namespaced=false the cluster-scoped ones.
    o.namespaced = namespacedGiven || !flags.namespaced ? flags.namespaced : undefined
    o.verbs = flags.verbs ?? []
    o.categories = flags.categories ?? []
    o.sortBy = flags['sort-by'] ?? ''
    o.noHeaders = flags['no-headers']
    o.cached = flags.cached
    o.validate()
    await o.run(await this.factory.discovery())
  }
}
