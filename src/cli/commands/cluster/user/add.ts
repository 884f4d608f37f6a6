// add.ts is `mkctl cluster user add NAME`: a token user bound to a role in one namespace, and its kubeconfig in
// $MKCTL_HOME/users/NAME.kubeconfig (folder 0700, file 0600) with the profile's server and CA, the user's token and
// namespace. The daemon keeps only the token's hash (/mkctl/v1/users, admin only); the file is the one copy.
import {chmodSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Args, Flags} from '@oclif/core'
import {stringify} from 'yaml'
import {MkctlCommand} from '../../../base-command.js'
import {call} from '../../../cluster/admin.js'
import {daemonInfo, profileDir} from '../../../cluster/profiles.js'
import {mkctlHome} from '../../../client/kubeconfig.js'
import {profileFlag} from '../flags.js'

/** usersDir is $MKCTL_HOME/users. */
export function usersDir(env = process.env): string {
  return join(mkctlHome(env), 'users')
}

/** userKubeconfigPath is $MKCTL_HOME/users/NAME.kubeconfig. */
export function userKubeconfigPath(name: string, env = process.env): string {
  return join(usersDir(env), `${name}.kubeconfig`)
}

/** userKubeconfig renders a kubeconfig for one token user of a profile (context `NAME@PROFILE`). */
export function userKubeconfig(o: {
  profile: string
  server: string
  ca: string
  user: string
  token: string
  namespace: string
}): string {
  const context = `${o.user}@${o.profile}`
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: o.profile,
        cluster: {server: o.server, 'certificate-authority-data': Buffer.from(o.ca).toString('base64')},
      },
    ],
    users: [{name: o.user, user: {token: o.token}}],
    contexts: [{name: context, context: {cluster: o.profile, user: o.user, namespace: o.namespace}}],
    'current-context': context,
    preferences: {},
  })
}

/** ClusterUserAdd: Add a user with its own token and kubeconfig, bound to a role in one namespace. */
export default class ClusterUserAdd extends MkctlCommand {
  static override summary = 'Add a user with its own token, bound to a role in one namespace'
  static override description = `The user gets a RoleBinding in the namespace (default "default") to the ClusterRole "edit", or to the ClusterRole or Role named by --role, and a kubeconfig in $MKCTL_HOME/users/NAME.kubeconfig whose path is printed. Everything else is refused with the API server's Forbidden errors.`
  static override examples = [
    'mkctl cluster user add alice --namespace team-a',
    'mkctl cluster user add bob -n team-b --role view',
    'KUBECONFIG=$(mkctl cluster user add carol) kubectl get pods',
  ]
  static override args = {name: Args.string({description: 'NAME', required: true})}
  static override flags = {
    profile: profileFlag,
    role: Flags.string({summary: 'The ClusterRole (or Role of the namespace) to bind the user to.', default: 'edit'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ClusterUserAdd)
    const namespace = flags.namespace || 'default'
    const out = await call(flags.profile, 'POST', '/users', {name: args.name, namespace, role: flags.role})
    const info = daemonInfo(flags.profile)!
    const ca = readFileSync(join(profileDir(flags.profile), 'ca.crt'), 'utf8')
    const dir = usersDir()
    mkdirSync(dir, {recursive: true, mode: 0o700})
    chmodSync(dir, 0o700)
    const path = userKubeconfigPath(args.name)
    const text = userKubeconfig({
      profile: flags.profile,
      server: info.url,
      ca,
      user: out.name,
      token: out.token,
      namespace: out.namespace,
    })
    writeFileSync(path, text, {mode: 0o600})
    chmodSync(path, 0o600)
    this.io.errOut.write(
      `* User "${out.name}" may use namespace "${out.namespace}" as ${out.roleKind} "${out.role}".\n`,
    )
    this.io.out.write(`${path}\n`)
  }
}
