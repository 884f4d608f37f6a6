// scale.ts is `mkctl scale` (kubectl/pkg/cmd/scale/scale.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../base-command.js'
import {parseDurationFlag, parseIntFlag, requiredFlagError, ScaleOptions} from '../options/scale.js'
import {noOptDefaults} from '../resource/openapi.js'

/** printFlags are the -o flags of kubectl's PrintFlags shared by the mutating verbs. */
export const printFlags = {
  output: Flags.string({
    char: 'o',
    summary:
      'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).',
  }),
  template: Flags.string({summary: 'Template string or path to template file to use when -o=jsonpath.'}),
  'show-managed-fields': Flags.boolean({
    summary: 'If true, keep the managedFields when printing objects in JSON or YAML format.',
  }),
}

/** dryRunFlag is cmdutil.AddDryRunFlag. */
export const dryRunFlag = Flags.string({
  default: 'none',
  summary:
    'Must be "none", "server", or "client". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource.',
})

/** Scale sets a new size for a deployment, replica set, or replication controller. */
export default class Scale extends MkctlCommand {
  static override summary = 'Set a new size for a deployment, replica set, or replication controller'
  static override description = `Set a new size for a deployment, replica set, replication controller, or stateful set.

 Scale also allows users to specify one or more preconditions for the scale action.

 If --current-replicas or --resource-version is specified, it is validated before the scale is attempted, and it is guaranteed that the precondition holds true when the scale is sent to the server.`
  static override usage =
    'scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME)'
  static override examples = [
    "# Scale a replica set named 'foo' to 3\nmkctl scale --replicas=3 rs/foo",
    '# Scale a resource identified by type and name specified in "foo.yaml" to 3\nmkctl scale --replicas=3 -f foo.yaml',
    "# If the deployment named mysql's current size is 2, scale mysql to 3\nmkctl scale --current-replicas=2 --replicas=3 deployment/mysql",
    '# Scale multiple replication controllers\nmkctl scale --replicas=5 rc/example1 rc/example2 rc/example3',
    "# Scale stateful set named 'web' to 3\nmkctl scale --replicas=3 statefulset/web",
  ]
  static override strict = false
  static override flags = {
    all: Flags.boolean({summary: 'Select all resources in the namespace of the specified resource types'}),
    'resource-version': Flags.string({
      summary:
        'Precondition for resource version. Requires that the current resource version match this value in order to scale.',
    }),
    'current-replicas': Flags.string({
      default: '-1',
      summary:
        'Precondition for current size. Requires that the current size of the resource match this value in order to scale. -1 (default) for no condition.',
    }),
    replicas: Flags.string({
      // help shows kubectl's Go default; the flag stays undefined when not given
      helpValue: '0',
      summary: 'The new desired number of replicas. Required.',
    }),
    timeout: Flags.string({
      default: '0s',
      summary:
        "The length of time to wait before giving up on a scale operation, zero means don't wait. Any other values should contain a corresponding time unit (e.g. 1s, 2m, 3h).",
    }),
    filename: Flags.string({
      char: 'f',
      multiple: true,
      multipleNonGreedy: true,
      summary: 'Filename, directory, or URL to files identifying the resource to set a new size',
    }),
    recursive: Flags.boolean({
      char: 'R',
      summary:
        'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.',
    }),
    kustomize: Flags.string({char: 'k', summary: 'Process the kustomization directory. Not supported by mkctl.'}),
    selector: Flags.string({
      char: 'l',
      summary:
        "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.",
    }),
    'dry-run': dryRunFlag,
    ...printFlags,
  }

  async run(): Promise<void> {
    const argv = noOptDefaults(this.argv, {'--dry-run': 'unchanged'})
    const {flags, argv: args} = await this.parse(Scale, argv)
    const path = this.commandPath
    const o = new ScaleOptions(this.io)
    o.currentReplicas = parseIntFlag(flags['current-replicas'], 'current-replicas', path)
    o.timeoutMs = parseDurationFlag(flags.timeout, 'timeout', path)
    if (flags.replicas === undefined) throw requiredFlagError('replicas')
    o.replicas = parseIntFlag(flags.replicas, 'replicas', path)
    o.args = args as string[]
    o.all = flags.all
    o.resourceVersion = flags['resource-version'] ?? ''
    o.filenames = flags.filename ?? []
    o.recursive = flags.recursive
    o.kustomize = flags.kustomize
    o.selector = flags.selector
    o.dryRunFlag = flags['dry-run']
    o.output = flags.output ?? ''
    o.template = flags.template
    o.showManagedFields = flags['show-managed-fields']
    await o.complete(this.factory)
    o.validate()
    await o.run()
  }
}
