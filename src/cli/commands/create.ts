// create.ts is `mkctl create -f` (kubectl/pkg/cmd/create/create.go); the `create <kind>` generators are separate
// commands under create/.
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../base-command.js'
import {UsageError} from '../errors.js'
import {CreateOptions} from '../options/create.js'
import {noOptDefaults} from '../resource/openapi.js'

/** Create creates resources from files or stdin. */
export default class Create extends MkctlCommand {
  static override summary = 'Create a resource from a file or from stdin'
  static override description = 'Create a resource from a file or from stdin.\n\nJSON and YAML formats are accepted.'
  static override examples = [
    '# Create a pod using the data in pod.json\nmkctl create -f ./pod.json',
    '# Create a pod based on the JSON passed into stdin\ncat pod.json | mkctl create -f -',
  ]
  static override strict = false
  static override flags = {
    filename: Flags.string({
      char: 'f',
      multiple: true,
      summary: 'Filename, directory, or URL to files to use to create the resource',
    }),
    recursive: Flags.boolean({char: 'R', summary: 'Process the directory used in -f, --filename recursively.'}),
    kustomize: Flags.string({char: 'k', summary: 'Process the kustomization directory. Not supported by mkctl.'}),
    selector: Flags.string({char: 'l', summary: 'Selector (label query) to filter on.'}),
    output: Flags.string({
      char: 'o',
      summary: 'Output format. One of: (json, yaml, name, jsonpath, jsonpath-as-json, jsonpath-file).',
    }),
    'dry-run': Flags.string({summary: 'Must be "none", "server", or "client".', default: 'none'}),
    validate: Flags.string({summary: 'Must be one of: strict (or true), warn, ignore (or false).', default: 'strict'}),
    'save-config': Flags.boolean({
      summary: 'If true, the configuration of current object will be saved in its annotation.',
    }),
    'field-manager': Flags.string({
      summary: 'Name of the manager used to track field ownership.',
      default: 'kubectl-create',
    }),
  }

  async run(): Promise<void> {
    const argv = noOptDefaults(this.argv, {'--validate': 'strict', '--dry-run': 'unchanged'})
    const {flags, argv: args} = await this.parse(Create, argv)
    // create.go ValidateArgs (and DefaultSubCommandRun without -f): no positional arguments; an unknown kind lands here
    if (args.length > 0) throw new UsageError(`Unexpected args: [${args.join(' ')}]`, 'mkctl create')
    const o = new CreateOptions(this.io)
    o.setManifestFlags(flags)
    o.saveConfig = flags['save-config']
    o.fieldManager = flags['field-manager']
    o.validate()
    await o.complete(this.factory)
    await o.run()
  }
}
