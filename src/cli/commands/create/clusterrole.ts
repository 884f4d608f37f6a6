// clusterrole.ts is `mkctl create clusterrole` (kubectl/pkg/cmd/create).
import {Flags} from '@oclif/core'
import {GeneratorCommand} from '../../generators/command.js'
import {CreateClusterRoleOptions, parseMapStringString} from '../../generators/create.js'
import {type CommonFlagValues, createFlags} from '../../generators/options.js'
import {stringSlice as slice} from '../../generators/flags.js'

/** CreateClusterRole: create a cluster role. */
export default class CreateClusterRole extends GeneratorCommand {
  static override summary = 'Create a cluster role'
  static override description = 'Create a cluster role.'
  static override examples = [
    '# Create a cluster role named "pod-reader" that allows user to perform "get", "watch" and "list" on pods\nmkctl create clusterrole pod-reader --verb=get,list,watch --resource=pods',
    '# Create a cluster role named "pod-reader" with ResourceName specified\nmkctl create clusterrole pod-reader --verb=get --resource=pods --resource-name=readablepod --resource-name=anotherpod',
    '# Create a cluster role named "foo" with API Group specified\nmkctl create clusterrole foo --verb=get,list,watch --resource=rs.apps',
    '# Create a cluster role named "foo" with SubResource specified\nmkctl create clusterrole foo --verb=get,list,watch --resource=pods,pods/status',
    '# Create a cluster role name "foo" with NonResourceURL specified\nmkctl create clusterrole "foo" --verb=get --non-resource-url=/logs/*',
    '# Create a cluster role name "monitoring" with AggregationRule specified\nmkctl create clusterrole monitoring --aggregation-rule="rbac.example.com/aggregate-to-monitoring=true"',
  ]
  static override flags = {
    ...createFlags,
    verb: Flags.string({multiple: true, summary: 'Verb that applies to the resources contained in the rule'}),
    resource: Flags.string({multiple: true, summary: 'Resource that the rule applies to'}),
    'resource-name': Flags.string({
      multiple: true,
      summary: 'Resource in the white list that the rule applies to, repeat this flag for multiple items',
    }),
    'non-resource-url': Flags.string({multiple: true, summary: 'A partial url that user should have access to.'}),
    'aggregation-rule': Flags.string({
      // help shows kubectl's Go default; the flag stays undefined when not given
      helpValue: '',
      multiple: true,
      summary: 'An aggregation label selector for combining ClusterRoles.',
    }),
  }

  override get commandPath(): string {
    return 'mkctl create clusterrole'
  }

  async run(): Promise<void> {
    const {flags, args} = await this.parseGenerator<
      CommonFlagValues & {
        verb?: string[]
        resource?: string[]
        'resource-name'?: string[]
        'non-resource-url'?: string[]
        'aggregation-rule'?: string[]
      }
    >(CreateClusterRole)
    const o = new CreateClusterRoleOptions(this.io, this.commandPath)
    o.setCommonFlags(flags)
    o.nameFromArgs(args)
    o.verbs = slice(flags.verb)
    o.resourceArgs = slice(flags.resource)
    o.resourceNames = flags['resource-name'] ?? []
    o.nonResourceURLs = slice(flags['non-resource-url'])
    o.aggregationRule = parseMapStringString(flags['aggregation-rule'] ?? [], 'aggregation-rule')
    o.setInputs()
    await o.complete(this.factory)
    await o.validate()
    await o.run()
  }
}
