// set-credentials.ts is `mkctl config set-credentials NAME` (kubectl/pkg/cmd/config/set_credentials.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {noOptDefaults} from '../../resource/openapi.js'
import {parseGoBool, SetCredentialsOptions, withHelpOnError} from '../../options/config-edit.js'

/** ConfigSetCredentials creates or modifies a user entry. */
export default class ConfigSetCredentials extends MkctlCommand {
  static override summary = 'Set a user entry in kubeconfig'
  static override description =
    'Set a user entry in kubeconfig.\n\n Specifying a name that already exists will merge new fields on top of existing values.'
  static override examples = [
    '# Set only the "client-key" field on the "cluster-admin"\n# entry, without touching other values\nmkctl config set-credentials cluster-admin --client-key=~/.kube/admin.key',
    '# Set basic auth for the "cluster-admin" entry\nmkctl config set-credentials cluster-admin --username=admin --password=uXFGweU9l35qcif',
    '# Embed client certificate data in the "cluster-admin" entry\nmkctl config set-credentials cluster-admin --client-certificate=~/.kube/admin.crt --embed-certs=true',
    '# Define a new exec auth plugin configuration for the "cluster-admin" entry\nmkctl config set-credentials cluster-admin --exec-command=/path/to/the/executable --exec-api-version=client.authentication.k8s.io/v1beta1',
  ]
  static override strict = false
  static override flags = {
    'client-certificate': Flags.string({summary: 'Path to client-certificate file for the user entry in kubeconfig'}),
    'client-key': Flags.string({summary: 'Path to client-key file for the user entry in kubeconfig'}),
    username: Flags.string({summary: 'username for the user entry in kubeconfig'}),
    password: Flags.string({summary: 'password for the user entry in kubeconfig'}),
    'auth-provider': Flags.string({summary: 'Auth provider for the user entry in kubeconfig'}),
    'auth-provider-arg': Flags.string({multiple: true, summary: "'key=value' arguments for the auth provider"}),
    'exec-command': Flags.string({summary: 'Command for the exec credential plugin for the user entry in kubeconfig'}),
    'exec-api-version': Flags.string({
      summary: 'API version of the exec credential plugin for the user entry in kubeconfig',
    }),
    'exec-arg': Flags.string({
      multiple: true,
      summary: 'New arguments for the exec credential plugin command for the user entry in kubeconfig',
    }),
    'exec-env': Flags.string({
      multiple: true,
      summary: "'key=value' environment values for the exec credential plugin",
    }),
    'exec-interactive-mode': Flags.string({
      summary: 'InteractiveMode of the exec credentials plugin for the user entry in kubeconfig',
    }),
    'exec-provide-cluster-info': Flags.string({
      // help shows kubectl's Go default; the flag stays undefined when not given
      helpValue: 'false',
      summary: 'ProvideClusterInfo of the exec credentials plugin for the user entry in kubeconfig',
    }),
    'embed-certs': Flags.string({
      // help shows kubectl's Go default; the flag stays undefined when not given
      helpValue: 'false',
      summary: 'Embed client cert/key for the user entry in kubeconfig',
    }),
  }

  async run(): Promise<void> {
    const argv = noOptDefaults(this.argv, {'--embed-certs': 'true', '--exec-provide-cluster-info': 'true'})
    const {flags, argv: args} = await this.parse(ConfigSetCredentials, argv)
    const o = new SetCredentialsOptions(this.io)
    o.clientCertificate = flags['client-certificate']
    o.clientKey = flags['client-key']
    // --token is the global flag in kubectl too; set-credentials reads its value
    o.token = flags.token
    o.username = flags.username
    o.password = flags.password
    o.authProvider = flags['auth-provider']
    // StringSlice flags split each value on commas
    o.authProviderArgs = (flags['auth-provider-arg'] ?? []).flatMap((v: string) => v.split(','))
    o.execCommand = flags['exec-command']
    o.execApiVersion = flags['exec-api-version']
    o.execArgs = (flags['exec-arg'] ?? []).flatMap((v: string) => v.split(','))
    o.execEnv = flags['exec-env'] ?? []
    o.execInteractiveMode = flags['exec-interactive-mode']
    if (flags['exec-provide-cluster-info'] !== undefined)
      o.execProvideClusterInfo = parseGoBool(flags['exec-provide-cluster-info']) === true
    o.embedCerts = flags['embed-certs'] !== undefined && parseGoBool(flags['embed-certs']) === true
    await withHelpOnError(this, () => o.run(this.factory, args as string[]))
  }
}
