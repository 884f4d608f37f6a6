// wait.ts is `mkctl wait` (kubectl/pkg/cmd/wait/wait.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../base-command.js'
import {WaitOptions} from '../options/wait.js'

/** Wait waits for a specific condition on one or many resources. */
export default class Wait extends MkctlCommand {
  static override summary = 'Experimental: Wait for a specific condition on one or many resources'
  static override description =
    'Experimental: Wait for a specific condition on one or many resources.\n\nThe command takes multiple resources and waits until the specified condition is seen in the Status field of every given resource.\n\nAlternatively, the command can wait for the given set of resources to be created or deleted by providing the "create" or "delete" keyword as the value to the --for flag.\n\nA successful message will be printed to stdout indicating when the specified condition has been met. You can use -o option to change to output destination.'
  static override usage =
    "wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=create|--for=delete|--for condition=available|--for=jsonpath='{}'[=value]]"
  static override examples = [
    '# Wait for the pod "busybox1" to contain the status condition of type "Ready"\nmkctl wait --for=condition=Ready pod/busybox1',
    '# The default value of status condition is true; you can wait for other targets after an equal delimiter (compared after Unicode simple case folding, which is a more general form of case-insensitivity)\nmkctl wait --for=condition=Ready=false pod/busybox1',
    '# Wait for the pod "busybox1" to contain the status phase to be "Running"\nmkctl wait --for=jsonpath=\'{.status.phase}\'=Running pod/busybox1',
    '# Wait for pod "busybox1" to be Ready\nmkctl wait --for=\'jsonpath={.status.conditions[?(@.type=="Ready")].status}=True\' pod/busybox1',
    '# Wait for the service "loadbalancer" to have ingress\nmkctl wait --for=jsonpath=\'{.status.loadBalancer.ingress}\' service/loadbalancer',
    '# Wait for the secret "busybox1" to be created, with a timeout of 30 seconds\nmkctl create secret generic busybox1\nmkctl wait --for=create secret/busybox1 --timeout=30s',
    '# Wait for the pod "busybox1" to be deleted, with a timeout of 60s, after having issued the "delete" command\nmkctl delete pod/busybox1\nmkctl wait --for=delete pod/busybox1 --timeout=60s',
  ]
  static override strict = false
  static override flags = {
    'all-namespaces': Flags.boolean({
      char: 'A',
      summary:
        'If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.',
    }),
    all: Flags.boolean({summary: 'Select all resources in the namespace of the specified resource types'}),
    'field-selector': Flags.string({
      summary:
        "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type.",
    }),
    filename: Flags.string({char: 'f', multiple: true, summary: 'identifying the resource.'}),
    recursive: Flags.boolean({
      char: 'R',
      default: true,
      summary:
        'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.',
    }),
    selector: Flags.string({
      char: 'l',
      summary:
        "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.",
    }),
    local: Flags.boolean({summary: 'If true, annotation will NOT contact api-server but run locally.'}),
    output: Flags.string({
      char: 'o',
      summary:
        'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).',
    }),
    template: Flags.string({
      summary: 'Template string or path to template file to use when -o=go-template, -o=go-template-file.',
    }),
    'allow-missing-template-keys': Flags.boolean({
      default: true,
      summary: 'If true, ignore any errors in templates when a field or map key is missing in the template.',
    }),
    'show-managed-fields': Flags.boolean({
      summary: 'If true, keep the managedFields when printing objects in JSON or YAML format.',
    }),
    timeout: Flags.string({
      default: '30s',
      summary:
        "The length of time to wait before giving up. Zero means check once and don't wait, negative means wait for a week.",
    }),
    for: Flags.string({
      summary:
        "The condition to wait on: [create|delete|condition=condition-name[=condition-value]|jsonpath='{JSONPath expression}'=[JSONPath value]]. The default condition-value is true. Condition values are compared after Unicode simple case folding, which is a more general form of case-insensitivity.",
    }),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Wait)
    const o = new WaitOptions(this.io)
    o.args = argv as string[]
    o.filenames = flags.filename ?? []
    o.recursive = flags.recursive
    o.selector = flags.selector
    o.fieldSelector = flags['field-selector']
    o.all = flags.all
    o.allNamespaces = flags['all-namespaces']
    o.forCondition = flags.for ?? ''
    o.timeoutFlag = flags.timeout
    o.output = flags.output ?? ''
    await o.complete(this.factory)
    await o.run()
  }
}
