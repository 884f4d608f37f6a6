// whoami.ts is `mkctl auth whoami` (kubectl/pkg/cmd/auth/whoami.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {WhoAmIOptions} from '../../options/auth.js'

/** AuthWhoAmI prints the attributes the server sees for the current user (a SelfSubjectReview). */
export default class AuthWhoAmI extends MkctlCommand {
  static override summary = 'Experimental: Check self subject attributes'
  // kubectl takes and ignores stray words here; strict would let oclif read them as a sub-command's name
  static override strict = false
  static override description = `Experimental: Check who you are and your attributes (groups, extra).

 This command is helpful to get yourself aware of the current user attributes, especially when dynamic authentication, e.g., token webhook, auth proxy, or OIDC provider, is enabled in the Kubernetes cluster.`
  static override examples = [
    '# Get your subject attributes\nmkctl auth whoami',
    '# Get your subject attributes in JSON format\nmkctl auth whoami -o json',
  ]
  static override flags = {
    output: Flags.string({
      char: 'o',
      summary:
        'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).',
    }),
    as: Flags.string({summary: 'Username to impersonate for the operation.'}),
    'as-group': Flags.string({multiple: true, summary: 'Group to impersonate for the operation.'}),
    'as-uid': Flags.string({summary: 'UID to impersonate for the operation.'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(AuthWhoAmI)
    const o = new WhoAmIOptions(this.io)
    o.output = flags.output
    o.imp = {as: flags.as, asGroups: flags['as-group'], asUid: flags['as-uid']}
    await o.run(this.factory)
  }
}
