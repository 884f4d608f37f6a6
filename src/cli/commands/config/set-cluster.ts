// set-cluster.ts is `mkctl config set-cluster NAME` (kubectl/pkg/cmd/config/set_cluster.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {noOptDefaults} from '../../resource/openapi.js'
import {parseGoBool, SetClusterOptions, withHelpOnError} from '../../options/config-edit.js'

/** ConfigSetCluster creates or modifies a cluster entry. */
export default class ConfigSetCluster extends MkctlCommand {
  static override summary = 'Set a cluster entry in kubeconfig'
  static override description =
    'Set a cluster entry in kubeconfig.\n\n Specifying a name that already exists will merge new fields on top of existing values for those fields.'
  static override examples = [
    '# Set only the server field on the e2e cluster entry without touching other values\nmkctl config set-cluster e2e --server=https://1.2.3.4',
    '# Embed certificate authority data for the e2e cluster entry\nmkctl config set-cluster e2e --embed-certs --certificate-authority=~/.kube/e2e/kubernetes.ca.crt',
    '# Disable cert checking for the e2e cluster entry\nmkctl config set-cluster e2e --insecure-skip-tls-verify=true',
    '# Set the custom TLS server name to use for validation for the e2e cluster entry\nmkctl config set-cluster e2e --tls-server-name=my-cluster-name',
    '# Set the proxy URL for the e2e cluster entry\nmkctl config set-cluster e2e --proxy-url=https://1.2.3.4',
  ]
  static override strict = false
  static override flags = {
    'certificate-authority': Flags.string({
      summary: 'Path to certificate-authority file for the cluster entry in kubeconfig',
    }),
    'embed-certs': Flags.string({
      // help shows kubectl's Go default; the flag stays undefined when not given
      helpValue: 'false',
      summary: 'embed-certs for the cluster entry in kubeconfig',
    }),
    'tls-server-name': Flags.string({summary: 'tls-server-name for the cluster entry in kubeconfig'}),
    'proxy-url': Flags.string({summary: 'proxy-url for the cluster entry in kubeconfig'}),
  }

  async run(): Promise<void> {
    // --server and --insecure-skip-tls-verify are global flags in kubectl too; set-cluster reads their values
    const argv = noOptDefaults(this.argv, {'--embed-certs': 'true'})
    const {flags, argv: args} = await this.parse(ConfigSetCluster, argv)
    const o = new SetClusterOptions(this.io)
    o.server = flags.server
    o.tlsServerName = flags['tls-server-name']
    // Provided() semantics: only a flag on the command line changes the entry. The global-flag pre-pass lifts it out
    // of this.argv, so a given `=false` is looked for on the process's own command line.
    if (flags['insecure-skip-tls-verify']) o.insecureSkipTlsVerify = true
    else
      for (const a of process.argv.slice(2)) {
        if (a === '--insecure-skip-tls-verify') o.insecureSkipTlsVerify = true
        else if (a.startsWith('--insecure-skip-tls-verify='))
          o.insecureSkipTlsVerify = parseGoBool(a.slice('--insecure-skip-tls-verify='.length)) === true
      }
    o.certificateAuthority = flags['certificate-authority']
    o.embedCerts = flags['embed-certs'] !== undefined && parseGoBool(flags['embed-certs']) === true
    o.proxyUrl = flags['proxy-url']
    await withHelpOnError(this, () => o.run(this.factory, args as string[]))
  }
}
