// replace.ts is `mkctl replace` (kubectl/pkg/cmd/replace/replace.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../base-command.js'
import {ReplaceOptions} from '../options/replace.js'
import {parseDurationFlag, parseIntFlag} from '../options/scale.js'
import {noOptDefaults} from '../resource/openapi.js'
import {dryRunFlag, printFlags} from './scale.js'

/** Replace replaces a resource by file name or stdin. */
export default class Replace extends MkctlCommand {
  static override summary = 'Replace a resource by file name or stdin'
  static override description = `Replace a resource by file name or stdin.

 JSON and YAML formats are accepted. If replacing an existing resource, the complete resource spec must be provided. This can be obtained by

  $ mkctl get TYPE NAME -o yaml`
  static override usage = 'replace -f FILENAME'
  static override examples = [
    '# Replace a pod using the data in pod.json\nmkctl replace -f ./pod.json',
    '# Replace a pod based on the JSON passed into stdin\ncat pod.json | mkctl replace -f -',
    "# Update a single-container pod's image version (tag) to v4\nmkctl get pod mypod -o yaml | sed 's/\\(image: myimage\\):.*$/\\1:v4/' | mkctl replace -f -",
    '# Force replace, delete and then re-create the resource\nmkctl replace --force -f ./pod.json',
  ]
  static override strict = false
  static override flags = {
    filename: Flags.string({
      char: 'f',
      multiple: true,
      multipleNonGreedy: true,
      summary: 'The files that contain the configurations to replace.',
    }),
    recursive: Flags.boolean({
      char: 'R',
      summary:
        'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.',
    }),
    kustomize: Flags.string({char: 'k', summary: 'Process the kustomization directory. Not supported by mkctl.'}),
    cascade: Flags.string({
      default: 'background',
      summary:
        'Must be "background", "orphan", or "foreground". Selects the deletion cascading strategy for the dependents (e.g. Pods created by a ReplicationController). Defaults to background.',
    }),
    force: Flags.boolean({
      summary:
        'If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation.',
    }),
    'grace-period': Flags.string({
      default: '-1',
      summary:
        'Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion).',
    }),
    timeout: Flags.string({
      default: '0s',
      summary:
        'The length of time to wait before giving up on a delete, zero means determine a timeout from the size of the object',
    }),
    wait: Flags.boolean({
      summary: 'If true, wait for resources to be gone before returning. This waits for finalizers.',
    }),
    validate: Flags.string({
      default: 'strict',
      summary: `Must be one of: strict (or true), warn, ignore (or false). "true" or "strict" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. "warn" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as "ignore" otherwise. "false" or "ignore" will not perform any schema validation, silently dropping any unknown or duplicate fields.`,
    }),
    'save-config': Flags.boolean({
      summary:
        'If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future.',
    }),
    raw: Flags.string({summary: 'Raw URI to PUT to the server.  Uses the transport specified by the kubeconfig file.'}),
    'field-manager': Flags.string({
      default: 'kubectl-replace',
      summary: 'Name of the manager used to track field ownership.',
    }),
    subresource: Flags.string({
      summary:
        'If specified, replace will operate on the subresource of the requested object. This flag is beta and may change in the future.',
    }),
    'dry-run': dryRunFlag,
    ...printFlags,
  }

  async run(): Promise<void> {
    const argv = noOptDefaults(this.argv, {'--validate': 'strict', '--dry-run': 'unchanged', '--cascade': 'background'})
    const {flags} = await this.parse(Replace, argv)
    const path = this.commandPath
    const o = new ReplaceOptions(this.io)
    o.gracePeriod = parseIntFlag(flags['grace-period'], 'grace-period', path)
    o.timeoutMs = parseDurationFlag(flags.timeout, 'timeout', path)
    o.filenames = flags.filename ?? []
    o.recursive = flags.recursive
    o.kustomize = flags.kustomize
    o.cascadeFlag = flags.cascade
    o.force = flags.force
    o.wait = flags.wait
    o.validateFlag = flags.validate
    o.saveConfig = flags['save-config']
    o.raw = flags.raw ?? ''
    o.fieldManager = flags['field-manager']
    o.subresource = flags.subresource ?? ''
    o.dryRunFlag = flags['dry-run']
    o.output = flags.output ?? ''
    o.template = flags.template
    o.showManagedFields = flags['show-managed-fields']
    await o.complete(this.factory)
    o.validate()
    await o.run()
  }
}
