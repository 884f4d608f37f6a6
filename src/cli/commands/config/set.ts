// set.ts is `mkctl config set` (kubectl/pkg/cmd/config/set.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {SetOptions, parseGoBool, withHelpOnError} from '../../options/config-edit.js'

/** ConfigSet sets one property of the kubeconfig. */
export default class ConfigSet extends MkctlCommand {
  static override summary = 'Set an individual value in a kubeconfig file'
  static override examples = [
    '# Set the server field on the my-cluster cluster to https://1.2.3.4\nmkctl config set clusters.my-cluster.server https://1.2.3.4',
    '# Set the cluster field in the my-context context to my-cluster\nmkctl config set contexts.my-context.cluster my-cluster',
  ]
  static override strict = false
  static override flags = {
    'set-raw-bytes': Flags.string({
      // help shows kubectl's Go default; the flag stays undefined when not given
      helpValue: 'false',
      summary: 'When writing a []byte PROPERTY_VALUE, write the given string directly without base64 decoding.',
    }),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ConfigSet)
    const o = new SetOptions(this.io)
    o.setRawBytes = flags['set-raw-bytes'] !== undefined && parseGoBool(flags['set-raw-bytes']) === true
    await withHelpOnError(this, () => o.run(this.factory, argv as string[]))
  }
}
