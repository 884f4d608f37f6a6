// get.ts is `mkctl get` (kubectl get): display one or many resources.
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../base-command.js'
import {GetOptions} from '../options/get.js'

/** Get displays resources as kubectl get does. */
export default class Get extends MkctlCommand {
  static override summary = 'Display one or many resources'
  static override description =
    'Prints a table of the most important information about the specified resources. You can filter the list using a label selector and the --selector flag. If the desired resource type is namespaced you will only see results in the current namespace unless you pass --all-namespaces.'
  static override examples = [
    '# List all pods in ps output format\nmkctl get pods',
    '# List all pods in ps output format with more information (such as node name)\nmkctl get pods -o wide',
    '# List a single deployment with specified NAME in JSON output format\nmkctl get deployment web -o json',
    '# List all replication controllers and services together in ps output format\nmkctl get rc,services',
  ]
  static override strict = false
  static override flags = {
    output: Flags.string({
      char: 'o',
      summary:
        'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file, custom-columns, custom-columns-file, wide).',
    }),
    selector: Flags.string({char: 'l', summary: 'Selector (label query) to filter on.'}),
    'field-selector': Flags.string({summary: 'Selector (field query) to filter on.'}),
    'all-namespaces': Flags.boolean({
      char: 'A',
      summary: 'If present, list the requested object(s) across all namespaces.',
    }),
    'show-labels': Flags.boolean({summary: 'When printing, show all labels as the last column.'}),
    'label-columns': Flags.string({
      char: 'L',
      summary: 'Accepts a comma separated list of labels that are going to be presented as columns.',
      multiple: true,
    }),
    'no-headers': Flags.boolean({
      summary: "When using the default or custom-column output format, don't print headers.",
    }),
    'show-kind': Flags.boolean({summary: 'If present, list the resource type for the requested object(s).'}),
    watch: Flags.boolean({char: 'w', summary: 'After listing/getting the requested object, watch for changes.'}),
    'watch-only': Flags.boolean({
      summary: 'Watch for changes to the requested object(s), without listing/getting first.',
    }),
    'output-watch-events': Flags.boolean({summary: 'Output watch event objects when --watch or --watch-only is used.'}),
    'chunk-size': Flags.integer({summary: 'Return large lists in chunks rather than all at once.', default: 500}),
    'ignore-not-found': Flags.boolean({
      summary: 'If the requested object does not exist the command will return exit code 0.',
    }),
    'sort-by': Flags.string({summary: 'If non-empty, sort list types using this field specification.'}),
    template: Flags.string({
      summary: 'Template string or path to template file to use when -o=go-template, -o=go-template-file.',
    }),
    'allow-missing-template-keys': Flags.boolean({
      summary:
        'If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.',
      default: true,
      allowNo: false,
    }),
    'show-managed-fields': Flags.boolean({
      summary: 'If true, keep the managedFields when printing objects in JSON or YAML format.',
    }),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Get)
    const o = new GetOptions(
      {
        ...(flags.output !== undefined ? {output: flags.output} : {}),
        ...(flags.selector !== undefined ? {selector: flags.selector} : {}),
        ...(flags['field-selector'] !== undefined ? {fieldSelector: flags['field-selector']} : {}),
        allNamespaces: flags['all-namespaces'],
        showLabels: flags['show-labels'],
        labelColumns: (flags['label-columns'] ?? []).flatMap((l) => l.split(',')),
        noHeaders: flags['no-headers'],
        showKind: flags['show-kind'],
        watch: flags.watch,
        watchOnly: flags['watch-only'],
        outputWatchEvents: flags['output-watch-events'],
        chunkSize: flags['chunk-size'],
        ignoreNotFound: flags['ignore-not-found'],
        ...(flags['sort-by'] !== undefined ? {sortBy: flags['sort-by']} : {}),
        ...(flags.template !== undefined ? {template: flags.template} : {}),
        showManagedFields: flags['show-managed-fields'],
        allowMissingTemplateKeys: flags['allow-missing-template-keys'],
      },
      argv as string[],
      this.io,
    )
    o.validate()
    await o.complete(this.factory)
    await o.run()
  }
}
