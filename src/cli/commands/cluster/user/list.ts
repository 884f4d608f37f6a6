// list.ts is `mkctl cluster user list`: the token users of a profile, their namespace and role.
import {MkctlCommand} from '../../../base-command.js'
import {call} from '../../../cluster/admin.js'
import {profileFlag} from '../flags.js'

/** ClusterUserList: List the users made by `mkctl cluster user add`. */
export default class ClusterUserList extends MkctlCommand {
  static override summary = 'List the users of a local cluster'
  static override examples = ['mkctl cluster user list']
  static override flags = {profile: profileFlag}

  async run(): Promise<void> {
    const {flags} = await this.parse(ClusterUserList)
    const users: {name: string; namespace: string; role: string; roleKind: string; created: string}[] = await call(
      flags.profile,
      'GET',
      '/users',
    )
    if (users.length === 0) {
      this.io.errOut.write(`No users in cluster "${flags.profile}".\n`)
      return
    }
    const rows = [
      ['NAME', 'NAMESPACE', 'ROLE', 'CREATED'],
      ...users.map((u) => [u.name, u.namespace, `${u.roleKind}/${u.role}`, u.created]),
    ]
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
    for (const r of rows)
      this.io.out.write(r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]! + 3) : c)).join('') + '\n')
  }
}
