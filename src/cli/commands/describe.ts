// describe.ts is `mkctl describe` (kubectl/pkg/cmd/describe/describe.go): show details of a resource or group of
// resources, with their events.
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../base-command.js'
import {DescribeOptions} from '../options/describe.js'

/** Describe shows details of a specific resource or group of resources, as kubectl describe does. */
export default class Describe extends MkctlCommand {
  static override summary = 'Show details of a specific resource or group of resources'
  static override description = `Show details of a specific resource or group of resources.

 Print a detailed description of the selected resources, including related resources such as events or controllers. You may select a single object by name, all objects of that type, provide a name prefix, or label selector. For example:

        $ mkctl describe TYPE NAME_PREFIX

 will first check for an exact match on TYPE and NAME_PREFIX. If no such resource exists, it will output details for every resource that has a name prefixed with NAME_PREFIX.

Use "mkctl api-resources" for a complete list of supported resources.`
  static override usage = 'describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME)'
  static override examples = [
    '# Describe a node\nmkctl describe nodes kubernetes-node-emt8.c.myproject.internal',
    '# Describe a pod\nmkctl describe pods/nginx',
    '# Describe a pod identified by type and name in "pod.json"\nmkctl describe -f pod.json',
    '# Describe all pods\nmkctl describe pods',
    '# Describe pods by label name=myLabel\nmkctl describe pods -l name=myLabel',
    "# Describe all pods managed by the 'frontend' replication controller\n# (rc-created pods get the name of the rc as a prefix in the pod name)\nmkctl describe pods frontend",
  ]
  static override strict = false
  static override flags = {
    filename: Flags.string({
      char: 'f',
      multiple: true,
      summary: 'Filename, directory, or URL to files containing the resource to describe',
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
    'all-namespaces': Flags.boolean({
      char: 'A',
      summary:
        'If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.',
    }),
    'show-events': Flags.boolean({
      default: true,
      allowNo: true,
      summary: 'If true, display events related to the described object.',
    }),
    'chunk-size': Flags.integer({
      default: 500,
      summary:
        'Return large lists in chunks rather than all at once. Pass 0 to disable. This flag is beta and may change in the future.',
    }),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Describe)
    const o = new DescribeOptions(
      {
        filenames: flags.filename ?? [],
        recursive: flags.recursive,
        ...(flags.selector !== undefined ? {selector: flags.selector} : {}),
        allNamespaces: flags['all-namespaces'],
        showEvents: flags['show-events'],
        chunkSize: flags['chunk-size'],
      },
      argv as string[],
      this.io,
    )
    o.validate()
    await o.complete(this.factory)
    await o.run()
  }
}
