// edit.ts is `mkctl edit` (kubectl/pkg/cmd/edit/edit.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../base-command.js'
import {EditOptions} from '../options/edit.js'
import {noOptDefaults} from '../resource/openapi.js'
import {filenameFlags, printFlags, recordFlag} from './set/flags.js'

/** Edit edits a resource on the server. */
export default class Edit extends MkctlCommand {
  static override summary = 'Edit a resource on the server'
  static override description = `Edit a resource from the default editor.

The edit command allows you to directly edit any API resource you can retrieve via the command-line tools. It will open the editor defined by your KUBE_EDITOR, or EDITOR environment variables, or fall back to 'vi' for Linux or 'notepad' for Windows. When attempting to open the editor, it will first attempt to use the shell that has been defined in the 'SHELL' environment variable. If this is not defined, the default shell will be used, which is '/bin/bash' for Linux or 'cmd' for Windows.

You can edit multiple objects, although changes are applied one at a time. The command accepts file names as well as command-line arguments, although the files you point to must be previously saved versions of resources.

Editing is done with the API version used to fetch the resource. To edit using a specific API version, fully-qualify the resource, version, and group.

The default format is YAML. To edit in JSON, specify "-o json".

The flag --windows-line-endings can be used to force Windows line endings, otherwise the default for your operating system will be used.

In the event an error occurs while updating, a temporary file will be created on disk that contains your unapplied changes. The most common error when updating a resource is another editor changing the resource on the server. When this occurs, you will have to apply your changes to the newer version of the resource, or update your temporary saved copy to include the latest resource version.`
  static override examples = [
    "# Edit the service named 'registry'\nmkctl edit svc/registry",
    '# Use an alternative editor\nKUBE_EDITOR="nano" mkctl edit svc/registry',
    "# Edit the job 'myjob' in JSON using the v1 API format\nmkctl edit job.v1.batch/myjob -o json",
    "# Edit the deployment 'mydeployment' in YAML and save the modified config in its annotation\nmkctl edit deployment/mydeployment -o yaml --save-config",
    "# Edit the 'status' subresource for the 'mydeployment' deployment\nmkctl edit deployment mydeployment --subresource='status'",
  ]
  static override usage = 'edit (RESOURCE/NAME | -f FILENAME)'
  static override strict = false
  static override flags = {
    ...recordFlag,
    ...printFlags,
    ...filenameFlags('to use to edit the resource'),
    validate: Flags.string({
      default: 'strict',
      summary:
        'Must be one of: strict (or true), warn, ignore (or false). "true" or "strict" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. "warn" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as "ignore" otherwise. "false" or "ignore" will not perform any schema validation, silently dropping any unknown or duplicate fields.',
    }),
    'output-patch': Flags.boolean({summary: 'Output the patch if the resource is edited.'}),
    'windows-line-endings': Flags.boolean({summary: 'Defaults to the line ending native to your platform.'}),
    'field-manager': Flags.string({
      default: 'kubectl-edit',
      summary: 'Name of the manager used to track field ownership.',
    }),
    'save-config': Flags.boolean({
      summary:
        'If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future.',
    }),
    subresource: Flags.string({
      summary:
        'If specified, edit will operate on the subresource of the requested object. This flag is beta and may change in the future.',
    }),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Edit, noOptDefaults(this.argv, {'--validate': 'strict'}))
    const o = new EditOptions(this.io)
    o.args = argv as string[]
    o.filenames = flags.filename ?? []
    o.recursive = flags.recursive
    o.kustomize = flags.kustomize
    o.output = flags.output ?? ''
    o.outputPatch = flags['output-patch']
    o.windowsLineEndings = flags['windows-line-endings']
    o.fieldManager = flags['field-manager']
    o.saveConfig = flags['save-config']
    o.subresource = flags.subresource ?? ''
    o.validateFlag = flags.validate
    await o.complete(this.factory)
    await o.run()
  }
}
