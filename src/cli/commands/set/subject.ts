// subject.ts is `mkctl set subject` (kubectl/pkg/cmd/set/set_subject.go).
import {Flags} from '@oclif/core'
import {MkctlCommand} from '../../base-command.js'
import {SetSubjectOptions} from '../../options/set/subject.js'
import {noOptDefaults} from '../../resource/openapi.js'
import {allFlag, DRY_RUN_DEFAULTS, filenameFlags, localFlag, printFlags, selectorFlag, writeFlags} from './flags.js'

/** SetSubject updates the subjects of a role binding or cluster role binding. */
export default class SetSubject extends MkctlCommand {
  static override summary = 'Update the user, group, or service account in a role binding or cluster role binding'
  static override description = 'Update the user, group, or service account in a role binding or cluster role binding.'
  static override examples = [
    '# Update a cluster role binding for serviceaccount1\nmkctl set subject clusterrolebinding admin --serviceaccount=namespace:serviceaccount1',
    '# Update a role binding for user1, user2, and group1\nmkctl set subject rolebinding admin --user=user1 --user=user2 --group=group1',
    '# Print the result (in YAML format) of updating rolebinding subjects from a local, without hitting the server\nmkctl create rolebinding admin --role=admin --user=admin -o yaml --dry-run=client | mkctl set subject --local -f - --user=foo -o yaml',
  ]
  static override usage =
    'set subject (-f FILENAME | TYPE NAME) [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none]'
  static override strict = false
  static override flags = {
    ...printFlags,
    ...filenameFlags('the resource to update the subjects'),
    ...allFlag,
    ...selectorFlag,
    ...localFlag('subject'),
    user: Flags.string({multiple: true, multipleNonGreedy: true, summary: 'Usernames to bind to the role'}),
    group: Flags.string({multiple: true, multipleNonGreedy: true, summary: 'Groups to bind to the role'}),
    serviceaccount: Flags.string({
      multiple: true,
      multipleNonGreedy: true,
      summary: 'Service accounts to bind to the role',
    }),
    ...writeFlags,
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(SetSubject, noOptDefaults(this.argv, DRY_RUN_DEFAULTS))
    const o = new SetSubjectOptions(this.io)
    o.setFlags(flags)
    o.args = argv as string[]
    o.users = flags.user ?? []
    o.groups = flags.group ?? []
    o.serviceAccounts = flags.serviceaccount ?? []
    await o.complete(this.factory)
    o.validate()
    await o.run()
  }
}
