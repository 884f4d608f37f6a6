// can-i.ts is `mkctl auth can-i` (kubectl/pkg/cmd/auth/cani.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {CanIOptions} from '../../options/auth.js'

/** AuthCanI checks whether an action is allowed; it exits 1 when the answer is no. */
export default class AuthCanI extends MkctlCommand {
  static override summary = 'Check whether an action is allowed'
  static override description = `Check whether an action is allowed.

 VERB is a logical Kubernetes API verb like 'get', 'list', 'watch', 'delete', etc. TYPE is a Kubernetes resource. Shortcuts and groups will be resolved. NONRESOURCEURL is a partial URL that starts with "/". NAME is the name of a particular Kubernetes resource. This command pairs nicely with impersonation. See --as global flag.`
  static override examples = [
    '# Check to see if I can create pods in any namespace\nmkctl auth can-i create pods --all-namespaces',
    '# Check to see if I can list deployments in my current namespace\nmkctl auth can-i list deployments.apps',
    '# Check to see if service account "foo" of namespace "dev" can list pods in the namespace "prod"\n# You must be allowed to use impersonation for the global option "--as"\nmkctl auth can-i list pods --as=system:serviceaccount:dev:foo -n prod',
    "# Check to see if I can do everything in my current namespace (\"*\" means all)\nmkctl auth can-i '*' '*'",
    '# Check to see if I can get the job named "bar" in namespace "foo"\nmkctl auth can-i list jobs.batch/bar -n foo',
    '# Check to see if I can read pod logs\nmkctl auth can-i get pods --subresource=log',
    '# Check to see if I can access the URL /logs/\nmkctl auth can-i get /logs/',
    '# Check to see if I can approve certificates.k8s.io\nmkctl auth can-i approve certificates.k8s.io',
    '# List all allowed actions in namespace "foo"\nmkctl auth can-i --list --namespace=foo',
  ]
  static override strict = false
  static override flags = {
    'all-namespaces': Flags.boolean({char: 'A', summary: 'If true, check the specified action in all namespaces.'}),
    quiet: Flags.boolean({char: 'q', summary: 'If true, suppress output and just return the exit code.'}),
    subresource: Flags.string({summary: 'SubResource such as pod/log or deployment/scale'}),
    list: Flags.boolean({summary: 'If true, prints all allowed actions.'}),
    'no-headers': Flags.boolean({summary: 'If true, prints allowed actions without headers'}),
    as: Flags.string({
      summary:
        'Username to impersonate for the operation. User could be a regular user or a service account in a namespace.',
    }),
    'as-group': Flags.string({
      multiple: true,
      summary: 'Group to impersonate for the operation, this flag can be repeated to specify multiple groups.',
    }),
    'as-uid': Flags.string({summary: 'UID to impersonate for the operation.'}),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(AuthCanI)
    const o = new CanIOptions(this.io)
    o.allNamespaces = flags['all-namespaces']
    o.quiet = flags.quiet
    o.subresource = flags.subresource ?? ''
    o.list = flags.list
    o.noHeaders = flags['no-headers']
    o.imp = {as: flags.as, asGroups: flags['as-group'], asUid: flags['as-uid']}
    await o.complete(this.factory, argv as string[])
    await o.validate(this.factory)
    await o.run(this.factory)
  }
}
