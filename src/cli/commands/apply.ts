// apply.ts is `mkctl apply -f` (kubectl/pkg/cmd/apply/apply.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../base-command.js'
import {ApplyOptions} from '../options/apply.js'
import {noOptDefaults} from '../resource/openapi.js'

/** Apply applies a configuration to resources by file name or stdin. */
export default class Apply extends MkctlCommand {
  static override summary = 'Apply a configuration to a resource by file name or stdin'
  static override description =
    "Apply a configuration to a resource by file name or stdin. The resource name must be specified. This resource will be created if it doesn't exist yet. To use 'apply', always create the resource initially with either 'apply' or 'create --save-config'.\n\nJSON and YAML formats are accepted."
  static override examples = [
    '# Apply the configuration in pod.json to a pod\nmkctl apply -f ./pod.json',
    '# Apply the JSON passed into stdin to a pod\ncat pod.json | mkctl apply -f -',
    '# Apply the configuration in manifest.yaml that matches label app=nginx and delete all other resources that are not in the file and match label app=nginx\nmkctl apply --prune -f manifest.yaml -l app=nginx',
  ]
  static override strict = false
  static override flags = {
    filename: Flags.string({char: 'f', multiple: true, summary: 'The files that contain the configurations to apply.'}),
    recursive: Flags.boolean({char: 'R', summary: 'Process the directory used in -f, --filename recursively.'}),
    kustomize: Flags.string({char: 'k', summary: 'Process a kustomization directory. Not supported by mkctl.'}),
    selector: Flags.string({char: 'l', summary: 'Selector (label query) to filter on.'}),
    output: Flags.string({
      char: 'o',
      summary: 'Output format. One of: (json, yaml, name, jsonpath, jsonpath-as-json, jsonpath-file).',
    }),
    'dry-run': Flags.string({summary: 'Must be "none", "server", or "client".', default: 'none'}),
    validate: Flags.string({summary: 'Must be one of: strict (or true), warn, ignore (or false).', default: 'strict'}),
    'server-side': Flags.boolean({summary: 'If true, apply runs in the server instead of the client.'}),
    'force-conflicts': Flags.boolean({summary: 'If true, server-side apply will force the changes against conflicts.'}),
    'field-manager': Flags.string({
      default: 'kubectl-client-side-apply',
      summary: 'Name of the manager used to track field ownership.',
    }),
    prune: Flags.boolean({
      summary:
        'Automatically delete resource objects that do not appear in the configs and are created by either apply or create --save-config.',
    }),
    all: Flags.boolean({summary: 'Select all resources in the namespace of the specified resource types.'}),
    overwrite: Flags.boolean({
      default: true,
      allowNo: true,
      summary:
        'Automatically resolve conflicts between the modified and live configuration by using values from the modified configuration',
    }),
  }

  async run(): Promise<void> {
    const argv = noOptDefaults(this.argv, {'--validate': 'strict', '--dry-run': 'unchanged'})
    const {flags, metadata} = await this.parse(Apply, argv)
    const o = new ApplyOptions(this.io)
    o.setManifestFlags(flags)
    o.serverSide = flags['server-side']
    o.forceConflicts = flags['force-conflicts']
    // an unchanged --field-manager becomes 'kubectl' under --server-side (cmdutil.GetFieldManagerFlag)
    o.fieldManager = metadata.flags['field-manager']?.setFromDefault ? undefined : flags['field-manager']
    o.prune = flags.prune
    o.all = flags.all
    o.overwrite = flags.overwrite
    o.validate()
    await o.complete(this.factory)
    await o.run()
  }
}
