// events.ts is `mkctl events` (kubectl/pkg/cmd/events/events.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../base-command.js'
import {EventsOptions} from '../options/events.js'

/** Events lists events. */
export default class Events extends MkctlCommand {
  static override summary = 'List events'
  static override description = `Display events.

Prints a table of the most important information about events. You can request events for a namespace, for all namespace, or filtered to only those pertaining to a specified resource.`
  static override usage =
    'events [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file] [--for TYPE/NAME] [--watch] [--types=Normal,Warning] [options]'
  static override examples = [
    '# List recent events in the default namespace\nmkctl events',
    '# List recent events in all namespaces\nmkctl events --all-namespaces',
    '# List recent events for the specified pod, then wait for more events and list them as they arrive\nmkctl events --for pod/web-pod-13je7 --watch',
    '# List recent events in YAML format\nmkctl events -oyaml',
    "# List recent only events of type 'Warning' or 'Normal'\nmkctl events --types=Warning,Normal",
  ]
  static override flags = {
    'all-namespaces': Flags.boolean({
      char: 'A',
      summary:
        'If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.',
    }),
    'allow-missing-template-keys': Flags.boolean({
      default: true,
      allowNo: true,
      summary:
        'If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.',
    }),
    'chunk-size': Flags.string({
      default: '500',
      summary:
        'Return large lists in chunks rather than all at once. Pass 0 to disable. This flag is beta and may change in the future.',
    }),
    for: Flags.string({summary: 'Filter events to only those pertaining to the specified resource.'}),
    'no-headers': Flags.boolean({summary: "When using the default output format, don't print headers."}),
    output: Flags.string({
      char: 'o',
      summary:
        'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).',
    }),
    'show-managed-fields': Flags.boolean({
      summary: 'If true, keep the managedFields when printing objects in JSON or YAML format.',
    }),
    template: Flags.string({
      summary:
        'Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].',
    }),
    types: Flags.string({multiple: true, summary: 'Output only events of given types.'}),
    watch: Flags.boolean({char: 'w', summary: 'After listing the requested events, watch for more events.'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Events)
    const o = new EventsOptions(this.io)
    o.commandPath = this.commandPath
    o.allNamespaces = flags['all-namespaces']
    o.watch = flags.watch
    o.noHeaders = flags['no-headers']
    o.forObject = flags.for ?? ''
    // a pflag StringSlice: every occurrence, each split on commas
    o.types = (flags.types ?? []).flatMap((t) => t.split(',')).filter((t) => t !== '')
    o.chunkSize = flags['chunk-size']
    o.output = flags.output ?? ''
    o.template = flags.template
    o.showManagedFields = flags['show-managed-fields']
    o.allowMissingTemplateKeys = flags['allow-missing-template-keys']
    await o.complete(this.factory)
    o.validate()
    await o.run()
  }
}
