// delete.ts is `mkctl delete` (kubectl/pkg/cmd/delete/delete.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../base-command.js'
import {DeleteOptions} from '../options/delete.js'
import {noOptDefaults} from '../resource/openapi.js'

/** Delete deletes resources by file names, stdin, resources and names, or by resources and label selector. */
export default class Delete extends MkctlCommand {
  static override summary =
    'Delete resources by file names, stdin, resources and names, or by resources and label selector'
  static override examples = [
    '# Delete a pod using the type and name specified in pod.json\nmkctl delete -f ./pod.json',
    '# Delete pods and services with same names "baz" and "foo"\nmkctl delete pod,service baz foo',
    '# Delete pods and services with label name=myLabel\nmkctl delete pods,services -l name=myLabel',
    '# Delete all pods\nmkctl delete pods --all',
  ]
  static override strict = false
  static override flags = {
    filename: Flags.string({char: 'f', multiple: true, summary: 'containing the resource to delete.'}),
    recursive: Flags.boolean({char: 'R', summary: 'Process the directory used in -f, --filename recursively.'}),
    kustomize: Flags.string({char: 'k', summary: 'Process a kustomization directory. Not supported by mkctl.'}),
    selector: Flags.string({char: 'l', summary: 'Selector (label query) to filter on.'}),
    'field-selector': Flags.string({summary: 'Selector (field query) to filter on.'}),
    all: Flags.boolean({summary: 'Delete all resources, in the namespace of the specified resource types.'}),
    'all-namespaces': Flags.boolean({
      char: 'A',
      summary: 'If present, list the requested object(s) across all namespaces.',
    }),
    'ignore-not-found': Flags.boolean({summary: 'Treat "resource not found" as a successful delete.'}),
    'grace-period': Flags.integer({
      default: -1,
      summary: 'Period of time in seconds given to the resource to terminate gracefully.',
    }),
    force: Flags.boolean({summary: 'If true, immediately remove resources from API and bypass graceful deletion.'}),
    now: Flags.boolean({summary: 'If true, resources are signaled for immediate shutdown (same as --grace-period=1).'}),
    cascade: Flags.string({default: 'background', summary: 'Must be "background", "orphan", or "foreground".'}),
    wait: Flags.boolean({
      default: true,
      allowNo: true,
      summary: 'If true, wait for resources to be gone before returning.',
    }),
    timeout: Flags.string({
      default: '0s',
      summary:
        'The length of time to wait before giving up on a delete, zero means determine a timeout from the size of the object',
    }),
    'dry-run': Flags.string({default: 'none', summary: 'Must be "none", "server", or "client".'}),
    output: Flags.string({char: 'o', summary: 'Output mode. Use "-o name" for shorter output (resource/name).'}),
  }

  async run(): Promise<void> {
    const argv = noOptDefaults(this.argv, {'--dry-run': 'unchanged', '--cascade': 'background'})
    const {flags, argv: args} = await this.parse(Delete, argv)
    const o = new DeleteOptions(this.io)
    o.args = args as string[]
    o.filenames = flags.filename ?? []
    o.recursive = flags.recursive
    o.kustomize = flags.kustomize
    o.selector = flags.selector
    o.fieldSelector = flags['field-selector']
    o.all = flags.all
    o.allNamespaces = flags['all-namespaces']
    if (argv.some((a) => a === '--ignore-not-found' || a.startsWith('--ignore-not-found=')))
      o.ignoreNotFound = flags['ignore-not-found']
    o.gracePeriod = flags['grace-period']
    o.force = flags.force
    o.now = flags.now
    o.cascadeFlag = flags.cascade
    o.wait = flags.wait
    o.timeoutFlag = flags.timeout
    o.dryRunFlag = flags['dry-run']
    o.output = flags.output ?? ''
    o.validate()
    await o.complete(this.factory)
    await o.run()
  }
}
