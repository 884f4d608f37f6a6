// label.ts is `mkctl label` (kubectl/pkg/cmd/label/label.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../base-command.js'
import {LabelOptions} from '../options/label.js'
import type {MetadataEditOptions} from '../options/metadata-edit.js'
import {noOptDefaults} from '../resource/openapi.js'

/** metadataEditFlags are the flags label and annotate share; what is the word of the help texts. */
export function metadataEditFlags(what: 'labels' | 'annotations', noun: 'label' | 'annotation', manager: string) {
  return {
    filename: Flags.string({
      char: 'f',
      multiple: true,
      multipleNonGreedy: true,
      summary: `Filename, directory, or URL to files identifying the resource to update the ${noun}`,
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
    'field-selector': Flags.string({
      summary:
        "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type.",
    }),
    all: Flags.boolean({summary: 'Select all resources, in the namespace of the specified resource types'}),
    'all-namespaces': Flags.boolean({char: 'A', summary: 'If true, check the specified action in all namespaces.'}),
    overwrite: Flags.boolean({
      summary: `If true, allow ${what} to be overwritten, otherwise reject ${noun} updates that overwrite existing ${what}.`,
    }),
    list: Flags.boolean({summary: `If true, display the ${what} for a given resource.`}),
    local: Flags.boolean({summary: `If true, ${noun} will NOT contact api-server but run locally.`}),
    'resource-version': Flags.string({
      summary: `If non-empty, the ${what} update will only succeed if this is the current resource-version for the object. Only valid when specifying a single resource.`,
    }),
    'dry-run': Flags.string({
      default: 'none',
      summary:
        'Must be "none", "server", or "client". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource.',
    }),
    output: Flags.string({
      char: 'o',
      summary:
        'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).',
    }),
    template: Flags.string({summary: 'Template string or path to template file to use when -o=jsonpath.'}),
    'show-managed-fields': Flags.boolean({
      summary: 'If true, keep the managedFields when printing objects in JSON or YAML format.',
    }),
    'field-manager': Flags.string({default: manager, summary: 'Name of the manager used to track field ownership.'}),
  }
}

/** setMetadataEditFlags copies the parsed flags into the options. */
export function setMetadataEditFlags(o: MetadataEditOptions, flags: Record<string, unknown>, args: string[]): void {
  o.args = args
  o.filenames = (flags.filename as string[] | undefined) ?? []
  o.recursive = Boolean(flags.recursive)
  o.kustomize = flags.kustomize as string | undefined
  o.selector = flags.selector as string | undefined
  o.fieldSelector = flags['field-selector'] as string | undefined
  o.all = Boolean(flags.all)
  o.allNamespaces = Boolean(flags['all-namespaces'])
  o.overwrite = Boolean(flags.overwrite)
  o.list = Boolean(flags.list)
  o.local = Boolean(flags.local)
  o.resourceVersion = (flags['resource-version'] as string | undefined) ?? ''
  o.dryRunFlag = flags['dry-run'] as string | undefined
  o.output = (flags.output as string | undefined) ?? ''
  o.template = flags.template as string | undefined
  o.showManagedFields = Boolean(flags['show-managed-fields'])
  o.fieldManager = flags['field-manager'] as string
}

/** Label updates the labels on a resource. */
export default class Label extends MkctlCommand {
  static override summary = 'Update the labels on a resource'
  static override description = `Update the labels on a resource.

 * A label key and value must begin with a letter or number, and may contain letters, numbers, hyphens, dots, and underscores, up to 63 characters each.
 * Optionally, the key can begin with a DNS subdomain prefix and a single '/', like example.com/my-app.
 * If --overwrite is true, then existing labels can be overwritten, otherwise attempting to overwrite a label will result in an error.
 * If --resource-version is specified, then updates will use this resource version, otherwise the existing resource-version will be used.`
  static override usage =
    'label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version]'
  static override examples = [
    "# Update pod 'foo' with the label 'unhealthy' and the value 'true'\nmkctl label pods foo unhealthy=true",
    "# Update pod 'foo' with the label 'status' and the value 'unhealthy', overwriting any existing value\nmkctl label --overwrite pods foo status=unhealthy",
    '# Update all pods in the namespace\nmkctl label pods --all status=unhealthy',
    '# Update a pod identified by the type and name in "pod.json"\nmkctl label -f pod.json status=unhealthy',
    "# Update pod 'foo' only if the resource is unchanged from version 1\nmkctl label pods foo status=unhealthy --resource-version=1",
    "# Update pod 'foo' by removing a label named 'bar' if it exists\n# Does not require the --overwrite flag\nmkctl label pods foo bar-",
  ]
  static override strict = false
  static override flags = metadataEditFlags('labels', 'label', 'kubectl-label')

  async run(): Promise<void> {
    const argv = noOptDefaults(this.argv, {'--dry-run': 'unchanged'})
    const {flags, argv: args} = await this.parse(Label, argv)
    const o = new LabelOptions(this.io)
    setMetadataEditFlags(o, flags, args as string[])
    await o.complete(this.factory)
    await o.run()
  }
}
