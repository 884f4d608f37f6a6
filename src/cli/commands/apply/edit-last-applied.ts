// edit-last-applied.ts is `mkctl apply edit-last-applied` (kubectl/pkg/cmd/apply/apply_edit_last_applied.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {EditLastAppliedOptions} from '../../options/apply-edit-last-applied.js'
import {noOptDefaults} from '../../resource/openapi.js'
import {filenameFlags, printFlags} from '../set/flags.js'

/** ApplyEditLastApplied edits the last-applied-configuration annotations of resources in the user's editor. */
export default class ApplyEditLastApplied extends MkctlCommand {
  static override summary = 'Edit latest last-applied-configuration annotations of a resource/object'
  static override description = `Edit the latest last-applied-configuration annotations of resources from the default editor.

 The edit-last-applied command allows you to directly edit any API resource you can retrieve via the command-line tools. It will open the editor defined by your KUBE_EDITOR, or EDITOR environment variables, or fall back to 'vi' for Linux or 'notepad' for Windows. You can edit multiple objects, although changes are applied one at a time. The command accepts file names as well as command-line arguments, although the files you point to must be previously saved versions of resources.

 The default format is YAML. To edit in JSON, specify "-o json".

 The flag --windows-line-endings can be used to force Windows line endings, otherwise the default for your operating system will be used.

 In the event an error occurs while updating, a temporary file will be created on disk that contains your unapplied changes. The most common error when updating a resource is another editor changing the resource on the server. When this occurs, you will have to apply your changes to the newer version of the resource, or update your temporary saved copy to include the latest resource version.`
  static override examples = [
    '# Edit the last-applied-configuration annotations by type/name in YAML\nmkctl apply edit-last-applied deployment/nginx',
    '# Edit the last-applied-configuration annotations by file in JSON\nmkctl apply edit-last-applied -f deploy.yaml -o json',
  ]
  static override usage = 'apply edit-last-applied (RESOURCE/NAME | -f FILENAME)'
  static override strict = false
  static override flags = {
    ...printFlags,
    ...filenameFlags('to use to edit the resource'),
    validate: Flags.string({
      default: 'strict',
      summary:
        'Must be one of: strict (or true), warn, ignore (or false). "true" or "strict" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. "warn" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as "ignore" otherwise. "false" or "ignore" will not perform any schema validation, silently dropping any unknown or duplicate fields.',
    }),
    'windows-line-endings': Flags.boolean({summary: 'Defaults to the line ending native to your platform.'}),
    'field-manager': Flags.string({
      default: 'kubectl-client-side-apply',
      summary: 'Name of the manager used to track field ownership.',
    }),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(ApplyEditLastApplied, noOptDefaults(this.argv, {'--validate': 'strict'}))
    const o = new EditLastAppliedOptions(this.io)
    o.args = argv as string[]
    o.filenames = flags.filename ?? []
    o.recursive = flags.recursive
    o.kustomize = flags.kustomize
    o.output = flags.output ?? ''
    o.windowsLineEndings = flags['windows-line-endings']
    o.fieldManager = flags['field-manager']
    o.validateFlag = flags.validate
    await o.complete(this.factory)
    await o.run()
  }
}
