// taint.ts is `mkctl taint` (kubectl/pkg/cmd/taint/taint.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../base-command.js'
import {TaintOptions} from '../options/taint.js'
import {noOptDefaults} from '../resource/openapi.js'

/** Taint updates the taints on one or more nodes. */
export default class Taint extends MkctlCommand {
  static override summary = 'Update the taints on one or more nodes'
  static override description =
    "Update the taints on one or more nodes.\n\n  * A taint consists of a key, value, and effect. As an argument here, it is expressed as key=value:effect.\n  * The key must begin with a letter or number, and may contain letters, numbers, hyphens, dots, and underscores, up to 253 characters.\n  * Optionally, the key can begin with a DNS subdomain prefix and a single '/', like example.com/my-app.\n  * The value is optional. If given, it must begin with a letter or number, and may contain letters, numbers, hyphens, dots, and underscores, up to 63 characters.\n  * The effect must be NoSchedule, PreferNoSchedule or NoExecute.\n  * Currently taint can only apply to node."
  static override usage = 'taint NODE NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N'
  static override examples = [
    "# Update node 'foo' with a taint with key 'dedicated' and value 'special-user' and effect 'NoSchedule'\n# If a taint with that key and effect already exists, its value is replaced as specified\nmkctl taint nodes foo dedicated=special-user:NoSchedule",
    "# Remove from node 'foo' the taint with key 'dedicated' and effect 'NoSchedule' if one exists\nmkctl taint nodes foo dedicated:NoSchedule-",
    "# Remove from node 'foo' all the taints with key 'dedicated'\nmkctl taint nodes foo dedicated-",
    "# Add a taint with key 'dedicated' on nodes having label myLabel=X\nmkctl taint node -l myLabel=X  dedicated=foo:PreferNoSchedule",
    "# Add to node 'foo' a taint with key 'bar' and no value\nmkctl taint nodes foo bar:NoSchedule",
  ]
  static override strict = false
  static override flags = {
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
    'dry-run': Flags.string({
      default: 'none',
      summary:
        'Must be "none", "server", or "client". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource.',
    }),
    validate: Flags.string({
      default: 'strict',
      summary: 'Must be one of: strict (or true), warn, ignore (or false).',
    }),
    selector: Flags.string({
      char: 'l',
      summary:
        "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.",
    }),
    overwrite: Flags.boolean({
      summary:
        'If true, allow taints to be overwritten, otherwise reject taint updates that overwrite existing taints.',
    }),
    all: Flags.boolean({summary: 'Select all nodes in the cluster'}),
    'field-manager': Flags.string({
      default: 'kubectl-taint',
      summary: 'Name of the manager used to track field ownership.',
    }),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(
      Taint,
      noOptDefaults(this.argv, {'--dry-run': 'unchanged', '--validate': 'strict'}),
    )
    const o = new TaintOptions(this.io, this.commandPath)
    o.args = argv as string[]
    o.selector = flags.selector ?? ''
    o.all = flags.all
    o.overwrite = flags.overwrite
    o.output = flags.output ?? ''
    o.dryRunFlag = flags['dry-run']
    o.validateFlag = flags.validate
    o.fieldManager = flags['field-manager']
    await o.complete(this.factory)
    await o.run()
  }
}
