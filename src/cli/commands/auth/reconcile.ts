// reconcile.ts is `mkctl auth reconcile` (kubectl/pkg/cmd/auth/reconcile.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {ReconcileOptions} from '../../options/auth-reconcile.js'
import {noOptDefaults} from '../../resource/openapi.js'
import {filenameFlags, printFlags} from '../set/flags.js'

/** AuthReconcile reconciles RBAC roles, role bindings, cluster roles and cluster role bindings from files. */
export default class AuthReconcile extends MkctlCommand {
  static override summary =
    'Reconciles rules for RBAC role, role binding, cluster role, and cluster role binding objects'
  static override description = `Reconciles rules for RBAC role, role binding, cluster role, and cluster role binding objects.

 Missing objects are created, and the containing namespace is created for namespaced objects, if required.

 Existing roles are updated to include the permissions in the input objects, and remove extra permissions if --remove-extra-permissions is specified.

 Existing bindings are updated to include the subjects in the input objects, and remove extra subjects if --remove-extra-subjects is specified.

 This is preferred to 'apply' for RBAC resources so that semantically-aware merging of rules and subjects is done.`
  static override examples = ['# Reconcile RBAC resources from a file\nmkctl auth reconcile -f my-rbac-rules.yaml']
  static override usage = 'auth reconcile -f FILENAME'
  static override strict = false
  static override flags = {
    ...printFlags,
    ...filenameFlags('identifying the resource to reconcile.'),
    'remove-extra-permissions': Flags.boolean({summary: 'If true, removes extra permissions added to roles'}),
    'remove-extra-subjects': Flags.boolean({summary: 'If true, removes extra subjects added to rolebindings'}),
    'dry-run': Flags.string({
      default: 'none',
      summary:
        'Must be "none", "server", or "client". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource.',
    }),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(AuthReconcile, noOptDefaults(this.argv, {'--dry-run': 'unchanged'}))
    const o = new ReconcileOptions(this.io)
    o.args = argv as string[]
    o.filenames = flags.filename ?? []
    o.recursive = flags.recursive
    o.kustomize = flags.kustomize
    o.output = flags.output ?? ''
    o.template = flags.template
    o.allowMissingTemplateKeys = flags['allow-missing-template-keys']
    o.showManagedFields = flags['show-managed-fields']
    o.dryRunFlag = flags['dry-run']
    o.removeExtraPermissions = flags['remove-extra-permissions']
    o.removeExtraSubjects = flags['remove-extra-subjects']
    await o.complete(this.factory)
    await o.run()
  }
}
